// scalebridge-study FILE.prm [--set "Subsection/Entry=value"]... [--help]
// Ensembles of RVE solves or cell runs over MPI: RVE size and uncertainty.

#include <deal.II/base/mpi.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/scheduler.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/parameter_app.h>
#include <scalebridge/study/parameters.h>
#include <scalebridge/study/rve_size_study.h>
#include <scalebridge/study/uncertainty_study.h>

#include <filesystem>
#include <iostream>

namespace
{
  const char *description =
    R"(Studies over many RVE solves or cell runs, spread over MPI groups of
'Study/Ranks per item' ranks by the FE2 scheduler (a dynamic queue).
'rve size': a generator at several sizes (same voxel size) and seeds, or
sub-volumes of a large image, under periodic, kubc and tubc conditions; per
tensor component the mean and sd per size, the KUBC-TUBC gap, the size
needed for a relative error (Kanit et al. 2003) and the extrapolation to
infinite size. 'uncertainty': card covariances, further cell entries with a
distribution and RVE realizations (aleatoric) propagated to V(t), capacity
and energy by the delta method and a Saltelli design (Monte Carlo / Latin
hypercube, first and total Sobol indices with bootstrap intervals), the
epistemic and aleatoric variance and an identifiability table. Writes
study.json, CSV tables and PNG plots into Output/Directory; finished items
are kept in Output/Directory/items, so a stopped study continues where it
stopped (an item is solved again when anything it reads changed).)";
}

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  study::StudyParameters parameters;
  io::ParameterApp       app;
  app.name        = "scalebridge-study";
  app.description = description;
  app.declare
    = [&](dealii::ParameterHandler &prm) { parameters.add_parameters(prm); };
  app.stops_at_safe_points = true;
  app.run                  = [&](dealii::ParameterHandler &) {
    parameters.source
      = io::parse_command_line(std::vector<std::string>(argv + 1, argv + argc))
          .parameter_file;
    parameters.check();
    const unsigned int size
      = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    if (parameters.ranks_per_item > size)
      throw InputError(parameters.source,
                       "Study/Ranks per item",
                       "at most the number of MPI ranks, "
                         + std::to_string(size));
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    std::ostream          null_stream(nullptr);
    std::ostream         &log = root ? std::cout : null_stream;
    fe2::RveScheduler     scheduler(MPI_COMM_WORLD, parameters.ranks_per_item);
    study::ItemAccounting accounting;
    nlohmann::json        result
      = parameters.type == "rve size"
                           ? study::run_rve_size_study(parameters, scheduler, accounting, log)
                           : study::run_uncertainty_study(parameters,
                                         scheduler,
                                         accounting,
                                         log);
    const bool   det  = parameters.deterministic;
    const double wall = accounting.wall;
    // A reduction over all ranks: taken once, by every rank.
    const double efficiency = scheduler.efficiency();
    result["work"]
      = {{"items", accounting.items},
         {"reused", accounting.reused},
         {"solved", accounting.solved},
         {"ranks", det ? 0u : size},
         {"groups", det ? 0u : scheduler.n_groups()},
         {"wall_time_s", det ? 0. : wall},
         {"items_per_second", det || wall <= 0 ? 0. : accounting.solved / wall},
         {"scheduler_efficiency", det ? 0. : efficiency}};
    if (root)
      {
        const auto file
          = std::filesystem::path(parameters.directory) / "study.json";
        io::write_json(file, result);
        log << "solved " << accounting.solved << " items, reused "
            << accounting.reused << ", " << wall << " s, "
            << (wall > 0 ? accounting.solved / wall : 0.)
            << " items/s, scheduler efficiency " << efficiency << "\nwrote "
            << file.string() << std::endl;
      }
  };
  return io::run_parameter_app(argc, argv, app);
}
