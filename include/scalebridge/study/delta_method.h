#ifndef scalebridge_study_delta_method_h
#define scalebridge_study_delta_method_h

#include <vector>

namespace scalebridge::study
{
  /**
   * The points of central finite differences around @p mean with steps
   * @p step and @p step / 2 in each parameter: rows mean, then for every i
   * mean + h_i e_i, mean - h_i e_i, mean + h_i/2 e_i, mean - h_i/2 e_i. Two
   * step sizes give the error check of the derivatives (Richardson).
   */
  std::vector<std::vector<double>>
  delta_design(const std::vector<double> &mean,
               const std::vector<double> &step);

  /// First-order (delta-method) propagation of several outputs.
  struct DeltaResult
  {
    /// Output at the mean.
    std::vector<double> value;
    /// dY_k/dtheta_i (k outputs x d parameters), from the step h/2
    /// (central, error O(h^2)).
    std::vector<std::vector<double>> gradient;
    /// Estimated error of each derivative: |D(h/2) - D(h)| / 3 (the
    /// Richardson estimate for a central difference).
    std::vector<std::vector<double>> gradient_error;
    /// Variance g^T Sigma g per output and its standard deviation.
    std::vector<double> variance;
    std::vector<double> sd;
    /// Estimated error of each sd caused by the derivative errors.
    std::vector<double> sd_error;
    /// Largest sd_error relative to its sd (0 when sd is 0).
    double relative_error = 0;
  };

  /**
   * @p outputs: one vector of outputs per row of delta_design(); @p step as
   * given to it; @p covariance: d x d, row-major, of the parameters.
   */
  DeltaResult
  delta_method(const std::vector<std::vector<double>> &outputs,
               const std::vector<double>              &step,
               const std::vector<double>              &covariance);
} // namespace scalebridge::study

#endif
