// Green-Kubo: Ornstein-Uhlenbeck fluxes with a known integral (coverage
// over 200 seeds, convergence), the formulas' units (J V versus J, metal
// versus SI, thermal versus ionic) and too-short series.

#include <scalebridge/atomistic/green_kubo.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/base/constants.h>

#include <gtest/gtest.h>

#include <cmath>

#include "atomistic_test_support.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;

namespace
{
  /// Ionic conductivity in SI with V = 1 m^3, T = 1 K, rows 1 s apart:
  /// sigma = integral / (3 kB).
  GreenKuboOptions
  si_ionic()
  {
    GreenKuboOptions o;
    o.quantity     = GreenKuboQuantity::ionic_conductivity;
    o.units        = md_units("si");
    o.volume       = 1;
    o.temperature  = 1;
    o.time_per_row = 1;
    return o;
  }
} // namespace

TEST(GreenKubo, OrnsteinUhlenbeckCoverage)
{
  const double tau = 3, variance = 2;
  const double truth
    = ornstein_uhlenbeck_integral(tau, variance) / (3 * constants::boltzmann);
  unsigned int cover = 0;
  const int    seeds = 200;
  for (int seed = 1; seed <= seeds; ++seed)
    {
      const auto r
        = analyse_green_kubo(ornstein_uhlenbeck_flux(8000, tau, variance, seed),
                             si_ionic(),
                             "f",
                             "F");
      ASSERT_TRUE(r.automatic);
      cover += std::abs(r.value.value - truth) <= 2 * r.value.standard_error;
    }
  const double fraction = double(cover) / seeds;
  std::cout << "Ornstein-Uhlenbeck Green-Kubo: +-2 SE covers the truth in "
            << fraction << " of " << seeds << " seeds\n";
  EXPECT_GE(fraction, test_support::coverage_low);
  EXPECT_LE(fraction, test_support::coverage_high);
}

TEST(GreenKubo, ConvergesAsTheSeriesGrows)
{
  const double truth
    = ornstein_uhlenbeck_integral(3, 1) / (3 * constants::boltzmann);
  double se_short = 0, se_long = 0;
  for (int s = 0; s < 4; ++s)
    {
      const auto a = analyse_green_kubo(ornstein_uhlenbeck_flux(5000, 3, 1, s),
                                        si_ionic(),
                                        "f",
                                        "F");
      const auto b = analyse_green_kubo(
        ornstein_uhlenbeck_flux(80000, 3, 1, 50 + s), si_ionic(), "f", "F");
      se_short += a.value.standard_error;
      se_long += b.value.standard_error;
      EXPECT_LT(std::abs(b.value.value - truth), 4 * b.value.standard_error);
    }
  EXPECT_GT(se_short / se_long, 2.5);
  EXPECT_LT(se_short / se_long, 6.5);
}

TEST(GreenKubo, UnitsOfTheFlux)
{
  // Thermal conductivity of one heat flux written in metal units (eV A/ps,
  // extensive J V), per volume (J), and in SI: the same kappa, and the
  // formula kappa = int <J.J> / (3 V kB T^2) by hand.
  const auto       flux = ornstein_uhlenbeck_flux(6000, 4, 1500, 3);
  const double     V = 8000, T = 300, dt = 0.01; // A^3, K, ps
  GreenKuboOptions metal;
  metal.units         = md_units("metal");
  metal.volume        = V;
  metal.temperature   = T;
  metal.time_per_row  = dt;
  metal.plateau_start = metal.plateau_end = 0.3; // a fixed window
  const auto kappa = analyse_green_kubo(flux, metal, "f", "F");

  auto per_volume = flux;
  for (auto &c : per_volume)
    for (double &v : c)
      v /= V;
  GreenKuboOptions pv = metal;
  pv.times_volume     = false;
  EXPECT_NEAR(analyse_green_kubo(per_volume, pv, "f", "F").value.value
                / kappa.value.value,
              1,
              1e-12);

  auto         si      = flux;
  const double eV_A_ps = constants::electronvolt * 1e-10 / 1e-12;
  for (auto &c : si)
    for (double &v : c)
      v *= eV_A_ps;
  GreenKuboOptions s = metal;
  s.units            = md_units("si");
  s.volume           = V * 1e-30;
  s.time_per_row     = dt * 1e-12;
  s.plateau_start = s.plateau_end = 0.3e-12;
  EXPECT_NEAR(analyse_green_kubo(si, s, "f", "F").value.value
                / kappa.value.value,
              1,
              1e-9);

  // By hand: trapezoid of <J.J> up to lag 30.
  double integral = 0;
  for (std::size_t m = 0; m <= 30; ++m)
    {
      double c = 0;
      for (const auto &comp : si)
        for (std::size_t k = 0; k + m < comp.size(); ++k)
          c += comp[k] * comp[k + m];
      c /= double(si[0].size() - m);
      integral += (m == 0 || m == 30 ? 0.5 : 1.0) * c;
    }
  const double expected
    = integral * dt * 1e-12 / (3 * V * 1e-30 * constants::boltzmann * T * T);
  EXPECT_NEAR(kappa.value.value / expected, 1, 1e-9);
  EXPECT_NEAR(kappa.value.value, 1.557, 0.3); // the example's kappa

  // Ionic: divided by T once, not twice.
  GreenKuboOptions ionic = metal;
  ionic.quantity         = GreenKuboQuantity::ionic_conductivity;
  const double sigma  = analyse_green_kubo(flux, ionic, "f", "F").value.value;
  const double e_A_ps = constants::elementary_charge * 1e-10 / 1e-12;
  EXPECT_NEAR(sigma / kappa.value.value,
              T * std::pow(e_A_ps / eV_A_ps, 2),
              1e-9 * sigma / kappa.value.value);
}

TEST(GreenKubo, TooShortSeriesSaysWhatIsNeeded)
{
  test_support::expect_input_error(
    [] {
      analyse_green_kubo(ornstein_uhlenbeck_flux(300, 3, 1, 1),
                         si_ionic(),
                         "flux.dat",
                         "Green-Kubo/Flux file");
    },
    {"flux.dat", "Green-Kubo/Flux file", "300 rows", "at least 400 rows"});
  test_support::expect_input_error(
    [] {
      analyse_green_kubo(ornstein_uhlenbeck_flux(1000, 10, 1, 1),
                         si_ionic(),
                         "flux.dat",
                         "Green-Kubo/Flux file");
    },
    {"decays at lag", "need at least"});
}
