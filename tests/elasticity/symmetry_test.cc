// Detection of symmetry classes, their containment lattice and names.

#include <scalebridge/elasticity/stiffness.h>

#include <gtest/gtest.h>

#include <random>

#include "stiffness_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::elasticity;

namespace
{
  using S = SymmetryClass;

  // Representative constants (GPa) with no accidental equalities, e.g.
  // C44 != (C11 - C12)/2 for the cubic and tetragonal examples.
  const Matrix6 isotropic  = isotropic_stiffness(200.0, 0.3);
  const Matrix6 cubic      = cubic_stiffness(168.4, 121.4, 75.4);
  const Matrix6 hexagonal  = hexagonal_stiffness(59.4, 25.6, 21.4, 61.6, 16.4);
  const Matrix6 tetragonal = orthorhombic_stiffness(100.0,
                                                    100.0,
                                                    120.0,
                                                    40.0,
                                                    30.0,
                                                    30.0,
                                                    25.0,
                                                    25.0,
                                                    35.0);
  // LiCoO2-like (-3m, 2-fold axis x1) and with C15 (-3).
  const Matrix6 trigonal = trigonal_stiffness(300, 100, 80, 15, 250, 60);
  const Matrix6 trigonal_bar3
    = trigonal_stiffness(300, 100, 80, 15, 250, 60, 9);
  const Matrix6 orthorhombic = orthorhombic_stiffness(138.9,
                                                      198.0,
                                                      173.0,
                                                      72.8,
                                                      52.5,
                                                      46.0,
                                                      36.8,
                                                      50.6,
                                                      47.6);

  Matrix6
  with_symmetric(Matrix6            C,
                 const unsigned int I,
                 const unsigned int J,
                 const double       delta)
  {
    C[I][J] += delta;
    if (I != J)
      C[J][I] += delta;
    return C;
  }

  /// Monoclinic, 2-fold axis x3: couplings 16, 26, 36 and 45 are allowed.
  Matrix6
  monoclinic()
  {
    Matrix6 C = with_symmetric(orthorhombic, 0, 5, 5.0);
    C         = with_symmetric(C, 1, 5, -3.0);
    C         = with_symmetric(C, 2, 5, 2.0);
    return with_symmetric(C, 3, 4, 4.0);
  }

  Matrix6
  rotated(const Matrix6 &voigt,
          const double   phi1,
          const double   Phi,
          const double   phi2)
  {
    return mandel_to_voigt(
      rotate(voigt_to_mandel(voigt),
             rotation_from_euler_degrees(phi1, Phi, phi2)));
  }
} // namespace


TEST(SymmetryDetection, RecoversEachClass)
{
  EXPECT_EQ(detect_symmetry(isotropic), S::isotropic);
  EXPECT_EQ(detect_symmetry(cubic), S::cubic);
  EXPECT_EQ(detect_symmetry(hexagonal), S::hexagonal);
  EXPECT_EQ(detect_symmetry(tetragonal), S::tetragonal);
  EXPECT_EQ(detect_symmetry(trigonal), S::trigonal);
  EXPECT_EQ(detect_symmetry(trigonal_bar3), S::trigonal);
  EXPECT_EQ(detect_symmetry(orthorhombic), S::orthorhombic);
  EXPECT_EQ(detect_symmetry(monoclinic()), S::monoclinic);
  // Trigonal without the 14 and 15 couplings is hexagonal.
  EXPECT_EQ(detect_symmetry(trigonal_stiffness(300, 100, 80, 0, 250, 60)),
            S::hexagonal);
  std::mt19937_64 rng(21);
  EXPECT_EQ(detect_symmetry(
              mandel_to_voigt(test_support::random_stable_mandel(rng))),
            S::triclinic);
  // Isotropic from moduli, and cubic with the isotropy condition
  // C44 = (C11 - C12)/2 satisfied, are isotropic as well.
  EXPECT_EQ(detect_symmetry(isotropic_stiffness_from_moduli(100, 40)),
            S::isotropic);
  EXPECT_EQ(detect_symmetry(cubic_stiffness(200, 80, 60)), S::isotropic);
}


TEST(SymmetryDetection, PerturbingOneConstantLowersTheClass)
{
  // Steps of 1e-3 of the largest entry (C11 here), 1000 times the default
  // tolerance of 1e-6.
  const double d = 1e-3 * isotropic[0][0];
  EXPECT_EQ(detect_symmetry(with_symmetric(isotropic, 2, 2, d)), S::hexagonal);
  EXPECT_EQ(detect_symmetry(with_symmetric(isotropic, 5, 5, d)), S::tetragonal);
  EXPECT_EQ(detect_symmetry(
              with_symmetric(with_symmetric(isotropic, 3, 3, d), 4, 4, d)),
            S::hexagonal);
  EXPECT_EQ(
    detect_symmetry(with_symmetric(
      with_symmetric(with_symmetric(isotropic, 3, 3, d), 4, 4, d), 5, 5, d)),
    S::cubic);

  const double c = 0.2; // copper: largest entry 168.4, tolerance 1.7e-4
  EXPECT_EQ(detect_symmetry(with_symmetric(cubic, 2, 2, c)), S::tetragonal);
  EXPECT_EQ(detect_symmetry(with_symmetric(cubic, 0, 0, c)), S::orthorhombic);
  EXPECT_EQ(detect_symmetry(with_symmetric(cubic, 0, 2, c)), S::orthorhombic);
  EXPECT_EQ(detect_symmetry(with_symmetric(hexagonal, 5, 5, 0.1)),
            S::tetragonal);
  EXPECT_EQ(detect_symmetry(with_symmetric(tetragonal, 1, 1, 0.1)),
            S::orthorhombic);
  EXPECT_EQ(detect_symmetry(with_symmetric(tetragonal, 4, 4, 0.1)),
            S::orthorhombic);
  EXPECT_EQ(detect_symmetry(with_symmetric(orthorhombic, 0, 5, 0.2)),
            S::monoclinic);
  EXPECT_EQ(detect_symmetry(with_symmetric(orthorhombic, 3, 4, 0.2)),
            S::monoclinic);
  EXPECT_EQ(detect_symmetry(with_symmetric(orthorhombic, 0, 3, 0.2)),
            S::triclinic);
  EXPECT_EQ(detect_symmetry(with_symmetric(monoclinic(), 2, 4, 0.2)),
            S::triclinic);
  // Each trigonal relation broken alone.
  for (const auto &[I, J] : std::vector<std::pair<unsigned, unsigned>>{
         {0, 0}, {1, 2}, {3, 3}, {5, 5}, {1, 3}, {4, 5}, {3, 5}, {2, 3}})
    EXPECT_EQ(detect_symmetry(with_symmetric(trigonal_bar3, I, J, 0.2)),
              S::triclinic)
      << I + 1 << J + 1;

  // Without major symmetry there is no class above triclinic.
  Matrix6 asymmetric = cubic;
  asymmetric[0][1] += c;
  EXPECT_EQ(detect_symmetry(asymmetric), S::triclinic);
}


TEST(SymmetryDetection, ToleranceIsRelativeToLargestEntry)
{
  // Perturbations below tolerance (1e-9 relative vs 1e-6) keep the class.
  EXPECT_EQ(detect_symmetry(with_symmetric(cubic, 2, 2, 168.4e-9)), S::cubic);
  EXPECT_EQ(detect_symmetry(with_symmetric(orthorhombic, 0, 3, 198e-9)),
            S::orthorhombic);
  Matrix6 asymmetric = hexagonal;
  asymmetric[0][1] += 61.6e-9;
  EXPECT_EQ(detect_symmetry(asymmetric), S::hexagonal);

  // Units do not matter: the same crystal in Pa.
  EXPECT_EQ(detect_symmetry(1e9 * cubic), S::cubic);
  EXPECT_EQ(detect_symmetry(with_symmetric(1e9 * cubic, 2, 2, 168.4e9 * 1e-9)),
            S::cubic);

  // A 1e-4 relative deviation: tetragonal at the default tolerance, cubic
  // when the caller accepts 1e-3.
  const Matrix6 C = with_symmetric(cubic, 2, 2, 168.4e-4);
  EXPECT_EQ(detect_symmetry(C), S::tetragonal);
  EXPECT_EQ(detect_symmetry(C, 1e-3), S::cubic);
}


TEST(SymmetryDetection, ClassIsThatOfTheGivenFrame)
{
  // Round-off of a rotation (~1e-14 relative) is far below the tolerance.
  EXPECT_EQ(detect_symmetry(rotated(isotropic, 17, 33, 71)), S::isotropic);
  EXPECT_EQ(detect_symmetry(rotated(hexagonal, 37, 0, 0)), S::hexagonal);
  // 6-fold axis along x1: the frame sees three mirror planes only.
  EXPECT_EQ(detect_symmetry(rotated(hexagonal, 0, 90, 0)), S::orthorhombic);
  // Cubic seen along <110>: C11' = C22' != C33, a tetragonal pattern.
  EXPECT_EQ(detect_symmetry(rotated(cubic, 45, 0, 0)), S::tetragonal);
  // A turn about x3 keeps the 2-fold axis x3 of an orthorhombic crystal.
  EXPECT_EQ(detect_symmetry(rotated(orthorhombic, 30, 0, 0)), S::monoclinic);
  EXPECT_EQ(detect_symmetry(rotated(cubic, 10, 20, 30)), S::triclinic);
  // A 3-fold axis x3 is just that: a turn by 120 degrees changes nothing, a
  // turn by any angle about it mixes C14 and C15 but keeps the class, a
  // tilt of the axis leaves no symmetry in the frame.
  EXPECT_TRUE(test_support::matrices_near(rotated(trigonal_bar3, 120, 0, 0),
                                          trigonal_bar3,
                                          1e-12));
  EXPECT_EQ(detect_symmetry(rotated(trigonal, 17, 0, 0)), S::trigonal);
  EXPECT_GT(std::abs(rotated(trigonal, 17, 0, 0)[0][4]), 1.);
  EXPECT_EQ(detect_symmetry(rotated(trigonal, 0, 90, 0)), S::triclinic);
  // The 2-fold axis x1 of -3m: a half turn about x1 changes nothing.
  EXPECT_TRUE(
    test_support::matrices_near(rotated(trigonal, 0, 180, 0), trigonal, 1e-12));
}


TEST(SymmetryDetection, ContainmentLattice)
{
  // Row: actual class; column: stated class; 1 if actual is a special case.
  const S    classes[]      = {S::isotropic,
                               S::cubic,
                               S::hexagonal,
                               S::tetragonal,
                               S::trigonal,
                               S::orthorhombic,
                               S::monoclinic,
                               S::triclinic};
  const bool expected[8][8] = {{1, 1, 1, 1, 1, 1, 1, 1},
                               {0, 1, 0, 1, 0, 1, 1, 1},
                               {0, 0, 1, 1, 1, 1, 1, 1},
                               {0, 0, 0, 1, 0, 1, 1, 1},
                               {0, 0, 0, 0, 1, 0, 0, 1},
                               {0, 0, 0, 0, 0, 1, 1, 1},
                               {0, 0, 0, 0, 0, 0, 1, 1},
                               {0, 0, 0, 0, 0, 0, 0, 1}};
  for (unsigned int a = 0; a < 8; ++a)
    for (unsigned int s = 0; s < 8; ++s)
      EXPECT_EQ(has_symmetry(classes[a], classes[s]), expected[a][s])
        << to_string(classes[a]) << " as " << to_string(classes[s]);
}


TEST(SymmetryDetection, CubicAndHexagonalAreIncomparable)
{
  // Both are tetragonal patterns; neither contains the other, and a matrix
  // with both patterns is isotropic (cubic_stiffness(200, 80, 60) above).
  EXPECT_TRUE(has_symmetry(detect_symmetry(hexagonal), S::tetragonal));
  EXPECT_TRUE(has_symmetry(detect_symmetry(cubic), S::tetragonal));
  EXPECT_FALSE(has_symmetry(detect_symmetry(cubic), S::hexagonal));
  EXPECT_FALSE(has_symmetry(detect_symmetry(hexagonal), S::cubic));
}


TEST(SymmetryClassNames, RoundTripAndRejectUnknown)
{
  for (const S s : {S::isotropic,
                    S::cubic,
                    S::hexagonal,
                    S::tetragonal,
                    S::trigonal,
                    S::orthorhombic,
                    S::monoclinic,
                    S::triclinic})
    EXPECT_EQ(symmetry_class_from_string(to_string(s)), s);
  EXPECT_EQ(to_string(S::orthorhombic), "orthorhombic");
  EXPECT_THROW(symmetry_class_from_string("rhombohedral"),
               std::invalid_argument);
  EXPECT_THROW(symmetry_class_from_string("Cubic"), std::invalid_argument);
  EXPECT_THROW(symmetry_class_from_string(""), std::invalid_argument);
}
