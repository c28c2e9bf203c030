#ifndef scalebridge_microstructure_electrode_h
#define scalebridge_microstructure_electrode_h

#include <scalebridge/microstructure/generators.h>
#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <cstdint>
#include <vector>

namespace scalebridge::microstructure
{
  /// Options of the three-phase electrode generator.
  struct ElectrodeOptions
  {
    /// Target volume fractions; the pore/electrolyte takes the rest.
    double active_fraction = 0.5;
    double binder_fraction = 0.1;

    /// Radii of the active particles (see RandomSpheresOptions).
    double             radius       = 0.1;
    RadiusDistribution distribution = RadiusDistribution::monodisperse;
    double             radius_standard_deviation = 0.;

    /**
     * How far two particles may interpenetrate, as a fraction of the sum of
     * their radii: centres are at least (1 - overlap)(r_i + r_j) apart. Some
     * overlap stands for the contacts of calendered particles; it is what
     * lets the active phase reach typical fractions (0.5-0.65) and form a
     * connected network, which hard spheres cannot (they jam near 0.38).
     */
    double particle_overlap = 0.3;

    std::uint64_t seed                      = 1;
    unsigned int  max_attempts_per_particle = 100000;

    PhaseId active_phase = 0;
    PhaseId binder_phase = 1;
    PhaseId pore_phase   = 2;
  };

  /// The particles and the voxel field of an electrode.
  struct ElectrodeStructure
  {
    Microstructure      microstructure;
    std::vector<Sphere> particles;
  };

  /**
   * A three-phase electrode: active particles, carbon-binder domain (CBD)
   * and pore/electrolyte.
   *
   * 1. Particles (radii from the distribution) are added one by one at
   *    random positions allowed by the overlap rule and rasterized; the last
   *    one is kept only if it brings the active voxel fraction closer to the
   *    target, so the active fraction is within half a particle of it.
   * 2. Every remaining voxel within reach R = 2 * radius of a particle gets
   *    the score s = d_1 + min(d_2, R), with d_1, d_2 the distances from its
   *    centre to the surfaces of the nearest and the second-nearest particle.
   *    The round(f_CBD * N) voxels of lowest score (ties by voxel index)
   *    become CBD: s is smallest in the necks where particles touch and in
   *    narrow gaps between them, then in thin films on surfaces, which is
   *    where binder and carbon collect when the slurry dries (capillary
   *    forces pull the liquid into the narrowest gaps).
   * 3. All other voxels are pore.
   *
   * Throws InputError (source generator_error_source) when the fractions are
   * out of range, when a particle finds no place, or when there are not
   * enough voxels within reach of the particles for the CBD.
   */
  ElectrodeStructure
  generate_electrode(unsigned int                   dimension,
                     const std::array<unsigned, 3> &n_voxels,
                     const ElectrodeOptions        &options,
                     const std::array<double, 3>   &size = {{1., 1., 1.}});

  /// The voxel field of generate_electrode().
  Microstructure
  electrode(unsigned int                   dimension,
            const std::array<unsigned, 3> &n_voxels,
            const ElectrodeOptions        &options,
            const std::array<double, 3>   &size = {{1., 1., 1.}});
} // namespace scalebridge::microstructure

#endif
