#ifndef scalebridge_study_sobol_h
#define scalebridge_study_sobol_h

#include <scalebridge/study/sampling.h>

#include <cstdint>
#include <vector>

namespace scalebridge::study
{
  /**
   * The pick-freeze design of Saltelli (2002): two independent sample
   * matrices A and B (N rows) and, for every factor i, A with the columns
   * of factor i taken from B. A factor is a group of columns, so that
   * correlated inputs (a card's covariance block) or a whole random
   * microstructure count as one factor, for which Sobol indices stay
   * defined. Rows in evaluation order: A, B, AB_0, ..., AB_{k-1}.
   */
  struct SaltelliDesign
  {
    std::size_t                           n = 0;
    std::vector<std::vector<std::size_t>> factors;
    UnitSamples                           rows;
  };

  /// @p a and @p b: N x d unit samples; @p factors: column groups that
  /// partition 0..d-1.
  SaltelliDesign
  saltelli_design(const UnitSamples                           &a,
                  const UnitSamples                           &b,
                  const std::vector<std::vector<std::size_t>> &factors);

  /// An index with a bootstrap confidence interval.
  struct Estimate
  {
    double value = 0;
    double lower = 0;
    double upper = 0;
  };

  struct SobolIndices
  {
    /// Variance of the output over A and B.
    double                variance = 0;
    std::vector<Estimate> first;
    std::vector<Estimate> total;
  };

  /**
   * First-order indices by the estimator of Saltelli et al. (2010), S_i =
   * mean(f_B (f_ABi - f_A)) / V, and total indices by Jansen's (1999),
   * ST_i = mean((f_A - f_ABi)^2) / (2 V), from the outputs @p f of the
   * design's rows in order. Confidence intervals: percentile bootstrap over
   * the N rows (@p resamples draws, level @p level, seed @p seed). A
   * constant output has all indices 0.
   */
  SobolIndices
  sobol_indices(const SaltelliDesign      &design,
                const std::vector<double> &f,
                unsigned int               resamples = 500,
                double                     level     = 0.95,
                std::uint64_t              seed      = 1);
} // namespace scalebridge::study

#endif
