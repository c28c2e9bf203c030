#ifndef scalebridge_macro_mechanics_parameters_h
#define scalebridge_macro_mechanics_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace scalebridge::macro
{
  /**
   * Where the effective stiffness C_eff and the effective swelling strain
   * eps*_eff of one region come from (`subsection Effective mechanics` of
   * a region). Strategies by name: "constant" (given), "rve" (an
   * effective_tensors.json of scalebridge-rve with its swelling keys),
   * "card" (a material card of the region as a whole),
   * "fe2" (live RVE solves, through the region's FE2 provider).
   */
  struct EffectiveMechanicsParameters
  {
    std::string strategy = "constant";
    /// "constant": "E, nu" (isotropic, Pa) or 36 numbers (Voigt, Pa, row
    /// by row, cell frame).
    std::string stiffness = "5e9, 0.3";
    /// "constant": effective swelling strain at full lithiation (x = 1),
    /// one number (isotropic) or six (Voigt, engineering shear, cell frame).
    std::string swelling_strain = "0";
    /// "card": a material card of the region as a whole.
    std::string material_card;
    /// "rve": the file, its block, and the RVE axis through the thickness.
    std::string rve_file;
    std::string rve_block           = "periodic";
    std::string thickness_direction = "x";

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /**
   * The top-level `subsection Mechanics`: small-strain equilibrium of the
   * cell with the effective stiffness and swelling of its regions, solved
   * after every accepted time step (one-way coupling).
   */
  struct MechanicsParameters
  {
    bool enabled = false;
    /// "free": the positive collector moves against the stack pressure;
    /// "fixed": both collectors are held (a rigid case).
    std::string collectors = "free";
    /// "free": the in-plane directions carry no resultant force; "clamped":
    /// no in-plane strain (a constrained stack).
    std::string in_plane = "free";
    /// Pressure on the positive collector when it is free [Pa].
    double stack_pressure = 0;
    /// Relative residual of the iterative solver (2D, 3D).
    double tolerance = 1e-12;
    /// Whether the hydrostatic stress of the last accepted step shifts the
    /// open-circuit potential of the particles at each node by
    /// Omega sigma_h / F (sigma_h tension positive; i.e. -Omega p / F with
    /// the pressure p = -sigma_h).
    bool stress_feedback = false;

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError naming @p source and the entry.
    void
    check(const std::string &source) const;
  };
} // namespace scalebridge::macro

#endif
