#ifndef scalebridge_atomistic_phase_properties_h
#define scalebridge_atomistic_phase_properties_h

#include <deal.II/base/tensor.h>

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/elasticity/stiffness.h>
#include <scalebridge/kinetics/butler_volmer.h>
#include <scalebridge/thermo/free_energy.h>

#include <optional>
#include <string>

namespace scalebridge::atomistic
{
  /**
   * The continuum parameters of one phase at one temperature, derived from
   * its material card: what the RVE and electrode solvers consume. Each
   * accessor throws InputError (naming the card and the missing block) if
   * the card lacks the block it needs, so a solver that needs kinetics
   * reports "card X has no kinetics block" rather than failing later.
   */
  class PhaseProperties
  {
  public:
    PhaseProperties(const MaterialCard &card, double temperature);

    const std::string &
    name() const;
    double
    temperature() const;
    const MaterialCard &
    card() const;

    /** @name Mechanics and conduction */
    ///@{
    bool
    has_stiffness() const;
    /// Mandel stiffness in the sample frame [Pa].
    const elasticity::Matrix6 &
    stiffness_mandel() const;
    bool
    has_conductivity() const;
    /// Conductivity tensor in the sample frame [S/m].
    const dealii::Tensor<2, 3> &
    conductivity() const;
    ///@}

    /** @name Diffusion and thermodynamics (x = site fraction in (0,1)) */
    ///@{
    bool
    has_diffusion() const;
    /// D_tr(T) [m^2/s].
    double
    tracer_diffusivity() const;
    bool
    has_thermodynamics() const;
    /// mu(x) [eV/ion]: from the free-energy model, else from the OCV table
    /// (mu = mu_ref - e U).
    double
    chemical_potential(double x) const;
    /// Theta(x) = d ln a / d ln x (negative inside a spinodal).
    double
    thermodynamic_factor(double x) const;
    /// Open-circuit voltage U(x) [V]: the OCV table if given, else
    /// -(mu(x) - mu_ref).
    double
    open_circuit_voltage(double x) const;
    /// dU/dx [V].
    double
    open_circuit_voltage_derivative(double x) const;
    /// D_chem(x) = D_tr Theta(x) [m^2/s] (negative inside a spinodal).
    double
    chemical_diffusivity(double x) const;
    /// Whether the model phase-separates at this temperature.
    bool
    phase_separates() const;
    /// Binodal of the free-energy model, if it phase-separates.
    const std::optional<thermo::CompositionPair> &
    coexistence() const;
    /// Spinodal of the free-energy model, if any.
    const std::optional<thermo::CompositionPair> &
    spinodal() const;
    /**
     * The free energy to use in a particle diffusion model: the
     * common-tangent convexification when the model phase-separates (so
     * that D_chem >= 0 and the problem stays well-posed), else the model.
     * Null if the card has only an OCV table.
     */
    std::shared_ptr<const thermo::FreeEnergyModel>
    particle_free_energy() const;
    /// c_max [mol/m^3]; throws if the card does not give it.
    double
    max_concentration() const;
    ///@}

    /** @name Interface kinetics */
    ///@{
    bool
    has_kinetics() const;
    /// Butler-Volmer with i0 evaluated at this temperature.
    kinetics::ButlerVolmer
    butler_volmer() const;
    ///@}

  private:
    /// Throws InputError "card has no <block> block" unless @p present.
    void
    require(bool present, const std::string &block) const;

    MaterialCard                                   card_;
    double                                         temperature_;
    std::optional<thermo::CompositionPair>         coexistence_;
    std::optional<thermo::CompositionPair>         spinodal_;
    std::shared_ptr<const thermo::FreeEnergyModel> particle_model;
  };
} // namespace scalebridge::atomistic

#endif
