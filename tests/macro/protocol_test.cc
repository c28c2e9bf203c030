// Operating protocols as battery engineers write them.

#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/protocol.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  std::vector<OperatingStep>
  parse(const std::string &text)
  {
    return parse_protocol(text, 24, 3.0, 4.2, "test.prm", "P");
  }
} // namespace

TEST(Protocol, ParsesStepsRatesDurationsAndLimits)
{
  const auto steps = parse(
    "Discharge at 1C until 3.2 V; Rest for 10 min; charge at C/2 for 1 h; "
    "Hold at 4.1 V until C/50; Discharge at 12 A/m2 for 1800 s");
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].control, OperatingStep::Control::current);
  EXPECT_DOUBLE_EQ(steps[0].current_density, 24);
  EXPECT_DOUBLE_EQ(*steps[0].voltage_limit, 3.2);
  EXPECT_DOUBLE_EQ(steps[0].duration, 7200); // twice the nominal duration
  EXPECT_EQ(steps[1].control, OperatingStep::Control::rest);
  EXPECT_DOUBLE_EQ(steps[1].duration, 600);
  EXPECT_DOUBLE_EQ(steps[2].current_density, -12);
  EXPECT_DOUBLE_EQ(steps[2].duration, 3600);
  EXPECT_DOUBLE_EQ(*steps[2].voltage_limit, 4.2); // the upper cut-off
  EXPECT_EQ(steps[3].control, OperatingStep::Control::voltage);
  EXPECT_DOUBLE_EQ(steps[3].voltage, 4.1);
  EXPECT_DOUBLE_EQ(*steps[3].current_limit, 24 / 50.);
  // A hold without a duration ends after the longest step a run can meet.
  EXPECT_DOUBLE_EQ(steps[3].duration, max_step_duration);
  EXPECT_DOUBLE_EQ(steps[4].current_density, 12);
  EXPECT_DOUBLE_EQ(*steps[4].voltage_limit, 3.0); // the lower cut-off
  EXPECT_DOUBLE_EQ(steps[4].duration, 1800);
}

TEST(Protocol, DefaultIsOneDischargeToTheCutOff)
{
  const auto steps = default_protocol(2, 24, 3.105, 4.1);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_DOUBLE_EQ(steps[0].current_density, 48);
  EXPECT_DOUBLE_EQ(steps[0].duration, 1800);
  EXPECT_DOUBLE_EQ(*steps[0].voltage_limit, 3.105);
  EXPECT_DOUBLE_EQ(*default_protocol(-1, 24, 3.105, 4.1)[0].voltage_limit, 4.1);
}

// Durations that a run cannot meet: explicit ones are refused, implicit
// ones (a very slow discharge) end at max_step_duration.
TEST(Protocol, DurationsAreBounded)
{
  EXPECT_DOUBLE_EQ(parse("Rest for 1000 h")[0].duration, 3.6e6);
  EXPECT_DOUBLE_EQ(parse("Discharge at 1e-300C")[0].duration, 3.6e6);
  EXPECT_DOUBLE_EQ(default_protocol(1e-9, 24, 3.105, 4.1)[0].duration,
                   max_step_duration);
  try
    {
      parse("Rest for 1e300 h");
      FAIL() << "expected InputError";
    }
  catch (const InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("at most 1000 h"), std::string::npos)
        << e.what();
    }
}

TEST(Protocol, MistakesAreInputErrors)
{
  for (const char *bad : {"Dance at 1C",
                          "Discharge 1C",
                          "Discharge at 1 banana",
                          "Rest 10 min",
                          "Rest for 10 years",
                          "Hold at 4.0 V",
                          "Hold at 5 V for 1 h",
                          "Discharge at 1C until 2.5 V",
                          "Charge at 1C until 4.5 V",
                          "Discharge at 1C for -1 s",
                          "Rest for 1e300 h",
                          "Rest for 1001 h",
                          "Charge at C/2 for 3.7e6 s",
                          " ; "})
    EXPECT_THROW(parse(bad), InputError) << bad;
  try
    {
      parse("Rest for 10; Discharge at 1C");
    }
  catch (const InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("Rest for 10"), std::string::npos);
      EXPECT_EQ(e.key(), "P");
    }
}
