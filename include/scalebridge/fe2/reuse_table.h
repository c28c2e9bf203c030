#ifndef scalebridge_fe2_reuse_table_h
#define scalebridge_fe2_reuse_table_h

#include <scalebridge/fe2/rve_request.h>

#include <boost/serialization/array.hpp>
#include <boost/serialization/map.hpp>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace scalebridge::fe2
{
  /**
   * The solved states of one RVE, over its lithium site fraction x: an
   * adaptive one-dimensional table. A query between two samples is answered
   * by linear interpolation when the estimate of its error is small enough;
   * the estimate is the difference between that line and the parabola
   * through the two samples and the nearest third one, which is the
   * leading term of the interpolation error for smooth responses (and is
   * checked against fresh solves by the FE2 provider's verification).
   */
  class ReuseTable
  {
  public:
    struct Answer
    {
      RveTensors value;
      /// Estimated relative error (relative_difference()); 0 for a sample.
      double estimated_error = 0;
      /// False when the table holds the state itself.
      bool interpolated = false;
      /// The samples it was interpolated between.
      std::pair<double, double> bracket{0, 0};
    };

    /// Two samples closer than this in x are the same state.
    static constexpr double same_state = 1e-12;

    /**
     * The answer at @p x if the table holds x itself, or if @p tolerance
     * > 0, x lies between two samples, a third exists and the estimated
     * relative error is at most @p tolerance. Otherwise nothing.
     */
    std::optional<Answer>
    lookup(double x, double tolerance) const;

    /// Predicted samples placed on each side of a refused state.
    static constexpr unsigned int points_per_side = 3;

    /**
     * Where to solve when lookup() refused @p x: x itself and, where the
     * curvature seen so far says the samples are too far apart for
     * @p tolerance, up to points_per_side points at the predicted spacing
     * to either side of it inside its bracket, so that the next states
     * nearby (a discharge moves x steadily) are answered by interpolation
     * rather than each by a solve of its own.
     */
    std::vector<double>
    samples_for(double x, double tolerance) const;

    void
    insert(double x, const RveTensors &value);

    std::size_t
    size() const
    {
      return samples.size();
    }

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &samples;
    }

  private:
    /// Linear interpolation between the samples around @p x with its
    /// estimated error, or nothing outside the samples or with fewer than 3.
    std::optional<Answer>
    interpolate(double x) const;

    std::map<double, RveTensors> samples;
  };
} // namespace scalebridge::fe2

#endif
