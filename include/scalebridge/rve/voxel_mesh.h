#ifndef scalebridge_rve_voxel_mesh_h
#define scalebridge_rve_voxel_mesh_h

#include <deal.II/distributed/tria_base.h>

#include <scalebridge/microstructure/microstructure.h>
#include <scalebridge/rve/grid_geometry.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <memory>
#include <vector>

namespace scalebridge::rve
{
  /**
   * The mesh of a voxel microstructure: one hexahedron (quadrilateral) per
   * voxel, or 2^(dim r) cells per voxel with @p refinements_per_voxel = r.
   *
   * The cells are partitioned along a Morton (Z-order) space-filling curve
   * over the cell grid, cut into equal contiguous pieces, whatever the
   * voxel counts: a p4est forest would need one tree per voxel for a prime
   * count (1.03 M trees at 101^3, which took longer than the whole solve).
   * The cell problems run on the structured VoxelHierarchy built on that
   * partition, with elements of polynomial degree @p degree (1: Q1, 2: Q2)
   * on the cells. A deal.II triangulation with the same partition (a
   * parallel::fullydistributed one) is built only when asked for, for
   * output.
   */
  template <int dim>
  class VoxelMesh
  {
  public:
    VoxelMesh(MPI_Comm                              comm,
              const microstructure::Microstructure &micro,
              unsigned int                          refinements_per_voxel = 0,
              unsigned int                          degree                = 1);

    /// The cells as a distributed triangulation that owns the same cells
    /// as owned_cells() (built on first use; collective then).
    const dealii::parallel::TriangulationBase<dim> &
    triangulation() const;

    /// Geometry of the cell grid (with the element degree), periodic or not.
    GridGeometry
    grid(bool periodic) const;

    /// Indices of the cells owned by this rank, ascending.
    const std::vector<std::size_t> &
    owned_cells() const
    {
      return owned;
    }

    /// Phase id of every cell (replicated).
    const std::vector<uint8_t> &
    cell_phase() const
    {
      return phase;
    }

    /// Grid index of a cell of the triangulation.
    std::size_t
    cell_index(const typename dealii::Triangulation<dim>::active_cell_iterator
                 &cell) const;

    /// The multigrid hierarchy on this partition (built on first use).
    const VoxelHierarchy &
    hierarchy(bool periodic) const;

    MPI_Comm
    get_communicator() const
    {
      return comm;
    }

  private:
    MPI_Comm                                                          comm;
    mutable std::unique_ptr<dealii::parallel::TriangulationBase<dim>> tria;
    GridGeometry                                                      geometry;
    std::vector<std::size_t>                                          owned;
    std::vector<uint8_t>                                              phase;
    mutable std::unique_ptr<VoxelHierarchy> hierarchies[2];
  };
} // namespace scalebridge::rve

#endif
