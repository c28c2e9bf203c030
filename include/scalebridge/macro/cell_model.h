#ifndef scalebridge_macro_cell_model_h
#define scalebridge_macro_cell_model_h

#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/effective_mechanics.h>
#include <scalebridge/macro/effective_properties.h>
#include <scalebridge/macro/electrode_material.h>
#include <scalebridge/macro/electrolyte_properties.h>
#include <scalebridge/macro/material_function.h>
#include <scalebridge/macro/protocol.h>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace scalebridge::macro
{
  /// Geometry and composition of one region of the cell.
  struct RegionData
  {
    bool   present   = false;
    bool   electrode = false;
    double thickness = 0;
    double porosity  = 1;
    /// Electrodes only:
    double                                   active_material_fraction = 0;
    double                                   particle_radius          = 0;
    double                                   initial_stoichiometry    = 0;
    std::shared_ptr<const ElectrodeMaterial> material;
  };

  /**
   * The cell as the solver consumes it: every input read, parsed and
   * checked (parameters, expressions, cards, RVE files, protocol, cut-offs
   * against the initial open-circuit voltage). Building it is the
   * "validate everything before writing anything" step: if build() returns,
   * the run can start; if not, it threw InputError and nothing was written.
   */
  struct CellModel
  {
    static CellModel
    build(const CellParameters &parameters);

    CellParameters parameters;
    bool           half_cell = false;

    /// Indexed by Region.
    std::array<RegionData, 3> regions;

    ElectrolyteProperties electrolyte;

    /// The lithium-metal counter electrode of a half cell: j0(ce, T).
    MaterialFunction counter_exchange_current;

    std::shared_ptr<const EffectivePropertiesProvider> effective_properties;
    /// C_eff and eps*_eff of the regions (null unless Mechanics/Enabled).
    std::shared_ptr<const MechanicalPropertiesProvider> mechanical_properties;

    std::vector<OperatingStep> protocol;
    std::vector<double>        profile_times;

    /// U_p(x_p0) - U_n(x_n0) (or U_p(x_p0) against lithium).
    double initial_open_circuit_voltage = 0;

    double
    temperature() const;

    /// x-coordinate of the region boundaries: 0, end of the negative
    /// electrode (0 in a half cell), end of the separator, L.
    std::array<double, 4>
    interfaces() const;
  };
} // namespace scalebridge::macro

#endif
