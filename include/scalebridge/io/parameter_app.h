#ifndef scalebridge_io_parameter_app_h
#define scalebridge_io_parameter_app_h

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace scalebridge::io
{
  /// What a parameter-file app was asked to do on its command line.
  struct CommandLine
  {
    /// The .prm file; empty when only --help was given.
    std::string parameter_file;
    /// "Subsection/Entry=value" overrides, in the order given.
    std::vector<std::pair<std::string, std::string>> overrides;
    /// --help: print the documented default parameter file and stop.
    bool help = false;
    /// App-specific options with a value ("--restart" -> folder).
    std::map<std::string, std::string> options;
  };

  /**
   * Parses `APP [FILE.prm] [--set "Subsection/Entry=value"]... [--help]`
   * and the app's own @p value_options (each followed by a value, at most
   * once). Throws InputError (source "command line") for anything else.
   */
  CommandLine
  parse_command_line(const std::vector<std::string> &arguments,
                     const std::vector<std::string> &value_options = {});

  /**
   * Reads @p command_line.parameter_file into @p prm and then applies the
   * overrides. Entries not declared, values outside their pattern and
   * unreadable files become InputError naming the file (or the command line)
   * and the entry, with the pattern that is allowed.
   */
  void
  read_parameters(dealii::ParameterHandler &prm,
                  const CommandLine        &command_line);

  /// Description of a thin parameter-file app for run_parameter_app().
  struct ParameterApp
  {
    /// Executable name, e.g. "scalebridge-rve".
    std::string name;
    /// One paragraph for --help, printed as a comment above the defaults.
    std::string description;
    /// Declares every entry (with defaults and documentation) in @p prm.
    std::function<void(dealii::ParameterHandler &prm)> declare;
    /// Runs the job once the parameters are read; may throw InputError.
    std::function<void(dealii::ParameterHandler &prm)> run;
    /// Options of this app that take a value, e.g. "--restart FOLDER", and
    /// their line in the --help synopsis.
    std::vector<std::string> value_options          = {};
    std::string              value_options_synopsis = "";
    /// Whether run() calls io::stop_if_terminated() at safe points: then
    /// SIGTERM/SIGINT/SIGHUP only set a flag there; else they end the
    /// process at once (the default action).
    bool stops_at_safe_points = false;
  };

  /**
   * The whole main() of a parameter-file app: initialises MPI (and PETSc),
   * parses the command line, prints the documented defaults for --help,
   * reads the parameters, runs, and turns errors into one line and a
   * non-zero exit code (2 for bad input, 1 for anything else), the same on
   * every process. An error on some processes only ends all of them within
   * a few seconds (MPI_Abort with that code, after the failed process
   * printed its line).
   */
  int
  run_parameter_app(int argc, char **argv, const ParameterApp &app);
} // namespace scalebridge::io

#endif
