#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/fe2_properties.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/checkpoint.h>
#include <scalebridge/macro/electrode_job.h>
#include <scalebridge/macro/electrode_solver.h>

#include <scalebridge/io/output_location.h>
#include <scalebridge/io/staged_directory.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace scalebridge::macro
{
  const char *const electrode_app_description
    = "Porous-electrode (Doyle-Fuller-Newman, P2D) battery cell solver: full\n"
      "cell or half cell, 1D through the thickness or 2D/3D with in-plane\n"
      "extent. Material functions come from expressions, tables or material\n"
      "cards; effective transport from Bruggeman, given tensors, the RVE\n"
      "tool's effective_tensors.json or a live RVE per macro cell (FE2:\n"
      "Strategy = fe2, subsections RVE and FE2). Outputs in Output/Directory:\n"
      "voltage.csv, profiles/, summary.json, voltage.png, VTU (2D/3D).\n"
      "Checkpoints (subsection Checkpoint) continue with --restart FOLDER.\n"
      "Mechanics (subsection Mechanics; per region Effective mechanics):\n"
      "stress and expansion from the effective stiffness and swelling,\n"
      "mechanics.csv, mechanics.png and displacement/stress in the VTU;\n"
      "Stress feedback shifts the OCV by Omega sigma_h / F.\n"
      "The defaults are the Marquis et al. (2019) cell, 1C discharge.";

  namespace
  {
    /// What a result in Output/Directory consists of.
    const std::vector<std::string> result_names = {"voltage.csv",
                                                   "voltage.png",
                                                   "summary.json",
                                                   "mechanics.csv",
                                                   "mechanics.png",
                                                   "profiles",
                                                   "vtu"};

    /**
     * Checks Output/Directory (and Checkpoint/Directory when checkpoints
     * are written) and makes the staging folder of the outputs. A
     * checkpoint folder inside Output/Directory is carried from one result
     * to the next.
     */
    std::unique_ptr<io::StagedDirectory>
    stage_outputs(const CellParameters &parameters, MPI_Comm communicator)
    {
      namespace fs                   = std::filesystem;
      const CheckpointParameters &cp = parameters.checkpoint;
      std::vector<std::string>    carried;
      if (cp.interval > 0)
        io::on_root_collectively(communicator, [&]() {
          io::check_output_directory(cp.directory,
                                     parameters.source,
                                     "Checkpoint/Directory");
          const auto normal = [](const fs::path &p) {
            fs::path n = fs::absolute(p).lexically_normal();
            return n.has_filename() ? n : n.parent_path();
          };
          const fs::path inside
            = normal(cp.directory)
                .lexically_relative(normal(parameters.output.directory));
          if (inside.empty() || *inside.begin() == "..")
            return;
          const std::string first = inside.begin()->string();
          if (first == "." || first.empty()
              || std::find(result_names.begin(), result_names.end(), first)
                   != result_names.end())
            throw InputError(parameters.source,
                             "Checkpoint/Directory",
                             "may not be Output/Directory or one of its "
                             "result folders (profiles, vtu); use e.g. "
                             "Output/Directory/checkpoints");
          carried.push_back(first);
        });
      carried = dealii::Utilities::MPI::broadcast(communicator, carried, 0);
      auto output
        = std::make_unique<io::StagedDirectory>(parameters.output.directory,
                                                result_names,
                                                carried,
                                                parameters.source,
                                                "Output/Directory",
                                                communicator);
      // The VTU files of a run that stops are needed by its restart.
      if (cp.interval > 0 && parameters.dimension > 1
          && parameters.output.write_vtu)
        output->keep_on_failure();
      return output;
    }

    template <int dim>
    ElectrodeResults
    run(const CellModel   &model,
        MPI_Comm           communicator,
        const std::string &vtu_directory,
        const bool         verbose)
    {
      // The solver is destroyed before an error propagates: its
      // TimerOutput prints a page when it is destroyed during unwinding.
      std::exception_ptr failure;
      ElectrodeResults   results;
      {
        ElectrodeSolver<dim> solver(model, communicator, verbose);
        try
          {
            solver.setup(model.parameters.restart);
            results = solver.run(vtu_directory);
          }
        catch (...)
          {
            failure = std::current_exception();
          }
      }
      if (failure)
        std::rethrow_exception(failure);
      return results;
    }
  } // namespace

  ElectrodeResults
  run_electrode_simulation(const CellParameters &parameters,
                           MPI_Comm              communicator,
                           const bool            write_outputs,
                           const bool            verbose)
  {
    // A restart: the folder must be complete and written for this input.
    if (!parameters.restart.empty())
      io::on_root_collectively(communicator, [&]() {
        io::verify_checkpoint(parameters.restart);
        std::ifstream  in(std::filesystem::path(parameters.restart)
                         / "input.json");
        nlohmann::json then;
        try
          {
            then = nlohmann::json::parse(in);
          }
        catch (const std::exception &)
          {
            throw InputError(parameters.restart,
                             "input.json",
                             "is not a ScaleBridge input fingerprint");
          }
        const std::vector<std::string> differences
          = fingerprint_differences(then, input_fingerprint(parameters));
        if (!differences.empty())
          {
            std::string text;
            for (const std::string &d : differences)
              text += (text.empty() ? "" : "; ") + d;
            throw InputError(parameters.restart,
                             "--restart",
                             "the checkpoint was written for another input ("
                               + text + ")");
          }
      });

    CellModel  model = CellModel::build(parameters);
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(communicator) == 0;

    // Output locations are checked, locked and staged before computing.
    std::unique_ptr<io::StagedDirectory> output;
    if (write_outputs)
      output = stage_outputs(parameters, communicator);

    model.effective_properties
      = fe2::make_effective_properties(model, communicator, verbose);
    if (model.mechanical_properties || parameters.mechanics.enabled)
      model.mechanical_properties
        = fe2::make_mechanical_properties(model, communicator, verbose);
    if (verbose && root)
      {
        dealii::ConditionalOStream out(std::cout, true);
        parameters.print(out);
        for (const unsigned int r :
             {negative_electrode, separator, positive_electrode})
          if (model.regions[r].present)
            {
              out << "  " << region_name(r) << ": "
                  << model.effective_properties->describe(r) << '\n';
              if (model.mechanical_properties)
                out << "    mechanics: "
                    << model.mechanical_properties->describe(r) << '\n';
              if (model.regions[r].material)
                {
                  std::istringstream lines(
                    model.regions[r].material->describe());
                  for (std::string line; std::getline(lines, line);)
                    out << "    " << line << '\n';
                }
            }
        out << "  initial open-circuit voltage "
            << model.initial_open_circuit_voltage << " V" << std::endl;
      }

    std::string vtu_directory;
    if (write_outputs && parameters.dimension > 1
        && parameters.output.write_vtu)
      {
        vtu_directory = (output->staging() / "vtu").string();
        io::on_root_collectively(communicator, [&]() {
          std::filesystem::create_directories(vtu_directory);
        });
      }

    ElectrodeResults results;
    switch (parameters.dimension)
      {
        case 1:
          results = run<1>(model, communicator, vtu_directory, verbose);
          break;
        case 2:
          results = run<2>(model, communicator, vtu_directory, verbose);
          break;
        default:
          results = run<3>(model, communicator, vtu_directory, verbose);
      }
    results.effective_properties = model.effective_properties->report();
    for (auto &file : results.vtu_files)
      file = "vtu/" + file;

    if (write_outputs)
      {
        io::on_root_collectively(communicator, [&]() {
          results.write(output->staging(), parameters.output.plot);
        });
        // A restarted run lists the VTU records of the run before its
        // checkpoint: taken over from this directory's earlier result.
        const std::vector<std::string> missing
          = output->publish(results.vtu_files);
        const std::filesystem::path directory = parameters.output.directory;
        if (verbose && root)
          {
            if (!missing.empty())
              std::cout << "Note: " << missing.size()
                        << " VTU records of the run before the restart are "
                           "not in "
                        << directory.string() << " (e.g. " << missing.front()
                        << "); summary.json lists them" << std::endl;
            std::cout << "Results in " << directory.string() << ": capacity "
                      << results.capacity_Ah_per_m2 << " Ah/m^2, energy "
                      << results.energy_Wh_per_m2 << " Wh/m^2" << std::endl;
          }
      }
    return results;
  }
} // namespace scalebridge::macro
