// scalebridge-rve: effective stiffness and conductivity tensors of a voxel
// microstructure from periodic, kubc and tubc cell problems.

#include <deal.II/base/mpi.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/output_location.h>
#include <scalebridge/io/parameter_app.h>
#include <scalebridge/io/petsc_options.h>
#include <scalebridge/io/staged_directory.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/rve/homogenization.h>

#include <array>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace
{
  const char *description =
    R"(Homogenises a periodic voxel microstructure: effective stiffness (6 unit
strains in 3D, 3 in 2D plane strain) and conductivity (3 or 2 unit gradients)
from cell problems with periodic, kinematic (kubc) or minimal-kinematic
traction (tubc) boundary conditions, the Hill-Mandel residual of every load
case, Voigt and Reuss bounds, and the transport efficiency and tortuosity
factor of chosen phase groups. Phases without an elastic block carry no load
and phases that do not conduct are removed from that physics; clusters of
cells that are not face-connected to a load path are removed too (see
include/scalebridge/rve/active_domain.h).

Writes <Output/Directory>/effective_tensors.json (and fields_<condition>.pvtu
with 'Write fields'). Tensors: Mandel inside, Voigt (engineering shear) in
stiffness_voigt_Pa; 2D results are the in-plane blocks (11, 22, 12).
Bad input: one line on stderr naming the file and entry, exit code 2, nothing
written; an output directory that is empty, a file, not writable, holding
files other than an earlier result, or being written by another run is
refused before anything is computed. The results are written into a hidden
sibling and renamed onto the directory at the end (replacing an earlier
result only then), so the directory holds one complete result or none, also
after SIGTERM, SIGINT or SIGHUP, which stop every rank within one solver
iteration. PETSc options (PETSC_OPTIONS) are refused: nothing here uses
them. Run with mpirun for several ranks; results do not depend on their
number.)";

  /**
   * Checks the output location on rank 0 before anything is computed and
   * throws the same InputError on every rank, so that no rank goes on
   * alone (the ranks share the file system they write to).
   */
  void
  check_output_location(const std::filesystem::path &directory,
                        const std::string           &source)
  {
    const std::string          entry = "Output/Directory";
    std::array<std::string, 3> error;
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      try
        {
          scalebridge::io::check_output_directory(directory, source, entry);
          scalebridge::io::check_output_file(
            directory / "effective_tensors.json", source, entry);
        }
      catch (const scalebridge::InputError &e)
        {
          error = {{e.source(), e.key(), e.reason()}};
        }
    error = dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, error, 0);
    if (!error[2].empty())
      throw scalebridge::InputError(error[0], error[1], error[2]);
  }
} // namespace

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  rve::RveParameters parameters;
  io::ParameterApp   app;
  app.name        = "scalebridge-rve";
  app.description = description;
  app.declare
    = [&](dealii::ParameterHandler &prm) { parameters.add_parameters(prm); };
  app.run = [&](dealii::ParameterHandler &) {
    const std::string source
      = io::parse_command_line(std::vector<std::string>(argv + 1, argv + argc))
          .parameter_file;
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    // A stream without a buffer discards what it is given: the progress
    // lines of ranks other than 0.
    std::ostream  null_stream(nullptr);
    std::ostream &log = root ? std::cout : null_stream;

    // Everything is read and checked before the first file is written.
    rve::RveInput input = rve::prepare_input(parameters, source);
    // No PETSc object runs here, so every option from PETSC_OPTIONS or a
    // petscrc file is one that nothing uses.
    io::check_petsc_database_used(
      std::vector<std::string>(argv + 1, argv + argc),
      "environment",
      "PETSC_OPTIONS",
      "not used: scalebridge-rve solves its cell problems without PETSc; "
      "unset PETSC_OPTIONS (or remove them from a petscrc file)");
    check_output_location(parameters.directory, source);
    // The files go into a hidden sibling that is renamed onto the directory
    // at the end: one complete result or none, also after a signal.
    io::StagedDirectory output(parameters.directory,
                               {"effective_tensors.json", "fields_*"},
                               {},
                               source,
                               "Output/Directory",
                               MPI_COMM_WORLD);
    input.parameters.directory = output.staging().string();
    log << "scalebridge-rve: " << source << ", " << parameters.dimension
        << "D, " << input.laws.size() << " phases, "
        << dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) << " ranks"
        << std::endl;
    const nlohmann::json result
      = rve::run_homogenization(input, MPI_COMM_WORLD, log);
    io::stop_if_terminated(MPI_COMM_WORLD, "before writing the results");
    io::on_root_collectively(MPI_COMM_WORLD, [&]() {
      try
        {
          io::write_json(output.staging() / "effective_tensors.json", result);
        }
      catch (const std::exception &e)
        {
          // Checked before computing; the disk may still fill meanwhile.
          throw InputError(source,
                           "Output/Directory",
                           "writing effective_tensors.json failed ("
                             + std::string(e.what()) + ")");
        }
    });
    output.publish({});
    log << "wrote "
        << (std::filesystem::path(parameters.directory)
            / "effective_tensors.json")
             .string()
        << std::endl;
  };
  app.stops_at_safe_points = true;
  return io::run_parameter_app(argc, argv, app);
}
