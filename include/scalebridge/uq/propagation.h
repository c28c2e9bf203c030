#ifndef scalebridge_uq_propagation_h
#define scalebridge_uq_propagation_h

#include <deal.II/lac/full_matrix.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace scalebridge::uq
{
  /// Named parameters with their mean values and covariance matrix.
  struct ParameterDistribution
  {
    std::vector<std::string>   names;
    std::vector<double>        mean;
    dealii::FullMatrix<double> covariance;

    /// Index of @p name; throws std::out_of_range if absent.
    unsigned int
    index(const std::string &name) const;
  };

  /// A vector-valued function of the parameter vector.
  using VectorFunction
    = std::function<std::vector<double>(const std::vector<double> &)>;

  /// Mean and covariance of the outputs of a function of uncertain inputs.
  struct PropagationResult
  {
    std::vector<double>        mean;
    dealii::FullMatrix<double> covariance;
    /// d f_i / d p_j at the mean (first-order method only).
    dealii::FullMatrix<double> jacobian;
    /// Number of evaluations of the function.
    unsigned int evaluations = 0;
    /// Monte Carlo samples rejected because the function gave a non-finite
    /// output (the sample lay outside its physical domain).
    unsigned int rejected_samples = 0;

    /// sqrt of the diagonal of the covariance. Round-off negatives (within
    /// 64 eps of the largest variance) give 0; larger ones throw
    /// std::domain_error.
    std::vector<double>
    standard_deviations() const;
  };

  /**
   * Jacobian of @p f at @p x by central differences with one Richardson
   * extrapolation (error O(h^4)); the step of parameter j is scaled by
   * max(|x_j|, @p scales[j]) so that parameters of very different magnitude
   * (1e-14 m^2/s next to 0.5 eV) are differentiated equally well.
   *
   * Steps are 1e-3 and 0.5e-3 times that scale (1 if both are zero), 4
   * evaluations per parameter. Throws std::invalid_argument for empty @p x,
   * a @p scales of the wrong size or outputs of changing size, and
   * std::domain_error if @p f returns a non-finite value.
   */
  dealii::FullMatrix<double>
  finite_difference_jacobian(const VectorFunction      &f,
                             const std::vector<double> &x,
                             const std::vector<double> &scales = {});

  /**
   * First-order (delta-method) propagation: mean f(mu), covariance
   * J Sigma J^T with the Jacobian J of finite_difference_jacobian(), whose
   * scales are the standard deviations (this sets the step of a parameter
   * with mean 0). 1 + 4 n evaluations.
   *
   * Throws std::invalid_argument for inconsistent sizes or duplicate names,
   * std::domain_error if the covariance is not symmetric positive
   * semi-definite (see cholesky_semidefinite()).
   */
  PropagationResult
  propagate_first_order(const VectorFunction        &f,
                        const ParameterDistribution &parameters);

  /**
   * Monte Carlo check: @p n_samples correlated normal samples p = mu + L z,
   * L the Cholesky factor of the covariance (semi-definite allowed: zero
   * variances give deterministic parameters), z standard normal from a
   * seeded std::mt19937_64; returns sample mean and sample covariance of f.
   * Reproducible for a given seed.
   *
   * The normal deviates come from the raw engine output by Box-Muller (not
   * std::normal_distribution, whose algorithm differs between standard
   * libraries). The sample covariance divides by N - 1, so @p n_samples must
   * be at least 2. Throws as propagate_first_order() for invalid input.
   *
   * A sample for which @p f returns a non-finite value is rejected and
   * counted in rejected_samples: that is how a function says the sampled
   * parameters lie outside its physical domain (a negative attempt
   * frequency drawn from a wide normal, say), and the result is then the
   * estimate for the normal truncated to that domain. Throws
   * std::domain_error if fewer than 2 samples are accepted.
   */
  PropagationResult
  propagate_monte_carlo(const VectorFunction        &f,
                        const ParameterDistribution &parameters,
                        unsigned int                 n_samples,
                        std::uint64_t                seed);

  /**
   * Lower-triangular L with L L^T = A for a symmetric positive
   * semi-definite A. All tests are made on the correlation matrix
   * A_ij / sqrt(A_ii A_jj), so that parameters in very different units
   * (variances of 1e-4 next to 1e25) are treated alike; zero variances give
   * zero rows, and columns of zero pivots (within @p relative_tolerance) are
   * set to zero. Throws std::domain_error if A is not symmetric PSD within
   * that tolerance (or has non-finite entries), std::invalid_argument if it
   * is not square.
   */
  dealii::FullMatrix<double>
  cholesky_semidefinite(const dealii::FullMatrix<double> &A,
                        double relative_tolerance = 1e-12);

  /// Smallest eigenvalue of a symmetric matrix. Throws std::domain_error if
  /// |A_ij - A_ji| exceeds 1e-12 max |A_ij|, std::invalid_argument if A is
  /// not square or empty.
  double
  min_eigenvalue(const dealii::FullMatrix<double> &symmetric);
} // namespace scalebridge::uq

#endif
