// Semi-definite Cholesky factorisation and symmetric eigenvalues.

#include <scalebridge/uq/propagation.h>

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace scalebridge;
using namespace scalebridge::uq;

namespace
{
  dealii::FullMatrix<double>
  matrix(const std::vector<std::vector<double>> &rows)
  {
    dealii::FullMatrix<double> A(rows.size(), rows[0].size());
    for (unsigned int i = 0; i < A.m(); ++i)
      for (unsigned int j = 0; j < A.n(); ++j)
        A(i, j) = rows[i][j];
    return A;
  }

  /// max |L L^T - A|: products of O(1) factors, round-off a few eps.
  double
  reconstruction_error(const dealii::FullMatrix<double> &L,
                       const dealii::FullMatrix<double> &A)
  {
    double error = 0.0;
    for (unsigned int i = 0; i < A.m(); ++i)
      for (unsigned int k = 0; k < A.n(); ++k)
        {
          double sum = 0.0;
          for (unsigned int j = 0; j < A.n(); ++j)
            sum += L(i, j) * L(k, j);
          error = std::max(error, std::abs(sum - A(i, k)));
        }
    return error;
  }
} // namespace


TEST(CholeskySemidefinite, DefiniteMatrixClosedForm)
{
  // [[4 2 0][2 5 3][0 3 10]] = L L^T with L = [[2 0 0][1 2 0][0 1.5
  // sqrt(7.75)]].
  const auto A = matrix({{4, 2, 0}, {2, 5, 3}, {0, 3, 10}});
  const auto L = cholesky_semidefinite(A);
  const auto expected
    = matrix({{2, 0, 0}, {1, 2, 0}, {0, 1.5, std::sqrt(10 - 2.25)}});
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      EXPECT_NEAR(L(i, j), expected(i, j), 1e-15 * 4);
  EXPECT_LT(reconstruction_error(L, A), 1e-14);
}


TEST(CholeskySemidefinite, ZeroVarianceAndPerfectCorrelation)
{
  // Parameter 1 is deterministic; parameters 0 and 2 are perfectly
  // correlated (rank 1 block sigma sigma^T with sigma = (0.3, 0.7)).
  const auto A = matrix({{0.09, 0, 0.21}, {0, 0, 0}, {0.21, 0, 0.49}});
  const auto L = cholesky_semidefinite(A);
  EXPECT_LT(reconstruction_error(L, A), 1e-15);
  for (unsigned int i = 0; i < 3; ++i)
    {
      EXPECT_EQ(L(1, i), 0.0); // exactly: the parameter stays at its mean
      EXPECT_EQ(L(i, 1), 0.0);
    }
  EXPECT_NEAR(L(2, 0), 0.7, 1e-15);
  EXPECT_EQ(L(2, 2), 0.0); // pivot 0.49 - 0.7^2 is round-off: zeroed
}


TEST(CholeskySemidefinite, RejectsNonSymmetricAndIndefinite)
{
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 0.5}, {0.4, 1}})),
               std::domain_error);
  // Eigenvalues 3 and -1.
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 2}, {2, 1}})),
               std::domain_error);
  // Zero pivot with non-zero coupling: eigenvalues +-1.
  EXPECT_THROW(cholesky_semidefinite(matrix({{0, 1}, {1, 0}})),
               std::domain_error);
  // Rank-1 block with a too large correlation (|rho| = 1.01).
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 1.01}, {1.01, 1}})),
               std::domain_error);
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 0}, {0, -1e-6}})),
               std::domain_error);
  EXPECT_THROW(cholesky_semidefinite(matrix({{NAN, 0}, {0, 1}})),
               std::domain_error);
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 0, 0}, {0, 1, 0}})),
               std::invalid_argument);
  // Within the relative tolerance a tiny negative pivot of the correlation
  // matrix (perfect correlation up to round-off) is a zero one ...
  EXPECT_NO_THROW(
    cholesky_semidefinite(matrix({{1, 1 + 1e-15}, {1 + 1e-15, 1}})));
  // ... but a negative variance has no scale to be small against.
  EXPECT_THROW(cholesky_semidefinite(matrix({{1, 0}, {0, -1e-14}})),
               std::domain_error);
}


TEST(SymmetricMinEigenvalue, KnownSpectra)
{
  EXPECT_NEAR(min_eigenvalue(matrix({{2, 1}, {1, 2}})), 1.0, 1e-15 * 3);
  EXPECT_NEAR(min_eigenvalue(matrix({{1, 2}, {2, 1}})), -1.0, 1e-15 * 3);

  // Q diag(7, -0.5, 3) Q^T with Q a product of two plane rotations.
  const double lambda[3] = {7.0, -0.5, 3.0};
  const double a = 0.4, b = 1.1;
  const double Q1[3][3] = {{std::cos(a), -std::sin(a), 0},
                           {std::sin(a), std::cos(a), 0},
                           {0, 0, 1}};
  const double Q2[3][3] = {{1, 0, 0},
                           {0, std::cos(b), -std::sin(b)},
                           {0, std::sin(b), std::cos(b)}};
  double       Q[3][3]  = {};
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      for (unsigned int k = 0; k < 3; ++k)
        Q[i][j] += Q1[i][k] * Q2[k][j];
  dealii::FullMatrix<double> A(3, 3);
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      for (unsigned int k = 0; k < 3; ++k)
        A(i, j) += Q[i][k] * lambda[k] * Q[j][k];
  // Round-off of building A and of LAPACK: a few eps times |lambda|max.
  EXPECT_NEAR(min_eigenvalue(A), -0.5, 1e-14 * 7);

  EXPECT_THROW(min_eigenvalue(matrix({{1, 2}, {0, 1}})), std::domain_error);
  EXPECT_THROW(min_eigenvalue(matrix({{1, 2}})), std::invalid_argument);
}


TEST(Cholesky, ParametersInVeryDifferentUnits)
{
  // A barrier (sigma 0.02 eV) and an attempt frequency (sigma 5e12 Hz) with
  // correlation 0.3: a tolerance relative to the largest variance would
  // take the barrier's variance for zero.
  dealii::FullMatrix<double> A(2, 2);
  A(0, 0) = 4e-4;
  A(1, 1) = 2.5e25;
  A(0, 1) = A(1, 0)                  = 0.3 * 0.02 * 5e12;
  const dealii::FullMatrix<double> L = cholesky_semidefinite(A);
  EXPECT_NEAR(L(0, 0), 0.02, 1e-15);
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int k = 0; k < 2; ++k)
      {
        double product = 0;
        for (unsigned int j = 0; j < 2; ++j)
          product += L(i, j) * L(k, j);
        // Relative to sqrt(A_ii A_kk), the scale of entry (i,k).
        EXPECT_NEAR(product, A(i, k), 1e-14 * std::sqrt(A(i, i) * A(k, k)));
      }
  // Correlation 1.01 in the same units: not PSD.
  A(0, 1) = A(1, 0) = 1.01 * 0.02 * 5e12;
  EXPECT_THROW(cholesky_semidefinite(A), std::domain_error);
}
