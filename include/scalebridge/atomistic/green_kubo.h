#ifndef scalebridge_atomistic_green_kubo_h
#define scalebridge_atomistic_green_kubo_h

#include <scalebridge/atomistic/block_statistics.h>
#include <scalebridge/atomistic/md_units.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// Transport coefficient computed from a flux.
  enum class GreenKuboQuantity
  {
    /// Heat flux as LAMMPS `compute heat/flux` prints it: sum_i e_i v_i +
    /// virial terms, energy x velocity (J V in SI).
    thermal_conductivity,
    /// Charge current sum_i q_i v_i, charge x velocity.
    ionic_conductivity
  };

  struct GreenKuboOptions
  {
    GreenKuboQuantity quantity = GreenKuboQuantity::thermal_conductivity;
    MdUnits           units;
    /// Volume [length^3], temperature [K], sampling interval [time].
    double volume       = 0;
    double temperature  = 0;
    double time_per_row = 0;
    /// True: the columns are the extensive flux (LAMMPS heat/flux, J V);
    /// false: they were divided by the volume already (J).
    bool         times_volume = true;
    unsigned int n_blocks     = 20;
    /// Plateau window [time]; automatic when not given.
    std::optional<double> plateau_start;
    std::optional<double> plateau_end;
    /// Automatic cutoff: the smallest t with t >= c tau_int(t).
    double window_factor = 6;
  };

  struct GreenKuboResult
  {
    /// Lags shown (0 .. rows per block - 1) [time].
    std::vector<double> lag_time;
    /// <J(0).J(t)> / <J(0).J(0)>, whole series.
    std::vector<double> normalised_acf;
    /// Running integral as the transport coefficient [SI: W/(m K) or S/m].
    std::vector<double> running_integral;
    /// Plateau window (inclusive) in rows of lag.
    std::size_t plateau_first = 0;
    std::size_t plateau_last  = 0;
    bool        automatic     = true;
    /// Integrated autocorrelation time at the cutoff [time].
    double              correlation_time = 0;
    Estimate            value;
    std::vector<double> block_values;
    std::size_t         rows_per_block = 0;
    /// Mean of each flux component with its blocking error [MD units]: a
    /// mean many errors away from 0 means the run was not in equilibrium.
    std::array<Estimate, 3> flux_mean;
  };

  /**
   * Green-Kubo transport coefficient (Kubo, J. Phys. Soc. Jpn. 12 (1957)
   * 570) from three flux components:
   *   thermal: kappa = 1 / (3 V kB T^2) int_0^inf <J(0).J(t)> dt,
   *   ionic:   sigma = 1 / (3 V kB T)   int_0^inf <J(0).J(t)> dt,
   * J the extensive flux (per-volume input is multiplied by V). The
   * autocorrelation over all origins is done by FFT; the running integral
   * by the trapezoidal rule. Plateau: the mean of the running integral over
   * the window, automatically the single cutoff t_c = smallest t with
   * t >= c tau_int(t) (Sokal's windowing, Madras & Sokal, J. Stat. Phys. 50
   * (1988) 109), which leaves a bias of exp(-c) for an exponential decay.
   * Standard error: batch means over contiguous blocks, each integrated
   * over the same window. The flux is not mean-subtracted (an equilibrium
   * flux has mean zero; subtracting block means would bias the integral by
   * -2 t_c / T_block).
   *
   * Throws InputError (@p source, @p entry) if the series is too short for
   * blocks of 10 t_c (saying how many rows are needed), or the window lies
   * outside a block.
   */
  GreenKuboResult
  analyse_green_kubo(const std::array<std::vector<double>, 3> &flux,
                     const GreenKuboOptions                   &options,
                     const std::string                        &source,
                     const std::string                        &entry);
} // namespace scalebridge::atomistic

#endif
