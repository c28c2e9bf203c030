// The common-tangent convexification used by the particle model: equal to
// the model outside the gap, the tangent line inside, convex everywhere,
// mu continuous at the binodal, one temperature only.

#include <scalebridge/base/constants.h>
#include <scalebridge/thermo/free_energy.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace scalebridge;
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
