// Monotone cubic Hermite OCV table: interpolation, shape preservation,
// smoothness, extrapolation and convergence.

#include <scalebridge/thermo/ocv_table.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using scalebridge::thermo::OcvTable;

namespace
{
  /**
   * An LFP-like curve: steep ends, a nearly flat plateau. The unlimited
   * mean-of-secants Hermite interpolant overshoots it by 3e-5 V between
   * 0.9 and 0.95 (it rises on a falling curve); the Fritsch-Carlson limiter
   * must prevent that.
   */
  OcvTable
  plateau_table()
  {
    return OcvTable({0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0},
                    {3.8, 3.5, 3.43, 3.42, 3.41, 3.2, 2.5});
  }
} // namespace

TEST(OcvTable, InterpolatesTheNodes)
{
  const OcvTable table = plateau_table();
  for (size_t k = 0; k < table.x_values().size(); ++k)
    EXPECT_EQ(table.value(table.x_values()[k]), table.U_values()[k]) << k;
  EXPECT_EQ(table.x_values().size(), 7u);
}

TEST(OcvTable, ReproducesLinearDataExactly)
{
  // All secants equal, so every slope is the line's slope and the Hermite
  // cubic is the line itself; only rounding remains (~1e-15 V).
  const OcvTable table({0.0, 0.1, 0.35, 0.4, 1.0},
                       {4.0, 3.95, 3.825, 3.8, 3.5});
  for (double x = -0.5; x <= 1.5; x += 0.01)
    {
      EXPECT_NEAR(table.value(x), 4.0 - 0.5 * x, 1e-14) << x;
      EXPECT_NEAR(table.derivative(x), -0.5, 1e-13) << x;
    }
}

TEST(OcvTable, MonotoneDataGiveMonotoneCurveWithoutOvershoot)
{
  const OcvTable table    = plateau_table();
  const auto    &xs       = table.x_values();
  const auto    &Us       = table.U_values();
  double         previous = table.value(0.0);
  for (int k = 1; k <= 20000; ++k)
    {
      const double x = k / 20000.0;
      const double U = table.value(x);
      // Rounding of the cubic is ~1e-15 V; the overshoot to be excluded is
      // 3e-5 V.
      EXPECT_LE(U, previous + 1e-14) << x;
      EXPECT_LE(table.derivative(x), 1e-14) << x;
      // Each interval stays between its end values.
      const size_t i
        = std::min<size_t>(std::upper_bound(xs.begin(), xs.end(), x)
                             - xs.begin() - 1,
                           xs.size() - 2);
      EXPECT_LE(U, Us[i] + 1e-14) << x;
      EXPECT_GE(U, Us[i + 1] - 1e-14) << x;
      previous = U;
    }
}

TEST(OcvTable, DerivativeIsContinuousAndConsistent)
{
  const OcvTable table = plateau_table();
  // On an interval of width h with secant d the limited slopes obey
  // |m| <= 3 |d|, so |U''| <= (6 + 4 * 3 + 4 * 3) |d| / h <= 8400 V and
  // |U'''| <= (12 + 6 * 3 + 6 * 3) |d| / h^2 <= 2.7e5 V for this table
  // (|d| <= 14 V, h >= 0.05).
  //
  // Across each node the one-sided derivatives agree to |U''| * 2 delta; a
  // jump in the slope would be O(1).
  const double delta = 1e-9;
  for (const double x : table.x_values())
    EXPECT_NEAR(table.derivative(x - delta),
                table.derivative(x + delta),
                8400 * 2 * delta)
      << x;
  // Against central differences with step h away from the nodes (the
  // nearest is 1e-4 away): truncation h^2 / 6 |U'''| <= 4.5e-8 V, rounding
  // eps * 3.8 V / h ~ 1e-9 V; doubled.
  for (int k = 0; k < 27; ++k)
    {
      const double x  = 0.013 + 0.0371 * k;
      const double h  = 1e-6;
      const double fd = (table.value(x + h) - table.value(x - h)) / (2 * h);
      EXPECT_NEAR(table.derivative(x), fd, 1e-7) << x;
    }
}

TEST(OcvTable, ExtendsLinearlyWithTheEndSlopes)
{
  const OcvTable table = plateau_table();
  const double   s0 = table.derivative(0.0), s1 = table.derivative(1.0);
  EXPECT_LT(s0, 0);
  EXPECT_LT(s1, 0);
  for (const double d : {1e-6, 0.1, 2.0})
    {
      // Rounding of values up to ~30 V.
      EXPECT_NEAR(table.value(-d), 3.8 - s0 * d, 1e-13) << d;
      EXPECT_NEAR(table.value(1 + d), 2.5 + s1 * d, 1e-13) << d;
      EXPECT_EQ(table.derivative(-d), s0);
      EXPECT_EQ(table.derivative(1 + d), s1);
    }
}

TEST(OcvTable, ConvergesAtThirdOrderForSmoothData)
{
  // Slopes from averaged secants are O(h^2) accurate (O(h) at the ends, where
  // they enter multiplied by h), so the interpolation error is O(h^3): it
  // drops by ~8 per halving. Requiring > 6 fails for a second-order method
  // (ratio 4).
  const auto U = [](double x) {
    return 3.5 - 0.3 * x - 0.1 * std::tanh((x - 0.5) / 0.15);
  };
  double previous_error = 0;
  for (const int n : {21, 41, 81, 161})
    {
      std::vector<double> x(n), u(n);
      for (int i = 0; i < n; ++i)
        {
          x[i] = double(i) / (n - 1);
          u[i] = U(x[i]);
        }
      const OcvTable table(x, u);
      double         error = 0;
      for (int k = 0; k <= 7919; ++k)
        error
          = std::max(error, std::abs(table.value(k / 7919.0) - U(k / 7919.0)));
      if (previous_error > 0)
        {
          EXPECT_GT(previous_error / error, 6.0) << n;
        }
      previous_error = error;
    }
  EXPECT_LT(previous_error, 1e-6);
}

TEST(OcvTable, RejectsBadTables)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(OcvTable({0.0}, {3.0}), std::invalid_argument);
  EXPECT_THROW(OcvTable({0.0, 1.0}, {3.0}), std::invalid_argument);
  EXPECT_THROW(OcvTable({0.0, 0.5, 0.5}, {3.0, 2.9, 2.8}),
               std::invalid_argument);
  EXPECT_THROW(OcvTable({0.0, 0.6, 0.5}, {3.0, 2.9, 2.8}),
               std::invalid_argument);
  EXPECT_THROW(OcvTable({0.0, nan}, {3.0, 2.9}), std::invalid_argument);
  EXPECT_THROW(OcvTable({0.0, 1.0}, {3.0, nan}), std::invalid_argument);
  EXPECT_THROW(plateau_table().value(nan), std::invalid_argument);
  // Two points: a straight line.
  const OcvTable line({0.0, 1.0}, {4.0, 3.0});
  EXPECT_NEAR(line.value(0.25), 3.75, 1e-15);
}
