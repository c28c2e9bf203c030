// Butler-Volmer kinetics: closed forms, limits, derivative and the inverse
// over 24 decades of current in both directions.

#include <scalebridge/base/constants.h>
#include <scalebridge/kinetics/butler_volmer.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace scalebridge;
using kinetics::ButlerVolmer;

namespace
{
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double     T   = 298.15;

  /// F / RT [1/V], from e / kB (the same number through other constants).
  double
  thermal_inverse_voltage(const double temperature)
  {
    return constants::elementary_charge / (constants::boltzmann * temperature);
  }
} // namespace

TEST(ButlerVolmer, MatchesTextbookForm)
{
  // Away from eta = 0 the two exponentials do not cancel and the textbook
  // form is accurate to a few ulps; the exponents stay below ~40, so exp()
  // errs by < 40 eps relative, hence 1e-13.
  for (const double alpha : {0.2, 0.5, 0.7})
    for (const double n : {1.0, 2.0})
      {
        const ButlerVolmer bv{3.0, alpha, n};
        const double       f = n * thermal_inverse_voltage(T);
        for (const double eta : {-0.5, -0.1, -0.01, 0.01, 0.1, 0.5})
          {
            const double i = 3.0
                             * (std::exp((1 - alpha) * f * eta)
                                - std::exp(-alpha * f * eta));
            EXPECT_NEAR(bv.current(eta, T), i, 1e-13 * std::abs(i))
              << alpha << ' ' << n << ' ' << eta;
            // Anodic current positive.
            EXPECT_EQ(bv.current(eta, T) > 0, eta > 0);
          }
      }
}

TEST(ButlerVolmer, SymmetricCaseIsTwoSinh)
{
  // alpha = 1/2: i = 2 i0 sinh(n F eta / 2RT) for all eta, including tiny
  // ones where the difference of exponentials would lose all digits. The
  // two evaluations of F eta / RT differ by ~2 ulps, which changes sinh by
  // (xi/2) coth(xi/2) ~ up to 20 times that: 1e-13 relative.
  for (const double n : {1.0, 2.0})
    {
      const ButlerVolmer bv{1e-2, 0.5, n};
      const double       f = n * thermal_inverse_voltage(T);
      for (const double eta : {1e-14, 1e-9, 1e-4, 0.02, 0.3, 1.0})
        for (const double sign : {-1.0, 1.0})
          {
            const double i = 2 * 1e-2 * std::sinh(sign * f * eta / 2);
            EXPECT_NEAR(bv.current(sign * eta, T), i, 1e-13 * std::abs(i))
              << n << ' ' << sign * eta;
          }
    }
  EXPECT_EQ(ButlerVolmer{1.0}.current(0.0, T), 0.0);
}

TEST(ButlerVolmer, LinearRegimeGivesChargeTransferResistance)
{
  // i = i0 (xi + (1 - 2 alpha) xi^2 / 2 + O(xi^3)), xi = n F eta / RT; at
  // xi ~ 4e-9 the cubic remainder is relative ~xi^2 ~ 1e-17, below the
  // rounding of a few eps. A naive difference of exponentials would be off
  // by ~eps / xi ~ 6e-8.
  const ButlerVolmer bv{5.0, 0.3, 1};
  const double       eta = 1e-10, xi = thermal_inverse_voltage(T) * eta;
  EXPECT_NEAR(bv.current(eta, T) / (5.0 * xi),
              1.0 + (1 - 2 * 0.3) * xi / 2,
              xi * xi + 8 * eps);
  EXPECT_NEAR(bv.current_derivative(0.0, T),
              5.0 * thermal_inverse_voltage(T),
              4 * eps * 5.0 * thermal_inverse_voltage(T));
}

TEST(ButlerVolmer, DerivativeMatchesClosedFormAndFiniteDifferences)
{
  for (const double alpha : {0.25, 0.5, 0.8})
    {
      const ButlerVolmer bv{2.0, alpha, 1};
      const double       f = thermal_inverse_voltage(T);
      for (const double eta : {-0.3, -0.02, 0.0, 0.01, 0.25})
        {
          const double di = 2.0 * f
                            * ((1 - alpha) * std::exp((1 - alpha) * f * eta)
                               + alpha * std::exp(-alpha * f * eta));
          EXPECT_NEAR(bv.current_derivative(eta, T), di, 1e-13 * di);
          // Central difference, h = 1e-6 V: truncation (f h)^2 / 6 ~ 3e-10
          // relative; rounding eps |i| / (h i') ~ 1e-16 / (f h) ~ 3e-12.
          const double h = 1e-6;
          const double fd
            = (bv.current(eta + h, T) - bv.current(eta - h, T)) / (2 * h);
          EXPECT_NEAR(bv.current_derivative(eta, T), fd, 1e-8 * di) << eta;
        }
    }
}

TEST(ButlerVolmer, InverseRoundTripOverTwentyFourDecades)
{
  // current(overpotential(i)) = i for |i| / i0 from 1e-12 to 1e12. The
  // inverse resolves xi to a few ulps; the current's sensitivity
  // d ln i / d ln xi is at most ~(1-alpha) xi ~ 30 here, and current() adds
  // its own few ulps times the exponent, so 1e-12 relative has margin.
  for (const double alpha : {0.2, 0.5, 0.8})
    for (const double n : {1.0, 2.0})
      {
        const ButlerVolmer bv{0.7, alpha, n};
        for (int p = -12; p <= 12; ++p)
          for (const double sign : {-1.0, 1.0})
            {
              const double i   = sign * 0.7 * std::pow(10.0, p);
              const double eta = bv.overpotential(i, T);
              EXPECT_TRUE(std::isfinite(eta));
              EXPECT_EQ(eta > 0, sign > 0);
              EXPECT_NEAR(bv.current(eta, T), i, 1e-12 * std::abs(i))
                << alpha << ' ' << n << ' ' << i;
            }
        // And eta -> i -> eta.
        for (const double eta :
             {-1.2, -0.3, -1e-3, -1e-10, 1e-10, 1e-3, 0.3, 1.2})
          EXPECT_NEAR(bv.overpotential(bv.current(eta, T), T),
                      eta,
                      1e-13 * std::abs(eta))
            << eta;
      }
  EXPECT_EQ(ButlerVolmer{1.0}.overpotential(0.0, T), 0.0);
}

TEST(ButlerVolmer, InverseSurvivesExtremeCurrents)
{
  // |i| = 1e300 i0: the forward exponentials would overflow, the inverse
  // must not. There the Tafel form is exact to double precision:
  // xi = ln(r) / (1 - alpha) + ln(1 - e^-xi) / ... with e^-xi ~ 1e-300.
  const ButlerVolmer bv{1e-3, 0.4, 1};
  const double       f     = thermal_inverse_voltage(T);
  const double       log_r = std::log(1e300);
  EXPECT_NEAR(bv.overpotential(1e297, T),
              log_r / (0.6 * f),
              1e-13 * log_r / (0.6 * f));
  EXPECT_NEAR(bv.overpotential(-1e297, T),
              -log_r / (0.4 * f),
              1e-13 * log_r / (0.4 * f));
  EXPECT_TRUE(
    std::isfinite(bv.overpotential(std::numeric_limits<double>::max(), T)));
  // Tiny currents: the linear regime, eta = i / (i0 f) to relative ~xi.
  EXPECT_NEAR(bv.overpotential(1e-303, T), 1e-300 / f, 1e-12 * 1e-300 / f);
}

TEST(ButlerVolmer, TafelSlopes)
{
  // For |eta| >> RT/F one exponential dominates: eta grows by
  // ln(10) RT / ((1-alpha) n F) per decade of anodic current and by
  // ln(10) RT / (alpha n F) per decade of cathodic current. At 1e9 i0 the
  // neglected exponential is e^-xi ~ 1e-16 relative.
  for (const double alpha : {0.3, 0.5})
    {
      const ButlerVolmer bv{1.0, alpha, 2};
      const double       f = 2 * thermal_inverse_voltage(T);
      const double       anodic
        = bv.overpotential(1e10, T) - bv.overpotential(1e9, T);
      const double cathodic
        = bv.overpotential(-1e10, T) - bv.overpotential(-1e9, T);
      EXPECT_NEAR(anodic, std::log(10.0) / ((1 - alpha) * f), 1e-10);
      EXPECT_NEAR(cathodic, -std::log(10.0) / (alpha * f), 1e-10);
    }
  // n = 1, alpha = 1/2 at 25 C: 2 ln(10) RT / F = 118.3 mV per decade.
  const ButlerVolmer one{1.0, 0.5, 1};
  EXPECT_NEAR(one.overpotential(1e10, T) - one.overpotential(1e9, T),
              0.1183,
              2e-4);
}

TEST(ButlerVolmer, SwappingAlphaMirrorsTheCurve)
{
  // i(-eta; alpha) = -i(eta; 1 - alpha), so the inverse mirrors too.
  const ButlerVolmer a{2.0, 0.3, 1}, b{2.0, 0.7, 1};
  for (const double i : {1e-5, 0.3, 40.0, 1e8})
    EXPECT_NEAR(a.overpotential(-i, T),
                -b.overpotential(i, T),
                1e-15 * std::abs(b.overpotential(i, T)) * 4);
  const ButlerVolmer half{2.0, 0.5, 1};
  EXPECT_EQ(half.overpotential(-3.0, T), -half.overpotential(3.0, T));
}

TEST(ExchangeCurrentDensity, Arrhenius)
{
  // i0 = A exp(-dG / kB T), evaluated here in SI units.
  const double A = 1e6, dG = 0.55;
  const double expected = A
                          * std::exp(-dG * constants::elementary_charge
                                     / (constants::boltzmann * T));
  EXPECT_NEAR(kinetics::exchange_current_density(A, dG, T),
              expected,
              1e-13 * expected);
  EXPECT_EQ(kinetics::exchange_current_density(A, 0.0, T), A);
  // Higher temperature, faster kinetics.
  EXPECT_GT(kinetics::exchange_current_density(A, dG, 330),
            kinetics::exchange_current_density(A, dG, T));
}

TEST(ButlerVolmer, RejectsBadParameters)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const ButlerVolmer bad : {ButlerVolmer{0.0},
                                 ButlerVolmer{-1.0},
                                 ButlerVolmer{nan},
                                 ButlerVolmer{1.0, 0.0},
                                 ButlerVolmer{1.0, 1.0},
                                 ButlerVolmer{1.0, -0.2},
                                 ButlerVolmer{1.0, 1.5},
                                 ButlerVolmer{1.0, nan},
                                 ButlerVolmer{1.0, 0.5, 0.0}})
    {
      EXPECT_THROW(bad.current(0.1, T), std::invalid_argument);
      EXPECT_THROW(bad.current_derivative(0.1, T), std::invalid_argument);
      EXPECT_THROW(bad.overpotential(1.0, T), std::invalid_argument);
    }
  const ButlerVolmer bv{1.0};
  for (const double temperature : {0.0, -5.0, nan})
    {
      EXPECT_THROW(bv.current(0.1, temperature), std::invalid_argument);
      EXPECT_THROW(bv.overpotential(1.0, temperature), std::invalid_argument);
    }
  EXPECT_THROW(bv.current(nan, T), std::invalid_argument);
  EXPECT_THROW(bv.overpotential(nan, T), std::invalid_argument);
  EXPECT_THROW(bv.overpotential(std::numeric_limits<double>::infinity(), T),
               std::invalid_argument);
  EXPECT_THROW(kinetics::exchange_current_density(0, 0.5, T),
               std::invalid_argument);
  EXPECT_THROW(kinetics::exchange_current_density(1, -0.1, T),
               std::invalid_argument);
  EXPECT_THROW(kinetics::exchange_current_density(1, 0.5, 0),
               std::invalid_argument);
}
