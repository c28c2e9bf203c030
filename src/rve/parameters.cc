#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/rve/boundary_condition.h>
#include <scalebridge/rve/memory_estimate.h>
#include <scalebridge/rve/parameters.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace scalebridge::rve
{
  namespace
  {
    std::string
    trim(const std::string &s)
    {
      const auto first = s.find_first_not_of(" \t");
      if (first == std::string::npos)
        return "";
      const auto last = s.find_last_not_of(" \t");
      return s.substr(first, last - first + 1);
    }

    std::vector<std::string>
    split(const std::string &s, const char separator)
    {
      std::vector<std::string> parts;
      std::string              part;
      std::istringstream       in(s);
      while (std::getline(in, part, separator))
        parts.push_back(trim(part));
      return parts;
    }
  } // namespace

  std::vector<TransportGroup>
  parse_transport_groups(const std::string &specification,
                         const std::string &source,
                         const std::string &entry)
  {
    std::vector<TransportGroup> groups;
    if (trim(specification).empty())
      return groups;
    const std::string format
      = "expected 'name: id, id; name: id, ...', e.g. 'electrolyte: 2; solid: "
        "0, 1'";
    for (const std::string &group : split(specification, ';'))
      {
        if (group.empty())
          continue;
        const auto colon = group.find(':');
        if (colon == std::string::npos)
          throw InputError(source,
                           entry,
                           "group '" + group + "' has no ':'; " + format);
        TransportGroup g;
        g.name = trim(group.substr(0, colon));
        if (g.name.empty())
          throw InputError(source,
                           entry,
                           "group '" + group + "' has no name; " + format);
        for (const auto &c : g.name)
          if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'
                || c == '-'))
            throw InputError(
              source,
              entry,
              "group name '" + g.name
                + "' may contain letters, digits, '_' and '-' only");
        for (const std::string &id : split(group.substr(colon + 1), ','))
          {
            std::size_t pos   = 0;
            long        value = -1;
            try
              {
                value = std::stol(id, &pos);
              }
            catch (...)
              {
                pos = 0;
              }
            if (id.empty() || pos != id.size() || value < 0 || value > 255)
              throw InputError(source,
                               entry,
                               "group '" + g.name + "': '" + id
                                 + "' is not a phase id (0..255)");
            if (std::find(g.phases.begin(), g.phases.end(), value)
                == g.phases.end())
              g.phases.push_back(static_cast<microstructure::PhaseId>(value));
          }
        if (g.phases.empty())
          throw InputError(source,
                           entry,
                           "group '" + g.name + "' lists no phase");
        for (const auto &other : groups)
          if (other.name == g.name)
            throw InputError(source,
                             entry,
                             "group '" + g.name + "' is given twice");
        groups.push_back(g);
      }
    return groups;
  }

  void
  RveParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.add_parameter("Dimension",
                      dimension,
                      "2 (plane strain, in-plane conduction) or 3.",
                      Patterns::Integer(2, 3));
    microstructure.add_parameters(prm);

    prm.enter_subsection("Materials");
    prm.add_parameter(
      "Phase cards",
      phase_cards,
      "Material cards (JSON), comma-separated; the list index is the phase "
      "id. A card without an elastic block is a phase that carries no load "
      "(its cells are removed from the elasticity problem); one without a "
      "transport block, or with zero conductivity, does not conduct.",
      Patterns::List(Patterns::FileName(), 0, 256, ","));
    prm.add_parameter("Temperature",
                      temperature,
                      "Temperature at which the phase properties are "
                      "evaluated [K], at most 1e4.",
                      Patterns::Double(0., 1e4));
    prm.add_parameter(
      "Lithiation",
      lithiation,
      "Lithium site fraction x in [0, 1] at which the cards are evaluated: "
      "with Carrier = electronic, a card with "
      "'electronic_conductivity_vs_lithiation' conducts with its table at "
      "x (log-linear in x); cards with only a constant "
      "'electronic_conductivity' do not depend on x, nor does ionic "
      "conduction. A card with a 'swelling' block (and an elastic block) "
      "carries the eigenstrain x eps_1 of that block, which gives the "
      "effective eigenstress and swelling strain. The default 1 is the fully "
      "lithiated host (LiFePO4 for inputs/materials/lifepo4.json, whose "
      "table ends at its constant value).",
      Patterns::Double(0., 1.));
    prm.add_parameter("Carrier",
                      carrier,
                      "Which conductivity of the cards the transport problem "
                      "uses: ionic ('conductivity') or electronic "
                      "('electronic_conductivity', or "
                      "'electronic_conductivity_vs_lithiation' at Lithiation; "
                      "cards without either do not conduct).",
                      Patterns::Selection("ionic|electronic"));
    prm.leave_subsection();

    prm.enter_subsection("Boundary conditions");
    prm.add_parameter(
      "Type",
      boundary_conditions,
      "periodic: periodic fluctuation; kubc: affine displacement (linear "
      "potential) on the whole boundary, an upper bound; tubc: uniform "
      "traction (flux) in its minimal-kinematic form, a lower bound; all: "
      "the three, one result block each.",
      Patterns::Selection("periodic|kubc|tubc|all"));
    prm.leave_subsection();

    prm.enter_subsection("Physics");
    prm.add_parameter("Elasticity",
                      elasticity,
                      "Solve the elastic cell problems (6 unit strains in "
                      "3D, 3 in 2D).",
                      Patterns::Bool());
    prm.add_parameter("Conduction",
                      conduction,
                      "Solve the conduction cell problems (3 unit gradients "
                      "in 3D, 2 in 2D).",
                      Patterns::Bool());
    prm.leave_subsection();

    prm.enter_subsection("Transport efficiency");
    prm.add_parameter(
      "Groups",
      groups,
      "Phase groups whose transport efficiency (effective over bulk "
      "conductivity with unit conductivity in the group and none elsewhere) "
      "and tortuosity factor are reported, e.g. 'electrolyte: 2; solid: 0, "
      "1'. Empty: none.",
      Patterns::Anything());
    prm.add_parameter("Required directions",
                      required_directions,
                      "Directions in which every group must percolate (a "
                      "group that does not is an input error; z is ignored in "
                      "2D); the tortuosity factor is reported for every "
                      "direction.",
                      Patterns::List(Patterns::Selection("x|y|z"), 0, 3, ","));
    prm.leave_subsection();

    prm.enter_subsection("Discretization");
    prm.add_parameter("Refinements per voxel",
                      refinements_per_voxel,
                      "Each voxel is split into 2^(dim r) cells.",
                      Patterns::Integer(0, 3));
    prm.add_parameter(
      "Element degree",
      element_degree,
      "Polynomial degree of the elements on the cells: 1 (Q1: 8-node "
      "hexahedra, 4-node quadrilaterals) or 2 (full tensor-product Q2, not "
      "serendipity: 27-node hexahedra, 9-node quadrilaterals). Q2 has 2^dim "
      "times the unknowns of Q1 on the same cells and is more accurate per "
      "unknown wherever the fields are smooth inside the phases.",
      Patterns::Integer(1, 2));
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    prm.add_parameter("Tolerance",
                      tolerance,
                      "Relative accuracy asked of the effective tensor: CG "
                      "stops a load case when the energy norm of its "
                      "preconditioned residual is below Tolerance times "
                      "that of the load and, for fluctuation problems, "
                      "below Tolerance times W / sqrt(A), with W the energy "
                      "of the total field and A that of its affine part "
                      "(stiff layers in series with compliant ones make W "
                      "much smaller than A).",
                      Patterns::Double(1e-14, 1e-2));
    prm.add_parameter("Max iterations",
                      max_iterations,
                      "CG iterations before giving up (at most 1000; the "
                      "multigrid needs tens).",
                      Patterns::Integer(1, 1000));
    prm.add_parameter("Smoothing degree",
                      smoothing_degree,
                      "Degree of the Chebyshev smoother of the multigrid "
                      "cycle.",
                      Patterns::Integer(1, 10));
    prm.add_parameter("Smoothing range",
                      smoothing_range,
                      "Ratio of the largest to the smallest eigenvalue the "
                      "Chebyshev smoother damps (at most 1000).",
                      Patterns::Double(1.5, 1000.));
    prm.add_parameter("Multigrid cycle",
                      multigrid_cycle,
                      "W: each coarse level is cycled twice per visit (about "
                      "1.2 times the work of a V-cycle per iteration, and "
                      "flat iteration counts for stiff particles joined by "
                      "soft binder); V: once.",
                      Patterns::Selection("W|V"));
    prm.add_parameter("Multigrid precision",
                      multigrid_precision,
                      "Precision of the multigrid levels: auto takes single "
                      "precision (half the memory traffic) unless the phase "
                      "coefficients differ by more than 1e5, where rounded "
                      "single-precision coarse operators stop being positive "
                      "definite; single or double forces one.",
                      Patterns::Selection("auto|single|double"));
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.add_parameter("Directory",
                      directory,
                      "Where effective_tensors.json and the fields go.",
                      Patterns::DirectoryName());
    prm.add_parameter("Write fields",
                      write_fields,
                      "Write fields_<condition>.pvtu with the phase ids, the "
                      "fluctuations and the stresses (fluxes) of every load "
                      "case.",
                      Patterns::Bool());
    prm.add_parameter("Deterministic",
                      deterministic,
                      "Leave timings out of the screen output (for "
                      "regression tests).",
                      Patterns::Bool());
    prm.leave_subsection();
  }

  void
  RveParameters::check(const std::string &source) const
  {
    microstructure.check(dimension, source);
    if (phase_cards.empty())
      throw InputError(source,
                       "Materials/Phase cards",
                       "the list of phase cards is empty; give one material "
                       "card per phase id, e.g. "
                       "'inputs/materials/lifepo4.json, "
                       "inputs/materials/electrolyte_pore.json'");
    if (!(lithiation >= 0 && lithiation <= 1))
      throw InputError(source,
                       "Materials/Lithiation",
                       "the lithium site fraction must lie in [0, 1] (got "
                         + format_number(lithiation, 10) + ")");
    if (!elasticity && !conduction)
      throw InputError(source,
                       "Physics/Elasticity",
                       "neither elasticity nor conduction is switched on");
    parse_transport_groups(groups, source, "Transport efficiency/Groups");
    // Images other than raw state their size; they are checked once read.
    const std::string &g = microstructure.generator;
    if (g == "raw file" || g.size() < 5
        || g.compare(g.size() - 5, 5, " file") != 0)
      check_memory(dimension,
                   element_degree,
                   refinements_per_voxel,
                   microstructure.voxel_counts(dimension),
                   source,
                   microstructure.voxels_per_direction.empty()
                     ? "Microstructure/Voxels per side"
                     : "Microstructure/Voxels per direction");
  }

  std::vector<std::string>
  RveParameters::boundary_condition_list() const
  {
    if (boundary_conditions == "all")
      return boundary_condition_names();
    return {boundary_conditions};
  }

  std::vector<unsigned int>
  RveParameters::required_direction_indices() const
  {
    std::vector<unsigned int> result;
    for (const auto &d : required_directions)
      {
        const unsigned i = d == "x" ? 0 : (d == "y" ? 1 : 2);
        if (i < dimension
            && std::find(result.begin(), result.end(), i) == result.end())
          result.push_back(i);
      }
    std::sort(result.begin(), result.end());
    return result;
  }

  SolverSettings
  RveParameters::solver_settings() const
  {
    SolverSettings s;
    s.tolerance                    = tolerance;
    s.max_iterations               = max_iterations;
    s.multigrid.smoothing_degree   = smoothing_degree;
    s.multigrid.smoothing_range    = smoothing_range;
    s.multigrid.coarse_corrections = multigrid_cycle == "W" ? 2 : 1;
    s.multigrid.precision          = multigrid_precision;
    return s;
  }
} // namespace scalebridge::rve
