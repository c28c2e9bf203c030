// Hostile JSON input: deep nesting, duplicate keys, numbers beyond a double,
// directories and oversized files are refused with InputError naming the
// file (and the key), never a crash or a library message.

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/json_validation.h>

#include <gtest/gtest.h>

#include <fstream>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  /// The message of the InputError that @p f throws (fails if none).
  template <typename F>
  std::string
  input_error(F f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    ADD_FAILURE() << "no InputError";
    return "";
  }

  bool
  contains(const std::string &text, const std::string &part)
  {
    return text.find(part) != std::string::npos;
  }
} // namespace

TEST(JsonFile, DeepNestingIsRefusedNotACrash)
{
  const std::size_t n = 200000;
  // Inside an object, so that a reader printing the value would recurse.
  const std::string text
    = "{\"name\": " + std::string(n, '[') + std::string(n, ']') + "}";
  const std::string message
    = input_error([&] { io::parse_json(text, "deep.json"); });
  EXPECT_TRUE(contains(message, "deep.json")) << message;
  EXPECT_TRUE(contains(message, "'name'")) << message;
  EXPECT_TRUE(contains(message, "64 levels")) << message;

  std::string nested;
  for (unsigned int i = 0; i < 1000; ++i)
    nested += "{\"a\":";
  nested += "1" + std::string(1000, '}');
  EXPECT_THROW(io::parse_json(nested, "deep.json"), InputError);

  // The limit itself is allowed, one more level is not.
  const unsigned int limit = io::max_json_depth;
  EXPECT_NO_THROW(
    io::parse_json(std::string(limit, '[') + std::string(limit, ']'),
                   "ok.json"));
  EXPECT_THROW(io::parse_json(std::string(limit + 1, '[')
                                + std::string(limit + 1, ']'),
                              "deep.json"),
               InputError);
}

TEST(JsonFile, DuplicateKeysAreRefusedWithTheirPath)
{
  const std::string message = input_error([] {
    io::parse_json(R"({"elastic": {"C11": 1, "C12": 2, "C11": 3}})",
                   "card.json");
  });
  EXPECT_TRUE(contains(message, "card.json")) << message;
  EXPECT_TRUE(contains(message, "'elastic/C11'")) << message;
  EXPECT_TRUE(contains(message, "twice")) << message;
  // Duplicates at the top level and in objects inside arrays too.
  EXPECT_THROW(io::parse_json(R"({"a": 1, "a": 1})", "x"), InputError);
  EXPECT_THROW(io::parse_json(R"([{"b": 1}, {"c": 1, "c": 2}])", "x"),
               InputError);
  // The same key in sibling objects is fine.
  EXPECT_NO_THROW(io::parse_json(
    R"({"p": {"t": 1}, "k": {"t": 2}, "l": [{"t": 1}, {"t": 1}]})", "x"));
}

TEST(JsonFile, NumbersBeyondADoubleAreInputErrors)
{
  const std::string message = input_error(
    [] { io::parse_json(R"({"elastic": {"C11": 1e400}})", "card.json"); });
  EXPECT_TRUE(contains(message, "card.json")) << message;
  EXPECT_TRUE(contains(message, "range of a double")) << message;
  EXPECT_FALSE(contains(message, "json.exception")) << message;
  EXPECT_THROW(io::parse_json("[-1e99999]", "x"), InputError);
  // Syntax errors keep their byte position, without nlohmann's tag.
  const std::string syntax
    = input_error([] { io::parse_json("{\"a\": tru}", "s.json"); });
  EXPECT_TRUE(contains(syntax, "byte")) << syntax;
  EXPECT_FALSE(contains(syntax, "json.exception")) << syntax;
}

TEST(JsonFile, FilesThatAreNotJsonFilesAreNamed)
{
  const auto  dir     = test_support::scratch_directory("json_file_hostile");
  std::string message = input_error([&] { io::read_json(dir); });
  EXPECT_TRUE(contains(message, "is a directory")) << message;
  message = input_error([&] { io::read_json(dir / "missing.json"); });
  EXPECT_TRUE(contains(message, "missing.json")) << message;
  EXPECT_TRUE(contains(message, "no such file")) << message;

  // Oversized: a sparse file, so that the test writes nothing real.
  const auto big = dir / "big.json";
  std::ofstream(big) << "[]";
  std::filesystem::resize_file(big, io::max_json_file_size + 1);
  message = input_error([&] { io::read_json(big); });
  EXPECT_TRUE(contains(message, "at most")) << message;

  std::ofstream(dir / "dup.json") << R"({"name": "a", "name": "b"})";
  message = input_error([&] { io::read_json(dir / "dup.json"); });
  EXPECT_TRUE(contains(message, "dup.json")) << message;
  EXPECT_TRUE(contains(message, "'name'")) << message;

  std::ofstream(dir / "ok.json") << R"({"name": "a", "x": [1, 2.5]})";
  EXPECT_EQ(io::read_json(dir / "ok.json").at("x")[1], 2.5);
}

TEST(JsonFile, MessagesShowOnlyAnExcerptOfALongValue)
{
  const nlohmann::json       object = {{"name", std::vector<int>(10000, 1)}};
  const io::JsonObjectReader reader(object, "card.json", "");
  const std::string message = input_error([&] { reader.string("name"); });
  EXPECT_LT(message.size(), 200u) << message;
  EXPECT_TRUE(contains(message, "...")) << message;
}
