#ifndef scalebridge_microstructure_report_h
#define scalebridge_microstructure_report_h

#include <scalebridge/microstructure/connectivity.h>
#include <scalebridge/microstructure/microstructure.h>

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace scalebridge::microstructure
{
  /// What is known about one phase id of a microstructure.
  struct PhaseSummary
  {
    PhaseId id = 0;
    /// Achieved voxel fraction.
    double volume_fraction = 0.;
    /// Target of the generator, or a negative value when there is none.
    double target_volume_fraction = -1.;
    /// Face-to-face and periodic percolation (see Percolation).
    Percolation percolation;
  };

  /// Volume fractions and percolation of every phase id 0 .. n_phases()-1.
  struct MicrostructureSummary
  {
    unsigned int              dimension = 3;
    std::array<unsigned, 3>   n_voxels{{0, 0, 0}};
    std::array<double, 3>     size{{1., 1., 1.}};
    std::vector<PhaseSummary> phases;
  };

  /**
   * Analyses @p microstructure. @p target_fractions (e.g.
   * MicrostructureParameters::target_fractions()) are reported next to the
   * achieved fractions; it may be shorter than the number of phases.
   */
  MicrostructureSummary
  summarize(const Microstructure      &microstructure,
            const std::vector<double> &target_fractions = {});

  /**
   * JSON for the RVE tool's result file:
   * {"dimension": 3, "voxels": [nx, ny, nz], "size": [lx, ly, lz],
   *  "phases": [{"id": 0, "volume_fraction": 0.7, "target_volume_fraction":
   *  0.7 (only with a target), "percolates": {"x": true, "y": true, "z":
   *  true}, "wraps": {"x": ..}, "periodic_clusters": 1}, ...]}.
   * Directions beyond the dimension are left out.
   */
  nlohmann::json
  to_json(const MicrostructureSummary &summary);

  /// A few lines for the screen, one per phase, each ending in '\n'.
  std::string
  to_text(const MicrostructureSummary &summary);
} // namespace scalebridge::microstructure

#endif
