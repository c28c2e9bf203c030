// Spinodal and binodal against closed forms and against the two tangent
// conditions checked independently, for symmetric, asymmetric, near-critical,
// strongly segregated and multi-gap models.

#include <scalebridge/base/constants.h>
#include <scalebridge/thermo/free_energy.h>

#include "triple_well.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace scalebridge;
using test::TripleWell;
using thermo::CompositionPair;
using thermo::FreeEnergyModel;
using thermo::LandauFreeEnergy;
using thermo::RegularSolution;

namespace
{
  constexpr double kB = constants::boltzmann_eV;

  /// Shared boilerplate of the polynomial test models below.
  class TestModel : public FreeEnergyModel
  {
  public:
    bool
    has_ideal_entropy() const override
    {
      return false;
    }
  };

  /**
   * Regular solution with an added cubic and linear term,
   * g = l x + W x (1-x) + c x^3 + kT [x ln x + (1-x) ln(1-x)],
   * written out here independently of the library's RegularSolution. The
   * cubic term makes the miscibility gap asymmetric.
   */
  class SkewedSolution : public FreeEnergyModel
  {
  public:
    SkewedSolution(double W, double c, double l)
      : W(W)
      , c(c)
      , l(l)
    {
    }
    std::string
    name() const override
    {
      return "skewed";
    }
    double
    free_energy(double x, double T) const override
    {
      return l * x + W * x * (1 - x) + c * x * x * x
             + kB * T * (x * std::log(x) + (1 - x) * std::log(1 - x));
    }
    double
    chemical_potential(double x, double T) const override
    {
      return l + W * (1 - 2 * x) + 3 * c * x * x
             + kB * T * std::log(x / (1 - x));
    }
    double
    chemical_potential_derivative(double x, double T) const override
    {
      return -2 * W + 6 * c * x + kB * T / (x * (1 - x));
    }
    bool
    has_ideal_entropy() const override
    {
      return true;
    }
    std::unique_ptr<FreeEnergyModel>
    clone() const override
    {
      return std::make_unique<SkewedSolution>(*this);
    }

  private:
    double W, c, l;
  };

  /// A Landau double well centred at x = c, not at a grid point, for
  /// gaps narrower than the sampling grid.
  class ShiftedWell : public TestModel
  {
  public:
    ShiftedWell(double A, double B, double c)
      : A(A)
      , B(B)
      , c(c)
    {
    }
    std::string
    name() const override
    {
      return "shifted_well";
    }
    double
    free_energy(double x, double) const override
    {
      const double y = x - c;
      return A * y * y * y * y - B * y * y;
    }
    double
    chemical_potential(double x, double) const override
    {
      const double y = x - c;
      return 4 * A * y * y * y - 2 * B * y;
    }
    double
    chemical_potential_derivative(double x, double) const override
    {
      const double y = x - c;
      return 12 * A * y * y - 2 * B;
    }
    std::unique_ptr<FreeEnergyModel>
    clone() const override
    {
      return std::make_unique<ShiftedWell>(*this);
    }

  private:
    double A, B, c;
  };

  /**
   * The two defining conditions of a common tangent, evaluated here from
   * the model: equal mu, and equal grand potential g - mu x at the common
   * mu (i.e. the chord slope is mu), both to 1e-10 eV. A returned x is a
   * double, so mu(x) can only be matched to dmu/dx times the spacing of
   * doubles at x; that limit (~1e-16 eV normally, but ~1e-9 eV at
   * x = 1 - 4e-9) is added. In addition the tangent line must support g on
   * a dense grid, which rules out a local tangent that is not part of the
   * convex hull.
   */
  void
  expect_common_tangent(const FreeEnergyModel &model,
                        const double           T,
                        const CompositionPair &pair)
  {
    const auto [x1, x2] = pair;
    ASSERT_LT(x1, x2);
    const auto resolution = [&](double x) {
      return model.chemical_potential_derivative(x, T)
             * (std::nextafter(x, 2.0) - x);
    };
    const double tolerance = 1e-10 + resolution(x1) + resolution(x2);
    const double mu1       = model.chemical_potential(x1, T);
    const double mu2       = model.chemical_potential(x2, T);
    EXPECT_NEAR(mu1, mu2, tolerance);
    const double mu = 0.5 * (mu1 + mu2);
    const double g1 = model.free_energy(x1, T);
    EXPECT_NEAR(g1 - mu * x1, model.free_energy(x2, T) - mu * x2, tolerance);
    for (int k = 1; k < 20000; ++k)
      {
        const double x = k / 20000.0;
        EXPECT_GE(model.free_energy(x, T), g1 + mu1 * (x - x1) - 1e-12)
          << "tangent cuts g at x = " << x;
      }
  }

  /// Strict inclusion spinodal in binodal.
  void
  expect_contains(const CompositionPair &binodal,
                  const CompositionPair &spinodal)
  {
    EXPECT_LT(binodal.first, spinodal.first);
    EXPECT_LT(spinodal.first, spinodal.second);
    EXPECT_LT(spinodal.second, binodal.second);
  }

  /**
   * Lower binodal of the symmetric regular solution, independent of the
   * library: by symmetry the tangent is horizontal after removing mu0 x,
   * so x1 solves kT ln(x/(1-x)) + Omega (1-2x) = 0 below the spinodal.
   * Bisection in ln x resolves x1 to relative round-off however small.
   */
  double
  symmetric_binodal(const double omega, const double T, const double x_spinodal)
  {
    const auto f = [&](double x) {
      return kB * T * (std::log(x) - std::log1p(-x)) + omega * (1 - 2 * x);
    };
    double lo = std::log(1e-300), hi = std::log(x_spinodal);
    for (int it = 0; it < 400; ++it)
      {
        const double mid                 = 0.5 * (lo + hi);
        (f(std::exp(mid)) < 0 ? lo : hi) = mid;
      }
    return std::exp(0.5 * (lo + hi));
  }

  /// Lower spinodal of the regular solution, x (1-x) = kT / 2 Omega, from
  /// the product of the roots to avoid cancellation.
  double
  regular_solution_spinodal(const double omega, const double T)
  {
    const double p      = kB * T / (2 * omega);
    const double x_high = 0.5 * (1 + std::sqrt(1 - 4 * p));
    return p / x_high;
  }
} // namespace

TEST(Spinodal, ClosedForms)
{
  // Regular solution: x (1-x) = kT / 2 Omega. Bisection refines dmu/dx = 0
  // to adjacent doubles; with |d2mu/dx2| = O(kT) there, x is good to ~1e-15.
  const double omega = 0.1;
  for (const double T : {150.0, 300.0, 450.0, 550.0})
    {
      const auto s = thermo::spinodal(RegularSolution(omega, -3.0), T);
      ASSERT_TRUE(s.has_value()) << T;
      const double x_low = regular_solution_spinodal(omega, T);
      EXPECT_NEAR(s->first, x_low, 1e-12) << T;
      EXPECT_NEAR(s->second, 1 - x_low, 1e-12) << T;
    }
  // Landau: x = 1/2 -/+ sqrt(B / 6A).
  const auto s = thermo::spinodal(LandauFreeEnergy(1.0, 0.2, 0.05), 300);
  ASSERT_TRUE(s.has_value());
  EXPECT_NEAR(s->first, 0.5 - std::sqrt(0.2 / 6), 1e-12);
  EXPECT_NEAR(s->second, 0.5 + std::sqrt(0.2 / 6), 1e-12);
}

TEST(Spinodal, NoneForConvexFreeEnergies)
{
  RegularSolution model(0.1, 0);
  const double    Tc = model.critical_temperature();
  for (const double T : {Tc, Tc * (1 + 1e-9), 2 * Tc})
    EXPECT_FALSE(thermo::spinodal(model, T).has_value()) << T / Tc;
  EXPECT_FALSE(thermo::spinodal(RegularSolution(-0.05, 0), 300).has_value());
  EXPECT_FALSE(thermo::spinodal(LandauFreeEnergy(1, -0.1, 0), 300).has_value());
  EXPECT_THROW(thermo::spinodal(model, 0), std::invalid_argument);
}

TEST(CommonTangent, LandauClosedForm)
{
  // x = 1/2 -/+ sqrt(B / 2A); the default tolerance 1e-12 bounds the error.
  for (const double B : {0.05, 0.2, 0.45})
    {
      LandauFreeEnergy model(1.0, B, 0.05);
      const auto       b = thermo::common_tangent(model, 300);
      ASSERT_TRUE(b.has_value()) << B;
      EXPECT_NEAR(b->first, 0.5 - std::sqrt(B / 2), 1e-12) << B;
      EXPECT_NEAR(b->second, 0.5 + std::sqrt(B / 2), 1e-12) << B;
      expect_common_tangent(model, 300, *b);
      expect_contains(*b, *thermo::spinodal(model, 300));
    }
}

TEST(CommonTangent, SymmetricRegularSolution)
{
  // Binodal against the independent solution of mu(x1) = mu0; the solver's
  // relative tolerance is 1e-12 in min(x, 1-x).
  const double omega = 0.1, mu0 = -3.4;
  for (const double T : {150.0, 250.0, 350.0, 450.0, 550.0})
    {
      RegularSolution model(omega, mu0);
      const auto      b = thermo::common_tangent(model, T);
      ASSERT_TRUE(b.has_value()) << T;
      const double x1
        = symmetric_binodal(omega, T, regular_solution_spinodal(omega, T));
      EXPECT_NEAR(b->first, x1, 1e-11 * x1) << T;
      EXPECT_NEAR(b->second, 1 - x1, 1e-11 * x1 + 4e-16) << T;
      expect_common_tangent(model, T, *b);
      expect_contains(*b, *thermo::spinodal(model, T));
      // The plateau of a symmetric solution sits at mu0.
      EXPECT_NEAR(model.chemical_potential(b->first, T), mu0, 1e-12);
    }
}

TEST(CommonTangent, StronglySegregatedRegularSolution)
{
  // Omega / kT ~ 19: the phases are nearly pure, x1 ~ 4e-9. x1 is found in
  // logarithmic coordinates and keeps full relative accuracy; 1 - x2 is
  // limited by the spacing of doubles near 1 (1.1e-16), i.e. to ~4 ulps.
  const double    omega = 0.5, T = 300;
  RegularSolution model(omega, 0);
  const auto      b = thermo::common_tangent(model, T);
  ASSERT_TRUE(b.has_value());
  const double x1
    = symmetric_binodal(omega, T, regular_solution_spinodal(omega, T));
  EXPECT_LT(x1, 1e-8);
  EXPECT_NEAR(b->first, x1, 1e-12 * x1);
  EXPECT_NEAR(b->second, 1 - x1, 4.5e-16);
  expect_common_tangent(model, T, *b);
}

TEST(CommonTangent, NoneAtOrAboveCriticalTemperature)
{
  RegularSolution model(0.1, -3);
  const double    Tc = model.critical_temperature();
  for (const double T : {Tc, Tc * (1 + 1e-9), 1.5 * Tc})
    {
      EXPECT_FALSE(thermo::common_tangent(model, T).has_value()) << T / Tc;
      EXPECT_TRUE(thermo::common_tangents(model, T).empty());
    }
  EXPECT_TRUE(thermo::common_tangent(model, Tc * (1 - 1e-6)).has_value());
  EXPECT_FALSE(
    thermo::common_tangent(LandauFreeEnergy(1, 0, 0), 300).has_value());
}

TEST(CommonTangent, ApproachToCriticalTemperature)
{
  // Mean field: with m = x2 - x1, m = tanh(m Tc / T). Near Tc, with
  // eps = 1 - T/Tc, its series gives m / sqrt(3 eps) = 1 - 2 eps/5
  // - 12 eps^2/175 + O(eps^3) (next coefficient ~ -0.016). Both the exact m
  // and the scaling law are checked; the widths shrink to zero like
  // sqrt(1 - T/Tc).
  //
  // Conditioning: near Tc the round-off of the grand potentials, a few
  // ulps of |g| ~ 0.01 eV or ~1e-17 eV, moves x by ~1e-17 / (m dmu/dx)
  // with dmu/dx ~ 4 Omega eps at the binodal: ~1.5e-11 at eps = 1e-4,
  // relative ~1e-9 of the width, hence 1e-8 * width for width and
  // symmetry.
  const double    omega = 0.1;
  RegularSolution model(omega, 0);
  const double    Tc = model.critical_temperature();
  for (const double eps : {1e-1, 3e-2, 1e-2, 1e-3, 1e-4})
    {
      const double T = Tc * (1 - eps);
      const auto   b = thermo::common_tangent(model, T);
      ASSERT_TRUE(b.has_value()) << eps;
      const double width = b->second - b->first;

      double lo = 0, hi = 1; // bisection on tanh(m Tc/T) - m, positive below m
      for (int it = 0; it < 200; ++it)
        {
          const double mid                              = 0.5 * (lo + hi);
          (std::tanh(mid * Tc / T) - mid > 0 ? lo : hi) = mid;
        }
      EXPECT_NEAR(width, 0.5 * (lo + hi), 1e-8 * width) << eps;

      const double ratio = width / std::sqrt(3 * eps);
      EXPECT_NEAR(ratio,
                  1 - 0.4 * eps - 12.0 / 175 * eps * eps,
                  0.1 * eps * eps * eps + 1e-8)
        << eps;
      EXPECT_NEAR(b->first + b->second, 1.0, 1e-8 * width) << eps;
      expect_contains(*b, *thermo::spinodal(model, T));
    }
  // Much closer, at eps = 1e-6, the binodal is still found; round-off now
  // limits the width to a relative ~1e-5 (same estimate as above).
  const auto b = thermo::common_tangent(model, Tc * (1 - 1e-6));
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR((b->second - b->first) / std::sqrt(3e-6), 1.0, 1e-5);
}

TEST(CommonTangent, AsymmetricModel)
{
  // The cubic term skews the gap; no closed form, so the two conditions are
  // checked from the model itself, plus global support and inclusion of
  // the spinodal.
  const double   T = 300;
  SkewedSolution model(0.2, 0.06, 0.0);
  const auto     b = thermo::common_tangent(model, T);
  ASSERT_TRUE(b.has_value());
  EXPECT_GT(std::abs(b->first + b->second - 1), 0.02) << "not asymmetric";
  expect_common_tangent(model, T, *b);
  expect_contains(*b, *thermo::spinodal(model, T));

  // A linear term l x (a shift of the reference chemical potential) tilts g
  // but leaves its convex hull and hence the binodal unchanged. The larger
  // |mu| ~ 3.5 eV raises the round-off of the grand potentials to ~1e-14
  // eV; divided by (x2 - x1) dmu/dx ~ 0.1 eV that is ~1e-13 in x.
  SkewedSolution tilted(0.2, 0.06, -3.5);
  const auto     bt = thermo::common_tangent(tilted, T);
  ASSERT_TRUE(bt.has_value());
  EXPECT_NEAR(bt->first, b->first, 1e-11);
  EXPECT_NEAR(bt->second, b->second, 1e-11);
  expect_common_tangent(tilted, T, *bt);
}

TEST(CommonTangent, GapNarrowerThanTheSamplingGrid)
{
  // Spinodal half width sqrt(B / 6A) = 1.3e-4 and binodal half width
  // sqrt(B / 2A) = 2.2e-4, below the 1/2048 = 4.9e-4 grid spacing; c lies
  // 2.3e-4 from the nearest grid point, so no grid point sees dmu/dx < 0
  // and the gap is found only by the local minimisation of dmu/dx. Closed
  // form c -/+ sqrt(B / 2A); the tolerance 1e-12 relative to min(x, 1-x)
  // ~ 0.43 bounds the error.
  const double A = 1.0, B = 1e-7, c = 0.4319;
  ShiftedWell  model(A, B, c);
  const auto   b = thermo::common_tangent(model, 300);
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR(b->first, c - std::sqrt(B / (2 * A)), 1e-12);
  EXPECT_NEAR(b->second, c + std::sqrt(B / (2 * A)), 1e-12);
  const auto s = thermo::spinodal(model, 300);
  ASSERT_TRUE(s.has_value());
  EXPECT_NEAR(s->first, c - std::sqrt(B / (6 * A)), 1e-12);
  expect_contains(*b, *s);
}

TEST(CommonTangent, TwoMiscibilityGaps)
{
  // Middle well lowest: two gaps, mirror images of each other.
  const double a = 0.3, e = 1e-3, T = 300;
  TripleWell   model(a, e);
  const auto   gaps = thermo::common_tangents(model, T);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_LT(gaps[0].second, 0.5);
  EXPECT_GT(gaps[1].first, 0.5);
  EXPECT_NEAR(gaps[0].first, 1 - gaps[1].second, 1e-12);
  EXPECT_NEAR(gaps[0].second, 1 - gaps[1].first, 1e-12);
  for (const auto &gap : gaps)
    expect_common_tangent(model, T, gap);

  // The unstable intervals: d2g/dy2 = 30 y^4 - 24 a^2 y^2 + 2 (a^4 + e) = 0.
  const double a2 = a * a;
  const double Y
    = (24 * a2 - std::sqrt(576 * a2 * a2 - 240 * (a2 * a2 + e))) / 60;
  const double Y2
    = (24 * a2 + std::sqrt(576 * a2 * a2 - 240 * (a2 * a2 + e))) / 60;
  expect_contains(gaps[1], {0.5 + std::sqrt(Y), 0.5 + std::sqrt(Y2)});
  expect_contains(gaps[0], {0.5 - std::sqrt(Y2), 0.5 - std::sqrt(Y)});

  // common_tangent() reports one of them (they are equally wide).
  const auto widest = thermo::common_tangent(model, T);
  ASSERT_TRUE(widest.has_value());
  EXPECT_TRUE(*widest == gaps[0] || *widest == gaps[1]);
}

TEST(CommonTangent, OneTangentBridgingTwoUnstableIntervals)
{
  // Outer wells lowest: one horizontal tangent touching the outer minima,
  // dg/dy = 0 at y^2 = (4 a^2 + sqrt(4 a^4 + 12 |e|)) / 6 for e = -|e|;
  // the middle well and both unstable intervals lie under it.
  const double a = 0.3, e = -1e-3, T = 300;
  TripleWell   model(a, e);
  const auto   gaps = thermo::common_tangents(model, T);
  ASSERT_EQ(gaps.size(), 1u);
  const double y
    = std::sqrt((4 * a * a + std::sqrt(4 * std::pow(a, 4) - 12 * e)) / 6);
  EXPECT_NEAR(gaps[0].first, 0.5 - y, 1e-12);
  EXPECT_NEAR(gaps[0].second, 0.5 + y, 1e-12);
  expect_common_tangent(model, T, gaps[0]);
}

TEST(CommonTangent, RejectsUnrepresentableBinodalsAndBadArguments)
{
  // Landau with B > A/2: the tangent points lie outside (0,1).
  EXPECT_THROW(thermo::common_tangent(LandauFreeEnergy(1, 0.8, 0), 300),
               std::domain_error);
  // Omega / kT = 40: x1 ~ exp(-40) ~ 4e-18, and 1 - x2 is not a double.
  EXPECT_THROW(thermo::common_tangent(RegularSolution(1.0, 0), 1.0 / (40 * kB)),
               std::domain_error);
  RegularSolution model(0.1, 0);
  EXPECT_THROW(thermo::common_tangent(model, 0), std::invalid_argument);
  EXPECT_THROW(thermo::common_tangent(model, -300), std::invalid_argument);
  EXPECT_THROW(thermo::common_tangent(model, 300, 0), std::invalid_argument);
  EXPECT_THROW(thermo::common_tangent(model, 300, -1e-12),
               std::invalid_argument);
}
