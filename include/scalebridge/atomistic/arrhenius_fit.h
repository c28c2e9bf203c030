#ifndef scalebridge_atomistic_arrhenius_fit_h
#define scalebridge_atomistic_arrhenius_fit_h

#include <scalebridge/atomistic/block_statistics.h>

#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// What the Arrhenius points are.
  enum class ArrheniusQuantity
  {
    /// D(T) = D0 exp(-E_m / kB T) [m^2/s].
    diffusivity,
    /// sigma(T) T = A exp(-E_m / kB T) (Nernst-Einstein form) [S/m].
    conductivity
  };

  struct ArrheniusResult
  {
    ArrheniusQuantity quantity = ArrheniusQuantity::diffusivity;
    Estimate          barrier_eV;
    /// D0 [m^2/s] or A [S K/m].
    Estimate prefactor;
    /// Covariance of (E_m [eV], prefactor) and of (E_m, ln prefactor).
    double covariance[2][2]     = {{0, 0}, {0, 0}};
    double covariance_log[2][2] = {{0, 0}, {0, 0}};
    /// sum ((ln y - fit) / sigma_ln y)^2 and its degrees of freedom n - 2.
    double       chi_squared = 0;
    unsigned int dof         = 0;
    /// max(1, sqrt(chi^2 / dof)): the covariance was multiplied by its
    /// square when the scatter exceeds the stated errors (Birge 1932).
    double birge_ratio = 1;
  };

  /**
   * Weighted least squares of ln y = ln y0 - E_m / kB T with
   * sigma_ln y = SE / y (transport::fit_arrhenius()), y = D or sigma T. The
   * covariance is the weighted one, scaled by the Birge ratio squared when
   * chi^2 / dof > 1 (errors that do not explain the scatter are too small).
   * Throws std::invalid_argument for fewer than two temperatures, values
   * or errors that are not positive.
   */
  ArrheniusResult
  fit_arrhenius_with_errors(const std::vector<double> &temperatures,
                            const std::vector<double> &values,
                            const std::vector<double> &standard_errors,
                            ArrheniusQuantity          quantity);
} // namespace scalebridge::atomistic

#endif
