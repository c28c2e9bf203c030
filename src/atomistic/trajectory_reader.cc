#include <scalebridge/atomistic/chunked_reader.h>
#include <scalebridge/atomistic/decimal_parser.h>
#include <scalebridge/atomistic/text_reader.h>
#include <scalebridge/atomistic/trajectory_reader.h>
#include <scalebridge/base/input_error.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

namespace scalebridge::atomistic
{
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
      template <class Lines>
      void
      add(const Lines         &in,
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

    /// The columns of an 'ITEM: ATOMS' header, and the role of each column
    /// for the fast parse of atom lines.
    struct AtomColumns
    {
      enum Role : signed char
      {
        none       = -1,
        coordinate = 0, // + d
        image      = 3, // + d
        id         = 6,
        type       = 7
      };

      /// From the fields of the header line (split_fields).
      explicit AtomColumns(const std::vector<std::string_view> &f)
      {
        const char *x_names[3] = {"x", "y", "z"};
        const char *u_names[3] = {"xu", "yu", "zu"};
        const char *i_names[3] = {"ix", "iy", "iz"};
        n_columns              = static_cast<int>(f.size()) - 2;
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
        unwrapped = u_col[0] >= 0 && u_col[1] >= 0 && u_col[2] >= 0;
        imaged    = x_col[0] >= 0 && x_col[1] >= 0 && x_col[2] >= 0
                 && i_col[0] >= 0 && i_col[1] >= 0 && i_col[2] >= 0;
        valid = id_col >= 0 && type_col >= 0 && (unwrapped || imaged);
        if (!valid)
          return;
        role.assign(n_columns, none);
        role[id_col]   = id;
        role[type_col] = type;
        for (int d = 0; d < 3; ++d)
          if (unwrapped)
            role[u_col[d]] = Role(coordinate + d);
          else
            {
              role[x_col[d]] = Role(coordinate + d);
              role[i_col[d]] = Role(image + d);
            }
      }

      AtomColumns() = default;

      int
      coordinate_column(const int d) const
      {
        return unwrapped ? u_col[d] : x_col[d];
      }

      bool
      operator==(const AtomColumns &o) const
      {
        return valid == o.valid && n_columns == o.n_columns
               && id_col == o.id_col && type_col == o.type_col
               && unwrapped == o.unwrapped && imaged == o.imaged
               && std::equal(x_col, x_col + 3, o.x_col)
               && std::equal(u_col, u_col + 3, o.u_col)
               && std::equal(i_col, i_col + 3, o.i_col);
      }

      bool valid = false, unwrapped = false, imaged = false;
      int  n_columns = 0, id_col = -1, type_col = -1;
      int  x_col[3] = {-1, -1, -1}, u_col[3] = {-1, -1, -1},
          i_col[3] = {-1, -1, -1};
      std::vector<Role> role;
    };

    /// One atom line as the merge needs it: wrapped or unwrapped position,
    /// image flags (wrapped dumps) and the id (followed atoms only).
    struct AtomRecord
    {
      double    r[3];
      long long image[3];
      long long id;
    };

    /// What a worker makes of a chunk of a LAMMPS dump without knowing in
    /// which state of a frame the chunk starts: every line, and every line
    /// that reads as a complete atom line under the columns in force
    /// (those of the last 'ITEM: ATOMS' line before it in the chunk, or the
    /// file's first header before that) pre-parsed. Everything else (ITEM
    /// lines, numbers, box bounds, bad atom lines) is left to the merge,
    /// which parses it from the text as the sequential reader did; so the
    /// fast parse only has to agree with it on lines it accepts.
    struct DumpChunk : TextChunk
    {
      enum Kind : unsigned char
      {
        text_only = 0,
        followed  = 1,
        other     = 2
      };

      void
      parse() override
      {
        lines.clear();
        kinds.clear();
        records.clear();
        AtomColumns                   in_force = *start;
        const char *const             base     = text.data();
        std::size_t                   pos      = 0;
        std::vector<std::string_view> f;
        while (pos < size)
          {
            const void       *nl = std::memchr(base + pos, '\n', size - pos);
            const std::size_t stop
              = nl ? static_cast<const char *>(nl) - base : size;
            std::size_t length = stop - pos;
            if (length > 0 && base[pos + length - 1] == '\r')
              --length;
            const std::string_view line(base + pos, length);
            pos = stop + 1;
            lines.push_back(line);
            records.emplace_back();
            Kind kind = text_only;
            if (starts_with(line, "ITEM:"))
              {
                if (starts_with(line, "ITEM: ATOMS"))
                  {
                    split_fields(line, f);
                    in_force = AtomColumns(f);
                  }
              }
            else if (in_force.valid)
              kind = parse_atom(line, in_force, records.back());
            kinds.push_back(kind);
          }
      }

      /// followed or other if @p line is a complete atom line, text_only
      /// if the merge has to look at it.
      Kind
      parse_atom(const std::string_view line,
                 const AtomColumns     &columns,
                 AtomRecord            &record) const
      {
        const char       *p       = line.data();
        const char *const end     = p + line.size();
        const int         n       = columns.n_columns;
        bool              matched = all;
        std::string_view  id_text;
        int               k = 0;
        while (k < n)
          {
            while (p < end && (*p == ' ' || *p == '\t'))
              ++p;
            if (p == end)
              break;
            const char *const first = p;
            while (p < end && *p != ' ' && *p != '\t')
              ++p;
            const std::string_view field(first, p - first);
            const int              role = columns.role[k];
            if (role >= AtomColumns::coordinate && role < AtomColumns::image)
              {
                if (!parse_decimal(field, record.r[role]))
                  return text_only;
              }
            else if (role >= AtomColumns::image && role < AtomColumns::id)
              {
                if (!parse_integer(field, record.image[role - 3]))
                  return text_only;
              }
            else if (role == AtomColumns::id)
              id_text = field;
            else if (role == AtomColumns::type && !all)
              matched = field == *species;
            ++k;
          }
        if (k < n)
          return text_only;
        if (!matched)
          return other;
        return parse_integer(id_text, record.id) ? followed : text_only;
      }

      const AtomColumns            *start   = nullptr;
      const std::string            *species = nullptr;
      bool                          all     = false;
      std::vector<std::string_view> lines;
      std::vector<Kind>             kinds;
      std::vector<AtomRecord>       records;
    };

    /**
     * The lines of a dump in file order over the parsed chunks, with the
     * interface of LineReader, plus the pre-parsed record of an atom line
     * when the worker parsed it under the columns that the merge has in
     * force there.
     */
    class DumpLines
    {
    public:
      DumpLines(ChunkedReader               &reader,
                const std::filesystem::path &path,
                const std::string           &entry)
        : reader(reader)
        , path_(path)
        , entry_(entry)
      {
      }

      bool
      next(std::string_view &line)
      {
        while (chunk == nullptr || index >= chunk->lines.size())
          {
            if (chunk)
              {
                lines_before += chunk->lines.size();
                bytes += chunk->size;
              }
            chunk = static_cast<DumpChunk *>(reader.next());
            index = 0;
            if (chunk == nullptr)
              return false;
            if (!chunk->read_error.empty())
              fail_at(lines_before, chunk->read_error);
            agree = *chunk->start == columns;
          }
        current = index++;
        line    = chunk->lines[current];
        // The worker takes the columns of every such line from here on.
        if (starts_with(line, "ITEM: ATOMS"))
          agree = false;
        return true;
      }

      /// The merge takes @p c from the header line just returned.
      void
      adopt(const AtomColumns &c)
      {
        columns = c;
        agree   = true;
      }

      /// The pre-parsed atom line just returned, or nullptr.
      const AtomRecord *
      record(DumpChunk::Kind &kind) const
      {
        kind = chunk->kinds[current];
        return agree && kind != DumpChunk::text_only ? &chunk->records[current]
                                                     : nullptr;
      }

      std::uint64_t
      line_number() const
      {
        // After the end: the last line, as LineReader.
        return chunk ? lines_before + current + 1 : lines_before;
      }

      std::uint64_t
      bytes_read() const
      {
        return bytes;
      }

      [[noreturn]] void
      fail(const std::string &reason) const
      {
        fail_at(line_number(), reason);
      }

      [[noreturn]] void
      fail_at(const std::uint64_t at, const std::string &reason) const
      {
        throw InputError(path_.string() + ":" + std::to_string(at),
                         entry_,
                         reason);
      }

    private:
      ChunkedReader               &reader;
      const std::filesystem::path &path_;
      const std::string           &entry_;
      DumpChunk                   *chunk        = nullptr;
      std::size_t                  index        = 0;
      std::size_t                  current      = 0;
      std::uint64_t                lines_before = 0;
      std::uint64_t                bytes        = 0;
      AtomColumns                  columns;
      bool                         agree = false;
    };

    TrajectoryData
    read_lammps_dump(DumpLines &in, const std::string &species)
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
          const AtomColumns columns(f);
          if (!columns.valid)
            in.fail("the ATOMS columns are '" + join(f, 2)
                    + "'; needed are 'id type' and unwrapped 'xu yu zu', or "
                      "wrapped 'x y z' with image flags 'ix iy iz' (dump ... "
                      "id type xu yu zu)");
          in.adopt(columns);
          const bool unwrapped = columns.unwrapped;
          const int  n_columns = columns.n_columns;
          if (data.n_frames == 0)
            data.coordinates = unwrapped
                                 ? "unwrapped xu yu zu"
                                 : "wrapped x y z with image flags ix iy iz";

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
              double            r[3];
              long long         image[3] = {0, 0, 0};
              long long         id       = 0;
              DumpChunk::Kind   kind     = DumpChunk::text_only;
              const AtomRecord *record   = in.record(kind);
              if (record)
                {
                  std::copy(record->r, record->r + 3, r);
                  std::copy(record->image, record->image + 3, image);
                  id = record->id;
                }
              else
                {
                  // The sequential parse, with its messages.
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
                  for (int d = 0; d < 3; ++d)
                    if (!parse_double(f[columns.coordinate_column(d)], r[d]))
                      in.fail("coordinate is not a number: '"
                              + std::string(f[columns.coordinate_column(d)])
                              + "'");
                  if (!unwrapped)
                    for (int d = 0; d < 3; ++d)
                      if (!parse_integer(f[columns.i_col[d]], image[d]))
                        in.fail("image flag is not an integer: '"
                                + std::string(f[columns.i_col[d]]) + "'");
                  const bool matched = all || f[columns.type_col] == species;
                  kind = matched ? DumpChunk::followed : DumpChunk::other;
                  if (matched && !parse_integer(f[columns.id_col], id))
                    in.fail("atom id is not an integer: '"
                            + std::string(f[columns.id_col]) + "'");
                }
              if (!unwrapped)
                {
                  r[0] += image[0] * lx + image[1] * xy + image[2] * xz;
                  r[1] += image[1] * ly + image[2] * yz;
                  r[2] += image[2] * lz;
                }
              for (int d = 0; d < 3; ++d)
                sum[d] += r[d];
              if (kind != DumpChunk::followed)
                continue;
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
  read_trajectory(const std::filesystem::path &path,
                  const std::string           &entry,
                  const std::string           &species,
                  const ChunkOptions          &options)
  {
    // The format is told by the first non-blank line; for a dump the
    // columns of its first ATOMS header are those the workers assume until
    // they meet a header in their chunk.
    bool        lammps = false;
    AtomColumns first_columns;
    {
      LineReader       probe(path, entry);
      std::string_view line;
      while (probe.next(line))
        if (line.find_first_not_of(" \t") != std::string_view::npos)
          {
            lammps = starts_with(line, "ITEM:");
            break;
          }
      std::vector<std::string_view> f;
      while (lammps && probe.line_number() < 1000 && probe.next(line))
        if (starts_with(line, "ITEM: ATOMS"))
          {
            split_fields(line, f);
            first_columns = AtomColumns(f);
            break;
          }
    }
    if (!lammps)
      {
        LineReader     in(path, entry);
        TrajectoryData data = read_extxyz(in, species);
        data.bytes          = in.bytes_read();
        return data;
      }
    const bool     all = species == "all";
    ChunkedReader  reader(path, entry, options, [&] {
      auto chunk     = std::make_unique<DumpChunk>();
      chunk->start   = &first_columns;
      chunk->species = &species;
      chunk->all     = all;
      return chunk;
    });
    DumpLines      in(reader, path, entry);
    TrajectoryData data = read_lammps_dump(in, species);
    data.bytes          = in.bytes_read();
    return data;
  }
} // namespace scalebridge::atomistic
