#ifndef scalebridge_study_sampling_h
#define scalebridge_study_sampling_h

#include <cstdint>
#include <string>
#include <vector>

namespace scalebridge::study
{
  /// Points in the unit cube, one row per sample.
  using UnitSamples = std::vector<std::vector<double>>;

  /**
   * @p n points in (0,1)^@p d from seed @p seed (std::mt19937_64, so the
   * same on every platform and rank). Latin hypercube (McKay, Beckman &
   * Conover 1979): each coordinate takes each of the n strata (k + U)/n
   * once, in a random order; otherwise independent uniform draws. Values
   * are kept inside (0,1) so that every quantile is finite.
   */
  UnitSamples
  unit_samples(std::size_t   n,
               std::size_t   d,
               bool          latin_hypercube,
               std::uint64_t seed);

  /// Mean, standard deviation (n-1) and the Monte Carlo standard error of
  /// the mean sd / sqrt(n) of a sample.
  struct SampleMoments
  {
    std::size_t n              = 0;
    double      mean           = 0;
    double      sd             = 0;
    double      standard_error = 0;
  };

  SampleMoments
  moments(const std::vector<double> &values);

  /// Empirical quantile (linear interpolation between order statistics,
  /// Hyndman & Fan type 7) at @p p in [0,1].
  double
  quantile(std::vector<double> values, double p);
} // namespace scalebridge::study

#endif
