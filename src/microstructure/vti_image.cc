#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "image_cell.h"

namespace scalebridge::microstructure
{
  namespace
  {
    /// The VTK XML ImageData file being read, and how to complain about it.
    class VtiFile
    {
    public:
      explicit VtiFile(const std::filesystem::path &path)
        : name(path.string())
      {
        std::ifstream in(path, std::ios::binary);
        if (!in || !std::filesystem::is_regular_file(path))
          fail("cannot open the file (does it exist?)");
        std::ostringstream content;
        content << in.rdbuf();
        bytes = content.str();
      }

      [[noreturn]] void
      fail(const std::string &reason) const
      {
        throw InputError(name, "", "VTK ImageData: " + reason);
      }

      /// Attributes of the first tag @p tag at or after @p from, before
      /// @p until; empty map if there is none. @p end: just after its '>'.
      std::map<std::string, std::string>
      tag(const std::string &tag_name,
          const std::size_t  from,
          const std::size_t  until,
          std::size_t       &end) const
      {
        std::size_t at = from;
        while (true)
          {
            at = bytes.find("<" + tag_name, at);
            if (at == std::string::npos || at >= until)
              return {};
            const char next = bytes[at + 1 + tag_name.size()];
            if (std::isspace(static_cast<unsigned char>(next)) || next == '>'
                || next == '/')
              break;
            ++at;
          }
        end = bytes.find('>', at);
        if (end == std::string::npos)
          fail("the tag <" + tag_name + "> is not closed");
        const std::string inside = bytes.substr(at, end - at);
        ++end;
        std::map<std::string, std::string> attributes;
        std::size_t                        p = 1 + tag_name.size();
        while (true)
          {
            const std::size_t eq = inside.find('=', p);
            if (eq == std::string::npos)
              break;
            std::size_t k = eq;
            while (k > p
                   && std::isspace(static_cast<unsigned char>(inside[k - 1])))
              --k;
            std::size_t b = k;
            while (b > p
                   && !std::isspace(static_cast<unsigned char>(inside[b - 1])))
              --b;
            const std::size_t q = inside.find_first_of("\"'", eq);
            if (q == std::string::npos)
              fail("attribute without quotes in <" + tag_name + ">");
            const std::size_t close = inside.find(inside[q], q + 1);
            if (close == std::string::npos)
              fail("unterminated attribute in <" + tag_name + ">");
            attributes[inside.substr(b, k - b)]
              = inside.substr(q + 1, close - q - 1);
            p = close + 1;
          }
        attributes["<found>"] = "";
        return attributes;
      }

      std::string name;
      std::string bytes;
    };

    /// Numbers of a space-separated attribute.
    template <typename T>
    std::vector<T>
    numbers(const VtiFile &f, const std::string &text, const std::string &what)
    {
      std::istringstream in(text);
      std::vector<T>     v;
      T                  x;
      while (in >> x)
        v.push_back(x);
      if (!in.eof())
        f.fail("cannot read " + what + " '" + text + "'");
      return v;
    }

    std::string
    decode_base64(const VtiFile &f, const std::string &text)
    {
      static const std::string alphabet
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      int table[256];
      std::fill(std::begin(table), std::end(table), -1);
      for (unsigned i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(alphabet[i])] = int(i);
      std::string   out;
      std::uint32_t buffer = 0;
      int           bits   = 0;
      for (const char c : text)
        {
          if (c == '=' || std::isspace(static_cast<unsigned char>(c)))
            continue;
          const int v = table[static_cast<unsigned char>(c)];
          if (v < 0)
            f.fail("binary data is not base64 (character '" + std::string(1, c)
                   + "')");
          buffer = (buffer << 6) | std::uint32_t(v);
          bits += 6;
          if (bits >= 8)
            {
              bits -= 8;
              out.push_back(static_cast<char>((buffer >> bits) & 0xff));
            }
        }
      return out;
    }

    /// Base64 text without white space.
    std::string
    compact(const std::string_view text)
    {
      std::string out;
      out.reserve(text.size());
      for (const char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
          out.push_back(c);
      return out;
    }

    /// How the numbers of the data array are stored.
    struct Layout
    {
      bool        big_endian   = false;
      unsigned    header_bytes = 4;
      bool        zlib         = false;
      std::string type;
      unsigned    value_bytes = 1;
    };

    std::uint64_t
    unsigned_at(const std::string_view b,
                const std::size_t      at,
                const Layout          &l,
                const unsigned         bytes)
    {
      std::uint64_t v = 0;
      for (unsigned i = 0; i < bytes; ++i)
        {
          const unsigned shift = l.big_endian ? 8 * (bytes - 1 - i) : 8 * i;
          v |= std::uint64_t(static_cast<unsigned char>(b[at + i])) << shift;
        }
      return v;
    }

    /// Reads the data block (header + data) of an encoded binary array from
    /// @p raw (decoded bytes) or @p text (base64), returning the payload.
    std::string
    payload(const VtiFile         &f,
            const Layout          &l,
            const std::string_view source,
            const bool             base64_text)
    {
      const unsigned h = l.header_bytes;
      // Base64 encodes header and data apart (VTK), or, as some writers do,
      // as one stream: decode the header alone and see which one fits.
      std::string      text, decoded;
      std::string_view bytes = source;
      const auto       need  = [&](const std::size_t n) {
        if (bytes.size() < n)
          f.fail("the data array is truncated");
      };
      std::size_t header_chars = 0;
      if (base64_text)
        {
          text                    = compact(source);
          const std::size_t first = l.zlib ? 3 * h : h;
          header_chars            = (first + 2) / 3 * 4;
          decoded = decode_base64(f, text.substr(0, header_chars));
          bytes   = decoded;
        }

      if (!l.zlib)
        {
          need(h);
          const std::uint64_t n = unsigned_at(bytes, 0, l, h);
          if (base64_text)
            {
              const std::string data
                = decode_base64(f, text.substr(header_chars));
              if (data.size() >= n && data.size() < n + 3)
                return data.substr(0, n);
              const std::string whole = decode_base64(f, text);
              if (whole.size() < h + n)
                f.fail("the data array is truncated");
              return whole.substr(h, n);
            }
          need(h + n);
          return std::string(bytes.substr(h, n));
        }

      need(3 * h);
      const std::uint64_t blocks = unsigned_at(bytes, 0, l, h);
      const std::uint64_t size   = unsigned_at(bytes, h, l, h);
      const std::uint64_t last   = unsigned_at(bytes, 2 * h, l, h);
      if (blocks > (1u << 24))
        f.fail("implausible compressed header (" + std::to_string(blocks)
               + " blocks)");
      const std::size_t header  = (3 + blocks) * h;
      std::size_t       data_at = header;
      if (base64_text)
        {
          header_chars = (header + 2) / 3 * 4;
          decoded      = decode_base64(f, text.substr(0, header_chars));
          bytes        = decoded;
          need(header);
          decoded = decoded.substr(0, header)
                    + decode_base64(f, text.substr(header_chars));
          bytes = decoded;
        }
      need(header);
      std::string out;
      for (std::uint64_t b = 0; b < blocks; ++b)
        {
          const std::uint64_t compressed
            = unsigned_at(bytes, (3 + b) * h, l, h);
          uLongf full = (b + 1 == blocks && last != 0) ? last : size;
          need(data_at + compressed);
          std::string block(full, '\0');
          if (uncompress(reinterpret_cast<Bytef *>(block.data()),
                         &full,
                         reinterpret_cast<const Bytef *>(bytes.data()
                                                         + data_at),
                         compressed)
              != Z_OK)
            f.fail("zlib block " + std::to_string(b) + " is damaged");
          out.append(block, 0, full);
          data_at += compressed;
        }
      return out;
    }

    /// Value @p i of the payload as a grey value; refuses what is not one.
    std::uint64_t
    grey_of(const VtiFile         &f,
            const std::string_view data,
            const std::size_t      i,
            const Layout          &l)
    {
      const std::size_t   at  = i * l.value_bytes;
      const std::uint64_t raw = unsigned_at(data, at, l, l.value_bytes);
      const std::string  &t   = l.type;
      double              value;
      if (t[0] == 'U')
        return raw;
      if (t == "Float32")
        {
          float      x;
          const auto bits = static_cast<std::uint32_t>(raw);
          std::memcpy(&x, &bits, 4);
          value = x;
        }
      else if (t == "Float64")
        std::memcpy(&value, &raw, 8);
      else
        {
          const unsigned shift = 64 - 8 * l.value_bytes;
          value = double(static_cast<std::int64_t>(raw << shift) >> shift);
        }
      if (!(value >= 0.) || value != std::floor(value) || value > 4294967295.)
        f.fail("value " + std::to_string(value) + " of voxel "
               + std::to_string(i)
               + " is not a grey value (an integer in [0, 4294967295])");
      return static_cast<std::uint64_t>(value);
    }
  } // namespace

  Microstructure
  read_vti(const std::filesystem::path &path,
           const unsigned int           dimension,
           const ImageOptions          &options)
  {
    const VtiFile f(path);
    const auto    all      = f.bytes.size();
    std::size_t   end      = 0;
    auto          file_tag = f.tag("VTKFile", 0, all, end);
    if (file_tag.empty() || file_tag["type"] != "ImageData")
      f.fail("not a VTK XML ImageData file (<VTKFile type=\"ImageData\">)");
    Layout l;
    l.big_endian = file_tag["byte_order"] == "BigEndian";
    if (file_tag.count("header_type") && file_tag["header_type"] != "UInt32")
      {
        if (file_tag["header_type"] != "UInt64")
          f.fail("header_type '" + file_tag["header_type"]
                 + "'; allowed: UInt32, UInt64");
        l.header_bytes = 8;
      }
    if (file_tag.count("compressor") && !file_tag["compressor"].empty())
      {
        if (file_tag["compressor"] != "vtkZLibDataCompressor")
          f.fail("compressor '" + file_tag["compressor"]
                 + "'; allowed: none or vtkZLibDataCompressor");
        l.zlib = true;
      }

    auto image = f.tag("ImageData", end, all, end);
    if (image.empty())
      f.fail("no <ImageData> element");
    const auto extent
      = numbers<long long>(f, image["WholeExtent"], "WholeExtent");
    if (extent.size() != 6)
      f.fail("WholeExtent needs 6 numbers");
    std::vector<double> spacing{1., 1., 1.};
    if (image.count("Spacing"))
      spacing = numbers<double>(f, image["Spacing"], "Spacing");
    if (spacing.size() != 3)
      f.fail("Spacing needs 3 numbers");
    std::size_t piece_end = 0;
    if (f.tag("Piece", end, all, piece_end).empty())
      f.fail("no <Piece> element");
    std::size_t second = 0;
    if (!f.tag("Piece", piece_end, all, second).empty())
      f.fail("the image has more than one <Piece>; save it as one piece");

    // Cell data: voxels between the points; point data: a voxel per point.
    const std::size_t appended = f.bytes.find("<AppendedData");
    const std::size_t limit    = std::min(appended, all);
    std::size_t       data_end = 0;
    bool              cells    = true;
    std::size_t       section  = f.bytes.find("<CellData", end);
    auto array = section < limit ? f.tag("DataArray", section, limit, data_end)
                                 : std::map<std::string, std::string>{};
    const std::size_t cell_close = f.bytes.find("</CellData>", end);
    if (array.empty()
        || (cell_close != std::string::npos && data_end > cell_close))
      {
        cells   = false;
        section = f.bytes.find("<PointData", end);
        array   = section < limit ? f.tag("DataArray", section, limit, data_end)
                                  : std::map<std::string, std::string>{};
      }
    if (array.empty())
      f.fail("no DataArray in <CellData> or <PointData>");
    if (array.count("NumberOfComponents") && array["NumberOfComponents"] != "1")
      f.fail("the DataArray '" + array["Name"] + "' has "
             + array["NumberOfComponents"]
             + " components; the phase labels are one");

    l.type = array["type"];
    const std::map<std::string, unsigned> sizes{{"Int8", 1},
                                                {"UInt8", 1},
                                                {"Int16", 2},
                                                {"UInt16", 2},
                                                {"Int32", 4},
                                                {"UInt32", 4},
                                                {"Int64", 8},
                                                {"UInt64", 8},
                                                {"Float32", 4},
                                                {"Float64", 8}};
    if (!sizes.count(l.type))
      f.fail("DataArray type '" + l.type
             + "'; allowed: (U)Int8/16/32/64, Float32, Float64");
    l.value_bytes = sizes.at(l.type);

    std::array<unsigned, 3> n{{1, 1, 1}};
    std::array<double, 3>   voxel{{spacing[0], spacing[1], spacing[2]}};
    for (unsigned d = 0; d < 3; ++d)
      {
        const long long points = extent[2 * d + 1] - extent[2 * d] + 1;
        if (points < 1 || points > 65537)
          f.fail("WholeExtent gives " + std::to_string(points)
                 + " points in one direction; allowed 1 to 65537");
        n[d] = unsigned(cells ? std::max(points - 1, 1ll) : points);
      }
    Microstructure cell
      = internal::image_cell(f.name, n, dimension, voxel, options);
    const std::size_t count = cell.n_total_voxels();

    // Grey values a z slice at a time, so that memory beyond the phase ids
    // is one slice (and the payload itself for binary data).
    const std::size_t          slice = std::size_t(n[0]) * n[1];
    std::vector<std::uint64_t> grey;
    grey.reserve(slice);
    std::size_t next = 0;
    const auto  put  = [&](const std::uint64_t g) {
      grey.push_back(g);
      if (grey.size() == slice)
        {
          options.phase_map.apply(grey, next, n, f.name, cell.data());
          next += slice;
          grey.clear();
        }
    };
    const std::string format = array["format"];
    if (format == "ascii")
      {
        const std::size_t close = f.bytes.find("</DataArray>", data_end);
        if (close == std::string::npos)
          f.fail("the DataArray is not closed");
        std::istringstream in(f.bytes.substr(data_end, close - data_end));
        double             x;
        std::size_t        i = 0;
        while (in >> x)
          {
            if (i == count)
              f.fail("more values than the " + std::to_string(count)
                     + " voxels of WholeExtent");
            if (!(x >= 0.) || x != std::floor(x) || x > 4294967295.)
              f.fail("value " + std::to_string(x) + " of voxel "
                     + std::to_string(i) + " is not a grey value");
            put(static_cast<std::uint64_t>(x));
            ++i;
          }
        if (i != count)
          f.fail(std::to_string(i) + " values for " + std::to_string(count)
                 + " voxels (truncated?)");
        return cell;
      }

    std::string data;
    if (format == "binary")
      {
        const std::size_t close = f.bytes.find("</DataArray>", data_end);
        if (close == std::string::npos)
          f.fail("the DataArray is not closed");
        data = payload(f,
                       l,
                       std::string_view(f.bytes).substr(data_end,
                                                        close - data_end),
                       true);
      }
    else if (format == "appended")
      {
        std::size_t after = 0;
        auto        block = f.tag("AppendedData", limit, all, after);
        if (block.empty())
          f.fail("format appended but no <AppendedData>");
        const std::size_t underscore = f.bytes.find('_', after);
        if (underscore == std::string::npos)
          f.fail("<AppendedData> without its '_' marker");
        const long long offset
          = array.count("offset") ? std::atoll(array["offset"].c_str()) : 0;
        if (offset < 0 || std::size_t(offset) > all - underscore - 1)
          f.fail("DataArray offset " + std::to_string(offset)
                 + " lies outside the appended data");
        const bool text = block["encoding"] == "base64";
        if (!text && block["encoding"] != "raw")
          f.fail("AppendedData encoding '" + block["encoding"]
                 + "'; allowed: raw, base64");
        std::string_view source
          = std::string_view(f.bytes).substr(underscore + 1 + offset);
        if (text)
          source = source.substr(0, source.find('<'));
        data = payload(f, l, source, text);
      }
    else
      f.fail("DataArray format '" + format
             + "'; allowed: ascii, binary, appended");
    if (data.size() != count * l.value_bytes)
      f.fail("the DataArray holds " + std::to_string(data.size())
             + " bytes, the " + std::to_string(count) + " voxels need "
             + std::to_string(count * l.value_bytes));
    for (std::size_t i = 0; i < count; ++i)
      put(grey_of(f, data, i, l));
    return cell;
  }
} // namespace scalebridge::microstructure
