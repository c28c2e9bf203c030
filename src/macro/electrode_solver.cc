#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>

#include <deal.II/distributed/tria.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/vector.h>

#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/petsc_options.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/macro/bdf.h>
#include <scalebridge/macro/checkpoint.h>
#include <scalebridge/macro/electrode_solver.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

namespace scalebridge::macro
{
  using namespace dealii;

  namespace
  {
    constexpr unsigned int ce_component   = 0;
    constexpr unsigned int phie_component = 1;
    constexpr unsigned int phis_component = 2;

    /// A Newton iteration that cannot continue (non-finite values, depleted
    /// electrolyte, failed factorization): the step is retried shorter.
    class NewtonFailure : public std::runtime_error
    {
    public:
      using std::runtime_error::runtime_error;
    };

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

    void
    check_petsc(const PetscErrorCode code, const char *what)
    {
      if (code != 0)
        throw NewtonFailure(std::string("PETSc error in ") + what);
    }

    /// int v_i over the cell @p fe_values was last reinitialised on, for
    /// every shape function v_i (the lumped mass of the cell).
    template <int dim>
    void
    shape_integrals(const FEValues<dim> &fe_values, std::vector<double> &m)
    {
      m.assign(fe_values.dofs_per_cell, 0.);
      for (unsigned int i = 0; i < m.size(); ++i)
        for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
          m[i] += fe_values.shape_value(i, q) * fe_values.JxW(q);
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
  ElectrodeSolver<dim>::setup_particles()
  {
    const MeshParameters &mesh = model.parameters.mesh;
    particle_models.clear();
    std::array<int, 3> model_index{{-1, -1, -1}};
    for (const unsigned int r : {negative_electrode, positive_electrode})
      if (model.regions[r].present)
        {
          model_index[r] = particle_models.size();
          particle_models.emplace_back(
            ParticleMesh(model.regions[r].particle_radius,
                         mesh.particle_cells,
                         mesh.particle_ratio),
            *model.regions[r].material);
        }
    n_p = mesh.particle_cells + 1;

    // Nodal weights int a v_i and int eps_s v_i of the electrodes.
    LinearAlgebra::distributed::Vector<double> area(locally_owned_dofs,
                                                    locally_relevant_dofs,
                                                    mpi_communicator);
    LinearAlgebra::distributed::Vector<double> volume(area);
    QGauss<dim>                                quadrature(2);
    FEValues<dim> fe_values(fe, quadrature, update_values | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    std::vector<double>                  integrals;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned()
          && model.regions[cell->material_id()].electrode)
        {
          const RegionData &region = model.regions[cell->material_id()];
          const double      eps_s  = region.active_material_fraction;
          const double      a      = 3 * eps_s / region.particle_radius;
          cell->get_dof_indices(dofs);
          fe_values.reinit(cell);
          shape_integrals(fe_values, integrals);
          for (unsigned int i = 0; i < n; ++i)
            {
              area(dofs[i]) += a * integrals[i];
              volume(dofs[i]) += eps_s * integrals[i];
            }
        }
    area.compress(VectorOperation::add);
    volume.compress(VectorOperation::add);

    // A particle at every owned electrode node. Ghost cells are visited as
    // well: an owned node may touch electrode cells of other processes only.
    sites.clear();
    site_of_dof.clear();
    std::vector<bool> seen(locally_owned_dofs.n_elements(), false);
    const auto       &partitioner = solution.get_partitioner();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial()
          && model.regions[cell->material_id()].electrode)
        for (const unsigned int v : cell->vertex_indices())
          {
            const types::global_dof_index dof0 = cell->vertex_dof_index(v, 0);
            if (!locally_owned_dofs.is_element(dof0))
              continue;
            const unsigned int i0 = locally_owned_dofs.index_within_set(dof0);
            if (seen[i0])
              continue;
            seen[i0] = true;
            Site site;
            for (unsigned int c = 0; c < 3; ++c)
              {
                site.dofs[c]  = cell->vertex_dof_index(v, c);
                site.local[c] = partitioner->global_to_local(site.dofs[c]);
              }
            site.region        = cell->material_id();
            site.electrode     = model_index[site.region];
            site_of_dof[dof0]  = sites.size();
            site.area_weight   = area.local_element(site.local[0]);
            site.volume_weight = volume.local_element(site.local[0]);
            sites.push_back(site);
          }

    const std::size_t n_sites = sites.size();
    particles.assign(n_sites * n_p, 0);
    particle_history.assign(n_sites * n_p, 0);
    particle_predictor.assign(n_sites * n_p, 0);
    particle_update.assign(n_sites * n_p, 0);
    reaction.assign(n_sites, 0);
    condensed_reaction.assign(n_sites, 0);
    reaction_gradient.assign(n_sites, {{0, 0, 0}});
    tridiagonal_solutions.assign(2 * n_sites * n_p, 0);
    max_concentration_of_site.resize(n_sites);
    for (std::size_t s = 0; s < n_sites; ++s)
      max_concentration_of_site[s]
        = particle_models[sites[s].electrode].material().max_concentration();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_capacity(
    LinearAlgebra::distributed::Vector<double> &target) const
  {
    // The porosity of a cell is its region's, or what a state-dependent
    // provider (FE2: the cell's RVE) reported for it.
    target.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    QGauss<dim>   quadrature(2);
    FEValues<dim> fe_values(fe, quadrature, update_values | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    std::vector<double>                  integrals;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dofs);
          const double eps
            = cell_transport.empty()
                ? model.regions[cell->material_id()].porosity
                : cell_transport[cell->active_cell_index()].porosity;
          fe_values.reinit(cell);
          shape_integrals(fe_values, integrals);
          for (unsigned int i = 0; i < n; ++i)
            target(dofs[i]) += eps * integrals[i];
        }
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

    // Per cell: the mean lithium site fraction of the particles at its
    // nodes (a ghosted nodal field, since a cell's nodes may be owned
    // elsewhere) and its mean electrolyte concentration.
    LinearAlgebra::distributed::Vector<double> node_lithiation;
    if (per_cell)
      {
        solution.update_ghost_values();
        node_lithiation.reinit(locally_owned_dofs,
                               locally_relevant_dofs,
                               mpi_communicator);
        for (std::size_t s = 0; s < sites.size(); ++s)
          node_lithiation.local_element(sites[s].local[0])
            = particle_models[sites[s].electrode].mesh().mean(
                &particles[s * n_p])
              / max_concentration_of_site[s];
        node_lithiation.update_ghost_values();
      }
    std::vector<MacroPointQuery> queries;
    std::vector<unsigned int>    query_cell;
    cell_efficiency.resize(triangulation->n_active_cells());
    cell_transport.resize(triangulation->n_active_cells());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int r = cell->material_id();
          if (!per_cell)
            {
              cell_transport[cell->active_cell_index()] = region_values[r];
              continue;
            }
          MacroPointQuery query;
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
          query_cell.push_back(cell->active_cell_index());
        }
    if (per_cell)
      {
        const std::vector<EffectiveTransport> values
          = provider.evaluate_all(queries);
        for (std::size_t k = 0; k < values.size(); ++k)
          cell_transport[query_cell[k]] = values[k];
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
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::restart_history()
  {
    history.clear();
    accept_step();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::accept_step()
  {
    State state;
    if (history.size() == 3)
      {
        state = std::move(history.back());
        history.pop_back();
      }
    else
      state.macro.reinit(locally_owned_dofs, mpi_communicator);
    state.time = current_time;
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      state.macro.local_element(i) = solution.local_element(i);
    state.particles = particles;
    state.capacity.resize(locally_owned_dofs.n_elements());
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      state.capacity[i] = capacity.local_element(i);
    history.push_front(std::move(state));
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::impose_constrained_values()
  {
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      if (current_constraints.is_constrained(
            locally_owned_dofs.nth_index_in_set(i)))
        solution.local_element(i) = 0;
    if (control == Control::voltage)
      for (const auto g : collector_dofs)
        solution(g) = applied_voltage;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::apply_control(const Control c, const double value)
  {
    control = c;
    if (c == Control::current)
      {
        constraints     = &current_constraints;
        applied_current = value;
      }
    else
      {
        constraints     = &voltage_constraints;
        applied_voltage = value;
      }
    impose_constrained_values();
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
  ElectrodeSolver<dim>::assemble_particles(const bool frozen, Mat matrix)
  {
    const double F = constants::faraday;
    const double f = F / (constants::gas_constant * model.temperature());

    std::vector<double> work(8 * n_p);
    double             *R = work.data(), *lower = R + n_p, *diag = lower + n_p,
           *upper = diag + n_p, *scratch = upper + n_p;
    FullMatrix<double>                   block(3, 3);
    Vector<double>                       block_rhs(3);
    std::vector<types::global_dof_index> block_dofs(3);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const Site              &site  = sites[s];
        const ParticleModel     &pm    = particle_models[site.electrode];
        const ElectrodeMaterial &mat   = pm.material();
        const double             ce    = solution.local_element(site.local[0]);
        const double             phie  = solution.local_element(site.local[1]);
        const double             phis  = solution.local_element(site.local[2]);
        const double            *c     = &particles[s * n_p];
        const double             c_max = mat.max_concentration();
        const double             cs    = c[n_p - 1];

        // Butler-Volmer at the particle surface and its derivatives with
        // respect to the node's (ce, phi_e, phi_s) and to c_s,surf.
        double       dU;
        const double U   = mat.open_circuit_potential(cs / c_max, dU);
        const double eta = phis - phie - U;
        double       dj0_dce, dj0_dcs;
        const double j0
          = mat.exchange_current_density(ce, cs, dj0_dce, dj0_dcs);
        const double                alpha = mat.symmetry_factor();
        const double                ea    = std::exp((1 - alpha) * f * eta);
        const double                ec    = std::exp(-alpha * f * eta);
        const double                S     = ea - ec;
        const double                dS    = f * ((1 - alpha) * ea + alpha * ec);
        const double                j     = j0 * S;
        const double                dj_deta = j0 * dS;
        const std::array<double, 3> J_u{{dj0_dce * S, -dj_deta, dj_deta}};
        const double                J_c = dj0_dcs * S - dj_deta * dU / c_max;
        if (!std::isfinite(j) || !std::isfinite(J_c) || !(ce > 0))
          throw NewtonFailure("reaction not finite");

        reaction[s] = j;
        if (frozen)
          {
            condensed_reaction[s] = j;
            reaction_gradient[s]  = J_u;
          }
        else
          {
            pm.residual_and_jacobian(c,
                                     &particle_history[s * n_p],
                                     bdf_a0,
                                     j,
                                     R,
                                     lower,
                                     diag,
                                     upper,
                                     scratch);
            // y = T^-1 e_N and z = T^-1 R in one sweep.
            double *yz = &tridiagonal_solutions[2 * s * n_p];
            std::fill_n(yz, n_p, 0.);
            yz[n_p - 1] = 1;
            std::copy_n(R, n_p, yz + n_p);
            solve_tridiagonal(n_p, lower, diag, upper, yz, 2);
            // dc_N = -z_N - g y_N dj and dj = J_u du + J_c dc_N give
            // dj = (J_u du - J_c z_N) / (1 + g J_c y_N).
            const double g = pm.surface_coefficient();
            const double D = 1 + g * J_c * yz[n_p - 1];
            if (!(D > 0))
              throw NewtonFailure("particle condensation singular");
            condensed_reaction[s] = j - J_c * yz[2 * n_p - 1] / D;
            for (unsigned int k = 0; k < 3; ++k)
              reaction_gradient[s][k] = J_u[k] / D;
          }

        // The reaction in the three macro equations of this node.
        const double                w = site.area_weight;
        const std::array<double, 3> row{{frozen ? 0 : -w / F, -w, w}};
        for (unsigned int a = 0; a < 3; ++a)
          {
            block_dofs[a] = site.dofs[a];
            block_rhs(a)  = row[a] * condensed_reaction[s];
            for (unsigned int b = 0; b < 3; ++b)
              block(a, b) = row[a] * reaction_gradient[s][b];
          }
        distribute_local_to_global(block, block_rhs, block_dofs, matrix);
      }
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
  double
  ElectrodeSolver<dim>::scaled_max_norm(
    const LinearAlgebra::distributed::Vector<double> &macro,
    const std::vector<double>                        &p) const
  {
    return Utilities::MPI::max(local_scaled_max_norm(macro, p),
                               mpi_communicator);
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::local_scaled_max_norm(
    const LinearAlgebra::distributed::Vector<double> &macro,
    const std::vector<double>                        &p) const
  {
    double norm = 0;
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      norm
        = std::max(norm, std::abs(macro.local_element(i)) * inverse_scale[i]);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const double inverse = 1
                               / particle_models[sites[s].electrode]
                                   .material()
                                   .max_concentration();
        for (unsigned int k = 0; k < n_p; ++k)
          norm = std::max(norm, std::abs(p[s * n_p + k]) * inverse);
      }
    if (!std::isfinite(norm))
      norm = std::numeric_limits<double>::infinity();
    return norm;
  }

  template <int dim>
  bool
  ElectrodeSolver<dim>::newton_solve(const bool frozen)
  {
    const TimeSteppingParameters &ts = model.parameters.time_stepping;
    const double tolerance           = ts.newton_tolerance * ts.tolerance;
    const double f
      = constants::faraday / (constants::gas_constant * model.temperature());
    const unsigned int n_owned       = locally_owned_dofs.n_elements();
    double             previous_norm = 0;
    try
      {
        // Consistent potentials start from far away (a jump of the current):
        // give that solve room, it is cheap.
        const unsigned int max_iterations
          = frozen ? std::max(50u, ts.newton_iterations) : ts.newton_iterations;
        for (unsigned int it = 0; it < max_iterations; ++it)
          {
            assemble_system(frozen);
            solve_linear_system();
            ++statistics.newton_iterations;

            // Recover the particle updates: dc = -z - g y dj.
            for (std::size_t s = 0; s < sites.size(); ++s)
              {
                const Site &site = sites[s];
                double      dj   = condensed_reaction[s] - reaction[s];
                for (unsigned int k = 0; k < 3; ++k)
                  dj += reaction_gradient[s][k]
                        * newton_update.local_element(site.local[k]);
                double *dc = &particle_update[s * n_p];
                if (frozen)
                  std::fill_n(dc, n_p, 0.);
                else
                  {
                    const double g
                      = particle_models[site.electrode].surface_coefficient();
                    const double *y = &tridiagonal_solutions[2 * s * n_p];
                    const double *z = y + n_p;
                    for (unsigned int k = 0; k < n_p; ++k)
                      dc[k] = -z[k] - g * y[k] * dj;
                  }
                // j at the new state (to first order), for reporting.
                condensed_reaction[s] = reaction[s] + dj;
              }

            // Damping that keeps concentrations inside their bounds (cut
            // the step so that no concentration loses more than 90% of its
            // distance to a bound); usually lambda = 1.
            double lambda = 1;
            for (unsigned int i = 0; i < n_owned; ++i)
              if (is_concentration[i])
                {
                  const double c = solution.local_element(i);
                  const double d = newton_update.local_element(i);
                  if (d < -0.9 * c)
                    lambda = std::min(lambda, -0.9 * c / d);
                }
            for (std::size_t s = 0; s < sites.size(); ++s)
              {
                const double c_max = particle_models[sites[s].electrode]
                                       .material()
                                       .max_concentration();
                for (unsigned int k = 0; k < n_p; ++k)
                  {
                    const double c = particles[s * n_p + k];
                    const double d = particle_update[s * n_p + k];
                    if (d < -0.9 * c)
                      lambda = std::min(lambda, -0.9 * c / d);
                    else if (d > 0.9 * (c_max - c))
                      lambda = std::min(lambda, 0.9 * (c_max - c) / d);
                  }
              }
            // Potentials move by at most 8 RT/F per iteration: Butler-Volmer's
            // exponentials make a full Newton step from far away overshoot
            // (e.g. after a change of control at a nearly empty surface).
            const double max_change = 8 / f;
            for (unsigned int i = 0; i < n_owned; ++i)
              if (!is_concentration[i])
                {
                  const double d = std::abs(newton_update.local_element(i));
                  if (d * lambda > max_change)
                    lambda = max_change / d;
                }
            // One reduction for both: the largest scaled update and the
            // smallest damping factor.
            double reduced[2]
              = {local_scaled_max_norm(newton_update, particle_update),
                 -lambda};
            MPI_Allreduce(
              MPI_IN_PLACE, reduced, 2, MPI_DOUBLE, MPI_MAX, mpi_communicator);
            lambda            = -reduced[1];
            const double norm = lambda * reduced[0];

            for (unsigned int i = 0; i < n_owned; ++i)
              {
                newton_update.local_element(i) *= lambda;
                solution.local_element(i) += newton_update.local_element(i);
              }
            for (std::size_t s = 0; s < sites.size(); ++s)
              {
                for (unsigned int k = 0; k < n_p; ++k)
                  {
                    particle_update[s * n_p + k] *= lambda;
                    particles[s * n_p + k] += particle_update[s * n_p + k];
                  }
                reaction[s] += lambda * (condensed_reaction[s] - reaction[s]);
              }
            if (!std::isfinite(norm))
              return false;
            // Converged when the update, or the error left after it as
            // estimated from the contraction rate (rho/(1-rho) |du|), is
            // below the tolerance.
            const double rho = it > 0 ? norm / previous_norm : 1;
            if (lambda == 1
                && (norm <= tolerance
                    || (rho < 0.5 && rho / (1 - rho) * norm <= tolerance)))
              return true;
            previous_norm = norm;
          }
      }
    catch (const std::exception &)
      {
        // A failed assembly (a material function refusing a state of a wild
        // iterate, ...) or factorization: all processes get here together
        // (assemble_system() raises failures collectively); the step is
        // retried shorter.
        return false;
      }
    return false;
  }

  template <int dim>
  bool
  ElectrodeSolver<dim>::try_step(const double h)
  {
    if (capacity_pending)
      {
        capacity         = next_capacity;
        capacity_pending = false;
      }
    std::vector<double> times;
    for (const State &s : history)
      times.push_back(s.time);
    const BdfStep b = bdf_step(h, times);
    bdf_a0          = b.a[0];
    bdf_order       = b.order;

    const unsigned int n_owned = locally_owned_dofs.n_elements();
    const std::size_t  n_part  = particles.size();
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        // d(eps ce)/dt: earlier concentrations enter with the capacity
        // they were computed with, relative to the present one.
        const double m      = capacity.local_element(i);
        const auto   weight = [&](const State &state) {
          return is_concentration[i] && m > 0 ? state.capacity[i] / m : 1.;
        };
        double hist
          = b.a[1] * weight(history[0]) * history[0].macro.local_element(i);
        double pred = 0;
        if (b.order == 2)
          hist
            += b.a[2] * weight(history[1]) * history[1].macro.local_element(i);
        for (unsigned int k = 0; k < b.n_predictor; ++k)
          pred += b.p[k] * history[k].macro.local_element(i);
        macro_history.local_element(i) = hist;
        predictor.local_element(i)     = pred;
        solution.local_element(i)      = pred;
      }
    for (std::size_t m = 0; m < n_part; ++m)
      {
        double hist = b.a[1] * history[0].particles[m];
        double pred = 0;
        if (b.order == 2)
          hist += b.a[2] * history[1].particles[m];
        for (unsigned int k = 0; k < b.n_predictor; ++k)
          pred += b.p[k] * history[k].particles[m];
        particle_history[m] = hist;
        // Extrapolation may run towards or out of (0, c_max) where U has
        // its logarithmic ends: the predictor moves at most half the way
        // from the last value to a bound (the Newton damping rule).
        const double c_max = max_concentration_of_site[m / n_p];
        const double last  = history[0].particles[m];
        pred = std::clamp(pred, 0.5 * last, last + 0.5 * (c_max - last));
        particle_predictor[m] = pred;
        particles[m]          = pred;
      }
    current_time = history[0].time + h;
    // Extrapolation would amplify round-off in the values that constraints
    // fix (Newton never corrects them): impose them exactly.
    impose_constrained_values();

    if (!newton_solve(false))
      return false;

    // Local error estimate from the distance to the predictor.
    for (unsigned int i = 0; i < n_owned; ++i)
      newton_update.local_element(i)
        = solution.local_element(i) - predictor.local_element(i);
    for (std::size_t m = 0; m < n_part; ++m)
      particle_update[m] = particles[m] - particle_predictor[m];
    last_error = b.error_weight
                 * scaled_max_norm(newton_update, particle_update)
                 / model.parameters.time_stepping.tolerance;
    return true;
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

  template <int dim>
  std::vector<std::string>
  ElectrodeSolver<dim>::cell_field_names()
  {
    // 1D cells use xx; yy shows the in-plane efficiency of the same RVE.
    std::vector<std::string> names{"porosity"};
    for (const std::string phase : {"electrolyte", "solid"})
      for (unsigned int d = 0; d < std::max<unsigned int>(dim, 2); ++d)
        names.push_back(phase + "_efficiency_" + std::string(2, "xyz"[d]));
    return names;
  }

  template <int dim>
  std::vector<double>
  ElectrodeSolver<dim>::cell_field_values(const unsigned int cell) const
  {
    const EffectiveTransport &t = cell_transport[cell];
    const unsigned int        n = std::max<unsigned int>(dim, 2);
    std::vector<double>       values{t.porosity};
    for (unsigned int d = 0; d < n; ++d)
      values.push_back(t.electrolyte[d][d]);
    for (unsigned int d = 0; d < n; ++d)
      values.push_back(t.solid[d][d]);
    return values;
  }

  template <int dim>
  std::vector<LinearAlgebra::distributed::Vector<double>>
  ElectrodeSolver<dim>::nodal_cell_fields() const
  {
    // Mean over the cells around a node of the values that are defined
    // there (the solid's are not in the separator), at the node's first
    // dof; NaN where none is.
    const unsigned int n_fields = cell_field_names().size();
    std::vector<LinearAlgebra::distributed::Vector<double>> sum(2 * n_fields);
    for (auto &v : sum)
      v.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const std::vector<double> values
            = cell_field_values(cell->active_cell_index());
          for (const unsigned int v : cell->vertex_indices())
            for (unsigned int k = 0; k < n_fields; ++k)
              if (std::isfinite(values[k]))
                {
                  sum[k](cell->vertex_dof_index(v, 0)) += values[k];
                  sum[n_fields + k](cell->vertex_dof_index(v, 0)) += 1;
                }
        }
    std::vector<LinearAlgebra::distributed::Vector<double>> mean(n_fields);
    for (unsigned int k = 0; k < n_fields; ++k)
      {
        sum[k].compress(VectorOperation::add);
        sum[n_fields + k].compress(VectorOperation::add);
        mean[k].reinit(locally_owned_dofs,
                       locally_relevant_dofs,
                       mpi_communicator);
        for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
          {
            const double count = sum[n_fields + k].local_element(i);
            mean[k].local_element(i)
              = count > 0 ? sum[k].local_element(i) / count
                          : std::numeric_limits<double>::quiet_NaN();
          }
        mean[k].update_ghost_values();
      }
    return mean;
  }

  template <int dim>
  ProfileSnapshot
  ElectrodeSolver<dim>::profile() const
  {
    // Nodes on the line y = z = 0, owned here; rank 0 collects and sorts.
    const double nan         = std::numeric_limits<double>::quiet_NaN();
    const double length      = model.interfaces()[3];
    const auto   cell_fields = nodal_cell_fields();
    std::vector<std::vector<double>>  rows;
    std::set<types::global_dof_index> done;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int v : cell->vertex_indices())
          {
            const Point<dim> &p  = cell->vertex(v);
            bool              on = true;
            for (unsigned int d = 1; d < dim; ++d)
              on = on && std::abs(p[d]) < 1e-9 * length;
            const types::global_dof_index d0 = cell->vertex_dof_index(v, 0);
            if (!on || !locally_owned_dofs.is_element(d0)
                || !done.insert(d0).second)
              continue;
            const types::global_dof_index d2
              = cell->vertex_dof_index(v, phis_component);
            std::vector<double> row{
              p[0],
              solution(d0),
              solution(cell->vertex_dof_index(v, phie_component)),
              solution(d2),
              nan,
              nan,
              nan};
            const auto site = site_of_dof.find(d0);
            if (site == site_of_dof.end())
              row[3] = nan; // no solid phase here
            else
              {
                const std::size_t s     = site->second;
                const double      c_max = particle_models[sites[s].electrode]
                                       .material()
                                       .max_concentration();
                row[4] = particles[s * n_p + n_p - 1];
                row[5] = row[4] / c_max;
                row[6] = reaction[s];
              }
            for (const auto &field : cell_fields)
              row.push_back(field(d0));
            rows.push_back(row);
          }
    const auto all = Utilities::MPI::gather(mpi_communicator, rows, 0);
    std::vector<std::string> columns = ProfileSnapshot().table.column_names();
    for (const std::string &name : cell_field_names())
      columns.push_back(name);
    ProfileSnapshot snapshot;
    snapshot.time  = current_time;
    snapshot.table = io::CsvTable(columns);
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      {
        std::vector<std::vector<double>> merged;
        for (const auto &part : all)
          merged.insert(merged.end(), part.begin(), part.end());
        std::sort(merged.begin(),
                  merged.end(),
                  [](const auto &a, const auto &b) { return a[0] < b[0]; });
        for (const auto &row : merged)
          snapshot.table.add_row(row);
      }
    return snapshot;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::compute_surface_fields(
    LinearAlgebra::distributed::Vector<double> &fields) const
  {
    fields.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const double cs                         = particles[s * n_p + n_p - 1];
        fields.local_element(sites[s].local[0]) = cs;
        fields.local_element(sites[s].local[1])
          = cs
            / particle_models[sites[s].electrode]
                .material()
                .max_concentration();
        fields.local_element(sites[s].local[2]) = reaction[s];
      }
    fields.update_ghost_values();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::output_results(const std::string &directory,
                                       const unsigned int index,
                                       ElectrodeResults  &results) const
  {
    TimerOutput::Scope timer_section(computing_timer, "output");
    LinearAlgebra::distributed::Vector<double> fields;
    compute_surface_fields(fields);
    solution.update_ghost_values();

    DataOut<dim> data_out;
    data_out.attach_dof_handler(dof_handler);
    data_out.add_data_vector(solution,
                             std::vector<std::string>{"ce", "phi_e", "phi_s"});
    data_out.add_data_vector(
      fields, std::vector<std::string>{"cs_surf", "x_surf", "j_reaction"});
    Vector<float> region(triangulation->n_active_cells());
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        region(cell->active_cell_index()) = cell->material_id();
    data_out.add_data_vector(region, "region");
    const std::vector<std::string> names = cell_field_names();
    std::vector<Vector<float>>     cell_fields(
      names.size(), Vector<float>(triangulation->n_active_cells()));
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto values = cell_field_values(cell->active_cell_index());
          for (unsigned int k = 0; k < names.size(); ++k)
            cell_fields[k](cell->active_cell_index()) = values[k];
        }
    for (unsigned int k = 0; k < names.size(); ++k)
      data_out.add_data_vector(cell_fields[k], names[k]);
    data_out.build_patches();
    DataOutBase::VtkFlags flags;
    flags.time = current_time;
    data_out.set_flags(flags);
    const std::string record = data_out.write_vtu_with_pvtu_record(
      directory + "/", "solution", index, mpi_communicator, 4, 1);
    results.vtu_files.push_back(record);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::fail_at_step_start(const OperatingStep &step) const
  {
    const std::string &source = model.parameters.source;
    const std::string  entry
      = model.parameters.operating.protocol.find_first_not_of(" \t\n")
            == std::string::npos
          ? "Operating conditions/C-rate"
          : "Operating conditions/Protocol";
    const std::string where = "step '" + step.text + "' at t = "
                              + format_number(current_time, 6) + " s";
    if (step.control == OperatingStep::Control::voltage)
      throw InputError(source,
                       entry,
                       "the cell cannot be held at "
                         + format_number(step.voltage, 6) + " V (" + where
                         + "): no potentials satisfy the kinetics; hold "
                           "closer to the open-circuit voltage");
    if (step.control == OperatingStep::Control::current)
      {
        const double one_c = model.parameters.operating.one_c_current_density;
        throw InputError(
          source,
          entry,
          "the electrode cannot deliver "
            + format_number(std::abs(step.current_density), 6) + " A/m^2 ("
            + format_number(std::abs(step.current_density) / one_c, 6)
            + "C with Operating conditions/1C current density = "
            + format_number(one_c, 6) + " A/m^2) in " + where
            + ": no potentials satisfy the kinetics and transport at this "
              "current; use a lower rate");
      }
    throw std::runtime_error("no consistent potentials at the start of "
                             + where);
  }

  template <int dim>
  ElectrodeResults
  ElectrodeSolver<dim>::run(const std::string &vtu_directory)
  {
    Timer                         wall_timer;
    const TimeSteppingParameters &ts     = model.parameters.time_stepping;
    const OutputParameters       &op     = model.parameters.output;
    const double                  growth = 3;
    const std::vector<double>    &profile_times = model.profile_times;
    const bool write_vtu = dim > 1 && op.write_vtu && !vtu_directory.empty();
    const CheckpointParameters &cp = model.parameters.checkpoint;

    RunState st;
    if (resumed)
      {
        st = std::move(*resumed);
        resumed.reset();
        pcout << "Restarted at t = " << format_number(current_time, 6)
              << " s (protocol step " << st.step + 1 << "/"
              << model.protocol.size() << ")" << std::endl;
      }
    else
      {
        st.next_progress         = op.progress_interval;
        st.next_checkpoint       = cp.interval;
        st.results.lithium_start = lithium_inventory();
        st.last_t                = current_time;
      }
    ElectrodeResults &results       = st.results;
    std::size_t      &next_profile  = st.next_profile;
    double           &next_progress = st.next_progress;
    double &last_t = st.last_t, &last_V = st.last_V, &last_I = st.last_I;

    const auto snapshot = [&]() {
      results.profiles.push_back(profile());
      if (write_vtu)
        output_results(vtu_directory, results.profiles.size() - 1, results);
    };
    const auto take_due_snapshots = [&]() {
      bool taken = false;
      while (next_profile < profile_times.size()
             && profile_times[next_profile]
                  <= current_time * (1 + 1e-12) + 1e-12)
        {
          if (!taken)
            snapshot();
          taken = true;
          ++next_profile;
        }
    };
    const auto progress = [&](const char *prefix) {
      pcout << prefix << "t = " << std::setw(9)
            << format_number(current_time, 6) << " s   V = " << std::fixed
            << std::setprecision(5) << last_V
            << " V   I = " << std::setprecision(3) << last_I << " A/m^2"
            << std::defaultfloat << "   steps " << statistics.accepted_steps
            << " (+" << statistics.rejected_steps << " rejected), Newton "
            << statistics.newton_iterations;
      const std::string provider = model.effective_properties->progress();
      if (!provider.empty())
        pcout << ", " << provider;
      if (!op.deterministic)
        pcout << ", " << format_number(wall_timer.wall_time(), 3) << " s wall";
      pcout << std::endl;
    };

    for (; st.step < model.protocol.size(); ++st.step)
      {
        const std::size_t    k      = st.step;
        const OperatingStep &step   = model.protocol[k];
        StepReport          &report = st.report;
        double              &h      = st.h;
        double              &g_now  = st.g_now;

        const auto event_value = [&]() {
          if (step.control == OperatingStep::Control::current
              && step.voltage_limit)
            return step.current_density > 0
                     ? terminal_voltage() - *step.voltage_limit
                     : *step.voltage_limit - terminal_voltage();
          if (step.control == OperatingStep::Control::voltage
              && step.current_limit)
            return std::abs(current_density()) - *step.current_limit;
          return std::numeric_limits<double>::infinity();
        };
        const double event_tolerance
          = step.control == OperatingStep::Control::voltage
                && step.current_limit
              ? 1e-6 * *step.current_limit
              : 1e-6;

        if (!st.in_step)
          {
            report            = StepReport();
            report.text       = step.text;
            report.start_time = current_time;
            pcout << "Step " << k + 1 << "/" << model.protocol.size() << ": "
                  << step.text << std::endl;

            // New control: potentials jump, concentrations do not. Find the
            // potentials consistent with the frozen concentrations, and start
            // the BDF history afresh (the solution's derivative jumps here).
            if (step.control == OperatingStep::Control::voltage)
              apply_control(Control::voltage, step.voltage);
            else
              apply_control(Control::current,
                            step.control == OperatingStep::Control::rest
                              ? 0
                              : step.current_density);
            restart_history();
            const bool consistent = newton_solve(true);
            // The solver has been set up and has solved: PETSc knows now
            // which options it looked up.
            if (!petsc_options_checked)
              {
                petsc_options_checked = true;
                io::check_petsc_options_used(
                  model.parameters.time_stepping.petsc_options,
                  "macro_",
                  model.parameters.source,
                  "Time stepping/PETSc options");
              }
            if (!consistent)
              fail_at_step_start(step);
            restart_history();
            if (model.effective_properties->depends_on_state())
              update_effective_properties();
            last_t = current_time;
            last_V = terminal_voltage();
            last_I = current_density();
            results.voltage.add_row({last_t, last_V, last_I});
            take_due_snapshots();

            st.t_end          = current_time + step.duration;
            h                 = ts.initial_step;
            report.end_reason = "duration";
            g_now             = event_value();
            if (g_now <= 0)
              report.end_reason = "limit reached at the start";
            st.in_step = true;
          }
        const double t_end = st.t_end;
        // (A hold may have no duration: t_end = infinity.)
        const double t_stop
          = std::isfinite(t_end) ? t_end - 1e-12 * std::max(1.0, t_end) : t_end;
        while (g_now > 0 && history[0].time < t_stop)
          {
            const double t_n = history[0].time;
            // A safe point: nothing is half done, every process is here.
            io::stop_if_terminated(mpi_communicator,
                                   "at t = " + format_number(t_n, 6)
                                     + " s; nothing was written into "
                                       "Output/Directory");
            if (statistics.accepted_steps + statistics.rejected_steps
                >= max_time_steps)
              throw InputError(
                model.parameters.source,
                "Time stepping/Tolerance",
                "the run needs more than " + std::to_string(max_time_steps)
                  + " time steps (at t = " + format_number(t_n, 6)
                  + " s); raise Time stepping/Tolerance or Minimum time "
                    "step, or shorten Operating conditions/Protocol");
            double stop = t_end;
            if (next_profile < profile_times.size()
                && profile_times[next_profile] < stop)
              stop = profile_times[next_profile];
            // Land on the stop; split the last stretch evenly rather than
            // leave a sliver.
            double h_try = std::min(h, ts.maximum_step);
            if (stop - t_n <= h_try)
              h_try = stop - t_n;
            else if (stop - t_n < 2 * h_try)
              h_try = 0.5 * (stop - t_n);
            if (!try_step(h_try))
              {
                ++statistics.rejected_steps;
                h = 0.25 * h_try;
                if (h < ts.minimum_step)
                  throw std::runtime_error(
                    "Newton's method does not converge at t = "
                    + format_number(t_n, 6)
                    + " s even with the minimum time step");
                continue;
              }
            if (bdf_order == 2 && last_error > 1)
              {
                ++statistics.rejected_steps;
                h = next_step_size(h_try, last_error, 2, growth);
                if (h < ts.minimum_step)
                  throw std::runtime_error("time step below the minimum at t = "
                                           + format_number(t_n, 6) + " s");
                continue;
              }
            const double       error_accepted = last_error;
            const unsigned int order_accepted = bdf_order;

            // A limit crossed inside the step: re-solve the step with
            // secant-updated lengths (Illinois) until the limit is met.
            double g_new = event_value();
            if (g_new <= 0)
              {
                double h_lo = 0, g_lo = g_now, h_hi = h_try, g_hi = g_new;
                int    side  = 0;
                bool   on_hi = true;
                for (unsigned int it = 0;
                     it < 40 && std::abs(on_hi ? g_hi : g_lo) > event_tolerance;
                     ++it)
                  {
                    double h_new = h_lo + (h_hi - h_lo) * g_lo / (g_lo - g_hi);
                    h_new        = std::clamp(h_new,
                                       h_lo + 1e-6 * (h_hi - h_lo),
                                       h_hi - 1e-6 * (h_hi - h_lo));
                    ++statistics.event_iterations;
                    if (!try_step(h_new))
                      {
                        h_hi = h_new; // treat as crossed: shrink the bracket
                        continue;
                      }
                    const double g = event_value();
                    if (g > 0)
                      {
                        h_lo = h_new;
                        g_lo = g;
                        if (side == 1)
                          g_hi *= 0.5;
                        side  = 1;
                        on_hi = false;
                      }
                    else
                      {
                        h_hi = h_new;
                        g_hi = g;
                        if (side == -1)
                          g_lo *= 0.5;
                        side  = -1;
                        on_hi = true;
                      }
                    if (std::abs(g) <= event_tolerance)
                      break;
                  }
                if (!(std::abs(on_hi ? g_hi : g_lo) <= event_tolerance))
                  {
                    // Not met to tolerance: end on the crossed side.
                    if (!try_step(h_hi))
                      throw std::runtime_error("cannot locate the limit");
                  }
                report.end_reason
                  = step.control == OperatingStep::Control::voltage
                      ? "current limit"
                      : "voltage limit";
                g_new = 0;
              }

            ++statistics.accepted_steps;
            accept_step();
            if (model.effective_properties->depends_on_state())
              update_effective_properties();
            const double V = terminal_voltage(), I = current_density();
            const double dt = current_time - last_t;
            report.capacity_Ah_per_m2 += 0.5 * (I + last_I) * dt / 3600;
            report.energy_Wh_per_m2
              += 0.5 * (I * V + last_I * last_V) * dt / 3600;
            results.lithium_transferred
              += 0.5 * (I + last_I) * dt / constants::faraday;
            last_t = current_time;
            last_V = V;
            last_I = I;
            results.voltage.add_row({current_time, V, I});
            take_due_snapshots();
            if (current_time >= next_progress)
              {
                progress("  ");
                while (next_progress <= current_time)
                  next_progress += op.progress_interval;
              }

            const bool   clipped = h_try < std::min(h, ts.maximum_step);
            const double h_next
              = order_accepted == 2
                  ? next_step_size(h_try, error_accepted, 2, growth)
                  : growth * h_try;
            h     = clipped ? std::max(h, h_next) : h_next;
            g_now = g_new;

            if (cp.interval > 0
                && current_time >= st.next_checkpoint * (1 - 1e-12))
              {
                while (st.next_checkpoint <= current_time * (1 + 1e-12))
                  st.next_checkpoint += cp.interval;
                write_checkpoint(st);
              }
          }
        st.in_step         = false;
        report.end_time    = current_time;
        report.end_voltage = last_V;
        results.capacity_Ah_per_m2 += report.capacity_Ah_per_m2;
        results.energy_Wh_per_m2 += report.energy_Wh_per_m2;
        progress(("  end of step (" + report.end_reason + "): ").c_str());
        results.steps.push_back(report);
      }
    if (results.profiles.empty()
        || results.profiles.back().time != current_time)
      snapshot();

    results.lithium_end = lithium_inventory();
    // Deterministic output: no timings, so that runs compare byte for byte.
    statistics.wall_time = op.deterministic ? 0. : wall_timer.wall_time();
    results.statistics   = statistics;
    if (!op.deterministic)
      computing_timer.print_summary();
    return results;
  }

  template class ElectrodeSolver<1>;
  template class ElectrodeSolver<2>;
  template class ElectrodeSolver<3>;
} // namespace scalebridge::macro
