#ifndef scalebridge_rve_multigrid_h
#define scalebridge_rve_multigrid_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/level_matrices.h>
#include <scalebridge/rve/level_operator.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace scalebridge::rve
{
  /// Settings of the geometric multigrid cycle.
  struct MultigridSettings
  {
    /// Degree of the Chebyshev polynomial (matrix-vector products per
    /// smoothing step).
    unsigned int smoothing_degree = 3;
    /// Ratio between the largest and smallest eigenvalue of D^-1 A that the
    /// smoother targets.
    double smoothing_range = 15.;
    /// Lanczos steps for the largest eigenvalue of D^-1 A on each level.
    unsigned int eigenvalue_iterations = 12;
    /// Largest coarse level solved with a dense pseudo-inverse; bigger
    /// coarsest levels (grids with odd factors) use an inner CG.
    unsigned int max_dense_coarse_unknowns = 2000;
    /// Interpolation that follows the operator (black-box multigrid) rather
    /// than multilinear interpolation; see LevelMatrices.
    bool operator_dependent_interpolation = true;
    /**
     * Cycles each coarse level runs per visit: 1 is the V-cycle, 2 the
     * W-cycle. The W-cycle keeps the iteration count flat where the coarse
     * corrections of the V-cycle lose a little from level to level, as in
     * elasticity of stiff particles joined by thin necks and soft binder,
     * whose bending and rotation modes the operator-dependent interpolation
     * does not reproduce: a 0.55/0.10/0.35 electrode takes 22, 34, 40, 45
     * V-cycle iterations at 24^3, 48^3, 64^3, 96^3 voxels and 19, 23, 25, 24
     * W-cycle iterations (scalebridge-rve-benchmark --microstructure
     * electrode). Each level is visited twice as often as the next
     * finer one, which in 3D has 8 times its unknowns, so a W-cycle costs
     * (4/3) / (8/7) = 1.17 V-cycles; it stays a symmetric preconditioner,
     * unlike a Krylov-accelerated (K-)cycle, whose nonlinearity cost
     * iterations and accuracy at contrast 1000 in single precision.
     */
    unsigned int coarse_corrections = 2;
    /// Precision of the levels: "auto" (needs_double_precision()),
    /// "single" or "double".
    std::string precision = "auto";
  };

  /**
   * The multigrid cycle as CG sees it, whatever precision its levels use.
   */
  class MultigridPreconditioner
  {
  public:
    virtual ~MultigridPreconditioner() = default;

    /// dst = one cycle applied to src (double in, double out).
    virtual void
    vmult(MultiVector<double> &dst, const MultiVector<double> &src) const = 0;

    virtual unsigned int
    n_levels() const = 0;

    /// Unknowns of the coarsest level (all ranks).
    virtual std::size_t
    n_coarse_unknowns() const = 0;

    /// Bytes held by the level matrices and vectors on this rank.
    virtual std::size_t
    memory_consumption() const = 0;

    /// Whether the levels are stored and cycled in double precision.
    virtual bool
    double_precision() const = 0;
  };

  /**
   * Largest ratio of phase coefficients (eigenvalues of the phase laws
   * @p laws, over the phases that @p participate) above which the cycle runs
   * in double precision, see needs_double_precision().
   */
  constexpr double single_precision_contrast_limit = 1e5;

  /**
   * Whether the multigrid levels must be held in double precision. Why: a
   * Galerkin coarse matrix of a cell that mixes phases of contrast c, rounded
   * to single precision (unit round-off u = 6e-8), is perturbed by about u
   * times its largest entry, which is more than the weak phase's own entries
   * once c > 1/u: the coarse operator and the smoother then stop being
   * positive definite, and so does the preconditioner. An olivine particle
   * (1e-9 S/m) beside carbon-binder (50 S/m), c = 5e10, made CG stop after
   * one step on a negative (r, M r) with the effective conductivity 10 %
   * off. The limit keeps the perturbation below about 1 % of the weakest
   * phase (u c < 1e-2); below it single precision halves memory traffic at
   * no cost in iterations.
   */
  bool
  needs_double_precision(const std::vector<dealii::FullMatrix<double>> &laws,
                         const std::vector<bool> &participates);

  /// A multigrid cycle in single or double precision (@p double_precision
  /// when settings.precision is "auto").
  std::unique_ptr<MultigridPreconditioner>
  make_multigrid(const VoxelHierarchy                         &hierarchy,
                 const LevelMatrices                          &matrices,
                 unsigned int                                  n_components,
                 const std::vector<std::vector<unsigned int>> &constrained,
                 const MultigridSettings                      &settings,
                 bool double_precision);

  /**
   * Geometric multigrid on the voxel hierarchy, used as a preconditioner:
   * one W-cycle (or V-cycle) in the precision @p Number with Chebyshev-Jacobi
   * smoothing,
   * operator-dependent transfer, Galerkin coarse operators and a dense
   * pseudo-inverse on the coarsest level (which also takes care of the
   * zero-energy modes the coarse operator may have). A Q2 finest level is
   * smoothed the same way and restricted to Q1 on the same cells by nodal
   * interpolation (a p-multigrid step). All load cases go through the
   * V-cycle together.
   *
   * The eigenvalue estimates start from a vector built from global node
   * numbers, so the preconditioner, and with it the iteration counts, do not
   * depend on the number of ranks.
   */
  template <typename Number>
  class Multigrid final : public MultigridPreconditioner
  {
  public:
    /**
     * @param constrained per level: owned unknowns constrained to zero
     *        (besides the untouched ones every LevelOperator detects)
     */
    Multigrid(const VoxelHierarchy                         &hierarchy,
              const LevelMatrices                          &matrices,
              unsigned int                                  n_components,
              const std::vector<std::vector<unsigned int>> &constrained,
              const MultigridSettings                      &settings);

    ~Multigrid();

    void
    vmult(MultiVector<double>       &dst,
          const MultiVector<double> &src) const override;

    unsigned int
    n_levels() const override
    {
      return operators.size();
    }

    std::size_t
    n_coarse_unknowns() const override
    {
      return coarse_size;
    }

    bool
    double_precision() const override
    {
      return std::is_same_v<Number, double>;
    }

    /// Largest eigenvalue estimate of D^-1 A per level (coarsest first).
    const std::vector<double> &
    eigenvalue_estimates() const
    {
      return max_eigenvalues;
    }

    std::size_t
    memory_consumption() const override;

  private:
    struct Workspace;

    Workspace &
    workspace(unsigned int n_columns) const;

    void
    v_cycle(unsigned int level, Workspace &w) const;

    void
    smooth(unsigned int               level,
           MultiVector<Number>       &x,
           const MultiVector<Number> &b,
           bool                       zero_initial_guess,
           Workspace                 &w) const;

    void
    coarse_solve(MultiVector<Number> &x, const MultiVector<Number> &b) const;

    void
    set_constrained_to_zero(unsigned int level, MultiVector<Number> &v) const;

    double
    estimate_max_eigenvalue(unsigned int level) const;

    const VoxelHierarchy                               *hierarchy;
    const LevelMatrices                                *matrices;
    unsigned int                                        n_comp;
    MultigridSettings                                   settings;
    std::vector<std::unique_ptr<LevelOperator<Number>>> operators;
    std::vector<double>                                 max_eigenvalues;
    std::size_t                                         coarse_size  = 0;
    bool                                                dense_coarse = true;
    /// Pseudo-inverse of the coarsest matrix (dense case), and the global
    /// unknown index of each owned coarse unknown.
    dealii::FullMatrix<double>                                 coarse_inverse;
    std::vector<unsigned int>                                  coarse_global;
    mutable std::map<unsigned int, std::unique_ptr<Workspace>> workspaces;
  };
} // namespace scalebridge::rve

#endif
