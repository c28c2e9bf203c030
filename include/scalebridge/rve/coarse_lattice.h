#ifndef scalebridge_rve_coarse_lattice_h
#define scalebridge_rve_coarse_lattice_h

#include <scalebridge/rve/grid_geometry.h>

namespace scalebridge::rve
{
  /**
   * Where lattice node @p x (direction @p d) of @p fine sits on the node
   * lattice of fine.coarsened(): true if strictly between the coarse nodes
   * x / 2 and x / 2 + 1, false if it is coarse node (x + 1) / 2. The coarse
   * nodes are the even fine nodes, plus the last fine node of a non-periodic
   * direction with an odd cell count, so that with an odd count the last
   * coarse cell spans one fine cell instead of two and odd or prime sizes
   * keep coarsening. For Q2 -> Q1 on the same cells the even lattice nodes
   * are the vertices, the odd ones the midpoints.
   */
  inline bool
  between_coarse_nodes(const GridGeometry &fine,
                       const unsigned int  d,
                       const unsigned int  x)
  {
    return d < fine.dim && x % 2 == 1
           && (fine.periodic || x != fine.degree * fine.n_cells[d]);
  }
} // namespace scalebridge::rve

#endif
