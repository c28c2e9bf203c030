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
   * Cell matrices of every level of the hierarchy for one physics.
   *
   * On the finest level a cell's matrix is the element matrix of its phase
   * (one per phase). A coarse cell's matrix is the Galerkin product
   * sum_children P_c^T K_child P_c, i.e. exactly the matrix P^T A P of
   * geometric multigrid with multilinear interpolation, assembled cell by
   * cell. Unlike rediscretisation with averaged coefficients this keeps the
   * coarse operators faithful at high contrast and with void cells. Coarse
   * cells whose descendants are all one phase share that phase's element
   * matrix at the coarse size; only mixed cells store a matrix of their own.
   * Matrices of non-owned children that an owned parent needs are computed
   * redundantly from the replicated voxel data (no communication).
   */
  class LevelMatrices
  {
  public:
    /**
     * @param laws per phase: its law in the problem dimension (empty matrix
     *             for phases that do not take part)
     */
    LevelMatrices(Physics                                        physics,
                  const VoxelHierarchy                          &hierarchy,
                  const ActiveDomain                            &domain,
                  const std::vector<uint8_t>                    &cell_phase,
                  const std::vector<dealii::FullMatrix<double>> &laws);

    unsigned int
    n_dofs_per_cell() const
    {
      return n_dofs;
    }

    /// Per owned cell of a level: index of its matrix in matrices(), or
    /// inactive for cells without any active descendant.
    const std::vector<unsigned int> &
    cell_matrix(unsigned int level) const
    {
      return cell_matrix_[level];
    }

    /// The distinct matrices of a level, each n_dofs x n_dofs row-major.
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

    static constexpr unsigned int inactive = static_cast<unsigned int>(-1);

  private:
    unsigned int                            n_dofs;
    std::vector<std::vector<unsigned int>>  cell_matrix_;
    std::vector<std::vector<double>>        pool;
    std::vector<dealii::FullMatrix<double>> fine_phase_matrix;
  };
} // namespace scalebridge::rve

#endif
