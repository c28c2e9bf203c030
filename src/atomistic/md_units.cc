#include <scalebridge/atomistic/md_units.h>
#include <scalebridge/base/constants.h>

#include <stdexcept>

namespace scalebridge::atomistic
{
  MdUnits
  md_units(const std::string &name)
  {
    // LAMMPS documentation, `units` command.
    if (name == "metal")
      return {name,
              1e-10,
              1e-12,
              constants::electronvolt,
              constants::elementary_charge,
              1e5};
    if (name == "real")
      return {name,
              1e-10,
              1e-15,
              4184.0 / constants::avogadro,
              constants::elementary_charge,
              101325.0};
    if (name == "si")
      return {name, 1, 1, 1, 1, 1};
    throw std::invalid_argument("unknown unit system \"" + name
                                + "\"; allowed are metal, real, si");
  }
} // namespace scalebridge::atomistic
