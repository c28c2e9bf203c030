#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/plot.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

// Security model: titles, labels and legends come from material cards and
// parameter files, and paths from the command line, i.e. from files someone
// else may have written. Nothing of them may reach a shell or be executed by
// gnuplot. Hence: no shell at all (gnuplot is looked up in PATH here and
// started with posix_spawn and an argv array); user strings only inside
// single-quoted gnuplot strings (no back-quote substitution, no escapes) with
// control characters removed (a newline would start a new gnuplot command);
// no user paths in the script (the data goes in as datablocks, the image to
// a temporary file of our own, which is then copied to the destination).

namespace scalebridge::io
{
  namespace
  {
    /// @p text as a single-quoted gnuplot string: inside single quotes
    /// gnuplot expands neither back-quotes nor escapes nor macros; a quote is
    /// written twice. Control characters (newlines above all, which would end
    /// the command) become spaces.
    std::string
    gnuplot_string(const std::string &text)
    {
      std::string result = "'";
      for (const char c : text)
        {
          const auto u = static_cast<unsigned char>(c);
          if (u < 0x20 || u == 0x7f)
            result += ' ';
          else if (c == '\'')
            result += "''";
          else
            result += c;
        }
      return result + "'";
    }

    bool
    has_control_characters(const std::string &text)
    {
      for (const char c : text)
        {
          const auto u = static_cast<unsigned char>(c);
          if (u < 0x20 || u == 0x7f)
            return true;
        }
      return false;
    }

    /// Absolute path of an executable regular file @p name in one of the
    /// absolute directories of PATH, or empty. Empty and relative PATH
    /// entries (the current directory) are skipped, so that a directory of
    /// someone else's files cannot provide a "gnuplot".
    std::filesystem::path
    find_in_path(const std::string &name)
    {
      const char       *env   = std::getenv("PATH");
      const std::string path  = env ? env : "/usr/local/bin:/usr/bin:/bin";
      std::size_t       begin = 0;
      while (begin <= path.size())
        {
          std::size_t end = path.find(':', begin);
          if (end == std::string::npos)
            end = path.size();
          const std::string dir = path.substr(begin, end - begin);
          begin                 = end + 1;
          if (dir.empty() || dir.front() != '/')
            continue;
          const std::filesystem::path candidate
            = std::filesystem::path(dir) / name;
          struct stat info;
          if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode)
              && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        }
      return {};
    }

    /// Creates an empty file of a fresh name in the temporary directory
    /// (mkstemp, mode 0600) and removes it again on destruction. The path is
    /// absolute, so it can never be taken for a command-line option.
    class TemporaryFile
    {
    public:
      TemporaryFile()
      {
        std::error_code             error;
        const std::filesystem::path dir = std::filesystem::absolute(
          std::filesystem::temp_directory_path(error), error);
        if (error)
          return;
        std::string name = (dir / "scalebridge-plot-XXXXXX").string();
        const int   fd   = ::mkstemp(name.data());
        if (fd < 0)
          return;
        ::close(fd);
        path = name;
      }

      ~TemporaryFile()
      {
        if (!path.empty())
          ::unlink(path.c_str());
      }

      TemporaryFile(const TemporaryFile &) = delete;
      TemporaryFile &
      operator=(const TemporaryFile &)
        = delete;

      std::filesystem::path path;
    };

    /// The header and rows of a CSV file written by CsvTable.
    struct Csv
    {
      std::vector<std::string>              header;
      std::vector<std::vector<std::string>> rows;

      /// Index of column @p name, or -1.
      long
      column(const std::string &name) const
      {
        for (std::size_t i = 0; i < header.size(); ++i)
          if (header[i] == name)
            return static_cast<long>(i);
        return -1;
      }
    };

    std::vector<std::string>
    split(const std::string &line)
    {
      std::vector<std::string> fields;
      std::istringstream       in(line);
      std::string              field;
      while (std::getline(in, field, ','))
        fields.push_back(field);
      return fields;
    }

    bool
    read_csv(const std::filesystem::path &path, Csv &csv)
    {
      std::ifstream in(path);
      if (!in)
        return false;
      std::string line;
      if (!std::getline(in, line))
        return false;
      csv.header = split(line);
      while (std::getline(in, line))
        if (!line.empty())
          csv.rows.push_back(split(line));
      return true;
    }

    /// @p field as a number for a datablock: only fields that are a finite
    /// number as a whole are passed on, everything else becomes NaN, so that
    /// no text of the file can end the datablock or reach gnuplot's parser.
    std::string
    number(const std::string &field)
    {
      std::istringstream in(field);
      in.imbue(std::locale::classic());
      double value = 0;
      in >> value;
      if (!in || !(in >> std::ws).eof() || !std::isfinite(value))
        return "NaN";
      std::ostringstream out;
      out.imbue(std::locale::classic());
      out << std::setprecision(std::numeric_limits<double>::max_digits10)
          << value;
      return out.str();
    }

    /// @p value for the script, in the C locale (NaN if not finite).
    std::string
    number(const double value)
    {
      std::ostringstream out;
      out.imbue(std::locale::classic());
      out << std::setprecision(std::numeric_limits<double>::max_digits10)
          << value;
      return number(out.str());
    }

    /// Runs `gnuplot SCRIPT` without a shell, with stdin, stdout and stderr on
    /// /dev/null; true when it exited with status 0.
    bool
    run_gnuplot(const std::filesystem::path &gnuplot,
                const std::filesystem::path &script)
    {
      posix_spawn_file_actions_t actions;
      if (::posix_spawn_file_actions_init(&actions) != 0)
        return false;
      ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
      ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
      ::posix_spawn_file_actions_adddup2(&actions, 1, 2);

      std::string         program  = gnuplot.string();
      std::string         argument = script.string();
      std::vector<char *> argv     = {program.data(), argument.data(), nullptr};
      pid_t               pid      = 0;
      const int           error    = ::posix_spawn(
        &pid, program.c_str(), &actions, nullptr, argv.data(), environ);
      ::posix_spawn_file_actions_destroy(&actions);
      if (error != 0)
        return false;

      int status = 0;
      while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
          return false;
      return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }

    bool
    is_png(const std::filesystem::path &path)
    {
      static const char signature[8]
        = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};
      std::ifstream in(path, std::ios::binary);
      char          head[8] = {};
      return in.read(head, sizeof head)
             && std::memcmp(head, signature, sizeof head) == 0;
    }
  } // namespace

  bool
  gnuplot_available()
  {
    return !find_in_path("gnuplot").empty();
  }

  bool
  plot_png(const std::filesystem::path &png, const PlotSpec &spec)
  {
    const std::filesystem::path gnuplot = find_in_path("gnuplot");
    if (gnuplot.empty())
      return false;

    Csv csv;
    if (!read_csv(spec.csv, csv))
      return false;

    std::ostringstream data;
    std::ostringstream plot;
    unsigned int       n_curves = 0;
    for (const PlotCurve &curve : spec.curves)
      {
        const long x    = csv.column(curve.x_column);
        const long y    = csv.column(curve.y_column);
        const bool band = curve.style == PlotCurve::Style::band;
        const long e    = band ? csv.column(curve.upper_column)
                          : curve.error_column.empty()
                            ? -1
                            : csv.column(curve.error_column);
        if (x < 0 || y < 0 || ((band || !curve.error_column.empty()) && e < 0))
          continue;
        ++n_curves;
        const std::string block = "$d" + std::to_string(n_curves);
        data << block << " << EOD\n";
        for (const auto &row : csv.rows)
          {
            const auto field = [&](const long i) {
              return i < static_cast<long>(row.size()) ? number(row[i])
                                                       : std::string("NaN");
            };
            data << field(x) << ' ' << field(y);
            if (e >= 0)
              data << ' ' << field(e);
            data << '\n';
          }
        data << "EOD\n";
        plot << (n_curves == 1 ? "plot " : ", ") << block;
        if (band)
          plot << " using 1:2:3 with filledcurves fs transparent solid 0.3 "
                  "noborder title ";
        else if (curve.style == PlotCurve::Style::bars)
          // boxerrorbars: x:y:ydelta:xwidth; boxes: x:y:xwidth
          plot << (e >= 0 ? " using 1:2:3:(" : " using 1:2:(")
               << number(curve.bar_width) << ")"
               << (e >= 0 ? " with boxerrorbars" : " with boxes")
               << " fs solid 0.6 title ";
        else
          plot << (e >= 0 ? " using 1:2:3 with yerrorbars pt 7 title "
                          : " using 1:2 with lines lw 2 title ");
        plot << gnuplot_string(curve.legend);
      }
    if (n_curves == 0)
      return false;

    const TemporaryFile script;
    const TemporaryFile image;
    // The temporary directory comes from TMPDIR; a name that would not
    // survive quoting unchanged is not used.
    if (script.path.empty() || image.path.empty()
        || has_control_characters(image.path.string()))
      return false;

    {
      std::ofstream out(script.path);
      out << "set terminal pngcairo size 900,600 noenhanced\n"
          << "set output " << gnuplot_string(image.path.string()) << '\n'
          << "set grid\n"
          << "set title " << gnuplot_string(spec.title) << '\n'
          << "set xlabel " << gnuplot_string(spec.x_label) << '\n'
          << "set ylabel " << gnuplot_string(spec.y_label) << '\n';
      if (!spec.x_tics.empty())
        {
          out << "set xtics (";
          for (std::size_t i = 0; i < spec.x_tics.size(); ++i)
            out << (i > 0 ? ", " : "") << gnuplot_string(spec.x_tics[i].label)
                << ' ' << number(spec.x_tics[i].position);
          out << ") rotate by -20\n"
              << "set xrange [" << number(spec.x_tics.front().position - 0.6)
              << ":" << number(spec.x_tics.back().position + 0.6) << "]\n";
        }
      // Points with error bars at the ends of the data are not cut in half.
      for (const PlotCurve &curve : spec.curves)
        if (curve.style == PlotCurve::Style::line
            && !curve.error_column.empty())
          {
            out << "set offsets graph 0.05, graph 0.05, graph 0.05, graph "
                   "0.05\n";
            break;
          }
      if (spec.y_lower < spec.y_upper)
        out << "set yrange [" << number(spec.y_lower) << ":"
            << number(spec.y_upper) << "]\n";
      out << data.str() << plot.str() << '\n' << "unset output\n";
      out.flush();
      if (!out)
        return false;
    }

    if (!run_gnuplot(gnuplot, script.path) || !is_png(image.path))
      return false;

    // Copy the image to its destination through a temporary next to it and
    // a rename, so that readers never see half a PNG.
    try
      {
        std::ifstream in(image.path, std::ios::binary);
        write_atomically(png, [&](std::ostream &out) { out << in.rdbuf(); });
      }
    catch (const std::exception &)
      {
        return false;
      }
    return true;
  }
} // namespace scalebridge::io
