// Finite-difference Jacobian with Richardson extrapolation.

#include <scalebridge/base/constants.h>
#include <scalebridge/uq/propagation.h>

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace scalebridge;
using namespace scalebridge::uq;

namespace
{
  /// k_B T at 300 K in eV.
  const double kT = constants::boltzmann_eV * 300.0;

  /// Arrhenius diffusivity and two related outputs of (D0 [m^2/s], Ea [eV]):
  /// parameters 14 orders of magnitude apart.
  std::vector<double>
  arrhenius(const std::vector<double> &p)
  {
    const double D0 = p[0], Ea = p[1];
    return {D0 * std::exp(-Ea / kT),
            std::sqrt(D0) * Ea * Ea,
            std::log(D0) * Ea};
  }

  dealii::FullMatrix<double>
  arrhenius_jacobian(const std::vector<double> &p)
  {
    const double               D0 = p[0], Ea = p[1];
    const double               D = D0 * std::exp(-Ea / kT);
    dealii::FullMatrix<double> J(3, 2);
    J(0, 0) = D / D0;
    J(0, 1) = -D / kT;
    J(1, 0) = Ea * Ea / (2 * std::sqrt(D0));
    J(1, 1) = 2 * std::sqrt(D0) * Ea;
    J(2, 0) = Ea / D0;
    J(2, 1) = std::log(D0);
    return J;
  }
} // namespace


TEST(FiniteDifferenceJacobian, RichardsonIsAccurateAcrossMagnitudes)
{
  // With step h = 1e-3 |x_j| (and h/2), Richardson leaves the error
  // f^(5) h^4 / 480. The most curved entry is d exp(-Ea/kT) / d Ea with
  // h/kT = 5e-4/0.02585 = 0.0193: relative error (0.0193)^4 / 480 = 3e-10.
  // Round-off adds ~3 eps |f| / h, below 1e-13 relative here. Hence 1e-9.
  const std::vector<double>        p = {1e-14, 0.5};
  const dealii::FullMatrix<double> J = finite_difference_jacobian(arrhenius, p);
  const dealii::FullMatrix<double> exact = arrhenius_jacobian(p);
  ASSERT_EQ(J.m(), 3u);
  ASSERT_EQ(J.n(), 2u);
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 2; ++j)
      EXPECT_NEAR(J(i, j), exact(i, j), 1e-9 * std::abs(exact(i, j)))
        << "entry " << i << ' ' << j;

  // The same tolerance is out of reach without the extrapolation: a plain
  // central difference with that step is off by (h/kT)^2/6 = 6e-5.
  const double h = 1e-3 * p[1];
  const double plain
    = (arrhenius({p[0], p[1] + h})[0] - arrhenius({p[0], p[1] - h})[0])
      / (2 * h);
  EXPECT_GT(std::abs(plain - exact(0, 1)), 1e-5 * std::abs(exact(0, 1)));
}


TEST(FiniteDifferenceJacobian, LinearFunctionIsExactToRoundOff)
{
  // No truncation error for a linear function; round-off is about
  // 3 eps |f_i| / h_j = 7e-13 relative here (|f_i| ~ |A_ij| |x_j|).
  const double A[2][3] = {{2.0, -3.0e5, 7.0e-3}, {-1.5, 4.0e4, 2.0e-2}};
  const auto   f       = [&A](const std::vector<double> &x) {
    std::vector<double> y(2, 1.0);
    for (unsigned int i = 0; i < 2; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        y[i] += A[i][j] * x[j];
    return y;
  };
  const dealii::FullMatrix<double> J
    = finite_difference_jacobian(f, {1.0, 2.0e-5, 300.0});
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      EXPECT_NEAR(J(i, j), A[i][j], 1e-11 * std::abs(A[i][j]));
}


TEST(FiniteDifferenceJacobian, ScalesSetTheStepOfZeroParameters)
{
  // A shift x with mean 0 whose natural scale is 1e-14: f = exp(x / 1e-14).
  const auto f = [](const std::vector<double> &x) {
    return std::vector<double>{std::exp(x[0] / 1e-14)};
  };
  const dealii::FullMatrix<double> J
    = finite_difference_jacobian(f, {0.0}, {1e-14});
  EXPECT_NEAR(J(0, 0), 1e14, 1e-9 * 1e14); // error (1e-3)^4/480, see above
  // Without a scale the step is 1e-3 (order one assumed): exp(1e11) is inf.
  EXPECT_THROW(finite_difference_jacobian(f, {0.0}), std::domain_error);

  // A scale below |x| changes nothing: the step stays 1e-3 |x|.
  const std::vector<double> p  = {1e-14, 0.5};
  const auto                J1 = finite_difference_jacobian(arrhenius, p);
  const auto J2 = finite_difference_jacobian(arrhenius, p, {1e-30, 1e-3});
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 2; ++j)
      EXPECT_EQ(J1(i, j), J2(i, j));
}


TEST(FiniteDifferenceJacobian, CountsAndChecksEvaluations)
{
  unsigned int calls = 0;
  const auto   f     = [&calls](const std::vector<double> &x) {
    ++calls;
    return std::vector<double>{x[0] * x[1], x[1] * x[2]};
  };
  finite_difference_jacobian(f, {1.0, 2.0, 3.0});
  EXPECT_EQ(calls, 4u * 3u); // x +- h and x +- h/2 per parameter

  EXPECT_THROW(finite_difference_jacobian(f, {1.0, 2.0, 3.0}, {1.0}),
               std::invalid_argument);
  EXPECT_THROW(finite_difference_jacobian(f, {}), std::invalid_argument);

  // A function whose output size changes between calls is a bug upstream.
  unsigned int n     = 0;
  const auto   shaky = [&n](const std::vector<double> &x) {
    return std::vector<double>(1 + (n++ % 2), x[0]);
  };
  EXPECT_THROW(finite_difference_jacobian(shaky, {1.0}), std::invalid_argument);

  // log of a negative number outside the domain: no silent NaN.
  const auto log_f = [](const std::vector<double> &x) {
    return std::vector<double>{std::log(x[0])};
  };
  EXPECT_THROW(finite_difference_jacobian(log_f, {0.0}), std::domain_error);
}
