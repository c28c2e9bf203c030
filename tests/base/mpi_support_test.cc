// The test infrastructure itself under MPI: every rank runs the tests, the
// scratch directory is shared, and a file written by rank 0 is seen by all.

#include <deal.II/base/mpi.h>

#include <scalebridge/io/atomic_file.h>

#include <gtest/gtest.h>

#include <fstream>

#include "test_paths.h"

using namespace scalebridge;

TEST(MpiSupport, AllRanksTakePart)
{
  const unsigned int size
    = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  const unsigned int ranks_here
    = dealii::Utilities::MPI::sum(1u, MPI_COMM_WORLD);
  EXPECT_EQ(ranks_here, size);
}

TEST(MpiSupport, SharedScratchDirectory)
{
  const auto dir  = test_support::scratch_directory("mpi_support");
  const auto rank = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
  if (rank == 0)
    io::write_atomically(dir / "from_root.txt",
                         [](std::ostream &out) { out << 42; });
  MPI_Barrier(MPI_COMM_WORLD);
  int           value = 0;
  std::ifstream in(dir / "from_root.txt");
  in >> value;
  EXPECT_EQ(value, 42);
}
