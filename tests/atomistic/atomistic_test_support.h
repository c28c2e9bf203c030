#ifndef scalebridge_tests_atomistic_test_support_h
#define scalebridge_tests_atomistic_test_support_h

#include <scalebridge/base/input_error.h>

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace scalebridge::test_support
{
  /**
   * Coverage band for 200 seeds. Standard errors from M = 20 blocks follow
   * Student's t with 19 degrees of freedom, so +-2 SE covers the truth with
   * probability 0.940 (not 0.954); the number of seeds that cover it is
   * binomial(200, 0.94) with sd sqrt(200 0.94 0.06) = 3.4 seeds = 1.7 %.
   * [0.89, 0.99] is three sd either side (a correct method fails it with
   * probability < 0.3 %), and it fails a method whose errors are 30 % too
   * small (coverage 0.84) or 50 % too large (0.995).
   */
  constexpr double coverage_low  = 0.89;
  constexpr double coverage_high = 0.99;

  /// Runs @p f and expects an InputError whose message holds every
  /// fragment.
  inline void
  expect_input_error(const std::function<void()>    &f,
                     const std::vector<std::string> &fragments)
  {
    try
      {
        f();
        ADD_FAILURE() << "no InputError";
      }
    catch (const InputError &e)
      {
        const std::string message = e.what();
        for (const auto &fragment : fragments)
          EXPECT_NE(message.find(fragment), std::string::npos)
            << "'" << fragment << "' missing in: " << message;
      }
  }

  inline std::vector<std::string>
  read_lines(const std::string &path)
  {
    std::ifstream            in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

  inline void
  write_lines(const std::string &path, const std::vector<std::string> &lines)
  {
    std::ofstream out(path);
    for (const auto &line : lines)
      out << line << '\n';
  }
} // namespace scalebridge::test_support

#endif
