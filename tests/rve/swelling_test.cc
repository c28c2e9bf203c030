// Effective swelling of the RVE: phase eigenstrains eps* (sigma = C (eps -
// eps*)) give the effective eigenstress tau_eff = <sigma> at zero macro
// strain and the free swelling strain eps*_eff = -C_eff^-1 tau_eff (zero
// macro stress for tubc). Checked against exact results: the laminate in
// closed form, a uniform eigenstrain (eps*_eff = eps* for every geometry and
// condition), Levin's relation for two phases, and the energy ordering of
// the conditions; then cards through the whole pipeline (keys, Voigt
// conventions, symmetry, bad input) and the partition. Run at 1 and 2 ranks.
//
// Tolerances. CG stops a load case when the energy norm of the error is
// below tol times that of the solution (block_cg.h); a volume average is a
// bounded linear functional of the field, so its relative error is of order
// tol times the condition of the functional, which for these small cells of
// contrast <= 10 is O(1)-O(10). With tol = 1e-10 the exact relations are
// asserted to 1e-8 relative to the largest entry (the same margin as
// cell_problem_test.cc); Levin's relation, which combines two cell problems
// and inverts S_2 - S_1, is asserted to 1e-7, and the test also shows that
// its residual follows the solver tolerance (it is a property of the
// discrete problem, not of the discretisation).

#include <deal.II/base/mpi.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/rve/parameters.h>
#include <scalebridge/rve/phase_laws.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "rve_test_tools.h"
#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::rve;
using dealii::FullMatrix;
using dealii::Vector;
using rve_test::Microstructure;

namespace
{
  constexpr double exact = 1e-8;

  /// Mandel vector of an isotropic eigenstrain a I.
  Vector<double>
  isotropic_strain(const double a)
  {
    Vector<double> e(6);
    e[0] = e[1] = e[2] = a;
    return e;
  }

  /// Mandel vector of a symmetric strain tensor given by its components.
  Vector<double>
  mandel(const double e11,
         const double e22,
         const double e33,
         const double e23,
         const double e13,
         const double e12)
  {
    const double   r = std::sqrt(2.);
    Vector<double> e(6);
    e[0] = e11;
    e[1] = e22;
    e[2] = e33;
    e[3] = r * e23;
    e[4] = r * e13;
    e[5] = r * e12;
    return e;
  }

  struct Swelled
  {
    CellProblemResult elastic;
    EigenstrainResult swelling;
  };

  /// Solves the elasticity cell problem and its swelling load case.
  template <int dim>
  Swelled
  run(const Microstructure                  &micro,
      const std::string                     &bc_name,
      const std::vector<FullMatrix<double>> &C,
      const std::vector<Vector<double>>     &eps,
      MPI_Comm                               comm      = MPI_COMM_WORLD,
      const double                           tolerance = 1e-10,
      const unsigned                         degree    = 1)
  {
    SolverSettings settings;
    settings.tolerance = tolerance;
    VoxelMesh<dim> mesh(comm, micro, 0, degree);
    const auto     bc = create_boundary_condition(bc_name);
    CellProblem    problem(Physics::elasticity,
                        *bc,
                        mesh.hierarchy(bc->periodic_grid()),
                        mesh.cell_phase(),
                        rve_test::reduce(Physics::elasticity, dim, C),
                        settings);
    problem.solve();
    PhaseLaws laws;
    for (unsigned p = 0; p < C.size(); ++p)
      {
        laws.names.push_back("phase " + std::to_string(p));
        laws.stiffness.push_back(C[p]);
        laws.eigenstrain.push_back(eps[p]);
      }
    return {problem.result(),
            problem.solve_eigenstrain(laws.eigenstresses(dim))};
  }

  /// max_i |a_i - b_i| / max_i |b_i|
  double
  relative_difference(const Vector<double> &a, const Vector<double> &b)
  {
    Vector<double> d(a);
    d -= b;
    return d.linfty_norm() / b.linfty_norm();
  }

  FullMatrix<double>
  inverse(const FullMatrix<double> &A)
  {
    FullMatrix<double> B(A.m(), A.n());
    B.invert(A);
    return B;
  }

  /**
   * Eigenstress of a periodic laminate at zero macro strain, layer normal
   * along the last axis; a = in-plane Mandel components, b = the normal
   * ones; laws and eigenstresses s_p = C_p eps*_p in the problem dimension.
   * Standard: the fields are uniform in each layer, the in-plane strains are
   * continuous, hence equal to their mean 0, and the tractions sigma_b are
   * continuous, = t. Then eps_b,p = C_bb,p^-1 (t + s_b,p), and <eps_b> = 0
   * gives t = -(sum f C_bb^-1)^-1 sum f C_bb^-1 s_b; the in-plane stress of
   * layer p is C_ab,p eps_b,p - s_a,p.
   */
  Vector<double>
  laminate_eigenstress(const std::vector<FullMatrix<double>> &C,
                       const std::vector<Vector<double>>     &s,
                       const std::vector<double>             &f,
                       const std::vector<unsigned>           &a,
                       const std::vector<unsigned>           &b)
  {
    const unsigned                  na = a.size(), nb = b.size();
    FullMatrix<double>              sum_S(nb, nb);
    Vector<double>                  sum_Ss(nb);
    std::vector<FullMatrix<double>> Sbb;
    for (unsigned p = 0; p < C.size(); ++p)
      {
        FullMatrix<double> Cbb(nb, nb);
        for (unsigned i = 0; i < nb; ++i)
          for (unsigned j = 0; j < nb; ++j)
            Cbb(i, j) = C[p](b[i], b[j]);
        Sbb.push_back(inverse(Cbb));
        Vector<double> sb(nb), Ss(nb);
        for (unsigned i = 0; i < nb; ++i)
          sb[i] = s[p][b[i]];
        Sbb[p].vmult(Ss, sb);
        sum_S.add(f[p], Sbb[p]);
        sum_Ss.add(f[p], Ss);
      }
    Vector<double> t(nb);
    inverse(sum_S).vmult(t, sum_Ss);
    t *= -1.;
    Vector<double> tau(na + nb);
    for (unsigned i = 0; i < nb; ++i)
      tau[b[i]] = t[i];
    for (unsigned p = 0; p < C.size(); ++p)
      {
        Vector<double> rhs(nb), eb(nb);
        for (unsigned i = 0; i < nb; ++i)
          rhs[i] = t[i] + s[p][b[i]];
        Sbb[p].vmult(eb, rhs);
        for (unsigned i = 0; i < na; ++i)
          {
            double sa = -s[p][a[i]];
            for (unsigned j = 0; j < nb; ++j)
              sa += C[p](a[i], b[j]) * eb[j];
            tau[a[i]] += f[p] * sa;
          }
      }
    return tau;
  }

  /// s_p = C_p eps*_p in the problem dimension (through PhaseLaws).
  std::vector<Vector<double>>
  eigenstresses(const std::vector<FullMatrix<double>> &C,
                const std::vector<Vector<double>>     &eps,
                const unsigned                         dim)
  {
    PhaseLaws laws;
    for (unsigned p = 0; p < C.size(); ++p)
      {
        laws.names.push_back("p");
        laws.stiffness.push_back(C[p]);
        laws.eigenstrain.push_back(eps[p]);
      }
    return laws.eigenstresses(dim);
  }

  /// -C^-1 tau
  Vector<double>
  free_strain(const FullMatrix<double> &C, const Vector<double> &tau)
  {
    Vector<double> e(tau.size());
    inverse(C).vmult(e, tau);
    e *= -1.;
    return e;
  }

  /// A reproducible random two-phase voxel field (as cell_problem_test.cc).
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

  /**
   * Levin (1967): for two phases with uniform eigenstrains, the effective
   * eigenstrain is fixed by the effective compliance,
   *   eps*_eff = eps*_1 + (S_eff - S_1) (S_2 - S_1)^-1 (eps*_2 - eps*_1).
   * Proof in the strain-concentration form: <A> = f_1 A_1 + f_2 A_2 = I and
   * C_eff = f_1 C_1 A_1 + f_2 C_2 A_2 give f_2 A_2 = (C_2 - C_1)^-1 (C_eff -
   * C_1); reciprocity (Betti, with the Galerkin orthogonality of both cell
   * problems) gives tau_eff = -f_1 A_1^T s_1 - f_2 A_2^T s_2. Both steps
   * hold for the discrete fields too (under periodic and kinematic
   * conditions <eps(u~)> = 0 exactly; under minimal kinematic ones the same
   * with stress concentrations), so the relation holds to solver accuracy.
   * Returns the right-hand side for the laws and C_eff in the problem
   * dimension.
   */
  Vector<double>
  levin(const FullMatrix<double> &C_eff,
        const FullMatrix<double> &C1,
        const FullMatrix<double> &C2,
        const Vector<double>     &e1,
        const Vector<double>     &e2)
  {
    const unsigned     n  = C1.m();
    FullMatrix<double> S1 = inverse(C1), S2 = inverse(C2), Se = inverse(C_eff);
    FullMatrix<double> dS(S2), A(n, n);
    dS.add(-1., S1);
    Se.add(-1., S1);
    Se.mmult(A, inverse(dS));
    Vector<double> de(e2), out(e1), Ade(n);
    de -= e1;
    A.vmult(Ade, de);
    out += Ade;
    return out;
  }

  /// Eigenstrain of the problem dimension whose C eps* is s (2D: the
  /// in-plane strain that loads like the 3D eigenstrain under plane strain).
  Vector<double>
  reduced_strain(const FullMatrix<double> &C, const Vector<double> &s)
  {
    Vector<double> e(s.size());
    inverse(C).vmult(e, s);
    return e;
  }
} // namespace

TEST(Swelling, PeriodicLaminateIsClosedForm)
{
  // Two isotropic phases of different stiffness and swelling, layers
  // normal to the last axis.
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(10e9, 0.3), rve_test::isotropic(70e9, 0.2)};
  const double                      a0 = 0.01, a1 = 0.04;
  const std::vector<Vector<double>> eps
    = {isotropic_strain(a0), isotropic_strain(a1)};
  for (const unsigned degree : {1u, 2u})
    {
      const auto m = rve_test::make_microstructure(
        3, 8, [](unsigned, unsigned, unsigned z) { return z < 3 ? 1u : 0u; });
      const auto f = m.volume_fractions(2);
      const auto r
        = run<3>(m, "periodic", C, eps, MPI_COMM_WORLD, 1e-10, degree);
      const Vector<double> tau = laminate_eigenstress(
        C, eigenstresses(C, eps, 3), f, {0, 1, 5}, {2, 3, 4});
      ASSERT_TRUE(r.swelling.solved);
      EXPECT_LT(relative_difference(r.swelling.eigenstress, tau), exact)
        << "degree " << degree;

      // The same in scalars for isotropic phases (lambda, mu; M = lambda +
      // 2 mu; 3K = 3 lambda + 2 mu): sigma_33,p = M_p eps_33,p - 3 K_p a_p
      // = t, sum f eps_33 = 0, sigma_11,p = lambda_p eps_33,p - 3 K_p a_p.
      double sum_fM = 0, sum_fKaM = 0;
      for (unsigned p = 0; p < 2; ++p)
        {
          const double M = C[p](0, 0), K3 = C[p](0, 0) + 2 * C[p](0, 1),
                       ap = p == 0 ? a0 : a1;
          sum_fM += f[p] / M;
          sum_fKaM += f[p] * K3 * ap / M;
        }
      const double t   = -sum_fKaM / sum_fM;
      double       s11 = 0;
      for (unsigned p = 0; p < 2; ++p)
        {
          const double M = C[p](0, 0), L = C[p](0, 1),
                       K3 = C[p](0, 0) + 2 * C[p](0, 1), ap = p == 0 ? a0 : a1;
          s11 += f[p] * (L * (t + K3 * ap) / M - K3 * ap);
        }
      EXPECT_NEAR(tau[2], t, 1e-14 * std::abs(t));
      EXPECT_NEAR(tau[0], s11, 1e-14 * std::abs(s11));
      EXPECT_NEAR(tau[1], s11, 1e-14 * std::abs(s11));

      // Free swelling, independently of C_eff: at zero mean stress the
      // in-plane strain e is common, sigma_33 = 0 in every layer, so
      // eps_33,p = (3 K_p a_p - 2 lambda_p e) / M_p, and <sigma_11> = 0
      // with sigma_11,p = 2 (lambda_p + mu_p) e + lambda_p eps_33,p - 3 K_p
      // a_p fixes e.
      double c0 = 0, c1 = 0;
      for (unsigned p = 0; p < 2; ++p)
        {
          const double M = C[p](0, 0), L = C[p](0, 1), mu = (M - L) / 2,
                       K3 = M + 2 * L, ap = p == 0 ? a0 : a1;
          // sigma_11,p = e (2 (L + mu) - 2 L^2 / M) + K3 ap (L / M - 1)
          c1 += f[p] * (2 * (L + mu) - 2 * L * L / M);
          c0 += f[p] * K3 * ap * (L / M - 1);
        }
      const double e  = -c0 / c1;
      double       e3 = 0;
      for (unsigned p = 0; p < 2; ++p)
        {
          const double M = C[p](0, 0), L = C[p](0, 1), K3 = M + 2 * L,
                       ap = p == 0 ? a0 : a1;
          e3 += f[p] * (K3 * ap - 2 * L * e) / M;
        }
      const Vector<double> expected = mandel(e, e, e3, 0, 0, 0);
      EXPECT_LT(relative_difference(r.swelling.swelling_strain, expected),
                exact)
        << "degree " << degree;
      EXPECT_EQ(r.swelling.n_zero_energy_directions, 0u);
      EXPECT_LT(r.swelling.hill_mandel, 1e-12);
      EXPECT_EQ(r.swelling.mean_strain.linfty_norm(), 0.);
    }

  // 2D (plane strain), layer normal y, with an anisotropic eigenstrain that
  // has an out-of-plane part: it loads the plane through the Poisson
  // coupling (s = in-plane rows of C eps*).
  const std::vector<Vector<double>> eps2
    = {mandel(0.01, -0.005, 0.03, 0.002, 0.001, 0.004),
       mandel(0.02, 0.04, -0.01, 0, 0, -0.003)};
  const auto m
    = rve_test::make_microstructure(2, 8, [](unsigned, unsigned y, unsigned) {
        return y < 5 ? 1u : 0u;
      });
  const auto r  = run<2>(m, "periodic", C, eps2);
  const auto C2 = rve_test::reduce(Physics::elasticity, 2, C);
  const auto s2 = eigenstresses(C, eps2, 2);
  const auto tau
    = laminate_eigenstress(C2, s2, m.volume_fractions(2), {0}, {1, 2});
  EXPECT_NEAR(s2[0][0],
              C[0](0, 0) * 0.01 + C[0](0, 1) * (-0.005 + 0.03),
              1e-14 * C[0](0, 0));
  EXPECT_LT(relative_difference(r.swelling.eigenstress, tau), exact);
  EXPECT_LT(
    relative_difference(r.swelling.swelling_strain,
                        free_strain(rve_test::laminate_law(
                                      C2, m.volume_fractions(2), {0}, {1, 2}),
                                    tau)),
    exact);
}

TEST(Swelling, UniformEigenstrainIsTheEffectiveOneUnderEveryCondition)
{
  // u = eps* x is stress free whatever the phases, and admissible for every
  // condition at macro strain eps*: eps*_eff = eps*, tau_eff = -C_eff eps*.
  const std::vector<FullMatrix<double>> C
    = {rve_test::triclinic(1e9, 0.), rve_test::triclinic(6e9, 1.)};
  const Vector<double> e = mandel(0.02, -0.01, 0.015, 0.004, -0.003, 0.006);
  const auto           m = random_two_phase(3, 8, 0.4);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto r = run<3>(m, bc, C, {e, e});
      EXPECT_LT(relative_difference(r.swelling.swelling_strain, e), exact)
        << bc;
      Vector<double> tau(6);
      r.elastic.effective.vmult(tau, e);
      tau *= -1.;
      EXPECT_LT(relative_difference(r.swelling.eigenstress, tau), exact) << bc;
      // The freely swollen cell stores no energy (against that of the
      // clamped eigenstrain of the stiffer phase).
      Vector<double> Ce(6);
      C[1].vmult(Ce, e);
      EXPECT_LT(std::abs(r.swelling.residual_energy), exact * (e * Ce)) << bc;
    }
}

TEST(Swelling, LevinRelationHoldsToSolverAccuracy)
{
  // Isotropic phases with different bulk and shear moduli, so S_2 - S_1 is
  // invertible; a random two-phase cell and a centred sphere.
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(5e9, 0.35), rve_test::isotropic(40e9, 0.2)};
  const std::vector<std::vector<Vector<double>>> loads
    = {{isotropic_strain(0.002), isotropic_strain(0.03)},
       // Not needed for Levin's argument, but it holds as well:
       {mandel(0.01, 0, -0.004, 0.002, 0, 0.001),
        mandel(0.03, 0.01, 0.02, 0, -0.005, 0.003)}};
  const std::vector<std::pair<std::string, Microstructure>> cells
    = {{"random", random_two_phase(3, 8, 0.35)},
       {"sphere", rve_test::centred_sphere(3, 8, 0.3)},
       {"disc", rve_test::centred_sphere(2, 16, 0.3)}};
  for (const auto &[name, m] : cells)
    for (const auto &eps : loads)
      for (const std::string bc : {"periodic", "kubc", "tubc"})
        {
          const unsigned      dim = m.dimension();
          std::vector<double> residual;
          for (const double tol : {1e-6, 1e-10})
            {
              const auto r  = dim == 3
                                ? run<3>(m, bc, C, eps, MPI_COMM_WORLD, tol)
                                : run<2>(m, bc, C, eps, MPI_COMM_WORLD, tol);
              const auto Cd = rve_test::reduce(Physics::elasticity, dim, C);
              const auto s  = eigenstresses(C, eps, dim);
              const Vector<double> expected
                = levin(r.elastic.effective,
                        Cd[0],
                        Cd[1],
                        reduced_strain(Cd[0], s[0]),
                        reduced_strain(Cd[1], s[1]));
              residual.push_back(
                relative_difference(r.swelling.swelling_strain, expected));
            }
          // Residual at tol = 1e-10 below 1e-7, and well below that at 1e-6
          // (it is the solver's, not the discretisation's).
          EXPECT_LT(residual[1], 1e-7) << name << " " << bc;
          EXPECT_LT(residual[1], 1e-2 * residual[0] + 1e-12)
            << name << " " << bc;
          if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
            std::cout << "Levin " << name << " " << bc << " (" << dim
                      << "D): residual " << residual[0] << " at tol 1e-6, "
                      << residual[1] << " at tol 1e-10" << std::endl;
        }
}

TEST(Swelling, ResidualEnergyOrdersTheConditions)
{
  // The admissible fields grow from kubc to periodic to minimal kinematic
  // (tubc), so the energy left in the freely swollen cell,
  // min over E of <(eps - eps*) : C (eps - eps*)>, can only fall.
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(5e9, 0.3), rve_test::isotropic(50e9, 0.25)};
  const std::vector<Vector<double>> eps
    = {isotropic_strain(0.), mandel(0.03, 0.01, 0.02, 0, 0, 0.005)};
  const auto          m = random_two_phase(3, 8, 0.3);
  std::vector<double> W;
  for (const std::string bc : {"tubc", "periodic", "kubc"})
    {
      const auto r = run<3>(m, bc, C, eps);
      W.push_back(r.swelling.residual_energy);
      EXPECT_GT(r.swelling.residual_energy, 0.) << bc;
      EXPECT_LE(r.swelling.residual_energy, r.swelling.energy * (1 + exact))
        << bc;
      EXPECT_LT(r.swelling.hill_mandel, 1e-8) << bc;
    }
  EXPECT_LE(W[0], W[1] * (1 + exact));
  EXPECT_LE(W[1], W[2] * (1 + exact));
}

TEST(Swelling, NothingSwellsGivesZerosWithoutASolve)
{
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(5e9, 0.3), rve_test::isotropic(50e9, 0.25)};
  const auto m = random_two_phase(3, 6, 0.3);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      // no eigenstrain, and a zero one
      for (const auto &eps : std::vector<std::vector<Vector<double>>>{
             {Vector<double>(), Vector<double>()},
             {isotropic_strain(0.), Vector<double>()}})
        {
          const auto r = run<3>(m, bc, C, eps);
          EXPECT_FALSE(r.swelling.solved) << bc;
          EXPECT_EQ(r.swelling.iterations, 0u);
          EXPECT_EQ(r.swelling.eigenstress.size(), 6u);
          EXPECT_EQ(r.swelling.eigenstress.linfty_norm(), 0.);
          EXPECT_EQ(r.swelling.swelling_strain.linfty_norm(), 0.);
        }
    }
  // A phase that carries no load does not swell.
  PhaseLaws laws;
  laws.names       = {"solid", "pore"};
  laws.stiffness   = {C[0], FullMatrix<double>()};
  laws.eigenstrain = {Vector<double>(), isotropic_strain(0.1)};
  EXPECT_FALSE(laws.swells(0));
  EXPECT_FALSE(laws.swells(1));
  EXPECT_EQ(laws.eigenstresses(3)[1].size(), 0u);
}

namespace
{
  /// Writes an isotropic elastic card with a swelling block into @p dir.
  std::string
  write_card(const std::filesystem::path &dir,
             const std::string           &name,
             const double                 E_GPa,
             const double                 nu,
             const nlohmann::json        &swelling,
             const nlohmann::json        &euler = nullptr)
  {
    nlohmann::json card = {{"name", name},
                           {"elastic",
                            {{"symmetry", "isotropic"},
                             {"units", "GPa"},
                             {"E", E_GPa},
                             {"nu", nu}}}};
    if (!euler.is_null())
      card["elastic"]["euler_angles_deg"] = euler;
    if (!swelling.is_null())
      card["swelling"] = swelling;
    const auto path = dir / (name + ".json");
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      io::write_json(path, card);
    MPI_Barrier(MPI_COMM_WORLD);
    return path.string();
  }

  /// A 3D centred sphere of the second card in the first, elasticity only.
  RveParameters
  sphere(const std::vector<std::string> &cards, const std::string &bc)
  {
    RveParameters p;
    p.dimension                      = 3;
    p.microstructure.generator       = "sphere";
    p.microstructure.voxels_per_side = 8;
    p.microstructure.volume_fraction = 0.2;
    p.phase_cards                    = cards;
    p.lithiation                     = 0.5;
    p.elasticity                     = true;
    p.conduction                     = false;
    p.boundary_conditions            = bc;
    p.tolerance                      = 1e-10;
    p.write_fields                   = false;
    p.deterministic                  = true;
    return p;
  }

  std::vector<double>
  numbers(const nlohmann::json &j)
  {
    return j.get<std::vector<double>>();
  }
} // namespace

TEST(Swelling, CardsThroughThePipeline)
{
  const auto dir = test_support::scratch_directory("rve_swelling_cards");
  const nlohmann::json eps1
    = {{0.04, 0.01, 0.0}, {0.01, 0.02, 0.0}, {0.0, 0.0, -0.01}};
  const auto matrix   = write_card(dir, "matrix", 10, 0.3, nullptr);
  const auto particle = write_card(
    dir, "particle", 80, 0.25, {{"strain_at_full_lithiation", eps1}});
  // The same crystal turned by 90 degrees about z: x and y swap, eps_12
  // changes sign.
  const auto turned = write_card(
    dir, "turned", 80, 0.25, {{"strain_at_full_lithiation", eps1}}, {90, 0, 0});
  // Only the diagonal: the cubic symmetry of the centred sphere leaves the
  // result diagonal.
  const auto diagonal
    = write_card(dir,
                 "diagonal",
                 80,
                 0.25,
                 {{"strain_at_full_lithiation",
                   {{0.04, 0.0, 0.0}, {0.0, 0.02, 0.0}, {0.0, 0.0, -0.01}}}});

  std::ostringstream log;
  const auto result = [&](const std::string &card, const std::string &bc) {
    const RveInput input = prepare_input(sphere({matrix, card}, bc), "t.prm");
    return run_homogenization(input, MPI_COMM_WORLD, log);
  };
  const nlohmann::json all = result(particle, "all");
  const nlohmann::json rot = result(turned, "all");
  const nlohmann::json dia = result(diagonal, "all");
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto tau = numbers(all[bc].at("eigenstress_voigt_Pa"));
      const auto sw  = numbers(all[bc].at("swelling_strain_voigt"));
      ASSERT_EQ(tau.size(), 6u);
      ASSERT_EQ(sw.size(), 6u);
      EXPECT_EQ(all[bc].at("lithiation").get<double>(), 0.5);
      EXPECT_TRUE(all[bc].at("solver").contains("swelling")) << bc;

      // Voigt conventions: tau = -C_voigt eps*_voigt (engineering shear).
      const auto Cv = all[bc].at("stiffness_voigt_Pa");
      for (unsigned i = 0; i < 6; ++i)
        {
          double c = 0;
          for (unsigned j = 0; j < 6; ++j)
            c -= Cv[i][j].get<double>() * sw[j];
          EXPECT_NEAR(tau[i], c, 1e-8 * std::abs(tau[0])) << bc << " " << i;
        }
      // Swelling particles expand the cell (x = 0.5 of eps1), less than the
      // particle itself, more where the particle swells more; shear follows
      // eps_12 > 0 (engineering: 2 eps_12).
      EXPECT_GT(sw[0], sw[1]) << bc;
      EXPECT_GT(sw[1], sw[2]) << bc;
      EXPECT_GT(sw[1], 0.) << bc;
      EXPECT_LT(sw[0], 0.5 * 0.04) << bc;
      EXPECT_GT(sw[5], 0.) << bc;
      EXPECT_LT(std::abs(sw[3]), 1e-8 * sw[0]) << bc;
      EXPECT_LT(std::abs(sw[4]), 1e-8 * sw[0]) << bc;

      // The turned card gives the turned result.
      const auto tr = numbers(rot[bc].at("swelling_strain_voigt"));
      const auto tt = numbers(rot[bc].at("eigenstress_voigt_Pa"));
      const std::array<unsigned, 6> perm{{1, 0, 2, 4, 3, 5}};
      const std::array<double, 6>   sign{{1, 1, 1, 1, 1, -1}};
      for (unsigned i = 0; i < 6; ++i)
        {
          EXPECT_NEAR(tr[i], sign[i] * sw[perm[i]], 1e-8 * sw[0])
            << bc << " " << i;
          EXPECT_NEAR(tt[i], sign[i] * tau[perm[i]], 1e-8 * std::abs(tau[0]))
            << bc << " " << i;
        }
      // The cubic geometry keeps a diagonal eigenstrain diagonal.
      const auto ds = numbers(dia[bc].at("swelling_strain_voigt"));
      const auto dt = numbers(dia[bc].at("eigenstress_voigt_Pa"));
      for (unsigned i = 3; i < 6; ++i)
        {
          EXPECT_LT(std::abs(ds[i]), 1e-8 * ds[0]) << bc << " " << i;
          EXPECT_LT(std::abs(dt[i]), 1e-8 * std::abs(dt[0])) << bc << " " << i;
        }
      // Shear eigenstrain does not change the normal components here.
      for (unsigned i = 0; i < 3; ++i)
        EXPECT_NEAR(ds[i], sw[i], 1e-8 * sw[0]) << bc << " " << i;
    }
  EXPECT_TRUE(all.at("phases")[1].at("swells").get<bool>());
  EXPECT_FALSE(all.at("phases")[0].at("swells").get<bool>());

  // Nothing swells at x = 0: zeros, no swelling solve reported.
  RveParameters p0 = sphere({matrix, particle}, "periodic");
  p0.lithiation    = 0.;
  const auto zero
    = run_homogenization(prepare_input(p0, "t.prm"), MPI_COMM_WORLD, log);
  EXPECT_EQ(numbers(zero.at("swelling_strain_voigt")),
            std::vector<double>(6, 0.));
  EXPECT_EQ(numbers(zero.at("eigenstress_voigt_Pa")),
            std::vector<double>(6, 0.));
  EXPECT_FALSE(zero.at("solver").contains("swelling"));
}

TEST(Swelling, PartialMolarVolumeNeedsTheMaximumConcentration)
{
  const auto dir  = test_support::scratch_directory("rve_swelling_bad");
  const auto card = write_card(
    dir, "omega", 80, 0.25, {{"partial_molar_volume_m3_per_mol", 3e-6}});
  try
    {
      read_phase_laws({card}, 298.15, 0.5, "ionic", "t.prm");
      ADD_FAILURE() << "a partial molar volume without c_max was accepted";
    }
  catch (const InputError &e)
    {
      const std::string what = e.what();
      for (const char *fragment :
           {"omega.json",
            "swelling/partial_molar_volume_m3_per_mol",
            "thermodynamics/max_concentration_mol_per_m3"})
        EXPECT_NE(what.find(fragment), std::string::npos) << what;
    }
}

TEST(Swelling, ResultsDoNotDependOnThePartition)
{
  // The same cell on all ranks and on each rank alone.
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(5e9, 0.3), rve_test::triclinic(20e9, 2.)};
  const std::vector<Vector<double>> eps
    = {isotropic_strain(0.005), mandel(0.03, 0.01, -0.02, 0.004, 0, 0.002)};
  const auto m = random_two_phase(3, 8, 0.4);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto all  = run<3>(m, bc, C, eps, MPI_COMM_WORLD);
      const auto self = run<3>(m, bc, C, eps, MPI_COMM_SELF);
      EXPECT_LT(relative_difference(all.swelling.eigenstress,
                                    self.swelling.eigenstress),
                exact)
        << bc;
      EXPECT_LT(relative_difference(all.swelling.swelling_strain,
                                    self.swelling.swelling_strain),
                exact)
        << bc;
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::cout << bc << ": swelling " << all.swelling.iterations
                  << " iterations in " << all.swelling.solve_time
                  << " s; elasticity " << all.elastic.iterations.size()
                  << " load cases, " << all.elastic.max_iterations()
                  << " iterations in " << all.elastic.solve_time
                  << " s, set-up " << all.elastic.setup_time << " s"
                  << std::endl;
    }
}
