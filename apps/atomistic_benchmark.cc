// scalebridge-atomistic-benchmark: reading speed of the streaming dump
// reader against `cat FILE > /dev/null`, and the time of the FFT MSD; also
// the deterministic generator of the shipped example inputs.

#include <scalebridge/atomistic/msd.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/atomistic/trajectory_reader.h>
#include <scalebridge/base/input_error.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <locale>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace
{
  const char *usage =
    R"(Usage: scalebridge-atomistic-benchmark [options]

Times the streaming LAMMPS dump reader and the FFT MSD and prints JSON:
bytes, seconds and MB/s of `cat FILE > /dev/null` (run twice, the second
timed, so both read from the page cache), of read_trajectory() with
--threads threads and with one, and of the MSD analysis, the ratios to cat,
and the peak memory each read adds to the process (resident set, peak reset
before each through /proc/self/clear_refs). With --cold also both from a cold cache (the page
cache dropped before each: needs root). Not a test: timings depend on the
machine and its load.

Options:
  --dump FILE            time this dump (species --species)
  --generate-mb N        instead: generate a synthetic dump of about N MB in
                         --directory (default /tmp), time it, delete it
  --directory DIR        where --generate-mb writes (default /tmp)
  --species S            atom type to follow (default 2)
  --blocks M             blocks of the MSD analysis (default 20)
  --threads T            parser threads of the reader (default: all
                         hardware threads)
  --chunk-kb K           chunk size of the reader in KiB (default 4096)
  --cold                 also time cat and the reader from a cold page cache
  --keep                 keep the generated dump (its path is printed)
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

  /// Drops the page cache (root only); "" on success, else why not.
  std::string
  drop_page_cache()
  {
    ::sync();
    std::ofstream drop("/proc/sys/vm/drop_caches");
    if (!drop)
      return "cannot open /proc/sys/vm/drop_caches";
    drop << "3" << std::endl;
    return drop ? "" : "writing /proc/sys/vm/drop_caches failed";
  }

  /// Resets the peak resident set size of this process (Linux >= 4.0).
  void
  reset_peak_memory()
  {
    std::ofstream("/proc/self/clear_refs") << "5" << std::endl;
  }

  /// Peak (VmHWM) or current (VmRSS) resident set size [MB].
  double
  memory_mb(const std::string &key = "VmHWM:")
  {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
      if (line.rfind(key, 0) == 0)
        return std::stod(line.substr(key.size())) / 1024.0; // kB
    return 0;
  }

  /// Seconds and peak memory of one read_trajectory().
  struct TimedRead
  {
    scalebridge::atomistic::TrajectoryData data;
    double                                 seconds = 0;
    double                                 peak_MB = 0;
    /// CPU seconds of all threads (user + system): on a shared machine
    /// the wall time also counts waiting for a core.
    double cpu_seconds = 0;
  };

  double
  process_cpu_seconds()
  {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec
           + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  }

  TimedRead
  timed_read(const std::string                          &dump,
             const std::string                          &species,
             const scalebridge::atomistic::ChunkOptions &options)
  {
    TimedRead result;
    reset_peak_memory();
    const double before = memory_mb("VmRSS:");
    const double cpu    = process_cpu_seconds();
    const auto   start  = std::chrono::steady_clock::now();
    result.data         = scalebridge::atomistic::read_trajectory(dump,
                                                          "--dump",
                                                          species,
                                                          options);
    result.seconds
      = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
    result.cpu_seconds = process_cpu_seconds() - cpu;
    // What this read added to the process: its result and its buffers.
    result.peak_MB = memory_mb() - before;
    return result;
  }
} // namespace

namespace
{
  /// The value @p v of option @p o as a number in [@p lower, @p upper]
  /// (a whole number if @p integer); anything else, nan and inf included,
  /// is an InputError naming the option and the range (std::stoul took -1
  /// as 18446744073709551615 and std::stod's own message named no option).
  double
  number_option(const std::string &o,
                const std::string &v,
                const double       lower,
                const double       upper,
                const bool         integer)
  {
    std::istringstream in(v);
    in.imbue(std::locale::classic());
    double x = 0;
    if (!(in >> x) || !(in >> std::ws).eof() || !std::isfinite(x) || x < lower
        || x > upper || (integer && x != std::floor(x)))
      {
        std::ostringstream range;
        range.imbue(std::locale::classic());
        range.precision(10);
        range << (integer ? "a whole number" : "a number") << " in [" << lower
              << ", " << upper << "], got '" << v << "'";
        throw scalebridge::InputError("command line", o, range.str());
      }
    return x;
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
  ChunkOptions             options;
  bool                     cold = false, keep = false;
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
          if (o == "--cold" || o == "--keep")
            {
              (o == "--cold" ? cold : keep) = true;
              continue;
            }
          if (i + 1 == args.size())
            throw scalebridge::InputError("command line", o, "needs a value");
          const std::string &v = args[++i];
          if (o == "--dump")
            dump = v;
          else if (o == "--generate-mb")
            // Up to 100 GB: the file must fit where --directory points.
            generate_mb = number_option(o, v, 1e-3, 1e5, false);
          else if (o == "--directory")
            directory = v;
          else if (o == "--species")
            species = v;
          else if (o == "--blocks")
            blocks = number_option(o, v, 2, 100000, true);
          else if (o == "--threads")
            options.threads = number_option(o, v, 1, 256, true);
          else if (o == "--chunk-kb")
            options.chunk_bytes
              = std::size_t(number_option(o, v, 1, 1 << 21, true)) << 10;
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
      const double MB    = bytes / 1e6;
      seconds_of_cat(dump); // warm the page cache
      const double t_cat = seconds_of_cat(dump);

      // The reader with the chosen threads, then with one (page cache warm).
      ChunkOptions one_thread = options;
      one_thread.threads      = 1;
      TimedRead       read    = timed_read(dump, species, options);
      const TimedRead read1   = timed_read(dump, species, one_thread);
      const auto      threads
        = options.threads > 0
            ? options.threads
            : std::max(1u, std::thread::hardware_concurrency());

      nlohmann::json cold_cache;
      if (cold)
        {
          std::string why = drop_page_cache();
          if (why.empty())
            {
              const double t_cold_cat = seconds_of_cat(dump);
              why                     = drop_page_cache();
              if (why.empty())
                {
                  const TimedRead r = timed_read(dump, species, options);
                  cold_cache["cat_MB_per_s"]        = MB / t_cold_cat;
                  cold_cache["read_MB_per_s"]       = MB / r.seconds;
                  cold_cache["read_over_cat"]       = r.seconds / t_cold_cat;
                  cold_cache["read_peak_memory_MB"] = r.peak_MB;
                }
            }
          if (!why.empty())
            cold_cache["not_measured"] = why;
        }

      const TrajectoryData &data = read.data;
      MsdOptions            msd_options;
      msd_options.n_blocks  = blocks;
      const auto      start = std::chrono::steady_clock::now();
      const MsdResult msd   = analyse_msd(data, msd_options, dump, "--dump");
      const double    t_msd = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
      if (remove && !keep)
        std::filesystem::remove(dump);

      struct rusage usage_info;
      getrusage(RUSAGE_SELF, &usage_info);
      out["file"]           = remove && !keep ? "(generated, deleted)" : dump;
      out["bytes"]          = bytes;
      out["frames"]         = data.n_frames;
      out["atoms"]          = data.n_atoms;
      out["atoms_followed"] = data.n_selected;
      out["positions_MB"]   = data.positions.size() * sizeof(double) / 1e6;
      out["threads"]        = threads;
      out["chunk_bytes"]    = options.chunk_bytes;
      out["cat_s"]          = t_cat;
      out["cat_MB_per_s"]   = MB / t_cat;
      out["read_s"]         = read.seconds;
      out["read_MB_per_s"]  = MB / read.seconds;
      out["read_over_cat"]  = read.seconds / t_cat;
      out["read_peak_memory_MB"]          = read.peak_MB;
      out["read_cpu_s"]                   = read.cpu_seconds;
      out["read_1_thread_s"]              = read1.seconds;
      out["read_1_thread_MB_per_s"]       = MB / read1.seconds;
      out["read_1_thread_peak_memory_MB"] = read1.peak_MB;
      out["read_1_thread_cpu_s"]          = read1.cpu_seconds;
      out["identical_with_1_thread"] = read1.data.positions == data.positions
                                       && read1.data.centre == data.centre;
      if (cold)
        out["cold_cache"] = cold_cache;
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
