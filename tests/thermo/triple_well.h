// A free energy with two miscibility gaps, for the tests of the thermo
// module (common tangents, convexification).

#ifndef scalebridge_tests_thermo_triple_well_h
#define scalebridge_tests_thermo_triple_well_h

#include <scalebridge/thermo/free_energy.h>

#include <memory>
#include <string>

namespace scalebridge::test
{
  /**
   * Triple well g = y^2 (y^2 - a^2)^2 + e y^2, y = x - 1/2, with wells at
   * y = 0 and near y = -/+ a. For e > 0 the middle well is the lowest and
   * there are two miscibility gaps (as in a staged host); for e < 0 the
   * outer wells are lower and a single tangent bridges both unstable
   * intervals.
   */
  class TripleWell : public thermo::FreeEnergyModel
  {
  public:
    TripleWell(double a, double e)
      : a2(a * a)
      , e(e)
    {
    }
    std::string
    name() const override
    {
      return "triple_well";
    }
    double
    free_energy(double x, double) const override
    {
      const double y2 = (x - 0.5) * (x - 0.5);
      return y2 * (y2 - a2) * (y2 - a2) + e * y2;
    }
    double
    chemical_potential(double x, double) const override
    {
      const double y = x - 0.5, y2 = y * y;
      return 6 * y2 * y2 * y - 8 * a2 * y2 * y + 2 * (a2 * a2 + e) * y;
    }
    double
    chemical_potential_derivative(double x, double) const override
    {
      const double y2 = (x - 0.5) * (x - 0.5);
      return 30 * y2 * y2 - 24 * a2 * y2 + 2 * (a2 * a2 + e);
    }
    bool
    has_ideal_entropy() const override
    {
      return false;
    }
    std::unique_ptr<thermo::FreeEnergyModel>
    clone() const override
    {
      return std::make_unique<TripleWell>(*this);
    }

  private:
    double a2, e;
  };
} // namespace scalebridge::test

#endif
