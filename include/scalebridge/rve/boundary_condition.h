#ifndef scalebridge_rve_boundary_condition_h
#define scalebridge_rve_boundary_condition_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/voxel_element.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <memory>
#include <string>
#include <vector>

namespace scalebridge::rve
{
  /// What a boundary condition needs to know about the discrete problem.
  struct ProblemContext
  {
    Physics             physics;
    const ActiveDomain *domain;
    const GridLevel    *fine;
    const VoxelElement *element;
    /// Fine element matrix per phase (empty if the phase does not take part).
    const std::vector<dealii::FullMatrix<double>> *phase_matrices;
    /// Phase id of every fine cell.
    const std::vector<uint8_t> *cell_phase;
  };

  /**
   * A boundary condition of the cell problem, chosen by name (a strategy in
   * the sense of ARCHITECTURE.md). It decides the grid topology (periodic or
   * not), which clusters are kept, which unknowns are fixed, the load cases
   * and their right-hand sides, and how the macro strain of a solved load
   * case is measured. All three satisfy the Hill-Mandel condition
   * <sigma:eps> = <sigma>:<eps> by construction; CellProblem computes the
   * residual of it for every load case.
   */
  class BoundaryCondition
  {
  public:
    virtual ~BoundaryCondition() = default;

    /// "periodic", "kubc" or "tubc".
    virtual std::string
    name() const = 0;

    /// Whether the unknowns live on a periodic grid.
    virtual bool
    periodic_grid() const = 0;

    virtual ActiveDomain::Anchoring
    anchoring() const = 0;

    /// Whether the operator has zero-energy modes to remove.
    virtual bool
    has_rigid_modes() const = 0;

    /// Owned unknowns (local node * n_components + component) of a level
    /// that are fixed to zero.
    virtual std::vector<unsigned int>
    constrained_unknowns(const GridLevel &level,
                         unsigned int     n_components) const;

    /**
     * The load cases as columns in strain space (n_strains x k): unit macro
     * strains for strain-driven conditions, a basis of the admissible macro
     * stresses for stress-driven ones.
     */
    virtual dealii::FullMatrix<double>
    load_cases(const ProblemContext &context) const = 0;

    /// Whether the load columns are macro strains (u = E x + fluctuation)
    /// rather than macro stresses (u is the total field).
    virtual bool
    strain_driven() const = 0;

    /// Sizes that tell the solver what accuracy matters, per load case.
    struct LoadScales
    {
      /**
       * Size of the load before the cell contributions cancel (sqrt of the
       * sum of squared cell loads): in a homogeneous region the assembled
       * right-hand side is zero up to round-off of this size, which the
       * solver must not try to resolve.
       */
      std::vector<double> load;
      /**
       * For strain-driven conditions the energy a(E x, E x) of the affine
       * field; the energy of the total field is this minus that of the
       * fluctuation, which the solver uses as its scale when it is much
       * smaller than the fluctuation's (stiff layers in series with
       * compliant ones). Empty for stress-driven conditions.
       */
      std::vector<double> affine_energy;
    };

    /// Assembles the right-hand side of every load case on the fine level.
    virtual LoadScales
    assemble_rhs(const ProblemContext             &context,
                 const dealii::FullMatrix<double> &loads,
                 MultiVector<double>              &rhs) const = 0;

    /**
     * The macro strain <eps> (n_strains x k) of the solved load cases, as
     * the boundary average (1/|Y|) int sym(u (x) n) of the total field.
     */
    virtual dealii::FullMatrix<double>
    macro_strains(const ProblemContext             &context,
                  const dealii::FullMatrix<double> &loads,
                  const MultiVector<double>        &solution) const = 0;
  };

  /// Names accepted by create_boundary_condition().
  std::vector<std::string>
  boundary_condition_names();

  /// Creates a boundary condition by name; throws std::invalid_argument for
  /// an unknown name.
  std::unique_ptr<BoundaryCondition>
  create_boundary_condition(const std::string &name);

  /** @name Helpers shared with the post-processing */
  ///@{
  /// Mandel vector of sym(a (x) b) (elasticity), or a_0 b (conduction, where
  /// a holds the scalar in its first entry).
  dealii::Vector<double>
  symmetric_product(Physics                      physics,
                    unsigned int                 dim,
                    const std::array<double, 3> &a,
                    const std::array<double, 3> &b);

  /// The boundary average (1/|Y|) int_dY u (x) n of every zero-energy mode
  /// and of every free boundary unknown: the macro strains that can be
  /// reached without energy (rows: n_strains, columns: the vectors).
  std::vector<dealii::Vector<double>>
  zero_energy_strains(Physics physics, const ActiveDomain &domain);
  ///@}
} // namespace scalebridge::rve

#endif
