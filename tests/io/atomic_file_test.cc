#include <scalebridge/base/input_error.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/json_file.h>

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "test_paths.h"

using namespace scalebridge;

TEST(AtomicFile, WritesCompleteFile)
{
  const auto dir  = test_support::scratch_directory("atomic_write");
  const auto path = dir / "sub" / "result.txt";
  io::write_atomically(path, [](std::ostream &out) { out << "hello\n"; });
  std::ifstream in(path);
  std::string   line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello");
}

TEST(AtomicFile, FailedWriterLeavesNoFileAndKeepsOldOne)
{
  const auto dir  = test_support::scratch_directory("atomic_fail");
  const auto path = dir / "result.txt";
  EXPECT_THROW(io::write_atomically(path,
                                    [](std::ostream &out) {
                                      out << "partial";
                                      throw std::runtime_error("boom");
                                    }),
               std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(path));
  // Only the target would remain; no temporaries are left behind.
  EXPECT_TRUE(std::filesystem::is_empty(dir));

  io::write_atomically(path, [](std::ostream &out) { out << "old"; });
  EXPECT_THROW(io::write_atomically(path,
                                    [](std::ostream &) {
                                      throw std::runtime_error("boom");
                                    }),
               std::runtime_error);
  std::ifstream in(path);
  std::string   content;
  in >> content;
  EXPECT_EQ(content, "old");
}

TEST(JsonFile, SyntaxErrorNamesTheFile)
{
  const auto dir  = test_support::scratch_directory("json_syntax");
  const auto path = dir / "broken.json";
  std::ofstream(path) << "{\"a\": 1,, }";
  try
    {
      io::read_json(path);
      FAIL() << "expected InputError";
    }
  catch (const InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos);
    }
}

TEST(JsonFile, RoundTrip)
{
  const auto     dir  = test_support::scratch_directory("json_roundtrip");
  const auto     path = dir / "x.json";
  nlohmann::json value{{"a", 1.5}, {"b", {1, 2, 3}}};
  io::write_json(path, value);
  EXPECT_EQ(io::read_json(path), value);
}
