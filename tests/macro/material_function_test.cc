// Material functions from parameter-file text: values, derivatives for
// Newton's method, constants, tables, and the errors bad text gets.

#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/material_function.h>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  MaterialFunction
  of_ce_T(const std::string &spec)
  {
    return MaterialFunction(
      spec, {"ce", "T"}, {1000, 298.15}, {}, "test.prm", "Electrolyte/X");
  }

  std::string
  error_of(const std::string &spec)
  {
    try
      {
        of_ce_T(spec);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(MaterialFunction, ValueAndDerivativesOfAnExpression)
{
  const MaterialFunction f = of_ce_T("5.34e-10*exp(-0.65*ce/1000)*T/298.15");
  MaterialFunction::Arguments g;
  const double                ce = 1234.5, T = 310;
  const double                v = f.value_and_gradient({{ce, T, 0}}, g);
  const double exact = 5.34e-10 * std::exp(-0.65 * ce / 1000) * T / 298.15;
  EXPECT_NEAR(v, exact, 1e-15 * exact);
  // Central differences: relative error ~1e-9 or better.
  EXPECT_NEAR(g[0], -0.65e-3 * exact, 1e-8 * 0.65e-3 * exact);
  EXPECT_NEAR(g[1], exact / T, 1e-8 * exact / T);
  EXPECT_FALSE(f.is_constant());
  EXPECT_TRUE(f.depends_on(0));
}

TEST(MaterialFunction, ConstantsAndUnusedVariablesCostNothing)
{
  const MaterialFunction t = of_ce_T("0.4");
  EXPECT_TRUE(t.is_constant());
  MaterialFunction::Arguments g;
  EXPECT_EQ(t.value_and_gradient({{1, 2, 0}}, g), 0.4);
  EXPECT_EQ(g[0], 0);

  const MaterialFunction k = of_ce_T("0.0911 + 1.9101*(ce/1000)");
  EXPECT_TRUE(k.depends_on(0));
  EXPECT_FALSE(k.depends_on(1)); // T is not mentioned

  // Named constants (as cmax in exchange-current densities).
  const MaterialFunction j0("2e-5*sqrt(ce)*sqrt(cs)*sqrt(cmax - cs)",
                            {"ce", "cs", "T"},
                            {1000, 10000, 298.15},
                            {{"cmax", 24983.2619938437}},
                            "test.prm",
                            "Negative electrode/Exchange-current density");
  const double           expected = 2e-5 * std::sqrt(1000.)
                          * std::sqrt(0.8 * 24983.2619938437)
                          * std::sqrt(0.2 * 24983.2619938437);
  EXPECT_NEAR(j0.value({{1000, 0.8 * 24983.2619938437, 298.15}}),
              expected,
              1e-12 * expected);
}

TEST(MaterialFunction, BadExpressionsAreInputErrorsNamingTheEntry)
{
  const std::string unknown = error_of("foo(ce) + 1");
  EXPECT_NE(unknown.find("test.prm"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("Electrolyte/X"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("foo"), std::string::npos) << unknown;
  EXPECT_EQ(unknown.find('\n'), std::string::npos) << unknown;

  EXPECT_NE(error_of("1 +* ce"), "");
  EXPECT_NE(error_of("sto*2"), ""); // sto is not a variable here
  EXPECT_NE(error_of("log(ce - 2000)").find("not finite"), std::string::npos);
  EXPECT_NE(error_of("  "), "");
}

TEST(MaterialFunction, TablesInterpolateMonotonically)
{
  const auto dir  = test_support::scratch_directory("material_function_table");
  const auto file = dir / "ocv.csv";
  std::ofstream(file) << "sto,U_V\n0.1,4.2\n0.5,3.9\n0.9,3.5\n";
  const MaterialFunction U("table:" + file.string(),
                           {"sto", "T"},
                           {0.5, 298.15},
                           {},
                           "test.prm",
                           "Positive electrode/Open-circuit potential");
  EXPECT_NEAR(U.value({{0.5, 298.15, 0}}), 3.9, 1e-14);
  MaterialFunction::Arguments g;
  double                      previous = 10;
  for (double x = 0.12; x < 0.9; x += 0.01)
    {
      const double v = U.value_and_gradient({{x, 298.15, 0}}, g);
      EXPECT_LE(v, previous);
      EXPECT_LE(g[0], 0);
      previous = v;
    }
  EXPECT_THROW(MaterialFunction("table:" + (dir / "missing.csv").string(),
                                {"sto"},
                                {0.5},
                                {},
                                "test.prm",
                                "X"),
               InputError);
  EXPECT_TRUE(is_card_spec(" card "));
  EXPECT_FALSE(is_card_spec("cards"));
}
