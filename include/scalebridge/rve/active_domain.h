#ifndef scalebridge_rve_active_domain_h
#define scalebridge_rve_active_domain_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/grid_geometry.h>
#include <scalebridge/rve/voxel_element.h>

#include <array>
#include <cstdint>
#include <vector>

namespace scalebridge::rve
{
  /**
   * Which face-connected clusters of participating cells take part in a cell
   * problem.
   *
   * Cells of phases without stiffness (or conductivity) are removed from that
   * physics. What is left falls into clusters connected through shared
   * faces. Only faces count: in a Q1 voxel mesh two cells that share only an
   * edge or a vertex form a hinge or a ball joint, which transmits neither a
   * moment nor, in the limit of refinement, a flux; treating such contacts as
   * load paths would leave mechanisms in the stiffness matrix. A cluster is
   * kept if it can carry load under the boundary condition:
   *  - periodic: it wraps around the periodic cell (connects to its own
   *    periodic image) in at least one direction. An island that does not
   *    is stress-free (flux-free) under any macro strain and is removed;
   *  - kubc, tubc: it has at least one face on the boundary of the box.
   *    Interior islands receive no load and are removed.
   *
   * Kept clusters can still touch each other at edges or vertices. Their
   * remaining zero-energy modes (translations; rotations of clusters that
   * wrap in at most one direction, about that direction; joint motions of
   * clusters hinged to each other) are computed exactly: each cluster
   * contributes its rigid modes compatible with its wrapping, and a small
   * dense kernel computation enforces equal displacements at the nodes the
   * clusters share. For conduction the modes are constants per set of
   * touching clusters. Without rigid modes (kubc) none are computed.
   *
   * Everything here works on the replicated voxel data and is identical on
   * all ranks, so the result does not depend on the partition.
   */
  class ActiveDomain
  {
  public:
    enum class Anchoring
    {
      /// kept if the cluster wraps around the periodic box
      wraps,
      /// kept if the cluster has a face on the box boundary
      boundary_face
    };

    /**
     * @param grid        the finest grid (periodic or not)
     * @param cell_phase  phase id of every cell of @p grid
     * @param participates per phase id: does the phase take part
     * @param anchoring   which clusters are kept
     * @param rigid_modes compute the zero-energy modes of kept clusters
     */
    ActiveDomain(Physics                     physics,
                 const GridGeometry         &grid,
                 const std::vector<uint8_t> &cell_phase,
                 const std::vector<bool>    &participates,
                 Anchoring                   anchoring,
                 bool                        rigid_modes);

    const GridGeometry &
    grid() const
    {
      return grid_;
    }

    /// Whether a fine cell takes part.
    bool
    active(std::size_t cell) const
    {
      return cell_component[cell] >= 0 && kept[cell_component[cell]];
    }

    /// Whether a node is touched by an active cell.
    bool
    node_active(std::size_t node) const
    {
      return node_component[node] >= 0;
    }

    std::size_t
    n_active_cells() const
    {
      return n_active;
    }
    /// Cells of participating phases that were removed (islands, hinges).
    std::size_t
    n_removed_cells() const
    {
      return n_removed;
    }
    unsigned int
    n_kept_clusters() const
    {
      return n_kept;
    }

    /** @name Zero-energy modes */
    ///@{
    /// Generator fields: per kept cluster, its rigid modes (translations,
    /// admissible rotations, or the constant).
    unsigned int
    n_generators() const
    {
      return static_cast<unsigned>(generator_cluster.size());
    }

    /**
     * Value of generator field @p g at @p node, component @p c. Non-zero only
     * on nodes whose representative cluster is the generator's cluster.
     */
    double
    generator_value(unsigned int g, std::size_t node, unsigned int c) const;

    /// The generators that are non-zero at a node: [first, first + count).
    std::pair<unsigned int, unsigned int>
    node_generators(std::size_t node) const;

    /// Zero-energy modes as columns of generator coefficients
    /// (n_generators() x null_space_dimension()).
    const dealii::FullMatrix<double> &
    null_space() const
    {
      return null_basis;
    }

    unsigned int
    null_space_dimension() const
    {
      return null_basis.n();
    }
    ///@}

    /** @name Boundary averages (non-periodic grids) */
    ///@{
    /**
     * Weight vector of a boundary node in the boundary integral of a nodal
     * field: int_dY u (x) n = sum_nodes u_n (x) w_n, i.e.
     * w_n = sum over the boundary faces F at n of int_F N_n n_F (for Q1
     * |F| / 2^(dim-1) n_F).
     */
    std::array<double, 3>
    boundary_weight(std::size_t node) const;

    /// Boundary nodes not touched by any active cell: their values are free.
    const std::vector<std::size_t> &
    free_boundary_nodes() const
    {
      return free_boundary;
    }
    ///@}

  private:
    Physics           physics;
    GridGeometry      grid_;
    unsigned int      n_comp;
    std::vector<int>  cell_component;
    std::vector<bool> kept;
    std::size_t       n_active  = 0;
    std::size_t       n_removed = 0;
    unsigned int      n_kept    = 0;
    /// Representative kept cluster of each node (-1: no active cell).
    std::vector<int> node_component;
    /// Position of each active node in the unwrapped frame of its
    /// representative cluster, relative to the cluster's reference point,
    /// in units of the box size.
    std::vector<std::array<double, 3>> node_position;
    /// Per cluster: first generator and number of generators.
    std::vector<unsigned int> first_generator;
    std::vector<unsigned int> n_cluster_generators;
    /// Per generator: cluster, and kind (0..2 translation / constant,
    /// 3..5 rotation about axis kind-3).
    std::vector<int>           generator_cluster;
    std::vector<int>           generator_kind;
    dealii::FullMatrix<double> null_basis;
    std::vector<std::size_t>   free_boundary;
    /// int_0^1 of the 1D shape function of each local node (per unit edge).
    std::vector<double> edge_weight;
  };
} // namespace scalebridge::rve

#endif
