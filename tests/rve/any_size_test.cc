// Odd, prime and non-cubic voxel counts keep a full multigrid hierarchy
// (coarse levels of ceil(n/2) cells whose last cell may span one fine cell).
// Run at 1, 2 and 3 ranks.
//
// Truth: the same discretisation solved without h-coarsening, i.e. with a
// one-level hierarchy whose only level is solved by the dense pseudo-inverse
// (a direct solve). Both solves stop at ||r|| <= 1e-10 ||b||; as argued in
// cell_problem_test.cc, for cells this small the volume averages then agree
// to ~1e-9, asserted as 1e-8 of the largest entry. The multigrid only
// changes the preconditioner, never the discrete problem, so any larger
// difference is a wrong coarse operator or transfer (which would make CG
// stall or, with a non-symmetric preconditioner, converge to the wrong
// tensor within the iteration limit).

#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_hierarchy.h>
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

  /// A reproducible random two-phase image of nx x ny x nz voxels.
  Microstructure
  random_image(const unsigned nx,
               const unsigned ny,
               const unsigned nz,
               const double   fraction)
  {
    Microstructure m(3, {{nx, ny, nz}}, {{nx * 1., ny * 1., nz * 1.}});
    for (unsigned k = 0; k < nz; ++k)
      for (unsigned j = 0; j < ny; ++j)
        for (unsigned i = 0; i < nx; ++i)
          {
            const double v
              = std::sin(12.9898 * i + 78.233 * j + 37.719 * k) * 43758.5453;
            m.set_phase(i, j, k, (v - std::floor(v)) < fraction ? 1u : 0u);
          }
    return m;
  }

  struct Solved
  {
    CellProblemResult result;
    unsigned int      levels;
  };

  /// The cell problem with the mesh's natural hierarchy (max_levels = 32),
  /// or with no h-coarsening (one Q1 level, solved densely).
  Solved
  solve(const Microstructure                  &micro,
        const Physics                          physics,
        const std::string                     &bc_name,
        const std::vector<FullMatrix<double>> &laws,
        const bool                             multigrid,
        const unsigned                         degree    = 1,
        const double                           tolerance = 1e-10,
        MPI_Comm                               comm      = MPI_COMM_WORLD)
  {
    VoxelMesh<3>   mesh(comm, micro, 0, degree);
    const auto     bc = create_boundary_condition(bc_name);
    SolverSettings s;
    s.tolerance                           = tolerance;
    s.multigrid.max_dense_coarse_unknowns = 4000;
    const VoxelHierarchy hierarchy(comm,
                                   mesh.grid(bc->periodic_grid()),
                                   mesh.owned_cells(),
                                   2,
                                   multigrid ? 32 : degree);
    CellProblem          problem(physics,
                        *bc,
                        hierarchy,
                        mesh.cell_phase(),
                        rve_test::reduce(physics, 3, laws),
                        s);
    return {problem.solve(), hierarchy.n_levels()};
  }

  const std::vector<FullMatrix<double>> &
  stiffness()
  {
    static const std::vector<FullMatrix<double>> C
      = {rve_test::triclinic(1e9, 0.), rve_test::triclinic(9e9, 2.)};
    return C;
  }

  const std::vector<FullMatrix<double>> &
  conductivities()
  {
    static const std::vector<FullMatrix<double>> k
      = {rve_test::anisotropic_conductivity(1.), rve_test::conductivity(20.)};
    return k;
  }
} // namespace

TEST(AnySize, HierarchyCoarsensOddPrimeAndNonCubicGrids)
{
  // Every level has ceil(n/2) cells of the finer one until a direction
  // would drop below 2 cells; the node count follows the periodicity.
  const int rank    = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
  const int n_ranks = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  struct Case
  {
    std::array<unsigned, 3> n;
    unsigned                levels;
    std::array<unsigned, 3> coarsest;
  };
  for (const Case &c : {Case{{{101, 101, 101}}, 7, {{2, 2, 2}}},
                        Case{{{127, 96, 80}}, 7, {{2, 2, 2}}},
                        Case{{{7, 11, 13}}, 3, {{2, 3, 4}}},
                        Case{{{64, 64, 64}}, 6, {{2, 2, 2}}}})
    for (const bool periodic : {true, false})
      {
        GridGeometry g;
        g.n_cells  = c.n;
        g.periodic = periodic;
        std::vector<std::size_t> owned;
        for (std::size_t i = 0; i < g.n_total_cells(); ++i)
          if (int(i * n_ranks / g.n_total_cells()) == rank)
            owned.push_back(i);
        const VoxelHierarchy h(MPI_COMM_WORLD, g, owned);
        ASSERT_EQ(h.n_levels(), c.levels) << c.n[0] << " " << periodic;
        for (unsigned d = 0; d < 3; ++d)
          EXPECT_EQ(h.level(0).geometry.n_cells[d], c.coarsest[d]);
        for (unsigned l = 0; l + 1 < h.n_levels(); ++l)
          for (unsigned d = 0; d < 3; ++d)
            EXPECT_EQ(h.level(l).geometry.n_cells[d],
                      (h.level(l + 1).geometry.n_cells[d] + 1) / 2);
        for (unsigned l = 0; l < h.n_levels(); ++l)
          {
            const auto &gl = h.level(l).geometry;
            EXPECT_EQ(h.level(l).global_node.size(),
                      std::size_t(gl.n_cells[0] + !periodic)
                        * (gl.n_cells[1] + !periodic)
                        * (gl.n_cells[2] + !periodic));
            EXPECT_EQ(dealii::Utilities::MPI::sum(h.level(l).n_owned_nodes(),
                                                  MPI_COMM_WORLD),
                      h.level(l).global_node.size());
          }
      }
}

TEST(AnySize, OddImagesMatchASolveWithoutCoarsening)
{
  // 5 x 5 x 7 (elasticity; at most 864 unknowns, dense on one level) and
  // 7 x 11 x 13 (conduction, three primes), every boundary condition; Q2 on
  // 3 x 5 x 7 (one Q2 and one Q1 level on the same cells).
  const auto small = random_image(5, 5, 7, 0.3);
  const auto prime = random_image(7, 11, 13, 0.4);
  const auto tiny  = random_image(3, 5, 7, 0.3);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto mg = solve(small, Physics::elasticity, bc, stiffness(), true);
      const auto one
        = solve(small, Physics::elasticity, bc, stiffness(), false);
      EXPECT_EQ(mg.levels, 3u);
      EXPECT_EQ(one.levels, 1u);
      EXPECT_TRUE(mg.result.converged) << bc;
      EXPECT_LT(rve_test::relative_difference(mg.result.effective,
                                              one.result.effective),
                exact)
        << "elasticity " << bc;
      const auto a
        = solve(prime, Physics::conduction, bc, conductivities(), true);
      const auto b
        = solve(prime, Physics::conduction, bc, conductivities(), false);
      EXPECT_EQ(a.levels, 3u);
      EXPECT_LT(rve_test::relative_difference(a.result.effective,
                                              b.result.effective),
                exact)
        << "conduction " << bc;
      const auto q2
        = solve(tiny, Physics::conduction, bc, conductivities(), true, 2);
      const auto q2_one
        = solve(tiny, Physics::conduction, bc, conductivities(), false, 2);
      EXPECT_EQ(q2.levels, 3u);
      EXPECT_EQ(q2_one.levels, 2u);
      EXPECT_LT(rve_test::relative_difference(q2.result.effective,
                                              q2_one.result.effective),
                exact)
        << "Q2 conduction " << bc;
    }
}

TEST(AnySize, OddImagesDoNotDependOnThePartition)
{
  // This rank count against one rank, solved to 1e-12 so that the order of
  // the sums (the only difference) stays below 1e-10 in the tensors; the
  // test runs at 1, 2 and 3 ranks, so 1, 2 and 3 ranks agree.
  const auto m = random_image(7, 11, 13, 0.3);
  for (const std::string bc : {"periodic", "kubc", "tubc"})
    {
      const auto all
        = solve(m, Physics::elasticity, bc, stiffness(), true, 1, 1e-12);
      const auto self = solve(
        m, Physics::elasticity, bc, stiffness(), true, 1, 1e-12, MPI_COMM_SELF);
      EXPECT_LT(rve_test::relative_difference(all.result.effective,
                                              self.result.effective),
                1e-10)
        << bc;
      const auto k_all
        = solve(m, Physics::conduction, bc, conductivities(), true, 1, 1e-12);
      const auto k_self = solve(m,
                                Physics::conduction,
                                bc,
                                conductivities(),
                                true,
                                1,
                                1e-12,
                                MPI_COMM_SELF);
      EXPECT_LT(rve_test::relative_difference(k_all.result.effective,
                                              k_self.result.effective),
                1e-10)
        << bc;
    }
}
