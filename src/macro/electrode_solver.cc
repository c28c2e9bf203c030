// ElectrodeSolver: construction, the mesh and its regions, the unknowns and
// constraints, the sparse direct linear solver, the initial state, setup()
// (fresh or from a checkpoint) and the state queries. The DFN assembly, the
// particles, Newton/BDF steps, the protocol loop, output and checkpoints
// live in the other electrode_*.cc files.

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>

#include <deal.II/distributed/tria.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>

#include <deal.II/numerics/vector_tools.h>

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <algorithm>
#include <limits>

namespace scalebridge::macro
{
  using namespace dealii;
  using namespace electrode_internal;

  namespace
  {
    template <int dim>
    std::unique_ptr<Triangulation<dim>>
    make_triangulation(MPI_Comm communicator)
    {
      if constexpr (dim == 1)
        {
          (void)communicator;
          return std::make_unique<Triangulation<dim>>();
        }
      else
        return std::make_unique<parallel::distributed::Triangulation<dim>>(
          communicator);
    }
  } // namespace

  template <int dim>
  ElectrodeSolver<dim>::ElectrodeSolver(const CellModel &model,
                                        MPI_Comm         communicator,
                                        const bool       verbose)
    : model(model)
    , mpi_communicator(dim == 1 ? MPI_COMM_SELF : communicator)
    , job_communicator(communicator)
    , pcout(std::cout,
            verbose && Utilities::MPI::this_mpi_process(communicator) == 0)
    , computing_timer(mpi_communicator,
                      pcout,
                      TimerOutput::never,
                      TimerOutput::wall_times)
    , triangulation(make_triangulation<dim>(mpi_communicator))
    , fe(FE_Q<dim>(1), 3)
    , dof_handler(*triangulation)
  {
  }

  template <int dim>
  ElectrodeSolver<dim>::~ElectrodeSolver()
  {
    if (ksp != nullptr)
      KSPDestroy(&ksp);
    if (petsc_rhs != nullptr)
      VecDestroy(&petsc_rhs);
    if (petsc_solution != nullptr)
      VecDestroy(&petsc_solution);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::make_grid()
  {
    const MeshParameters            &mesh = model.parameters.mesh;
    const auto                       x    = model.interfaces();
    std::vector<std::vector<double>> steps(dim);
    const auto add = [&](const unsigned int n, const double length) {
      for (unsigned int i = 0; i < n; ++i)
        steps[0].push_back(length / n);
    };
    if (!model.half_cell)
      add(mesh.cells_negative, x[1] - x[0]);
    add(mesh.cells_separator, x[2] - x[1]);
    add(mesh.cells_positive, x[3] - x[2]);
    Point<dim> p1, p2;
    p2[0] = x[3];
    for (unsigned int d = 1; d < dim; ++d)
      {
        const double extent = (d == 1) ? mesh.height : mesh.depth;
        steps[d].assign(mesh.in_plane_cells, extent / mesh.in_plane_cells);
        p2[d] = extent;
      }
    // Colorized: x = 0 has boundary id 0, x = L id 1.
    GridGenerator::subdivided_hyper_rectangle(
      *triangulation, steps, p1, p2, true);
    assign_regions();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assign_regions()
  {
    const auto x = model.interfaces();
    for (const auto &cell : triangulation->active_cell_iterators())
      {
        const double xc = cell->center()[0];
        cell->set_material_id((!model.half_cell && xc < x[1])
                                ? negative_electrode
                              : (xc < x[2]) ? separator
                                            : positive_electrode);
      }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::setup_system()
  {
    dof_handler.distribute_dofs(fe);
    locally_owned_dofs = dof_handler.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dof_handler, locally_relevant_dofs);

    // phi_s lives in the electrodes only; a node belongs to an electrode if
    // it lies in its closed x-interval (decided geometrically, so that all
    // processes agree on the constraints of shared nodes).
    const auto   x            = model.interfaces();
    const double tolerance    = 1e-9 * x[3];
    const auto   in_electrode = [&](const Point<dim> &p) {
      return (!model.half_cell && p[0] <= x[1] + tolerance)
             || p[0] >= x[2] - tolerance;
    };

    current_constraints.clear();
    current_constraints.reinit(locally_relevant_dofs);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        for (const unsigned int v : cell->vertex_indices())
          {
            const types::global_dof_index dof
              = cell->vertex_dof_index(v, phis_component);
            if (locally_relevant_dofs.is_element(dof)
                && !in_electrode(cell->vertex(v))
                && !current_constraints.is_constrained(dof))
              current_constraints.add_line(dof);
          }
    const ComponentMask phis_mask
      = fe.component_mask(FEValuesExtractors::Scalar(phis_component));
    if (!model.half_cell)
      VectorTools::interpolate_boundary_values(dof_handler,
                                               0,
                                               Functions::ZeroFunction<dim>(3),
                                               current_constraints,
                                               phis_mask);
    voltage_constraints.clear();
    voltage_constraints.reinit(locally_relevant_dofs);
    voltage_constraints.merge(current_constraints);
    VectorTools::interpolate_boundary_values(dof_handler,
                                             1,
                                             Functions::ZeroFunction<dim>(3),
                                             voltage_constraints,
                                             phis_mask);
    current_constraints.close();
    voltage_constraints.close();
    for (const auto *c : {&current_constraints, &voltage_constraints})
      for (const auto &line : c->get_lines())
        AssertThrow(line.entries.empty() && line.inhomogeneity == 0,
                    ExcMessage("distribute_local_to_global() assumes "
                               "constraints that fix values only"));
    constraints = &current_constraints;

    // Both constraint sets use the plain coupling pattern, so the matrix
    // (and the symbolic factorization) survives a change of control.
    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp);
    SparsityTools::distribute_sparsity_pattern(dsp,
                                               locally_owned_dofs,
                                               mpi_communicator,
                                               locally_relevant_dofs);
    const bool serial = Utilities::MPI::n_mpi_processes(mpi_communicator) == 1;
    if (serial)
      {
        auto matrix = std::make_unique<PETScWrappers::SparseMatrix>();
        matrix->reinit(dsp);
        system_matrix = std::move(matrix);
      }
    else
      {
        auto matrix = std::make_unique<PETScWrappers::MPI::SparseMatrix>();
        matrix->reinit(locally_owned_dofs,
                       locally_owned_dofs,
                       dsp,
                       mpi_communicator);
        system_matrix = std::move(matrix);
      }
    if (petsc_rhs != nullptr)
      VecDestroy(&petsc_rhs);
    if (petsc_solution != nullptr)
      VecDestroy(&petsc_solution);
    check_petsc(MatCreateVecs(*system_matrix, &petsc_solution, &petsc_rhs),
                "MatCreateVecs");

    for (auto *v : {&solution,
                    &residual,
                    &newton_update,
                    &capacity,
                    &collector_weight,
                    &foil_weight})
      v->reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    macro_history.reinit(locally_owned_dofs, mpi_communicator);
    predictor.reinit(locally_owned_dofs, mpi_communicator);

    // Lumped (nodal) weights: int eps v_i over the cell, and int v_i over
    // the collector faces, stored at every component of a node.
    assemble_capacity(capacity);
    QGauss<dim - 1>                      face_quadrature(2);
    FEFaceValues<dim>                    fe_face_values(fe,
                                     face_quadrature,
                                     update_values | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dofs);
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary()
                && cell->face(f)->boundary_id() <= 1)
              {
                auto &target = cell->face(f)->boundary_id() == 1
                                 ? collector_weight
                                 : foil_weight;
                fe_face_values.reinit(cell, f);
                for (unsigned int i = 0; i < n; ++i)
                  {
                    double integral = 0;
                    for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                      integral += fe_face_values.shape_value(i, q)
                                  * fe_face_values.JxW(q);
                    target(dofs[i]) += integral;
                  }
              }
        }
    collector_weight.compress(VectorOperation::add);
    foil_weight.compress(VectorOperation::add);

    // The positive collector: owned phi_s dofs on x = L, and its area.
    const unsigned int n_owned = locally_owned_dofs.n_elements();
    const IndexSet phis_set    = DoFTools::extract_dofs(dof_handler, phis_mask);
    double         area        = 0;
    collector_dofs.clear();
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        const types::global_dof_index g
          = locally_owned_dofs.nth_index_in_set(i);
        if (collector_weight.local_element(i) != 0 && phis_set.is_element(g))
          {
            collector_dofs.push_back(g);
            area += collector_weight.local_element(i);
          }
      }
    collector_area = Utilities::MPI::sum(area, mpi_communicator);

    // Natural scales of the unknowns for error and Newton norms.
    const double thermal_voltage
      = constants::gas_constant * model.temperature() / constants::faraday;
    const IndexSet ce_set = DoFTools::extract_dofs(
      dof_handler, fe.component_mask(FEValuesExtractors::Scalar(ce_component)));
    inverse_scale.assign(n_owned, 1 / thermal_voltage);
    is_concentration.assign(n_owned, false);
    for (const auto g : ce_set)
      if (locally_owned_dofs.is_element(g))
        {
          const unsigned int i = locally_owned_dofs.index_within_set(g);
          inverse_scale[i]     = 1 / model.electrolyte.initial_concentration();
          is_concentration[i]  = true;
        }

    setup_linear_solver(false);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::setup_linear_solver(const bool pivoting)
  {
    // A sparse direct factorization by default; the prefix macro_ lets users
    // choose another from PETSc's options.
    //  - One process: PETSc's own LU with RCM ordering (these systems are
    //    banded) is the fastest, but it does not pivot; should a pivot
    //    vanish (it can in 3D), KLU with partial pivoting takes over.
    //  - Several, up to 1e5 unknowns: each process factors the gathered
    //    matrix (PCREDUNDANT), which beats a distributed factorization by
    //    far at these sizes (fewer, larger messages); same fallback.
    //  - Beyond: MUMPS.
    const bool serial = Utilities::MPI::n_mpi_processes(mpi_communicator) == 1;
    if (ksp != nullptr)
      KSPDestroy(&ksp);
    check_petsc(KSPCreate(mpi_communicator, &ksp), "KSPCreate");
    KSPSetOptionsPrefix(ksp, "macro_");
    KSPSetType(ksp, KSPPREONLY);
    PC pc;
    KSPGetPC(ksp, &pc);
    const auto sequential_lu = [&](PC lu) {
      PCSetType(lu, PCLU);
      if (pivoting)
        PCFactorSetMatSolverType(lu, MATSOLVERKLU);
      else
        {
          PCFactorSetMatSolverType(lu, MATSOLVERPETSC);
          PCFactorSetMatOrderingType(lu, MATORDERINGRCM);
        }
    };
    if (serial)
      sequential_lu(pc);
    else if (dof_handler.n_dofs() <= 100000)
      {
        PCSetType(pc, PCREDUNDANT);
        KSP inner;
        PCRedundantGetKSP(pc, &inner);
        KSPSetType(inner, KSPPREONLY);
        PC inner_pc;
        KSPGetPC(inner, &inner_pc);
        sequential_lu(inner_pc);
      }
    else
      {
        PCSetType(pc, PCLU);
        PCFactorSetMatSolverType(pc, MATSOLVERMUMPS);
      }
    const std::string &options = model.parameters.time_stepping.petsc_options;
    if (!options.empty())
      check_petsc(PetscOptionsInsertString(nullptr, options.c_str()),
                  "PETSc options");
    KSPSetFromOptions(ksp);
    pivoting_solver = pivoting;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::solve_linear_system()
  {
    TimerOutput::Scope timer_section(computing_timer, "linear solve");
    const unsigned int n_owned = locally_owned_dofs.n_elements();
    Vec                rhs     = petsc_rhs;
    PetscScalar       *array;
    VecGetArray(rhs, &array);
    for (unsigned int i = 0; i < n_owned; ++i)
      array[i] = -residual.local_element(i);
    VecRestoreArray(rhs, &array);

    Mat                matrix = *system_matrix;
    Vec                x      = petsc_solution;
    KSPConvergedReason reason;
    for (unsigned int attempt = 0; attempt < 2; ++attempt)
      {
        check_petsc(KSPSetOperators(ksp, matrix, matrix), "KSPSetOperators");
        check_petsc(KSPSolve(ksp, rhs, x), "KSPSolve");
        KSPGetConvergedReason(ksp, &reason);
        if (reason >= 0 || pivoting_solver)
          break;
        // A zero pivot of the LU without pivoting: from now on, pivot.
        pcout << "  (the LU factorization without pivoting failed; "
                 "continuing with KLU)"
              << std::endl;
        setup_linear_solver(true);
      }
    if (reason < 0)
      throw NewtonFailure("linear solver failed");

    const PetscScalar *values;
    VecGetArrayRead(x, &values);
    for (unsigned int i = 0; i < n_owned; ++i)
      newton_update.local_element(i) = values[i];
    VecRestoreArrayRead(x, &values);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::set_initial_state()
  {
    current_time     = 0;
    const double ce0 = model.electrolyte.initial_concentration();
    const auto  &neg = model.regions[negative_electrode];
    const auto  &pos = model.regions[positive_electrode];
    const double U_n
      = model.half_cell
          ? 0
          : neg.material->open_circuit_potential(neg.initial_stoichiometry);
    const double U_p
      = pos.material->open_circuit_potential(pos.initial_stoichiometry);
    const auto x = model.interfaces();

    // At rest: phi_e = -U_n everywhere, phi_s = 0 in the negative and
    // U_p - U_n in the positive electrode; the first step's consistent
    // initialization adds the response to the applied current.
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int v : cell->vertex_indices())
          {
            const types::global_dof_index d0 = cell->vertex_dof_index(v, 0);
            if (!locally_owned_dofs.is_element(d0))
              continue;
            const bool positive = cell->vertex(v)[0] >= x[2] - 1e-9 * x[3];
            solution(cell->vertex_dof_index(v, ce_component))   = ce0;
            solution(cell->vertex_dof_index(v, phie_component)) = -U_n;
            solution(cell->vertex_dof_index(v, phis_component))
              = positive ? U_p - U_n : 0;
          }
    // Constrained phi_s outside the electrodes and at x = 0 hold zero.
    impose_constrained_values();

    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const RegionData &r = model.regions[sites[s].region];
        const double      c0
          = r.initial_stoichiometry * r.material->max_concentration();
        std::fill_n(&particles[s * n_p], n_p, c0);
      }
    restart_history();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::setup(const std::string &checkpoint)
  {
    TimerOutput::Scope t(computing_timer, "setup");
    if (model.parameters.checkpoint.interval > 0
        && Utilities::MPI::this_mpi_process(job_communicator) == 0)
      input_identity = input_fingerprint(model.parameters);
    make_grid();
    if (!checkpoint.empty())
      read_checkpoint_scalars(checkpoint);
    setup_system();
    setup_particles();
    if (checkpoint.empty())
      {
        // After the initial state: a state-dependent provider sees it.
        set_initial_state();
        update_effective_properties();
        if (capacity_pending)
          {
            // The initial state holds the cells' own porosities from the
            // start.
            capacity         = next_capacity;
            capacity_pending = false;
            restart_history();
          }
        statistics = SolverStatistics();
      }
    else
      {
        LinearAlgebra::distributed::Vector<double> nodes = gather_nodal_state();
        cell_efficiency.resize(triangulation->n_active_cells());
        cell_transport.resize(triangulation->n_active_cells());
        if constexpr (dim > 1)
          {
            auto &tria
              = dynamic_cast<parallel::DistributedTriangulationBase<dim> &>(
                *triangulation);
            const unsigned int handle = tria.register_data_attach(
              [](const auto &, const auto) { return std::vector<char>(); },
              false);
            tria.notify_ready_to_unpack(
              handle,
              [&](const typename Triangulation<dim>::cell_iterator &cell,
                  const auto,
                  const auto &data) {
                unpack_cell(cell, &*data.begin(), nodes);
              });
          }
        else
          for (const auto &cell : triangulation->active_cell_iterators())
            unpack_cell(cell,
                        serial_records.at(cell->active_cell_index()).data(),
                        nodes);
        serial_records.clear();
        scatter_nodal_state(nodes);
        if (pivoting_solver)
          setup_linear_solver(true);
        apply_control(control,
                      control == Control::voltage ? applied_voltage
                                                  : applied_current);
      }

    statistics.dimension    = dim;
    statistics.n_cells      = triangulation->n_global_active_cells();
    statistics.n_macro_dofs = dof_handler.n_dofs();
    statistics.n_particles
      = Utilities::MPI::sum<unsigned long long>(sites.size(), mpi_communicator);
    statistics.n_particle_unknowns = statistics.n_particles * n_p;
    statistics.n_mpi_processes
      = Utilities::MPI::n_mpi_processes(mpi_communicator);
    setup_mechanics();
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::time() const
  {
    return current_time;
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::terminal_voltage() const
  {
    // phi_s = 0 at x = 0 (full cell) and the lithium foil is the reference
    // (half cell), so V is the collector average of phi_s at x = L.
    double sum = 0;
    for (const auto g : collector_dofs)
      sum += collector_weight(g) * solution(g);
    return Utilities::MPI::sum(sum, mpi_communicator) / collector_area;
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::current_density() const
  {
    if (control == Control::current)
      return applied_current;
    // At constant voltage: I = -int_positive a j dx per collector area.
    double sum = 0;
    for (std::size_t s = 0; s < sites.size(); ++s)
      if (sites[s].region == positive_electrode)
        sum -= sites[s].area_weight * reaction[s];
    return Utilities::MPI::sum(sum, mpi_communicator) / collector_area;
  }

  template <int dim>
  LithiumInventory
  ElectrodeSolver<dim>::lithium_inventory() const
  {
    std::array<double, 3> local{{0, 0, 0}};
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      if (is_concentration[i])
        local[2] += capacity.local_element(i) * solution.local_element(i);
    for (std::size_t s = 0; s < sites.size(); ++s)
      local[sites[s].region == negative_electrode ? 0 : 1]
        += sites[s].volume_weight
           * particle_models[sites[s].electrode].mesh().mean(
             &particles[s * n_p]);
    LithiumInventory result;
    result.negative_solid
      = Utilities::MPI::sum(local[0], mpi_communicator) / collector_area;
    result.positive_solid
      = Utilities::MPI::sum(local[1], mpi_communicator) / collector_area;
    result.electrolyte
      = Utilities::MPI::sum(local[2], mpi_communicator) / collector_area;
    return result;
  }

  template <int dim>
  std::array<double, 2>
  ElectrodeSolver<dim>::mean_stoichiometry() const
  {
    std::array<double, 4> local{{0, 0, 0, 0}};
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const unsigned int   e  = sites[s].region == negative_electrode ? 0 : 1;
        const ParticleModel &pm = particle_models[sites[s].electrode];
        local[e] += sites[s].volume_weight * pm.mesh().mean(&particles[s * n_p])
                    / pm.material().max_concentration();
        local[2 + e] += sites[s].volume_weight;
      }
    std::array<double, 4> global;
    MPI_Allreduce(
      local.data(), global.data(), 4, MPI_DOUBLE, MPI_SUM, mpi_communicator);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {{global[2] > 0 ? global[0] / global[2] : nan,
             global[3] > 0 ? global[1] / global[3] : nan}};
  }

  template class ElectrodeSolver<1>;
  template class ElectrodeSolver<2>;
  template class ElectrodeSolver<3>;
} // namespace scalebridge::macro
