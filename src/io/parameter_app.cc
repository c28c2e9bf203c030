#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/parameter_app.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace scalebridge::io
{
  namespace
  {
    /// deal.II exception text without the source-location banner, one line.
    std::string
    one_line(const dealii::ExceptionBase &e)
    {
      std::ostringstream info;
      e.print_info(info);
      std::string text = info.str();
      for (char &c : text)
        if (c == '\n')
          c = ' ';
      const auto first = text.find_first_not_of(' ');
      const auto last  = text.find_last_not_of(' ');
      return first == std::string::npos ? std::string(e.get_exc_name())
                                        : text.substr(first, last - first + 1);
    }

    /// Enters the subsections of "A/B/Entry", sets Entry, leaves again.
    void
    apply_override(dealii::ParameterHandler &prm,
                   const std::string        &path,
                   const std::string        &value)
    {
      std::vector<std::string> parts;
      std::size_t              start = 0;
      for (std::size_t slash = path.find('/'); slash != std::string::npos;
           slash             = path.find('/', start))
        {
                      parts.push_back(path.substr(start, slash - start));
                      start = slash + 1;
        }
      const std::string entry = path.substr(start);
      for (const auto &section : parts)
        prm.enter_subsection(section);
      try
        {
          prm.set(entry, value);
        }
      catch (const dealii::ExceptionBase &e)
        {
          for (std::size_t i = 0; i < parts.size(); ++i)
            prm.leave_subsection();
          throw InputError("command line --set", path, one_line(e));
        }
      for (std::size_t i = 0; i < parts.size(); ++i)
        prm.leave_subsection();
    }
  } // namespace

  CommandLine
  parse_command_line(const std::vector<std::string> &arguments,
                     const std::vector<std::string> &value_options)
  {
    CommandLine result;
    for (std::size_t i = 0; i < arguments.size(); ++i)
      {
        const std::string &arg = arguments[i];
        if (arg == "--help" || arg == "-h")
          result.help = true;
        else if (arg == "--set")
          {
            if (i + 1 == arguments.size())
              throw InputError("command line",
                               "--set",
                               "needs an argument \"Subsection/Entry=value\"");
            const std::string &assignment = arguments[++i];
            const auto         equal      = assignment.find('=');
            if (equal == std::string::npos || equal == 0)
              throw InputError("command line",
                               "--set " + assignment,
                               "expected \"Subsection/Entry=value\"");
            result.overrides.emplace_back(assignment.substr(0, equal),
                                          assignment.substr(equal + 1));
          }
        else if (std::find(value_options.begin(), value_options.end(), arg)
                 != value_options.end())
          {
            if (i + 1 == arguments.size() || arguments[i + 1].empty()
                || arguments[i + 1].rfind("--", 0) == 0)
              throw InputError("command line", arg, "needs a value");
            if (!result.options.emplace(arg, arguments[++i]).second)
              throw InputError("command line", arg, "given more than once");
          }
        else if (!arg.empty() && arg[0] == '-')
          {
            std::string allowed = "FILE.prm, --set \"Subsection/Entry=value\"";
            for (const auto &o : value_options)
              allowed += ", " + o + " VALUE";
            throw InputError("command line",
                             arg,
                             "unknown option; allowed are " + allowed
                               + " and --help");
          }
        else if (result.parameter_file.empty())
          result.parameter_file = arg;
        else
          throw InputError("command line",
                           arg,
                           "only one parameter file may be given (already "
                           "have '"
                             + result.parameter_file + "')");
      }
    if (!result.help && result.parameter_file.empty())
      throw InputError("command line",
                       "FILE.prm",
                       "no parameter file given; run with --help for a "
                       "documented default file");
    return result;
  }

  void
  read_parameters(dealii::ParameterHandler &prm,
                  const CommandLine        &command_line)
  {
    const std::string &file = command_line.parameter_file;
    if (!std::filesystem::is_regular_file(file))
      throw InputError(file, "", "parameter file does not exist");
    try
      {
        prm.parse_input(file, "", false, true);
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const dealii::ExceptionBase &e)
      {
        throw InputError(file, "", one_line(e));
      }
    for (const auto &[path, value] : command_line.overrides)
      apply_override(prm, path, value);
  }

  int
  run_parameter_app(int argc, char **argv, const ParameterApp &app)
  {
    dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
    const bool                               root
      = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    try
      {
        const CommandLine command_line
          = parse_command_line(std::vector<std::string>(argv + 1, argv + argc),
                               app.value_options);
        dealii::ParameterHandler prm;
        app.declare(prm);
        if (command_line.help)
          {
            if (root)
              {
                std::cout << "# " << app.name << " FILE.prm [--set "
                          << "\"Subsection/Entry=value\"]..."
                          << app.value_options_synopsis << " [--help]\n#\n";
                std::istringstream description(app.description);
                for (std::string line; std::getline(description, line);)
                  std::cout << "# " << line << '\n';
                std::cout << "#\n# Documented default parameter file:\n\n";
                prm.print_parameters(
                  std::cout,
                  dealii::ParameterHandler::PRM
                    | dealii::ParameterHandler::KeepDeclarationOrder);
              }
            return 0;
          }
        read_parameters(prm, command_line);
        app.run(prm);
        return 0;
      }
    catch (const InputError &e)
      {
        if (root)
          std::cerr << app.name << ": error: " << e.what() << std::endl;
        return 2;
      }
    catch (const dealii::ExceptionBase &e)
      {
        if (root)
          std::cerr << app.name << ": error: " << one_line(e) << std::endl;
        return 1;
      }
    catch (const std::exception &e)
      {
        if (root)
          std::cerr << app.name << ": error: " << e.what() << std::endl;
        return 1;
      }
  }
} // namespace scalebridge::io
