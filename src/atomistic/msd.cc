#include <scalebridge/atomistic/autocorrelation.h>
#include <scalebridge/atomistic/msd.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::atomistic
{
  namespace
  {
    /// Adds sum_k (x_{k+m} - x_k)^2 over k for m = 0..n-1 to @p numerator
    /// (not yet divided by the number of origins n - m).
    void
    add_squared_displacement_sums(FftCorrelator       &correlator,
                                  const double        *x,
                                  std::vector<double> &cross,
                                  std::vector<double> &prefix,
                                  double              *numerator)
    {
      const std::size_t n = correlator.length();
      correlator.lag_sums(x, cross.data());
      prefix[0] = 0;
      for (std::size_t k = 0; k < n; ++k)
        prefix[k + 1] = prefix[k] + x[k] * x[k];
      // sum_{k<n-m} x_k^2 + sum_{k>=m} x_k^2 - 2 sum_k x_k x_{k+m}
      for (std::size_t m = 0; m < n; ++m)
        numerator[m]
          += prefix[n - m] + (prefix[n] - prefix[m]) - 2.0 * cross[m];
    }

    /// Least-squares slope and intercept of y against x.
    std::pair<double, double>
    fit_line(const std::vector<double> &x, const std::vector<double> &y)
    {
      const std::size_t n  = x.size();
      double            mx = 0, my = 0;
      for (std::size_t i = 0; i < n; ++i)
        {
          mx += x[i] / n;
          my += y[i] / n;
        }
      double sxx = 0, sxy = 0;
      for (std::size_t i = 0; i < n; ++i)
        {
          sxx += (x[i] - mx) * (x[i] - mx);
          sxy += (x[i] - mx) * (y[i] - my);
        }
      const double slope = sxy / sxx;
      return {slope, my - slope * mx};
    }
  } // namespace

  std::vector<double>
  mean_squared_displacement(const std::vector<double> &x)
  {
    const std::size_t n = x.size();
    if (n == 0)
      return {};
    FftCorrelator       correlator(n);
    std::vector<double> cross(n), prefix(n + 1), result(n, 0.0);
    // Shifting the series does not change displacements but keeps the
    // square sums small (less cancellation against the cross term).
    std::vector<double> shifted(n);
    for (std::size_t k = 0; k < n; ++k)
      shifted[k] = x[k] - x[0];
    add_squared_displacement_sums(
      correlator, shifted.data(), cross, prefix, result.data());
    for (std::size_t m = 0; m < n; ++m)
      result[m] = std::max(0.0, result[m] / (n - m));
    return result;
  }

  MsdResult
  analyse_msd(const TrajectoryData &trajectory,
              const MsdOptions     &options,
              const std::string    &source,
              const std::string    &entry)
  {
    const std::size_t N = trajectory.n_frames;
    const std::size_t A = trajectory.n_selected;
    const std::size_t M = options.n_blocks;
    // A block must hold a window of at least 8 lags starting at lag >= 1
    // and ending at a third of the block at most.
    constexpr std::size_t min_block = 30;
    if (M < 2)
      throw InputError(source, entry, "needs at least 2 blocks");
    if (N < M * min_block)
      throw InputError(source,
                       entry,
                       "the trajectory has " + std::to_string(N)
                         + " frames; the diffusivity and its standard error "
                           "from "
                         + std::to_string(M) + " blocks need at least "
                         + std::to_string(M * min_block) + " frames ("
                         + std::to_string(min_block) + " per block)");
    const std::size_t L  = N / M;
    const double      dt = options.time_per_frame;

    // Displacement sums of the whole trajectory and of each block.
    std::vector<double> full(N, 0.0), blocks(M * L, 0.0);
    {
      FftCorrelator       full_correlator(N), block_correlator(L);
      std::vector<double> x(N), cross(N), prefix(N + 1);
      for (std::size_t a = 0; a < A; ++a)
        for (unsigned int d = 0; d < 3; ++d)
          {
            for (std::size_t k = 0; k < N; ++k)
              {
                x[k] = trajectory.positions[3 * (k * A + a) + d];
                if (options.remove_drift)
                  x[k] -= trajectory.centre[k][d];
              }
            const double x0 = x[0];
            for (std::size_t k = 0; k < N; ++k)
              x[k] -= x0;
            add_squared_displacement_sums(
              full_correlator, x.data(), cross, prefix, full.data());
            for (std::size_t b = 0; b < M; ++b)
              add_squared_displacement_sums(block_correlator,
                                            x.data() + b * L,
                                            cross,
                                            prefix,
                                            blocks.data() + b * L);
          }
    }
    for (std::size_t m = 0; m < N; ++m)
      full[m] /= double(A) * (N - m);
    for (std::size_t b = 0; b < M; ++b)
      for (std::size_t m = 0; m < L; ++m)
        blocks[b * L + m] /= double(A) * (L - m);

    MsdResult result;
    result.frames_per_block = L;
    result.lag_time.resize(L);
    result.msd.assign(full.begin(), full.begin() + L);
    for (std::size_t m = 0; m < L; ++m)
      result.lag_time[m] = m * dt;

    // Local exponents at lags 1, 2, 4, ... within the usable range.
    const std::size_t max_end = L / 3;
    for (std::size_t m = 1; 2 * m <= max_end; m *= 2)
      if (full[m] > 0 && full[2 * m] > 0)
        result.exponents.emplace_back(m * dt,
                                      std::log(full[2 * m] / full[m])
                                        / std::log(2.0));

    const auto to_lag = [&](const double t) {
      return static_cast<std::size_t>(std::llround(t / dt));
    };
    std::size_t first = 0, last = max_end;
    if (options.fit_end)
      {
        last = to_lag(*options.fit_end);
        if (last >= L || last < 2)
          throw InputError(source,
                           "Diffusion/Fit end",
                           "is lag " + std::to_string(last)
                             + " frames; allowed are 2 to "
                             + std::to_string(L - 1)
                             + " frames (the length of one of the "
                             + std::to_string(M) + " blocks)");
      }
    if (options.fit_start)
      {
        first = to_lag(*options.fit_start);
        if (first < 1 || first + 2 > last)
          throw InputError(source,
                           "Diffusion/Fit start",
                           "is lag " + std::to_string(first)
                             + " frames; allowed are 1 to "
                             + std::to_string(last - 2)
                             + " frames (before the end of the window)");
      }
    else
      {
        // Smallest lag of the grid from which on every exponent is
        // diffusive within the tolerance.
        std::size_t candidate = 0;
        for (std::size_t i = result.exponents.size(); i-- > 0;)
          {
            if (std::abs(result.exponents[i].second - 1.0)
                > options.exponent_tolerance)
              break;
            candidate = to_lag(result.exponents[i].first);
          }
        if (candidate == 0 || 2 * candidate > last)
          {
            // Where it would start if the trajectory were longer.
            std::string seen;
            for (const auto &[t, e] : result.exponents)
              seen += (seen.empty() ? "" : ", ") + format_number(t, 4) + ": "
                      + format_number(e, 3);
            throw InputError(
              source,
              entry,
              "no diffusive regime (local exponent d ln MSD / d ln t within "
                + format_number(options.exponent_tolerance, 3)
                + " of 1) within the usable lags up to "
                + format_number(last * dt, 6) + " (a third of one of "
                + std::to_string(M) + " blocks); exponents at lag t: " + seen
                + "; a longer trajectory is needed (at least "
                + std::to_string(
                  M * 3 * 2
                  * std::max<std::size_t>(candidate ? candidate : last, 1))
                + " frames if diffusion starts where the exponent data "
                  "end), or set 'Fit start' and 'Fit end'");
          }
        first = candidate;
        // Up to ten times the start: a window fixed in physical time, so
        // that a longer trajectory gives more independent windows (an error
        // falling as 1/sqrt(length)) rather than a longer window.
        if (!options.fit_end)
          last = std::min(last, std::max<std::size_t>(10 * first, 20));
      }
    result.automatic_window = !options.fit_start && !options.fit_end;
    result.fit_first_lag    = first;
    result.fit_last_lag     = last;

    const auto diffusivity = [&](const double *msd, double *intercept) {
      std::vector<double> t, y;
      for (std::size_t m = first; m <= last; ++m)
        {
          t.push_back(m * dt);
          y.push_back(msd[m]);
        }
      const auto [slope, b] = fit_line(t, y);
      if (intercept)
        *intercept = b;
      return slope / 6.0;
    };
    const double D = diffusivity(full.data(), &result.intercept);
    result.slope   = 6.0 * D;
    for (std::size_t b = 0; b < M; ++b)
      result.block_diffusivities.push_back(
        diffusivity(blocks.data() + b * L, nullptr));
    result.diffusivity = batch_means(D, result.block_diffusivities);
    return result;
  }
} // namespace scalebridge::atomistic
