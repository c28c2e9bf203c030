// The estimators of the study module against functions with known answers:
// Sobol indices of the Ishigami function and of linear functions, lognormal
// moments, the delta method against Monte Carlo at small spread, the 1/sqrt(N)
// law of the Monte Carlo error, the identifiability table and the
// integral-range size estimate.

#include <scalebridge/base/input_error.h>
#include <scalebridge/study/delta_method.h>
#include <scalebridge/study/distribution.h>
#include <scalebridge/study/identifiability.h>
#include <scalebridge/study/sampling.h>
#include <scalebridge/study/size_analysis.h>
#include <scalebridge/study/sobol.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace scalebridge;
using namespace scalebridge::study;

namespace
{
  std::vector<std::vector<std::size_t>>
  single_factors(const std::size_t d)
  {
    std::vector<std::vector<std::size_t>> f;
    for (std::size_t i = 0; i < d; ++i)
      f.push_back({i});
    return f;
  }

  /// Covers the exact value: inside the bootstrap interval widened by its
  /// own half-width (about 4 standard errors), and the interval is narrow
  /// enough to mean something.
  void
  expect_covers(const Estimate &e, const double exact, const double width)
  {
    const double half = (e.upper - e.lower) / 2;
    EXPECT_LT(e.upper - e.lower, width);
    EXPECT_LE(e.lower - half, exact);
    EXPECT_GE(e.upper + half, exact);
    EXPECT_LE(e.lower, e.value);
    EXPECT_GE(e.upper, e.value);
  }
} // namespace

TEST(Study, IshigamiSobolIndices)
{
  // Ishigami & Homma (1990), a = 7, b = 0.1, x_i uniform on [-pi, pi]; the
  // indices in closed form (e.g. Saltelli et al. 2010, Comput. Phys.
  // Commun. 181:259).
  const double a = 7, b = 0.1, pi = M_PI;
  const double v1  = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2  = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v   = v1 + v2 + v13;

  const std::size_t n      = 8192;
  const auto        A      = unit_samples(n, 3, false, 11);
  const auto        B      = unit_samples(n, 3, false, 12);
  const auto        design = saltelli_design(A, B, single_factors(3));
  ASSERT_EQ(design.rows.size(), 5 * n);
  std::vector<double> f;
  for (const auto &u : design.rows)
    {
      const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1],
                   x3 = -pi + 2 * pi * u[2];
      f.push_back(std::sin(x1) + a * std::pow(std::sin(x2), 2)
                  + b * std::pow(x3, 4) * std::sin(x1));
    }
  const auto s = sobol_indices(design, f, 300, 0.95, 3);
  EXPECT_NEAR(s.variance, v, 0.05 * v);
  expect_covers(s.first[0], v1 / v, 0.1);
  expect_covers(s.first[1], v2 / v, 0.1);
  expect_covers(s.first[2], 0, 0.1);
  expect_covers(s.total[0], (v1 + v13) / v, 0.1);
  expect_covers(s.total[1], v2 / v, 0.1);
  expect_covers(s.total[2], v13 / v, 0.1);
}

TEST(Study, SobolOfLinearFunctionAndGroups)
{
  // y = 1 x0 + 2 x1 + 3 x2 with independent uniforms: S_i = ST_i = c_i^2 /
  // sum c^2; the group {x1, x2} as one factor has c1^2 + c2^2 of it.
  const std::size_t n = 16384;
  const auto        A = unit_samples(n, 3, true, 1);
  const auto        B = unit_samples(n, 3, true, 2);
  for (const bool grouped : {false, true})
    {
      const std::vector<std::vector<std::size_t>> factors
        = grouped ? std::vector<std::vector<std::size_t>>{{0}, {1, 2}}
                  : single_factors(3);
      const auto          design = saltelli_design(A, B, factors);
      std::vector<double> f;
      for (const auto &u : design.rows)
        f.push_back(u[0] + 2 * u[1] + 3 * u[2]);
      const auto                s = sobol_indices(design, f, 200, 0.95, 1);
      const std::vector<double> exact
        = grouped ? std::vector<double>{1. / 14, 13. / 14}
                  : std::vector<double>{1. / 14, 4. / 14, 9. / 14};
      for (std::size_t i = 0; i < exact.size(); ++i)
        {
          // The Saltelli (2010) first-order estimator has a spread of
          // order sqrt(S (1 - S) / N) times a few; 0.15 keeps the three
          // exact values (spaced by 0.2 and more) apart.
          expect_covers(s.first[i], exact[i], 0.15);
          expect_covers(s.total[i], exact[i], 0.15);
        }
    }
  // A constant output: no variance, all indices 0.
  const auto design = saltelli_design(A, B, single_factors(3));
  const auto s
    = sobol_indices(design, std::vector<double>(design.rows.size(), 2.0));
  EXPECT_EQ(s.variance, 0);
  EXPECT_EQ(s.first[1].value, 0);
  EXPECT_EQ(s.total[2].upper, 0);
}

TEST(Study, NormalQuantileAndLognormalMoments)
{
  // Tabulated standard normal quantiles.
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.5), 0, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-6), -4.753424308822899, 1e-9);
  EXPECT_NEAR(normal_quantile(0.9), 1.2815515655446004, 1e-12);

  // A lognormal stated by its own mean 2 and sd 0.5: mu, sigma of log X in
  // closed form, E X = exp(mu + s^2/2), Var X = (exp(s^2) - 1) E X^2, the
  // median exp(mu).
  const Distribution d = parse_distribution("lognormal(2, 0.5)", "f", "e");
  const double       s = d.log_sigma(), mu = d.log_mu();
  EXPECT_NEAR(std::exp(mu + s * s / 2), 2, 1e-14);
  EXPECT_NEAR((std::exp(s * s) - 1) * 4, 0.25, 1e-14);
  EXPECT_NEAR(d.quantile(0.5), std::exp(mu), 1e-14);

  // Sampled: a Latin hypercube of 20000 points reproduces the moments to a
  // few standard errors (sd/sqrt(n) = 0.0035 for the mean; LHS is tighter).
  const auto          u = unit_samples(20000, 1, true, 5);
  std::vector<double> x;
  for (const auto &row : u)
    x.push_back(d.quantile(row[0]));
  const auto m = moments(x);
  EXPECT_NEAR(m.mean, 2, 4 * 0.5 / std::sqrt(20000.));
  // The sd of a sample sd is about sd sqrt((kurtosis - 1) / 4n), kurtosis
  // of this lognormal about 4.1: 0.0025; allow 4 of them.
  EXPECT_NEAR(m.sd, 0.5, 0.01);
  EXPECT_NEAR(quantile(x, 0.5), std::exp(mu), 0.01);

  // Uniform and normal moments, and bad text.
  EXPECT_NEAR(parse_distribution("uniform(1, 3)", "f", "e").variance(),
              1. / 3,
              1e-15);
  EXPECT_EQ(parse_distribution(" normal(1e-3, 2e-4)", "f", "e").mean(), 1e-3);
  for (const std::string bad : {"normal(1, 0)",
                                "lognormal(-1, 1)",
                                "uniform(2, 1)",
                                "gauss(1, 1)",
                                "normal(1 1)",
                                "normal(1, 2) x",
                                "normal(1, 2, 3)"})
    EXPECT_THROW(parse_distribution(bad, "f", "e"), InputError) << bad;
}

namespace
{
  std::vector<double>
  model(const std::vector<double> &p)
  {
    return {std::exp(p[0]) * std::sin(p[1]) + p[0] * p[2] * p[2],
            p[1] * p[1] + 3 * p[2]};
  }
} // namespace

TEST(Study, DeltaMethodAgreesWithMonteCarloAtSmallSpread)
{
  // Correlated normal inputs with 1 % spread: the nonlinear terms change
  // the sd by O(spread) relative, 1e-2; the Monte Carlo sd of 40000
  // samples is good to 1/sqrt(2n) = 0.35 %. Agreement to 3 % can fail
  // only if the derivatives or the propagation are wrong.
  const std::vector<double> mean = {0.3, 1.1, 2.0};
  const std::vector<double> sd   = {0.003, 0.011, 0.02};
  const double              rho  = 0.5; // between 0 and 2
  std::vector<double>       cov(9, 0);
  for (int i = 0; i < 3; ++i)
    cov[i * 3 + i] = sd[i] * sd[i];
  cov[2] = cov[6] = rho * sd[0] * sd[2];

  std::vector<double> step;
  for (const double s : sd)
    step.push_back(s);
  std::vector<std::vector<double>> outputs;
  for (const auto &row : delta_design(mean, step))
    outputs.push_back(model(row));
  const DeltaResult delta = delta_method(outputs, step, cov);
  EXPECT_LT(delta.relative_error, 1e-3);

  const std::size_t   n = 40000;
  const auto          u = unit_samples(n, 3, false, 9);
  std::vector<double> y0, y1;
  for (const auto &row : u)
    {
      const double z0 = normal_quantile(row[0]), z1 = normal_quantile(row[1]),
                   z2 = normal_quantile(row[2]);
      // Cholesky of the 0-2 block.
      const std::vector<double> p
        = {mean[0] + sd[0] * z0,
           mean[1] + sd[1] * z1,
           mean[2] + sd[2] * (rho * z0 + std::sqrt(1 - rho * rho) * z2)};
      const auto y = model(p);
      y0.push_back(y[0]);
      y1.push_back(y[1]);
    }
  EXPECT_NEAR(moments(y0).sd / delta.sd[0], 1, 0.03);
  EXPECT_NEAR(moments(y1).sd / delta.sd[1], 1, 0.03);

  // Exact for a linear function, and a step too large is flagged.
  std::vector<std::vector<double>> linear;
  for (const auto &row : delta_design(mean, step))
    linear.push_back({2 * row[0] - row[1]});
  const auto l = delta_method(linear, step, cov);
  EXPECT_NEAR(l.variance[0], 4 * cov[0] + cov[4], 1e-12 * cov[4]);
  // y = exp(3 theta), sd 1: a step of 1 sd gives central differences 10.0
  // (h) and 4.26 (h/2) against the true 3, an error estimate of 45 %; a
  // step of 1e-3 sd is fine.
  for (const double h : {1.0, 1e-3})
    {
      std::vector<std::vector<double>> rough;
      for (const auto &row : delta_design({0.0}, {h}))
        rough.push_back({std::exp(3 * row[0])});
      const double e = delta_method(rough, {h}, {1.0}).relative_error;
      if (h == 1.0)
        EXPECT_GT(e, 0.3);
      else
        EXPECT_LT(e, 1e-5);
    }
}

TEST(Study, MonteCarloErrorFallsAsOneOverRootN)
{
  // 400 independent Monte Carlo means of y = x^2 + x, x ~ N(0,1), at N =
  // 64 and N = 1024: the spread of the means falls by sqrt(16) = 4, and the
  // reported standard error matches the observed spread. The sd of an sd
  // estimated from 400 repetitions is 1/sqrt(800) = 3.5 %; the ratio of
  // two has 5 %, the tolerance is 4 of them.
  std::vector<double> se;
  std::vector<double> spread;
  for (const std::size_t n : {64, 1024})
    {
      std::vector<double> means, reported;
      for (unsigned int r = 0; r < 400; ++r)
        {
          const auto          u = unit_samples(n, 1, false, 1000 * n + r);
          std::vector<double> y;
          for (const auto &row : u)
            {
              const double x = normal_quantile(row[0]);
              y.push_back(x * x + x);
            }
          const auto m = moments(y);
          means.push_back(m.mean);
          reported.push_back(m.standard_error);
        }
      spread.push_back(moments(means).sd);
      se.push_back(moments(reported).mean);
      EXPECT_NEAR(se.back() / spread.back(), 1, 0.15);
      // Exact: sd of y = sqrt(3); sd of the mean sqrt(3 / n).
      EXPECT_NEAR(spread.back() / std::sqrt(3.0 / n), 1, 0.15);
    }
  EXPECT_NEAR(spread[0] / spread[1], 4, 0.8);
}

TEST(Study, IdentifiabilityTable)
{
  // Two parameters with proportional sensitivities and one without any:
  // rank 1, condition infinite, the insensitive one keeps its prior.
  std::vector<std::vector<double>> s;
  for (int k = 0; k < 10; ++k)
    s.push_back({1.0 * k, 2.0 * k, 0.0});
  const auto id = identifiability(s, {1, 0.5, 1}, 0.1);
  EXPECT_EQ(id.numerical_rank, 1u);
  EXPECT_EQ(id.informative_rank, 1u);
  EXPECT_TRUE(std::isinf(id.condition_number));
  EXPECT_NEAR(id.posterior_over_prior_sd[2], 1, 1e-12);
  EXPECT_TRUE(std::isinf(id.cramer_rao_over_prior_sd[0]));
  // F = S^T S / s^2 with scaled columns (k, k): eigenvalue 2 sum k^2 / s^2.
  EXPECT_NEAR(id.eigenvalues[0], 2 * 285 / 0.01, 1e-9 * 57000);

  // Orthogonal sensitivities: F diagonal, closed form.
  const std::vector<std::vector<double>> o = {{3, 0}, {0, 0.5}};
  const auto                             d = identifiability(o, {1, 1}, 1);
  EXPECT_EQ(d.numerical_rank, 2u);
  EXPECT_EQ(d.informative_rank, 1u);
  EXPECT_NEAR(d.condition_number, 36, 1e-12);
  EXPECT_NEAR(d.posterior_over_prior_sd[0], 1 / std::sqrt(10.), 1e-12);
  EXPECT_NEAR(d.cramer_rao_over_prior_sd[1], 2, 1e-12);
}

TEST(Study, IntegralRangeSizeEstimate)
{
  // D^2(V) = K / V exactly, mean Z(L) = 3 + 2 / L: the fit returns K, alpha
  // = 1, Z_inf = 3 and the volume for 1 % at 10 realizations in closed form.
  const double           K = 0.5;
  std::vector<SizePoint> points;
  for (const double L : {4., 8., 16.})
    points.push_back({L, L * L * L, 5, 3 + 2 / L, std::sqrt(K / (L * L * L))});
  const auto a = analyse_sizes(points, 0.01, 10, 3);
  EXPECT_NEAR(a.alpha, 1, 1e-12);
  EXPECT_NEAR(a.K, K, 1e-12);
  EXPECT_NEAR(a.extrapolated, 3, 1e-12);
  EXPECT_NEAR(a.slope, 2, 1e-12);
  const double z = 3 + 2 / 16.;
  EXPECT_NEAR(a.required_volume, 4 * K / (1e-4 * z * z * 10), 1e-9);
  EXPECT_NEAR(a.required_edge, std::cbrt(a.required_volume), 1e-9);

  // One phase: no spread at any size, any size will do.
  for (auto &p : points)
    p.sd = 0;
  const auto b = analyse_sizes(points, 0.01, 10, 3);
  EXPECT_EQ(b.K, 0);
  EXPECT_EQ(b.required_volume, 0);
}
