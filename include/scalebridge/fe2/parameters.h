#ifndef scalebridge_fe2_parameters_h
#define scalebridge_fe2_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace scalebridge::fe2
{
  /**
   * `subsection FE2` of the electrode parameter file: how the RVEs of the
   * regions with `Effective transport/Strategy = fe2` are scheduled and
   * reused.
   */
  struct Fe2Parameters
  {
    /// Size of the sub-communicators on which RVEs are solved.
    unsigned int ranks_per_rve = 1;
    /// Relative error of the tensors that reuse may introduce; 0 solves
    /// every distinct query.
    double reuse_tolerance = 1e-3;
    /// "none" (one microstructure per region) or "per cell" (seed = Seed +
    /// global cell index).
    std::string variation = "none";
    /// Pore fraction as an expression of x, y, z [m] in the cell frame;
    /// empty: the RVE's own phase fractions.
    std::string porosity_function;
    /// Share of the interpolated answers (from table intervals not checked
    /// before) that are solved afresh to measure the error reuse made.
    double verification_fraction = 0.05;

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError naming @p source and "FE2/...".
    void
    check(const std::string &source) const;
  };
} // namespace scalebridge::fe2

#endif
