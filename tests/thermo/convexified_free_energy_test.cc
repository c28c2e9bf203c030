// The common-tangent convexification: equal to the model outside the gap,
// the tangent line inside, convex everywhere, mu continuous at the binodal,
// one temperature only; with rounded corners (the electrode's particle
// model, a phase-separating regular solution with the LiFePO4 card's
// Omega = 0.115 eV, 4.5 kB T at 298 K) monotone, C1 and with g the integral
// of mu.

#include <scalebridge/base/constants.h>
#include <scalebridge/thermo/free_energy.h>

#include "triple_well.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace scalebridge;
using test::TripleWell;
using thermo::ConvexifiedFreeEnergy;
using thermo::LandauFreeEnergy;
using thermo::RegularSolution;

namespace
{
  /// Dense compositions including points within 1e-12 of both ends.
  std::vector<double>
  probe_compositions()
  {
    std::vector<double> x;
    for (int p = 12; p >= 3; --p)
      x.push_back(std::pow(10.0, -p));
    for (int k = 1; k < 4000; ++k)
      x.push_back(k / 4000.0);
    for (int p = 3; p <= 12; ++p)
      x.push_back(1 - std::pow(10.0, -p));
    std::sort(x.begin(), x.end());
    return x;
  }

  /// mu of a convex g is non-decreasing; equal values are allowed on the
  /// plateau. The slack of a few ulps of |mu| covers the ~1e-15 difference
  /// between the plateau value and mu(model) just outside it.
  void
  expect_convex(const thermo::FreeEnergyModel &model, const double T)
  {
    const auto x        = probe_compositions();
    double     previous = model.chemical_potential(x[0], T);
    for (size_t k = 1; k < x.size(); ++k)
      {
        const double mu = model.chemical_potential(x[k], T);
        EXPECT_TRUE(std::isfinite(mu)) << x[k];
        EXPECT_GE(mu, previous - 1e-14 * (1 + std::abs(mu))) << x[k];
        EXPECT_GE(model.chemical_potential_derivative(x[k], T), 0.0) << x[k];
        previous = mu;
      }
  }
} // namespace

TEST(ConvexifiedFreeEnergy, RegularSolutionBelowCriticalTemperature)
{
  const double          T = 300; // T_c = 580 K
  RegularSolution       model(0.1, -3.4);
  ConvexifiedFreeEnergy convex(model, T);
  EXPECT_EQ(convex.name(), "convexified_regular_solution");
  EXPECT_TRUE(convex.has_ideal_entropy());

  ASSERT_TRUE(convex.binodal().has_value());
  const auto [x1, x2] = *convex.binodal();
  EXPECT_EQ(*convex.binodal(), *thermo::common_tangent(model, T));

  const double mu_plateau = model.chemical_potential(x1, T);
  const double g1         = model.free_energy(x1, T);
  for (const double x : probe_compositions())
    {
      if (x > x1 && x < x2)
        {
          // The tangent line: constant mu (1e-12: the tangent conditions hold
          // to ~1e-15 here), zero dmu/dx and Theta, and g below the model.
          EXPECT_NEAR(convex.chemical_potential(x, T), mu_plateau, 1e-12) << x;
          EXPECT_EQ(convex.chemical_potential_derivative(x, T), 0.0) << x;
          EXPECT_EQ(thermo::thermodynamic_factor(convex, x, T), 0.0) << x;
          EXPECT_NEAR(convex.free_energy(x, T),
                      g1 + mu_plateau * (x - x1),
                      1e-12);
          EXPECT_LE(convex.free_energy(x, T), model.free_energy(x, T) + 1e-12);
        }
      else
        {
          // The model itself, exactly, including near x = 0 and 1.
          EXPECT_EQ(convex.free_energy(x, T), model.free_energy(x, T)) << x;
          EXPECT_EQ(convex.chemical_potential(x, T),
                    model.chemical_potential(x, T));
          EXPECT_EQ(convex.chemical_potential_derivative(x, T),
                    model.chemical_potential_derivative(x, T));
        }
    }
  expect_convex(convex, T);
  // The dilute limit is the model's: Theta -> 1.
  EXPECT_NEAR(thermo::thermodynamic_factor(convex, 1e-12, T), 1.0, 1e-9);
}

TEST(ConvexifiedFreeEnergy, ContinuousAtTheBinodal)
{
  // Across a binodal point x_b, mu changes by at most dmu/dx(x_b) * delta
  // (outside) plus the tangent residual (< 1e-12), and g by first order
  // mu * delta: no jumps. dmu/dx itself jumps from the model value to 0.
  const double          T = 400, delta = 1e-9;
  RegularSolution       model(0.1, -3.4);
  ConvexifiedFreeEnergy convex(model, T);
  for (const double xb : {convex.binodal()->first, convex.binodal()->second})
    {
      const double bound = model.chemical_potential_derivative(xb, T) * delta;
      EXPECT_NEAR(convex.chemical_potential(xb - delta, T),
                  convex.chemical_potential(xb + delta, T),
                  bound + 1e-12)
        << xb;
      const double mu = convex.chemical_potential(xb, T);
      EXPECT_NEAR(convex.free_energy(xb + delta, T)
                    - convex.free_energy(xb - delta, T),
                  2 * delta * mu,
                  bound * delta + 1e-14)
        << xb;
    }
}

TEST(ConvexifiedFreeEnergy, LandauPlateauAtTheWellBottom)
{
  // Symmetric double well: the tangent is horizontal at the well bottom,
  // g = C - B^2 / 4A, mu = 0 inside 1/2 -/+ sqrt(B / 2A).
  const double          A = 1.0, B = 0.2, C = 0.05, T = 300;
  ConvexifiedFreeEnergy convex(LandauFreeEnergy(A, B, C), T);
  EXPECT_FALSE(convex.has_ideal_entropy());
  for (const double x : {0.2, 0.4, 0.5, 0.7, 0.8})
    {
      EXPECT_NEAR(convex.free_energy(x, T), C - B * B / (4 * A), 1e-14) << x;
      EXPECT_NEAR(convex.chemical_potential(x, T), 0.0, 1e-14) << x;
    }
  expect_convex(convex, T);
}

TEST(ConvexifiedFreeEnergy, EqualsModelWithoutPhaseSeparation)
{
  RegularSolution       model(0.1, -3.4);
  const double          T = 1.2 * model.critical_temperature();
  ConvexifiedFreeEnergy convex(model, T);
  EXPECT_FALSE(convex.binodal().has_value());
  for (const double x : probe_compositions())
    EXPECT_EQ(convex.chemical_potential(x, T), model.chemical_potential(x, T));

  // Convexifying twice changes nothing: the result has no gap left.
  RegularSolution       separating(0.1, -3.4);
  ConvexifiedFreeEnergy once(separating, 300);
  ConvexifiedFreeEnergy twice(once, 300);
  EXPECT_FALSE(twice.binodal().has_value());
  for (const double x : {0.01, 0.3, 0.5, 0.99})
    EXPECT_EQ(twice.free_energy(x, 300), once.free_energy(x, 300));
}

TEST(ConvexifiedFreeEnergy, CloneKeepsTheConvexification)
{
  ConvexifiedFreeEnergy convex(RegularSolution(0.1, -3.4), 300);
  const auto            copy = convex.clone();
  EXPECT_EQ(copy->name(), convex.name());
  for (const double x : {0.001, 0.3, 0.5, 0.999})
    EXPECT_EQ(copy->chemical_potential(x, 300),
              convex.chemical_potential(x, 300));
}

TEST(ConvexifiedFreeEnergy, RejectsOtherTemperaturesAndBadCompositions)
{
  ConvexifiedFreeEnergy convex(RegularSolution(0.1, -3.4), 300);
  EXPECT_THROW(convex.free_energy(0.5, 301), std::invalid_argument);
  EXPECT_THROW(convex.chemical_potential(0.5, 299), std::invalid_argument);
  EXPECT_THROW(convex.chemical_potential_derivative(0.01, 310),
               std::invalid_argument);
  // Rounding of the temperature is tolerated (25 + 273.15 vs 298.15).
  ConvexifiedFreeEnergy room(RegularSolution(0.1, -3.4), 298.15);
  EXPECT_NO_THROW(room.chemical_potential(0.5, 25.0 + 273.15));
  EXPECT_NO_THROW(convex.chemical_potential(0.5, 300 * (1 + 1e-14)));

  for (const double x : {0.0, 1.0, -0.2, 1.5})
    {
      EXPECT_THROW(convex.free_energy(x, 300), std::invalid_argument) << x;
      EXPECT_THROW(convex.chemical_potential(x, 300), std::invalid_argument);
    }
  EXPECT_THROW(ConvexifiedFreeEnergy(RegularSolution(0.1, 0), 0),
               std::invalid_argument);
  // The binodal of Omega / kT = 40 is not representable.
  EXPECT_THROW(ConvexifiedFreeEnergy(RegularSolution(1.0, 0),
                                     1.0 / (40 * constants::boltzmann_eV)),
               std::domain_error);
}

TEST(ConvexifiedFreeEnergy, RoundedCornersFlatMonotoneAndC1)
{
  const double    T = 298.15;
  RegularSolution model(0.115, -3.42);
  const auto      binodal = *thermo::common_tangent(model, T);
  // Symmetric regular solution: x2 = 1 - x1 and the plateau at mu0.
  EXPECT_NEAR(binodal.first + binodal.second, 1, 1e-10);
  const ConvexifiedFreeEnergy mu(model, T, 0.003);
  EXPECT_EQ(*mu.binodal(), binodal);
  EXPECT_NEAR(mu.plateau(), -3.42, 1e-10);
  EXPECT_EQ(mu.rounding(), 0.003);

  double d;
  // Exactly the common tangent inside, exactly the model outside.
  EXPECT_DOUBLE_EQ(mu.chemical_potential_and_derivative(0.5, T, d),
                   mu.plateau());
  EXPECT_EQ(d, 0);
  EXPECT_DOUBLE_EQ(mu.chemical_potential_and_derivative(0.3, T, d),
                   mu.plateau());
  EXPECT_DOUBLE_EQ(mu.chemical_potential_and_derivative(0.995, T, d),
                   model.chemical_potential(0.995, T));
  EXPECT_DOUBLE_EQ(d, model.chemical_potential_derivative(0.995, T));

  // Monotone everywhere (a non-negative diffusivity), the same through
  // each entry point, and C1 across the blend ends, where Newton's method
  // needs a continuous Jacobian.
  double previous = -1e9;
  for (double x = 1e-4; x < 1 - 1e-4; x += 1e-4)
    {
      const double value = mu.chemical_potential_and_derivative(x, T, d);
      EXPECT_GE(d, 0) << x;
      EXPECT_GE(value, previous - 1e-14) << x;
      EXPECT_EQ(value, mu.chemical_potential(x, T)) << x;
      EXPECT_EQ(d, mu.chemical_potential_derivative(x, T)) << x;
      previous = value;
    }
  const double r = mu.rounding();
  for (const double x : {binodal.first - r,
                         binodal.first + r,
                         binodal.second - r,
                         binodal.second + r})
    {
      double       dl, dr;
      const double eps = 1e-9;
      const double vl  = mu.chemical_potential_and_derivative(x - eps, T, dl);
      const double vr  = mu.chemical_potential_and_derivative(x + eps, T, dr);
      EXPECT_NEAR(vl, vr, 1e-6) << x;
      EXPECT_NEAR(dl, dr, 1e-3 * std::max(1.0, std::abs(dl))) << x;
    }
  // The rounding moves mu by about a millivolt at most.
  for (double x = binodal.first - r; x < binodal.first + r; x += r / 50)
    {
      const double exact
        = x < binodal.first ? model.chemical_potential(x, T) : mu.plateau();
      EXPECT_LT(std::abs(mu.chemical_potential(x, T) - exact), 3e-3) << x;
    }
}

TEST(ConvexifiedFreeEnergy, RoundedDerivativesMatchFiniteDifferences)
{
  // dmu/dx against mu, and mu against g (g integrates the rounded mu).
  const double                T = 298.15;
  RegularSolution             model(0.115, -3.42);
  const ConvexifiedFreeEnergy mu(model, T, 0.003);
  const auto                  binodal = *mu.binodal();
  const double                r       = mu.rounding();
  for (const double x : {0.001,
                         binodal.first - 0.9 * r,
                         binodal.first - 0.1 * r,
                         binodal.first + 0.5 * r,
                         0.4,
                         binodal.second - 0.5 * r,
                         binodal.second + 0.3 * r,
                         binodal.second + 0.99 * r,
                         0.999})
    {
      const double h = 1e-8;
      const double d = mu.chemical_potential_derivative(x, T);
      const double fd
        = (mu.chemical_potential(x + h, T) - mu.chemical_potential(x - h, T))
          / (2 * h);
      EXPECT_NEAR(d, fd, 1e-5 * std::max(1.0, std::abs(d))) << x;
      const double g_fd
        = (mu.free_energy(x + h, T) - mu.free_energy(x - h, T)) / (2 * h);
      EXPECT_NEAR(g_fd, mu.chemical_potential(x, T), 1e-6) << x;
    }
}

TEST(ConvexifiedFreeEnergy, RoundedFreeEnergyContinuousAndShifted)
{
  // g is continuous at the four blend ends; below the gap it is the model's
  // g, beyond it the model's g plus one constant of order s d^2.
  const double                T = 298.15;
  RegularSolution             model(0.115, -3.42);
  const ConvexifiedFreeEnergy g(model, T, 0.003);
  const auto [x1, x2] = *g.binodal();
  const double r      = g.rounding();
  for (const double x : {x1 - r, x1 + r, x2 - r, x2 + r})
    {
      const double eps = 1e-10;
      EXPECT_NEAR(g.free_energy(x - eps, T), g.free_energy(x + eps, T), 1e-9)
        << x;
    }
  for (const double x : {1e-6, 0.005, x1 - 1.01 * r})
    EXPECT_EQ(g.free_energy(x, T), model.free_energy(x, T)) << x;
  const double shift = g.free_energy(0.995, T) - model.free_energy(0.995, T);
  EXPECT_NEAR(g.free_energy(1 - 1e-6, T) - model.free_energy(1 - 1e-6, T),
              shift,
              1e-12);
  EXPECT_LT(std::abs(shift), 1e-4);
  // On the plateau within the same order of the exact hull.
  const ConvexifiedFreeEnergy hull(model, T);
  EXPECT_NEAR(g.free_energy(0.5, T), hull.free_energy(0.5, T), 1e-4);
}

TEST(ConvexifiedFreeEnergy, RoundingLimitedByTheRoomAroundEachGap)
{
  const double T = 298.15;
  // A large request shrinks to a quarter of x1 = 1 - x2 (the smallest
  // room; equal up to the tangent tolerance).
  const ConvexifiedFreeEnergy wide(RegularSolution(0.115, -3.42), T, 0.09);
  EXPECT_NEAR(wide.rounding(), 0.25 * wide.binodal()->first, 1e-14);
  EXPECT_THROW(ConvexifiedFreeEnergy(RegularSolution(0.115, -3.42), T, -1e-3),
               std::invalid_argument);

  // Two gaps (a staged host): each rounded within a quarter of the room
  // between them, and the result monotone and C1 across all four corners.
  TripleWell                  model(0.3, 1e-3);
  const auto                  gaps = thermo::common_tangents(model, 300);
  const ConvexifiedFreeEnergy two(model, 300, 0.5);
  ASSERT_EQ(gaps.size(), 2u);
  const double room = 0.25
                      * std::min({gaps[0].first,
                                  gaps[1].first - gaps[0].second,
                                  gaps[0].second - gaps[0].first});
  EXPECT_NEAR(two.rounding(), room, 1e-15);
  double previous = -1e9;
  for (double x = 1e-3; x < 1 - 1e-3; x += 1e-4)
    {
      double       d;
      const double value = two.chemical_potential_and_derivative(x, 300, d);
      EXPECT_GE(d, -1e-12) << x;
      EXPECT_GE(value, previous - 1e-14) << x;
      previous = value;
    }
  for (const auto &[lo, hi] : gaps)
    for (const double x : {lo - room, lo + room, hi - room, hi + room})
      {
        const double eps = 1e-9;
        EXPECT_NEAR(two.chemical_potential_derivative(x - eps, 300),
                    two.chemical_potential_derivative(x + eps, 300),
                    1e-5)
          << x;
        EXPECT_NEAR(two.free_energy(x - eps, 300),
                    two.free_energy(x + eps, 300),
                    1e-9)
          << x;
      }
}
