#include <scalebridge/study/identifiability.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace scalebridge::study
{
  void
  symmetric_eigen(std::vector<double>  a,
                  const std::size_t    d,
                  std::vector<double> &values,
                  std::vector<double> &vectors)
  {
    std::vector<double> v(d * d, 0);
    for (std::size_t i = 0; i < d; ++i)
      v[i * d + i] = 1;
    for (unsigned int sweep = 0; sweep < 100; ++sweep)
      {
        double off = 0, scale = 0;
        for (std::size_t i = 0; i < d; ++i)
          for (std::size_t j = 0; j < d; ++j)
            (i == j ? scale : off) += a[i * d + j] * a[i * d + j];
        if (off <= 1e-30 * scale || off == 0)
          break;
        for (std::size_t p = 0; p < d; ++p)
          for (std::size_t q = p + 1; q < d; ++q)
            {
              const double apq = a[p * d + q];
              if (apq == 0)
                continue;
              const double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
              const double t
                = (theta >= 0 ? 1 : -1)
                  / (std::abs(theta) + std::sqrt(theta * theta + 1));
              const double c = 1 / std::sqrt(t * t + 1), s = t * c;
              for (std::size_t k = 0; k < d; ++k)
                {
                  const double akp = a[k * d + p], akq = a[k * d + q];
                  a[k * d + p] = c * akp - s * akq;
                  a[k * d + q] = s * akp + c * akq;
                }
              for (std::size_t k = 0; k < d; ++k)
                {
                  const double apk = a[p * d + k], aqk = a[q * d + k];
                  a[p * d + k] = c * apk - s * aqk;
                  a[q * d + k] = s * apk + c * aqk;
                }
              for (std::size_t k = 0; k < d; ++k)
                {
                  const double vkp = v[k * d + p], vkq = v[k * d + q];
                  v[k * d + p] = c * vkp - s * vkq;
                  v[k * d + q] = s * vkp + c * vkq;
                }
            }
      }
    std::vector<std::size_t> order(d);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      return a[i * d + i] > a[j * d + j];
    });
    values.assign(d, 0);
    vectors.assign(d * d, 0);
    for (std::size_t c = 0; c < d; ++c)
      {
        values[c] = a[order[c] * d + order[c]];
        for (std::size_t k = 0; k < d; ++k)
          vectors[k * d + c] = v[k * d + order[c]];
      }
  }

  Identifiability
  identifiability(const std::vector<std::vector<double>> &sensitivity,
                  const std::vector<double>              &prior_sd,
                  const double                            noise_sd)
  {
    const std::size_t d = prior_sd.size();
    if (!(noise_sd > 0))
      throw std::invalid_argument("identifiability: noise must be > 0");
    std::vector<double> f(d * d, 0);
    for (const auto &row : sensitivity)
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j)
          f[i * d + j] += row[i] * prior_sd[i] * row[j] * prior_sd[j]
                          / (noise_sd * noise_sd);
    Identifiability     result;
    std::vector<double> q;
    symmetric_eigen(f, d, result.eigenvalues, q);
    const double largest = d > 0 ? std::max(result.eigenvalues[0], 0.0) : 0;
    for (const double l : result.eigenvalues)
      {
        if (l > 1e-12 * largest && l > 0)
          ++result.numerical_rank;
        if (l > 1)
          ++result.informative_rank;
      }
    const double smallest   = d > 0 ? result.eigenvalues[d - 1] : 0;
    result.condition_number = smallest > 1e-12 * largest && largest > 0
                                ? largest / smallest
                                : std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < d; ++i)
      {
        double post = 0, cr = 0;
        for (std::size_t c = 0; c < d; ++c)
          {
            const double w = q[i * d + c] * q[i * d + c];
            const double l = std::max(result.eigenvalues[c], 0.0);
            post += w / (l + 1);
            if (w > 1e-24)
              cr += l > 1e-12 * largest && l > 0
                      ? w / l
                      : std::numeric_limits<double>::infinity();
          }
        result.posterior_over_prior_sd.push_back(std::sqrt(post));
        result.cramer_rao_over_prior_sd.push_back(std::sqrt(cr));
      }
    return result;
  }
} // namespace scalebridge::study
