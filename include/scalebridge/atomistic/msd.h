#ifndef scalebridge_atomistic_msd_h
#define scalebridge_atomistic_msd_h

#include <scalebridge/atomistic/block_statistics.h>
#include <scalebridge/atomistic/trajectory_reader.h>

#include <optional>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * Mean-squared displacement of one coordinate series over all time
   * origins, MSD(m) = 1/(n-m) sum_k (x_{k+m} - x_k)^2, m = 0..n-1, in
   * O(n log n): the cross term is an autocorrelation done by FFT, the square
   * terms are prefix sums (Kneller et al., Comput. Phys. Commun. 91 (1995)
   * 191; Calandrini et al., JDN 12 (2011) 201).
   */
  std::vector<double>
  mean_squared_displacement(const std::vector<double> &x);

  /// How the diffusivity is extracted from the MSD.
  struct MsdOptions
  {
    /// Time between frames [time unit of the trajectory].
    double time_per_frame = 1;
    /// Contiguous blocks of the trajectory for the standard error.
    unsigned int n_blocks = 20;
    /// Subtract the motion of the centre of all atoms.
    bool remove_drift = true;
    /// Fitted lag window [time unit]; automatic when not given.
    std::optional<double> fit_start;
    std::optional<double> fit_end;
    /// Automatic window: the local exponent d ln MSD / d ln t must stay
    /// within this of 1 (diffusive) from the window start on.
    double exponent_tolerance = 0.1;
  };

  /// The MSD, the fitted window and D_tr with its standard error.
  struct MsdResult
  {
    /// Lags shown: 0 .. (frames per block - 1) [time unit].
    std::vector<double> lag_time;
    /// MSD over all origins of the whole trajectory [length^2].
    std::vector<double> msd;
    /// Fitted lag window (inclusive) in frames and time.
    std::size_t fit_first_lag    = 0;
    std::size_t fit_last_lag     = 0;
    bool        automatic_window = true;
    /// Least-squares line MSD = intercept + slope t in the window.
    double slope     = 0;
    double intercept = 0;
    /// D_tr = slope / 6 [length^2/time] and its batch-means error.
    Estimate            diffusivity;
    std::vector<double> block_diffusivities;
    std::size_t         frames_per_block = 0;
    /// Local exponent d ln MSD / d ln t at lags 1, 2, 4, ... (lag, value).
    std::vector<std::pair<double, double>> exponents;
  };

  /**
   * MSD of the followed atoms of @p trajectory over all origins, the
   * diffusive window (automatic: from where the local exponent stays within
   * the tolerance of 1, to ten times that lag or 20 lags, at most a third
   * of a block), D_tr = slope / 6 by
   * least squares, and its standard error by batch means over
   * @p options.n_blocks contiguous blocks, each analysed with the same
   * window. Throws InputError (@p source, @p entry) when the trajectory is
   * too short, saying how many frames are needed, or when no diffusive
   * regime is found.
   */
  MsdResult
  analyse_msd(const TrajectoryData &trajectory,
              const MsdOptions     &options,
              const std::string    &source,
              const std::string    &entry);
} // namespace scalebridge::atomistic

#endif
