#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/checkpoint_folder.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <vector>

namespace scalebridge::io
{
  namespace
  {
    const char *const manifest_name = "manifest.json";
    const char *const prefix        = "t_";

    /// A test hook that simulates a crash while a checkpoint is written:
    /// SCALEBRIDGE_KILL_IN_CHECKPOINT=N kills rank 0 (SIGKILL) after the
    /// files of the N-th checkpoint are written, before it is sealed.
    void
    maybe_die_for_test()
    {
      static int  count = 0;
      const char *value = std::getenv("SCALEBRIDGE_KILL_IN_CHECKPOINT");
      if (value != nullptr && ++count == std::atoi(value))
        std::raise(SIGKILL);
    }
  } // namespace

  std::string
  checkpoint_name(const double time)
  {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%s%016.6fs", prefix, time);
    return buffer;
  }

  std::string
  file_hash(const std::filesystem::path &path)
  {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot read '" + path.string() + "'");
    std::uint64_t     h = 14695981039346656037ull;
    std::vector<char> buffer(1 << 16);
    while (in)
      {
        in.read(buffer.data(), buffer.size());
        for (std::streamsize i = 0; i < in.gcount(); ++i)
          {
            h ^= static_cast<unsigned char>(buffer[i]);
            h *= 1099511628211ull;
          }
      }
    std::ostringstream hex;
    hex << std::hex << std::setw(16) << std::setfill('0') << h;
    return hex.str();
  }

  void
  on_root_collectively(const MPI_Comm               communicator,
                       const std::function<void()> &action)
  {
    // (kind, source, key, reason): kind 0 ok, 1 InputError, 2 other.
    std::vector<std::string> failure{"0", "", "", ""};
    if (dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
      try
        {
          action();
        }
      catch (const InputError &e)
        {
          failure = {"1", e.source(), e.key(), e.reason()};
        }
      catch (const std::exception &e)
        {
          failure = {"2", "", "", e.what()};
        }
    failure = dealii::Utilities::MPI::broadcast(communicator, failure, 0);
    if (failure[0] == "1")
      throw InputError(failure[1], failure[2], failure[3]);
    if (failure[0] == "2")
      throw std::runtime_error(failure[3]);
  }

  CheckpointWriter::CheckpointWriter(const std::filesystem::path &directory,
                                     const std::string           &name,
                                     const MPI_Comm               communicator)
    : directory(directory)
    , name(name)
    , staging_path(directory / (".partial-" + name))
    , communicator(communicator)
  {
    on_root_collectively(communicator, [&]() {
      std::filesystem::remove_all(staging_path);
      std::filesystem::create_directories(staging_path);
    });
  }

  const std::filesystem::path &
  CheckpointWriter::staging() const
  {
    return staging_path;
  }

  std::filesystem::path
  CheckpointWriter::commit(const unsigned int keep)
  {
    const std::filesystem::path target = directory / name;
    MPI_Barrier(communicator);
    on_root_collectively(communicator, [&]() {
      nlohmann::json files = nlohmann::json::object();
      for (const auto &entry :
           std::filesystem::directory_iterator(staging_path))
        if (entry.is_regular_file())
          files[entry.path().filename().string()]
            = {{"bytes", entry.file_size()},
               {"fnv1a64", file_hash(entry.path())}};
      maybe_die_for_test();
      write_atomically(staging_path / manifest_name, [&](std::ostream &out) {
        out << nlohmann::json{{"format", "scalebridge checkpoint 1"},
                              {"files", files}}
                 .dump(1)
            << '\n';
      });
      // A checkpoint of the same time (a restarted run passing it again)
      // is replaced; the rename itself is atomic.
      if (std::filesystem::exists(target))
        std::filesystem::remove_all(target);
      std::filesystem::rename(staging_path, target);

      if (keep > 0)
        {
          std::vector<std::filesystem::path> all;
          for (const auto &entry :
               std::filesystem::directory_iterator(directory))
            {
              const std::string n = entry.path().filename().string();
              if (entry.is_directory() && n.rfind(prefix, 0) == 0
                  && std::filesystem::exists(entry.path() / manifest_name))
                all.push_back(entry.path());
            }
          std::sort(all.begin(), all.end());
          for (std::size_t i = 0; i + keep < all.size(); ++i)
            std::filesystem::remove_all(all[i]);
        }
    });
    return target;
  }

  void
  verify_checkpoint(const std::filesystem::path &folder)
  {
    const std::string source = folder.string();
    if (!std::filesystem::is_directory(folder))
      throw InputError(source,
                       "--restart",
                       "is not a checkpoint folder (no such directory)");
    const std::filesystem::path manifest = folder / manifest_name;
    if (!std::filesystem::is_regular_file(manifest))
      throw InputError(source,
                       manifest_name,
                       "missing: the checkpoint is incomplete (a run killed "
                       "while writing it?); restart from an earlier one");
    nlohmann::json m;
    try
      {
        std::ifstream in(manifest);
        m = nlohmann::json::parse(in);
        if (m.at("format") != "scalebridge checkpoint 1")
          throw std::runtime_error("unknown format");
        // Every entry as commit() writes it: a plain file name of this
        // folder (never a path that leads out of it) with its size and
        // hash; anything else is a damaged manifest, not a library error.
        for (const auto &[file, expected] :
             m.at("files").get<nlohmann::json::object_t>())
          if (file.empty() || file == "." || file == ".."
              || file.find('/') != std::string::npos
              || file.find('\0') != std::string::npos || !expected.is_object()
              || !expected.contains("bytes")
              || !expected.at("bytes").is_number_unsigned()
              || !expected.contains("fnv1a64")
              || !expected.at("fnv1a64").is_string())
            throw std::runtime_error("bad entry");
      }
    catch (const std::exception &)
      {
        throw InputError(source,
                         manifest_name,
                         "is damaged or not a ScaleBridge checkpoint manifest");
      }
    for (const auto &[file, expected] : m.at("files").items())
      {
        const std::filesystem::path path = folder / file;
        if (!std::filesystem::is_regular_file(path))
          throw InputError(source, file, "missing: the checkpoint is damaged");
        if (std::filesystem::file_size(path)
              != expected.at("bytes").get<std::uintmax_t>()
            || file_hash(path) != expected.at("fnv1a64").get<std::string>())
          throw InputError(source,
                           file,
                           "does not match the manifest (size or hash): "
                           "the checkpoint is damaged");
      }
  }
} // namespace scalebridge::io
