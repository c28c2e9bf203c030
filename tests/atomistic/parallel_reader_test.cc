// The parallel chunked dump reader against the sequential reader it
// replaced: the same doubles bit for bit, the same errors with the same line
// numbers, whatever the number of threads and wherever the chunks are cut
// (chunks of a few bytes cut every line, and every number, somewhere); and
// its fast number parser against std::from_chars.

#include <scalebridge/atomistic/decimal_parser.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/atomistic/trajectory_reader.h>
#include <scalebridge/base/input_error.h>

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "atomistic_test_support.h"
#include "sequential_trajectory_reader.h"
#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;
using test_support::read_lines;
using test_support::read_trajectory_sequentially;
using test_support::write_lines;

namespace
{
  std::uint64_t
  bits(const double x)
  {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  }

  /// parse_decimal and parse_double accept the same text and give the same
  /// bits.
  void
  expect_same_parse(const std::string &text)
  {
    double     fast = 0, reference = 0;
    const bool ok_fast      = parse_decimal(text, fast);
    const bool ok_reference = parse_double(text, reference);
    ASSERT_EQ(ok_fast, ok_reference) << "'" << text << "'";
    if (ok_reference)
      {
        ASSERT_EQ(bits(fast), bits(reference)) << "'" << text << "'";
      }
  }

  /// The outcome of a read: the data or the error message.
  struct Outcome
  {
    bool           failed = false;
    std::string    message;
    TrajectoryData data;
  };

  template <class Read>
  Outcome
  outcome_of(const Read &read)
  {
    Outcome o;
    try
      {
        o.data = read();
      }
    catch (const InputError &e)
      {
        o.failed  = true;
        o.message = e.what();
      }
    return o;
  }

  template <class T>
  bool
  same_bits(const std::vector<T> &a, const std::vector<T> &b)
  {
    return a.size() == b.size()
           && (a.empty()
               || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
  }

  /// The parallel reader with @p threads and @p chunk_bytes gives what the
  /// sequential reader gives.
  void
  expect_same_as_sequential(const std::filesystem::path &path,
                            const std::string           &species,
                            const unsigned int           threads,
                            const std::size_t            chunk_bytes)
  {
    SCOPED_TRACE(path.filename().string() + ", " + std::to_string(threads)
                 + " threads, chunks of " + std::to_string(chunk_bytes)
                 + " bytes");
    const Outcome reference = outcome_of(
      [&] { return read_trajectory_sequentially(path, "T", species); });
    ChunkOptions options;
    options.threads      = threads;
    options.chunk_bytes  = chunk_bytes;
    const Outcome actual = outcome_of(
      [&] { return read_trajectory(path, "T", species, options); });
    ASSERT_EQ(actual.failed, reference.failed) << actual.message;
    ASSERT_EQ(actual.message, reference.message);
    if (reference.failed)
      return;
    const TrajectoryData &a = actual.data, &r = reference.data;
    EXPECT_EQ(a.format, r.format);
    EXPECT_EQ(a.coordinates, r.coordinates);
    EXPECT_EQ(a.triclinic, r.triclinic);
    EXPECT_EQ(a.n_atoms, r.n_atoms);
    EXPECT_EQ(a.n_selected, r.n_selected);
    EXPECT_EQ(a.n_frames, r.n_frames);
    EXPECT_EQ(a.bytes, r.bytes);
    EXPECT_EQ(a.ids, r.ids);
    EXPECT_TRUE(same_bits(a.positions, r.positions));
    EXPECT_TRUE(same_bits(a.centre, r.centre));
    EXPECT_TRUE(same_bits(a.timesteps, r.timesteps));
  }

  /// Small chunks (every cut position within a line of ~40 bytes), a few
  /// odd sizes, and the default.
  const std::vector<std::size_t> chunk_sizes
    = {1, 2, 3, 5, 7, 11, 17, 29, 41, 64, 257, 4093, std::size_t(4) << 20};

  void
  expect_same_for_all_chunkings(const std::filesystem::path &path,
                                const std::string           &species)
  {
    for (const unsigned int threads : {1u, 2u, 3u})
      for (const std::size_t bytes : chunk_sizes)
        expect_same_as_sequential(path, species, threads, bytes);
  }
} // namespace

TEST(DecimalParser, SameBitsAsFromChars)
{
  // Hand-picked edges: signs, missing digits, exponents at the limits of
  // the fast path (|e| = 22, m = 2^53 and 2^53 + 1), long mantissas, texts
  // from_chars refuses or reads differently.
  for (const char *text : {"0",
                           "-0",
                           "-0.0",
                           "+1.5",
                           "+-1",
                           "-+1",
                           "1.",
                           ".5",
                           "-.5",
                           ".",
                           "-",
                           "",
                           "e5",
                           "1e",
                           "1e+",
                           "1e-",
                           "1E5",
                           "1e22",
                           "1e23",
                           "1e-22",
                           "1e-23",
                           "1.5e-22",
                           "9007199254740992",
                           "9007199254740993",
                           "9007199254740993e-5",
                           "1234567890123456789",
                           "12345678901234567890",
                           "0.00000000000000000001",
                           "00000000000000000001.5",
                           "1e0001",
                           "1e00001",
                           "1e400",
                           "1e-400",
                           "4.9406564584124654e-324",
                           "inf",
                           "nan",
                           "0x1p3",
                           "1,5",
                           "1.5 ",
                           " 1.5",
                           "1.5x",
                           "3.14159265358979323846",
                           "-12.34567"})
    expect_same_parse(text);

  // Random doubles printed as dumps print them (%.Ng, N = 1..17, and
  // fixed %.Nf), and random digit strings with random exponents.
  std::mt19937_64                        rng(12);
  std::uniform_real_distribution<double> uniform(-1000, 1000);
  std::uniform_int_distribution<int>     digits(1, 17), decimals(0, 12),
    exponent(-40, 40), length(1, 21);
  char buffer[64];
  for (int i = 0; i < 400000; ++i)
    {
      const double x = uniform(rng) * std::pow(10.0, exponent(rng) / 4);
      std::snprintf(buffer, sizeof buffer, "%.*g", digits(rng), x);
      expect_same_parse(buffer);
      std::snprintf(buffer, sizeof buffer, "%.*f", decimals(rng), x);
      expect_same_parse(buffer);
      std::string text;
      const int   n = length(rng);
      for (int k = 0; k < n; ++k)
        text += char('0' + rng() % 10);
      if (rng() % 2)
        text.insert(rng() % (text.size() + 1), ".");
      if (rng() % 2)
        text += "e" + std::to_string(exponent(rng));
      if (rng() % 2)
        text.insert(0, "-");
      expect_same_parse(text);
    }
}

TEST(ParallelReader, SameResultsAsSequentialReader)
{
  const auto dir = test_support::scratch_directory("atomistic_parallel");
  // The shipped example (unwrapped, all species).
  const std::filesystem::path example
    = std::filesystem::path(SCALEBRIDGE_SOURCE_DIR) / "inputs" / "atomistic"
      / "li_walk.dump";
  for (const unsigned int threads : {1u, 2u, 3u})
    for (const std::size_t bytes : {std::size_t(1),
                                    std::size_t(13),
                                    std::size_t(4096),
                                    std::size_t(4) << 20})
      {
        expect_same_as_sequential(example, "2", threads, bytes);
        expect_same_as_sequential(example, "all", threads, bytes);
      }

  // Wrapped, triclinic, with image flags; and unwrapped with many digits.
  RandomWalkSpec spec;
  spec.n_walkers = 5;
  spec.n_hosts   = 4;
  spec.n_frames  = 40;
  spec.tilt_xy   = 3.0;
  spec.seed      = 5;
  write_random_walk_dump(dir / "images.dump", spec, true, 6);
  write_random_walk_dump(dir / "unwrapped.dump", spec, false, 17);
  expect_same_for_all_chunkings(dir / "images.dump", "2");
  expect_same_for_all_chunkings(dir / "unwrapped.dump", "2");
  expect_same_for_all_chunkings(dir / "unwrapped.dump", "all");

  // Columns that change between frames (reordered, extra column), CRLF
  // line ends, blank lines between frames, UNITS/TIME items and no line
  // end after the last line.
  const auto lines = read_lines((dir / "unwrapped.dump").string());
  std::vector<std::string> changed;
  for (std::size_t i = 0; i < lines.size(); ++i)
    {
      const bool second_half = i >= lines.size() / 2;
      if (lines[i] == "ITEM: TIMESTEP" && i % 3 == 0)
        {
          changed.push_back("");
          changed.push_back("ITEM: UNITS");
          changed.push_back("metal");
          changed.push_back("ITEM: TIME");
          changed.push_back("0.5");
        }
      if (second_half && lines[i].rfind("ITEM: ATOMS", 0) == 0)
        changed.push_back("ITEM: ATOMS xu type q zu id yu");
      else if (second_half && lines[i].rfind("ITEM:", 0) != 0
               && std::count(lines[i].begin(), lines[i].end(), ' ') == 4)
        {
          // id type xu yu zu -> xu type q zu id yu
          std::istringstream in(lines[i]);
          std::string        id, type, x, y, z;
          in >> id >> type >> x >> y >> z;
          changed.push_back(x + " " + type + " -1.5 " + z + "\t" + id + "  " + y
                            + "\r");
        }
      else
        changed.push_back(lines[i]);
    }
  {
    std::ofstream out(dir / "changed.dump", std::ios::binary);
    for (std::size_t i = 0; i < changed.size(); ++i)
      out << changed[i] << (i + 1 < changed.size() ? "\n" : "");
  }
  expect_same_for_all_chunkings(dir / "changed.dump", "2");
  expect_same_for_all_chunkings(dir / "changed.dump", "all");
}

TEST(ParallelReader, SameErrorsAndLineNumbersAsSequentialReader)
{
  const auto dir = test_support::scratch_directory("atomistic_parallel_bad");
  RandomWalkSpec spec;
  spec.n_walkers = 2;
  spec.n_hosts   = 2;
  spec.n_frames  = 6;
  write_random_walk_dump(dir / "good.dump", spec, true);
  const auto lines = read_lines((dir / "good.dump").string());
  ASSERT_EQ(lines.size(), 6u * 13u);
  const auto path = dir / "bad.dump";
  // Each case is the good dump with one change; the frame with the change
  // is the fourth (lines 40 to 52), so earlier chunks are good.
  const auto check = [&](const std::vector<std::string> &bad,
                         const std::string              &what,
                         const bool                      fails = true) {
    SCOPED_TRACE(what);
    write_lines(path.string(), bad);
    expect_same_for_all_chunkings(path, "2");
    const Outcome o = outcome_of(
      [&] { return read_trajectory(path, "Diffusion/Trajectory", "2"); });
    EXPECT_EQ(o.failed, fails) << what;
  };
  auto bad = lines;
  bad.resize(lines.size() - 2);
  check(bad, "truncated inside the last frame");
  bad = lines;
  bad.resize(lines.size() - 6);
  check(bad, "truncated inside the last box");
  bad = lines;
  bad.erase(bad.begin() + 3 * 13 + 10);
  check(bad, "an atom line missing");
  bad             = lines;
  bad[3 * 13 + 3] = "3";
  bad.erase(bad.begin() + 3 * 13 + 10);
  check(bad, "atom count drops");
  bad = lines;
  std::swap_ranges(bad.begin() + 2 * 13,
                   bad.begin() + 3 * 13,
                   bad.begin() + 3 * 13);
  check(bad, "timesteps go back");
  bad = lines;
  bad[3 * 13 + 10] += " 7";
  bad[3 * 13 + 11] = "1 2 0.5 0.5";
  check(bad, "short atom line");
  bad = lines;
  bad[3 * 13 + 10].replace(bad[3 * 13 + 10].find(' ', 4), 1, " 1.2.3 ");
  check(bad, "a coordinate that is not a number");
  bad = lines;
  bad[3 * 13 + 9] += "x";
  check(bad, "an image flag that is not an integer");
  bad = lines;
  for (int k = 9; k < 13; ++k)
    if (bad[3 * 13 + k].compare(2, 1, "2") == 0)
      {
        bad[3 * 13 + k].replace(0, 1, "9");
        break;
      }
  check(bad, "an atom id that is not in the first frame");
  bad = lines;
  for (int k = 9; k < 13; ++k)
    bad[3 * 13 + k].replace(0, 1, "3");
  check(bad, "an atom id twice");
  bad             = lines;
  bad[3 * 13 + 8] = "ITEM: ATOMS id type x y z";
  check(bad, "image flags missing in one frame");
  bad             = lines;
  bad[3 * 13 + 1] = "1e3";
  check(bad, "a timestep that is not an integer");
  bad             = lines;
  bad[3 * 13 + 5] = "0 10 3";
  check(bad, "a box bound line with three numbers");
  bad = lines;
  bad.insert(bad.begin() + 3 * 13 + 10, "");
  check(bad, "a blank line among the atoms");
  bad = lines;
  // Read (as before) as the value of UNITS, not as columns: a valid dump.
  bad.insert(bad.begin() + 3 * 13, {"ITEM: UNITS", "ITEM: ATOMS id type xu"});
  check(bad, "an ATOMS line as the value of UNITS", false);
  check({}, "an empty file");
  bad = lines;
  bad.insert(bad.begin() + 3 * 13, {"ITEM: UNITS"});
  bad.resize(3 * 13 + 1);
  check(bad, "the file ends after ITEM: UNITS");
}

TEST(ParallelReader, ReadsWithAnyThreadCountAndStopsCleanlyOnErrors)
{
  // A dump larger than many chunks: an error in the middle stops the
  // workers (the destructor joins them) and reports the right line, many
  // times in a row.
  const auto dir = test_support::scratch_directory("atomistic_parallel_big");
  RandomWalkSpec spec;
  spec.n_walkers = 50;
  spec.n_hosts   = 50;
  spec.n_frames  = 400;
  write_random_walk_dump(dir / "big.dump", spec, false);
  auto              lines     = read_lines((dir / "big.dump").string());
  const std::size_t per_frame = 100 + 9;
  ASSERT_EQ(lines.size(), 400 * per_frame);
  const auto reference
    = read_trajectory_sequentially(dir / "big.dump", "T", "2");
  for (const unsigned int threads : {1u, 2u, 4u, 8u})
    for (const std::size_t bytes : {std::size_t(100), std::size_t(5000)})
      {
        ChunkOptions options{threads, bytes};
        const auto   t = read_trajectory(dir / "big.dump", "T", "2", options);
        EXPECT_TRUE(same_bits(t.positions, reference.positions));
        EXPECT_TRUE(same_bits(t.centre, reference.centre));
      }
  lines[250 * per_frame + 30] = "oops";
  write_lines((dir / "bad.dump").string(), lines);
  for (int repeat = 0; repeat < 20; ++repeat)
    {
      ChunkOptions  options{2u + repeat % 3, std::size_t(64) << (repeat % 8)};
      const Outcome o = outcome_of(
        [&] { return read_trajectory(dir / "bad.dump", "T", "2", options); });
      ASSERT_TRUE(o.failed);
      EXPECT_NE(o.message.find(
                  "bad.dump:" + std::to_string(250 * per_frame + 31) + ":"),
                std::string::npos)
        << o.message;
    }
}
