// Validation of material cards: every shipped card is accepted, and each kind
// of bad input is refused with a message naming the file and the key.

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>

#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"

using namespace scalebridge;
using nlohmann::json;

namespace
{
  /// Parses @p card and expects an InputError whose message contains the
  /// source name and every string of @p fragments.
  void
  expect_refused(const json &card, const std::vector<std::string> &fragments)
  {
    try
      {
        atomistic::parse_material_card(card, "bad_card.json");
        ADD_FAILURE() << "card accepted: " << card.dump();
      }
    catch (const InputError &e)
      {
        const std::string message = e.what();
        EXPECT_NE(message.find("bad_card.json"), std::string::npos) << message;
        for (const auto &fragment : fragments)
          EXPECT_NE(message.find(fragment), std::string::npos)
            << "'" << fragment << "' missing in: " << message;
      }
  }

  json
  cubic_card()
  {
    return json::parse(R"({"name": "c", "elastic": {"symmetry": "cubic",
      "units": "GPa", "C11": 200, "C12": 100, "C44": 50}})");
  }
} // namespace

TEST(MaterialCard, ShippedCardsAreValid)
{
  for (const char *name : {"lifepo4",
                           "graphite",
                           "lco",
                           "electrolyte_pore",
                           "carbon_binder",
                           "model_two_phase_landau"})
    {
      const auto path = test_support::source_path(
        std::string("inputs/materials/") + name + ".json");
      EXPECT_NO_THROW(atomistic::read_material_card(path)) << path;
    }
}

TEST(MaterialCard, OnlyNameIsRequired)
{
  const auto card = atomistic::parse_material_card(json{{"name", "x"}}, "s");
  EXPECT_EQ(card.name, "x");
  EXPECT_FALSE(card.elastic || card.transport || card.diffusion
               || card.thermodynamics || card.kinetics || card.uncertainty);
  expect_refused(json::object(), {"name", "missing"});
  expect_refused(json{{"name", ""}}, {"name"});
}

TEST(MaterialCard, UnitsAreConverted)
{
  const auto card = atomistic::parse_material_card(cubic_card(), "s");
  // Mandel C11 = Voigt C11; C44 carries the factor 2 of the shear rows.
  EXPECT_DOUBLE_EQ(card.elastic->stiffness_mandel[0][0], 200e9);
  EXPECT_DOUBLE_EQ(card.elastic->stiffness_mandel[3][3], 2 * 50e9);

  json pa                = cubic_card();
  pa["elastic"]["units"] = "Pa";
  pa["elastic"]["C11"]   = 200e9;
  pa["elastic"]["C12"]   = 100e9;
  pa["elastic"]["C44"]   = 50e9;
  const auto card_pa     = atomistic::parse_material_card(pa, "s");
  EXPECT_DOUBLE_EQ(card_pa.elastic->stiffness_mandel[0][1], 100e9);

  const auto transport = atomistic::parse_material_card(
    json::parse(R"({"name": "t", "transport": {"units": "mS/cm",
                    "conductivity": 10}})"),
    "s");
  EXPECT_DOUBLE_EQ(transport.transport->conductivity[1][1], 1.0); // 10 mS/cm
}

TEST(MaterialCard, RotatedCrystalKeepsInvariants)
{
  // Zener ratio 2 C44 / (C11 - C12) = 1.6: truly anisotropic.
  json rotated                           = cubic_card();
  rotated["elastic"]["C44"]              = 80;
  rotated["elastic"]["euler_angles_deg"] = {45, 0, 0};
  const auto card = atomistic::parse_material_card(rotated, "s");
  // Cubic crystal turned 45 degrees about z: C11' = (C11+C12)/2 + C44,
  // C12' = (C11+C12)/2 - C44, C66' = (C11-C12)/2; C33 and C44 unchanged.
  const auto   C = elasticity::mandel_to_voigt(card.elastic->stiffness_mandel);
  const double tolerance = 1e-12 * 200e9; // round-off of the rotation
  EXPECT_NEAR(C[0][0], 150e9 + 80e9, tolerance);
  EXPECT_NEAR(C[0][1], 150e9 - 80e9, tolerance);
  EXPECT_NEAR(C[5][5], 50e9, tolerance);
  EXPECT_NEAR(C[2][2], 200e9, tolerance);
  EXPECT_NEAR(C[3][3], 80e9, tolerance);
}

TEST(MaterialCard, RefusesUnknownKeysAndMissingUnits)
{
  json card      = cubic_card();
  card["elastc"] = json::object();
  expect_refused(card, {"elastc", "unknown key"});

  card                   = cubic_card();
  card["elastic"]["C13"] = 10;
  expect_refused(card, {"elastic/C13", "unknown key"});

  card = cubic_card();
  card["elastic"].erase("units");
  expect_refused(card, {"elastic/units", "GPa"});

  expect_refused(json::parse(R"({"name": "t",
                   "transport": {"conductivity": 1}})"),
                 {"transport/units"});
  expect_refused(json::parse(R"({"name": "t",
                   "transport": {"units": "ohm", "conductivity": 1}})"),
                 {"transport/units", "S/m"});
}

TEST(MaterialCard, RefusesUnstableOrInconsistentStiffness)
{
  // Cubic Born stability needs C11 > |C12|.
  json card              = cubic_card();
  card["elastic"]["C12"] = 250;
  expect_refused(card, {"positive definite", "Born"});

  card                   = cubic_card();
  card["elastic"]["C44"] = -5;
  expect_refused(card, {"Born"});

  // Not symmetric.
  json matrix = json::array();
  for (int i = 0; i < 6; ++i)
    {
      json row = json::array();
      for (int j = 0; j < 6; ++j)
        row.push_back(i == j ? 100.0 : 0.0);
      matrix.push_back(row);
    }
  matrix[0][1] = 30.0;
  json triclinic
    = {{"name", "m"},
       {"elastic",
        {{"symmetry", "triclinic"}, {"units", "GPa"}, {"matrix", matrix}}}};
  expect_refused(triclinic, {"elastic/matrix", "symmetric"});

  // A matrix that is orthorhombic but stated cubic.
  matrix[1][0]                        = 30.0;
  json stated_cubic                   = triclinic;
  stated_cubic["elastic"]["symmetry"] = "cubic";
  stated_cubic["elastic"]["matrix"]   = matrix;
  expect_refused(stated_cubic, {"elastic/matrix", "contradicts", "cubic"});
  stated_cubic["elastic"]["symmetry"] = "triclinic";
  EXPECT_NO_THROW(atomistic::parse_material_card(stated_cubic, "s"));

  // Hexagonal with a C66 that is not (C11 - C12)/2.
  json hex = json::parse(R"({"name": "h", "elastic": {"symmetry": "hexagonal",
    "units": "GPa", "C11": 300, "C12": 100, "C13": 50, "C33": 250,
    "C44": 60, "C66": 120}})");
  expect_refused(hex, {"elastic/C66", "hexagonal"});
  hex["elastic"]["C66"] = 100;
  EXPECT_NO_THROW(atomistic::parse_material_card(hex, "s"));
  // C14 belongs to trigonal, not hexagonal, symmetry.
  hex["elastic"]["C14"] = 10;
  expect_refused(hex, {"elastic/C14"});

  // Trigonal (-3m): the constants give the trigonal pattern; a C66 that is
  // not (C11 - C12)/2 and a matrix with C24 != -C14 are refused.
  json trig = json::parse(R"({"name": "t", "elastic": {"symmetry": "trigonal",
    "units": "GPa", "C11": 300, "C12": 100, "C13": 80, "C14": 15,
    "C33": 250, "C44": 60}})");
  const atomistic::MaterialCard t = atomistic::parse_material_card(trig, "s");
  const auto C = elasticity::mandel_to_voigt(t.elastic->stiffness_mandel);
  const auto expected
    = elasticity::trigonal_stiffness(300, 100, 80, 15, 250, 60);
  for (unsigned I = 0; I < 6; ++I)
    for (unsigned J = 0; J < 6; ++J)
      EXPECT_NEAR(C[I][J], 1e9 * expected[I][J], 1e-14 * 300e9);
  EXPECT_DOUBLE_EQ(C[1][3], -15e9);
  EXPECT_DOUBLE_EQ(C[4][5], 15e9);
  trig["elastic"]["C66"] = 110;
  expect_refused(trig, {"elastic/C66", "trigonal"});
  json trig_matrix       = trig;
  trig_matrix["elastic"] = json::parse(R"({"symmetry": "trigonal",
    "units": "GPa", "matrix": [[300, 100, 80, 15, 0, 0], [100, 300, 80, 15, 0,
    0], [80, 80, 250, 0, 0, 0], [15, 15, 0, 60, 0, 0], [0, 0, 0, 0, 60, 15],
    [0, 0, 0, 0, 15, 100]]})");
  expect_refused(trig_matrix, {"elastic/matrix", "contradicts", "trigonal"});
  trig_matrix["elastic"]["matrix"][1][3] = -15;
  trig_matrix["elastic"]["matrix"][3][1] = -15;
  EXPECT_NO_THROW(atomistic::parse_material_card(trig_matrix, "s"));

  // Isotropic Poisson ratio at the stability limit.
  expect_refused(json::parse(R"({"name": "i", "elastic": {"symmetry":
    "isotropic", "units": "GPa", "E": 10, "nu": 0.5}})"),
                 {"elastic/nu", "(-1, 0.5)"});
}

TEST(MaterialCard, RefusesBadDiffusionThermoKinetics)
{
  const json diffusion = json::parse(R"({"name": "d", "diffusion": {
    "migration_barrier_eV": 0.3, "attempt_frequency_Hz": 1e13,
    "jump_distance_m": 3e-10, "coordination": 2}})");
  EXPECT_NO_THROW(atomistic::parse_material_card(diffusion, "s"));
  json bad                                 = diffusion;
  bad["diffusion"]["migration_barrier_eV"] = -0.1;
  expect_refused(bad, {"diffusion/migration_barrier_eV", ">= 0"});
  bad                                    = diffusion;
  bad["diffusion"]["correlation_factor"] = 1.5;
  expect_refused(bad, {"diffusion/correlation_factor", "(0, 1]"});
  bad = diffusion;
  bad["diffusion"].erase("jump_distance_m");
  expect_refused(bad, {"diffusion/jump_distance_m", "missing"});

  expect_refused(json::parse(R"({"name": "k", "kinetics": {
    "i0_A_per_m2": 1, "symmetry_factor": 1.0}})"),
                 {"kinetics/symmetry_factor", "(0, 1)"});
  expect_refused(json::parse(R"({"name": "k", "kinetics": {
    "i0_A_per_m2": 1, "activation_energy_eV": 0.3,
    "prefactor_A_per_m2": 1e5, "symmetry_factor": 0.5}})"),
                 {"kinetics"});
  expect_refused(json::parse(R"({"name": "k", "kinetics": {
    "i0_A_per_m2": -1, "symmetry_factor": 0.5}})"),
                 {"kinetics/i0_A_per_m2", "> 0"});

  expect_refused(json::parse(R"({"name": "t", "thermodynamics": {
    "model": "ideal"}})"),
                 {"thermodynamics/model", "regular_solution"});
  expect_refused(json::parse(R"({"name": "t", "thermodynamics": {
    "reference_potential_eV": 0}})"),
                 {"thermodynamics"});
  expect_refused(json::parse(R"({"name": "t", "thermodynamics": {
    "ocv_table": {"x": [0.1, 0.1, 0.2], "U_V": [4, 3.9, 3.8]}}})"),
                 {"thermodynamics/ocv_table/x", "increasing"});
  expect_refused(json::parse(R"({"name": "t", "thermodynamics": {
    "ocv_table": {"x": [0.1, 0.2], "U_V": [4]}}})"),
                 {"thermodynamics/ocv_table/U_V"});
}

TEST(MaterialCard, RefusesBadCovariance)
{
  const json base = json::parse(R"({"name": "u",
    "diffusion": {"migration_barrier_eV": 0.3, "attempt_frequency_Hz": 1e13,
      "jump_distance_m": 3e-10, "coordination": 2},
    "kinetics": {"i0_A_per_m2": 1, "symmetry_factor": 0.5},
    "uncertainty": {"parameters": ["diffusion.migration_barrier_eV",
                                   "kinetics.i0_A_per_m2"],
                    "covariance": [[1e-4, 0], [0, 0.01]]}})");
  const auto card = atomistic::parse_material_card(base, "s");
  ASSERT_TRUE(card.uncertainty);
  EXPECT_EQ(card.uncertainty->mean[0], 0.3);
  EXPECT_EQ(card.uncertainty->mean[1], 1.0);

  json bad                         = base;
  bad["uncertainty"]["covariance"] = {{1e-4, 1e-3}, {0, 0.01}};
  expect_refused(bad, {"uncertainty/covariance", "symmetric"});
  // Correlation 5 > 1: symmetric but indefinite.
  bad["uncertainty"]["covariance"] = {{1e-4, 5e-3}, {5e-3, 0.01}};
  expect_refused(bad, {"uncertainty/covariance", "positive semi-definite"});
  bad["uncertainty"]["covariance"] = {{1e-4}};
  expect_refused(bad, {"uncertainty/covariance", "2 x 2"});
  bad                                 = base;
  bad["uncertainty"]["parameters"][1] = "kinetics.alpha";
  expect_refused(bad, {"uncertainty/parameters", "kinetics.alpha"});
}

TEST(MaterialCard, WithParametersRevalidates)
{
  const auto card = atomistic::read_material_card(
    test_support::source_path("inputs/materials/lifepo4.json"));
  const auto changed
    = card.with_parameters({"diffusion.migration_barrier_eV"}, {0.5});
  EXPECT_EQ(changed.diffusion->barrier_eV, 0.5);
  EXPECT_EQ(changed.parameter("diffusion.migration_barrier_eV"), 0.5);
  EXPECT_THROW(card.with_parameters({"diffusion.migration_barrier_eV"}, {-1}),
               InputError);
  EXPECT_THROW(card.parameter("diffusion.nonexistent"), InputError);
}
