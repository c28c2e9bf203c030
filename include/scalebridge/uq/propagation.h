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

    /// sqrt of the diagonal of the covariance.
    std::vector<double>
    standard_deviations() const;
  };

  /**
   * Jacobian of @p f at @p x by central differences with one Richardson
   * extrapolation (error O(h^4)); the step of parameter j is scaled by
   * max(|x_j|, @p scales[j]) so that parameters of very different magnitude
   * (1e-14 m^2/s next to 0.5 eV) are differentiated equally well.
   */
  dealii::FullMatrix<double>
  finite_difference_jacobian(const VectorFunction      &f,
                             const std::vector<double> &x,
                             const std::vector<double> &scales = {});

  /**
   * First-order (delta-method) propagation: mean f(mu), covariance
   * J Sigma J^T with the Jacobian J of finite_difference_jacobian().
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
   */
  PropagationResult
  propagate_monte_carlo(const VectorFunction        &f,
                        const ParameterDistribution &parameters,
                        unsigned int                 n_samples,
                        std::uint64_t                seed);

  /**
   * Lower-triangular L with L L^T = A for a symmetric positive
   * semi-definite A; columns of zero pivots (within @p relative_tolerance of
   * the largest diagonal entry) are set to zero. Throws std::domain_error if
   * A is not symmetric PSD within that tolerance.
   */
  dealii::FullMatrix<double>
  cholesky_semidefinite(const dealii::FullMatrix<double> &A,
                        double relative_tolerance = 1e-12);

  /// Smallest eigenvalue of a symmetric matrix.
  double
  min_eigenvalue(const dealii::FullMatrix<double> &symmetric);
} // namespace scalebridge::uq

#endif
