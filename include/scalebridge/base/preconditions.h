#ifndef scalebridge_base_preconditions_h
#define scalebridge_base_preconditions_h

#include <stdexcept>
#include <string>

namespace scalebridge
{
  /**
   * A number for an error message: @p significant_digits digits (17 shows
   * every bit of a double, 6 reads better when the value came from a user).
   */
  std::string
  format_number(double value, int significant_digits = 17);

  /**
   * Throws std::invalid_argument(message()) unless @p condition holds. The
   * message is a callable so that it is composed only on failure: these
   * checks sit in functions that solvers call millions of times.
   */
  template <typename MessageFunction>
  inline void
  require(const bool condition, MessageFunction &&message)
  {
    if (!condition)
      throw std::invalid_argument(message());
  }

  /// Throws std::invalid_argument naming @p where unless 0 < T < infinity.
  void
  check_temperature(double temperature, const char *where);
} // namespace scalebridge

#endif
