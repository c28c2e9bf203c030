#ifndef scalebridge_atomistic_block_statistics_h
#define scalebridge_atomistic_block_statistics_h

#include <cstddef>
#include <vector>

namespace scalebridge::atomistic
{
  /// A result and its standard error (one standard deviation of the
  /// estimate, not of the data).
  struct Estimate
  {
    double value          = 0;
    double standard_error = 0;
  };

  /**
   * Standard error of an estimate from M independent blocks of the data
   * (batch means): the estimate on all data is @p full_value, the spread of
   * the same estimator applied to each contiguous block gives
   * SE = sd(block values) / sqrt(M). Blocks much longer than the correlation
   * time are independent, so the correlation inside a series (overlapping
   * MSD windows, the autocorrelation of a flux) is accounted for without a
   * model of it (Flyvbjerg & Petersen, J. Chem. Phys. 91 (1989) 461).
   * Needs M >= 2.
   */
  Estimate
  batch_means(double full_value, const std::vector<double> &block_values);

  /**
   * Delete-one-block jackknife covariance of a vector estimator:
   * (M-1)/M sum_b (theta_-b - mean)(theta_-b - mean)^T, where
   * @p leave_one_out[b] is the estimate on all blocks but b (Efron & Stein,
   * Ann. Stat. 9 (1981) 586). Right for non-linear estimators such as the
   * inverse of a covariance matrix. Returns a row-major n x n matrix.
   */
  std::vector<double>
  jackknife_covariance(const std::vector<std::vector<double>> &leave_one_out);

  /// One level of a Flyvbjerg-Petersen blocking analysis.
  struct BlockingLevel
  {
    std::size_t block_size;
    std::size_t n_blocks;
    double      standard_error;
    /// Standard error of standard_error: SE / sqrt(2 (n_blocks - 1)).
    double error_of_standard_error;
  };

  /// Flyvbjerg-Petersen blocking of the mean of a correlated series.
  struct BlockingAnalysis
  {
    Estimate                   mean;
    std::vector<BlockingLevel> levels;
    /// Whether the SE reached a plateau with at least 16 blocks left; if
    /// not, mean.standard_error is the largest SE seen (a lower bound).
    bool converged = false;
  };

  /**
   * Standard error of the mean of @p series by repeated pairwise blocking
   * (Flyvbjerg & Petersen 1989): the naive SE grows with the block size
   * until blocks are longer than the correlation time and then stays
   * within its own error bar. The first level from which on no later
   * level (with >= 16 blocks) exceeds it by more than its error bar is
   * taken. Needs at least 2 values.
   */
  BlockingAnalysis
  flyvbjerg_petersen(const std::vector<double> &series);
} // namespace scalebridge::atomistic

#endif
