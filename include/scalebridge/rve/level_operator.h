#ifndef scalebridge_rve_level_operator_h
#define scalebridge_rve_level_operator_h

#include <deal.II/base/aligned_vector.h>

#include <scalebridge/rve/level_matrices.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <vector>

namespace scalebridge::rve
{
  /**
   * The matrix-free operator of one level: y = A x for all columns of a
   * MultiVector, applied cell by cell with dense element matrices (shared
   * per phase on the finest level, Galerkin products on coarse levels).
   * Cells without any active descendant are skipped.
   *
   * Constrained unknowns (boundary values of kubc, unknowns touched by no
   * active cell) act as identity rows and columns: they are read as zero and
   * their result is the input, as deal.II's MatrixFreeOperators do, so that
   * A is symmetric (positive semi-definite on the free unknowns).
   */
  template <typename Number>
  class LevelOperator
  {
  public:
    /**
     * @param constrained owned unknowns (local node * n_components +
     *        component) constrained to zero besides those that no active
     *        cell touches
     */
    LevelOperator(const GridLevel                 &level,
                  const LevelMatrices             &matrices,
                  unsigned int                     level_index,
                  unsigned int                     n_components,
                  const std::vector<unsigned int> &constrained);

    /// dst = A src for every column.
    void
    vmult(MultiVector<Number> &dst, const MultiVector<Number> &src) const;

    /// 1 / diag(A) per owned unknown (local node * n_components + component).
    const std::vector<Number> &
    inverse_diagonal() const
    {
      return inv_diagonal;
    }

    /// The diagonal in double precision (owned unknowns).
    const std::vector<double> &
    diagonal() const
    {
      return diag;
    }

    const GridLevel &
    level() const
    {
      return *grid_level;
    }

    unsigned int
    n_components() const
    {
      return n_comp;
    }

    /// Owned unknowns that are constrained (sorted).
    const std::vector<unsigned int> &
    constrained_unknowns() const
    {
      return constrained_dofs;
    }

    /// Active cells on this rank (cells with a matrix).
    unsigned int
    n_active_cells() const
    {
      return static_cast<unsigned int>(cell_matrix.size());
    }

    /// Per active cell: its local nodes (GridGeometry::nodes_per_cell()).
    const std::vector<unsigned int> &
    active_cell_nodes() const
    {
      return cell_nodes;
    }

    /// Per active cell: index into the owned cells of the level.
    const std::vector<unsigned int> &
    active_cells() const
    {
      return cell_index;
    }

    unsigned int
    n_dofs_per_cell() const
    {
      return n_dofs;
    }

  private:
    const GridLevel          *grid_level;
    unsigned int              n_comp;
    unsigned int              n_dofs;
    std::vector<unsigned int> cell_index;
    std::vector<unsigned int> cell_nodes;
    std::vector<unsigned int> cell_matrix;
    /// Column-major copies with padded columns (see apply_cell_matrices()).
    dealii::AlignedVector<Number> matrices;
    std::vector<unsigned int>     constrained_dofs;
    std::vector<double>           diag;
    std::vector<Number>           inv_diagonal;
    mutable std::vector<Number>   saved;
  };
} // namespace scalebridge::rve

#endif
