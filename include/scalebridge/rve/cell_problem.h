#ifndef scalebridge_rve_cell_problem_h
#define scalebridge_rve_cell_problem_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/boundary_condition.h>
#include <scalebridge/rve/hill_mandel.h>
#include <scalebridge/rve/level_matrices.h>
#include <scalebridge/rve/level_operator.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/multigrid.h>
#include <scalebridge/rve/null_space.h>
#include <scalebridge/rve/voxel_element.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <memory>
#include <vector>

namespace scalebridge::rve
{
  /// Linear solver settings of a cell problem.
  struct SolverSettings
  {
    /// Stop a load case when ||r|| <= tolerance ||b||.
    double            tolerance      = 1e-8;
    unsigned int      max_iterations = 500;
    MultigridSettings multigrid;
  };

  /// The homogenised response of one cell problem.
  struct CellProblemResult
  {
    Physics     physics;
    std::string boundary_condition;
    /// Effective tensor in Mandel notation (elasticity) or the effective
    /// conductivity: <sigma> = C <eps>.
    dealii::FullMatrix<double> effective;
    /// Per load case (columns): macro strain and volume-average stress.
    dealii::FullMatrix<double> macro_strain;
    dealii::FullMatrix<double> macro_stress;
    /// Per load case: <sigma : eps> (from the solver's algebra).
    std::vector<double> energy;
    /**
     * Per load case: the Hill-Mandel residual |<sigma:eps> - <sigma>:<eps>|
     * / max over load cases |<sigma:eps>|, measured from the field (see
     * measure_field_averages()): energy and stress by cell-wise quadrature,
     * <eps> from the boundary values by Gauss' theorem. Round-off for a
     * field in equilibrium that meets its boundary condition; a field that
     * breaks either shows.
     */
    std::vector<double> hill_mandel;
    /// The same with <eps> taken as the imposed macro strain and <sigma:eps>
    /// from the solver's algebra: it measures the solver residual only.
    std::vector<double> hill_mandel_solver;
    /// Per load case (columns): <eps> measured on the boundary.
    dealii::FullMatrix<double> boundary_strain;
    /// max |C_ij - C_ji| / max |C_ij|.
    double asymmetry = 0;
    /// Macro strains that cost no energy (tubc with zero-energy fields).
    unsigned int n_zero_energy_directions = 0;

    /** @name Solver statistics */
    ///@{
    std::vector<unsigned int> iterations;
    bool                      converged = true;
    /// Load cases that stopped at the round-off limit (see solve_block_cg).
    unsigned int n_stagnated = 0;
    /// Load cases stopped by a preconditioner that is not positive definite.
    unsigned int n_indefinite    = 0;
    std::size_t  n_cells         = 0;
    std::size_t  n_active_cells  = 0;
    std::size_t  n_removed_cells = 0;
    std::size_t  n_dofs          = 0;
    unsigned int n_levels        = 0;
    std::size_t  n_coarse_dofs   = 0;
    /// Whether the multigrid ran in double precision (high phase contrast).
    bool         double_precision     = false;
    unsigned int null_space_dimension = 0;
    double       setup_time           = 0;
    double       solve_time           = 0;
    ///@}

    double
    max_hill_mandel() const;
    unsigned int
    max_iterations() const;
  };

  /**
   * The response of an elasticity cell to phase eigenstrains eps* (stress
   * sigma = C (eps - eps*)), with the macro law <sigma> = C_eff (<eps> -
   * eps*_eff) = C_eff <eps> + tau_eff. Vectors in Mandel notation of the
   * problem dimension.
   */
  struct EigenstrainResult
  {
    /// Whether a cell problem was solved (false: no phase swells, all zero).
    bool solved = false;
    /// tau_eff [Pa]: <sigma> at zero macro strain.
    dealii::Vector<double> eigenstress;
    /**
     * eps*_eff [-]: the macro strain at zero macro stress. Its components
     * along macro strains that cost no energy (null space of C_eff: a pore
     * layer across a periodic cell, pores on a tubc boundary) are
     * indeterminate, since they change no stress; they are reported as
     * zero, i.e. eps*_eff is in the range of C_eff.
     */
    dealii::Vector<double> swelling_strain;
    /// What the cell problem measured: <sigma> and <eps> (periodic, kubc:
    /// <eps> = 0; tubc: <sigma> = 0 up to the solver residual).
    dealii::Vector<double> mean_stress;
    dealii::Vector<double> mean_strain;
    /// <(eps - eps*) : C (eps - eps*)> [Pa] of the solved field, and its
    /// minimum over macro strains (the energy left in the freely swollen
    /// cell): energy - tau_eff . C_eff^+ tau_eff, for tubc the energy.
    double energy          = 0;
    double residual_energy = 0;
    /**
     * |<sigma : eps> - <sigma> : <eps>| / <eps* : C eps*>, measured from
     * the field as CellProblemResult::hill_mandel; the scale is the energy
     * of the clamped eigenstrain.
     */
    double hill_mandel = 0;
    /// The same from the solver's algebra, with <eps> as the solver
    /// imposed it (zero macro strain, or the measured one for tubc).
    double       hill_mandel_solver = 0;
    unsigned int iterations         = 0;
    bool         converged          = true;
    unsigned int n_stagnated        = 0;
    /// Macro strain directions dropped from eps*_eff as costing no energy.
    unsigned int n_zero_energy_directions = 0;
    double       solve_time               = 0;
  };

  /**
   * One cell problem: one physics, one boundary condition, all its load
   * cases. The constructor sets up the active domain, the Galerkin level
   * matrices, the multigrid preconditioner and the null-space projection
   * once; solve() then runs all load cases through one block CG, reusing
   * that setup, and post-processes volume averages, the effective tensor and
   * the Hill-Mandel residuals.
   *
   * The structure follows deal.II's step-40 (setup, assemble, solve,
   * post-process) with the matrix replaced by the voxel operators.
   */
  class CellProblem
  {
  public:
    /**
     * @param laws per phase: its law in the problem's dimension (Mandel
     *             stiffness or conductivity); an empty matrix, or one that
     *             is identically zero, means the phase does not take part
     */
    CellProblem(Physics                                        physics,
                const BoundaryCondition                       &bc,
                const VoxelHierarchy                          &hierarchy,
                const std::vector<uint8_t>                    &cell_phase,
                const std::vector<dealii::FullMatrix<double>> &laws,
                const SolverSettings                          &settings);

    ~CellProblem();

    /// Solves all load cases and post-processes.
    const CellProblemResult &
    solve();

    const CellProblemResult &
    result() const
    {
      return result_;
    }

    /**
     * One more elasticity load case after solve(): phase eigenstresses
     * @p eigenstress (per phase C eps*, Mandel, problem dimension; empty for
     * a phase that does not swell) at zero macro strain (periodic, kubc) or
     * zero macro stress (tubc). Reuses the operator, multigrid and
     * null-space projection of this problem, so it costs one load case of
     * the block CG and no set-up; solution() is left as it is.
     */
    EigenstrainResult
    solve_eigenstrain(const std::vector<dealii::Vector<double>> &eigenstress);

    const ActiveDomain &
    domain() const
    {
      return *domain_;
    }

    const BoundaryCondition &
    boundary_condition() const
    {
      return *bc;
    }

    /// The computed fields on the finest level: the fluctuation (periodic,
    /// kubc) or the total field (tubc), one column per load case, with
    /// ghost values of all nodes of owned cells.
    const MultiVector<double> &
    solution() const
    {
      return x;
    }

    /// Whether solution() is a fluctuation added to E x.
    bool
    solution_is_fluctuation() const
    {
      return bc->strain_driven();
    }

    /// Load case columns (strain or stress space).
    const dealii::FullMatrix<double> &
    load_cases() const
    {
      return loads;
    }

    /**
     * Per owned fine cell (in the order of GridLevel::owned_cells), per load
     * case, per strain component: the stress (flux) at the cell centre of
     * the total field; zero for inactive cells. Layout
     * (cell * k + load case) * n_strains + component.
     */
    std::vector<double>
    cell_stresses() const;

    Physics
    physics() const
    {
      return physics_;
    }

    /// A displacement (potential) added to a field at a point x of the
    /// cell [0, L]^dim; n_components entries.
    using AddedField
      = std::function<std::array<double, 3>(const std::array<double, 3> &x)>;

    /**
     * Load case @p j of solution() measured from its total field (see
     * measure_field_averages()), with @p added evaluated at every node of
     * every cell added to it: a field that is not periodic, or not in
     * equilibrium, for checking the check.
     */
    FieldAverages
    measure_load_case(unsigned int j, const AddedField &added = {}) const;

  private:
    /// Column @p column of @p field (fluctuation or total field) plus the
    /// affine field of @p macro (empty: none) plus @p added, measured with
    /// the phase @p eigenstress.
    FieldAverages
    measure(const MultiVector<double>                 &field,
            unsigned int                               column,
            const dealii::Vector<double>              &macro,
            const std::vector<dealii::Vector<double>> &eigenstress,
            const AddedField                          &added) const;

    /// Total nodal values of an active owned cell for load case j.
    void
    cell_values(unsigned int            owned_cell,
                unsigned int            j,
                dealii::Vector<double> &u) const;

    Physics                                  physics_;
    const BoundaryCondition                 *bc;
    const VoxelHierarchy                    *hierarchy;
    const std::vector<uint8_t>              *cell_phase;
    SolverSettings                           settings;
    unsigned int                             n_comp;
    std::unique_ptr<ActiveDomain>            domain_;
    std::unique_ptr<VoxelElement>            element;
    std::vector<dealii::FullMatrix<double>>  laws;
    std::unique_ptr<LevelMatrices>           matrices;
    std::unique_ptr<LevelOperator<double>>   fine_operator;
    std::unique_ptr<MultigridPreconditioner> multigrid;
    std::unique_ptr<NullSpaceProjection>     projection;
    ProblemContext                           context;
    dealii::FullMatrix<double>               loads;
    std::vector<dealii::Vector<double>>      affine;
    MultiVector<double>                      x;
    CellProblemResult                        result_;
  };
} // namespace scalebridge::rve

#endif
