#include <scalebridge/study/sobol.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace scalebridge::study
{
  SaltelliDesign
  saltelli_design(const UnitSamples                           &a,
                  const UnitSamples                           &b,
                  const std::vector<std::vector<std::size_t>> &factors)
  {
    if (a.size() != b.size() || a.empty())
      throw std::invalid_argument("saltelli_design: A and B differ in size");
    SaltelliDesign design;
    design.n       = a.size();
    design.factors = factors;
    design.rows    = a;
    design.rows.insert(design.rows.end(), b.begin(), b.end());
    for (const auto &factor : factors)
      for (std::size_t j = 0; j < a.size(); ++j)
        {
          auto row = a[j];
          for (const auto c : factor)
            row.at(c) = b[j].at(c);
          design.rows.push_back(row);
        }
    return design;
  }

  namespace
  {
    /// Indices of factor @p i from the rows @p rows (with repetition).
    void
    estimate(const SaltelliDesign           &d,
             const std::vector<double>      &f,
             const std::vector<std::size_t> &rows,
             double                         &variance,
             std::vector<double>            &first,
             std::vector<double>            &total)
    {
      const std::size_t n = d.n, k = d.factors.size();
      double            mean = 0;
      for (const auto j : rows)
        mean += f[j] + f[n + j];
      mean /= 2.0 * rows.size();
      variance = 0;
      for (const auto j : rows)
        variance += (f[j] - mean) * (f[j] - mean)
                    + (f[n + j] - mean) * (f[n + j] - mean);
      variance /= 2.0 * rows.size() - 1;
      first.assign(k, 0);
      total.assign(k, 0);
      if (!(variance > 0))
        return;
      for (std::size_t i = 0; i < k; ++i)
        {
          double s = 0, t = 0;
          for (const auto j : rows)
            {
              const double fa = f[j], fb = f[n + j], fab = f[(2 + i) * n + j];
              s += fb * (fab - fa);
              t += (fa - fab) * (fa - fab);
            }
          first[i] = s / rows.size() / variance;
          total[i] = t / (2.0 * rows.size()) / variance;
        }
    }
  } // namespace

  SobolIndices
  sobol_indices(const SaltelliDesign      &design,
                const std::vector<double> &f,
                const unsigned int         resamples,
                const double               level,
                const std::uint64_t        seed)
  {
    const std::size_t n = design.n, k = design.factors.size();
    if (f.size() != (k + 2) * n)
      throw std::invalid_argument("sobol_indices: need (k + 2) N outputs");
    std::vector<std::size_t> all(n);
    for (std::size_t j = 0; j < n; ++j)
      all[j] = j;
    SobolIndices        result;
    std::vector<double> first, total;
    estimate(design, f, all, result.variance, first, total);
    std::vector<std::vector<double>> boot_first(k), boot_total(k);
    std::mt19937_64                  random(seed);
    std::vector<std::size_t>         rows(n);
    for (unsigned int r = 0; r < resamples; ++r)
      {
        for (auto &j : rows)
          j = static_cast<std::size_t>((random() >> 11)
                                       * (1.0 / 9007199254740992.0) * n);
        double              v;
        std::vector<double> s, t;
        estimate(design, f, rows, v, s, t);
        for (std::size_t i = 0; i < k; ++i)
          {
            boot_first[i].push_back(s[i]);
            boot_total[i].push_back(t[i]);
          }
      }
    const double alpha = (1 - level) / 2;
    for (std::size_t i = 0; i < k; ++i)
      {
        Estimate s{first[i], first[i], first[i]};
        Estimate t{total[i], total[i], total[i]};
        if (resamples > 1)
          {
            s.lower = quantile(boot_first[i], alpha);
            s.upper = quantile(boot_first[i], 1 - alpha);
            t.lower = quantile(boot_total[i], alpha);
            t.upper = quantile(boot_total[i], 1 - alpha);
          }
        result.first.push_back(s);
        result.total.push_back(t);
      }
    return result;
  }
} // namespace scalebridge::study
