#ifndef scalebridge_study_identifiability_h
#define scalebridge_study_identifiability_h

#include <string>
#include <vector>

namespace scalebridge::study
{
  /**
   * What a measured curve could tell about the parameters, from the
   * sensitivities of its m samples to d parameters (local, linear model).
   * Parameters are measured in units of their prior standard deviation, so
   * the Fisher information F = S^T S / sigma^2 (S_ki = dV_k/dtheta_i sd_i,
   * sigma the voltage noise of each sample, independent) is dimensionless
   * and an eigenvalue above 1 means the curve pins that direction better
   * than the prior does.
   */
  struct Identifiability
  {
    /// Eigenvalues of F, descending.
    std::vector<double> eigenvalues;
    /// Eigenvalues > 1e-12 x the largest (numerical rank of F).
    unsigned int numerical_rank = 0;
    /// Eigenvalues > 1 (directions the data determine better than the prior).
    unsigned int informative_rank = 0;
    /// Largest over smallest eigenvalue (inf when F is singular).
    double condition_number = 0;
    /// Per parameter: sd after the measurement over sd before,
    /// sqrt(((F + I)^-1)_ii) (Gaussian prior and noise), and the
    /// Cramer-Rao sd without a prior in prior units, sqrt((F^-1)_ii) (inf
    /// when F is singular in a direction that involves i).
    std::vector<double> posterior_over_prior_sd;
    std::vector<double> cramer_rao_over_prior_sd;
  };

  /// @p sensitivity: m rows of d derivatives dV_k/dtheta_i; @p prior_sd:
  /// d values; @p noise_sd > 0 in the unit of V.
  Identifiability
  identifiability(const std::vector<std::vector<double>> &sensitivity,
                  const std::vector<double>              &prior_sd,
                  double                                  noise_sd);

  /// Eigenvalues (descending) and eigenvectors (columns of @p vectors,
  /// row-major d x d) of a symmetric d x d matrix, by cyclic Jacobi.
  void
  symmetric_eigen(std::vector<double>  matrix,
                  std::size_t          d,
                  std::vector<double> &values,
                  std::vector<double> &vectors);
} // namespace scalebridge::study

#endif
