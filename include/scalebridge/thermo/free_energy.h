#ifndef scalebridge_thermo_free_energy_h
#define scalebridge_thermo_free_energy_h

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace scalebridge::thermo
{
  /**
   * Homogeneous free energy of an intercalation host per lattice site, as a
   * function of the site fraction x in (0,1) of intercalated ions and of the
   * temperature T [K]. Energies are in eV per site, chemical potentials in eV
   * per ion (mu = dg/dx). Models are chosen by name in material cards
   * ("regular_solution", "landau").
   *
   * Evaluations throw std::invalid_argument for x outside the open interval
   * (0,1) or T <= 0 (also for models that do not depend on T, so that a bad
   * temperature is caught wherever it enters).
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
   * A must be positive (else there is no stable minimum); B <= 0 gives a
   * single well. The binodal lies inside (0,1) only for B < A / 2.
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
   * model (bracketing sign changes of dmu/dx on a fine grid, then refining;
   * a dip of dmu/dx below zero narrower than the grid is found by a local
   * minimisation). std::nullopt when g is convex on (0,1), with dmu/dx >= 0
   * up to round-off. A model with several unstable intervals gets the widest.
   * Throws std::invalid_argument for T <= 0.
   */
  std::optional<CompositionPair>
  spinodal(const FreeEnergyModel &model, double temperature);

  /**
   * The common tangent (binodal) x1 < x2: mu(x1) = mu(x2) and equal grand
   * potential g(x1) - mu x1 = g(x2) - mu x2. Works for any model, symmetric
   * or not: the lower convex hull of g on a fine grid locates the
   * coexistence interval, Newton iterations on the two equations refine it
   * to @p tolerance relative to min(x, 1-x). (Equal mu is imposed by solving
   * mu(x) = mu* on the two stable branches, which leaves one equation for
   * the common mu*; its Newton steps are safeguarded by bisection, so the
   * iteration also converges close to T_c where the 2x2 Jacobian is nearly
   * singular.) std::nullopt ("no phase separation") when g is convex, e.g. a
   * regular solution at or above its critical temperature. A model with
   * several miscibility gaps gets the widest; see common_tangents().
   * Throws std::invalid_argument for T <= 0 or tolerance <= 0, and
   * std::domain_error when a tangent point lies closer than 1e-14 to 0 or 1
   * (beyond double resolution near 1), e.g. a Landau model with B > A/2.
   */
  std::optional<CompositionPair>
  common_tangent(const FreeEnergyModel &model,
                 double                 temperature,
                 double                 tolerance = 1e-12);

  /**
   * All common tangents of g in increasing x, one per miscibility gap (e.g.
   * two for a staged host with three stable phases); empty when g is
   * convex. Same method, tolerance and exceptions as common_tangent().
   */
  std::vector<CompositionPair>
  common_tangents(const FreeEnergyModel &model,
                  double                 temperature,
                  double                 tolerance = 1e-12);

  /**
   * Thermodynamic factor Theta = d ln a / d ln x = (x / kB T) dmu/dx, with
   * the activity a defined by mu = mu0 + kB T ln a. Negative inside the
   * spinodal; 1 in the dilute limit of a model with ideal entropy.
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
   *
   * Every miscibility gap is bridged, so the result is convex. mu is
   * continuous at the binodal points (up to the tangent tolerance; g is
   * C^1), while dmu/dx jumps there from dmu/dx(model) > 0 to 0. Outside the
   * gaps the model is evaluated as is, so ideal-entropy models keep their
   * exact behaviour as x -> 0, 1. The object is built for one temperature:
   * calls at another one (beyond a relative 1e-12 for rounding) throw
   * std::invalid_argument.
   *
   * Rounded corners (@p corner_rounding = d > 0, what the electrode's
   * particle model uses): the jump of dmu/dx at x1 and x2 makes Newton's
   * method cycle when a radial node crosses the binodal, so on
   * [x1 - d, x1 + d] and [x2 - d, x2 + d] mu is instead the cubic Hermite
   * blend of the two sides, which is C^1 and, by the Fritsch-Carlson
   * condition (end slopes s and 0 against a secant of about s/2),
   * monotone. The plateau between x1 + d and x2 - d is exactly the common
   * tangent; the rounding moves mu by at most about s d / 4 (a millivolt or
   * two for d = 0.003 and LiFePO4). d is reduced to a quarter of the
   * smallest of the gap's width and its distances to 0, 1 and neighbouring
   * gaps. g is then the integral of this mu (so mu = dg/dx everywhere):
   * beyond a gap it is the model's g plus a constant of order s d^2.
   */
  class ConvexifiedFreeEnergy : public FreeEnergyModel
  {
  public:
    ConvexifiedFreeEnergy(const FreeEnergyModel &model,
                          double                 temperature,
                          double                 corner_rounding = 0);

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

    /// mu and, in @p derivative, dmu/dx in one evaluation.
    double
    chemical_potential_and_derivative(double  x,
                                      double  temperature,
                                      double &derivative) const;

    /// The binodal used (the widest gap), if the model phase-separates at
    /// this temperature.
    const std::optional<CompositionPair> &
    binodal() const;

    /// mu on the plateau of the binodal() [eV]; NaN without one.
    double
    plateau() const;

    /// The corner half-width d used at the binodal(); 0 without one.
    double
    rounding() const;

  private:
    /// Hermite cubic on [a, b] through (a, ya, sa), (b, yb, sb).
    struct Blend
    {
      double a, b, ya, yb, sa, sb;

      /// The cubic and its derivative at @p x.
      double
      value(double x, double &derivative) const;

      /// Its integral from a to @p x.
      double
      integral(double x) const;
    };

    /**
     * One bridged gap: the tangent line g(x_low) + mu (x - x_low) and, with
     * rounding d > 0, the blends on [x_low - d, x_low + d] and
     * [x_high - d, x_high + d]; g_left, g_plateau, g_right are g at the
     * starts of the left blend, the plateau and the right blend, and
     * g_shift what the gap adds to g beyond it (0 without rounding).
     */
    struct Tangent
    {
      double x_low;
      double x_high;
      double mu;
      double g_low;
      double d;
      Blend  left, right;
      double g_left, g_plateau, g_right, g_shift;
    };

    /// Throws unless @p T is the construction temperature.
    void
    check_temperature(double T) const;

    /// The gap (with its rounded corners) that contains @p x, or nullptr.
    const Tangent *
    find_tangent(double x) const;

    /// mu at @p x (not checked) and, unless @p derivative is null, dmu/dx.
    double
    potential(double x, double *derivative) const;

    /// The model's g at @p x plus the shifts of the rounded gaps below x.
    double
    shifted_model_energy(double x) const;

    std::shared_ptr<const FreeEnergyModel> model;
    double                                 temperature;
    std::optional<CompositionPair>         coexistence;
    std::vector<Tangent>                   tangents;
    /// Index of the binodal() in tangents.
    std::size_t widest = 0;
  };
} // namespace scalebridge::thermo

#endif
