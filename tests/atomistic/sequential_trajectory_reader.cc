// The trajectory reader as it was before the parallel chunked reader: one
// thread, LineReader, std::from_chars. Kept verbatim (only renamed) as the
// reference that the parallel reader must reproduce bit for bit, errors and
// line numbers included.

#include <scalebridge/atomistic/text_reader.h>
#include <scalebridge/base/input_error.h>

#include "sequential_trajectory_reader.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace scalebridge::test_support
{
  using namespace scalebridge::atomistic;

  namespace
  {
    bool
    starts_with(std::string_view text, std::string_view prefix)
    {
      return text.substr(0, prefix.size()) == prefix;
    }

    std::string
    join(const std::vector<std::string_view> &fields, std::size_t from)
    {
      std::string result;
      for (std::size_t i = from; i < fields.size(); ++i)
        result += (result.empty() ? "" : " ") + std::string(fields[i]);
      return result;
    }

    /// Maps atom ids to slots of the followed atoms: a table when the ids
    /// are dense (the usual 1..N), a hash map otherwise.
    class IdMap
    {
    public:
      void
      build(const std::vector<long long> &ids)
      {
        const long long max_id
          = ids.empty() ? 0 : *std::max_element(ids.begin(), ids.end());
        dense = max_id >= 0 && max_id < 16 * (long long)(ids.size() + 16);
        if (dense)
          {
            table.assign(max_id + 1, -1);
            for (std::size_t i = 0; i < ids.size(); ++i)
              if (ids[i] >= 0)
                table[ids[i]] = static_cast<long>(i);
          }
        else
          for (std::size_t i = 0; i < ids.size(); ++i)
            map[ids[i]] = static_cast<long>(i);
      }

      long
      find(const long long id) const
      {
        if (dense)
          return id >= 0 && id < (long long)table.size() ? table[id] : -1;
        const auto it = map.find(id);
        return it == map.end() ? -1 : it->second;
      }

    private:
      bool                                dense = true;
      std::vector<long>                   table;
      std::unordered_map<long long, long> map;
    };

    /// Checks that frame times increase with a constant step.
    class TimeCheck
    {
    public:
      void
      add(const LineReader    &in,
          const std::uint64_t  line,
          const double         t,
          std::vector<double> &times)
      {
        if (!times.empty())
          {
            const double previous = times.back();
            if (!(t > previous))
              in.fail_at(line,
                         "timestep " + number(t)
                           + " does not follow the previous frame's "
                           + number(previous)
                           + " (timesteps must increase: is this a "
                             "restarted run appended to the same file?)");
            const double step = t - previous;
            if (times.size() == 1)
              first_step = step;
            else if (std::abs(step - first_step) > 1e-9 * std::abs(first_step))
              in.fail_at(line,
                         "frames are not equally spaced (timestep " + number(t)
                           + " after " + number(previous) + ", but frames "
                           + "were " + number(first_step)
                           + " timesteps apart so far); 'Time per frame' "
                             "needs a constant spacing");
          }
        times.push_back(t);
      }

    private:
      static std::string
      number(const double t)
      {
        return t == std::floor(t) && std::abs(t) < 1e18
                 ? std::to_string((long long)t)
                 : std::to_string(t);
      }
      double first_step = 0;
    };

    TrajectoryData
    read_lammps_dump(LineReader &in, const std::string &species)
    {
      TrajectoryData data;
      data.format = "lammps-dump";
      std::string_view              line;
      std::vector<std::string_view> f;
      IdMap                         slots;
      std::vector<std::uint64_t>    seen; // frame stamp per followed atom
      TimeCheck                     time_check;
      const bool                    all = species == "all";

      const auto expect_line = [&](const char *what) {
        if (!in.next(line))
          in.fail("file ends where " + std::string(what)
                  + " was expected (truncated dump)");
      };

      while (in.next(line))
        {
          if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
          // Optional items some LAMMPS versions write before the timestep.
          if (starts_with(line, "ITEM: UNITS")
              || (starts_with(line, "ITEM: TIME")
                  && !starts_with(line, "ITEM: TIMESTEP")))
            {
              expect_line("its value");
              continue;
            }
          if (!starts_with(line, "ITEM: TIMESTEP"))
            in.fail("expected 'ITEM: TIMESTEP' at the start of a frame, got '"
                    + std::string(line.substr(0, 60)) + "'");
          const std::uint64_t frame_line = in.line_number();
          expect_line("the timestep");
          long long timestep = 0;
          split_fields(line, f);
          if (f.size() != 1 || !parse_integer(f[0], timestep))
            in.fail("timestep is not an integer: '" + std::string(line) + "'");
          time_check.add(in,
                         in.line_number(),
                         double(timestep),
                         data.timesteps);

          expect_line("'ITEM: NUMBER OF ATOMS'");
          if (!starts_with(line, "ITEM: NUMBER OF ATOMS"))
            in.fail("expected 'ITEM: NUMBER OF ATOMS'");
          expect_line("the number of atoms");
          long long n = 0;
          split_fields(line, f);
          if (f.size() != 1 || !parse_integer(f[0], n) || n <= 0)
            in.fail("number of atoms is not a positive integer");
          if (data.n_frames > 0 && std::size_t(n) != data.n_atoms)
            in.fail("frame of timestep " + std::to_string(timestep) + " has "
                    + std::to_string(n) + " atoms, the first frame had "
                    + std::to_string(data.n_atoms)
                    + " (atoms missing or added)");

          expect_line("'ITEM: BOX BOUNDS'");
          if (!starts_with(line, "ITEM: BOX BOUNDS"))
            in.fail("expected 'ITEM: BOX BOUNDS'");
          const bool triclinic    = line.find("xy") != std::string_view::npos;
          double     bounds[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
          for (int d = 0; d < 3; ++d)
            {
              expect_line("a box bound");
              split_fields(line, f);
              if (f.size() != (triclinic ? 3u : 2u))
                in.fail(std::string("box bound line needs ")
                        + (triclinic ? "3" : "2") + " numbers");
              for (std::size_t k = 0; k < f.size(); ++k)
                if (!parse_double(f[k], bounds[d][k]))
                  in.fail("box bound is not a number: '" + std::string(f[k])
                          + "'");
            }
          // LAMMPS writes bounding-box extents for triclinic boxes; the
          // box lengths are recovered as in its documentation (Howto
          // triclinic).
          const double xy = bounds[0][2], xz = bounds[1][2], yz = bounds[2][2];
          const double lx = (bounds[0][1] - std::max({0.0, xy, xz, xy + xz}))
                            - (bounds[0][0] - std::min({0.0, xy, xz, xy + xz}));
          const double ly = (bounds[1][1] - std::max(0.0, yz))
                            - (bounds[1][0] - std::min(0.0, yz));
          const double lz = bounds[2][1] - bounds[2][0];
          data.triclinic  = data.triclinic || triclinic;

          expect_line("'ITEM: ATOMS'");
          if (!starts_with(line, "ITEM: ATOMS"))
            in.fail("expected 'ITEM: ATOMS id type ...'");
          split_fields(line, f);
          // Column indices of this frame (the header may differ between
          // frames in principle; it is cheap to read it every time).
          int id_col = -1, type_col = -1, x_col[3] = {-1, -1, -1},
              u_col[3] = {-1, -1, -1}, i_col[3] = {-1, -1, -1};
          const char *x_names[3] = {"x", "y", "z"};
          const char *u_names[3] = {"xu", "yu", "zu"};
          const char *i_names[3] = {"ix", "iy", "iz"};
          const int   n_columns  = static_cast<int>(f.size()) - 2;
          for (int c = 0; c < n_columns; ++c)
            {
              const std::string_view name = f[c + 2];
              if (name == "id")
                id_col = c;
              else if (name == "type")
                type_col = c;
              for (int d = 0; d < 3; ++d)
                {
                  if (name == x_names[d])
                    x_col[d] = c;
                  if (name == u_names[d])
                    u_col[d] = c;
                  if (name == i_names[d])
                    i_col[d] = c;
                }
            }
          const bool unwrapped
            = u_col[0] >= 0 && u_col[1] >= 0 && u_col[2] >= 0;
          const bool imaged = x_col[0] >= 0 && x_col[1] >= 0 && x_col[2] >= 0
                              && i_col[0] >= 0 && i_col[1] >= 0
                              && i_col[2] >= 0;
          if (id_col < 0 || type_col < 0 || (!unwrapped && !imaged))
            in.fail("the ATOMS columns are '" + join(f, 2)
                    + "'; needed are 'id type' and unwrapped 'xu yu zu', or "
                      "wrapped 'x y z' with image flags 'ix iy iz' (dump ... "
                      "id type xu yu zu)");
          if (data.n_frames == 0)
            data.coordinates = unwrapped
                                 ? "unwrapped xu yu zu"
                                 : "wrapped x y z with image flags ix iy iz";
          int max_col = std::max(id_col, type_col);
          for (int d = 0; d < 3; ++d)
            max_col = std::max(
              {max_col, unwrapped ? u_col[d] : std::max(x_col[d], i_col[d])});

          const bool first = data.n_frames == 0;
          if (first)
            data.n_atoms = n;
          const std::size_t frame = data.n_frames;
          if (!first)
            data.positions.resize(data.positions.size() + 3 * data.n_selected);
          std::array<double, 3> sum     = {{0, 0, 0}};
          std::size_t           n_found = 0;
          for (long long a = 0; a < n; ++a)
            {
              if (!in.next(line))
                in.fail_at(frame_line,
                           "file ends inside the frame of timestep "
                             + std::to_string(timestep) + " after "
                             + std::to_string(a) + " of " + std::to_string(n)
                             + " atom lines (truncated dump)");
              if (starts_with(line, "ITEM:"))
                in.fail("the frame of timestep " + std::to_string(timestep)
                        + " has only " + std::to_string(a)
                        + " atom lines, NUMBER OF ATOMS says "
                        + std::to_string(n) + " (missing atoms)");
              split_fields(line, f);
              if (int(f.size()) < n_columns)
                in.fail("atom line has " + std::to_string(f.size())
                        + " fields, the ATOMS header names "
                        + std::to_string(n_columns));
              double r[3];
              for (int d = 0; d < 3; ++d)
                if (!parse_double(f[unwrapped ? u_col[d] : x_col[d]], r[d]))
                  in.fail("coordinate is not a number: '"
                          + std::string(f[unwrapped ? u_col[d] : x_col[d]])
                          + "'");
              if (!unwrapped)
                {
                  long long image[3];
                  for (int d = 0; d < 3; ++d)
                    if (!parse_integer(f[i_col[d]], image[d]))
                      in.fail("image flag is not an integer: '"
                              + std::string(f[i_col[d]]) + "'");
                  r[0] += image[0] * lx + image[1] * xy + image[2] * xz;
                  r[1] += image[1] * ly + image[2] * yz;
                  r[2] += image[2] * lz;
                }
              for (int d = 0; d < 3; ++d)
                sum[d] += r[d];
              if (!all && f[type_col] != species)
                continue;
              long long id = 0;
              if (!parse_integer(f[id_col], id))
                in.fail("atom id is not an integer: '" + std::string(f[id_col])
                        + "'");
              if (first)
                {
                  data.ids.push_back(id);
                  data.positions.insert(data.positions.end(), r, r + 3);
                  continue;
                }
              const long slot = slots.find(id);
              if (slot < 0)
                in.fail("atom id " + std::to_string(id) + " of species '"
                        + species + "' is not in the first frame");
              if (seen[slot] == frame)
                in.fail("atom id " + std::to_string(id)
                        + " appears twice in the frame of timestep "
                        + std::to_string(timestep));
              seen[slot] = frame;
              ++n_found;
              std::copy(r,
                        r + 3,
                        data.positions.begin()
                          + 3 * (frame * data.n_selected + slot));
            }
          (void)max_col;
          if (first)
            {
              if (data.ids.empty())
                in.fail_at(frame_line,
                           "no atom of species (type) '" + species
                             + "' in the first frame");
              // Slots in ascending id order.
              std::vector<std::size_t> order(data.ids.size());
              for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = i;
              std::sort(order.begin(), order.end(), [&](auto a, auto b) {
                return data.ids[a] < data.ids[b];
              });
              std::vector<long long> ids(order.size());
              std::vector<double>    pos(3 * order.size());
              for (std::size_t i = 0; i < order.size(); ++i)
                {
                  ids[i] = data.ids[order[i]];
                  std::copy(data.positions.begin() + 3 * order[i],
                            data.positions.begin() + 3 * order[i] + 3,
                            pos.begin() + 3 * i);
                }
              for (std::size_t i = 1; i < ids.size(); ++i)
                if (ids[i] == ids[i - 1])
                  in.fail_at(frame_line,
                             "atom id " + std::to_string(ids[i])
                               + " appears twice in the first frame");
              data.ids.swap(ids);
              data.positions.swap(pos);
              data.n_selected = data.ids.size();
              slots.build(data.ids);
              seen.assign(data.n_selected, 0);
            }
          else if (n_found != data.n_selected)
            in.fail_at(frame_line,
                       "the frame of timestep " + std::to_string(timestep)
                         + " has " + std::to_string(n_found) + " of the "
                         + std::to_string(data.n_selected)
                         + " atoms of species '" + species
                         + "' (missing atoms)");
          data.centre.push_back({{sum[0] / n, sum[1] / n, sum[2] / n}});
          ++data.n_frames;
        }
      if (data.n_frames == 0)
        in.fail("no frame found (empty file?)");
      return data;
    }

    /// Value of key=value in an extended XYZ comment line ("" if absent);
    /// values may be double-quoted.
    std::string
    xyz_value(std::string_view comment, const std::string &key)
    {
      std::size_t p = 0;
      while (p < comment.size())
        {
          while (p < comment.size()
                 && (comment[p] == ' ' || comment[p] == '\t'))
            ++p;
          const std::size_t key_start = p;
          while (p < comment.size() && comment[p] != '=' && comment[p] != ' ')
            ++p;
          const std::string_view k = comment.substr(key_start, p - key_start);
          if (p >= comment.size() || comment[p] != '=')
            continue;
          ++p;
          std::string value;
          if (p < comment.size() && comment[p] == '"')
            {
              const std::size_t close = comment.find('"', p + 1);
              const std::size_t stop
                = close == std::string_view::npos ? comment.size() : close;
              value = std::string(comment.substr(p + 1, stop - p - 1));
              p     = stop + 1;
            }
          else
            {
              const std::size_t start = p;
              while (p < comment.size() && comment[p] != ' ')
                ++p;
              value = std::string(comment.substr(start, p - start));
            }
          if (k == key)
            return value;
        }
      return "";
    }

    TrajectoryData
    read_extxyz(LineReader &in, const std::string &species)
    {
      TrajectoryData data;
      data.format      = "extxyz";
      data.coordinates = "extended XYZ positions, taken as unwrapped";
      std::string_view              line;
      std::vector<std::string_view> f;
      TimeCheck                     time_check;
      const bool                    all = species == "all";
      while (in.next(line))
        {
          if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
          const std::uint64_t frame_line = in.line_number();
          long long           n          = 0;
          split_fields(line, f);
          if (f.size() != 1 || !parse_integer(f[0], n) || n <= 0)
            in.fail("expected the number of atoms of a frame, got '"
                    + std::string(line.substr(0, 60)) + "'");
          if (data.n_frames > 0 && std::size_t(n) != data.n_atoms)
            in.fail(
              "frame has " + std::to_string(n) + " atoms, the first frame had "
              + std::to_string(data.n_atoms) + " (atoms missing or added)");
          if (!in.next(line))
            in.fail("file ends before the comment line (truncated)");
          // Columns from Properties=name:type:count:...
          int               species_col = 0, pos_col = 1, n_columns = 4;
          const std::string properties = xyz_value(line, "Properties");
          if (!properties.empty())
            {
              std::vector<std::string> parts;
              std::size_t              s = 0;
              for (std::size_t c = properties.find(':');;
                   c             = properties.find(':', s))
                {
                              parts.push_back(properties.substr(s, c - s));
                              if (c == std::string::npos)
                    break;
                  s = c + 1;
                }
              if (parts.size() % 3 != 0)
                in.fail("malformed Properties='" + properties + "'");
              species_col = pos_col = -1;
              int column            = 0;
              for (std::size_t k = 0; k < parts.size(); k += 3)
                {
                  if (parts[k] == "species")
                    species_col = column;
                  if (parts[k] == "pos")
                    pos_col = column;
                  column += std::max(1, std::atoi(parts[k + 2].c_str()));
                }
              n_columns = column;
              if (species_col < 0 || pos_col < 0)
                in.fail("Properties='" + properties
                        + "' has no 'species' or no 'pos' column");
            }
          const std::string time = xyz_value(line, "Time");
          double            t    = double(data.n_frames);
          if (!time.empty() && !parse_double(time, t))
            in.fail("Time='" + time + "' is not a number");
          time_check.add(in, in.line_number(), t, data.timesteps);

          const bool first = data.n_frames == 0;
          if (first)
            data.n_atoms = n;
          std::array<double, 3> sum = {{0, 0, 0}};
          std::size_t           k   = 0;
          for (long long a = 0; a < n; ++a)
            {
              if (!in.next(line))
                in.fail_at(frame_line,
                           "file ends inside the frame starting here after "
                             + std::to_string(a) + " of " + std::to_string(n)
                             + " atom lines (truncated)");
              split_fields(line, f);
              if (int(f.size()) < n_columns)
                in.fail("atom line has " + std::to_string(f.size())
                        + " fields, Properties names "
                        + std::to_string(n_columns)
                        + " (missing atoms or a short line)");
              double r[3];
              for (int d = 0; d < 3; ++d)
                if (!parse_double(f[pos_col + d], r[d]))
                  in.fail("coordinate is not a number: '"
                          + std::string(f[pos_col + d]) + "'");
              for (int d = 0; d < 3; ++d)
                sum[d] += r[d];
              if (!all && f[species_col] != species)
                continue;
              if (first)
                data.ids.push_back(a + 1);
              else if (k >= data.n_selected || data.ids[k] != a + 1)
                in.fail("atom " + std::to_string(a + 1) + " is of species '"
                        + std::string(f[species_col])
                        + "' here but not in the first frame (XYZ atoms are "
                          "identified by their order)");
              data.positions.insert(data.positions.end(), r, r + 3);
              ++k;
            }
          if (first)
            {
              if (k == 0)
                in.fail_at(frame_line,
                           "no atom of species '" + species
                             + "' in the first frame");
              data.n_selected = k;
            }
          else if (k != data.n_selected)
            in.fail_at(frame_line,
                       "frame has " + std::to_string(k) + " of the "
                         + std::to_string(data.n_selected)
                         + " atoms of species '" + species + "'");
          data.centre.push_back({{sum[0] / n, sum[1] / n, sum[2] / n}});
          ++data.n_frames;
        }
      if (data.n_frames == 0)
        in.fail("no frame found (empty file?)");
      return data;
    }
  } // namespace

  TrajectoryData
  read_trajectory_sequentially(const std::filesystem::path &path,
                               const std::string           &entry,
                               const std::string           &species)
  {
    // The format is told by the first non-blank line.
    bool lammps = false;
    {
      LineReader       probe(path, entry);
      std::string_view line;
      while (probe.next(line))
        if (line.find_first_not_of(" \t") != std::string_view::npos)
          {
            lammps = starts_with(line, "ITEM:");
            break;
          }
    }
    LineReader     in(path, entry);
    TrajectoryData data
      = lammps ? read_lammps_dump(in, species) : read_extxyz(in, species);
    data.bytes = in.bytes_read();
    return data;
  }
} // namespace scalebridge::test_support
