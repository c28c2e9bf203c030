#ifndef scalebridge_atomistic_synthetic_md_h
#define scalebridge_atomistic_synthetic_md_h

#include <scalebridge/atomistic/trajectory_reader.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <random>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * Synthetic molecular-dynamics data with a known answer, for tests, the
   * shipped example and the benchmark. Random numbers come from
   * std::mt19937_64 through our own Box-Muller transform, so the same seed
   * gives the same numbers with every standard library (the distributions
   * of <random> are implementation-defined).
   */
  class GaussianSource
  {
  public:
    explicit GaussianSource(std::uint64_t seed);
    /// A standard normal number.
    double
    operator()();

  private:
    std::mt19937_64 engine;
    double          spare     = 0;
    bool            has_spare = false;
  };

  /// Random walkers among vibrating host atoms in a periodic box; the hosts
  /// recoil by the walkers' total displacement, so the centre of all atoms
  /// stays (as momentum conservation keeps it in MD).
  struct RandomWalkSpec
  {
    std::size_t n_walkers      = 32; ///< type 2, diffusing
    std::size_t n_hosts        = 32; ///< type 1, vibrating about fixed sites
    std::size_t n_frames       = 1000;
    double      diffusivity    = 0.1; ///< [length^2/time], per walker
    double      time_per_frame = 1;   ///< [time]
    double      box_length     = 20;  ///< [length]
    double      tilt_xy        = 0;   ///< triclinic tilt [length]
    /// Constant drift of every atom [length/time] (removed by the MSD).
    std::array<double, 3> drift = {{0, 0, 0}};
    std::uint64_t         seed  = 1;
  };

  /// The walk in memory, as read_trajectory() would return it for species
  /// "2" (for tests that need many seeds without files).
  TrajectoryData
  random_walk_trajectory(const RandomWalkSpec &spec);

  /// Writes the walk as a LAMMPS text dump, ids shuffled in each frame;
  /// with @p images: wrapped x y z and image flags ix iy iz, else xu yu zu.
  /// @p digits after the decimal point. Returns the bytes written.
  std::uint64_t
  write_random_walk_dump(const std::filesystem::path &path,
                         const RandomWalkSpec        &spec,
                         bool                         images,
                         int                          digits = 5);

  /// Three independent Ornstein-Uhlenbeck (discrete AR(1)) components with
  /// variance @p variance and correlation exp(-lag / @p tau_rows):
  /// <J(0).J(m)> = 3 variance exp(-m / tau_rows).
  std::array<std::vector<double>, 3>
  ornstein_uhlenbeck_flux(std::size_t   rows,
                          double        tau_rows,
                          double        variance,
                          std::uint64_t seed);

  /// The trapezoidal integral (in lags) of the exact autocorrelation of
  /// ornstein_uhlenbeck_flux(): 3 variance (1 / (1 - phi) - 1/2).
  double
  ornstein_uhlenbeck_integral(double tau_rows, double variance);

  /**
   * Box rows (lx, ly, lz, xy, xz, yz) of an NPT run whose Lagrangian
   * strains about the cell diag(@p lengths) are Gaussian with covariance
   * <e e^T> = kB T / V @p compliance_voigt (Voigt, engineering shear,
   * [1/Pa], V [m^3] from @p lengths [m] * @p length_unit_m), AR(1) in time
   * with correlation exp(-1 / @p tau_rows). The cell is the upper-triangular
   * (LAMMPS) factor of its metric h^T h = h0^T (I + 2E) h0.
   */
  std::array<std::vector<double>, 6>
  gaussian_box_fluctuations(
    std::size_t                                 rows,
    const std::array<double, 3>                &lengths,
    const std::array<std::array<double, 6>, 6> &compliance_voigt,
    double                                      temperature,
    double                                      length_unit_m,
    double                                      tau_rows,
    std::uint64_t                               seed);

  /// Writes the three flux columns as LAMMPS `fix ave/time` output with the
  /// header "# TimeStep c_flux[1] c_flux[2] c_flux[3]".
  void
  write_flux_table(const std::filesystem::path              &path,
                   const std::array<std::vector<double>, 3> &flux,
                   long long                                 steps_per_row);

  /// Writes box rows as a LAMMPS log: text, a thermo header
  /// "Step Temp Press Lx Ly Lz Xy Xz Yz", the rows, "Loop time of ...".
  void
  write_box_log(const std::filesystem::path              &path,
                const std::array<std::vector<double>, 6> &box,
                double                                    temperature,
                long long                                 steps_per_row);

  /// Writes the shipped example (li_walk.dump, heat_flux.dat, npt_box.log,
  /// example.prm) into @p directory; deterministic.
  void
  write_example_inputs(const std::filesystem::path &directory);
} // namespace scalebridge::atomistic

#endif
