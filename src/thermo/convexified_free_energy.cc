#include <scalebridge/base/preconditions.h>
#include <scalebridge/thermo/free_energy.h>

#include <algorithm>
#include <cmath>
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

  ConvexifiedFreeEnergy::ConvexifiedFreeEnergy(const FreeEnergyModel &base,
                                               const double           T)
    : model(base.clone())
    , temperature(T)
  {
    if (!(T > 0.0) || !std::isfinite(T))
      throw std::invalid_argument("ConvexifiedFreeEnergy: temperature "
                                  + format_number(T)
                                  + " K must be positive and finite");
    for (const auto &[x_low, x_high] : common_tangents(base, T))
      {
        // The two mu agree to the tangent tolerance; their mean splits the
        // remaining jump of mu between both binodal points.
        const double mu = 0.5
                          * (base.chemical_potential(x_low, T)
                             + base.chemical_potential(x_high, T));
        tangents.push_back({x_low, x_high, mu, base.free_energy(x_low, T)});
      }
    const auto widest
      = std::max_element(tangents.begin(),
                         tangents.end(),
                         [](const auto &a, const auto &b) {
                           return a.x_high - a.x_low < b.x_high - b.x_low;
                         });
    if (widest != tangents.end())
      coexistence = CompositionPair{widest->x_low, widest->x_high};
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
      if (x > t.x_low && x < t.x_high)
        return &t;
    return nullptr;
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
    if (const Tangent *t = find_tangent(x))
      return t->g_low + t->mu * (x - t->x_low);
    return model->free_energy(x, temperature);
  }

  double
  ConvexifiedFreeEnergy::chemical_potential(const double x,
                                            const double T) const
  {
    check_composition(x);
    check_temperature(T);
    if (const Tangent *t = find_tangent(x))
      return t->mu;
    return model->chemical_potential(x, temperature);
  }

  double
  ConvexifiedFreeEnergy::chemical_potential_derivative(const double x,
                                                       const double T) const
  {
    check_composition(x);
    check_temperature(T);
    if (find_tangent(x) != nullptr)
      return 0.0;
    return model->chemical_potential_derivative(x, temperature);
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
} // namespace scalebridge::thermo
