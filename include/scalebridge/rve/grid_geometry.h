#ifndef scalebridge_rve_grid_geometry_h
#define scalebridge_rve_grid_geometry_h

#include <array>
#include <cstddef>

namespace scalebridge::rve
{
  /**
   * One level of a structured voxel grid: n_cells[d] cells of edge h[d] per
   * direction (n_cells[2] = 1 in 2D), carrying tensor-product Lagrange
   * elements of polynomial degree @p degree (1: Q1, 2: Q2). The nodes form a
   * lattice of spacing h / degree; cells and nodes are numbered
   * lexicographically, x fastest, and node coordinates are lattice indices.
   * On a periodic grid the node with index degree n in some direction is the
   * node 0 (the fluctuation is periodic), so there are degree n nodes per
   * direction; otherwise there are degree n + 1. The (degree + 1)^dim nodes
   * of a cell are numbered lexicographically too: local node a + (p+1) b +
   * (p+1)^2 c is lattice node (p i + a, p j + b, p k + c) of cell (i, j, k);
   * for Q1 this is deal.II's vertex order.
   */
  struct GridGeometry
  {
    unsigned int            dim = 3;
    std::array<unsigned, 3> n_cells{{1, 1, 1}};
    std::array<double, 3>   h{{1., 1., 1.}};
    bool                    periodic = true;
    unsigned int            degree   = 1;

    /// (degree + 1)^dim
    unsigned int
    nodes_per_cell() const
    {
      unsigned int n = 1;
      for (unsigned int d = 0; d < dim; ++d)
        n *= degree + 1;
      return n;
    }

    /// Nodes per direction (1 in z in 2D).
    std::array<unsigned, 3>
    n_nodes() const
    {
      std::array<unsigned, 3> n{{1, 1, 1}};
      for (unsigned int d = 0; d < dim; ++d)
        n[d] = periodic ? degree * n_cells[d] : degree * n_cells[d] + 1;
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

    /// Node index of lattice point (i,j,k), 0 <= i <= degree n_cells[0]
    /// etc.; wraps around on periodic grids.
    std::size_t
    node_index(unsigned i, unsigned j, unsigned k) const
    {
      const auto n = n_nodes();
      if (periodic)
        {
          i = i % n[0];
          j = j % n[1];
          k = k % n[2];
        }
      return i + std::size_t(n[0]) * (j + std::size_t(n[1]) * k);
    }

    /// (i,j,k) of a node index.
    std::array<unsigned, 3>
    node_coordinates(std::size_t node) const
    {
      const auto        n  = n_nodes();
      const std::size_t nx = n[0], ny = n[1];
      return {{static_cast<unsigned>(node % nx),
               static_cast<unsigned>((node / nx) % ny),
               static_cast<unsigned>(node / (nx * ny))}};
    }

    /// Lattice offset (a, b, c) of local node @p local inside its cell.
    std::array<unsigned, 3>
    local_node_offset(unsigned int local) const
    {
      const unsigned q = degree + 1;
      return {{local % q, (local / q) % q, dim == 3 ? local / (q * q) : 0u}};
    }

    /// Node index of local node @p local of a cell.
    std::size_t
    cell_node(std::size_t cell, unsigned int local) const;

    /**
     * Calls f(cell, local) for every cell (i,j,k) that has lattice node
     * @p node, with the node's local offset (a,b,c) in that cell, both as
     * std::array<unsigned, 3>; periodic grids wrap around.
     */
    template <typename F>
    void
    for_each_cell_at_node(const std::array<unsigned, 3> &node,
                          const F                       &f) const;

    /// Whether lattice point (i,j,k) lies on the boundary of the box (only
    /// meaningful on non-periodic grids).
    bool
    on_boundary(const std::array<unsigned, 3> &node) const;

    /// Volume of the box.
    double
    volume() const;

    /**
     * The next coarser grid of a multigrid hierarchy: for Q2 the Q1 grid on
     * the same cells (p-coarsening), for Q1 the grid with half the cells per
     * direction (and twice the h).
     */
    GridGeometry
    coarsened() const;

    /// Whether coarsened() gives a grid that still has at least
    /// @p min_cells cells in every direction.
    bool
    can_coarsen(unsigned int min_cells = 2) const;
  };

  template <typename F>
  void
  GridGeometry::for_each_cell_at_node(const std::array<unsigned, 3> &node,
                                      const F                       &f) const
  {
    // Per direction: one cell if the node lies inside a cell's edge, two
    // (below and above) if it lies on a cell face.
    std::array<std::array<int, 2>, 3>      cell{};
    std::array<std::array<unsigned, 2>, 3> offset{};
    std::array<unsigned, 3>                count{{1, 1, 1}};
    const int                              p = degree;
    for (unsigned d = 0; d < 3; ++d)
      {
        if (d >= dim)
          {
            cell[d]   = {{0, 0}};
            offset[d] = {{0, 0}};
            continue;
          }
        const int  x = node[d], n = n_cells[d];
        const bool on_face = x % p == 0;
        count[d]           = 0;
        for (int c = on_face ? x / p - 1 : x / p; c <= x / p; ++c)
          {
            int wrapped = c;
            if (periodic)
              wrapped = (c + n) % n;
            else if (c < 0 || c >= n)
              continue;
            cell[d][count[d]]   = wrapped;
            offset[d][count[d]] = unsigned(x - p * c);
            ++count[d];
          }
      }
    for (unsigned c = 0; c < count[2]; ++c)
      for (unsigned b = 0; b < count[1]; ++b)
        for (unsigned a = 0; a < count[0]; ++a)
          f(std::array<unsigned, 3>{{unsigned(cell[0][a]),
                                     unsigned(cell[1][b]),
                                     unsigned(cell[2][c])}},
            std::array<unsigned, 3>{
              {offset[0][a], offset[1][b], offset[2][c]}});
  }
} // namespace scalebridge::rve

#endif
