#ifndef scalebridge_rve_voxel_hierarchy_h
#define scalebridge_rve_voxel_hierarchy_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/partitioner.h>
#include <deal.II/base/types.h>

#include <scalebridge/rve/grid_geometry.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace scalebridge::rve
{
  /**
   * One level of the voxel hierarchy on this MPI rank: the cells it owns,
   * a global numbering of the grid nodes that is contiguous per rank, the
   * local index of every node it touches, and the interpolation from the next
   * coarser level. Values live in deal.II distributed vectors whose entries
   * are grouped by node: entry (node, component, column) sits at
   * local_node * n_components * n_columns + component * n_columns + column,
   * so that several right-hand sides share one ghost exchange and one gather.
   * The ghost nodes include the coarse nodes that owned nodes of the next
   * finer level interpolate from (see LevelMatrices::prolongation()).
   */
  class GridLevel
  {
  public:
    GridGeometry geometry;

    /// Cell indices owned by this rank, ascending.
    std::vector<std::size_t> owned_cells;
    /// Local node index of each node of each owned cell
    /// (GridGeometry::nodes_per_cell() per cell).
    std::vector<unsigned int> cell_nodes;
    /// Node index of each locally owned node, in local order.
    std::vector<std::size_t> owned_nodes;
    /// Global number of every node of the level (replicated on all ranks).
    std::vector<dealii::types::global_dof_index> global_node;
    /// Owned and ghost nodes (one vector entry per node).
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> nodes;

    /// Number of locally owned nodes.
    unsigned int
    n_owned_nodes() const
    {
      return static_cast<unsigned int>(owned_nodes.size());
    }

    /// Local index (owned or ghost) of a node; the node must be known here.
    unsigned int
    local_node(std::size_t node) const
    {
      return nodes->global_to_local(global_node[node]);
    }

    /// The partitioner for vectors with @p block entries per node.
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner>
    partitioner(unsigned int block) const;

  private:
    mutable std::mutex mutex;
    mutable std::map<unsigned int,
                     std::shared_ptr<const dealii::Utilities::MPI::Partitioner>>
      block_partitioners;
  };

  /**
   * The natural geometric hierarchy of a voxel grid: each level has half the
   * cells per direction of the next finer one, down to the coarsest grid
   * that is still divisible (a 64^3 grid gives 64, 32, ..., 2). A Q2 grid
   * first steps down to Q1 on the same cells (p-coarsening; its nodes are
   * those of the Q1 lattice refined once, so the transfer is the same
   * lattice interpolation as between Q1 levels). A coarse cell
   * belongs to the rank that owns its first fine descendant, so the
   * partition of every level follows the p4est partition of the voxels and
   * the transfer between levels is mostly local.
   */
  class VoxelHierarchy
  {
  public:
    /**
     * @param fine        geometry of the finest grid
     * @param owned_cells cell indices of the fine grid owned by this rank;
     *                    the sets of all ranks must partition the grid
     * @param min_coarse_cells coarsening stops before a direction would get
     *                    fewer cells than this
     * @param max_levels  at most this many levels
     */
    VoxelHierarchy(MPI_Comm                        comm,
                   const GridGeometry             &fine,
                   const std::vector<std::size_t> &owned_cells,
                   unsigned int                    min_coarse_cells = 2,
                   unsigned int                    max_levels       = 32);

    /// Level 0 is the coarsest, n_levels()-1 the finest.
    unsigned int
    n_levels() const
    {
      return static_cast<unsigned int>(levels.size());
    }

    const GridLevel &
    level(unsigned int l) const
    {
      return *levels[l];
    }

    const GridLevel &
    finest() const
    {
      return *levels.back();
    }

    MPI_Comm
    get_communicator() const
    {
      return comm;
    }

  private:
    MPI_Comm                                comm;
    std::vector<std::unique_ptr<GridLevel>> levels;
  };
} // namespace scalebridge::rve

#endif
