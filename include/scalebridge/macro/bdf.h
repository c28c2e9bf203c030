#ifndef scalebridge_macro_bdf_h
#define scalebridge_macro_bdf_h

#include <array>
#include <vector>

namespace scalebridge::macro
{
  /**
   * One step of the variable-step BDF scheme from t_n to t_n + h:
   *   dy/dt(t_{n+1}) ~ a[0] y_{n+1} + a[1] y_n + a[2] y_{n-1},
   * the polynomial predictor y_p = sum_k p[k] y_{n-k} (Newton's starting
   * value) and the weight that turns y_{n+1} - y_p into an estimate of the
   * local error (Milne's device).
   *
   * With one past value the step is backward Euler and unchecked (it is
   * only taken with the small initial step); with two, BDF2 with a linear
   * predictor, whose O(h^2) difference overestimates the O(h^3) error
   * (safe while the history builds up); with three, BDF2 with the quadratic
   * predictor, for which the estimate is asymptotically exact:
   *   err = (h/alpha0) / (h/alpha0 + h + h_1 + h_2) (y - y_p),
   * alpha0 = (1 + 2w)/(1 + w), w = h/h_1.
   */
  struct BdfStep
  {
    unsigned int          order = 1;
    std::array<double, 3> a{{0, 0, 0}};
    unsigned int          n_predictor = 1;
    std::array<double, 3> p{{1, 0, 0}};
    double                error_weight = 0;
  };

  /// @p past_times: t_n, t_{n-1}, t_{n-2} (as many as exist, newest first).
  BdfStep
  bdf_step(double h, const std::vector<double> &past_times);

  /**
   * Step-size controller for a scheme of @p order: the next step
   * h * clamp(0.8 err^{-1/(order+1)}, 0.2, growth) for a scaled error
   * @p error (accept if <= 1).
   */
  double
  next_step_size(double h, double error, unsigned int order, double growth);
} // namespace scalebridge::macro

#endif
