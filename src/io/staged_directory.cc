#include <scalebridge/base/input_error.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/io/output_location.h>
#include <scalebridge/io/staged_directory.h>
#include <scalebridge/io/termination.h>

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>


namespace scalebridge::io
{
  namespace
  {
    namespace fs = std::filesystem;

    /// The directory as an absolute path without a trailing separator.
    fs::path
    normalized(const fs::path &directory)
    {
      fs::path p = fs::absolute(directory).lexically_normal();
      if (!p.has_filename() && p.has_parent_path() && p != p.root_path())
        p = p.parent_path();
      return p;
    }

    /// Hidden siblings of @p directory: ".NAME" + @p suffix.
    fs::path
    sibling(const fs::path &directory, const std::string &suffix)
    {
      return directory.parent_path()
             / ("." + directory.filename().string() + suffix);
    }

    /// Exchanges the names of two directories at once (Linux
    /// renameat2(RENAME_EXCHANGE)); false where the file system cannot.
    bool
    exchange(const fs::path &a, const fs::path &b)
    {
      return ::renameat2(
               AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE)
             == 0;
    }

    /// Takes an exclusive flock on @p path, created if need be; -1 if
    /// another process holds it. Retries when the file was replaced
    /// between open and lock (a releasing run removes it).
    int
    take_lock(const fs::path &path)
    {
      for (;;)
        {
          const int fd
            = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
          if (fd < 0)
            throw std::runtime_error("cannot create the lock file '"
                                     + path.string()
                                     + "': " + std::strerror(errno));
          if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
            {
              ::close(fd);
              return -1;
            }
          struct stat locked, named;
          if (::fstat(fd, &locked) == 0 && ::stat(path.c_str(), &named) == 0
              && locked.st_ino == named.st_ino && locked.st_dev == named.st_dev)
            {
              const std::string owner = std::to_string(::getpid()) + "\n";
              if (::ftruncate(fd, 0) == 0)
                (void)!::write(fd, owner.data(), owner.size());
              return fd;
            }
          ::close(fd);
        }
    }

    /// Whether @p name is one of @p patterns: equal to one, or starting
    /// with the text before the '*' that ends one ("fields_*").
    bool
    matches_any(const std::vector<std::string> &patterns,
                const std::string              &name)
    {
      for (const std::string &p : patterns)
        if (!p.empty() && p.back() == '*'
              ? name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0
              : name == p)
          return true;
      return false;
    }

    /// Copies @p from to @p to (a hard link where possible).
    void
    link_or_copy(const fs::path &from, const fs::path &to)
    {
      std::error_code ec;
      fs::create_directories(to.parent_path());
      fs::create_hard_link(from, to, ec);
      if (ec)
        fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    }
  } // namespace

  StagedDirectory::StagedDirectory(const fs::path                 &directory_,
                                   const std::vector<std::string> &result_names,
                                   const std::vector<std::string> &carried,
                                   const std::string              &source,
                                   const std::string              &entry,
                                   const MPI_Comm communicator_)
    : carried_names(carried)
    , communicator(communicator_)
    , root(dealii::Utilities::MPI::this_mpi_process(communicator_) == 0)
  {
    std::string staging_name;
    on_root_collectively(communicator, [&]() {
      check_output_directory(directory_, source, entry);
      directory = normalized(directory_);
      if (directory == directory.root_path())
        throw InputError(source, entry, "may not be the root directory");
      fs::create_directories(directory.parent_path());

      lock_path = sibling(directory, ".lock");
      lock_fd   = take_lock(lock_path);
      if (lock_fd < 0)
        {
          std::string   owner;
          std::ifstream in(lock_path);
          std::getline(in, owner);
          throw InputError(source,
                           entry,
                           "another run (process "
                             + (owner.empty() ? "?" : owner)
                             + ") is writing into '" + directory.string()
                             + "'; wait until it ends or choose another "
                               "directory");
        }

      try
        {
          // Only an earlier result is replaced, never a directory of other
          // files (a typo like "." must not wipe the working directory).
          std::error_code ec;
          if (fs::exists(directory, ec))
            for (const auto &item : fs::directory_iterator(directory))
              {
                const std::string name = item.path().filename().string();
                if (!matches_any(result_names, name)
                    && std::find(carried_names.begin(),
                                 carried_names.end(),
                                 name)
                         == carried_names.end())
                  throw InputError(
                    source,
                    entry,
                    "'" + directory.string() + "' holds '" + name
                      + "', which is not part of a result of this "
                        "app; a new result replaces the old one as "
                        "a whole, so give a new or empty "
                        "directory");
              }

          staging_path
            = sibling(directory, ".partial-" + std::to_string(::getpid()));
          fs::remove_all(staging_path);
          fs::create_directories(staging_path);
          staging_name = staging_path.string();
          remove_if_empty_on_termination(staging_name, lock_path.string());
        }
      catch (...)
        {
          std::error_code ignored;
          fs::remove(lock_path, ignored);
          ::close(lock_fd);
          lock_fd = -1;
          throw;
        }
    });
    staging_path
      = dealii::Utilities::MPI::broadcast(communicator, staging_name, 0);
  }

  StagedDirectory::~StagedDirectory()
  {
    if (!root)
      return;
    remove_if_empty_on_termination("", "");
    std::error_code ignored;
    if (!published && !keep && !staging_path.empty())
      fs::remove_all(staging_path, ignored);
    if (lock_fd >= 0)
      {
        // Removed while still held: a run that opened it meanwhile sees
        // another file under the name and retries.
        fs::remove(lock_path, ignored);
        ::close(lock_fd);
      }
  }

  const fs::path &
  StagedDirectory::staging() const
  {
    return staging_path;
  }

  void
  StagedDirectory::keep_on_failure()
  {
    keep = true;
  }

  std::vector<std::string>
  StagedDirectory::publish(const std::vector<std::string> &adopted)
  {
    std::vector<std::string> missing;
    MPI_Barrier(communicator);
    on_root_collectively(communicator, [&]() {
      // Where files of earlier runs of this directory may be: the earlier
      // result, and staging folders kept by failed or stopped runs.
      std::vector<fs::path> sources{directory};
      const std::string     prefix
        = "." + directory.filename().string() + ".partial-";
      for (const auto &item : fs::directory_iterator(directory.parent_path()))
        if (item.path().filename().string().rfind(prefix, 0) == 0
            && item.path() != staging_path)
          sources.push_back(item.path());

      for (const std::string &file : adopted)
        {
          if (fs::exists(staging_path / file))
            continue;
          bool found = false;
          for (const fs::path &from : sources)
            if (fs::is_regular_file(from / file))
              {
                const fs::path    record = from / file;
                const std::string stem   = record.stem().string() + ".";
                for (const auto &item :
                     fs::directory_iterator(record.parent_path()))
                  if (item.path().filename().string().rfind(stem, 0) == 0)
                    link_or_copy(item.path(),
                                 staging_path / fs::path(file).parent_path()
                                   / item.path().filename());
                found = true;
                break;
              }
          if (!found)
            missing.push_back(file);
        }

      std::error_code ec;
      for (const std::string &name : carried_names)
        if (fs::exists(directory / name, ec)
            && !fs::exists(staging_path / name, ec))
          fs::rename(directory / name, staging_path / name);

      if (fs::exists(directory, ec))
        {
          if (exchange(staging_path, directory))
            fs::remove_all(staging_path);
          else
            {
              const fs::path old
                = sibling(directory, ".old-" + std::to_string(::getpid()));
              fs::rename(directory, old);
              fs::rename(staging_path, directory);
              fs::remove_all(old);
            }
        }
      else
        fs::rename(staging_path, directory);
      for (std::size_t i = 1; i < sources.size(); ++i)
        fs::remove_all(sources[i], ec);
    });
    published = true;
    return dealii::Utilities::MPI::broadcast(communicator, missing, 0);
  }
} // namespace scalebridge::io
