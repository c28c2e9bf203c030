#ifndef scalebridge_rve_voxel_mesh_h
#define scalebridge_rve_voxel_mesh_h

#include <deal.II/distributed/tria.h>

#include <scalebridge/microstructure/microstructure.h>
#include <scalebridge/rve/grid_geometry.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <memory>
#include <vector>

namespace scalebridge::rve
{
  /**
   * The mesh of a voxel microstructure: a parallel::distributed::Triangulation
   * with one hexahedron (quadrilateral) per voxel, or 2^(dim r) cells per
   * voxel with @p refinements_per_voxel = r. It is built as a coarse grid of
   * m_d cells per direction, refined L times, with N_d = m_d 2^L, so that
   * p4est partitions the voxels along its space-filling curve and the
   * natural hierarchy of the voxel grid is that of the mesh.
   *
   * The triangulation gives the partition (which rank owns which voxel) and
   * the cells for output; the cell problems run on the structured
   * VoxelHierarchy built on that partition, with elements of polynomial
   * degree @p degree (1: Q1, 2: Q2) on the cells.
   */
  template <int dim>
  class VoxelMesh
  {
  public:
    VoxelMesh(MPI_Comm                              comm,
              const microstructure::Microstructure &micro,
              unsigned int                          refinements_per_voxel = 0,
              unsigned int                          degree                = 1);

    const dealii::parallel::distributed::Triangulation<dim> &
    triangulation() const
    {
      return *tria;
    }

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
    MPI_Comm                                                           comm;
    std::unique_ptr<dealii::parallel::distributed::Triangulation<dim>> tria;
    GridGeometry                                                       geometry;
    std::vector<std::size_t>                                           owned;
    std::vector<uint8_t>                                               phase;
    mutable std::unique_ptr<VoxelHierarchy> hierarchies[2];
  };
} // namespace scalebridge::rve

#endif
