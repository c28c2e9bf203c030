#ifndef scalebridge_study_parameters_h
#define scalebridge_study_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <utility>
#include <vector>

namespace scalebridge::study
{
  /// "Entry=value; Entry=value" as (entry, value) pairs, for the overrides
  /// a study applies to an RVE or cell file (like --set).
  std::vector<std::pair<std::string, std::string>>
  parse_overrides(const std::string &text,
                  const std::string &source,
                  const std::string &entry);

  /**
   * Every entry of scalebridge-study: `Study` (type, ranks per item, seed,
   * batch), `Output`, `RVE size` and `Uncertainty` with its `Microstructure`
   * (the aleatoric input). Bound to a ParameterHandler so that --help prints
   * the documented defaults.
   */
  struct StudyParameters
  {
    /// The parameter file, for error messages.
    std::string source = "parameters";

    std::string  type           = "rve size";
    unsigned int ranks_per_item = 1;
    unsigned int seed           = 1;
    unsigned int batch_size     = 0;

    std::string directory     = "output/study";
    bool        plot          = true;
    bool        deterministic = false;

    /** @name RVE size */
    ///@{
    std::string               rve_file;
    std::string               rve_overrides;
    std::vector<unsigned int> sizes               = {8, 12, 16};
    unsigned int              realizations        = 3;
    std::string               conditions          = "periodic, kubc, tubc";
    double                    relative_error      = 0.05;
    unsigned int              target_realizations = 1;
    ///@}

    /** @name Uncertainty */
    ///@{
    std::string  cell_file;
    std::string  cell_overrides;
    std::string  cards;
    std::string  parameters;
    unsigned int samples     = 32;
    std::string  sampling    = "latin hypercube";
    unsigned int bootstrap   = 500;
    double       step        = 0.1;
    double       noise       = 0.005;
    unsigned int time_points = 101;
    std::string  micro_region;
    std::string  micro_rve_file;
    std::string  micro_overrides;
    unsigned int micro_realizations = 4;
    std::string  micro_condition    = "periodic";
    ///@}

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Checks what the patterns cannot (files, combinations); throws
    /// InputError naming source and entry.
    void
    check() const;

    /// The conditions of `RVE size/Conditions`, checked.
    std::vector<std::string>
    condition_list() const;
  };
} // namespace scalebridge::study

#endif
