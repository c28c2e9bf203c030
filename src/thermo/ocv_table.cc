#include <scalebridge/thermo/ocv_table.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace scalebridge::thermo
{
  OcvTable::OcvTable(std::vector<double> x, std::vector<double> U)
    : xs(std::move(x))
    , Us(std::move(U))
  {
    if (xs.size() != Us.size())
      throw std::invalid_argument("OcvTable: " + std::to_string(xs.size())
                                  + " compositions but "
                                  + std::to_string(Us.size()) + " voltages");
    if (xs.size() < 2)
      throw std::invalid_argument("OcvTable: needs at least two points");
    for (size_t k = 0; k < xs.size(); ++k)
      {
        if (!std::isfinite(xs[k]) || !std::isfinite(Us[k]))
          throw std::invalid_argument("OcvTable: point " + std::to_string(k)
                                      + " is not finite");
        if (k > 0 && !(xs[k] > xs[k - 1]))
          throw std::invalid_argument(
            "OcvTable: compositions must be strictly increasing (point "
            + std::to_string(k) + ")");
      }

    // Fritsch-Carlson: start from the mean of the neighbouring secants
    // (zero at a local extremum of the data), one-sided at the ends, then
    // shrink slope pairs that could overshoot into the disc alpha^2 + beta^2
    // <= 9, which is sufficient for a monotone cubic on each interval.
    const size_t        n = xs.size();
    std::vector<double> secant(n - 1);
    for (size_t k = 0; k + 1 < n; ++k)
      secant[k] = (Us[k + 1] - Us[k]) / (xs[k + 1] - xs[k]);

    slopes.resize(n);
    slopes[0]     = secant[0];
    slopes[n - 1] = secant[n - 2];
    for (size_t k = 1; k + 1 < n; ++k)
      slopes[k] = (secant[k - 1] * secant[k] > 0.0)
                    ? 0.5 * (secant[k - 1] + secant[k])
                    : 0.0;

    for (size_t k = 0; k + 1 < n; ++k)
      {
        if (secant[k] == 0.0)
          {
            // A flat interval stays flat.
            slopes[k]     = 0.0;
            slopes[k + 1] = 0.0;
            continue;
          }
        const double alpha = slopes[k] / secant[k];
        const double beta  = slopes[k + 1] / secant[k];
        const double r2    = alpha * alpha + beta * beta;
        if (r2 > 9.0)
          {
            const double tau = 3.0 / std::sqrt(r2);
            slopes[k]        = tau * alpha * secant[k];
            slopes[k + 1]    = tau * beta * secant[k];
          }
      }
  }

  double
  OcvTable::value(const double x) const
  {
    if (!std::isfinite(x))
      throw std::invalid_argument("OcvTable::value: x must be finite");
    if (x <= xs.front())
      return Us.front() + slopes.front() * (x - xs.front());
    if (x >= xs.back())
      return Us.back() + slopes.back() * (x - xs.back());

    const size_t k = std::upper_bound(xs.begin(), xs.end(), x) - xs.begin() - 1;
    const double h = xs[k + 1] - xs[k];
    const double t = (x - xs[k]) / h;
    const double s = 1.0 - t;
    // Cubic Hermite basis on [0,1].
    return (1.0 + 2.0 * t) * s * s * Us[k] + t * s * s * h * slopes[k]
           + t * t * (3.0 - 2.0 * t) * Us[k + 1]
           - t * t * s * h * slopes[k + 1];
  }

  double
  OcvTable::derivative(const double x) const
  {
    if (!std::isfinite(x))
      throw std::invalid_argument("OcvTable::derivative: x must be finite");
    if (x <= xs.front())
      return slopes.front();
    if (x >= xs.back())
      return slopes.back();

    const size_t k = std::upper_bound(xs.begin(), xs.end(), x) - xs.begin() - 1;
    const double h = xs[k + 1] - xs[k];
    const double t = (x - xs[k]) / h;
    return 6.0 * t * (1.0 - t) * (Us[k + 1] - Us[k]) / h
           + (1.0 - t) * (1.0 - 3.0 * t) * slopes[k]
           + t * (3.0 * t - 2.0) * slopes[k + 1];
  }

  const std::vector<double> &
  OcvTable::x_values() const
  {
    return xs;
  }

  const std::vector<double> &
  OcvTable::U_values() const
  {
    return Us;
  }
} // namespace scalebridge::thermo
