// ElectrodeSolver::run(): the protocol loop. Each operating step starts
// with its control and consistent potentials, then takes time steps until
// its duration ends or its limit is met (located inside the step), landing
// on the profile times; results, progress lines and checkpoints are taken
// along the way.

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/petsc_options.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/macro/bdf.h>
#include <scalebridge/macro/electrode_solver.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>

namespace scalebridge::macro
{
  using namespace dealii;

  namespace
  {
    /// Largest factor by which a time step may exceed its predecessor.
    constexpr double step_growth = 3;
  } // namespace

  template <int dim>
  ElectrodeResults
  ElectrodeSolver<dim>::run(const std::string &vtu_directory)
  {
    wall_timer.restart();
    vtu_output = dim > 1 && model.parameters.output.write_vtu ? vtu_directory
                                                              : std::string();
    RunState state = begin_run();
    for (; state.step < model.protocol.size(); ++state.step)
      {
        if (!state.in_step)
          begin_protocol_step(state);
        // (A hold may have no duration: t_end = infinity.)
        const double t_end = state.t_end;
        const double t_stop
          = std::isfinite(t_end) ? t_end - 1e-12 * std::max(1.0, t_end) : t_end;
        while (state.g_now > 0 && history[0].time < t_stop)
          advance(state);
        end_protocol_step(state);
      }
    return end_run(state);
  }

  template <int dim>
  typename ElectrodeSolver<dim>::RunState
  ElectrodeSolver<dim>::begin_run()
  {
    RunState state;
    if (resumed)
      {
        state = std::move(*resumed);
        resumed.reset();
        pcout << "Restarted at t = " << format_number(current_time, 6)
              << " s (protocol step " << state.step + 1 << "/"
              << model.protocol.size() << ")" << std::endl;
        // The potential shift of the stress at the checkpointed state (the
        // mechanics rows themselves came back with the results).
        if (mechanics && model.parameters.mechanics.stress_feedback)
          {
            mechanics->solve(cell_queries(false), current_time);
            update_stress_feedback();
          }
      }
    else
      {
        state.next_progress         = model.parameters.output.progress_interval;
        state.next_checkpoint       = model.parameters.checkpoint.interval;
        state.results.lithium_start = lithium_inventory();
        state.last_t                = current_time;
        if (mechanics)
          solve_mechanics(state.results);
      }
    return state;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::begin_protocol_step(RunState &state)
  {
    const OperatingStep &step   = model.protocol[state.step];
    StepReport          &report = state.report;
    report                      = StepReport();
    report.text                 = step.text;
    report.start_time           = current_time;
    pcout << "Step " << state.step + 1 << "/" << model.protocol.size() << ": "
          << step.text << std::endl;

    // New control: potentials jump, concentrations do not. Find the
    // potentials consistent with the frozen concentrations, and start the
    // BDF history afresh (the solution's derivative jumps here).
    if (step.control == OperatingStep::Control::voltage)
      apply_control(Control::voltage, step.voltage);
    else
      apply_control(Control::current,
                    step.control == OperatingStep::Control::rest
                      ? 0
                      : step.current_density);
    restart_history();
    const bool consistent = newton_solve(true);
    // The solver has been set up and has solved: PETSc knows now which
    // options it looked up.
    if (!petsc_options_checked)
      {
        petsc_options_checked = true;
        io::check_petsc_options_used(
          model.parameters.time_stepping.petsc_options,
          "macro_",
          model.parameters.source,
          "Time stepping/PETSc options");
      }
    if (!consistent)
      fail_at_step_start(step);
    restart_history();
    if (model.effective_properties->depends_on_state())
      update_effective_properties();
    state.last_t = current_time;
    state.last_V = terminal_voltage();
    state.last_I = current_density();
    state.results.voltage.add_row({state.last_t, state.last_V, state.last_I});
    take_due_snapshots(state);

    state.t_end       = current_time + step.duration;
    state.h           = model.parameters.time_stepping.initial_step;
    report.end_reason = "duration";
    state.g_now       = limit_distance(step);
    if (state.g_now <= 0)
      report.end_reason = "limit reached at the start";
    state.in_step = true;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::advance(RunState &state)
  {
    const OperatingStep &step = model.protocol[state.step];
    const double         t_n  = history[0].time;
    // A safe point: nothing is half done, every process is here.
    io::stop_if_terminated(mpi_communicator,
                           "at t = " + format_number(t_n, 6)
                             + " s; nothing was written into "
                               "Output/Directory");
    if (statistics.accepted_steps + statistics.rejected_steps >= max_time_steps)
      throw InputError(model.parameters.source,
                       "Time stepping/Tolerance",
                       "the run needs more than "
                         + std::to_string(max_time_steps)
                         + " time steps (at t = " + format_number(t_n, 6)
                         + " s); raise Time stepping/Tolerance or Minimum "
                           "time step, or shorten Operating "
                           "conditions/Protocol");

    const double h_try = step_length(state);
    if (!attempt_step(state, h_try))
      return;
    const double       error_accepted = last_error;
    const unsigned int order_accepted = bdf_order;
    double             g_new          = limit_distance(step);
    if (g_new <= 0)
      {
        land_on_limit(step, state.g_now, g_new, h_try);
        state.report.end_reason
          = step.control == OperatingStep::Control::voltage ? "current limit"
                                                            : "voltage limit";
        g_new = 0;
      }

    ++statistics.accepted_steps;
    accept_step();
    if (model.effective_properties->depends_on_state())
      update_effective_properties();
    record_accepted_step(state);

    const double max_step = model.parameters.time_stepping.maximum_step;
    const bool   clipped  = h_try < std::min(state.h, max_step);
    const double h_next
      = order_accepted == 2
          ? next_step_size(h_try, error_accepted, 2, step_growth)
          : step_growth * h_try;
    state.h     = clipped ? std::max(state.h, h_next) : h_next;
    state.g_now = g_new;
    write_checkpoint_if_due(state);
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::step_length(const RunState &state) const
  {
    const std::vector<double> &profile_times = model.profile_times;
    const double               t_n           = history[0].time;
    double                     stop          = state.t_end;
    if (state.next_profile < profile_times.size()
        && profile_times[state.next_profile] < stop)
      stop = profile_times[state.next_profile];
    // Land on the stop; split the last stretch evenly rather than leave a
    // sliver.
    double h = std::min(state.h, model.parameters.time_stepping.maximum_step);
    if (stop - t_n <= h)
      h = stop - t_n;
    else if (stop - t_n < 2 * h)
      h = 0.5 * (stop - t_n);
    return h;
  }

  template <int dim>
  bool
  ElectrodeSolver<dim>::attempt_step(RunState &state, const double h)
  {
    const double minimum_step = model.parameters.time_stepping.minimum_step;
    const double t_n          = history[0].time;
    if (!try_step(h))
      {
        ++statistics.rejected_steps;
        state.h = 0.25 * h;
        if (state.h < minimum_step)
          throw std::runtime_error("Newton's method does not converge at t = "
                                   + format_number(t_n, 6)
                                   + " s even with the minimum time step");
        return false;
      }
    if (bdf_order == 2 && last_error > 1)
      {
        ++statistics.rejected_steps;
        state.h = next_step_size(h, last_error, 2, step_growth);
        if (state.h < minimum_step)
          throw std::runtime_error("time step below the minimum at t = "
                                   + format_number(t_n, 6) + " s");
        return false;
      }
    return true;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::land_on_limit(const OperatingStep &step,
                                      const double         g_before,
                                      const double         g_after,
                                      const double         h)
  {
    const double tolerance = limit_tolerance(step);
    double       h_lo = 0, g_lo = g_before, h_hi = h, g_hi = g_after;
    int          side  = 0;
    bool         on_hi = true;
    for (unsigned int it = 0;
         it < 40 && std::abs(on_hi ? g_hi : g_lo) > tolerance;
         ++it)
      {
        double h_new = h_lo + (h_hi - h_lo) * g_lo / (g_lo - g_hi);
        h_new        = std::clamp(h_new,
                           h_lo + 1e-6 * (h_hi - h_lo),
                           h_hi - 1e-6 * (h_hi - h_lo));
        ++statistics.event_iterations;
        if (!try_step(h_new))
          {
            h_hi = h_new; // treat as crossed: shrink the bracket
            continue;
          }
        const double g = limit_distance(step);
        if (g > 0)
          {
            h_lo = h_new;
            g_lo = g;
            if (side == 1)
              g_hi *= 0.5;
            side  = 1;
            on_hi = false;
          }
        else
          {
            h_hi = h_new;
            g_hi = g;
            if (side == -1)
              g_lo *= 0.5;
            side  = -1;
            on_hi = true;
          }
        if (std::abs(g) <= tolerance)
          break;
      }
    if (!(std::abs(on_hi ? g_hi : g_lo) <= tolerance))
      {
        // Not met to tolerance: end on the crossed side.
        if (!try_step(h_hi))
          throw std::runtime_error("cannot locate the limit");
      }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::record_accepted_step(RunState &state)
  {
    const double V = terminal_voltage(), I = current_density();
    const double dt     = current_time - state.last_t;
    StepReport  &report = state.report;
    report.capacity_Ah_per_m2 += 0.5 * (I + state.last_I) * dt / 3600;
    report.energy_Wh_per_m2
      += 0.5 * (I * V + state.last_I * state.last_V) * dt / 3600;
    state.results.lithium_transferred
      += 0.5 * (I + state.last_I) * dt / constants::faraday;
    state.last_t = current_time;
    state.last_V = V;
    state.last_I = I;
    state.results.voltage.add_row({current_time, V, I});
    if (mechanics)
      solve_mechanics(state.results);
    take_due_snapshots(state);
    if (current_time >= state.next_progress)
      {
        print_progress(state, "  ");
        while (state.next_progress <= current_time)
          state.next_progress += model.parameters.output.progress_interval;
      }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::write_checkpoint_if_due(RunState &state)
  {
    const double interval = model.parameters.checkpoint.interval;
    if (interval > 0 && current_time >= state.next_checkpoint * (1 - 1e-12))
      {
        while (state.next_checkpoint <= current_time * (1 + 1e-12))
          state.next_checkpoint += interval;
        write_checkpoint(state);
      }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::end_protocol_step(RunState &state)
  {
    StepReport &report = state.report;
    state.in_step      = false;
    report.end_time    = current_time;
    report.end_voltage = state.last_V;
    state.results.capacity_Ah_per_m2 += report.capacity_Ah_per_m2;
    state.results.energy_Wh_per_m2 += report.energy_Wh_per_m2;
    print_progress(state, "  end of step (" + report.end_reason + "): ");
    state.results.steps.push_back(report);
  }

  template <int dim>
  ElectrodeResults
  ElectrodeSolver<dim>::end_run(RunState &state)
  {
    const bool        deterministic = model.parameters.output.deterministic;
    ElectrodeResults &results       = state.results;
    if (results.profiles.empty()
        || results.profiles.back().time != current_time)
      take_snapshot(results);

    results.lithium_end = lithium_inventory();
    // Deterministic output: no timings, so that runs compare byte for byte.
    statistics.wall_time = deterministic ? 0. : wall_timer.wall_time();
    results.statistics   = statistics;
    if (!deterministic)
      computing_timer.print_summary();
    return results;
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::limit_distance(const OperatingStep &step) const
  {
    if (step.control == OperatingStep::Control::current && step.voltage_limit)
      return step.current_density > 0
               ? terminal_voltage() - *step.voltage_limit
               : *step.voltage_limit - terminal_voltage();
    if (step.control == OperatingStep::Control::voltage && step.current_limit)
      return std::abs(current_density()) - *step.current_limit;
    return std::numeric_limits<double>::infinity();
  }

  template <int dim>
  double
  ElectrodeSolver<dim>::limit_tolerance(const OperatingStep &step)
  {
    return step.control == OperatingStep::Control::voltage && step.current_limit
             ? 1e-6 * *step.current_limit
             : 1e-6;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::print_progress(const RunState    &state,
                                       const std::string &prefix)
  {
    pcout << prefix << "t = " << std::setw(9) << format_number(current_time, 6)
          << " s   V = " << std::fixed << std::setprecision(5) << state.last_V
          << " V   I = " << std::setprecision(3) << state.last_I << " A/m^2"
          << std::defaultfloat << "   steps " << statistics.accepted_steps
          << " (+" << statistics.rejected_steps << " rejected), Newton "
          << statistics.newton_iterations;
    const std::string provider = model.effective_properties->progress();
    if (!provider.empty())
      pcout << ", " << provider;
    if (!model.parameters.output.deterministic)
      pcout << ", " << format_number(wall_timer.wall_time(), 3) << " s wall";
    pcout << std::endl;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::fail_at_step_start(const OperatingStep &step) const
  {
    const std::string &source = model.parameters.source;
    const std::string  entry
      = model.parameters.operating.protocol.find_first_not_of(" \t\n")
            == std::string::npos
          ? "Operating conditions/C-rate"
          : "Operating conditions/Protocol";
    const std::string where = "step '" + step.text + "' at t = "
                              + format_number(current_time, 6) + " s";
    if (step.control == OperatingStep::Control::voltage)
      throw InputError(source,
                       entry,
                       "the cell cannot be held at "
                         + format_number(step.voltage, 6) + " V (" + where
                         + "): no potentials satisfy the kinetics; hold "
                           "closer to the open-circuit voltage");
    if (step.control == OperatingStep::Control::current)
      {
        const double one_c = model.parameters.operating.one_c_current_density;
        throw InputError(
          source,
          entry,
          "the electrode cannot deliver "
            + format_number(std::abs(step.current_density), 6) + " A/m^2 ("
            + format_number(std::abs(step.current_density) / one_c, 6)
            + "C with Operating conditions/1C current density = "
            + format_number(one_c, 6) + " A/m^2) in " + where
            + ": no potentials satisfy the kinetics and transport at this "
              "current; use a lower rate");
      }
    throw std::runtime_error("no consistent potentials at the start of "
                             + where);
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                          \
  template ElectrodeResults ElectrodeSolver<dim>::run(const std::string &);   \
  template ElectrodeSolver<dim>::RunState ElectrodeSolver<dim>::begin_run();  \
  template void   ElectrodeSolver<dim>::begin_protocol_step(RunState &);      \
  template void   ElectrodeSolver<dim>::advance(RunState &);                  \
  template double ElectrodeSolver<dim>::step_length(const RunState &) const;  \
  template bool   ElectrodeSolver<dim>::attempt_step(RunState &, double);     \
  template void   ElectrodeSolver<dim>::land_on_limit(const OperatingStep &,  \
                                                    double,                 \
                                                    double,                 \
                                                    double);                \
  template void   ElectrodeSolver<dim>::record_accepted_step(RunState &);     \
  template void   ElectrodeSolver<dim>::write_checkpoint_if_due(RunState &);  \
  template void   ElectrodeSolver<dim>::end_protocol_step(RunState &);        \
  template ElectrodeResults ElectrodeSolver<dim>::end_run(RunState &);        \
  template double ElectrodeSolver<dim>::limit_distance(const OperatingStep &) \
    const;                                                                    \
  template double ElectrodeSolver<dim>::limit_tolerance(                      \
    const OperatingStep &);                                                   \
  template void ElectrodeSolver<dim>::print_progress(const RunState &,        \
                                                     const std::string &);    \
  template void ElectrodeSolver<dim>::fail_at_step_start(                     \
    const OperatingStep &) const;

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
