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

namespace
{
  /// A card with a transport block holding @p transport_extra.
  json
  transport_card(const json &transport_extra)
  {
    json card = {{"name", "t"},
                 {"transport", {{"units", "S/m"}, {"conductivity", 1e-6}}}};
    for (const auto &[key, value] : transport_extra.items())
      card["transport"][key] = value;
    return card;
  }

  json
  table(const std::vector<double> &x, const std::vector<double> &sigma)
  {
    return {{"x", x}, {"S_per_m", sigma}};
  }

  /// A cubic card with a thermodynamics block (c_max) and @p swelling.
  json
  swelling_card(const json &swelling)
  {
    json card              = cubic_card();
    card["thermodynamics"] = {{"model", "regular_solution"},
                              {"omega_eV", 0.1},
                              {"mu0_eV", -3.4},
                              {"max_concentration_mol_per_m3", 20000}};
    card["swelling"]       = swelling;
    return card;
  }
} // namespace

TEST(MaterialCard, ElectronicConductivityTableIsLogLinear)
{
  const auto card = atomistic::parse_material_card(
    transport_card({{"electronic_conductivity_vs_lithiation",
                     table({0.0, 0.5, 0.75, 1.0}, {1e-9, 1e-5, 2e-3, 1e-7})}}),
    "s");
  ASSERT_TRUE(card.transport->electronic_conductivity_vs_lithiation);
  EXPECT_TRUE(card.transport->has_electronic_conductivity());
  EXPECT_FALSE(card.transport->electronic_conductivity);
  const auto sigma = [&](const double x) {
    return card.transport->electronic_conductivity_at(x);
  };
  // Exact at the points.
  EXPECT_EQ(sigma(0.0)[0][0], 1e-9);
  EXPECT_EQ(sigma(0.5)[1][1], 1e-5);
  EXPECT_EQ(sigma(0.75)[2][2], 2e-3);
  EXPECT_EQ(sigma(1.0)[0][0], 1e-7);
  // Linear in log10 between them: log10 s(0.1) = -9 + 0.2 (-5 + 9).
  EXPECT_NEAR(std::log10(sigma(0.1)[0][0]), -8.2, 1e-12);
  EXPECT_NEAR(sigma(0.25)[0][0], 1e-7, 1e-12 * 1e-7); // geometric mean
  EXPECT_NEAR(std::log10(sigma(0.6)[0][0]),
              -5 + 0.4 * (std::log10(2e-3) + 5),
              1e-12);
  EXPECT_NEAR(std::log10(sigma(0.875)[0][0]),
              0.5 * (std::log10(2e-3) - 7),
              1e-12);
  // Isotropic without a constant tensor.
  const auto s = sigma(0.3);
  for (unsigned i = 0; i < 3; ++i)
    for (unsigned j = 0; j < 3; ++j)
      EXPECT_EQ(s[i][j], i == j ? s[0][0] : 0.0);
  // x outside [0, 1] is a caller error.
  EXPECT_THROW(sigma(-0.01), std::invalid_argument);
  EXPECT_THROW(sigma(1.01), std::invalid_argument);
  EXPECT_THROW(sigma(std::nan("")), std::invalid_argument);

  // A table that does not cover [0, 1] is held at its end values, and is
  // in S/m whatever the block's units.
  json clamped = transport_card(
    {{"electronic_conductivity_vs_lithiation", table({0.2, 0.8}, {1, 100})}});
  clamped["transport"]["units"] = "mS/cm";
  const auto c                  = atomistic::parse_material_card(clamped, "s");
  EXPECT_EQ(c.transport->electronic_conductivity_at(0.0)[0][0], 1.0);
  EXPECT_EQ(c.transport->electronic_conductivity_at(0.2)[0][0], 1.0);
  EXPECT_NEAR(c.transport->electronic_conductivity_at(0.5)[0][0], 10, 1e-12);
  EXPECT_EQ(c.transport->electronic_conductivity_at(1.0)[0][0], 100.0);
}

TEST(MaterialCard, ConstantElectronicConductivityIsUnchanged)
{
  // Constant only: the same tensor at every x, as before the table existed.
  json tensor = transport_card(
    {{"electronic_conductivity", {{2, 0.5, 0}, {0.5, 3, 0}, {0, 0, 4}}}});
  tensor["transport"]["units"] = "S/cm";
  const auto card              = atomistic::parse_material_card(tensor, "s");
  ASSERT_TRUE(card.transport->electronic_conductivity);
  for (const double x : {0.0, 0.37, 1.0})
    EXPECT_EQ(card.transport->electronic_conductivity_at(x),
              *card.transport->electronic_conductivity);
  EXPECT_EQ((*card.transport->electronic_conductivity)[0][1], 50.0);

  // Table and constant tensor: the tensor gives the anisotropy, the table
  // the mean (trace / 3); the constant itself stays as given.
  tensor["transport"]["electronic_conductivity_vs_lithiation"]
    = table({0, 1}, {1e-3, 1e1});
  const auto both = atomistic::parse_material_card(tensor, "s");
  EXPECT_EQ((*both.transport->electronic_conductivity)[2][2], 400.0);
  const auto at = both.transport->electronic_conductivity_at(0.5);
  EXPECT_NEAR(dealii::trace(at) / 3, 0.1, 1e-14);
  const dealii::Tensor<2, 3> expected
    = 0.1 / 300. * *both.transport->electronic_conductivity;
  EXPECT_LT((at - expected).norm(), 1e-14 * expected.norm());
  // ... and rotates with the block's euler angles.
  tensor["transport"]["electronic_conductivity"]
    = {{1, 0, 0}, {0, 2, 0}, {0, 0, 3}};
  tensor["transport"]["euler_angles_deg"] = {90, 0, 0};
  const auto rotated = atomistic::parse_material_card(tensor, "s");
  const auto r       = rotated.transport->electronic_conductivity_at(1.0);
  EXPECT_NEAR(r[0][0], 10 * 2 / 2., 1e-12);
  EXPECT_NEAR(r[1][1], 10 * 1 / 2., 1e-12);
  EXPECT_NEAR(r[2][2], 10 * 3 / 2., 1e-12);

  // The shipped LiFePO4 table ends at the card's constant, so RVE results at
  // the default lithiation x = 1 are those of the constant.
  const auto lfp = atomistic::read_material_card(
    test_support::source_path("inputs/materials/lifepo4.json"));
  EXPECT_EQ(lfp.transport->electronic_conductivity_at(1.0),
            *lfp.transport->electronic_conductivity);
  EXPECT_EQ(lfp.transport->electronic_conductivity_at(0.0)[1][1], 1e-9);
  EXPECT_NEAR(lfp.transport->electronic_conductivity_at(0.5)[1][1],
              1e-8,
              1e-12 * 1e-8);
  const auto lco = atomistic::read_material_card(
    test_support::source_path("inputs/materials/lco.json"));
  EXPECT_EQ(lco.transport->electronic_conductivity_at(0.3)[0][0], 1e4);
  EXPECT_EQ(lco.transport->electronic_conductivity_at(1.0)[0][0], 0.1);

  // No electronic conductivity at all: an InputError naming card and key.
  const auto none
    = atomistic::parse_material_card(transport_card(json::object()), "n.json");
  EXPECT_FALSE(none.transport->has_electronic_conductivity());
  try
    {
      none.transport->electronic_conductivity_at(0.5);
      ADD_FAILURE() << "no error without an electronic conductivity";
    }
  catch (const InputError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("n.json"), std::string::npos) << message;
      EXPECT_NE(message.find("transport/electronic_conductivity"),
                std::string::npos)
        << message;
    }
}

TEST(MaterialCard, RefusesBadConductivityTable)
{
  const std::string key = "transport/electronic_conductivity_vs_lithiation";
  const auto        bad = [](const json &t) {
    return transport_card({{"electronic_conductivity_vs_lithiation", t}});
  };
  expect_refused(bad(table({0, 0.5, 0.5, 1}, {1, 2, 3, 4})),
                 {key + "/x", "strictly increasing"});
  expect_refused(bad(table({0, 0.6, 0.4}, {1, 2, 3})),
                 {key + "/x", "strictly increasing"});
  expect_refused(bad(table({0, 1}, {1e-9, -1e-7})), {key + "/S_per_m", "> 0"});
  expect_refused(bad(table({0, 1}, {0, 1e-7})), {key + "/S_per_m", "> 0"});
  expect_refused(bad(table({-0.1, 1}, {1, 2})), {key + "/x", "[0, 1]"});
  expect_refused(bad(table({0, 1.2}, {1, 2})), {key + "/x", "[0, 1]"});
  expect_refused(bad(table({0, 0.5, 1}, {1, 2})), {key + "/S_per_m", "3"});
  expect_refused(bad(table({0.5}, {1})), {key + "/x", "two points"});
  expect_refused(bad({{"x", {0, 1}}, {"sigma", {1, 2}}}),
                 {key + "/sigma", "unknown key"});
  expect_refused(bad({{"x", {0, 1}}}), {key + "/S_per_m", "missing"});
  expect_refused(bad(json::array()), {key, "object"});
  // A constant tensor without trace cannot set the table's anisotropy.
  json zero = bad(table({0, 1}, {1, 2}));
  zero["transport"]["electronic_conductivity"]
    = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  expect_refused(zero, {"transport/electronic_conductivity", "trace"});
  zero["transport"]["electronic_conductivity"] = 0;
  expect_refused(zero, {"transport/electronic_conductivity", "> 0"});
  // A misspelt block name is an unknown key.
  expect_refused(transport_card(
                   {{"electronic_conductivity_vs_x", table({0, 1}, {1, 2})}}),
                 {"transport/electronic_conductivity_vs_x", "unknown key"});
}

TEST(MaterialCard, SwellingTensorIsLinearInLithiation)
{
  const json eps  = {{0.05, 0.01, 0}, {0.01, 0.03, 0}, {0, 0, -0.02}};
  const auto card = atomistic::parse_material_card(
    swelling_card({{"strain_at_full_lithiation", eps}}), "s");
  ASSERT_TRUE(card.swelling);
  EXPECT_FALSE(card.swelling->partial_molar_volume_m3_per_mol);
  for (unsigned i = 0; i < 3; ++i)
    for (unsigned j = 0; j < 3; ++j)
      {
        const double e = eps[i][j].get<double>();
        EXPECT_EQ(card.swelling->strain_at(1.0)[i][j], e);
        EXPECT_EQ(card.swelling->strain_at(0.0)[i][j], 0.0);
        EXPECT_DOUBLE_EQ(card.swelling->strain_at(0.3)[i][j], 0.3 * e);
      }
  // Linear: eps(x1 + x2) = eps(x1) + eps(x2).
  const auto sum
    = card.swelling->strain_at(0.25) + card.swelling->strain_at(0.5);
  EXPECT_LT((sum - card.swelling->strain_at(0.75)).norm(), 1e-16);
  EXPECT_NEAR(card.swelling->volumetric_strain_at(1.0), 0.06, 1e-15);
  EXPECT_NEAR(card.swelling->volumetric_strain_at(0.5), 0.03, 1e-15);
  EXPECT_THROW(card.swelling->strain_at(1.5), std::invalid_argument);

  // Rotated with the elastic block's orientation: 90 degrees about z swaps
  // the x and y axes.
  json rotated = swelling_card({{"strain_at_full_lithiation",
                                 {{0.05, 0, 0}, {0, 0.03, 0}, {0, 0, -0.02}}}});
  rotated["elastic"]["euler_angles_deg"] = {90, 0, 0};
  const auto r = atomistic::parse_material_card(rotated, "s");
  EXPECT_NEAR(r.swelling->strain_at(1.0)[0][0], 0.03, 1e-15);
  EXPECT_NEAR(r.swelling->strain_at(1.0)[1][1], 0.05, 1e-15);
  EXPECT_NEAR(r.swelling->strain_at(1.0)[2][2], -0.02, 1e-15);
  EXPECT_NEAR(r.swelling->strain_at(1.0)[0][1], 0.0, 1e-15);
  EXPECT_NEAR(r.swelling->volumetric_strain_at(1.0), 0.06, 1e-15);

  // The shipped LiFePO4 card: FePO4 -> LiFePO4 lattice strains.
  const auto lfp = atomistic::read_material_card(
    test_support::source_path("inputs/materials/lifepo4.json"));
  ASSERT_TRUE(lfp.swelling);
  EXPECT_EQ(lfp.swelling->strain_at(1.0)[0][0], 0.05183);
  EXPECT_EQ(lfp.swelling->strain_at(1.0)[1][1], 0.03729);
  EXPECT_EQ(lfp.swelling->strain_at(1.0)[2][2], -0.01984);
  EXPECT_NEAR(lfp.swelling->volumetric_strain_at(1.0),
              10.33 / 9.821 + 6.008 / 5.792 + 4.693 / 4.788 - 3,
              1e-4);
}

TEST(MaterialCard, SwellingFromPartialMolarVolume)
{
  const double omega = 3e-6, c_max = 20000;
  const auto   card = atomistic::parse_material_card(
    swelling_card({{"partial_molar_volume_m3_per_mol", omega}}), "s");
  ASSERT_TRUE(card.swelling);
  EXPECT_EQ(*card.swelling->partial_molar_volume_m3_per_mol, omega);
  for (const double x : {0.0, 0.2, 0.5, 1.0})
    {
      EXPECT_NEAR(card.swelling->volumetric_strain_at(x),
                  omega * c_max * x,
                  1e-15);
      const auto e = card.swelling->strain_at(x);
      for (unsigned i = 0; i < 3; ++i)
        for (unsigned j = 0; j < 3; ++j)
          EXPECT_NEAR(e[i][j], i == j ? omega * c_max * x / 3 : 0.0, 1e-16);
    }

  // The shipped graphite card: about 10 % by volume at x = 1; the partial
  // molar volume is a numeric card entry, so it can be varied.
  const auto graphite = atomistic::read_material_card(
    test_support::source_path("inputs/materials/graphite.json"));
  ASSERT_TRUE(graphite.swelling);
  const double c = *graphite.thermodynamics->max_concentration_mol_per_m3;
  EXPECT_NEAR(graphite.swelling->volumetric_strain_at(1.0), 4.04e-6 * c, 1e-15);
  EXPECT_NEAR(graphite.swelling->volumetric_strain_at(1.0), 0.10, 0.005);
  const auto half
    = graphite.with_parameters({"swelling.partial_molar_volume_m3_per_mol"},
                               {2.02e-6});
  EXPECT_NEAR(half.swelling->volumetric_strain_at(1.0), 2.02e-6 * c, 1e-15);
}

TEST(MaterialCard, RefusesBadSwelling)
{
  const json eps = {{0.05, 0, 0}, {0, 0.03, 0}, {0, 0, -0.02}};
  // Both forms, and neither.
  expect_refused(swelling_card({{"strain_at_full_lithiation", eps},
                                {"partial_molar_volume_m3_per_mol", 3e-6}}),
                 {"swelling/strain_at_full_lithiation",
                  "partial_molar_volume_m3_per_mol",
                  "exactly one"});
  expect_refused(swelling_card(json::object()),
                 {"swelling/strain_at_full_lithiation", "exactly one"});
  // Partial molar volume without c_max: no thermodynamics block, or one
  // without max_concentration_mol_per_m3.
  json no_thermo = swelling_card({{"partial_molar_volume_m3_per_mol", 3e-6}});
  no_thermo.erase("thermodynamics");
  expect_refused(no_thermo,
                 {"swelling/partial_molar_volume_m3_per_mol",
                  "thermodynamics/max_concentration_mol_per_m3"});
  json no_c_max = swelling_card({{"partial_molar_volume_m3_per_mol", 3e-6}});
  no_c_max["thermodynamics"].erase("max_concentration_mol_per_m3");
  expect_refused(no_c_max,
                 {"swelling/partial_molar_volume_m3_per_mol",
                  "thermodynamics/max_concentration_mol_per_m3"});
  // Shrinking to nothing.
  expect_refused(swelling_card({{"partial_molar_volume_m3_per_mol", -1e-4}}),
                 {"swelling/partial_molar_volume_m3_per_mol", "> -1"});
  // A strain that is not symmetric, not 3x3, or collapses an axis.
  json asymmetric  = eps;
  asymmetric[0][1] = 0.01;
  expect_refused(swelling_card({{"strain_at_full_lithiation", asymmetric}}),
                 {"swelling/strain_at_full_lithiation", "symmetric"});
  expect_refused(swelling_card(
                   {{"strain_at_full_lithiation", {{0.05, 0}, {0, 0.03}}}}),
                 {"swelling/strain_at_full_lithiation", "3 x 3"});
  json collapse  = eps;
  collapse[2][2] = -1.0;
  expect_refused(swelling_card({{"strain_at_full_lithiation", collapse}}),
                 {"swelling/strain_at_full_lithiation", "> -1"});
  // Unknown keys.
  expect_refused(swelling_card({{"strain_at_full_lithiation", eps},
                                {"euler_angles_deg", {0, 0, 0}}}),
                 {"swelling/euler_angles_deg", "unknown key"});
  expect_refused(swelling_card({{"partial_molar_volume", 3e-6}}),
                 {"swelling/partial_molar_volume", "unknown key"});
}

TEST(MaterialCard, RefusesValuesThatOverflowInSi)
{
  // Finite in GPa, infinite in Pa: refused before any eigenvalue solver.
  json card              = cubic_card();
  card["elastic"]["C11"] = 1e308;
  expect_refused(card, {"elastic/C11", "GPa", "1e+13 Pa"});
  card                     = cubic_card();
  card["elastic"]["units"] = "Pa";
  card["elastic"]["C44"]   = -1e300;
  expect_refused(card, {"elastic/C44", "Pa"});
  card = json::parse(R"({"name": "m", "elastic": {"symmetry": "triclinic",
    "units": "GPa", "matrix": [[1e307,0,0,0,0,0],[0,1,0,0,0,0],[0,0,1,0,0,0],
    [0,0,0,1,0,0],[0,0,0,0,1,0],[0,0,0,0,0,1]]}})");
  expect_refused(card, {"elastic/matrix", "row 1, column 1"});
  card = json::parse(R"({"name": "i", "elastic": {"symmetry": "isotropic",
    "units": "GPa", "E": 1e300, "nu": 0.3}})");
  expect_refused(card, {"elastic/E"});

  expect_refused(json::parse(R"({"name": "t", "transport": {"units": "S/cm",
                    "conductivity": 1e307}})"),
                 {"transport/conductivity", "S/cm"});
  expect_refused(json::parse(R"({"name": "t", "transport": {"units": "S/m",
                    "conductivity": [[1e300,0,0],[0,1,0],[0,0,1]]}})"),
                 {"transport/conductivity", "S/m"});
  expect_refused(json::parse(R"({"name": "d", "diffusion": {
    "migration_barrier_eV": 0.3, "attempt_frequency_Hz": 1e300,
    "jump_distance_m": 3e-10, "coordination": 2}})"),
                 {"diffusion/attempt_frequency_Hz", "Hz"});
  expect_refused(json::parse(R"({"name": "d", "diffusion": {
    "migration_barrier_eV": 0.3, "attempt_frequency_Hz": 1e13,
    "jump_distance_m": 1e200, "coordination": 2}})"),
                 {"diffusion/jump_distance_m"});
  expect_refused(json::parse(R"({"name": "r", "thermodynamics": {
    "model": "regular_solution", "omega_eV": 1e6, "mu0_eV": 0}})"),
                 {"thermodynamics/omega_eV", "eV"});
  expect_refused(json::parse(R"({"name": "r", "thermodynamics": {
    "model": "regular_solution", "omega_eV": 0.1, "mu0_eV": 1e300}})"),
                 {"thermodynamics/mu0_eV"});
  expect_refused(json::parse(R"({"name": "k", "kinetics": {
    "i0_A_per_m2": 1e300, "symmetry_factor": 0.5}})"),
                 {"kinetics/i0_A_per_m2", "A/m^2"});
}
