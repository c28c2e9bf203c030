// The 2D solver on MPI: with in-plane-uniform properties it must reproduce
// the 1D solution, and its results must not depend on the number of
// processes (run at 1, 2 and 3 ranks; each run also solves the same 2D
// problem on MPI_COMM_SELF, i.e. on one process, and compares).

#include <deal.II/base/mpi.h>

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/electrode_job.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  CellParameters
  coarse_marquis(const unsigned int dimension)
  {
    CellParameters p;
    p.source                  = "test";
    p.dimension               = dimension;
    p.mesh.cells_negative     = 8;
    p.mesh.cells_separator    = 4;
    p.mesh.cells_positive     = 8;
    p.mesh.particle_cells     = 8;
    p.mesh.in_plane_cells     = 3;
    p.operating.protocol      = "Discharge at 2C for 120 s; Rest for 30 s";
    p.output.profile_times    = "60, 120";
    p.time_stepping.tolerance = 1e-2;
    p.output.deterministic    = true;
    return p;
  }

  ElectrodeResults
  run(const CellParameters &p, MPI_Comm comm)
  {
    return run_electrode_simulation(p, comm, false, false);
  }

  /// The 2D run on all processes, shared by the tests (MPI runs on an
  /// oversubscribed machine are slow; each is done once).
  const ElectrodeResults &
  two_dimensional_on_all()
  {
    static const ElectrodeResults results
      = run(coarse_marquis(2), MPI_COMM_WORLD);
    return results;
  }

  const ElectrodeResults &
  one_dimensional()
  {
    static const ElectrodeResults results
      = run(coarse_marquis(1), MPI_COMM_WORLD);
    return results;
  }

  /// Largest voltage difference of two runs with the same steps.
  double
  difference(const ElectrodeResults &a, const ElectrodeResults &b)
  {
    const auto ta = a.voltage.column("time_s"), tb = b.voltage.column("time_s");
    const auto va = a.voltage.column("voltage_V");
    const auto vb = b.voltage.column("voltage_V");
    EXPECT_EQ(ta.size(), tb.size());
    double d = 0;
    for (std::size_t i = 0; i < std::min(ta.size(), tb.size()); ++i)
      {
        EXPECT_NEAR(ta[i], tb[i], 1e-6 * std::max(1.0, ta[i]));
        d = std::max(d, std::abs(va[i] - vb[i]));
      }
    return d;
  }
} // namespace

TEST(ElectrodeSolverMpi, TwoDimensionalUniformCellReproducesOneDimensional)
{
  const ElectrodeResults &one = one_dimensional();
  const ElectrodeResults &two = two_dimensional_on_all();
  EXPECT_LT(difference(one, two), 1e-8);
  EXPECT_NEAR(two.lithium_end.total(),
              two.lithium_start.total(),
              1e-12 * two.lithium_start.total());
  // The profile along y = 0 holds one row per node in x.
  ASSERT_EQ(two.profiles.size(), one.profiles.size());
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    EXPECT_EQ(two.profiles[1].table.n_rows(), 21u);
}

TEST(ElectrodeSolverMpi, ResultsDoNotDependOnTheNumberOfProcesses)
{
  const ElectrodeResults &all  = two_dimensional_on_all();
  const ElectrodeResults  self = run(coarse_marquis(2), MPI_COMM_SELF);
  EXPECT_LT(difference(all, self), 1e-9);
  EXPECT_EQ(all.statistics.accepted_steps, self.statistics.accepted_steps);
  EXPECT_EQ(all.statistics.n_particles, self.statistics.n_particles);
  EXPECT_EQ(all.statistics.n_mpi_processes,
            dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD));
}

TEST(ElectrodeSolverMpi, AnisotropicTensorInTwoDimensions)
{
  // Constant transport tensors whose xx components equal Bruggeman's: with
  // in-plane-uniform fields only xx acts, so the result equals the 1D
  // Bruggeman result; the in-plane and off-diagonal parts must not leak.
  CellParameters p = coarse_marquis(2);
  for (ElectrodeParameters *e : {&p.negative, &p.positive})
    {
      char text[200];
      std::snprintf(text,
                    sizeof(text),
                    "%.17g 0 0 0 0.05 0 0 0 0.05",
                    std::pow(0.3, 1.5));
      e->transport.strategy           = "constant";
      e->transport.electrolyte_tensor = text;
      std::snprintf(text, sizeof(text), "%.17g 0.9 0.9", std::pow(0.7, 1.5));
      e->transport.solid_tensor = text;
    }
  const ElectrodeResults  a = run(p, MPI_COMM_WORLD);
  const ElectrodeResults &b = one_dimensional();
  EXPECT_LT(difference(a, b), 1e-8);
}

TEST(ElectrodeSolverMpi, ThreeDimensionalUniformCellReproducesOneDimensional)
{
  CellParameters p3        = coarse_marquis(3);
  p3.mesh.cells_negative   = 4;
  p3.mesh.cells_separator  = 2;
  p3.mesh.cells_positive   = 4;
  p3.mesh.in_plane_cells   = 2;
  CellParameters p1        = p3;
  p1.dimension             = 1;
  const ElectrodeResults a = run(p3, MPI_COMM_WORLD);
  const ElectrodeResults b = run(p1, MPI_COMM_WORLD);
  EXPECT_LT(difference(a, b), 1e-8);
}
