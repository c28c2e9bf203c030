#include <scalebridge/atomistic/arrhenius_fit.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/transport/diffusion.h>

#include <cmath>
#include <stdexcept>

namespace scalebridge::atomistic
{
  ArrheniusResult
  fit_arrhenius_with_errors(const std::vector<double> &temperatures,
                            const std::vector<double> &values,
                            const std::vector<double> &standard_errors,
                            const ArrheniusQuantity    quantity)
  {
    const std::size_t n = temperatures.size();
    if (values.size() != n || standard_errors.size() != n)
      throw std::invalid_argument("fit_arrhenius_with_errors: temperatures, "
                                  "values and errors differ in length");
    std::vector<double> y(n), sigma(n);
    for (std::size_t i = 0; i < n; ++i)
      {
        if (!(values[i] > 0) || !(standard_errors[i] > 0))
          throw std::invalid_argument(
            "fit_arrhenius_with_errors: values and standard errors must be "
            "positive");
        y[i]     = quantity == ArrheniusQuantity::conductivity
                     ? values[i] * temperatures[i]
                     : values[i];
        sigma[i] = standard_errors[i] / values[i];
      }
    // The existing weighted fit (absolute covariance with weights).
    const transport::ArrheniusFit fit
      = transport::fit_arrhenius(temperatures, y, sigma);

    ArrheniusResult r;
    r.quantity       = quantity;
    const double lnA = std::log(fit.prefactor_m2_per_s);
    for (std::size_t i = 0; i < n; ++i)
      {
        const double res
          = (std::log(y[i]) - lnA
             + fit.barrier_eV / (constants::boltzmann_eV * temperatures[i]))
            / sigma[i];
        r.chi_squared += res * res;
      }
    r.dof                     = n > 2 ? static_cast<unsigned int>(n - 2) : 0;
    const double chi2_per_dof = r.dof > 0 ? r.chi_squared / r.dof : 0.0;
    const double scale        = std::max(1.0, chi2_per_dof);
    r.birge_ratio             = std::sqrt(scale);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        {
          r.covariance_log[i][j]
            = scale * fit.covariance_barrier_log_prefactor[i][j];
          r.covariance[i][j] = scale * fit.covariance_barrier_prefactor[i][j];
        }
    r.barrier_eV = {fit.barrier_eV, std::sqrt(r.covariance[0][0])};
    r.prefactor  = {fit.prefactor_m2_per_s, std::sqrt(r.covariance[1][1])};
    return r;
  }
} // namespace scalebridge::atomistic
