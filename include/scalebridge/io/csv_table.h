#ifndef scalebridge_io_csv_table_h
#define scalebridge_io_csv_table_h

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::io
{
  /**
   * A table of named numeric columns, written as CSV (header line, then one
   * row per entry, full double precision) so that scripts and plot tools can
   * read results without parsing screen output.
   */
  class CsvTable
  {
  public:
    explicit CsvTable(std::vector<std::string> column_names);

    /// Appends one row; its length must equal the number of columns.
    void
    add_row(const std::vector<double> &row);

    std::size_t
    n_rows() const;

    const std::vector<std::string> &
    column_names() const;

    /// Values of the column called @p name (throws if there is none).
    std::vector<double>
    column(const std::string &name) const;

    /// Writes the table atomically to @p path. A NaN value (a quantity that
    /// does not exist in that row, e.g. the solid columns of separator rows
    /// of a profile) is written as an empty cell.
    void
    write(const std::filesystem::path &path) const;

    /// For checkpoints (Boost archives).
    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &names &rows;
    }

  private:
    std::vector<std::string>         names;
    std::vector<std::vector<double>> rows;
  };
} // namespace scalebridge::io

#endif
