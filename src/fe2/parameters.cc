#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/parameters.h>

namespace scalebridge::fe2
{
  void
  Fe2Parameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Ranks per RVE",
                      ranks_per_rve,
                      "MPI ranks that solve one RVE together (the size of "
                      "the sub-communicators); at most the number of ranks.",
                      dealii::Patterns::Integer(1, 1 << 20));
    prm.add_parameter(
      "Reuse tolerance",
      reuse_tolerance,
      "Relative error of the effective tensors that reuse of earlier RVE "
      "solves may introduce (estimated per query, measured on a sample); "
      "0 solves every distinct state.",
      dealii::Patterns::Double(0, 1));
    prm.add_parameter(
      "Microstructure variation",
      variation,
      "'none': every macro cell of a region shares the region's RVE "
      "microstructure; 'per cell': every macro cell gets its own "
      "realization, generated with seed = Microstructure/Seed + the cell's "
      "global index.",
      dealii::Patterns::Selection("none|per cell"));
    prm.add_parameter(
      "Porosity function",
      porosity_function,
      "Pore (electrolyte) volume fraction the RVE generator is asked for, "
      "as an expression of the cell-frame position x, y, z [m] (x through "
      "the thickness), e.g. a calendering gradient 0.30 + 0.1*x/60e-6; "
      "empty: the RVE's own phase fractions. Needs the electrode "
      "generator; its solid fractions are scaled to fill the rest.");
    prm.add_parameter(
      "Verification fraction",
      verification_fraction,
      "Share of the reused (interpolated) answers, from table intervals not "
      "checked before, that are also solved afresh to measure the error "
      "reuse really made (summary.json: fe2/verified_max_relative_error).",
      dealii::Patterns::Double(0, 1));
  }

  void
  Fe2Parameters::check(const std::string &source) const
  {
    if (!(reuse_tolerance >= 0 && reuse_tolerance <= 1))
      throw InputError(source, "FE2/Reuse tolerance", "must lie in [0, 1]");
    if (!(verification_fraction >= 0 && verification_fraction <= 1))
      throw InputError(source,
                       "FE2/Verification fraction",
                       "must lie in [0, 1]");
  }
} // namespace scalebridge::fe2
