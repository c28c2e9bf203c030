#include <scalebridge/base/input_error.h>
#include <scalebridge/io/output_location.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace scalebridge::io
{
  namespace
  {
    namespace fs = std::filesystem;

    /// "'path'" for messages.
    std::string
    quoted(const fs::path &path)
    {
      return "'" + path.string() + "'";
    }
  } // namespace

  void
  check_output_directory(const std::filesystem::path &directory,
                         const std::string           &source,
                         const std::string           &entry)
  {
    if (directory.empty())
      throw InputError(source,
                       entry,
                       "is empty; give the directory for the output files "
                       "(\".\" for the working directory)");
    std::error_code ec;
    fs::path        existing = fs::absolute(directory, ec);
    if (ec)
      throw InputError(source, entry, "cannot be resolved: " + ec.message());
    // The deepest part of the path that exists must be a directory.
    while (!fs::exists(fs::symlink_status(existing, ec))
           && existing.has_relative_path())
      existing = existing.parent_path();
    if (!fs::is_directory(existing, ec))
      throw InputError(source,
                       entry,
                       quoted(existing)
                         + " is a file where a directory belongs");

    // Permissions do not tell (root ignores them; read-only file systems,
    // /proc): creating a file does.
    const fs::path probe
      = existing / (".scalebridge-write-test." + std::to_string(::getpid()));
    bool writable = false;
    int  error    = 0;
    {
      std::ofstream out(probe);
      error    = errno;
      writable = static_cast<bool>(out);
    }
    fs::remove(probe, ec);
    if (!writable)
      throw InputError(source,
                       entry,
                       "cannot be written: no file can be created in "
                         + quoted(existing) + " ("
                         + std::string(std::strerror(error)) + ")");
  }

  void
  check_output_file(const std::filesystem::path &file,
                    const std::string           &source,
                    const std::string           &entry)
  {
    if (file.empty() || !file.has_filename())
      throw InputError(source,
                       entry,
                       "needs a file name (got " + quoted(file) + ")");
    std::error_code ec;
    if (fs::is_directory(file, ec))
      throw InputError(source,
                       entry,
                       quoted(file) + " is a directory where a file belongs");
    check_output_directory(file.has_parent_path() ? file.parent_path()
                                                  : fs::path("."),
                           source,
                           entry);
  }

  bool
  same_file(const std::filesystem::path &a, const std::filesystem::path &b)
  {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec))
      return fs::equivalent(a, b, ec);
    const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
    const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
    return ca == cb;
  }
} // namespace scalebridge::io
