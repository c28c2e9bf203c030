#ifndef scalebridge_macro_electrode_material_h
#define scalebridge_macro_electrode_material_h

#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/material_function.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace scalebridge::macro
{
  /**
   * The active material of one electrode as the particle and reaction
   * models see it: c_max, the open-circuit potential U(x), the radial
   * transport law, the exchange-current density and the symmetry factor,
   * each from a parameter-file expression/table or from a material card.
   *
   * Radial transport is written as a flux between neighbouring radial nodes
   *   N = -M(x_face) (g(x_b) - g(x_a)) / dr   [mol/(m^2 s)],
   * which covers both laws the solver offers:
   *  - Fick with a given D_s(x): M = D_s(x) c_max, g = x;
   *  - a card: N = -(D_tr c / k_B T) grad mu with mu = mu_ref - e U(x), i.e.
   *    M = D_tr c_max x F/(RT), g = -U(x); this is D_tr Theta(x) grad c with
   *    Theta = -(x F/RT) dU/dx, and for a phase-separating card U is the
   *    common-tangent (convexified) OCV, flat inside the binodal, so that
   *    Theta >= 0 and the particle problem stays well-posed; across the
   *    plateau the flux is driven by differences of U, not of x.
   */
  class ElectrodeMaterial
  {
  public:
    /// Builds and checks the material of @p section ("Negative electrode",
    /// "Positive electrode"); errors name @p source and the entry, or the
    /// card file and its block.
    ElectrodeMaterial(const ElectrodeParameters &parameters,
                      double                     temperature,
                      double             initial_electrolyte_concentration,
                      const std::string &source,
                      const std::string &section);

    double
    max_concentration() const;

    /// Bulk electronic conductivity of the solid [S/m].
    double
    conductivity() const;

    double
    symmetry_factor() const;
    /// Omega [m^3/mol], if given or if the card has a swelling block.
    std::optional<double>
    partial_molar_volume() const;

    /// U(x) [V] and dU/dx.
    double
    open_circuit_potential(double x, double &dU_dx) const;

    double
    open_circuit_potential(double x) const;

    /// True for Fick's law with D_s independent of x: M constant, g = x.
    bool
    constant_fickian() const;

    /// Whether M is a drift mobility proportional to x (the card law), to
    /// be taken from the upstream node.
    bool
    mobility_upwinded() const;

    /// M(x) [mol/(m s)] and dM/dx.
    double
    mobility(double x, double &dM_dx) const;

    /// g(x) and dg/dx.
    double
    transport_potential(double x, double &dg_dx) const;

    /// j0(ce, cs) [A/m^2] and its partial derivatives.
    double
    exchange_current_density(double  ce,
                             double  cs,
                             double &d_ce,
                             double &d_cs) const;

    /// Whether the card's free energy separates into two phases (then the
    /// convexified OCV is used).
    bool
    phase_separating() const;

    /// Where each function comes from, one item per line.
    std::string
    describe() const;

  private:
    double                c_max;
    double                sigma;
    double                alpha;
    double                T;
    std::optional<double> omega;
    bool                  fickian    = true;
    bool                  separating = false;

    MaterialFunction ocp;
    MaterialFunction diffusivity;
    /// D_s at x = 1/2 and the run's temperature (used when D_s does not
    /// depend on x).
    double           constant_diffusivity = 0;
    MaterialFunction exchange_current;

    /// Card-based pieces (std::function, so that expression-only runs need
    /// nothing from the card code).
    std::function<double(double, double &)> card_ocp;
    double                                  tracer_diffusivity = 0;
    std::function<double(double, double, double &, double &)> card_exchange;

    std::string description;
  };
} // namespace scalebridge::macro

#endif
