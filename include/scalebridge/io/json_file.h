#ifndef scalebridge_io_json_file_h
#define scalebridge_io_json_file_h

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace scalebridge::io
{
  /**
   * Deepest nesting of arrays and objects that JSON input may have. The
   * deepest shipped schema (an RVE result with one block per boundary
   * condition: block / transport_efficiency / group / tensor / row) nests 5
   * levels; nlohmann's dump, copy and comparison recurse once per level, so
   * a file of 200 000 nested arrays overflows the stack in the first error
   * message that prints a value. 64 levels leave room for any schema and
   * cost a few kilobytes of stack.
   */
  constexpr unsigned int max_json_depth = 64;

  /**
   * Largest JSON file read, in bytes. Cards and RVE results are kilobytes;
   * a larger file is a wrong path (a field dump, a trajectory), refused
   * before the parser allocates memory for it.
   */
  constexpr std::uintmax_t max_json_file_size = 64u << 20;

  /**
   * Parses @p text as JSON coming from @p source (a file name, for
   * messages). Refuses, with InputError naming @p source: syntax errors
   * (with the byte position), numbers beyond the range of a double (which
   * nlohmann reports as out_of_range.406), nesting deeper than
   * max_json_depth, and a key given twice in one object (nlohmann would
   * silently keep the last one, so a card edited by appending a corrected
   * value would use it without a word about the first).
   */
  nlohmann::json
  parse_json(std::string_view text, const std::string &source);

  /**
   * Reads a JSON file with the checks of parse_json(). A missing file, a
   * directory or anything else that is not a regular file, and files larger
   * than max_json_file_size throw InputError naming the file.
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
