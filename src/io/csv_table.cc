#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/csv_table.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <stdexcept>

namespace scalebridge::io
{
  CsvTable::CsvTable(std::vector<std::string> column_names)
    : names(std::move(column_names))
  {
  }

  void
  CsvTable::add_row(const std::vector<double> &row)
  {
    if (row.size() != names.size())
      throw std::logic_error("CsvTable: row of " + std::to_string(row.size())
                             + " values for " + std::to_string(names.size())
                             + " columns");
    rows.push_back(row);
  }

  std::size_t
  CsvTable::n_rows() const
  {
    return rows.size();
  }

  const std::vector<std::string> &
  CsvTable::column_names() const
  {
    return names;
  }

  std::vector<double>
  CsvTable::column(const std::string &name) const
  {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw std::logic_error("CsvTable: no column '" + name + "'");
    const std::size_t   index = it - names.begin();
    std::vector<double> values;
    values.reserve(rows.size());
    for (const auto &row : rows)
      values.push_back(row[index]);
    return values;
  }

  void
  CsvTable::write(const std::filesystem::path &path) const
  {
    write_atomically(path, [&](std::ostream &out) {
      for (std::size_t i = 0; i < names.size(); ++i)
        out << (i == 0 ? "" : ",") << names[i];
      out << '\n'
          << std::setprecision(std::numeric_limits<double>::max_digits10);
      for (const auto &row : rows)
        {
          for (std::size_t i = 0; i < row.size(); ++i)
            {
              out << (i == 0 ? "" : ",");
              // NaN marks a quantity that does not exist in this row.
              if (!std::isnan(row[i]))
                out << row[i];
            }
          out << '\n';
        }
    });
  }
} // namespace scalebridge::io
