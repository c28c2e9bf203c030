#ifndef scalebridge_thermo_ocv_table_h
#define scalebridge_thermo_ocv_table_h

#include <vector>

namespace scalebridge::thermo
{
  /**
   * Tabulated open-circuit voltage U(x) [V] versus site fraction x, e.g. from
   * measurements. Interpolated by a monotone piecewise-cubic Hermite
   * interpolant (Fritsch-Carlson), so that a monotone table gives a monotone
   * curve with a continuous derivative (needed by Newton solvers) and no
   * overshoot. Outside the table range the end values are extended linearly
   * with the end slopes.
   */
  class OcvTable
  {
  public:
    /// @p x strictly increasing, at least two points, same length as @p U.
    /// Throws std::invalid_argument otherwise.
    OcvTable(std::vector<double> x, std::vector<double> U);

    double
    value(double x) const;

    double
    derivative(double x) const;

    const std::vector<double> &
    x_values() const;
    const std::vector<double> &
    U_values() const;

  private:
    std::vector<double> xs;
    std::vector<double> Us;
    std::vector<double> slopes;
  };
} // namespace scalebridge::thermo

#endif
