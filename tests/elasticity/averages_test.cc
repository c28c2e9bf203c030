// Voigt, Reuss and Hill bulk and shear moduli.
//
// Tolerances: the averages are sums of at most 9 entries of C or of its
// inverse. For the well-conditioned matrices used here (condition number
// below 100) inversion loses at most ~1e-14 relative, so 1e-12 relative is
// round-off with margin, and any wrong factor (2 vs sqrt(2), 3 vs 5) is O(1).

#include <scalebridge/elasticity/stiffness.h>

#include <gtest/gtest.h>

#include <random>

#include "stiffness_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::elasticity;

namespace
{
  constexpr double tolerance = 1e-12;

  /// Textbook Voigt averages written with Voigt-notation entries.
  Moduli
  voigt_from_entries(const Matrix6 &C)
  {
    const double a = C[0][0] + C[1][1] + C[2][2];
    const double b = C[0][1] + C[1][2] + C[0][2];
    const double c = C[3][3] + C[4][4] + C[5][5];
    return {(a + 2 * b) / 9, (a - b + 3 * c) / 15};
  }

  /// Textbook Reuss averages with the Voigt compliance S = (C^V)^-1, whose
  /// shear entries carry the engineering factors 2 and 4.
  Moduli
  reuss_from_entries(const Matrix6 &C)
  {
    // invert() is a plain 6x6 inverse; applied to the Voigt matrix it
    // yields the Voigt compliance, without any Mandel algebra.
    const Matrix6 S = invert(C);
    const double  a = S[0][0] + S[1][1] + S[2][2];
    const double  b = S[0][1] + S[1][2] + S[0][2];
    const double  c = S[3][3] + S[4][4] + S[5][5];
    return {1 / (a + 2 * b), 15 / (4 * a - 4 * b + 3 * c)};
  }
} // namespace


TEST(ElasticAverages, IsotropicAllEqualTheModuli)
{
  const double  K = 150.0, G = 60.0;
  const Matrix6 M = voigt_to_mandel(isotropic_stiffness_from_moduli(K, G));
  for (const Moduli m : {voigt_moduli(M), reuss_moduli(M), hill_moduli(M)})
    {
      EXPECT_NEAR(m.bulk, K, tolerance * K);
      EXPECT_NEAR(m.shear, G, tolerance * G);
    }
}


TEST(ElasticAverages, CubicClosedForms)
{
  // Copper (GPa). The bulk modulus of a cubic crystal is exact, the shear
  // bounds are G_V = (C11-C12+3C44)/5, G_R = 5/(4/(C11-C12) + 3/C44).
  const double  C11 = 168.4, C12 = 121.4, C44 = 75.4;
  const Matrix6 M   = voigt_to_mandel(cubic_stiffness(C11, C12, C44));
  const double  K   = (C11 + 2 * C12) / 3;
  const double  G_V = (C11 - C12 + 3 * C44) / 5;
  const double  G_R = 5 / (4 / (C11 - C12) + 3 / C44);

  EXPECT_NEAR(voigt_moduli(M).bulk, K, tolerance * K);
  EXPECT_NEAR(reuss_moduli(M).bulk, K, tolerance * K);
  EXPECT_NEAR(voigt_moduli(M).shear, G_V, tolerance * G_V);
  EXPECT_NEAR(reuss_moduli(M).shear, G_R, tolerance * G_R);
  EXPECT_NEAR(hill_moduli(M).shear, 0.5 * (G_V + G_R), tolerance * G_V);
  // Copper is strongly anisotropic: the bounds differ by ~30 %.
  EXPECT_GT(G_V / G_R, 1.3);
}


TEST(ElasticAverages, MatchTextbookFormulasForLowSymmetry)
{
  std::mt19937_64 rng(11);
  for (unsigned int n = 0; n < 20; ++n)
    {
      const Matrix6 M    = test_support::random_stable_mandel(rng);
      const Matrix6 V    = mandel_to_voigt(M);
      const Moduli voigt = voigt_from_entries(V), reuss = reuss_from_entries(V);
      // Both sides invert C. Condition number = lambda_max / lambda_min <=
      // |M|_F / lambda_min < 100 keeps the inversion error near round-off.
      ASSERT_GT(min_eigenvalue(M), 0.01 * M.norm());
      EXPECT_NEAR(voigt_moduli(M).bulk, voigt.bulk, tolerance * voigt.bulk);
      EXPECT_NEAR(voigt_moduli(M).shear, voigt.shear, tolerance * voigt.shear);
      EXPECT_NEAR(reuss_moduli(M).bulk, reuss.bulk, tolerance * reuss.bulk);
      EXPECT_NEAR(reuss_moduli(M).shear, reuss.shear, tolerance * reuss.shear);
    }
}


TEST(ElasticAverages, VoigtBoundsHillBoundsReuss)
{
  // Hill (1952): uniform strain is an upper, uniform stress a lower bound.
  std::mt19937_64 rng(12);
  for (unsigned int n = 0; n < 200; ++n)
    {
      const Matrix6 M = test_support::random_stable_mandel(rng);
      const Moduli v = voigt_moduli(M), h = hill_moduli(M), r = reuss_moduli(M);
      EXPECT_GE(v.bulk, h.bulk);
      EXPECT_GE(h.bulk, r.bulk);
      EXPECT_GE(v.shear, h.shear);
      EXPECT_GE(h.shear, r.shear);
      EXPECT_GT(r.bulk, 0.0);
      EXPECT_GT(r.shear, 0.0);
      EXPECT_DOUBLE_EQ(h.bulk, 0.5 * (v.bulk + r.bulk));
      EXPECT_DOUBLE_EQ(h.shear, 0.5 * (v.shear + r.shear));
    }
}


TEST(ElasticAverages, IndependentOfOrientation)
{
  // Averages over all orientations cannot depend on the one given.
  std::mt19937_64 rng(13);
  const Matrix6   M            = test_support::random_stable_mandel(rng);
  const auto [phi1, Phi, phi2] = test_support::random_euler_angles(rng);
  const Matrix6 rotated
    = rotate(M, rotation_from_euler_degrees(phi1, Phi, phi2));
  for (const auto average : {&voigt_moduli, &reuss_moduli})
    {
      const Moduli a = average(M), b = average(rotated);
      EXPECT_NEAR(a.bulk, b.bulk, tolerance * a.bulk);
      EXPECT_NEAR(a.shear, b.shear, tolerance * a.shear);
    }
}
