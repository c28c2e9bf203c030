#include <scalebridge/base/constants.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/kinetics/butler_volmer.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace scalebridge::kinetics
{
  namespace
  {


    void
    check_parameters(const ButlerVolmer &bv, const char *where)
    {
      require(bv.exchange_current_density > 0.0
                && std::isfinite(bv.exchange_current_density),
              [&] {
                return std::string(where) + ": exchange current density "
                       + format_number(bv.exchange_current_density)
                       + " A/m^2 must be positive and finite";
              });
      require(bv.symmetry_factor > 0.0 && bv.symmetry_factor < 1.0, [&] {
        return std::string(where) + ": symmetry factor "
               + format_number(bv.symmetry_factor) + " must lie in (0,1)";
      });
      require(bv.electrons > 0.0 && std::isfinite(bv.electrons), [&] {
        return std::string(where) + ": electron number "
               + format_number(bv.electrons) + " must be positive";
      });
    }

    /// n F / (R T) [1/V]: the overpotential in units of the thermal voltage.
    double
    inverse_thermal_voltage(const ButlerVolmer &bv, const double temperature)
    {
      return bv.electrons * constants::faraday
             / (constants::gas_constant * temperature);
    }

    /// i0 exp(a), through logarithms once exp(a) alone would overflow
    /// although the product need not.
    double
    scaled_exp(const double i0, const double a)
    {
      if (a < 700.0)
        return i0 * std::exp(a);
      return std::exp(std::log(i0) + a);
    }

    /// The anodic branch in reduced form, xi = n F eta / RT >= 0 and
    /// beta = 1 - alpha: i / i0 = exp(beta xi) (1 - exp(-xi)). The factored
    /// form has no cancellation as xi -> 0, where the two exponentials of
    /// the textbook form nearly cancel.
    double
    anodic_current(const double i0, const double beta, const double xi)
    {
      return scaled_exp(i0, beta * xi) * -std::expm1(-xi);
    }
  } // namespace

  double
  ButlerVolmer::current(const double eta, const double temperature) const
  {
    check_parameters(*this, "ButlerVolmer::current");
    check_temperature(temperature, "ButlerVolmer::current");
    require(std::isfinite(eta), [&] {
      return std::string("ButlerVolmer::current: overpotential must be finite");
    });
    const double xi = eta * inverse_thermal_voltage(*this, temperature);
    // A cathodic step is an anodic one with alpha and 1 - alpha swapped.
    if (xi >= 0.0)
      return anodic_current(exchange_current_density,
                            1.0 - symmetry_factor,
                            xi);
    return -anodic_current(exchange_current_density, symmetry_factor, -xi);
  }

  double
  ButlerVolmer::current_derivative(const double eta,
                                   const double temperature) const
  {
    check_parameters(*this, "ButlerVolmer::current_derivative");
    check_temperature(temperature, "ButlerVolmer::current_derivative");
    require(std::isfinite(eta), [&] {
      return std::string(
        "ButlerVolmer::current_derivative: overpotential must be finite");
    });
    const double f     = inverse_thermal_voltage(*this, temperature);
    const double xi    = eta * f;
    const double alpha = symmetry_factor;
    // A sum of two positive terms: no cancellation.
    return f
           * ((1.0 - alpha)
                * scaled_exp(exchange_current_density, (1.0 - alpha) * xi)
              + alpha * scaled_exp(exchange_current_density, -alpha * xi));
  }

  double
  ButlerVolmer::overpotential(const double current_density,
                              const double temperature) const
  {
    check_parameters(*this, "ButlerVolmer::overpotential");
    check_temperature(temperature, "ButlerVolmer::overpotential");
    require(std::isfinite(current_density), [&] {
      return std::string(
        "ButlerVolmer::overpotential: current density must be finite");
    });
    if (current_density == 0.0)
      return 0.0;

    // Reduce to the anodic branch: solve h(xi) = beta xi + ln(1 - e^-xi)
    // - ln r = 0 for xi > 0 with r = |i| / i0 (formed as a logarithm, so
    // that no quantity overflows even for r ~ 1e300). h is increasing and
    // concave, and f(xi) = e^(beta xi)(1 - e^-xi) satisfies
    // f <= xi e^(beta xi) and f >= e^(beta xi) - 1, which brackets the root
    // in [r / (1+r), ln(1+r) / beta].
    const bool   anodic = current_density > 0.0;
    const double beta   = anodic ? 1.0 - symmetry_factor : symmetry_factor;
    const double log_r  = std::log(std::abs(current_density))
                         - std::log(exchange_current_density);

    // ln(1 + r) and r / (1 + r) evaluated from ln r without overflow.
    const double log1p_r = log_r > 0.0 ? log_r + std::log1p(std::exp(-log_r))
                                       : std::log1p(std::exp(log_r));
    double       lo      = std::exp(log_r - log1p_r);
    double       hi      = log1p_r / beta;

    const auto h = [&](const double xi) {
      return beta * xi + std::log(-std::expm1(-xi)) - log_r;
    };
    // Newton from the left end converges monotonically for a concave,
    // increasing h; the bracket only guards against round-off.
    double xi = lo;
    for (unsigned int it = 0; it < 100; ++it)
      {
        const double value = h(xi);
        if (value == 0.0)
          break;
        (value < 0.0 ? lo : hi) = xi;
        // h'(xi) = beta + 1 / (e^xi - 1)
        const double slope  = beta + 1.0 / std::expm1(xi);
        double       xi_new = xi - value / slope;
        if (!(xi_new >= lo && xi_new <= hi))
          xi_new = 0.5 * (lo + hi);
        const bool converged
          = std::abs(xi_new - xi)
            <= 4 * std::numeric_limits<double>::epsilon() * xi_new;
        xi = xi_new;
        if (converged)
          break;
      }
    const double eta = xi / inverse_thermal_voltage(*this, temperature);
    return anodic ? eta : -eta;
  }

  double
  exchange_current_density(const double prefactor_A_per_m2,
                           const double activation_energy_eV,
                           const double temperature)
  {
    check_temperature(temperature, "exchange_current_density");
    require(prefactor_A_per_m2 > 0.0 && std::isfinite(prefactor_A_per_m2), [&] {
      return "exchange_current_density: prefactor "
             + format_number(prefactor_A_per_m2)
             + " A/m^2 must be positive and finite";
    });
    require(activation_energy_eV >= 0.0 && std::isfinite(activation_energy_eV),
            [&] {
              return "exchange_current_density: activation energy "
                     + format_number(activation_energy_eV) + " eV must be >= 0";
            });
    return prefactor_A_per_m2
           * std::exp(-activation_energy_eV
                      / (constants::boltzmann_eV * temperature));
  }
} // namespace scalebridge::kinetics
