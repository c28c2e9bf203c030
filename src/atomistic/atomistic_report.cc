#include <scalebridge/atomistic/arrhenius_fit.h>
#include <scalebridge/atomistic/atomistic_report.h>
#include <scalebridge/atomistic/column_table.h>
#include <scalebridge/atomistic/finite_size.h>
#include <scalebridge/atomistic/green_kubo.h>
#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/atomistic/md_units.h>
#include <scalebridge/atomistic/msd.h>
#include <scalebridge/atomistic/strain_fluctuation.h>
#include <scalebridge/atomistic/trajectory_reader.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_file.h>

#include <cmath>
#include <limits>

namespace scalebridge::atomistic
{
  namespace
  {
    using nlohmann::json;
    const double nan = std::numeric_limits<double>::quiet_NaN();

    json
    estimate(const Estimate &e, const double scale = 1.0)
    {
      return {{"value", e.value * scale},
              {"standard_error", e.standard_error * scale}};
    }

    /// New card entries with their covariance, added block by block.
    struct CardUncertainty
    {
      std::vector<std::string>         names;
      std::vector<std::vector<double>> covariance;

      void
      add(const std::vector<std::string> &new_names,
          const std::vector<double>      &cov) // row-major
      {
        const std::size_t n0 = names.size(), n = new_names.size();
        for (auto &row : covariance)
          row.resize(n0 + n, 0.0);
        for (std::size_t i = 0; i < n; ++i)
          {
            std::vector<double> row(n0 + n, 0.0);
            for (std::size_t j = 0; j < n; ++j)
              row[n0 + j] = cov[i * n + j];
            covariance.push_back(row);
            names.push_back(new_names[i]);
          }
      }
    };

    std::string
    format_time(const double t, const MdUnits &u)
    {
      const char *unit = u.name == "metal"  ? " ps"
                         : u.name == "real" ? " fs"
                                            : " s";
      return format_number(t, 4) + unit;
    }
  } // namespace

  AtomisticReport
  run_atomistic_analysis(const AtomisticParameters &p,
                         const std::string         &source,
                         std::ostream              &log)
  {
    p.check(source);
    const MdUnits   u = md_units(p.units);
    AtomisticReport report;
    json           &r = report.results;
    r["units"]        = p.units;
    json not_in_card  = json::array();

    // Blocks for the card, with the covariance of their entries.
    json            card_elastic, card_transport_conductivity, card_diffusion;
    CardUncertainty new_uncertainty;
    std::vector<std::string> replaced; // "block.key" the card gets anew
    std::vector<std::string> references;

    // ---------------------------------------------------------- diffusion
    if (!p.diffusion.trajectory.empty())
      {
        const std::string    entry = "Diffusion/Trajectory";
        const TrajectoryData traj
          = read_trajectory(p.diffusion.trajectory, entry, p.diffusion.species);
        MsdOptions o;
        o.time_per_frame = p.diffusion.time_per_frame;
        o.n_blocks       = p.diffusion.n_blocks;
        o.remove_drift   = p.diffusion.remove_drift;
        o.fit_start      = AtomisticParameters::window(p.diffusion.fit_start,
                                                  source,
                                                  "Diffusion/Fit start");
        o.fit_end        = AtomisticParameters::window(p.diffusion.fit_end,
                                                source,
                                                "Diffusion/Fit end");
        const MsdResult msd
          = analyse_msd(traj, o, p.diffusion.trajectory, entry);
        const double to_SI               = u.length_m * u.length_m / u.time_s;
        r["tracer_diffusivity_m2_per_s"] = estimate(msd.diffusivity, to_SI);
        json exponents                   = json::array();
        for (const auto &[t, e] : msd.exponents)
          exponents.push_back({t, e});
        json blocks = json::array();
        for (const double d : msd.block_diffusivities)
          blocks.push_back(d * to_SI);
        r["diffusion"]
          = {{"trajectory", p.diffusion.trajectory},
             {"format", traj.format},
             {"coordinates", traj.coordinates},
             {"triclinic", traj.triclinic},
             {"species", p.diffusion.species},
             {"atoms", traj.n_atoms},
             {"atoms_followed", traj.n_selected},
             {"frames", traj.n_frames},
             {"time_per_frame", p.diffusion.time_per_frame},
             {"drift_removed", p.diffusion.remove_drift},
             {"blocks", p.diffusion.n_blocks},
             {"frames_per_block", msd.frames_per_block},
             {"fit_window",
              {{"start", msd.fit_first_lag * o.time_per_frame},
               {"end", msd.fit_last_lag * o.time_per_frame},
               {"automatic", msd.automatic_window}}},
             {"local_exponents_lag_exponent", exponents},
             {"block_values_m2_per_s", blocks},
             {"method",
              "MSD over all time origins by FFT; D = slope / 6 of a "
              "least-squares line in the fit window; standard error from the "
              "spread of D over contiguous blocks (batch means)"}};
        if (p.diffusion.temperature > 0)
          r["diffusion"]["temperature_K"] = p.diffusion.temperature;
        not_in_card.push_back(
          "tracer_diffusivity_m2_per_s: a card holds migration barrier and "
          "attempt frequency; give D at several temperatures under "
          "Arrhenius");

        io::CsvTable table({"time", "msd", "fit"});
        for (std::size_t m = 0; m < msd.lag_time.size(); ++m)
          table.add_row({msd.lag_time[m],
                         msd.msd[m],
                         m >= msd.fit_first_lag && m <= msd.fit_last_lag
                           ? msd.intercept + msd.slope * msd.lag_time[m]
                           : nan});
        report.tables.emplace_back("msd.csv", table);
        ReportPlot plot;
        plot.png = "msd.png";
        plot.csv = "msd.csv";
        plot.spec.title
          = "MSD of species " + p.diffusion.species + ", fit window "
            + format_time(msd.fit_first_lag * o.time_per_frame, u) + " to "
            + format_time(msd.fit_last_lag * o.time_per_frame, u)
            + ": D = " + format_number(msd.diffusivity.value * to_SI, 4)
            + " +- " + format_number(msd.diffusivity.standard_error * to_SI, 2)
            + " m^2/s";
        plot.spec.x_label = "lag time [" + u.name + " time unit]";
        plot.spec.y_label = "MSD [" + u.name + " length unit^2]";
        plot.spec.curves  = {{"time", "msd", "MSD (all origins)"},
                             {"time", "fit", "least-squares fit"}};
        report.plots.push_back(plot);
        log << "diffusion: " << traj.n_frames << " frames, " << traj.n_selected
            << " atoms of species " << p.diffusion.species
            << ", D_tr = " << format_number(msd.diffusivity.value * to_SI, 5)
            << " +- "
            << format_number(msd.diffusivity.standard_error * to_SI, 3)
            << " m^2/s\n";
      }

    // --------------------------------------------------------- Green-Kubo
    if (!p.green_kubo.flux_file.empty())
      {
        const std::string entry = "Green-Kubo/Flux file";
        const auto        names
          = AtomisticParameters::split_list(p.green_kubo.columns);
        const ColumnTable table
          = read_columns(p.green_kubo.flux_file, "Green-Kubo/Columns", names);
        GreenKuboOptions o;
        o.quantity      = p.green_kubo.quantity == "thermal conductivity"
                            ? GreenKuboQuantity::thermal_conductivity
                            : GreenKuboQuantity::ionic_conductivity;
        o.units         = u;
        o.volume        = p.green_kubo.volume;
        o.temperature   = p.green_kubo.temperature;
        o.time_per_row  = p.green_kubo.time_per_row;
        o.times_volume  = p.green_kubo.normalisation == "times volume";
        o.n_blocks      = p.green_kubo.n_blocks;
        o.window_factor = p.green_kubo.window_factor;
        o.plateau_start
          = AtomisticParameters::window(p.green_kubo.plateau_start,
                                        source,
                                        "Green-Kubo/Plateau start");
        o.plateau_end = AtomisticParameters::window(p.green_kubo.plateau_end,
                                                    source,
                                                    "Green-Kubo/Plateau end");
        const GreenKuboResult gk = analyse_green_kubo(
          {{table.columns[0], table.columns[1], table.columns[2]}},
          o,
          p.green_kubo.flux_file,
          entry);
        const bool thermal
          = o.quantity == GreenKuboQuantity::thermal_conductivity;
        const std::string key = thermal ? "thermal_conductivity_W_per_mK"
                                        : "ionic_conductivity_S_per_m";
        r[key]                = estimate(gk.value);
        json mean             = json::array();
        for (const auto &m : gk.flux_mean)
          mean.push_back(estimate(m));
        r["green_kubo"]
          = {{"flux_file", p.green_kubo.flux_file},
             {"columns", names},
             {"quantity", p.green_kubo.quantity},
             {"flux_normalisation", p.green_kubo.normalisation},
             {"volume", p.green_kubo.volume},
             {"temperature_K", p.green_kubo.temperature},
             {"rows", table.n_rows()},
             {"time_per_row", p.green_kubo.time_per_row},
             {"blocks", p.green_kubo.n_blocks},
             {"rows_per_block", gk.rows_per_block},
             {"plateau",
              {{"start", gk.plateau_first * o.time_per_row},
               {"end", gk.plateau_last * o.time_per_row},
               {"automatic", gk.automatic},
               {"window_factor", o.window_factor}}},
             {"correlation_time", gk.correlation_time},
             {"flux_mean", mean},
             {"block_values", gk.block_values},
             {"method",
              "Green-Kubo (Kubo 1957): running integral of the flux "
              "autocorrelation (all origins, FFT), averaged over the plateau "
              "window; standard error from contiguous blocks (batch means)"}};

        if (thermal)
          not_in_card.push_back("thermal_conductivity_W_per_mK: material cards "
                                "have no thermal block");
        else
          {
            card_transport_conductivity = gk.value.value;
            replaced.push_back("transport.conductivity");
            references.push_back("transport/conductivity: Green-Kubo ionic "
                                 "conductivity from "
                                 + p.green_kubo.flux_file);
          }

        io::CsvTable csv({"time",
                          "running_integral",
                          "value",
                          "value_minus_2se",
                          "value_plus_2se",
                          "normalised_acf"});
        for (std::size_t k = 0; k < gk.lag_time.size(); ++k)
          csv.add_row({gk.lag_time[k],
                       gk.running_integral[k],
                       gk.value.value,
                       gk.value.value - 2 * gk.value.standard_error,
                       gk.value.value + 2 * gk.value.standard_error,
                       gk.normalised_acf[k]});
        report.tables.emplace_back("green_kubo.csv", csv);
        ReportPlot plot;
        plot.png = "green_kubo.png";
        plot.csv = "green_kubo.csv";
        plot.spec.title
          = "Green-Kubo running integral, plateau "
            + format_time(gk.plateau_first * o.time_per_row, u)
            + (gk.plateau_last != gk.plateau_first
                 ? " to " + format_time(gk.plateau_last * o.time_per_row, u)
                 : std::string())
            + (gk.automatic ? " (automatic)" : " (set)") + ": "
            + format_number(gk.value.value, 4) + " +- "
            + format_number(gk.value.standard_error, 2);
        plot.spec.x_label = "integration time [" + u.name + " time unit]";
        plot.spec.y_label = thermal ? "kappa [W/(m K)]" : "sigma [S/m]";
        plot.spec.curves  = {{"time", "running_integral", "running integral"},
                             {"time", "value", "plateau value"},
                             {"time", "value_minus_2se", "-2 SE"},
                             {"time", "value_plus_2se", "+2 SE"}};
        report.plots.push_back(plot);
        log << "green-kubo: " << table.n_rows() << " rows, " << key << " = "
            << format_number(gk.value.value, 5) << " +- "
            << format_number(gk.value.standard_error, 3) << "\n";
      }

    // -------------------------------------------------- elastic constants
    if (!p.elastic.box_file.empty())
      {
        const std::string entry = "Elastic constants/Box file";
        const auto names = AtomisticParameters::split_list(p.elastic.columns);
        const ColumnTable        table = read_columns(p.elastic.box_file,
                                               "Elastic constants/Columns",
                                               names);
        StrainFluctuationOptions o;
        o.units              = u;
        o.temperature        = p.elastic.temperature;
        o.n_blocks           = p.elastic.n_blocks;
        o.pressure           = p.elastic.pressure;
        o.symmetry_threshold = p.elastic.symmetry_threshold;
        std::array<std::vector<double>, 6> box;
        for (int i = 0; i < 6; ++i)
          box[i] = table.columns[i];
        const StrainFluctuationResult e
          = analyse_strain_fluctuations(box, o, p.elastic.box_file, entry);
        const auto C
          = [&](unsigned i, unsigned j) { return e.stiffness_GPa[i][j]; };
        const auto SE
          = [&](unsigned i, unsigned j) { return e.standard_error_GPa[i][j]; };
        r["elastic_constants_GPa"]
          = {{"value", io::matrix_to_json(6, 6, C)},
             {"standard_error", io::matrix_to_json(6, 6, SE)}};
        json scores = json::object();
        for (const auto &[name, z] : e.symmetry_scores)
          scores[name] = std::isfinite(z) ? json(z) : json(nullptr);
        std::vector<std::vector<double>> cov(21, std::vector<double>(21));
        for (unsigned a = 0; a < 21; ++a)
          for (unsigned b = 0; b < 21; ++b)
            cov[a][b] = e.covariance_GPa2[a * 21 + b];
        std::vector<std::string> order;
        for (unsigned i = 0; i < 6; ++i)
          for (unsigned j = i; j < 6; ++j)
            order.push_back("C" + std::to_string(i + 1)
                            + std::to_string(j + 1));
        const double P_GPa = p.elastic.pressure * u.pressure_Pa / 1e9;
        r["elastic"]       = {
                {"box_file", p.elastic.box_file},
                {"columns", names},
                {"rows", e.n_rows},
                {"blocks", p.elastic.n_blocks},
                {"rows_per_block", e.rows_per_block},
                {"temperature_K", p.elastic.temperature},
                {"mean_volume", e.mean_volume},
                {"voigt_order",
                 "11, 22, 33, 23, 13, 12 (engineering shear); the "
                       "tilts yz, xz, xy are Voigt 4, 5, 6"},
                {"symmetry", elasticity::to_string(e.symmetry)},
                {"symmetry_scores_max_abs_z", scores},
                {"symmetry_threshold", p.elastic.symmetry_threshold},
                {"born_stability",
                 {{"stable", e.born_stable},
                  {"pressure_GPa", P_GPa},
                  {"min_eigenvalue_GPa", e.born_min_eigenvalue_GPa}}},
                {"covariance_order", order},
                {"covariance_GPa2", cov},
                {"method",
                 "strain fluctuations (Parrinello & Rahman 1982), C = kB T / <V> "
                       "<de de^T>^-1 with Lagrangian strains about <h>; delete-one-block "
                       "jackknife covariance"}};

        if (!e.born_stable)
          not_in_card.push_back("elastic: the stiffness violates Born "
                                "stability, a card would be refused");
        else
          {
            card_elastic = {{"symmetry", elasticity::to_string(e.symmetry)},
                            {"units", "GPa"}};
            if (e.card_constants.empty())
              card_elastic["matrix"]
                = io::matrix_to_json(6, 6, [&](auto i, auto j) {
                    return 0.5 * (C(i, j) + C(j, i));
                  });
            else
              {
                std::vector<std::string> keys;
                for (std::size_t i = 0; i < e.card_constants.size(); ++i)
                  {
                    card_elastic[e.card_constants[i]] = e.card_values[i];
                    keys.push_back("elastic." + e.card_constants[i]);
                  }
                new_uncertainty.add(keys, e.card_covariance);
              }
            replaced.push_back("elastic.*");
            references.push_back(
              "elastic: strain fluctuations of " + p.elastic.box_file + " at "
              + format_number(p.elastic.temperature, 6) + " K");
          }
        log << "elastic: " << e.n_rows << " rows, symmetry "
            << elasticity::to_string(e.symmetry)
            << ", C11 = " << format_number(C(0, 0), 5) << " +- "
            << format_number(SE(0, 0), 3) << " GPa, Born "
            << (e.born_stable ? "stable" : "UNSTABLE") << "\n";
      }

    // --------------------------------------------------------- Arrhenius
    if (!p.arrhenius.temperatures.empty())
      {
        const bool      diffusivity = p.arrhenius.quantity == "diffusivity";
        ArrheniusResult a;
        try
          {
            a = fit_arrhenius_with_errors(p.arrhenius.temperatures,
                                          p.arrhenius.values,
                                          p.arrhenius.standard_errors,
                                          diffusivity
                                            ? ArrheniusQuantity::diffusivity
                                            : ArrheniusQuantity::conductivity);
          }
        catch (const std::invalid_argument &error)
          {
            throw InputError(source, "Arrhenius/Temperatures", error.what());
          }
        r["migration_barrier_eV"] = estimate(a.barrier_eV);
        r[diffusivity ? "attempt_prefactor_m2_per_s"
                      : "conductivity_prefactor_S_K_per_m"]
          = estimate(a.prefactor);
        r["arrhenius"] = {{"quantity", p.arrhenius.quantity},
                          {"model",
                           diffusivity ? "D = D0 exp(-E_m / kB T)"
                                       : "sigma T = A exp(-E_m / kB T)"},
                          {"covariance_barrier_prefactor",
                           {{a.covariance[0][0], a.covariance[0][1]},
                            {a.covariance[1][0], a.covariance[1][1]}}},
                          {"covariance_barrier_log_prefactor",
                           {{a.covariance_log[0][0], a.covariance_log[0][1]},
                            {a.covariance_log[1][0], a.covariance_log[1][1]}}},
                          {"chi_squared", a.chi_squared},
                          {"degrees_of_freedom", a.dof},
                          {"birge_ratio", a.birge_ratio},
                          {"temperatures_K", p.arrhenius.temperatures},
                          {"values", p.arrhenius.values},
                          {"standard_errors", p.arrhenius.standard_errors}};

        io::CsvTable csv({"inverse_temperature_1000_per_K",
                          "ln_value",
                          "ln_value_se",
                          "ln_fit"});
        const double lnA = std::log(a.prefactor.value);
        for (std::size_t i = 0; i < p.arrhenius.temperatures.size(); ++i)
          {
            const double T = p.arrhenius.temperatures[i];
            const double y = p.arrhenius.values[i] * (diffusivity ? 1 : T);
            csv.add_row(
              {1000 / T,
               std::log(y),
               p.arrhenius.standard_errors[i] / p.arrhenius.values[i],
               lnA - a.barrier_eV.value / (constants::boltzmann_eV * T)});
          }
        report.tables.emplace_back("arrhenius.csv", csv);
        ReportPlot plot;
        plot.png = "arrhenius.png";
        plot.csv = "arrhenius.csv";
        plot.spec.title
          = "Arrhenius: E_m = " + format_number(a.barrier_eV.value, 4) + " +- "
            + format_number(a.barrier_eV.standard_error, 2) + " eV";
        plot.spec.x_label = "1000 / T [1/K]";
        plot.spec.y_label
          = diffusivity ? "ln (D / (m^2/s))" : "ln (sigma T / (S K/m))";
        plot.spec.curves
          = {{"inverse_temperature_1000_per_K",
              "ln_value",
              "data +- SE",
              "ln_value_se"},
             {"inverse_temperature_1000_per_K", "ln_fit", "weighted fit"}};
        report.plots.push_back(plot);

        if (diffusivity)
          {
            // D0 = z f a^2 nu0 / 6: the card wants nu0.
            json base_diffusion = json::object();
            if (!p.card.base_card.empty())
              {
                const MaterialCard base = read_material_card(p.card.base_card);
                if (base.json.contains("diffusion"))
                  base_diffusion = base.json.at("diffusion");
              }
            const auto pick
              = [&](double given, const char *key, double fallback) {
                  if (given > 0)
                    return given;
                  if (base_diffusion.contains(key))
                    return base_diffusion.at(key).get<double>();
                  return fallback;
                };
            const double jump
              = pick(p.card.jump_distance, "jump_distance_m", 0);
            const double z = pick(p.card.coordination, "coordination", 1);
            const double f
              = pick(p.card.correlation_factor, "correlation_factor", 1);
            if (jump > 0)
              {
                const double k = 6 / (z * f * jump * jump);
                card_diffusion
                  = {{"migration_barrier_eV", a.barrier_eV.value},
                     {"attempt_frequency_Hz", k * a.prefactor.value},
                     {"jump_distance_m", jump},
                     {"coordination", z},
                     {"correlation_factor", f}};
                new_uncertainty.add({"diffusion.migration_barrier_eV",
                                     "diffusion.attempt_frequency_Hz"},
                                    {a.covariance[0][0],
                                     k * a.covariance[0][1],
                                     k * a.covariance[1][0],
                                     k * k * a.covariance[1][1]});
                replaced.push_back("diffusion.*");
                references.push_back(
                  "diffusion: weighted Arrhenius fit of D at "
                  + std::to_string(p.arrhenius.temperatures.size())
                  + " temperatures");
              }
            else
              not_in_card.push_back(
                "diffusion: set Card/Jump distance (or give a base card "
                "with one) to turn D0 into an attempt frequency");
          }
        else
          not_in_card.push_back("conductivity Arrhenius fit: cards have no "
                                "activated conductivity");
        log << "arrhenius: E_m = " << format_number(a.barrier_eV.value, 5)
            << " +- " << format_number(a.barrier_eV.standard_error, 3)
            << " eV\n";
      }

    // ------------------------------------------------------- finite size
    if (!p.finite_size.box_lengths.empty())
      {
        std::vector<double> L;
        for (const double l : p.finite_size.box_lengths)
          L.push_back(l * u.length_m);
        const bool       diffusivity = p.finite_size.quantity == "diffusivity";
        FiniteSizeResult f;
        try
          {
            f = extrapolate_finite_size(L,
                                        p.finite_size.values,
                                        p.finite_size.standard_errors,
                                        diffusivity,
                                        p.finite_size.temperature,
                                        p.finite_size.viscosity > 0
                                          ? std::optional<double>(
                                            p.finite_size.viscosity)
                                          : std::nullopt);
          }
        catch (const std::invalid_argument &error)
          {
            throw InputError(source, "Finite size/Box lengths", error.what());
          }
        json fs = {{"quantity", p.finite_size.quantity},
                   {"model", "y(L) = a + b / L"},
                   {"infinite_size", estimate(f.infinite_size)},
                   {"slope_b", estimate(f.slope)},
                   {"covariance_a_b", f.covariance_ab},
                   {"chi_squared", f.chi_squared},
                   {"degrees_of_freedom", f.dof},
                   {"birge_ratio", f.birge_ratio},
                   {"box_lengths_m", L},
                   {"values", p.finite_size.values},
                   {"standard_errors", p.finite_size.standard_errors}};
        if (f.yeh_hummer_mean)
          fs["yeh_hummer"] = {{"viscosity_Pa_s", p.finite_size.viscosity},
                              {"xi", yeh_hummer_xi},
                              {"corrected_values", f.yeh_hummer_corrected},
                              {"weighted_mean", estimate(*f.yeh_hummer_mean)}};
        if (f.implied_viscosity_Pa_s)
          fs["implied_viscosity_Pa_s"] = estimate(*f.implied_viscosity_Pa_s);
        r["finite_size"] = fs;
        log << "finite size: infinite-size value "
            << format_number(f.infinite_size.value, 5) << " +- "
            << format_number(f.infinite_size.standard_error, 3) << "\n";
      }

    if (r.size() == 1)
      throw InputError(source,
                       "",
                       "nothing to do: give at least one of Diffusion/"
                       "Trajectory, Green-Kubo/Flux file, Elastic constants/"
                       "Box file, Arrhenius/Temperatures, Finite size/Box "
                       "lengths");

    // --------------------------------------------------------------- card
    const bool has_card_content = !card_elastic.is_null()
                                  || !card_transport_conductivity.is_null()
                                  || !card_diffusion.is_null();
    if (has_card_content)
      {
        json card = json::object();
        if (!p.card.base_card.empty())
          card = read_material_card(p.card.base_card).json;
        if (!p.card.name.empty())
          card["name"] = p.card.name;
        else if (!card.contains("name"))
          card["name"] = "atomistic";
        const auto is_replaced = [&](const std::string &name) {
          for (const auto &r : replaced)
            if (r == name
                || (r.size() > 2 && r.substr(r.size() - 2) == ".*"
                    && name.rfind(r.substr(0, r.size() - 1), 0) == 0))
              return true;
          return false;
        };
        if (!card_elastic.is_null())
          card["elastic"] = card_elastic;
        if (!card_diffusion.is_null())
          card["diffusion"] = card_diffusion;
        if (!card_transport_conductivity.is_null())
          {
            // The value in the units the (base) block already uses.
            json         transport = card.value("transport", json::object());
            std::string  units     = transport.value("units", "S/m");
            const double scale     = units == "S/cm"    ? 0.01
                                     : units == "mS/cm" ? 10
                                                        : 1;
            transport["units"]     = units;
            transport["conductivity"]
              = scale * card_transport_conductivity.get<double>();
            card["transport"] = transport;
            const auto  &gk   = r.at("ionic_conductivity_S_per_m");
            const double se   = scale * gk.at("standard_error").get<double>();
            new_uncertainty.add({"transport.conductivity"}, {se * se});
          }
        // Base uncertainty without the entries replaced, then the new ones
        // (independent of the old: other data).
        CardUncertainty merged;
        if (card.contains("uncertainty"))
          {
            const json &old = card.at("uncertainty");
            const auto  names
              = old.at("parameters").get<std::vector<std::string>>();
            const auto cov
              = old.at("covariance").get<std::vector<std::vector<double>>>();
            std::vector<std::size_t> keep;
            for (std::size_t i = 0; i < names.size(); ++i)
              if (!is_replaced(names[i]))
                keep.push_back(i);
            std::vector<std::string> kept_names;
            std::vector<double>      kept_cov;
            for (const auto i : keep)
              {
                kept_names.push_back(names[i]);
                for (const auto j : keep)
                  kept_cov.push_back(cov[i][j]);
              }
            merged.add(kept_names, kept_cov);
          }
        {
          const std::size_t   n = new_uncertainty.names.size();
          std::vector<double> flat;
          for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
              flat.push_back(new_uncertainty.covariance[i][j]);
          merged.add(new_uncertainty.names, flat);
        }
        if (merged.names.empty())
          card.erase("uncertainty");
        else
          card["uncertainty"]
            = {{"parameters", merged.names}, {"covariance", merged.covariance}};
        json refs = card.value("references", json::array());
        for (const auto &ref : references)
          refs.push_back("scalebridge-atomistic (" + source + "): " + ref);
        card["references"] = refs;
        // The card must be one that every tool accepts.
        parse_material_card(card, "card.json written for " + source);
        report.card = card;
        r["card"]   = "card.json";
      }
    else
      r["card"] = nullptr;
    r["not_in_card"] = not_in_card;
    return report;
  }

  void
  write_atomistic_report(const AtomisticReport     &report,
                         const AtomisticParameters &parameters)
  {
    const std::filesystem::path dir = parameters.output.directory;
    for (const auto &[name, table] : report.tables)
      table.write(dir / name);
    io::write_json(dir / "atomistic.json", report.results);
    if (report.card)
      io::write_json(dir / "card.json", *report.card);
    if (parameters.output.plots)
      for (ReportPlot plot : report.plots)
        {
          plot.spec.csv = dir / plot.csv;
          io::plot_png(dir / plot.png, plot.spec);
        }
  }
} // namespace scalebridge::atomistic
