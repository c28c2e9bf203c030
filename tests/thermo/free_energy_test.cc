// Regular-solution and Landau models against their closed forms and against
// finite differences of g; thermodynamic factor; OCV sign and units.

#include <scalebridge/base/constants.h>
#include <scalebridge/thermo/free_energy.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace scalebridge;
using thermo::LandauFreeEnergy;
using thermo::RegularSolution;

namespace
{
  constexpr double kB  = constants::boltzmann_eV;
  constexpr double eps = std::numeric_limits<double>::epsilon();

  /**
   * Checks f' against the central difference (f(x+h) - f(x-h)) / 2h. The
   * allowed error is the sum of the truncation bound h^2/6 max|f'''| and the
   * rounding bound 8 eps F / h (F bounds the magnitude of the terms summed
   * in f, each evaluation erring by a few ulps of F), doubled for margin. A
   * wrong derivative (a missing term, a factor 2) exceeds it by orders of
   * magnitude.
   */
  template <typename Function>
  void
  expect_derivative(const Function &f,
                    const double    derivative,
                    const double    x,
                    const double    h,
                    const double    third_derivative_bound,
                    const double    term_magnitude)
  {
    const double fd = (f(x + h) - f(x - h)) / (2 * h);
    const double tolerance
      = 2 * (h * h / 6 * third_derivative_bound + 8 * eps * term_magnitude / h);
    EXPECT_NEAR(derivative, fd, tolerance) << "at x = " << x;
  }
} // namespace

TEST(RegularSolution, MatchesClosedForms)
{
  const double    omega = 0.12, mu0 = -3.4, T = 300, kT = kB * T;
  RegularSolution model(omega, mu0);
  EXPECT_EQ(model.name(), "regular_solution");
  EXPECT_TRUE(model.has_ideal_entropy());
  EXPECT_EQ(model.omega_eV(), omega);
  EXPECT_EQ(model.mu0_eV(), mu0);

  for (const double x : {1e-9, 0.01, 0.2, 0.5, 0.77, 0.999, 1 - 1e-9})
    {
      // Written with log(1-x) and log(x/(1-x)) instead of log1p; rounding 1-x
      // costs at most ~1e-16 absolute in g and mu, far below the tolerance.
      const double g = mu0 * x + omega * x * (1 - x)
                       + kT * (x * std::log(x) + (1 - x) * std::log(1 - x));
      const double mu  = mu0 + kT * std::log(x / (1 - x)) + omega * (1 - 2 * x);
      const double dmu = kT * (1 / x + 1 / (1 - x)) - 2 * omega;
      // A few ulps of the largest term in each sum.
      const double scale
        = std::abs(mu0) + omega
          + kT * (std::abs(std::log(x)) + std::abs(std::log(1 - x)));
      EXPECT_NEAR(model.free_energy(x, T), g, 1e-14 * scale) << x;
      EXPECT_NEAR(model.chemical_potential(x, T), mu, 1e-14 * scale) << x;
      EXPECT_NEAR(model.chemical_potential_derivative(x, T),
                  dmu,
                  1e-14 * std::abs(dmu) + 1e-14 * omega)
        << x;
    }
  // g(1/2) = mu0/2 + Omega/4 - kT ln 2.
  EXPECT_NEAR(model.free_energy(0.5, T),
              mu0 / 2 + omega / 4 - kT * std::log(2.0),
              1e-14 * std::abs(mu0));
}

TEST(RegularSolution, CriticalTemperatureIsWhereCurvatureVanishes)
{
  // At T_c the curvature of g at x = 1/2, 4 kB T - 2 Omega, vanishes; above
  // it is positive, below negative.
  RegularSolution model(0.1, 0);
  const double    Tc = model.critical_temperature();
  EXPECT_NEAR(Tc, 0.1 / (2 * 8.617333262e-5), 1e-6); // kB to 10 digits
  EXPECT_NEAR(model.chemical_potential_derivative(0.5, Tc), 0, 1e-15);
  EXPECT_GT(model.chemical_potential_derivative(0.5, 1.01 * Tc), 0);
  EXPECT_LT(model.chemical_potential_derivative(0.5, 0.99 * Tc), 0);
}

TEST(RegularSolution, DerivativesMatchFiniteDifferences)
{
  const double mu0 = -3.4;
  for (const double omega : {-0.05, 0.12})
    for (const double T : {250.0, 900.0})
      {
        RegularSolution model(omega, mu0);
        const double    kT = kB * T;
        const auto      g  = [&](double x) { return model.free_energy(x, T); };
        const auto      mu
          = [&](double x) { return model.chemical_potential(x, T); };
        for (const double x : {0.003, 0.05, 0.3, 0.5, 0.81, 0.97, 0.999})
          {
            // Step relative to the distance m from the nearer end member, where
            // the derivatives of the entropy scale like 1/m^k.
            const double m = std::min(x, 1 - x);
            const double h = 1e-4 * m;
            // |g'''| = |mu''| <= kT / m'^2 and |mu'''| <= 4 kT / m'^3 with
            // m' = m - h the closest approach within the stencil.
            const double m_stencil     = m - h;
            const double entropy_terms = kT * (2 + std::abs(std::log(m)));
            expect_derivative(g,
                              model.chemical_potential(x, T),
                              x,
                              h,
                              kT / (m_stencil * m_stencil),
                              std::abs(mu0) * x + std::abs(omega)
                                + entropy_terms);
            expect_derivative(mu,
                              model.chemical_potential_derivative(x, T),
                              x,
                              h,
                              4 * kT / (m_stencil * m_stencil * m_stencil),
                              std::abs(mu0) + std::abs(omega) + entropy_terms);
          }
      }
}

TEST(LandauFreeEnergy, MatchesClosedFormsAndFiniteDifferences)
{
  const double     A = 1.3, B = 0.2, C = -0.4, T = 300;
  LandauFreeEnergy model(A, B, C);
  EXPECT_EQ(model.name(), "landau");
  EXPECT_FALSE(model.has_ideal_entropy());
  const auto g  = [&](double x) { return model.free_energy(x, T); };
  const auto mu = [&](double x) { return model.chemical_potential(x, T); };

  for (const double x : {0.01, 0.2, 0.5, 0.6, 0.95})
    {
      const double y = x - 0.5;
      EXPECT_NEAR(g(x), A * std::pow(y, 4) - B * y * y + C, 1e-15);
      EXPECT_NEAR(mu(x), 4 * A * std::pow(y, 3) - 2 * B * y, 1e-15);
      EXPECT_NEAR(model.chemical_potential_derivative(x, T),
                  12 * A * y * y - 2 * B,
                  1e-15);
      // |g'''| = |24 A y| <= 12 A and |mu'''| = 24 A on (0,1).
      expect_derivative(g, mu(x), x, 1e-5, 12 * A, A + B + std::abs(C));
      expect_derivative(
        mu, model.chemical_potential_derivative(x, T), x, 1e-5, 24 * A, A + B);
    }
  // Temperature independent.
  EXPECT_EQ(g(0.3), model.free_energy(0.3, 1000.0));
  // The double-well minima sit at x = 1/2 -/+ sqrt(B / 2A).
  EXPECT_NEAR(mu(0.5 - std::sqrt(B / (2 * A))), 0, 1e-15);
}

TEST(ThermodynamicFactor, RegularSolutionClosedFormAndDiluteLimit)
{
  const double    omega = 0.12, T = 320, kT = kB * T;
  RegularSolution model(omega, -3.0);
  for (const double x : {1e-6, 0.1, 0.5, 0.9})
    {
      const double theta = 1 / (1 - x) - 2 * omega * x / kT;
      EXPECT_NEAR(thermo::thermodynamic_factor(model, x, T),
                  theta,
                  1e-14 * (1 / (1 - x) + 2 * omega * x / kT));
    }
  // Dilute limit: Theta = 1 + (1 - 2 Omega / kT) x + O(x^2), so
  // (Theta - 1) / x tends to 1 - 2 Omega / kT; the O(x) remainder is
  // x / (1 - x) - x <= 2 x^2, i.e. relative 1e-8 at x = 1e-8 or below;
  // Theta itself carries a few ulps of 1, i.e. ~16 eps / x in (Theta-1)/x.
  const double slope = 1 - 2 * omega / kT;
  for (const double x : {1e-8, 1e-10, 1e-12})
    {
      const double theta = thermo::thermodynamic_factor(model, x, T);
      EXPECT_NEAR(theta, 1.0, 2 * std::abs(slope) * x);
      EXPECT_NEAR((theta - 1) / x,
                  slope,
                  1e-8 * std::abs(slope) + 16 * eps / x);
    }
  // Inside the spinodal Theta < 0 (uphill diffusion).
  EXPECT_LT(thermo::thermodynamic_factor(model, 0.5, T), 0);
}

TEST(OpenCircuitVoltage, SignAndUnits)
{
  // A Li host at mu = -3.6 eV against Li metal at mu_ref = -1.9 eV sits at
  // U = 1.7 V; more strongly bound Li (lower mu) means a higher voltage.
  EXPECT_NEAR(thermo::open_circuit_voltage_from_ion_energy(-3.6, -1.9),
              1.7,
              1e-15);
  EXPECT_EQ(thermo::open_circuit_voltage_from_ion_energy(-4.0), 4.0);
  EXPECT_LT(thermo::open_circuit_voltage_from_ion_energy(-3.5, -1.9),
            thermo::open_circuit_voltage_from_ion_energy(-3.6, -1.9));

  // 1 eV per ion is F J/mol (F = N_A e): the molar form agrees to rounding.
  const double F = constants::avogadro * constants::elementary_charge;
  EXPECT_NEAR(thermo::open_circuit_voltage_from_molar(-3.6 * F, -1.9 * F),
              1.7,
              1e-14);
  EXPECT_NEAR(thermo::open_circuit_voltage_from_molar(-96485.33212),
              1.0,
              1e-10); // F to 10 digits

  // A regular-solution host discharges down a falling voltage curve.
  RegularSolution model(0.05, -3.4); // T_c = 290 K
  double          previous = std::numeric_limits<double>::infinity();
  for (int k = 1; k < 100; ++k)
    {
      const double x = 0.01 * k;
      const double U = thermo::open_circuit_voltage_from_ion_energy(
        model.chemical_potential(x, 300), 0);
      EXPECT_LT(U, previous) << x;
      previous = U;
    }
}

TEST(FreeEnergyModel, CloneKeepsTheModel)
{
  RegularSolution rs(0.1, -3);
  const auto      copy = rs.clone();
  EXPECT_EQ(copy->name(), "regular_solution");
  EXPECT_EQ(copy->chemical_potential(0.3, 300),
            rs.chemical_potential(0.3, 300));
  LandauFreeEnergy landau(1, 0.2, 0);
  EXPECT_EQ(landau.clone()->free_energy(0.3, 300),
            landau.free_energy(0.3, 300));
}

TEST(FreeEnergyModel, RejectsBadArguments)
{
  const double     nan = std::numeric_limits<double>::quiet_NaN();
  const double     inf = std::numeric_limits<double>::infinity();
  RegularSolution  rs(0.1, -3);
  LandauFreeEnergy landau(1, 0.2, 0);
  for (const thermo::FreeEnergyModel *model :
       std::vector<const thermo::FreeEnergyModel *>{&rs, &landau})
    {
      for (const double x : {0.0, 1.0, -0.1, 1.1, nan})
        {
          EXPECT_THROW(model->free_energy(x, 300), std::invalid_argument) << x;
          EXPECT_THROW(model->chemical_potential(x, 300),
                       std::invalid_argument);
          EXPECT_THROW(model->chemical_potential_derivative(x, 300),
                       std::invalid_argument);
          EXPECT_THROW(thermo::thermodynamic_factor(*model, x, 300),
                       std::invalid_argument);
        }
      for (const double T : {0.0, -10.0, nan, inf})
        {
          EXPECT_THROW(model->free_energy(0.5, T), std::invalid_argument) << T;
          EXPECT_THROW(model->chemical_potential(0.5, T),
                       std::invalid_argument);
          EXPECT_THROW(model->chemical_potential_derivative(0.5, T),
                       std::invalid_argument);
          EXPECT_THROW(thermo::thermodynamic_factor(*model, 0.5, T),
                       std::invalid_argument);
        }
    }
  EXPECT_THROW(RegularSolution(nan, 0), std::invalid_argument);
  EXPECT_THROW(RegularSolution(0.1, inf), std::invalid_argument);
  EXPECT_THROW(LandauFreeEnergy(0, 0.2, 0), std::invalid_argument);
  EXPECT_THROW(LandauFreeEnergy(-1, 0.2, 0), std::invalid_argument);
  EXPECT_THROW(LandauFreeEnergy(1, nan, 0), std::invalid_argument);
  EXPECT_THROW(thermo::open_circuit_voltage_from_ion_energy(nan),
               std::invalid_argument);
  EXPECT_THROW(thermo::open_circuit_voltage_from_molar(0, inf),
               std::invalid_argument);
}
