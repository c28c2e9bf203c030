#include <deal.II/base/parameter_handler.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/parameter_app.h>

#include <gtest/gtest.h>

#include <fstream>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  void
  declare(dealii::ParameterHandler &prm, double &width, std::string &name)
  {
    prm.enter_subsection("Geometry");
    prm.add_parameter("Width", width, "", dealii::Patterns::Double(0));
    prm.leave_subsection();
    prm.add_parameter("Name", name);
  }
} // namespace

TEST(CommandLine, ParsesFileOverridesAndHelp)
{
  const auto cl = io::parse_command_line(
    {"a.prm", "--set", "Geometry/Width=2.5", "--set", "Name=x=y"});
  EXPECT_EQ(cl.parameter_file, "a.prm");
  ASSERT_EQ(cl.overrides.size(), 2u);
  EXPECT_EQ(cl.overrides[0].first, "Geometry/Width");
  EXPECT_EQ(cl.overrides[1].second, "x=y");
  EXPECT_FALSE(cl.help);
  EXPECT_TRUE(io::parse_command_line({"--help"}).help);
}

TEST(CommandLine, RejectsBadArguments)
{
  EXPECT_THROW(io::parse_command_line({}), InputError);
  EXPECT_THROW(io::parse_command_line({"a.prm", "b.prm"}), InputError);
  EXPECT_THROW(io::parse_command_line({"a.prm", "--frobnicate"}), InputError);
  EXPECT_THROW(io::parse_command_line({"a.prm", "--set"}), InputError);
  EXPECT_THROW(io::parse_command_line({"a.prm", "--set", "novalue"}),
               InputError);
}

TEST(CommandLine, ReadsFileThenAppliesOverrides)
{
  const auto dir  = test_support::scratch_directory("command_line");
  const auto file = dir / "in.prm";
  std::ofstream(file) << "subsection Geometry\n set Width = 1.5\nend\n";

  double                   width = 0;
  std::string              name  = "default";
  dealii::ParameterHandler prm;
  declare(prm, width, name);
  io::read_parameters(prm, io::parse_command_line({file.string()}));
  EXPECT_EQ(width, 1.5);
  EXPECT_EQ(name, "default");

  io::read_parameters(
    prm, io::parse_command_line({file.string(), "--set", "Geometry/Width=3"}));
  EXPECT_EQ(width, 3.0);
}

TEST(CommandLine, BadValuesNameFileAndEntry)
{
  const auto dir  = test_support::scratch_directory("command_line_bad");
  const auto file = dir / "in.prm";
  std::ofstream(file) << "subsection Geometry\n set Width = -1\nend\n";

  double                   width = 0;
  std::string              name;
  dealii::ParameterHandler prm;
  declare(prm, width, name);
  try
    {
      io::read_parameters(prm, io::parse_command_line({file.string()}));
      FAIL() << "expected InputError";
    }
  catch (const InputError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("in.prm"), std::string::npos) << message;
      EXPECT_NE(message.find("Width"), std::string::npos) << message;
    }

  std::ofstream(file) << "set Name = a\n";
  EXPECT_THROW(
    io::read_parameters(prm,
                        io::parse_command_line(
                          {file.string(), "--set", "Geometry/Width=-2"})),
    InputError);
  EXPECT_THROW(io::read_parameters(prm,
                                   io::parse_command_line(
                                     {file.string(), "--set", "Nope/X=1"})),
               InputError);
  EXPECT_THROW(io::read_parameters(prm, io::parse_command_line({"none.prm"})),
               InputError);
}

namespace
{
  /// The message of the InputError that reading @p file throws, or "".
  std::string
  read_error(const std::filesystem::path &file)
  {
    double                   width = 0;
    std::string              name;
    dealii::ParameterHandler prm;
    declare(prm, width, name);
    try
      {
        io::read_parameters(prm, io::parse_command_line({file.string()}));
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

// ParameterHandler follows include lines without a limit: a file that
// includes itself crashed the app with a stack overflow.
TEST(CommandLine, IncludeCyclesAndDeepChainsAreInputErrors)
{
  const auto dir  = test_support::scratch_directory("command_line_include");
  const auto self = dir / "self.prm";
  std::ofstream(self) << "set Name = a\n# a comment\ninclude " << self.string()
                      << "\n";
  std::string message = read_error(self);
  EXPECT_NE(message.find("self.prm: 'line 3: include "), std::string::npos)
    << message;
  EXPECT_NE(message.find("cycle"), std::string::npos) << message;

  // a -> b -> a, through a relative path with "..".
  const auto a = dir / "a.prm", b = dir / "sub" / "b.prm";
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(a) << "include " << b.string() << "\n";
  std::ofstream(b) << "set Name = b\ninclude "
                   << (dir / "sub" / ".." / "a.prm").string() << "\n";
  message = read_error(a);
  EXPECT_NE(message.find("b.prm: 'line 2: include"), std::string::npos)
    << message;
  EXPECT_NE(message.find("cycle"), std::string::npos) << message;

  // A chain of 20 distinct files: deeper than allowed, no cycle.
  for (int i = 0; i < 20; ++i)
    {
      std::ofstream chain(dir / ("chain" + std::to_string(i) + ".prm"));
      chain << "set Name = c\n";
      if (i + 1 < 20)
        chain << "include "
              << (dir / ("chain" + std::to_string(i + 1) + ".prm")).string()
              << '\n';
    }
  message = read_error(dir / "chain0.prm");
  EXPECT_NE(message.find("deeper than 16"), std::string::npos) << message;

  // A chain within the limit is read, and an include of nothing that exists
  // names the line.
  std::ofstream(dir / "short.prm")
    << "include " << (dir / "chain15.prm").string() << "\n";
  EXPECT_EQ(read_error(dir / "short.prm"), "");
  std::ofstream(dir / "missing.prm") << "\n\ninclude nowhere.prm\n";
  message = read_error(dir / "missing.prm");
  EXPECT_NE(message.find("missing.prm: 'line 3: include nowhere.prm'"),
            std::string::npos)
    << message;
}
