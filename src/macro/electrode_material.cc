#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/atomistic/phase_properties.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/macro/electrode_material.h>
#include <scalebridge/thermo/free_energy.h>

#include <cmath>
#include <optional>
#include <sstream>

namespace scalebridge::macro
{
  namespace
  {

    /// A number, or "card" (then @p from_card is asked).
    double
    number_or_card(const std::string             &text,
                   const std::function<double()> &from_card,
                   const std::string             &source,
                   const std::string             &key)
    {
      if (is_card_spec(text))
        return from_card();
      try
        {
          std::size_t  used  = 0;
          const double value = std::stod(text, &used);
          if (text.find_first_not_of(" \t", used) != std::string::npos)
            throw std::invalid_argument(text);
          return value;
        }
      catch (const std::exception &)
        {
          throw InputError(source,
                           key,
                           "'" + text + "' is neither a number nor 'card'");
        }
    }
  } // namespace

  ElectrodeMaterial::ElectrodeMaterial(const ElectrodeParameters &p,
                                       const double               temperature,
                                       const double               ce0,
                                       const std::string         &source,
                                       const std::string         &section)
    : T(temperature)
  {
    const std::string                         key = section + "/";
    std::optional<atomistic::PhaseProperties> card;
    const auto                                need_card
      = [&](const std::string &entry) -> const atomistic::PhaseProperties & {
      if (!card)
        {
          if (p.material_card.empty())
            throw InputError(source,
                             key + entry,
                             "is 'card' but no Material card is given");
          card.emplace(atomistic::read_material_card(p.material_card),
                       temperature);
        }
      return *card;
    };
    if (!p.material_card.empty())
      need_card("Material card");

    std::ostringstream text;
    if (card)
      text << "card " << p.material_card << " (" << card->name() << ")\n";

    // c_max
    c_max = number_or_card(
      p.maximum_concentration,
      [&] { return need_card("Maximum concentration").max_concentration(); },
      source,
      key + "Maximum concentration");
    if (!(c_max > 0))
      throw InputError(source,
                       key + "Maximum concentration",
                       "must be positive (got " + format_number(c_max, 6)
                         + ")");
    text << "c_max = " << format_number(c_max, 6) << " mol/m^3"
         << (is_card_spec(p.maximum_concentration) ? " (card)" : "") << '\n';

    // Solid conductivity: the isotropic part of the card's tensor.
    sigma = number_or_card(
      p.conductivity,
      [&] {
        const atomistic::PhaseProperties &c = need_card("Conductivity");
        const auto                       &t = c.card().transport;
        if (!t || !t->electronic_conductivity)
          throw InputError(c.card().source,
                           "transport/electronic_conductivity",
                           "material card \"" + c.name()
                             + "\" gives no electronic conductivity, which "
                               "the electrode solver needs for 'card'");
        return dealii::trace(*t->electronic_conductivity) / 3;
      },
      source,
      key + "Conductivity");
    if (!(sigma > 0))
      throw InputError(source,
                       key + "Conductivity",
                       "must be positive (got " + format_number(sigma, 6)
                         + ")");

    // Open-circuit potential.
    if (is_card_spec(p.open_circuit_potential))
      {
        const atomistic::PhaseProperties &c
          = need_card("Open-circuit potential");
        if (!c.has_thermodynamics())
          c.particle_free_energy(); // throws "no thermodynamics block"
        const atomistic::ThermodynamicsCard &t = *c.card().thermodynamics;
        if (t.ocv_table)
          {
            const thermo::OcvTable table = *t.ocv_table;
            card_ocp                     = [table](const double x, double &dU) {
              dU = table.derivative(x);
              return table.value(x);
            };
            text << "U(x): OCV table of the card\n";
          }
        else
          {
            // A phase-separating model: the common-tangent convexification
            // (flat across the binodal) with rounded corners, see
            // thermo::ConvexifiedFreeEnergy; otherwise the model itself.
            const double mu_ref = t.reference_potential_eV;
            separating          = c.phase_separates();
            if (separating)
              {
                const auto potential
                  = std::make_shared<thermo::ConvexifiedFreeEnergy>(
                    *t.model, temperature, p.binodal_rounding);
                const double temp = temperature;
                card_ocp
                  = [potential, mu_ref, temp](const double x, double &dU) {
                      double       dmu;
                      const double mu
                        = potential->chemical_potential_and_derivative(x,
                                                                       temp,
                                                                       dmu);
                      dU = -dmu;
                      return mu_ref - mu;
                    };
                text << "U(x): " << t.model->name()
                     << " free energy of the card, separates into two phases:"
                        " common-tangent convexified (binodal "
                     << format_number(potential->binodal()->first, 6) << " .. "
                     << format_number(potential->binodal()->second, 6)
                     << ", plateau "
                     << format_number(mu_ref - potential->plateau(), 6)
                     << " V, corners rounded over +-"
                     << format_number(potential->rounding(), 6) << ")";
              }
            else
              {
                const auto   model = t.model;
                const double temp  = temperature;
                card_ocp = [model, mu_ref, temp](const double x, double &dU) {
                  dU = -model->chemical_potential_derivative(x, temp);
                  return mu_ref - model->chemical_potential(x, temp);
                };
                text << "U(x): " << model->name() << " free energy of the card";
              }
            text << '\n';
          }
      }
    else
      {
        ocp = MaterialFunction(p.open_circuit_potential,
                               {"sto", "T"},
                               {0.5, temperature},
                               {{"F", constants::faraday},
                                {"R", constants::gas_constant}},
                               source,
                               key + "Open-circuit potential");
        text << "U(sto) = " << p.open_circuit_potential << '\n';
      }

    // Radial transport.
    if (is_card_spec(p.particle_diffusivity))
      {
        fickian = false;
        tracer_diffusivity
          = need_card("Particle diffusivity").tracer_diffusivity();
        if (!(tracer_diffusivity > 0))
          throw InputError(p.material_card,
                           "diffusion",
                           "tracer diffusivity must be positive");
        text << "particle transport: D_tr = "
             << format_number(tracer_diffusivity, 6)
             << " m^2/s (card) times the thermodynamic factor of U(x)\n";
      }
    else
      {
        diffusivity          = MaterialFunction(p.particle_diffusivity,
                                       {"sto", "T"},
                                       {0.5, temperature},
                                       {{"F", constants::faraday},
                                                 {"R", constants::gas_constant}},
                                       source,
                                       key + "Particle diffusivity");
        constant_diffusivity = diffusivity.value({{0.5, temperature, 0}});
        if (!(constant_diffusivity > 0))
          throw InputError(source,
                           key + "Particle diffusivity",
                           "must be positive");
        text << "D_s(sto) = " << p.particle_diffusivity << " m^2/s\n";
      }

    // Kinetics.
    alpha = number_or_card(
      p.symmetry_factor,
      [&] {
        return need_card("Symmetry factor").butler_volmer().symmetry_factor;
      },
      source,
      key + "Symmetry factor");
    if (!(alpha > 0 && alpha < 1))
      throw InputError(source,
                       key + "Symmetry factor",
                       "must lie in (0,1) (got " + format_number(alpha, 6)
                         + ")");
    if (is_card_spec(p.exchange_current_density))
      {
        const kinetics::ButlerVolmer bv
          = need_card("Exchange-current density").butler_volmer();
        if (bv.electrons != 1)
          throw InputError(p.material_card,
                           "kinetics/electrons",
                           "lithium intercalation transfers one electron");
        const double i0 = bv.exchange_current_density;
        const double a  = alpha;
        card_exchange   = [i0, a, ce0, cm = c_max](const double ce,
                                                 const double cs,
                                                 double      &d_ce,
                                                 double      &d_cs) {
          const double x  = cs / cm;
          const double fe = std::pow(ce / ce0, 1 - a);
          const double fx = std::pow(2 * x, 1 - a) * std::pow(2 * (1 - x), a);
          const double j0 = i0 * fe * fx;
          d_ce            = j0 * (1 - a) / ce;
          d_cs            = j0 * ((1 - a) / x - a / (1 - x)) / cm;
          return j0;
        };
        text << "j0 = " << format_number(i0, 6)
             << " A/m^2 (card) (ce/ce0)^(1-a) (2x)^(1-a) (2(1-x))^a\n";
      }
    else
      {
        exchange_current = MaterialFunction(p.exchange_current_density,
                                            {"ce", "cs", "T"},
                                            {ce0, 0.5 * c_max, temperature},
                                            {{"cmax", c_max},
                                             {"F", constants::faraday},
                                             {"R", constants::gas_constant}},
                                            source,
                                            key + "Exchange-current density");
        if (!(exchange_current.value({{ce0, 0.5 * c_max, temperature}}) > 0))
          throw InputError(source,
                           key + "Exchange-current density",
                           "must be positive at ce0 and x = 1/2");
        text << "j0(ce, cs) = " << p.exchange_current_density << " A/m^2\n";
      }
    text << "alpha = " << format_number(alpha, 6)
         << ", sigma = " << format_number(sigma, 6) << " S/m";

    // Partial molar volume (only the stress feedback needs it, so a card
    // without a swelling block leaves it unknown rather than failing).
    if (!is_card_spec(p.partial_molar_volume))
      {
        omega = number_or_card(p.partial_molar_volume,
                               {},
                               source,
                               key + "Partial molar volume");
        if (!(std::abs(*omega) <= 1e-4))
          throw InputError(source,
                           key + "Partial molar volume",
                           "must be in [-1e-4, 1e-4] m^3/mol (got "
                             + format_number(*omega, 6) + ")");
      }
    else if (card && card->card().swelling)
      {
        const atomistic::SwellingCard &swelling = *card->card().swelling;
        omega = swelling.partial_molar_volume_m3_per_mol
                  ? *swelling.partial_molar_volume_m3_per_mol
                  : dealii::trace(swelling.strain_at_full_lithiation)
                      / card->max_concentration();
      }
    if (omega)
      text << "\nOmega = " << format_number(*omega, 6) << " m^3/mol"
           << (is_card_spec(p.partial_molar_volume) ? " (card)" : "");
    description = text.str();

    // Every function must be finite at the initial stoichiometry.
    double       dU = 0;
    const double U0 = open_circuit_potential(p.initial_stoichiometry, dU);
    if (!std::isfinite(U0) || !std::isfinite(dU))
      throw InputError(source,
                       key + "Open-circuit potential",
                       "is not finite at the initial stoichiometry "
                         + format_number(p.initial_stoichiometry, 6));
  }

  std::optional<double>
  ElectrodeMaterial::partial_molar_volume() const
  {
    return omega;
  }

  double
  ElectrodeMaterial::max_concentration() const
  {
    return c_max;
  }

  double
  ElectrodeMaterial::conductivity() const
  {
    return sigma;
  }

  double
  ElectrodeMaterial::symmetry_factor() const
  {
    return alpha;
  }

  double
  ElectrodeMaterial::open_circuit_potential(const double x, double &dU) const
  {
    if (card_ocp)
      return card_ocp(x, dU);
    MaterialFunction::Arguments g;
    const double                U = ocp.value_and_gradient({{x, T, 0}}, g, 1);
    dU                            = g[0];
    return U;
  }

  double
  ElectrodeMaterial::open_circuit_potential(const double x) const
  {
    if (card_ocp)
      {
        double dU;
        return card_ocp(x, dU);
      }
    return ocp.value({{x, T, 0}});
  }

  bool
  ElectrodeMaterial::constant_fickian() const
  {
    // Constant in x at the fixed temperature (an Arrhenius factor in T does
    // not make D_s vary along the particle).
    return fickian && !diffusivity.depends_on(0);
  }

  bool
  ElectrodeMaterial::mobility_upwinded() const
  {
    return !fickian;
  }

  double
  ElectrodeMaterial::mobility(const double x, double &dM) const
  {
    if (fickian)
      {
        if (!diffusivity.depends_on(0))
          {
            dM = 0;
            return constant_diffusivity * c_max;
          }
        MaterialFunction::Arguments g;
        const double D = diffusivity.value_and_gradient({{x, T, 0}}, g, 1);
        dM             = g[0] * c_max;
        return D * c_max;
      }
    const double scale = tracer_diffusivity * c_max * constants::faraday
                         / (constants::gas_constant * T);
    dM = scale;
    return scale * x;
  }

  double
  ElectrodeMaterial::transport_potential(const double x, double &dg) const
  {
    if (fickian)
      {
        dg = 1;
        return x;
      }
    double       dU;
    const double U = open_circuit_potential(x, dU);
    dg             = -dU;
    return -U;
  }

  double
  ElectrodeMaterial::exchange_current_density(const double ce,
                                              const double cs,
                                              double      &d_ce,
                                              double      &d_cs) const
  {
    if (card_exchange)
      return card_exchange(ce, cs, d_ce, d_cs);
    MaterialFunction::Arguments g;
    const double j0 = exchange_current.value_and_gradient({{ce, cs, T}}, g, 2);
    d_ce            = g[0];
    d_cs            = g[1];
    return j0;
  }

  bool
  ElectrodeMaterial::phase_separating() const
  {
    return separating;
  }

  std::string
  ElectrodeMaterial::describe() const
  {
    return description;
  }
} // namespace scalebridge::macro
