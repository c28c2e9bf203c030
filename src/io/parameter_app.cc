#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/parameter_app.h>
#include <scalebridge/io/parameter_includes.h>

#include <scalebridge/io/termination.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

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
    std::string extension = std::filesystem::path(file).extension().string();
    for (char &c : extension)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Only .prm files have include lines; ParameterHandler follows them
    // without a limit.
    if (extension == ".prm")
      check_parameter_includes(file);
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

  namespace
  {
    /// Test hook: SCALEBRIDGE_THROW_ON_RANK=R makes rank R alone fail
    /// before the run, as a full disk or a bug on one process would; the
    /// others run on into collective operations.
    void
    throw_on_rank_for_test()
    {
      const char *value = std::getenv("SCALEBRIDGE_THROW_ON_RANK");
      if (value != nullptr
          && dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD)
               == static_cast<unsigned int>(std::atoi(value)))
        throw std::runtime_error("test: an error on rank " + std::string(value)
                                 + " only");
    }

    /// How long a failed process waits for the others to fail as well
    /// before it ends them all.
    constexpr double agreement_grace_seconds = 3;

    /**
     * Every process ends here, with its exit code (0: success) and error
     * line. Processes that all arrive agree on the code and the message of
     * the lowest failed rank, and rank 0 prints it. A failed process whose
     * peers do not arrive within agreement_grace_seconds (they wait in a
     * collective operation the failed one will never join, or compute)
     * prints its line and calls MPI_Abort, so that no process spins
     * forever. @p errors is a communicator used for nothing else.
     */
    int
    finish(MPI_Comm           errors,
           const std::string &name,
           const int          code,
           const std::string &message)
    {
      const unsigned int rank
        = dealii::Utilities::MPI::this_mpi_process(errors);
      const unsigned int ranks
        = dealii::Utilities::MPI::n_mpi_processes(errors);
      const auto line = [&](const std::string &text) {
        std::cerr << name << ": error: " << text << std::endl;
      };
      if (ranks == 1)
        {
          if (code != 0)
            line(message);
          return code;
        }

      int         first_failed = code != 0 ? static_cast<int>(rank) : INT_MAX;
      int         lowest       = INT_MAX;
      MPI_Request request;
      MPI_Iallreduce(
        &first_failed, &lowest, 1, MPI_INT, MPI_MIN, errors, &request);
      if (code == 0)
        MPI_Wait(&request, MPI_STATUS_IGNORE);
      else
        {
          const auto start = std::chrono::steady_clock::now();
          for (int done = 0;;)
            {
              MPI_Test(&request, &done, MPI_STATUS_IGNORE);
              if (done)
                break;
              if (std::chrono::duration<double>(std::chrono::steady_clock::now()
                                                - start)
                    .count()
                  > agreement_grace_seconds)
                {
                  line(message);
                  MPI_Abort(MPI_COMM_WORLD, code);
                }
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        }
      if (lowest == INT_MAX)
        return 0;

      // The lowest failed rank's code and message, on every process.
      int agreed = code;
      MPI_Bcast(&agreed, 1, MPI_INT, lowest, errors);
      std::string text = message;
      int         size = static_cast<int>(text.size());
      MPI_Bcast(&size, 1, MPI_INT, lowest, errors);
      text.resize(size);
      MPI_Bcast(text.data(), size, MPI_CHAR, lowest, errors);
      if (rank == 0)
        line(text);
      return agreed;
    }
  } // namespace

  int
  run_parameter_app(int argc, char **argv, const ParameterApp &app)
  {
    dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
    if (app.stops_at_safe_points)
      record_termination_signals();
    else
      default_termination_signals();
    MPI_Comm errors;
    MPI_Comm_dup(MPI_COMM_WORLD, &errors);
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    int         code = 0;
    std::string message;
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
          }
        else
          {
            read_parameters(prm, command_line);
            throw_on_rank_for_test();
            app.run(prm);
          }
      }
    catch (const InputError &e)
      {
        code    = 2;
        message = e.what();
      }
    catch (const dealii::ExceptionBase &e)
      {
        code    = 1;
        message = one_line(e);
      }
    catch (const std::bad_alloc &)
      {
        code    = 1;
        message = "out of memory (std::bad_alloc); the problem is too large "
                  "for this machine";
      }
    catch (const std::exception &e)
      {
        code    = 1;
        message = e.what();
      }
    code = finish(errors, app.name, code, message);
    MPI_Comm_free(&errors);
    return code;
  }
} // namespace scalebridge::io
