#include <scalebridge/atomistic/column_table.h>
#include <scalebridge/atomistic/text_reader.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

namespace scalebridge::atomistic
{
  namespace
  {
    /// Index of @p name in @p header: the exact name, else the one name
    /// equal to it up to case (LAMMPS thermo headers print `lx` as `Lx`);
    /// -1 if there is none or the case-blind match is ambiguous.
    int
    column_index(const std::vector<std::string> &header,
                 const std::string              &name)
    {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it != header.end())
        return int(it - header.begin());
      const auto lower = [](std::string s) {
        for (char &c : s)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      };
      int found = -1;
      for (std::size_t i = 0; i < header.size(); ++i)
        if (lower(header[i]) == lower(name))
          {
            if (found >= 0)
              return -1;
            found = int(i);
          }
      return found;
    }
  } // namespace

  ColumnTable
  read_columns(const std::filesystem::path    &path,
               const std::string              &entry,
               const std::vector<std::string> &names)
  {
    LineReader                    in(path, entry);
    std::string_view              line;
    std::vector<std::string_view> fields;
    std::vector<std::string>      header;
    std::uint64_t                 header_line = 0;
    std::string                   headers_seen;

    ColumnTable table;
    table.names = names;
    table.columns.resize(names.size());
    std::vector<int>    index;
    int                 step_index = -1;
    std::size_t         width      = 0;
    bool                in_table   = false;
    double              step0 = 0, step_size = 0;
    std::vector<double> values;

    const auto numeric = [&](const std::vector<std::string_view> &f) {
      values.resize(f.size());
      for (std::size_t i = 0; i < f.size(); ++i)
        if (!parse_double(f[i], values[i]))
          return false;
      return !f.empty();
    };

    while (in.next(line))
      {
        split_fields(line, fields);
        if (!in_table)
          {
            if (fields.empty())
              continue;
            if (!numeric(fields))
              {
                header.clear();
                for (auto f : fields)
                  if (!(header.empty() && f == "#"))
                    header.emplace_back(
                      f[0] == '#' && header.empty() ? f.substr(1) : f);
                header_line = in.line_number();
                continue;
              }
            // First row of a table: does its header name all columns?
            if (header.size() != fields.size())
              continue;
            index.clear();
            for (const auto &name : names)
              {
                index.push_back(column_index(header, name));
              }
            if (std::find(index.begin(), index.end(), -1) != index.end())
              {
                std::string columns;
                for (const auto &h : header)
                  columns += (columns.empty() ? "" : " ") + h;
                headers_seen += (headers_seen.empty() ? "" : "; ")
                                + std::string("line ")
                                + std::to_string(header_line) + ": " + columns;
                header.clear();
                continue;
              }
            in_table             = true;
            width                = fields.size();
            table.header_line    = header_line;
            table.first_row_line = in.line_number();
            for (const char *s : {"TimeStep", "Step", "step", "timestep"})
              {
                const auto it = std::find(header.begin(), header.end(), s);
                if (it != header.end())
                  {
                    step_index        = int(it - header.begin());
                    table.step_column = s;
                    break;
                  }
              }
          }
        else if (!numeric(fields))
          break; // end of the table (e.g. "Loop time of ..." in a log)
        if (fields.size() != width)
          in.fail("row has " + std::to_string(fields.size())
                  + " fields, the header at line "
                  + std::to_string(table.header_line) + " names "
                  + std::to_string(width) + " (truncated or garbled row)");
        if (step_index >= 0)
          {
            const double      step = values[step_index];
            const std::size_t row  = table.n_rows();
            if (row > 0)
              {
                const double previous = step0 + (row - 1) * step_size;
                if (!(step > previous))
                  in.fail("step " + format_number(step, 12)
                          + " does not follow the previous row's "
                          + format_number(previous, 12) + " (column "
                          + table.step_column
                          + " must increase: restarted run appended?)");
                if (row == 1)
                  step_size = step - step0;
                else if (std::abs(step - previous - step_size)
                         > 1e-9 * std::abs(step_size))
                  in.fail("step " + format_number(step, 12) + " after "
                          + format_number(previous, 12)
                          + ": rows are not equally spaced (were "
                          + format_number(step_size, 12)
                          + " apart); 'Time per row' needs a constant "
                            "spacing");
              }
            else
              step0 = step;
          }
        for (std::size_t c = 0; c < names.size(); ++c)
          table.columns[c].push_back(values[index[c]]);
      }
    if (!in_table)
      {
        std::string wanted;
        for (const auto &n : names)
          wanted += (wanted.empty() ? "" : ", ") + n;
        in.fail_at(in.line_number(),
                   "no table with the columns " + wanted
                     + (headers_seen.empty()
                          ? std::string(" (no header line followed by rows "
                                        "of numbers found)")
                          : "; tables found: " + headers_seen));
      }
    return table;
  }
} // namespace scalebridge::atomistic
