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
   * the estimate is the largest difference between that line and the
   * parabolas through the two samples and the nearest one on either side
   * (the leading term of the interpolation error for smooth responses),
   * or, with samples on one side only, that parabola and the cubic through
   * the two nearest there (curvature growing towards the end). At least
   * two such polynomials are required, i.e. four samples. The estimate is
   * checked against fresh solves by the FE2 provider's verification.
   *
   * A response that is smooth only piecewise (a kink where a swelling front
   * starts or completes a distance shell, a node of a card's table) breaks
   * that estimate: a parabola through samples on both sides of a kink sees
   * a mild curvature where the line is off by the kink's full effect. When
   * the kinks are known (set_kinks()), the line and its estimate use only
   * samples inside one smooth piece. A sample at a kink itself answers
   * only that state: the response may even jump there (measured: where an
   * eroding front appears, the RVE with a vanishing share of pore in its
   * surface voxels differs from the one without by up to some 1e-3), so a
   * piece is bounded by samples of its own, placed halfway to the kink by
   * samples_for().
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
     * > 0, x lies between two samples, two more exist in their smooth
     * piece and the estimated relative error is at most @p tolerance.
     * Otherwise nothing.
     */
    std::optional<Answer>
    lookup(double x, double tolerance) const;

    /// Predicted samples placed on each side of a refused state.
    static constexpr unsigned int points_per_side = 3;

    /**
     * Where to solve when lookup() refused @p x: x itself, halfway to a
     * kink on either side that no sample of x's piece separates from x,
     * and otherwise, where the curvature seen so far says the samples are
     * too far apart for
     * @p tolerance, up to points_per_side points at the predicted spacing
     * to either side of it inside its bracket, so that the next states
     * nearby (a discharge moves x steadily) are answered by interpolation
     * rather than each by a solve of its own.
     */
    std::vector<double>
    samples_for(double x, double tolerance) const;

    void
    insert(double x, const RveTensors &value);

    /**
     * The states at which the response may have a kink (sorted here). Not
     * part of the archive: they follow from the RVE, and its owner sets
     * them again after a restart.
     */
    void
    set_kinks(std::vector<double> x);

    const std::vector<double> &
    kinks() const
    {
      return kink_states;
    }

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
    /// The estimate is infinite when the two samples straddle a kink or
    /// fewer than four samples lie in their smooth piece.
    std::optional<Answer>
    interpolate(double x) const;

    /// Whether @p x is a kink (to same_state).
    bool
    at_kink(double x) const;

    /// Whether no kink lies strictly between @p a and @p b.
    bool
    smooth_between(double a, double b) const;

    std::map<double, RveTensors> samples;
    std::vector<double>          kink_states;
  };
} // namespace scalebridge::fe2

#endif
