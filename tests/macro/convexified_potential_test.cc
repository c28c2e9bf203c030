// The convexified chemical potential of a phase-separating regular solution
// (the LiFePO4 card's Omega = 0.115 eV, 4.5 kB T at 298 K).

#include <scalebridge/macro/convexified_potential.h>
#include <scalebridge/thermo/free_energy.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace scalebridge;
using namespace scalebridge::macro;

TEST(ConvexifiedPotential, FlatAcrossTheBinodalMonotoneAndC1)
{
  const double T     = 298.15;
  auto         model = std::make_shared<thermo::RegularSolution>(0.115, -3.42);
  const auto   binodal = *thermo::common_tangent(*model, T);
  // Symmetric regular solution: x2 = 1 - x1 and the plateau at mu0.
  EXPECT_NEAR(binodal.first + binodal.second, 1, 1e-10);
  const ConvexifiedPotential mu(model, T, binodal, 0.003);
  EXPECT_NEAR(mu.plateau(), -3.42, 1e-10);
  EXPECT_LE(mu.rounding(), 0.25 * binodal.first + 1e-15);

  double d;
  // Exactly the common tangent inside, exactly the model outside.
  EXPECT_DOUBLE_EQ(mu.value(0.5, d), mu.plateau());
  EXPECT_EQ(d, 0);
  EXPECT_DOUBLE_EQ(mu.value(0.3, d), mu.plateau());
  EXPECT_DOUBLE_EQ(mu.value(0.995, d), model->chemical_potential(0.995, T));
  EXPECT_DOUBLE_EQ(d, model->chemical_potential_derivative(0.995, T));

  // Monotone everywhere (a non-negative diffusivity) and C1 across the
  // blend ends, where Newton's method needs a continuous Jacobian.
  double previous = -1e9;
  for (double x = 1e-4; x < 1 - 1e-4; x += 1e-4)
    {
      const double value = mu.value(x, d);
      EXPECT_GE(d, 0) << x;
      EXPECT_GE(value, previous - 1e-14) << x;
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
      const double vl  = mu.value(x - eps, dl);
      const double vr  = mu.value(x + eps, dr);
      EXPECT_NEAR(vl, vr, 1e-6) << x;
      EXPECT_NEAR(dl, dr, 1e-3 * std::max(1.0, std::abs(dl))) << x;
    }
  // The rounding moves mu by about a millivolt at most.
  for (double x = binodal.first - r; x < binodal.first + r; x += r / 50)
    {
      const double exact
        = x < binodal.first ? model->chemical_potential(x, T) : mu.plateau();
      EXPECT_LT(std::abs(mu.value(x, d) - exact), 3e-3) << x;
    }
}

TEST(ConvexifiedPotential, DerivativeMatchesFiniteDifferences)
{
  const double T     = 298.15;
  auto         model = std::make_shared<thermo::RegularSolution>(0.115, -3.42);
  const auto   binodal = *thermo::common_tangent(*model, T);
  const ConvexifiedPotential mu(model, T, binodal, 0.003);
  const double               r = mu.rounding();
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
      double       d, dummy;
      const double h = 1e-8;
      mu.value(x, d);
      const double fd
        = (mu.value(x + h, dummy) - mu.value(x - h, dummy)) / (2 * h);
      EXPECT_NEAR(d, fd, 1e-5 * std::max(1.0, std::abs(d))) << x;
    }
}
