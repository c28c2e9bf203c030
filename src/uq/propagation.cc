#include <scalebridge/uq/propagation.h>

#include <deal.II/base/numbers.h>

#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>

namespace scalebridge::uq
{
  namespace
  {
    /**
     * Every evaluation must return the same number of values, otherwise a
     * Jacobian or a sample covariance silently mixes incompatible outputs.
     */
    void
    evaluate_size(const std::vector<double> &y, std::size_t &n_outputs)
    {
      if (y.empty())
        throw std::invalid_argument("uq: function returned no outputs");
      if (n_outputs == 0)
        n_outputs = y.size();
      else if (y.size() != n_outputs)
        throw std::invalid_argument("uq: function returned "
                                    + std::to_string(y.size())
                                    + " outputs, earlier evaluations returned "
                                    + std::to_string(n_outputs));
    }

    /// f(x), checked: consistent output size, finite outputs.
    std::vector<double>
    evaluate(const VectorFunction      &f,
             const std::vector<double> &x,
             std::size_t               &n_outputs)
    {
      std::vector<double> y = f(x);
      evaluate_size(y, n_outputs);
      for (std::size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]))
          throw std::domain_error("uq: output " + std::to_string(i)
                                  + " of the function is not finite");
      return y;
    }

    /// Checks sizes and names of @p parameters and returns the Cholesky
    /// factor of the covariance, which also proves it symmetric PSD.
    dealii::FullMatrix<double>
    validated_factor(const ParameterDistribution &parameters)
    {
      const std::size_t n = parameters.mean.size();
      if (n == 0)
        throw std::invalid_argument("uq: no parameters");
      if (parameters.names.size() != n || parameters.covariance.m() != n
          || parameters.covariance.n() != n)
        throw std::invalid_argument(
          "uq: ParameterDistribution with " + std::to_string(n)
          + " means needs as many names and an n x n covariance");
      if (std::set<std::string>(parameters.names.begin(),
                                parameters.names.end())
            .size()
          != n)
        throw std::invalid_argument("uq: parameter names are not unique");
      for (const double value : parameters.mean)
        if (!std::isfinite(value))
          throw std::invalid_argument("uq: parameter mean is not finite");
      return cholesky_semidefinite(parameters.covariance);
    }

    /**
     * Standard normal numbers by Box-Muller from the raw 64-bit output of
     * std::mt19937_64. Unlike std::normal_distribution, whose algorithm is
     * left to the standard library, the sequence is then fixed by the seed
     * alone (up to the last bit of libm's log/cos/sin).
     */
    class NormalStream
    {
    public:
      explicit NormalStream(const std::uint64_t seed)
        : engine(seed)
      {
      }

      double
      operator()()
      {
        if (has_spare)
          {
            has_spare = false;
            return spare;
          }
        // 53 random bits, shifted to (0, 1] so that log() stays finite.
        const double u1 = ((engine() >> 11) + 1) * 0x1.0p-53;
        const double u2 = ((engine() >> 11) + 1) * 0x1.0p-53;
        const double r  = std::sqrt(-2.0 * std::log(u1));
        const double t  = 2.0 * dealii::numbers::PI * u2;
        spare           = r * std::sin(t);
        has_spare       = true;
        return r * std::cos(t);
      }

    private:
      std::mt19937_64 engine;
      double          spare     = 0.0;
      bool            has_spare = false;
    };

    /// Largest |A_ii|, the scale of a covariance-like matrix: by
    /// Cauchy-Schwarz no entry of a PSD matrix exceeds it.
    double
    max_abs_diagonal(const dealii::FullMatrix<double> &A)
    {
      double result = 0.0;
      for (unsigned int i = 0; i < A.m(); ++i)
        result = std::max(result, std::abs(A(i, i)));
      return result;
    }
  } // namespace


  unsigned int
  ParameterDistribution::index(const std::string &name) const
  {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw std::out_of_range("uq: no parameter named '" + name + "'");
    return static_cast<unsigned int>(it - names.begin());
  }


  std::vector<double>
  PropagationResult::standard_deviations() const
  {
    // Round-off can leave a zero variance slightly negative; clamp that, but
    // do not hide a clearly negative one, which would be a bug upstream.
    const double round_off = 64 * std::numeric_limits<double>::epsilon()
                             * max_abs_diagonal(covariance);
    std::vector<double> result(covariance.m());
    for (unsigned int i = 0; i < covariance.m(); ++i)
      {
        const double variance = covariance(i, i);
        if (variance < -round_off)
          throw std::domain_error("uq: negative variance of output "
                                  + std::to_string(i));
        result[i] = std::sqrt(std::max(variance, 0.0));
      }
    return result;
  }


  dealii::FullMatrix<double>
  finite_difference_jacobian(const VectorFunction      &f,
                             const std::vector<double> &x,
                             const std::vector<double> &scales)
  {
    const std::size_t n = x.size();
    if (n == 0)
      throw std::invalid_argument("uq: Jacobian with respect to no parameters");
    if (!scales.empty() && scales.size() != n)
      throw std::invalid_argument("uq: " + std::to_string(scales.size())
                                  + " scales for " + std::to_string(n)
                                  + " parameters");

    // Richardson on steps h and h/2 leaves truncation ~ (h/s)^4 and round-off
    // ~ eps/(h/s) relative; both are ~1e-12 for h/s = 1e-3, the minimum of
    // their sum being near (eps/2)^(1/5) ~ 6e-4.
    const double relative_step = 1e-3;

    std::size_t                m = 0;
    dealii::FullMatrix<double> jacobian;
    std::vector<double>        point(x);
    for (std::size_t j = 0; j < n; ++j)
      {
        double scale = std::abs(x[j]);
        if (!scales.empty())
          scale = std::max(scale, std::abs(scales[j]));
        if (!std::isfinite(scale))
          throw std::invalid_argument("uq: parameter " + std::to_string(j)
                                      + " or its scale is not finite");
        if (scale == 0.0)
          scale = 1.0; // nothing tells the magnitude; assume order one
        const double h = relative_step * scale;

        // Central difference with the step actually represented in x +- h.
        const auto central = [&](const double step) {
          point[j]                     = x[j] + step;
          const double              xp = point[j];
          const std::vector<double> fp = evaluate(f, point, m);
          point[j]                     = x[j] - step;
          const double              xm = point[j];
          const std::vector<double> fm = evaluate(f, point, m);
          std::vector<double>       d(m);
          for (std::size_t i = 0; i < m; ++i)
            d[i] = (fp[i] - fm[i]) / (xp - xm);
          return d;
        };
        const std::vector<double> d_full = central(h);
        const std::vector<double> d_half = central(0.5 * h);
        point[j]                         = x[j];

        if (j == 0)
          jacobian.reinit(m, n);
        // Eliminates the h^2 term: D(h) = f' + c h^2 + O(h^4).
        for (std::size_t i = 0; i < m; ++i)
          jacobian(i, j) = (4.0 * d_half[i] - d_full[i]) / 3.0;
      }
    return jacobian;
  }


  PropagationResult
  propagate_first_order(const VectorFunction        &f,
                        const ParameterDistribution &parameters)
  {
    validated_factor(parameters);
    const std::size_t n     = parameters.mean.size();
    const auto       &sigma = parameters.covariance;

    PropagationResult result;
    std::size_t       m = 0;
    result.mean         = evaluate(f, parameters.mean, m);

    // A parameter with mean 0 has no magnitude of its own; its standard
    // deviation tells how far the function is probed.
    std::vector<double> scales(n);
    for (std::size_t j = 0; j < n; ++j)
      scales[j] = std::sqrt(std::max(sigma(j, j), 0.0));
    result.jacobian    = finite_difference_jacobian(f, parameters.mean, scales);
    result.evaluations = 1 + 4 * n;
    if (result.jacobian.m() != m)
      throw std::invalid_argument(
        "uq: function returned outputs of changing size");

    // J Sigma J^T, upper triangle mirrored so that the result is exactly
    // symmetric (a Cholesky factorisation downstream relies on it).
    const auto &J = result.jacobian;
    result.covariance.reinit(m, m);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t k = i; k < m; ++k)
        {
          double sum = 0.0;
          for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b)
              sum += J(i, a) * sigma(a, b) * J(k, b);
          result.covariance(i, k) = result.covariance(k, i) = sum;
        }
    return result;
  }


  PropagationResult
  propagate_monte_carlo(const VectorFunction        &f,
                        const ParameterDistribution &parameters,
                        const unsigned int           n_samples,
                        const std::uint64_t          seed)
  {
    if (n_samples < 2)
      throw std::invalid_argument(
        "uq: Monte Carlo needs at least 2 samples for a covariance");
    const dealii::FullMatrix<double> L = validated_factor(parameters);
    const std::size_t                n = parameters.mean.size();

    NormalStream        normal(seed);
    std::vector<double> z(n), p(n);
    std::size_t         m        = 0;
    unsigned int        accepted = 0;

    // Welford's update: no cancellation when the spread is small compared
    // with the mean (a diffusivity of 1e-14 +- 1e-16, say).
    PropagationResult           result;
    dealii::FullMatrix<double> &comoment = result.covariance;
    for (unsigned int s = 0; s < n_samples; ++s)
      {
        for (std::size_t j = 0; j < n; ++j)
          z[j] = normal();
        for (std::size_t i = 0; i < n; ++i)
          {
            // A zero-variance parameter has a zero row in L: p_i = mu_i
            // exactly.
            double value = parameters.mean[i];
            for (std::size_t k = 0; k <= i; ++k)
              value += L(i, k) * z[k];
            p[i] = value;
          }
        const std::vector<double> y = f(p);
        if (std::any_of(y.begin(), y.end(), [](double v) {
              return !std::isfinite(v);
            }))
          {
            ++result.rejected_samples;
            continue;
          }
        evaluate_size(y, m);
        if (accepted == 0)
          {
            result.mean.assign(m, 0.0);
            comoment.reinit(m, m);
          }
        const double        count = ++accepted;
        std::vector<double> delta(m);
        for (std::size_t i = 0; i < m; ++i)
          {
            delta[i] = y[i] - result.mean[i];
            result.mean[i] += delta[i] / count;
          }
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t k = i; k < m; ++k)
            comoment(i, k) += delta[i] * (y[k] - result.mean[k]);
      }
    if (accepted < 2)
      throw std::domain_error(
        "uq: fewer than 2 Monte Carlo samples gave finite outputs ("
        + std::to_string(result.rejected_samples) + " of "
        + std::to_string(n_samples) + " rejected)");
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t k = i; k < m; ++k)
        comoment(i, k) = comoment(k, i) = comoment(i, k) / (accepted - 1.0);
    result.evaluations = n_samples;
    return result;
  }


  dealii::FullMatrix<double>
  cholesky_semidefinite(const dealii::FullMatrix<double> &A,
                        const double                      relative_tolerance)
  {
    const std::size_t n = A.m();
    if (A.n() != n)
      throw std::invalid_argument("uq: Cholesky factor of a non-square matrix");

    // Parameters come in their own units (a variance of 4e-4 eV^2 next to
    // one of 2.5e25 Hz^2), so every test below is made on the correlation
    // matrix R = D^-1/2 A D^-1/2, which is dimensionless, and the factor is
    // scaled back: A = (D^1/2 L_R)(D^1/2 L_R)^T.
    std::vector<double> sigma(n);
    for (std::size_t i = 0; i < n; ++i)
      {
        for (std::size_t k = 0; k < n; ++k)
          if (!std::isfinite(A(i, k)))
            throw std::domain_error("uq: matrix has non-finite entries");
        if (A(i, i) < 0)
          throw std::domain_error("uq: matrix is not positive semi-definite "
                                  "(negative variance "
                                  + std::to_string(i) + ")");
        sigma[i] = std::sqrt(A(i, i));
      }
    dealii::FullMatrix<double> R(n, n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < n; ++k)
        {
          if (sigma[i] > 0 && sigma[k] > 0)
            R(i, k) = A(i, k) / (sigma[i] * sigma[k]);
          else if (A(i, k) != 0)
            throw std::domain_error(
              "uq: matrix is not positive semi-definite (a zero variance "
              "with non-zero covariance)");
        }

    const double tol = relative_tolerance;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < n; ++k)
        if (std::abs(R(i, k) - R(k, i)) > tol)
          throw std::domain_error("uq: matrix is not symmetric");

    // Once a pivot is (numerically) zero, the rest of its column must vanish
    // too: for PSD R, |r_ik| <= sqrt(d_i d_k) <= sqrt(tol) by Cauchy-Schwarz
    // on the remaining Schur complement.
    const double column_tol = std::sqrt(tol);

    dealii::FullMatrix<double> L(n, n);
    for (std::size_t k = 0; k < n; ++k)
      {
        double pivot = R(k, k);
        for (std::size_t j = 0; j < k; ++j)
          pivot -= L(k, j) * L(k, j);
        if (pivot < -tol)
          throw std::domain_error(
            "uq: matrix is not positive semi-definite (pivot "
            + std::to_string(k) + " is " + std::to_string(pivot) + ")");

        const bool zero_pivot = pivot <= tol;
        if (!zero_pivot)
          L(k, k) = std::sqrt(pivot);
        for (std::size_t i = k + 1; i < n; ++i)
          {
            double residual = R(i, k);
            for (std::size_t j = 0; j < k; ++j)
              residual -= L(i, j) * L(k, j);
            if (!zero_pivot)
              L(i, k) = residual / L(k, k);
            else if (std::abs(residual) > column_tol)
              throw std::domain_error(
                "uq: matrix is not positive semi-definite "
                "(zero pivot "
                + std::to_string(k) + " with non-zero coupling)");
          }
      }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k <= i; ++k)
        L(i, k) *= sigma[i];
    return L;
  }


  double
  min_eigenvalue(const dealii::FullMatrix<double> &symmetric)
  {
    const std::size_t n = symmetric.m();
    if (symmetric.n() != n || n == 0)
      throw std::invalid_argument("uq: eigenvalues of a non-square matrix");

    // LAPACK reads one triangle only; a non-symmetric input would give a
    // plausible but meaningless answer. 1e-12 is far above the round-off of
    // a computed symmetric matrix and far below any real asymmetry.
    double scale = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < n; ++k)
        scale = std::max(scale, std::abs(symmetric(i, k)));
    dealii::LAPACKFullMatrix<double> A(n, n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < n; ++k)
        {
          if (std::abs(symmetric(i, k) - symmetric(k, i)) > 1e-12 * scale)
            throw std::domain_error("uq: min_eigenvalue of a non-symmetric "
                                    "matrix");
          A(i, k) = symmetric(i, k);
        }

    dealii::Vector<double>     eigenvalues;
    dealii::FullMatrix<double> eigenvectors;
    const double               huge = std::numeric_limits<double>::max();
    A.compute_eigenvalues_symmetric(
      -huge, huge, 0.0, eigenvalues, eigenvectors);
    if (eigenvalues.size() != n)
      throw std::runtime_error("uq: eigenvalue solver did not converge");
    return *std::min_element(eigenvalues.begin(), eigenvalues.end());
  }
} // namespace scalebridge::uq
