#include <deal.II/base/mpi.h>

#include <scalebridge/fe2/scheduler.h>

#include <gtest/gtest.h>

#include <numeric>

using namespace scalebridge::fe2;

namespace
{
  unsigned int
  n_ranks()
  {
    return dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  }
} // namespace

TEST(RveScheduler, EveryJobOnceInOrderOnEveryRank)
{
  for (unsigned int per_group = 1; per_group <= n_ranks(); ++per_group)
    {
      RveScheduler scheduler(MPI_COMM_WORLD, per_group);
      EXPECT_EQ(scheduler.n_groups(), n_ranks() / per_group);
      // Twice: the queue counter must carry over between calls.
      for (const unsigned int n : {37u, 5u, 0u, 12u})
        {
          std::vector<int> jobs(n);
          std::iota(jobs.begin(), jobs.end(), 100);
          std::vector<int> done_here;
          const auto       results = scheduler.run<int, std::vector<int>>(
            jobs, [&](const int &job, const MPI_Comm group) {
              // Work on the group: every rank of it takes part.
              const int sum = dealii::Utilities::MPI::sum(1, group);
              if (dealii::Utilities::MPI::this_mpi_process(group) == 0)
                done_here.push_back(job);
              return std::vector<int>{job, job * job, sum};
            });
          ASSERT_EQ(results.size(), n);
          for (unsigned int i = 0; i < n; ++i)
            {
              EXPECT_EQ(results[i][0], jobs[i]);
              EXPECT_EQ(results[i][1], jobs[i] * jobs[i]);
            }
          // Each job ran on exactly one group.
          const unsigned int total
            = dealii::Utilities::MPI::sum<unsigned int>(done_here.size(),
                                                        MPI_COMM_WORLD);
          EXPECT_EQ(total, n);
        }
      EXPECT_GT(scheduler.efficiency(), 0);
      EXPECT_LE(scheduler.efficiency(), 1 + 1e-12);
    }
}

TEST(RveScheduler, AnErrorInOneJobEndsTheCallOnEveryRank)
{
  RveScheduler     scheduler(MPI_COMM_WORLD, 1);
  std::vector<int> jobs{1, 2, 3, 4, 5, 6};
  try
    {
      scheduler.run<int, int>(jobs, [](const int &job, MPI_Comm) {
        if (job == 4)
          throw std::runtime_error("job four failed");
        return job;
      });
      FAIL() << "expected an exception";
    }
  catch (const std::runtime_error &e)
    {
      EXPECT_EQ(std::string(e.what()), "job four failed");
    }
  // The scheduler stays usable.
  const auto again
    = scheduler.run<int, int>(jobs,
                              [](const int &job, MPI_Comm) { return -job; });
  EXPECT_EQ(again[5], -6);
}

TEST(RveScheduler, RefusesMoreRanksPerGroupThanRanks)
{
  EXPECT_THROW(RveScheduler(MPI_COMM_WORLD, n_ranks() + 1),
               std::invalid_argument);
  EXPECT_THROW(RveScheduler(MPI_COMM_WORLD, 0), std::invalid_argument);
}
