#include <scalebridge/io/atomic_file.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace scalebridge::io
{
  void
  write_atomically(const std::filesystem::path               &path,
                   const std::function<void(std::ostream &)> &writer)
  {
    if (path.has_parent_path())
      std::filesystem::create_directories(path.parent_path());

    // The process id keeps concurrent writers (e.g. two test runs) apart.
    const std::filesystem::path temporary
      = path.string() + ".tmp." + std::to_string(::getpid());
    try
      {
        {
          std::ofstream out(temporary);
          if (!out)
            throw std::runtime_error("cannot open '" + temporary.string()
                                     + "' for writing");
          writer(out);
          out.flush();
          if (!out)
            throw std::runtime_error("writing '" + path.string() + "' failed");
        }
        std::filesystem::rename(temporary, path);
      }
    catch (...)
      {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw;
      }
  }
} // namespace scalebridge::io
