#include <scalebridge/base/preconditions.h>

#include <cmath>
#include <sstream>

namespace scalebridge
{
  std::string
  format_number(const double value, const int significant_digits)
  {
    std::ostringstream out;
    out.precision(significant_digits);
    out << value;
    return out.str();
  }

  void
  check_temperature(const double temperature, const char *where)
  {
    require(temperature > 0.0 && std::isfinite(temperature), [&] {
      return std::string(where) + ": temperature " + format_number(temperature)
             + " K must be positive and finite";
    });
  }
} // namespace scalebridge
