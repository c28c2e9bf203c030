#include <scalebridge/base/input_error.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/microstructure/image_io.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

namespace scalebridge::microstructure
{
  namespace
  {
    std::string
    lower(std::string s)
    {
      for (char &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }

    /// Whole file as bytes; InputError if it cannot be read.
    std::string
    slurp(const std::filesystem::path &file)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in || !std::filesystem::is_regular_file(file))
        throw InputError(file.string(),
                         "",
                         "cannot open the file (does it exist?)");
      std::ostringstream content;
      content << in.rdbuf();
      return content.str();
    }

    /// Bytes per value of a VTK data type name (lower case); 0 if unknown.
    unsigned
    vtk_type_size(const std::string &type)
    {
      if (type == "unsigned_char" || type == "char" || type == "signed_char")
        return 1;
      if (type == "unsigned_short" || type == "short")
        return 2;
      if (type == "unsigned_int" || type == "int" || type == "float")
        return 4;
      if (type == "unsigned_long" || type == "long" || type == "vtktypeuint64"
          || type == "vtktypeint64" || type == "double" || type == "vtkidtype")
        return 8;
      return 0;
    }

    /// A read position in the bytes of a legacy VTK file.
    class VtkCursor
    {
    public:
      VtkCursor(const std::filesystem::path &file, std::string bytes)
        : file(file.string())
        , text(std::move(bytes))
      {
      }

      [[noreturn]] void
      fail(const std::string &reason) const
      {
        throw InputError(file, "", "legacy VTK: " + reason);
      }

      std::string
      line()
      {
        if (pos >= text.size())
          fail("unexpected end of file in the header");
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string       l   = text.substr(pos, end - pos);
        // A last line without '\n' must not leave pos past the end, where
        // token() would read out of range.
        pos = std::min(end + 1, text.size());
        if (!l.empty() && l.back() == '\r')
          l.pop_back();
        return l;
      }

      /// Next whitespace-separated token; empty at the end of the file.
      std::string
      token()
      {
        while (pos < text.size()
               && std::isspace(static_cast<unsigned char>(text[pos])))
          ++pos;
        const std::size_t start = pos;
        while (pos < text.size()
               && !std::isspace(static_cast<unsigned char>(text[pos])))
          ++pos;
        return text.substr(start, pos - start);
      }

      std::string
      required_token(const std::string &what)
      {
        const std::string t = token();
        if (t.empty())
          fail("unexpected end of file, expected " + what);
        return t;
      }

      long long
      integer(const std::string &what)
      {
        const std::string t   = required_token(what);
        char             *end = nullptr;
        const long long   v   = std::strtoll(t.c_str(), &end, 10);
        if (*end != '\0')
          fail("expected an integer for " + what + ", got '" + t + "'");
        return v;
      }

      double
      real(const std::string &what)
      {
        const std::string t   = required_token(what);
        char             *end = nullptr;
        const double      v   = std::strtod(t.c_str(), &end);
        if (*end != '\0')
          fail("expected a number for " + what + ", got '" + t + "'");
        return v;
      }

      /// Binary data starts after the newline that ends the keyword line.
      void
      start_binary_block()
      {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
          fail("unexpected end of file before binary data");
        pos = end + 1;
      }

      const unsigned char *
      take_bytes(std::size_t n, const std::string &what)
      {
        if (text.size() - pos < n)
          fail(what + ": the file ends after "
               + std::to_string(text.size() - pos) + " of " + std::to_string(n)
               + " bytes of binary data");
        const auto *p
          = reinterpret_cast<const unsigned char *>(text.data() + pos);
        pos += n;
        return p;
      }

      void
      skip_values(bool               binary,
                  const std::string &type,
                  std::size_t        n,
                  const std::string &what)
      {
        if (!binary)
          {
            for (std::size_t v = 0; v < n; ++v)
              required_token("values of " + what);
            return;
          }
        start_binary_block();
        std::size_t bytes;
        if (type == "bit")
          bytes = (n + 7) / 8;
        else if (const unsigned s = vtk_type_size(type))
          bytes = n * s;
        else
          fail("cannot skip " + what + " of type '" + type + "'");
        take_bytes(bytes, what);
      }

      std::string file;

    private:
      std::string text;
      std::size_t pos = 0;
    };

    /// Value of one big-endian binary number of @p type as a double.
    double
    decode_big_endian(const unsigned char *p,
                      const std::string   &type,
                      unsigned             size)
    {
      std::uint64_t bits = 0;
      for (unsigned b = 0; b < size; ++b)
        bits = (bits << 8) | p[b];
      if (type == "float")
        {
          const auto u = static_cast<std::uint32_t>(bits);
          float      f;
          std::memcpy(&f, &u, 4);
          return f;
        }
      if (type == "double")
        {
          double d;
          std::memcpy(&d, &bits, 8);
          return d;
        }
      const bool is_signed = type == "char" || type == "signed_char"
                             || type == "short" || type == "int"
                             || type == "long" || type == "vtktypeint64"
                             || type == "vtkidtype";
      if (is_signed && size < 8 && (bits >> (8 * size - 1)) != 0)
        return static_cast<double>(static_cast<std::int64_t>(bits)
                                   - (std::int64_t(1) << (8 * size)));
      if (is_signed)
        return static_cast<double>(static_cast<std::int64_t>(bits));
      return static_cast<double>(bits);
    }
  } // namespace

  Microstructure
  read_raw(const std::filesystem::path   &file,
           unsigned int                   dimension,
           const std::array<unsigned, 3> &n_voxels,
           const std::array<double, 3>   &size)
  {
    Microstructure    result(dimension, n_voxels, size, 0);
    const std::string bytes    = slurp(file);
    const auto       &n        = result.n_voxels();
    const std::size_t expected = result.n_total_voxels();
    if (bytes.size() != expected)
      throw InputError(file.string(),
                       "",
                       "raw image has " + std::to_string(bytes.size())
                         + " bytes, but " + std::to_string(n[0]) + " x "
                         + std::to_string(n[1]) + " x " + std::to_string(n[2])
                         + " uint8 voxels need " + std::to_string(expected)
                         + " bytes; check the voxel counts");
    std::copy(bytes.begin(), bytes.end(), result.data().begin());
    return result;
  }

  void
  write_raw(const Microstructure        &microstructure,
            const std::filesystem::path &file)
  {
    io::write_atomically(file, [&](std::ostream &out) {
      const auto &ids = microstructure.data();
      out.write(reinterpret_cast<const char *>(ids.data()),
                static_cast<std::streamsize>(ids.size()));
    });
  }

  Microstructure
  read_vtk(const std::filesystem::path &file, unsigned int dimension)
  {
    if (dimension != 2 && dimension != 3)
      throw InputError(file.string(), "", "dimension must be 2 or 3");
    VtkCursor in(file, slurp(file));

    if (lower(in.line()).find("vtk datafile") == std::string::npos)
      in.fail("the first line must be '# vtk DataFile Version x.x'");
    in.line(); // title
    const std::string encoding = lower(in.token());
    if (encoding != "ascii" && encoding != "binary")
      in.fail("expected ASCII or BINARY on the third line, got '" + encoding
              + "'");
    const bool binary = encoding == "binary";
    if (lower(in.token()) != "dataset")
      in.fail("expected DATASET STRUCTURED_POINTS");
    const std::string dataset = lower(in.required_token("dataset type"));
    if (dataset != "structured_points")
      in.fail("only DATASET STRUCTURED_POINTS is supported, got '" + dataset
              + "'");

    std::array<long long, 3> points{{0, 0, 0}};
    std::array<double, 3>    spacing{{1., 1., 1.}};
    std::string              section; // "point_data" or "cell_data"
    std::size_t              n_values = 0;

    // Geometry, then attribute sections until the first SCALARS.
    while (true)
      {
        const std::string keyword = lower(in.token());
        if (keyword.empty())
          in.fail("no SCALARS array found");
        if (keyword == "dimensions")
          for (unsigned d = 0; d < 3; ++d)
            points[d] = in.integer("DIMENSIONS");
        else if (keyword == "spacing" || keyword == "aspect_ratio")
          for (unsigned d = 0; d < 3; ++d)
            spacing[d] = in.real("SPACING");
        else if (keyword == "origin")
          for (unsigned d = 0; d < 3; ++d)
            in.real("ORIGIN");
        else if (keyword == "point_data" || keyword == "cell_data")
          {
            section  = keyword;
            n_values = static_cast<std::size_t>(in.integer(keyword));
          }
        else if (keyword == "vectors" || keyword == "normals"
                 || keyword == "tensors")
          {
            in.required_token("array name");
            const std::string type = lower(in.required_token("data type"));
            in.skip_values(binary,
                           type,
                           (keyword == "tensors" ? 9 : 3) * n_values,
                           keyword);
          }
        else if (keyword == "texture_coordinates")
          {
            in.required_token("array name");
            const long long   comp = in.integer("texture dimension");
            const std::string type = lower(in.required_token("data type"));
            in.skip_values(binary, type, std::size_t(comp) * n_values, keyword);
          }
        else if (keyword == "field")
          {
            in.required_token("field name");
            const long long arrays = in.integer("number of field arrays");
            for (long long a = 0; a < arrays; ++a)
              {
                const std::string name = in.required_token("field array name");
                const long long   comp = in.integer("components of " + name);
                const long long   n    = in.integer("tuples of " + name);
                const std::string type = lower(in.required_token("data type"));
                in.skip_values(binary,
                               type,
                               std::size_t(comp) * std::size_t(n),
                               "field array " + name);
              }
          }
        else if (keyword == "metadata")
          {
            // INFORMATION/COMPONENT_NAMES block, ends at an empty line.
            in.line();
            while (!in.line().empty())
              {
              }
          }
        else if (keyword == "scalars")
          break;
        else
          in.fail("unexpected keyword '" + keyword + "'");
      }

    if (section.empty())
      in.fail("SCALARS before POINT_DATA or CELL_DATA");
    const std::string name = in.required_token("SCALARS name");
    const std::string type = lower(in.required_token("SCALARS data type"));
    const unsigned    bytes_per_value = vtk_type_size(type);
    if (bytes_per_value == 0)
      in.fail("SCALARS '" + name + "' has type '" + type
              + "'; phase ids need an integer or floating-point type");
    std::string next = lower(in.required_token("LOOKUP_TABLE"));
    if (next != "lookup_table")
      {
        char *end = nullptr;
        if (std::strtol(next.c_str(), &end, 10) != 1 || *end != '\0')
          in.fail("SCALARS '" + name + "' must have one component, got '" + next
                  + "'");
        next = lower(in.required_token("LOOKUP_TABLE"));
      }
    if (next != "lookup_table")
      in.fail("expected LOOKUP_TABLE after SCALARS, got '" + next + "'");
    in.required_token("lookup table name");

    // Voxel grid from the points (see the header for the convention).
    for (unsigned d = 0; d < 3; ++d)
      {
        if (points[d] < 1)
          in.fail("DIMENSIONS must be three positive point counts");
        if (!(spacing[d] > 0.))
          in.fail("SPACING must be positive");
      }
    std::array<unsigned, 3> n_voxels{{1, 1, 1}};
    std::array<double, 3>   size{{1., 1., 1.}};
    const bool              cells = section == "cell_data";
    for (unsigned d = 0; d < 3; ++d)
      {
        const long long nd = cells ? std::max(points[d] - 1, 1LL) : points[d];
        n_voxels[d]        = static_cast<unsigned>(nd);
        size[d] = (cells && points[d] == 1 ? 1. : double(nd)) * spacing[d];
      }
    const std::size_t n_total
      = std::size_t(n_voxels[0]) * n_voxels[1] * n_voxels[2];
    if (n_values != n_total)
      in.fail(std::string(cells ? "CELL_DATA " : "POINT_DATA ")
              + std::to_string(n_values) + " does not match DIMENSIONS "
              + std::to_string(points[0]) + " " + std::to_string(points[1])
              + " " + std::to_string(points[2]) + " (" + std::to_string(n_total)
              + (cells ? " cells)" : " points)"));
    if (dimension == 2 && n_voxels[2] != 1)
      in.fail("the image is 3D (" + std::to_string(n_voxels[2])
              + " voxels in z) but the dimension is 2");

    Microstructure        result(dimension, n_voxels, size, 0);
    std::vector<PhaseId> &ids = result.data();
    const auto            bad = [&](std::size_t v, const std::string &value) {
      const std::size_t nxy = std::size_t(n_voxels[0]) * n_voxels[1];
      in.fail("SCALARS '" + name + "': voxel ("
              + std::to_string(v % n_voxels[0]) + ","
              + std::to_string(v % nxy / n_voxels[0]) + ","
              + std::to_string(v / nxy) + ") has value " + value
              + ", which is not a phase id (an integer in [0,255])");
    };
    const auto store
      = [&](std::size_t v, double value, const std::string &text) {
          if (!(value >= 0. && value <= 255. && value == std::floor(value)))
            bad(v, text);
          ids[v] = static_cast<PhaseId>(value);
        };
    if (binary)
      {
        in.start_binary_block();
        const unsigned char *p
          = in.take_bytes(n_total * bytes_per_value, "SCALARS '" + name + "'");
        for (std::size_t v = 0; v < n_total; ++v)
          {
            const double value = decode_big_endian(p + v * bytes_per_value,
                                                   type,
                                                   bytes_per_value);
            if (!(value >= 0. && value <= 255. && value == std::floor(value)))
              {
                std::ostringstream text;
                text << std::setprecision(17) << value;
                bad(v, text.str());
              }
            ids[v] = static_cast<PhaseId>(value);
          }
      }
    else
      for (std::size_t v = 0; v < n_total; ++v)
        {
          const std::string t = in.token();
          if (t.empty())
            in.fail("SCALARS '" + name + "': the file ends after "
                    + std::to_string(v) + " of " + std::to_string(n_total)
                    + " values");
          char        *end   = nullptr;
          const double value = std::strtod(t.c_str(), &end);
          if (*end != '\0')
            bad(v, "'" + t + "'");
          store(v, value, t);
        }
    return result;
  }

  void
  write_vtk(const Microstructure        &microstructure,
            const std::filesystem::path &file,
            VtkEncoding                  encoding)
  {
    const auto &n   = microstructure.n_voxels();
    const auto  h   = microstructure.voxel_size();
    const bool  is3 = microstructure.dimension() == 3;
    io::write_atomically(file, [&](std::ostream &out) {
      out << "# vtk DataFile Version 3.0\n"
          << "ScaleBridge microstructure, " << microstructure.dimension()
          << "D, phase ids per voxel (cell)\n"
          << (encoding == VtkEncoding::binary ? "BINARY\n" : "ASCII\n")
          << "DATASET STRUCTURED_POINTS\n"
          << "DIMENSIONS " << n[0] + 1 << ' ' << n[1] + 1 << ' '
          << (is3 ? n[2] + 1 : 1) << '\n'
          << std::setprecision(17) << "SPACING " << h[0] << ' ' << h[1] << ' '
          << h[2] << '\n'
          << "ORIGIN 0 0 0\n"
          << "CELL_DATA " << microstructure.n_total_voxels() << '\n'
          << "SCALARS phase unsigned_char 1\n"
          << "LOOKUP_TABLE default\n";
      const auto &ids = microstructure.data();
      if (encoding == VtkEncoding::binary)
        out.write(reinterpret_cast<const char *>(ids.data()),
                  static_cast<std::streamsize>(ids.size()));
      else
        for (std::size_t v = 0; v < ids.size(); ++v)
          out << unsigned(ids[v]) << ((v + 1) % n[0] == 0 ? '\n' : ' ');
      out << '\n';
    });
  }
} // namespace scalebridge::microstructure
