#include <scalebridge/fe2/reuse_table.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace scalebridge::fe2
{
  double
  relative_difference(const RveTensors &a, const RveTensors &b)
  {
    // Blocks: electrolyte [0, 9), solid [9, 18), porosity [18, 19),
    // stiffness (upper triangle; off-diagonal entries count twice in the
    // 6x6 Frobenius norm), swelling strain (Mandel: its Frobenius norm).
    constexpr unsigned int n_blocks = 5;
    constexpr unsigned int s0       = RveTensors::transport_size;
    constexpr unsigned int s1       = s0 + RveTensors::stiffness_size;
    constexpr unsigned int begin[]  = {0, 9, 18, s0, s1};
    constexpr unsigned int end[]    = {9, 18, 19, s1, RveTensors::size};
    const auto             weight   = [](const unsigned int i) {
      if (i < s0 || i >= s1)
        return 1.;
      for (unsigned int k = 0; k < 6; ++k)
        if (RveTensors::stiffness_index(k, k) == i)
          return 1.;
      return 2.;
    };
    double result = 0;
    for (unsigned int k = 0; k < n_blocks; ++k)
      {
        double difference = 0, reference = 0;
        for (unsigned int i = begin[k]; i < end[k]; ++i)
          {
            const double x = a.values[i], y = b.values[i];
            if (std::isnan(x) && std::isnan(y))
              continue;
            difference += weight(i) * (x - y) * (x - y);
            reference += weight(i) * y * y;
          }
        if (std::isnan(difference) || (!(reference > 0) && difference > 0))
          return std::numeric_limits<double>::infinity();
        if (reference > 0)
          result = std::max(result, std::sqrt(difference / reference));
      }
    return std::isnan(result) ? std::numeric_limits<double>::infinity()
                              : result;
  }

  bool
  ReuseTable::smooth_between(const double a, const double b) const
  {
    const auto k = std::upper_bound(kink_states.begin(),
                                    kink_states.end(),
                                    std::min(a, b) + same_state);
    return k == kink_states.end() || *k >= std::max(a, b) - same_state;
  }

  bool
  ReuseTable::at_kink(const double x) const
  {
    const auto k = std::lower_bound(kink_states.begin(),
                                    kink_states.end(),
                                    x - same_state);
    return k != kink_states.end() && *k <= x + same_state;
  }

  std::optional<ReuseTable::Answer>
  ReuseTable::interpolate(const double x) const
  {
    auto upper = samples.lower_bound(x);
    if (samples.size() < 3 || upper == samples.begin()
        || upper == samples.end())
      return std::nullopt;

    // Bracket [a, b]; the estimate takes the parabola through a third
    // sample on either side that exists in the same smooth piece and keeps
    // the larger difference, so that curvature growing towards one side is
    // not missed. With samples on one side only (the ends of the table or
    // of a piece) the curvature seen there is extrapolated to the bracket:
    // the cubic through the two nearest samples on that side counts too
    // (the parabola alone fell short by up to 1.8 times where the
    // curvature grows towards the end of the table). So an answer needs
    // four samples in its piece.
    const auto   b  = upper;
    const auto   a  = std::prev(upper);
    const double xa = a->first, xb = b->first;
    const double t = (x - xa) / (xb - xa);
    Answer       answer;
    answer.interpolated = true;
    answer.bracket      = {xa, xb};
    for (unsigned int i = 0; i < RveTensors::size; ++i)
      answer.value.values[i]
        = (1 - t) * a->second.values[i] + t * b->second.values[i];
    answer.estimated_error = std::numeric_limits<double>::infinity();
    if (!smooth_between(xa, xb) || at_kink(xa) || at_kink(xb))
      return answer;

    // Up to two samples beyond each end of the bracket in its piece.
    using Sample = std::map<double, RveTensors>::const_iterator;
    std::vector<Sample> left, right;
    for (Sample c = a; c != samples.begin() && left.size() < 2;)
      {
        --c;
        if (at_kink(c->first) || !smooth_between(c->first, x))
          break;
        left.push_back(c);
      }
    for (Sample c = std::next(b); c != samples.end() && right.size() < 2; ++c)
      {
        if (at_kink(c->first) || !smooth_between(x, c->first))
          break;
        right.push_back(c);
      }
    std::vector<std::vector<Sample>> extra;
    if (!left.empty())
      extra.push_back({left[0]});
    if (!right.empty())
      extra.push_back({right[0]});
    if (right.empty() && left.size() == 2)
      extra.push_back({left[0], left[1]});
    if (left.empty() && right.size() == 2)
      extra.push_back({right[0], right[1]});
    // One parabola alone is an estimate nothing checks (it fell short at
    // the wide first brackets of a table): ask for a second, from the other
    // side or the next order, before answering.
    if (extra.size() < 2)
      return answer;

    answer.estimated_error = 0;
    for (const auto &nodes : extra)
      {
        // Newton form over a, b, nodes...: the line plus the higher
        // divided differences times (x - a)(x - b)(x - c)...
        std::vector<Sample> all{a, b};
        all.insert(all.end(), nodes.begin(), nodes.end());
        RveTensors polynomial;
        for (unsigned int i = 0; i < RveTensors::size; ++i)
          {
            std::vector<double> d(all.size());
            for (std::size_t k = 0; k < all.size(); ++k)
              d[k] = all[k]->second.values[i];
            double value = answer.value.values[i], product = 1;
            for (std::size_t level = 1; level < all.size(); ++level)
              {
                for (std::size_t k = all.size() - 1; k >= level; --k)
                  d[k] = (d[k] - d[k - 1])
                         / (all[k]->first - all[k - level]->first);
                product *= x - all[level - 1]->first;
                if (level >= 2)
                  value += d[level] * product;
              }
            polynomial.values[i] = value;
          }
        answer.estimated_error
          = std::max(answer.estimated_error,
                     relative_difference(answer.value, polynomial));
      }
    return answer;
  }

  std::optional<ReuseTable::Answer>
  ReuseTable::lookup(const double x, const double tolerance) const
  {
    // A sample at x itself answers exactly, whatever the tolerance.
    const auto sample = samples.lower_bound(x - same_state);
    if (sample != samples.end() && std::abs(sample->first - x) <= same_state)
      return Answer{sample->second, 0., false, {x, x}};
    if (!(tolerance > 0))
      return std::nullopt;
    auto answer = interpolate(x);
    if (answer && answer->estimated_error <= tolerance)
      return answer;
    return std::nullopt;
  }

  std::vector<double>
  ReuseTable::samples_for(const double x, const double tolerance) const
  {
    std::vector<double> result{x};
    if (!(tolerance > 0))
      return result;
    // Towards a kink with no sample of x's piece in between: solve halfway
    // to it as well, so that the piece is bounded by samples of its own
    // (the sample at a kink itself answers only that state) and a state
    // marching towards the kink is answered by interpolation.
    for (const int side : {-1, 1})
      {
        const auto k = side < 0 ? std::lower_bound(kink_states.begin(),
                                                   kink_states.end(),
                                                   x - same_state)
                                : std::upper_bound(kink_states.begin(),
                                                   kink_states.end(),
                                                   x + same_state);
        if (side < 0 ? k == kink_states.begin() : k == kink_states.end())
          continue;
        const double kink = side < 0 ? *std::prev(k) : *k;
        if (std::abs(kink - x) <= 4 * same_state)
          continue;
        const auto first = samples.upper_bound(std::min(x, kink) + same_state);
        const auto last  = samples.lower_bound(std::max(x, kink) - same_state);
        if (first == last || first == samples.end())
          result.push_back(0.5 * (x + kink));
      }
    const auto answer = interpolate(x);
    if (result.size() > 1 || !answer || !std::isfinite(answer->estimated_error)
        || !(answer->estimated_error > 0))
      return result;
    const auto [xa, xb] = answer->bracket;
    // The error of the line over an interval of length h is about
    // |f''| h^2 / 8, and |f''| / 2 is the second divided difference that
    // the estimate e = |f[a,b,c]| (x - a)(b - x) holds: the spacing that
    // meets the tolerance, with a margin, is h below.
    const double a = xa, b = xb;
    const double h = std::sqrt(0.8 * 4 * tolerance * (x - a) * (b - x)
                               / answer->estimated_error);
    for (const int side : {-1, 1})
      for (unsigned int k = 1; k <= points_per_side; ++k)
        {
          const double y = x + side * k * h;
          if (!(y > a + 0.25 * h && y < b - 0.25 * h))
            break;
          result.push_back(y);
        }
    return result;
  }

  void
  ReuseTable::insert(const double x, const RveTensors &value)
  {
    samples[x] = value;
  }

  void
  ReuseTable::set_kinks(std::vector<double> x)
  {
    std::sort(x.begin(), x.end());
    kink_states = std::move(x);
  }
} // namespace scalebridge::fe2
