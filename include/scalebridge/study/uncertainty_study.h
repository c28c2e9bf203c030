#ifndef scalebridge_study_uncertainty_study_h
#define scalebridge_study_uncertainty_study_h

#include <scalebridge/fe2/scheduler.h>
#include <scalebridge/study/item_runner.h>
#include <scalebridge/study/parameters.h>

#include <nlohmann/json.hpp>

#include <ostream>

namespace scalebridge::study
{
  /**
   * The uncertainty study of a cell: inputs are the covariances of the
   * named cards (correlated normal), further entries of the cell file with a
   * distribution, and RVE realizations of one region's microstructure (the
   * aleatoric input, solved first as items of their own). Runs the delta
   * method's finite-difference points and a Saltelli design as items on the
   * scheduler's groups, and reports for V(t) on a common grid, capacity and
   * energy: `first_order`, `monte_carlo` (the design's A rows), `sobol_first`
   * and `sobol_total` with bootstrap intervals, the epistemic and aleatoric
   * variance, and the identifiability table. Writes study.json, CSV tables
   * and plots on rank 0 and returns study.json. Collective.
   */
  nlohmann::json
  run_uncertainty_study(const StudyParameters &parameters,
                        fe2::RveScheduler     &scheduler,
                        ItemAccounting        &accounting,
                        std::ostream          &log);
} // namespace scalebridge::study

#endif
