#include <scalebridge/base/preconditions.h>
#include <scalebridge/thermo/free_energy.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace scalebridge::thermo
{
  namespace
  {

    /// Inside a gap the model is not evaluated, so x is checked here.
    void
    check_composition(const double x)
    {
      if (!(x > 0.0 && x < 1.0))
        throw std::invalid_argument("ConvexifiedFreeEnergy: site fraction x = "
                                    + format_number(x)
                                    + " must lie strictly inside (0,1)");
    }
  } // namespace

  double
  ConvexifiedFreeEnergy::Blend::value(const double x, double &derivative) const
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

  double
  ConvexifiedFreeEnergy::Blend::integral(const double x) const
  {
    // h times the antiderivatives of the Hermite basis from 0 to t.
    const double h  = b - a;
    const double t  = (x - a) / h;
    const double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
    const double H00 = t4 / 2 - t3 + t, H10 = t4 / 4 - 2 * t3 / 3 + t2 / 2;
    const double H01 = -t4 / 2 + t3, H11 = t4 / 4 - t3 / 3;
    return h * (H00 * ya + H10 * h * sa + H01 * yb + H11 * h * sb);
  }

  ConvexifiedFreeEnergy::ConvexifiedFreeEnergy(const FreeEnergyModel &base,
                                               const double           T,
                                               const double corner_rounding)
    : model(base.clone())
    , temperature(T)
  {
    if (!(T > 0.0) || !std::isfinite(T))
      throw std::invalid_argument("ConvexifiedFreeEnergy: temperature "
                                  + format_number(T)
                                  + " K must be positive and finite");
    if (!(corner_rounding >= 0.0) || !std::isfinite(corner_rounding))
      throw std::invalid_argument("ConvexifiedFreeEnergy: corner rounding "
                                  + format_number(corner_rounding)
                                  + " must be non-negative and finite");
    const std::vector<CompositionPair> gaps  = common_tangents(base, T);
    double                             shift = 0;
    for (std::size_t k = 0; k < gaps.size(); ++k)
      {
        const auto [x_low, x_high] = gaps[k];
        Tangent t{};
        t.x_low  = x_low;
        t.x_high = x_high;
        // The two mu agree to the tangent tolerance; their mean splits the
        // remaining jump of mu between both binodal points.
        t.mu = 0.5
               * (base.chemical_potential(x_low, T)
                  + base.chemical_potential(x_high, T));
        t.g_low = base.free_energy(x_low, T);
        // Blends stay within a quarter of the room on either side.
        const double below = k == 0 ? x_low : x_low - gaps[k - 1].second;
        const double above
          = k + 1 == gaps.size() ? 1 - x_high : gaps[k + 1].first - x_high;
        t.d = std::min(corner_rounding,
                       0.25 * std::min({below, above, x_high - x_low}));
        if (t.d > 0)
          {
            const double d = t.d;
            const auto   side
              = [&](const double x) { return base.chemical_potential(x, T); };
            const auto slope = [&](const double x) {
              return base.chemical_potential_derivative(x, T);
            };
            t.left = {
              x_low - d, x_low + d, side(x_low - d), t.mu, slope(x_low - d), 0};
            t.right = {x_high - d,
                       x_high + d,
                       t.mu,
                       side(x_high + d),
                       0,
                       slope(x_high + d)};
            // g integrates the rounded mu from the model's g below the gap.
            t.g_left    = base.free_energy(t.left.a, T) + shift;
            t.g_plateau = t.g_left + t.left.integral(t.left.b);
            t.g_right   = t.g_plateau + t.mu * (t.right.a - t.left.b);
            t.g_shift   = t.g_right + t.right.integral(t.right.b)
                        - (base.free_energy(t.right.b, T) + shift);
            shift += t.g_shift;
          }
        tangents.push_back(t);
      }
    const auto wide
      = std::max_element(tangents.begin(),
                         tangents.end(),
                         [](const auto &a, const auto &b) {
                           return a.x_high - a.x_low < b.x_high - b.x_low;
                         });
    if (wide != tangents.end())
      {
        coexistence = CompositionPair{wide->x_low, wide->x_high};
        widest      = wide - tangents.begin();
      }
  }

  void
  ConvexifiedFreeEnergy::check_temperature(const double T) const
  {
    // A relative 1e-12 admits temperatures that differ by rounding only
    // (e.g. 25 + 273.15); anything else would need another convexification.
    if (!(std::abs(T - temperature) <= 1e-12 * temperature))
      throw std::invalid_argument("ConvexifiedFreeEnergy: built for T = "
                                  + format_number(temperature)
                                  + " K, evaluated at T = " + format_number(T)
                                  + " K; construct one per temperature");
  }

  const ConvexifiedFreeEnergy::Tangent *
  ConvexifiedFreeEnergy::find_tangent(const double x) const
  {
    for (const auto &t : tangents)
      if (x > t.x_low - t.d && x < t.x_high + t.d)
        return &t;
    return nullptr;
  }

  double
  ConvexifiedFreeEnergy::shifted_model_energy(const double x) const
  {
    double g = model->free_energy(x, temperature);
    for (const auto &t : tangents)
      if (t.d > 0 && x >= t.x_high + t.d)
        g += t.g_shift;
    return g;
  }

  std::string
  ConvexifiedFreeEnergy::name() const
  {
    return "convexified_" + model->name();
  }

  double
  ConvexifiedFreeEnergy::free_energy(const double x, const double T) const
  {
    check_composition(x);
    check_temperature(T);
    const Tangent *t = find_tangent(x);
    if (t == nullptr)
      return shifted_model_energy(x);
    if (t->d == 0)
      return t->g_low + t->mu * (x - t->x_low);
    if (x < t->left.b)
      return t->g_left + t->left.integral(x);
    if (x > t->right.a)
      return t->g_right + t->right.integral(x);
    return t->g_plateau + t->mu * (x - t->left.b);
  }

  double
  ConvexifiedFreeEnergy::chemical_potential(const double x,
                                            const double T) const
  {
    check_composition(x);
    check_temperature(T);
    return potential(x, nullptr);
  }

  double
  ConvexifiedFreeEnergy::chemical_potential_derivative(const double x,
                                                       const double T) const
  {
    check_composition(x);
    check_temperature(T);
    double derivative;
    potential(x, &derivative);
    return derivative;
  }

  bool
  ConvexifiedFreeEnergy::has_ideal_entropy() const
  {
    // The gaps lie strictly inside (0,1): the end-member behaviour is the
    // model's.
    return model->has_ideal_entropy();
  }

  std::unique_ptr<FreeEnergyModel>
  ConvexifiedFreeEnergy::clone() const
  {
    return std::make_unique<ConvexifiedFreeEnergy>(*this);
  }

  const std::optional<CompositionPair> &
  ConvexifiedFreeEnergy::binodal() const
  {
    return coexistence;
  }

  double
  ConvexifiedFreeEnergy::plateau() const
  {
    return coexistence ? tangents[widest].mu
                       : std::numeric_limits<double>::quiet_NaN();
  }

  double
  ConvexifiedFreeEnergy::rounding() const
  {
    return coexistence ? tangents[widest].d : 0.0;
  }

  double
  ConvexifiedFreeEnergy::chemical_potential_and_derivative(
    const double x,
    const double T,
    double      &derivative) const
  {
    check_composition(x);
    check_temperature(T);
    return potential(x, &derivative);
  }

  double
  ConvexifiedFreeEnergy::potential(const double x, double *derivative) const
  {
    double     unused;
    double    &dmu = derivative != nullptr ? *derivative : unused;
    const auto t   = find_tangent(x);
    if (t == nullptr)
      {
        if (derivative != nullptr)
          dmu = model->chemical_potential_derivative(x, temperature);
        return model->chemical_potential(x, temperature);
      }
    if (x < t->left.b && t->d > 0)
      return t->left.value(x, dmu);
    if (x > t->right.a && t->d > 0)
      return t->right.value(x, dmu);
    dmu = 0;
    return t->mu;
  }
} // namespace scalebridge::thermo
