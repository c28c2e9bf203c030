#include <scalebridge/fe2/reuse_table.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

using namespace scalebridge::fe2;

namespace
{
  /// Tensors whose every component is f(x) times a fixed pattern.
  RveTensors
  tensors(const double value)
  {
    RveTensors t;
    for (unsigned int i = 0; i < RveTensors::size; ++i)
      t.values[i] = value * (1 + 0.1 * i);
    return t;
  }

  ReuseTable
  table_of(const std::function<double(double)> &f,
           const std::vector<double>           &xs)
  {
    ReuseTable table;
    for (const double x : xs)
      table.insert(x, tensors(f(x)));
    return table;
  }
} // namespace

TEST(RelativeDifference, FrobeniusPerBlockAndNanAware)
{
  RveTensors a = tensors(1), b = tensors(1);
  EXPECT_EQ(relative_difference(a, b), 0);
  b.porosity() *= 1.01;
  EXPECT_NEAR(relative_difference(a, b), 0.01 / 1.01, 1e-14);
  // NaN in both (a 2D RVE's zz) is no difference; NaN in one is infinite.
  a = tensors(1), b = tensors(1);
  a.electrolyte(2, 2) = b.electrolyte(2, 2) = std::nan("");
  EXPECT_EQ(relative_difference(a, b), 0);
  b.electrolyte(2, 2) = 1;
  EXPECT_TRUE(std::isinf(relative_difference(a, b)));
}

TEST(RelativeDifference, CoversTheStiffnessAndSwellingOfTheMechanics)
{
  // The 21 stored entries of C_eff are the whole symmetric 6x6 matrix.
  std::set<unsigned int> seen;
  for (unsigned int i = 0; i < 6; ++i)
    for (unsigned int j = 0; j < 6; ++j)
      {
        EXPECT_EQ(RveTensors::stiffness_index(i, j),
                  RveTensors::stiffness_index(j, i));
        seen.insert(RveTensors::stiffness_index(i, j));
      }
  EXPECT_EQ(seen.size(), RveTensors::stiffness_size);
  EXPECT_EQ(*seen.begin(), RveTensors::transport_size);

  // A relative change of one block is measured in its own Frobenius norm:
  // C = I (norm sqrt 6) with C_01 = C_10 = d differs by sqrt(2) d / sqrt 6.
  RveTensors a = tensors(1);
  for (unsigned int i = 0; i < 6; ++i)
    for (unsigned int j = i; j < 6; ++j)
      a.stiffness(i, j) = i == j ? 1 : 0;
  RveTensors b      = a;
  a.stiffness(0, 1) = 1e-3;
  EXPECT_NEAR(relative_difference(a, b),
              std::sqrt(2.) * 1e-3 / std::sqrt(6.),
              1e-15);
  a = b;
  for (unsigned int i = 0; i < 6; ++i)
    b.swelling(i) = i < 3 ? 0.01 : 0;
  a = b;
  a.swelling(0) *= 1.1;
  EXPECT_NEAR(relative_difference(a, b), 1e-3 / std::sqrt(3e-4), 1e-14);
  // Transport-only tensors carry NaN there: no difference.
  a = tensors(1), b = tensors(1);
  for (unsigned int i = RveTensors::transport_size; i < RveTensors::size; ++i)
    a.values[i] = b.values[i] = std::nan("");
  EXPECT_EQ(relative_difference(a, b), 0);
}

TEST(ReuseTable, SamplesAnswerExactlyAtAnyTolerance)
{
  const ReuseTable table
    = table_of([](double x) { return 1 + x * x; }, {0, 0.5, 1});
  const auto answer = table.lookup(0.5, 0);
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->interpolated);
  EXPECT_EQ(answer->value.values[3], tensors(1.25).values[3]);
  // Not a sample and no tolerance: solve.
  EXPECT_FALSE(table.lookup(0.3, 0));
}

TEST(ReuseTable, NeverExtrapolatesAndNeedsFourSamples)
{
  const auto f = [](double x) { return 2 + x; };
  EXPECT_FALSE(table_of(f, {0.2, 0.6}).lookup(0.4, 1));
  // Three: one parabola, an estimate nothing checks.
  EXPECT_FALSE(table_of(f, {0.2, 0.6, 1}).lookup(0.4, 1));
  EXPECT_TRUE(table_of(f, {0.2, 0.6, 1, 1.4}).lookup(0.4, 1));
  EXPECT_TRUE(table_of(f, {0, 0.2, 0.6, 1}).lookup(0.4, 1));
  EXPECT_FALSE(table_of(f, {0.2, 0.4, 0.6}).lookup(0.7, 1));
  EXPECT_FALSE(table_of(f, {0.2, 0.4, 0.6}).lookup(0.1, 1));
}

TEST(ReuseTable, LinearResponseIsReusedWithZeroEstimate)
{
  const auto f      = [](double x) { return 2 + 3 * x; };
  const auto answer = table_of(f, {0, 0.5, 1, 1.5}).lookup(0.3, 1e-12);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->interpolated);
  EXPECT_NEAR(answer->estimated_error, 0, 1e-15);
  EXPECT_LT(relative_difference(answer->value, tensors(f(0.3))), 1e-14);
}

TEST(ReuseTable, EstimateIsTheExactErrorForAQuadratic)
{
  // For a quadratic response the parabola through three samples is exact
  // (and the cubic adds nothing), so the estimate equals the true error of
  // the linear interpolant.
  const auto f      = [](double x) { return 1 + 2 * x * x; };
  const auto table  = table_of(f, {0, 0.5, 1, 1.5});
  const auto answer = table.lookup(0.2, 1);
  ASSERT_TRUE(answer);
  const double true_error = relative_difference(answer->value, tensors(f(0.2)));
  EXPECT_GT(true_error, 0.05);
  EXPECT_NEAR(answer->estimated_error, true_error, 1e-12);
  // The tolerance decides.
  EXPECT_FALSE(table.lookup(0.2, 0.5 * true_error));
  EXPECT_TRUE(table.lookup(0.2, 2 * true_error));
}

TEST(ReuseTable, RefinementMeetsTheToleranceForASmoothResponse)
{
  // Solve where the table refuses, as the FE2 provider does, at the points
  // samples_for() names; every answer given must then be within a small
  // multiple of the tolerance.
  const auto   f      = [](double x) { return std::exp(3 * x); };
  ReuseTable   t      = table_of(f, {0, 0.5, 1});
  const double tol    = 1e-3;
  unsigned int solves = 0;
  double       worst  = 0;
  for (double x = 0.013; x < 1; x += 0.0071)
    if (const auto a = t.lookup(x, tol))
      worst = std::max(worst, relative_difference(a->value, tensors(f(x))));
    else
      for (const double y : t.samples_for(x, tol))
        {
          t.insert(y, tensors(f(y)));
          ++solves;
        }
  EXPECT_LT(worst, 2 * tol);
  // An ideal piecewise-linear fit of exp(3x) to a relative error tol puts
  // its samples h = sqrt(8 tol / 9) apart: about 34 on [0, 1]. The
  // estimate is conservative (two parabolas, a margin) and samples are
  // placed without knowing the future: allow 2.5 times that, which is
  // still half of solving each of the 139 marching states.
  const double ideal = 1. / std::sqrt(8 * tol / 9);
  EXPECT_LT(solves, 2.5 * ideal);
}

TEST(ReuseTable, SerializesThroughBoostArchives)
{
  const ReuseTable table
    = table_of([](double x) { return 1 / (1 + x); }, {0, 0.25, 0.5, 1});
  std::stringstream buffer;
  {
    boost::archive::binary_oarchive out(buffer);
    out << table;
  }
  ReuseTable copy;
  {
    boost::archive::binary_iarchive in(buffer);
    in >> copy;
  }
  ASSERT_EQ(copy.size(), table.size());
  for (const double x : {0.1, 0.3, 0.7})
    {
      const auto a = table.lookup(x, 1), b = copy.lookup(x, 1);
      ASSERT_EQ(bool(a), bool(b));
      if (a)
        EXPECT_EQ(relative_difference(a->value, b->value), 0);
    }
}

namespace
{
  /// A response smooth except for two kinks, as when a swelling front
  /// starts and then completes a distance shell: the slope of the volume
  /// changes at x = 0.3 and again at 0.5.
  double
  kinked(const double x)
  {
    return std::exp(2 * x) * (1 + 0.5 * std::clamp((x - 0.3) / 0.2, 0., 1.));
  }

  /// Marches x over (0, 1) as a discharge does, solving where the table
  /// refuses at the points samples_for() names; returns the largest ratio
  /// of true to estimated error over the interpolated answers, the largest
  /// true error, and the number of solves.
  std::tuple<double, double, unsigned int>
  march(ReuseTable &t, const double tol)
  {
    double       ratio = 0, worst = 0;
    unsigned int solves = 0;
    for (double x = 0.013; x < 1; x += 0.0071)
      if (const auto a = t.lookup(x, tol))
        {
          const double e = relative_difference(a->value, tensors(kinked(x)));
          worst          = std::max(worst, e);
          ratio = std::max(ratio, e / std::max(a->estimated_error, 1e-300));
        }
      else
        for (const double y : t.samples_for(x, tol))
          {
            t.insert(y, tensors(kinked(y)));
            ++solves;
          }
    return {ratio, worst, solves};
  }
} // namespace

TEST(ReuseTable, EstimateBoundsTheErrorAcrossKnownKinks)
{
  const double tol = 1e-3;
  // Control: blind to the kinks, the parabola through samples on both
  // sides of one sees a mild curvature where the line is off by the kink's
  // full effect, and the answers exceed both the estimate and the
  // tolerance. (This is what the FE2 verification measured with swelling.)
  ReuseTable blind = table_of(kinked, {0, 0.5, 1});
  const auto [blind_ratio, blind_worst, blind_solves] = march(blind, tol);
  EXPECT_GT(blind_ratio, 2.);
  EXPECT_GT(blind_worst, tol);

  // Knowing the kinks, interpolation and estimate stay in one smooth piece,
  // where f = exp(2x) (1 + linear) and the estimate is the second divided
  // difference f''(xi)/2 at some xi in the piece, the true error f''(eta)/2
  // at some eta: their ratio is at most the variation of f'' over the
  // widest piece (0.5, e^(2 * 0.5) for exp(2x); the linear factor only
  // adds a term of the same sign). So the true error is within e times the
  // estimate, and within e times the tolerance.
  ReuseTable aware = table_of(kinked, {0, 0.5, 1});
  aware.set_kinks({0.5, 0.3});
  EXPECT_EQ(aware.kinks(), (std::vector<double>{0.3, 0.5}));
  const auto [ratio, worst, solves] = march(aware, tol);
  EXPECT_LE(ratio, std::exp(1.));
  EXPECT_LE(worst, std::exp(1.) * tol);
  // And still far fewer solves than the 139 states marched, about as many
  // as for a smooth response (see above) plus a few for the kinks.
  const double ideal = 1. / std::sqrt(8 * tol / 9);
  EXPECT_LT(solves, 2.5 * ideal + 6);

  // A bracket across a kink is never answered, whatever the tolerance, and
  // asks for the states halfway to the kinks around it.
  ReuseTable coarse = table_of(kinked, {0, 0.1, 0.9, 1});
  coarse.set_kinks({0.3, 0.5});
  EXPECT_FALSE(coarse.lookup(0.4, 1e9));
  EXPECT_EQ(coarse.samples_for(0.4, 1e-3),
            (std::vector<double>{0.4, 0.35, 0.45}));
  // Samples at the kinks answer those states only (the response may jump
  // there): the piece still has no samples of its own.
  coarse.insert(0.3, tensors(kinked(0.3)));
  coarse.insert(0.5, tensors(kinked(0.5)));
  EXPECT_TRUE(coarse.lookup(0.3, 0));
  EXPECT_FALSE(coarse.lookup(0.4, 1e9));
  EXPECT_EQ(coarse.samples_for(0.4, 1e-3),
            (std::vector<double>{0.4, 0.35, 0.45}));
  // Fewer than four samples inside the piece: no estimate, solved.
  for (const double y : {0.35, 0.4, 0.45, 0.47})
    {
      EXPECT_FALSE(coarse.lookup(0.42, 1e9));
      coarse.insert(y, tensors(kinked(y)));
    }
  EXPECT_TRUE(coarse.lookup(0.42, 1e9));
  // Marching towards a kink with no sample beyond: halfway to it.
  EXPECT_EQ(coarse.samples_for(0.48, 1e-3), (std::vector<double>{0.48, 0.49}));
}
