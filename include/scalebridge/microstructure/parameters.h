#ifndef scalebridge_microstructure_parameters_h
#define scalebridge_microstructure_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <string>
#include <vector>

namespace scalebridge::microstructure
{
  /**
   * The entries of `subsection Microstructure` of the RVE parameter file and
   * the factory that turns them into a voxel field. `Dimension` lives at the
   * top level of the RVE file and is passed to check() and build().
   *
   * Lengths (Physical size, Radius, Minimum gap) share one unit, metres by
   * convention; homogenised tensors do not depend on the scale of the cell.
   *
   * build() depends only on these values (and the file), not on the MPI
   * rank, so every rank may build its own identical copy.
   */
  struct MicrostructureParameters
  {
    /// One of generator_names().
    std::string generator = "sphere";
    /// Voxels in every direction unless voxels_per_direction is given.
    unsigned int voxels_per_side = 32;
    /// Voxels per direction (dimension entries); overrides voxels_per_side.
    std::vector<unsigned int> voxels_per_direction;
    /// Edge lengths: empty (unit cell), one value, or dimension values.
    std::vector<double> physical_size;
    /// Inclusion fraction (sphere, random spheres; laminate phase 1 when
    /// phase_fractions is empty).
    double volume_fraction = 0.3;
    /// Layer normal of the laminate: x, y or z.
    std::string laminate_normal = "x";
    /// Laminate: fraction of each phase; electrode: active, carbon-binder,
    /// pore.
    std::vector<double> phase_fractions;
    /// Mean radius of random spheres and electrode particles.
    double radius = 0.1;
    /// monodisperse | normal | lognormal.
    std::string radius_distribution       = "monodisperse";
    double      radius_standard_deviation = 0.;
    /// Surface-to-surface gap between random spheres.
    double minimum_gap = 0.;
    /// Interpenetration of electrode particles (fraction of r_i + r_j).
    double particle_overlap = 0.3;
    /// Seed of the random generators.
    unsigned int seed = 1;
    /// Image (file, or folder of TIFF slices) for the image generators.
    std::string file;
    /// hdf5 file: path of the dataset inside the file.
    std::string dataset;
    /// Grey values to phase ids of images ("0:0, 255:1"); empty: identity.
    std::string phase_map;

    /// Generator names in the order of the `Generator` selection.
    static std::vector<std::string>
    generator_names();

    /// Declares `subsection Microstructure` with every entry bound to a
    /// member, with its default and documentation.
    void
    add_parameters(dealii::ParameterHandler &prm);

    /**
     * Checks the values that do not depend on the dimension, in particular
     * that Volume fraction lies in (0,1). Throws InputError with source
     * @p prm_source, the entry "Microstructure/..." and what is allowed.
     */
    void
    check(const std::string &prm_source = "parameter file") const;

    /// check() plus what depends on @p dimension (entry counts, z normal).
    void
    check(unsigned int dimension, const std::string &prm_source) const;

    /// Voxels per direction for @p dimension (n[2] = 1 in 2D).
    std::array<unsigned, 3>
    voxel_counts(unsigned int dimension) const;

    /// Physical size for @p dimension (size[2] = 1 in 2D).
    std::array<double, 3>
    size(unsigned int dimension) const;

    /**
     * Target fraction of every phase id the generator promises (laminate,
     * sphere, random spheres, electrode), for reporting target against
     * achieved; empty for images.
     */
    std::vector<double>
    target_fractions() const;

    /**
     * Checks (check(dimension, prm_source)) and creates the field with the
     * chosen generator. Every error is an InputError naming @p prm_source (or
     * the image file when the file itself is wrong) and the entry to change.
     * A relative File is looked up in the working directory first, then next
     * to @p prm_source when that is a file.
     */
    Microstructure
    build(unsigned int dimension, const std::string &prm_source) const;
  };
} // namespace scalebridge::microstructure

#endif
