#include <scalebridge/io/plot.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "test_paths.h"

using namespace scalebridge;

namespace
{
  /// Sets an environment variable for the lifetime of the object.
  class ScopedEnvironment
  {
  public:
    ScopedEnvironment(const std::string &name, const std::string &value)
      : name(name)
    {
      if (const char *old = std::getenv(name.c_str()))
        previous = old;
      ::setenv(name.c_str(), value.c_str(), 1);
    }

    ~ScopedEnvironment()
    {
      if (previous)
        ::setenv(name.c_str(), previous->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }

  private:
    std::string                name;
    std::optional<std::string> previous;
  };

  std::set<std::string>
  entries(const std::filesystem::path &dir)
  {
    std::set<std::string> names;
    for (const auto &entry : std::filesystem::directory_iterator(dir))
      names.insert(entry.path().filename().string());
    return names;
  }

  bool
  starts_with_png_signature(const std::filesystem::path &path)
  {
    const char signature[8] = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};
    char       head[8]      = {};
    std::ifstream in(path, std::ios::binary);
    return in.read(head, sizeof head)
           && std::memcmp(head, signature, sizeof head) == 0;
  }

  /// An executable shell script @p dir/gnuplot with body @p body.
  void
  fake_gnuplot(const std::filesystem::path &dir, const std::string &body)
  {
    std::filesystem::create_directories(dir);
    {
      std::ofstream out(dir / "gnuplot");
      out << "#!/bin/sh\n" << body << '\n';
    }
    std::filesystem::permissions(dir / "gnuplot",
                                 std::filesystem::perms::owner_all);
  }

  void
  write_csv(const std::filesystem::path &path)
  {
    std::ofstream out(path);
    out << "x,y\n0,1\n1,2\n2,`touch sb_plot_marker_csv`\nEOD,4\n3,4\n";
  }
} // namespace

// Hostile strings from a card or parameter file end up in titles, legends,
// labels and paths: none of them may run anything, neither through a shell
// nor through gnuplot's back-quotes, `!` or system().
TEST(Plot, HostileStringsAndPathsExecuteNothing)
{
  const auto base = test_support::scratch_directory("plot_hostile");
  const std::filesystem::path tmp = base / "tmp";
  std::filesystem::create_directories(tmp);
  const ScopedEnvironment tmpdir("TMPDIR", tmp.string());

  const std::vector<std::string>           markers = {"sb_plot_marker_dir",
                                                      "sb_plot_marker_dir_bq",
                                                      "sb_plot_marker_title_bq",
                                                      "sb_plot_marker_title_dollar",
                                                      "sb_plot_marker_bang",
                                                      "sb_plot_marker_system",
                                                      "sb_plot_marker_legend",
                                                      "sb_plot_marker_label",
                                                      "sb_plot_marker_csv"};
  const std::vector<std::filesystem::path> places
    = {std::filesystem::current_path(), base, tmp, "/tmp"};
  std::error_code ignored;
  for (const auto &place : places)
    for (const auto &marker : markers)
      std::filesystem::remove(place / marker, ignored);

  const std::filesystem::path dir
    = base
      / "out $(touch sb_plot_marker_dir) `touch sb_plot_marker_dir_bq` "
        "it's \"quoted\"";
  std::filesystem::create_directories(dir);
  write_csv(dir / "data.csv");

  io::PlotSpec spec;
  spec.csv     = dir / "data.csv";
  spec.title   = "card `touch sb_plot_marker_title_bq` "
                 "$(touch sb_plot_marker_title_dollar)\n!touch "
                 "sb_plot_marker_bang\nsystem(\"touch sb_plot_marker_system\")\n"
                 "it's a \"card\" \\n @macro";
  spec.x_label = "x'\n!touch sb_plot_marker_label";
  spec.y_label = "y\r\nset output '/tmp/sb_plot_marker_label'";
  spec.curves  = {{"x", "y", "legend `touch sb_plot_marker_legend`'"},
                  {"x", "missing", "a column that is not there"}};

  const bool plotted = io::plot_png(dir / "plot.png", spec);

  for (const auto &place : places)
    for (const auto &marker : markers)
      EXPECT_FALSE(std::filesystem::exists(place / marker))
        << "marker " << (place / marker) << " was created";
  // Nothing but the input and the plot: no temporaries anywhere.
  const std::set<std::string> expected
    = plotted ? std::set<std::string>{"data.csv", "plot.png"}
              : std::set<std::string>{"data.csv"};
  EXPECT_EQ(entries(dir), expected);
  EXPECT_TRUE(entries(tmp).empty());

  if (!io::gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed: no PNG to check";
  EXPECT_TRUE(plotted);
  EXPECT_TRUE(starts_with_png_signature(dir / "plot.png"));
}

TEST(Plot, NoMatchingColumnsWritesNothing)
{
  const auto dir = test_support::scratch_directory("plot_none");
  const std::filesystem::path tmp = dir / "tmp";
  std::filesystem::create_directories(tmp);
  const ScopedEnvironment tmpdir("TMPDIR", tmp.string());
  write_csv(dir / "data.csv");
  EXPECT_FALSE(
    io::plot_png(dir / "plot.png",
                 {dir / "data.csv", "t", "x", "y", {{"a", "b", "c"}}}));
  EXPECT_FALSE(
    io::plot_png(dir / "plot.png",
                 {dir / "absent.csv", "t", "x", "y", {{"x", "y", "c"}}}));
  EXPECT_EQ(entries(dir), (std::set<std::string>{"data.csv", "tmp"}));
  EXPECT_TRUE(entries(tmp).empty());
}

// gnuplot is looked up in the absolute directories of PATH only; when there
// is none, or it fails, or it writes no image, the plot is skipped cleanly.
TEST(Plot, MissingOrFailingGnuplotWritesNothing)
{
  const auto dir = test_support::scratch_directory("plot_fail");
  const std::filesystem::path tmp = dir / "tmp";
  std::filesystem::create_directories(tmp);
  const ScopedEnvironment tmpdir("TMPDIR", tmp.string());
  write_csv(dir / "data.csv");
  const io::PlotSpec spec{
    dir / "data.csv", "t", "x", "y", {{"x", "y", "legend"}}};

  {
    const ScopedEnvironment path("PATH", (dir / "empty").string());
    EXPECT_FALSE(io::gnuplot_available());
    EXPECT_FALSE(io::plot_png(dir / "plot.png", spec));
  }
  {
    // A "gnuplot" in a relative PATH entry (here: the current directory)
    // is not used.
    fake_gnuplot(std::filesystem::current_path() / "scratch" / "plot_fail_cwd",
                 "touch \"$1.ran\"; exit 0");
    const ScopedEnvironment path("PATH", "scratch/plot_fail_cwd::.");
    EXPECT_FALSE(io::gnuplot_available());
    EXPECT_FALSE(io::plot_png(dir / "plot.png", spec));
    std::filesystem::remove_all(std::filesystem::current_path() / "scratch"
                                / "plot_fail_cwd");
  }
  {
    fake_gnuplot(dir / "failing", "exit 1");
    const ScopedEnvironment path("PATH", (dir / "failing").string());
    EXPECT_TRUE(io::gnuplot_available());
    EXPECT_FALSE(io::plot_png(dir / "plot.png", spec));
  }
  {
    fake_gnuplot(dir / "silent", "exit 0");
    const ScopedEnvironment path("PATH", (dir / "silent").string());
    EXPECT_FALSE(io::plot_png(dir / "plot.png", spec));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "plot.png"));
  EXPECT_TRUE(entries(tmp).empty());
}
