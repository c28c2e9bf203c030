#ifndef scalebridge_macro_convexified_potential_h
#define scalebridge_macro_convexified_potential_h

#include <scalebridge/thermo/free_energy.h>

#include <memory>

namespace scalebridge::macro
{
  /**
   * The chemical potential the particle model uses for a host that
   * separates into two phases: the common-tangent (convexified) free
   * energy, i.e. mu(x) of the model outside the binodal (x1, x2) and the
   * constant mu(x1) = mu(x2) inside it, so that dmu/dx >= 0 and the
   * particle's diffusion problem is well-posed (no negative diffusivity).
   *
   * Its derivative jumps at x1 and x2 (from the model's slope to 0), which
   * makes Newton's method cycle when a radial node crosses the binodal. The
   * two corners are therefore rounded: on [x1 - d, x1 + d] and
   * [x2 - d, x2 + d] mu is the cubic Hermite blend of the two sides, which
   * is C1 and, by the Fritsch-Carlson condition (end slopes s and 0 against
   * a secant of about s/2), monotone. The plateau between x1 + d and x2 - d
   * is exactly the common tangent; the rounding moves mu by at most about
   * s d / 4 (a millivolt or two for d = 0.003 and LiFePO4).
   */
  class ConvexifiedPotential
  {
  public:
    /// @p rounding is the half-width d; it is reduced to a quarter of
    /// min(x1, 1 - x2, x2 - x1) when larger.
    ConvexifiedPotential(std::shared_ptr<const thermo::FreeEnergyModel> model,
                         double                  temperature,
                         thermo::CompositionPair binodal,
                         double                  rounding);

    /// mu [eV] and dmu/dx at @p x in (0,1).
    double
    value(double x, double &derivative) const;

    const thermo::CompositionPair &
    binodal() const;

    /// mu on the plateau [eV].
    double
    plateau() const;

    /// The half-width d actually used.
    double
    rounding() const;

  private:
    /// Hermite cubic on [a, b] through (a, ya, sa), (b, yb, sb).
    struct Blend
    {
      double a, b, ya, yb, sa, sb;

      double
      value(double x, double &derivative) const;
    };

    std::shared_ptr<const thermo::FreeEnergyModel> model;
    double                                         temperature;
    thermo::CompositionPair                        x12;
    double                                         mu_plateau;
    double                                         d;
    Blend                                          left, right;
  };
} // namespace scalebridge::macro

#endif
