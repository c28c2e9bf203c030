#include <scalebridge/rve/level_matrices.h>

#include <array>
#include <cmath>
#include <stdexcept>

namespace scalebridge::rve
{
  namespace
  {
    constexpr int kind_unknown  = -1;
    constexpr int kind_inactive = -2;

    using Coordinates = std::array<unsigned, 3>;

    /// Interpolation weights of one fine node: its 1, 2, 4 or 8 coarse
    /// parents (x fastest, as in VoxelHierarchy) and one weight per parent
    /// and component.
    struct NodeWeights
    {
      unsigned int                         count = 0;
      std::array<std::size_t, 8>           parent{};
      std::array<std::array<double, 3>, 8> w{};
      bool                                 geometric = true;
    };

    /// Coarse parents of fine node @p x and their multilinear weights.
    NodeWeights
    geometric_weights(const GridGeometry &coarse,
                      const Coordinates  &x,
                      const unsigned int  n_comp)
    {
      unsigned                               n_1d[3] = {1, 1, 1};
      std::array<std::array<unsigned, 2>, 3> idx{};
      for (unsigned d = 0; d < 3; ++d)
        {
          if (d >= coarse.dim || x[d] % 2 == 0)
            idx[d] = {{d < coarse.dim ? x[d] / 2 : 0, 0}};
          else
            {
              idx[d]  = {{x[d] / 2, x[d] / 2 + 1}};
              n_1d[d] = 2;
            }
        }
      NodeWeights  result;
      const double w = 1. / (n_1d[0] * n_1d[1] * n_1d[2]);
      for (unsigned c = 0; c < n_1d[2]; ++c)
        for (unsigned b = 0; b < n_1d[1]; ++b)
          for (unsigned a = 0; a < n_1d[0]; ++a)
            {
              result.parent[result.count]
                = coarse.node_index(idx[0][a], idx[1][b], idx[2][c]);
              for (unsigned comp = 0; comp < n_comp; ++comp)
                result.w[result.count][comp] = w;
              ++result.count;
            }
      return result;
    }

    /// The prolongation rows of the owned nodes of @p fine, with the
    /// weights of a node given by @p weights_of(node).
    template <typename WeightsOf>
    LevelMatrices::Prolongation
    prolongation_rows(const GridLevel &fine,
                      const GridLevel &coarse,
                      const unsigned   n_comp,
                      const WeightsOf &weights_of)
    {
      LevelMatrices::Prolongation P;
      P.start.push_back(0);
      for (const auto n : fine.owned_nodes)
        {
          const NodeWeights nw = weights_of(n);
          for (unsigned t = 0; t < nw.count; ++t)
            {
              P.coarse_node.push_back(coarse.local_node(nw.parent[t]));
              for (unsigned comp = 0; comp < n_comp; ++comp)
                P.weight.push_back(static_cast<float>(nw.w[t][comp]));
            }
          P.start.push_back(P.coarse_node.size());
        }
      return P;
    }

    /// x + o on the node lattice (wrapping on periodic grids); false if
    /// outside a non-periodic grid.
    bool
    shift(const GridGeometry &g,
          const Coordinates  &x,
          const int           o[3],
          Coordinates        &y)
    {
      const auto n = g.n_nodes();
      for (unsigned d = 0; d < 3; ++d)
        {
          if (d >= g.dim)
            {
              y[d] = 0;
              continue;
            }
          int v = int(x[d]) + o[d];
          if (g.periodic)
            v = (v + int(n[d])) % int(n[d]);
          else if (v < 0 || v >= int(n[d]))
            return false;
          y[d] = v;
        }
      return true;
    }

    /// The cell of which node @p x is vertex @p s (bit d of s: the cell lies
    /// below x in direction d), or -1 if there is none.
    long
    cell_with_vertex(const GridGeometry &g,
                     const Coordinates  &x,
                     const unsigned int  s)
    {
      const int   o[3] = {-int(s & 1), -int((s >> 1) & 1), -int(s >> 2)};
      Coordinates y;
      if (!shift(g, x, o, y))
        return -1;
      for (unsigned d = 0; d < g.dim; ++d)
        if (y[d] >= g.n_cells[d])
          return -1;
      return g.cell_index(y[0], y[1], y[2]);
    }
  } // namespace

  std::size_t
  LevelMatrices::n_custom_matrices() const
  {
    std::size_t n = 0;
    for (unsigned l = 0; l < pool.size(); ++l)
      n += pool[l].size() / (std::size_t(n_dofs[l]) * n_dofs[l]) - n_pure[l];
    return n;
  }

  LevelMatrices::LevelMatrices(
    const Physics                                  physics,
    const VoxelHierarchy                          &hierarchy,
    const ActiveDomain                            &domain,
    const std::vector<uint8_t>                    &cell_phase,
    const std::vector<dealii::FullMatrix<double>> &laws,
    const bool                                     operator_dependent)
  {
    const unsigned int n_lev = hierarchy.n_levels();
    const unsigned int dim   = hierarchy.finest().geometry.dim;
    const unsigned int n_ph  = laws.size();
    const unsigned int nv    = 1u << dim;
    n_comp                   = n_components(physics, dim);
    // Levels 0 .. n_q1 - 1 are Q1; a Q2 finest level sits on top of the Q1
    // level with the same cells.
    const bool         q2_top = hierarchy.finest().geometry.degree > 1;
    const unsigned int n_q1   = n_lev - (q2_top ? 1 : 0);
    const unsigned int nd     = nv * n_comp;
    const unsigned int nd2    = nd * nd;

    // Phase matrices at every level's cell size and degree.
    std::vector<std::vector<dealii::FullMatrix<double>>> pure(n_lev);
    n_dofs.resize(n_lev);
    for (unsigned l = 0; l < n_lev; ++l)
      {
        const GridGeometry &g = hierarchy.level(l).geometry;
        const VoxelElement  element(physics, dim, g.h, g.degree);
        n_dofs[l] = element.n_dofs();
        pure[l].resize(n_ph);
        for (unsigned p = 0; p < n_ph; ++p)
          if (laws[p].m() > 0)
            pure[l][p] = element.stiffness(laws[p]);
      }
    fine_phase_matrix = pure[n_lev - 1];

    // What each level needs, from the coarsest down: cells whose matrices
    // are needed (owned ones, children of needed coarse cells, and the
    // cells around nodes whose interpolation weights are needed), and the
    // nodes whose weights are needed (all nodes of the children of needed
    // coarse cells and of the coarse cells of owned nodes).
    std::vector<std::vector<char>> needed(n_q1), weighted(n_q1);
    needed[0].assign(hierarchy.level(0).geometry.n_total_cells(), 0);
    for (const auto c : hierarchy.level(0).owned_cells)
      needed[0][c] = 1;
    for (unsigned l = 1; l < n_q1; ++l)
      {
        const GridLevel    &fine = hierarchy.level(l);
        const GridGeometry &g    = fine.geometry;
        const GridGeometry &gc   = hierarchy.level(l - 1).geometry;
        std::vector<char>   X    = needed[l - 1];
        for (const auto n : fine.owned_nodes)
          {
            const auto  x = g.node_coordinates(n);
            Coordinates y{{0, 0, 0}};
            for (unsigned d = 0; d < dim; ++d)
              y[d] = std::min(x[d] / 2, gc.n_cells[d] - 1);
            X[gc.cell_index(y[0], y[1], y[2])] = 1;
          }
        weighted[l].assign(g.n_total_nodes(), 0);
        needed[l].assign(g.n_total_cells(), 0);
        for (const auto c : fine.owned_cells)
          needed[l][c] = 1;
        for (std::size_t C = 0; C < gc.n_total_cells(); ++C)
          {
            if (!X[C])
              continue;
            const auto x = gc.cell_coordinates(C);
            for (unsigned k = 0; k < (dim == 3 ? 3u : 1u); ++k)
              for (unsigned j = 0; j < 3; ++j)
                for (unsigned i = 0; i < 3; ++i)
                  {
                    const Coordinates y{
                      {2 * x[0] + i, 2 * x[1] + j, 2 * x[2] + k}};
                    weighted[l][g.node_index(y[0], y[1], y[2])] = 1;
                    if (i < 2 && j < 2 && k < 2)
                      needed[l][g.cell_index(y[0], y[1], y[2])] = 1;
                  }
          }
        for (std::size_t n = 0; n < g.n_total_nodes(); ++n)
          {
            if (!weighted[l][n])
              continue;
            const auto x = g.node_coordinates(n);
            for (unsigned s = 0; s < nv; ++s)
              {
                const long c = cell_with_vertex(g, x, s);
                if (c >= 0)
                  needed[l][c] = 1;
              }
          }
      }

    // kind: kind_inactive, a phase p (uniform phase and multilinear
    // interpolation inside), or n_ph + index into custom[l].
    std::vector<std::vector<int>>    kind(n_lev);
    std::vector<std::vector<double>> custom(n_lev);
    {
      const GridGeometry &g = hierarchy.finest().geometry;
      kind[n_q1 - 1].assign(g.n_total_cells(), kind_inactive);
      for (std::size_t c = 0; c < g.n_total_cells(); ++c)
        if (domain.active(c))
          kind[n_q1 - 1][c] = cell_phase[c];
      if (q2_top)
        kind[n_lev - 1] = kind[n_q1 - 1];
    }
    auto matrix_of = [&](const unsigned l, const int k) -> const double * {
      if (k < int(n_ph))
        return &pure[l][k](0, 0);
      return custom[l].data() + std::size_t(k - n_ph) * nd2;
    };

    prolongation_.resize(n_lev);
    std::vector<double> K(nd2), w(nv * nv * n_comp);
    for (unsigned l = n_q1 - 1; l >= 1; --l)
      {
        const GridLevel    &fine   = hierarchy.level(l);
        const GridLevel    &coarse = hierarchy.level(l - 1);
        const GridGeometry &g      = fine.geometry;
        const GridGeometry &gc     = coarse.geometry;

        // 1. Interpolation weights of the needed fine nodes, by the number
        // of directions in which a node lies between coarse nodes: each
        // class uses the weights of the previous one.
        std::vector<int>         index(g.n_total_nodes(), -1);
        std::vector<NodeWeights> weights;
        // canonical[n] = p: the weights of n are those of a node of its
        // parity inside phase p (all cells its weights depend on are p)
        std::vector<int>         canonical(g.n_total_nodes(), -1);
        std::vector<NodeWeights> cache(8 * n_ph);
        // The phase of all cells around x, if it is one phase, and if the
        // neighbours the weights of x are built from are canonical for it.
        auto uniform_phase = [&](const unsigned     level,
                                 const Coordinates &x,
                                 const unsigned     m,
                                 const std::vector<int> &,
                                 const std::vector<int> &canon) -> int {
          int phase = -1;
          for (unsigned s = 0; s < nv; ++s)
            {
              const long c = cell_with_vertex(g, x, s);
              if (c < 0)
                return -1;
              const int k = kind[level][c];
              if (k < 0 || k >= int(n_ph) || (phase >= 0 && k != phase))
                return -1;
              phase = k;
            }
          if (m <= 1)
            return phase;
          for (int o2 = -1; o2 <= 1; ++o2)
            for (int o1 = -1; o1 <= 1; ++o1)
              for (int o0 = -1; o0 <= 1; ++o0)
                {
                  const int o[3] = {o0, o1, o2};
                  bool      zero = true, valid = true;
                  unsigned  odd_left = 0;
                  for (unsigned d = 0; d < 3; ++d)
                    {
                      if (o[d] != 0)
                        zero = false;
                      if (o[d] != 0 && (d >= dim || x[d] % 2 == 0))
                        valid = false;
                      if (d < dim && x[d] % 2 == 1 && o[d] == 0)
                        ++odd_left;
                    }
                  if (zero || !valid || odd_left == 0)
                    continue;
                  Coordinates y;
                  if (!shift(g, x, o, y)
                      || canon[g.node_index(y[0], y[1], y[2])] != phase)
                    return -1;
                }
          return phase;
        };
        for (unsigned m = 0; m <= dim; ++m)
          for (std::size_t n = 0; n < g.n_total_nodes(); ++n)
            {
              if (!weighted[l][n])
                continue;
              const auto x   = g.node_coordinates(n);
              unsigned   odd = 0;
              for (unsigned d = 0; d < dim; ++d)
                odd += x[d] % 2;
              if (odd != m)
                continue;
              NodeWeights nw = geometric_weights(gc, x, n_comp);
              // Inside a region of one phase the weights only depend on the
              // phase and on the parity of the node: reuse them.
              const int      phase = uniform_phase(l, x, m, index, canonical);
              const unsigned parity
                = (x[0] % 2) + 2 * (x[1] % 2) + 4 * (dim == 3 ? x[2] % 2 : 0);
              if (phase >= 0 && m > 0 && operator_dependent)
                {
                  auto &cached = cache[phase * 8 + parity];
                  if (cached.count > 0)
                    {
                      for (unsigned t = 0; t < nw.count; ++t)
                        nw.w[t] = cached.w[t];
                      nw.geometric = cached.geometric;
                      canonical[n] = phase;
                      index[n]     = weights.size();
                      weights.push_back(nw);
                      continue;
                    }
                }
              if (operator_dependent && m > 0)
                for (unsigned comp = 0; comp < n_comp; ++comp)
                  {
                    // The stencil of the component's diagonal block.
                    double a[27] = {};
                    for (unsigned s = 0; s < nv; ++s)
                      {
                        const long c = cell_with_vertex(g, x, s);
                        if (c < 0)
                          continue;
                        const int k = kind[l][c];
                        if (k == kind_inactive)
                          continue;
                        if (k == kind_unknown)
                          throw std::logic_error("LevelMatrices: a needed cell "
                                                 "matrix was not computed");
                        const double  *Kc = matrix_of(l, k);
                        const unsigned v  = s;
                        const unsigned i  = v * n_comp + comp;
                        for (unsigned u = 0; u < nv; ++u)
                          {
                            int off[3] = {0, 0, 0};
                            for (unsigned d = 0; d < dim; ++d)
                              off[d] = int((u >> d) & 1) - int((v >> d) & 1);
                            a[(off[0] + 1) + 3 * (off[1] + 1)
                              + 9 * (off[2] + 1)]
                              += Kc[i * nd + u * n_comp + comp];
                          }
                      }
                    // Collapse onto the odd directions.
                    double b[27] = {};
                    for (int o2 = -1; o2 <= 1; ++o2)
                      for (int o1 = -1; o1 <= 1; ++o1)
                        for (int o0 = -1; o0 <= 1; ++o0)
                          {
                            int o[3] = {o0, o1, o2};
                            int t[3] = {0, 0, 0};
                            for (unsigned d = 0; d < dim; ++d)
                              t[d] = (x[d] % 2) ? o[d] : 0;
                            b[(t[0] + 1) + 3 * (t[1] + 1) + 9 * (t[2] + 1)]
                              += a[(o0 + 1) + 3 * (o1 + 1) + 9 * (o2 + 1)];
                          }
                    const double centre = b[13];
                    if (!(centre > 0))
                      continue; // untouched node: keep multilinear weights
                    std::array<double, 8> wc{};
                    bool                  ok = true;
                    for (int o2 = -1; o2 <= 1 && ok; ++o2)
                      for (int o1 = -1; o1 <= 1 && ok; ++o1)
                        for (int o0 = -1; o0 <= 1 && ok; ++o0)
                          {
                            const int o[3] = {o0, o1, o2};
                            bool      zero = true, valid = true;
                            for (unsigned d = 0; d < 3; ++d)
                              {
                                if (o[d] != 0)
                                  zero = false;
                                if (o[d] != 0 && (d >= dim || x[d] % 2 == 0))
                                  valid = false;
                              }
                            if (zero || !valid)
                              continue;
                            const double coefficient
                              = -b[(o0 + 1) + 3 * (o1 + 1) + 9 * (o2 + 1)]
                                / centre;
                            if (coefficient == 0)
                              continue;
                            Coordinates y;
                            if (!shift(g, x, o, y))
                              {
                                ok = false;
                                break;
                              }
                            const int j = index[g.node_index(y[0], y[1], y[2])];
                            if (j < 0)
                              throw std::logic_error(
                                "LevelMatrices: weights of "
                                "a neighbour are missing");
                            const NodeWeights &nb = weights[j];
                            for (unsigned t = 0; t < nb.count; ++t)
                              {
                                unsigned slot = 0;
                                while (slot < nw.count
                                       && nw.parent[slot] != nb.parent[t])
                                  ++slot;
                                if (slot == nw.count)
                                  {
                                    ok = false;
                                    break;
                                  }
                                wc[slot] += coefficient * nb.w[t][comp];
                              }
                          }
                    double sum = 0;
                    for (unsigned t = 0; t < nw.count; ++t)
                      sum += wc[t];
                    if (!ok || !(std::abs(sum - 1.) < 1e-6))
                      continue; // not a zero-row-sum row: keep multilinear
                    for (unsigned t = 0; t < nw.count; ++t)
                      {
                        if (std::abs(wc[t] - nw.w[t][comp]) > 1e-12)
                          nw.geometric = false;
                        nw.w[t][comp] = wc[t];
                      }
                  }
              if (phase >= 0)
                {
                  canonical[n] = phase;
                  if (m > 0)
                    cache[phase * 8 + parity] = nw;
                }
              index[n] = weights.size();
              weights.push_back(nw);
            }

        // 2. Matrices of the needed coarse cells: sum_c P_c^T K_c P_c.
        kind[l - 1].assign(gc.n_total_cells(), kind_unknown);
        for (std::size_t C = 0; C < gc.n_total_cells(); ++C)
          {
            if (!needed[l - 1][C])
              continue;
            const auto x = gc.cell_coordinates(C);
            int        child_kind[8];
            bool       all_same = true, all_inactive = true;
            for (unsigned ch = 0; ch < nv; ++ch)
              {
                child_kind[ch]
                  = kind[l][g.cell_index(2 * x[0] + (ch & 1),
                                         2 * x[1] + ((ch >> 1) & 1),
                                         2 * x[2] + (ch >> 2))];
                all_same     = all_same && child_kind[ch] == child_kind[0];
                all_inactive = all_inactive && child_kind[ch] == kind_inactive;
              }
            if (all_inactive)
              {
                kind[l - 1][C] = kind_inactive;
                continue;
              }
            bool geometric = true;
            for (unsigned k = 0; k < (dim == 3 ? 3u : 1u); ++k)
              for (unsigned j = 0; j < 3; ++j)
                for (unsigned i = 0; i < 3; ++i)
                  geometric
                    = geometric
                      && weights[index[g.node_index(
                                   2 * x[0] + i, 2 * x[1] + j, 2 * x[2] + k)]]
                           .geometric;
            if (all_same && child_kind[0] < int(n_ph) && geometric)
              {
                kind[l - 1][C] = child_kind[0];
                continue;
              }
            std::array<std::size_t, 8> corner;
            for (unsigned V = 0; V < nv; ++V)
              corner[V] = gc.cell_node(C, V);
            std::fill(K.begin(), K.end(), 0.);
            for (unsigned ch = 0; ch < nv; ++ch)
              {
                if (child_kind[ch] == kind_inactive)
                  continue;
                std::fill(w.begin(), w.end(), 0.);
                for (unsigned v = 0; v < nv; ++v)
                  {
                    const Coordinates y{
                      {2 * x[0] + (ch & 1) + (v & 1),
                       2 * x[1] + ((ch >> 1) & 1) + ((v >> 1) & 1),
                       2 * x[2] + (ch >> 2) + (v >> 2)}};
                    const NodeWeights &nw
                      = weights[index[g.node_index(y[0], y[1], y[2])]];
                    for (unsigned t = 0; t < nw.count; ++t)
                      {
                        unsigned V = 0;
                        while (V < nv && corner[V] != nw.parent[t])
                          ++V;
                        if (V == nv)
                          throw std::logic_error("LevelMatrices: a parent is "
                                                 "not a corner of the cell");
                        for (unsigned comp = 0; comp < n_comp; ++comp)
                          w[(v * nv + V) * n_comp + comp] = nw.w[t][comp];
                      }
                  }
                add_galerkin_product(dim,
                                     n_comp,
                                     w.data(),
                                     matrix_of(l, child_kind[ch]),
                                     K.data());
              }
            kind[l - 1][C] = n_ph + custom[l - 1].size() / nd2;
            custom[l - 1].insert(custom[l - 1].end(), K.begin(), K.end());
          }

        // 3. The prolongation rows of the owned fine nodes.
        prolongation_[l]
          = prolongation_rows(fine, coarse, n_comp, [&](const std::size_t n) {
              return weights[index[n]];
            });
      }

    // Q2 -> Q1 on the same cells: Q1 is a subspace of Q2, the prolongation
    // is the nodal interpolation (multilinear on the node lattice) and the
    // Galerkin product P^T A_Q2 P is the Q1 matrix of the same cells, which
    // the levels below already start from.
    if (q2_top)
      {
        const GridLevel &fine   = hierarchy.level(n_lev - 1);
        const GridLevel &coarse = hierarchy.level(n_q1 - 1);
        prolongation_[n_lev - 1]
          = prolongation_rows(fine, coarse, n_comp, [&](const std::size_t n) {
              return geometric_weights(coarse.geometry,
                                       fine.geometry.node_coordinates(n),
                                       n_comp);
            });
      }

    // Per level: the phase matrices first, then the custom matrices of
    // owned cells.
    cell_matrix_.resize(n_lev);
    pool.resize(n_lev);
    n_pure.assign(n_lev, 0);
    for (unsigned l = 0; l < n_lev; ++l)
      {
        const std::size_t     nd2 = std::size_t(n_dofs[l]) * n_dofs[l];
        std::vector<unsigned> phase_slot(n_ph, inactive);
        for (unsigned p = 0; p < n_ph; ++p)
          if (pure[l][p].m() > 0)
            {
              phase_slot[p] = pool[l].size() / nd2;
              pool[l].insert(pool[l].end(),
                             &pure[l][p](0, 0),
                             &pure[l][p](0, 0) + nd2);
              ++n_pure[l];
            }
        for (const auto c : hierarchy.level(l).owned_cells)
          {
            const int k = kind[l][c];
            if (k == kind_inactive)
              cell_matrix_[l].push_back(inactive);
            else if (k == kind_unknown)
              throw std::logic_error("LevelMatrices: an owned cell matrix "
                                     "was not computed");
            else if (k < int(n_ph))
              cell_matrix_[l].push_back(phase_slot[k]);
            else
              {
                cell_matrix_[l].push_back(pool[l].size() / nd2);
                const double *src
                  = custom[l].data() + std::size_t(k - n_ph) * nd2;
                pool[l].insert(pool[l].end(), src, src + nd2);
              }
          }
      }
  }
} // namespace scalebridge::rve
