#include <scalebridge/atomistic/finite_size.h>
#include <scalebridge/base/constants.h>

#include <cmath>
#include <stdexcept>

namespace scalebridge::atomistic
{
  double
  yeh_hummer_correction(const double length_m,
                        const double temperature,
                        const double viscosity_Pa_s)
  {
    return yeh_hummer_xi * constants::boltzmann * temperature
           / (6 * M_PI * viscosity_Pa_s * length_m);
  }

  FiniteSizeResult
  extrapolate_finite_size(const std::vector<double>  &L,
                          const std::vector<double>  &y,
                          const std::vector<double>  &s,
                          const bool                  diffusivity,
                          const double                temperature,
                          const std::optional<double> viscosity)
  {
    const std::size_t n = L.size();
    if (y.size() != n || s.size() != n)
      throw std::invalid_argument("extrapolate_finite_size: lengths, values "
                                  "and errors differ in length");
    double W = 0, xm = 0, ym = 0;
    for (std::size_t i = 0; i < n; ++i)
      {
        if (!(L[i] > 0) || !(s[i] > 0))
          throw std::invalid_argument("extrapolate_finite_size: lengths and "
                                      "errors must be positive");
        const double w = 1 / (s[i] * s[i]);
        W += w;
        xm += w / L[i];
        ym += w * y[i];
      }
    xm /= W;
    ym /= W;
    double Sxx = 0, Sxy = 0;
    for (std::size_t i = 0; i < n; ++i)
      {
        const double w = 1 / (s[i] * s[i]);
        Sxx += w * (1 / L[i] - xm) * (1 / L[i] - xm);
        Sxy += w * (1 / L[i] - xm) * (y[i] - ym);
      }
    if (n < 2 || !(Sxx > 1e-14 * W * xm * xm))
      throw std::invalid_argument("extrapolate_finite_size: needs at least "
                                  "two distinct box lengths");
    FiniteSizeResult r;
    const double     b = Sxy / Sxx;
    const double     a = ym - b * xm;
    for (std::size_t i = 0; i < n; ++i)
      {
        const double res = (y[i] - a - b / L[i]) / s[i];
        r.chi_squared += res * res;
      }
    r.dof              = n > 2 ? static_cast<unsigned int>(n - 2) : 0;
    const double scale = std::max(1.0, r.dof ? r.chi_squared / r.dof : 0.0);
    r.birge_ratio      = std::sqrt(scale);
    // (X^T W X)^-1 from the centred sums, as in the Arrhenius fit.
    r.infinite_size = {a, std::sqrt(scale * (1 / W + xm * xm / Sxx))};
    r.slope         = {b, std::sqrt(scale / Sxx)};
    r.covariance_ab = -scale * xm / Sxx;

    if (diffusivity && viscosity)
      {
        double sw = 0, swy = 0, chi2 = 0;
        for (std::size_t i = 0; i < n; ++i)
          {
            r.yeh_hummer_corrected.push_back(
              y[i] + yeh_hummer_correction(L[i], temperature, *viscosity));
            sw += 1 / (s[i] * s[i]);
            swy += r.yeh_hummer_corrected.back() / (s[i] * s[i]);
          }
        const double mean = swy / sw;
        for (std::size_t i = 0; i < n; ++i)
          chi2 += std::pow((r.yeh_hummer_corrected[i] - mean) / s[i], 2);
        const double birge = n > 1 ? std::max(1.0, chi2 / (n - 1)) : 1.0;
        r.yeh_hummer_mean  = Estimate{mean, std::sqrt(birge / sw)};
      }
    if (diffusivity && b < 0)
      {
        const double c
          = yeh_hummer_xi * constants::boltzmann * temperature / (6 * M_PI);
        const double eta = -c / b;
        r.implied_viscosity_Pa_s
          = Estimate{eta, eta * r.slope.standard_error / std::abs(b)};
      }
    return r;
  }
} // namespace scalebridge::atomistic
