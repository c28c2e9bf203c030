#ifndef scalebridge_macro_electrode_job_h
#define scalebridge_macro_electrode_job_h

#include <deal.II/base/mpi.h>

#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/electrode_results.h>

namespace scalebridge::macro
{
  /// What scalebridge-electrode --help says about itself.
  extern const char *const electrode_app_description;

  /**
   * The whole electrode job: builds and checks the model (any bad input
   * throws InputError before anything is written), runs the solver of the
   * requested dimension and, if @p write_outputs, writes voltage.csv,
   * profiles/, summary.json, voltage.png (gnuplot) and, in 2D/3D, VTU into
   * Output/Directory. Collective on @p mpi_communicator.
   */
  ElectrodeResults
  run_electrode_simulation(const CellParameters &parameters,
                           MPI_Comm              mpi_communicator,
                           bool                  write_outputs = true,
                           bool                  verbose       = true);
} // namespace scalebridge::macro

#endif
