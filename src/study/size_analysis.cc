#include <scalebridge/study/size_analysis.h>

#include <cmath>
#include <limits>

namespace scalebridge::study
{
  namespace
  {
    /// Least-squares line y = c0 + c1 x; false with fewer than two
    /// distinct x.
    bool
    fit_line(const std::vector<double> &x,
             const std::vector<double> &y,
             double                    &c0,
             double                    &c1)
    {
      const double n = x.size();
      if (n < 2)
        return false;
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (std::size_t i = 0; i < x.size(); ++i)
        {
          sx += x[i];
          sy += y[i];
          sxx += x[i] * x[i];
          sxy += x[i] * y[i];
        }
      const double det = n * sxx - sx * sx;
      if (!(std::abs(det) > 1e-14 * n * sxx))
        return false;
      c1 = (n * sxy - sx * sy) / det;
      c0 = (sy - c1 * sx) / n;
      return true;
    }
  } // namespace

  SizeAnalysis
  analyse_sizes(const std::vector<SizePoint> &points,
                const double                  relative_error,
                const unsigned int            realizations,
                const unsigned int            dimension)
  {
    SizeAnalysis        a;
    std::vector<double> lv, ld, inv_l, mean;
    double              largest_mean = 0;
    for (const auto &p : points)
      {
        // Relative to the mean: a spread at round-off is no spread.
        if (p.n > 1 && p.sd > 1e-10 * std::abs(p.mean) && p.volume > 0)
          {
            lv.push_back(std::log(p.volume));
            ld.push_back(std::log(p.sd * p.sd));
          }
        inv_l.push_back(1 / p.edge);
        mean.push_back(p.mean);
        largest_mean = p.mean;
      }
    double c0 = 0, c1 = 0;
    if (fit_line(lv, ld, c0, c1) && c1 < 0)
      {
        a.K            = std::exp(c0);
        a.alpha        = -c1;
        const double z = largest_mean;
        if (z != 0 && relative_error > 0 && realizations > 0)
          {
            a.required_volume = std::pow(4 * a.K
                                           / (relative_error * relative_error
                                              * z * z * realizations),
                                         1 / a.alpha);
            a.required_edge   = std::pow(a.required_volume, 1.0 / dimension);
          }
      }
    else if (lv.size() > 1)
      {
        // The spread does not fall with size: the sizes are below the
        // correlation length, no estimate.
        a.required_volume = std::numeric_limits<double>::infinity();
        a.required_edge   = a.required_volume;
      }
    else if (lv.size() == 1)
      {
        // One size with a spread: the integral-range form, alpha = 1.
        a.alpha        = 1;
        a.K            = std::exp(ld[0] + lv[0]);
        const double z = largest_mean;
        if (z != 0 && relative_error > 0 && realizations > 0)
          {
            a.required_volume
              = 4 * a.K
                / (relative_error * relative_error * z * z * realizations);
            a.required_edge = std::pow(a.required_volume, 1.0 / dimension);
          }
      }
    if (fit_line(inv_l, mean, c0, c1))
      {
        a.extrapolated = c0;
        a.slope        = c1;
      }
    else if (!mean.empty())
      a.extrapolated = mean.back();
    return a;
  }
} // namespace scalebridge::study
