// Bad input to the readers: each is refused with the file, the line and the
// entry; and the formats that must be read are read (extended XYZ, LAMMPS
// fix ave/time tables and thermo logs with columns chosen by name).

#include <scalebridge/atomistic/column_table.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/atomistic/trajectory_reader.h>

#include <gtest/gtest.h>

#include <fstream>

#include "atomistic_test_support.h"
#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;
using test_support::expect_input_error;
using test_support::read_lines;
using test_support::write_lines;

namespace
{
  /// A small dump: 4 atoms (2 of type 2), 5 frames; lines per frame = 13.
  std::vector<std::string>
  small_dump(const std::filesystem::path &dir)
  {
    RandomWalkSpec spec;
    spec.n_walkers = 2;
    spec.n_hosts   = 2;
    spec.n_frames  = 5;
    write_random_walk_dump(dir / "small.dump", spec, false);
    return read_lines((dir / "small.dump").string());
  }
} // namespace

TEST(TrajectoryReader, RefusesBadDumps)
{
  const auto dir   = test_support::scratch_directory("atomistic_bad_dumps");
  const auto lines = small_dump(dir);
  ASSERT_EQ(lines.size(), 5u * 13u);
  const auto path = (dir / "bad.dump").string();
  const auto read = [&] { read_trajectory(path, "Diffusion/Trajectory", "2"); };

  // Truncated inside the last frame (after 2 of its 4 atom lines).
  write_lines(path, {lines.begin(), lines.end() - 2});
  expect_input_error(
    read, {"bad.dump:53", "Diffusion/Trajectory", "truncated", "2 of 4"});

  // An atom line missing from frame 3 (NUMBER OF ATOMS unchanged).
  auto missing = lines;
  missing.erase(missing.begin() + 2 * 13 + 10);
  write_lines(path, missing);
  expect_input_error(read, {"bad.dump:", "missing atoms"});

  // A frame whose atom count drops, with the count adjusted.
  missing[2 * 13 + 3] = "3";
  write_lines(path, missing);
  expect_input_error(read, {"bad.dump:30", "3 atoms", "first frame had 4"});

  // Timesteps going back (frames 2 and 3 swapped).
  auto swapped = lines;
  std::swap_ranges(swapped.begin() + 13,
                   swapped.begin() + 26,
                   swapped.begin() + 26);
  write_lines(path, swapped);
  expect_input_error(read, {"bad.dump:28", "does not follow", "increase"});

  // Wrapped coordinates without image flags.
  auto no_images = lines;
  for (auto &line : no_images)
    if (line.rfind("ITEM: ATOMS", 0) == 0)
      line = "ITEM: ATOMS id type x y z";
  write_lines(path, no_images);
  expect_input_error(read, {"bad.dump:9", "'id type x y z'", "ix iy iz"});

  // A species that is not there.
  write_lines(path, lines);
  expect_input_error(
    [&] { read_trajectory(path, "Diffusion/Trajectory", "7"); },
    {"no atom of species (type) '7'"});

  // A file that does not exist.
  expect_input_error(
    [&] { read_trajectory(dir / "nothing.dump", "Diffusion/Trajectory", "2"); },
    {"nothing.dump", "does not exist"});
}

TEST(TrajectoryReader, ReadsExtendedXyz)
{
  const auto dir  = test_support::scratch_directory("atomistic_xyz");
  const auto path = (dir / "t.xyz").string();
  std::vector<std::string> lines;
  for (int f = 0; f < 3; ++f)
    {
      lines.push_back("3");
      lines.push_back("Lattice=\"10 0 0 0 10 0 0 0 10\" "
                      "Properties=species:S:1:pos:R:3:forces:R:3 Time="
                      + std::to_string(0.5 * f) + " pbc=\"T T T\"");
      lines.push_back("O 0 0 0 0 0 0");
      lines.push_back("Li " + std::to_string(1 + f) + " 2 3 0 0 0");
      lines.push_back("Li 4 5 " + std::to_string(6 - f) + " 0 0 0");
    }
  write_lines(path, lines);
  const auto t = read_trajectory(path, "T", "Li");
  EXPECT_EQ(t.format, "extxyz");
  EXPECT_EQ(t.n_frames, 3u);
  EXPECT_EQ(t.n_selected, 2u);
  EXPECT_EQ(t.positions[3 * 2 + 0], 2.0); // frame 1, first Li, x
  EXPECT_EQ(t.positions[3 * 5 + 2], 4.0); // frame 2, second Li, z

  lines.pop_back(); // last frame short by one atom
  write_lines(path, lines);
  expect_input_error([&] { read_trajectory(path, "T", "Li"); },
                     {"t.xyz:11", "truncated"});
}

TEST(ColumnTable, ChoosesColumnsByNameAndRefusesBadTables)
{
  const auto dir  = test_support::scratch_directory("atomistic_tables");
  const auto path = (dir / "log.lammps").string();
  // A thermo log: text, header (LAMMPS capitalises Lx ...), rows, footer,
  // and a second run with another header.
  std::vector<std::string> log
    = {"LAMMPS (2 Aug 2023)",
       "   Step          Temp           Yz             Lx    Xy   Lz  Ly  Xz",
       "0 300 0.1 20 0.2 22 21 0.3",
       "10 301 0.11 20.1 0.21 22.1 21.1 0.31",
       "20 302 0.12 20.2 0.22 22.2 21.2 0.32",
       "Loop time of 1.0 on 1 procs",
       "Step Temp",
       "30 303"};
  write_lines(path, log);
  const auto t
    = read_columns(path, "E/Columns", {"lx", "ly", "lz", "xy", "xz", "yz"});
  ASSERT_EQ(t.n_rows(), 3u);
  EXPECT_EQ(t.columns[0][1], 20.1); // lx
  EXPECT_EQ(t.columns[1][2], 21.2); // ly
  EXPECT_EQ(t.columns[3][0], 0.2);  // xy
  EXPECT_EQ(t.columns[4][0], 0.3);  // xz
  EXPECT_EQ(t.columns[5][2], 0.12); // yz
  EXPECT_EQ(t.step_column, "Step");

  expect_input_error(
    [&] { read_columns(path, "Green-Kubo/Columns", {"c_flux[1]"}); },
    {"log.lammps", "Green-Kubo/Columns", "c_flux[1]", "Lx", "tables found"});

  auto truncated = log;
  truncated[4]   = "20 302 0.12 20.2";
  write_lines(path, truncated);
  expect_input_error([&] { read_columns(path, "C", {"Lx"}); },
                     {"log.lammps:5", "4 fields", "header at line 2"});

  auto backwards = log;
  backwards[4]   = "5 302 0.12 20.2 0.22 22.2 21.2 0.32";
  write_lines(path, backwards);
  expect_input_error([&] { read_columns(path, "C", {"Lx"}); },
                     {"log.lammps:5", "does not follow"});

  // fix ave/time output, '#' before the header.
  write_lines(path,
              {"# Time-averaged data for fix JJ",
               "# TimeStep c_flux[1] c_flux[2] c_flux[3]",
               "0 1 2 3",
               "10 4 5 6"});
  const auto f
    = read_columns(path, "C", {"c_flux[3]", "c_flux[1]", "c_flux[2]"});
  EXPECT_EQ(f.columns[0][1], 6.0);
  EXPECT_EQ(f.columns[1][0], 1.0);
}
