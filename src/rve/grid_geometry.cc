#include <scalebridge/rve/grid_geometry.h>

namespace scalebridge::rve
{
  std::size_t
  GridGeometry::n_total_cells() const
  {
    return std::size_t(n_cells[0]) * n_cells[1] * (dim == 3 ? n_cells[2] : 1);
  }

  std::size_t
  GridGeometry::n_total_nodes() const
  {
    const auto n = n_nodes();
    return std::size_t(n[0]) * n[1] * n[2];
  }

  std::size_t
  GridGeometry::cell_node(const std::size_t  cell,
                          const unsigned int local) const
  {
    const auto c = cell_coordinates(cell);
    const auto o = local_node_offset(local);
    return node_index(degree * c[0] + o[0],
                      degree * c[1] + o[1],
                      degree * c[2] + o[2]);
  }

  bool
  GridGeometry::on_boundary(const std::array<unsigned, 3> &node) const
  {
    for (unsigned int d = 0; d < dim; ++d)
      if (node[d] == 0 || node[d] == degree * n_cells[d])
        return true;
    return false;
  }

  double
  GridGeometry::volume() const
  {
    double v = 1;
    for (unsigned int d = 0; d < dim; ++d)
      v *= n_cells[d] * h[d];
    return v;
  }

  GridGeometry
  GridGeometry::coarsened() const
  {
    GridGeometry coarse = *this;
    if (degree > 1)
      {
        coarse.degree = 1;
        return coarse;
      }
    for (unsigned int d = 0; d < dim; ++d)
      {
        coarse.n_cells[d] = n_cells[d] / 2;
        coarse.h[d]       = 2 * h[d];
      }
    return coarse;
  }

  bool
  GridGeometry::can_coarsen(const unsigned int min_cells) const
  {
    if (degree > 1)
      return true;
    for (unsigned int d = 0; d < dim; ++d)
      if (n_cells[d] % 2 != 0 || n_cells[d] / 2 < min_cells)
        return false;
    return true;
  }
} // namespace scalebridge::rve
