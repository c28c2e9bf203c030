#include <scalebridge/study/delta_method.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::study
{
  std::vector<std::vector<double>>
  delta_design(const std::vector<double> &mean, const std::vector<double> &step)
  {
    if (mean.size() != step.size())
      throw std::invalid_argument("delta_design: sizes differ");
    std::vector<std::vector<double>> rows{mean};
    for (std::size_t i = 0; i < mean.size(); ++i)
      for (const double h : {step[i], -step[i], step[i] / 2, -step[i] / 2})
        {
          auto row = mean;
          row[i] += h;
          rows.push_back(row);
        }
    return rows;
  }

  DeltaResult
  delta_method(const std::vector<std::vector<double>> &outputs,
               const std::vector<double>              &step,
               const std::vector<double>              &covariance)
  {
    const std::size_t d = step.size();
    if (outputs.size() != 4 * d + 1 || covariance.size() != d * d)
      throw std::invalid_argument("delta_method: sizes do not match");
    const std::size_t m = outputs[0].size();
    DeltaResult       r;
    r.value = outputs[0];
    r.gradient.assign(m, std::vector<double>(d));
    r.gradient_error.assign(m, std::vector<double>(d));
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t k = 0; k < m; ++k)
        {
          const auto  &o = outputs;
          const double coarse
            = (o[1 + 4 * i][k] - o[2 + 4 * i][k]) / (2 * step[i]);
          const double fine = (o[3 + 4 * i][k] - o[4 + 4 * i][k]) / step[i];
          r.gradient[k][i]  = fine;
          r.gradient_error[k][i] = std::abs(fine - coarse) / 3;
        }
    r.variance.assign(m, 0);
    r.sd.assign(m, 0);
    r.sd_error.assign(m, 0);
    for (std::size_t k = 0; k < m; ++k)
      {
        const auto &g = r.gradient[k];
        const auto &e = r.gradient_error[k];
        double      v = 0, dv = 0;
        for (std::size_t i = 0; i < d; ++i)
          for (std::size_t j = 0; j < d; ++j)
            {
              v += g[i] * covariance[i * d + j] * g[j];
              // |d(g^T S g)| <= 2 sum |S_ij g_j| e_i
              dv += 2 * std::abs(covariance[i * d + j] * g[j]) * e[i];
            }
        r.variance[k] = std::max(v, 0.0);
        r.sd[k]       = std::sqrt(r.variance[k]);
        if (r.sd[k] > 0)
          {
            // d(sd) = d(var) / (2 sd)
            r.sd_error[k] = dv / (2 * r.sd[k]);
            r.relative_error
              = std::max(r.relative_error, r.sd_error[k] / r.sd[k]);
          }
      }
    return r;
  }
} // namespace scalebridge::study
