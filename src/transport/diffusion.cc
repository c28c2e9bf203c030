#include <scalebridge/base/constants.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/transport/diffusion.h>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace scalebridge::transport
{
  namespace
  {


  } // namespace

  double
  diffusivity_prefactor(const MigrationParameters &p)
  {
    require(p.attempt_frequency_Hz > 0.0
              && std::isfinite(p.attempt_frequency_Hz),
            [&] {
              return "diffusivity_prefactor: attempt frequency "
                     + format_number(p.attempt_frequency_Hz)
                     + " Hz must be positive";
            });
    require(p.jump_distance_m > 0.0 && std::isfinite(p.jump_distance_m), [&] {
      return "diffusivity_prefactor: jump distance "
             + format_number(p.jump_distance_m) + " m must be positive";
    });
    require(p.coordination >= 1.0 && std::isfinite(p.coordination), [&] {
      return "diffusivity_prefactor: coordination "
             + format_number(p.coordination) + " must be >= 1";
    });
    require(p.correlation_factor > 0.0 && p.correlation_factor <= 1.0, [&] {
      return "diffusivity_prefactor: correlation factor "
             + format_number(p.correlation_factor) + " must lie in (0,1]";
    });
    return p.coordination * p.correlation_factor * p.jump_distance_m
           * p.jump_distance_m * p.attempt_frequency_Hz / 6.0;
  }

  double
  tracer_diffusivity(const MigrationParameters &p, const double temperature)
  {
    check_temperature(temperature, "tracer_diffusivity");
    require(p.barrier_eV >= 0.0 && std::isfinite(p.barrier_eV), [&] {
      return "tracer_diffusivity: migration barrier "
             + format_number(p.barrier_eV) + " eV must be >= 0";
    });
    return diffusivity_prefactor(p)
           * std::exp(-p.barrier_eV / (constants::boltzmann_eV * temperature));
  }

  double
  chemical_diffusivity(const double tracer_diffusivity,
                       const double thermodynamic_factor)
  {
    require(tracer_diffusivity >= 0.0 && std::isfinite(tracer_diffusivity),
            [&] {
              return "chemical_diffusivity: tracer diffusivity "
                     + format_number(tracer_diffusivity)
                     + " m^2/s must be >= 0";
            });
    // Theta < 0 (inside the spinodal) is passed through: the negative
    // D_chem is the physics of uphill diffusion, not an input error.
    require(std::isfinite(thermodynamic_factor), [&] {
      return std::string(
        "chemical_diffusivity: thermodynamic factor must be finite");
    });
    return tracer_diffusivity * thermodynamic_factor;
  }

  ArrheniusFit
  fit_arrhenius(const std::vector<double> &temperatures,
                const std::vector<double> &diffusivities,
                const std::vector<double> &log_sigmas)
  {
    const size_t n = temperatures.size();
    require(diffusivities.size() == n, [&] {
      return std::string(
        "fit_arrhenius: " + std::to_string(n) + " temperatures but "
        + std::to_string(diffusivities.size()) + " diffusivities");
    });
    const bool weighted = !log_sigmas.empty();
    require(!weighted || log_sigmas.size() == n, [&] {
      return std::string("fit_arrhenius: " + std::to_string(log_sigmas.size())
                         + " standard deviations for " + std::to_string(n)
                         + " points");
    });

    // Regression ln D = ln D0 - E_m u with u = 1 / kB T [1/eV].
    std::vector<double> u(n), y(n), w(n, 1.0);
    for (size_t i = 0; i < n; ++i)
      {
        check_temperature(temperatures[i], "fit_arrhenius");
        require(diffusivities[i] > 0.0 && std::isfinite(diffusivities[i]), [&] {
          return "fit_arrhenius: diffusivity " + format_number(diffusivities[i])
                 + " m^2/s at point " + std::to_string(i)
                 + " must be positive and finite";
        });
        u[i] = 1.0 / (constants::boltzmann_eV * temperatures[i]);
        y[i] = std::log(diffusivities[i]);
        if (weighted)
          {
            require(log_sigmas[i] > 0.0 && std::isfinite(log_sigmas[i]), [&] {
              return "fit_arrhenius: standard deviation "
                     + format_number(log_sigmas[i]) + " at point "
                     + std::to_string(i) + " must be positive";
            });
            w[i] = 1.0 / (log_sigmas[i] * log_sigmas[i]);
          }
      }

    // Centred sums avoid the cancellation of the raw normal equations, whose
    // u^2 terms are ~1e3 larger than their spread.
    double W = 0, u_mean = 0, y_mean = 0;
    for (size_t i = 0; i < n; ++i)
      {
        W += w[i];
        u_mean += w[i] * u[i];
        y_mean += w[i] * y[i];
      }
    u_mean /= W;
    y_mean /= W;
    double Suu = 0, Suy = 0;
    for (size_t i = 0; i < n; ++i)
      {
        Suu += w[i] * (u[i] - u_mean) * (u[i] - u_mean);
        Suy += w[i] * (u[i] - u_mean) * (y[i] - y_mean);
      }
    // Distinct temperatures give Suu of order W * (spread of u)^2; equal
    // ones leave only round-off.
    require(n >= 2 && Suu > 1e-20 * W * u_mean * u_mean, [&] {
      return std::string(
        "fit_arrhenius: needs at least two distinct temperatures");
    });

    ArrheniusFit fit;
    fit.n_points           = static_cast<unsigned int>(n);
    fit.barrier_eV         = -Suy / Suu;
    const double log_D0    = y_mean + fit.barrier_eV * u_mean;
    fit.prefactor_m2_per_s = std::exp(log_D0);

    double rss = 0, weighted_rss = 0;
    for (size_t i = 0; i < n; ++i)
      {
        const double r = y[i] - (log_D0 - fit.barrier_eV * u[i]);
        rss += r * r;
        weighted_rss += w[i] * r * r;
      }
    fit.rms_log_residual = std::sqrt(rss / n);

    // (X^T W X)^-1 for the parameters (E_m, ln D0), from the centred sums:
    // var E_m = 1/Suu, cov(E_m, ln D0) = u_mean/Suu,
    // var ln D0 = 1/W + u_mean^2/Suu. Unweighted fits scale it by the
    // residual variance with n - 2 degrees of freedom.
    double scale = 1.0;
    if (!weighted)
      scale = n > 2 ? weighted_rss / (n - 2) : 0.0;
    dealii::Tensor<2, 2> &C = fit.covariance_barrier_log_prefactor;
    C[0][0]                 = scale / Suu;
    C[0][1]                 = scale * u_mean / Suu;
    C[1][0]                 = C[0][1];
    C[1][1]                 = scale * (1.0 / W + u_mean * u_mean / Suu);

    // Delta method with d D0 / d ln D0 = D0.
    const double          D0 = fit.prefactor_m2_per_s;
    dealii::Tensor<2, 2> &P  = fit.covariance_barrier_prefactor;
    P[0][0]                  = C[0][0];
    P[0][1]                  = D0 * C[0][1];
    P[1][0]                  = P[0][1];
    P[1][1]                  = D0 * D0 * C[1][1];
    return fit;
  }
} // namespace scalebridge::transport
