#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/phase_map.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace scalebridge::microstructure
{
  namespace
  {
    /// A non-negative integer that is the whole of @p s, or false.
    bool
    parse_unsigned(const std::string &s, std::uint64_t &value)
    {
      const std::string t = dealii::Utilities::trim(s);
      if (t.empty())
        return false;
      const auto [end, error]
        = std::from_chars(t.data(), t.data() + t.size(), value);
      return error == std::errc() && end == t.data() + t.size();
    }
  } // namespace

  PhaseMap::PhaseMap(const std::string &text,
                     const std::string &source,
                     const std::string &entry)
  {
    const std::string format
      = "; expected 'grey:phase' or 'first-last:phase' entries separated by "
        "commas, e.g. '0:0, 255:1' or '0-99:0, 100-255:1', grey values in "
        "[0, 4294967295], phase ids in [0, 255]";
    std::size_t begin = 0;
    while (begin <= text.size() && !dealii::Utilities::trim(text).empty())
      {
        const std::size_t end = std::min(text.find(',', begin), text.size());
        const std::string piece
          = dealii::Utilities::trim(text.substr(begin, end - begin));
        begin            = end + 1;
        const auto colon = piece.find(':');
        if (colon == std::string::npos)
          throw InputError(source,
                           entry,
                           "'" + piece + "' has no ':'" + format);
        const std::string grey  = piece.substr(0, colon);
        const auto        dash  = grey.find('-');
        std::uint64_t     first = 0, last = 0, id = 0;
        const bool        ok_grey
          = dash == std::string::npos
              ? parse_unsigned(grey, first) && (last = first, true)
              : parse_unsigned(grey.substr(0, dash), first)
                  && parse_unsigned(grey.substr(dash + 1), last);
        if (!ok_grey || !parse_unsigned(piece.substr(colon + 1), id))
          throw InputError(source,
                           entry,
                           "cannot read '" + piece + "'" + format);
        if (last < first)
          throw InputError(source,
                           entry,
                           "'" + piece + "': the range ends below its start");
        if (last > std::numeric_limits<std::uint32_t>::max())
          throw InputError(source,
                           entry,
                           "'" + piece
                             + "': grey values must be at most "
                               "4294967295 (32-bit images)");
        if (id > 255)
          throw InputError(source,
                           entry,
                           "'" + piece + "': phase ids must lie in [0, 255]");
        ranges.push_back({first, last, static_cast<PhaseId>(id)});
        if (end == text.size())
          break;
      }
    std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) {
      return a.first < b.first;
    });
    for (std::size_t r = 1; r < ranges.size(); ++r)
      if (ranges[r].first <= ranges[r - 1].last)
        throw InputError(source,
                         entry,
                         "grey value " + std::to_string(ranges[r].first)
                           + " is mapped twice (ranges must not overlap)");
  }

  bool
  PhaseMap::is_identity() const
  {
    return ranges.empty();
  }

  int
  PhaseMap::operator()(const std::uint64_t grey) const
  {
    if (ranges.empty())
      return grey <= 255 ? static_cast<int>(grey) : -1;
    auto it = std::upper_bound(ranges.begin(),
                               ranges.end(),
                               grey,
                               [](const std::uint64_t g, const Range &r) {
                                 return g < r.first;
                               });
    if (it == ranges.begin())
      return -1;
    --it;
    return grey <= it->last ? it->id : -1;
  }

  void
  PhaseMap::apply(const std::vector<std::uint64_t> &values,
                  const std::size_t                 first,
                  const std::array<unsigned, 3>    &n_voxels,
                  const std::string                &file,
                  std::vector<PhaseId>             &ids) const
  {
    // Images hold few distinct labels: remember the last lookup.
    std::uint64_t last_grey = std::numeric_limits<std::uint64_t>::max();
    int           last_id   = -1;
    for (std::size_t v = 0; v < values.size(); ++v)
      {
        if (values[v] != last_grey)
          {
            last_grey = values[v];
            last_id   = (*this)(last_grey);
          }
        if (last_id < 0)
          {
            const std::size_t flat = first + v;
            const std::size_t nx = n_voxels[0], ny = n_voxels[1];
            const std::string where = "(" + std::to_string(flat % nx) + ", "
                                      + std::to_string(flat / nx % ny) + ", "
                                      + std::to_string(flat / (nx * ny)) + ")";
            throw InputError(
              file,
              "",
              "grey value " + std::to_string(values[v]) + " at voxel " + where
                + (ranges.empty()
                     ? " is not a phase id (0-255); give Microstructure/Phase "
                       "map, e.g. '0-99:0, 100-65535:1'"
                     : " is not in Microstructure/Phase map '" + to_string()
                         + "'"));
          }
        ids[first + v] = static_cast<PhaseId>(last_id);
      }
  }

  std::string
  PhaseMap::to_string() const
  {
    if (ranges.empty())
      return "identity";
    std::string s;
    for (const Range &r : ranges)
      {
        if (!s.empty())
          s += ", ";
        s += std::to_string(r.first);
        if (r.last != r.first)
          s += "-" + std::to_string(r.last);
        s += ":" + std::to_string(r.id);
      }
    return s;
  }
} // namespace scalebridge::microstructure
