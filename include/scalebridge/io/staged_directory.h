#ifndef scalebridge_io_staged_directory_h
#define scalebridge_io_staged_directory_h

#include <deal.II/base/mpi.h>

#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::io
{
  /**
   * The output directory of one run, written so that it holds one complete
   * result or none: the files go into a hidden sibling ".NAME.partial-PID",
   * which publish() renames onto the directory (replacing an earlier result
   * only then, in one exchange of names). A lock (flock on the sibling
   * ".NAME.lock", released by the kernel when the process dies) refuses a
   * second run into the same directory while the first one is writing.
   *
   * Collective on the communicator: rank 0 does the file system work and
   * its failures become everyone's error.
   */
  class StagedDirectory
  {
  public:
    /**
     * Checks @p directory as check_output_directory() does, takes the lock
     * and makes the staging folder. An existing @p directory must hold
     * nothing but @p result_names (an earlier result, which is replaced;
     * names, or prefixes ending in '*' such as "fields_*" for files whose
     * number depends on the run) and @p carried_names (kept and moved into
     * the new result, e.g. a checkpoint folder inside it); anything else is
     * refused, so that a
     * directory like "." or $HOME is never replaced. Throws InputError
     * (@p source, @p entry, reason).
     */
    StagedDirectory(const std::filesystem::path    &directory,
                    const std::vector<std::string> &result_names,
                    const std::vector<std::string> &carried_names,
                    const std::string              &source,
                    const std::string              &entry,
                    MPI_Comm                        communicator);

    /// Removes the staging folder of a run that did not publish (unless
    /// keep_on_failure()) and releases the lock.
    ~StagedDirectory();

    StagedDirectory(const StagedDirectory &) = delete;
    StagedDirectory &
    operator=(const StagedDirectory &)
      = delete;

    /// Where the run writes its files until publish(), on every process.
    const std::filesystem::path &
    staging() const;

    /// Keep the staging folder of a failed or stopped run, so that a
    /// restart from its checkpoints can take over the files it wrote.
    void
    keep_on_failure();

    /**
     * Copies each file of @p adopted (relative paths, e.g. VTU records a
     * restarted run lists but wrote before its checkpoint) that the
     * staging folder lacks from the earlier result or from a kept staging
     * folder of an earlier run of this directory, with the files whose
     * names continue the record's stem ("solution_0003." for
     * "solution_0003.pvtu"); moves @p carried_names over from the earlier
     * result; then renames the staging folder onto the directory and
     * removes the earlier result and all kept staging folders. Returns the
     * files of @p adopted that were found nowhere.
     */
    std::vector<std::string>
    publish(const std::vector<std::string> &adopted);

  private:
    std::filesystem::path    directory;
    std::filesystem::path    staging_path;
    std::vector<std::string> carried_names;
    MPI_Comm                 communicator;
    bool                     root;
    bool                     published = false;
    bool                     keep      = false;
    int                      lock_fd   = -1;
    std::filesystem::path    lock_path;
  };
} // namespace scalebridge::io

#endif
