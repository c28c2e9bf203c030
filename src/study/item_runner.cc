#include <deal.II/base/timer.h>

#include <scalebridge/io/json_file.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/study/item_runner.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

namespace scalebridge::study
{
  std::string
  text_hash(const std::string &text)
  {
    std::uint64_t h = 1469598103934665603ULL;
    for (const unsigned char c : text)
      {
        h ^= c;
        h *= 1099511628211ULL;
      }
    char buffer[17];
    std::snprintf(buffer,
                  sizeof buffer,
                  "%016llx",
                  static_cast<unsigned long long>(h));
    return buffer;
  }

  std::vector<nlohmann::json>
  run_items(fe2::RveScheduler           &scheduler,
            const std::filesystem::path &directory,
            const std::vector<WorkItem> &items,
            const std::function<nlohmann::json(std::size_t, MPI_Comm)> &work,
            const std::size_t batch_size,
            ItemAccounting   &accounting,
            std::ostream     &log)
  {
    MPI_Comm      world = MPI_COMM_WORLD;
    const bool    root  = dealii::Utilities::MPI::this_mpi_process(world) == 0;
    dealii::Timer timer;

    // Rank 0 reads the finished items (a file that does not parse, e.g. of
    // an older format, is solved again) and hands them to everyone.
    std::vector<std::string> stored(items.size());
    if (root)
      {
        std::filesystem::create_directories(directory);
        for (std::size_t i = 0; i < items.size(); ++i)
          {
            const auto file = directory / (items[i].key() + ".json");
            if (!std::filesystem::exists(file))
              continue;
            try
              {
                const auto j = io::read_json(file);
                if (j.value("description", std::string())
                    == items[i].description)
                  stored[i] = j.at("result").dump();
              }
            catch (const std::exception &)
              {
              }
          }
      }
    stored = dealii::Utilities::MPI::broadcast(world, stored, 0);

    std::vector<nlohmann::json> results(items.size());
    std::vector<std::size_t>    left;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (stored[i].empty())
        left.push_back(i);
      else
        results[i] = nlohmann::json::parse(stored[i]);
    accounting.items += items.size();
    accounting.reused += items.size() - left.size();
    if (items.size() != left.size())
      log << "  " << items.size() - left.size() << " of " << items.size()
          << " items kept from an earlier run" << std::endl;

    const std::size_t batch = std::max<std::size_t>(batch_size, 1);
    for (std::size_t begin = 0; begin < left.size(); begin += batch)
      {
        io::stop_if_terminated(world, "between study items");
        const std::vector<std::size_t> jobs(left.begin() + begin,
                                            left.begin()
                                              + std::min(left.size(),
                                                         begin + batch));
        const std::function<std::string(const std::size_t &, MPI_Comm)> run
          = [&](const std::size_t &i, MPI_Comm group) {
              return work(i, group).dump();
            };
        const auto done = scheduler.run(jobs, run);
        for (std::size_t j = 0; j < jobs.size(); ++j)
          {
            results[jobs[j]] = nlohmann::json::parse(done[j]);
            if (root)
              io::write_json(directory / (items[jobs[j]].key() + ".json"),
                             {{"description", items[jobs[j]].description},
                              {"label", items[jobs[j]].label},
                              {"result", results[jobs[j]]}});
          }
        accounting.solved += jobs.size();
        log << "  items " << begin + jobs.size() << " of " << left.size()
            << " solved" << std::endl;
      }
    accounting.wall += dealii::Utilities::MPI::max(timer.wall_time(), world);
    return results;
  }
} // namespace scalebridge::study
