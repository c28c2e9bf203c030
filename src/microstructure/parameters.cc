#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/microstructure/electrode.h>
#include <scalebridge/microstructure/generators.h>
#include <scalebridge/microstructure/image_formats.h>
#include <scalebridge/microstructure/image_io.h>
#include <scalebridge/microstructure/parameters.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <sstream>
#include <utility>

namespace scalebridge::microstructure
{
  namespace
  {
    /// Voxels per direction that a run can meet: 4096^3 voxels would need
    /// about 180 TB in the RVE (see rve::estimated_memory_bytes()).
    constexpr int max_voxels_per_side = 4096;
  } // namespace

  namespace
  {
    const std::string subsection = "Microstructure/";


    std::string
    join(const std::vector<std::string> &words, const std::string &separator)
    {
      std::string result;
      for (std::size_t i = 0; i < words.size(); ++i)
        result += (i == 0 ? "" : separator) + words[i];
      return result;
    }

    unsigned int
    normal_index(const std::string &normal)
    {
      return normal == "x" ? 0 : normal == "y" ? 1 : 2;
    }

    /// File as given, or next to the parameter file; InputError otherwise.
    std::filesystem::path
    resolve_file(const std::string &file, const std::string &prm_source)
    {
      const std::filesystem::path given(file);
      if (std::filesystem::exists(given))
        return given;
      std::string where = "in the working directory";
      if (given.is_relative() && std::filesystem::is_regular_file(prm_source))
        {
          const std::filesystem::path beside
            = std::filesystem::path(prm_source).parent_path() / given;
          if (std::filesystem::exists(beside))
            return beside;
          where += " and next to the parameter file";
        }
      throw InputError(prm_source,
                       subsection + "File",
                       "cannot find the image '" + file + "' (looked "
                         + (given.is_absolute() ? std::string("at that path")
                                                : where)
                         + ")");
    }

    /// Phase map, cell size and format options of the image generators.
    ImageOptions
    image_options(const MicrostructureParameters &p,
                  const unsigned int              dim,
                  const std::string              &prm_source)
    {
      ImageOptions o;
      o.phase_map = PhaseMap(p.phase_map, prm_source, subsection + "Phase map");
      if (!p.physical_size.empty())
        o.size = p.size(dim);
      return o;
    }

    /// The ids of a raw or legacy VTK image through Phase map (identity
    /// when it is empty).
    Microstructure
    mapped(Microstructure                  image,
           const MicrostructureParameters &p,
           const std::string              &prm_source)
    {
      const PhaseMap map(p.phase_map, prm_source, subsection + "Phase map");
      if (map.is_identity())
        return image;
      const std::vector<PhaseId>       ids = image.data();
      const std::vector<std::uint64_t> grey(ids.begin(), ids.end());
      map.apply(grey, 0, image.n_voxels(), p.file, image.data());
      return image;
    }

    /// Fraction list of the laminate: Phase fractions, or (1 - f, f).
    std::vector<double>
    laminate_fractions(const MicrostructureParameters &p)
    {
      if (!p.phase_fractions.empty())
        return p.phase_fractions;
      return {1. - p.volume_fraction, p.volume_fraction};
    }

    using Factory
      = std::function<Microstructure(const MicrostructureParameters &,
                                     unsigned int,
                                     const std::string &)>;

    /// The generators by name, in the order shown to users.
    const std::vector<std::pair<std::string, Factory>> &
    factories()
    {
      static const std::vector<std::pair<std::string, Factory>> list
        = {{"laminate",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string &) {
              return laminate(dim,
                              p.voxel_counts(dim),
                              normal_index(p.laminate_normal),
                              laminate_fractions(p),
                              p.size(dim));
            }},
           {"sphere",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string &) {
              return centred_sphere(dim,
                                    p.voxel_counts(dim),
                                    p.volume_fraction,
                                    p.size(dim));
            }},
           {"random spheres",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string &) {
              RandomSpheresOptions o;
              o.volume_fraction = p.volume_fraction;
              o.radius          = p.radius;
              o.distribution
                = radius_distribution_from_string(p.radius_distribution);
              o.radius_standard_deviation = p.radius_standard_deviation;
              o.minimum_gap               = p.minimum_gap;
              o.seed                      = p.seed;
              return random_spheres(dim, p.voxel_counts(dim), o, p.size(dim));
            }},
           {"electrode",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string &) {
              ElectrodeOptions o;
              o.active_fraction = p.phase_fractions[0];
              o.binder_fraction = p.phase_fractions[1];
              o.radius          = p.radius;
              o.distribution
                = radius_distribution_from_string(p.radius_distribution);
              o.radius_standard_deviation = p.radius_standard_deviation;
              o.particle_overlap          = p.particle_overlap;
              o.seed                      = p.seed;
              return electrode(dim, p.voxel_counts(dim), o, p.size(dim));
            }},
           {"raw file",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string              &source) {
              return mapped(read_raw(resolve_file(p.file, source),
                                     dim,
                                     p.voxel_counts(dim),
                                     p.size(dim)),
                            p,
                            source);
            }},
           {"vtk file",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string              &source) {
              return mapped(read_vtk(resolve_file(p.file, source), dim),
                            p,
                            source);
            }},
           {"tiff file",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string              &source) {
              return read_tiff(resolve_file(p.file, source),
                               dim,
                               image_options(p, dim, source));
            }},
           {"hdf5 file",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string              &source) {
              return read_hdf5(resolve_file(p.file, source),
                               p.dataset,
                               dim,
                               image_options(p, dim, source));
            }},
           {"vti file",
            [](const MicrostructureParameters &p,
               unsigned                        dim,
               const std::string              &source) {
              return read_vti(resolve_file(p.file, source),
                              dim,
                              image_options(p, dim, source));
            }}};
      return list;
    }
  } // namespace

  std::vector<std::string>
  MicrostructureParameters::generator_names()
  {
    std::vector<std::string> names;
    for (const auto &[name, factory] : factories())
      names.push_back(name);
    return names;
  }

  void
  MicrostructureParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.enter_subsection("Microstructure");
    prm.add_parameter(
      "Generator",
      generator,
      "Where the voxel field comes from. laminate: layers of the phases of "
      "'Phase fractions' (or 1 - f, f with f = 'Volume fraction'), phase p "
      "is layer p from the face at 0; sphere: one centred sphere (disc in "
      "2D) of phase 1 in phase 0; random spheres: non-overlapping periodic "
      "spheres of phase 1 in phase 0; electrode: active particles 0, "
      "carbon-binder 1, pore 2; raw file: uint8 ids, x fastest, then y, then "
      "z; vtk file: legacy VTK STRUCTURED_POINTS; tiff file: a multi-page "
      "TIFF or a folder of TIFF slices in name order (8/16-bit grey); hdf5 "
      "file: the integer dataset 'Dataset' of an HDF5 file, shape (z, y, x); "
      "vti file: VTK XML ImageData. Images map grey values to phase ids "
      "through 'Phase map'.",
      Patterns::Selection(join(generator_names(), "|")));
    prm.add_parameter("Voxels per side",
                      voxels_per_side,
                      "Voxels in each direction (also the size of a raw "
                      "file), unless 'Voxels per direction' is given; "
                      "ignored for vtk, tiff, hdf5 and vti files, which state "
                      "their size. At most 4096.",
                      Patterns::Integer(1, max_voxels_per_side));
    prm.add_parameter(
      "Voxels per direction",
      voxels_per_direction,
      "Voxels in x, y (and z): one entry per direction for "
      "non-cubic grids and raw files; empty: 'Voxels per "
      "side' in every direction. At most 4096 each.",
      Patterns::List(Patterns::Integer(1, max_voxels_per_side), 0, 3, ","));
    prm.add_parameter(
      "Physical size",
      physical_size,
      "Edge lengths of the cell in m: empty for the unit cell, one value for "
      "all directions, or one per direction. Radius and Minimum gap are in "
      "the same unit. Ignored for vtk files (size = voxels x SPACING); for "
      "tiff, hdf5 and vti files it overrides the voxel size the file states "
      "(default: that voxel size, or the unit cell).",
      Patterns::List(Patterns::Double(0.), 0, 3, ","));
    prm.add_parameter(
      "Volume fraction",
      volume_fraction,
      "Target volume fraction of the inclusion phase 1 (sphere, "
      "random spheres, and laminate without 'Phase "
      "fractions'); must lie in (0,1).",
      Patterns::Double(0., 1.));
    prm.add_parameter("Laminate normal",
                      laminate_normal,
                      "Direction normal to the layers of the laminate.",
                      Patterns::Selection("x|y|z"));
    prm.add_parameter("Phase fractions",
                      phase_fractions,
                      "laminate: fraction of phase 0, 1, ... (two or more, "
                      "summing to 1); electrode: active material, "
                      "carbon-binder, pore (three, summing to 1).",
                      Patterns::List(Patterns::Double(0., 1.), 0, 256, ","));
    prm.add_parameter("Radius",
                      radius,
                      "Mean radius of random spheres and electrode particles, "
                      "in the unit of 'Physical size'.",
                      Patterns::Double(0.));
    prm.add_parameter("Radius distribution",
                      radius_distribution,
                      "Distribution of the radii; normal and lognormal take "
                      "'Radius' as the mean and are truncated to "
                      "(0, Radius + 3 standard deviations].",
                      Patterns::Selection("monodisperse|normal|lognormal"));
    prm.add_parameter("Radius standard deviation",
                      radius_standard_deviation,
                      "Standard deviation of the radius (not of its logarithm) "
                      "for normal and lognormal radii.",
                      Patterns::Double(0.));
    prm.add_parameter("Minimum gap",
                      minimum_gap,
                      "Smallest surface-to-surface distance between random "
                      "spheres, also across the periodic faces.",
                      Patterns::Double(0.));
    prm.add_parameter("Particle overlap",
                      particle_overlap,
                      "electrode: how far active particles may interpenetrate, "
                      "as a fraction of the sum of their radii (0: at most "
                      "touching); must lie in [0,1).",
                      Patterns::Double(0., 1.));
    prm.add_parameter("Seed",
                      seed,
                      "Seed of the random generators; equal seeds give equal "
                      "microstructures.",
                      Patterns::Integer(0, std::numeric_limits<int>::max()));
    prm.add_parameter("File",
                      file,
                      "Image for the file generators (a folder of slices for "
                      "'tiff file'). A relative path is looked up in the "
                      "working directory, then next to the parameter file.",
                      Patterns::Anything());
    prm.add_parameter("Dataset",
                      dataset,
                      "hdf5 file: path of the image dataset inside the file, "
                      "e.g. /exchange/data.",
                      Patterns::Anything());
    prm.add_parameter(
      "Phase map",
      phase_map,
      "Image files: grey value or inclusive range to phase id, e.g. '0:0, "
      "255:1' or '0-99:0, 100-255:1'; every grey value in the image must be "
      "mapped. Empty: grey values are the phase ids (0 to 255).",
      Patterns::Anything());
    prm.leave_subsection();
  }

  void
  MicrostructureParameters::check(const std::string &prm_source) const
  {
    const auto fail = [&](const std::string &entry, const std::string &reason) {
      throw InputError(prm_source, subsection + entry, reason);
    };

    const std::vector<std::string> names = generator_names();
    if (std::find(names.begin(), names.end(), generator) == names.end())
      fail("Generator",
           "unknown generator '" + generator
             + "'; allowed: " + join(names, ", "));
    if (!(volume_fraction > 0. && volume_fraction < 1.))
      fail("Volume fraction",
           "must lie in (0,1), got " + format_number(volume_fraction, 6));
    if (voxels_per_side < 1)
      fail("Voxels per side", "must be >= 1");
    for (const unsigned n : voxels_per_direction)
      if (n < 1)
        fail("Voxels per direction", "every entry must be >= 1");
    for (const double l : physical_size)
      if (!(l > 0.))
        fail("Physical size",
             "every edge length must be > 0, got " + format_number(l, 6));
    if (laminate_normal != "x" && laminate_normal != "y"
        && laminate_normal != "z")
      fail("Laminate normal",
           "must be x, y or z, got '" + laminate_normal + "'");
    if (!(radius > 0.))
      fail("Radius", "must be > 0, got " + format_number(radius, 6));
    if (radius_distribution != "monodisperse" && radius_distribution != "normal"
        && radius_distribution != "lognormal")
      fail("Radius distribution",
           "must be monodisperse, normal or lognormal, got '"
             + radius_distribution + "'");
    if (!(radius_standard_deviation >= 0.))
      fail("Radius standard deviation", "must be >= 0");
    if (!(minimum_gap >= 0.))
      fail("Minimum gap", "must be >= 0");
    if (!(particle_overlap >= 0. && particle_overlap < 1.))
      fail("Particle overlap",
           "must lie in [0,1), got " + format_number(particle_overlap, 6));

    double sum = 0.;
    for (const double f : phase_fractions)
      sum += f;
    if (generator == "laminate" && !phase_fractions.empty())
      {
        if (phase_fractions.size() < 2)
          fail("Phase fractions",
               "a laminate needs two or more fractions (or none, to use "
               "'Volume fraction')");
        for (const double f : phase_fractions)
          if (!(f > 0. && f < 1.))
            fail("Phase fractions",
                 "every laminate fraction must lie in (0,1), got "
                   + format_number(f, 6));
        if (std::abs(sum - 1.) > 1e-6)
          fail("Phase fractions",
               "the fractions must sum to 1, got " + format_number(sum, 6));
      }
    if (generator == "electrode")
      {
        if (phase_fractions.size() != 3)
          fail(
            "Phase fractions",
            "the electrode needs three fractions: active material, carbon-binder, pore; "
            "got "
              + std::to_string(phase_fractions.size()));
        if (!(phase_fractions[0] > 0. && phase_fractions[0] < 1.)
            || !(phase_fractions[1] >= 0.)
            || !(phase_fractions[2] > 0. && phase_fractions[2] < 1.))
          fail(
            "Phase fractions",
            "active and pore fractions must lie in (0,1) and carbon-binder in [0,1)");
        if (std::abs(sum - 1.) > 1e-6)
          fail("Phase fractions",
               "the fractions must sum to 1, got " + format_number(sum, 6));
      }
    const bool image
      = generator.size() > 5
        && generator.compare(generator.size() - 5, 5, " file") == 0;
    if (image && file.empty())
      fail("File", "must name an image for Generator = " + generator);
    if (generator == "hdf5 file" && dataset.empty())
      fail("Dataset",
           "must name the dataset inside the HDF5 file, e.g. /exchange/data");
    if (image)
      PhaseMap(phase_map, prm_source, subsection + "Phase map");
  }

  void
  MicrostructureParameters::check(unsigned int       dimension,
                                  const std::string &prm_source) const
  {
    if (dimension != 2 && dimension != 3)
      throw InputError(prm_source,
                       "Dimension",
                       "must be 2 or 3, got " + std::to_string(dimension));
    check(prm_source);
    const auto fail = [&](const std::string &entry, const std::string &reason) {
      throw InputError(prm_source, subsection + entry, reason);
    };
    if (!voxels_per_direction.empty()
        && voxels_per_direction.size() != dimension)
      fail("Voxels per direction",
           "needs " + std::to_string(dimension) + " entries in "
             + std::to_string(dimension) + "D (or none), got "
             + std::to_string(voxels_per_direction.size()));
    if (physical_size.size() > 1 && physical_size.size() != dimension)
      fail("Physical size",
           "needs one value or " + std::to_string(dimension) + " in "
             + std::to_string(dimension) + "D, got "
             + std::to_string(physical_size.size()));
    if (generator == "laminate" && dimension == 2 && laminate_normal == "z")
      fail("Laminate normal", "must be x or y in 2D");
  }

  std::array<unsigned, 3>
  MicrostructureParameters::voxel_counts(unsigned int dimension) const
  {
    std::array<unsigned, 3> n{
      {voxels_per_side, voxels_per_side, voxels_per_side}};
    if (voxels_per_direction.size() == dimension)
      for (unsigned d = 0; d < dimension; ++d)
        n[d] = voxels_per_direction[d];
    if (dimension == 2)
      n[2] = 1;
    return n;
  }

  std::array<double, 3>
  MicrostructureParameters::size(unsigned int dimension) const
  {
    std::array<double, 3> l{{1., 1., 1.}};
    if (physical_size.size() == 1)
      l = {{physical_size[0], physical_size[0], physical_size[0]}};
    else if (physical_size.size() == dimension)
      for (unsigned d = 0; d < dimension; ++d)
        l[d] = physical_size[d];
    if (dimension == 2)
      l[2] = 1.;
    return l;
  }

  std::vector<double>
  MicrostructureParameters::target_fractions() const
  {
    if (generator == "laminate")
      return laminate_fractions(*this);
    if (generator == "sphere" || generator == "random spheres")
      return {1. - volume_fraction, volume_fraction};
    if (generator == "electrode")
      return phase_fractions;
    return {};
  }

  Microstructure
  MicrostructureParameters::build(unsigned int       dimension,
                                  const std::string &prm_source) const
  {
    check(dimension, prm_source);
    const auto &list = factories();
    const auto  it
      = std::find_if(list.begin(), list.end(), [&](const auto &entry) {
          return entry.first == generator;
        });
    try
      {
        return it->second(*this, dimension, prm_source);
      }
    catch (const InputError &e)
      {
        if (e.source() != generator_error_source)
          throw;
        // The generator named the entry; the parameter file is the source.
        throw InputError(prm_source, e.key(), e.reason());
      }
  }
} // namespace scalebridge::microstructure
