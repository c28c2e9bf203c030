// Transition-state-theory diffusivities against hand-evaluated closed forms.

#include <scalebridge/base/constants.h>
#include <scalebridge/thermo/free_energy.h>
#include <scalebridge/transport/diffusion.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace scalebridge;
using transport::MigrationParameters;

namespace
{
  /// Li hopping in a layered oxide, roughly.
  MigrationParameters
  layered_oxide()
  {
    MigrationParameters p;
    p.barrier_eV           = 0.42;
    p.attempt_frequency_Hz = 1e13;
    p.jump_distance_m      = 2.9e-10;
    p.coordination         = 6;
    p.correlation_factor   = 0.78;
    return p;
  }
} // namespace

TEST(Diffusion, PrefactorClosedForm)
{
  // z f a^2 nu0 / 6 = 6 * 0.78 * 8.41e-20 * 1e13 / 6 = 6.5598e-7 m^2/s,
  // evaluated by hand; rounding only.
  EXPECT_NEAR(transport::diffusivity_prefactor(layered_oxide()),
              6.5598e-7,
              1e-15 * 6.5598e-7 * 4);
  MigrationParameters one_d;
  one_d.attempt_frequency_Hz = 6e12;
  one_d.jump_distance_m      = 1e-10;
  one_d.coordination         = 1;
  EXPECT_NEAR(transport::diffusivity_prefactor(one_d), 1e-8, 4e-24);
}

TEST(Diffusion, TracerDiffusivityArrhenius)
{
  const MigrationParameters p  = layered_oxide();
  const double              D0 = transport::diffusivity_prefactor(p);
  for (const double T : {250.0, 300.0, 600.0, 1200.0})
    {
      // Independently in SI: E_m [J] / (kB [J/K] T). The exponent is at most
      // ~20, so exp() carries ~20 eps relative error; 1e-13 leaves margin.
      const double exponent = p.barrier_eV * constants::elementary_charge
                              / (constants::boltzmann * T);
      EXPECT_NEAR(transport::tracer_diffusivity(p, T),
                  D0 * std::exp(-exponent),
                  1e-13 * D0 * std::exp(-exponent))
        << T;
    }
  // Room temperature: ~5.4e-14 m^2/s, the usual order for layered oxides.
  const double D300 = transport::tracer_diffusivity(p, 300);
  EXPECT_GT(D300, 1e-14);
  EXPECT_LT(D300, 1e-13);
  // Slope of ln D against 1/T is -E_m / kB.
  const double slope = std::log(transport::tracer_diffusivity(p, 400) / D300)
                       / (1.0 / 400 - 1.0 / 300);
  EXPECT_NEAR(slope,
              -p.barrier_eV / constants::boltzmann_eV,
              1e-10 * std::abs(slope));
  // No barrier: D = D0 at any T.
  MigrationParameters free = p;
  free.barrier_eV          = 0;
  EXPECT_EQ(transport::tracer_diffusivity(free, 300), D0);
}

TEST(Diffusion, ChemicalDiffusivityUsesTheThermodynamicFactor)
{
  EXPECT_EQ(transport::chemical_diffusivity(2e-14, 3.5), 7e-14);
  // With a regular solution, D_chem -> D_tr in the dilute limit (Theta -> 1)
  // and D_chem < 0 inside the spinodal (uphill diffusion).
  const double                  T = 300;
  const thermo::RegularSolution model(0.12, -3.4);
  const double D_tr   = transport::tracer_diffusivity(layered_oxide(), T);
  const double dilute = transport::chemical_diffusivity(
    D_tr, thermo::thermodynamic_factor(model, 1e-9, T));
  // Theta - 1 ~ (1 - 2 Omega / kT) x ~ 1e-8 at x = 1e-9.
  EXPECT_NEAR(dilute, D_tr, 1e-8 * D_tr);
  EXPECT_LT(transport::chemical_diffusivity(
              D_tr, thermo::thermodynamic_factor(model, 0.5, T)),
            0);
}

TEST(Diffusion, RejectsBadParameters)
{
  const double nan  = std::numeric_limits<double>::quiet_NaN();
  const auto   with = [](auto change) {
    MigrationParameters p = layered_oxide();
    change(p);
    return p;
  };
  const MigrationParameters bad[] = {
    with([](auto &p) { p.attempt_frequency_Hz = 0; }),
    with([](auto &p) { p.attempt_frequency_Hz = -1e13; }),
    with([](auto &p) { p.jump_distance_m = 0; }),
    with([nan](auto &p) { p.jump_distance_m = nan; }),
    with([](auto &p) { p.coordination = 0.5; }),
    with([](auto &p) { p.correlation_factor = 0; }),
    with([](auto &p) { p.correlation_factor = 1.2; }),
  };
  for (const auto &p : bad)
    {
      EXPECT_THROW(transport::diffusivity_prefactor(p), std::invalid_argument);
      EXPECT_THROW(transport::tracer_diffusivity(p, 300),
                   std::invalid_argument);
    }
  const MigrationParameters negative_barrier
    = with([](auto &p) { p.barrier_eV = -0.1; });
  EXPECT_THROW(transport::tracer_diffusivity(negative_barrier, 300),
               std::invalid_argument);
  for (const double T : {0.0, -300.0, nan})
    EXPECT_THROW(transport::tracer_diffusivity(layered_oxide(), T),
                 std::invalid_argument);
  EXPECT_THROW(transport::chemical_diffusivity(-1e-14, 1),
               std::invalid_argument);
  EXPECT_THROW(transport::chemical_diffusivity(1e-14, nan),
               std::invalid_argument);
}
