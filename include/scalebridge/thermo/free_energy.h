#ifndef scalebridge_thermo_free_energy_h
#define scalebridge_thermo_free_energy_h

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace scalebridge::thermo
{
  /**
   * Homogeneous free energy of an intercalation host per lattice site, as a
   * function of the site fraction x in (0,1) of intercalated ions and of the
   * temperature T [K]. Energies are in eV per site, chemical potentials in eV
   * per ion (mu = dg/dx). Models are chosen by name in material cards
   * ("regular_solution", "landau").
   */
  class FreeEnergyModel
  {
  public:
    virtual ~FreeEnergyModel() = default;

    /// Name as used in material cards.
    virtual std::string
    name() const = 0;

    /// g(x, T) [eV per site].
    virtual double
    free_energy(double x, double temperature) const = 0;

    /// mu(x, T) = dg/dx [eV per ion].
    virtual double
    chemical_potential(double x, double temperature) const = 0;

    /// dmu/dx = d2g/dx2 [eV per ion].
    virtual double
    chemical_potential_derivative(double x, double temperature) const = 0;

    /// Whether the model has an ideal (configurational) entropy term, so that
    /// mu -> -inf / +inf at x -> 0 / 1 and the thermodynamic factor is 1 in
    /// the dilute limit.
    virtual bool
    has_ideal_entropy() const = 0;

    virtual std::unique_ptr<FreeEnergyModel>
    clone() const = 0;
  };

  /**
   * Regular solution: g = mu0 x + Omega x (1-x) + kB T [x ln x + (1-x)
   * ln(1-x)], mu = mu0 + kB T ln(x/(1-x)) + Omega (1-2x). Phase separation
   * below the critical temperature T_c = Omega / (2 kB).
   */
  class RegularSolution : public FreeEnergyModel
  {
  public:
    RegularSolution(double omega_eV, double mu0_eV);

    std::string
    name() const override;
    double
    free_energy(double x, double temperature) const override;
    double
    chemical_potential(double x, double temperature) const override;
    double
    chemical_potential_derivative(double x, double temperature) const override;
    bool
    has_ideal_entropy() const override;
    std::unique_ptr<FreeEnergyModel>
    clone() const override;

    double
    omega_eV() const;
    double
    mu0_eV() const;
    /// Omega / (2 kB) [K]; no phase separation at or above it.
    double
    critical_temperature() const;

  private:
    double omega;
    double mu0;
  };

  /**
   * Landau double well U(x) = A (x-1/2)^4 - B (x-1/2)^2 + C per site,
   * independent of temperature; with A, B > 0 its binodal is
   * x = 1/2 -/+ sqrt(B / 2A) and its spinodal x = 1/2 -/+ sqrt(B / 6A).
   */
  class LandauFreeEnergy : public FreeEnergyModel
  {
  public:
    LandauFreeEnergy(double A_eV, double B_eV, double C_eV);

    std::string
    name() const override;
    double
    free_energy(double x, double temperature) const override;
    double
    chemical_potential(double x, double temperature) const override;
    double
    chemical_potential_derivative(double x, double temperature) const override;
    bool
    has_ideal_entropy() const override;
    std::unique_ptr<FreeEnergyModel>
    clone() const override;

  private:
    double A;
    double B;
    double C;
  };

  /// A pair of compositions x_low < x_high.
  using CompositionPair = std::pair<double, double>;

  /**
   * The spinodal: the interval where d2g/dx2 < 0, found numerically for any
   * model (bracketing sign changes of dmu/dx on a fine grid, then refining).
   * std::nullopt when g is convex on (0,1).
   */
  std::optional<CompositionPair>
  spinodal(const FreeEnergyModel &model, double temperature);

  /**
   * The common tangent (binodal) x1 < x2: mu(x1) = mu(x2) and equal grand
   * potential g(x1) - mu x1 = g(x2) - mu x2. Works for any model, symmetric
   * or not: the lower convex hull of g on a fine grid locates the
   * coexistence interval, Newton on the two equations refines it to
   * @p tolerance in x. std::nullopt ("no phase separation") when g is
   * convex, e.g. a regular solution at or above its critical temperature.
   */
  std::optional<CompositionPair>
  common_tangent(const FreeEnergyModel &model,
                 double                 temperature,
                 double                 tolerance = 1e-12);

  /**
   * Thermodynamic factor Theta = d ln a / d ln x = (x / kB T) dmu/dx, with
   * the activity a defined by mu = mu0 + kB T ln a.
   */
  double
  thermodynamic_factor(const FreeEnergyModel &model,
                       double                 x,
                       double                 temperature);

  /**
   * Open-circuit voltage of a host against a reference electrode, from
   * per-ion energies in eV: U = -(mu_host - mu_ref) / e, i.e. numerically
   * U [V] = -(mu_host_eV - mu_ref_eV).
   */
  double
  open_circuit_voltage_from_ion_energy(double mu_host_eV, double mu_ref_eV = 0);

  /// The same from molar chemical potentials [J/mol]: U = -(mu - mu_ref) / F.
  double
  open_circuit_voltage_from_molar(double mu_host_J_per_mol,
                                  double mu_ref_J_per_mol = 0);

  /**
   * The common-tangent convexification of g: equal to g outside the binodal,
   * the tangent line inside it. Its chemical potential is constant inside
   * the two-phase region (the voltage plateau of a phase-separating
   * electrode) and its dmu/dx is zero there, so a particle diffusion problem
   * built on it stays well-posed (no negative diffusivity).
   */
  class ConvexifiedFreeEnergy : public FreeEnergyModel
  {
  public:
    ConvexifiedFreeEnergy(const FreeEnergyModel &model, double temperature);

    std::string
    name() const override;
    double
    free_energy(double x, double temperature) const override;
    double
    chemical_potential(double x, double temperature) const override;
    double
    chemical_potential_derivative(double x, double temperature) const override;
    bool
    has_ideal_entropy() const override;
    std::unique_ptr<FreeEnergyModel>
    clone() const override;

    /// The binodal used, if the model phase-separates at this temperature.
    const std::optional<CompositionPair> &
    binodal() const;

  private:
    std::shared_ptr<const FreeEnergyModel> model;
    double                                 temperature;
    std::optional<CompositionPair>         coexistence;
  };
} // namespace scalebridge::thermo

#endif
