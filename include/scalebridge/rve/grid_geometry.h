#ifndef scalebridge_rve_grid_geometry_h
#define scalebridge_rve_grid_geometry_h

#include <array>
#include <cstddef>

namespace scalebridge::rve
{
  /**
   * One level of a structured voxel grid: n_cells[d] cells of edge h[d] per
   * direction (n_cells[2] = 1 in 2D). Cells and nodes are numbered
   * lexicographically, x fastest. On a periodic grid the node with index n in
   * some direction is the node 0 (the fluctuation is periodic), so there are
   * as many nodes as cells; otherwise there are n_cells + 1 nodes per
   * direction. The 2^dim corners of a cell are ordered like deal.II's
   * vertices, v = a + 2 b + 4 c for the corner (i + a, j + b, k + c).
   */
  struct GridGeometry
  {
    unsigned int            dim = 3;
    std::array<unsigned, 3> n_cells{{1, 1, 1}};
    std::array<double, 3>   h{{1., 1., 1.}};
    bool                    periodic = true;

    unsigned int
    vertices_per_cell() const
    {
      return 1u << dim;
    }

    /// Nodes per direction (1 in z in 2D).
    std::array<unsigned, 3>
    n_nodes() const
    {
      std::array<unsigned, 3> n{{1, 1, 1}};
      for (unsigned int d = 0; d < dim; ++d)
        n[d] = periodic ? n_cells[d] : n_cells[d] + 1;
      return n;
    }

    std::size_t
    n_total_cells() const;

    std::size_t
    n_total_nodes() const;

    std::size_t
    cell_index(unsigned i, unsigned j, unsigned k) const
    {
      return i + std::size_t(n_cells[0]) * (j + std::size_t(n_cells[1]) * k);
    }

    /// (i,j,k) of a cell index.
    std::array<unsigned, 3>
    cell_coordinates(std::size_t cell) const
    {
      const std::size_t nx = n_cells[0], ny = n_cells[1];
      return {{static_cast<unsigned>(cell % nx),
               static_cast<unsigned>((cell / nx) % ny),
               static_cast<unsigned>(cell / (nx * ny))}};
    }

    /// Node index of lattice point (i,j,k), 0 <= i <= n_cells[0] etc.; wraps
    /// around on periodic grids.
    std::size_t
    node_index(unsigned i, unsigned j, unsigned k) const
    {
      const unsigned nx = periodic ? n_cells[0] : n_cells[0] + 1;
      const unsigned ny = periodic ? n_cells[1] : n_cells[1] + 1;
      if (periodic)
        {
          i = i % nx;
          j = j % ny;
          k = (dim == 3) ? k % n_cells[2] : 0;
        }
      return i + std::size_t(nx) * (j + std::size_t(ny) * k);
    }

    /// (i,j,k) of a node index.
    std::array<unsigned, 3>
    node_coordinates(std::size_t node) const
    {
      const std::size_t nx = periodic ? n_cells[0] : n_cells[0] + 1;
      const std::size_t ny = periodic ? n_cells[1] : n_cells[1] + 1;
      return {{static_cast<unsigned>(node % nx),
               static_cast<unsigned>((node / nx) % ny),
               static_cast<unsigned>(node / (nx * ny))}};
    }

    /// Node index of corner v of a cell.
    std::size_t
    cell_vertex(std::size_t cell, unsigned int v) const;

    /// Whether lattice point (i,j,k) lies on the boundary of the box (only
    /// meaningful on non-periodic grids).
    bool
    on_boundary(const std::array<unsigned, 3> &node) const;

    /// Volume of the box.
    double
    volume() const;

    /// The grid with half the cells per direction (and twice the h).
    GridGeometry
    coarsened() const;

    /// Whether coarsened() gives a grid that still has at least
    /// @p min_cells cells in every direction.
    bool
    can_coarsen(unsigned int min_cells = 2) const;
  };
} // namespace scalebridge::rve

#endif
