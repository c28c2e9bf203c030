// The report written by scalebridge-properties: keys, nulls for what a card
// cannot give, and the uncertainty propagation against closed forms.

#include <scalebridge/atomistic/phase_report.h>
#include <scalebridge/base/constants.h>

#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  nlohmann::json
  report(const std::string &card, unsigned samples = 0)
  {
    atomistic::PhaseReportOptions options;
    options.monte_carlo_samples = samples;
    options.curve_points        = 49;
    return atomistic::phase_report(atomistic::read_material_card(
                                     test_support::source_path(
                                       "inputs/materials/" + card + ".json")),
                                   298.15,
                                   options);
  }
} // namespace

TEST(PhaseReport, KeysOfAFullCard)
{
  const auto r = report("lifepo4");
  for (const char *key : {"tracer_diffusivity_m2_per_s",
                          "coexistence",
                          "spinodal",
                          "bulk_modulus_voigt_Pa",
                          "bulk_modulus_reuss_Pa",
                          "shear_modulus_voigt_Pa",
                          "shear_modulus_reuss_Pa",
                          "curves"})
    EXPECT_FALSE(r.at(key).is_null()) << key;
  EXPECT_EQ(r["coexistence"].size(), 2u);
  for (const char *column : {"x",
                             "mu_eV",
                             "thermodynamic_factor",
                             "ocv_V",
                             "chemical_diffusivity_m2_per_s"})
    EXPECT_EQ(r["curves"][column].size(), 49u) << column;
  // Voigt bounds Reuss from above for an anisotropic crystal.
  EXPECT_GT(r["bulk_modulus_voigt_Pa"].get<double>(),
            r["bulk_modulus_reuss_Pa"].get<double>());
  EXPECT_TRUE(r["not_derived"].empty());
  EXPECT_EQ(atomistic::curves_table(r).n_rows(), 49u);
}

TEST(PhaseReport, AbsentBlocksGiveNullAndAReason)
{
  const auto r = report("electrolyte_pore");
  EXPECT_TRUE(r["tracer_diffusivity_m2_per_s"].is_null());
  EXPECT_TRUE(r["coexistence"].is_null());
  EXPECT_TRUE(r["bulk_modulus_voigt_Pa"].is_null());
  EXPECT_TRUE(r["curves"].is_null());
  EXPECT_GE(r["not_derived"].size(), 3u);

  // A table-only card has curves but no model, hence no coexistence.
  const auto g = report("graphite");
  EXPECT_FALSE(g["curves"].is_null());
  EXPECT_TRUE(g["coexistence"].is_null());
  EXPECT_FALSE(g["curves"]["chemical_diffusivity_m2_per_s"].is_null());
}

TEST(PhaseReport, FirstOrderUncertaintyMatchesClosedForms)
{
  const auto   r  = report("lifepo4", 2000);
  const double kT = constants::boltzmann_eV * 298.15;
  const auto  &u  = r["uncertainty"]["results"];

  // D_tr = D0 exp(-E/kT): sigma_D = D sigma_E / kT, sigma_E = 0.03 eV.
  const double D = r["tracer_diffusivity_m2_per_s"].get<double>();
  EXPECT_NEAR(u["tracer_diffusivity_m2_per_s"]["standard_deviation_first_order"]
                .get<double>(),
              D * 0.03 / kT,
              1e-6 * D * 0.03 / kT);

  // Binodal x1(Omega) from kT ln(x/(1-x)) + Omega (1-2x) = 0:
  // dx/dOmega = -(1-2x) / (kT/(x(1-x)) - 2 Omega); sigma_Omega = 0.01 eV.
  const double x1     = r["coexistence"][0].get<double>();
  const double omega  = 0.115;
  const double dx     = -(1 - 2 * x1) / (kT / (x1 * (1 - x1)) - 2 * omega);
  const double sigma1 = std::abs(dx) * 0.01;
  EXPECT_NEAR(
    u["coexistence_low"]["standard_deviation_first_order"].get<double>(),
    sigma1,
    1e-5 * sigma1);

  // i0 enters linearly, so first order is exact (sigma = 0.1), and the
  // Monte Carlo estimate must agree within its sampling error: the standard
  // error of a sample standard deviation is sigma / sqrt(2N) = 0.0016 for
  // N = 2000; allow 5 of them. The mean has standard error 0.0022.
  const auto &i0 = u["exchange_current_density_A_per_m2"];
  EXPECT_NEAR(i0["standard_deviation_first_order"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(i0["monte_carlo_standard_deviation"].get<double>(), 0.1, 0.008);
  EXPECT_NEAR(i0["monte_carlo_mean"].get<double>(), 0.5, 0.011);

  // The same seed gives the same Monte Carlo result.
  EXPECT_EQ(report("lifepo4", 2000)["uncertainty"], r["uncertainty"]);
}
