#include <deal.II/base/utilities.h>
#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/io/csv_table.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/plot.h>
#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/electrode_job.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/study/delta_method.h>
#include <scalebridge/study/distribution.h>
#include <scalebridge/study/identifiability.h>
#include <scalebridge/study/item_files.h>
#include <scalebridge/study/sampling.h>
#include <scalebridge/study/sobol.h>
#include <scalebridge/study/uncertainty_study.h>
#include <scalebridge/uq/propagation.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace scalebridge::study
{
  namespace
  {
    std::vector<std::string>
    split(const std::string &text, const char separator)
    {
      std::vector<std::string> parts;
      std::istringstream       in(text);
      std::string              part;
      while (std::getline(in, part, separator))
        if (!dealii::Utilities::trim(part).empty())
          parts.push_back(dealii::Utilities::trim(part));
      return parts;
    }

    /// Value of "Sub/Sub/Entry" in @p prm, or throws InputError. Checked
    /// without changing @p prm: in a release build deal.II returns "" for an
    /// undeclared entry and enter_subsection() creates missing subsections,
    /// so a misspelt entry would only fail after the first items ran.
    std::string
    get_entry(dealii::ParameterHandler &prm,
              const std::string        &path,
              const std::string        &source,
              const std::string        &study_entry)
    {
      const auto missing = [&] {
        return InputError(source,
                          study_entry,
                          "the cell file has no entry '" + path
                            + "' (write 'Subsection/Entry' as in the cell "
                              "file)");
      };
      auto parts = split(path, '/');
      if (parts.empty())
        throw missing();
      const std::string entry = parts.back();
      parts.pop_back();
      if (!parts.empty() && !prm.subsection_path_exists(parts))
        throw missing();
      unsigned int depth = 0;
      try
        {
          for (; depth < parts.size(); ++depth)
            prm.enter_subsection(parts[depth]);
          const std::string value = prm.get(entry);
          // set() is the only call that refuses an undeclared entry in every
          // build; the value it sets back is the one already there.
          prm.set(entry, value);
          for (; depth > 0; --depth)
            prm.leave_subsection();
          return value;
        }
      catch (...)
        {
          for (; depth > 0; --depth)
            prm.leave_subsection();
          throw missing();
        }
    }

    std::string
    number(const double v)
    {
      std::ostringstream out;
      out.imbue(std::locale::classic());
      out.precision(17);
      out << v;
      return out.str();
    }

    /// One uncertain input column of the parameter vector theta.
    struct Input
    {
      std::string name;
      /// Card input: index of the card; else -1.
      int card = -1;
      /// Further entry: the cell entry, whether it multiplies the
      /// expression, and its distribution.
      std::string  entry;
      bool         multiply = false;
      Distribution distribution;
    };

    struct CardInput
    {
      std::string                cell_entry;
      atomistic::MaterialCard    card;
      std::vector<double>        mean;
      dealii::FullMatrix<double> covariance;
      dealii::FullMatrix<double> cholesky;
      /// Column of the first of its parameters in theta.
      std::size_t first = 0;
    };

    /// V(t) on the grid (held at its last value after the run ended),
    /// capacity, energy.
    std::vector<double>
    outputs(const nlohmann::json &run, const std::vector<double> &grid)
    {
      const auto          t = run.at("time").get<std::vector<double>>();
      const auto          v = run.at("voltage").get<std::vector<double>>();
      std::vector<double> y;
      std::size_t         k = 0;
      for (const double s : grid)
        {
          while (k + 1 < t.size() && t[k + 1] < s)
            ++k;
          if (s >= t.back())
            y.push_back(v.back());
          else if (s <= t.front())
            y.push_back(v.front());
          else
            {
              const double w = (s - t[k]) / (t[k + 1] - t[k]);
              y.push_back((1 - w) * v[k] + w * v[k + 1]);
            }
        }
      y.push_back(run.at("capacity_Ah_per_m2").get<double>());
      y.push_back(run.at("energy_Wh_per_m2").get<double>());
      return y;
    }
  } // namespace

  nlohmann::json
  run_uncertainty_study(const StudyParameters &par,
                        fe2::RveScheduler     &scheduler,
                        ItemAccounting        &accounting,
                        std::ostream          &log)
  {
    MPI_Comm   world = MPI_COMM_WORLD;
    const bool root  = dealii::Utilities::MPI::this_mpi_process(world) == 0;
    const std::filesystem::path dir(par.directory);
    const auto base_overrides = parse_overrides(par.cell_overrides,
                                                par.source,
                                                "Uncertainty/Overrides");
    dealii::ParameterHandler base_prm;
    macro::CellParameters    base_cell;
    base_cell.add_parameters(base_prm);
    read_study_input(base_prm,
                     par.cell_file,
                     base_overrides,
                     par.source,
                     "Uncertainty/Overrides");

    // Inputs: card covariances, further entries, the microstructure.
    std::vector<Input>                    inputs;
    std::vector<CardInput>                cards;
    std::vector<std::vector<std::size_t>> factors;
    std::vector<std::string>              factor_names;
    for (const auto &entry : split(par.cards, ';'))
      {
        CardInput c;
        c.cell_entry = entry;
        const std::string file
          = get_entry(base_prm, entry, par.source, "Uncertainty/Cards");
        c.card = atomistic::read_material_card(file);
        if (!c.card.uncertainty || c.card.uncertainty->names.empty())
          throw InputError(par.source,
                           "Uncertainty/Cards",
                           "the card " + file + " named by '" + entry
                             + "' has no uncertainty block");
        const auto &u = *c.card.uncertainty;
        c.mean        = u.mean;
        c.covariance  = u.covariance;
        c.cholesky    = uq::cholesky_semidefinite(u.covariance);
        c.first       = inputs.size();
        for (std::size_t i = 0; i < u.names.size(); ++i)
          {
            Input in;
            in.name = entry + ":" + u.names[i];
            in.card = static_cast<int>(cards.size());
            inputs.push_back(in);
          }
        // Correlated parameters form one factor (connected components of
        // the covariance): Sobol indices need independent factors.
        const std::size_t n = u.names.size();
        std::vector<int>  component(n, -1);
        int               count = 0;
        for (std::size_t i = 0; i < n; ++i)
          if (component[i] < 0)
            {
              std::vector<std::size_t> stack{i};
              component[i] = count;
              while (!stack.empty())
                {
                  const auto a = stack.back();
                  stack.pop_back();
                  for (std::size_t b = 0; b < n; ++b)
                    if (component[b] < 0 && u.covariance(a, b) != 0)
                      {
                        component[b] = count;
                        stack.push_back(b);
                      }
                }
              ++count;
            }
        for (int g = 0; g < count; ++g)
          {
            std::vector<std::size_t> columns;
            std::string              name;
            for (std::size_t i = 0; i < n; ++i)
              if (component[i] == g)
                {
                  columns.push_back(c.first + i);
                  name += (name.empty() ? "" : " + ") + u.names[i];
                }
            factors.push_back(columns);
            factor_names.push_back(name);
          }
        cards.push_back(std::move(c));
      }
    for (const auto &spec : split(par.parameters, ';'))
      {
        const auto colon = spec.rfind(':');
        if (colon == std::string::npos)
          throw InputError(par.source,
                           "Uncertainty/Parameters",
                           "expected 'Subsection/Entry: distribution', got '"
                             + spec + "'");
        Input in;
        in.entry    = dealii::Utilities::trim(spec.substr(0, colon));
        in.multiply = !in.entry.empty() && in.entry[0] == '*';
        if (in.multiply)
          in.entry = dealii::Utilities::trim(in.entry.substr(1));
        in.name = (in.multiply ? "*" : "") + in.entry;
        get_entry(base_prm, in.entry, par.source, "Uncertainty/Parameters");
        in.distribution
          = parse_distribution(dealii::Utilities::trim(spec.substr(colon + 1)),
                               par.source,
                               "Uncertainty/Parameters");
        factors.push_back({inputs.size()});
        factor_names.push_back(in.name);
        inputs.push_back(in);
      }
    const std::size_t d     = inputs.size();
    const bool        micro = !par.micro_region.empty();
    if (micro)
      {
        factors.push_back({d});
        factor_names.push_back("microstructure (aleatoric)");
      }
    if (factors.empty())
      throw InputError(par.source,
                       "Uncertainty/Parameters",
                       "no uncertain input: name cards, parameters or a "
                       "microstructure region");

    // Mean and covariance of theta.
    std::vector<double> mean(d, 0), sd(d, 0), covariance(d * d, 0);
    for (std::size_t i = 0; i < d; ++i)
      if (inputs[i].card >= 0)
        {
          const auto &c = cards[inputs[i].card];
          mean[i]       = c.mean[i - c.first];
          for (std::size_t j = 0; j < d; ++j)
            if (inputs[j].card == inputs[i].card)
              covariance[i * d + j] = c.covariance(i - c.first, j - c.first);
        }
      else
        {
          mean[i]               = inputs[i].distribution.mean();
          covariance[i * d + i] = inputs[i].distribution.variance();
        }
    for (std::size_t i = 0; i < d; ++i)
      sd[i] = std::sqrt(covariance[i * d + i]);

    // Stage 1: the microstructure realizations, as RVE items.
    std::vector<std::string> realization_files;
    // The rve strategy asks the region's porosity to be the electrolyte
    // group's fraction in the RVE: each realization brings its own.
    std::vector<double> realization_porosity;
    if (micro)
      {
        const auto micro_overrides
          = parse_overrides(par.micro_overrides,
                            par.source,
                            "Uncertainty/Microstructure/Overrides");
        std::vector<std::vector<std::pair<std::string, std::string>>> jobs;
        std::vector<WorkItem>                                         items;
        for (unsigned r = 0; r < par.micro_realizations; ++r)
          {
            auto o = micro_overrides;
            o.emplace_back("Microstructure/Seed", std::to_string(par.seed + r));
            o.emplace_back("Boundary conditions/Type", par.micro_condition);
            o.emplace_back("Output/Write fields", "false");
            dealii::ParameterHandler prm;
            rve::RveParameters       p;
            p.add_parameters(prm);
            read_study_input(prm,
                             par.micro_rve_file,
                             o,
                             par.source,
                             "Uncertainty/Microstructure/Overrides");
            items.push_back({"realization\n" + describe_parameters(prm),
                             "realization " + std::to_string(r)});
            jobs.push_back(o);
          }
        log << "microstructure: " << items.size() << " RVE realizations"
            << std::endl;
        const auto results = run_items(
          scheduler,
          dir / "items",
          items,
          [&](const std::size_t i, MPI_Comm group) {
            dealii::ParameterHandler prm;
            rve::RveParameters       p;
            p.add_parameters(prm);
            read_with_overrides(prm, par.micro_rve_file, jobs[i]);
            const auto   input = rve::prepare_input(p, par.micro_rve_file);
            std::ostream null_stream(nullptr);
            return rve::run_homogenization(input, group, null_stream);
          },
          par.batch_size > 0 ? par.batch_size : 4 * scheduler.n_groups(),
          accounting,
          log);
        for (std::size_t r = 0; r < results.size(); ++r)
          {
            const auto file = dir / "realizations" / (items[r].key() + ".json");
            realization_files.push_back(file.string());
            const std::string group
              = get_entry(base_prm,
                          par.micro_region
                            + "/Effective transport/Electrolyte group",
                          par.source,
                          "Uncertainty/Microstructure/Region");
            const auto &efficiency = results[r].at("transport_efficiency");
            if (!efficiency.contains(group))
              throw InputError(par.source,
                               "Uncertainty/Microstructure/RVE file",
                               "the RVE has no transport-efficiency group '"
                                 + group
                                 + "' (the region's electrolyte group)");
            realization_porosity.push_back(
              efficiency.at(group).at("volume_fraction").get<double>());
            if (root)
              {
                std::filesystem::create_directories(file.parent_path());
                io::write_json(file, results[r]);
              }
          }
      }

    // The cell runs: the delta method's points (realization 0), then the
    // Saltelli design.
    struct CellRun
    {
      std::vector<double> theta;
      unsigned int        realization = 0;
    };
    std::vector<CellRun>      runs;
    const std::vector<double> steps = [&] {
      std::vector<double> s;
      for (std::size_t i = 0; i < d; ++i)
        s.push_back(par.step * sd[i]);
      return s;
    }();
    for (const auto &theta : delta_design(mean, steps))
      runs.push_back({theta, 0});
    const std::size_t n_delta = runs.size();
    const std::size_t columns = d + (micro ? 1 : 0);
    const bool        lhs     = par.sampling == "latin hypercube";
    const auto A = unit_samples(par.samples, columns, lhs, par.seed * 2 + 1);
    const auto B = unit_samples(par.samples, columns, lhs, par.seed * 2 + 2);
    const auto design = saltelli_design(A, B, factors);
    for (const auto &u : design.rows)
      {
        CellRun run;
        run.theta.assign(d, 0);
        for (const auto &c : cards)
          {
            const std::size_t   n = c.mean.size();
            std::vector<double> z(n);
            for (std::size_t i = 0; i < n; ++i)
              z[i] = normal_quantile(u[c.first + i]);
            for (std::size_t i = 0; i < n; ++i)
              {
                run.theta[c.first + i] = c.mean[i];
                for (std::size_t j = 0; j <= i; ++j)
                  run.theta[c.first + i] += c.cholesky(i, j) * z[j];
              }
          }
        for (std::size_t i = 0; i < d; ++i)
          if (inputs[i].card < 0)
            run.theta[i] = inputs[i].distribution.quantile(u[i]);
        if (micro)
          run.realization = std::min<unsigned>(static_cast<unsigned>(
                                                 u[d] * par.micro_realizations),
                                               par.micro_realizations - 1);
        runs.push_back(run);
      }

    // Overrides of every run; perturbed cards are written (named by their
    // content) before the runs are described, so their hashes count.
    std::vector<std::vector<std::pair<std::string, std::string>>> overrides;
    std::vector<std::pair<std::filesystem::path, nlohmann::json>> card_files;
    for (const auto &run : runs)
      {
        auto o = base_overrides;
        for (const auto &c : cards)
          {
            const auto               &u = *c.card.uncertainty;
            const std::vector<double> values(run.theta.begin() + c.first,
                                             run.theta.begin() + c.first
                                               + u.names.size());
            const auto        card = c.card.with_parameters(u.names, values);
            const std::string text = card.json.dump();
            const auto file = dir / "cards" / (text_hash(text) + ".json");
            card_files.emplace_back(file, card.json);
            o.emplace_back(c.cell_entry, file.string());
          }
        for (std::size_t i = 0; i < d; ++i)
          if (inputs[i].card < 0)
            o.emplace_back(inputs[i].entry,
                           inputs[i].multiply
                             ? "("
                                 + get_entry(base_prm,
                                             inputs[i].entry,
                                             par.source,
                                             "Uncertainty/Parameters")
                                 + ")*(" + number(run.theta[i]) + ")"
                             : number(run.theta[i]));
        if (micro)
          {
            const std::string s = par.micro_region + "/Effective transport/";
            o.emplace_back(s + "Strategy", "rve");
            o.emplace_back(s + "RVE file", realization_files[run.realization]);
            o.emplace_back(s + "RVE boundary condition", par.micro_condition);
            o.emplace_back(par.micro_region + "/Porosity",
                           number(realization_porosity[run.realization]));
          }
        o.emplace_back("Output/Plot", "false");
        overrides.push_back(o);
      }
    if (root)
      for (const auto &[file, json] : card_files)
        if (!std::filesystem::exists(file))
          {
            std::filesystem::create_directories(file.parent_path());
            io::write_json(file, json);
          }
    MPI_Barrier(world);
    std::vector<WorkItem> items;
    for (std::size_t i = 0; i < runs.size(); ++i)
      {
        dealii::ParameterHandler prm;
        macro::CellParameters    cell;
        cell.add_parameters(prm);
        read_with_overrides(prm, par.cell_file, overrides[i]);
        // The perturbed cards live in the study's folder: their folder is
        // left out of the item's identity (their content hash stays in), so
        // a study named by another path to the same folder keeps its items.
        std::string       text         = describe_parameters(prm);
        const std::string cards_folder = (dir / "cards").string() + "/";
        for (auto at = text.find(cards_folder); at != std::string::npos;
             at      = text.find(cards_folder, at))
          text.replace(at, cards_folder.size(), "<study>/cards/");
        items.push_back({"cell run\n" + text, "cell run " + std::to_string(i)});
      }
    log << "uncertainty study: " << d << " parameters, " << factors.size()
        << " factors, " << n_delta << " delta-method runs + "
        << design.rows.size() << " Saltelli runs (N = " << par.samples
        << ") on " << scheduler.n_groups() << " groups" << std::endl;
    const auto results = run_items(
      scheduler,
      dir / "items",
      items,
      [&](const std::size_t i, MPI_Comm group) {
        dealii::ParameterHandler prm;
        macro::CellParameters    cell;
        cell.add_parameters(prm);
        read_with_overrides(prm, par.cell_file, overrides[i]);
        cell.source = par.cell_file;
        const auto r
          = macro::run_electrode_simulation(cell, group, false, false);
        const auto t = r.voltage.column("time_s");
        return nlohmann::json{{"time", t},
                              {"voltage", r.voltage.column("voltage_V")},
                              {"capacity_Ah_per_m2", r.capacity_Ah_per_m2},
                              {"energy_Wh_per_m2", r.energy_Wh_per_m2}};
      },
      par.batch_size > 0 ? par.batch_size : 4 * scheduler.n_groups(),
      accounting,
      log);

    // The common time grid: up to the longest run.
    double t_end = 0;
    for (const auto &r : results)
      t_end = std::max(t_end, r.at("time").back().get<double>());
    std::vector<double> grid;
    for (unsigned j = 0; j < par.time_points; ++j)
      grid.push_back(t_end * j / (par.time_points - 1));
    std::vector<std::vector<double>> y;
    for (const auto &r : results)
      y.push_back(outputs(r, grid));
    const std::size_t              m = grid.size();
    const std::vector<std::string> scalar_names{"capacity_Ah_per_m2",
                                                "energy_Wh_per_m2"};

    nlohmann::json study;
    study["type"]       = "uncertainty";
    study["cell_file"]  = par.cell_file;
    study["time_s"]     = grid;
    study["parameters"] = nlohmann::json::array();
    for (std::size_t i = 0; i < d; ++i)
      study["parameters"].push_back(
        {{"name", inputs[i].name},
         {"mean", mean[i]},
         {"sd", sd[i]},
         {"kind", inputs[i].card >= 0 ? "card covariance" : "distribution"}});
    study["factors"] = factor_names;
    study["runs"]    = {{"delta_method", n_delta},
                        {"saltelli", design.rows.size()},
                        {"samples", par.samples},
                        {"sampling", par.sampling}};
    if (micro)
      study["microstructure"] = {{"region", par.micro_region},
                                 {"realizations", par.micro_realizations},
                                 {"rve_file", par.micro_rve_file}};

    // First order.
    const std::vector<std::vector<double>> delta_y(y.begin(),
                                                   y.begin() + n_delta);
    DeltaResult                            delta;
    if (d > 0)
      {
        delta = delta_method(delta_y, steps, covariance);
        nlohmann::json fo;
        fo["note"] = "at realization 0; derivatives by central differences "
                     "with steps h and h/2";
        fo["voltage_V"]
          = std::vector<double>(delta.value.begin(), delta.value.begin() + m);
        fo["voltage_sd_V"]
          = std::vector<double>(delta.sd.begin(), delta.sd.begin() + m);
        for (std::size_t k = 0; k < 2; ++k)
          fo[scalar_names[k]]
            = {{"value", delta.value[m + k]},
               {"sd", delta.sd[m + k]},
               {"gradient", delta.gradient[m + k]},
               {"gradient_error", delta.gradient_error[m + k]}};
        fo["steps"] = steps;
        // The error check: the sd's error from the derivatives' error
        // (Richardson, steps h and h/2) below 10 % of the sd. V(t) is judged
        // against the band's widest point, not point by point, where the sd
        // may pass through zero; an sd at round-off (below 1e-9 of the value:
        // a quantity the parameters do not move) passes.
        const auto  &e = delta.sd_error;
        const double band
          = *std::max_element(delta.sd.begin(), delta.sd.begin() + m);
        nlohmann::json check;
        check["voltage_V"]
          = band > 0 ? *std::max_element(e.begin(), e.begin() + m) / band : 0.;
        for (std::size_t k = 0; k < 2; ++k)
          {
            const double sd = delta.sd[m + k];
            check[scalar_names[k]]
              = sd > 1e-9 * std::abs(delta.value[m + k]) ? e[m + k] / sd : 0.;
          }
        double worst = 0;
        for (const auto &[name, value] : check.items())
          worst = std::max(worst, value.get<double>());
        fo["sd_relative_error_by_output"] = check;
        fo["sd_relative_error"]           = worst;
        fo["error_check_passed"]          = worst < 0.1;
        study["first_order"]              = fo;
      }

    // Monte Carlo: the A rows.
    const std::size_t n      = par.samples;
    const auto        column = [&](const std::size_t k,
                            const std::size_t first,
                            const std::size_t count) {
      std::vector<double> v;
      for (std::size_t j = 0; j < count; ++j)
        v.push_back(y[first + j][k]);
      return v;
    };
    {
      nlohmann::json      mc;
      std::vector<double> vm, vsd, vse, q05, q95;
      for (std::size_t k = 0; k < m; ++k)
        {
          const auto v  = column(k, n_delta, n);
          const auto mo = moments(v);
          vm.push_back(mo.mean);
          vsd.push_back(mo.sd);
          vse.push_back(mo.standard_error);
          q05.push_back(quantile(v, 0.05));
          q95.push_back(quantile(v, 0.95));
        }
      mc["voltage_mean_V"]           = vm;
      mc["voltage_sd_V"]             = vsd;
      mc["voltage_standard_error_V"] = vse;
      mc["voltage_q05_V"]            = q05;
      mc["voltage_q95_V"]            = q95;
      for (std::size_t k = 0; k < 2; ++k)
        {
          const auto v        = column(m + k, n_delta, n);
          const auto mo       = moments(v);
          mc[scalar_names[k]] = {{"mean", mo.mean},
                                 {"sd", mo.sd},
                                 {"standard_error", mo.standard_error},
                                 {"q05", quantile(v, 0.05)},
                                 {"q95", quantile(v, 0.95)}};
        }
      mc["n"]    = n;
      mc["note"] = "standard_error = sd / sqrt(N), exact for monte carlo, "
                   "an upper bound for a Latin hypercube";
      study["monte_carlo"] = mc;

      // Sobol indices.
      nlohmann::json first, total, split_json;
      const auto     estimate = [](const Estimate &e) {
        return nlohmann::json{{"value", e.value},
                              {"lower", e.lower},
                              {"upper", e.upper}};
      };
      std::vector<std::vector<double>> v_first(factors.size()),
        v_total(factors.size());
      std::vector<double> epistemic_v, aleatoric_v;
      for (std::size_t k = 0; k < m + 2; ++k)
        {
          const auto   s = sobol_indices(design,
                                       column(k, n_delta, design.rows.size()),
                                       k < m ? 0 : par.bootstrap,
                                       0.95,
                                       par.seed + k);
          const double aleatoric
            = micro ? s.total.back().value * s.variance : 0.;
          if (k < m)
            {
              for (std::size_t f = 0; f < factors.size(); ++f)
                {
                  v_first[f].push_back(s.first[f].value);
                  v_total[f].push_back(s.total[f].value);
                }
              epistemic_v.push_back(s.variance - aleatoric);
              aleatoric_v.push_back(aleatoric);
              continue;
            }
          const auto &name = scalar_names[k - m];
          for (std::size_t f = 0; f < factors.size(); ++f)
            {
              first[name][factor_names[f]] = estimate(s.first[f]);
              total[name][factor_names[f]] = estimate(s.total[f]);
            }
          split_json[name] = {{"variance", s.variance},
                              {"epistemic", s.variance - aleatoric},
                              {"aleatoric", aleatoric}};
        }
      for (std::size_t f = 0; f < factors.size(); ++f)
        {
          first["voltage"][factor_names[f]] = v_first[f];
          total["voltage"][factor_names[f]] = v_total[f];
        }
      split_json["voltage_epistemic_V2"] = epistemic_v;
      split_json["voltage_aleatoric_V2"] = aleatoric_v;
      split_json["note"]
        = "aleatoric = total Sobol index of the microstructure x variance "
          "(E[Var(Y | parameters)]); epistemic = the rest (Var E[Y | "
          "parameters])";
      first["confidence"]     = "95 % percentile bootstrap over the N rows";
      total["confidence"]     = first["confidence"];
      first["estimator"]      = "Saltelli et al. (2010)";
      total["estimator"]      = "Jansen (1999)";
      study["sobol_first"]    = first;
      study["sobol_total"]    = total;
      study["variance_split"] = split_json;

      // Identifiability from dV(t)/dtheta.
      if (d > 0)
        {
          std::vector<std::vector<double>> sens(delta.gradient.begin(),
                                                delta.gradient.begin() + m);
          const auto     id    = identifiability(sens, sd, par.noise);
          nlohmann::json table = nlohmann::json::array();
          for (std::size_t i = 0; i < d; ++i)
            table.push_back(
              {{"parameter", inputs[i].name},
               {"prior_sd", sd[i]},
               {"posterior_over_prior_sd", id.posterior_over_prior_sd[i]},
               {"cramer_rao_over_prior_sd",
                std::isfinite(id.cramer_rao_over_prior_sd[i])
                  ? nlohmann::json(id.cramer_rao_over_prior_sd[i])
                  : nlohmann::json()},
               {"determined", id.posterior_over_prior_sd[i] < 0.5}});
          study["identifiability"] = {{"voltage_noise_V", par.noise},
                                      {"samples", m},
                                      {"fisher_eigenvalues", id.eigenvalues},
                                      {"numerical_rank", id.numerical_rank},
                                      {"informative_rank", id.informative_rank},
                                      {"condition_number",
                                       std::isfinite(id.condition_number)
                                         ? nlohmann::json(id.condition_number)
                                         : nlohmann::json()},
                                      {"table", table}};
        }

      if (root)
        {
          io::CsvTable band({"time_s",
                             "mean_V",
                             "q05_V",
                             "q95_V",
                             "first_order_lower_V",
                             "first_order_upper_V"});
          for (std::size_t k = 0; k < m; ++k)
            {
              const double fo = d > 0 ? 1.6448536269514722 * delta.sd[k] : 0;
              const double v0 = d > 0 ? delta.value[k] : vm[k];
              band.add_row({grid[k], vm[k], q05[k], q95[k], v0 - fo, v0 + fo});
            }
          band.write(dir / "voltage_band.csv");
          // Sobol indices of capacity and energy per factor: CSV and a bar
          // chart (first and total side by side, confidence intervals as
          // error bars; estimates outside [0, 1] are sampling noise).
          const auto write_sobol = [&](const std::string &quantity,
                                       const std::string &file) {
            io::CsvTable sob({"factor",
                              "first",
                              "first_half_width",
                              "total_position",
                              "total",
                              "total_half_width"});
            for (std::size_t f = 0; f < factors.size(); ++f)
              {
                const auto &s = first[quantity][factor_names[f]];
                const auto &t = total[quantity][factor_names[f]];
                sob.add_row(
                  {f + 0.8,
                   s["value"].get<double>(),
                   (s["upper"].get<double>() - s["lower"].get<double>()) / 2,
                   f + 1.2,
                   t["value"].get<double>(),
                   (t["upper"].get<double>() - t["lower"].get<double>()) / 2});
              }
            sob.write(dir / (file + ".csv"));
            if (!par.plot)
              return;
            io::PlotSpec p;
            p.csv   = dir / (file + ".csv");
            p.title = "Sobol indices of " + quantity
                      + " (N = " + std::to_string(par.samples) + ")";
            p.x_label = "factor";
            p.y_label = "index";
            p.y_lower = -0.2;
            p.y_upper = 1.2;
            for (std::size_t f = 0; f < factors.size(); ++f)
              p.x_tics.push_back({f + 1.0, factor_names[f]});
            using Style = io::PlotCurve::Style;
            p.curves    = {{"factor",
                            "first",
                            "first order",
                            "first_half_width",
                            Style::bars},
                           {"total_position",
                            "total",
                            "total",
                            "total_half_width",
                            Style::bars}};
            io::plot_png(dir / (file + ".png"), p);
          };
          write_sobol("capacity_Ah_per_m2", "sobol_capacity");
          write_sobol("energy_Wh_per_m2", "sobol_energy");
          if (par.plot)
            {
              using Style = io::PlotCurve::Style;
              io::PlotSpec v;
              v.csv     = dir / "voltage_band.csv";
              v.title   = "terminal voltage: Monte Carlo mean and 5-95 % band, "
                          "first-order 90 % band";
              v.x_label = "time [s]";
              v.y_label = "voltage [V]";
              v.curves
                = {{"time_s",
                    "q05_V",
                    "Monte Carlo 5-95 %",
                    "",
                    Style::band,
                    "q95_V"},
                   {"time_s", "mean_V", "Monte Carlo mean"},
                   {"time_s", "first_order_lower_V", "first order -1.645 sd"},
                   {"time_s", "first_order_upper_V", "first order +1.645 sd"}};
              io::plot_png(dir / "voltage_band.png", v);
            }
        }
    }
    return study;
  }
} // namespace scalebridge::study
