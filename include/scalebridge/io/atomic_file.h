#ifndef scalebridge_io_atomic_file_h
#define scalebridge_io_atomic_file_h

#include <filesystem>
#include <functional>
#include <ostream>

namespace scalebridge::io
{
  /**
   * Writes a file so that readers never see it half-written: the content goes
   * to a temporary next to @p path, which is renamed onto @p path only after
   * @p writer returned and the stream was flushed without error. If anything
   * throws, the temporary is removed and @p path is left as it was.
   * Parent directories are created when missing.
   */
  void
  write_atomically(const std::filesystem::path               &path,
                   const std::function<void(std::ostream &)> &writer);
} // namespace scalebridge::io

#endif
