#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/macro/cell_model.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace scalebridge::macro
{
  namespace
  {

    std::vector<double>
    parse_times(const std::string &text,
                const std::string &source,
                const std::string &key)
    {
      std::string cleaned = text;
      std::replace(cleaned.begin(), cleaned.end(), ',', ' ');
      std::istringstream  in(cleaned);
      std::vector<double> times;
      for (std::string word; in >> word;)
        {
          try
            {
              std::size_t used = 0;
              times.push_back(std::stod(word, &used));
              if (used != word.size() || !(times.back() >= 0))
                throw std::invalid_argument(word);
            }
          catch (const std::exception &)
            {
              throw InputError(source,
                               key,
                               "'" + word + "' is not a time >= 0 [s]");
            }
        }
      std::sort(times.begin(), times.end());
      times.erase(std::unique(times.begin(), times.end()), times.end());
      return times;
    }
  } // namespace

  CellModel
  CellModel::build(const CellParameters &p)
  {
    p.check();
    CellModel model;
    model.parameters          = p;
    model.half_cell           = p.half_cell();
    const std::string &source = p.source;
    const double       T      = p.operating.temperature;
    const double       ce0    = p.electrolyte.initial_concentration;

    model.electrolyte = ElectrolyteProperties(p.electrolyte, T, source);

    const auto electrode
      = [&](const ElectrodeParameters &e, const std::string &section) {
          RegionData r;
          r.present                  = true;
          r.electrode                = true;
          r.thickness                = e.thickness;
          r.porosity                 = e.porosity;
          r.active_material_fraction = e.active_material_fraction;
          r.particle_radius          = e.particle_radius;
          r.initial_stoichiometry    = e.initial_stoichiometry;
          r.material
            = std::make_shared<ElectrodeMaterial>(e, T, ce0, source, section);
          return r;
        };
    if (!model.half_cell)
      model.regions[negative_electrode]
        = electrode(p.negative, "Negative electrode");
    model.regions[separator].present   = true;
    model.regions[separator].thickness = p.separator.thickness;
    model.regions[separator].porosity  = p.separator.porosity;
    model.regions[positive_electrode]
      = electrode(p.positive, "Positive electrode");

    if (model.half_cell)
      {
        model.counter_exchange_current
          = MaterialFunction(p.counter_electrode.exchange_current_density,
                             {"ce", "T"},
                             {ce0, T},
                             {{"F", constants::faraday},
                              {"R", constants::gas_constant}},
                             source,
                             "Counter electrode/Exchange-current density");
        if (!(model.counter_exchange_current.value({{ce0, T, 0}}) > 0))
          throw InputError(source,
                           "Counter electrode/Exchange-current density",
                           "must be positive at ce0");
      }

    // Regions with strategy fe2 are left empty here: their provider needs
    // the communicator and is made by fe2::make_effective_properties().
    std::array<std::shared_ptr<const TransportEfficiency>, 3> efficiency;
    const auto region_efficiency = [&](const EffectiveTransportParameters &t,
                                       const double       porosity,
                                       const bool         has_solid,
                                       const std::string &section) {
      return t.strategy == "fe2" ? nullptr
                                 : create_transport_efficiency(
                                   t, porosity, has_solid, source, section);
    };
    if (!model.half_cell)
      efficiency[negative_electrode] = region_efficiency(p.negative.transport,
                                                         p.negative.porosity,
                                                         true,
                                                         "Negative electrode");
    efficiency[separator]          = region_efficiency(p.separator.transport,
                                              p.separator.porosity,
                                              false,
                                              "Separator");
    efficiency[positive_electrode] = region_efficiency(p.positive.transport,
                                                       p.positive.porosity,
                                                       true,
                                                       "Positive electrode");
    model.effective_properties
      = std::make_shared<RegionEffectiveProperties>(efficiency);

    if (p.mechanics.enabled)
      {
        // Regions with strategy fe2 are left empty here, as for transport:
        // fe2::make_mechanical_properties() answers them live.
        std::array<std::shared_ptr<const RegionMechanics>, 3> mechanics;
        const auto region = [&](const EffectiveMechanicsParameters &m,
                                const std::string                  &section) {
          return m.strategy == "fe2"
                   ? nullptr
                   : std::make_shared<const RegionMechanics>(
                     create_region_mechanics(m, source, section));
        };
        if (!model.half_cell)
          mechanics[negative_electrode]
            = region(p.negative.mechanics, "Negative electrode");
        mechanics[separator] = region(p.separator.mechanics, "Separator");
        mechanics[positive_electrode]
          = region(p.positive.mechanics, "Positive electrode");
        model.mechanical_properties
          = std::make_shared<RegionMechanicalProperties>(mechanics);
        if (p.mechanics.stress_feedback)
          for (const unsigned int r : {negative_electrode, positive_electrode})
            if (model.regions[r].present
                && !model.regions[r].material->partial_molar_volume())
              throw InputError(
                source,
                std::string(r == negative_electrode ? "Negative electrode"
                                                    : "Positive electrode")
                  + "/Partial molar volume",
                "is needed by Mechanics/Stress feedback: give Omega in "
                "m^3/mol, or a Material card with a swelling block");
      }

    // Initial open-circuit voltage, and the cut-offs around it.
    const RegionData &pos = model.regions[positive_electrode];
    double            ocv
      = pos.material->open_circuit_potential(pos.initial_stoichiometry);
    if (!model.half_cell)
      {
        const RegionData &neg = model.regions[negative_electrode];
        ocv -= neg.material->open_circuit_potential(neg.initial_stoichiometry);
      }
    model.initial_open_circuit_voltage = ocv;
    if (!std::isfinite(ocv))
      throw InputError(source,
                       "Positive electrode/Open-circuit potential",
                       "the initial open-circuit voltage is not finite");
    if (!(p.operating.lower_cutoff < ocv))
      throw InputError(source,
                       "Operating conditions/Lower voltage cut-off",
                       format_number(p.operating.lower_cutoff, 6)
                         + " V is not below the initial open-circuit "
                           "voltage "
                         + format_number(ocv, 6) + " V");
    if (!(p.operating.upper_cutoff > ocv))
      throw InputError(source,
                       "Operating conditions/Upper voltage cut-off",
                       format_number(p.operating.upper_cutoff, 6)
                         + " V is not above the initial open-circuit "
                           "voltage "
                         + format_number(ocv, 6) + " V");

    const std::string &text = p.operating.protocol;
    if (text.find_first_not_of(" \t\n") == std::string::npos)
      model.protocol = default_protocol(p.operating.c_rate,
                                        p.operating.one_c_current_density,
                                        p.operating.lower_cutoff,
                                        p.operating.upper_cutoff);
    else
      model.protocol = parse_protocol(text,
                                      p.operating.one_c_current_density,
                                      p.operating.lower_cutoff,
                                      p.operating.upper_cutoff,
                                      source,
                                      "Operating conditions/Protocol");

    model.profile_times
      = parse_times(p.output.profile_times, source, "Output/Profile times");
    return model;
  }

  double
  CellModel::temperature() const
  {
    return parameters.operating.temperature;
  }

  std::array<double, 4>
  CellModel::interfaces() const
  {
    const double a = regions[negative_electrode].present
                       ? regions[negative_electrode].thickness
                       : 0;
    const double b = a + regions[separator].thickness;
    return {{0, a, b, b + regions[positive_electrode].thickness}};
  }
} // namespace scalebridge::macro
