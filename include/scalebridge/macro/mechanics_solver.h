#ifndef scalebridge_macro_mechanics_solver_h
#define scalebridge_macro_mechanics_solver_h

#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/grid/tria.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_out.h>

#include <scalebridge/macro/effective_mechanics.h>
#include <scalebridge/macro/mechanics_parameters.h>

#include <petscksp.h>

#include <array>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /// What one mechanics solve reports (the same on every process).
  struct MechanicsSnapshot
  {
    double time = 0;
    /// Thickness change of each region and of the cell [m] (NaN: region
    /// absent): the in-plane mean of u_x(right) - u_x(left).
    std::array<double, 3> thickness_change{};
    double                cell_thickness_change = 0;
    /// Largest von Mises stress of a cell mean [Pa].
    double max_von_mises = 0;
    /// Volume mean of tr(sigma)/3 over the cell [Pa] (tension positive).
    double mean_hydrostatic_stress = 0;
    /// Krylov iterations of the solve (0 for a direct solve).
    unsigned int iterations = 0;
  };

  /**
   * Small-strain equilibrium of the cell, div sigma = 0 with
   * sigma = C_eff (eps - eps*_eff(x) + eps*_eff(x0)), on the triangulation of
   * the electrode solver: the state at the initial lithiation x0 is stress
   * free. Three displacement components (Q1) as functions of the dim
   * coordinates; the directions not resolved (y, z in 1D, z in 2D) carry a
   * uniform strain: zero when clamped, or, when free, the one with zero
   * resultant force, found by superposing one solve per such component
   * (exact for this linear problem).
   *
   * Boundary conditions (cell frame, x through the thickness): x = 0 is the
   * reference plane (u_x = 0); the positive collector x = L is held
   * (Collectors = fixed) or loaded by the stack pressure; in-plane faces are
   * held in their normal direction (clamped) or free, with symmetry planes
   * at y = 0 and z = 0 that remove the rigid motions. Faces slide freely in
   * their own plane.
   *
   * The linear system goes to PETSc (options prefix mechanics_): LU in 1D,
   * conjugate gradients with smoothed-aggregation multigrid (GAMG, rigid
   * body modes as near null space) in 2D and 3D. The matrix and the
   * preconditioner are built once while C_eff does not change with the
   * state.
   *
   * The triangulation must be colorized (boundary ids 0..2dim-1 for the
   * faces x = 0, x = L, y = 0, y = H, z = 0, z = D) with the regions as
   * material ids.
   */
  template <int dim>
  class MechanicsSolver
  {
  public:
    MechanicsSolver(const dealii::Triangulation<dim>   &triangulation,
                    const MechanicsParameters          &parameters,
                    const MechanicalPropertiesProvider &provider,
                    MPI_Comm                            mpi_communicator);
    ~MechanicsSolver();

    /// Unknowns, constraints and the sparsity of the matrix.
    void
    setup();

    /**
     * The stress-free state: @p queries (one per locally owned active cell,
     * in the order of the triangulation's active cells) at the initial
     * lithiation. Collective.
     */
    void
    set_reference(const std::vector<MacroPointQuery> &queries);

    /// Equilibrium at the state of @p queries (as for set_reference()).
    /// Collective.
    MechanicsSnapshot
    solve(const std::vector<MacroPointQuery> &queries, double time);

    /**
     * Adds displacement (nodal) and stress (cell means: von Mises,
     * hydrostatic, components) of the last solve to @p data_out, which
     * must be attached to a DoFHandler on the same triangulation. The
     * vectors stay owned by this object.
     */
    void
    add_output_fields(dealii::DataOut<dim> &data_out) const;

    /// The uniform strain of the unresolved directions of the last solve.
    const dealii::SymmetricTensor<2, 3> &
    unresolved_strain() const
    {
      return uniform_strain;
    }

    /// Cell-mean stress of locally owned active cell @p active_index.
    const dealii::SymmetricTensor<2, 3> &
    cell_stress(unsigned int active_index) const
    {
      return cell_mean_stress[active_index];
    }

    /// The displacement of the last solve (ghosted; the DoFHandler's
    /// numbering, which is the same for every solver on a triangulation).
    const dealii::PETScWrappers::MPI::Vector &
    solution() const
    {
      return displacement;
    }

    /// Global number of displacement unknowns.
    dealii::types::global_dof_index
    n_dofs() const
    {
      return dof_handler.n_dofs();
    }

  private:
    void
    make_constraints();

    /// Evaluates the provider; returns whether C_eff changed.
    bool
    update_cell_properties(const std::vector<MacroPointQuery> &queries);

    /// Matrix, and the right-hand sides of the unit uniform strains.
    void
    assemble_matrix();

    /// The right-hand side of the swelling and the stack pressure.
    void
    assemble_swelling_rhs();

    void
    setup_solver();

    /// Solves into @p solution (used as the initial guess); iterations.
    unsigned int
    solve_linear(const dealii::PETScWrappers::MPI::Vector &rhs,
                 dealii::PETScWrappers::MPI::Vector       &solution);

    /**
     * Integrals over the locally owned cells of the stress of displacement
     * @p u (ghosted) with uniform strain @p uniform, with (@p swelling) or
     * without eigenstrain: per cell the mean stress into @p cell_means if
     * given, and the volume integral of the stress (all processes) as the
     * return value.
     */
    dealii::SymmetricTensor<2, 3>
    integrate_stress(const dealii::PETScWrappers::MPI::Vector   &u,
                     const dealii::SymmetricTensor<2, 3>        &uniform,
                     bool                                        swelling,
                     std::vector<dealii::SymmetricTensor<2, 3>> *cell_means,
                     std::array<double, 3> *region_strain_xx) const;

    const dealii::Triangulation<dim>   &triangulation;
    const MechanicsParameters          &parameters;
    const MechanicalPropertiesProvider &provider;
    MPI_Comm                            mpi_communicator;

    dealii::FESystem<dim>                    fe;
    dealii::DoFHandler<dim>                  dof_handler;
    dealii::IndexSet                         locally_owned_dofs;
    dealii::IndexSet                         locally_relevant_dofs;
    dealii::AffineConstraints<double>        constraints;
    dealii::PETScWrappers::MPI::SparseMatrix matrix;
    KSP                                      ksp          = nullptr;
    bool                                     matrix_ready = false;

    /// Mandel components of the unresolved uniform strain.
    std::vector<unsigned int> unresolved;
    /// Per unresolved component: right-hand side, solution (ghosted) and
    /// the stress resultant of the unit strain.
    std::vector<dealii::PETScWrappers::MPI::Vector> unit_rhs;
    std::vector<dealii::PETScWrappers::MPI::Vector> unit_solution;
    std::vector<dealii::SymmetricTensor<2, 3>>      unit_resultant;

    dealii::PETScWrappers::MPI::Vector swelling_rhs;
    dealii::PETScWrappers::MPI::Vector swelling_solution;
    /// The displacement of the last solve, ghosted.
    dealii::PETScWrappers::MPI::Vector displacement;
    dealii::SymmetricTensor<2, 3>      uniform_strain;

    /// Per active cell (owned entries): C_eff (Mandel), the eigenstrain
    /// relative to the reference, the reference swelling.
    std::vector<elasticity::Matrix6>           cell_stiffness;
    std::vector<dealii::SymmetricTensor<2, 3>> cell_eigenstrain;
    std::vector<dealii::SymmetricTensor<2, 3>> reference_swelling;
    std::vector<dealii::SymmetricTensor<2, 3>> cell_mean_stress;
    /// In-plane area of the cell (1 in 1D) [m^(dim-1)].
    double area = 1;

    /// Output fields of the last solve (cell data, all active cells).
    std::vector<dealii::Vector<double>> cell_fields;
  };
} // namespace scalebridge::macro

#endif
