// TIFF, HDF5 and VTK XML ImageData readers and the phase map: every reader
// returns the field that was written (the independent truth is the field
// itself, written here with libtiff, the HDF5 C library and by hand in each
// VTK encoding), grey values map to ids, voxel sizes come from the file,
// and broken files are refused with the file named.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>
#include <scalebridge/microstructure/parameters.h>

#include <gtest/gtest.h>
#include <hdf5.h>
#include <tiffio.h>
#include <zlib.h>

#include <cstring>
#include <fstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::microstructure;

namespace
{
  /// Labels 0..3 (times @p scale, as grey values) in a pattern without
  /// symmetry, so that a wrong storage order shows.
  std::vector<std::uint32_t>
  labels(const std::array<unsigned, 3> &n, const std::uint32_t scale = 1)
  {
    std::vector<std::uint32_t> v(std::size_t(n[0]) * n[1] * n[2]);
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = scale * std::uint32_t((i * i + 3 * i) % 7 % 4);
    return v;
  }

  /// The field the labels stand for, through the identity (scale 1).
  void
  expect_field(const Microstructure             &m,
               const std::array<unsigned, 3>    &n,
               const std::vector<std::uint32_t> &ids)
  {
    ASSERT_EQ(m.n_voxels(), n);
    for (std::size_t i = 0; i < ids.size(); ++i)
      ASSERT_EQ(m.data()[i], ids[i]) << "voxel " << i;
  }

  std::filesystem::path
  scratch(const std::string &name)
  {
    return test_support::scratch_directory("image_formats_" + name,
                                           MPI_COMM_SELF);
  }

  /// A TIFF page per z slice of @p grey, 8 or 16 bit, strips or tiles.
  void
  write_tiff_pages(TIFF                             *tif,
                   const std::array<unsigned, 3>    &n,
                   const std::vector<std::uint32_t> &grey,
                   const unsigned                    bits,
                   const bool                        tiled,
                   const unsigned                    first_slice,
                   const unsigned                    slices)
  {
    for (unsigned z = first_slice; z < first_slice + slices; ++z)
      {
        TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, n[0]);
        TIFFSetField(tif, TIFFTAG_IMAGELENGTH, n[1]);
        TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bits);
        TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tif, TIFFTAG_XRESOLUTION, 2e4f); // 0.5 um per pixel
        TIFFSetField(tif, TIFFTAG_YRESOLUTION, 2e4f);
        TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
        const unsigned bytes = bits / 8;
        const auto     value = [&](unsigned x, unsigned y) {
          return grey[(std::size_t(z) * n[1] + y) * n[0] + x];
        };
        const auto put = [&](unsigned char *row, unsigned c, std::uint32_t g) {
          if (bytes == 1)
            row[c] = static_cast<unsigned char>(g);
          else
            reinterpret_cast<std::uint16_t *>(row)[c]
              = static_cast<std::uint16_t>(g);
        };
        if (tiled)
          {
            const unsigned t = 16;
            TIFFSetField(tif, TIFFTAG_TILEWIDTH, t);
            TIFFSetField(tif, TIFFTAG_TILELENGTH, t);
            std::vector<unsigned char> tile(t * t * bytes);
            for (unsigned y0 = 0; y0 < n[1]; y0 += t)
              for (unsigned x0 = 0; x0 < n[0]; x0 += t)
                {
                  std::fill(tile.begin(), tile.end(), 0);
                  for (unsigned y = y0; y < std::min(n[1], y0 + t); ++y)
                    for (unsigned x = x0; x < std::min(n[0], x0 + t); ++x)
                      put(tile.data() + (y - y0) * t * bytes,
                          x - x0,
                          value(x, y));
                  ASSERT_GE(TIFFWriteTile(tif, tile.data(), x0, y0, 0, 0), 0);
                }
          }
        else
          {
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 3);
            std::vector<unsigned char> row(n[0] * bytes);
            for (unsigned y = 0; y < n[1]; ++y)
              {
                for (unsigned x = 0; x < n[0]; ++x)
                  put(row.data(), x, value(x, y));
                ASSERT_GE(TIFFWriteScanline(tif, row.data(), y, 0), 0);
              }
          }
        TIFFWriteDirectory(tif);
      }
  }

  void
  write_tiff(const std::filesystem::path      &file,
             const std::array<unsigned, 3>    &n,
             const std::vector<std::uint32_t> &grey,
             const unsigned                    bits,
             const bool                        tiled       = false,
             const unsigned                    first_slice = 0,
             unsigned                          slices      = 0)
  {
    TIFF *tif = TIFFOpen(file.c_str(), "w");
    ASSERT_NE(tif, nullptr);
    write_tiff_pages(
      tif, n, grey, bits, tiled, first_slice, slices == 0 ? n[2] : slices);
    TIFFClose(tif);
  }

  /// An HDF5 file with @p grey as dataset "/exchange/data" of @p type.
  void
  write_hdf5(const std::filesystem::path      &file,
             const std::array<unsigned, 3>    &n,
             const std::vector<std::uint32_t> &grey,
             const hid_t                       type,
             const int                         rank,
             const bool                        element_size = false,
             const hid_t                       memory_type  = H5T_NATIVE_UINT32)
  {
    const hid_t h5
      = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t group
      = H5Gcreate2(h5, "/exchange", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims3[3] = {n[2], n[1], n[0]};
    const hsize_t dims2[2] = {n[1], n[0]};
    const hid_t   space
      = H5Screate_simple(rank, rank == 3 ? dims3 : dims2, nullptr);
    const hid_t data = H5Dcreate2(
      group, "data", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(data, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, grey.data());
    if (element_size)
      {
        const double  zyx[3] = {2., 1.5, 1.};
        const hsize_t three  = 3;
        const hid_t   aspace = H5Screate_simple(1, &three, nullptr);
        const hid_t   a      = H5Acreate2(data,
                                   "element_size_um",
                                   H5T_NATIVE_DOUBLE,
                                   aspace,
                                   H5P_DEFAULT,
                                   H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_DOUBLE, zyx);
        H5Aclose(a);
        H5Sclose(aspace);
      }
    H5Dclose(data);
    H5Sclose(space);
    H5Gclose(group);
    H5Fclose(h5);
  }

  std::string
  base64(const std::string &bytes)
  {
    static const char *a
      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3)
      {
        std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size())
          v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size())
          v |= std::uint8_t(bytes[i + 2]);
        out += a[(v >> 18) & 63];
        out += a[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? a[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? a[v & 63] : '=';
      }
    return out;
  }

  /// @p value as @p bytes bytes in the given byte order.
  std::string
  integer(const std::uint64_t value, const unsigned bytes, const bool big)
  {
    std::string s(bytes, '\0');
    for (unsigned i = 0; i < bytes; ++i)
      s[big ? bytes - 1 - i : i] = static_cast<char>((value >> (8 * i)) & 0xff);
    return s;
  }

  /// How a .vti test file stores its array.
  struct VtiStyle
  {
    std::string format      = "appended"; // ascii | binary | appended
    std::string encoding    = "raw";      // appended: raw | base64
    bool        big_endian  = false;
    unsigned    header      = 4;     // UInt32 or UInt64 headers
    bool        zlib        = false; // vtkZLibDataCompressor, 3 blocks
    bool        one_stream  = false; // binary: header and data in one base64
    bool        cells       = true;  // CellData (else PointData)
    std::string type        = "UInt8";
    unsigned    value_bytes = 1;
  };

  /// Header (+ blocks) and data of a binary array as VTK writes them.
  std::pair<std::string, std::string>
  vti_block(const std::string &data, const VtiStyle &s)
  {
    if (!s.zlib)
      return {integer(data.size(), s.header, s.big_endian), data};
    const std::size_t block = (data.size() + 2) / 3;
    std::string       header
      = integer(3, s.header, s.big_endian)
        + integer(block, s.header, s.big_endian)
        + integer(data.size() - 2 * block, s.header, s.big_endian);
    std::string compressed;
    for (unsigned b = 0; b < 3; ++b)
      {
        const std::string part = data.substr(b * block, block);
        uLongf            size = compressBound(part.size());
        std::string       out(size, '\0');
        compress(reinterpret_cast<Bytef *>(out.data()),
                 &size,
                 reinterpret_cast<const Bytef *>(part.data()),
                 part.size());
        header += integer(size, s.header, s.big_endian);
        compressed += out.substr(0, size);
      }
    return {header, compressed};
  }

  void
  write_vti(const std::filesystem::path      &file,
            const std::array<unsigned, 3>    &n,
            const std::vector<std::uint32_t> &grey,
            const VtiStyle                   &s)
  {
    std::string data;
    for (const std::uint32_t g : grey)
      if (s.type == "Float32")
        {
          const float   f = float(g);
          std::uint32_t bits;
          std::memcpy(&bits, &f, 4);
          data += integer(bits, 4, s.big_endian);
        }
      else
        data += integer(g, s.value_bytes, s.big_endian);
    const unsigned     add = s.cells ? 1 : 0;
    std::ostringstream out;
    out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" "
        << "version=\"1.0\" byte_order=\""
        << (s.big_endian ? "BigEndian" : "LittleEndian") << "\" header_type=\""
        << (s.header == 8 ? "UInt64" : "UInt32") << "\""
        << (s.zlib ? " compressor=\"vtkZLibDataCompressor\"" : "") << ">\n"
        << "  <ImageData WholeExtent=\"0 " << n[0] - 1 + add << " 0 "
        << n[1] - 1 + add << " 0 " << (n[2] == 1 ? 0 : n[2] - 1 + add)
        << "\" Origin=\"0 0 0\" Spacing=\"0.5 0.25 2\">\n"
        << "    <Piece Extent=\"0 " << n[0] - 1 + add << " 0 " << n[1] - 1 + add
        << " 0 " << (n[2] == 1 ? 0 : n[2] - 1 + add) << "\">\n"
        << (s.cells ? "      <PointData>\n      </PointData>\n      <CellData "
                      "Scalars=\"phase\">\n"
                    : "      <PointData Scalars=\"phase\">\n")
        << "        <DataArray type=\"" << s.type
        << "\" Name=\"phase\" format=\"" << s.format << "\""
        << (s.format == "appended" ? " offset=\"0\"" : "") << ">\n";
    const auto [header, body] = vti_block(data, s);
    if (s.format == "ascii")
      for (const std::uint32_t g : grey)
        out << g << (s.type == "Float32" ? ".0 " : " ");
    else if (s.format == "binary")
      out << (s.one_stream ? base64(header + body)
                           : base64(header) + base64(body));
    out << "\n        </DataArray>\n"
        << (s.cells ? "      </CellData>\n" : "      </PointData>\n")
        << "    </Piece>\n  </ImageData>\n";
    if (s.format == "appended")
      out << "  <AppendedData encoding=\"" << s.encoding << "\">\n   _"
          << (s.encoding == "raw" ? header + body
                                  : base64(header) + base64(body))
          << "\n  </AppendedData>\n";
    out << "</VTKFile>\n";
    std::ofstream(file, std::ios::binary) << out.str();
  }

  /// The InputError's text of @p read, or "" if it did not throw one.
  template <typename Read>
  std::string
  refusal(Read read)
  {
    try
      {
        read();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(PhaseMap, ValuesAndRanges)
{
  const PhaseMap map("0:0, 100-199:2, 255:1, 60000-65535:3", "f.prm", "Map");
  EXPECT_EQ(map(0), 0);
  EXPECT_EQ(map(100), 2);
  EXPECT_EQ(map(150), 2);
  EXPECT_EQ(map(199), 2);
  EXPECT_EQ(map(255), 1);
  EXPECT_EQ(map(65535), 3);
  EXPECT_EQ(map(1), -1);
  EXPECT_EQ(map(200), -1);
  EXPECT_EQ(map.to_string(), "0:0, 100-199:2, 255:1, 60000-65535:3");
  const PhaseMap identity;
  EXPECT_EQ(identity(255), 255);
  EXPECT_EQ(identity(256), -1);
  EXPECT_EQ(PhaseMap("", "f.prm", "Map").is_identity(), true);
}

TEST(PhaseMap, BadEntriesNameTheEntry)
{
  for (const std::string bad : {"0-",
                                "a:1",
                                "5",
                                "3-1:0",
                                "0:256",
                                "0:0,",
                                "0-10:0, 10:1",
                                "99999999999:0",
                                "1:-1"})
    {
      const std::string e
        = refusal([&] { PhaseMap(bad, "f.prm", "Microstructure/Phase map"); });
      EXPECT_NE(e.find("f.prm"), std::string::npos) << bad << ": " << e;
      EXPECT_NE(e.find("Microstructure/Phase map"), std::string::npos) << e;
    }
}

TEST(TiffImage, MultiPageAndSlicesIn8And16BitStripsAndTiles)
{
  const auto                    dir = scratch("tiff");
  const std::array<unsigned, 3> n{{37, 20, 5}}; // odd, not a tile multiple
  const auto                    ids = labels(n);
  ImageOptions                  grey16;
  grey16.phase_map = PhaseMap("0:0, 1000:1, 2000:2, 3000:3", "f", "m");
  for (const bool tiled : {false, true})
    {
      write_tiff(dir / "stack8.tif", n, ids, 8, tiled);
      expect_field(read_tiff(dir / "stack8.tif", 3), n, ids);
      write_tiff(dir / "stack16.tiff", n, labels(n, 1000), 16, tiled);
      expect_field(read_tiff(dir / "stack16.tiff", 3, grey16), n, ids);
    }
  // A folder of slices in name order; other files are ignored.
  std::filesystem::create_directories(dir / "slices");
  for (unsigned z = 0; z < n[2]; ++z)
    write_tiff(dir / "slices" / ("slice_00" + std::to_string(z) + ".TIF"),
               n,
               ids,
               8,
               false,
               z,
               1);
  std::ofstream(dir / "slices" / "notes.txt") << "not an image";
  const Microstructure m = read_tiff(dir / "slices", 3);
  expect_field(m, n, ids);
  // 0.5 um per pixel from the resolution in cm; z spacing = x spacing.
  EXPECT_NEAR(m.size()[0], 37 * 0.5e-6, 1e-18);
  EXPECT_NEAR(m.size()[1], 20 * 0.5e-6, 1e-18);
  EXPECT_NEAR(m.size()[2], 5 * 0.5e-6, 1e-18);
  // A given size wins.
  ImageOptions sized;
  sized.size = std::array<double, 3>{{1., 2., 3.}};
  EXPECT_EQ(read_tiff(dir / "stack8.tif", 3, sized).size()[1], 2.);
  // 2D: one page.
  const std::array<unsigned, 3> n2{{9, 7, 1}};
  write_tiff(dir / "plane.tif", n2, labels(n2), 8);
  expect_field(read_tiff(dir / "plane.tif", 2), n2, labels(n2));
}

TEST(TiffImage, ImageJSpacing)
{
  const auto                    dir = scratch("tiff_imagej");
  const std::array<unsigned, 3> n{{4, 3, 2}};
  TIFF *tif = TIFFOpen((dir / "imagej.tif").c_str(), "w");
  for (unsigned z = 0; z < 2; ++z)
    {
      TIFFSetField(
        tif,
        TIFFTAG_IMAGEDESCRIPTION,
        "ImageJ=1.53t\nimages=2\nslices=2\nunit=micron\nspacing=3.5\n");
      write_tiff_pages(tif, n, labels(n), 8, false, z, 1);
    }
  TIFFClose(tif);
  // XResolution 2e4 per micron (ImageJ: per unit) -> 5e-5 um = 5e-11 m.
  const Microstructure m = read_tiff(dir / "imagej.tif", 3);
  EXPECT_NEAR(m.size()[0] / 4, 1e-6 / 2e4, 1e-22);
  EXPECT_NEAR(m.size()[2] / 2, 3.5e-6, 1e-18);
}

TEST(TiffImage, BrokenFilesAreRefusedByName)
{
  const auto                    dir = scratch("tiff_bad");
  const std::array<unsigned, 3> n{{8, 8, 3}};
  write_tiff(dir / "good.tif", n, labels(n), 8);
  // Truncated: the strips are cut off.
  {
    std::ifstream     in(dir / "good.tif", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(dir / "cut.tif", std::ios::binary) << all.substr(0, 100);
  }
  // Unknown grey value without a map.
  write_tiff(dir / "grey.tif", n, labels(n, 1000), 16);
  // Pages of different sizes.
  TIFF *tif = TIFFOpen((dir / "sizes.tif").c_str(), "w");
  write_tiff_pages(tif, n, labels(n), 8, false, 0, 1);
  const std::array<unsigned, 3> other{{8, 4, 3}};
  write_tiff_pages(tif, other, labels(other), 8, false, 1, 1);
  TIFFClose(tif);
  std::ofstream(dir / "text.tif") << "hello";
  std::filesystem::create_directories(dir / "empty");

  const std::vector<std::pair<std::string, std::string>> cases{
    {"cut.tif", "TIFF"},
    {"grey.tif", "is not a phase id (0-255)"},
    {"sizes.tif", "the first is 8 x 8"},
    {"text.tif", "not a readable TIFF"},
    {"missing.tif", "cannot open"},
    {"empty", "no .tif or .tiff"}};
  for (const auto &[file, words] : cases)
    {
      const std::string e = refusal([&] { read_tiff(dir / file, 3); });
      EXPECT_NE(e.find(file), std::string::npos) << e;
      EXPECT_NE(e.find(words), std::string::npos) << file << ": " << e;
    }
  EXPECT_NE(refusal([&] { read_tiff(dir / "good.tif", 2); }).find("one slice"),
            std::string::npos);
}

TEST(Hdf5Image, IntegerTypesRanksAndElementSize)
{
  const auto                    dir = scratch("hdf5");
  const std::array<unsigned, 3> n{{13, 7, 5}};
  const auto                    ids = labels(n);
  for (const hid_t type : {H5T_STD_U8LE, H5T_STD_U16BE, H5T_STD_I32LE})
    {
      write_hdf5(dir / "image.h5", n, ids, type, 3, true);
      const Microstructure m = read_hdf5(dir / "image.h5", "/exchange/data", 3);
      expect_field(m, n, ids);
      EXPECT_NEAR(m.size()[0], 13 * 1.0e-6, 1e-18);
      EXPECT_NEAR(m.size()[1], 7 * 1.5e-6, 1e-18);
      EXPECT_NEAR(m.size()[2], 5 * 2.0e-6, 1e-18);
    }
  const std::array<unsigned, 3> n2{{11, 6, 1}};
  write_hdf5(dir / "plane.h5", n2, labels(n2, 100), H5T_STD_U16LE, 2);
  ImageOptions o;
  o.phase_map = PhaseMap("0:0, 100:1, 200:2, 300:3", "f", "m");
  expect_field(read_hdf5(dir / "plane.h5", "exchange/data", 2, o),
               n2,
               labels(n2));
}

TEST(Hdf5Image, BrokenFilesAreRefusedByName)
{
  const auto                    dir = scratch("hdf5_bad");
  const std::array<unsigned, 3> n{{4, 4, 4}};
  write_hdf5(dir / "image.h5", n, labels(n), H5T_STD_U8LE, 3);
  std::vector<std::uint32_t> negative = labels(n);
  write_hdf5(dir / "float.h5", n, negative, H5T_IEEE_F32LE, 3);
  negative[17] = std::uint32_t(-5);
  // The bits of uint32(-5) read as int: -5.
  write_hdf5(
    dir / "negative.h5", n, negative, H5T_STD_I32LE, 3, false, H5T_NATIVE_INT);
  {
    std::ifstream     in(dir / "image.h5", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(dir / "cut.h5", std::ios::binary)
      << all.substr(0, all.size() - 40);
  }
  std::ofstream(dir / "text.h5") << "hello";
  const std::vector<std::tuple<std::string, std::string, std::string>> cases{
    {"image.h5", "/nothing", "no dataset '/nothing'"},
    {"image.h5", "/exchange", "not a dataset"},
    {"float.h5", "/exchange/data", "does not hold integers"},
    {"negative.h5", "/exchange/data", "negative label -5"},
    {"cut.h5", "/exchange/data", "HDF5"},
    {"text.h5", "/exchange/data", "not an HDF5 file"}};
  for (const auto &[file, dataset, words] : cases)
    {
      const std::string e = refusal([&] { read_hdf5(dir / file, dataset, 3); });
      EXPECT_NE(e.find(file), std::string::npos) << e;
      EXPECT_NE(e.find(words), std::string::npos) << file << ": " << e;
    }
}

TEST(VtiImage, EveryEncodingGivesTheSameField)
{
  const auto                    dir = scratch("vti");
  const std::array<unsigned, 3> n{{9, 6, 5}};
  const auto                    ids = labels(n);
  std::vector<VtiStyle>         styles;
  for (const std::string format : {"ascii", "binary", "appended"})
    for (const bool zlib : {false, true})
      for (const bool big : {false, true})
        for (const unsigned header : {4u, 8u})
          {
            if (format == "ascii" && (zlib || big || header == 8))
              continue;
            VtiStyle s;
            s.format = format, s.zlib = zlib, s.big_endian = big,
            s.header = header;
            styles.push_back(s);
            if (format == "appended")
              styles.push_back((s.encoding = "base64", s));
            if (format == "binary" && !zlib)
              styles.push_back((s.one_stream = true, s));
          }
  for (const auto &[type, bytes] :
       std::vector<std::pair<std::string, unsigned>>{
         {"Int16", 2}, {"UInt32", 4}, {"Int64", 8}, {"Float32", 4}})
    {
      VtiStyle s;
      s.type = type, s.value_bytes = bytes;
      styles.push_back(s);
    }
  VtiStyle points;
  points.cells = false;
  styles.push_back(points);
  for (const VtiStyle &s : styles)
    {
      SCOPED_TRACE(s.format + " " + s.encoding + " zlib "
                   + std::to_string(s.zlib) + " big "
                   + std::to_string(s.big_endian) + " header "
                   + std::to_string(s.header) + " " + s.type + " one stream "
                   + std::to_string(s.one_stream));
      write_vti(dir / "image.vti", n, ids, s);
      const Microstructure m = read_vti(dir / "image.vti", 3);
      expect_field(m, n, ids);
      EXPECT_NEAR(m.size()[0], 9 * 0.5, 1e-14);
      EXPECT_NEAR(m.size()[1], 6 * 0.25, 1e-14);
      EXPECT_NEAR(m.size()[2], 5 * 2., 1e-14);
    }
  const std::array<unsigned, 3> n2{{7, 4, 1}};
  write_vti(dir / "plane.vti", n2, labels(n2), VtiStyle());
  expect_field(read_vti(dir / "plane.vti", 2), n2, labels(n2));
}

TEST(VtiImage, BrokenFilesAreRefusedByName)
{
  const auto                    dir = scratch("vti_bad");
  const std::array<unsigned, 3> n{{5, 4, 3}};
  write_vti(dir / "good.vti", n, labels(n), VtiStyle());
  std::ifstream     in(dir / "good.vti", std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), {});
  const auto        edit = [&](const std::string &name,
                        const std::string &from,
                        const std::string &to) {
    std::string text = good;
    const auto  at   = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(dir / name, std::ios::binary) << text;
  };
  std::ofstream(dir / "cut.vti", std::ios::binary)
    << good.substr(0, good.find("   _") + 4 + 30);
  edit("lz4.vti",
       "header_type",
       "compressor=\"vtkLZ4DataCompressor\" header_type");
  edit("vectors.vti",
       "Name=\"phase\"",
       "Name=\"phase\" NumberOfComponents=\"3\"");
  edit("extent.vti", "WholeExtent=\"0 5", "WholeExtent=\"0 6");
  edit("type.vti", "UInt8", "String");
  edit("poly.vti", "ImageData\" version", "PolyData\" version");
  VtiStyle wide;
  wide.type = "UInt16", wide.value_bytes = 2;
  write_vti(dir / "grey.vti", n, labels(n, 1000), wide);
  VtiStyle fractional;
  fractional.format = "ascii";
  write_vti(dir / "fraction.vti", n, labels(n), fractional);
  {
    std::string   text;
    std::ifstream f(dir / "fraction.vti");
    text.assign((std::istreambuf_iterator<char>(f)), {});
    const auto data = text.find("format=\"ascii\">");
    text.replace(text.find("0 ", data), 2, "0.5 ");
    std::ofstream(dir / "fraction.vti") << text;
  }
  const std::vector<std::pair<std::string, std::string>> cases{
    {"cut.vti", "truncated"},
    {"lz4.vti", "vtkLZ4DataCompressor"},
    {"vectors.vti", "3 components"},
    {"extent.vti", "bytes"},
    {"type.vti", "type 'String'"},
    {"poly.vti", "not a VTK XML ImageData"},
    {"grey.vti", "is not a phase id (0-255)"},
    {"fraction.vti", "not a grey value"},
    {"missing.vti", "cannot open"}};
  for (const auto &[file, words] : cases)
    {
      const std::string e = refusal([&] { read_vti(dir / file, 3); });
      EXPECT_NE(e.find(file), std::string::npos) << e;
      EXPECT_NE(e.find(words), std::string::npos) << file << ": " << e;
    }
}

TEST(ImageGenerators, ThroughTheParameterFile)
{
  const auto                    dir = scratch("generators");
  const std::array<unsigned, 3> n{{6, 5, 4}};
  write_tiff(dir / "stack.tif", n, labels(n, 80), 8);
  MicrostructureParameters p;
  p.generator = "tiff file";
  p.file      = (dir / "stack.tif").string();
  p.phase_map = "0:0, 80:1, 160:2, 240:3";
  expect_field(p.build(3, "rve.prm"), n, labels(n));

  write_hdf5(dir / "image.h5", n, labels(n), H5T_STD_U8LE, 3);
  p.generator = "hdf5 file";
  p.file      = (dir / "image.h5").string();
  p.phase_map = "";
  EXPECT_NE(refusal([&] {
              p.build(3, "rve.prm");
            }).find("Microstructure/Dataset"),
            std::string::npos);
  p.dataset = "/exchange/data";
  expect_field(p.build(3, "rve.prm"), n, labels(n));

  p.generator = "vti file";
  p.file      = (dir / "image.vti").string();
  write_vti(p.file, n, labels(n), VtiStyle());
  p.physical_size        = {2e-5};
  const Microstructure m = p.build(3, "rve.prm");
  expect_field(m, n, labels(n));
  EXPECT_EQ(m.size()[2], 2e-5);

  p.phase_map         = "0:0, 1-2:";
  const std::string e = refusal([&] { p.build(3, "rve.prm"); });
  EXPECT_NE(e.find("rve.prm"), std::string::npos) << e;
  EXPECT_NE(e.find("Microstructure/Phase map"), std::string::npos) << e;
}

TEST(SampleImages, TiffHdf5AndVtiDescribeTheRawElectrode)
{
  // inputs/microstructures/electrode_20x16x12.{tif,h5,vti}, converted from
  // the .raw: 16-bit grey 0/32768/65535 with an ImageJ spacing of 1 um,
  // uint8 /exchange/data with element_size_um, zlib-compressed cell data.
  const std::array<unsigned, 3> n{{20, 16, 12}};
  const auto                    sample = [](const std::string &extension) {
    return test_support::source_path(
      "inputs/microstructures/electrode_20x16x12." + extension);
  };
  std::ifstream              in(sample("raw"), std::ios::binary);
  const std::vector<PhaseId> raw((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(raw.size(), 3840u);
  ImageOptions grey;
  grey.phase_map = PhaseMap("0:0, 32768:1, 65535:2", "test", "Phase map");
  for (const Microstructure &m : {read_tiff(sample("tif"), 3, grey),
                                  read_hdf5(sample("h5"), "/exchange/data", 3),
                                  read_vti(sample("vti"), 3)})
    {
      EXPECT_EQ(m.n_voxels(), n);
      EXPECT_EQ(m.data(), raw);
      for (unsigned d = 0; d < 3; ++d)
        EXPECT_NEAR(m.size()[d], n[d] * 1e-6, 1e-18);
    }
}
