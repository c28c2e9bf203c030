#include <scalebridge/study/sampling.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace scalebridge::study
{
  namespace
  {
    /// Uniform in [0,1) from the generator's bits (std::uniform_real
    /// _distribution is not specified bit for bit across libraries).
    double
    uniform(std::mt19937_64 &random)
    {
      return (random() >> 11) * (1.0 / 9007199254740992.0);
    }

    double
    inside(const double u)
    {
      const double eps = 1e-12;
      return std::min(std::max(u, eps), 1 - eps);
    }
  } // namespace

  UnitSamples
  unit_samples(const std::size_t   n,
               const std::size_t   d,
               const bool          latin_hypercube,
               const std::uint64_t seed)
  {
    std::mt19937_64 random(seed);
    UnitSamples     samples(n, std::vector<double>(d));
    if (!latin_hypercube)
      {
        for (auto &row : samples)
          for (auto &u : row)
            u = inside(uniform(random));
        return samples;
      }
    std::vector<std::size_t> strata(n);
    for (std::size_t j = 0; j < d; ++j)
      {
        std::iota(strata.begin(), strata.end(), 0);
        // Fisher-Yates with our own uniform draws (std::shuffle is not
        // portable bit for bit either).
        for (std::size_t i = n; i > 1; --i)
          {
            const std::size_t k = static_cast<std::size_t>(uniform(random) * i);
            std::swap(strata[i - 1], strata[std::min(k, i - 1)]);
          }
        for (std::size_t i = 0; i < n; ++i)
          samples[i][j] = inside((strata[i] + uniform(random)) / n);
      }
    return samples;
  }

  SampleMoments
  moments(const std::vector<double> &values)
  {
    SampleMoments m;
    m.n = values.size();
    if (m.n == 0)
      return m;
    m.mean = std::accumulate(values.begin(), values.end(), 0.0) / m.n;
    if (m.n > 1)
      {
        double s = 0;
        for (const double v : values)
          s += (v - m.mean) * (v - m.mean);
        m.sd = std::sqrt(s / (m.n - 1));
      }
    m.standard_error = m.sd / std::sqrt(static_cast<double>(m.n));
    return m;
  }

  double
  quantile(std::vector<double> values, const double p)
  {
    if (values.empty())
      throw std::invalid_argument("quantile of an empty sample");
    std::sort(values.begin(), values.end());
    const double      h  = p * (values.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (h - lo) * (values[hi] - values[lo]);
  }
} // namespace scalebridge::study
