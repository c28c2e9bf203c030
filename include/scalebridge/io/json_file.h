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

  /**
   * A matrix as a JSON array of rows, from @p entry(i, j) for i < @p rows,
   * j < @p cols: one helper for deal.II matrices, tensors and fixed arrays.
   */
  template <typename Entry>
  nlohmann::json
  matrix_to_json(const unsigned int rows, const unsigned int cols, Entry entry)
  {
    nlohmann::json out = nlohmann::json::array();
    for (unsigned int i = 0; i < rows; ++i)
      {
        nlohmann::json row = nlohmann::json::array();
        for (unsigned int j = 0; j < cols; ++j)
          row.push_back(entry(i, j));
        out.push_back(std::move(row));
      }
    return out;
  }

  /// Writes @p value indented by two spaces, atomically (see write_atomically).
  void
  write_json(const std::filesystem::path &path, const nlohmann::json &value);
} // namespace scalebridge::io

#endif
