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
#include <deal.II/fe/fe_tools.h>
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

  /**
   * K_ij = int eps_i . D eps_j assembled by deal.II's FESystem of FE_Q on
   * one box cell (one more Gauss point per direction than needed), with
   * its dofs renumbered to the voxel element's order: lexicographic nodes,
   * the components of a node together.
   */
  template <int dim>
  FullMatrix<double>
  deal_ii_element(const Physics                physics,
                  const std::array<double, 3> &h,
                  const FullMatrix<double>    &law,
                  const unsigned               degree)
  {
    dealii::Triangulation<dim> tria;
    dealii::Point<dim>         p1;
    for (unsigned d = 0; d < dim; ++d)
      p1[d] = h[d];
    dealii::GridGenerator::hyper_rectangle(tria, dealii::Point<dim>(), p1);
    const unsigned        ncomp = n_components(physics, dim);
    dealii::FESystem<dim> fe(dealii::FE_Q<dim>(degree), ncomp);
    dealii::QGauss<dim>   quadrature(degree + 2);
    dealii::FEValues<dim> fe_values(
      fe, quadrature, dealii::update_gradients | dealii::update_JxW_values);
    fe_values.reinit(tria.begin_active());
    const unsigned n = fe.n_dofs_per_cell();
    const auto     lexicographic
      = dealii::FETools::hierarchic_to_lexicographic_numbering<dim>(degree);
    std::vector<unsigned> ours(n);
    for (unsigned i = 0; i < n; ++i)
      {
        const auto [c, base] = fe.system_to_component_index(i);
        ours[i]              = lexicographic[base] * ncomp + c;
      }
    FullMatrix<double> K(n, n);
    for (unsigned q = 0; q < quadrature.size(); ++q)
      for (unsigned i = 0; i < n; ++i)
        {
          const auto ei = strain_of(fe_values, physics, i, q);
          for (unsigned j = 0; j < n; ++j)
            K(ours[i], ours[j])
              += law.matrix_scalar_product(ei,
                                           strain_of(fe_values, physics, j, q))
                 * fe_values.JxW(q);
        }
    return K;
  }

  template <int dim>
  void
  check_against_deal_ii(const Physics             physics,
                        const FullMatrix<double> &law3,
                        const unsigned            degree)
  {
    const std::array<double, 3> h{{0.3, 0.7, 1.1}};
    const auto                  law = reduce_to_dimension(physics, dim, law3);
    const VoxelElement          element(physics, dim, h, degree);
    const auto                  K = element.stiffness(law);
    const auto ref = deal_ii_element<dim>(physics, h, law, degree);
    EXPECT_LT(rve_test::relative_difference(K, ref), tolerance)
      << to_string(physics) << " dim " << dim << " degree " << degree;
  }

  FullMatrix<double>
  some_law(const Physics physics, const unsigned dim)
  {
    return physics == Physics::elasticity
             ? reduce_to_dimension(physics, dim, rve_test::triclinic(1.))
             : reduce_to_dimension(physics,
                                   dim,
                                   rve_test::anisotropic_conductivity());
  }
} // namespace

TEST(VoxelElement, StiffnessMatchesDealIIAssembly)
{
  for (const unsigned degree : {1u, 2u})
    {
      check_against_deal_ii<2>(Physics::elasticity,
                               rve_test::triclinic(),
                               degree);
      check_against_deal_ii<3>(Physics::elasticity,
                               rve_test::triclinic(),
                               degree);
      check_against_deal_ii<2>(Physics::conduction,
                               rve_test::anisotropic_conductivity(),
                               degree);
      check_against_deal_ii<3>(Physics::conduction,
                               rve_test::anisotropic_conductivity(),
                               degree);
    }
}

TEST(VoxelElement, AffineFieldHasUnitStrainAndRigidModesNoEnergy)
{
  for (const unsigned degree : {1u, 2u})
    for (const unsigned dim : {2u, 3u})
      for (const Physics physics : {Physics::elasticity, Physics::conduction})
        {
          const VoxelElement element(physics, dim, {{0.5, 0.25, 2.}}, degree);
          const unsigned     ns = element.n_strains();
          dealii::Vector<double> strain(ns);
          // the strain is uniform: check it at the centre and a corner
          for (const double xi : {0.5, 0.})
            for (unsigned j = 0; j < ns; ++j)
              {
                element.strain_operator({{xi, xi, xi}})
                  .vmult(strain, element.affine_field(j));
                for (unsigned m = 0; m < ns; ++m)
                  EXPECT_NEAR(strain[m], m == j ? 1. : 0., tolerance);
              }
          // translations (constants) are free of energy
          const auto     K     = element.stiffness(some_law(physics, dim));
          const unsigned ncomp = n_components(physics, dim);
          for (unsigned c = 0; c < ncomp; ++c)
            {
              dealii::Vector<double> t(element.n_dofs()), Kt(element.n_dofs());
              for (unsigned v = 0; v < element.n_nodes(); ++v)
                t[v * ncomp + c] = 1.;
              K.vmult(Kt, t);
              EXPECT_LT(Kt.linfty_norm(), tolerance * K.linfty_norm());
            }
        }
}

TEST(VoxelElement, Q1IsTheGalerkinCoarseSpaceOfQ2)
{
  // Q1 is a subspace of Q2 on the same cell: with P the nodal
  // interpolation of the Q1 functions at the Q2 nodes, P^T K_Q2 P = K_Q1.
  // This is what the p-coarsening step of the multigrid hierarchy uses.
  for (const unsigned dim : {2u, 3u})
    for (const Physics physics : {Physics::elasticity, Physics::conduction})
      {
        const std::array<double, 3> h{{0.5, 0.25, 2.}};
        const auto                  law = some_law(physics, dim);
        const VoxelElement q1(physics, dim, h, 1), q2(physics, dim, h, 2);
        const unsigned     ncomp = n_components(physics, dim);
        FullMatrix<double> P(q2.n_dofs(), q1.n_dofs());
        for (unsigned v = 0; v < q2.n_nodes(); ++v)
          for (unsigned V = 0; V < q1.n_nodes(); ++V)
            {
              // Q2 node v sits at (v_d mod 3) / 2 of the cell in direction d
              double value = 1;
              for (unsigned d = 0, a = v, b = V; d < dim; ++d, a /= 3, b /= 2)
                value *= lagrange_value(1, b % 2, 0.5 * (a % 3));
              for (unsigned c = 0; c < ncomp; ++c)
                P(v * ncomp + c, V * ncomp + c) = value;
            }
        FullMatrix<double> KP(q2.n_dofs(), q1.n_dofs()),
          PKP(q1.n_dofs(), q1.n_dofs());
        q2.stiffness(law).mmult(KP, P);
        P.Tmmult(PKP, KP);
        EXPECT_LT(rve_test::relative_difference(PKP, q1.stiffness(law)),
                  tolerance)
          << to_string(physics) << " dim " << dim;
      }
}

TEST(VoxelElement, LagrangeBasis)
{
  // Nodal: phi_a(b / p) = delta_ab; derivatives against central
  // differences; integrals are the closed Newton-Cotes weights.
  for (const unsigned p : {1u, 2u})
    for (unsigned a = 0; a <= p; ++a)
      {
        for (unsigned b = 0; b <= p; ++b)
          EXPECT_NEAR(lagrange_value(p, a, double(b) / p),
                      a == b ? 1. : 0.,
                      tolerance);
        const double x = 0.37, e = 1e-6;
        // central differences of a quadratic are exact up to round-off
        EXPECT_NEAR(lagrange_derivative(p, a, x),
                    (lagrange_value(p, a, x + e) - lagrange_value(p, a, x - e))
                      / (2 * e),
                    1e-8);
      }
  EXPECT_NEAR(lagrange_integral(1, 0), 0.5, tolerance);
  EXPECT_NEAR(lagrange_integral(2, 0), 1. / 6., tolerance);
  EXPECT_NEAR(lagrange_integral(2, 1), 2. / 3., tolerance);
  EXPECT_NEAR(lagrange_integral(2, 2), 1. / 6., tolerance);
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
