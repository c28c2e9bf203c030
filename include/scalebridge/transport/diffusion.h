#ifndef scalebridge_transport_diffusion_h
#define scalebridge_transport_diffusion_h

#include <deal.II/base/tensor.h>

#include <vector>

namespace scalebridge::transport
{
  /// Transition-state-theory parameters of one migration mechanism.
  struct MigrationParameters
  {
    /// Migration barrier E_m [eV], >= 0.
    double barrier_eV = 0;
    /// Attempt frequency nu_0 [Hz], > 0.
    double attempt_frequency_Hz = 0;
    /// Jump distance a [m], > 0.
    double jump_distance_m = 0;
    /// Number of equivalent jump neighbours z, >= 1.
    double coordination = 1;
    /// Tracer correlation factor f in (0, 1].
    double correlation_factor = 1;
  };

  /// Prefactor D0 = z f a^2 nu0 / 6 [m^2/s]. Throws std::invalid_argument
  /// for parameters outside the ranges documented above.
  double
  diffusivity_prefactor(const MigrationParameters &p);

  /// Tracer diffusivity D_tr(T) = z f a^2 nu0 / 6 exp(-E_m / kB T) [m^2/s].
  double
  tracer_diffusivity(const MigrationParameters &p, double temperature);

  /// Chemical (Fickian) diffusivity D_chem = D_tr Theta. D_tr must be >= 0;
  /// Theta < 0 (inside a spinodal) is allowed and gives D_chem < 0.
  double
  chemical_diffusivity(double tracer_diffusivity, double thermodynamic_factor);

  /**
   * Result of fitting ln D = ln D0 - E_m / (kB T) to (T, D) data by
   * (weighted) linear least squares in (1/kB T, ln D).
   */
  struct ArrheniusFit
  {
    double barrier_eV;
    double prefactor_m2_per_s;
    /// Covariance of (E_m [eV], ln D0): the regression's own estimate.
    dealii::Tensor<2, 2> covariance_barrier_log_prefactor;
    /// Covariance of (E_m [eV], D0 [m^2/s]) by first-order propagation.
    dealii::Tensor<2, 2> covariance_barrier_prefactor;
    /// Root-mean-square residual of ln D (unweighted, over n points).
    double       rms_log_residual;
    unsigned int n_points;
  };

  /**
   * Fits the Arrhenius law to @p temperatures [K] and @p diffusivities
   * [m^2/s]. With @p log_sigmas (standard deviations of ln D, one per point)
   * the fit is weighted and the covariance is the absolute one; without, the
   * covariance is scaled by the residual variance (needs >= 3 points, else
   * it is reported as zero). Throws std::invalid_argument for fewer than two
   * distinct temperatures or non-positive D or T.
   */
  ArrheniusFit
  fit_arrhenius(const std::vector<double> &temperatures,
                const std::vector<double> &diffusivities,
                const std::vector<double> &log_sigmas = {});
} // namespace scalebridge::transport

#endif
