// Elastic constants from box fluctuations: Gaussian strains from a known
// compliance (coverage over 200 seeds, convergence), shear order xy xz yz
// versus Voigt 6 5 4, symmetry within the errors, Born stability under the
// LAMMPS pressure sign, too-short logs.

#include <scalebridge/atomistic/md_units.h>
#include <scalebridge/atomistic/strain_fluctuation.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/elasticity/stiffness.h>

#include <deal.II/lac/full_matrix.h>

#include <gtest/gtest.h>

#include <cmath>

#include "atomistic_test_support.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;
using elasticity::SymmetryClass;

namespace
{
  using Matrix = std::array<std::array<double, 6>, 6>;

  /// Compliance [1/Pa] of a Voigt stiffness [GPa].
  Matrix
  compliance(const Matrix &C_GPa)
  {
    dealii::FullMatrix<double> C(6, 6);
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        C(i, j) = C_GPa[i][j] * 1e9;
    C.gauss_jordan();
    Matrix S;
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        S[i][j] = C(i, j);
    return S;
  }

  /// The library's orthorhombic Voigt stiffness, as the test's array type.
  Matrix
  orthorhombic(double C11,
               double C22,
               double C33,
               double C12,
               double C13,
               double C23,
               double C44,
               double C55,
               double C66)
  {
    const auto C = elasticity::orthorhombic_stiffness(
      C11, C22, C33, C12, C13, C23, C44, C55, C66);
    Matrix m;
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        m[i][j] = C[i][j];
    return m;
  }

  StrainFluctuationResult
  analyse(const Matrix &C, std::size_t rows, std::uint64_t seed)
  {
    StrainFluctuationOptions o;
    o.units       = md_units("metal");
    o.temperature = 300;
    return analyse_strain_fluctuations(
      gaussian_box_fluctuations(
        rows, {{20, 21, 22}}, compliance(C), 300, 1e-10, 2.0, seed),
      o,
      "box.log",
      "Elastic constants/Box file");
  }
} // namespace

TEST(StrainFluctuation, GaussianStrainCoverage)
{
  const Matrix C = orthorhombic(150, 150, 150, 80, 80, 80, 60, 60, 60);
  const std::vector<std::pair<int, int>> checked = {{0, 0}, {0, 1}, {3, 3}};
  unsigned int                           cover = 0, n = 0;
  for (int seed = 1; seed <= 200; ++seed)
    {
      const auto r = analyse(C, 4000, seed);
      for (const auto &[i, j] : checked)
        {
          cover += std::abs(r.stiffness_GPa[i][j] - C[i][j])
                   <= 2 * r.standard_error_GPa[i][j];
          ++n;
        }
    }
  // 3 constants per seed are correlated, so the band of 200 independent
  // seeds is used for the 600 checks (it is wider than theirs).
  const double fraction = double(cover) / n;
  std::cout << "strain fluctuations C11, C12, C44: +-2 SE covers the truth in "
            << fraction << " of " << n << " checks (200 seeds)\n";
  EXPECT_GE(fraction, test_support::coverage_low);
  EXPECT_LE(fraction, test_support::coverage_high);
}

TEST(StrainFluctuation, ConvergesAsTheLogGrows)
{
  const Matrix C  = orthorhombic(150, 150, 150, 80, 80, 80, 60, 60, 60);
  const auto   a  = analyse(C, 2000, 7);
  const auto   b  = analyse(C, 32000, 8);
  const double ra = a.standard_error_GPa[0][0] / b.standard_error_GPa[0][0];
  EXPECT_GT(ra, 2.5);
  EXPECT_LT(ra, 6.5);
  for (int i = 0; i < 6; ++i)
    EXPECT_LT(std::abs(b.stiffness_GPa[i][i] - C[i][i]),
              4 * b.standard_error_GPa[i][i]);
}

TEST(StrainFluctuation, TiltsXyXzYzAreVoigt654)
{
  // C44, C55, C66 = 30, 50, 70 GPa: a swapped shear order would put 70 in
  // place of 30.
  const Matrix C = orthorhombic(150, 170, 190, 70, 60, 50, 30, 50, 70);
  const auto   r = analyse(C, 16000, 3);
  EXPECT_NEAR(r.stiffness_GPa[3][3], 30, 4 * r.standard_error_GPa[3][3]);
  EXPECT_NEAR(r.stiffness_GPa[4][4], 50, 4 * r.standard_error_GPa[4][4]);
  EXPECT_NEAR(r.stiffness_GPa[5][5], 70, 4 * r.standard_error_GPa[5][5]);
  EXPECT_LT(r.standard_error_GPa[3][3], 3.0);
  EXPECT_EQ(r.symmetry, SymmetryClass::orthorhombic);
}

TEST(StrainFluctuation, SymmetryWithinTheUncertainty)
{
  // Cubic with anisotropy 2 C44 / (C11 - C12) = 1.7: cubic, not isotropic.
  auto r
    = analyse(orthorhombic(150, 150, 150, 80, 80, 80, 60, 60, 60), 16000, 4);
  EXPECT_EQ(r.symmetry, SymmetryClass::cubic);
  ASSERT_EQ(r.card_constants, (std::vector<std::string>{"C11", "C12", "C44"}));
  EXPECT_NEAR(r.card_values[0], 150, 4 * std::sqrt(r.card_covariance[0]));
  // The averaged C11 is more precise than one of C11, C22, C33.
  EXPECT_LT(std::sqrt(r.card_covariance[0]), r.standard_error_GPa[0][0]);
  // Isotropic data: isotropic, with E and nu for the card.
  r = analyse(orthorhombic(150, 150, 150, 80, 80, 80, 35, 35, 35), 16000, 5);
  EXPECT_EQ(r.symmetry, SymmetryClass::isotropic);
  EXPECT_EQ(r.card_constants, (std::vector<std::string>{"E", "nu"}));
}

TEST(StrainFluctuation, BornStabilityUnderLammpsPressureSign)
{
  // Cubic C44 = 5 GPa; Born under hydrostatic P: C44 - P > 0. LAMMPS'
  // pressure is positive in compression: +6 GPa destabilises, -6 does not.
  elasticity::Matrix6 C;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      C[i][j] = i == j ? 150 : 80;
  for (int i = 3; i < 6; ++i)
    C[i][i] = 5;
  const auto min_eig = [&](double P) {
    return elasticity::min_eigenvalue(
      elasticity::voigt_to_mandel(born_matrix_under_pressure(C, P)));
  };
  EXPECT_GT(min_eig(0), 0);
  EXPECT_LT(min_eig(6), 0);
  EXPECT_GT(min_eig(-6), 0);
  // The other cubic criteria: C11 - C12 - 2P > 0, C11 + 2 C12 + P > 0.
  C[3][3] = C[4][4] = C[5][5] = 100;
  EXPECT_LT(min_eig(36), 0);
  EXPECT_GT(min_eig(34), 0);
  EXPECT_LT(min_eig(-311), 0);
  // From the analysis: metal pressure in bar, 60 kbar = 6 GPa.
  StrainFluctuationOptions o;
  o.units       = md_units("metal");
  o.temperature = 300;
  o.pressure    = 6e4;
  const auto r  = analyse_strain_fluctuations(
    gaussian_box_fluctuations(2000,
                              {{20, 20, 20}},
                              compliance({{{150, 80, 80, 0, 0, 0},
                                            {80, 150, 80, 0, 0, 0},
                                            {80, 80, 150, 0, 0, 0},
                                            {0, 0, 0, 5, 0, 0},
                                            {0, 0, 0, 0, 5, 0},
                                            {0, 0, 0, 0, 0, 5}}}),
                              300,
                              1e-10,
                              1.0,
                              1),
    o,
    "box.log",
    "E");
  EXPECT_FALSE(r.born_stable);
}

TEST(StrainFluctuation, TooShortLogSaysWhatIsNeeded)
{
  test_support::expect_input_error(
    [] {
      analyse(orthorhombic(150, 150, 150, 80, 80, 80, 60, 60, 60), 500, 1);
    },
    {"box.log", "Elastic constants/Box file", "500 rows", "at least 1000"});
}
