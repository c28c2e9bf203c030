// MPI-aware GoogleTest main: MPI (and PETSc, through deal.II) is initialised
// once for the whole executable; only rank 0 prints the usual report, other
// ranks report their failures only, and all ranks agree on the exit code.

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <iostream>

namespace
{
  /// Prints failed assertions of a non-root rank, prefixed with the rank, so
  /// that a failure on rank 1 is visible although rank 1 is otherwise quiet.
  class RankFailurePrinter : public testing::EmptyTestEventListener
  {
  public:
    explicit RankFailurePrinter(const unsigned int rank)
      : rank(rank)
    {
    }

    void
    OnTestPartResult(const testing::TestPartResult &result) override
    {
      if (result.failed())
        std::cerr << "[rank " << rank << "] " << result.file_name() << ':'
                  << result.line_number() << ": " << result.summary()
                  << std::endl;
    }

  private:
    const unsigned int rank;
  };
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  testing::InitGoogleTest(&argc, argv);

  const unsigned int rank
    = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
  if (rank != 0)
    {
      testing::TestEventListeners &listeners
        = testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
      listeners.Append(new RankFailurePrinter(rank));
    }

  const int local_result = RUN_ALL_TESTS();
  return dealii::Utilities::MPI::max(local_result, MPI_COMM_WORLD);
}
