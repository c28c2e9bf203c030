#include <scalebridge/base/input_error.h>
#include <scalebridge/study/distribution.h>

#include <cmath>
#include <limits>
#include <locale>
#include <sstream>
#include <stdexcept>

namespace scalebridge::study
{
  double
  normal_quantile(const double u)
  {
    if (!(u > 0 && u < 1))
      throw std::domain_error("normal_quantile: u must lie in (0,1)");
    // P. J. Acklam (2003), "An algorithm for computing the inverse normal
    // cumulative distribution function", relative error 1.15e-9.
    static const double a[] = {-3.969683028665376e+01,
                               2.209460984245205e+02,
                               -2.759285104469687e+02,
                               1.383577518672690e+02,
                               -3.066479806614716e+01,
                               2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01,
                               1.615858368580409e+02,
                               -1.556989798598866e+02,
                               6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03,
                               -3.223964580411365e-01,
                               -2.400758277161838e+00,
                               -2.549732539343734e+00,
                               4.374664141464968e+00,
                               2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03,
                               3.224671290700398e-01,
                               2.445134137142996e+00,
                               3.754408661907416e+00};
    const double        low = 0.02425;
    double              x   = 0;
    if (u < low)
      {
        const double q = std::sqrt(-2 * std::log(u));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q
             + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      }
    else if (u <= 1 - low)
      {
        const double q = u - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r
             + a[5])
            * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r
               + 1);
      }
    else
      {
        const double q = std::sqrt(-2 * std::log(1 - u));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q
              + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      }
    // One Halley step on Phi(x) - u.
    const double e  = 0.5 * std::erfc(-x / std::sqrt(2.)) - u;
    const double du = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    return x - du / (1 + x * du / 2);
  }

  double
  Distribution::log_sigma() const
  {
    return std::sqrt(std::log1p((b / a) * (b / a)));
  }

  double
  Distribution::log_mu() const
  {
    const double s = log_sigma();
    return std::log(a) - s * s / 2;
  }

  double
  Distribution::quantile(const double u) const
  {
    switch (kind)
      {
        case Kind::normal:
          return a + b * normal_quantile(u);
        case Kind::lognormal:
          return std::exp(log_mu() + log_sigma() * normal_quantile(u));
        case Kind::uniform:
          return a + (b - a) * u;
      }
    return 0;
  }

  double
  Distribution::mean() const
  {
    return kind == Kind::uniform ? (a + b) / 2 : a;
  }

  double
  Distribution::variance() const
  {
    return kind == Kind::uniform ? (b - a) * (b - a) / 12 : b * b;
  }

  Distribution
  parse_distribution(const std::string &text,
                     const std::string &source,
                     const std::string &entry)
  {
    const std::string allowed
      = "expected normal(mean, sd), lognormal(mean, sd) with mean > 0 or "
        "uniform(lower, upper), sd > 0 and lower < upper; got '"
        + text + "'";
    const auto open  = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open
        || text.find_first_not_of(" \t", close + 1) != std::string::npos)
      throw InputError(source, entry, allowed);
    std::string name = text.substr(0, open);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    std::istringstream in(text.substr(open + 1, close - open - 1));
    in.imbue(std::locale::classic());
    Distribution d;
    char         comma = 0;
    if (!(in >> d.a >> comma >> d.b) || comma != ',' || !(in >> std::ws).eof()
        || !std::isfinite(d.a) || !std::isfinite(d.b))
      throw InputError(source, entry, allowed);
    if (name == "normal")
      d.kind = Distribution::Kind::normal;
    else if (name == "lognormal")
      d.kind = Distribution::Kind::lognormal;
    else if (name == "uniform")
      d.kind = Distribution::Kind::uniform;
    else
      throw InputError(source, entry, allowed);
    if ((d.kind != Distribution::Kind::uniform && !(d.b > 0))
        || (d.kind == Distribution::Kind::lognormal && !(d.a > 0))
        || (d.kind == Distribution::Kind::uniform && !(d.a < d.b)))
      throw InputError(source, entry, allowed);
    return d;
  }
} // namespace scalebridge::study
