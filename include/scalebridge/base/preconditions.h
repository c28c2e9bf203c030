#ifndef scalebridge_base_preconditions_h
#define scalebridge_base_preconditions_h

#include <string>

namespace scalebridge
{
  /**
   * A number for an error message: @p significant_digits digits (17 shows
   * every bit of a double, 6 reads better when the value came from a user).
   */
  std::string
  format_number(double value, int significant_digits = 17);

  /// Throws std::invalid_argument(@p message) unless @p condition holds.
  void
  require(bool condition, const std::string &message);

  /// Throws std::invalid_argument naming @p where unless 0 < T < infinity.
  void
  check_temperature(double temperature, const char *where);
} // namespace scalebridge

#endif
