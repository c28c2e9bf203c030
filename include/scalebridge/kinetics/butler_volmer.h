#ifndef scalebridge_kinetics_butler_volmer_h
#define scalebridge_kinetics_butler_volmer_h

namespace scalebridge::kinetics
{
  /**
   * Butler-Volmer kinetics of a one-step, n-electron reaction, anodic
   * (oxidation) current positive:
   *   i(eta) = i0 [exp((1 - alpha) n F eta / RT) - exp(-alpha n F eta / RT)],
   * with the symmetry factor alpha in (0,1) as the cathodic transfer
   * coefficient. For alpha = 1/2 this is i = 2 i0 sinh(n F eta / 2RT).
   *
   * Every member function throws std::invalid_argument unless i0 > 0,
   * 0 < alpha < 1, n > 0, T > 0 and the argument is finite.
   */
  struct ButlerVolmer
  {
    /// Exchange current density i0 [A/m^2], > 0.
    double exchange_current_density;
    /// Symmetry factor alpha in (0,1).
    double symmetry_factor = 0.5;
    /// Electrons transferred per reaction.
    double electrons = 1;

    /// Current density [A/m^2] at overpotential @p eta [V] and T [K].
    double
    current(double eta, double temperature) const;

    /// di/deta [A/(m^2 V)].
    double
    current_derivative(double eta, double temperature) const;

    /**
     * Overpotential [V] that drives @p current_density [A/m^2]: the inverse
     * of current(), for any sign and magnitude, including |i| >> i0 where
     * the exponentials overflow if evaluated naively. Solved in logarithmic
     * form with safeguarded Newton iterations to relative accuracy
     * ~eps |ln(i/i0)|, i.e. ~1e-14 for |i|/i0 within 1e-12..1e12.
     */
    double
    overpotential(double current_density, double temperature) const;
  };

  /**
   * Exchange current density from an activation free energy:
   * i0 = prefactor exp(-dG / kB T), with dG in eV and the prefactor in A/m^2.
   * Throws std::invalid_argument unless prefactor > 0, dG >= 0 and T > 0.
   */
  double
  exchange_current_density(double prefactor_A_per_m2,
                           double activation_energy_eV,
                           double temperature);
} // namespace scalebridge::kinetics

#endif
