#include <deal.II/lac/lapack_full_matrix.h>

#include <scalebridge/rve/active_domain.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace scalebridge::rve
{
  namespace
  {
    struct ClusterInfo
    {
      std::size_t                     first_cell    = 0;
      std::size_t                     n_cells       = 0;
      bool                            boundary_face = false;
      std::vector<std::array<int, 3>> wraps;
    };

    /// Component c of the rotation about axis a at x: (e_a x x)_c.
    double
    rotation(const unsigned a, const std::array<double, 3> &x, const unsigned c)
    {
      switch (a)
        {
          case 0:
            return c == 1 ? -x[2] : (c == 2 ? x[1] : 0.);
          case 1:
            return c == 0 ? x[2] : (c == 2 ? -x[0] : 0.);
          default:
            return c == 0 ? -x[1] : (c == 1 ? x[0] : 0.);
        }
    }

    int
    find(std::vector<int> &parent, int i)
    {
      while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
      return i;
    }
  } // namespace

  ActiveDomain::ActiveDomain(const Physics               physics,
                             const GridGeometry         &grid,
                             const std::vector<uint8_t> &cell_phase,
                             const std::vector<bool>    &participates,
                             const Anchoring             anchoring,
                             const bool                  rigid_modes)
    : physics(physics)
    , grid_(grid)
    , n_comp(n_components(physics, grid.dim))
  {
    for (unsigned a = 0; a <= grid.degree; ++a)
      edge_weight.push_back(lagrange_integral(grid.degree, a));
    const unsigned    dim = grid.dim;
    const std::size_t nc  = grid.n_total_cells();
    if (cell_phase.size() != nc)
      throw std::invalid_argument("ActiveDomain: one phase per cell needed");
    auto takes_part = [&](const std::size_t c) {
      return cell_phase[c] < participates.size() && participates[cell_phase[c]];
    };

    // 1. Face-connected clusters, with their shift into the unwrapped frame.
    cell_component.assign(nc, -1);
    std::vector<std::array<int, 3>> shift(nc, {{0, 0, 0}});
    std::vector<ClusterInfo>        clusters;
    std::vector<std::size_t>        queue;
    std::size_t                     n_participating = 0;
    for (std::size_t seed = 0; seed < nc; ++seed)
      {
        if (!takes_part(seed) || cell_component[seed] >= 0)
          continue;
        const int id = static_cast<int>(clusters.size());
        clusters.emplace_back();
        ClusterInfo &info    = clusters.back();
        info.first_cell      = seed;
        cell_component[seed] = id;
        queue.assign(1, seed);
        for (std::size_t q = 0; q < queue.size(); ++q)
          {
            const std::size_t cell = queue[q];
            ++info.n_cells;
            const auto x = grid.cell_coordinates(cell);
            for (unsigned d = 0; d < dim; ++d)
              for (const int dir : {-1, 1})
                {
                  std::array<int, 3> y{{int(x[0]), int(x[1]), int(x[2])}};
                  std::array<int, 3> s = shift[cell];
                  y[d] += dir;
                  if (y[d] < 0 || y[d] >= int(grid.n_cells[d]))
                    {
                      if (!grid.periodic)
                        {
                          info.boundary_face = true;
                          continue;
                        }
                      y[d] = (y[d] + grid.n_cells[d]) % grid.n_cells[d];
                      s[d] += dir;
                    }
                  const std::size_t nb = grid.cell_index(y[0], y[1], y[2]);
                  if (!takes_part(nb))
                    continue;
                  if (cell_component[nb] < 0)
                    {
                      cell_component[nb] = id;
                      shift[nb]          = s;
                      queue.push_back(nb);
                    }
                  else if (shift[nb] != s)
                    {
                      std::array<int, 3> w{{s[0] - shift[nb][0],
                                            s[1] - shift[nb][1],
                                            s[2] - shift[nb][2]}};
                      if (w[0] < 0
                          || (w[0] == 0
                              && (w[1] < 0 || (w[1] == 0 && w[2] < 0))))
                        for (int &v : w)
                          v = -v;
                      if (std::find(info.wraps.begin(), info.wraps.end(), w)
                          == info.wraps.end())
                        info.wraps.push_back(w);
                    }
                }
          }
        n_participating += info.n_cells;
      }

    kept.assign(clusters.size(), false);
    for (std::size_t i = 0; i < clusters.size(); ++i)
      {
        kept[i] = anchoring == Anchoring::wraps ? !clusters[i].wraps.empty()
                                                : clusters[i].boundary_face;
        if (kept[i])
          {
            n_active += clusters[i].n_cells;
            ++n_kept;
          }
      }
    n_removed = n_participating - n_active;

    // 2. Generators: rigid modes of each kept cluster compatible with its
    // wrapping.
    first_generator.assign(clusters.size(), 0);
    n_cluster_generators.assign(clusters.size(), 0);
    if (rigid_modes)
      for (std::size_t i = 0; i < clusters.size(); ++i)
        {
          if (!kept[i])
            continue;
          first_generator[i] = generator_cluster.size();
          std::vector<int> kinds;
          if (physics == Physics::conduction)
            kinds.push_back(0);
          else
            {
              for (unsigned d = 0; d < dim; ++d)
                kinds.push_back(d);
              const auto &w = clusters[i].wraps;
              for (unsigned a = (dim == 3 ? 0 : 2); a < 3; ++a)
                {
                  bool allowed = true;
                  for (const auto &v : w)
                    for (unsigned b = 0; b < 3; ++b)
                      if (b != a && v[b] != 0)
                        allowed = false;
                  if (allowed)
                    kinds.push_back(3 + a);
                }
            }
          for (const int k : kinds)
            {
              generator_cluster.push_back(static_cast<int>(i));
              generator_kind.push_back(k);
            }
          n_cluster_generators[i] = kinds.size();
        }

    // 3. Nodes: representative cluster, position in its unwrapped frame, and
    // the nodes where kept clusters touch.
    double length = 0;
    for (unsigned d = 0; d < dim; ++d)
      length = std::max(length, grid.n_cells[d] * grid.h[d]);
    // the node at lattice offset v of a cell
    auto position
      = [&](const std::size_t cell, const std::array<unsigned, 3> &v) {
          const auto x = grid.cell_coordinates(cell);
          const auto ref
            = grid.cell_coordinates(clusters[cell_component[cell]].first_cell);
          const auto           &s = shift[cell];
          std::array<double, 3> p{{0, 0, 0}};
          for (unsigned d = 0; d < dim; ++d)
            p[d] = (double(x[d]) + double(s[d]) * grid.n_cells[d]
                    + double(v[d]) / grid.degree - double(ref[d]))
                   * grid.h[d] / length;
          return p;
        };

    const std::size_t n_nodes = grid.n_total_nodes();
    node_component.assign(n_nodes, -1);
    if (rigid_modes)
      node_position.assign(n_nodes, {{0, 0, 0}});
    // Shared nodes: (node, [(cluster, position)...]).
    struct Contact
    {
      std::vector<std::pair<int, std::array<double, 3>>> members;
    };
    std::vector<Contact> contacts;
    std::vector<int>     parent(clusters.size());
    std::iota(parent.begin(), parent.end(), 0);

    std::vector<std::pair<int, std::array<double, 3>>> here;
    for (std::size_t node = 0; node < n_nodes; ++node)
      {
        here.clear();
        grid.for_each_cell_at_node(
          grid.node_coordinates(node),
          [&](const std::array<unsigned, 3> &y,
              const std::array<unsigned, 3> &offset) {
            const std::size_t cell = grid.cell_index(y[0], y[1], y[2]);
            if (!active(cell))
              return;
            const int cl   = cell_component[cell];
            bool      seen = false;
            for (const auto &h : here)
              seen = seen || h.first == cl;
            if (!seen)
              here.emplace_back(cl,
                                rigid_modes ? position(cell, offset)
                                            : std::array<double, 3>{{0, 0, 0}});
          });
        if (here.empty())
          continue;
        node_component[node] = here[0].first;
        if (rigid_modes)
          node_position[node] = here[0].second;
        if (here.size() > 1)
          {
            for (std::size_t t = 1; t < here.size(); ++t)
              parent[find(parent, here[t].first)] = find(parent, here[0].first);
            if (rigid_modes)
              contacts.push_back({here});
          }
      }

    // 4. Zero-energy modes: per group of touching clusters, the kernel of the
    // "equal displacement at shared nodes" constraints on their generators.
    const unsigned int              n_gen = generator_cluster.size();
    std::map<int, std::vector<int>> groups; // root -> clusters
    for (std::size_t i = 0; i < clusters.size(); ++i)
      if (kept[i] && n_cluster_generators[i] > 0)
        groups[find(parent, i)].push_back(static_cast<int>(i));
    std::map<int, std::vector<const Contact *>> group_contacts;
    for (const auto &c : contacts)
      group_contacts[find(parent, c.members[0].first)].push_back(&c);

    std::vector<std::vector<double>> columns; // each of length n_gen
    for (const auto &[root, members] : groups)
      {
        // local generator numbering of the group
        std::vector<unsigned>   gens;
        std::map<int, unsigned> offset;
        for (const int cl : members)
          {
            offset[cl] = gens.size();
            for (unsigned t = 0; t < n_cluster_generators[cl]; ++t)
              gens.push_back(first_generator[cl] + t);
          }
        const unsigned m = gens.size();
        if (members.size() == 1)
          {
            for (unsigned t = 0; t < m; ++t)
              {
                std::vector<double> col(n_gen, 0.);
                col[gens[t]] = 1;
                columns.push_back(std::move(col));
              }
            continue;
          }
        dealii::LAPACKFullMatrix<double> H(m, m);
        std::vector<double>              row(m);
        double                           scale = 0;
        for (const Contact *contact : group_contacts[root])
          {
            const auto &first = contact->members[0];
            for (std::size_t t = 1; t < contact->members.size(); ++t)
              {
                const auto &other = contact->members[t];
                for (unsigned comp = 0; comp < n_comp; ++comp)
                  {
                    std::fill(row.begin(), row.end(), 0.);
                    for (int sign : {1, -1})
                      {
                        const auto &mem = sign > 0 ? first : other;
                        const int   cl  = mem.first;
                        for (unsigned t2 = 0; t2 < n_cluster_generators[cl];
                             ++t2)
                          {
                            const int kind
                              = generator_kind[first_generator[cl] + t2];
                            const double value
                              = kind < 3 ? (unsigned(kind) == comp ? 1. : 0.)
                                         : rotation(kind - 3, mem.second, comp);
                            row[offset[cl] + t2] += sign * value;
                          }
                      }
                    for (unsigned a = 0; a < m; ++a)
                      for (unsigned b = 0; b < m; ++b)
                        H(a, b) += row[a] * row[b];
                    scale += 1;
                  }
              }
          }
        dealii::Vector<double>     eigenvalues;
        dealii::FullMatrix<double> eigenvectors;
        const double               upper = 1e-9 * std::max(1., scale);
        H.compute_eigenvalues_symmetric(
          -1., upper, 1e-14, eigenvalues, eigenvectors);
        for (unsigned t = 0; t < eigenvalues.size(); ++t)
          {
            std::vector<double> col(n_gen, 0.);
            for (unsigned a = 0; a < m; ++a)
              col[gens[a]] = eigenvectors(a, t);
            columns.push_back(std::move(col));
          }
      }
    null_basis.reinit(n_gen, columns.size());
    for (unsigned j = 0; j < columns.size(); ++j)
      for (unsigned g = 0; g < n_gen; ++g)
        null_basis(g, j) = columns[j][g];

    // 5. Free boundary nodes.
    if (!grid.periodic)
      for (std::size_t node = 0; node < n_nodes; ++node)
        if (node_component[node] < 0
            && grid.on_boundary(grid.node_coordinates(node)))
          free_boundary.push_back(node);
  }

  double
  ActiveDomain::generator_value(const unsigned int g,
                                const std::size_t  node,
                                const unsigned int c) const
  {
    if (node_component[node] != generator_cluster[g])
      return 0.;
    const int kind = generator_kind[g];
    if (kind < 3)
      return unsigned(kind) == c ? 1. : 0.;
    return rotation(kind - 3, node_position[node], c);
  }

  std::pair<unsigned int, unsigned int>
  ActiveDomain::node_generators(const std::size_t node) const
  {
    const int cl = node_component[node];
    if (cl < 0 || n_cluster_generators.empty())
      return {0, 0};
    return {first_generator[cl], n_cluster_generators[cl]};
  }

  std::array<double, 3>
  ActiveDomain::boundary_weight(const std::size_t node) const
  {
    std::array<double, 3> w{{0, 0, 0}};
    if (grid_.periodic)
      return w;
    const unsigned dim = grid_.dim;
    const unsigned p   = grid_.degree;
    const auto     x   = grid_.node_coordinates(node);
    for (unsigned d = 0; d < dim; ++d)
      {
        if (x[d] != 0 && x[d] != p * grid_.n_cells[d])
          continue;
        // int of the node's shape function over the faces of this boundary
        // plane: per direction in the plane, the 1D integrals over the
        // adjacent cell edges (h / 2 each for a Q1 vertex)
        double area = 1;
        for (unsigned e = 0; e < dim; ++e)
          if (e != d)
            {
              double length = 0;
              if (x[e] % p != 0)
                length = edge_weight[x[e] % p];
              else
                length = (x[e] > 0 ? edge_weight[p] : 0.)
                         + (x[e] < p * grid_.n_cells[e] ? edge_weight[0] : 0.);
              area *= length * grid_.h[e];
            }
        w[d] += (x[d] == 0 ? -1. : 1.) * area;
      }
    return w;
  }
} // namespace scalebridge::rve
