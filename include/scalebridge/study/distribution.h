#ifndef scalebridge_study_distribution_h
#define scalebridge_study_distribution_h

#include <string>

namespace scalebridge::study
{
  /// Standard normal quantile Phi^-1(u) for u in (0,1): Acklam's rational
  /// approximation refined by one Halley step on erfc (relative error near
  /// machine precision), so that samples need no external library.
  double
  normal_quantile(double u);

  /**
   * A one-dimensional input distribution, given the way users state it:
   * normal (mean, standard deviation), lognormal (mean and standard
   * deviation of the quantity itself, not of its logarithm, since that is
   * what a card or a data sheet reports) or uniform (lower, upper bound).
   * Samples are drawn through the quantile, so that Latin hypercube and
   * Sobol designs on [0,1)^d map to every kind alike.
   */
  struct Distribution
  {
    enum class Kind
    {
      normal,
      lognormal,
      uniform
    };
    Kind   kind = Kind::normal;
    double a    = 0; ///< mean (normal, lognormal) or lower bound (uniform)
    double b    = 0; ///< standard deviation, or upper bound (uniform)

    /// Value at probability @p u in (0,1).
    double
    quantile(double u) const;
    double
    mean() const;
    double
    variance() const;
    /// Parameters mu, sigma of log X (lognormal only).
    double
    log_mu() const;
    double
    log_sigma() const;
  };

  /**
   * Parses "normal(m, s)", "lognormal(m, s)" or "uniform(lo, hi)". Throws
   * InputError(@p source, @p entry, what is allowed) for anything else,
   * s <= 0, lognormal m <= 0, or lo >= hi.
   */
  Distribution
  parse_distribution(const std::string &text,
                     const std::string &source,
                     const std::string &entry);
} // namespace scalebridge::study

#endif
