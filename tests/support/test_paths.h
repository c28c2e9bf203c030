#ifndef scalebridge_tests_test_paths_h
#define scalebridge_tests_test_paths_h

#include <deal.II/base/mpi.h>

#include <filesystem>
#include <string>

namespace scalebridge::test_support
{
  /// Absolute path of a file in the source tree (e.g. "inputs/materials/x").
  inline std::filesystem::path
  source_path(const std::string &relative)
  {
    return std::filesystem::path(SCALEBRIDGE_SOURCE_DIR) / relative;
  }

  /// A fresh scratch directory below the test working directory, emptied
  /// first so that a test never sees the leftovers of an earlier run. The
  /// path holds the size of @p comm, because CTest may run the same test at
  /// 1 and 2 ranks at the same time; rank 0 cleans, the others wait.
  inline std::filesystem::path
  scratch_directory(const std::string &name, MPI_Comm comm = MPI_COMM_WORLD)
  {
    const std::filesystem::path dir
      = std::filesystem::current_path() / "scratch"
        / (name + ".np"
           + std::to_string(dealii::Utilities::MPI::n_mpi_processes(comm)));
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
      }
    MPI_Barrier(comm);
    return dir;
  }
} // namespace scalebridge::test_support

#endif
