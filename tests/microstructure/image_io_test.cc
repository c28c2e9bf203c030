// Raw and legacy VTK images: round trips, hand-written ASCII and big-endian
// binary files in both the point and the cell convention, and the errors.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/connectivity.h>
#include <scalebridge/microstructure/image_io.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::microstructure;

namespace
{
  /// A field with all phase ids 0..3 in a pattern that is not symmetric in
  /// any direction, so that a wrong storage order shows.
  Microstructure
  asymmetric(unsigned                dim,
             std::array<unsigned, 3> n,
             std::array<double, 3>   size)
  {
    Microstructure m(dim, n, size);
    for (std::size_t v = 0; v < m.n_total_voxels(); ++v)
      m.data()[v] = static_cast<PhaseId>((v * v + 3 * v) % 7 % 4);
    return m;
  }

  void
  write_file(const std::filesystem::path &path, const std::string &bytes)
  {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
  }

  /// Big-endian bytes of an integer of @p n bytes.
  std::string
  big_endian(std::uint64_t value, unsigned n)
  {
    std::string s(n, '\0');
    for (unsigned b = 0; b < n; ++b)
      s[n - 1 - b] = static_cast<char>((value >> (8 * b)) & 0xff);
    return s;
  }

  std::string
  big_endian_float(float f)
  {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return big_endian(u, 4);
  }

  /// The message of the InputError thrown by @p f ("" if none).
  template <typename F>
  std::string
  error_of(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }

  bool
  contains(const std::string &text, const std::string &part)
  {
    return text.find(part) != std::string::npos;
  }

  void
  expect_same_size(const Microstructure &a, const Microstructure &b)
  {
    for (unsigned d = 0; d < a.dimension(); ++d)
      EXPECT_NEAR(a.size()[d], b.size()[d], 1e-14 * a.size()[d]);
  }
} // namespace

TEST(RawImage, RoundTrip2DAnd3D)
{
  const auto dir = test_support::scratch_directory("micro_raw_roundtrip");
  for (unsigned dim : {2u, 3u})
    {
      const Microstructure m    = asymmetric(dim, {{5, 4, 3}}, {{1., 2., 3.}});
      const auto           path = dir / ("m" + std::to_string(dim) + ".raw");
      write_raw(m, path);
      EXPECT_EQ(std::filesystem::file_size(path), m.n_total_voxels());
      EXPECT_EQ(read_raw(path, dim, {{5, 4, 3}}, {{1., 2., 3.}}), m);
    }
  // x fastest: byte 1 is voxel (1,0,0), byte 5 is voxel (0,1,0).
  const Microstructure m    = asymmetric(3, {{5, 4, 3}}, {{1., 1., 1.}});
  const auto           path = dir / "order.raw";
  std::string          bytes(60, '\0');
  bytes[1]  = 1;
  bytes[5]  = 2;
  bytes[20] = 3;
  write_file(path, bytes);
  const Microstructure r = read_raw(path, 3, {{5, 4, 3}});
  EXPECT_EQ(r.phase(1, 0, 0), 1);
  EXPECT_EQ(r.phase(0, 1, 0), 2);
  EXPECT_EQ(r.phase(0, 0, 1), 3);
}

TEST(RawImage, WrongSizeNamesFileAndByteCounts)
{
  const auto dir  = test_support::scratch_directory("micro_raw_size");
  const auto path = dir / "short.raw";
  write_file(path, std::string(59, '\1'));
  const std::string message = error_of([&] { read_raw(path, 3, {{5, 4, 3}}); });
  EXPECT_TRUE(contains(message, "short.raw")) << message;
  EXPECT_TRUE(contains(message, "59 bytes")) << message;
  EXPECT_TRUE(contains(message, "60 bytes")) << message;
  EXPECT_TRUE(contains(error_of([&] {
                         read_raw(dir / "missing.raw", 3, {{5, 4, 3}});
                       }),
                       "missing.raw"));
}

TEST(VtkImage, RoundTripBinaryAndAscii)
{
  const auto dir = test_support::scratch_directory("micro_vtk_roundtrip");
  for (unsigned dim : {2u, 3u})
    for (const VtkEncoding encoding : {VtkEncoding::binary, VtkEncoding::ascii})
      {
        const Microstructure m
          = asymmetric(dim, {{7, 5, 3}}, {{0.3, 0.7, 1.1}});
        const auto path
          = dir
            / ("m" + std::to_string(dim)
               + (encoding == VtkEncoding::ascii ? "a.vtk" : "b.vtk"));
        write_vtk(m, path, encoding);
        const Microstructure r = read_vtk(path, dim);
        EXPECT_EQ(r.n_voxels(), m.n_voxels());
        EXPECT_EQ(r.data(), m.data());
        expect_same_size(r, m);
      }
}

TEST(VtkImage, HandWrittenAsciiCellData2D)
{
  // 4 x 3 points are 3 x 2 cells of 0.5 x 0.25; lower-case keywords and
  // ORIGIN before SPACING are allowed.
  const auto dir  = test_support::scratch_directory("micro_vtk_ascii_cells");
  const auto path = dir / "cells.vtk";
  write_file(path,
             "# vtk DataFile Version 2.0\n"
             "segmented slice\n"
             "ASCII\n"
             "DATASET STRUCTURED_POINTS\n"
             "DIMENSIONS 4 3 1\n"
             "origin 10 20 0\n"
             "SPACING 0.5 0.25 1\n"
             "CELL_DATA 6\n"
             "SCALARS labels int 1\n"
             "LOOKUP_TABLE default\n"
             "0 1 2\n"
             "2 1 0\n");
  const Microstructure m = read_vtk(path, 2);
  EXPECT_EQ(m.n_voxels(), (std::array<unsigned, 3>{{3, 2, 1}}));
  EXPECT_DOUBLE_EQ(m.size()[0], 1.5);
  EXPECT_DOUBLE_EQ(m.size()[1], 0.5);
  EXPECT_EQ(m.data(), (std::vector<PhaseId>{0, 1, 2, 2, 1, 0}));
  EXPECT_EQ(m.phase(2, 0), 2);
  EXPECT_EQ(m.phase(0, 1), 2);
}

TEST(VtkImage, HandWrittenAsciiPointData3D)
{
  // Point data: every point is a voxel centre, 2 x 2 x 2 voxels of edge 2;
  // no component count after the type, float values that are integers.
  const auto dir  = test_support::scratch_directory("micro_vtk_ascii_points");
  const auto path = dir / "points.vtk";
  write_file(path,
             "# vtk DataFile Version 3.0\n"
             "tomography export\n"
             "ASCII\n"
             "DATASET STRUCTURED_POINTS\n"
             "DIMENSIONS 2 2 2\n"
             "SPACING 2 2 2\n"
             "ORIGIN 1 1 1\n"
             "POINT_DATA 8\n"
             "SCALARS ImageFile float\n"
             "LOOKUP_TABLE default\n"
             "0 1 0 1 1.0 1 1 4e0\n");
  const Microstructure m = read_vtk(path, 3);
  EXPECT_EQ(m.n_voxels(), (std::array<unsigned, 3>{{2, 2, 2}}));
  EXPECT_DOUBLE_EQ(m.size()[2], 4.);
  EXPECT_EQ(m.data(), (std::vector<PhaseId>{0, 1, 0, 1, 1, 1, 1, 4}));
}

TEST(VtkImage, HandWrittenBinaryIsBigEndian)
{
  // Values 0..5 of 3 x 2 x 1 cells in several binary types. Read as
  // little-endian, "1" in an int would be 16777216 and rejected.
  const auto dir    = test_support::scratch_directory("micro_vtk_binary");
  const auto header = [](const std::string &dataset_attributes) {
    return "# vtk DataFile Version 3.0\nbinary test\nBINARY\nDATASET STRUCTURED_POINTS\n"
           "DIMENSIONS 4 3 2\nSPACING 1 1 1\nORIGIN 0 0 0\n"
           + dataset_attributes;
  };
  const std::vector<PhaseId> expected{0, 1, 2, 3, 4, 5};
  struct Case
  {
    std::string type;
    unsigned    bytes;
  };
  for (const Case &c : {Case{"unsigned_char", 1},
                        Case{"char", 1},
                        Case{"short", 2},
                        Case{"unsigned_short", 2},
                        Case{"int", 4},
                        Case{"unsigned_int", 4},
                        Case{"vtktypeint64", 8},
                        Case{"long", 8}})
    {
      std::string data;
      for (const PhaseId v : expected)
        data += big_endian(v, c.bytes);
      const auto path = dir / (c.type + ".vtk");
      write_file(path,
                 header("CELL_DATA 6\nSCALARS phase " + c.type
                        + " 1\nLOOKUP_TABLE default\n")
                   + data + "\n");
      const Microstructure m = read_vtk(path, 3);
      EXPECT_EQ(m.n_voxels(), (std::array<unsigned, 3>{{3, 2, 1}})) << c.type;
      EXPECT_EQ(m.data(), expected) << c.type;
    }
  // float, after a binary VECTORS array and a FIELD that must be skipped.
  std::string vectors, field, data;
  for (int v = 0; v < 18; ++v)
    vectors += big_endian_float(0.5f * v);
  for (int v = 0; v < 12; ++v)
    field += big_endian(7, 2);
  for (const PhaseId v : expected)
    data += big_endian_float(float(v));
  const auto path = dir / "float.vtk";
  write_file(path,
             header("CELL_DATA 6\nVECTORS velocity float\n") + vectors
               + "\nFIELD FieldData 1\nextra 2 6 short\n" + field
               + "\nSCALARS phase float 1\nLOOKUP_TABLE default\n" + data
               + "\n");
  EXPECT_EQ(read_vtk(path, 3).data(), expected);
}

TEST(VtkImage, ErrorsNameTheProblem)
{
  const auto dir   = test_support::scratch_directory("micro_vtk_errors");
  const auto write = [&](const std::string &name, const std::string &content) {
    write_file(dir / name, content);
    return dir / name;
  };
  const std::string head
    = "# vtk DataFile Version 3.0\nx\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS 3 2 1\n";
  const auto ascii
    = [&](const std::string &type, const std::string &values, int count = 2) {
        return head + "CELL_DATA " + std::to_string(count) + "\nSCALARS p "
               + type + "\nLOOKUP_TABLE default\n" + values + "\n";
      };

  auto message
    = error_of([&] { read_vtk(write("neg.vtk", ascii("int", "0 -1")), 2); });
  EXPECT_TRUE(contains(message, "neg.vtk")) << message;
  EXPECT_TRUE(contains(message, "voxel (1,0,0) has value -1")) << message;
  message
    = error_of([&] { read_vtk(write("big.vtk", ascii("int", "256 0")), 2); });
  EXPECT_TRUE(contains(message, "value 256")) << message;
  message = error_of(
    [&] { read_vtk(write("frac.vtk", ascii("float", "0 1.5")), 2); });
  EXPECT_TRUE(contains(message, "value 1.5")) << message;
  message = error_of(
    [&] { read_vtk(write("count.vtk", ascii("int", "0 1 1", 3)), 2); });
  EXPECT_TRUE(contains(message, "CELL_DATA 3 does not match")) << message;
  message
    = error_of([&] { read_vtk(write("short.vtk", ascii("int", "0")), 2); });
  EXPECT_TRUE(contains(message, "ends after 1 of 2 values")) << message;
  message
    = error_of([&] { read_vtk(write("bits.vtk", ascii("bit", "0 1")), 2); });
  EXPECT_TRUE(contains(message, "type 'bit'")) << message;
  message = error_of([&] {
    read_vtk(
      write(
        "grid.vtk",
        "# vtk DataFile Version 3.0\nx\nASCII\nDATASET UNSTRUCTURED_GRID\n"),
      3);
  });
  EXPECT_TRUE(contains(message, "STRUCTURED_POINTS")) << message;
  message = error_of([&] { read_vtk(write("notvtk.vtk", "hello\n"), 3); });
  EXPECT_TRUE(contains(message, "vtk DataFile")) << message;

  // Binary data cut short.
  message = error_of([&] {
    read_vtk(
      write(
        "cut.vtk",
        "# vtk DataFile Version 3.0\nx\nBINARY\nDATASET STRUCTURED_POINTS\n"
        "DIMENSIONS 3 2 1\nCELL_DATA 2\nSCALARS p int 1\nLOOKUP_TABLE default\n"
          + big_endian(1, 4) + big_endian(0, 2)),
      2);
  });
  EXPECT_TRUE(contains(message, "6 of 8 bytes")) << message;

  // A 3D image is not a 2D microstructure.
  Microstructure thick(3, {{2, 2, 2}});
  write_vtk(thick, dir / "thick.vtk");
  message = error_of([&] { read_vtk(dir / "thick.vtk", 2); });
  EXPECT_TRUE(contains(message, "dimension is 2")) << message;
}

TEST(SampleImages, RawAndPointDataVtkDescribeTheSameElectrode)
{
  // inputs/microstructures/electrode_20x16x12.{raw,vtk}: 1 um voxels, the
  // .vtk in the point-data convention of image stacks.
  const std::array<unsigned, 3> n{{20, 16, 12}};
  const std::array<double, 3>   size{{20e-6, 16e-6, 12e-6}};
  const Microstructure          raw
    = read_raw(test_support::source_path(
                 "inputs/microstructures/electrode_20x16x12.raw"),
               3,
               n,
               size);
  const Microstructure vtk
    = read_vtk(test_support::source_path(
                 "inputs/microstructures/electrode_20x16x12.vtk"),
               3);
  EXPECT_EQ(vtk.n_voxels(), n);
  EXPECT_EQ(vtk.data(), raw.data());
  expect_same_size(vtk, raw);
  // Fractions stated in inputs/microstructures/README.md.
  const auto f = raw.volume_fractions();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(std::llround(f[0] * 3840), 1893);
  EXPECT_EQ(std::llround(f[1] * 3840), 384);
  EXPECT_EQ(std::llround(f[2] * 3840), 1563);
  EXPECT_TRUE(percolation(raw, {0}).wraps[0]);
}

TEST(VtkImage, HeaderWithoutFinalNewlineIsAnInputError)
{
  // Found by fuzz_voxel_image: a header whose last line has no '\n' made
  // the tokenizer read past the end (std::out_of_range, exit 1).
  const auto dir  = test_support::scratch_directory("micro_vtk_truncated");
  const auto path = dir / "truncated.vtk";
  std::ofstream(path, std::ios::binary)
    << "# vtk DataFile Version 3.0\np# vtk DataFile Vers# vtk DataFile Vion ";
  EXPECT_THROW(read_vtk(path, 3), InputError);
  std::ofstream(path, std::ios::binary) << "# vtk DataFile Version 3.0\nx";
  EXPECT_THROW(read_vtk(path, 2), InputError);
}
