#ifndef scalebridge_tests_fuzz_input_file_h
#define scalebridge_tests_fuzz_input_file_h

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace scalebridge::fuzz
{
  /**
   * The readers take file names, so each fuzz input is written to a file of
   * this process in the temporary directory first (the same file every run,
   * so nothing accumulates).
   */
  inline std::filesystem::path
  input_file(const std::uint8_t *data,
             const std::size_t   size,
             const std::string  &extension)
  {
    const std::filesystem::path path
      = std::filesystem::temp_directory_path()
        / ("scalebridge_fuzz_" + std::to_string(::getpid()) + extension);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data),
              static_cast<std::streamsize>(size));
    return path;
  }
} // namespace scalebridge::fuzz

#endif
