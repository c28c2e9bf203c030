// Which clusters take part in a cell problem, and their zero-energy modes.
//
// The modes are checked against the operator itself: A n must vanish for
// every computed mode n (to round-off, 1e-12 relative to |A| |n|), and the
// number of modes must be what the mechanics of the configuration says
// (translations, rotations of clusters that wrap in one direction only,
// hinges between clusters), for Q1 and Q2 elements alike.

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/level_matrices.h>
#include <scalebridge/rve/level_operator.h>
#include <scalebridge/rve/null_space.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <gtest/gtest.h>

#include "rve_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::rve;
using rve_test::Microstructure;

namespace
{
  struct Setup
  {
    std::unique_ptr<VoxelMesh<3>>  mesh;
    std::unique_ptr<ActiveDomain>  domain;
    std::unique_ptr<LevelMatrices> matrices;
  };

  /// Phase 0 is solid (or conducting), phase 1 is void.
  Setup
  analyse(const Microstructure         &micro,
          const Physics                 physics,
          const ActiveDomain::Anchoring anchoring,
          const bool                    periodic,
          const unsigned                degree)
  {
    Setup s;
    s.mesh = std::make_unique<VoxelMesh<3>>(MPI_COMM_SELF, micro, 0, degree);
    const auto                             &h = s.mesh->hierarchy(periodic);
    std::vector<dealii::FullMatrix<double>> laws(2);
    laws[0]    = physics == Physics::elasticity
                   ? rve_test::triclinic(1.)
                   : rve_test::anisotropic_conductivity();
    s.domain   = std::make_unique<ActiveDomain>(physics,
                                              h.finest().geometry,
                                              s.mesh->cell_phase(),
                                              std::vector<bool>{true, false},
                                              anchoring,
                                              true);
    s.matrices = std::make_unique<LevelMatrices>(
      physics, h, *s.domain, s.mesh->cell_phase(), laws);
    return s;
  }

  /// max over modes of |A n| / (|A| |n|), |A| the largest diagonal entry.
  double
  mode_residual(const Setup &s, const Physics physics, const bool periodic)
  {
    const auto    &h     = s.mesh->hierarchy(periodic);
    const auto    &fine  = h.finest();
    const unsigned ncomp = n_components(physics, 3);
    const auto    &Z     = s.domain->null_space();
    const unsigned m     = Z.n();
    if (m == 0)
      return 0.;
    LevelOperator<double> A(fine, *s.matrices, h.n_levels() - 1, ncomp, {});
    MultiVector<double>   n, An;
    n.reinit(fine, ncomp, m);
    An.reinit(fine, ncomp, m);
    for (unsigned i = 0; i < fine.n_owned_nodes(); ++i)
      {
        const auto node           = fine.owned_nodes[i];
        const auto [first, count] = s.domain->node_generators(node);
        for (unsigned g = first; g < first + count; ++g)
          for (unsigned c = 0; c < ncomp; ++c)
            for (unsigned t = 0; t < m; ++t)
              n.data.local_element((i * ncomp + c) * m + t)
                += Z(g, t) * s.domain->generator_value(g, node, c);
      }
    A.vmult(An, n);
    double max_diag = 0;
    for (const double d : A.diagonal())
      max_diag = std::max(max_diag, d);
    const auto nn    = n.norms();
    const auto ann   = An.norms();
    double     worst = 0;
    for (unsigned t = 0; t < m; ++t)
      worst = std::max(worst, ann[t] / (max_diag * nn[t]));
    return worst;
  }

  /// The element degree of a test.
  class ActiveDomainTest : public ::testing::TestWithParam<unsigned>
  {
  };
} // namespace

INSTANTIATE_TEST_SUITE_P(Degree, ActiveDomainTest, ::testing::Values(1u, 2u));

TEST_P(ActiveDomainTest, PeriodicIslandsAreRemovedAndTranslationsRemain)
{
  // Solid matrix with a void shell around a solid island.
  const auto micro = rve_test::make_microstructure(
    3, 8, [](unsigned i, unsigned j, unsigned k) {
      const bool shell
        = i >= 2 && i <= 5 && j >= 2 && j <= 5 && k >= 2 && k <= 5;
      const bool island
        = i >= 3 && i <= 4 && j >= 3 && j <= 4 && k >= 3 && k <= 4;
      return shell && !island ? 1u : 0u;
    });
  for (const Physics physics : {Physics::elasticity, Physics::conduction})
    {
      const auto s = analyse(
        micro, physics, ActiveDomain::Anchoring::wraps, true, GetParam());
      EXPECT_EQ(s.domain->n_removed_cells(), 8u);
      EXPECT_EQ(s.domain->n_active_cells(), 512u - 64u);
      EXPECT_EQ(s.domain->n_kept_clusters(), 1u);
      EXPECT_EQ(s.domain->null_space_dimension(),
                physics == Physics::elasticity ? 3u : 1u);
      EXPECT_LT(mode_residual(s, physics, true), 1e-12);
    }
}

TEST_P(ActiveDomainTest, FibreRotatesAboutItsAxis)
{
  // One fibre along x in void: 3 translations and the rotation about x.
  const auto micro
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned j, unsigned k) {
        return (j >= 3 && j <= 4 && k >= 3 && k <= 4) ? 0u : 1u;
      });
  const auto s = analyse(micro,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  EXPECT_EQ(s.domain->null_space_dimension(), 4u);
  EXPECT_LT(mode_residual(s, Physics::elasticity, true), 1e-12);
}

TEST_P(ActiveDomainTest, FibresHingedAlongAnEdgeKeepTheHingeMode)
{
  // Two fibres along x touching along one edge line: each has 4 modes, the
  // shared line removes their 3 relative translations, the relative rotation
  // about the line stays: 5 modes.
  const auto micro
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned j, unsigned k) {
        const bool a = j >= 1 && j <= 2 && k >= 1 && k <= 2;
        const bool b = j >= 3 && j <= 4 && k >= 3 && k <= 4;
        return (a || b) ? 0u : 1u;
      });
  const auto s = analyse(micro,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  EXPECT_EQ(s.domain->n_kept_clusters(), 2u);
  EXPECT_EQ(s.domain->null_space_dimension(), 5u);
  EXPECT_LT(mode_residual(s, Physics::elasticity, true), 1e-12);

  // For conduction the two fibres touch, so they share one constant.
  const auto c = analyse(micro,
                         Physics::conduction,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  EXPECT_EQ(c.domain->null_space_dimension(), 1u);
  EXPECT_LT(mode_residual(c, Physics::conduction, true), 1e-12);
}

TEST_P(ActiveDomainTest, SeparateLayersTranslateIndependently)
{
  // Two solid plates normal to z separated by void: 3 translations each.
  const auto micro
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned, unsigned k) {
        return (k == 1 || k == 2 || k == 5) ? 0u : 1u;
      });
  const auto s = analyse(micro,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  EXPECT_EQ(s.domain->n_kept_clusters(), 2u);
  EXPECT_EQ(s.domain->null_space_dimension(), 6u);
  EXPECT_LT(mode_residual(s, Physics::elasticity, true), 1e-12);
}

TEST_P(ActiveDomainTest, EdgeContactsDoNotAnchor)
{
  // A slab k in {0,1} (wraps in x and y), a post on it at i = 2, k = 2 that
  // touches it by faces, and a block i, k in {3,4} that touches the post only
  // along the edge x = 3, z = 3: the block hangs on a hinge and is removed.
  const auto hinged = rve_test::make_microstructure(
    3, 8, [](unsigned i, unsigned j, unsigned k) {
      const bool slab = k <= 1;
      const bool post = i == 2 && j >= 3 && j <= 4 && k == 2;
      const bool block
        = i >= 3 && i <= 4 && j >= 3 && j <= 4 && k >= 3 && k <= 4;
      return (slab || post || block) ? 0u : 1u;
    });
  const auto s = analyse(hinged,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  EXPECT_EQ(s.domain->n_removed_cells(), 8u);
  EXPECT_EQ(s.domain->n_active_cells(), 128u + 2u);
  EXPECT_EQ(s.domain->null_space_dimension(), 3u);
  EXPECT_LT(mode_residual(s, Physics::elasticity, true), 1e-12);
}

TEST_P(ActiveDomainTest, BoundaryAnchoring)
{
  // A block with a face on x = 0 and an interior island: for kubc and tubc
  // the island receives no load and is removed; the block is kept with its
  // six rigid modes (which kubc clamps and tubc must remove).
  const auto micro = rve_test::make_microstructure(
    3, 8, [](unsigned i, unsigned j, unsigned k) {
      const bool block = i <= 1 && j >= 2 && j <= 5 && k >= 2 && k <= 5;
      const bool island
        = i >= 4 && i <= 5 && j >= 3 && j <= 4 && k >= 3 && k <= 4;
      return (block || island) ? 0u : 1u;
    });
  const auto s = analyse(micro,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::boundary_face,
                         false,
                         GetParam());
  EXPECT_EQ(s.domain->n_active_cells(), 32u);
  EXPECT_EQ(s.domain->n_removed_cells(), 8u);
  EXPECT_EQ(s.domain->null_space_dimension(), 6u);
  EXPECT_LT(mode_residual(s, Physics::elasticity, false), 1e-12);
  // every boundary node but the (4p + 1)^2 nodes of the block's face is
  // free (the block lies inside the cell in y and z)
  const unsigned p = GetParam(), n = 8 * p + 1, face = 4 * p + 1;
  const unsigned n_boundary = n * n * n - (n - 2) * (n - 2) * (n - 2);
  EXPECT_EQ(s.domain->free_boundary_nodes().size(), n_boundary - face * face);
}

TEST_P(ActiveDomainTest, ProjectionRemovesEveryMode)
{
  const auto micro
    = rve_test::make_microstructure(3, 8, [](unsigned, unsigned j, unsigned k) {
        const bool a = j >= 1 && j <= 2 && k >= 1 && k <= 2;
        const bool b = j >= 3 && j <= 4 && k >= 3 && k <= 4;
        return (a || b) ? 0u : 1u;
      });
  const auto          s    = analyse(micro,
                         Physics::elasticity,
                         ActiveDomain::Anchoring::wraps,
                         true,
                         GetParam());
  const auto         &fine = s.mesh->hierarchy(true).finest();
  NullSpaceProjection project(*s.domain, fine, 3);
  MultiVector<double> v;
  v.reinit(fine, 3, 2);
  for (unsigned i = 0; i < v.locally_owned_size(); ++i)
    v.data.local_element(i) = std::cos(0.37 * i) + (i % 3 == 1 ? 2. : 0.);
  EXPECT_GT(project.mode_content(v)[0], 1e-3);
  project(v);
  for (const double c : project.mode_content(v))
    EXPECT_LT(c, 1e-13);
}
