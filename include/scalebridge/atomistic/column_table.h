#ifndef scalebridge_atomistic_column_table_h
#define scalebridge_atomistic_column_table_h

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// Columns chosen by name from a whitespace table (see read_columns()).
  struct ColumnTable
  {
    std::vector<std::string> names;
    /// One vector per requested name, all of the same length (rows).
    std::vector<std::vector<double>> columns;
    /// Line number of the header and of the first data row.
    std::uint64_t header_line    = 0;
    std::uint64_t first_row_line = 0;
    /// Name of the step column that was checked, or "".
    std::string step_column;

    std::size_t
    n_rows() const
    {
      return columns.empty() ? 0 : columns[0].size();
    }
  };

  /**
   * Reads the columns @p names of the first table in @p path whose header
   * names them all (exactly, or else up to case: LAMMPS prints `lx` as `Lx`): a
   * header line (a leading '#' is dropped, as in the output of LAMMPS `fix
   * ave/time`; a thermo log's `Step Temp ...` line works as is) followed by
   * rows of as many numbers. The table ends at the first line that is not such
   * a row (e.g. "Loop time" in a log). A step column (`TimeStep`, `Step`,
   * `step`, `timestep`), if present, must increase in equal steps. Streams the
   * file; keeps only the columns asked for.
   *
   * Throws InputError "FILE:LINE: '@p entry': ..." for names that no header
   * holds (listing the columns of the headers seen), a row with another
   * number of fields (e.g. a truncated last line), a step that does not
   * increase or jumps, and a table without rows.
   */
  ColumnTable
  read_columns(const std::filesystem::path    &path,
               const std::string              &entry,
               const std::vector<std::string> &names);
} // namespace scalebridge::atomistic

#endif
