#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/mechanics_parameters.h>

#include <cmath>

namespace scalebridge::macro
{
  void
  EffectiveMechanicsParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Effective mechanics");
    prm.add_parameter(
      "Strategy",
      strategy,
      "Where the effective stiffness and swelling of the region come from "
      "(used when Mechanics/Enabled): 'constant' (the entries below), 'rve' "
      "(stiffness_voigt_Pa, swelling_strain_voigt and lithiation of an "
      "effective_tensors.json written by scalebridge-rve), 'card' (the "
      "elastic and swelling blocks of a material card that describes the "
      "region as a whole, e.g. a separator film; card frame = cell frame) or "
      "'fe2' (the region's live RVE, subsection RVE, at every macro cell's "
      "state).",
      dealii::Patterns::Selection("constant|rve|card|fe2"));
    prm.add_parameter(
      "Stiffness",
      stiffness,
      "constant: 'E, nu' (isotropic; Young's modulus in Pa, Poisson ratio) "
      "or 36 numbers (6x6 Voigt stiffness in Pa, row by row, cell frame: x "
      "through the thickness).");
    prm.add_parameter(
      "Swelling strain",
      swelling_strain,
      "constant: effective free swelling strain of the region at full "
      "lithiation (x = 1) relative to x = 0, linear in the mean lithium site "
      "fraction x of the macro cell: one number (isotropic linear strain) or "
      "six (Voigt order 11, 22, 33, 23, 13, 12, engineering shear, cell "
      "frame). The separator does not lithiate: its value is not used.");
    prm.add_parameter("Material card",
                      material_card,
                      "card: a JSON material card with an elastic block "
                      "(its swelling block, if any, gives the swelling at "
                      "x = 1).");
    prm.add_parameter("RVE file",
                      rve_file,
                      "rve: effective_tensors.json of scalebridge-rve, "
                      "written with the swelling keys.");
    prm.add_parameter("RVE boundary condition",
                      rve_block,
                      "rve: the block to read.",
                      dealii::Patterns::Selection("periodic|kubc|tubc"));
    prm.add_parameter("Thickness direction",
                      thickness_direction,
                      "rve: axis of the RVE that points through the cell "
                      "thickness; the in-plane axes follow it cyclically.",
                      dealii::Patterns::Selection("x|y|z"));
    prm.leave_subsection();
  }

  void
  MechanicsParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter(
      "Enabled",
      enabled,
      "Solve small-strain equilibrium div sigma = 0, sigma = C_eff (eps - "
      "eps*_eff(x)), on the cell after every accepted time step; outputs "
      "mechanics.csv, mechanics.png, the summary block 'mechanics' and "
      "displacement and stress in the VTU files. The state at t = 0 is "
      "stress free.");
    prm.add_parameter(
      "Collectors",
      collectors,
      "'free': the negative collector is the reference plane and the "
      "positive collector moves, loaded by the stack pressure; 'fixed': "
      "both collectors are held (a rigid case).",
      dealii::Patterns::Selection("free|fixed"));
    prm.add_parameter(
      "In-plane",
      in_plane,
      "'free': the in-plane directions carry no resultant force (1D: "
      "uniform in-plane strains with zero in-plane force; 2D: generalised "
      "plane strain in z; 2D/3D: lateral faces free, symmetry planes at y = "
      "0, z = 0); 'clamped': no in-plane strain (a constrained stack).",
      dealii::Patterns::Selection("free|clamped"));
    prm.add_parameter("Stack pressure",
                      stack_pressure,
                      "Pressure on the positive collector when Collectors = "
                      "free [Pa].");
    prm.add_parameter("Tolerance",
                      tolerance,
                      "Relative residual of the conjugate-gradient solver "
                      "in 2D and 3D (1D is solved directly).");
    prm.add_parameter(
      "Stress feedback",
      stress_feedback,
      "Let the hydrostatic stress sigma_h (tension positive) of the last "
      "accepted step shift the open-circuit potential of the particles at "
      "each node by Omega sigma_h / F, i.e. -Omega p / F for the pressure p "
      "= -sigma_h (a compressed host resists the expansion that lithium "
      "insertion causes). Omega is the electrode's Partial molar volume. "
      "The stress is the homogenised stress of the electrode at the node, "
      "lagged by one step (staggered coupling).");
  }

  void
  MechanicsParameters::check(const std::string &source) const
  {
    if (!(std::isfinite(stack_pressure) && stack_pressure >= 0
          && stack_pressure <= 1e9))
      throw InputError(source,
                       "Mechanics/Stack pressure",
                       "must be in [0, 1e9] Pa");
    if (!(tolerance >= 1e-14 && tolerance <= 1e-3))
      throw InputError(source,
                       "Mechanics/Tolerance",
                       "must be in [1e-14, 1e-3]");
    if (stress_feedback && !enabled)
      throw InputError(source,
                       "Mechanics/Stress feedback",
                       "needs Mechanics/Enabled = true (the stress comes from "
                       "the mechanics solve)");
  }
} // namespace scalebridge::macro
