#ifndef scalebridge_fe2_scheduler_h
#define scalebridge_fe2_scheduler_h

#include <deal.II/base/mpi.h>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace scalebridge::fe2
{
  /**
   * Runs independent work items (RVE solves) on fixed-size groups of ranks
   * fed by a dynamic queue, because the cost of an item varies with the
   * state and the microstructure.
   *
   * The communicator is split (MPI_Comm_split) into groups of `Ranks per
   * RVE` consecutive ranks; a rank count that is not a multiple makes the
   * last group larger. The queue is one counter in an MPI window on rank 0:
   * the leader of a group that is free takes the next item with an atomic
   * fetch-and-add (passive target, so nobody has to serve it) and
   * broadcasts it to its group. Outcomes travel back through deal.II's
   * all_gather, i.e. Boost.Serialization archives, and every rank receives
   * all of them (they are small: tensors, not fields).
   */
  class RveScheduler
  {
  public:
    /// Collective. Throws std::invalid_argument if @p ranks_per_group is 0
    /// or exceeds the size of @p communicator.
    RveScheduler(MPI_Comm communicator, unsigned int ranks_per_group);
    ~RveScheduler();

    RveScheduler(const RveScheduler &) = delete;
    RveScheduler &
    operator=(const RveScheduler &)
      = delete;

    unsigned int
    n_groups() const
    {
      return groups;
    }
    unsigned int
    ranks_per_group() const
    {
      return group_size;
    }
    /// The communicator of this rank's group.
    MPI_Comm
    group_communicator() const
    {
      return group_comm;
    }

    /**
     * Collective: runs @p work on every item of @p jobs (the same list on
     * every rank) and returns all results, in the order of @p jobs, on
     * every rank. An exception in any item ends the call on every rank
     * with the same std::runtime_error (the first failed item's message).
     */
    template <class Job, class Result>
    std::vector<Result>
    run(const std::vector<Job>                                   &jobs,
        const std::function<Result(const Job &, MPI_Comm group)> &work);

    /** @name Accounting over all calls of run() */
    ///@{
    /// Wall time inside run(), max over ranks.
    double
    wall_time() const;
    /// Time the groups spent on items over the time they were available,
    /// (sum over groups of busy time) / (groups x wall time).
    double
    efficiency() const;
    ///@}

  private:
    /// Leaders take indices until the queue is empty; all group ranks call
    /// @p work(index) for the indices of their group.
    void
    run_queue(std::size_t n, const std::function<void(std::size_t)> &work);

    template <class Result>
    struct Outcome
    {
      std::uint64_t index = 0;
      std::string   error;
      Result        result;

      template <class Archive>
      void
      serialize(Archive &archive, const unsigned int)
      {
        archive &index &error &result;
      }
    };

    MPI_Comm     communicator;
    MPI_Comm     group_comm = MPI_COMM_NULL;
    MPI_Win      window     = MPI_WIN_NULL;
    long        *counter    = nullptr;
    unsigned int group_size = 1;
    unsigned int groups     = 1;
    bool         leader     = true;
    /// Value of the window counter at the start of the next run.
    long   counter_base = 0;
    double busy         = 0;
    double wall         = 0;
  };


  template <class Job, class Result>
  std::vector<Result>
  RveScheduler::run(
    const std::vector<Job>                                   &jobs,
    const std::function<Result(const Job &, MPI_Comm group)> &work)
  {
    std::vector<Outcome<Result>> mine;
    run_queue(jobs.size(), [&](const std::size_t i) {
      Outcome<Result> outcome;
      outcome.index = i;
      try
        {
          outcome.result = work(jobs[i], group_comm);
        }
      catch (const std::exception &e)
        {
          outcome.error = e.what();
          if (outcome.error.empty())
            outcome.error = "unknown error";
        }
      if (leader)
        mine.push_back(outcome);
    });
    const auto all = dealii::Utilities::MPI::all_gather(communicator, mine);
    std::vector<Result> results(jobs.size());
    std::string         error;
    std::size_t         first_failed = jobs.size();
    for (const auto &from_rank : all)
      for (const auto &outcome : from_rank)
        {
          if (!outcome.error.empty() && outcome.index < first_failed)
            {
              first_failed = outcome.index;
              error        = outcome.error;
            }
          results[outcome.index] = outcome.result;
        }
    if (!error.empty())
      throw std::runtime_error(error);
    return results;
  }
} // namespace scalebridge::fe2

#endif
