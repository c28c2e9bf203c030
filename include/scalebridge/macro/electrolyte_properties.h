#ifndef scalebridge_macro_electrolyte_properties_h
#define scalebridge_macro_electrolyte_properties_h

#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/material_function.h>

namespace scalebridge::macro
{
  /// Bulk properties of a binary electrolyte at one salt concentration,
  /// with their derivatives with respect to it.
  struct ElectrolyteState
  {
    double diffusivity, d_diffusivity;
    double conductivity, d_conductivity;
    double transference_number, d_transference_number;
    double thermodynamic_factor, d_thermodynamic_factor;
  };

  /**
   * De(ce,T), kappa_e(ce,T), t+(ce,T) and the thermodynamic factor of a
   * concentrated binary electrolyte, from parameter-file expressions or
   * tables. Validated when built (positive De and kappa, t+ < 1 at ce0).
   */
  class ElectrolyteProperties
  {
  public:
    ElectrolyteProperties() = default;

    ElectrolyteProperties(const ElectrolyteParameters &parameters,
                          double                       temperature,
                          const std::string           &source);

    /// All four properties and their ce-derivatives at @p ce [mol/m^3].
    ElectrolyteState
    evaluate(double ce) const;

    double
    initial_concentration() const;

    double
    temperature() const;

  private:
    MaterialFunction diffusivity, conductivity, transference_number,
      thermodynamic_factor;
    double ce0 = 1000;
    double T   = 298.15;
  };
} // namespace scalebridge::macro

#endif
