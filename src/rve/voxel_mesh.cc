#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria_description.h>

#include <scalebridge/rve/voxel_mesh.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace scalebridge::rve
{
  namespace
  {
    /// Owner rank of every cell: the cells in Morton (Z-order) of their
    /// (i, j, k), cut into n_ranks contiguous pieces of equal size (up to
    /// one cell), as p4est cuts its space-filling curve.
    std::vector<unsigned int>
    morton_owners(const GridGeometry &g, const unsigned int n_ranks)
    {
      const std::size_t                                  n = g.n_total_cells();
      std::vector<std::pair<std::uint64_t, std::size_t>> key(n);
      for (std::size_t c = 0; c < n; ++c)
        {
          const auto    x = g.cell_coordinates(c);
          std::uint64_t m = 0;
          for (unsigned b = 0; b < 21; ++b)
            for (unsigned d = 0; d < g.dim; ++d)
              m |= std::uint64_t((x[d] >> b) & 1u) << (g.dim * b + d);
          key[c] = {m, c};
        }
      std::sort(key.begin(), key.end());
      std::vector<unsigned int> owner(n);
      for (std::size_t r = 0; r < n; ++r)
        owner[key[r].second] = static_cast<unsigned>(r * n_ranks / n);
      return owner;
    }
  } // namespace

  template <int dim>
  VoxelMesh<dim>::VoxelMesh(MPI_Comm                              comm,
                            const microstructure::Microstructure &micro,
                            const unsigned int refinements_per_voxel,
                            const unsigned int degree)
    : comm(comm)
  {
    if (micro.dimension() != dim)
      throw std::invalid_argument("VoxelMesh: microstructure dimension does "
                                  "not match");
    if (degree < 1 || degree > 2)
      throw std::invalid_argument("VoxelMesh: element degree must be 1 or 2");
    const auto &nv  = micro.n_voxels();
    geometry.dim    = dim;
    geometry.degree = degree;
    for (unsigned d = 0; d < dim; ++d)
      {
        geometry.n_cells[d] = nv[d] << refinements_per_voxel;
        geometry.h[d]       = micro.size()[d] / geometry.n_cells[d];
      }

    const unsigned rank = dealii::Utilities::MPI::this_mpi_process(comm);
    const auto     owner
      = morton_owners(geometry, dealii::Utilities::MPI::n_mpi_processes(comm));
    for (std::size_t c = 0; c < owner.size(); ++c)
      if (owner[c] == rank)
        owned.push_back(c);

    phase.resize(geometry.n_total_cells());
    const unsigned r = refinements_per_voxel;
    for (std::size_t c = 0; c < phase.size(); ++c)
      {
        const auto x = geometry.cell_coordinates(c);
        phase[c] = micro.phase(x[0] >> r, x[1] >> r, dim == 3 ? x[2] >> r : 0);
      }
  }

  template <int dim>
  const dealii::parallel::TriangulationBase<dim> &
  VoxelMesh<dim>::triangulation() const
  {
    if (!tria)
      {
        // Every rank builds the serial grid, marks each cell with its owner
        // and keeps its own cells and their ghost layer.
        dealii::Triangulation<dim> serial;
        std::vector<unsigned int>  repetitions(dim);
        dealii::Point<dim>         p1;
        for (unsigned d = 0; d < dim; ++d)
          {
            repetitions[d] = geometry.n_cells[d];
            p1[d]          = geometry.n_cells[d] * geometry.h[d];
          }
        dealii::GridGenerator::subdivided_hyper_rectangle(serial,
                                                          repetitions,
                                                          dealii::Point<dim>(),
                                                          p1);
        const auto owner
          = morton_owners(geometry,
                          dealii::Utilities::MPI::n_mpi_processes(comm));
        for (const auto &cell : serial.active_cell_iterators())
          cell->set_subdomain_id(owner[cell_index(cell)]);
        const auto description = dealii::TriangulationDescription::Utilities::
          create_description_from_triangulation(serial, comm);
        auto t = std::make_unique<
          dealii::parallel::fullydistributed::Triangulation<dim>>(comm);
        t->create_triangulation(description);
        tria = std::move(t);
      }
    return *tria;
  }

  template <int dim>
  GridGeometry
  VoxelMesh<dim>::grid(const bool periodic) const
  {
    GridGeometry g = geometry;
    g.periodic     = periodic;
    return g;
  }

  template <int dim>
  std::size_t
  VoxelMesh<dim>::cell_index(
    const typename dealii::Triangulation<dim>::active_cell_iterator &cell) const
  {
    const auto              c = cell->center();
    std::array<unsigned, 3> x{{0, 0, 0}};
    for (unsigned d = 0; d < dim; ++d)
      x[d] = static_cast<unsigned>(std::floor(c[d] / geometry.h[d]));
    return geometry.cell_index(x[0], x[1], x[2]);
  }

  template <int dim>
  const VoxelHierarchy &
  VoxelMesh<dim>::hierarchy(const bool periodic) const
  {
    auto &h = hierarchies[periodic ? 1 : 0];
    if (!h)
      h = std::make_unique<VoxelHierarchy>(comm, grid(periodic), owned);
    return *h;
  }

  template class VoxelMesh<2>;
  template class VoxelMesh<3>;
} // namespace scalebridge::rve
