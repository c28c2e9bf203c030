#ifndef scalebridge_atomistic_phase_report_h
#define scalebridge_atomistic_phase_report_h

#include <scalebridge/atomistic/phase_properties.h>
#include <scalebridge/io/csv_table.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// Settings of a continuum-parameter report.
  struct PhaseReportOptions
  {
    /// Points of the x grid of the curves (x = i/(n+1), i = 1..n, so that
    /// x = 0 and 1 where mu diverges are excluded).
    unsigned int curve_points = 99;
    /// Monte Carlo samples for the check of first-order uncertainty
    /// propagation (0: no check).
    unsigned int monte_carlo_samples = 2000;
    /// Seed of the Monte Carlo sampler (results are reproducible).
    std::uint64_t seed = 20190101;
  };

  /**
   * The continuum parameters derivable from one card at one temperature, as
   * JSON. Always present keys: "material", "source", "temperature_K",
   * "tracer_diffusivity_m2_per_s", "coexistence", "spinodal",
   * "bulk_modulus_voigt_Pa", "bulk_modulus_reuss_Pa",
   * "shear_modulus_voigt_Pa", "shear_modulus_reuss_Pa", "curves",
   * "not_derived"; a quantity whose card block is absent is null and the
   * reason is listed in "not_derived". "curves" holds equally long columns
   * "x", "mu_eV", "thermodynamic_factor", "ocv_V", "ocv_equilibrium_V"
   * (from the common-tangent free energy) and
   * "chemical_diffusivity_m2_per_s" (a column is null if it cannot be
   * derived). With an "uncertainty" block, "uncertainty" holds first-order
   * standard deviations of the scalar results and a seeded Monte Carlo check.
   */
  nlohmann::json
  phase_report(const MaterialCard       &card,
               double                    temperature,
               const PhaseReportOptions &options = PhaseReportOptions());

  /// The curves of a report as a CSV table (only the derivable columns).
  io::CsvTable
  curves_table(const nlohmann::json &report);

  /// A short human-readable summary of a report, one quantity per line.
  std::string
  summarize(const nlohmann::json &report);
} // namespace scalebridge::atomistic

#endif
