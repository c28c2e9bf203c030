#include <scalebridge/macro/bdf.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::macro
{
  BdfStep
  bdf_step(const double h, const std::vector<double> &t)
  {
    if (t.empty() || !(h > 0))
      throw std::logic_error("bdf_step: no history or h <= 0");
    BdfStep      s;
    const double t1 = t[0] + h;
    if (t.size() == 1)
      {
        s.order        = 1;
        s.a            = {{1 / h, -1 / h, 0}};
        s.n_predictor  = 1;
        s.p            = {{1, 0, 0}};
        s.error_weight = 0;
        return s;
      }
    const double h1     = t[0] - t[1];
    const double w      = h / h1;
    const double alpha0 = (1 + 2 * w) / (1 + w);
    s.order             = 2;
    s.a                 = {{alpha0 / h, -(1 + w) / h, w * w / ((1 + w) * h)}};
    // Lagrange extrapolation to t1 through the past points.
    const unsigned int m = std::min<std::size_t>(t.size(), 3);
    s.n_predictor        = m;
    for (unsigned int k = 0; k < m; ++k)
      {
        double l = 1;
        for (unsigned int i = 0; i < m; ++i)
          if (i != k)
            l *= (t1 - t[i]) / (t[k] - t[i]);
        s.p[k] = l;
      }
    const double span = (m == 3) ? t1 - t[2] : t1 - t[1];
    s.error_weight    = (h / alpha0) / (h / alpha0 + span);
    return s;
  }

  double
  next_step_size(const double       h,
                 const double       error,
                 const unsigned int order,
                 const double       growth)
  {
    if (!(error > 0))
      return h * growth;
    const double factor = 0.8 * std::pow(error, -1.0 / (order + 1));
    return h * std::clamp(factor, 0.2, growth);
  }
} // namespace scalebridge::macro
