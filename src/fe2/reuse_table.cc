#include <scalebridge/fe2/reuse_table.h>

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

  std::optional<ReuseTable::Answer>
  ReuseTable::interpolate(const double x) const
  {
    auto upper = samples.lower_bound(x);
    if (samples.size() < 3 || upper == samples.begin()
        || upper == samples.end())
      return std::nullopt;

    // Bracket [a, b]; the estimate takes the parabola through a third
    // sample on either side that exists and keeps the larger difference,
    // so that curvature growing towards one side is not missed.
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
    answer.estimated_error = 0;
    for (const auto &c :
         {a == samples.begin() ? samples.end() : std::prev(a), std::next(b)})
      {
        if (c == samples.end())
          continue;
        const double xc = c->first;
        RveTensors   quadratic;
        for (unsigned int i = 0; i < RveTensors::size; ++i)
          {
            const double fa = a->second.values[i], fb = b->second.values[i],
                         fc = c->second.values[i];
            // Newton form: the line plus the second divided difference.
            const double fab  = (fb - fa) / (xb - xa);
            const double fbc  = (fc - fb) / (xc - xb);
            const double fabc = (fbc - fab) / (xc - xa);
            quadratic.values[i]
              = answer.value.values[i] + fabc * (x - xa) * (x - xb);
          }
        answer.estimated_error
          = std::max(answer.estimated_error,
                     relative_difference(answer.value, quadratic));
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
    const auto          answer = interpolate(x);
    if (!answer || !(tolerance > 0) || !(answer->estimated_error > 0))
      return result;
    // The error of the line over an interval of length h is about
    // |f''| h^2 / 8, and |f''| / 2 is the second divided difference that
    // the estimate e = |f[a,b,c]| (x - a)(b - x) holds: the spacing that
    // meets the tolerance, with a margin, is h below.
    const auto [a, b] = answer->bracket;
    const double h    = std::sqrt(0.8 * 4 * tolerance * (x - a) * (b - x)
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
} // namespace scalebridge::fe2
