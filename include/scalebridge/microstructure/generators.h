#ifndef scalebridge_microstructure_generators_h
#define scalebridge_microstructure_generators_h

#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

/**
 * Generators of periodic voxel microstructures.
 *
 * Phase-id conventions (the RVE tool maps ids to phase cards):
 * - laminate: phase p is the p-th entry of the fraction list (layer p counted
 *   from the face x_normal = 0);
 * - sphere and random spheres: matrix 0, inclusions 1;
 * - electrode: active material 0, carbon-binder 1, pore/electrolyte 2 (see
 *   electrode.h).
 *
 * Voxels are assigned by the voxel-centre rule: a voxel belongs to a body if
 * its centre does. Errors caused by the requested values (a fraction that
 * cannot be reached, a sphere that does not fit) are InputError with source
 * generator_error_source and key the prm entry to change, so that
 * MicrostructureParameters::build() can re-attribute them to the parameter
 * file.
 */
namespace scalebridge::microstructure
{
  /// Source of InputErrors thrown by the generators.
  inline const std::string generator_error_source = "microstructure generator";

  /**
   * Layers normal to direction @p normal (0, 1, 2 = x, y, z). Phase p fills
   * the voxel layers [b_p, b_{p+1}) with b_p = round(N sum_{q<p} f_q), so
   * every layer boundary lies on a voxel face and the achieved fraction of
   * phase p is (b_{p+1} - b_p) / N: exact when N f_q are integers, otherwise
   * within 1/N of the target. Throws InputError when the fractions are not
   * positive, do not sum to 1 (within 1e-6), fewer than two are given, or a
   * phase would get no layer at this resolution.
   */
  Microstructure
  laminate(unsigned int                   dimension,
           const std::array<unsigned, 3> &n_voxels,
           unsigned int                   normal,
           const std::vector<double>     &phase_fractions,
           const std::array<double, 3>   &size = {{1., 1., 1.}});

  /// A sphere (a disc in 2D) in physical coordinates.
  struct Sphere
  {
    std::array<double, 3> centre{{0., 0., 0.}};
    double                radius = 0.;
  };

  /**
   * Radius of the sphere (disc) whose volume (area) is @p volume_fraction of
   * the cell: (4/3) pi r^3 = f V in 3D, pi r^2 = f A in 2D.
   */
  double
  radius_for_volume_fraction(unsigned int                 dimension,
                             const std::array<double, 3> &size,
                             double                       volume_fraction);

  /**
   * One sphere (disc) of phase @p inclusion centred in the cell, radius from
   * radius_for_volume_fraction(), rest @p matrix. The voxel fraction
   * converges to the target like O(1/N): only voxels cut by the surface can
   * be misassigned, and they lie in a shell of half-width one voxel diagonal
   * around it. The sphere must fit (r <= shortest edge / 2, i.e. f <= pi/6 in
   * a cube, pi/4 in a square); otherwise InputError on "Volume fraction".
   */
  Microstructure
  centred_sphere(unsigned int                   dimension,
                 const std::array<unsigned, 3> &n_voxels,
                 double                         volume_fraction,
                 const std::array<double, 3>   &size      = {{1., 1., 1.}},
                 PhaseId                        matrix    = 0,
                 PhaseId                        inclusion = 1);

  /// How radii of random spheres are drawn.
  enum class RadiusDistribution
  {
    /// All radii equal the mean radius.
    monodisperse,
    /// Normal with the given mean and standard deviation.
    normal,
    /// Lognormal with the given mean and standard deviation of the radius
    /// itself (not of its logarithm).
    lognormal
  };

  /// Parses "monodisperse" | "normal" | "lognormal" (throws InputError).
  RadiusDistribution
  radius_distribution_from_string(const std::string &name);

  /// Inverse of radius_distribution_from_string().
  std::string
  to_string(RadiusDistribution distribution);

  /// Options of random_sphere_packing() and random_spheres().
  struct RandomSpheresOptions
  {
    /// Target volume fraction of the spheres.
    double volume_fraction = 0.3;
    /// Mean radius (physical units of the cell size).
    double radius = 0.1;
    /// Distribution of the radii; samples outside (0, radius + 3 std] or
    /// too large for the cell (2 r + gap > shortest edge) are redrawn.
    RadiusDistribution distribution = RadiusDistribution::monodisperse;
    double             radius_standard_deviation = 0.;
    /// Smallest surface-to-surface distance between two spheres, also
    /// across periodic boundaries.
    double minimum_gap = 0.;
    /// Seed of the std::mt19937_64 engine; equal seeds give equal packings
    /// on every platform (the distributions are implemented here, not taken
    /// from the standard library, whose algorithms are unspecified).
    std::uint64_t seed = 1;
    /// Random positions tried per sphere before giving up.
    unsigned int max_attempts_per_sphere = 100000;
  };

  /**
   * Non-overlapping periodic spheres (discs in 2D) by random sequential
   * addition. Radii are drawn first, as many as bring the total sphere
   * volume closest to the target (so the geometric fraction is within half
   * a sphere volume of it), and are then placed largest first at uniformly
   * random centres, rejecting positions closer than r_i + r_j + gap to any
   * periodic image of a placed sphere. The packing depends only on the
   * options, the dimension and the cell size, not on the voxel grid, so one
   * seed gives the same geometry at every resolution. Throws InputError when
   * a sphere cannot be placed (the target is beyond what random sequential
   * addition reaches: about 0.38 for equal spheres in 3D, 0.55 for equal
   * discs in 2D, less with a gap).
   */
  std::vector<Sphere>
  random_sphere_packing(unsigned int                 dimension,
                        const std::array<double, 3> &size,
                        const RandomSpheresOptions  &options);

  /// Sets every voxel whose centre lies in one of @p spheres (or in a
  /// periodic image of one) to @p phase.
  void
  rasterize_spheres(Microstructure            &microstructure,
                    const std::vector<Sphere> &spheres,
                    PhaseId                    phase);

  /// Sum of the sphere volumes (disc areas) over the cell volume (area).
  double
  geometric_volume_fraction(unsigned int                 dimension,
                            const std::array<double, 3> &size,
                            const std::vector<Sphere>   &spheres);

  /// random_sphere_packing() rasterized: matrix 0, spheres 1.
  Microstructure
  random_spheres(unsigned int                   dimension,
                 const std::array<unsigned, 3> &n_voxels,
                 const RandomSpheresOptions    &options,
                 const std::array<double, 3>   &size = {{1., 1., 1.}});
} // namespace scalebridge::microstructure

#endif
