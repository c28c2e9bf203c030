#ifndef scalebridge_study_size_analysis_h
#define scalebridge_study_size_analysis_h

#include <vector>

namespace scalebridge::study
{
  /// Mean and spread of one apparent property over realizations at one size.
  struct SizePoint
  {
    /// Edge length of the cell and its volume (area in 2D).
    double      edge   = 0;
    double      volume = 0;
    std::size_t n      = 0;
    double      mean   = 0;
    double      sd     = 0;
  };

  /**
   * How big a volume must be, after Kanit, Forest, Galliet, Mounoury &
   * Jeulin (2003), Int. J. Solids Struct. 40:3647: beyond the correlation
   * length the variance of the apparent property falls as a power of the
   * volume, D^2(V) = K V^-alpha (alpha = 1 for a finite integral range
   * A_3, K = D^2_Z A_3), fitted in log-log over the sizes with a spread;
   * the absolute error of the mean of n realizations at 95 % is
   * 2 D(V) / sqrt(n), so a relative error eps needs V = (4 K / (eps^2 Z^2
   * n))^(1/alpha). The apparent mean is extrapolated to infinite size with
   * Z(L) = Z_inf + a / L (least squares over the sizes), the leading
   * boundary-layer correction of a cell of edge L.
   */
  struct SizeAnalysis
  {
    /// Fitted K and alpha; alpha = 0, K = 0 when fewer than two sizes have
    /// a spread (a one-phase medium: any size will do).
    double K     = 0;
    double alpha = 0;
    /// Volume and edge for the requested relative error (0: any size; inf:
    /// the spread does not fall over the sizes given, no estimate).
    double required_volume = 0;
    double required_edge   = 0;
    /// Z_inf and a of the extrapolation.
    double extrapolated = 0;
    double slope        = 0;
  };

  /// @p dimension 2 or 3 (edge = volume^(1/dimension)).
  SizeAnalysis
  analyse_sizes(const std::vector<SizePoint> &points,
                double                        relative_error,
                unsigned int                  realizations,
                unsigned int                  dimension);
} // namespace scalebridge::study

#endif
