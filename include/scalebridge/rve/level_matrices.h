#ifndef scalebridge_rve_level_matrices_h
#define scalebridge_rve_level_matrices_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/voxel_element.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <vector>

namespace scalebridge::rve
{
  /**
   * Cell matrices and transfer operators of every level of the hierarchy
   * for one physics.
   *
   * On the finest level a cell's matrix is the element matrix of its phase
   * (one per phase). The interpolation from a coarse level follows the
   * operator (black-box multigrid, Dendy 1982): a fine node between coarse
   * nodes takes its value from the equation of its own row, with the stencil
   * collapsed onto the directions in which it lies between coarse nodes, so
   * that coarse basis functions follow strong connections and stay flat
   * across weak ones. This is what keeps the V-cycle robust when phase
   * properties differ by many orders of magnitude; in a homogeneous
   * isotropic region it reduces to multilinear interpolation. For
   * elasticity each displacement component is interpolated with its own
   * diagonal block of the stencil.
   *
   * A coarse cell's matrix is then the Galerkin product sum_children P_c^T
   * K_child P_c, i.e. exactly P^T A P assembled cell by cell. A Q2 finest
   * level has the Q2 phase matrices; its Galerkin coarse operator is the Q1
   * operator of the same cells, where the Q1 hierarchy starts. Coarse cells
   * whose descendants are all one phase and whose interpolation is
   * multilinear share that phase's element matrix at the coarse size; only
   * the others store a matrix of their own. What an owned coarse cell needs
   * from non-owned fine cells is recomputed from the replicated voxel data
   * (no communication).
   */
  class LevelMatrices
  {
  public:
    /**
     * @param laws per phase: its law in the problem dimension (empty matrix
     *             for phases that do not take part)
     * @param operator_dependent black-box interpolation (true) or plain
     *             multilinear interpolation (false)
     */
    LevelMatrices(Physics                                        physics,
                  const VoxelHierarchy                          &hierarchy,
                  const ActiveDomain                            &domain,
                  const std::vector<uint8_t>                    &cell_phase,
                  const std::vector<dealii::FullMatrix<double>> &laws,
                  bool operator_dependent = true);

    /// Unknowns per cell of a level (Q1: 2^dim nodes, Q2: 3^dim).
    unsigned int
    n_dofs_per_cell(unsigned int level) const
    {
      return n_dofs[level];
    }

    /// Per owned cell of a level: index of its matrix in matrices(), or
    /// inactive for cells without any active descendant.
    const std::vector<unsigned int> &
    cell_matrix(unsigned int level) const
    {
      return cell_matrix_[level];
    }

    /// The distinct matrices of a level, each n_dofs_per_cell(level) square,
    /// row-major.
    const std::vector<double> &
    matrices(unsigned int level) const
    {
      return pool[level];
    }

    /// Element matrix of phase @p p on the finest level (empty if the
    /// phase does not take part).
    const dealii::FullMatrix<double> &
    phase_matrix(unsigned int p) const
    {
      return fine_phase_matrix[p];
    }

    /**
     * Interpolation from level l-1 to level l (l >= 1), row by row for the
     * owned nodes of level l: local indices (on level l-1) of the 1, 2, 4
     * or 8 coarse nodes of a row, and per entry one weight per component.
     * From Q1 to a Q2 finest level it is the nodal interpolation.
     */
    struct Prolongation
    {
      std::vector<unsigned int> start;
      std::vector<unsigned int> coarse_node;
      std::vector<float>        weight;
    };

    const Prolongation &
    prolongation(unsigned int level) const
    {
      return prolongation_[level];
    }

    /// Coarse cells (all levels) that store their own matrix on this rank.
    std::size_t
    n_custom_matrices() const;

    static constexpr unsigned int inactive = static_cast<unsigned int>(-1);

  private:
    std::vector<unsigned int>               n_dofs;
    unsigned int                            n_comp;
    std::vector<std::vector<unsigned int>>  cell_matrix_;
    std::vector<std::vector<double>>        pool;
    std::vector<dealii::FullMatrix<double>> fine_phase_matrix;
    std::vector<Prolongation>               prolongation_;
    std::vector<std::size_t>                n_pure;
  };
} // namespace scalebridge::rve

#endif
