#ifndef scalebridge_atomistic_autocorrelation_h
#define scalebridge_atomistic_autocorrelation_h

#include <cstddef>
#include <memory>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * Lag sums S(m) = sum_{k=0}^{n-1-m} x_k x_{k+m}, m = 0..n-1, of series of
   * one fixed length n by FFT (Wiener-Khinchin with zero padding to at
   * least 2n, so that the circular correlation equals the linear one):
   * O(n log n) instead of the O(n^2) double loop over time origins. The
   * FFTW plans and buffers are made once and reused for every series of
   * this length (all atoms and blocks of a trajectory). Not thread-safe.
   */
  class FftCorrelator
  {
  public:
    explicit FftCorrelator(std::size_t n);
    ~FftCorrelator();
    FftCorrelator(const FftCorrelator &) = delete;
    FftCorrelator &
    operator=(const FftCorrelator &)
      = delete;

    std::size_t
    length() const;

    /// Writes S(0..n-1) of @p x (n values) to @p sums (n values).
    void
    lag_sums(const double *x, double *sums);

    /// Adds S(0..n-1) of @p x to @p sums.
    void
    add_lag_sums(const double *x, double *sums);

  private:
    struct Plans;
    std::size_t            n;
    std::size_t            padded;
    std::unique_ptr<Plans> plans;
  };

  /// Smallest m >= @p n of the form 2^a 3^b 5^c 7^d (fast FFTW sizes).
  std::size_t
  fast_fft_size(std::size_t n);
} // namespace scalebridge::atomistic

#endif
