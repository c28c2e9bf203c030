#ifndef scalebridge_io_output_location_h
#define scalebridge_io_output_location_h

#include <filesystem>
#include <string>

namespace scalebridge::io
{
  /**
   * Checks, before any computing, that @p directory can take a run's
   * output files, so that a wrong location is reported at once and not
   * after the whole solve: it must not be empty (which would scatter files
   * into the working directory), must not be or lie below a file, and its
   * deepest existing ancestor must accept a new file (probed by creating
   * and removing one; missing directories are created later, by the
   * writers). Throws InputError(@p source, @p entry, reason); creates
   * nothing that stays.
   */
  void
  check_output_directory(const std::filesystem::path &directory,
                         const std::string           &source,
                         const std::string           &entry);

  /// As check_output_directory() for the directory of @p file, and @p file
  /// must not be an existing directory.
  void
  check_output_file(const std::filesystem::path &file,
                    const std::string           &source,
                    const std::string           &entry);

  /// Whether @p a and @p b name the same file, also through links, `..` or
  /// relative paths, and also when neither exists yet.
  bool
  same_file(const std::filesystem::path &a, const std::filesystem::path &b);
} // namespace scalebridge::io

#endif
