#ifndef scalebridge_rve_parameters_h
#define scalebridge_rve_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <scalebridge/microstructure/parameters.h>
#include <scalebridge/rve/cell_problem.h>

#include <string>
#include <vector>

namespace scalebridge::rve
{
  /// A named set of phases whose transport efficiency is reported: the
  /// effective conductivity when these phases conduct with unit isotropic
  /// conductivity and all others do not conduct at all.
  struct TransportGroup
  {
    std::string                          name;
    std::vector<microstructure::PhaseId> phases;
  };

  /**
   * Parses "electrolyte: 2; solid: 0, 1" (groups separated by ';', a name,
   * ':' and comma-separated phase ids). Throws InputError naming @p source
   * and @p entry for malformed specifications and repeated names.
   */
  std::vector<TransportGroup>
  parse_transport_groups(const std::string &specification,
                         const std::string &source,
                         const std::string &entry);

  /**
   * Everything in the RVE parameter file: `Dimension`, `subsection
   * Microstructure` (declared by the microstructure module), and the
   * subsections Materials, Boundary conditions, Physics, Transport
   * efficiency, Discretization, Solver and Output. Defaults live in the
   * members; add_parameters() binds them, check() rejects what the patterns
   * cannot.
   */
  struct RveParameters
  {
    unsigned int dimension = 3;

    microstructure::MicrostructureParameters microstructure;

    /** @name Materials */
    ///@{
    std::vector<std::string> phase_cards;
    double                   temperature = 298.15;
    /// Lithium site fraction x in [0, 1] at which the cards' electronic
    /// conductivity tables are evaluated (carrier electronic). 1 (fully
    /// lithiated) keeps the results of cards whose table ends at their
    /// constant value, e.g. LiFePO4.
    double lithiation = 1.0;
    /// ionic | electronic: which conductivity of the cards the transport
    /// problem uses.
    std::string carrier = "ionic";
    ///@}

    /// periodic | kubc | tubc | all
    std::string boundary_conditions = "periodic";

    /** @name Physics */
    ///@{
    bool elasticity = true;
    bool conduction = true;
    ///@}

    /** @name Transport efficiency */
    ///@{
    std::string              groups;
    std::vector<std::string> required_directions{"x", "y", "z"};
    ///@}

    /** @name Discretization and solver */
    ///@{
    unsigned int refinements_per_voxel = 0;
    /// 1: Q1, 2: full tensor-product Q2 (not serendipity).
    unsigned int element_degree   = 1;
    double       tolerance        = 1e-8;
    unsigned int max_iterations   = 500;
    unsigned int smoothing_degree = 3;
    double       smoothing_range  = 15.;
    /// "W" or "V"; see MultigridSettings::coarse_corrections.
    std::string multigrid_cycle     = "W";
    std::string multigrid_precision = "auto";
    ///@}

    /** @name Output */
    ///@{
    std::string directory     = "output/rve";
    bool        write_fields  = true;
    bool        deterministic = false;
    ///@}

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Checks what the patterns cannot; throws InputError naming @p source.
    void
    check(const std::string &source) const;

    /// The boundary conditions to solve, in order.
    std::vector<std::string>
    boundary_condition_list() const;

    /// Directions (0, 1, 2) in which every transport group must percolate;
    /// z is ignored in 2D.
    std::vector<unsigned int>
    required_direction_indices() const;

    SolverSettings
    solver_settings() const;
  };
} // namespace scalebridge::rve

#endif
