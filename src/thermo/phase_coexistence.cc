// Spinodal and common-tangent (binodal) construction for any FreeEnergyModel.
//
// Method: sample g and dmu/dx on a fixed composition grid (uniform in the
// middle, geometric towards both ends so that binodals as close as 1e-14 to
// an end member are seen). Unstable intervals (dmu/dx < 0) are bracketed on
// the grid and refined by bisection. The lower convex hull of the sampled g
// groups unstable intervals into miscibility gaps and gives a first guess of
// each tangent slope. Each gap is then solved to full precision: for a trial
// common chemical potential m the two stable branches are inverted,
// mu(x_a) = mu(x_b) = m, which leaves F(m) = omega(x_b) - omega(x_a) (grand
// potential omega = g - m x) with F'(m) = -(x_b - x_a) < 0, so F has a single
// root that safeguarded Newton iterations find from any start inside the
// bracket.

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
    constexpr double epsilon = std::numeric_limits<double>::epsilon();

    /// Closest approach of a tangent point to 0 and to 1. Near 1 a double
    /// resolves 1 - x only to ~1e-16 absolute, so 1e-14 keeps 1 - x to ~1%
    /// (and x itself is resolved far better); tangent points beyond this are
    /// reported as an error rather than silently clamped.
    constexpr double edge = 1e-14;


    /// s = ln(x / (1-x)): the branch inversions run in s, where mu of an
    /// ideal-entropy model is nearly linear and x stays inside (0,1).
    double
    logit(const double x)
    {
      return std::log(x) - std::log1p(-x);
    }

    /// x(s) = 1 / (1 + exp(-s)), written to avoid overflow for either sign.
    double
    logistic(const double s)
    {
      if (s >= 0.0)
        return 1.0 / (1.0 + std::exp(-s));
      const double e = std::exp(s);
      return e / (1.0 + e);
    }

    /// The sampling grid: 2047 uniform points plus 16 per decade from 1e-14
    /// to 1e-2 at both ends. Coarse enough to cost ~2500 evaluations, fine
    /// enough that only gaps near T_c escape it (those are caught by the
    /// local minimisation in unstable_intervals()).
    const std::vector<double> &
    composition_grid()
    {
      static const std::vector<double> grid = [] {
        std::vector<double>    x;
        constexpr unsigned int n_uniform = 2048;
        for (unsigned int i = 1; i < n_uniform; ++i)
          x.push_back(static_cast<double>(i) / n_uniform);
        constexpr int per_decade = 16;
        for (int k = 0; k < 12 * per_decade; ++k)
          {
            const double d = std::pow(10.0, -14.0 + double(k) / per_decade);
            x.push_back(d);
            x.push_back(1.0 - d);
          }
        std::sort(x.begin(), x.end());
        x.erase(std::unique(x.begin(), x.end()), x.end());
        return x;
      }();
      return grid;
    }

    struct Samples
    {
      std::vector<double> x;
      std::vector<double> g;
      std::vector<double> dmu;
    };

    Samples
    sample(const FreeEnergyModel &model, const double temperature)
    {
      Samples s;
      s.x = composition_grid();
      s.g.reserve(s.x.size());
      s.dmu.reserve(s.x.size());
      for (const double x : s.x)
        {
          s.g.push_back(model.free_energy(x, temperature));
          s.dmu.push_back(model.chemical_potential_derivative(x, temperature));
        }
      return s;
    }

    /// A maximal interval where dmu/dx < 0, with its end points refined.
    struct Interval
    {
      double low;
      double high;
    };

    /// Bisection for the sign change of dmu/dx in [a, b], to adjacent
    /// doubles; dmu/dx is cheap and bisection cannot fail.
    double
    refine_root(const FreeEnergyModel &model,
                const double           temperature,
                double                 a,
                double                 b)
    {
      const bool negative_at_a
        = model.chemical_potential_derivative(a, temperature) < 0.0;
      for (unsigned int it = 0; it < 200; ++it)
        {
          const double c = 0.5 * (a + b);
          if (!(c > a && c < b))
            break;
          const bool negative_at_c
            = model.chemical_potential_derivative(c, temperature) < 0.0;
          (negative_at_c == negative_at_a ? a : b) = c;
        }
      return 0.5 * (a + b);
    }

    /// Golden-section search for the minimum of dmu/dx in [a, b], used to
    /// find unstable intervals narrower than the grid (close to T_c).
    std::pair<double, double>
    minimise_dmu(const FreeEnergyModel &model,
                 const double           temperature,
                 double                 a,
                 double                 b)
    {
      const double ratio = 0.5 * (std::sqrt(5.0) - 1.0);
      double       c     = b - ratio * (b - a);
      double       d     = a + ratio * (b - a);
      double       fc    = model.chemical_potential_derivative(c, temperature);
      double       fd    = model.chemical_potential_derivative(d, temperature);
      for (unsigned int it = 0; it < 200 && (b - a) > 4 * epsilon * b; ++it)
        {
          if (fc < fd)
            {
              b  = d;
              d  = c;
              fd = fc;
              c  = b - ratio * (b - a);
              fc = model.chemical_potential_derivative(c, temperature);
            }
          else
            {
              a  = c;
              c  = d;
              fc = fd;
              d  = a + ratio * (b - a);
              fd = model.chemical_potential_derivative(d, temperature);
            }
        }
      return fc < fd ? std::make_pair(c, fc) : std::make_pair(d, fd);
    }

    /// All unstable intervals in increasing x. A dip of dmu/dx below zero
    /// counts only if it is deeper than the round-off of dmu/dx, estimated
    /// from its magnitude on [0.01, 0.99]; otherwise a model exactly at its
    /// critical point would report a spurious, round-off-sized gap.
    std::vector<Interval>
    unstable_intervals(const FreeEnergyModel &model,
                       const double           temperature,
                       const Samples         &s)
    {
      const auto  &x = s.x;
      const auto  &d = s.dmu;
      const size_t n = x.size();

      double scale = 0;
      for (size_t i = 0; i < n; ++i)
        if (x[i] >= 0.01 && x[i] <= 0.99)
          scale = std::max(scale, std::abs(d[i]));
      const double threshold = 64 * epsilon * scale;

      std::vector<Interval> intervals;
      for (size_t i = 0; i < n; ++i)
        {
          if (d[i] < 0.0)
            {
              size_t j     = i;
              double depth = d[i];
              while (j + 1 < n && d[j + 1] < 0.0)
                {
                  ++j;
                  depth = std::min(depth, d[j]);
                }
              if (depth < -threshold)
                {
                  const double low
                    = i == 0 ? x[0]
                             : refine_root(model, temperature, x[i - 1], x[i]);
                  const double high
                    = j + 1 == n
                        ? x[n - 1]
                        : refine_root(model, temperature, x[j], x[j + 1]);
                  intervals.push_back({low, high});
                }
              i = j;
            }
          else if (i > 0 && i + 1 < n && d[i] < d[i - 1] && d[i] <= d[i + 1])
            {
              // A local minimum of dmu/dx that stays >= 0 on the grid may still
              // dip below zero between the grid points.
              const auto [x_min, d_min]
                = minimise_dmu(model, temperature, x[i - 1], x[i + 1]);
              if (d_min < -threshold)
                intervals.push_back(
                  {refine_root(model, temperature, x[i - 1], x_min),
                   refine_root(model, temperature, x_min, x[i + 1])});
            }
        }
      return intervals;
    }

    /// Indices of the lower convex hull of the sampled (x, g).
    std::vector<size_t>
    lower_hull(const Samples &s)
    {
      std::vector<size_t> hull;
      for (size_t i = 0; i < s.x.size(); ++i)
        {
          while (hull.size() >= 2)
            {
              const size_t o     = hull[hull.size() - 2];
              const size_t a     = hull.back();
              const double cross = (s.x[a] - s.x[o]) * (s.g[i] - s.g[o])
                                   - (s.g[a] - s.g[o]) * (s.x[i] - s.x[o]);
              if (cross > 0.0)
                break;
              hull.pop_back();
            }
          hull.push_back(i);
        }
      return hull;
    }

    /// Unstable intervals first..last that share one tangent.
    struct Group
    {
      size_t first;
      size_t last;
      double slope_guess; // NaN if the hull did not resolve the gap
    };

    /// Groups the intervals by the hull edge that spans them; an interval
    /// not inside an edge that skips grid points forms its own group.
    std::vector<Group>
    group_by_hull(const std::vector<Interval> &intervals, const Samples &s)
    {
      const auto          hull = lower_hull(s);
      std::vector<double> hull_x;
      for (const size_t i : hull)
        hull_x.push_back(s.x[i]);

      std::vector<Group> groups;
      long               previous_edge = -1;
      for (size_t k = 0; k < intervals.size(); ++k)
        {
          const double mid = 0.5 * (intervals[k].low + intervals[k].high);
          const long   j   = std::clamp<long>(std::upper_bound(hull_x.begin(),
                                                           hull_x.end(),
                                                           mid)
                                            - hull_x.begin() - 1,
                                          0,
                                          static_cast<long>(hull.size()) - 2);
          const bool   resolved = hull[j + 1] > hull[j] + 1;
          if (resolved && j == previous_edge)
            {
              groups.back().last = k;
              continue;
            }
          const double slope = resolved
                                 ? (s.g[hull[j + 1]] - s.g[hull[j]])
                                     / (s.x[hull[j + 1]] - s.x[hull[j]])
                                 : std::numeric_limits<double>::quiet_NaN();
          groups.push_back({k, k, slope});
          previous_edge = resolved ? j : -1;
        }
      return groups;
    }

    /// A stable branch [x(s_low), x(s_high)] on which mu increases.
    struct Branch
    {
      double s_low;
      double s_high;
      double mu_low;
      double mu_high;
    };

    Branch
    make_branch(const FreeEnergyModel &model,
                const double           temperature,
                const double           x_low,
                const double           x_high)
    {
      return {logit(x_low),
              logit(x_high),
              model.chemical_potential(x_low, temperature),
              model.chemical_potential(x_high, temperature)};
    }

    /// Solves mu(x(s)) = target on a branch by Newton in s, safeguarded by
    /// bisection; the target must lie in [mu_low, mu_high].
    double
    invert_branch(const FreeEnergyModel &model,
                  const double           temperature,
                  const Branch          &branch,
                  const double           target,
                  const double           s_guess)
    {
      double a = branch.s_low;
      double b = branch.s_high;
      double s = (s_guess > a && s_guess < b) ? s_guess : 0.5 * (a + b);
      for (unsigned int it = 0; it < 200; ++it)
        {
          const double x = logistic(s);
          const double residual
            = model.chemical_potential(x, temperature) - target;
          if (residual == 0.0)
            return s;
          (residual < 0.0 ? a : b) = s;
          // dx/ds = x (1-x), with 1-x = logistic(-s) to keep it accurate
          // near 1.
          const double slope
            = model.chemical_potential_derivative(x, temperature) * x
              * logistic(-s);
          double s_new = s - residual / slope;
          if (!(slope > 0.0) || !(s_new > a && s_new < b))
            s_new = 0.5 * (a + b);
          const double resolution = 2 * epsilon * std::max(1.0, std::abs(s));
          if (std::abs(s_new - s) <= resolution || b - a <= resolution)
            return s_new;
          s = s_new;
        }
      return s;
    }

    /// A solved gap.
    struct Tangent
    {
      double x_low;
      double x_high;
      double mu;
    };

    /// What solve_group() found.
    enum class Outcome
    {
      solved,
      merge_with_previous,
      merge_with_next
    };

    /// Refines the tangent of one group; see the file comment for the
    /// method. @p tolerance bounds the last predicted change of x relative
    /// to min(x, 1-x); iterations also stop once F is at its round-off.
    Outcome
    solve_group(const FreeEnergyModel       &model,
                const double                 temperature,
                const std::vector<Interval> &intervals,
                const Group                 &group,
                const double                 tolerance,
                Tangent                     &tangent)
    {
      const bool   first_is_lowest = group.first == 0;
      const bool   last_is_highest = group.last + 1 == intervals.size();
      const double xa_low
        = first_is_lowest ? edge : intervals[group.first - 1].high;
      const double xa_high = intervals[group.first].low;
      const double xb_low  = intervals[group.last].high;
      const double xb_high
        = last_is_highest ? 1.0 - edge : intervals[group.last + 1].low;

      const auto beyond_edge = [&]() {
        return std::domain_error(
          "common_tangent: a tangent point of the " + model.name()
          + " model at T = " + format_number(temperature)
          + " K lies closer than 1e-14 to x = 0 or 1 (or outside (0,1)); "
            "such a binodal cannot be represented");
      };
      if (!(xa_high > xa_low))
        {
          if (first_is_lowest)
            throw beyond_edge();
          return Outcome::merge_with_previous;
        }
      if (!(xb_high > xb_low))
        {
          if (last_is_highest)
            throw beyond_edge();
          return Outcome::merge_with_next;
        }

      const Branch branch_a = make_branch(model, temperature, xa_low, xa_high);
      const Branch branch_b = make_branch(model, temperature, xb_low, xb_high);
      double       mu_lo    = std::max(branch_a.mu_low, branch_b.mu_low);
      double       mu_hi    = std::min(branch_a.mu_high, branch_b.mu_high);
      if (!(mu_lo < mu_hi))
        {
          // mu at the outer ends of the two branches does not overlap: both
          // tangent points are pinned there, the gap extends past them.
          if (branch_a.mu_low >= branch_b.mu_high)
            {
              if (first_is_lowest || last_is_highest)
                throw beyond_edge();
              return Outcome::merge_with_previous;
            }
          throw std::runtime_error(
            "common_tangent: inconsistent stable branches for the "
            + model.name() + " model at T = " + format_number(temperature)
            + " K");
        }

      double     s_a = 0.5 * (branch_a.s_low + branch_a.s_high);
      double     s_b = 0.5 * (branch_b.s_low + branch_b.s_high);
      double     x_a = 0, x_b = 0, F = 0, noise = 0;
      const auto evaluate = [&](const double mu) {
        s_a              = invert_branch(model, temperature, branch_a, mu, s_a);
        s_b              = invert_branch(model, temperature, branch_b, mu, s_b);
        x_a              = logistic(s_a);
        x_b              = logistic(s_b);
        const double g_a = model.free_energy(x_a, temperature);
        const double g_b = model.free_energy(x_b, temperature);
        F                = (g_b - mu * x_b) - (g_a - mu * x_a);
        noise            = 16 * epsilon
                * (std::abs(g_a) + std::abs(g_b) + std::abs(mu) * (x_a + x_b));
      };

      // F decreases in mu: a root below mu_lo (above mu_hi) means a tangent
      // point beyond the branch, i.e. past an end of (0,1) or across the
      // neighbouring unstable interval, which then belongs to this gap.
      evaluate(mu_lo);
      if (F < -noise)
        {
          if (first_is_lowest)
            throw beyond_edge();
          return Outcome::merge_with_previous;
        }
      evaluate(mu_hi);
      if (F > noise)
        {
          if (last_is_highest)
            throw beyond_edge();
          return Outcome::merge_with_next;
        }

      double mu = (group.slope_guess > mu_lo && group.slope_guess < mu_hi)
                    ? group.slope_guess
                    : 0.5 * (mu_lo + mu_hi);
      for (unsigned int it = 0; it < 200; ++it)
        {
          evaluate(mu);
          if (std::abs(F) <= noise)
            break;
          (F > 0.0 ? mu_lo : mu_hi) = mu;
          double mu_new             = mu + F / (x_b - x_a);
          if (!(mu_new > mu_lo && mu_new < mu_hi))
            mu_new = 0.5 * (mu_lo + mu_hi);
          const double step = std::abs(mu_new - mu);
          // Predicted composition changes of this step, dx = dmu / (dmu/dx).
          const auto small = [&](const double x) {
            return step
                   <= tolerance * std::min(x, 1.0 - x)
                        * model.chemical_potential_derivative(x, temperature);
          };
          const bool converged = small(x_a) && small(x_b);
          mu                   = mu_new;
          if (converged
              || mu_hi - mu_lo
                   <= 4 * epsilon * std::max(std::abs(mu_lo), std::abs(mu_hi)))
            {
              evaluate(mu);
              break;
            }
        }
      tangent = {x_a, x_b, mu};
      return Outcome::solved;
    }

    /// Where the tangent line of @p t cuts below the sampled g: -1 left of
    /// the gap, +1 right of it, 0 nowhere (the line supports g).
    int
    undercut(const FreeEnergyModel &model,
             const double           temperature,
             const Samples         &s,
             const Tangent         &t)
    {
      const double g_low = model.free_energy(t.x_low, temperature);
      for (size_t i = 0; i < s.x.size(); ++i)
        {
          const double line  = g_low + t.mu * (s.x[i] - t.x_low);
          const double noise = 64 * epsilon
                               * (std::abs(s.g[i]) + std::abs(g_low)
                                  + std::abs(t.mu) * (s.x[i] + t.x_low));
          if (s.g[i] < line - noise)
            {
              if (s.x[i] < t.x_low)
                return -1;
              if (s.x[i] > t.x_high)
                return +1;
            }
        }
      return 0;
    }

    /// All tangents, merging groups until every tangent is a supporting
    /// line of the sampled g and the gaps are disjoint.
    std::vector<Tangent>
    solve_tangents(const FreeEnergyModel &model,
                   const double           temperature,
                   const double           tolerance)
    {
      check_temperature(temperature, "common_tangent");
      if (!(tolerance > 0.0) || !std::isfinite(tolerance))
        throw std::invalid_argument("common_tangent: tolerance "
                                    + format_number(tolerance)
                                    + " must be positive and finite");
      const Samples s         = sample(model, temperature);
      const auto    intervals = unstable_intervals(model, temperature, s);
      auto          groups    = group_by_hull(intervals, s);

      const auto merge = [&groups](const size_t k) {
        // Merges groups k and k+1; the hull guess no longer applies.
        groups[k].last        = groups[k + 1].last;
        groups[k].slope_guess = std::numeric_limits<double>::quiet_NaN();
        groups.erase(groups.begin() + k + 1);
      };

      std::vector<Tangent> tangents;
      // Every merge removes a group, so this loop ends.
      while (true)
        {
          tangents.assign(groups.size(), Tangent{});
          long merge_at = -1;
          for (size_t k = 0; k < groups.size() && merge_at < 0; ++k)
            {
              Outcome outcome = solve_group(model,
                                            temperature,
                                            intervals,
                                            groups[k],
                                            tolerance,
                                            tangents[k]);
              if (outcome == Outcome::solved)
                {
                  const int side = undercut(model, temperature, s, tangents[k]);
                  if (side < 0)
                    outcome = Outcome::merge_with_previous;
                  else if (side > 0)
                    outcome = Outcome::merge_with_next;
                }
              if (outcome == Outcome::solved && k > 0
                  && tangents[k].x_low < tangents[k - 1].x_high)
                outcome = Outcome::merge_with_previous;

              if (outcome == Outcome::merge_with_previous)
                {
                  if (k == 0)
                    throw std::runtime_error(
                      "common_tangent: no supporting tangent "
                      "found for the "
                      + model.name() + " model");
                  merge_at = static_cast<long>(k) - 1;
                }
              else if (outcome == Outcome::merge_with_next)
                {
                  if (k + 1 == groups.size())
                    throw std::runtime_error(
                      "common_tangent: no supporting tangent "
                      "found for the "
                      + model.name() + " model");
                  merge_at = static_cast<long>(k);
                }
            }
          if (merge_at < 0)
            return tangents;
          merge(static_cast<size_t>(merge_at));
        }
    }
  } // namespace

  std::optional<CompositionPair>
  spinodal(const FreeEnergyModel &model, const double temperature)
  {
    check_temperature(temperature, "spinodal");
    const auto intervals
      = unstable_intervals(model, temperature, sample(model, temperature));
    if (intervals.empty())
      return std::nullopt;
    const auto widest
      = std::max_element(intervals.begin(),
                         intervals.end(),
                         [](const auto &a, const auto &b) {
                           return a.high - a.low < b.high - b.low;
                         });
    return CompositionPair{widest->low, widest->high};
  }

  std::vector<CompositionPair>
  common_tangents(const FreeEnergyModel &model,
                  const double           temperature,
                  const double           tolerance)
  {
    std::vector<CompositionPair> result;
    for (const auto &t : solve_tangents(model, temperature, tolerance))
      result.emplace_back(t.x_low, t.x_high);
    return result;
  }

  std::optional<CompositionPair>
  common_tangent(const FreeEnergyModel &model,
                 const double           temperature,
                 const double           tolerance)
  {
    const auto all = common_tangents(model, temperature, tolerance);
    if (all.empty())
      return std::nullopt;
    // Ties go to the lowest x.
    return *std::max_element(all.begin(),
                             all.end(),
                             [](const auto &a, const auto &b) {
                               return a.second - a.first < b.second - b.first;
                             });
  }
} // namespace scalebridge::thermo
