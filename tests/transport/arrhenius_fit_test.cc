// Arrhenius fit: exact recovery, covariance against the textbook OLS/WLS
// formulas (built here from the uncentred normal equations), and a Monte
// Carlo check that the reported covariance is the actual scatter.

#include <scalebridge/base/constants.h>
#include <scalebridge/transport/diffusion.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace scalebridge;
using transport::fit_arrhenius;

namespace
{
  constexpr double kB = constants::boltzmann_eV;

  const double Em_true = 0.45;   // eV
  const double D0_true = 3.2e-7; // m^2/s

  std::vector<double>
  temperatures()
  {
    std::vector<double> T;
    for (double t = 300; t <= 900; t += 50)
      T.push_back(t);
    return T;
  }

  double
  arrhenius(const double T)
  {
    return D0_true * std::exp(-Em_true / (kB * T));
  }

  /// (X^T W X)^-1 and the WLS estimate for X = [-1/kT, 1], by Cramer's rule
  /// on the raw sums. Independent of the library's centred formulas.
  struct NormalEquations
  {
    double Em, logD0;
    double cov[2][2];
  };

  NormalEquations
  solve_normal_equations(const std::vector<double> &T,
                         const std::vector<double> &D,
                         const std::vector<double> &sigma)
  {
    double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
    for (size_t i = 0; i < T.size(); ++i)
      {
        const double w = 1 / (sigma[i] * sigma[i]);
        const double x = -1 / (kB * T[i]); // column for E_m
        const double y = std::log(D[i]);
        a11 += w * x * x;
        a12 += w * x;
        a22 += w;
        b1 += w * x * y;
        b2 += w * y;
      }
    const double    det = a11 * a22 - a12 * a12;
    NormalEquations n;
    n.cov[0][0] = a22 / det;
    n.cov[0][1] = n.cov[1][0] = -a12 / det;
    n.cov[1][1]               = a11 / det;
    n.Em                      = n.cov[0][0] * b1 + n.cov[0][1] * b2;
    n.logD0                   = n.cov[1][0] * b1 + n.cov[1][1] * b2;
    return n;
  }
} // namespace

TEST(ArrheniusFit, RecoversExactParametersFromNoiseFreeData)
{
  const auto          T = temperatures();
  std::vector<double> D;
  for (const double t : T)
    D.push_back(arrhenius(t));

  // ln D carries ~eps * |ln D| ~ 1e-14 rounding; spread over a range of
  // 1/kT of ~26 1/eV that moves E_m by ~1e-15 eV and ln D0 by ~4e-14.
  for (const bool weighted : {false, true})
    {
      const auto fit
        = weighted ? fit_arrhenius(T, D, std::vector<double>(T.size(), 0.1))
                   : fit_arrhenius(T, D);
      EXPECT_NEAR(fit.barrier_eV, Em_true, 1e-12);
      EXPECT_NEAR(fit.prefactor_m2_per_s, D0_true, 1e-12 * D0_true);
      EXPECT_LT(fit.rms_log_residual, 1e-13);
      EXPECT_EQ(fit.n_points, T.size());
    }
}

TEST(ArrheniusFit, CovarianceMatchesAnalyticFormulaForGivenSigma)
{
  // With sigma given, the covariance is the absolute sigma^2 (X^T X)^-1,
  // independent of the data; the uncentred inversion loses ~cond(X^T X)
  // ~1e4 of precision, so 1e-9 relative.
  const auto          T = temperatures();
  std::vector<double> D;
  for (size_t i = 0; i < T.size(); ++i)
    D.push_back(arrhenius(T[i]) * std::exp(0.03 * std::sin(7.0 * i)));
  const std::vector<double> sigma(T.size(), 0.05);

  const auto fit = fit_arrhenius(T, D, sigma);
  const auto ref = solve_normal_equations(T, D, sigma);
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int j = 0; j < 2; ++j)
      EXPECT_NEAR(fit.covariance_barrier_log_prefactor[i][j],
                  ref.cov[i][j],
                  1e-9 * std::abs(ref.cov[i][j]))
        << i << j;
  EXPECT_NEAR(fit.barrier_eV, ref.Em, 1e-9 * std::abs(ref.Em));

  // First-order propagation to D0: J = diag(1, D0).
  const double D0 = fit.prefactor_m2_per_s;
  EXPECT_NEAR(D0, std::exp(ref.logD0), 1e-9 * D0);
  const auto &P = fit.covariance_barrier_prefactor;
  EXPECT_NEAR(P[0][0], ref.cov[0][0], 1e-9 * ref.cov[0][0]);
  EXPECT_NEAR(P[0][1], D0 * ref.cov[0][1], 1e-9 * D0 * std::abs(ref.cov[0][1]));
  EXPECT_NEAR(P[1][0], P[0][1], 0.0);
  EXPECT_NEAR(P[1][1], D0 * D0 * ref.cov[1][1], 1e-9 * D0 * D0 * ref.cov[1][1]);

  // Doubling sigma quadruples the covariance, whatever the data.
  const auto wide = fit_arrhenius(T, D, std::vector<double>(T.size(), 0.1));
  EXPECT_NEAR(wide.covariance_barrier_log_prefactor[0][0],
              4 * fit.covariance_barrier_log_prefactor[0][0],
              1e-12 * fit.covariance_barrier_log_prefactor[0][0]);
}

TEST(ArrheniusFit, NonUniformWeightsMatchWeightedNormalEquations)
{
  const auto          T = temperatures();
  std::vector<double> D, sigma;
  for (size_t i = 0; i < T.size(); ++i)
    {
      D.push_back(arrhenius(T[i]) * std::exp(0.05 * std::cos(3.0 * i)));
      sigma.push_back(0.02 + 0.01 * i); // low temperatures measured better
    }
  const auto fit = fit_arrhenius(T, D, sigma);
  const auto ref = solve_normal_equations(T, D, sigma);
  EXPECT_NEAR(fit.barrier_eV, ref.Em, 1e-9 * std::abs(ref.Em));
  EXPECT_NEAR(std::log(fit.prefactor_m2_per_s),
              ref.logD0,
              1e-9 * std::abs(ref.logD0));
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int j = 0; j < 2; ++j)
      EXPECT_NEAR(fit.covariance_barrier_log_prefactor[i][j],
                  ref.cov[i][j],
                  1e-9 * std::abs(ref.cov[i][j]));
}

TEST(ArrheniusFit, UnweightedCovarianceUsesResidualVariance)
{
  // Without sigma: cov = s^2 (X^T X)^-1 with s^2 = RSS / (n - 2), and the
  // RMS residual is sqrt(RSS / n); RSS computed here from the reference fit.
  const auto          T = temperatures();
  std::vector<double> D;
  for (size_t i = 0; i < T.size(); ++i)
    D.push_back(arrhenius(T[i]) * std::exp(0.04 * std::sin(5.0 * i + 1)));
  const auto fit = fit_arrhenius(T, D);
  const auto ref
    = solve_normal_equations(T, D, std::vector<double>(T.size(), 1.0));
  double rss = 0;
  for (size_t i = 0; i < T.size(); ++i)
    {
      const double r = std::log(D[i]) - (ref.logD0 - ref.Em / (kB * T[i]));
      rss += r * r;
    }
  const double n  = T.size();
  const double s2 = rss / (n - 2);
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int j = 0; j < 2; ++j)
      EXPECT_NEAR(fit.covariance_barrier_log_prefactor[i][j],
                  s2 * ref.cov[i][j],
                  1e-8 * std::abs(s2 * ref.cov[i][j]));
  EXPECT_NEAR(fit.rms_log_residual,
              std::sqrt(rss / n),
              1e-8 * std::sqrt(rss / n));

  // Two points: an exact fit with no residual to estimate a scatter from.
  const auto two = fit_arrhenius({300, 600}, {arrhenius(300), arrhenius(600)});
  EXPECT_NEAR(two.barrier_eV, Em_true, 1e-12);
  EXPECT_EQ(two.covariance_barrier_log_prefactor[0][0], 0.0);
  EXPECT_EQ(two.covariance_barrier_prefactor[1][1], 0.0);
}

TEST(ArrheniusFit, ReportedCovarianceIsTheActualScatter)
{
  // Monte Carlo with a fixed seed: N fits of data with Gaussian noise of
  // sigma in ln D. A sample variance has relative standard error
  // sqrt(2 / (N-1)) = 2.2% for N = 4000, so 5 standard errors (11%) makes a
  // false alarm negligible while a wrong factor (e.g. sigma vs sigma^2, or
  // n vs n-2) is caught. The correlation coefficient has standard error
  // (1 - rho^2) / sqrt(N). D0 is checked in the same way against the delta
  // method, whose own bias is O(var ln D0) ~ 1e-4 here.
  const auto                       T     = temperatures();
  const double                     sigma = 0.01;
  const int                        N     = 4000;
  std::mt19937_64                  rng(20240611);
  std::normal_distribution<double> noise(0.0, sigma);

  const auto reference
    = fit_arrhenius(T,
                    std::vector<double>(T.size(), 1.0), // data do not matter
                    std::vector<double>(T.size(), sigma));
  double sum_E = 0, sum_L = 0, sum_D = 0, sum_EE = 0, sum_LL = 0, sum_EL = 0,
         sum_DD = 0;
  for (int k = 0; k < N; ++k)
    {
      std::vector<double> D;
      for (const double t : T)
        D.push_back(arrhenius(t) * std::exp(noise(rng)));
      const auto fit
        = fit_arrhenius(T, D, std::vector<double>(T.size(), sigma));
      const double E = fit.barrier_eV, L = std::log(fit.prefactor_m2_per_s);
      sum_E += E;
      sum_L += L;
      sum_D += fit.prefactor_m2_per_s;
      sum_EE += E * E;
      sum_LL += L * L;
      sum_EL += E * L;
      sum_DD += fit.prefactor_m2_per_s * fit.prefactor_m2_per_s;
    }
  const double var_E  = (sum_EE - sum_E * sum_E / N) / (N - 1);
  const double var_L  = (sum_LL - sum_L * sum_L / N) / (N - 1);
  const double cov_EL = (sum_EL - sum_E * sum_L / N) / (N - 1);
  const double var_D  = (sum_DD - sum_D * sum_D / N) / (N - 1);

  const auto  &C       = reference.covariance_barrier_log_prefactor;
  const double rel_err = 5 * std::sqrt(2.0 / (N - 1));
  EXPECT_NEAR(var_E / C[0][0], 1.0, rel_err);
  EXPECT_NEAR(var_L / C[1][1], 1.0, rel_err);
  const double rho = C[0][1] / std::sqrt(C[0][0] * C[1][1]);
  EXPECT_NEAR(cov_EL / std::sqrt(var_E * var_L),
              rho,
              5 * (1 - rho * rho) / std::sqrt(N));
  // Unbiased: the mean is within 5 standard errors of the truth.
  EXPECT_NEAR(sum_E / N, Em_true, 5 * std::sqrt(C[0][0] / N));
  EXPECT_NEAR(sum_L / N, std::log(D0_true), 5 * std::sqrt(C[1][1] / N));
  // Delta method, with the true D0 in the Jacobian.
  EXPECT_NEAR(var_D / (D0_true * D0_true * C[1][1]), 1.0, rel_err + 1e-3);
}

TEST(ArrheniusFit, RejectsBadData)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(fit_arrhenius({300}, {1e-14}), std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 300, 300}, {1e-14, 2e-14, 3e-14}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 400}, {1e-14}), std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 400}, {1e-14, 0.0}), std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 400}, {1e-14, -1e-13}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({-300, 400}, {1e-14, 1e-13}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({0, 400}, {1e-14, 1e-13}), std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({nan, 400}, {1e-14, 1e-13}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 400}, {1e-14, 1e-13}, {0.1}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({300, 400}, {1e-14, 1e-13}, {0.1, 0.0}),
               std::invalid_argument);
  EXPECT_THROW(fit_arrhenius({}, {}), std::invalid_argument);
}
