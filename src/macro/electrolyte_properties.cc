#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/electrolyte_properties.h>

namespace scalebridge::macro
{
  namespace
  {
    std::map<std::string, double>
    named_constants()
    {
      return {{"F", constants::faraday}, {"R", constants::gas_constant}};
    }
  } // namespace

  ElectrolyteProperties::ElectrolyteProperties(
    const ElectrolyteParameters &parameters,
    const double                 temperature,
    const std::string           &source)
    : ce0(parameters.initial_concentration)
    , T(temperature)
  {
    const std::vector<std::string> variables{"ce", "T"};
    const std::vector<double>      scales{ce0, T};
    const auto make = [&](const std::string &spec, const std::string &entry) {
      return MaterialFunction(spec,
                              variables,
                              scales,
                              named_constants(),
                              source,
                              "Electrolyte/" + entry);
    };
    diffusivity  = make(parameters.diffusivity, "Diffusivity");
    conductivity = make(parameters.conductivity, "Conductivity");
    transference_number
      = make(parameters.transference_number, "Cation transference number");
    thermodynamic_factor
      = make(parameters.thermodynamic_factor, "Thermodynamic factor");

    const ElectrolyteState s = evaluate(ce0);
    if (!(s.diffusivity > 0))
      throw InputError(source,
                       "Electrolyte/Diffusivity",
                       "must be positive at the initial concentration");
    if (!(s.conductivity > 0))
      throw InputError(source,
                       "Electrolyte/Conductivity",
                       "must be positive at the initial concentration");
    if (!(s.transference_number < 1))
      throw InputError(source,
                       "Electrolyte/Cation transference number",
                       "must be below 1 at the initial concentration");
    if (!(s.thermodynamic_factor > 0))
      throw InputError(source,
                       "Electrolyte/Thermodynamic factor",
                       "must be positive at the initial concentration");
  }

  ElectrolyteState
  ElectrolyteProperties::evaluate(const double ce) const
  {
    const MaterialFunction::Arguments x{{ce, T, 0}};
    MaterialFunction::Arguments       g;
    ElectrolyteState                  s;
    s.diffusivity            = diffusivity.value_and_gradient(x, g, 1);
    s.d_diffusivity          = g[0];
    s.conductivity           = conductivity.value_and_gradient(x, g, 1);
    s.d_conductivity         = g[0];
    s.transference_number    = transference_number.value_and_gradient(x, g, 1);
    s.d_transference_number  = g[0];
    s.thermodynamic_factor   = thermodynamic_factor.value_and_gradient(x, g, 1);
    s.d_thermodynamic_factor = g[0];
    return s;
  }

  double
  ElectrolyteProperties::initial_concentration() const
  {
    return ce0;
  }

  double
  ElectrolyteProperties::temperature() const
  {
    return T;
  }
} // namespace scalebridge::macro
