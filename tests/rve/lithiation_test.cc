// The lithium site fraction of the RVE: cards with an electronic
// conductivity table are evaluated at Materials/Lithiation, cards with a
// constant are not affected, and a laminate conducts along its layers with
// the arithmetic mean of the phase conductivities at that lithiation (exact:
// the field is a uniform gradient). Run at 1 and 2 ranks.

#include <deal.II/base/mpi.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/rve/parameters.h>
#include <scalebridge/rve/phase_laws.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  /// s(x) of the active card below: 1e-3 S/m at x = 0 to 10 S/m at x = 1,
  /// log-linear.
  double
  active_sigma(const double x)
  {
    return 1e-3 * std::pow(1e4, x);
  }

  constexpr double binder_sigma = 50.;

  /// Writes an active card (electronic conductivity against x) and a binder
  /// card (constant electronic conductivity) into @p dir; returns their
  /// paths.
  std::vector<std::string>
  write_cards(const std::filesystem::path &dir)
  {
    const auto active = dir / "active.json", binder = dir / "binder.json";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        io::write_json(active, nlohmann::json::parse(R"({"name": "active",
          "transport": {"units": "S/m", "conductivity": 1e-6,
            "electronic_conductivity_vs_lithiation": {
              "x": [0, 1], "S_per_m": [1e-3, 10]}}})"));
        io::write_json(binder, nlohmann::json::parse(R"({"name": "binder",
          "transport": {"units": "S/m", "conductivity": 0.1,
                        "electronic_conductivity": 50}})"));
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return {active.string(), binder.string()};
  }

  /// 2D laminate of the two cards, layer normal y, electronic conduction
  /// only, periodic.
  rve::RveParameters
  laminate(const std::vector<std::string> &cards, const double lithiation)
  {
    rve::RveParameters p;
    p.dimension                      = 2;
    p.microstructure.generator       = "laminate";
    p.microstructure.voxels_per_side = 8;
    p.microstructure.volume_fraction = 0.25;
    p.microstructure.laminate_normal = "y";
    p.phase_cards                    = cards;
    p.carrier                        = "electronic";
    p.lithiation                     = lithiation;
    p.elasticity                     = false;
    p.conduction                     = true;
    p.boundary_conditions            = "periodic";
    p.tolerance                      = 1e-10;
    p.write_fields                   = false;
    p.deterministic                  = true;
    return p;
  }
} // namespace

TEST(RveLithiation, PhaseLawsFollowTheTable)
{
  const auto dir   = test_support::scratch_directory("rve_lithiation_laws");
  const auto cards = write_cards(dir);
  for (const double x : {0.0, 0.3, 1.0})
    {
      const rve::PhaseLaws laws
        = rve::read_phase_laws(cards, 298.15, x, "electronic", "test.prm");
      ASSERT_EQ(laws.size(), 2u);
      EXPECT_NEAR(laws.conductivity[0](0, 0),
                  active_sigma(x),
                  1e-14 * active_sigma(x));
      EXPECT_EQ(laws.conductivity[0](0, 1), 0.0);
      // The constant does not depend on x.
      EXPECT_EQ(laws.conductivity[1](1, 1), binder_sigma);
      // Ionic conduction ignores the lithiation.
      const rve::PhaseLaws ionic
        = rve::read_phase_laws(cards, 298.15, x, "ionic", "test.prm");
      EXPECT_EQ(ionic.conductivity[0](2, 2), 1e-6);
    }
  EXPECT_THROW(
    rve::read_phase_laws(cards, 298.15, 1.5, "electronic", "test.prm"),
    InputError);

  // Materials/Lithiation: default 1, checked to lie in [0, 1].
  rve::RveParameters p = laminate(cards, 1.0);
  EXPECT_EQ(rve::RveParameters().lithiation, 1.0);
  p.lithiation = -0.2;
  try
    {
      p.check("test.prm");
      ADD_FAILURE() << "lithiation -0.2 accepted";
    }
  catch (const InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("Materials/Lithiation"),
                std::string::npos)
        << e.what();
    }
}

TEST(RveLithiation, LaminateAlongLayersIsTheArithmeticMeanAtX)
{
  const auto dir   = test_support::scratch_directory("rve_lithiation_laminate");
  const auto cards = write_cards(dir);
  std::vector<double> along;
  for (const double x : {0.2, 0.9})
    {
      std::ostringstream   log;
      const rve::RveInput  input = rve::prepare_input(laminate(cards, x), "t");
      const nlohmann::json json
        = rve::run_homogenization(input, MPI_COMM_WORLD, log);
      const auto fractions = input.microstructure.volume_fractions(2);
      ASSERT_NEAR(fractions[0] + fractions[1], 1.0, 1e-15);
      ASSERT_GT(fractions[0], 0.);
      ASSERT_GT(fractions[1], 0.);
      const double s0         = active_sigma(x);
      const double arithmetic = fractions[0] * s0 + fractions[1] * binder_sigma;
      const double harmonic
        = 1 / (fractions[0] / s0 + fractions[1] / binder_sigma);
      const auto k = json.at("conductivity");
      EXPECT_NEAR(k[0][0].get<double>(), arithmetic, 1e-8 * arithmetic)
        << "x = " << x;
      EXPECT_NEAR(k[1][1].get<double>(), harmonic, 1e-6 * harmonic)
        << "x = " << x;
      EXPECT_EQ(json.at("lithiation").get<double>(), x);
      EXPECT_EQ(json.at("conductivity_carrier").get<std::string>(),
                "electronic");
      along.push_back(k[0][0].get<double>());
    }
  // The two lithiations differ in the active phase only.
  EXPECT_GT(along[1] - along[0], 0.);
}
