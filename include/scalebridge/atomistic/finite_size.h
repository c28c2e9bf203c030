#ifndef scalebridge_atomistic_finite_size_h
#define scalebridge_atomistic_finite_size_h

#include <scalebridge/atomistic/block_statistics.h>

#include <optional>
#include <vector>

namespace scalebridge::atomistic
{
  /// Yeh-Hummer constant xi of a cubic periodic box (Yeh & Hummer,
  /// J. Phys. Chem. B 108 (2004) 15873).
  constexpr double yeh_hummer_xi = 2.837297;

  /// Yeh-Hummer correction xi kB T / (6 pi eta L) [m^2/s] that is added to
  /// a diffusivity from a cubic box of edge @p length_m at @p temperature
  /// [K] in a liquid of shear viscosity @p viscosity_Pa_s.
  double
  yeh_hummer_correction(double length_m,
                        double temperature,
                        double viscosity_Pa_s);

  struct FiniteSizeResult
  {
    /// y(L) = a + b / L: a is the infinite-size value.
    Estimate     infinite_size;
    Estimate     slope;
    double       covariance_ab = 0;
    double       chi_squared   = 0;
    unsigned int dof           = 0;
    double       birge_ratio   = 1;
    /// With a viscosity: each value plus its Yeh-Hummer correction, and
    /// their weighted mean (each SE unchanged: the viscosity is taken as
    /// exact).
    std::vector<double>     yeh_hummer_corrected;
    std::optional<Estimate> yeh_hummer_mean;
    /// For diffusivities: the viscosity that the fitted slope implies,
    /// eta = -xi kB T / (6 pi b) [Pa s] (only when b < 0).
    std::optional<Estimate> implied_viscosity_Pa_s;
  };

  /**
   * Extrapolation of values y_i +- s_i at box lengths L_i [m] to infinite
   * size by weighted least squares of y = a + b / L (the 1/L leading
   * finite-size term of hydrodynamic self-interaction, Dünweg & Kremer,
   * J. Chem. Phys. 99 (1993) 6983; Yeh & Hummer 2004), covariance scaled
   * by chi^2/dof when that exceeds 1. With @p viscosity_Pa_s (diffusivities
   * only) the Yeh-Hummer corrected values and their weighted mean too.
   * Throws std::invalid_argument for fewer than two distinct lengths, or
   * non-positive lengths or errors.
   */
  FiniteSizeResult
  extrapolate_finite_size(const std::vector<double> &lengths_m,
                          const std::vector<double> &values,
                          const std::vector<double> &standard_errors,
                          bool                       diffusivity,
                          double                     temperature,
                          std::optional<double>      viscosity_Pa_s);
} // namespace scalebridge::atomistic

#endif
