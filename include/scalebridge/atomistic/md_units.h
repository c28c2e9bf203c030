#ifndef scalebridge_atomistic_md_units_h
#define scalebridge_atomistic_md_units_h

#include <string>

namespace scalebridge::atomistic
{
  /**
   * The unit system a molecular-dynamics code wrote its numbers in, as SI
   * factors. The names follow LAMMPS' `units` command (metal: Å, ps, eV,
   * bar; real: Å, fs, kcal/mol, atm), plus plain SI. Charges are in units
   * of e in metal and real. Every raw number read from a trajectory, flux
   * table or box log is multiplied by exactly one of these factors once,
   * at the point where it becomes an SI result: the conversions live here
   * and nowhere else.
   */
  struct MdUnits
  {
    std::string name;
    double      length_m;
    double      time_s;
    double      energy_J;
    double      charge_C;
    double      pressure_Pa;

    /// Velocity unit [m/s].
    double
    velocity_m_per_s() const
    {
      return length_m / time_s;
    }
  };

  /// The unit system called @p name ("metal", "real" or "si"); throws
  /// std::invalid_argument for any other name.
  MdUnits
  md_units(const std::string &name);
} // namespace scalebridge::atomistic

#endif
