#include <scalebridge/fe2/reuse_table.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>
#include <sstream>

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

TEST(ReuseTable, NeverExtrapolatesAndNeedsThreeSamples)
{
  const auto f = [](double x) { return 2 + x; };
  EXPECT_FALSE(table_of(f, {0.2, 0.6}).lookup(0.4, 1));
  EXPECT_FALSE(table_of(f, {0.2, 0.4, 0.6}).lookup(0.7, 1));
  EXPECT_FALSE(table_of(f, {0.2, 0.4, 0.6}).lookup(0.1, 1));
}

TEST(ReuseTable, LinearResponseIsReusedWithZeroEstimate)
{
  const auto f      = [](double x) { return 2 + 3 * x; };
  const auto answer = table_of(f, {0, 0.5, 1}).lookup(0.3, 1e-12);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->interpolated);
  EXPECT_NEAR(answer->estimated_error, 0, 1e-15);
  EXPECT_LT(relative_difference(answer->value, tensors(f(0.3))), 1e-14);
}

TEST(ReuseTable, EstimateIsTheExactErrorForAQuadratic)
{
  // For a quadratic response the parabola through three samples is exact,
  // so the estimate equals the true error of the linear interpolant.
  const auto f      = [](double x) { return 1 + 2 * x * x; };
  const auto table  = table_of(f, {0, 0.5, 1});
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
