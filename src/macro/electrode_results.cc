#include <scalebridge/io/json_file.h>
#include <scalebridge/io/plot.h>
#include <scalebridge/macro/electrode_results.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scalebridge::macro
{
  namespace
  {
    /// "profile_1800s.csv" for whole seconds, "profile_1800.25s.csv" else.
    std::string
    profile_name(const double time)
    {
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "profile_%.10gs.csv", time);
      return buffer;
    }
  } // namespace

  nlohmann::json
  ElectrodeResults::summary() const
  {
    nlohmann::json s;
    s["model"]              = "Doyle-Fuller-Newman (P2D), isothermal";
    s["dimension"]          = statistics.dimension;
    s["capacity_Ah_per_m2"] = capacity_Ah_per_m2;
    s["energy_Wh_per_m2"]   = energy_Wh_per_m2;
    s["wall_time_s"]        = statistics.wall_time;
    s["steps"]              = {{"accepted", statistics.accepted_steps},
                               {"rejected", statistics.rejected_steps},
                               {"event_iterations", statistics.event_iterations}};
    s["newton_iterations"]  = statistics.newton_iterations;
    if (!effective_properties.is_null())
      s["fe2"] = effective_properties;
    s["problem_size"] = {{"cells", statistics.n_cells},
                         {"macro_dofs", statistics.n_macro_dofs},
                         {"particles", statistics.n_particles},
                         {"particle_unknowns", statistics.n_particle_unknowns},
                         {"mpi_processes", statistics.n_mpi_processes}};
    if (voltage.n_rows() > 0)
      {
        s["final_time_s"]    = voltage.column("time_s").back();
        s["final_voltage_V"] = voltage.column("voltage_V").back();
      }
    const auto inventory = [](const LithiumInventory &l) {
      return nlohmann::json{{"negative_solid", l.negative_solid},
                            {"positive_solid", l.positive_solid},
                            {"electrolyte", l.electrolyte},
                            {"total", l.total()}};
    };
    s["lithium_mol_per_m2"]   = {{"start", inventory(lithium_start)},
                                 {"end", inventory(lithium_end)},
                                 {"charge_passed_over_F", lithium_transferred}};
    nlohmann::json steps_json = nlohmann::json::array();
    for (const StepReport &r : steps)
      steps_json.push_back({{"step", r.text},
                            {"end_reason", r.end_reason},
                            {"start_time_s", r.start_time},
                            {"end_time_s", r.end_time},
                            {"end_voltage_V", r.end_voltage},
                            {"capacity_Ah_per_m2", r.capacity_Ah_per_m2},
                            {"energy_Wh_per_m2", r.energy_Wh_per_m2}});
    s["protocol"]                = steps_json;
    nlohmann::json profile_files = nlohmann::json::array();
    for (const ProfileSnapshot &p : profiles)
      profile_files.push_back(
        {{"time_s", p.time}, {"file", "profiles/" + profile_name(p.time)}});
    s["profiles"] = profile_files;
    s["vtu"]      = vtu_files;
    if (mechanics.n_rows() > 0)
      s["mechanics"] = mechanics_summary();
    return s;
  }

  nlohmann::json
  ElectrodeResults::mechanics_summary() const
  {
    if (mechanics.n_rows() == 0)
      return nullptr;
    const char *const names[]
      = {"negative electrode", "separator", "positive electrode"};
    const char *const columns[] = {"thickness_change_negative_m",
                                   "thickness_change_separator_m",
                                   "thickness_change_positive_m"};
    nlohmann::json    relative, absolute, extreme;
    double            total = 0;
    for (unsigned int r = 0; r < 3; ++r)
      if (r < region_thickness.size() && region_thickness[r] > 0)
        {
          const std::vector<double> change = mechanics.column(columns[r]);
          relative[names[r]] = change.back() / region_thickness[r];
          absolute[names[r]] = change.back();
          double largest     = 0;
          for (const double c : change)
            if (std::abs(c) > std::abs(largest))
              largest = c;
          extreme[names[r]] = largest / region_thickness[r];
          total += region_thickness[r];
        }
    const std::vector<double> cell
      = mechanics.column("thickness_change_cell_m");
    relative["cell"] = cell.back() / total;
    absolute["cell"] = cell.back();
    double largest   = 0;
    for (const double c : cell)
      if (std::abs(c) > std::abs(largest))
        largest = c;
    extreme["cell"] = largest / total;
    const auto vm   = mechanics.column("max_von_mises_Pa");
    // The potential shift of the stress feedback at the end (absent
    // without the feedback, whose columns stay empty).
    nlohmann::json shift;
    for (const unsigned int r : {0u, 2u})
      {
        const double last
          = mechanics
              .column(r == 0 ? "stress_potential_shift_negative_V"
                             : "stress_potential_shift_positive_V")
              .back();
        if (std::isfinite(last))
          shift[names[r]] = last;
      }
    nlohmann::json block
      = {{"time_s", mechanics.column("time_s").back()},
         {"thickness_change_relative", relative},
         {"thickness_change_m", absolute},
         {"largest_thickness_change_relative", extreme},
         {"max_von_mises_Pa", *std::max_element(vm.begin(), vm.end())},
         {"mean_hydrostatic_stress_Pa",
          mechanics.column("mean_hydrostatic_stress_Pa").back()}};
    block["stress_feedback"] = !shift.is_null();
    if (!shift.is_null())
      block["stress_potential_shift_V"] = shift;
    return block;
  }

  void
  ElectrodeResults::write(const std::filesystem::path &directory,
                          const bool                   plot) const
  {
    std::filesystem::create_directories(directory / "profiles");
    voltage.write(directory / "voltage.csv");
    for (const ProfileSnapshot &p : profiles)
      p.table.write(directory / "profiles" / profile_name(p.time));
    io::write_json(directory / "summary.json", summary());
    if (mechanics.n_rows() > 0)
      mechanics.write(directory / "mechanics.csv");
    if (plot && mechanics.n_rows() > 0)
      io::plot_png(directory / "mechanics.png",
                   {directory / "mechanics.csv",
                    "Thickness change",
                    "time [s]",
                    "thickness change [m]",
                    {{"time_s", "thickness_change_negative_m", "negative"},
                     {"time_s", "thickness_change_separator_m", "separator"},
                     {"time_s", "thickness_change_positive_m", "positive"},
                     {"time_s", "thickness_change_cell_m", "cell"}}});
    if (plot)
      io::plot_png(directory / "voltage.png",
                   {directory / "voltage.csv",
                    "Terminal voltage",
                    "time [s]",
                    "voltage [V]",
                    {{"time_s", "voltage_V", "voltage"}}});
  }
} // namespace scalebridge::macro
