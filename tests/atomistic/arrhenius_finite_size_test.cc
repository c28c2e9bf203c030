// Arrhenius fits with known E_m and D0 (coverage over 200 seeds, Birge
// scaling when errors are understated) and finite-size extrapolation
// (a + b/L, Yeh-Hummer).

#include <scalebridge/atomistic/arrhenius_fit.h>
#include <scalebridge/atomistic/finite_size.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/base/constants.h>

#include <gtest/gtest.h>

#include <cmath>

#include "atomistic_test_support.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;

TEST(Arrhenius, CoverageOfBarrierAndPrefactor)
{
  // Errors are known exactly here (no block estimate), so +-2 SE covers
  // 0.954: binomial sd over 200 seeds 1.5 %, band [0.91, 0.995].
  const double              E = 0.35, D0 = 5e-8, rel = 0.05;
  const std::vector<double> T       = {500, 600, 700, 800, 900};
  unsigned int              cover_E = 0, cover_D0 = 0;
  for (int seed = 1; seed <= 200; ++seed)
    {
      GaussianSource      g(seed);
      std::vector<double> D, se;
      for (const double t : T)
        {
          const double d = D0 * std::exp(-E / (constants::boltzmann_eV * t));
          D.push_back(d * std::exp(rel * g()));
          se.push_back(rel * D.back());
        }
      const auto r
        = fit_arrhenius_with_errors(T, D, se, ArrheniusQuantity::diffusivity);
      // Coverage in ln D0, where the error is Gaussian.
      cover_E
        += std::abs(r.barrier_eV.value - E) <= 2 * r.barrier_eV.standard_error;
      cover_D0 += std::abs(std::log(r.prefactor.value / D0))
                  <= 2 * std::sqrt(r.covariance_log[1][1]);
    }
  std::cout << "Arrhenius: +-2 SE covers E_m in " << cover_E / 200.0
            << ", ln D0 in " << cover_D0 / 200.0 << " of 200 seeds\n";
  EXPECT_GE(cover_E / 200.0, 0.91);
  EXPECT_LE(cover_E / 200.0, 0.995);
  EXPECT_GE(cover_D0 / 200.0, 0.91);
  EXPECT_LE(cover_D0 / 200.0, 0.995);
}

TEST(Arrhenius, UnderstatedErrorsAreScaledAndConductivityUsesSigmaT)
{
  const std::vector<double> T = {500, 600, 700, 800, 900};
  std::vector<double>       D, se;
  GaussianSource            g(1);
  for (const double t : T)
    {
      D.push_back(1e-8
                  * std::exp(-0.3 / (constants::boltzmann_eV * t) + 0.2 * g()));
      se.push_back(0.01 * D.back()); // 20x too small
    }
  const auto r
    = fit_arrhenius_with_errors(T, D, se, ArrheniusQuantity::diffusivity);
  EXPECT_GT(r.birge_ratio, 3);
  EXPECT_GT(r.barrier_eV.standard_error, 0.01);

  // sigma T = A exp(-E / kB T) exactly: E = 0.5 eV back, A = 1e6 S K/m.
  std::vector<double> sigma, s_se;
  for (const double t : T)
    {
      sigma.push_back(1e6 / t * std::exp(-0.5 / (constants::boltzmann_eV * t)));
      s_se.push_back(0.01 * sigma.back());
    }
  const auto c = fit_arrhenius_with_errors(T,
                                           sigma,
                                           s_se,
                                           ArrheniusQuantity::conductivity);
  EXPECT_NEAR(c.barrier_eV.value, 0.5, 1e-10);
  EXPECT_NEAR(c.prefactor.value / 1e6, 1, 1e-9);
}

TEST(FiniteSize, ExtrapolationAndYehHummer)
{
  const double        D_inf = 2e-9, T = 300, eta = 1e-3;
  std::vector<double> L = {1.5e-9, 2e-9, 3e-9, 4e-9}, D, se;
  for (const double l : L)
    {
      D.push_back(D_inf - yeh_hummer_correction(l, T, eta));
      se.push_back(3e-11);
    }
  const auto r = extrapolate_finite_size(L, D, se, true, T, eta);
  EXPECT_NEAR(r.infinite_size.value / D_inf, 1, 1e-10);
  EXPECT_NEAR(r.yeh_hummer_mean->value / D_inf, 1, 1e-10);
  EXPECT_NEAR(r.implied_viscosity_Pa_s->value / eta, 1, 1e-9);
  // xi kB T / (6 pi eta L) at 300 K, eta = 8.9e-4 Pa s (water), L = 2 nm:
  // 2.837297 * 4.1419e-21 / (6 pi 8.9e-4 2e-9) = 3.5026e-10 m^2/s.
  EXPECT_NEAR(yeh_hummer_correction(2e-9, 300, 8.9e-4), 3.5026e-10, 1e-13);
  // Error of a: noise-free points, so it is the propagated SE alone; the
  // extrapolation is less precise than any one point.
  EXPECT_GT(r.infinite_size.standard_error, 3e-11);

  EXPECT_THROW(extrapolate_finite_size(
                 {2e-9, 2e-9}, {1, 2}, {0.1, 0.1}, false, T, std::nullopt),
               std::invalid_argument);
}
