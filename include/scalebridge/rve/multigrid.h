#ifndef scalebridge_rve_multigrid_h
#define scalebridge_rve_multigrid_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/level_matrices.h>
#include <scalebridge/rve/level_operator.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <map>
#include <memory>
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
  };

  /**
   * Geometric multigrid on the voxel hierarchy, used as a preconditioner:
   * one W-cycle (or V-cycle) in single precision with Chebyshev-Jacobi
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
  class Multigrid
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

    /// dst = one cycle applied to src (double in, double out).
    void
    vmult(MultiVector<double> &dst, const MultiVector<double> &src) const;

    unsigned int
    n_levels() const
    {
      return operators.size();
    }

    /// Unknowns of the coarsest level (all ranks).
    std::size_t
    n_coarse_unknowns() const
    {
      return coarse_size;
    }

    /// Largest eigenvalue estimate of D^-1 A per level (coarsest first).
    const std::vector<double> &
    eigenvalue_estimates() const
    {
      return max_eigenvalues;
    }

    /// Bytes held by the level matrices and vectors on this rank.
    std::size_t
    memory_consumption() const;

  private:
    struct Workspace;

    Workspace &
    workspace(unsigned int n_columns) const;

    void
    v_cycle(unsigned int level, Workspace &w) const;

    void
    smooth(unsigned int              level,
           MultiVector<float>       &x,
           const MultiVector<float> &b,
           bool                      zero_initial_guess,
           Workspace                &w) const;

    void
    coarse_solve(MultiVector<float> &x, const MultiVector<float> &b) const;

    void
    set_constrained_to_zero(unsigned int level, MultiVector<float> &v) const;

    double
    estimate_max_eigenvalue(unsigned int level) const;

    const VoxelHierarchy                              *hierarchy;
    const LevelMatrices                               *matrices;
    unsigned int                                       n_comp;
    MultigridSettings                                  settings;
    std::vector<std::unique_ptr<LevelOperator<float>>> operators;
    std::vector<double>                                max_eigenvalues;
    std::size_t                                        coarse_size  = 0;
    bool                                               dense_coarse = true;
    /// Pseudo-inverse of the coarsest matrix (dense case), and the global
    /// unknown index of each owned coarse unknown.
    dealii::FullMatrix<double>                                 coarse_inverse;
    std::vector<unsigned int>                                  coarse_global;
    mutable std::map<unsigned int, std::unique_ptr<Workspace>> workspaces;
  };
} // namespace scalebridge::rve

#endif
