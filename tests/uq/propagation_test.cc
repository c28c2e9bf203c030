// First-order and Monte Carlo propagation of parameter uncertainty.

#include <scalebridge/base/constants.h>
#include <scalebridge/uq/propagation.h>

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace scalebridge;
using namespace scalebridge::uq;

namespace
{
  /// f = A p + b with outputs of different size and strong correlations.
  const double A[2][3] = {{2.0, -1.0, 0.5}, {0.3, 4.0, -2.0}};
  const double b[2]    = {1.0, -3.0};

  std::vector<double>
  linear(const std::vector<double> &p)
  {
    std::vector<double> y(b, b + 2);
    for (unsigned int i = 0; i < 2; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        y[i] += A[i][j] * p[j];
    return y;
  }

  /// Three parameters, one with mean 0, correlations +0.6 and -0.5.
  ParameterDistribution
  linear_inputs()
  {
    ParameterDistribution d;
    d.names                = {"a", "b", "c"};
    d.mean                 = {1.5, 0.0, -2.0};
    const double sigma[3]  = {0.2, 0.5, 0.1};
    const double rho[3][3] = {{1, 0.6, 0}, {0.6, 1, -0.5}, {0, -0.5, 1}};
    d.covariance.reinit(3, 3);
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        d.covariance(i, j) = rho[i][j] * sigma[i] * sigma[j];
    return d;
  }

  /// A Sigma A^T written out.
  dealii::FullMatrix<double>
  linear_covariance(const dealii::FullMatrix<double> &sigma)
  {
    dealii::FullMatrix<double> C(2, 2);
    for (unsigned int i = 0; i < 2; ++i)
      for (unsigned int k = 0; k < 2; ++k)
        for (unsigned int p = 0; p < 3; ++p)
          for (unsigned int q = 0; q < 3; ++q)
            C(i, k) += A[i][p] * sigma(p, q) * A[k][q];
    return C;
  }

  ParameterDistribution
  single(const std::string &name, const double mean, const double variance)
  {
    ParameterDistribution d;
    d.names = {name};
    d.mean  = {mean};
    d.covariance.reinit(1, 1);
    d.covariance(0, 0) = variance;
    return d;
  }
} // namespace


TEST(ParameterDistribution, IndexByName)
{
  const ParameterDistribution d = linear_inputs();
  EXPECT_EQ(d.index("a"), 0u);
  EXPECT_EQ(d.index("c"), 2u);
  EXPECT_THROW(d.index("D0"), std::out_of_range);
}


TEST(FirstOrderPropagation, LinearFunctionGivesExactCovariance)
{
  // The delta method is exact for linear f; the only error is the
  // Jacobian's round-off, ~3 eps |f| / h ~ 1e-12 relative.
  const ParameterDistribution d        = linear_inputs();
  const PropagationResult     r        = propagate_first_order(linear, d);
  const auto                  expected = linear_covariance(d.covariance);

  const std::vector<double> mean = linear(d.mean);
  for (unsigned int i = 0; i < 2; ++i)
    {
      EXPECT_DOUBLE_EQ(r.mean[i], mean[i]);
      for (unsigned int j = 0; j < 3; ++j)
        EXPECT_NEAR(r.jacobian(i, j), A[i][j], 1e-10 * std::abs(A[i][j]));
      for (unsigned int k = 0; k < 2; ++k)
        EXPECT_NEAR(r.covariance(i, k), expected(i, k), 1e-10 * expected(i, i));
    }
  EXPECT_EQ(r.covariance(0, 1), r.covariance(1, 0));
  EXPECT_EQ(r.evaluations, 1u + 4u * 3u);

  const std::vector<double> sd = r.standard_deviations();
  EXPECT_DOUBLE_EQ(sd[1], std::sqrt(r.covariance(1, 1)));
}


TEST(FirstOrderPropagation, ArrheniusMatchesAnalyticDeltaMethod)
{
  // D = D0 exp(-Ea/kT), ln D = ln D0 - Ea/kT with correlated D0 and Ea.
  // Analytic gradients: dD = D (dD0/D0 - dEa/kT), d lnD = dD0/D0 - dEa/kT.
  const double kT = constants::boltzmann_eV * 300.0;
  const auto   f  = [kT](const std::vector<double> &p) {
    return std::vector<double>{p[0] * std::exp(-p[1] / kT),
                               std::log(p[0]) - p[1] / kT};
  };
  ParameterDistribution d;
  d.names         = {"D0", "Ea"};
  d.mean          = {1e-14, 0.5};
  const double s0 = 2e-15, s1 = 0.01, rho = 0.3;
  d.covariance.reinit(2, 2);
  d.covariance(0, 0) = s0 * s0;
  d.covariance(1, 1) = s1 * s1;
  d.covariance(0, 1) = d.covariance(1, 0) = rho * s0 * s1;

  // Relative gradient g = (s0/D0, -s1/kT) in units of one standard deviation.
  const double g0 = s0 / d.mean[0], g1 = -s1 / kT;
  const double var_log = g0 * g0 + 2 * rho * g0 * g1 + g1 * g1;
  const double D       = d.mean[0] * std::exp(-d.mean[1] / kT);

  // Jacobian error ~(h/kT)^4/480 = 3e-10 relative (see jacobian_test.cc);
  // the covariance is quadratic in it, so 1e-9 relative.
  const PropagationResult r = propagate_first_order(f, d);
  EXPECT_NEAR(r.covariance(0, 0), D * D * var_log, 1e-9 * D * D * var_log);
  EXPECT_NEAR(r.covariance(1, 1), var_log, 1e-9 * var_log);
  EXPECT_NEAR(r.covariance(0, 1), D * var_log, 1e-9 * D * var_log);
  EXPECT_DOUBLE_EQ(r.mean[0], D);
}


TEST(MonteCarloPropagation, AgreesWithFirstOrderForLinearFunction)
{
  // For normal inputs and linear f the outputs are normal with the exact
  // first-order moments. With N samples the standard errors are
  //   mean:        sigma_i / sqrt(N)
  //   covariance:  sqrt((C_ii C_kk + C_ik^2) / N)   (= C_ii sqrt(2/N) for i=k)
  // Each check allows 5 standard errors: a correct sampler fails one with
  // probability ~6e-7, while ignoring the correlations would move C_01 from
  // -0.62 to -0.99, about 100 standard errors.
  const ParameterDistribution d  = linear_inputs();
  const unsigned int          N  = 100000;
  const PropagationResult     mc = propagate_monte_carlo(linear, d, N, 2024);
  const PropagationResult     fo = propagate_first_order(linear, d);
  const auto                  C  = linear_covariance(d.covariance);
  EXPECT_EQ(mc.evaluations, N);
  for (unsigned int i = 0; i < 2; ++i)
    {
      EXPECT_NEAR(mc.mean[i], fo.mean[i], 5 * std::sqrt(C(i, i) / N));
      for (unsigned int k = 0; k < 2; ++k)
        EXPECT_NEAR(mc.covariance(i, k),
                    fo.covariance(i, k),
                    5 * std::sqrt((C(i, i) * C(k, k) + C(i, k) * C(i, k)) / N))
          << i << ' ' << k;
    }
  EXPECT_EQ(mc.covariance(0, 1), mc.covariance(1, 0));
  // The off-diagonal is strongly non-zero, so the check above has teeth.
  EXPECT_GT(std::abs(C(0, 1)), 0.3 * std::sqrt(C(0, 0) * C(1, 1)));
}


TEST(MonteCarloPropagation, MatchesLognormalMomentsBeyondFirstOrder)
{
  // f = exp(p), p ~ N(mu, s^2): lognormal with mean exp(mu + s^2/2) and
  // variance (exp(s^2) - 1) exp(2 mu + s^2); first order gives exp(mu) and
  // s^2 exp(2 mu). Standard error of the sample variance of a distribution
  // with kurtosis k is var sqrt((k - 1)/N), lognormal excess kurtosis
  // exp(4s^2) + 2 exp(3s^2) + 3 exp(2s^2) - 6.
  const double mu = std::log(1e-14), s = 0.2;
  const auto   f = [](const std::vector<double> &p) {
    return std::vector<double>{std::exp(p[0])};
  };
  const ParameterDistribution d  = single("ln D", mu, s * s);
  const unsigned int          N  = 100000;
  const PropagationResult     mc = propagate_monte_carlo(f, d, N, 7);
  const PropagationResult     fo = propagate_first_order(f, d);

  const double mean     = std::exp(mu + s * s / 2);
  const double variance = (std::exp(s * s) - 1) * std::exp(2 * mu + s * s);
  const double kurtosis = 3 + std::exp(4 * s * s) + 2 * std::exp(3 * s * s)
                          + 3 * std::exp(2 * s * s) - 6;
  const double se_mean     = std::sqrt(variance / N);
  const double se_variance = variance * std::sqrt((kurtosis - 1) / N);

  EXPECT_NEAR(mc.mean[0], mean, 5 * se_mean);
  EXPECT_NEAR(mc.covariance(0, 0), variance, 5 * se_variance);
  // The sample resolves the second-order effects first order misses:
  // mean shift exp(s^2/2) - 1 = 2 % (31 standard errors), variance 6 %.
  EXPECT_GT(std::abs(mc.mean[0] - fo.mean[0]), 5 * se_mean);
  EXPECT_GT(std::abs(mc.covariance(0, 0) - fo.covariance(0, 0)),
            5 * se_variance);
}


TEST(MonteCarloPropagation, SameSeedIsReproducible)
{
  const ParameterDistribution d  = linear_inputs();
  const PropagationResult     r1 = propagate_monte_carlo(linear, d, 1000, 99);
  const PropagationResult     r2 = propagate_monte_carlo(linear, d, 1000, 99);
  const PropagationResult     r3 = propagate_monte_carlo(linear, d, 1000, 100);
  for (unsigned int i = 0; i < 2; ++i)
    {
      EXPECT_EQ(r1.mean[i], r2.mean[i]); // bit for bit
      EXPECT_NE(r1.mean[i], r3.mean[i]);
      for (unsigned int k = 0; k < 2; ++k)
        EXPECT_EQ(r1.covariance(i, k), r2.covariance(i, k));
    }
}


TEST(MonteCarloPropagation, ZeroVarianceParameterStaysAtItsMean)
{
  ParameterDistribution d = linear_inputs();
  for (unsigned int j = 0; j < 3; ++j)
    d.covariance(1, j) = d.covariance(j, 1) = 0.0;
  d.mean[1] = 0.7;

  unsigned int off_mean = 0;
  const auto   f        = [&off_mean](const std::vector<double> &p) {
    if (p[1] != 0.7)
      ++off_mean;
    return std::vector<double>{p[0] + p[2], p[1]};
  };
  const PropagationResult mc = propagate_monte_carlo(f, d, 2000, 5);
  EXPECT_EQ(off_mean, 0u);
  EXPECT_EQ(mc.mean[1], 0.7);
  EXPECT_EQ(mc.covariance(1, 1), 0.0);
  EXPECT_EQ(mc.covariance(0, 1), 0.0);
  EXPECT_GT(mc.covariance(0, 0), 0.0);

  // First order: exactly no contribution, and a zero-variance parameter
  // with mean 0 too (no scale at all) is differentiated with step 1e-3.
  d.mean[1]                  = 0.0;
  const PropagationResult fo = propagate_first_order(f, d);
  EXPECT_EQ(fo.covariance(1, 1), 0.0);
  EXPECT_NEAR(fo.jacobian(1, 1), 1.0, 1e-12);
  EXPECT_EQ(fo.standard_deviations()[1], 0.0);
}


TEST(MonteCarloPropagation, PerfectlyCorrelatedParametersCancel)
{
  // Covariance of rank 1: p0 = mu0 + 0.3 z, p1 = mu1 + 0.7 z, so that
  // p0/0.3 - p1/0.7 is deterministic. Only round-off (~1e-16 per sample)
  // remains, whereas independent sampling would give variance 2.
  ParameterDistribution d;
  d.names = {"x", "y"};
  d.mean  = {1.0, 2.0};
  d.covariance.reinit(2, 2);
  d.covariance(0, 0) = 0.09;
  d.covariance(1, 1) = 0.49;
  d.covariance(0, 1) = d.covariance(1, 0) = 0.21;
  const auto f                            = [](const std::vector<double> &p) {
    return std::vector<double>{p[0] / 0.3 - p[1] / 0.7, p[0]};
  };
  const PropagationResult mc = propagate_monte_carlo(f, d, 5000, 3);
  EXPECT_LT(mc.covariance(0, 0), 1e-24);
  EXPECT_NEAR(mc.covariance(1, 1), 0.09, 5 * 0.09 * std::sqrt(2.0 / 5000));
}


TEST(MonteCarloPropagation, SamplesOutsideTheDomainAreRejected)
{
  // p ~ N(1, 1) and f = sqrt(p): the 15.87 % of samples with p < 0 have no
  // result. They are counted, not averaged in; the accepted ones follow the
  // normal truncated to p >= 0, whose mean of sqrt(p) is larger than that
  // of all samples would suggest.
  const ParameterDistribution d    = single("p", 1.0, 1.0);
  const auto                  root = [](const std::vector<double> &p) {
    return std::vector<double>{std::sqrt(p[0])}; // NaN for p < 0
  };
  const unsigned int N = 20000;
  const auto         r = propagate_monte_carlo(root, d, N, 7);
  // Binomial count: N q +- sqrt(N q (1-q)), q = Phi(-1); 5 standard errors.
  const double q = 0.5 * std::erfc(1.0 / std::sqrt(2.0));
  EXPECT_NEAR(r.rejected_samples, N * q, 5 * std::sqrt(N * q * (1 - q)));
  EXPECT_EQ(r.evaluations, N);
  EXPECT_TRUE(std::isfinite(r.mean[0]));
  EXPECT_GT(r.mean[0], 0.0);

  // Nothing in the domain: an error, not a mean of nothing.
  const auto never = [](const std::vector<double> &) {
    return std::vector<double>{std::nan("")};
  };
  EXPECT_THROW(propagate_monte_carlo(never, d, 100, 7), std::domain_error);
  // First order evaluates only near the mean and still refuses NaN there.
  EXPECT_THROW(propagate_first_order(never, d), std::domain_error);
}


TEST(Propagation, RejectsInconsistentInput)
{
  ParameterDistribution d = linear_inputs();
  EXPECT_THROW(propagate_monte_carlo(linear, d, 1, 1), std::invalid_argument);

  ParameterDistribution wrong = d;
  wrong.names.pop_back();
  EXPECT_THROW(propagate_first_order(linear, wrong), std::invalid_argument);
  wrong       = d;
  wrong.names = {"a", "a", "c"};
  EXPECT_THROW(propagate_first_order(linear, wrong), std::invalid_argument);
  wrong = d;
  wrong.covariance.reinit(2, 2);
  EXPECT_THROW(propagate_monte_carlo(linear, wrong, 10, 1),
               std::invalid_argument);
  // Correlation 1.2 between a and b: not positive semi-definite.
  wrong                  = d;
  wrong.covariance(0, 1) = wrong.covariance(1, 0) = 1.2 * 0.2 * 0.5;
  EXPECT_THROW(propagate_first_order(linear, wrong), std::domain_error);
  EXPECT_THROW(propagate_monte_carlo(linear, wrong, 10, 1), std::domain_error);
  wrong                  = d;
  wrong.covariance(0, 1) = 0.0;
  EXPECT_THROW(propagate_first_order(linear, wrong), std::domain_error);
}


TEST(PropagationResult, StandardDeviations)
{
  PropagationResult r;
  r.covariance.reinit(3, 3);
  r.covariance(0, 0)           = 4.0;
  r.covariance(1, 1)           = 9.0;
  r.covariance(2, 2)           = -1e-17; // round-off of a zero variance
  const std::vector<double> sd = r.standard_deviations();
  EXPECT_EQ(sd, (std::vector<double>{2.0, 3.0, 0.0}));
  r.covariance(2, 2) = -0.1;
  EXPECT_THROW(r.standard_deviations(), std::domain_error);
}
