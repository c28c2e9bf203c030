// Effective-transport strategies: Bruggeman, given tensors, and the
// effective_tensors.json of the RVE tool (both layouts), with its checks.

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/macro/effective_properties.h>

#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  nlohmann::json
  group(const std::vector<std::vector<double>> &tensor,
        const double                            fraction,
        const std::vector<bool>                &percolates)
  {
    return {{"phases", {0}},
            {"volume_fraction", fraction},
            {"tensor", tensor},
            {"tortuosity_factor", std::vector<double>(tensor.size(), 2.0)},
            {"percolates", percolates}};
  }

  nlohmann::json
  efficiency(const double xx, const double yy, const double zz)
  {
    return {{"electrolyte",
             group({{xx, 0.01, 0}, {0.01, yy, 0}, {0, 0, zz}},
                   0.3,
                   {true, true, true})},
            {"solid",
             group({{0.5, 0, 0}, {0, 0.4, 0}, {0, 0, 0.3}},
                   0.7,
                   {true, true, true})}};
  }

  EffectiveTransport
  from_rve_file(const std::filesystem::path &file,
                const std::string           &block     = "periodic",
                const std::string           &direction = "x",
                const double                 porosity  = 0.3)
  {
    EffectiveTransportParameters p;
    p.strategy            = "rve";
    p.rve_file            = file.string();
    p.rve_block           = block;
    p.thickness_direction = direction;
    return create_transport_efficiency(p, porosity, true, "test.prm", "Pos")
      ->tensors();
  }
} // namespace

TEST(EffectiveTransport, BruggemanGivesTheMarquisValues)
{
  EffectiveTransportParameters p; // bruggeman, 1.5 / 1.5
  const auto                   t
    = create_transport_efficiency(p, 0.3, true, "test.prm", "Neg")->tensors();
  EXPECT_NEAR(t.electrolyte[0][0], std::pow(0.3, 1.5), 1e-15);
  EXPECT_NEAR(t.solid[1][1], std::pow(0.7, 1.5), 1e-15);
  // sigma_eff = 100 S/m (1 - 0.3)^1.5 = 58.566 S/m as in the reference.
  EXPECT_NEAR(100 * t.solid[0][0], 58.566, 5e-4);
  EXPECT_EQ(t.electrolyte[0][1], 0);
}

TEST(EffectiveTransport, ConstantTensors)
{
  EffectiveTransportParameters p;
  p.strategy           = "constant";
  p.electrolyte_tensor = "0.2, 0.01, 0; 0.01, 0.5, 0; 0, 0, 0.5";
  p.solid_tensor       = "0.6 0.5 0.5";
  const auto t
    = create_transport_efficiency(p, 0.3, true, "test.prm", "Neg")->tensors();
  EXPECT_EQ(t.electrolyte[0][0], 0.2);
  EXPECT_EQ(t.electrolyte[1][0], 0.01);
  EXPECT_EQ(t.solid[0][0], 0.6);
  EXPECT_EQ(t.solid[2][2], 0.5);
  p.electrolyte_tensor = "0.2, 0.3";
  EXPECT_THROW(create_transport_efficiency(p, 0.3, true, "t", "N"), InputError);
  p.electrolyte_tensor = "1, 2, 0, 0, 1, 0, 0, 0, 1"; // not symmetric
  EXPECT_THROW(create_transport_efficiency(p, 0.3, true, "t", "N"), InputError);
  p.electrolyte_tensor = "-1";
  EXPECT_THROW(create_transport_efficiency(p, 0.3, true, "t", "N"), InputError);
}

TEST(EffectiveTransport, ReadsBothLayoutsOfTheRveFile)
{
  const auto dir = test_support::scratch_directory("effective_transport_rve");
  // One boundary condition: keys at the top level, next to others.
  io::write_json(dir / "single.json",
                 {{"stiffness_voigt_Pa", {{1, 0}, {0, 1}}},
                  {"transport_efficiency", efficiency(0.2, 0.25, 0.3)}});
  EffectiveTransport t = from_rve_file(dir / "single.json");
  EXPECT_EQ(t.electrolyte[0][0], 0.2);
  EXPECT_EQ(t.electrolyte[0][1], 0.01);
  EXPECT_EQ(t.solid[0][0], 0.5);

  // Type = all: one block per boundary condition; periodic by default.
  io::write_json(
    dir / "all.json",
    {{"periodic", {{"transport_efficiency", efficiency(0.2, 0.25, 0.3)}}},
     {"kubc", {{"transport_efficiency", efficiency(0.22, 0.27, 0.29)}}},
     {"tubc", {{"transport_efficiency", efficiency(0.18, 0.23, 0.28)}}}});
  EXPECT_EQ(from_rve_file(dir / "all.json").electrolyte[0][0], 0.2);
  EXPECT_EQ(from_rve_file(dir / "all.json", "kubc").electrolyte[0][0], 0.22);
  EXPECT_EQ(from_rve_file(dir / "all.json", "tubc").electrolyte[0][0], 0.18);

  // The RVE's y axis through the thickness: cell (x, y, z) = RVE (y, z, x).
  t = from_rve_file(dir / "all.json", "periodic", "y");
  EXPECT_EQ(t.electrolyte[0][0], 0.25);
  EXPECT_EQ(t.electrolyte[1][1], 0.3);
  EXPECT_EQ(t.electrolyte[2][2], 0.2);
  EXPECT_EQ(t.electrolyte[2][0], 0.01); // RVE xy -> cell zx
  EXPECT_EQ(t.solid[0][0], 0.4);

  // A 2D RVE serves 1D and 2D cells; the third axis is marked missing.
  nlohmann::json two_d
    = {{"electrolyte", group({{0.2, 0}, {0, 0.25}}, 0.3, {true, true})},
       {"solid", group({{0.5, 0}, {0, 0.4}}, 0.7, {true, true})}};
  io::write_json(dir / "rve2d.json", {{"transport_efficiency", two_d}});
  t = from_rve_file(dir / "rve2d.json");
  EXPECT_EQ(t.electrolyte[1][1], 0.25);
  EXPECT_TRUE(std::isnan(t.electrolyte[2][2]));
}

TEST(EffectiveTransport, RveFileErrorsNameTheFileAndKey)
{
  const auto dir = test_support::scratch_directory("effective_transport_bad");
  const auto expect_error = [&](const nlohmann::json &content,
                                const std::string    &needle,
                                const double          porosity = 0.3) {
    io::write_json(dir / "bad.json", content);
    try
      {
        from_rve_file(dir / "bad.json", "periodic", "x", porosity);
        ADD_FAILURE() << "no error for " << needle;
      }
    catch (const InputError &e)
      {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
          << e.what();
      }
  };
  // No such block or group.
  expect_error({{"kubc", {{"transport_efficiency", efficiency(1, 1, 1)}}}},
               "periodic");
  nlohmann::json no_solid = efficiency(0.2, 0.2, 0.2);
  no_solid.erase("solid");
  expect_error({{"transport_efficiency", no_solid}}, "solid");
  // Electrolyte not percolating through the thickness.
  nlohmann::json blocked               = efficiency(0.2, 0.2, 0.2);
  blocked["electrolyte"]["percolates"] = {false, true, true};
  expect_error({{"transport_efficiency", blocked}}, "percolate");
  // Porosity far from the RVE's electrolyte fraction.
  expect_error({{"transport_efficiency", efficiency(0.2, 0.2, 0.2)}},
               "Porosity",
               0.5);
  // Missing file.
  EffectiveTransportParameters p;
  p.strategy = "rve";
  p.rve_file = (dir / "missing.json").string();
  EXPECT_THROW(create_transport_efficiency(p, 0.3, true, "t", "N"), InputError);
  p.rve_file.clear();
  EXPECT_THROW(create_transport_efficiency(p, 0.3, true, "t", "N"), InputError);
}

TEST(EffectiveTransport, ConstantTensorMustBePositiveDefinite)
{
  EffectiveTransportParameters p;
  p.strategy = "constant";
  // Positive diagonal, symmetric, but eigenvalues 1.5 and -0.5.
  p.electrolyte_tensor = "0.5, 1, 0; 1, 0.5, 0; 0, 0, 0.5";
  try
    {
      create_transport_efficiency(p, 0.3, true, "t.prm", "Pos");
      ADD_FAILURE() << "indefinite tensor accepted";
    }
  catch (const InputError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("Pos/Effective transport/Electrolyte tensor"),
                std::string::npos)
        << message;
      EXPECT_NE(message.find("positive definite"), std::string::npos)
        << message;
    }
  p.electrolyte_tensor = "0.5, 0.2, 0; 0.2, 0.5, 0; 0, 0, 0.5";
  EXPECT_NO_THROW(create_transport_efficiency(p, 0.3, true, "t.prm", "Pos"));
}

TEST(EffectiveTransport, RveTensorsAreCheckedLikeCardTensors)
{
  const auto dir = test_support::scratch_directory("effective_transport_spd");
  const auto expect_error = [&](const nlohmann::json           &content,
                                const std::vector<std::string> &needles,
                                const std::string &block = "periodic") {
    io::write_json(dir / "bad.json", content);
    try
      {
        from_rve_file(dir / "bad.json", block);
        ADD_FAILURE() << "no error for " << needles.front();
      }
    catch (const InputError &e)
      {
        for (const auto &needle : needles)
          EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
            << e.what();
      }
  };
  // Not positive semi-definite (eigenvalues 0.3 + 0.5 and 0.3 - 0.5).
  nlohmann::json indefinite = efficiency(0.2, 0.2, 0.2);
  indefinite["electrolyte"]["tensor"]
    = {{0.3, 0.5, 0}, {0.5, 0.3, 0}, {0, 0, 0.2}};
  expect_error({{"dimension", 3}, {"transport_efficiency", indefinite}},
               {"electrolyte/tensor", "positive semi-definite"});
  // Not symmetric.
  nlohmann::json asymmetric           = efficiency(0.2, 0.2, 0.2);
  asymmetric["solid"]["tensor"][0][1] = 0.1;
  expect_error({{"transport_efficiency", asymmetric}},
               {"solid/tensor", "symmetric"});
  // A 2x2 tensor inside a 3D file.
  nlohmann::json flat           = efficiency(0.2, 0.2, 0.2);
  flat["electrolyte"]["tensor"] = {{0.2, 0}, {0, 0.2}};
  expect_error({{"dimension", 3}, {"transport_efficiency", flat}},
               {"2x2 in a 3D result"});
  // Efficiency above the volume fraction (0.3) of the group.
  expect_error({{"transport_efficiency", efficiency(0.35, 0.2, 0.2)}},
               {"electrolyte/tensor", "above the group's volume fraction"});
  // The requested condition is not in the file: no fallback.
  expect_error({{"periodic", {{"transport_efficiency", efficiency(1, 1, 1)}}},
                {"tubc", {{"transport_efficiency", efficiency(1, 1, 1)}}}},
               {"RVE boundary condition", "'kubc'", "periodic, tubc"},
               "kubc");
  expect_error({{"boundary_condition", "kubc"},
                {"transport_efficiency", efficiency(0.2, 0.2, 0.2)}},
               {"Pos/Effective transport/RVE boundary condition",
                "only the results for 'kubc'"});

  // An efficiency of 0 across a direction that does not percolate (a
  // laminate) with round-off of either sign is a valid result.
  nlohmann::json laminate
    = {{"electrolyte",
        group({{0.25, -1.4e-17}, {0, -8.2e-16}}, 0.25, {true, false})},
       {"solid", group({{0.75, 0}, {0, 0.6}}, 0.75, {true, true})}};
  io::write_json(dir / "laminate.json",
                 {{"dimension", 2},
                  {"boundary_condition", "periodic"},
                  {"transport_efficiency", laminate}});
  EXPECT_EQ(from_rve_file(dir / "laminate.json", "periodic", "x", 0.25)
              .electrolyte[0][0],
            0.25);
}
