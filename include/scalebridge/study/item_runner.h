#ifndef scalebridge_study_item_runner_h
#define scalebridge_study_item_runner_h

#include <deal.II/base/mpi.h>

#include <scalebridge/fe2/scheduler.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace scalebridge::study
{
  /// FNV-1a (64 bit) of @p text as 16 hex digits.
  std::string
  text_hash(const std::string &text);

  /// One work item of a study: what makes it unique, and its name for
  /// progress lines.
  struct WorkItem
  {
    /// Everything that changes the item's result (parameter text, seeds,
    /// hashes of the files it reads); its hash names the stored result.
    std::string description;
    std::string label;

    std::string
    key() const
    {
      return text_hash(description);
    }
  };

  /// Work done by run_items(), summed over its calls.
  struct ItemAccounting
  {
    std::size_t items  = 0;
    std::size_t reused = 0;
    std::size_t solved = 0;
    double      wall   = 0;
  };

  /**
   * Runs study items through the FE2 scheduler (fe2::RveScheduler: groups of
   * ranks fed by a dynamic queue) and keeps every finished item as
   * `<directory>/<key>.json`, written atomically by rank 0 after each batch,
   * so that a study stopped at any moment continues with the items that are
   * left: an item whose file exists is read instead of solved. Batches of
   * @p batch_size items bound what a stop can lose. Collective; @p work runs
   * on the item's group communicator and returns the item's result. Results
   * come back in the order of @p items on every rank.
   */
  std::vector<nlohmann::json>
  run_items(fe2::RveScheduler                                   &scheduler,
            const std::filesystem::path                         &directory,
            const std::vector<WorkItem>                         &items,
            const std::function<nlohmann::json(std::size_t index,
                                               MPI_Comm    group)> &work,
            std::size_t                                          batch_size,
            ItemAccounting                                      &accounting,
            std::ostream                                        &log);
} // namespace scalebridge::study

#endif
