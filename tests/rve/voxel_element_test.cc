// The voxel element against deal.II's own assembly, and the algebra the
// multigrid hierarchy rests on.
//
// Tolerances: every quantity is a sum of at most a few hundred products of
// O(1) numbers (entries scaled by the largest entry), so round-off stays
// below 1e-13 relative; 1e-12 leaves a margin. Any wrong factor (sqrt 2 in
// the Mandel shear, a missing Jacobian, a wrong vertex order) is O(1).

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>

#include <scalebridge/rve/voxel_element.h>

#include <gtest/gtest.h>

#include "rve_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::rve;
using dealii::FullMatrix;

namespace
{
  constexpr double tolerance = 1e-12;

  /// Mandel strain (or gradient) of shape function i at quadrature point q.
  template <int dim>
  dealii::Vector<double>
  strain_of(const dealii::FEValues<dim> &fe_values,
            const Physics                physics,
            const unsigned               i,
            const unsigned               q)
  {
    dealii::Vector<double> e(n_strains(physics, dim));
    if (physics == Physics::conduction)
      {
        const auto g = fe_values.shape_grad(i, q);
        for (unsigned d = 0; d < dim; ++d)
          e[d] = g[d];
        return e;
      }
    const unsigned c = fe_values.get_fe().system_to_component_index(i).first;
    const auto     g = fe_values.shape_grad_component(i, q, c);
    // eps_ab = (delta_ac g_b + delta_bc g_a) / 2, in Mandel form
    double eps[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    for (unsigned b = 0; b < dim; ++b)
      {
        eps[c][b] += 0.5 * g[b];
        eps[b][c] += 0.5 * g[b];
      }
    const double s = std::sqrt(2.);
    if (dim == 3)
      {
        e[0] = eps[0][0];
        e[1] = eps[1][1];
        e[2] = eps[2][2];
        e[3] = s * eps[1][2];
        e[4] = s * eps[0][2];
        e[5] = s * eps[0][1];
      }
    else
      {
        e[0] = eps[0][0];
        e[1] = eps[1][1];
        e[2] = s * eps[0][1];
      }
    return e;
  }

  /// K_ij = int eps_i . D eps_j assembled by deal.II on one box cell.
  template <int dim>
  FullMatrix<double>
  deal_ii_element(const Physics                physics,
                  const std::array<double, 3> &h,
                  const FullMatrix<double>    &law)
  {
    dealii::Triangulation<dim> tria;
    dealii::Point<dim>         p1;
    for (unsigned d = 0; d < dim; ++d)
      p1[d] = h[d];
    dealii::GridGenerator::hyper_rectangle(tria, dealii::Point<dim>(), p1);
    dealii::FESystem<dim> fe(dealii::FE_Q<dim>(1), n_components(physics, dim));
    dealii::QGauss<dim>   quadrature(2);
    dealii::FEValues<dim> fe_values(
      fe, quadrature, dealii::update_gradients | dealii::update_JxW_values);
    fe_values.reinit(tria.begin_active());
    const unsigned     n = fe.n_dofs_per_cell();
    FullMatrix<double> K(n, n);
    for (unsigned q = 0; q < quadrature.size(); ++q)
      for (unsigned i = 0; i < n; ++i)
        {
          const auto ei = strain_of(fe_values, physics, i, q);
          for (unsigned j = 0; j < n; ++j)
            K(i, j)
              += law.matrix_scalar_product(ei,
                                           strain_of(fe_values, physics, j, q))
                 * fe_values.JxW(q);
        }
    return K;
  }

  template <int dim>
  void
  check_against_deal_ii(const Physics physics, const FullMatrix<double> &law3)
  {
    const std::array<double, 3> h{{0.3, 0.7, 1.1}};
    const auto                  law = reduce_to_dimension(physics, dim, law3);
    const VoxelElement          element(physics, dim, h);
    const auto                  K   = element.stiffness(law);
    const auto                  ref = deal_ii_element<dim>(physics, h, law);
    EXPECT_LT(rve_test::relative_difference(K, ref), tolerance)
      << to_string(physics) << " dim " << dim;
  }
} // namespace

TEST(VoxelElement, StiffnessMatchesDealIIAssembly)
{
  check_against_deal_ii<2>(Physics::elasticity, rve_test::triclinic());
  check_against_deal_ii<3>(Physics::elasticity, rve_test::triclinic());
  check_against_deal_ii<2>(Physics::conduction,
                           rve_test::anisotropic_conductivity());
  check_against_deal_ii<3>(Physics::conduction,
                           rve_test::anisotropic_conductivity());
}

TEST(VoxelElement, AffineFieldHasUnitStrainAndRigidModesNoEnergy)
{
  for (const unsigned dim : {2u, 3u})
    for (const Physics physics : {Physics::elasticity, Physics::conduction})
      {
        const VoxelElement     element(physics, dim, {{0.5, 0.25, 2.}});
        const unsigned         ns = element.n_strains();
        dealii::Vector<double> strain(ns);
        for (unsigned j = 0; j < ns; ++j)
          {
            element.centre_strain().vmult(strain, element.affine_field(j));
            for (unsigned m = 0; m < ns; ++m)
              EXPECT_NEAR(strain[m], m == j ? 1. : 0., tolerance);
          }
        // translations (constants) are free of energy
        const auto law
          = physics == Physics::elasticity
              ? reduce_to_dimension(physics, dim, rve_test::triclinic(1.))
              : reduce_to_dimension(physics,
                                    dim,
                                    rve_test::anisotropic_conductivity());
        const auto     K     = element.stiffness(law);
        const unsigned ncomp = n_components(physics, dim);
        for (unsigned c = 0; c < ncomp; ++c)
          {
            dealii::Vector<double> t(element.n_dofs()), Kt(element.n_dofs());
            for (unsigned v = 0; v < (1u << dim); ++v)
              t[v * ncomp + c] = 1.;
            K.vmult(Kt, t);
            EXPECT_LT(Kt.linfty_norm(), tolerance * K.linfty_norm());
          }
      }
}

TEST(VoxelElement, GalerkinProductOfUniformChildrenIsTheCoarseElement)
{
  // Nested Q1 spaces and a constant law: sum_c P_c^T K(h) P_c = K(2h).
  for (const unsigned dim : {2u, 3u})
    for (const Physics physics : {Physics::elasticity, Physics::conduction})
      {
        const std::array<double, 3> h{{0.5, 0.25, 2.}}, H{{1., 0.5, 4.}};
        const auto                  law
          = physics == Physics::elasticity
              ? reduce_to_dimension(physics, dim, rve_test::triclinic(1.))
              : reduce_to_dimension(physics,
                                    dim,
                                    rve_test::anisotropic_conductivity());
        const auto          Kf = VoxelElement(physics, dim, h).stiffness(law);
        const auto          Kc = VoxelElement(physics, dim, H).stiffness(law);
        const unsigned      nd = Kf.m();
        std::vector<double> flat(nd * nd), sum(nd * nd, 0.);
        for (unsigned i = 0; i < nd; ++i)
          for (unsigned j = 0; j < nd; ++j)
            flat[i * nd + j] = Kf(i, j);
        for (unsigned child = 0; child < (1u << dim); ++child)
          add_galerkin_product(
            dim, n_components(physics, dim), child, flat.data(), sum.data());
        FullMatrix<double> G(nd, nd);
        for (unsigned i = 0; i < nd; ++i)
          for (unsigned j = 0; j < nd; ++j)
            G(i, j) = sum[i * nd + j];
        EXPECT_LT(rve_test::relative_difference(G, Kc), tolerance)
          << to_string(physics) << " dim " << dim;
      }
}
