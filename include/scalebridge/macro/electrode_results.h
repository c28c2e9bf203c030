#ifndef scalebridge_macro_electrode_results_h
#define scalebridge_macro_electrode_results_h

#include <scalebridge/io/csv_table.h>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /// Lithium held by each part of the cell [mol per m^2 of collector].
  struct LithiumInventory
  {
    double negative_solid = 0;
    double positive_solid = 0;
    double electrolyte    = 0;

    double
    total() const
    {
      return negative_solid + positive_solid + electrolyte;
    }

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &negative_solid &positive_solid &electrolyte;
    }
  };

  /// Profiles of the macro fields versus x at one time.
  struct ProfileSnapshot
  {
    double       time = 0;
    io::CsvTable table{{"x_m",
                        "ce_mol_per_m3",
                        "phi_e_V",
                        "phi_s_V",
                        "cs_surf_mol_per_m3",
                        "x_surf",
                        "j_A_per_m2"}};

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &time &table;
    }
  };

  /// How one step of the protocol went.
  struct StepReport
  {
    std::string text;
    std::string end_reason;
    double      start_time  = 0;
    double      end_time    = 0;
    double      end_voltage = 0;
    /// Charge and energy delivered during the step (discharge positive).
    double capacity_Ah_per_m2 = 0;
    double energy_Wh_per_m2   = 0;

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &text &end_reason &start_time &end_time &end_voltage
        &capacity_Ah_per_m2 &energy_Wh_per_m2;
    }
  };

  /// Problem size and work of a run.
  struct SolverStatistics
  {
    unsigned int       dimension           = 1;
    unsigned int       n_cells             = 0;
    unsigned long long n_macro_dofs        = 0;
    unsigned long long n_particles         = 0;
    unsigned long long n_particle_unknowns = 0;
    unsigned int       n_mpi_processes     = 1;
    unsigned int       accepted_steps      = 0;
    unsigned int       rejected_steps      = 0;
    unsigned int       newton_iterations   = 0;
    unsigned int       event_iterations    = 0;
    double             wall_time           = 0;

    /// The work counters (sizes and wall time belong to each run).
    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &accepted_steps &rejected_steps &newton_iterations
        &event_iterations;
    }
  };

  /// Everything a run produced, ready to be written.
  struct ElectrodeResults
  {
    io::CsvTable voltage{{"time_s", "voltage_V", "current_A_per_m2"}};
    std::vector<ProfileSnapshot> profiles;
    std::vector<StepReport>      steps;
    SolverStatistics             statistics;
    /// Charge and energy delivered over the whole protocol.
    double capacity_Ah_per_m2 = 0;
    double energy_Wh_per_m2   = 0;
    /// Lithium inventory (mol/m^2 of collector) at the start and the end,
    /// and the charge passed through the collector over F.
    LithiumInventory lithium_start;
    LithiumInventory lithium_end;
    double           lithium_transferred = 0;

    /// What the effective-properties provider reports (FE2: queries, RVE
    /// solves, reuse); null when it has nothing to say.
    nlohmann::json effective_properties;

    /// Written VTU/PVTU records, relative to the output directory.
    std::vector<std::string> vtu_files;

    /// Mechanics after each accepted step (empty unless
    /// Mechanics/Enabled): thickness changes [m], largest von Mises stress
    /// and mean hydrostatic stress [Pa], and the mean open-circuit potential
    /// shift Omega sigma_h / F of each electrode [V] (empty without
    /// Mechanics/Stress feedback).
    io::CsvTable mechanics{{"time_s",
                            "thickness_change_negative_m",
                            "thickness_change_separator_m",
                            "thickness_change_positive_m",
                            "thickness_change_cell_m",
                            "max_von_mises_Pa",
                            "mean_hydrostatic_stress_Pa",
                            "stress_potential_shift_negative_V",
                            "stress_potential_shift_positive_V"}};
    /// Thickness of the negative electrode (0 in a half cell), separator,
    /// positive electrode [m], for relative changes.
    std::vector<double> region_thickness;

    /// What a checkpoint keeps of a run in progress (the provider's report
    /// and the statistics are made at the end).
    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &voltage &profiles &steps &capacity_Ah_per_m2 &energy_Wh_per_m2
        &lithium_start &lithium_end &lithium_transferred &vtu_files &mechanics
          &region_thickness;
    }

    /// The summary.json contents.
    nlohmann::json
    summary() const;

    /// The summary block "mechanics" (null without mechanics).
    nlohmann::json
    mechanics_summary() const;

    /// Writes voltage.csv, profiles/, summary.json, mechanics.csv (with
    /// mechanics) and (if @p plot and gnuplot is present) voltage.png and
    /// mechanics.png into @p directory, each atomically.
    void
    write(const std::filesystem::path &directory, bool plot) const;
  };
} // namespace scalebridge::macro

#endif
