#include <scalebridge/microstructure/connectivity.h>

#include <array>
#include <numeric>
#include <stdexcept>

namespace scalebridge::microstructure
{
  namespace
  {
    using Shift = std::array<int, 3>;

    /**
     * Union-find over box components, where every node also stores its shift
     * (in periods) relative to its parent: the copy of node a that belongs
     * to the connected unfolded cluster sits at position(root) + shift(a).
     */
    class ShiftedUnionFind
    {
    public:
      explicit ShiftedUnionFind(std::size_t n)
        : parent(n)
        , shift(n, Shift{{0, 0, 0}})
        , winding(n, std::array<bool, 3>{{false, false, false}})
      {
        std::iota(parent.begin(), parent.end(), 0u);
      }

      /// Root of @p a; @p offset returns the shift of a relative to it.
      unsigned
      find(unsigned a, Shift &offset)
      {
        // Collect the path, then compress it with accumulated shifts.
        path.clear();
        while (parent[a] != a)
          {
            path.push_back(a);
            a = parent[a];
          }
        const unsigned root = a;
        // Walk back from the node nearest to the root.
        for (auto it = path.rbegin(); it != path.rend(); ++it)
          {
            const unsigned node = *it;
            const unsigned up   = parent[node];
            if (up != root)
              for (unsigned d = 0; d < 3; ++d)
                shift[node][d] += shift[up][d];
            parent[node] = root;
          }
        offset = path.empty() ? Shift{{0, 0, 0}} : shift[path.front()];
        return root;
      }

      /// The copy of @p b at the copy of @p a plus @p step is connected to a.
      void
      connect(unsigned a, unsigned b, const Shift &step)
      {
        Shift          sa, sb;
        const unsigned ra = find(a, sa);
        const unsigned rb = find(b, sb);
        Shift          w;
        for (unsigned d = 0; d < 3; ++d)
          w[d] = sa[d] + step[d] - sb[d];
        if (ra == rb)
          {
            // b reached again at another shift: the cluster meets its image.
            for (unsigned d = 0; d < 3; ++d)
              winding[ra][d] = winding[ra][d] || w[d] != 0;
            return;
          }
        parent[rb] = ra;
        shift[rb]  = w;
        for (unsigned d = 0; d < 3; ++d)
          winding[ra][d] = winding[ra][d] || winding[rb][d];
      }

      const std::array<bool, 3> &
      wraps(unsigned root) const
      {
        return winding[root];
      }

    private:
      std::vector<unsigned>            parent;
      std::vector<Shift>               shift;
      std::vector<std::array<bool, 3>> winding;
      std::vector<unsigned>            path;
    };

    std::array<bool, 256>
    membership(const std::vector<PhaseId> &phase_set)
    {
      std::array<bool, 256> in{};
      for (const PhaseId p : phase_set)
        in[p] = true;
      return in;
    }
  } // namespace

  Components
  label_components(const Microstructure       &microstructure,
                   const std::vector<PhaseId> &phase_set,
                   Wrapping                    wrapping)
  {
    const unsigned int               dim   = microstructure.dimension();
    const std::array<unsigned, 3>   &n     = microstructure.n_voxels();
    const std::vector<PhaseId>      &ids   = microstructure.data();
    const std::size_t                total = ids.size();
    const std::array<bool, 256>      in    = membership(phase_set);
    const std::array<std::size_t, 3> stride{
      {1, n[0], std::size_t(n[0]) * n[1]}};

    Components result;
    result.labels.assign(total, -1);

    // 1. Components inside the box by flood fill with an explicit stack.
    std::vector<std::size_t>         stack;
    std::vector<std::size_t>         box_sizes;
    std::vector<std::array<bool, 3>> low, high;
    for (std::size_t seed = 0; seed < total; ++seed)
      {
        if (!in[ids[seed]] || result.labels[seed] >= 0)
          continue;
        const auto label = static_cast<std::int32_t>(box_sizes.size());
        box_sizes.push_back(0);
        low.push_back({{false, false, false}});
        high.push_back({{false, false, false}});
        result.labels[seed] = label;
        stack.push_back(seed);
        while (!stack.empty())
          {
            const std::size_t v = stack.back();
            stack.pop_back();
            ++box_sizes.back();
            const std::array<unsigned, 3> c{{unsigned(v % n[0]),
                                             unsigned(v / n[0] % n[1]),
                                             unsigned(v / stride[2])}};
            for (unsigned d = 0; d < dim; ++d)
              {
                if (c[d] == 0)
                  low.back()[d] = true;
                else if (const std::size_t w = v - stride[d];
                         in[ids[w]] && result.labels[w] < 0)
                  {
                    result.labels[w] = label;
                    stack.push_back(w);
                  }
                if (c[d] + 1 == n[d])
                  high.back()[d] = true;
                else if (const std::size_t w = v + stride[d];
                         in[ids[w]] && result.labels[w] < 0)
                  {
                    result.labels[w] = label;
                    stack.push_back(w);
                  }
              }
          }
      }

    if (wrapping == Wrapping::none)
      {
        result.sizes = box_sizes;
        result.spans.resize(box_sizes.size());
        result.wraps.assign(box_sizes.size(), {{false, false, false}});
        for (std::size_t c = 0; c < box_sizes.size(); ++c)
          for (unsigned d = 0; d < 3; ++d)
            result.spans[c][d] = d < dim && low[c][d] && high[c][d];
        return result;
      }

    // 2. Join box components across each pair of opposite faces: the voxel
    // at i_d = n_d - 1 touches the copy of the voxel at i_d = 0 one period
    // further along d.
    ShiftedUnionFind joined(box_sizes.size());
    for (unsigned d = 0; d < dim; ++d)
      {
        const unsigned a = (d + 1) % 3, b = (d + 2) % 3; // the face directions
        Shift          step{{0, 0, 0}};
        step[d] = 1;
        for (unsigned jb = 0; jb < n[b]; ++jb)
          for (unsigned ja = 0; ja < n[a]; ++ja)
            {
              const std::size_t base  = ja * stride[a] + jb * stride[b];
              const std::size_t first = base;
              const std::size_t last  = base + (n[d] - 1) * stride[d];
              if (result.labels[first] >= 0 && result.labels[last] >= 0)
                joined.connect(unsigned(result.labels[last]),
                               unsigned(result.labels[first]),
                               step);
            }
      }

    // 3. Periodic components numbered by their first voxel.
    std::vector<std::int32_t> renumber(box_sizes.size(), -1);
    std::vector<std::int32_t> of_root(box_sizes.size(), -1);
    for (std::size_t c = 0; c < box_sizes.size(); ++c)
      {
        Shift          ignored;
        const unsigned root = joined.find(unsigned(c), ignored);
        if (of_root[root] < 0)
          {
            of_root[root] = static_cast<std::int32_t>(result.sizes.size());
            result.sizes.push_back(0);
            std::array<bool, 3> w = joined.wraps(root);
            for (unsigned d = dim; d < 3; ++d)
              w[d] = false;
            result.wraps.push_back(w);
          }
        renumber[c] = of_root[root];
        result.sizes[of_root[root]] += box_sizes[c];
      }
    result.spans.assign(result.sizes.size(), {{false, false, false}});
    for (std::int32_t &label : result.labels)
      if (label >= 0)
        label = renumber[label];
    return result;
  }

  Percolation
  percolation(const Microstructure       &microstructure,
              const std::vector<PhaseId> &phase_set)
  {
    Percolation      result;
    const Components box
      = label_components(microstructure, phase_set, Wrapping::none);
    for (const auto &s : box.spans)
      for (unsigned d = 0; d < 3; ++d)
        result.spans[d] = result.spans[d] || s[d];
    const Components torus
      = label_components(microstructure, phase_set, Wrapping::periodic);
    for (const auto &w : torus.wraps)
      for (unsigned d = 0; d < 3; ++d)
        result.wraps[d] = result.wraps[d] || w[d];
    result.n_periodic_components = torus.n_components();
    return result;
  }

  bool
  percolates(const Microstructure       &microstructure,
             const std::vector<PhaseId> &phase_set,
             unsigned int                direction)
  {
    if (direction >= microstructure.dimension())
      throw std::invalid_argument(
        "percolates: direction " + std::to_string(direction) + " >= dimension");
    const Components box
      = label_components(microstructure, phase_set, Wrapping::none);
    for (const auto &s : box.spans)
      if (s[direction])
        return true;
    return false;
  }
} // namespace scalebridge::microstructure
