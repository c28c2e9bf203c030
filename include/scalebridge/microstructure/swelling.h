#ifndef scalebridge_microstructure_swelling_h
#define scalebridge_microstructure_swelling_h

#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

/**
 * @file
 * Swelling and shrinking of one phase of a voxel microstructure, and the
 * exact Euclidean distance transform it rests on.
 *
 * Why: active particles of an electrode change volume with their lithium
 * content (LiFePO4/FePO4 about 6.8 %, graphite about 10 %), and the FE²
 * coupling needs, for a macro cell at lithiation x, the RVE whose active
 * phase has grown (or shrunk) by f = (1 + e_v(x)) / (1 + e_v(x_ref)) at the
 * expense of the pore phase. The changes are small: a 2 % linear strain
 * moves the surface of a particle by a fraction of a voxel at 24³-64³, so
 * a morphological dilation by one voxel (or any integer number of voxels)
 * cannot express it. Here the phase gains (or loses) exactly round(f n)
 * voxels, taken in order of distance from its surface, which is what a
 * uniform normal growth of the surface does in the limit of fine voxels,
 * and the volume is matched to one voxel at every resolution. Nothing is
 * assumed about where the microstructure came from: the same rule serves
 * the generators (which know their particles) and segmented images (which
 * do not), and its result depends only on the voxel field.
 */
namespace scalebridge::microstructure
{
  /**
   * Squared Euclidean distance, in physical units, from the centre of every
   * voxel to the centre of the nearest voxel with @p feature[v] != 0; voxels
   * may be non-cubic (@p voxel_size, e.g. Microstructure::voxel_size()).
   * With @p periodic the grid is a torus and the distance is the shortest
   * over all periodic images; otherwise the grid is a box. 2D when
   * @p dimension is 2 (n_voxels[2] must then be 1). +infinity everywhere when
   * no voxel is a feature.
   *
   * Exact: the separable lower-envelope algorithm of Felzenszwalb and
   * Huttenlocher (Theory of Computing 8, 2012) along x, then y, then z, in
   * O(N) per axis and O(N) doubles of memory. On the torus each line is
   * extended by floor(n/2) wrapped samples at both ends, which holds a
   * nearest periodic image of every sample for every query point. Distances
   * are computed in units of the smallest voxel edge squared; when the
   * squared edge ratios are integers (in particular for cubic voxels) every
   * intermediate value is an integer in double precision, so equal
   * distances compare equal exactly (the ties of digital spheres).
   */
  std::vector<double>
  squared_distance_transform(unsigned int                     dimension,
                             const std::array<unsigned, 3>   &n_voxels,
                             const std::array<double, 3>     &voxel_size,
                             const std::vector<std::uint8_t> &feature,
                             bool                             periodic);

  /// squared_distance_transform() to the voxels of @p phase in @p m.
  std::vector<double>
  squared_distance_to_phase(const Microstructure &m,
                            PhaseId               phase,
                            bool                  periodic = true);

  /**
   * Order among voxels at equal distance in swell_phase(): the smaller key
   * is taken first. The SplitMix64 finalizer of @p voxel_index, a bijection
   * of 64-bit integers, so keys never tie and do not depend on the platform.
   */
  std::uint64_t
  swelling_tie_key(std::size_t voxel_index);

  /// What swell_phase() did.
  struct SwellingResult
  {
    /// The factor asked for.
    double requested_factor = 1.;
    /// Voxels of the phase after over before (1 when nothing changed).
    double achieved_factor = 1.;
    /// Voxels of the phase before and after.
    std::size_t voxels_before = 0;
    std::size_t voxels_after  = 0;
    /// Voxels that changed phase (|after - before|).
    std::size_t converted = 0;
    /**
     * Distance (physical units) of the last voxel converted: from the
     * nearest voxel of the phase when growing, from the nearest voxel of
     * another phase when shrinking; 0 when nothing was converted. It is
     * how far the surface moved, to within a voxel.
     */
    double front_distance = 0.;
  };

  /**
   * Grows (@p volume_factor > 1) or shrinks (< 1) phase @p phase of @p m by
   * the volume factor, exchanging voxels with phase @p into only; every
   * other phase stays as it is.
   *
   * - Growth: the target is round(f n) voxels of @p phase, n the count
   *   before. The round(f n) - n voxels of @p into that are nearest to a
   *   voxel of @p phase (squared_distance_transform(), centre to centre,
   *   physical units, so non-cubic voxels are handled) become @p phase.
   * - Shrinkage: the n - round(f n) voxels of @p phase that are nearest to a
   *   voxel of any other phase become @p into (erosion from the surface).
   * - |f - 1| <= 1e-12: nothing changes.
   *
   * Equal distances are broken by swelling_tie_key() of the linear voxel
   * index, a fixed pseudo-random permutation, so the result depends on
   * nothing but the arguments. It is not the index itself: below one voxel
   * of surface motion all candidates lie on the first shell at equal
   * distance, and in index order a 2 % swelling of a 24³ electrode would
   * all go into the two lowest z layers while the particles elsewhere did
   * not grow; the permutation spreads it evenly over the surface.
   *
   * Growing a single voxel gives a digital ball (every voxel within the
   * front distance, part of the last shell); the achieved factor is within
   * 0.5 / n of f. Growing by f and then shrinking by 1/f restores the voxel
   * count (not necessarily the shape). For the FE² coupling, apply the
   * factor relative to x_ref to the reference microstructure every time,
   * not cumulatively.
   *
   * Distances are straight lines through any phase: a pore voxel behind a
   * thin wall of carbon-binder counts as close to the particle.
   *
   * Runs in O(N) time (one distance transform and a selection, no sort) and
   * O(N) memory. Throws std::invalid_argument when f is not finite and
   * positive, when @p phase equals @p into, when the phase has no voxels
   * (f != 1), when there are not enough @p into voxels for the growth, or
   * when the phase fills the whole cell so that there is no surface to
   * shrink from; the message gives the numbers.
   *
   * @param periodic whether distances wrap around the cell (RVEs are
   *        periodic; a segmented image cut from a larger sample is not).
   */
  SwellingResult
  swell_phase(Microstructure &m,
              PhaseId         phase,
              PhaseId         into,
              double          volume_factor,
              bool            periodic = true);

  /// What swell_phase_partially() did.
  struct PartialSwellingResult
  {
    /// The factor asked for, and the volume of the phase after over before
    /// (whole voxels plus the partial fractions): equal to round-off.
    double requested_factor = 1.;
    double achieved_factor  = 1.;
    /// Voxels of the phase before; whole voxels of it after.
    std::size_t voxels_before = 0;
    std::size_t voxels_after  = 0;
    /// Volume of the phase after, in voxels: voxels_after plus the sum of
    /// @p fractions.
    double volume_after = 0.;
    /**
     * The voxels of the front, by linear index, and the volume fraction of
     * the phase in each (strictly between 0 and 1); the rest of such a
     * voxel is the other phase. Their id in the microstructure is unchanged
     * (@p into when growing, the phase when shrinking).
     */
    std::vector<std::size_t> voxels;
    std::vector<double>      fractions;
    /// Position of the front: distance (in units of the smallest voxel
    /// edge) at which a voxel is half converted; 0 when nothing changed.
    double front_position = 0.;
  };

  /**
   * Like swell_phase(), but the volume is matched exactly instead of to a
   * voxel: the voxels of the growth (or erosion) front carry a fraction of
   * the phase, so the result changes continuously with @p volume_factor.
   *
   * A candidate voxel at distance d (centre to centre, in units of the
   * smallest voxel edge; from the nearest voxel of @p phase when growing, of
   * any other phase when shrinking) is converted by the fraction
   * clamp(R - d + 1/2, 0, 1): a front of one voxel width centred at R, the
   * partial-volume picture of a surface at distance R (a voxel is half full
   * when the surface passes its centre). R is the unique front position at
   * which the converted volume equals |f - 1| n exactly; the converted
   * volume is continuous, piecewise linear and increasing in R, so R and
   * every fraction are continuous and monotone in f. Voxels at the same
   * distance get the same fraction: the front moves uniformly over the
   * surface with no tie-breaking, and the distinct fractions are few (the
   * distances in one voxel width), which keeps the pseudo-phases of the RVE
   * engine few.
   *
   * Voxels converted fully change their id in @p m (into @p phase when
   * growing, into @p into when shrinking); partial ones keep it and are
   * listed in the result. |f - 1| <= 1e-12 changes nothing. Errors as
   * swell_phase() (growth beyond the @p into voxels).
   */
  PartialSwellingResult
  swell_phase_partially(Microstructure &m,
                        PhaseId         phase,
                        PhaseId         into,
                        double          volume_factor,
                        bool            periodic = true);

  /**
   * The volume factors at which swell_phase_partially() with these
   * arguments is not smooth in the factor: where the front position R
   * passes d - 1/2 or d + 1/2 for a distance d of its candidates (a shell
   * of voxels starts or completes its conversion), growing and shrinking,
   * and 1 (growth turns into erosion). Between two of them every fraction
   * is linear in R and R in the factor, so what is computed from the
   * swollen RVE is smooth there, and interpolating across one of them is
   * where a smoothness-based error estimate fails. Sorted, in (0, the
   * largest factor with enough @p into voxels]; O(N) like the swelling.
   */
  std::vector<double>
  partial_swelling_kinks(const Microstructure &m,
                         PhaseId               phase,
                         PhaseId               into,
                         bool                  periodic = true);
} // namespace scalebridge::microstructure

#endif
