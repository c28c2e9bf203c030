#ifndef scalebridge_io_parameter_includes_h
#define scalebridge_io_parameter_includes_h

#include <string>

namespace scalebridge::io
{
  /// Deepest chain of `include` lines a parameter file may start.
  constexpr unsigned int max_include_depth = 16;

  /**
   * Follows the `include FILE` lines of the parameter file @p file (and of
   * the files they include, as deal.II's ParameterHandler reads them: paths
   * relative to the working directory) without reading any entry, because
   * ParameterHandler recurses without limit and a file that includes itself
   * crashes the app. Throws InputError naming the file and its include line
   * for a cycle, a chain deeper than max_include_depth, and an included file
   * that cannot be read.
   */
  void
  check_parameter_includes(const std::string &file);
} // namespace scalebridge::io

#endif
