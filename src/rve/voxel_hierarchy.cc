#include <deal.II/base/index_set.h>

#include <scalebridge/rve/voxel_hierarchy.h>

#include <algorithm>
#include <stdexcept>

namespace scalebridge::rve
{
  std::shared_ptr<const dealii::Utilities::MPI::Partitioner>
  GridLevel::partitioner(const unsigned int block) const
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto                        it = block_partitioners.find(block);
    if (it != block_partitioners.end())
      return it->second;

    const dealii::types::global_dof_index n_global = global_node.size();
    dealii::IndexSet                      owned(n_global * block);
    const auto                            range = nodes->local_range();
    owned.add_range(std::size_t(range.first) * block,
                    std::size_t(range.second) * block);
    dealii::IndexSet ghosts(n_global * block);
    for (const auto g : nodes->ghost_indices())
      ghosts.add_range(std::size_t(g) * block, std::size_t(g + 1) * block);
    ghosts.compress();
    auto p = std::make_shared<dealii::Utilities::MPI::Partitioner>(
      owned, ghosts, nodes->get_mpi_communicator());
    block_partitioners[block] = p;
    return p;
  }

  namespace
  {
    /// Owner rank of each node: the owner of the cell that holds the node
    /// at a local offset below the degree in every direction (its lower
    /// corner for Q1; clamped into the grid on non-periodic grids).
    std::vector<int>
    node_owners(const GridGeometry &g, const std::vector<int> &cell_owner)
    {
      const auto       n = g.n_nodes();
      const unsigned   p = g.degree;
      std::vector<int> owner(g.n_total_nodes());
      for (unsigned k = 0; k < n[2]; ++k)
        for (unsigned j = 0; j < n[1]; ++j)
          for (unsigned i = 0; i < n[0]; ++i)
            {
              const unsigned ci = std::min(i / p, g.n_cells[0] - 1);
              const unsigned cj = std::min(j / p, g.n_cells[1] - 1);
              const unsigned ck
                = g.dim == 3 ? std::min(k / p, g.n_cells[2] - 1) : 0;
              owner[g.node_index(i, j, k)]
                = cell_owner[g.cell_index(ci, cj, ck)];
            }
      return owner;
    }

    /// Coarse nodes and weights that node (i,j,k) of a fine grid
    /// interpolates from: multilinear interpolation between node lattices
    /// of which the fine one halves the spacing of the coarse one, which is
    /// the case both for h-coarsening of Q1 and for Q2 -> Q1 on the same
    /// cells.
    template <typename F>
    void
    for_each_parent_node(const GridGeometry            &coarse,
                         const std::array<unsigned, 3> &fine_node,
                         const F                       &f)
    {
      unsigned                               n_1d[3] = {1, 1, 1};
      std::array<std::array<unsigned, 2>, 3> idx{};
      std::array<std::array<float, 2>, 3>    w{};
      for (unsigned d = 0; d < 3; ++d)
        {
          if (d >= coarse.dim)
            {
              idx[d] = {{0, 0}};
              w[d]   = {{1.f, 0.f}};
              continue;
            }
          const unsigned i = fine_node[d];
          if (i % 2 == 0)
            {
              idx[d] = {{i / 2, 0}};
              w[d]   = {{1.f, 0.f}};
            }
          else
            {
              idx[d]  = {{i / 2, i / 2 + 1}};
              w[d]    = {{0.5f, 0.5f}};
              n_1d[d] = 2;
            }
        }
      for (unsigned c = 0; c < n_1d[2]; ++c)
        for (unsigned b = 0; b < n_1d[1]; ++b)
          for (unsigned a = 0; a < n_1d[0]; ++a)
            f(coarse.node_index(idx[0][a], idx[1][b], idx[2][c]),
              w[0][a] * w[1][b] * w[2][c]);
    }
  } // namespace

  VoxelHierarchy::VoxelHierarchy(MPI_Comm                        comm,
                                 const GridGeometry             &fine,
                                 const std::vector<std::size_t> &owned_cells,
                                 const unsigned int min_coarse_cells,
                                 const unsigned int max_levels)
    : comm(comm)
  {
    const int rank = dealii::Utilities::MPI::this_mpi_process(comm);
    const int n_ranks
      = static_cast<int>(dealii::Utilities::MPI::n_mpi_processes(comm));

    // Geometries, finest first.
    std::vector<GridGeometry> geometries{fine};
    while (geometries.size() < max_levels
           && geometries.back().can_coarsen(min_coarse_cells))
      geometries.push_back(geometries.back().coarsened());
    std::reverse(geometries.begin(), geometries.end());
    const unsigned int n_lev = geometries.size();

    // Cell owners of every level (replicated), finest from the partition.
    std::vector<std::vector<int>> cell_owner(n_lev);
    {
      std::vector<int> &o = cell_owner[n_lev - 1];
      o.assign(fine.n_total_cells(), -1);
      for (const auto c : owned_cells)
        o[c] = rank;
      MPI_Allreduce(
        MPI_IN_PLACE, o.data(), int(o.size()), MPI_INT, MPI_MAX, comm);
      if (std::find(o.begin(), o.end(), -1) != o.end())
        throw std::logic_error("VoxelHierarchy: the owned cells of all ranks "
                               "do not cover the grid");
    }
    for (unsigned l = n_lev - 1; l-- > 0;)
      {
        const GridGeometry &g = geometries[l];
        const GridGeometry &f = geometries[l + 1];
        // 2 for h-coarsening, 1 for p-coarsening
        const unsigned ratio = f.n_cells[0] / g.n_cells[0];
        cell_owner[l].resize(g.n_total_cells());
        for (std::size_t c = 0; c < g.n_total_cells(); ++c)
          {
            const auto x     = g.cell_coordinates(c);
            cell_owner[l][c] = cell_owner[l + 1][f.cell_index(
              ratio * x[0], ratio * x[1], ratio * x[2])];
          }
      }

    std::vector<std::vector<int>> owner_of_node(n_lev);
    for (unsigned l = 0; l < n_lev; ++l)
      owner_of_node[l] = node_owners(geometries[l], cell_owner[l]);

    for (unsigned l = 0; l < n_lev; ++l)
      {
        auto level                    = std::make_unique<GridLevel>();
        level->geometry               = geometries[l];
        const GridGeometry     &g     = level->geometry;
        const std::vector<int> &owner = owner_of_node[l];

        // Global numbering: rank by rank, ascending node index within a rank.
        std::vector<dealii::types::global_dof_index> count(n_ranks + 1, 0);
        for (const int o : owner)
          ++count[o + 1];
        for (int r = 0; r < n_ranks; ++r)
          count[r + 1] += count[r];
        level->global_node.resize(owner.size());
        {
          std::vector<dealii::types::global_dof_index> next(count.begin(),
                                                            count.end() - 1);
          for (std::size_t n = 0; n < owner.size(); ++n)
            {
              level->global_node[n] = next[owner[n]]++;
              if (owner[n] == rank)
                level->owned_nodes.push_back(n);
            }
        }

        for (std::size_t c = 0; c < g.n_total_cells(); ++c)
          if (cell_owner[l][c] == rank)
            level->owned_cells.push_back(c);

        // Ghosts: nodes of owned cells, and the coarse nodes that owned
        // nodes of the next finer level interpolate from.
        std::vector<dealii::types::global_dof_index> ghost_list;
        const unsigned int                           nv = g.nodes_per_cell();
        for (const auto c : level->owned_cells)
          for (unsigned v = 0; v < nv; ++v)
            {
              const auto n = g.cell_node(c, v);
              if (owner[n] != rank)
                ghost_list.push_back(level->global_node[n]);
            }
        if (l + 1 < n_lev)
          {
            const GridGeometry &f = geometries[l + 1];
            for (std::size_t n = 0; n < f.n_total_nodes(); ++n)
              if (owner_of_node[l + 1][n] == rank)
                for_each_parent_node(
                  g, f.node_coordinates(n), [&](const std::size_t p, float) {
                    if (owner[p] != rank)
                      ghost_list.push_back(level->global_node[p]);
                  });
          }
        std::sort(ghost_list.begin(), ghost_list.end());
        ghost_list.erase(std::unique(ghost_list.begin(), ghost_list.end()),
                         ghost_list.end());

        dealii::IndexSet owned_set(owner.size()), ghost_set(owner.size());
        owned_set.add_range(count[rank], count[rank + 1]);
        ghost_set.add_indices(ghost_list.begin(), ghost_list.end());
        ghost_set.compress();
        level->nodes
          = std::make_shared<dealii::Utilities::MPI::Partitioner>(owned_set,
                                                                  ghost_set,
                                                                  comm);

        level->cell_nodes.resize(level->owned_cells.size() * nv);
        for (std::size_t i = 0; i < level->owned_cells.size(); ++i)
          for (unsigned v = 0; v < nv; ++v)
            level->cell_nodes[i * nv + v]
              = level->local_node(g.cell_node(level->owned_cells[i], v));

        levels.push_back(std::move(level));
      }
  }
} // namespace scalebridge::rve
