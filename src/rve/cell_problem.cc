#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <scalebridge/rve/block_cg.h>
#include <scalebridge/rve/cell_problem.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::rve
{
  double
  CellProblemResult::max_hill_mandel() const
  {
    return hill_mandel.empty()
             ? 0.
             : *std::max_element(hill_mandel.begin(), hill_mandel.end());
  }

  unsigned int
  CellProblemResult::max_iterations() const
  {
    return iterations.empty()
             ? 0
             : *std::max_element(iterations.begin(), iterations.end());
  }

  CellProblem::CellProblem(
    const Physics                                  physics,
    const BoundaryCondition                       &bc,
    const VoxelHierarchy                          &hierarchy,
    const std::vector<uint8_t>                    &cell_phase,
    const std::vector<dealii::FullMatrix<double>> &phase_laws,
    const SolverSettings                          &settings)
    : physics_(physics)
    , bc(&bc)
    , hierarchy(&hierarchy)
    , cell_phase(&cell_phase)
    , settings(settings)
  {
    const dealii::Timer timer;
    const GridLevel    &fine = hierarchy.finest();
    const GridGeometry &grid = fine.geometry;
    if (grid.periodic != bc.periodic_grid())
      throw std::logic_error("CellProblem: the hierarchy's periodicity does "
                             "not match the boundary condition");
    n_comp = n_components(physics, grid.dim);

    std::vector<bool> participates(phase_laws.size(), false);
    laws.resize(phase_laws.size());
    for (unsigned p = 0; p < phase_laws.size(); ++p)
      if (phase_laws[p].m() > 0 && phase_laws[p].frobenius_norm() > 0)
        {
          participates[p] = true;
          laws[p]         = phase_laws[p];
        }

    domain_ = std::make_unique<ActiveDomain>(physics,
                                             grid,
                                             cell_phase,
                                             participates,
                                             bc.anchoring(),
                                             bc.has_rigid_modes());
    // Safe points between the set-up stages (each collective, each up to
    // seconds on large cells): mpirun ends the ranks about 2 s after it
    // forwarded a termination signal.
    const auto safe_point = [&]() {
      io::stop_if_terminated(hierarchy.get_communicator(),
                             "while setting up an RVE cell problem");
    };
    safe_point();
    element
      = std::make_unique<VoxelElement>(physics, grid.dim, grid.h, grid.degree);
    matrices = std::make_unique<LevelMatrices>(
      physics,
      hierarchy,
      *domain_,
      cell_phase,
      laws,
      settings.multigrid.operator_dependent_interpolation);

    std::vector<std::vector<unsigned int>> constrained(hierarchy.n_levels());
    for (unsigned l = 0; l < hierarchy.n_levels(); ++l)
      constrained[l] = bc.constrained_unknowns(hierarchy.level(l), n_comp);
    safe_point();
    fine_operator = std::make_unique<LevelOperator<double>>(
      fine, *matrices, hierarchy.n_levels() - 1, n_comp, constrained.back());
    multigrid = make_multigrid(hierarchy,
                               *matrices,
                               n_comp,
                               constrained,
                               settings.multigrid,
                               needs_double_precision(laws, participates));
    safe_point();
    projection = std::make_unique<NullSpaceProjection>(*domain_, fine, n_comp);

    context.physics        = physics;
    context.domain         = domain_.get();
    context.fine           = &fine;
    context.element        = element.get();
    context.phase_matrices = nullptr;
    context.cell_phase     = &cell_phase;
    loads                  = bc.load_cases(context);
    for (unsigned m = 0; m < element->n_strains(); ++m)
      affine.push_back(element->affine_field(m));

    result_.physics              = physics;
    result_.boundary_condition   = bc.name();
    result_.n_cells              = grid.n_total_cells();
    result_.n_active_cells       = domain_->n_active_cells();
    result_.n_removed_cells      = domain_->n_removed_cells();
    result_.n_dofs               = grid.n_total_nodes() * n_comp;
    result_.n_levels             = hierarchy.n_levels();
    result_.n_coarse_dofs        = multigrid->n_coarse_unknowns();
    result_.double_precision     = multigrid->double_precision();
    result_.null_space_dimension = projection->dimension();
    result_.setup_time
      = dealii::Utilities::MPI::max(timer.wall_time(),
                                    hierarchy.get_communicator());
  }

  CellProblem::~CellProblem() = default;

  void
  CellProblem::cell_values(const unsigned int      c,
                           const unsigned int      j,
                           dealii::Vector<double> &u) const
  {
    const GridLevel   &fine = hierarchy->finest();
    const unsigned int nv   = fine.geometry.nodes_per_cell();
    const unsigned int k    = loads.n();
    u                       = 0;
    if (bc->strain_driven())
      for (unsigned m = 0; m < loads.m(); ++m)
        u.add(loads(m, j), affine[m]);
    for (unsigned v = 0; v < nv; ++v)
      for (unsigned comp = 0; comp < n_comp; ++comp)
        u[v * n_comp + comp] += x.data.local_element(
          (std::size_t(fine.cell_nodes[c * nv + v]) * n_comp + comp) * k + j);
  }

  const CellProblemResult &
  CellProblem::solve()
  {
    const dealii::Timer timer;
    const GridLevel    &fine = hierarchy->finest();
    const MPI_Comm      comm = hierarchy->get_communicator();
    const unsigned int  ns   = element->n_strains();
    const unsigned int  k    = loads.n();
    const unsigned int  nd   = element->n_dofs();

    std::vector<dealii::FullMatrix<double>> phase_K(laws.size());
    for (unsigned p = 0; p < laws.size(); ++p)
      phase_K[p] = matrices->phase_matrix(p);
    context.phase_matrices = &phase_K;

    result_.effective.reinit(ns, ns);
    result_.n_zero_energy_directions = ns - k;
    if (k == 0)
      {
        result_.solve_time = 0;
        return result_;
      }

    MultiVector<double> rhs;
    x.reinit(fine, n_comp, k);
    rhs.reinit(fine, n_comp, k);
    // A right-hand side that has cancelled to round-off of the cell loads
    // (e.g. a laminate stretched along its layers) is solved exactly by
    // zero; do not chase the round-off.
    const BoundaryCondition::LoadScales scales
      = bc->assemble_rhs(context, loads, rhs);
    std::vector<double> floor = scales.load;
    for (double &f : floor)
      f *= 1e-13;
    const auto project = [this](MultiVector<double> &v) { (*projection)(v); };
    const BlockCGResult cg = solve_block_cg<double>(*fine_operator,
                                                    *multigrid,
                                                    project,
                                                    x,
                                                    rhs,
                                                    settings.tolerance,
                                                    settings.max_iterations,
                                                    floor,
                                                    scales.affine_energy);
    result_.iterations     = cg.iterations;
    result_.converged      = cg.converged;
    result_.n_stagnated    = cg.stagnated;
    result_.n_indefinite   = cg.indefinite;
    // Energies <sigma : eps> = (1/|Y|) sum_cells u_e^T K u_e without a cell
    // loop: with u = E x + u~ and b = -A(E x) this is a(E x, E x) - 2 (b, u~)
    // + (u~, A u~); with tractions it is (u, A u).
    MultiVector<double> Ax;
    Ax.reinit_like(x);
    fine_operator->vmult(Ax, x);
    const std::vector<double> xAx = x.dot(Ax);
    const std::vector<double> bx  = rhs.dot(x);
    const double              vol = fine.geometry.volume();
    result_.energy.assign(k, 0.);
    for (unsigned j = 0; j < k; ++j)
      result_.energy[j]
        = (bc->strain_driven() ? scales.affine_energy[j] - 2 * bx[j] + xAx[j]
                               : xAx[j])
          / vol;

    // Volume-average stress: per phase, sum the cell values, then apply
    // D_p int B once (inactive cells carry nothing).
    x.data.update_ghost_values();
    const unsigned int               nv = fine.geometry.nodes_per_cell();
    std::vector<std::vector<double>> sum_u(laws.size(),
                                           std::vector<double>(k * nd, 0.));
    std::vector<double>              count(laws.size(), 0.);
    for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
      {
        const std::size_t cell = fine.owned_cells[c];
        if (!domain_->active(cell))
          continue;
        const unsigned p = (*cell_phase)[cell];
        count[p] += 1;
        double *su = sum_u[p].data();
        for (unsigned v = 0; v < nv; ++v)
          {
            const double *xv
              = x.data.begin()
                + std::size_t(fine.cell_nodes[c * nv + v]) * n_comp * k;
            for (unsigned comp = 0; comp < n_comp; ++comp)
              for (unsigned j = 0; j < k; ++j)
                su[j * nd + v * n_comp + comp] += xv[comp * k + j];
          }
      }
    std::vector<double>    sums(k * ns, 0.);
    dealii::Vector<double> u(nd), strain(ns), stress(ns);
    const auto            &G = element->strain_integral();
    for (unsigned p = 0; p < laws.size(); ++p)
      {
        if (count[p] == 0)
          continue;
        for (unsigned j = 0; j < k; ++j)
          {
            for (unsigned i = 0; i < nd; ++i)
              u[i] = sum_u[p][j * nd + i];
            if (bc->strain_driven())
              for (unsigned m = 0; m < loads.m(); ++m)
                u.add(count[p] * loads(m, j), affine[m]);
            G.vmult(strain, u);
            laws[p].vmult(stress, strain);
            for (unsigned m = 0; m < ns; ++m)
              sums[j * ns + m] += stress[m];
          }
      }
    dealii::Utilities::MPI::sum(sums, comm, sums);
    result_.macro_stress.reinit(ns, k);
    for (unsigned j = 0; j < k; ++j)
      for (unsigned m = 0; m < ns; ++m)
        result_.macro_stress(m, j) = sums[j * ns + m] / vol;
    result_.macro_strain = bc->macro_strains(context, loads, x);

    // C = <sigma> (Q^T <eps>)^-1 Q^T: the strain-driven case has Q = <eps>
    // = I; the stress-driven one inverts the compliance on the admissible
    // stresses Q.
    dealii::FullMatrix<double> A(k, k), Ainv(k, k), SA(ns, k);
    loads.Tmmult(A, result_.macro_strain);
    Ainv.invert(A);
    result_.macro_stress.mmult(SA, Ainv);
    SA.mTmult(result_.effective, loads);

    // Hill-Mandel residual relative to the largest energy of the load
    // cases, so that a load case that costs (almost) no energy, such as a
    // stretch across a void layer, does not divide round-off by zero.
    double energy_scale = 0;
    for (const double e : result_.energy)
      energy_scale = std::max(energy_scale, std::abs(e));
    result_.hill_mandel.assign(k, 0.);
    result_.hill_mandel_solver.assign(k, 0.);
    result_.boundary_strain.reinit(ns, k);
    for (unsigned j = 0; j < k; ++j)
      {
        double product = 0;
        for (unsigned m = 0; m < ns; ++m)
          product += result_.macro_stress(m, j) * result_.macro_strain(m, j);
        const FieldAverages measured = measure_load_case(j);
        for (unsigned m = 0; m < ns; ++m)
          result_.boundary_strain(m, j) = measured.boundary_strain[m];
        if (energy_scale > 0)
          {
            result_.hill_mandel_solver[j]
              = std::abs(result_.energy[j] - product) / energy_scale;
            result_.hill_mandel[j]
              = std::abs(measured.hill_mandel_gap()) / energy_scale;
          }
      }
    double max_entry = 0, max_diff = 0;
    for (unsigned a = 0; a < ns; ++a)
      for (unsigned b = 0; b < ns; ++b)
        {
          max_entry = std::max(max_entry, std::abs(result_.effective(a, b)));
          max_diff  = std::max(max_diff,
                              std::abs(result_.effective(a, b)
                                       - result_.effective(b, a)));
        }
    result_.asymmetry  = max_entry > 0 ? max_diff / max_entry : 0.;
    result_.solve_time = dealii::Utilities::MPI::max(timer.wall_time(), comm);
    return result_;
  }

  EigenstrainResult
  CellProblem::solve_eigenstrain(
    const std::vector<dealii::Vector<double>> &eigenstress)
  {
    if (physics_ != Physics::elasticity || result_.effective.m() == 0)
      throw std::logic_error("CellProblem::solve_eigenstrain: needs a solved "
                             "elasticity problem");
    const dealii::Timer timer;
    const GridLevel    &fine = hierarchy->finest();
    const MPI_Comm      comm = hierarchy->get_communicator();
    const unsigned int  ns   = element->n_strains();
    const unsigned int  nd   = element->n_dofs();
    const unsigned int  nv   = fine.geometry.nodes_per_cell();
    const double        vol  = fine.geometry.volume();
    const double        vc   = element->volume();
    const auto         &G    = element->strain_integral();
    const auto         &C    = result_.effective;

    EigenstrainResult out;
    out.eigenstress.reinit(ns);
    out.swelling_strain.reinit(ns);
    out.mean_stress.reinit(ns);
    out.mean_strain.reinit(ns);

    // Per load-carrying phase: the eigenstress s_p = C_p eps*_p, its nodal
    // load int B^T s_p = G^T s_p, and the clamped energy density
    // eps*_p : C_p eps*_p = s_p . C_p^-1 s_p. The laws are the same on all
    // ranks, so every rank takes the same branches below.
    std::vector<dealii::Vector<double>> s(laws.size()), f(laws.size());
    std::vector<double>                 clamped(laws.size(), 0.);
    bool                                any = false;
    for (unsigned p = 0; p < laws.size(); ++p)
      if (laws[p].m() > 0 && p < eigenstress.size()
          && eigenstress[p].size() == ns && eigenstress[p].l2_norm() > 0)
        {
          s[p] = eigenstress[p];
          f[p].reinit(nd);
          G.Tvmult(f[p], s[p]);
          dealii::FullMatrix<double> S(ns, ns);
          S.invert(laws[p]);
          clamped[p] = S.matrix_norm_square(s[p]);
          any        = true;
        }
    const unsigned int k         = loads.n();
    out.n_zero_energy_directions = ns - k;
    if (!any || k == 0)
      return out;

    MultiVector<double> y, b;
    y.reinit(fine, n_comp, 1);
    b.reinit(fine, n_comp, 1);
    double load_size = 0, clamped_energy = 0;
    for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
      {
        const std::size_t cell = fine.owned_cells[c];
        if (!domain_->active(cell))
          continue;
        const unsigned p = (*cell_phase)[cell];
        if (f[p].size() == 0)
          continue;
        load_size += f[p].norm_sqr();
        clamped_energy += vc * clamped[p];
        for (unsigned v = 0; v < nv; ++v)
          for (unsigned comp = 0; comp < n_comp; ++comp)
            b.data.local_element(
              std::size_t(fine.cell_nodes[c * nv + v]) * n_comp + comp)
              += f[p][v * n_comp + comp];
      }
    b.data.compress(dealii::VectorOperation::add);
    for (const auto i : bc->constrained_unknowns(fine, n_comp))
      b.data.local_element(i) = 0;
    load_size      = dealii::Utilities::MPI::sum(load_size, comm);
    clamped_energy = dealii::Utilities::MPI::sum(clamped_energy, comm);

    // A uniform eigenstress cancels between cells (a homogeneous cell swells
    // freely under periodic conditions): do not chase the round-off.
    const std::vector<double> floor{1e-13 * std::sqrt(load_size)};
    const auto project = [this](MultiVector<double> &v) { (*projection)(v); };
    const BlockCGResult cg = solve_block_cg<double>(*fine_operator,
                                                    *multigrid,
                                                    project,
                                                    y,
                                                    b,
                                                    settings.tolerance,
                                                    settings.max_iterations,
                                                    floor);
    out.solved             = true;
    out.iterations         = cg.max_iterations();
    out.converged          = cg.converged;
    out.n_stagnated        = cg.stagnated;
    if (cg.indefinite > 0)
      out.converged = false;

    // Energies from the algebra: with f the load, <sigma : eps> = (u, A u) -
    // (f, u) and <(eps - eps*) : C (eps - eps*)> = (u, A u) - 2 (f, u) +
    // int eps* : C eps*.
    MultiVector<double> Ay;
    Ay.reinit_like(y);
    fine_operator->vmult(Ay, y);
    const double yAy       = y.dot(Ay)[0];
    const double by        = b.dot(y)[0];
    out.energy             = (yAy - 2 * by + clamped_energy) / vol;
    const double sigma_eps = (yAy - by) / vol;

    // <sigma>: per phase C_p (int B u - |Y_p| eps*_p), summed over the cells
    // of the phase first, as in solve().
    y.data.update_ghost_values();
    std::vector<dealii::Vector<double>> sum_u(laws.size(),
                                              dealii::Vector<double>(nd));
    std::vector<double>                 count(laws.size(), 0.);
    for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
      {
        const std::size_t cell = fine.owned_cells[c];
        if (!domain_->active(cell))
          continue;
        const unsigned p = (*cell_phase)[cell];
        count[p] += 1;
        for (unsigned v = 0; v < nv; ++v)
          for (unsigned comp = 0; comp < n_comp; ++comp)
            sum_u[p][v * n_comp + comp] += y.data.local_element(
              std::size_t(fine.cell_nodes[c * nv + v]) * n_comp + comp);
      }
    std::vector<double>    sums(ns, 0.);
    dealii::Vector<double> strain(ns), stress(ns);
    for (unsigned p = 0; p < laws.size(); ++p)
      {
        if (count[p] == 0 || laws[p].m() == 0)
          continue;
        G.vmult(strain, sum_u[p]);
        laws[p].vmult(stress, strain);
        if (s[p].size() > 0)
          stress.add(-count[p] * vc, s[p]);
        for (unsigned m = 0; m < ns; ++m)
          sums[m] += stress[m];
      }
    dealii::Utilities::MPI::sum(sums, comm, sums);
    for (unsigned m = 0; m < ns; ++m)
      out.mean_stress[m] = sums[m] / vol;
    dealii::FullMatrix<double> no_load(ns, 1);
    const auto                 eps = bc->macro_strains(context, no_load, y);
    for (unsigned m = 0; m < ns; ++m)
      out.mean_strain[m] = eps(m, 0);

    if (bc->strain_driven())
      {
        // eps*_eff = -C_eff^+ tau_eff. tau_eff is orthogonal to the macro
        // strains that cost no energy (their fields vanish wherever a phase
        // carries load); eigenvalues of C_eff within the solver's accuracy of
        // zero are taken as such.
        out.eigenstress = out.mean_stress;
        dealii::LAPACKFullMatrix<double> Cs(ns, ns);
        for (unsigned a = 0; a < ns; ++a)
          for (unsigned c = 0; c < ns; ++c)
            Cs(a, c) = 0.5 * (C(a, c) + C(c, a));
        Cs.compute_svd();
        const auto  &U = Cs.get_svd_u();
        const double cut
          = std::max(100 * settings.tolerance, 1e-12) * Cs.singular_value(0);
        out.n_zero_energy_directions = 0;
        for (unsigned i = 0; i < ns; ++i)
          {
            const double lambda = Cs.singular_value(i);
            if (!(lambda > cut))
              {
                ++out.n_zero_energy_directions;
                continue;
              }
            double ut = 0;
            for (unsigned a = 0; a < ns; ++a)
              ut += U(a, i) * out.eigenstress[a];
            for (unsigned a = 0; a < ns; ++a)
              out.swelling_strain[a] -= U(a, i) * ut / lambda;
          }
        out.residual_energy
          = out.energy + out.eigenstress * out.swelling_strain;
      }
    else
      {
        // Zero macro stress: eps*_eff = <eps>, restricted to the admissible
        // macro stresses W (orthonormal load columns, the complement of the
        // zero-energy strains), and tau_eff = -C_eff eps*_eff.
        for (unsigned j = 0; j < k; ++j)
          {
            double w = 0;
            for (unsigned a = 0; a < ns; ++a)
              w += loads(a, j) * out.mean_strain[a];
            for (unsigned a = 0; a < ns; ++a)
              out.swelling_strain[a] += loads(a, j) * w;
          }
        C.vmult(out.eigenstress, out.swelling_strain);
        out.eigenstress *= -1.;
        out.residual_energy = out.energy;
      }
    if (clamped_energy > 0)
      {
        out.hill_mandel_solver
          = std::abs(sigma_eps - out.mean_stress * out.mean_strain)
            / (clamped_energy / vol);
        out.hill_mandel
          = std::abs(
              measure(y, 0, dealii::Vector<double>(), s, {}).hill_mandel_gap())
            / (clamped_energy / vol);
      }
    out.solve_time = dealii::Utilities::MPI::max(timer.wall_time(), comm);
    return out;
  }

  FieldAverages
  CellProblem::measure_load_case(const unsigned int j,
                                 const AddedField  &added) const
  {
    dealii::Vector<double> macro;
    if (bc->strain_driven())
      {
        macro.reinit(loads.m());
        for (unsigned m = 0; m < loads.m(); ++m)
          macro[m] = loads(m, j);
      }
    return measure(x, j, macro, {}, added);
  }

  FieldAverages
  CellProblem::measure(const MultiVector<double>                 &field,
                       const unsigned int                         column,
                       const dealii::Vector<double>              &macro,
                       const std::vector<dealii::Vector<double>> &eigenstress,
                       const AddedField                          &added) const
  {
    const GridLevel    &fine = hierarchy->finest();
    const GridGeometry &grid = fine.geometry;
    const unsigned int  nv   = grid.nodes_per_cell();
    const unsigned int  k    = field.n_columns();
    field.data.update_ghost_values();
    const auto values = [&](const unsigned int c, dealii::Vector<double> &u) {
      const auto ijk = grid.cell_coordinates(fine.owned_cells[c]);
      for (unsigned v = 0; v < nv; ++v)
        {
          // The node's own position: on the upper face of a periodic cell
          // x = L, where the affine part differs from x = 0.
          const auto            a = grid.local_node_offset(v);
          std::array<double, 3> position{{0, 0, 0}};
          for (unsigned d = 0; d < grid.dim; ++d)
            position[d] = (ijk[d] + double(a[d]) / grid.degree) * grid.h[d];
          std::array<double, 3> total{{0, 0, 0}};
          if (macro.size() > 0)
            total = affine_value(physics_, grid.dim, macro, position);
          if (added)
            {
              const auto extra = added(position);
              for (unsigned comp = 0; comp < n_comp; ++comp)
                total[comp] += extra[comp];
            }
          for (unsigned comp = 0; comp < n_comp; ++comp)
            u[v * n_comp + comp]
              = total[comp]
                + field.data.local_element(
                  (std::size_t(fine.cell_nodes[c * nv + v]) * n_comp + comp) * k
                  + column);
        }
    };
    return measure_field_averages(
      fine, *element, *domain_, *cell_phase, laws, eigenstress, values);
  }

  std::vector<double>
  CellProblem::cell_stresses() const
  {
    const GridLevel    &fine = hierarchy->finest();
    const unsigned int  ns   = element->n_strains();
    const unsigned int  k    = loads.n();
    const unsigned int  nd   = element->n_dofs();
    std::vector<double> out(fine.owned_cells.size() * k * ns, 0.);
    if (k == 0 || x.n_columns() != k)
      return out;
    dealii::Vector<double> u(nd), strain(ns), stress(ns);
    for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
      {
        const std::size_t cell = fine.owned_cells[c];
        if (!domain_->active(cell))
          continue;
        const unsigned p = (*cell_phase)[cell];
        for (unsigned j = 0; j < k; ++j)
          {
            cell_values(c, j, u);
            element->centre_strain().vmult(strain, u);
            laws[p].vmult(stress, strain);
            for (unsigned m = 0; m < ns; ++m)
              out[(std::size_t(c) * k + j) * ns + m] = stress[m];
          }
      }
    return out;
  }
} // namespace scalebridge::rve
