#include <deal.II/grid/grid_generator.h>

#include <scalebridge/rve/voxel_mesh.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::rve
{
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
    const auto &nv = micro.n_voxels();
    // Coarse grid of m_d cells, L refinements: N_d = m_d 2^L.
    unsigned int L = 30;
    for (unsigned d = 0; d < dim; ++d)
      {
        unsigned int twos = 0;
        for (unsigned n = nv[d]; n % 2 == 0 && n > 1; n /= 2)
          ++twos;
        L = std::min(L, twos);
      }
    std::vector<unsigned int> repetitions(dim);
    dealii::Point<dim>        p1;
    geometry.dim    = dim;
    geometry.degree = degree;
    for (unsigned d = 0; d < dim; ++d)
      {
        repetitions[d]      = nv[d] >> L;
        p1[d]               = micro.size()[d];
        geometry.n_cells[d] = nv[d] << refinements_per_voxel;
        geometry.h[d]       = micro.size()[d] / geometry.n_cells[d];
      }

    tria = std::make_unique<dealii::parallel::distributed::Triangulation<dim>>(
      comm);
    dealii::GridGenerator::subdivided_hyper_rectangle(*tria,
                                                      repetitions,
                                                      dealii::Point<dim>(),
                                                      p1);
    tria->refine_global(L + refinements_per_voxel);

    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        owned.push_back(cell_index(cell));
    std::sort(owned.begin(), owned.end());

    phase.resize(geometry.n_total_cells());
    const unsigned r = refinements_per_voxel;
    for (std::size_t c = 0; c < phase.size(); ++c)
      {
        const auto x = geometry.cell_coordinates(c);
        phase[c] = micro.phase(x[0] >> r, x[1] >> r, dim == 3 ? x[2] >> r : 0);
      }
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
