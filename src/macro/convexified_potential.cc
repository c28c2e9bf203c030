#include <scalebridge/macro/convexified_potential.h>

#include <algorithm>
#include <stdexcept>

namespace scalebridge::macro
{
  double
  ConvexifiedPotential::Blend::value(const double x, double &derivative) const
  {
    const double h  = b - a;
    const double t  = (x - a) / h;
    const double t2 = t * t, t3 = t2 * t;
    const double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t;
    const double h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
    derivative = ((6 * t2 - 6 * t) * ya + (3 * t2 - 4 * t + 1) * h * sa
                  + (-6 * t2 + 6 * t) * yb + (3 * t2 - 2 * t) * h * sb)
                 / h;
    return h00 * ya + h10 * h * sa + h01 * yb + h11 * h * sb;
  }

  ConvexifiedPotential::ConvexifiedPotential(
    std::shared_ptr<const thermo::FreeEnergyModel> model,
    const double                                   temperature,
    const thermo::CompositionPair                  binodal,
    const double                                   rounding)
    : model(std::move(model))
    , temperature(temperature)
    , x12(binodal)
  {
    const double x1 = x12.first, x2 = x12.second;
    if (!(0 < x1 && x1 < x2 && x2 < 1) || !(rounding >= 0))
      throw std::invalid_argument("ConvexifiedPotential: bad binodal");
    d          = std::min(rounding, 0.25 * std::min({x1, 1 - x2, x2 - x1}));
    mu_plateau = 0.5
                 * (this->model->chemical_potential(x1, temperature)
                    + this->model->chemical_potential(x2, temperature));
    const auto side = [&](const double x) {
      return this->model->chemical_potential(x, temperature);
    };
    const auto slope = [&](const double x) {
      return this->model->chemical_potential_derivative(x, temperature);
    };
    left  = {x1 - d, x1 + d, side(x1 - d), mu_plateau, slope(x1 - d), 0};
    right = {x2 - d, x2 + d, mu_plateau, side(x2 + d), 0, slope(x2 + d)};
  }

  double
  ConvexifiedPotential::value(const double x, double &derivative) const
  {
    if (x <= left.a || x >= right.b)
      {
        derivative = model->chemical_potential_derivative(x, temperature);
        return model->chemical_potential(x, temperature);
      }
    if (x < left.b && d > 0)
      return left.value(x, derivative);
    if (x > right.a && d > 0)
      return right.value(x, derivative);
    derivative = 0;
    return mu_plateau;
  }

  const thermo::CompositionPair &
  ConvexifiedPotential::binodal() const
  {
    return x12;
  }

  double
  ConvexifiedPotential::plateau() const
  {
    return mu_plateau;
  }

  double
  ConvexifiedPotential::rounding() const
  {
    return d;
  }
} // namespace scalebridge::macro
