// Continuum parameters derived from the shipped cards, checked against the
// closed forms of the models the cards state.

#include <scalebridge/atomistic/phase_properties.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>

#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  atomistic::PhaseProperties
  phase(const std::string &card, double temperature = 298.15)
  {
    return atomistic::PhaseProperties(
      atomistic::read_material_card(
        test_support::source_path("inputs/materials/" + card + ".json")),
      temperature);
  }

  constexpr double T  = 298.15;
  const double     kT = constants::boltzmann_eV * T;
} // namespace

TEST(PhaseProperties, TracerDiffusivityFromTransitionStateTheory)
{
  // lifepo4.json: E_m = 0.40 eV, nu0 = 1e13 Hz, a = 3e-10 m, z = 2, f = 1.
  const double expected
    = 2 * 1.0 * 3e-10 * 3e-10 * 1e13 / 6 * std::exp(-0.40 / kT);
  EXPECT_NEAR(phase("lifepo4").tracer_diffusivity(),
              expected,
              1e-12 * expected);
}

TEST(PhaseProperties, RegularSolutionBelowAndAboveCriticalTemperature)
{
  const double omega = 0.115, mu0 = -3.42; // lifepo4.json
  const auto   lfp = phase("lifepo4");
  ASSERT_TRUE(lfp.phase_separates());
  const auto [x1, x2] = *lfp.coexistence();
  // Symmetric model: binodal symmetric about 1/2, both ends on mu = mu0,
  // i.e. kT ln(x/(1-x)) + Omega (1-2x) = 0.
  EXPECT_NEAR(x1 + x2, 1.0, 1e-10);
  EXPECT_NEAR(kT * std::log(x1 / (1 - x1)) + omega * (1 - 2 * x1), 0, 1e-10);
  EXPECT_LT(x1, 0.1); // Omega = 4.5 kT separates strongly
  // Spinodal: x (1-x) = kT / (2 Omega).
  const auto [s1, s2] = *lfp.spinodal();
  EXPECT_NEAR(s1 * (1 - s1), kT / (2 * omega), 1e-10);
  EXPECT_LT(x1, s1);
  EXPECT_GT(x2, s2);

  // OCV and thermodynamic factor, closed forms.
  for (double x : {0.01, 0.3, 0.5, 0.77, 0.99})
    {
      const double mu = mu0 + kT * std::log(x / (1 - x)) + omega * (1 - 2 * x);
      EXPECT_NEAR(lfp.open_circuit_voltage(x), -mu, 1e-12);
      EXPECT_NEAR(lfp.thermodynamic_factor(x),
                  1 / (1 - x) - 2 * omega * x / kT,
                  1e-9);
      EXPECT_NEAR(lfp.chemical_diffusivity(x),
                  lfp.tracer_diffusivity() * lfp.thermodynamic_factor(x),
                  1e-24);
    }

  // Above T_c = Omega / 2 kB there is a single phase.
  const double Tc = omega / (2 * constants::boltzmann_eV);
  EXPECT_FALSE(phase("lifepo4", 1.02 * Tc).phase_separates());
  EXPECT_FALSE(phase("lifepo4", 1.02 * Tc).spinodal());
  EXPECT_TRUE(phase("lifepo4", 0.98 * Tc).phase_separates());
}

TEST(PhaseProperties, ParticleModelIsConvexified)
{
  const auto lfp   = phase("lifepo4");
  const auto model = lfp.particle_free_energy();
  ASSERT_TRUE(model);
  const auto [x1, x2] = *lfp.coexistence();
  // Inside the binodal the convexified mu is the plateau mu0 and flat;
  // everywhere its derivative is >= 0, so D_chem = D_tr Theta >= 0.
  for (double x = 0.005; x < 1; x += 0.005)
    {
      EXPECT_GE(model->chemical_potential_derivative(x, T), 0) << x;
      if (x > x1 + 1e-6 && x < x2 - 1e-6)
        {
          EXPECT_NEAR(model->chemical_potential(x, T), -3.42, 1e-9) << x;
        }
    }
  // A single-phase card keeps its own model.
  EXPECT_FALSE(phase("lifepo4", 700).phase_separates());
}

TEST(PhaseProperties, LandauBinodalAndSpinodal)
{
  const auto   p = phase("model_two_phase_landau");
  const double A = 1.6, B = 0.2;
  ASSERT_TRUE(p.coexistence());
  EXPECT_NEAR(p.coexistence()->first, 0.5 - std::sqrt(B / (2 * A)), 1e-10);
  EXPECT_NEAR(p.coexistence()->second, 0.5 + std::sqrt(B / (2 * A)), 1e-10);
  EXPECT_NEAR(p.spinodal()->first, 0.5 - std::sqrt(B / (6 * A)), 1e-10);
}

TEST(PhaseProperties, TabulatedOcv)
{
  const auto g = phase("graphite");
  EXPECT_FALSE(g.phase_separates());
  // At a table node the table value is returned: U_n(0.8) of the
  // Marquis set is 0.175193 V.
  EXPECT_NEAR(g.open_circuit_voltage(0.8), 0.175193, 1e-9);
  // Theta = -(x e / kB T) dU/dx, with dU/dx from the interpolant.
  for (double x : {0.15, 0.42, 0.63, 0.88})
    {
      const double h = 1e-6;
      const double dUdx
        = (g.open_circuit_voltage(x + h) - g.open_circuit_voltage(x - h))
          / (2 * h);
      EXPECT_NEAR(g.open_circuit_voltage_derivative(x),
                  dUdx,
                  1e-4 * std::abs(dUdx) + 1e-8);
      EXPECT_NEAR(g.thermodynamic_factor(x),
                  -x * dUdx / kT,
                  1e-3 * std::abs(x * dUdx / kT) + 1e-6);
      EXPECT_GT(g.thermodynamic_factor(x), 0); // the table is monotone
    }
  EXPECT_DOUBLE_EQ(g.max_concentration(), 24983.2619938437);
}

TEST(PhaseProperties, MissingBlocksAreNamed)
{
  const auto pore = phase("electrolyte_pore");
  EXPECT_TRUE(pore.has_conductivity());
  EXPECT_NEAR(pore.conductivity()[0][0], 1.1046, 1e-12);
  EXPECT_FALSE(pore.has_stiffness());
  try
    {
      pore.butler_volmer();
      FAIL() << "expected InputError";
    }
  catch (const InputError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("electrolyte_pore.json"), std::string::npos);
      EXPECT_NE(message.find("kinetics"), std::string::npos);
    }
  EXPECT_THROW(pore.stiffness_mandel(), InputError);
  EXPECT_THROW(pore.tracer_diffusivity(), InputError);
  EXPECT_THROW(pore.max_concentration(), InputError);
  EXPECT_THROW(phase("lifepo4", -1), InputError);
}

TEST(PhaseProperties, UnrepresentableCoexistenceNamesTheEntryAndRange)
{
  // omega = 50 eV = 1934 kB T at 300 K: the binodal would lie at
  // x = exp(-1934), far below what a double near 0 or 1 resolves.
  const auto card
    = atomistic::parse_material_card(nlohmann::json::parse(
                                       R"({"name": "r", "thermodynamics": {
      "model": "regular_solution", "omega_eV": 50, "mu0_eV": 0}})"),
                                     "absurd.json");
  try
    {
      atomistic::PhaseProperties(card, 300);
      ADD_FAILURE() << "no error";
    }
  catch (const InputError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("absurd.json"), std::string::npos) << message;
      EXPECT_NE(message.find("thermodynamics/omega_eV"), std::string::npos)
        << message;
      EXPECT_NE(message.find("omega < 0.8273 eV"), std::string::npos)
        << message;
    }
  // Just inside the stated range the phase diagram exists.
  const double kT = constants::boltzmann_eV * 300;
  const auto   ok = atomistic::parse_material_card(
    nlohmann::json{
      {"name", "r"},
      {"thermodynamics",
         {{"model", "regular_solution"}, {"omega_eV", 31 * kT}, {"mu0_eV", 0}}}},
    "ok.json");
  EXPECT_TRUE(atomistic::PhaseProperties(ok, 300).coexistence().has_value());
}
