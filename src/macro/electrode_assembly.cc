// ElectrodeSolver: the DFN residual and Jacobian of Newton's method
// (electrolyte and solid transport per cell, lumped capacity, collector
// current and lithium foil per node; the particles' reaction is in
// electrode_particles.cc) and the effective transport they use.

#include <deal.II/base/quadrature_lib.h>

#include <deal.II/fe/fe_values.h>

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <cmath>

namespace scalebridge::macro
{
  using namespace dealii;
  using namespace electrode_internal;

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_capacity(
    LinearAlgebra::distributed::Vector<double> &target) const
  {
    // The porosity of a cell is its region's, or what a state-dependent
    // provider (FE2: the cell's RVE) reported for it.
    target.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for_each_lumped_cell(
      dof_handler,
      [](const auto &) { return true; },
      [&](const auto &cell, const auto &dofs, const auto &integrals) {
        const double eps
          = cell_transport.empty()
              ? model.regions[cell->material_id()].porosity
              : cell_transport[cell->active_cell_index()].porosity;
        for (unsigned int i = 0; i < dofs.size(); ++i)
          target(dofs[i]) += eps * integrals[i];
      });
    target.compress(VectorOperation::add);
  }

  template <int dim>
  std::pair<Tensor<2, dim>, Tensor<2, dim>>
  ElectrodeSolver<dim>::efficiency_of(const EffectiveTransport &t,
                                      const unsigned int        r) const
  {
    std::pair<Tensor<2, dim>, Tensor<2, dim>> result;
    for (unsigned int i = 0; i < dim; ++i)
      for (unsigned int j = 0; j < dim; ++j)
        {
          result.first[i][j]  = t.electrolyte[i][j];
          result.second[i][j] = t.solid[i][j];
          if (!std::isfinite(t.electrolyte[i][j])
              || (model.regions[r].electrode && !std::isfinite(t.solid[i][j])))
            throw InputError(
              model.parameters.source,
              region_name(r) + "/Effective transport",
              "the transport-efficiency tensor lacks components a "
                + std::to_string(dim)
                + "D cell needs (a 2D RVE serves 1D and 2D cells)");
        }
    return result;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::update_effective_properties()
  {
    // Constant providers are asked once per region; state-dependent ones
    // (FE2) once per cell, at its centre, with the converged state of the
    // start of the time step, so that each Newton iteration sees fixed
    // tensors.
    const EffectivePropertiesProvider &provider = *model.effective_properties;
    const bool                         per_cell = provider.depends_on_state();
    const auto                         x        = model.interfaces();
    std::array<EffectiveTransport, 3>  region_values;
    if (!per_cell)
      for (unsigned int r = 0; r < 3; ++r)
        if (model.regions[r].present)
          {
            MacroPointQuery query;
            query.region      = r;
            query.position[0] = 0.5 * (x[r] + x[r + 1]);
            query.time        = current_time;
            query.temperature = model.temperature();
            query.electrolyte_concentration
              = model.electrolyte.initial_concentration();
            region_values[r] = provider.evaluate(query);
          }

    cell_efficiency.resize(triangulation->n_active_cells());
    cell_transport.resize(triangulation->n_active_cells());
    if (!per_cell)
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          cell_transport[cell->active_cell_index()]
            = region_values[cell->material_id()];
    if (per_cell)
      {
        const std::vector<EffectiveTransport> values
          = provider.evaluate_all(cell_queries(false));
        unsigned int k = 0;
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned())
            cell_transport[cell->active_cell_index()] = values.at(k++);
      }
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          EffectiveTransport &t = cell_transport[cell->active_cell_index()];
          if (!std::isfinite(t.porosity))
            t.porosity = model.regions[cell->material_id()].porosity;
          cell_efficiency[cell->active_cell_index()]
            = efficiency_of(t, cell->material_id());
        }
    if (per_cell)
      {
        assemble_capacity(next_capacity);
        capacity_pending = true;
      }
  }

  template <int dim>
  std::vector<MacroPointQuery>
  ElectrodeSolver<dim>::cell_queries(const bool initial)
  {
    // The mean lithium site fraction of the particles at a cell's nodes (a
    // ghosted nodal field, since a cell's nodes may be owned elsewhere) and
    // its mean electrolyte concentration.
    solution.update_ghost_values();
    LinearAlgebra::distributed::Vector<double> node_lithiation(
      locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for (std::size_t s = 0; s < sites.size(); ++s)
      node_lithiation.local_element(sites[s].local[0])
        = initial ? model.regions[sites[s].region].initial_stoichiometry
                  : particle_models[sites[s].electrode].mesh().mean(
                      &particles[s * n_p])
                      / max_concentration_of_site[s];
    node_lithiation.update_ghost_values();
    std::vector<MacroPointQuery> queries;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int r = cell->material_id();
          MacroPointQuery    query;
          query.region = r;
          for (unsigned int d = 0; d < dim; ++d)
            query.position[d] = cell->center()[d];
          query.time        = current_time;
          query.temperature = model.temperature();
          // The mesh is not refined: the coarse-cell id names a cell the
          // same way on any number of processes (global active indices
          // follow the partition).
          Assert(cell->level() == 0, ExcInternalError());
          query.cell_index = cell->id().get_coarse_cell_id();
          double ce = 0, lithiation = 0;
          for (const unsigned int v : cell->vertex_indices())
            {
              ce += solution(cell->vertex_dof_index(v, ce_component));
              lithiation += node_lithiation(cell->vertex_dof_index(v, 0));
            }
          query.electrolyte_concentration = ce / cell->n_vertices();
          if (model.regions[r].electrode)
            query.lithiation = lithiation / cell->n_vertices();
          queries.push_back(query);
        }
    return queries;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::distribute_local_to_global(
    FullMatrix<double>                         &local_matrix,
    Vector<double>                             &local_rhs,
    const std::vector<types::global_dof_index> &dofs,
    Mat                                         matrix)
  {
    // The constraints only fix values (checked in setup_system()), so
    // distributing is: drop constrained rows and columns, keep the rows
    // solvable with a diagonal of the local matrix's scale and a zero
    // right-hand side. AffineConstraints::distribute_local_to_global() does
    // the same in general, at several times the cost for blocks this small.
    const unsigned int n     = dofs.size();
    double             scale = 0;
    for (unsigned int i = 0; i < n; ++i)
      scale += std::abs(local_matrix(i, i));
    scale = scale > 0 ? scale / n : 1;
    for (unsigned int i = 0; i < n; ++i)
      if (constraints->is_constrained(dofs[i]))
        {
          for (unsigned int j = 0; j < n; ++j)
            {
              local_matrix(i, j) = 0;
              local_matrix(j, i) = 0;
            }
          local_matrix(i, i) = scale;
          local_rhs(i)       = 0;
        }
    PetscInt indices[3 * GeometryInfo<3>::vertices_per_cell] = {};
    AssertIndexRange(n, 3 * GeometryInfo<3>::vertices_per_cell + 1);
    for (unsigned int i = 0; i < n; ++i)
      indices[i] = dofs[i];
    const PetscErrorCode ierr = MatSetValues(
      matrix, n, indices, n, indices, &local_matrix(0, 0), ADD_VALUES);
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    for (unsigned int i = 0; i < n; ++i)
      residual(dofs[i]) += local_rhs(i);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_system(const bool frozen)
  {
    TimerOutput::Scope timer_section(computing_timer, "assembly");
    // Assembled through PETSc directly: one MatSetValues per block.
    Mat matrix = *system_matrix;
    MatZeroEntries(matrix);
    residual = 0;
    solution.update_ghost_values();

    // A failure (a material function refusing a state, a singular particle,
    // depleted electrolyte) is raised only after the collective compress(),
    // so that all processes leave the iteration together.
    std::string failure;
    try
      {
        assemble_particles(frozen, matrix);
        assemble_nodal_terms(frozen, matrix);
        assemble_cells(frozen, matrix);
      }
    catch (const std::exception &e)
      {
        failure = e.what();
      }
    MatAssemblyBegin(matrix, MAT_FINAL_ASSEMBLY);
    MatAssemblyEnd(matrix, MAT_FINAL_ASSEMBLY);
    residual.compress(VectorOperation::add);
    if (Utilities::MPI::max(failure.empty() ? 0 : 1, mpi_communicator) > 0)
      throw NewtonFailure(failure.empty() ? "failure on another process"
                                          : failure);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_nodal_terms(const bool frozen, Mat matrix)
  {
    const double       F       = constants::faraday;
    const double       T       = model.temperature();
    const double       f       = F / (constants::gas_constant * T);
    const unsigned int n_owned = locally_owned_dofs.n_elements();

    // Capacity eps dce/dt, lumped (frozen: ce held fixed).
    for (unsigned int i = 0; i < n_owned; ++i)
      if (is_concentration[i])
        {
          const types::global_dof_index g
            = locally_owned_dofs.nth_index_in_set(i);
          if (frozen)
            MatSetValue(matrix, g, g, 1.0, ADD_VALUES);
          else
            {
              const double m = capacity.local_element(i);
              residual.local_element(i) += m
                                           * (bdf_a0 * solution.local_element(i)
                                              + macro_history.local_element(i));
              MatSetValue(matrix, g, g, m * bdf_a0, ADD_VALUES);
            }
        }

    // The applied current leaves through the positive collector.
    if (control == Control::current)
      for (const auto g : collector_dofs)
        residual(g) += applied_current * collector_weight(g);

    // Half cell: Butler-Volmer at the lithium foil (x = 0).
    if (!model.half_cell)
      return;
    const double alpha = model.parameters.counter_electrode.symmetry_factor;
    for (unsigned int i = 0; i < n_owned; ++i)
      if (is_concentration[i] && foil_weight.local_element(i) != 0)
        {
          // ce and phi_e of a node are consecutive dofs.
          const types::global_dof_index g_ce
            = locally_owned_dofs.nth_index_in_set(i);
          const types::global_dof_index g_phie = g_ce + 1;
          const double                  gamma  = foil_weight.local_element(i);
          const double                  ce     = solution(g_ce);
          const double                  eta    = -solution(g_phie);
          MaterialFunction::Arguments   grad;
          const double                  j0
            = model.counter_exchange_current.value_and_gradient({{ce, T, 0}},
                                                                grad,
                                                                1);
          const double ea    = std::exp((1 - alpha) * f * eta);
          const double ec    = std::exp(-alpha * f * eta);
          const double i_li  = j0 * (ea - ec);
          const double di_de = j0 * f * ((1 - alpha) * ea + alpha * ec);
          if (!std::isfinite(i_li))
            throw NewtonFailure("lithium-foil reaction not finite");
          // The foil current enters the electrolyte (-i_li in the phi_e row,
          // whose sign is that of -div i_e); d/dphi_e = +di/deta.
          residual(g_phie) += -gamma * i_li;
          MatSetValue(matrix, g_phie, g_phie, gamma * di_de, ADD_VALUES);
          MatSetValue(
            matrix, g_phie, g_ce, -gamma * grad[0] * (ea - ec), ADD_VALUES);
          if (frozen)
            continue;
          // Li+ enters at the foil: I/F at constant current (so that the
          // lithium balance is exact), i_li/F otherwise.
          if (control == Control::current)
            residual(g_ce) += -gamma * applied_current / F;
          else
            {
              residual(g_ce) += -gamma * i_li / F;
              MatSetValue(matrix, g_ce, g_phie, gamma * di_de / F, ADD_VALUES);
              MatSetValue(matrix,
                          g_ce,
                          g_ce,
                          -gamma * grad[0] * (ea - ec) / F,
                          ADD_VALUES);
            }
        }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_cells(const bool frozen, Mat matrix)
  {
    const double F     = constants::faraday;
    const double RT_F2 = 2 * constants::gas_constant * model.temperature() / F;

    const QGauss<dim> quadrature(2);
    FEValues<dim>     fe_values(
      fe, quadrature, update_values | update_gradients | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    FullMatrix<double>                   cell_matrix(n, n);
    Vector<double>                       cell_rhs(n);
    std::vector<types::global_dof_index> dofs(n);
    std::vector<unsigned int>            component(n);
    for (unsigned int i = 0; i < n; ++i)
      component[i] = fe.system_to_component_index(i).first;
    std::vector<double>         u(n);
    std::vector<Tensor<1, dim>> B_grad(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int    region    = cell->material_id();
          const bool            electrode = model.regions[region].electrode;
          const Tensor<2, dim> &Be
            = cell_efficiency[cell->active_cell_index()].first;
          const Tensor<2, dim> &Bs
            = cell_efficiency[cell->active_cell_index()].second;
          const double sigma
            = electrode ? model.regions[region].material->conductivity() : 0;
          fe_values.reinit(cell);
          cell->get_dof_indices(dofs);
          for (unsigned int i = 0; i < n; ++i)
            u[i] = solution(dofs[i]);
          cell_matrix = 0;
          cell_rhs    = 0;
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              double         ce = 0;
              Tensor<1, dim> grad_ce, grad_phie, grad_phis;
              for (unsigned int i = 0; i < n; ++i)
                {
                  const Tensor<1, dim> &grad = fe_values.shape_grad(i, q);
                  switch (component[i])
                    {
                      case ce_component:
                        ce += u[i] * fe_values.shape_value(i, q);
                        grad_ce += u[i] * grad;
                        break;
                      case phie_component:
                        grad_phie += u[i] * grad;
                        break;
                      default:
                        grad_phis += u[i] * grad;
                    }
                }
              if (!(ce > 0))
                throw NewtonFailure("electrolyte depleted");
              const ElectrolyteState e = model.electrolyte.evaluate(ce);
              // i_e = -kappa B grad phi_e + kappa nu B grad ce with
              // nu = (2RT/F)(1 - t+) TDF / ce; N = -De B grad ce + t+ i_e/F.
              const double nu = RT_F2 * (1 - e.transference_number)
                                * e.thermodynamic_factor / ce;
              const double dnu
                = RT_F2
                  * (-e.d_transference_number * e.thermodynamic_factor
                     + (1 - e.transference_number) * e.d_thermodynamic_factor
                     - (1 - e.transference_number) * e.thermodynamic_factor
                         / ce)
                  / ce;
              const Tensor<1, dim> B_ce   = Be * grad_ce;
              const Tensor<1, dim> B_phie = Be * grad_phie;
              const Tensor<1, dim> i_e
                = -e.conductivity * B_phie + e.conductivity * nu * B_ce;
              const Tensor<1, dim> N
                = -e.diffusivity * B_ce + (e.transference_number / F) * i_e;
              const Tensor<1, dim> i_s = sigma * (Bs * grad_phis);
              if (!std::isfinite(i_e.norm()) || !std::isfinite(N.norm()))
                throw NewtonFailure("electrolyte flux not finite");
              const double JxW = fe_values.JxW(q);
              for (unsigned int i = 0; i < n; ++i)
                {
                  const Tensor<1, dim> &grad = fe_values.shape_grad(i, q);
                  switch (component[i])
                    {
                      case ce_component:
                        if (!frozen)
                          cell_rhs(i) -= N * grad * JxW;
                        break;
                      case phie_component:
                        cell_rhs(i) -= i_e * grad * JxW;
                        break;
                      default:
                        if (electrode)
                          cell_rhs(i) += i_s * grad * JxW;
                    }
                  B_grad[i]
                    = (component[i] == phis_component ? sigma * Bs : Be) * grad;
                }
              for (unsigned int j = 0; j < n; ++j)
                {
                  const double   phi_j = fe_values.shape_value(j, q);
                  Tensor<1, dim> d_ie, d_N;
                  if (component[j] == ce_component)
                    {
                      d_ie = -e.d_conductivity * phi_j * B_phie
                             + (e.d_conductivity * nu + e.conductivity * dnu)
                                 * phi_j * B_ce
                             + e.conductivity * nu * B_grad[j];
                      d_N = -e.d_diffusivity * phi_j * B_ce
                            - e.diffusivity * B_grad[j]
                            + (e.d_transference_number / F) * phi_j * i_e
                            + (e.transference_number / F) * d_ie;
                    }
                  else if (component[j] == phie_component)
                    {
                      d_ie = -e.conductivity * B_grad[j];
                      d_N  = (e.transference_number / F) * d_ie;
                    }
                  for (unsigned int i = 0; i < n; ++i)
                    {
                      const Tensor<1, dim> &grad = fe_values.shape_grad(i, q);
                      if (component[j] == phis_component)
                        {
                          if (component[i] == phis_component && electrode)
                            cell_matrix(i, j) += B_grad[j] * grad * JxW;
                        }
                      else if (component[i] == ce_component)
                        {
                          if (!frozen)
                            cell_matrix(i, j) -= d_N * grad * JxW;
                        }
                      else if (component[i] == phie_component)
                        cell_matrix(i, j) -= d_ie * grad * JxW;
                    }
                }
            }
          distribute_local_to_global(cell_matrix, cell_rhs, dofs, matrix);
        }
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                            \
  template void ElectrodeSolver<dim>::assemble_capacity(                        \
    LinearAlgebra::distributed::Vector<double> &) const;                        \
  template std::pair<Tensor<2, dim>, Tensor<2, dim>>                            \
                ElectrodeSolver<dim>::efficiency_of(const EffectiveTransport &, \
                                      unsigned int) const;        \
  template void ElectrodeSolver<dim>::update_effective_properties();            \
  template std::vector<MacroPointQuery> ElectrodeSolver<dim>::cell_queries(     \
    bool);                                                                      \
  template void ElectrodeSolver<dim>::distribute_local_to_global(               \
    FullMatrix<double> &,                                                       \
    Vector<double> &,                                                           \
    const std::vector<types::global_dof_index> &,                               \
    Mat);                                                                       \
  template void ElectrodeSolver<dim>::assemble_system(bool);                    \
  template void ElectrodeSolver<dim>::assemble_nodal_terms(bool, Mat);          \
  template void ElectrodeSolver<dim>::assemble_cells(bool, Mat);

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
