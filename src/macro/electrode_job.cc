#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/fe2_properties.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/checkpoint.h>
#include <scalebridge/macro/electrode_job.h>
#include <scalebridge/macro/electrode_solver.h>

#include <filesystem>
#include <fstream>
#include <iostream>
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
      "The defaults are the Marquis et al. (2019) cell, 1C discharge.";

  namespace
  {
    template <int dim>
    ElectrodeResults
    run(const CellModel   &model,
        MPI_Comm           communicator,
        const std::string &vtu_directory,
        const bool         verbose)
    {
      ElectrodeSolver<dim> solver(model, communicator, verbose);
      solver.setup(model.parameters.restart);
      return solver.run(vtu_directory);
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

    CellModel model = CellModel::build(parameters);
    model.effective_properties
      = fe2::make_effective_properties(model, communicator, verbose);
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(communicator) == 0;
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

    const std::filesystem::path directory = parameters.output.directory;
    std::string                 vtu_directory;
    if (write_outputs && parameters.dimension > 1
        && parameters.output.write_vtu)
      {
        vtu_directory = (directory / "vtu").string();
        if (root)
          std::filesystem::create_directories(vtu_directory);
        MPI_Barrier(communicator);
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

    if (write_outputs && root)
      {
        results.write(directory, parameters.output.plot);
        if (verbose)
          std::cout << "Results in " << directory.string() << ": capacity "
                    << results.capacity_Ah_per_m2 << " Ah/m^2, energy "
                    << results.energy_Wh_per_m2 << " Wh/m^2" << std::endl;
      }
    return results;
  }
} // namespace scalebridge::macro
