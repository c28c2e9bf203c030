#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/plot.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace scalebridge::io
{
  namespace
  {
    /// 1-based index of @p name in the header line of @p csv, or 0.
    unsigned int
    column_index(const std::filesystem::path &csv, const std::string &name)
    {
      std::ifstream in(csv);
      std::string   header;
      std::getline(in, header);
      std::istringstream fields(header);
      std::string        field;
      for (unsigned int i = 1; std::getline(fields, field, ','); ++i)
        if (field == name)
          return i;
      return 0;
    }

    std::string
    quoted(const std::string &text)
    {
      std::string result = "\"";
      for (const char c : text)
        result += (c == '"' ? '\'' : c);
      return result + "\"";
    }
  } // namespace

  bool
  gnuplot_available()
  {
    return std::system("command -v gnuplot > /dev/null 2>&1") == 0;
  }

  bool
  plot_png(const std::filesystem::path &png, const PlotSpec &spec)
  {
    if (!gnuplot_available())
      return false;

    const std::string           suffix = ".tmp." + std::to_string(::getpid());
    const std::filesystem::path script = png.string() + suffix + ".gp";
    const std::filesystem::path image  = png.string() + suffix + ".png";

    std::ostringstream commands;
    commands << "set terminal pngcairo size 900,600 noenhanced\n"
             << "set output " << quoted(image.string()) << '\n'
             << "set datafile separator ','\n"
             << "set key autotitle columnhead\n"
             << "set grid\n"
             << "set title " << quoted(spec.title) << '\n'
             << "set xlabel " << quoted(spec.x_label) << '\n'
             << "set ylabel " << quoted(spec.y_label) << '\n'
             << "plot ";
    bool first = true;
    for (const PlotCurve &curve : spec.curves)
      {
        const unsigned int x = column_index(spec.csv, curve.x_column);
        const unsigned int y = column_index(spec.csv, curve.y_column);
        if (x == 0 || y == 0)
          continue;
        commands << (first ? "" : ", ") << quoted(spec.csv.string())
                 << " using " << x << ':' << y << " with lines lw 2 title "
                 << quoted(curve.legend);
        first = false;
      }
    if (first)
      return false;
    commands << '\n';

    {
      std::ofstream out(script);
      out << commands.str();
    }
    const std::string command
      = "gnuplot " + quoted(script.string()) + " > /dev/null 2>&1";
    const bool ok
      = std::system(command.c_str()) == 0 && std::filesystem::exists(image);
    std::error_code ignored;
    std::filesystem::remove(script, ignored);
    if (ok)
      std::filesystem::rename(image, png);
    else
      std::filesystem::remove(image, ignored);
    return ok;
  }
} // namespace scalebridge::io
