#ifndef scalebridge_study_rve_size_study_h
#define scalebridge_study_rve_size_study_h

#include <scalebridge/fe2/scheduler.h>
#include <scalebridge/study/item_runner.h>
#include <scalebridge/study/parameters.h>

#include <nlohmann/json.hpp>

#include <ostream>

namespace scalebridge::study
{
  /**
   * The RVE-size study: sizes x realizations x conditions, one RVE solve
   * per item on the scheduler's groups; per condition and tensor component
   * the mean and sd per size, the KUBC-TUBC gap, the integral-range size
   * estimate and the extrapolation (size_analysis.h). Writes study.json,
   * rve_size.csv and plots into Output/Directory on rank 0 and returns
   * study.json. Collective.
   */
  nlohmann::json
  run_rve_size_study(const StudyParameters &parameters,
                     fe2::RveScheduler     &scheduler,
                     ItemAccounting        &accounting,
                     std::ostream          &log);

  /// Tensor components of one condition's block of effective_tensors.json:
  /// C_IJ (Voigt, Pa, I <= J), k_ij (conductivity, S/m, i <= j) and
  /// eta_<group>_ij (transport efficiencies).
  nlohmann::json
  tensor_components(const nlohmann::json &block);
} // namespace scalebridge::study

#endif
