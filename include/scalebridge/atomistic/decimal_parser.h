#ifndef scalebridge_atomistic_decimal_parser_h
#define scalebridge_atomistic_decimal_parser_h

#include <scalebridge/atomistic/text_reader.h>

#include <cstdint>
#include <string_view>

namespace scalebridge::atomistic
{
  /**
   * parse_double() with a fast path for the plain decimals that fill MD
   * dumps ("-12.34567", "3.1e-05"): when the digits, read as an integer m,
   * satisfy m <= 2^53 and the decimal exponent e has |e| <= 22, both m and
   * 10^|e| are exact doubles, so the one IEEE multiplication or division
   * m * 10^e, m / 10^-e is the correctly rounded value (Clinger 1990, "How
   * to read floating point numbers accurately", PLDI). std::from_chars is
   * correctly rounded too, so the result is the same double, bit for bit;
   * everything else (more than 19 digits, large exponents, '+', "inf",
   * malformed text) goes to parse_double() and is accepted or refused
   * exactly as there.
   */
  inline bool
  parse_decimal(const std::string_view text, double &value)
  {
    static constexpr double powers[23]
      = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char       *p        = text.data();
    const char *const end      = p + text.size();
    const bool        negative = p < end && *p == '-';
    if (negative)
      ++p;
    std::uint64_t m      = 0;
    int           digits = 0;
    while (p < end && static_cast<unsigned char>(*p - '0') < 10)
      {
        m = 10 * m + static_cast<unsigned>(*p - '0');
        ++p;
        ++digits;
      }
    int exponent = 0;
    if (p < end && *p == '.')
      {
        ++p;
        const char *const fraction = p;
        while (p < end && static_cast<unsigned char>(*p - '0') < 10)
          {
            m = 10 * m + static_cast<unsigned>(*p - '0');
            ++p;
          }
        digits += static_cast<int>(p - fraction);
        exponent = -static_cast<int>(p - fraction);
      }
    if (digits == 0 || digits > 19)
      return parse_double(text, value);
    if (p < end && (*p == 'e' || *p == 'E'))
      {
        ++p;
        bool exponent_negative = false;
        if (p < end && (*p == '-' || *p == '+'))
          exponent_negative = *p++ == '-';
        int e = 0, n = 0;
        while (p < end && static_cast<unsigned char>(*p - '0') < 10 && n < 4)
          {
            e = 10 * e + (*p - '0');
            ++p;
            ++n;
          }
        if (n == 0)
          return parse_double(text, value);
        exponent += exponent_negative ? -e : e;
      }
    if (p != end || m > (std::uint64_t(1) << 53) || exponent < -22
        || exponent > 22)
      return parse_double(text, value);
    const double magnitude = exponent < 0 ? double(m) / powers[-exponent]
                                          : double(m) * powers[exponent];
    value                  = negative ? -magnitude : magnitude;
    return true;
  }
} // namespace scalebridge::atomistic

#endif
