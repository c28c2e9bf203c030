// scalebridge-atomistic-benchmark: reading speed of the streaming dump
// reader against `cat FILE > /dev/null`, and the time of the FFT MSD; also
// the deterministic generator of the shipped example inputs.

#include <deal.II/base/timer.h>

#include <scalebridge/atomistic/msd.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/atomistic/trajectory_reader.h>
#include <scalebridge/base/input_error.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

namespace
{
  const char *usage =
    R"(Usage: scalebridge-atomistic-benchmark [options]

Times the streaming LAMMPS dump reader and the FFT MSD and prints JSON:
bytes, seconds and MB/s of `cat FILE > /dev/null` (run twice, the second
timed, so both read from the page cache), of read_trajectory() and of the
MSD analysis, their ratio, and the peak memory. Not a test: timings depend on
the machine and its load.

Options:
  --dump FILE            time this dump (species --species)
  --generate-mb N        instead: generate a synthetic dump of about N MB in
                         --directory (default /tmp), time it, delete it
  --directory DIR        where --generate-mb writes (default /tmp)
  --species S            atom type to follow (default 2)
  --blocks M             blocks of the MSD analysis (default 20)
  --generate-example DIR write the shipped example inputs (li_walk.dump,
                         heat_flux.dat, npt_box.log) into DIR and stop
  --help                 this text
)";

  double
  seconds_of_cat(const std::filesystem::path &file)
  {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    std::string         program = "cat", argument = file.string();
    std::vector<char *> argv  = {program.data(), argument.data(), nullptr};
    const auto          start = std::chrono::steady_clock::now();
    pid_t               pid   = 0;
    if (posix_spawnp(&pid, "cat", &actions, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("cannot start cat");
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
      if (errno != EINTR)
        throw std::runtime_error("waitpid failed");
    return std::chrono::duration<double>(std::chrono::steady_clock::now()
                                         - start)
      .count();
  }
} // namespace

int
main(int argc, char **argv)
{
  using namespace scalebridge::atomistic;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string              dump, directory = "/tmp", species = "2";
  double                   generate_mb = 0;
  unsigned int             blocks      = 20;
  try
    {
      for (std::size_t i = 0; i < args.size(); ++i)
        {
          const std::string &o = args[i];
          if (o == "--help")
            {
              std::cout << usage;
              return 0;
            }
          if (i + 1 == args.size())
            throw scalebridge::InputError("command line", o, "needs a value");
          const std::string &v = args[++i];
          if (o == "--dump")
            dump = v;
          else if (o == "--generate-mb")
            generate_mb = std::stod(v);
          else if (o == "--directory")
            directory = v;
          else if (o == "--species")
            species = v;
          else if (o == "--blocks")
            blocks = std::stoul(v);
          else if (o == "--generate-example")
            {
              write_example_inputs(v);
              std::cout << "wrote the example inputs into " << v << std::endl;
              return 0;
            }
          else
            throw scalebridge::InputError("command line",
                                          o,
                                          "unknown option; see --help");
        }
      nlohmann::json out;
      bool           remove = false;
      if (dump.empty())
        {
          if (!(generate_mb > 0))
            throw scalebridge::InputError(
              "command line", "--dump", "give --dump FILE or --generate-mb N");
          // 500 atoms (100 followed) per frame, ~34 bytes per atom line.
          RandomWalkSpec spec;
          spec.n_walkers   = 100;
          spec.n_hosts     = 400;
          spec.n_frames    = std::max<std::size_t>(600,
                                                std::size_t(generate_mb * 1e6
                                                            / (500 * 34.0)));
          spec.diffusivity = 0.05;
          spec.box_length  = 30;
          spec.seed        = 42;
          dump             = (std::filesystem::path(directory)
                  / ("scalebridge_benchmark_" + std::to_string(::getpid())
                     + ".dump"))
                   .string();
          remove                 = true;
          const auto start       = std::chrono::steady_clock::now();
          const auto bytes       = write_random_walk_dump(dump, spec, false, 4);
          out["generated_bytes"] = bytes;
          out["generate_s"]      = std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        }
      const double bytes = double(std::filesystem::file_size(dump));
      seconds_of_cat(dump); // warm the page cache
      const double t_cat = seconds_of_cat(dump);

      auto                 start  = std::chrono::steady_clock::now();
      const TrajectoryData data   = read_trajectory(dump, "--dump", species);
      const double         t_read = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count();
      MsdOptions options;
      options.n_blocks      = blocks;
      start                 = std::chrono::steady_clock::now();
      const MsdResult msd   = analyse_msd(data, options, dump, "--dump");
      const double    t_msd = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
      if (remove)
        std::filesystem::remove(dump);

      struct rusage usage_info;
      getrusage(RUSAGE_SELF, &usage_info);
      out["file"]           = remove ? "(generated, deleted)" : dump;
      out["bytes"]          = bytes;
      out["frames"]         = data.n_frames;
      out["atoms"]          = data.n_atoms;
      out["atoms_followed"] = data.n_selected;
      out["cat_s"]          = t_cat;
      out["cat_MB_per_s"]   = bytes / 1e6 / t_cat;
      out["read_s"]         = t_read;
      out["read_MB_per_s"]  = bytes / 1e6 / t_read;
      out["read_over_cat"]  = t_read / t_cat;
      out["msd_s"]          = t_msd;
      out["diffusivity"]    = msd.diffusivity.value;
      out["diffusivity_se"] = msd.diffusivity.standard_error;
      out["peak_memory_MB"] = usage_info.ru_maxrss / 1024.0;
      std::cout << out.dump(2) << std::endl;
      return 0;
    }
  catch (const scalebridge::InputError &e)
    {
      std::cerr << "scalebridge-atomistic-benchmark: error: " << e.what()
                << std::endl;
      return 2;
    }
  catch (const std::exception &e)
    {
      std::cerr << "scalebridge-atomistic-benchmark: error: " << e.what()
                << std::endl;
      return 1;
    }
}
