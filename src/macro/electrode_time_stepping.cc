// ElectrodeSolver: one time step: variable-step BDF2 with its history and
// predictor, Newton's method (damped, with the particles condensed out),
// the control (current or voltage) and the scaled norms of updates and
// errors. The protocol loop that calls it is in electrode_protocol.cc.

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/bdf.h>
#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scalebridge::macro
{
  using namespace dealii;
  using namespace electrode_internal;

  template <int dim>
  bool
  ElectrodeSolver<dim>::newton_solve(const bool frozen)
  {
    const TimeSteppingParameters &ts = model.parameters.time_stepping;
    const double tolerance           = ts.newton_tolerance * ts.tolerance;
    double       previous_norm       = 0;
    try
      {
        // Consistent potentials start from far away (a jump of the current):
        // give that solve room, it is cheap.
        const unsigned int max_iterations
          = frozen ? std::max(50u, ts.newton_iterations) : ts.newton_iterations;
        for (unsigned int it = 0; it < max_iterations; ++it)
          {
            assemble_system(frozen);
            solve_linear_system();
            ++statistics.newton_iterations;
            recover_particle_updates(frozen);

            // One reduction for both: the largest scaled update and the
            // smallest damping factor.
            double reduced[2]
              = {local_scaled_max_norm(newton_update, particle_update),
                 -local_damping()};
            MPI_Allreduce(
              MPI_IN_PLACE, reduced, 2, MPI_DOUBLE, MPI_MAX, mpi_communicator);
            const double lambda = -reduced[1];
            const double norm   = lambda * reduced[0];
            apply_newton_update(lambda);
            if (!std::isfinite(norm))
              return false;
            // Converged when the update, or the error left after it as
            // estimated from the contraction rate (rho/(1-rho) |du|), is
            // below the tolerance.
            const double rho = it > 0 ? norm / previous_norm : 1;
            if (lambda == 1
                && (norm <= tolerance
                    || (rho < 0.5 && rho / (1 - rho) * norm <= tolerance)))
              return true;
            previous_norm = norm;
          }
      }
    catch (const std::exception &)
      {
        // A failed assembly (a material function refusing a state of a wild
        // iterate, ...) or factorization: all processes get here together
        // (assemble_system() raises failures collectively); the step is
        // retried shorter.
        return false;
      }
    return false;
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::local_damping() const
  {
    // Damping that keeps concentrations inside their bounds (cut the step
    // so that no concentration loses more than 90% of its distance to a
    // bound); usually lambda = 1.
    const unsigned int n_owned = locally_owned_dofs.n_elements();
    double             lambda  = 1;
    for (unsigned int i = 0; i < n_owned; ++i)
      if (is_concentration[i])
        {
          const double c = solution.local_element(i);
          const double d = newton_update.local_element(i);
          if (d < -0.9 * c)
            lambda = std::min(lambda, -0.9 * c / d);
        }
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const double c_max
          = particle_models[sites[s].electrode].material().max_concentration();
        for (unsigned int k = 0; k < n_p; ++k)
          {
            const double c = particles[s * n_p + k];
            const double d = particle_update[s * n_p + k];
            if (d < -0.9 * c)
              lambda = std::min(lambda, -0.9 * c / d);
            else if (d > 0.9 * (c_max - c))
              lambda = std::min(lambda, 0.9 * (c_max - c) / d);
          }
      }
    // Potentials move by at most 8 RT/F per iteration: Butler-Volmer's
    // exponentials make a full Newton step from far away overshoot (e.g.
    // after a change of control at a nearly empty surface).
    const double f
      = constants::faraday / (constants::gas_constant * model.temperature());
    const double max_change = 8 / f;
    for (unsigned int i = 0; i < n_owned; ++i)
      if (!is_concentration[i])
        {
          const double d = std::abs(newton_update.local_element(i));
          if (d * lambda > max_change)
            lambda = max_change / d;
        }
    return lambda;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::apply_newton_update(const double lambda)
  {
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      {
        newton_update.local_element(i) *= lambda;
        solution.local_element(i) += newton_update.local_element(i);
      }
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        for (unsigned int k = 0; k < n_p; ++k)
          {
            particle_update[s * n_p + k] *= lambda;
            particles[s * n_p + k] += particle_update[s * n_p + k];
          }
        reaction[s] += lambda * (condensed_reaction[s] - reaction[s]);
      }
  }

  template <int dim>
  bool
  ElectrodeSolver<dim>::try_step(const double h)
  {
    if (capacity_pending)
      {
        capacity         = next_capacity;
        capacity_pending = false;
      }
    std::vector<double> times;
    for (const State &s : history)
      times.push_back(s.time);
    const BdfStep b = bdf_step(h, times);
    bdf_a0          = b.a[0];
    bdf_order       = b.order;

    const unsigned int n_owned = locally_owned_dofs.n_elements();
    const std::size_t  n_part  = particles.size();
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        // d(eps ce)/dt: earlier concentrations enter with the capacity
        // they were computed with, relative to the present one.
        const double m      = capacity.local_element(i);
        const auto   weight = [&](const State &state) {
          return is_concentration[i] && m > 0 ? state.capacity[i] / m : 1.;
        };
        double hist
          = b.a[1] * weight(history[0]) * history[0].macro.local_element(i);
        double pred = 0;
        if (b.order == 2)
          hist
            += b.a[2] * weight(history[1]) * history[1].macro.local_element(i);
        for (unsigned int k = 0; k < b.n_predictor; ++k)
          pred += b.p[k] * history[k].macro.local_element(i);
        macro_history.local_element(i) = hist;
        predictor.local_element(i)     = pred;
        solution.local_element(i)      = pred;
      }
    for (std::size_t m = 0; m < n_part; ++m)
      {
        double hist = b.a[1] * history[0].particles[m];
        double pred = 0;
        if (b.order == 2)
          hist += b.a[2] * history[1].particles[m];
        for (unsigned int k = 0; k < b.n_predictor; ++k)
          pred += b.p[k] * history[k].particles[m];
        particle_history[m] = hist;
        // Extrapolation may run towards or out of (0, c_max) where U has
        // its logarithmic ends: the predictor moves at most half the way
        // from the last value to a bound (the Newton damping rule).
        const double c_max = max_concentration_of_site[m / n_p];
        const double last  = history[0].particles[m];
        pred = std::clamp(pred, 0.5 * last, last + 0.5 * (c_max - last));
        particle_predictor[m] = pred;
        particles[m]          = pred;
      }
    current_time = history[0].time + h;
    // Extrapolation would amplify round-off in the values that constraints
    // fix (Newton never corrects them): impose them exactly.
    impose_constrained_values();

    if (!newton_solve(false))
      return false;

    // Local error estimate from the distance to the predictor.
    for (unsigned int i = 0; i < n_owned; ++i)
      newton_update.local_element(i)
        = solution.local_element(i) - predictor.local_element(i);
    for (std::size_t m = 0; m < n_part; ++m)
      particle_update[m] = particles[m] - particle_predictor[m];
    last_error = b.error_weight
                 * scaled_max_norm(newton_update, particle_update)
                 / model.parameters.time_stepping.tolerance;
    return true;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::restart_history()
  {
    history.clear();
    accept_step();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::accept_step()
  {
    State state;
    if (history.size() == 3)
      {
        state = std::move(history.back());
        history.pop_back();
      }
    else
      state.macro.reinit(locally_owned_dofs, mpi_communicator);
    state.time = current_time;
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      state.macro.local_element(i) = solution.local_element(i);
    state.particles = particles;
    state.capacity.resize(locally_owned_dofs.n_elements());
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      state.capacity[i] = capacity.local_element(i);
    history.push_front(std::move(state));
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::impose_constrained_values()
  {
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      if (current_constraints.is_constrained(
            locally_owned_dofs.nth_index_in_set(i)))
        solution.local_element(i) = 0;
    if (control == Control::voltage)
      for (const auto g : collector_dofs)
        solution(g) = applied_voltage;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::apply_control(const Control c, const double value)
  {
    control = c;
    if (c == Control::current)
      {
        constraints     = &current_constraints;
        applied_current = value;
      }
    else
      {
        constraints     = &voltage_constraints;
        applied_voltage = value;
      }
    impose_constrained_values();
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::scaled_max_norm(
    const LinearAlgebra::distributed::Vector<double> &macro,
    const std::vector<double>                        &p) const
  {
    return Utilities::MPI::max(local_scaled_max_norm(macro, p),
                               mpi_communicator);
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::local_scaled_max_norm(
    const LinearAlgebra::distributed::Vector<double> &macro,
    const std::vector<double>                        &p) const
  {
    double norm = 0;
    for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
      norm
        = std::max(norm, std::abs(macro.local_element(i)) * inverse_scale[i]);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const double inverse = 1
                               / particle_models[sites[s].electrode]
                                   .material()
                                   .max_concentration();
        for (unsigned int k = 0; k < n_p; ++k)
          norm = std::max(norm, std::abs(p[s * n_p + k]) * inverse);
      }
    if (!std::isfinite(norm))
      norm = std::numeric_limits<double>::infinity();
    return norm;
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                    \
  template bool   ElectrodeSolver<dim>::newton_solve(bool);             \
  template double ElectrodeSolver<dim>::local_damping() const;          \
  template void   ElectrodeSolver<dim>::apply_newton_update(double);    \
  template bool   ElectrodeSolver<dim>::try_step(double);               \
  template void   ElectrodeSolver<dim>::restart_history();              \
  template void   ElectrodeSolver<dim>::accept_step();                  \
  template void   ElectrodeSolver<dim>::impose_constrained_values();    \
  template void   ElectrodeSolver<dim>::apply_control(Control, double); \
  template double ElectrodeSolver<dim>::scaled_max_norm(                \
    const LinearAlgebra::distributed::Vector<double> &,                 \
    const std::vector<double> &) const;                                 \
  template double ElectrodeSolver<dim>::local_scaled_max_norm(          \
    const LinearAlgebra::distributed::Vector<double> &,                 \
    const std::vector<double> &) const;

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
