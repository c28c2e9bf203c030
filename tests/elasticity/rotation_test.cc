// Bunge Euler angles and rotation of stiffnesses.
//
// Tolerances: rotations are products of a few orthogonal matrices with
// O(1) entries; each rotated entry collects round-off from some tens of
// products, a few 1e-15 of the largest entry. 1e-13 relative keeps two
// orders of margin, while a wrong convention changes entries by O(1).

#include <scalebridge/elasticity/stiffness.h>

#include <deal.II/base/numbers.h>
#include <deal.II/base/tensor.h>

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
  constexpr double degree    = dealii::numbers::PI / 180.0;

  Matrix6
  rotated_voigt(const Matrix6 &voigt,
                const double   phi1,
                const double   Phi,
                const double   phi2)
  {
    return mandel_to_voigt(
      rotate(voigt_to_mandel(voigt),
             rotation_from_euler_degrees(phi1, Phi, phi2)));
  }

  const Matrix6 copper = cubic_stiffness(168.4, 121.4, 75.4); // GPa
  const Matrix6 magnesium
    = hexagonal_stiffness(59.4, 25.6, 21.4, 61.6, 16.4); // GPa
} // namespace


TEST(EulerRotation, IsProperOrthogonal)
{
  std::mt19937_64 rng(1);
  for (unsigned int n = 0; n < 20; ++n)
    {
      const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
      const dealii::Tensor<2, 3> R
        = rotation_from_euler_degrees(phi1, Phi, phi2);
      const dealii::Tensor<2, 3> RRt = R * transpose(R);
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          EXPECT_NEAR(RRt[i][j], i == j ? 1.0 : 0.0, 1e-15 * 10);
      EXPECT_NEAR(determinant(R), 1.0, 1e-14);
    }
}


TEST(EulerRotation, IsTransposeOfBungeOrientationMatrix)
{
  // The orientation matrix g of texture analysis (Bunge 1982), written out
  // entry by entry, maps sample to crystal components; R = g^T.
  std::mt19937_64 rng(2);
  for (unsigned int n = 0; n < 20; ++n)
    {
      const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
      const double c1 = std::cos(phi1 * degree), s1 = std::sin(phi1 * degree);
      const double c = std::cos(Phi * degree), s = std::sin(Phi * degree);
      const double c2 = std::cos(phi2 * degree), s2 = std::sin(phi2 * degree);
      const double g[3][3]
        = {{c1 * c2 - s1 * s2 * c, s1 * c2 + c1 * s2 * c, s2 * s},
           {-c1 * s2 - s1 * c2 * c, -s1 * s2 + c1 * c2 * c, c2 * s},
           {s1 * s, -c1 * s, c}};
      const dealii::Tensor<2, 3> R
        = rotation_from_euler_degrees(phi1, Phi, phi2);
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          EXPECT_NEAR(R[i][j], g[j][i], 1e-15 * 10) << i << ' ' << j;
    }
}


TEST(EulerRotation, SpecialAngles)
{
  // Phi = 0: both angles turn about x3, R e1 = (cos, sin, 0) of the sum.
  dealii::Tensor<2, 3> R = rotation_from_euler_degrees(20.0, 0.0, 10.0);
  EXPECT_NEAR(R[0][0], std::cos(30 * degree), 1e-15);
  EXPECT_NEAR(R[1][0], std::sin(30 * degree), 1e-15);

  // (90, 90, -90) is +90 deg about x2 (z-x-z conjugation of the x turn):
  // R e1 = -e3, R e3 = e1.
  R                           = rotation_from_euler_degrees(90.0, 90.0, -90.0);
  const double expected[3][3] = {{0, 0, 1}, {0, 1, 0}, {-1, 0, 0}};
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      EXPECT_NEAR(R[i][j], expected[i][j], 1e-15);

  // The crystal c axis lies along (sin phi1 sin Phi, -cos phi1 sin Phi,
  // cos Phi) in the sample frame.
  R = rotation_from_euler_degrees(30.0, 50.0, 123.0);
  EXPECT_NEAR(R[0][2], std::sin(30 * degree) * std::sin(50 * degree), 1e-15);
  EXPECT_NEAR(R[1][2], -std::cos(30 * degree) * std::sin(50 * degree), 1e-15);
  EXPECT_NEAR(R[2][2], std::cos(50 * degree), 1e-15);
}


TEST(StiffnessRotation, AgreesWithFourIndexTransformation)
{
  // Reference: C'_ijkl = R_ip R_jq R_kr R_ls C_pqrs summed term by term.
  std::mt19937_64 rng(3);
  const Matrix6   M            = test_support::random_stable_mandel(rng);
  const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
  const dealii::Tensor<2, 3> R = rotation_from_euler_degrees(phi1, Phi, phi2);

  const auto   C       = mandel_to_tensor(M);
  const auto   rotated = mandel_to_tensor(rotate(M, R));
  const double scale   = M.norm();
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      for (unsigned int k = 0; k < 3; ++k)
        for (unsigned int l = 0; l < 3; ++l)
          {
            double sum = 0.0;
            for (unsigned int p = 0; p < 3; ++p)
              for (unsigned int q = 0; q < 3; ++q)
                for (unsigned int r = 0; r < 3; ++r)
                  for (unsigned int s = 0; s < 3; ++s)
                    sum
                      += R[i][p] * R[j][q] * R[k][r] * R[l][s] * C[p][q][r][s];
            EXPECT_NEAR(rotated[i][j][k][l], sum, round_off * scale)
              << i << j << k << l;
          }
}


TEST(StiffnessRotation, InverseRotationRestoresAndSpectrumIsKept)
{
  std::mt19937_64 rng(4);
  const Matrix6   M            = test_support::random_stable_mandel(rng);
  const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
  const dealii::Tensor<2, 3> R = rotation_from_euler_degrees(phi1, Phi, phi2);
  const Matrix6              rotated = rotate(M, R);
  EXPECT_FALSE(matrices_near(rotated, M, 1e-3)); // a real change
  EXPECT_TRUE(matrices_near(rotate(rotated, transpose(R)), M, round_off));
  // Mandel rotation is orthogonal: eigenvalues (Born stability) are kept.
  EXPECT_NEAR(min_eigenvalue(rotated), min_eigenvalue(M), round_off * M.norm());
}


TEST(StiffnessRotation, IsotropicIsInvariant)
{
  const Matrix6   C = isotropic_stiffness(200.0, 0.3);
  std::mt19937_64 rng(5);
  for (unsigned int n = 0; n < 20; ++n)
    {
      const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
      EXPECT_TRUE(
        matrices_near(rotated_voigt(C, phi1, Phi, phi2), C, round_off))
        << phi1 << ' ' << Phi << ' ' << phi2;
    }
}


TEST(StiffnessRotation, CubicIsInvariantUnderQuarterTurns)
{
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 90, 0, 0), copper, round_off));
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 0, 90, 0), copper, round_off));
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 90, 90, -90), copper, round_off));
  // (0, 90, 90) maps e1 -> e3, e2 -> -e1, e3 -> -e2: a 120 deg turn about
  // the body diagonal [-1 1 -1], a 3-fold axis of the cube.
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 0, 90, 90), copper, round_off));
  // ... but not under a general rotation (the test can fail).
  EXPECT_FALSE(matrices_near(rotated_voigt(copper, 30, 0, 0), copper, 1e-3));
}


TEST(StiffnessRotation, CubicAt45DegreesAboutX3IsClosedForm)
{
  // Axes along <110>: C11' = (C11+C12)/2 + C44, C12' = (C11+C12)/2 - C44,
  // C66' = (C11-C12)/2; C33, C13, C44 unchanged.
  const double  C11 = 168.4, C12 = 121.4, C44 = 75.4;
  const double  a        = 0.5 * (C11 + C12);
  const Matrix6 expected = orthorhombic_stiffness(
    a + C44, a + C44, C11, a - C44, C12, C12, C44, C44, 0.5 * (C11 - C12));
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 45, 0, 0), expected, round_off));
  EXPECT_TRUE(
    matrices_near(rotated_voigt(copper, 0, 0, 45), expected, round_off));
}


TEST(StiffnessRotation, HexagonalIsInvariantAboutSixFoldAxis)
{
  // C66 = (C11 - C12)/2 makes the basal plane isotropic: any angle about x3.
  std::mt19937_64                        rng(6);
  std::uniform_real_distribution<double> angle(0.0, 360.0);
  for (unsigned int n = 0; n < 10; ++n)
    {
      const double phi = angle(rng);
      EXPECT_TRUE(matrices_near(rotated_voigt(magnesium, phi, 0, 0),
                                magnesium,
                                round_off))
        << phi;
    }
  // Tilting the 6-fold axis changes the matrix.
  EXPECT_FALSE(
    matrices_near(rotated_voigt(magnesium, 0, 90, 0), magnesium, 1e-3));
}
