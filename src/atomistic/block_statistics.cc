#include <scalebridge/atomistic/block_statistics.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::atomistic
{
  Estimate
  batch_means(const double full_value, const std::vector<double> &block_values)
  {
    const std::size_t M = block_values.size();
    if (M < 2)
      throw std::invalid_argument("batch_means: needs at least 2 blocks");
    double mean = 0;
    for (const double v : block_values)
      mean += v;
    mean /= M;
    double ss = 0;
    for (const double v : block_values)
      ss += (v - mean) * (v - mean);
    return {full_value, std::sqrt(ss / (M - 1) / M)};
  }

  std::vector<double>
  jackknife_covariance(const std::vector<std::vector<double>> &leave_one_out)
  {
    const std::size_t M = leave_one_out.size();
    if (M < 2)
      throw std::invalid_argument(
        "jackknife_covariance: needs at least 2 blocks");
    const std::size_t   n = leave_one_out[0].size();
    std::vector<double> mean(n, 0.0);
    for (const auto &theta : leave_one_out)
      {
        if (theta.size() != n)
          throw std::invalid_argument(
            "jackknife_covariance: estimates differ in length");
        for (std::size_t i = 0; i < n; ++i)
          mean[i] += theta[i] / M;
      }
    std::vector<double> cov(n * n, 0.0);
    const double        factor = double(M - 1) / M;
    for (const auto &theta : leave_one_out)
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          cov[i * n + j]
            += factor * (theta[i] - mean[i]) * (theta[j] - mean[j]);
    return cov;
  }

  BlockingAnalysis
  flyvbjerg_petersen(const std::vector<double> &series)
  {
    if (series.size() < 2)
      throw std::invalid_argument("flyvbjerg_petersen: needs at least 2 "
                                  "values");
    BlockingAnalysis result;
    double           mean = 0;
    for (const double v : series)
      mean += v;
    mean /= series.size();
    result.mean.value = mean;

    std::vector<double> x          = series;
    std::size_t         block_size = 1;
    while (x.size() >= 2)
      {
        const std::size_t n  = x.size();
        double            m  = 0;
        double            ss = 0;
        for (const double v : x)
          m += v;
        m /= n;
        for (const double v : x)
          ss += (v - m) * (v - m);
        const double se = std::sqrt(ss / (n - 1) / n);
        result.levels.push_back(
          {block_size, n, se, se / std::sqrt(2.0 * (n - 1))});
        std::vector<double> next(n / 2);
        for (std::size_t i = 0; i < n / 2; ++i)
          next[i] = 0.5 * (x[2 * i] + x[2 * i + 1]);
        x.swap(next);
        block_size *= 2;
      }

    // Plateau: the first level (with >= 16 blocks) that no later usable
    // level exceeds by more than its own error bar.
    const auto &L      = result.levels;
    double      max_se = 0;
    for (const auto &level : L)
      max_se = std::max(max_se, level.standard_error);
    result.mean.standard_error = max_se;
    for (std::size_t k = 0; k < L.size() && L[k].n_blocks >= 16; ++k)
      {
        // A plateau needs at least one later level to confirm it.
        bool plateau = k + 1 < L.size() && L[k + 1].n_blocks >= 16;
        for (std::size_t j = k + 1; j < L.size() && L[j].n_blocks >= 16; ++j)
          if (L[j].standard_error
              > L[k].standard_error + L[k].error_of_standard_error)
            plateau = false;
        if (plateau)
          {
            result.converged           = true;
            result.mean.standard_error = L[k].standard_error;
            break;
          }
      }
    return result;
  }
} // namespace scalebridge::atomistic
