// The `subsection Microstructure` entries, check() and the factory behind
// build(), driven through a deal.II ParameterHandler as the RVE tool does.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/generators.h>
#include <scalebridge/microstructure/image_io.h>
#include <scalebridge/microstructure/parameters.h>

#include <gtest/gtest.h>

#include <fstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::microstructure;

namespace
{
  /// Declares the entries in a fresh handler, parses @p text (the body of
  /// `subsection Microstructure`) into @p p.
  void
  parse(MicrostructureParameters &p, const std::string &body)
  {
    dealii::ParameterHandler prm;
    p.add_parameters(prm);
    prm.parse_input_from_string("subsection Microstructure\n" + body
                                + "\nend\n");
  }

  MicrostructureParameters
  parsed(const std::string &body)
  {
    MicrostructureParameters p;
    parse(p, body);
    return p;
  }

  /// The InputError of build() (source, key, message), or empty strings.
  struct Failure
  {
    std::string source, key, message;
  };

  Failure
  build_failure(const MicrostructureParameters &p,
                unsigned                        dim,
                const std::string              &source = "rve.prm")
  {
    try
      {
        p.build(dim, source);
      }
    catch (const InputError &e)
      {
        return {e.source(), e.key(), e.what()};
      }
    return {};
  }

  bool
  contains(const std::string &text, const std::string &part)
  {
    return text.find(part) != std::string::npos;
  }
} // namespace

TEST(MicrostructureParameters, DeclaresTheUserInterfaceNames)
{
  const MicrostructureParameters p
    = parsed("set Generator = laminate\n"
             "set Voxels per side = 12\n"
             "set Voxels per direction = 4, 5, 6\n"
             "set Physical size = 2, 3, 4\n"
             "set Volume fraction = 0.4\n"
             "set Laminate normal = z\n"
             "set Phase fractions = 0.5, 0.25, 0.25\n"
             "set Radius = 0.2\n"
             "set Radius distribution = lognormal\n"
             "set Radius standard deviation = 0.05\n"
             "set Minimum gap = 0.01\n"
             "set Particle overlap = 0.2\n"
             "set Seed = 17\n"
             "set File = image.raw");
  EXPECT_EQ(p.generator, "laminate");
  EXPECT_EQ(p.voxels_per_side, 12u);
  EXPECT_EQ(p.voxels_per_direction, (std::vector<unsigned>{4, 5, 6}));
  EXPECT_EQ(p.physical_size, (std::vector<double>{2., 3., 4.}));
  EXPECT_EQ(p.volume_fraction, 0.4);
  EXPECT_EQ(p.laminate_normal, "z");
  EXPECT_EQ(p.phase_fractions, (std::vector<double>{0.5, 0.25, 0.25}));
  EXPECT_EQ(p.radius, 0.2);
  EXPECT_EQ(p.radius_distribution, "lognormal");
  EXPECT_EQ(p.radius_standard_deviation, 0.05);
  EXPECT_EQ(p.minimum_gap, 0.01);
  EXPECT_EQ(p.particle_overlap, 0.2);
  EXPECT_EQ(p.seed, 17u);
  EXPECT_EQ(p.file, "image.raw");
  EXPECT_EQ(p.voxel_counts(3), (std::array<unsigned, 3>{{4, 5, 6}}));
  EXPECT_EQ(p.size(3), (std::array<double, 3>{{2., 3., 4.}}));
  EXPECT_EQ(MicrostructureParameters::generator_names(),
            (std::vector<std::string>{"laminate",
                                      "sphere",
                                      "random spheres",
                                      "electrode",
                                      "raw file",
                                      "vtk file",
                                      "tiff file",
                                      "hdf5 file",
                                      "vti file"}));
}

TEST(MicrostructureParameters, DefaultsBuildACentredSphere)
{
  const MicrostructureParameters p = parsed("");
  const Microstructure           m = p.build(3, "rve.prm");
  EXPECT_EQ(m.n_voxels(), (std::array<unsigned, 3>{{32, 32, 32}}));
  EXPECT_EQ(m, centred_sphere(3, {{32, 32, 32}}, 0.3));
  EXPECT_EQ(p.target_fractions(), (std::vector<double>{0.7, 0.3}));
  const Microstructure m2 = p.build(2, "rve.prm");
  EXPECT_EQ(m2.n_voxels(), (std::array<unsigned, 3>{{32, 32, 1}}));
}

TEST(MicrostructureParameters, EveryGeneratorBuilds)
{
  {
    const auto p = parsed("set Generator = laminate\nset Voxels per side = 10\n"
                          "set Laminate normal = y\nset Volume fraction = 0.3");
    const auto m = p.build(2, "rve.prm");
    EXPECT_EQ(m, laminate(2, {{10, 10, 1}}, 1, {0.7, 0.3}));
    EXPECT_EQ(p.target_fractions(), (std::vector<double>{0.7, 0.3}));
  }
  {
    const auto p
      = parsed("set Generator = random spheres\nset Voxels per side = 24\n"
               "set Volume fraction = 0.2\nset Radius = 0.12\nset Seed = 3\n"
               "set Physical size = 2");
    RandomSpheresOptions o;
    o.volume_fraction = 0.2;
    o.radius          = 0.12;
    o.seed            = 3;
    EXPECT_EQ(p.build(3, "rve.prm"),
              random_spheres(3, {{24, 24, 24}}, o, {{2., 2., 2.}}));
  }
  {
    const auto p
      = parsed("set Generator = electrode\nset Voxels per side = 24\n"
               "set Phase fractions = 0.5, 0.1, 0.4\nset Radius = 0.15");
    const auto m = p.build(3, "rve.prm");
    EXPECT_EQ(m.n_phases(), 3u);
    EXPECT_EQ(p.target_fractions(), (std::vector<double>{0.5, 0.1, 0.4}));
  }
}

TEST(MicrostructureParameters, ImagesRelativeToTheParameterFile)
{
  const auto     dir = test_support::scratch_directory("micro_prm_images");
  Microstructure m(3, {{4, 3, 2}});
  m.set_phase(3, 2, 1, 1);
  write_raw(m, dir / "images" / "cell.raw");
  write_vtk(m, dir / "images" / "cell.vtk");
  const std::string prm_file = (dir / "rve.prm").string();
  std::ofstream(prm_file) << "# stand-in for the RVE parameter file\n";

  auto p = parsed("set Generator = raw file\nset File = images/cell.raw\n"
                  "set Voxels per direction = 4, 3, 2");
  EXPECT_EQ(p.build(3, prm_file), m);
  EXPECT_TRUE(p.target_fractions().empty());
  p.generator = "vtk file";
  p.file      = (dir / "images" / "cell.vtk").string(); // absolute
  EXPECT_EQ(p.build(3, prm_file).data(), m.data());

  p.file               = "images/none.raw";
  const Failure failed = build_failure(p, 3, prm_file);
  EXPECT_EQ(failed.key, "Microstructure/File");
  EXPECT_TRUE(contains(failed.message, "none.raw")) << failed.message;
}

TEST(MicrostructureParameters, RawFileOfTheWrongSize)
{
  const auto     dir = test_support::scratch_directory("micro_prm_raw_size");
  Microstructure m(3, {{4, 4, 4}});
  write_raw(m, dir / "cell.raw");
  auto p = parsed("set Generator = raw file\nset Voxels per side = 5");
  p.file = (dir / "cell.raw").string();
  const Failure failed = build_failure(p, 3);
  EXPECT_TRUE(contains(failed.source, "cell.raw")) << failed.source;
  EXPECT_TRUE(contains(failed.message, "64 bytes")) << failed.message;
  EXPECT_TRUE(contains(failed.message, "125 bytes")) << failed.message;
}

TEST(MicrostructureParameters, BadValuesNameEntryAndRange)
{
  // Outside [0,1] the pattern rejects the value when the file is read; the
  // open ends are check()'s job.
  MicrostructureParameters p;
  EXPECT_ANY_THROW(parse(p, "set Volume fraction = 1.5"));
  EXPECT_ANY_THROW(parse(p, "set Generator = voronoi"));
  for (const double f : {0., 1.})
    {
      p.volume_fraction    = f;
      const Failure failed = build_failure(p, 3);
      EXPECT_EQ(failed.source, "rve.prm");
      EXPECT_EQ(failed.key, "Microstructure/Volume fraction");
      EXPECT_TRUE(contains(failed.message, "(0,1)")) << failed.message;
      EXPECT_THROW(p.check(), InputError);
    }

  // Set by code rather than read from a file, an unknown name still fails.
  p              = MicrostructureParameters();
  p.generator    = "voronoi";
  Failure failed = build_failure(p, 3);
  EXPECT_EQ(failed.key, "Microstructure/Generator");
  EXPECT_TRUE(contains(failed.message,
                       "laminate, sphere, random spheres, electrode, raw file, "
                       "vtk file"))
    << failed.message;

  const auto key_of = [](const std::string &body, unsigned dim) {
    return build_failure(parsed(body), dim).key;
  };
  EXPECT_EQ(key_of("set Generator = laminate\nset Laminate normal = z", 2),
            "Microstructure/Laminate normal");
  EXPECT_EQ(key_of("set Generator = laminate\nset Phase fractions = 0.5, 0.6",
                   3),
            "Microstructure/Phase fractions");
  EXPECT_EQ(key_of("set Generator = electrode", 3),
            "Microstructure/Phase fractions");
  EXPECT_EQ(
    key_of("set Generator = electrode\nset Phase fractions = 0.6, 0.1, 0.2", 3),
    "Microstructure/Phase fractions");
  EXPECT_EQ(key_of("set Voxels per direction = 4, 4", 3),
            "Microstructure/Voxels per direction");
  EXPECT_EQ(key_of("set Physical size = 1, 2", 3),
            "Microstructure/Physical size");
  EXPECT_EQ(key_of("set Generator = raw file", 3), "Microstructure/File");
  EXPECT_EQ(build_failure(parsed(""), 4).key, "Dimension");
}

TEST(MicrostructureParameters, GeneratorFailuresNameTheParameterFile)
{
  // The sphere does not fit, random sequential addition jams: both are
  // reported against the parameter file and the entry to change.
  Failure failed = build_failure(parsed("set Volume fraction = 0.6"), 3);
  EXPECT_EQ(failed.source, "rve.prm");
  EXPECT_EQ(failed.key, "Microstructure/Volume fraction");
  EXPECT_EQ(failed.message.rfind(
              "rve.prm: 'Microstructure/Volume fraction': a centred sphere", 0),
            0u)
    << failed.message;

  failed = build_failure(
    parsed("set Generator = random spheres\nset Volume fraction = 0.5\n"
           "set Radius = 0.1"),
    3);
  EXPECT_EQ(failed.source, "rve.prm");
  EXPECT_EQ(failed.key, "Microstructure/Volume fraction");
}
