#ifndef scalebridge_io_checkpoint_folder_h
#define scalebridge_io_checkpoint_folder_h

#include <deal.II/base/mpi.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace scalebridge::io
{
  /**
   * The folder name of a checkpoint at simulated time @p time [s]:
   * "t_000001234.500000s", fixed width, so that names sort by time.
   */
  std::string
  checkpoint_name(double time);

  /// FNV-1a (64 bit) of the file's bytes, as 16 hex digits: cheap, and
  /// enough to notice a truncated or altered file.
  std::string
  file_hash(const std::filesystem::path &path);

  /**
   * Runs @p action on rank 0 of @p communicator and makes its failure
   * everyone's: every process throws the same error (InputError keeps its
   * source and entry), so that no process waits for one that gave up.
   */
  void
  on_root_collectively(MPI_Comm                     communicator,
                       const std::function<void()> &action);

  /**
   * Writes one checkpoint folder so that a run killed at any moment leaves
   * either the complete folder or none under its final name: the files go
   * into a hidden sibling ".partial-NAME"; commit() adds manifest.json (size
   * and hash of every file), then renames the folder onto NAME and removes
   * the oldest checkpoints beyond @p keep. Collective.
   */
  class CheckpointWriter
  {
  public:
    CheckpointWriter(const std::filesystem::path &directory,
                     const std::string           &name,
                     MPI_Comm                     communicator);

    /// Where the files go until commit().
    const std::filesystem::path &
    staging() const;

    /// Seals and publishes the folder; returns its final path.
    std::filesystem::path
    commit(unsigned int keep);

  private:
    std::filesystem::path directory;
    std::string           name;
    std::filesystem::path staging_path;
    MPI_Comm              communicator;
  };

  /**
   * Checks @p folder against its manifest.json (every file present with its
   * size and hash); throws InputError naming the folder and the file that
   * is missing or damaged.
   */
  void
  verify_checkpoint(const std::filesystem::path &folder);
} // namespace scalebridge::io

#endif
