#include <scalebridge/atomistic/autocorrelation.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fftw3.h>

namespace scalebridge::atomistic
{
  struct FftCorrelator::Plans
  {
    double       *real     = nullptr;
    fftw_complex *spectrum = nullptr;
    fftw_plan     forward  = nullptr;
    fftw_plan     backward = nullptr;

    ~Plans()
    {
      if (forward)
        fftw_destroy_plan(forward);
      if (backward)
        fftw_destroy_plan(backward);
      fftw_free(real);
      fftw_free(spectrum);
    }
  };

  std::size_t
  fast_fft_size(const std::size_t n)
  {
    for (std::size_t m = std::max<std::size_t>(n, 1);; ++m)
      {
        std::size_t r = m;
        for (const std::size_t p : {2, 3, 5, 7})
          while (r % p == 0)
            r /= p;
        if (r == 1)
          return m;
      }
  }

  FftCorrelator::FftCorrelator(const std::size_t n)
    : n(n)
    , padded(fast_fft_size(2 * n))
    , plans(std::make_unique<Plans>())
  {
    if (n == 0)
      throw std::invalid_argument("FftCorrelator: length must be > 0");
    plans->real     = fftw_alloc_real(padded);
    plans->spectrum = fftw_alloc_complex(padded / 2 + 1);
    if (!plans->real || !plans->spectrum)
      throw std::bad_alloc();
    // FFTW_ESTIMATE: planning must not overwrite the buffers or take long;
    // the transforms are repeated for every atom anyway.
    plans->forward  = fftw_plan_dft_r2c_1d(static_cast<int>(padded),
                                          plans->real,
                                          plans->spectrum,
                                          FFTW_ESTIMATE);
    plans->backward = fftw_plan_dft_c2r_1d(static_cast<int>(padded),
                                           plans->spectrum,
                                           plans->real,
                                           FFTW_ESTIMATE);
    if (!plans->forward || !plans->backward)
      throw std::runtime_error("FftCorrelator: FFTW planning failed");
  }

  FftCorrelator::~FftCorrelator() = default;

  std::size_t
  FftCorrelator::length() const
  {
    return n;
  }

  void
  FftCorrelator::lag_sums(const double *x, double *sums)
  {
    std::fill(sums, sums + n, 0.0);
    add_lag_sums(x, sums);
  }

  void
  FftCorrelator::add_lag_sums(const double *x, double *sums)
  {
    std::memcpy(plans->real, x, n * sizeof(double));
    std::fill(plans->real + n, plans->real + padded, 0.0);
    fftw_execute(plans->forward);
    for (std::size_t k = 0; k < padded / 2 + 1; ++k)
      {
        const double re = plans->spectrum[k][0], im = plans->spectrum[k][1];
        plans->spectrum[k][0] = re * re + im * im;
        plans->spectrum[k][1] = 0;
      }
    fftw_execute(plans->backward);
    // FFTW's transforms are unnormalised: forward then backward is * padded.
    const double scale = 1.0 / padded;
    for (std::size_t m = 0; m < n; ++m)
      sums[m] += scale * plans->real[m];
  }
} // namespace scalebridge::atomistic
