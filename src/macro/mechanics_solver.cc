#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <scalebridge/macro/mechanics_solver.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace scalebridge::macro
{
  using namespace dealii;

  namespace
  {
    void
    check_petsc(const PetscErrorCode code, const char *what)
    {
      if (code != 0)
        throw std::runtime_error(std::string("mechanics: PETSc ") + what
                                 + " failed (error " + std::to_string(code)
                                 + ")");
    }

    /// Mandel strain of a vector shape function: component @p c, gradient
    /// @p g (the directions beyond dim do not vary).
    template <int dim>
    Tensor<1, 6>
    shape_strain(const unsigned int c, const Tensor<1, dim> &g)
    {
      Tensor<1, 3> grad;
      for (unsigned int d = 0; d < dim; ++d)
        grad[d] = g[d];
      SymmetricTensor<2, 3> e;
      for (unsigned int b = 0; b < 3; ++b)
        e[c][b] += (c == b ? 1. : 0.5) * grad[b];
      return to_mandel(e);
    }

    Tensor<1, 6>
    times(const elasticity::Matrix6 &c, const Tensor<1, 6> &v)
    {
      return c * v;
    }

    double
    von_mises(const SymmetricTensor<2, 3> &s)
    {
      const SymmetricTensor<2, 3> d = deviator(s);
      return std::sqrt(1.5 * scalar_product(d, d));
    }
  } // namespace

  template <int dim>
  MechanicsSolver<dim>::MechanicsSolver(
    const Triangulation<dim>           &triangulation,
    const MechanicsParameters          &parameters,
    const MechanicalPropertiesProvider &provider,
    MPI_Comm                            mpi_communicator)
    : triangulation(triangulation)
    , parameters(parameters)
    , provider(provider)
    , mpi_communicator(mpi_communicator)
    , fe(FE_Q<dim>(1), 3)
    , dof_handler(triangulation)
  {
  }

  template <int dim>
  MechanicsSolver<dim>::~MechanicsSolver()
  {
    if (ksp != nullptr)
      KSPDestroy(&ksp);
  }

  template <int dim>
  void
  MechanicsSolver<dim>::setup()
  {
    dof_handler.distribute_dofs(fe);
    locally_owned_dofs = dof_handler.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dof_handler, locally_relevant_dofs);
    make_constraints();

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp,
                                               locally_owned_dofs,
                                               mpi_communicator,
                                               locally_relevant_dofs);
    matrix.reinit(locally_owned_dofs,
                  locally_owned_dofs,
                  dsp,
                  mpi_communicator);

    const auto owned_vector = [&]() {
      return PETScWrappers::MPI::Vector(locally_owned_dofs, mpi_communicator);
    };
    swelling_rhs      = owned_vector();
    swelling_solution = owned_vector();
    displacement.reinit(locally_owned_dofs,
                        locally_relevant_dofs,
                        mpi_communicator);
    unresolved.clear();
    if (parameters.in_plane == "free")
      {
        if (dim == 1)
          unresolved = {1, 2, 3}; // yy, zz, yz (Mandel)
        else if (dim == 2)
          unresolved = {2}; // zz
      }
    unit_rhs.assign(unresolved.size(), owned_vector());
    unit_solution.assign(unresolved.size(), owned_vector());
    unit_resultant.assign(unresolved.size(), {});

    const unsigned int n_cells = triangulation.n_active_cells();
    cell_stiffness.assign(n_cells, elasticity::Matrix6());
    cell_eigenstrain.assign(n_cells, {});
    reference_swelling.assign(n_cells, {});
    cell_mean_stress.assign(n_cells, {});

    // The in-plane area: the cell's extent beyond x (bounding box).
    const auto box = GridTools::compute_bounding_box(triangulation);
    area           = 1;
    for (unsigned int d = 1; d < dim; ++d)
      area *= box.get_boundary_points().second[d]
              - box.get_boundary_points().first[d];
    area         = Utilities::MPI::max(area, mpi_communicator);
    matrix_ready = false;
  }

  template <int dim>
  void
  MechanicsSolver<dim>::make_constraints()
  {
    constraints.clear();
    constraints.reinit(locally_relevant_dofs);
    const auto fix = [&](const types::boundary_id id, const unsigned int c) {
      VectorTools::interpolate_boundary_values(
        dof_handler,
        id,
        Functions::ZeroFunction<dim>(3),
        constraints,
        fe.component_mask(FEValuesExtractors::Scalar(c)));
    };
    // x = 0 is the reference plane.
    fix(0, 0);
    if (parameters.collectors == "fixed")
      fix(1, 0);
    if (dim == 1)
      {
        // Rigid in-plane translations of the through-thickness problem.
        fix(0, 1);
        fix(0, 2);
      }
    if (dim >= 2)
      {
        fix(2, 1);
        if (parameters.in_plane == "clamped")
          fix(3, 1);
      }
    if (dim == 3)
      {
        fix(4, 2);
        if (parameters.in_plane == "clamped")
          fix(5, 2);
      }
    if (dim == 2)
      {
        // u_z (anti-plane) is fixed up to a constant: pin it at the origin.
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (!cell->is_artificial())
            for (const unsigned int v : cell->vertex_indices())
              if (cell->vertex(v).norm() < 1e-12 * cell->diameter())
                {
                  const auto dof = cell->vertex_dof_index(v, 2);
                  if (!constraints.is_constrained(dof))
                    constraints.add_line(dof);
                }
      }
    constraints.close();
  }

  template <int dim>
  bool
  MechanicsSolver<dim>::update_cell_properties(
    const std::vector<MacroPointQuery> &queries)
  {
    const std::vector<EffectiveMechanics> values
      = provider.evaluate_all(queries);
    bool         changed = !matrix_ready;
    unsigned int k       = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          AssertThrow(k < values.size(),
                      ExcMessage("mechanics: fewer queries than cells"));
          const unsigned int i = cell->active_cell_index();
          if (!matrix_ready || provider.stiffness_depends_on_state())
            {
              changed = changed || !(cell_stiffness[i] == values[k].stiffness);
              cell_stiffness[i] = values[k].stiffness;
            }
          cell_eigenstrain[i] = values[k].swelling - reference_swelling[i];
          ++k;
        }
    return Utilities::MPI::logical_or(changed, mpi_communicator);
  }

  template <int dim>
  void
  MechanicsSolver<dim>::set_reference(
    const std::vector<MacroPointQuery> &queries)
  {
    const std::vector<EffectiveMechanics> values
      = provider.evaluate_all(queries);
    unsigned int k = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        reference_swelling[cell->active_cell_index()] = values.at(k++).swelling;
  }

  template <int dim>
  void
  MechanicsSolver<dim>::assemble_matrix()
  {
    matrix = 0;
    for (auto &f : unit_rhs)
      f = 0;
    const QGauss<dim>                    quadrature(2);
    FEValues<dim>                        fe_values(fe,
                            quadrature,
                            update_gradients | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    FullMatrix<double>                   local(n, n);
    std::vector<Vector<double>>          local_unit(unresolved.size(),
                                           Vector<double>(n));
    std::vector<types::global_dof_index> dofs(n);
    std::vector<Tensor<1, 6>>            b(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const elasticity::Matrix6 &c
            = cell_stiffness[cell->active_cell_index()];
          local = 0;
          for (auto &f : local_unit)
            f = 0;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              for (unsigned int i = 0; i < n; ++i)
                b[i] = shape_strain<dim>(fe.system_to_component_index(i).first,
                                         fe_values.shape_grad(i, q));
              const double w = fe_values.JxW(q);
              for (unsigned int i = 0; i < n; ++i)
                {
                  const Tensor<1, 6> cb = times(c, b[i]) * w;
                  for (unsigned int j = 0; j < n; ++j)
                    local(i, j) += cb * b[j];
                  // A unit uniform strain E_k gives -int B^T C E_k.
                  for (unsigned int k = 0; k < unresolved.size(); ++k)
                    local_unit[k](i) -= cb[unresolved[k]];
                }
            }
          cell->get_dof_indices(dofs);
          constraints.distribute_local_to_global(local, dofs, matrix);
          for (unsigned int k = 0; k < unresolved.size(); ++k)
            constraints.distribute_local_to_global(local_unit[k],
                                                   dofs,
                                                   unit_rhs[k]);
        }
    matrix.compress(VectorOperation::add);
    for (auto &f : unit_rhs)
      f.compress(VectorOperation::add);
  }

  template <int dim>
  void
  MechanicsSolver<dim>::assemble_swelling_rhs()
  {
    swelling_rhs = 0;
    const QGauss<dim>                    quadrature(2);
    FEValues<dim>                        fe_values(fe,
                            quadrature,
                            update_gradients | update_JxW_values);
    const QGauss<dim - 1>                face_quadrature(2);
    FEFaceValues<dim>                    face_values(fe,
                                  face_quadrature,
                                  update_values | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    Vector<double>                       local(n);
    std::vector<types::global_dof_index> dofs(n);
    const double                         pressure
      = parameters.collectors == "free" ? parameters.stack_pressure : 0.;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int a = cell->active_cell_index();
          const Tensor<1, 6> tau
            = times(cell_stiffness[a], to_mandel(cell_eigenstrain[a]));
          local = 0;
          if (tau.norm() > 0)
            {
              fe_values.reinit(cell);
              for (const unsigned int q : fe_values.quadrature_point_indices())
                for (unsigned int i = 0; i < n; ++i)
                  local(i)
                    += shape_strain<dim>(fe.system_to_component_index(i).first,
                                         fe_values.shape_grad(i, q))
                       * tau * fe_values.JxW(q);
            }
          if (pressure > 0)
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary()
                  && cell->face(f)->boundary_id() == 1)
                {
                  face_values.reinit(cell, f);
                  for (const unsigned int q :
                       face_values.quadrature_point_indices())
                    for (unsigned int i = 0; i < n; ++i)
                      if (fe.system_to_component_index(i).first == 0)
                        local(i) -= pressure * face_values.shape_value(i, q)
                                    * face_values.JxW(q);
                }
          cell->get_dof_indices(dofs);
          constraints.distribute_local_to_global(local, dofs, swelling_rhs);
        }
    swelling_rhs.compress(VectorOperation::add);
  }

  template <int dim>
  void
  MechanicsSolver<dim>::setup_solver()
  {
    if (ksp != nullptr)
      KSPDestroy(&ksp);
    check_petsc(KSPCreate(mpi_communicator, &ksp), "KSPCreate");
    const Mat mat = static_cast<Mat>(matrix);
    check_petsc(KSPSetOperators(ksp, mat, mat), "KSPSetOperators");
    check_petsc(KSPSetOptionsPrefix(ksp, "mechanics_"), "KSPSetOptionsPrefix");
    PC pc;
    check_petsc(KSPGetPC(ksp, &pc), "KSPGetPC");
    if (dim == 1)
      {
        // A few hundred unknowns on each process: a direct solve.
        check_petsc(KSPSetType(ksp, KSPPREONLY), "KSPSetType");
        check_petsc(PCSetType(pc, PCLU), "PCSetType");
      }
    else
      {
        check_petsc(KSPSetType(ksp, KSPCG), "KSPSetType");
        check_petsc(PCSetType(pc, PCGAMG), "PCSetType");
        check_petsc(KSPSetTolerances(
                      ksp, parameters.tolerance, 1e-300, PETSC_DEFAULT, 10000),
                    "KSPSetTolerances");
        check_petsc(KSPSetInitialGuessNonzero(ksp, PETSC_TRUE),
                    "KSPSetInitialGuessNonzero");

        // Rigid-body modes of the resolved directions as the near null
        // space, which smoothed aggregation needs for elasticity.
        std::vector<PETScWrappers::MPI::Vector> modes;
        const auto add_mode = [&](const auto &value) {
          PETScWrappers::MPI::Vector m(locally_owned_dofs, mpi_communicator);
          for (const auto &cell : dof_handler.active_cell_iterators())
            if (cell->is_locally_owned())
              for (const unsigned int v : cell->vertex_indices())
                for (unsigned int c = 0; c < 3; ++c)
                  {
                    const auto dof = cell->vertex_dof_index(v, c);
                    if (locally_owned_dofs.is_element(dof))
                      m(dof) = value(cell->vertex(v), c);
                  }
          m.compress(VectorOperation::insert);
          for (const auto &previous : modes)
            m.add(-(m * previous), previous);
          m /= m.l2_norm();
          modes.push_back(std::move(m));
        };
        const auto coordinate = [](const Point<dim> &p, const unsigned int d) {
          return d < dim ? p[d] : 0.;
        };
        for (unsigned int c = 0; c < 3; ++c)
          add_mode([c](const Point<dim> &, const unsigned int k) {
            return k == c ? 1. : 0.;
          });
        // Rotation about axis a: u = e_a x p, for the axes whose rotation
        // moves only within the resolved coordinates.
        for (unsigned int a = 0; a < 3; ++a)
          {
            const unsigned int i = (a + 1) % 3, j = (a + 2) % 3;
            if (i >= dim || j >= dim)
              continue;
            add_mode([&, i, j](const Point<dim> &p, const unsigned int k) {
              return k == i   ? -coordinate(p, j)
                     : k == j ? coordinate(p, i)
                              : 0.;
            });
          }
        std::vector<Vec> vecs;
        for (auto &m : modes)
          vecs.push_back(static_cast<const Vec &>(m));
        MatNullSpace null_space;
        check_petsc(MatNullSpaceCreate(mpi_communicator,
                                       PETSC_FALSE,
                                       vecs.size(),
                                       vecs.data(),
                                       &null_space),
                    "MatNullSpaceCreate");
        check_petsc(MatSetNearNullSpace(mat, null_space),
                    "MatSetNearNullSpace");
        MatNullSpaceDestroy(&null_space);
      }
    check_petsc(KSPSetFromOptions(ksp), "KSPSetFromOptions");
    check_petsc(KSPSetUp(ksp), "KSPSetUp");
  }

  template <int dim>
  unsigned int
  MechanicsSolver<dim>::solve_linear(const PETScWrappers::MPI::Vector &rhs,
                                     PETScWrappers::MPI::Vector       &solution)
  {
    check_petsc(KSPSolve(ksp,
                         static_cast<const Vec &>(rhs),
                         static_cast<const Vec &>(solution)),
                "KSPSolve");
    KSPConvergedReason reason;
    KSPGetConvergedReason(ksp, &reason);
    if (reason < 0)
      throw std::runtime_error(
        "mechanics: the linear solver did not converge (PETSc reason "
        + std::to_string(static_cast<int>(reason))
        + "); is every region given a positive-definite stiffness?");
    PetscInt iterations = 0;
    KSPGetIterationNumber(ksp, &iterations);
    constraints.distribute(solution);
    return iterations;
  }

  template <int dim>
  SymmetricTensor<2, 3>
  MechanicsSolver<dim>::integrate_stress(
    const PETScWrappers::MPI::Vector   &u,
    const SymmetricTensor<2, 3>        &uniform,
    const bool                          swelling,
    std::vector<SymmetricTensor<2, 3>> *cell_means,
    std::array<double, 3>              *region_strain_xx) const
  {
    const QGauss<dim>                    quadrature(2);
    FEValues<dim>                        fe_values(fe,
                            quadrature,
                            update_gradients | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    Vector<double>                       local(n);
    SymmetricTensor<2, 3>                total;
    std::array<double, 3>                strain_xx{};
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int a = cell->active_cell_index();
          fe_values.reinit(cell);
          cell->get_dof_indices(dofs);
          for (unsigned int i = 0; i < n; ++i)
            local(i) = u(dofs[i]);
          SymmetricTensor<2, 3> integral;
          double                volume = 0;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              Tensor<1, 6> e = to_mandel(uniform);
              for (unsigned int i = 0; i < n; ++i)
                e += local(i)
                     * shape_strain<dim>(fe.system_to_component_index(i).first,
                                         fe_values.shape_grad(i, q));
              if (swelling)
                e -= to_mandel(cell_eigenstrain[a]);
              const double w = fe_values.JxW(q);
              integral += from_mandel(times(cell_stiffness[a], e)) * w;
              strain_xx[cell->material_id()]
                += (e[0] + (swelling ? cell_eigenstrain[a][0][0] : 0.)) * w;
              volume += w;
            }
          total += integral;
          if (cell_means != nullptr)
            (*cell_means)[a] = integral / volume;
        }
    if (region_strain_xx != nullptr)
      for (unsigned int r = 0; r < 3; ++r)
        (*region_strain_xx)[r]
          = Utilities::MPI::sum(strain_xx[r], mpi_communicator);
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = i; j < 3; ++j)
        total[i][j] = Utilities::MPI::sum(total[i][j], mpi_communicator);
    return total;
  }

  template <int dim>
  MechanicsSnapshot
  MechanicsSolver<dim>::solve(const std::vector<MacroPointQuery> &queries,
                              const double                        time)
  {
    MechanicsSnapshot snapshot;
    snapshot.time = time;
    if (update_cell_properties(queries))
      {
        assemble_matrix();
        setup_solver();
        matrix_ready = true;
        // The responses to the unit uniform strains change only with C.
        for (unsigned int k = 0; k < unresolved.size(); ++k)
          {
            unit_solution[k] = 0;
            snapshot.iterations += solve_linear(unit_rhs[k], unit_solution[k]);
            PETScWrappers::MPI::Vector ghosted(locally_owned_dofs,
                                               locally_relevant_dofs,
                                               mpi_communicator);
            ghosted = unit_solution[k];
            SymmetricTensor<2, 3> e;
            e = from_mandel([&]() {
              Tensor<1, 6> m;
              m[unresolved[k]] = 1;
              return m;
            }());
            unit_resultant[k]
              = integrate_stress(ghosted, e, false, nullptr, nullptr);
          }
      }
    assemble_swelling_rhs();
    snapshot.iterations += solve_linear(swelling_rhs, swelling_solution);

    // The uniform strain of the free unresolved directions: zero resultant.
    PETScWrappers::MPI::Vector total = swelling_solution;
    uniform_strain                   = SymmetricTensor<2, 3>();
    if (!unresolved.empty())
      {
        displacement = swelling_solution;
        const SymmetricTensor<2, 3> r0
          = integrate_stress(displacement, {}, true, nullptr, nullptr);
        const unsigned int m = unresolved.size();
        FullMatrix<double> a(m, m);
        Vector<double>     rhs(m), e(m);
        for (unsigned int i = 0; i < m; ++i)
          {
            rhs(i) = -to_mandel(r0)[unresolved[i]];
            for (unsigned int k = 0; k < m; ++k)
              a(i, k) = to_mandel(unit_resultant[k])[unresolved[i]];
          }
        a.gauss_jordan();
        a.vmult(e, rhs);
        Tensor<1, 6> mandel;
        for (unsigned int k = 0; k < m; ++k)
          {
            total.add(e(k), unit_solution[k]);
            mandel[unresolved[k]] = e(k);
          }
        uniform_strain = from_mandel(mandel);
      }
    displacement = total;

    std::array<double, 3>       strain_xx{};
    const SymmetricTensor<2, 3> integral = integrate_stress(
      displacement, uniform_strain, true, &cell_mean_stress, &strain_xx);
    double volume = 0, max_vm = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          volume += cell->measure();
          max_vm
            = std::max(max_vm,
                       von_mises(cell_mean_stress[cell->active_cell_index()]));
        }
    volume                 = Utilities::MPI::sum(volume, mpi_communicator);
    snapshot.max_von_mises = Utilities::MPI::max(max_vm, mpi_communicator);
    snapshot.mean_hydrostatic_stress = trace(integral) / 3 / volume;
    std::array<bool, 3> present{};
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        present[cell->material_id()] = true;
    snapshot.cell_thickness_change = 0;
    for (unsigned int r = 0; r < 3; ++r)
      {
        const bool here
          = Utilities::MPI::logical_or(present[r], mpi_communicator);
        snapshot.thickness_change[r]
          = here ? strain_xx[r] / area
                 : std::numeric_limits<double>::quiet_NaN();
        if (here)
          snapshot.cell_thickness_change += snapshot.thickness_change[r];
      }

    // Cell fields for output.
    cell_fields.assign(6, Vector<double>(triangulation.n_active_cells()));
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int           a = cell->active_cell_index();
          const SymmetricTensor<2, 3> &s = cell_mean_stress[a];
          cell_fields[0][a]              = von_mises(s);
          cell_fields[1][a]              = trace(s) / 3;
          cell_fields[2][a]              = s[0][0];
          cell_fields[3][a]              = s[1][1];
          cell_fields[4][a]              = s[2][2];
          cell_fields[5][a]              = s[0][1];
        }
    return snapshot;
  }

  template <int dim>
  void
  MechanicsSolver<dim>::add_output_fields(DataOut<dim> &data_out) const
  {
    std::vector<std::string> names;
    std::vector<DataComponentInterpretation::DataComponentInterpretation>
      interpretation;
    for (unsigned int c = 0; c < 3; ++c)
      if (c < dim)
        {
          names.emplace_back("displacement_m");
          interpretation.push_back(
            DataComponentInterpretation::component_is_part_of_vector);
        }
      else
        {
          names.emplace_back(std::string("displacement_") + char('x' + c)
                             + "_m");
          interpretation.push_back(
            DataComponentInterpretation::component_is_scalar);
        }
    if (dim == 1)
      names = {"displacement_x_m", "displacement_y_m", "displacement_z_m"},
      interpretation.assign(3,
                            DataComponentInterpretation::component_is_scalar);
    data_out.add_data_vector(dof_handler, displacement, names, interpretation);
    static const char *const cell_names[] = {"von_mises_stress_Pa",
                                             "hydrostatic_stress_Pa",
                                             "stress_xx_Pa",
                                             "stress_yy_Pa",
                                             "stress_zz_Pa",
                                             "stress_xy_Pa"};
    for (unsigned int k = 0; k < cell_fields.size(); ++k)
      data_out.add_data_vector(cell_fields[k],
                               cell_names[k],
                               DataOut<dim>::type_cell_data);
  }

  template class MechanicsSolver<1>;
  template class MechanicsSolver<2>;
  template class MechanicsSolver<3>;
} // namespace scalebridge::macro
