// scalebridge-atomistic: raw atomistic data (trajectories, flux series, box
// logs) to transport coefficients and elastic constants with standard
// errors, and to a material card with their covariance.

#include <scalebridge/atomistic/atomistic_report.h>
#include <scalebridge/io/parameter_app.h>

#include <iostream>

namespace
{
  const char *description =
    R"(Reduces raw molecular-dynamics data to material-card numbers with
standard errors that account for the correlation in the data:
  Diffusion          tracer diffusivity from a LAMMPS dump or extended XYZ
                     trajectory (MSD over all origins by FFT, diffusive
                     window, centre-of-mass drift removed, batch means)
  Green-Kubo         thermal or ionic conductivity from a flux time series
                     (running integral with a plateau window, batch means)
  Elastic constants  6x6 stiffness from the box fluctuations of an NPT run
                     (jackknife covariance, symmetry class within the
                     errors, Born stability at the run's pressure)
  Arrhenius          E_m and prefactor with their covariance (weighted LSQ)
  Finite size        a + b/L extrapolation, Yeh-Hummer correction
Each subsection runs when its input is given. Writes, into Output/Directory:
atomistic.json (each result as {"value", "standard_error"}, SI units in the
key), card.json (merged into Card/Base card; its uncertainty block carries
the covariance), msd/green_kubo/arrhenius .csv and .png.
Bad input: one line on stderr naming the file (and line) and the entry,
exit code 2, nothing written.)";
} // namespace

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  atomistic::AtomisticParameters parameters;
  io::ParameterApp               app;
  app.name        = "scalebridge-atomistic";
  app.description = description;
  app.declare
    = [&](dealii::ParameterHandler &prm) { parameters.add_parameters(prm); };
  app.run = [&](dealii::ParameterHandler &) {
    const std::string source
      = io::parse_command_line(std::vector<std::string>(argv + 1, argv + argc))
          .parameter_file;
    // Everything is read and computed before the first file is written.
    const atomistic::AtomisticReport report
      = atomistic::run_atomistic_analysis(parameters, source, std::cout);
    atomistic::write_atomistic_report(report, parameters);
    std::cout << "scalebridge-atomistic: wrote " << parameters.output.directory
              << "/atomistic.json" << (report.card ? " and card.json" : "")
              << std::endl;
  };
  return io::run_parameter_app(argc, argv, app);
}
