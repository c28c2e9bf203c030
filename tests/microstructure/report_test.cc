// The JSON and text reports of volume fractions and percolation.

#include <scalebridge/microstructure/generators.h>
#include <scalebridge/microstructure/report.h>

#include <gtest/gtest.h>

using namespace scalebridge::microstructure;

TEST(Report, LaminateJson)
{
  // 2D, layers normal to x: 2 of 8 columns phase 0, 6 phase 1.
  const Microstructure m
    = laminate(2, {{8, 8, 1}}, 0, {0.25, 0.75}, {{2., 1., 1.}});
  const MicrostructureSummary s = summarize(m, {0.25, 0.75});
  const nlohmann::json        j = to_json(s);
  EXPECT_EQ(j["dimension"], 2);
  EXPECT_EQ(j["voxels"], nlohmann::json::array({8, 8}));
  EXPECT_EQ(j["size"], nlohmann::json::array({2., 1.}));
  ASSERT_EQ(j["phases"].size(), 2u);
  for (int p = 0; p < 2; ++p)
    {
      const auto &phase = j["phases"][p];
      EXPECT_EQ(phase["id"], p);
      EXPECT_DOUBLE_EQ(phase["volume_fraction"].get<double>(),
                       p == 0 ? 0.25 : 0.75);
      EXPECT_DOUBLE_EQ(phase["target_volume_fraction"].get<double>(),
                       p == 0 ? 0.25 : 0.75);
      EXPECT_EQ(phase["percolates"],
                (nlohmann::json{{"x", false}, {"y", true}}));
      EXPECT_EQ(phase["wraps"], (nlohmann::json{{"x", false}, {"y", true}}));
      EXPECT_EQ(phase["periodic_clusters"], 1);
    }
}

TEST(Report, AbsentPhasesAndMissingTargets)
{
  // Ids 0 and 2 only (a segmented image may skip ids); one target given.
  Microstructure m(3, {{4, 4, 4}}, {{1., 1., 1.}}, 2);
  m.set_phase(1, 1, 1, 0);
  const MicrostructureSummary s = summarize(m, {0.5});
  ASSERT_EQ(s.phases.size(), 3u);
  EXPECT_EQ(s.phases[1].volume_fraction, 0.);
  EXPECT_EQ(s.phases[1].percolation.n_periodic_components, 0u);
  const nlohmann::json j = to_json(s);
  EXPECT_TRUE(j["phases"][0].contains("target_volume_fraction"));
  EXPECT_FALSE(j["phases"][2].contains("target_volume_fraction"));
  EXPECT_EQ(j["phases"][2]["percolates"],
            (nlohmann::json{{"x", true}, {"y", true}, {"z", true}}));
  EXPECT_EQ(j["phases"][0]["percolates"],
            (nlohmann::json{{"x", false}, {"y", false}, {"z", false}}));
}

TEST(Report, Text)
{
  const Microstructure m    = centred_sphere(3, {{16, 16, 16}}, 0.25);
  const std::string    text = to_text(summarize(m, {0.75, 0.25}));
  EXPECT_EQ(
    text.rfind("Microstructure: 3D, 16 x 16 x 16 voxels, size 1 x 1 x 1\n", 0),
    0u)
    << text;
  EXPECT_NE(text.find("  phase 0: volume fraction 0."), std::string::npos)
    << text;
  EXPECT_NE(
    text.find(
      "(target 0.7500), percolates x,y,z, wraps x,y,z, 1 periodic cluster\n"),
    std::string::npos)
    << text;
  EXPECT_NE(
    text.find(
      "(target 0.2500), percolates none, wraps none, 1 periodic cluster\n"),
    std::string::npos)
    << text;
}
