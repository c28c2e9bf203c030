// Voigt, Mandel and tensor notation, inversion and stability of stiffnesses.
//
// Tolerances: the identities tested here are exact in real arithmetic; each
// computed entry is a short sum (at most 6 terms, plus sqrt(2) factors) of
// O(1)-relative round-off, i.e. a few 1e-16 of the largest entry. 1e-13
// leaves two orders of margin while any convention error (a missing sqrt(2)
// or factor 2, a swapped index) is O(1).

#include <scalebridge/elasticity/stiffness.h>

#include <deal.II/base/symmetric_tensor.h>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stiffness_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::elasticity;
using test_support::matrices_near;

namespace
{
  constexpr double round_off = 1e-13;

  /// Distinct, asymmetric entries 11, 12, ..., 66 (1-based row, column), so
  /// that a transposed or shifted index shows up as a wrong value.
  Matrix6
  labelled_matrix()
  {
    Matrix6 C;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        C[I][J] = 10.0 * (I + 1) + (J + 1);
    return C;
  }
} // namespace


TEST(StiffnessNotation, MandelCarriesSqrtTwoOnShearRowsAndColumns)
{
  const Matrix6 V = labelled_matrix();
  const Matrix6 M = voigt_to_mandel(V);
  const double  r = std::sqrt(2.0);
  EXPECT_DOUBLE_EQ(M[0][0], 11.0);
  EXPECT_DOUBLE_EQ(M[1][2], 23.0);
  EXPECT_DOUBLE_EQ(M[0][3], r * 14.0);
  EXPECT_DOUBLE_EQ(M[5][2], r * 63.0);
  EXPECT_DOUBLE_EQ(M[3][4], 2.0 * 45.0);
  EXPECT_DOUBLE_EQ(M[5][5], 2.0 * 66.0);
  EXPECT_TRUE(matrices_near(mandel_to_voigt(M), V, round_off));
}


TEST(StiffnessNotation, TensorComponentsFollowVoigtOrder)
{
  // Voigt order 11 22 33 23 13 12: C^V_IJ = C_ijkl for I=(ij), J=(kl).
  const Matrix6                       V = labelled_matrix();
  const dealii::SymmetricTensor<4, 3> C = mandel_to_tensor(voigt_to_mandel(V));
  EXPECT_NEAR(C[0][0][1][1], 12.0, 1e-13);
  EXPECT_NEAR(C[1][1][0][0], 21.0, 1e-13);
  EXPECT_NEAR(C[1][2][0][0], 41.0, 1e-13);
  EXPECT_NEAR(C[2][1][0][0], 41.0, 1e-13); // minor symmetry ij = ji
  EXPECT_NEAR(C[0][2][0][1], 56.0, 1e-13);
  EXPECT_NEAR(C[2][0][1][0], 56.0, 1e-13);
  EXPECT_NEAR(C[0][1][0][2], 65.0, 1e-13);
  EXPECT_NEAR(C[1][2][1][2], 44.0, 1e-13);
  EXPECT_NEAR(C[2][2][2][1], 34.0, 1e-13);

  EXPECT_TRUE(
    matrices_near(tensor_to_mandel(C), voigt_to_mandel(V), round_off));
}


TEST(StiffnessNotation, StressAndEnergyAgreeInAllNotations)
{
  // sigma = C : eps computed by deal.II's double contraction of the tensor
  // must agree with the Voigt product (engineering shear strains) and the
  // Mandel product (sqrt(2)-weighted shear components).
  std::mt19937_64                        rng(42);
  std::uniform_real_distribution<double> u(-1e-3, 1e-3);
  const Matrix6 M = test_support::random_stable_mandel(rng);
  const Matrix6 V = mandel_to_voigt(M);
  const auto    C = mandel_to_tensor(M);

  dealii::SymmetricTensor<2, 3> eps;
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = i; j < 3; ++j)
      eps[i][j] = u(rng);
  const dealii::SymmetricTensor<2, 3> sigma = C * eps;

  const unsigned int pairs[6][2]
    = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
  dealii::Tensor<1, 6> eps_voigt, eps_mandel;
  for (unsigned int I = 0; I < 6; ++I)
    {
      const double e = eps[pairs[I][0]][pairs[I][1]];
      eps_voigt[I]   = I < 3 ? e : 2.0 * e;
      eps_mandel[I]  = I < 3 ? e : std::sqrt(2.0) * e;
    }
  const dealii::Tensor<1, 6> sigma_voigt  = V * eps_voigt;
  const dealii::Tensor<1, 6> sigma_mandel = M * eps_mandel;

  const double scale = sigma.norm();
  for (unsigned int I = 0; I < 6; ++I)
    {
      const double s = sigma[pairs[I][0]][pairs[I][1]];
      EXPECT_NEAR(sigma_voigt[I], s, round_off * scale) << "I = " << I;
      EXPECT_NEAR(sigma_mandel[I],
                  (I < 3 ? 1.0 : std::sqrt(2.0)) * s,
                  round_off * scale)
        << "I = " << I;
    }

  const double energy = eps * C * eps;
  EXPECT_NEAR(eps_voigt * (V * eps_voigt), energy, round_off * energy);
  EXPECT_NEAR(eps_mandel * (M * eps_mandel), energy, round_off * energy);
}


TEST(StiffnessNotation, IsotropicConstantsAreLameClosedForms)
{
  const double  E = 70.0, nu = 0.33;
  const Matrix6 C = isotropic_stiffness(E, nu);
  EXPECT_NEAR(C[0][0], E * (1 - nu) / ((1 + nu) * (1 - 2 * nu)), 1e-12);
  EXPECT_NEAR(C[0][1], E * nu / ((1 + nu) * (1 - 2 * nu)), 1e-12);
  EXPECT_NEAR(C[3][3], E / (2 * (1 + nu)), 1e-12);

  // Same material from K = E/(3(1-2nu)), G = E/(2(1+nu)).
  const Matrix6 from_moduli
    = isotropic_stiffness_from_moduli(E / (3 * (1 - 2 * nu)),
                                      E / (2 * (1 + nu)));
  EXPECT_TRUE(matrices_near(from_moduli, C, round_off));

  EXPECT_THROW(isotropic_stiffness(E, 0.5), std::invalid_argument);
  EXPECT_THROW(isotropic_stiffness(E, -1.0), std::invalid_argument);
  EXPECT_THROW(cubic_stiffness(1.0, NAN, 1.0), std::invalid_argument);
}


TEST(StiffnessNotation, HexagonalShearIsTransverselyIsotropic)
{
  const Matrix6 C = hexagonal_stiffness(59.4, 25.6, 21.4, 61.6, 16.4);
  EXPECT_DOUBLE_EQ(C[1][1], 59.4);
  EXPECT_DOUBLE_EQ(C[1][2], 21.4);
  EXPECT_DOUBLE_EQ(C[4][4], 16.4);
  EXPECT_DOUBLE_EQ(C[5][5], (59.4 - 25.6) / 2);
  EXPECT_EQ(relative_asymmetry(C), 0.0);
}


TEST(StiffnessNotation, MandelComplianceIsInverseWithClosedForm)
{
  // Isotropic compliance: S_1111 = 1/E, S_1122 = -nu/E, and the Mandel shear
  // entry 2 S_2323 = 1/(2G) = (1+nu)/E.
  const double  E = 70.0, nu = 0.33;
  const Matrix6 S = invert(voigt_to_mandel(isotropic_stiffness(E, nu)));
  Matrix6       expected;
  for (unsigned int I = 0; I < 3; ++I)
    for (unsigned int J = 0; J < 3; ++J)
      expected[I][J] = (I == J ? 1.0 : -nu) / E;
  for (unsigned int I = 3; I < 6; ++I)
    expected[I][I] = (1 + nu) / E;
  EXPECT_TRUE(matrices_near(S, expected, round_off));

  // Orthorhombic: the shear block decouples (S^M_44 = 1/(2 C44)), the normal
  // block is the inverse of the 3x3 block, computed here by deal.II.
  const Matrix6 V = orthorhombic_stiffness(
    138.9, 198.0, 173.0, 72.8, 52.5, 46.0, 36.8, 50.6, 47.6);
  const Matrix6        M       = voigt_to_mandel(V);
  const Matrix6        S_ortho = invert(M);
  dealii::Tensor<2, 3> normal;
  for (unsigned int I = 0; I < 3; ++I)
    for (unsigned int J = 0; J < 3; ++J)
      normal[I][J] = V[I][J];
  const dealii::Tensor<2, 3> normal_inverse = dealii::invert(normal);
  Matrix6                    expected_ortho;
  for (unsigned int I = 0; I < 3; ++I)
    for (unsigned int J = 0; J < 3; ++J)
      expected_ortho[I][J] = normal_inverse[I][J];
  for (unsigned int I = 3; I < 6; ++I)
    expected_ortho[I][I] = 1.0 / (2.0 * V[I][I]);
  EXPECT_TRUE(matrices_near(S_ortho, expected_ortho, round_off));

  Matrix6 identity;
  for (unsigned int I = 0; I < 6; ++I)
    identity[I][I] = 1.0;
  EXPECT_TRUE(matrices_near(M * S_ortho, identity, round_off));
}


TEST(StiffnessNotation, InvertRejectsSingularMatrices)
{
  EXPECT_THROW(invert(Matrix6()), std::domain_error);
  // K = 0: hydrostatic strain costs no stress.
  EXPECT_THROW(invert(voigt_to_mandel(isotropic_stiffness_from_moduli(0, 30))),
               std::domain_error);
  // Condition number 2G/3K = 6.7e12 is beyond the 1e12 limit ...
  EXPECT_THROW(invert(
                 voigt_to_mandel(isotropic_stiffness_from_moduli(1e-13, 1))),
               std::domain_error);
  // ... but a nearly incompressible material (nu = 0.49995, condition number
  // 3K/2G = 1.5e4) is inverted.
  const double  K = 1e6, G = 1e2;
  const Matrix6 S
    = invert(voigt_to_mandel(isotropic_stiffness_from_moduli(K, G)));
  // Hydrostatic unit stress strains each normal component by 1/(3K). The
  // inverse has an error of about cond * eps * |S| (|S| = 1/(2G)); allow 10x.
  const double bound = 10 * 1.5e4 * 2.3e-16 / (2 * G);
  EXPECT_NEAR(S[0][0] + S[0][1] + S[0][2], 1.0 / (3.0 * K), bound);
  EXPECT_LT(bound, 1e-3 / (3.0 * K)); // the check is meaningful
}


TEST(StiffnessNotation, MinEigenvalueMatchesClosedForms)
{
  // Mandel eigenvalues: isotropic 3K (once) and 2G (five times); cubic
  // C11+2C12 (once), C11-C12 (twice), 2 C44 (three times). LAPACK's error
  // is a few eps times the norm, hence 1e-12 of the largest eigenvalue.
  EXPECT_NEAR(min_eigenvalue(
                voigt_to_mandel(isotropic_stiffness_from_moduli(100.0, 40.0))),
              80.0,
              1e-12 * 300.0);
  EXPECT_NEAR(min_eigenvalue(
                voigt_to_mandel(isotropic_stiffness_from_moduli(10.0, 40.0))),
              30.0,
              1e-12 * 80.0);
  // Copper (GPa): C11-C12 = 47 is the softest mode.
  EXPECT_NEAR(min_eigenvalue(
                voigt_to_mandel(cubic_stiffness(168.4, 121.4, 75.4))),
              47.0,
              1e-12 * 411.2);
  // A shear-soft cubic: 2 C44 = 20 (in Voigt notation it would wrongly be 10).
  EXPECT_NEAR(min_eigenvalue(
                voigt_to_mandel(cubic_stiffness(200.0, 50.0, 10.0))),
              20.0,
              1e-12 * 300.0);
}


TEST(StiffnessNotation, BornUnstableStiffnessHasNegativeMinEigenvalue)
{
  const auto min_eig = [](const Matrix6 &voigt) {
    return min_eigenvalue(voigt_to_mandel(voigt));
  };
  // C11 < C12: tetragonal shear instability, eigenvalue C11 - C12.
  EXPECT_NEAR(min_eig(cubic_stiffness(100.0, 120.0, 50.0)), -20.0, 1e-10);
  // C11 + 2 C12 < 0: negative bulk modulus.
  EXPECT_NEAR(min_eig(cubic_stiffness(100.0, -60.0, 50.0)), -20.0, 1e-10);
  // C44 < 0: shear instability, eigenvalue 2 C44.
  EXPECT_NEAR(min_eig(cubic_stiffness(100.0, 50.0, -5.0)), -10.0, 1e-10);
  // nu > 1/2 gives K < 0.
  EXPECT_LT(min_eig(isotropic_stiffness(100.0, 0.6)), 0.0);
  // Stable references stay positive.
  EXPECT_GT(min_eig(cubic_stiffness(100.0, 99.0, 1e-3)), 0.0);
}


TEST(StiffnessNotation, MinEigenvalueUsesSymmetricPart)
{
  std::mt19937_64 rng(7);
  const Matrix6   M = test_support::random_stable_mandel(rng);
  Matrix6         skew;
  skew[0][4] = 30.0;
  skew[4][0] = -30.0;
  EXPECT_NEAR(min_eigenvalue(M + skew), min_eigenvalue(M), 1e-12 * M.norm());
}


TEST(StiffnessNotation, RelativeAsymmetry)
{
  EXPECT_EQ(relative_asymmetry(Matrix6()), 0.0);
  Matrix6 C = cubic_stiffness(200.0, 100.0, 50.0);
  EXPECT_EQ(relative_asymmetry(C), 0.0);
  C[1][3] = 5.0; // |C_24 - C_42| = 5, largest entry 200
  EXPECT_DOUBLE_EQ(relative_asymmetry(C), 5.0 / 200.0);
  C[3][1] = 1.0;
  EXPECT_DOUBLE_EQ(relative_asymmetry(C), 4.0 / 200.0);
}
