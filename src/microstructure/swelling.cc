#include <scalebridge/base/preconditions.h>
#include <scalebridge/microstructure/swelling.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace scalebridge::microstructure
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();

    /**
     * One-dimensional squared distance transform of Felzenszwalb and
     * Huttenlocher: out[q] = min_p w (q - p)^2 + g[p] over the samples
     * p = 0 .. m-1 with finite g[p], for the queries q in [begin, end)
     * (written to out[q - begin]); +infinity when all g are infinite. The
     * buffers are kept between calls.
     */
    class LowerEnvelope
    {
    public:
      void
      run(const double *g,
          unsigned      m,
          double        w,
          unsigned      begin,
          unsigned      end,
          double       *out)
      {
        if (v.size() < m)
          {
            v.resize(m);
            z.resize(m + 1);
          }
        // Parabolas of the lower envelope: vertex v[k], valid on
        // [z[k], z[k+1]].
        int k = -1;
        for (unsigned q = 0; q < m; ++q)
          {
            if (!(g[q] < infinity))
              continue;
            if (k < 0)
              {
                k    = 0;
                v[0] = q;
                z[0] = -infinity;
                z[1] = infinity;
                continue;
              }
            double s = 0.;
            while (true)
              {
                const double p = v[k];
                // Abscissa where the parabolas from p and q cross.
                s = ((g[q] - g[v[k]]) / w + (double(q) * q - p * p))
                    / (2. * (q - p));
                if (s <= z[k])
                  --k; // z[0] = -infinity stops this at k = 0
                else
                  break;
              }
            ++k;
            v[k]     = q;
            z[k]     = s;
            z[k + 1] = infinity;
          }
        if (k < 0)
          {
            std::fill(out, out + (end - begin), infinity);
            return;
          }
        k = 0;
        for (unsigned q = begin; q < end; ++q)
          {
            while (z[k + 1] < q)
              ++k;
            const double d = double(q) - double(v[k]);
            out[q - begin] = w * d * d + g[v[k]];
          }
      }

    private:
      std::vector<unsigned> v;
      std::vector<double>   z;
    };

    /// Squared edge ratios (h_d / h_min)^2, snapped to integers within 1e-9
    /// relative so that equal edges given as different roundings still tie.
    std::array<double, 3>
    axis_weights(unsigned int dimension, const std::array<double, 3> &h)
    {
      double h_min = infinity;
      for (unsigned d = 0; d < dimension; ++d)
        h_min = std::min(h_min, h[d]);
      std::array<double, 3> w{{1., 1., 1.}};
      for (unsigned d = 0; d < dimension; ++d)
        {
          const double ratio   = h[d] / h_min;
          w[d]                 = ratio * ratio;
          const double rounded = std::round(w[d]);
          if (std::abs(w[d] - rounded) <= 1e-9 * w[d])
            w[d] = rounded;
        }
      return w;
    }

    /**
     * The transform in units of h_min^2 (see the header), in place on
     * @p dist, which holds 0 at the features and +infinity elsewhere.
     */
    void
    scaled_distance_transform(unsigned int                   dimension,
                              const std::array<unsigned, 3> &n,
                              const std::array<double, 3>   &weights,
                              bool                           periodic,
                              std::vector<double>           &dist)
    {
      const std::size_t stride[3]
        = {1, std::size_t(n[0]), std::size_t(n[0]) * n[1]};
      LowerEnvelope       envelope;
      const unsigned      longest = std::max({n[0], n[1], n[2]});
      std::vector<double> line(2 * std::size_t(longest) + 1), result(longest);
      for (unsigned d = 0; d < dimension; ++d)
        {
          const unsigned    len = n[d];
          const std::size_t s   = stride[d];
          // On the torus, line sample e stands for (e - pad) mod len.
          const unsigned pad  = periodic ? len / 2 : 0;
          const unsigned size = len + 2 * pad;
          // Lines along d: one per pair of coordinates along the other axes.
          const unsigned a = d == 0 ? 1 : 0, b = d == 2 ? 1 : 2;
          for (unsigned cb = 0; cb < n[b]; ++cb)
            for (unsigned ca = 0; ca < n[a]; ++ca)
              {
                const std::size_t start = ca * stride[a] + cb * stride[b];
                for (unsigned e = 0; e < size; ++e)
                  {
                    const unsigned i = e < pad         ? e + len - pad
                                       : e < pad + len ? e - pad
                                                       : e - pad - len;
                    line[e]          = dist[start + s * i];
                  }
                envelope.run(
                  line.data(), size, weights[d], pad, pad + len, result.data());
                for (unsigned i = 0; i < len; ++i)
                  dist[start + s * i] = result[i];
              }
        }
    }

    void
    check_grid(unsigned int                     dimension,
               const std::array<unsigned, 3>   &n,
               const std::array<double, 3>     &h,
               const std::vector<std::uint8_t> &feature)
    {
      if (dimension != 2 && dimension != 3)
        throw std::invalid_argument(
          "squared_distance_transform: dimension must be 2 or 3, got "
          + std::to_string(dimension));
      if (dimension == 2 && n[2] != 1)
        throw std::invalid_argument(
          "squared_distance_transform: n_voxels[2] must be 1 in 2D");
      for (unsigned d = 0; d < dimension; ++d)
        if (n[d] == 0 || !(h[d] > 0. && h[d] < infinity))
          throw std::invalid_argument(
            "squared_distance_transform: needs at least one voxel and a "
            "positive finite voxel size in every direction");
      if (feature.size() != std::size_t(n[0]) * n[1] * n[2])
        throw std::invalid_argument(
          "squared_distance_transform: " + std::to_string(feature.size())
          + " feature flags for "
          + std::to_string(std::size_t(n[0]) * n[1] * n[2]) + " voxels");
    }

    double
    smallest_edge(unsigned int dimension, const std::array<double, 3> &h)
    {
      return *std::min_element(h.begin(), h.begin() + dimension);
    }
  } // namespace

  std::vector<double>
  squared_distance_transform(unsigned int                     dimension,
                             const std::array<unsigned, 3>   &n_voxels,
                             const std::array<double, 3>     &voxel_size,
                             const std::vector<std::uint8_t> &feature,
                             bool                             periodic)
  {
    check_grid(dimension, n_voxels, voxel_size, feature);
    std::vector<double> dist(feature.size());
    for (std::size_t v = 0; v < feature.size(); ++v)
      dist[v] = feature[v] ? 0. : infinity;
    scaled_distance_transform(
      dimension, n_voxels, axis_weights(dimension, voxel_size), periodic, dist);
    const double h_min = smallest_edge(dimension, voxel_size);
    for (double &d : dist)
      d *= h_min * h_min;
    return dist;
  }

  std::vector<double>
  squared_distance_to_phase(const Microstructure &m,
                            PhaseId               phase,
                            bool                  periodic)
  {
    std::vector<std::uint8_t> feature(m.n_total_voxels());
    for (std::size_t v = 0; v < feature.size(); ++v)
      feature[v] = m.data()[v] == phase;
    return squared_distance_transform(
      m.dimension(), m.n_voxels(), m.voxel_size(), feature, periodic);
  }

  std::uint64_t
  swelling_tie_key(std::size_t voxel_index)
  {
    std::uint64_t z = std::uint64_t(voxel_index) + 0x9e3779b97f4a7c15ull;
    z               = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z               = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  SwellingResult
  swell_phase(Microstructure &m,
              PhaseId         phase,
              PhaseId         into,
              double          volume_factor,
              bool            periodic)
  {
    const std::string where = "swell_phase(phase " + std::to_string(phase)
                              + ", into " + std::to_string(into) + "): ";
    if (!(volume_factor > 0. && volume_factor < infinity))
      throw std::invalid_argument(where
                                  + "the volume factor must be finite and "
                                    "positive, got "
                                  + format_number(volume_factor));
    if (phase == into)
      throw std::invalid_argument(where + "the two phases must differ");

    std::vector<PhaseId> &ids     = m.data();
    const std::size_t     total   = ids.size();
    std::size_t           n_phase = 0, n_into = 0;
    for (const PhaseId id : ids)
      {
        n_phase += id == phase;
        n_into += id == into;
      }

    SwellingResult result;
    result.requested_factor = volume_factor;
    result.voxels_before    = n_phase;
    result.voxels_after     = n_phase;
    if (std::abs(volume_factor - 1.) <= 1e-12)
      return result;
    if (n_phase == 0)
      throw std::invalid_argument(where + "phase " + std::to_string(phase)
                                  + " has no voxels, so it cannot change "
                                    "by the factor "
                                  + format_number(volume_factor, 6));

    const bool   grow   = volume_factor > 1.;
    const double target = volume_factor * double(n_phase);
    // llround(target) <= n_phase + n_into unless target >= that + 1/2.
    if (grow && target >= double(n_phase + n_into) + 0.5)
      throw std::invalid_argument(
        where + "growing " + std::to_string(n_phase) + " voxels by "
        + format_number(volume_factor, 6) + " needs "
        + format_number(std::round(target) - double(n_phase))
        + " voxels of phase " + std::to_string(into) + ", there are only "
        + std::to_string(n_into) + " (of " + std::to_string(total) + ")");
    const std::size_t n_target = static_cast<std::size_t>(std::llround(target));
    const std::size_t n_change = grow ? n_target - n_phase : n_phase - n_target;
    if (n_change == 0)
      return result;
    if (!grow && n_phase == total)
      throw std::invalid_argument(
        where + "phase " + std::to_string(phase) + " fills all "
        + std::to_string(total)
        + " voxels; there is no surface to shrink it from");

    // Growth: distance to the phase; shrinkage: to everything else.
    std::vector<double> dist(total);
    for (std::size_t v = 0; v < total; ++v)
      dist[v] = (ids[v] == phase) == grow ? 0. : infinity;
    const std::array<double, 3> h = m.voxel_size();
    scaled_distance_transform(m.dimension(),
                              m.n_voxels(),
                              axis_weights(m.dimension(), h),
                              periodic,
                              dist);

    // The n_change candidates of smallest (distance, tie key).
    const PhaseId                               from = grow ? into : phase;
    std::vector<std::pair<double, std::size_t>> candidates;
    candidates.reserve(grow ? n_into : n_phase);
    for (std::size_t v = 0; v < total; ++v)
      if (ids[v] == from)
        candidates.emplace_back(dist[v], v);
    std::vector<double>().swap(dist);
    std::nth_element(candidates.begin(),
                     candidates.begin() + (n_change - 1),
                     candidates.end(),
                     [](const auto &a, const auto &b) {
                       return a.first < b.first
                              || (a.first == b.first
                                  && swelling_tie_key(a.second)
                                       < swelling_tie_key(b.second));
                     });
    const PhaseId to = grow ? phase : into;
    for (std::size_t c = 0; c < n_change; ++c)
      ids[candidates[c].second] = to;

    const double h_min     = smallest_edge(m.dimension(), h);
    result.voxels_after    = n_target;
    result.converted       = n_change;
    result.achieved_factor = double(n_target) / double(n_phase);
    result.front_distance  = std::sqrt(candidates[n_change - 1].first) * h_min;
    return result;
  }
  namespace
  {
    /// Distance (units of the smallest voxel edge) of every voxel from the
    /// nearest voxel of @p phase when growing, of any other phase when
    /// shrinking: 0 there.
    std::vector<double>
    front_distances(const Microstructure &m,
                    const PhaseId         phase,
                    const bool            grow,
                    const bool            periodic)
    {
      const std::vector<PhaseId> &ids = m.data();
      std::vector<double>         dist(ids.size());
      for (std::size_t v = 0; v < ids.size(); ++v)
        dist[v] = (ids[v] == phase) == grow ? 0. : infinity;
      scaled_distance_transform(m.dimension(),
                                m.n_voxels(),
                                axis_weights(m.dimension(), m.voxel_size()),
                                periodic,
                                dist);
      for (double &d : dist)
        d = std::sqrt(d);
      return dist;
    }

    /// S(R) = sum_d count(d) clamp(R - d + 1/2, 0, 1) over the shells.
    double
    converted_volume(const std::map<double, std::size_t> &shells,
                     const double                         R)
    {
      double s = 0;
      for (const auto &[d, n] : shells)
        s += double(n) * std::clamp(R - d + 0.5, 0., 1.);
      return s;
    }
  } // namespace

  PartialSwellingResult
  swell_phase_partially(Microstructure &m,
                        PhaseId         phase,
                        PhaseId         into,
                        double          volume_factor,
                        bool            periodic)
  {
    const std::string where = "swell_phase_partially(phase "
                              + std::to_string(phase) + ", into "
                              + std::to_string(into) + "): ";
    if (!(volume_factor > 0. && volume_factor < infinity))
      throw std::invalid_argument(where
                                  + "the volume factor must be finite and "
                                    "positive, got "
                                  + format_number(volume_factor));
    if (phase == into)
      throw std::invalid_argument(where + "the two phases must differ");

    std::vector<PhaseId> &ids     = m.data();
    const std::size_t     total   = ids.size();
    std::size_t           n_phase = 0, n_into = 0;
    for (const PhaseId id : ids)
      {
        n_phase += id == phase;
        n_into += id == into;
      }
    PartialSwellingResult result;
    result.requested_factor = volume_factor;
    result.voxels_before    = n_phase;
    result.voxels_after     = n_phase;
    result.volume_after     = double(n_phase);
    if (std::abs(volume_factor - 1.) <= 1e-12)
      return result;
    if (n_phase == 0)
      throw std::invalid_argument(where + "phase " + std::to_string(phase)
                                  + " has no voxels, so it cannot change "
                                    "by the factor "
                                  + format_number(volume_factor, 6));
    const bool   grow   = volume_factor > 1.;
    const double change = std::abs(volume_factor - 1.) * double(n_phase);
    if (grow && change > double(n_into))
      throw std::invalid_argument(
        where + "growing " + std::to_string(n_phase) + " voxels by "
        + format_number(volume_factor, 6) + " needs " + format_number(change, 6)
        + " voxels of phase " + std::to_string(into) + ", there are only "
        + std::to_string(n_into) + " (of " + std::to_string(total) + ")");
    if (!grow && n_phase == total)
      throw std::invalid_argument(
        where + "phase " + std::to_string(phase) + " fills all "
        + std::to_string(total)
        + " voxels; there is no surface to shrink it from");

    const std::vector<double> dist = front_distances(m, phase, grow, periodic);
    const PhaseId             from = grow ? into : phase;

    // Candidates by distance: the converted volume is
    // S(R) = sum_d count(d) clamp(R - d + 1/2, 0, 1).
    std::map<double, std::size_t> shells;
    for (std::size_t v = 0; v < total; ++v)
      if (ids[v] == from)
        ++shells[dist[v]];
    const auto converted
      = [&](const double R) { return converted_volume(shells, R); };
    // Bisection to the segment of S that holds the target, then the exact
    // root of S on that segment (S is linear there).
    double lo = shells.begin()->first - 0.5, hi = shells.rbegin()->first + 0.5;
    for (int it = 0; it < 200 && hi - lo > 1e-13 * (1. + hi); ++it)
      {
        const double mid                    = 0.5 * (lo + hi);
        (converted(mid) < change ? lo : hi) = mid;
      }
    double R = 0.5 * (lo + hi);
    {
      double whole = 0, slope = 0, offset = 0;
      for (const auto &[d, n] : shells)
        if (R - d + 0.5 >= 1.)
          whole += double(n);
        else if (R - d + 0.5 > 0.)
          {
            slope += double(n);
            offset += double(n) * (0.5 - d);
          }
      if (slope > 0)
        R = (change - whole - offset) / slope;
    }
    result.front_position = R;

    // Apply: whole conversions change the id, partial ones are listed.
    std::size_t whole = 0;
    for (std::size_t v = 0; v < total; ++v)
      if (ids[v] == from)
        {
          const double c = std::clamp(R - dist[v] + 0.5, 0., 1.);
          if (c >= 1.)
            {
              ids[v] = grow ? phase : into;
              ++whole;
            }
          else if (c > 0.)
            {
              result.voxels.push_back(v);
              result.fractions.push_back(grow ? c : 1. - c);
            }
        }
    // Whole voxels of the phase: partial ones are not (their id is the
    // phase's only when shrinking).
    result.voxels_after
      = grow ? n_phase + whole : n_phase - whole - result.voxels.size();
    double partial = 0;
    for (const double f : result.fractions)
      partial += f;
    result.volume_after    = double(result.voxels_after) + partial;
    result.achieved_factor = result.volume_after / double(n_phase);
    return result;
  }

  std::vector<double>
  partial_swelling_kinks(const Microstructure &m,
                         const PhaseId         phase,
                         const PhaseId         into,
                         const bool            periodic)
  {
    const std::vector<PhaseId> &ids     = m.data();
    std::size_t                 n_phase = 0, n_into = 0;
    for (const PhaseId id : ids)
      {
        n_phase += id == phase;
        n_into += id == into;
      }
    std::vector<double> result{1.};
    if (n_phase == 0 || phase == into)
      return result;
    for (const bool grow : {true, false})
      {
        if (!grow && n_phase == ids.size())
          continue;
        const std::vector<double> dist
          = front_distances(m, phase, grow, periodic);
        const PhaseId                 from = grow ? into : phase;
        std::map<double, std::size_t> shells;
        for (std::size_t v = 0; v < ids.size(); ++v)
          if (ids[v] == from)
            ++shells[dist[v]];
        for (const auto &shell : shells)
          for (const double R : {shell.first - 0.5, shell.first + 0.5})
            {
              const double s = converted_volume(shells, R);
              if (!(s > 0) || (grow && s > double(n_into))
                  || (!grow && !(s < double(n_phase))))
                continue;
              result.push_back(1. + (grow ? s : -s) / double(n_phase));
            }
      }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
  }
} // namespace scalebridge::microstructure
