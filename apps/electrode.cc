// scalebridge-electrode FILE.prm [--set "Subsection/Entry=value"]...
//   [--restart CHECKPOINT_FOLDER] [--help]
// The porous-electrode (DFN) battery solver; see --help.

#include <scalebridge/io/parameter_app.h>
#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/electrode_job.h>

#include <string>
#include <vector>

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  macro::CellParameters parameters;
  try
    {
      // The parameter file names the source of input errors.
      const io::CommandLine command_line = io::parse_command_line(
        std::vector<std::string>(argv + 1, argv + argc), {"--restart"});
      parameters.source = command_line.parameter_file;
      if (command_line.options.count("--restart") != 0)
        parameters.restart = command_line.options.at("--restart");
    }
  catch (...)
    {
      // run_parameter_app() reports command-line errors.
    }
  return io::run_parameter_app(
    argc,
    argv,
    {"scalebridge-electrode",
     macro::electrode_app_description,
     [&](dealii::ParameterHandler &prm) { parameters.add_parameters(prm); },
     [&](dealii::ParameterHandler &) {
       macro::run_electrode_simulation(parameters, MPI_COMM_WORLD);
     },
     {"--restart"},
     " [--restart CHECKPOINT_FOLDER]",
     /* stops_at_safe_points = */ true});
}
