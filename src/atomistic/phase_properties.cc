#include <scalebridge/atomistic/phase_properties.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/transport/diffusion.h>

#include <stdexcept>

namespace scalebridge::atomistic
{
  namespace
  {
    /**
     * The phase diagram of a card's free energy could not be computed at
     * @p temperature (a binodal closer than 1e-14 to x = 0 or 1, or no
     * consistent tangent): an InputError at the entry that causes it, with
     * the range that works at this temperature. For a regular solution the
     * binodal lies near x = exp(-omega / kB T), so omega must stay below
     * about 32 kB T.
     */
    InputError
    unrepresentable_coexistence(const MaterialCard   &card,
                                const double          temperature,
                                const std::exception &e)
    {
      const double kT = constants::boltzmann_eV * temperature;
      if (const auto *regular = dynamic_cast<const thermo::RegularSolution *>(
            card.thermodynamics->model.get()))
        return InputError(card.source,
                          "thermodynamics/omega_eV",
                          "omega = " + format_number(regular->omega_eV(), 6)
                            + " eV = "
                            + format_number(regular->omega_eV() / kT, 4)
                            + " kB T separates phases whose compositions lie "
                              "closer than 1e-14 to x = 0 or 1 at T = "
                            + format_number(temperature, 6)
                            + " K; allowed at this temperature is omega < "
                            + format_number(32 * kT, 4) + " eV (32 kB T)");
      return InputError(card.source,
                        "thermodynamics/model",
                        "no phase coexistence can be computed at T = "
                          + format_number(temperature, 6)
                          + " K for this free energy (" + e.what()
                          + "); keep its coefficients within a few eV so "
                            "that the binodal stays away from x = 0 and 1");
    }
  } // namespace

  PhaseProperties::PhaseProperties(const MaterialCard &card,
                                   const double        temperature)
    : card_(card)
    , temperature_(temperature)
  {
    if (!(temperature > 0))
      throw InputError(card.source,
                       "temperature",
                       "must be > 0 K (got " + std::to_string(temperature)
                         + ")");
    if (card_.thermodynamics && card_.thermodynamics->model)
      {
        const thermo::FreeEnergyModel &model = *card_.thermodynamics->model;
        try
          {
            spinodal_    = thermo::spinodal(model, temperature);
            coexistence_ = thermo::common_tangent(model, temperature);
          }
        catch (const std::exception &e)
          {
            throw unrepresentable_coexistence(card_, temperature, e);
          }
        if (coexistence_)
          particle_model
            = std::make_shared<thermo::ConvexifiedFreeEnergy>(model,
                                                              temperature);
        else
          particle_model = card_.thermodynamics->model;
      }
  }

  void
  PhaseProperties::require(const bool present, const std::string &block) const
  {
    if (!present)
      throw InputError(card_.source,
                       block,
                       "material card \"" + card_.name + "\" has no " + block
                         + " block, which this calculation needs");
  }

  const std::string &
  PhaseProperties::name() const
  {
    return card_.name;
  }

  double
  PhaseProperties::temperature() const
  {
    return temperature_;
  }

  const MaterialCard &
  PhaseProperties::card() const
  {
    return card_;
  }

  bool
  PhaseProperties::has_stiffness() const
  {
    return card_.elastic.has_value();
  }

  const elasticity::Matrix6 &
  PhaseProperties::stiffness_mandel() const
  {
    require(has_stiffness(), "elastic");
    return card_.elastic->stiffness_mandel;
  }

  bool
  PhaseProperties::has_conductivity() const
  {
    return card_.transport.has_value();
  }

  const dealii::Tensor<2, 3> &
  PhaseProperties::conductivity() const
  {
    require(has_conductivity(), "transport");
    return card_.transport->conductivity;
  }

  bool
  PhaseProperties::has_diffusion() const
  {
    return card_.diffusion.has_value();
  }

  double
  PhaseProperties::tracer_diffusivity() const
  {
    require(has_diffusion(), "diffusion");
    return transport::tracer_diffusivity(*card_.diffusion, temperature_);
  }

  bool
  PhaseProperties::has_thermodynamics() const
  {
    return card_.thermodynamics.has_value();
  }

  double
  PhaseProperties::chemical_potential(const double x) const
  {
    require(has_thermodynamics(), "thermodynamics");
    const ThermodynamicsCard &t = *card_.thermodynamics;
    if (t.model)
      return t.model->chemical_potential(x, temperature_);
    // mu = mu_ref - e U: per-ion energy in eV is numerically -U in volts.
    return t.reference_potential_eV - t.ocv_table->value(x);
  }

  double
  PhaseProperties::thermodynamic_factor(const double x) const
  {
    require(has_thermodynamics(), "thermodynamics");
    const ThermodynamicsCard &t = *card_.thermodynamics;
    if (t.model)
      return thermo::thermodynamic_factor(*t.model, x, temperature_);
    // Theta = (x / kB T) dmu/dx with dmu/dx = -dU/dx [eV per unit x].
    return -x * t.ocv_table->derivative(x)
           / (constants::boltzmann_eV * temperature_);
  }

  double
  PhaseProperties::open_circuit_voltage(const double x) const
  {
    require(has_thermodynamics(), "thermodynamics");
    const ThermodynamicsCard &t = *card_.thermodynamics;
    if (t.ocv_table)
      return t.ocv_table->value(x);
    return thermo::open_circuit_voltage_from_ion_energy(
      t.model->chemical_potential(x, temperature_), t.reference_potential_eV);
  }

  double
  PhaseProperties::open_circuit_voltage_derivative(const double x) const
  {
    require(has_thermodynamics(), "thermodynamics");
    const ThermodynamicsCard &t = *card_.thermodynamics;
    if (t.ocv_table)
      return t.ocv_table->derivative(x);
    return -t.model->chemical_potential_derivative(x, temperature_);
  }

  double
  PhaseProperties::chemical_diffusivity(const double x) const
  {
    return transport::chemical_diffusivity(tracer_diffusivity(),
                                           thermodynamic_factor(x));
  }

  bool
  PhaseProperties::phase_separates() const
  {
    return coexistence_.has_value();
  }

  const std::optional<thermo::CompositionPair> &
  PhaseProperties::coexistence() const
  {
    return coexistence_;
  }

  const std::optional<thermo::CompositionPair> &
  PhaseProperties::spinodal() const
  {
    return spinodal_;
  }

  std::shared_ptr<const thermo::FreeEnergyModel>
  PhaseProperties::particle_free_energy() const
  {
    require(has_thermodynamics(), "thermodynamics");
    return particle_model;
  }

  double
  PhaseProperties::max_concentration() const
  {
    require(has_thermodynamics(), "thermodynamics");
    if (!card_.thermodynamics->max_concentration_mol_per_m3)
      throw InputError(card_.source,
                       "thermodynamics/max_concentration_mol_per_m3",
                       "material card \"" + card_.name
                         + "\" does not give the site concentration, which "
                           "this calculation needs (a number > 0 in mol/m^3)");
    return *card_.thermodynamics->max_concentration_mol_per_m3;
  }

  bool
  PhaseProperties::has_kinetics() const
  {
    return card_.kinetics.has_value();
  }

  kinetics::ButlerVolmer
  PhaseProperties::butler_volmer() const
  {
    require(has_kinetics(), "kinetics");
    return card_.kinetics->butler_volmer(temperature_);
  }
} // namespace scalebridge::atomistic
