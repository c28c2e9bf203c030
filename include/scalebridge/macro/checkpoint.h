#ifndef scalebridge_macro_checkpoint_h
#define scalebridge_macro_checkpoint_h

#include <deal.II/base/parameter_handler.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace scalebridge::macro
{
  struct CellParameters;

  /// `subsection Checkpoint` of the electrode app.
  struct CheckpointParameters
  {
    /// Where checkpoint folders go (one per checkpoint, names sort by time).
    std::string directory = "output/electrode/checkpoints";
    /// Simulated time [s] between checkpoints; 0: none.
    double interval = 0;
    /// How many of the newest checkpoints are kept (0: all).
    unsigned int keep = 2;

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError naming "Checkpoint/<entry>" in @p source.
    void
    check(const std::string &source) const;
  };

  /**
   * What a run was computed from, to refuse a restart from another input:
   * every entry of the parameter file ("Subsection/Entry" -> value) and,
   * for every entry naming existing files (cards, images, RVE results), the
   * hash of each file's content. Entries that do not change the computed
   * results (Output other than Profile times, Checkpoint) are left out.
   */
  nlohmann::json
  input_fingerprint(const CellParameters &parameters);

  /**
   * The differences between the fingerprint of a checkpoint and that of
   * the present input, one readable line each (empty: the same input).
   */
  std::vector<std::string>
  fingerprint_differences(const nlohmann::json &checkpoint,
                          const nlohmann::json &present);
} // namespace scalebridge::macro

#endif
