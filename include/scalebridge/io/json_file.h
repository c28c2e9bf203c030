#ifndef scalebridge_io_json_file_h
#define scalebridge_io_json_file_h

#include <nlohmann/json.hpp>

#include <filesystem>

namespace scalebridge::io
{
  /**
   * Reads a JSON file. A missing file or a syntax error throws InputError
   * naming the file (and the byte position for syntax errors).
   */
  nlohmann::json
  read_json(const std::filesystem::path &path);

  /// Writes @p value indented by two spaces, atomically (see write_atomically).
  void
  write_json(const std::filesystem::path &path, const nlohmann::json &value);
} // namespace scalebridge::io

#endif
