// Cell problems against independent truth, with Q1 and Q2 elements. Run at
// 1, 2 and 3 ranks.
//
// Tolerances. The solver stops at ||r|| <= 1e-10 ||b|| (settings() below).
// For these small cells the condition number of the Jacobi-scaled operator
// stays below ~1e4 even at contrast 20, so the relative error of the
// fields, and of the volume averages that make up the effective tensors,
// is below ~1e-6 in the worst case and ~1e-9 in practice; exact results
// (one phase, laminates, fibres) are asserted to 1e-8 relative to the
// largest entry. The discretisation is not an error source there: the
// exact fields are piecewise linear on the voxels, which Q1 and Q2 both
// contain. Orderings and bounds are asserted with a margin of 1e-8 of the
// largest eigenvalue for the same reason.

#include <scalebridge/microstructure/electrode.h>
#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <gtest/gtest.h>

#include "rve_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::rve;
using dealii::FullMatrix;
using rve_test::Microstructure;

namespace
{
  constexpr double exact = 1e-8;

  SolverSettings
  settings()
  {
    SolverSettings s;
    s.tolerance = 1e-10;
    return s;
  }

  template <int dim>
  CellProblemResult
  run(const Microstructure                  &micro,
      const Physics                          physics,
      const std::string                     &bc,
      const std::vector<FullMatrix<double>> &laws,
      MPI_Comm                               comm   = MPI_COMM_WORLD,
      const unsigned                         degree = 1)
  {
    return rve_test::homogenize<dim>(
      micro, physics, bc, laws, comm, settings(), 0, degree);
  }

  /// The element degree of a test.
  class CellProblemTest : public ::testing::TestWithParam<unsigned>
  {
  protected:
    template <int dim>
    CellProblemResult
    run(const Microstructure                  &micro,
        const Physics                          physics,
        const std::string                     &bc,
        const std::vector<FullMatrix<double>> &laws,
        MPI_Comm                               comm = MPI_COMM_WORLD) const
    {
      return ::run<dim>(micro, physics, bc, laws, comm, GetParam());
    }
  };

  /// Effective law as the same-sized reduced matrix.
  FullMatrix<double>
  reduced(const Physics             physics,
          const unsigned            dim,
          const FullMatrix<double> &l)
  {
    return reduce_to_dimension(physics, dim, l);
  }

  std::vector<double>
  fractions(const Microstructure &m, const unsigned n)
  {
    return m.volume_fractions(n);
  }

  /// Voigt (arithmetic) and Reuss (harmonic) averages of the laws.
  std::pair<FullMatrix<double>, FullMatrix<double>>
  voigt_reuss(const std::vector<FullMatrix<double>> &laws,
              const std::vector<double>             &f)
  {
    const unsigned     n = laws[0].m();
    FullMatrix<double> V(n, n), S(n, n), R(n, n);
    for (unsigned p = 0; p < laws.size(); ++p)
      {
        V.add(f[p], laws[p]);
        FullMatrix<double> inv(n, n);
        inv.invert(laws[p]);
        S.add(f[p], inv);
      }
    R.invert(S);
    return {V, R};
  }

  /// A reproducible random two-phase voxel field.
  Microstructure
  random_two_phase(const unsigned dim, const unsigned n, const double fraction)
  {
    return rve_test::make_microstructure(
      dim, n, [=](unsigned i, unsigned j, unsigned k) {
        const double v
          = std::sin(12.9898 * i + 78.233 * j + 37.719 * k) * 43758.5453;
        return (v - std::floor(v)) < fraction ? 1u : 0u;
      });
  }
} // namespace

INSTANTIATE_TEST_SUITE_P(Degree, CellProblemTest, ::testing::Values(1u, 2u));

TEST_P(CellProblemTest, OnePhaseReturnsThePhaseTensor)
{
  const auto m3
    = rve_test::make_microstructure(3, 6, [](unsigned, unsigned, unsigned) {
        return 0u;
      });
  const auto m2
    = rve_test::make_microstructure(2, 8, [](unsigned, unsigned, unsigned) {
        return 0u;
      });
  const FullMatrix<double> C = rve_test::triclinic();
  const FullMatrix<double> k = rve_test::anisotropic_conductivity(2.);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      EXPECT_LT(rve_test::relative_difference(
                  run<3>(m3, Physics::elasticity, bc, {C}).effective, C),
                exact)
        << bc;
      EXPECT_LT(rve_test::relative_difference(
                  run<3>(m3, Physics::conduction, bc, {k}).effective, k),
                exact)
        << bc;
      EXPECT_LT(rve_test::relative_difference(
                  run<2>(m2, Physics::elasticity, bc, {C}).effective,
                  reduced(Physics::elasticity, 2, C)),
                exact)
        << bc;
      EXPECT_LT(rve_test::relative_difference(
                  run<2>(m2, Physics::conduction, bc, {k}).effective,
                  reduced(Physics::conduction, 2, k)),
                exact)
        << bc;
    }
}

TEST_P(CellProblemTest, PeriodicLaminateIsTheLayeredComposite)
{
  // Layers normal to the last axis; anisotropic phases, 3/8 and 5/8.
  const std::vector<FullMatrix<double>> C
    = {rve_test::triclinic(1e9, 0.), rve_test::triclinic(7e9, 1.)};
  FullMatrix<double> k1 = rve_test::anisotropic_conductivity(1.), k2(3, 3);
  k2(0, 0)              = 5.;
  k2(1, 1)              = 0.2;
  k2(2, 2)              = 9.;
  k2(0, 2) = k2(2, 0)                     = -1.;
  const std::vector<FullMatrix<double>> k = {k1, k2};
  {
    const auto m
      = rve_test::make_microstructure(3, 8, [](unsigned, unsigned, unsigned z) {
          return z < 3 ? 1u : 0u;
        });
    const auto f = fractions(m, 2);
    EXPECT_LT(rve_test::relative_difference(
                run<3>(m, Physics::elasticity, "periodic", C).effective,
                rve_test::laminate_law(C, f, {0, 1, 5}, {2, 3, 4})),
              exact);
    EXPECT_LT(rve_test::relative_difference(
                run<3>(m, Physics::conduction, "periodic", k).effective,
                rve_test::laminate_law(k, f, {0, 1}, {2})),
              exact);
  }
  {
    const auto m
      = rve_test::make_microstructure(2, 8, [](unsigned, unsigned y, unsigned) {
          return y < 3 ? 1u : 0u;
        });
    const auto f  = fractions(m, 2);
    const auto C2 = rve_test::reduce(Physics::elasticity, 2, C);
    const auto k2 = rve_test::reduce(Physics::conduction, 2, k);
    EXPECT_LT(rve_test::relative_difference(
                run<2>(m, Physics::elasticity, "periodic", C).effective,
                rve_test::laminate_law(C2, f, {0}, {1, 2})),
              exact);
    EXPECT_LT(rve_test::relative_difference(
                run<2>(m, Physics::conduction, "periodic", k).effective,
                rve_test::laminate_law(k2, f, {0}, {1})),
              exact);
  }
}

TEST_P(CellProblemTest, RefinedVoxelsKeepTheLaminateExact)
{
  // Two cells per voxel and direction: the layers still coincide with cell
  // faces, the result is still the layered composite.
  const std::vector<FullMatrix<double>> C
    = {rve_test::triclinic(1e9, 0.), rve_test::triclinic(7e9, 1.)};
  const auto m
    = rve_test::make_microstructure(3, 4, [](unsigned, unsigned, unsigned z) {
        return z < 1 ? 1u : 0u;
      });
  const auto res = rve_test::homogenize<3>(m,
                                           Physics::elasticity,
                                           "periodic",
                                           C,
                                           MPI_COMM_WORLD,
                                           settings(),
                                           1,
                                           GetParam());
  EXPECT_EQ(res.n_cells, 512u);
  EXPECT_LT(rve_test::relative_difference(
              res.effective,
              rve_test::laminate_law(C, fractions(m, 2), {0, 1, 5}, {2, 3, 4})),
            exact);
}

TEST_P(CellProblemTest, LaminateConductivityUnderKubcAndTubc)
{
  // Isotropic layers: the arithmetic mean along the layers solves kubc
  // exactly (phi = G x is the exact field), the harmonic mean across them
  // solves tubc exactly (the flux is uniform).
  const auto m
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned, unsigned z) {
        return z < 3 ? 1u : 0u;
      });
  const double                          s0 = 1., s1 = 20., f1 = 3. / 8.;
  const std::vector<FullMatrix<double>> k
    = {rve_test::conductivity(s0), rve_test::conductivity(s1)};
  const double arithmetic = (1 - f1) * s0 + f1 * s1;
  const double harmonic   = 1. / ((1 - f1) / s0 + f1 / s1);
  const auto   kubc       = run<3>(m, Physics::conduction, "kubc", k).effective;
  const auto   tubc       = run<3>(m, Physics::conduction, "tubc", k).effective;
  EXPECT_NEAR(kubc(0, 0), arithmetic, exact * arithmetic);
  EXPECT_NEAR(kubc(1, 1), arithmetic, exact * arithmetic);
  EXPECT_NEAR(tubc(2, 2), harmonic, exact * harmonic);
  // and the bounds are strict in the other directions
  EXPECT_GT(kubc(2, 2), harmonic * (1 + 1e-3));
  EXPECT_LT(tubc(0, 0), arithmetic * (1 - 1e-3));
}

TEST_P(CellProblemTest, VoidLaminateCarriesPlaneStressAlongTheLayers)
{
  // Solid layers (3 of 8) and void: in-plane stiffness f (C_aa - C_ab
  // C_bb^-1 C_ba), nothing across; conduction f sigma along, 0 across. The
  // two layers are separate clusters with three translations each.
  const auto m
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned, unsigned z) {
        return (z == 1 || z == 2 || z == 5) ? 0u : 1u;
      });
  const double             f = 3. / 8.;
  const FullMatrix<double> C = rve_test::triclinic();
  const auto               res
    = run<3>(m, Physics::elasticity, "periodic", {C, FullMatrix<double>()});
  FullMatrix<double> expected(6, 6);
  {
    const std::vector<unsigned> a = {0, 1, 5}, b = {2, 3, 4};
    FullMatrix<double>          Cbb(3, 3), Sbb(3, 3);
    for (unsigned i = 0; i < 3; ++i)
      for (unsigned j = 0; j < 3; ++j)
        Cbb(i, j) = C(b[i], b[j]);
    Sbb.invert(Cbb);
    for (unsigned i = 0; i < 3; ++i)
      for (unsigned j = 0; j < 3; ++j)
        {
          double v = C(a[i], a[j]);
          for (unsigned p = 0; p < 3; ++p)
            for (unsigned q = 0; q < 3; ++q)
              v -= C(a[i], b[p]) * Sbb(p, q) * C(b[q], a[j]);
          expected(a[i], a[j]) = f * v;
        }
  }
  EXPECT_LT(rve_test::relative_difference(res.effective, expected), exact);
  EXPECT_EQ(res.null_space_dimension, 6u);

  const auto         kres = run<3>(m,
                           Physics::conduction,
                           "periodic",
                           {rve_test::conductivity(2.), FullMatrix<double>()});
  FullMatrix<double> kexp(3, 3);
  kexp(0, 0) = kexp(1, 1) = 2. * f;
  EXPECT_LT(rve_test::relative_difference(kres.effective, kexp), exact);

  // Uniform tractions cannot act on the void parts of the boundary: every
  // macro strain is reachable without energy, the tubc tensor vanishes.
  const auto tubc
    = run<3>(m, Physics::elasticity, "tubc", {C, FullMatrix<double>()});
  EXPECT_EQ(tubc.n_zero_energy_directions, 6u);
  EXPECT_EQ(tubc.effective.frobenius_norm(), 0.);
}

TEST_P(CellProblemTest, VoidLaminateInPlaneStrain)
{
  // 2D (plane strain): solid layers y < 3/4 of an orthotropic phase and
  // void: C'_11 = f (C11 - C12^2 / C22) along the layers, nothing across,
  // and the Hill-Mandel residual stays at round-off for the load cases
  // that cost no energy.
  const auto m
    = rve_test::make_microstructure(2, 16, [](unsigned, unsigned y, unsigned) {
        return y >= 12 ? 1u : 0u;
      });
  FullMatrix<double> C(6, 6);
  const double c11 = 139e9, c22 = 198e9, c33 = 173e9, c12 = 73e9, c13 = 52e9,
               c23 = 46e9;
  C(0, 0)          = c11;
  C(1, 1)          = c22;
  C(2, 2)          = c33;
  C(0, 1) = C(1, 0) = c12;
  C(0, 2) = C(2, 0) = c13;
  C(1, 2) = C(2, 1) = c23;
  C(3, 3)           = 2 * 37e9;
  C(4, 4)           = 2 * 51e9;
  C(5, 5)           = 2 * 48e9;
  const auto res
    = run<2>(m, Physics::elasticity, "periodic", {C, FullMatrix<double>()});
  FullMatrix<double> expected(3, 3);
  expected(0, 0) = 0.75 * (c11 - c12 * c12 / c22);
  EXPECT_LT(rve_test::relative_difference(res.effective, expected), exact);
  EXPECT_LT(res.max_hill_mandel(), exact);
  EXPECT_EQ(res.null_space_dimension, 2u);
}

TEST_P(CellProblemTest, HighContrastSeriesLayersAtDefaultTolerance)
{
  // Conducting layers 1e7 times better than the rest, in series with it:
  // the effective conductivity across (the harmonic mean, ~1e-7) is seven
  // orders below the energy of the fluctuation. At the default tolerance
  // the solver must still resolve it, because it measures the error
  // against the energy of the total field.
  const auto m
    = rve_test::make_microstructure(2, 16, [](unsigned, unsigned y, unsigned) {
        return y >= 12 ? 1u : 0u;
      });
  const double harmonic = 1. / (0.75 / 1e-7 + 0.25 / 1.1);
  for (const std::string bc : {"periodic", "tubc"})
    {
      const auto res = rve_test::homogenize<2>(m,
                                               Physics::conduction,
                                               bc,
                                               {rve_test::conductivity(1e-7),
                                                rve_test::conductivity(1.1)},
                                               MPI_COMM_WORLD,
                                               SolverSettings(),
                                               0,
                                               GetParam());
      // tolerance 1e-8 on the energy norm: 1e-7 relative on the tensor
      EXPECT_NEAR(res.effective(1, 1), harmonic, 1e-7 * harmonic) << bc;
      EXPECT_TRUE(res.converged) << bc;
    }
}

TEST_P(CellProblemTest, FibreInVoidIsInUniaxialStress)
{
  // A prismatic fibre with free lateral surfaces: sigma_xx = E eps_xx
  // exactly (the field is linear), nothing else. The fibre can rotate about
  // its axis; that mode must be removed for the solve to work.
  const auto m
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned y, unsigned z) {
        return (y >= 2 && y <= 4 && z >= 3 && z <= 4) ? 0u : 1u;
      });
  const double       E = 3e9, nu = 0.3, f = 6. / 64.;
  const auto         res = run<3>(m,
                          Physics::elasticity,
                          "periodic",
                          {rve_test::isotropic(E, nu), FullMatrix<double>()});
  FullMatrix<double> expected(6, 6);
  expected(0, 0) = f * E;
  EXPECT_LT(rve_test::relative_difference(res.effective, expected), exact);
  EXPECT_EQ(res.null_space_dimension, 4u);
}

TEST_P(CellProblemTest, FloatingParticlesCarryNothing)
{
  // A solid matrix with a cubic pore, with and without a particle floating
  // in the pore: identical tensors under all conditions.
  auto pore = [](bool with_particle) {
    return rve_test::make_microstructure(
      3, 8, [=](unsigned i, unsigned j, unsigned k) {
        const bool in_pore
          = i >= 2 && i <= 5 && j >= 2 && j <= 5 && k >= 2 && k <= 5;
        const bool particle
          = i >= 3 && i <= 4 && j >= 3 && j <= 4 && k >= 3 && k <= 4;
        return in_pore && !(with_particle && particle) ? 1u : 0u;
      });
  };
  const std::vector<FullMatrix<double>> C
    = {rve_test::triclinic(), FullMatrix<double>()};
  const std::vector<FullMatrix<double>> k
    = {rve_test::anisotropic_conductivity(), FullMatrix<double>()};
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto with    = run<3>(pore(true), Physics::elasticity, bc, C);
      const auto without = run<3>(pore(false), Physics::elasticity, bc, C);
      EXPECT_EQ(with.n_removed_cells, 8u) << bc;
      EXPECT_LT(rve_test::relative_difference(with.effective,
                                              without.effective),
                exact)
        << bc;
      EXPECT_LT(rve_test::relative_difference(
                  run<3>(pore(true), Physics::conduction, bc, k).effective,
                  run<3>(pore(false), Physics::conduction, bc, k).effective),
                exact)
        << bc;
    }
}

TEST_P(CellProblemTest, EnergyOrderingOfBoundsAndConditions)
{
  // Reuss <= tubc <= periodic <= kubc <= Voigt for a random two-phase cell.
  const auto                            m = random_two_phase(3, 8, 0.4);
  const auto                            f = fractions(m, 2);
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(20e9, 0.2)};
  const std::vector<FullMatrix<double>> k
    = {rve_test::conductivity(1.), rve_test::conductivity(20.)};
  for (const Physics physics : {Physics::elasticity, Physics::conduction})
    {
      const auto &laws            = physics == Physics::elasticity ? C : k;
      const auto [voigt, reuss]   = voigt_reuss(laws, f);
      const auto  tubc_result     = run<3>(m, physics, "tubc", laws);
      const auto  periodic_result = run<3>(m, physics, "periodic", laws);
      const auto  kubc_result     = run<3>(m, physics, "kubc", laws);
      const auto &tubc            = tubc_result.effective;
      const auto &periodic        = periodic_result.effective;
      const auto &kubc            = kubc_result.effective;
      // Hill-Mandel: |<sigma:eps> - <sigma>:<eps>| is |(u, r)| (tubc) or
      // |(u~, r)| (periodic, kubc), bounded by the energy-norm error times
      // the solution's energy norm: the solver tolerance 1e-10, with a
      // margin of 100 for the preconditioned norm the solver measures in.
      for (const auto *r : {&tubc_result, &periodic_result, &kubc_result})
        {
          EXPECT_LT(r->max_hill_mandel(), 1e-8) << r->boundary_condition;
          EXPECT_LT(r->asymmetry, 1e-8) << r->boundary_condition;
        }
      const double margin = -1e-8;
      EXPECT_GT(rve_test::min_eigenvalue_of_difference(tubc, reuss), margin);
      EXPECT_GT(rve_test::min_eigenvalue_of_difference(periodic, tubc), margin);
      EXPECT_GT(rve_test::min_eigenvalue_of_difference(kubc, periodic), margin);
      EXPECT_GT(rve_test::min_eigenvalue_of_difference(voigt, kubc), margin);
      // and the orderings are not trivial
      EXPECT_GT(rve_test::relative_difference(kubc, tubc), 1e-3);
    }
}

TEST_P(CellProblemTest, CentredSphereIsCubicAndWithinHashinShtrikman)
{
  const unsigned n = 16;
  const auto     m
    = rve_test::centred_sphere(3, n, std::cbrt(0.2 * 3 / (4 * M_PI)));
  const double f1 = fractions(m, 2)[1], f0 = 1 - f1;
  const double E0 = 1e9, nu0 = 0.3, E1 = 10e9, nu1 = 0.25;
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(E0, nu0), rve_test::isotropic(E1, nu1)};
  const auto   res   = run<3>(m, Physics::elasticity, "periodic", C);
  const auto  &Ce    = res.effective;
  const double scale = Ce(0, 0);
  // cubic symmetry: C11 = C22 = C33, C12 = C13 = C23, C44 = C55 = C66, and
  // no coupling between normal and shear or between shears
  for (unsigned i = 0; i < 3; ++i)
    {
      EXPECT_NEAR(Ce(i, i), Ce(0, 0), exact * scale);
      EXPECT_NEAR(Ce(i + 3, i + 3), Ce(3, 3), exact * scale);
      for (unsigned j = 0; j < 3; ++j)
        {
          EXPECT_NEAR(Ce(i, j + 3), 0., exact * scale);
          if (i != j)
            {
              EXPECT_NEAR(Ce(i, j), Ce(0, 1), exact * scale);
              EXPECT_NEAR(Ce(i + 3, j + 3), 0., exact * scale);
            }
        }
    }
  EXPECT_LT(res.asymmetry, exact);
  EXPECT_LT(res.max_hill_mandel(), exact);

  // Hashin-Shtrikman bounds on the bulk modulus (well-ordered phases:
  // phase 1 is stiffer in bulk and shear).
  auto         K  = [](double E, double nu) { return E / (3 * (1 - 2 * nu)); };
  auto         G  = [](double E, double nu) { return E / (2 * (1 + nu)); };
  const double K0 = K(E0, nu0), K1 = K(E1, nu1), G0 = G(E0, nu0),
               G1    = G(E1, nu1);
  const double lower = K0 + f1 / (1 / (K1 - K0) + 3 * f0 / (3 * K0 + 4 * G0));
  const double upper = K1 + f0 / (1 / (K0 - K1) + 3 * f1 / (3 * K1 + 4 * G1));
  const double bulk  = (Ce(0, 0) + 2 * Ce(0, 1)) / 3;
  EXPECT_GT(bulk, lower);
  EXPECT_LT(bulk, upper);

  const double s0 = 1, s1 = 10;
  const auto   cond
    = run<3>(m,
             Physics::conduction,
             "periodic",
             {rve_test::conductivity(s0), rve_test::conductivity(s1)})
        .effective;
  const double slower = s0 + f1 / (1 / (s1 - s0) + f0 / (3 * s0));
  const double supper = s1 + f0 / (1 / (s0 - s1) + f1 / (3 * s1));
  for (unsigned i = 0; i < 3; ++i)
    {
      EXPECT_NEAR(cond(i, i), cond(0, 0), exact * cond(0, 0));
      EXPECT_GT(cond(i, i), slower);
      EXPECT_LT(cond(i, i), supper);
    }
}

TEST_P(CellProblemTest, ResultsDoNotDependOnThePartition)
{
  // The same cell on all ranks and on each rank alone.
  const auto                            m = random_two_phase(3, 8, 0.3);
  const std::vector<FullMatrix<double>> C
    = {rve_test::triclinic(1e9, 0.), rve_test::triclinic(9e9, 2.)};
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto all  = run<3>(m, Physics::elasticity, bc, C, MPI_COMM_WORLD);
      const auto self = run<3>(m, Physics::elasticity, bc, C, MPI_COMM_SELF);
      EXPECT_LT(rve_test::relative_difference(all.effective, self.effective),
                exact)
        << bc;
      // The preconditioner is the same operator on every partition, up to
      // the order of single-precision sums: a load case may stop one
      // iteration earlier or later, never more.
      for (unsigned j = 0; j < all.iterations.size(); ++j)
        EXPECT_LE(std::abs(int(all.iterations[j]) - int(self.iterations[j])), 1)
          << bc;
    }
}

TEST(CellProblem, CheckerboardConductivityConvergesToGeometricMean)
{
  // 2x2 checkerboard: sigma_eff = sqrt(s0 s1) (Keller, Dykhne). The voxel
  // solution is an upper bound (conforming, periodic) that decreases under
  // refinement; the corner singularity makes the convergence slow but
  // algebraic, so a Richardson extrapolation with the observed order must
  // land on the exact value.
  const double        s0 = 1., s1 = 4., exact_value = 2.;
  std::vector<double> value;
  for (const unsigned n : {16u, 32u, 64u, 128u})
    {
      const auto m = rve_test::make_microstructure(
        2, n, [n](unsigned i, unsigned j, unsigned) {
          return ((i < n / 2) != (j < n / 2)) ? 1u : 0u;
        });
      const auto k
        = run<2>(m,
                 Physics::conduction,
                 "periodic",
                 {rve_test::conductivity(s0), rve_test::conductivity(s1)})
            .effective;
      EXPECT_NEAR(k(0, 0), k(1, 1), exact);
      EXPECT_NEAR(k(0, 1), 0., exact);
      value.push_back(k(0, 0));
    }
  for (unsigned i = 0; i < value.size(); ++i)
    {
      EXPECT_GT(value[i], exact_value);
      if (i > 0)
        {
          EXPECT_LT(value[i] - exact_value, 0.8 * (value[i - 1] - exact_value));
        }
    }
  // Orders observed from the values alone agree, and the extrapolation
  // sigma_128 - (sigma_64 - sigma_128) / (2^p - 1) lands on the exact value
  // to a tenth of the remaining error.
  const double p1 = std::log2((value[0] - value[1]) / (value[1] - value[2]));
  const double p2 = std::log2((value[1] - value[2]) / (value[2] - value[3]));
  EXPECT_NEAR(p1, p2, 0.1);
  // The field at the four-phase corner behaves like r^lambda with
  // cos(lambda pi / 2) = |s1 - s0| / (s1 + s0); the energy error of a
  // conforming method goes like h^(2 lambda).
  const double lambda = 2. / M_PI * std::acos(std::abs(s1 - s0) / (s1 + s0));
  EXPECT_NEAR(p2, 2 * lambda, 0.1);
  const double extrapolated
    = value[3] - (value[2] - value[3]) / (std::pow(2., p2) - 1.);
  EXPECT_NEAR(extrapolated, exact_value, 0.1 * (value[3] - exact_value));
}

TEST(CellProblem, Q2ResolvesTheCheckerboardBetterThanQ1)
{
  // The checkerboard above with Q2. Q1 on the same cells is a subspace of
  // Q2, so Q2 is the closer upper bound; the corner singularity limits both
  // to the order h^(2 lambda), so Q2 gains a constant (measured: a quarter
  // of the Q1 error at every n). Q2 at n voxels has the unknowns of Q1 at
  // 2n and must be closer than that too (measured: 0.56 of its error).
  const double s0 = 1., s1 = 4., exact_value = 2.;
  auto         error = [&](const unsigned n, const unsigned degree) {
    const auto m = rve_test::make_microstructure(
      2, n, [n](unsigned i, unsigned j, unsigned) {
        return ((i < n / 2) != (j < n / 2)) ? 1u : 0u;
      });
    return run<2>(m,
                  Physics::conduction,
                  "periodic",
                  {rve_test::conductivity(s0), rve_test::conductivity(s1)},
                  MPI_COMM_WORLD,
                  degree)
             .effective(0, 0)
           - exact_value;
  };
  std::vector<double> q2;
  for (const unsigned n : {16u, 32u, 64u})
    {
      q2.push_back(error(n, 2));
      EXPECT_GT(q2.back(), 0.) << n;
      EXPECT_LT(q2.back(), 0.35 * error(n, 1)) << n;
      EXPECT_LT(q2.back(), error(2 * n, 1)) << n;
    }
  const double lambda = 2. / M_PI * std::acos(std::abs(s1 - s0) / (s1 + s0));
  EXPECT_NEAR(std::log2(q2[1] / q2[2]), 2 * lambda, 0.1);
}

TEST(CellProblem, Q2IsCloserToTheRefinedSolutionOfADisc)
{
  // A stiff disc (contrast 10) in 16 x 16 voxels; the reference is Q2 with
  // each voxel split 8 x 8. The spaces are nested (Q1 in Q2 in the refined
  // Q2), so the periodic stiffnesses are ordered C_ref <= C_Q2 <= C_Q1 in
  // the energy sense; and Q2 must be closer to the reference than Q1 with
  // the same unknowns (each voxel split 2 x 2) and much closer than Q1 on
  // the voxels (measured: 0.47 and 0.18 of their errors).
  const auto m = rve_test::centred_sphere(2, 16, 0.3);
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(10e9, 0.3)};
  auto solve = [&](const unsigned refinements, const unsigned degree) {
    return rve_test::homogenize<2>(m,
                                   Physics::elasticity,
                                   "periodic",
                                   C,
                                   MPI_COMM_WORLD,
                                   settings(),
                                   refinements,
                                   degree)
      .effective;
  };
  const auto reference = solve(3, 2);
  const auto q1        = solve(0, 1);
  const auto q1_split  = solve(1, 1);
  const auto q2        = solve(0, 2);
  EXPECT_GT(rve_test::min_eigenvalue_of_difference(q2, reference), -exact);
  EXPECT_GT(rve_test::min_eigenvalue_of_difference(q1, q2), -exact);
  const double e2 = rve_test::relative_difference(q2, reference);
  EXPECT_LT(e2, 0.7 * rve_test::relative_difference(q1_split, reference));
  EXPECT_LT(e2, 0.3 * rve_test::relative_difference(q1, reference));
}

TEST(CellProblem, Q2IsSofterThanQ1UnderEveryCondition)
{
  // All three conditions minimise the energy over a set of fields that
  // grows from Q1 to Q2 on the same cells: C_Q2 <= C_Q1, strictly for a
  // random two-phase cell.
  const auto                            m = random_two_phase(3, 8, 0.4);
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(1e9, 0.3), rve_test::triclinic(10e9, 1.)};
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto q1 = run<3>(m, Physics::elasticity, bc, C).effective;
      const auto q2
        = run<3>(m, Physics::elasticity, bc, C, MPI_COMM_WORLD, 2).effective;
      EXPECT_GT(rve_test::min_eigenvalue_of_difference(q1, q2), -exact) << bc;
      EXPECT_GT(rve_test::relative_difference(q1, q2), 1e-3) << bc;
    }
}

TEST(CellProblem, IterationsStayFlat)
{
  // Geometric multigrid: the iteration count must not grow with the number
  // of voxels, and only mildly with contrast and voids.
  const std::vector<FullMatrix<double>> C10
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(10e9, 0.3)};
  const std::vector<FullMatrix<double>> C1000
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(1e12, 0.3)};
  const double r      = std::cbrt(0.2 * 3 / (4 * M_PI));
  const auto   coarse = run<3>(rve_test::centred_sphere(3, 16, r),
                             Physics::elasticity,
                             "periodic",
                             C10);
  const auto   fine   = run<3>(rve_test::centred_sphere(3, 32, r),
                           Physics::elasticity,
                           "periodic",
                           C10);
  const auto   high   = run<3>(rve_test::centred_sphere(3, 32, r),
                           Physics::elasticity,
                           "periodic",
                           C1000);
  // pores: void spheres of radius 0.45 in a solid matrix
  const auto pores
    = run<3>(rve_test::centred_sphere(3, 32, 0.45),
             Physics::elasticity,
             "periodic",
             {rve_test::isotropic(1e9, 0.3), FullMatrix<double>()});
  EXPECT_LE(fine.max_iterations(), coarse.max_iterations() + 2);
  EXPECT_LE(high.max_iterations(), 2 * fine.max_iterations());
  EXPECT_LE(pores.max_iterations(), 2 * fine.max_iterations());
  EXPECT_LE(fine.max_iterations(), 15u);
}

TEST(CellProblem, Q2IterationsStayFlat)
{
  // The Q2 level smooths with Chebyshev-Jacobi and hands over to the Q1
  // hierarchy of the same cells: the counts must stay flat from 8^3 to
  // 16^3 voxels (and from 16^2 to 64^2 in 2D), and only grow mildly with
  // contrast 1000 and with pores.
  const std::vector<FullMatrix<double>> C10
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(10e9, 0.3)};
  const std::vector<FullMatrix<double>> C1000
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(1e12, 0.3)};
  const std::vector<FullMatrix<double>> pore
    = {rve_test::isotropic(1e9, 0.3), FullMatrix<double>()};
  const double r          = std::cbrt(0.2 * 3 / (4 * M_PI));
  auto         iterations = [&](const unsigned dim,
                        const unsigned n,
                        const double   radius,
                        const auto    &C) {
    const auto m = rve_test::centred_sphere(dim, n, radius);
    return (dim == 3
                      ? run<3>(m, Physics::elasticity, "periodic", C, MPI_COMM_WORLD, 2)
                      : run<2>(
                m, Physics::elasticity, "periodic", C, MPI_COMM_WORLD, 2))
      .max_iterations();
  };
  const unsigned coarse = iterations(3, 8, r, C10);
  const unsigned fine   = iterations(3, 16, r, C10);
  EXPECT_LE(fine, coarse + 2);
  EXPECT_LE(fine, 15u);
  EXPECT_LE(iterations(3, 16, r, C1000), 2 * fine);
  EXPECT_LE(iterations(3, 16, 0.45, pore), 2 * fine);
  EXPECT_LE(iterations(2, 64, 0.3, C10), iterations(2, 16, 0.3, C10) + 2);
}

TEST(CellProblem, ExtremeContrastNetworkIsExactAndMonotoneInTheWeakPhase)
{
  // An electrode (generator of the shipped FE2 input: 24^3 voxels, olivine
  // particles, a carbon-binder network of 50 S/m, non-conducting pores)
  // with the olivine at 1e-9 to 1e-7 S/m, contrast up to 5e10. Rayleigh's
  // monotonicity makes the effective conductivity non-decreasing in every
  // phase conductivity, and its derivative with respect to the weak one is
  // the mean squared field in that phase, at most O(n^2) for voxel-wide
  // gaps between binder clusters: between 1e-9 and 1e-7 the tensor may
  // change by ~1e-5 absolute, below 1e-5 relative. Single-precision
  // multigrid levels are not positive definite at this contrast (CG stopped
  // after one step on a negative (r, M r), the tensor 10 % off and not
  // symmetric); the cycle must switch to double precision and the tensor be
  // symmetric and Hill-Mandel-consistent to the solver tolerance.
  microstructure::ElectrodeOptions options;
  options.active_fraction  = 0.4275;
  options.binder_fraction  = 0.19;
  options.radius           = 0.12;
  options.particle_overlap = 0.3;
  options.seed             = 47;
  const auto m = microstructure::electrode(3, {{24, 24, 24}}, options);
  std::vector<FullMatrix<double>> previous;
  for (const double weak : {1e-9, 1e-8, 1e-7})
    {
      const auto res = run<3>(m,
                              Physics::conduction,
                              "periodic",
                              {rve_test::conductivity(weak),
                               rve_test::conductivity(50.),
                               FullMatrix<double>()});
      EXPECT_TRUE(res.converged) << weak;
      EXPECT_TRUE(res.double_precision) << weak;
      EXPECT_EQ(res.n_indefinite, 0u) << weak;
      EXPECT_LT(res.asymmetry, 1e-8) << weak;
      EXPECT_LT(res.max_hill_mandel(), 1e-8) << weak;
      if (!previous.empty())
        for (unsigned d = 0; d < 3; ++d)
          {
            EXPECT_GE(res.effective(d, d), previous.back()(d, d)) << weak;
            EXPECT_LT(res.effective(d, d) - previous.back()(d, d),
                      1e-5 * res.effective(d, d))
              << weak;
          }
      previous.push_back(res.effective);
    }
  // Forced into single precision, the solver says so rather than return
  // the wrong tensor.
  SolverSettings single      = settings();
  single.multigrid.precision = "single";
  const auto forced          = rve_test::homogenize<3>(m,
                                              Physics::conduction,
                                              "periodic",
                                              {rve_test::conductivity(1e-9),
                                                        rve_test::conductivity(50.),
                                                        FullMatrix<double>()},
                                              MPI_COMM_WORLD,
                                              single);
  EXPECT_FALSE(forced.double_precision);
  EXPECT_GT(forced.n_indefinite, 0u);
  EXPECT_FALSE(forced.converged);
  // At contrast 10 the levels stay in single precision.
  EXPECT_FALSE(run<3>(m,
                      Physics::conduction,
                      "periodic",
                      {rve_test::conductivity(5.),
                       rve_test::conductivity(50.),
                       FullMatrix<double>()})
                 .double_precision);
}

TEST(CellProblem, HillMandelIsMeasuredFromTheFields)
{
  // A two-phase disc (2D) under every condition: the Hill-Mandel residual
  // measured from the solved fields is round-off (the energy error of CG is
  // quadratic in its residual, 1e-20 relative at tolerance 1e-10; sums of
  // 256 cell terms add ~1e-13). A periodic field plus the non-periodic
  // u_1 = delta x_1^2 / L is neither periodic nor in equilibrium: its
  // boundary strain grows by exactly delta in 11 (the nodal interpolant is
  // exact on the faces), and its residual is of order delta^2 relative.
  const auto m = rve_test::centred_sphere(2, 16, 0.3);
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(10e9, 0.25)};
  for (const std::string bc_name : {"periodic", "kubc", "tubc"})
    {
      VoxelMesh<2> mesh(MPI_COMM_WORLD, m, 0, 1);
      const auto   bc = create_boundary_condition(bc_name);
      CellProblem  problem(Physics::elasticity,
                          *bc,
                          mesh.hierarchy(bc->periodic_grid()),
                          mesh.cell_phase(),
                          rve_test::reduce(Physics::elasticity, 2, C),
                          settings());
      const auto  &r = problem.solve();
      EXPECT_LT(r.max_hill_mandel(), 1e-10) << bc_name;
      // the boundary measures the macro strain the solver imposed
      for (unsigned j = 0; j < r.boundary_strain.n(); ++j)
        for (unsigned a = 0; a < 3; ++a)
          EXPECT_NEAR(r.boundary_strain(a, j), r.macro_strain(a, j), 1e-10)
            << bc_name;
      if (bc_name != "periodic")
        continue;
      const double delta = 1e-2;
      const auto   perturbed
        = problem.measure_load_case(0, [&](const std::array<double, 3> &x) {
            return std::array<double, 3>{{delta * x[0] * x[0], 0., 0.}};
          });
      EXPECT_NEAR(perturbed.boundary_strain[0] - r.macro_strain(0, 0),
                  delta,
                  1e-12);
      const double gap
        = std::abs(perturbed.hill_mandel_gap()) / std::abs(r.energy[0]);
      EXPECT_GT(gap, 1e-6);
    }
}
