#include <scalebridge/atomistic/autocorrelation.h>
#include <scalebridge/atomistic/green_kubo.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>

#include <cmath>

namespace scalebridge::atomistic
{
  namespace
  {
    /// Sum over the components of the unbiased autocorrelation
    /// <J(0).J(m)> = S(m) / (n - m) of rows [begin, begin + n).
    std::vector<double>
    autocorrelation(FftCorrelator                            &correlator,
                    const std::array<std::vector<double>, 3> &flux,
                    const std::size_t                         begin)
    {
      const std::size_t   n = correlator.length();
      std::vector<double> sums(n, 0.0);
      for (const auto &component : flux)
        correlator.add_lag_sums(component.data() + begin, sums.data());
      for (std::size_t m = 0; m < n; ++m)
        sums[m] /= double(n - m);
      return sums;
    }

    /// Trapezoidal running integral in lag units: R(0) = 0,
    /// R(k) = sum_{j<k} (C_j + C_{j+1}) / 2.
    std::vector<double>
    running_integral(const std::vector<double> &c, const std::size_t n)
    {
      std::vector<double> r(n, 0.0);
      for (std::size_t k = 1; k < n; ++k)
        r[k] = r[k - 1] + 0.5 * (c[k - 1] + c[k]);
      return r;
    }

    double
    window_mean(const std::vector<double> &r,
                const std::size_t          first,
                const std::size_t          last)
    {
      double sum = 0;
      for (std::size_t k = first; k <= last; ++k)
        sum += r[k];
      return sum / double(last - first + 1);
    }
  } // namespace

  GreenKuboResult
  analyse_green_kubo(const std::array<std::vector<double>, 3> &flux,
                     const GreenKuboOptions                   &options,
                     const std::string                        &source,
                     const std::string                        &entry)
  {
    const std::size_t N = flux[0].size();
    const std::size_t M = options.n_blocks;
    for (const auto &c : flux)
      if (c.size() != N)
        throw std::invalid_argument("analyse_green_kubo: components differ "
                                    "in length");
    constexpr std::size_t min_block = 20;
    if (M < 2 || N < M * min_block)
      throw InputError(source,
                       entry,
                       "the flux series has " + std::to_string(N)
                         + " rows; an integral and its standard error from "
                         + std::to_string(M) + " blocks need at least "
                         + std::to_string(M * min_block) + " rows");
    const std::size_t L = N / M;
    GreenKuboResult   result;
    result.rows_per_block = L;

    // SI factor of the running integral (in lag units of MD flux^2).
    const MdUnits &u = options.units;
    const double   flux_unit
      = (options.quantity == GreenKuboQuantity::thermal_conductivity
           ? u.energy_J
           : u.charge_C)
        * u.velocity_m_per_s() * (options.times_volume ? 1.0 : options.volume);
    const double V_SI = options.volume * std::pow(u.length_m, 3);
    const double kT   = constants::boltzmann * options.temperature;
    const double denom
      = 3.0 * V_SI * kT
        * (options.quantity == GreenKuboQuantity::thermal_conductivity
             ? options.temperature
             : 1.0);
    const double factor
      = flux_unit * flux_unit * options.time_per_row * u.time_s / denom;

    FftCorrelator             full_correlator(N);
    const std::vector<double> c_full
      = autocorrelation(full_correlator, flux, 0);
    if (!(c_full[0] > 0))
      throw InputError(source, entry, "the flux is zero in every row");
    const std::vector<double> r_full = running_integral(c_full, L);

    result.lag_time.resize(L);
    result.normalised_acf.resize(L);
    result.running_integral.resize(L);
    for (std::size_t k = 0; k < L; ++k)
      {
        result.lag_time[k]         = k * options.time_per_row;
        result.normalised_acf[k]   = c_full[k] / c_full[0];
        result.running_integral[k] = factor * r_full[k];
      }

    const double dt     = options.time_per_row;
    const auto   to_lag = [&](const double t) {
      return static_cast<std::size_t>(std::llround(t / dt));
    };
    std::size_t first = 0, last = 0;
    if (options.plateau_start || options.plateau_end)
      {
        if (!options.plateau_start || !options.plateau_end)
          throw InputError(source,
                           options.plateau_start ? "Green-Kubo/Plateau end"
                                                 : "Green-Kubo/Plateau start",
                           "set both 'Plateau start' and 'Plateau end', or "
                           "neither (automatic)");
        first = to_lag(*options.plateau_start);
        last  = to_lag(*options.plateau_end);
        if (first < 1 || first > last || last >= L)
          throw InputError(source,
                           "Green-Kubo/Plateau start",
                           "the window is lags " + std::to_string(first)
                             + " to " + std::to_string(last)
                             + " rows; allowed are 1 <= start <= end < "
                             + std::to_string(L) + " (one of "
                             + std::to_string(M) + " blocks)");
        result.automatic = false;
      }
    else
      {
        // tau(k) = R(k) / C(0) in lags; cutoff: smallest k >= c tau(k).
        std::size_t k = 1;
        for (; k < L; ++k)
          if (double(k) >= options.window_factor * r_full[k] / c_full[0])
            break;
        if (10 * k > L)
          throw InputError(
            source,
            entry,
            "the flux series has " + std::to_string(N)
              + " rows; the autocorrelation decays at lag " + std::to_string(k)
              + (k >= L ? "+" : "") + " rows (" + format_number(k * dt, 6)
              + "), so " + std::to_string(M)
              + " blocks of at least 10 times that need at least "
              + std::to_string(M * 10 * k)
              + " rows (or set 'Plateau start' "
                "and 'Plateau end')");
        first = last = k;
      }
    result.plateau_first    = first;
    result.plateau_last     = last;
    result.correlation_time = r_full[first] / c_full[0] * dt;

    FftCorrelator block_correlator(L);
    for (std::size_t b = 0; b < M; ++b)
      {
        const auto c = autocorrelation(block_correlator, flux, b * L);
        result.block_values.push_back(
          factor * window_mean(running_integral(c, L), first, last));
      }
    result.value = batch_means(factor * window_mean(r_full, first, last),
                               result.block_values);

    for (int d = 0; d < 3; ++d)
      result.flux_mean[d] = flyvbjerg_petersen(flux[d]).mean;
    return result;
  }
} // namespace scalebridge::atomistic
