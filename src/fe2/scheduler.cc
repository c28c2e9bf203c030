#include <deal.II/base/timer.h>

#include <scalebridge/fe2/scheduler.h>

namespace scalebridge::fe2
{
  RveScheduler::RveScheduler(const MPI_Comm     communicator,
                             const unsigned int ranks_per_group)
    : communicator(communicator)
    , group_size(ranks_per_group)
  {
    const unsigned int size
      = dealii::Utilities::MPI::n_mpi_processes(communicator);
    const unsigned int rank
      = dealii::Utilities::MPI::this_mpi_process(communicator);
    if (ranks_per_group == 0 || ranks_per_group > size)
      throw std::invalid_argument("ranks per RVE must lie in [1, "
                                  + std::to_string(size)
                                  + "] (the number of MPI ranks), got "
                                  + std::to_string(ranks_per_group));
    groups          = size / ranks_per_group;
    const int color = std::min(rank / ranks_per_group, groups - 1);
    int       ierr  = MPI_Comm_split(communicator, color, rank, &group_comm);
    AssertThrowMPI(ierr);
    leader = dealii::Utilities::MPI::this_mpi_process(group_comm) == 0;

    const MPI_Aint bytes = rank == 0 ? sizeof(long) : 0;
    ierr                 = MPI_Win_allocate(
      bytes, sizeof(long), MPI_INFO_NULL, communicator, &counter, &window);
    AssertThrowMPI(ierr);
    if (rank == 0)
      {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window);
        *counter = 0;
        MPI_Win_unlock(0, window);
      }
    MPI_Barrier(communicator);
  }

  RveScheduler::~RveScheduler()
  {
    if (window != MPI_WIN_NULL)
      MPI_Win_free(&window);
    if (group_comm != MPI_COMM_NULL)
      MPI_Comm_free(&group_comm);
  }

  void
  RveScheduler::run_queue(const std::size_t                       n,
                          const std::function<void(std::size_t)> &work)
  {
    if (n == 0)
      return;
    dealii::Timer timer;
    const long    one = 1;
    for (;;)
      {
        long taken = 0;
        if (leader)
          {
            MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, window);
            MPI_Fetch_and_op(&one, &taken, MPI_LONG, 0, 0, MPI_SUM, window);
            MPI_Win_unlock(0, window);
          }
        MPI_Bcast(&taken, 1, MPI_LONG, 0, group_comm);
        const long index = taken - counter_base;
        if (index >= static_cast<long>(n))
          break;
        dealii::Timer item;
        work(static_cast<std::size_t>(index));
        busy += item.wall_time();
      }
    // Every leader took exactly one index past the end: the counter now
    // stands at base + n + groups on every rank's reckoning.
    counter_base += static_cast<long>(n) + groups;
    wall += timer.wall_time();
  }

  double
  RveScheduler::wall_time() const
  {
    return dealii::Utilities::MPI::max(wall, communicator);
  }

  double
  RveScheduler::efficiency() const
  {
    // Busy time summed over group leaders (a group works as one).
    const double group_busy
      = dealii::Utilities::MPI::sum(leader ? busy : 0., communicator);
    const double w = wall_time();
    return w > 0 ? group_busy / (groups * w) : 1.;
  }
} // namespace scalebridge::fe2
