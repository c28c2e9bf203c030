// Macro mechanics against exact solutions: free swelling that is compatible
// (no stress), the clamped and the free-in-plane layered cell in closed form
// for anisotropic stiffness, rank invariance (run at 1, 2 and 3 ranks; each
// 2D/3D case is also solved on MPI_COMM_SELF and compared), and the
// homogenised model of a finely layered strip against its direct
// simulation as the period goes to zero.

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/lac/full_matrix.h>

#include <scalebridge/macro/mechanics_solver.h>

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

using namespace scalebridge;
using namespace scalebridge::macro;
using dealii::SymmetricTensor;
using elasticity::Matrix6;

namespace
{
  /// Region boundaries of the test cell [m]: negative, separator, positive.
  const std::array<double, 4>       x_interfaces = {{0, 60e-6, 80e-6, 150e-6}};
  const std::array<unsigned int, 3> region_cells = {{6, 2, 7}};

  /// An orthotropic stiffness in the cell frame (no normal-shear coupling).
  Matrix6
  orthotropic(const double scale)
  {
    Matrix6      c;
    const double d[6][6] = {{12, 4, 3, 0, 0, 0},
                            {4, 9, 2.5, 0, 0, 0},
                            {3, 2.5, 7, 0, 0, 0},
                            {0, 0, 0, 2.2, 0, 0},
                            {0, 0, 0, 0, 2.6, 0},
                            {0, 0, 0, 0, 0, 3.1}};
    for (unsigned int i = 0; i < 6; ++i)
      for (unsigned int j = 0; j < 6; ++j)
        c[i][j] = scale * 1e9 * d[i][j];
    return elasticity::voigt_to_mandel(c);
  }

  /// A fully anisotropic (triclinic) stiffness: the orthotropic one with
  /// couplings between every normal and shear component.
  Matrix6
  triclinic(const double scale)
  {
    Matrix6 c = elasticity::mandel_to_voigt(orthotropic(scale));
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 3; j < 6; ++j)
        c[i][j] = c[j][i] = scale * 1e9 * 0.3 * (1 + i + 0.5 * j) / 6;
    return elasticity::voigt_to_mandel(c);
  }

  SymmetricTensor<2, 3>
  strain(const std::vector<double> &voigt)
  {
    return strain_from_voigt(voigt);
  }

  /// Per region: stiffness and swelling at x = 1; the swelling scales with
  /// the query's lithiation, NaN outside the electrodes.
  class LayeredProvider : public MechanicalPropertiesProvider
  {
  public:
    std::array<Matrix6, 3>               stiffness;
    std::array<SymmetricTensor<2, 3>, 3> swelling;

    EffectiveMechanics
    evaluate(const MacroPointQuery &q) const override
    {
      EffectiveMechanics m;
      m.stiffness = stiffness[q.region];
      if (!std::isnan(q.lithiation))
        m.swelling = q.lithiation * swelling[q.region];
      return m;
    }
    bool
    stiffness_depends_on_state() const override
    {
      return false;
    }
    std::string
    describe(unsigned int) const override
    {
      return "test";
    }
  };

  template <int dim>
  std::unique_ptr<dealii::Triangulation<dim>>
  make_cell(MPI_Comm comm)
  {
    std::unique_ptr<dealii::Triangulation<dim>> tria;
    if (dim == 1 || comm == MPI_COMM_SELF)
      tria = std::make_unique<dealii::Triangulation<dim>>();
    else
      tria
        = std::make_unique<dealii::parallel::distributed::Triangulation<dim>>(
          comm);
    std::vector<std::vector<double>> steps(dim);
    for (unsigned int r = 0; r < 3; ++r)
      for (unsigned int i = 0; i < region_cells[r]; ++i)
        steps[0].push_back((x_interfaces[r + 1] - x_interfaces[r])
                           / region_cells[r]);
    dealii::Point<dim> p2;
    p2[0] = x_interfaces[3];
    for (unsigned int d = 1; d < dim; ++d)
      {
        steps[d].assign(3, 40e-6 / 3);
        p2[d] = 40e-6;
      }
    dealii::GridGenerator::subdivided_hyper_rectangle(
      *tria, steps, dealii::Point<dim>(), p2, true);
    for (const auto &cell : tria->active_cell_iterators())
      {
        const double x = cell->center()[0];
        cell->set_material_id(x < x_interfaces[1]   ? 0
                              : x < x_interfaces[2] ? 1
                                                    : 2);
      }
    return tria;
  }

  /// One query per locally owned cell: lithiation per region (NaN in the
  /// separator), or from @p field of the position.
  template <int dim>
  std::vector<MacroPointQuery>
  queries(const dealii::Triangulation<dim>              &tria,
          const std::array<double, 3>                   &lithiation,
          const std::function<double(dealii::Point<3>)> &field = {})
  {
    std::vector<MacroPointQuery> q;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          MacroPointQuery query;
          query.region = cell->material_id();
          for (unsigned int d = 0; d < dim; ++d)
            query.position[d] = cell->center()[d];
          query.lithiation = query.region == 1
                               ? std::numeric_limits<double>::quiet_NaN()
                             : field ? field(query.position)
                                     : lithiation[query.region];
          q.push_back(query);
        }
    return q;
  }

  struct Outcome
  {
    MechanicsSnapshot                  snapshot;
    std::vector<SymmetricTensor<2, 3>> stress; // per region, first cell
  };

  template <int dim>
  Outcome
  solve_cell(const LayeredProvider                         &provider,
             const MechanicsParameters                     &parameters,
             const std::array<double, 3>                   &x0,
             const std::array<double, 3>                   &x1,
             MPI_Comm                                       all,
             const std::function<double(dealii::Point<3>)> &field = {})
  {
    // 1D is serial (as in the electrode solver): each process solves it.
    const MPI_Comm       comm = dim == 1 ? MPI_COMM_SELF : all;
    auto                 tria = make_cell<dim>(comm);
    MechanicsSolver<dim> solver(*tria, parameters, provider, comm);
    solver.setup();
    solver.set_reference(queries(*tria, x0));
    Outcome o;
    o.snapshot = solver.solve(queries(*tria, x1, field), 10.);
    o.stress.resize(3);
    for (unsigned int r = 0; r < 3; ++r)
      {
        SymmetricTensor<2, 3> s;
        double                found = 0;
        for (const auto &cell : tria->active_cell_iterators())
          if (cell->is_locally_owned() && cell->material_id() == r)
            {
              s     = solver.cell_stress(cell->active_cell_index());
              found = 1;
              break;
            }
        // The stress of a layered solution is uniform in each region; take
        // it from any process that owns a cell of the region.
        const double n = dealii::Utilities::MPI::sum(found, comm);
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = i; j < 3; ++j)
            s[i][j] = dealii::Utilities::MPI::sum(s[i][j], comm) / n;
        o.stress[r] = s;
      }
    return o;
  }

  MechanicsParameters
  parameters(const std::string &collectors,
             const std::string &in_plane,
             const double       pressure)
  {
    MechanicsParameters p;
    p.enabled        = true;
    p.collectors     = collectors;
    p.in_plane       = in_plane;
    p.stack_pressure = pressure;
    p.tolerance      = 1e-12;
    return p;
  }

  /** @name The layered cell in closed form (Mandel, cell frame) */
  ///@{
  /// Components with an x index (traction on x-planes) and the others.
  const std::array<unsigned int, 3> t_index = {0, 4, 5};
  const std::array<unsigned int, 3> p_index = {1, 2, 3};

  dealii::FullMatrix<double>
  block(const Matrix6                     &c,
        const std::array<unsigned int, 3> &rows,
        const std::array<unsigned int, 3> &cols)
  {
    dealii::FullMatrix<double> m(3, 3);
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        m(i, j) = c[rows[i]][cols[j]];
    return m;
  }

  dealii::Vector<double>
  part(const dealii::Tensor<1, 6> &v, const std::array<unsigned int, 3> &idx)
  {
    dealii::Vector<double> r(3);
    for (unsigned int i = 0; i < 3; ++i)
      r(i) = v[idx[i]];
    return r;
  }

  /**
   * A stack of uniform layers: traction (sigma_xx, sigma_xz, sigma_xy) = t
   * in every layer, in-plane strain E_p common. Strain of layer a:
   * e_t = eps*_t + Ctt^-1 (t - Ctp (E_p - eps*_p)). With free in-plane
   * directions E_p makes sum_a h_a sigma_p,a = 0, i.e. with the Schur
   * complement S_a = Cpp - Cpt Ctt^-1 Ctp:
   * (sum h_a S_a) E_p = sum h_a (S_a eps*_p,a - Cpt Ctt^-1 t).
   * Returns per layer the Mandel strain and stress.
   */
  std::vector<std::pair<dealii::Tensor<1, 6>, dealii::Tensor<1, 6>>>
  layered_solution(const std::array<Matrix6, 3>               &c,
                   const std::array<SymmetricTensor<2, 3>, 3> &eps,
                   const std::array<double, 3>                &h,
                   const double                                pressure,
                   const bool                                  free_in_plane)
  {
    dealii::Vector<double> t(3);
    t(0) = -pressure;
    std::array<dealii::FullMatrix<double>, 3> ctt_inv, s;
    dealii::FullMatrix<double>                sum_s(3, 3);
    dealii::Vector<double>                    sum_rhs(3);
    for (unsigned int a = 0; a < 3; ++a)
      {
        ctt_inv[a] = block(c[a], t_index, t_index);
        ctt_inv[a].gauss_jordan();
        const auto ctp = block(c[a], t_index, p_index);
        const auto cpt = block(c[a], p_index, t_index);
        s[a]           = block(c[a], p_index, p_index);
        dealii::FullMatrix<double> tmp(3, 3), cpt_ctt(3, 3);
        cpt.mmult(cpt_ctt, ctt_inv[a]);
        cpt_ctt.mmult(tmp, ctp);
        s[a].add(-1., tmp);
        sum_s.add(h[a], s[a]);
        dealii::Vector<double> se(3), ct(3);
        s[a].vmult(se, part(to_mandel(eps[a]), p_index));
        cpt_ctt.vmult(ct, t);
        sum_rhs.add(h[a], se);
        sum_rhs.add(-h[a], ct);
      }
    dealii::Vector<double> e_p(3);
    if (free_in_plane)
      {
        sum_s.gauss_jordan();
        sum_s.vmult(e_p, sum_rhs);
      }
    std::vector<std::pair<dealii::Tensor<1, 6>, dealii::Tensor<1, 6>>> out;
    for (unsigned int a = 0; a < 3; ++a)
      {
        const dealii::Tensor<1, 6> m = to_mandel(eps[a]);
        dealii::Vector<double>     d(3), r(3), e_t(3);
        for (unsigned int i = 0; i < 3; ++i)
          d(i) = e_p(i) - m[p_index[i]];
        block(c[a], t_index, p_index).vmult(r, d);
        r *= -1;
        r += t;
        ctt_inv[a].vmult(e_t, r);
        dealii::Tensor<1, 6> strain_a;
        for (unsigned int i = 0; i < 3; ++i)
          {
            strain_a[t_index[i]] = m[t_index[i]] + e_t(i);
            strain_a[p_index[i]] = e_p(i);
          }
        dealii::Tensor<1, 6> stress = c[a] * (strain_a - m);
        out.emplace_back(strain_a, stress);
      }
    return out;
  }
  ///@}

  LayeredProvider
  anisotropic_cell(const bool with_couplings)
  {
    LayeredProvider p;
    p.stiffness = {with_couplings ? triclinic(1.0) : orthotropic(1.0),
                   elasticity::isotropic_stiffness(0.5e9, 0.35),
                   with_couplings ? triclinic(1.7) : orthotropic(1.7)};
    p.swelling = {strain({0.04, 0.02, 0.03, 0.004, -0.006, 0.01}),
                  SymmetricTensor<2, 3>(),
                  strain({-0.01, 0.015, -0.02, 0.0, 0.003, -0.004})};
    if (!with_couplings)
      for (auto &e : p.swelling)
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = i + 1; j < 3; ++j)
            e[i][j] = 0;
    return p;
  }

  /// The closed form of anisotropic_cell() between lithiations x0 and x1.
  std::vector<std::pair<dealii::Tensor<1, 6>, dealii::Tensor<1, 6>>>
  closed_form(const LayeredProvider       &p,
              const std::array<double, 3> &x0,
              const std::array<double, 3> &x1,
              const double                 pressure,
              const bool                   free_in_plane)
  {
    std::array<SymmetricTensor<2, 3>, 3> eps;
    std::array<double, 3>                h;
    for (unsigned int r = 0; r < 3; ++r)
      {
        eps[r]
          = r == 1 ? SymmetricTensor<2, 3>() : (x1[r] - x0[r]) * p.swelling[r];
        h[r] = x_interfaces[r + 1] - x_interfaces[r];
      }
    return layered_solution(p.stiffness, eps, h, pressure, free_in_plane);
  }

  double
  norm(const SymmetricTensor<2, 3> &s)
  {
    return s.norm();
  }
} // namespace

// Swelling along the thickness only, different in each region, is
// compatible: with free collectors and free in-plane directions the cell
// expands without stress, by exactly the sum of h_r (eps*_xx(x1) -
// eps*_xx(x0)) (piecewise-linear u_x is in the Q1 space).
template <int dim>
void
check_compatible_swelling_is_stress_free()
{
  LayeredProvider p = anisotropic_cell(true);
  for (auto &e : p.swelling)
    e = SymmetricTensor<2, 3>({e[0][0], 0, 0, 0, 0, 0});
  const std::array<double, 3> x0 = {0.2, 0, 0.9}, x1 = {0.8, 0, 0.3};
  const Outcome               o
    = solve_cell<dim>(p, parameters("free", "free", 0), x0, x1, MPI_COMM_WORLD);
  double expected_cell = 0;
  for (const unsigned int r : {0u, 2u})
    {
      const double expected = (x_interfaces[r + 1] - x_interfaces[r])
                              * (x1[r] - x0[r]) * p.swelling[r][0][0];
      expected_cell += expected;
      EXPECT_NEAR(o.snapshot.thickness_change[r],
                  expected,
                  1e-9 * std::abs(expected))
        << "dim " << dim << " region " << r;
    }
  EXPECT_NEAR(o.snapshot.thickness_change[1], 0, 1e-9 * expected_cell);
  EXPECT_NEAR(o.snapshot.cell_thickness_change,
              expected_cell,
              1e-9 * std::abs(expected_cell));
  // Stress scale of the problem: C eps ~ 1e9 Pa * 0.02.
  EXPECT_LT(o.snapshot.max_von_mises, 1e-6 * 2e7) << "dim " << dim;
}

TEST(Mechanics, CompatibleSwellingIsStressFree1D)
{
  check_compatible_swelling_is_stress_free<1>();
}
TEST(Mechanics, CompatibleSwellingIsStressFree2D)
{
  check_compatible_swelling_is_stress_free<2>();
}
TEST(Mechanics, CompatibleSwellingIsStressFree3D)
{
  check_compatible_swelling_is_stress_free<3>();
}

// Clamped in-plane under stack pressure: every layer is uniform with
// sigma_x. = (-p, 0, 0) and no in-plane strain; thickness change and the
// full stress tensor of each layer follow in closed form. 1D takes a
// triclinic stiffness (all normal-shear couplings); 2D and 3D, whose
// lateral faces are held in their normal direction only, an orthotropic
// one (a triclinic layer would shear against those faces).
template <int dim>
void
check_clamped_layers(const bool triclinic_layers)
{
  const LayeredProvider       p  = anisotropic_cell(triclinic_layers);
  const std::array<double, 3> x0 = {0.1, 0, 0.95}, x1 = {0.9, 0, 0.4};
  const double                pressure = 1e6;
  const Outcome               o        = solve_cell<dim>(
    p, parameters("free", "clamped", pressure), x0, x1, MPI_COMM_WORLD);
  const auto exact = closed_form(p, x0, x1, pressure, false);
  for (unsigned int r = 0; r < 3; ++r)
    {
      const double h        = x_interfaces[r + 1] - x_interfaces[r];
      const double expected = h * exact[r].first[0];
      EXPECT_NEAR(o.snapshot.thickness_change[r],
                  expected,
                  1e-8 * std::abs(expected) + 1e-15)
        << "dim " << dim << " region " << r;
      const SymmetricTensor<2, 3> s = from_mandel(exact[r].second);
      EXPECT_LT(norm(o.stress[r] - s), 1e-8 * norm(s) + 1e-3)
        << "dim " << dim << " region " << r;
    }
}

TEST(Mechanics, ClampedLayersMatchClosedForm1DTriclinic)
{
  check_clamped_layers<1>(true);
}
TEST(Mechanics, ClampedLayersMatchClosedForm2D)
{
  check_clamped_layers<2>(false);
}
TEST(Mechanics, ClampedLayersMatchClosedForm3D)
{
  check_clamped_layers<3>(false);
}

// Free in-plane in 1D: the uniform in-plane strains (yy, zz, yz) with zero
// resultant force, found by superposition, against the closed form.
TEST(Mechanics, FreeInPlaneLayersMatchClosedForm1DTriclinic)
{
  const LayeredProvider       p  = anisotropic_cell(true);
  const std::array<double, 3> x0 = {0.3, 0, 0.7}, x1 = {0.95, 0, 0.05};
  const double                pressure = 2e5;
  const Outcome               o        = solve_cell<1>(
    p, parameters("free", "free", pressure), x0, x1, MPI_COMM_WORLD);
  const auto exact = closed_form(p, x0, x1, pressure, true);
  for (unsigned int r = 0; r < 3; ++r)
    {
      const double h        = x_interfaces[r + 1] - x_interfaces[r];
      const double expected = h * exact[r].first[0];
      EXPECT_NEAR(o.snapshot.thickness_change[r],
                  expected,
                  1e-9 * std::abs(expected));
      const SymmetricTensor<2, 3> s = from_mandel(exact[r].second);
      EXPECT_LT(norm(o.stress[r] - s), 1e-9 * norm(s)) << "region " << r;
    }
}

// Fixed collectors: the cell keeps its thickness; the swelling of one
// electrode compresses the others.
TEST(Mechanics, FixedCollectorsKeepTheThickness)
{
  const LayeredProvider p = anisotropic_cell(false);
  const Outcome         o = solve_cell<2>(p,
                                  parameters("fixed", "clamped", 0),
                                  {0.1, 0, 0.1},
                                  {0.9, 0, 0.1},
                                  MPI_COMM_WORLD);
  EXPECT_NEAR(o.snapshot.cell_thickness_change, 0, 1e-12 * 150e-6);
  EXPECT_GT(o.snapshot.thickness_change[0], 0);
  EXPECT_LT(o.snapshot.thickness_change[2], 0);
  EXPECT_LT(o.stress[0][0][0], 0); // compressed through the thickness
}

// A non-uniform lithiation (2D, 3D) on all processes and on one: the same
// displacement to the solver tolerance, whatever the partition.
template <int dim>
void
check_rank_invariance()
{
  const LayeredProvider p     = anisotropic_cell(true);
  const auto            field = [](const dealii::Point<3> &x) {
    return 0.5 + 0.4 * std::sin(4e4 * x[0] + 9e4 * x[1] + 3e4 * x[2]);
  };
  const MechanicsParameters prm = parameters("free", "free", 3e5);
  const Outcome             all
    = solve_cell<dim>(p, prm, {0.5, 0, 0.5}, {0, 0, 0}, MPI_COMM_WORLD, field);
  const Outcome one
    = solve_cell<dim>(p, prm, {0.5, 0, 0.5}, {0, 0, 0}, MPI_COMM_SELF, field);
  EXPECT_GT(all.snapshot.max_von_mises, 1e5);
  EXPECT_NEAR(all.snapshot.cell_thickness_change,
              one.snapshot.cell_thickness_change,
              1e-8 * std::abs(one.snapshot.cell_thickness_change));
  EXPECT_NEAR(all.snapshot.max_von_mises,
              one.snapshot.max_von_mises,
              1e-8 * one.snapshot.max_von_mises);
  EXPECT_NEAR(all.snapshot.mean_hydrostatic_stress,
              one.snapshot.mean_hydrostatic_stress,
              1e-8 * one.snapshot.max_von_mises);
}

TEST(Mechanics, RankInvariant2D)
{
  check_rank_invariance<2>();
}
TEST(Mechanics, RankInvariant3D)
{
  check_rank_invariance<3>();
}

namespace
{
  /**
   * The laminate of two phases with volume fractions f and 1 - f, layers
   * normal to y: its mean stress at mean strain @p e (Mandel) with phase
   * eigenstrains @p eps. Traction components (yy, yz, xy) are equal in the
   * layers, the others' strains equal the mean: per layer
   * e_n = Cnn^-1 (s - Cnp e_p + (C eps)_n), sum f_a e_n,a = e_n.
   */
  dealii::Tensor<1, 6>
  laminate_stress(const std::array<Matrix6, 2>               &c,
                  const std::array<SymmetricTensor<2, 3>, 2> &eps,
                  const double                                f,
                  const dealii::Tensor<1, 6>                 &e)
  {
    const std::array<unsigned int, 3> n_index = {1, 3, 5}, q_index = {0, 2, 4};
    const std::array<double, 2>       w = {f, 1 - f};
    std::array<dealii::FullMatrix<double>, 2> k;
    std::array<dealii::Vector<double>, 2>     g;
    dealii::FullMatrix<double>                sum_k(3, 3);
    dealii::Vector<double>                    rhs = part(e, n_index);
    for (unsigned int a = 0; a < 2; ++a)
      {
        k[a] = block(c[a], n_index, n_index);
        k[a].gauss_jordan();
        dealii::Vector<double> cnp_e(3);
        block(c[a], n_index, q_index).vmult(cnp_e, part(e, q_index));
        g[a] = part(c[a] * to_mandel(eps[a]), n_index);
        g[a] -= cnp_e; // e_n,a = K_a (s + g_a)
        dealii::Vector<double> kg(3);
        k[a].vmult(kg, g[a]);
        rhs.add(-w[a], kg);
        sum_k.add(w[a], k[a]);
      }
    sum_k.gauss_jordan();
    dealii::Vector<double> s(3);
    sum_k.vmult(s, rhs);
    dealii::Tensor<1, 6> mean;
    for (unsigned int a = 0; a < 2; ++a)
      {
        dealii::Vector<double> sg = s, en(3);
        sg += g[a];
        k[a].vmult(en, sg);
        dealii::Tensor<1, 6> strain_a = e;
        for (unsigned int i = 0; i < 3; ++i)
          strain_a[n_index[i]] = en(i);
        mean += w[a] * (c[a] * (strain_a - to_mandel(eps[a])));
      }
    return mean;
  }

  /// Phase a or b by position (layers of period @p period along y), or the
  /// laminate's C_eff, eps*_eff; swelling linear in the query's lithiation.
  class StripProvider : public MechanicalPropertiesProvider
  {
  public:
    std::array<Matrix6, 2>               c;
    std::array<SymmetricTensor<2, 3>, 2> eps;
    double                               period = 0; // 0: homogenised
    Matrix6                              c_eff;
    SymmetricTensor<2, 3>                eps_eff;

    StripProvider()
    {
      c   = {orthotropic(1.0), elasticity::isotropic_stiffness(20e9, 0.2)};
      eps = {strain({0.06, 0.02, 0.04, 0, 0, 0}), strain({0, 0, 0, 0, 0, 0})};
      std::array<SymmetricTensor<2, 3>, 2> none;
      for (unsigned int j = 0; j < 6; ++j)
        {
          dealii::Tensor<1, 6> unit;
          unit[j] = 1;
          const dealii::Tensor<1, 6> column
            = laminate_stress(c, none, 0.5, unit);
          for (unsigned int i = 0; i < 6; ++i)
            c_eff[i][j] = column[i];
        }
      const dealii::Tensor<1, 6> tau = laminate_stress(c, eps, 0.5, {});
      eps_eff = from_mandel(-(elasticity::invert(c_eff) * tau));
    }

    EffectiveMechanics
    evaluate(const MacroPointQuery &q) const override
    {
      EffectiveMechanics m;
      if (period == 0)
        {
          m.stiffness = c_eff;
          m.swelling  = q.lithiation * eps_eff;
          return m;
        }
      const double       phase = std::fmod(q.position[1] / period, 1.0);
      const unsigned int a     = phase < 0.5 ? 0 : 1;
      m.stiffness              = c[a];
      m.swelling               = q.lithiation * eps[a];
      return m;
    }
    bool
    stiffness_depends_on_state() const override
    {
      return false;
    }
    std::string
    describe(unsigned int) const override
    {
      return "strip";
    }
  };

  /// Relative L2 difference of the direct and the homogenised displacement
  /// of a strip (length 1 along y, thickness 0.25) whose lithiation varies
  /// along it, for layers of period @p period.
  double
  strip_difference(const double period, MPI_Comm comm)
  {
    dealii::parallel::distributed::Triangulation<2> tria(comm);
    const unsigned int                              cells_per_layer = 4;
    const unsigned int                              ny
      = static_cast<unsigned int>(std::round(2 * cells_per_layer / period));
    dealii::GridGenerator::subdivided_hyper_rectangle(
      tria, {8u, ny}, dealii::Point<2>(), dealii::Point<2>(0.25, 1.), true);
    for (const auto &cell : tria.active_cell_iterators())
      cell->set_material_id(2);
    MechanicsParameters prm = parameters("free", "free", 0);
    StripProvider       direct, homogenised;
    direct.period    = period;
    const auto field = [](const dealii::Point<3> &x) {
      return 0.5 + 0.4 * std::sin(M_PI * x[1]);
    };
    std::vector<MacroPointQuery> q, q0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          MacroPointQuery query;
          query.region      = 2;
          query.position[0] = cell->center()[0];
          query.position[1] = cell->center()[1];
          query.lithiation  = field(query.position);
          q.push_back(query);
          query.lithiation = 0;
          q0.push_back(query);
        }
    MechanicsSolver<2> a(tria, prm, direct, comm),
      b(tria, prm, homogenised, comm);
    for (MechanicsSolver<2> *s : {&a, &b})
      {
        s->setup();
        s->set_reference(q0);
        s->solve(q, 0);
      }
    double difference = 0, reference = 0;
    for (const auto i : a.solution().locally_owned_elements())
      {
        difference += std::pow(a.solution()(i) - b.solution()(i), 2);
        reference += std::pow(b.solution()(i), 2);
      }
    return std::sqrt(dealii::Utilities::MPI::sum(difference, comm)
                     / dealii::Utilities::MPI::sum(reference, comm));
  }
} // namespace

// FE2 against direct simulation: a strip of layers (period eps) that swell
// differently, under a lithiation varying along the strip, resolved on a
// fine mesh versus the homogenised strip with the laminate's C_eff and
// eps*_eff (the one-period cell problem in closed form). Two-scale theory:
// u_eps - u_0 = O(eps) (the corrector eps chi(y/eps) grad u_0); the
// observed rate over eps = 1/4, 1/8, 1/16 must be close to 1.
TEST(Mechanics, LayeredStripConvergesToHomogenisedAsThePeriodShrinks)
{
  std::vector<double> error;
  for (const double period : {1. / 4, 1. / 8, 1. / 16})
    error.push_back(strip_difference(period, MPI_COMM_WORLD));
  for (std::size_t i = 1; i < error.size(); ++i)
    {
      const double rate = std::log2(error[i - 1] / error[i]);
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::cout << "period 1/" << (4 << i) << ": relative difference "
                  << error[i] << ", rate " << rate << std::endl;
      EXPECT_GT(rate, 0.8);
      EXPECT_LT(rate, 1.3);
    }
  EXPECT_LT(error.back(), 0.05);
}
