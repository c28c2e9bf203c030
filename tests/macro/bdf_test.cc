// Variable-step BDF2: exactness on quadratics and Milne's error weight.

#include <scalebridge/macro/bdf.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace scalebridge::macro;

TEST(Bdf, DerivativeAndPredictorAreExactForQuadratics)
{
  const auto    y  = [](double t) { return 3 - 2 * t + 0.7 * t * t; };
  const auto    dy = [](double t) { return -2 + 1.4 * t; };
  const double  t0 = 1.0, t1 = 1.3, t2 = 2.1, h = 0.45; // uneven steps
  const BdfStep b = bdf_step(h, {t2, t1, t0});
  EXPECT_EQ(b.order, 2u);
  const double t3 = t2 + h;
  EXPECT_NEAR(b.a[0] * y(t3) + b.a[1] * y(t2) + b.a[2] * y(t1), dy(t3), 1e-12);
  EXPECT_EQ(b.n_predictor, 3u);
  EXPECT_NEAR(b.p[0] * y(t2) + b.p[1] * y(t1) + b.p[2] * y(t0), y(t3), 1e-12);
}

TEST(Bdf, StartsWithBackwardEulerAndHasTheClassicalErrorWeight)
{
  const BdfStep be = bdf_step(0.1, {0.0});
  EXPECT_EQ(be.order, 1u);
  EXPECT_DOUBLE_EQ(be.a[0], 10);
  EXPECT_DOUBLE_EQ(be.error_weight, 0);
  // Constant steps: local error = 2/11 (y - y_predicted).
  const BdfStep b = bdf_step(1, {3, 2, 1});
  EXPECT_NEAR(b.error_weight, 2.0 / 11.0, 1e-14);
}

TEST(Bdf, StepSizeControllerIsBounded)
{
  EXPECT_NEAR(next_step_size(1, 1, 2, 3), 0.8, 1e-14);
  EXPECT_DOUBLE_EQ(next_step_size(1, 1e-12, 2, 3), 3);
  EXPECT_DOUBLE_EQ(next_step_size(1, 1e9, 2, 3), 0.2);
}
