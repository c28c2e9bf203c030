#include <scalebridge/atomistic/phase_report.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/transport/diffusion.h>
#include <scalebridge/uq/propagation.h>

#include <cmath>
#include <functional>
#include <iomanip>
#include <limits>
#include <sstream>

namespace scalebridge::atomistic
{
  namespace
  {
    using json = nlohmann::json;

    constexpr double nan = std::numeric_limits<double>::quiet_NaN();

    json
    to_json(const std::optional<thermo::CompositionPair> &pair)
    {
      return pair ? json::array({pair->first, pair->second}) : json(nullptr);
    }

    json
    to_json(const dealii::Tensor<2, 3> &t)
    {
      return io::matrix_to_json(3, 3, [&](unsigned i, unsigned j) {
        return t[i][j];
      });
    }

    json
    to_json(const elasticity::Matrix6 &m)
    {
      return io::matrix_to_json(6, 6, [&](unsigned i, unsigned j) {
        return m[i][j];
      });
    }

    /// A scalar result of the report and how to compute it from a phase.
    struct ScalarResult
    {
      std::string                                    key;
      std::function<double(const PhaseProperties &)> evaluate;
    };

    /// The scalar results a card supports (the subject of uncertainty
    /// propagation). Quantities that a perturbed card cannot produce (e.g.
    /// no coexistence above T_c) evaluate to NaN.
    std::vector<ScalarResult>
    scalar_results(const PhaseProperties &phase)
    {
      std::vector<ScalarResult> results;
      if (phase.has_diffusion())
        results.push_back(
          {"tracer_diffusivity_m2_per_s",
           [](const PhaseProperties &p) { return p.tracer_diffusivity(); }});
      if (phase.phase_separates())
        {
          results.push_back({"coexistence_low", [](const PhaseProperties &p) {
                               return p.coexistence() ? p.coexistence()->first
                                                      : nan;
                             }});
          results.push_back({"coexistence_high", [](const PhaseProperties &p) {
                               return p.coexistence() ? p.coexistence()->second
                                                      : nan;
                             }});
        }
      if (phase.has_stiffness())
        {
          results.push_back(
            {"bulk_modulus_voigt_Pa", [](const PhaseProperties &p) {
               return elasticity::voigt_moduli(p.stiffness_mandel()).bulk;
             }});
          results.push_back(
            {"shear_modulus_voigt_Pa", [](const PhaseProperties &p) {
               return elasticity::voigt_moduli(p.stiffness_mandel()).shear;
             }});
          results.push_back(
            {"bulk_modulus_reuss_Pa", [](const PhaseProperties &p) {
               return elasticity::reuss_moduli(p.stiffness_mandel()).bulk;
             }});
          results.push_back(
            {"shear_modulus_reuss_Pa", [](const PhaseProperties &p) {
               return elasticity::reuss_moduli(p.stiffness_mandel()).shear;
             }});
        }
      if (phase.has_kinetics())
        results.push_back(
          {"exchange_current_density_A_per_m2", [](const PhaseProperties &p) {
             return p.butler_volmer().exchange_current_density;
           }});
      return results;
    }

    /// First-order propagation of the card's covariance to the scalar
    /// results, checked by seeded Monte Carlo sampling.
    json
    uncertainty_report(const MaterialCard       &card,
                       const PhaseProperties    &phase,
                       const PhaseReportOptions &options)
    {
      const uq::ParameterDistribution &parameters = *card.uncertainty;
      const std::vector<ScalarResult>  results    = scalar_results(phase);

      const uq::VectorFunction f = [&](const std::vector<double> &p) {
        std::vector<double> values(results.size(), nan);
        try
          {
            const PhaseProperties perturbed(
              card.with_parameters(parameters.names, p), phase.temperature());
            for (std::size_t i = 0; i < results.size(); ++i)
              values[i] = results[i].evaluate(perturbed);
          }
        catch (const InputError &)
          {
            // A sample outside the allowed range of a parameter (e.g. a
            // negative barrier) has no physical result.
          }
        return values;
      };

      json report;
      json parameter_list = json::array();
      for (std::size_t i = 0; i < parameters.names.size(); ++i)
        parameter_list.push_back(
          {{"name", parameters.names[i]},
           {"value", parameters.mean[i]},
           {"standard_deviation",
            std::sqrt(std::max(0.0, parameters.covariance(i, i)))}});
      report["parameters"] = parameter_list;

      const uq::PropagationResult first
        = uq::propagate_first_order(f, parameters);
      const std::vector<double> first_std = first.standard_deviations();

      std::optional<uq::PropagationResult> sampled;
      if (options.monte_carlo_samples > 0)
        sampled = uq::propagate_monte_carlo(f,
                                            parameters,
                                            options.monte_carlo_samples,
                                            options.seed);

      json outputs = json::object();
      for (std::size_t i = 0; i < results.size(); ++i)
        {
          json entry = {{"value", first.mean[i]},
                        {"standard_deviation_first_order", first_std[i]}};
          if (sampled)
            {
              entry["monte_carlo_mean"] = sampled->mean[i];
              entry["monte_carlo_standard_deviation"]
                = sampled->standard_deviations()[i];
            }
          outputs[results[i].key] = entry;
        }
      report["results"] = outputs;
      report["method"]
        = "first order (delta method, Richardson-extrapolated central "
          "differences); Monte Carlo check with correlated normal samples";
      report["monte_carlo"]
        = {{"samples", options.monte_carlo_samples},
           {"rejected_samples", sampled ? sampled->rejected_samples : 0u},
           {"seed", options.seed}};
      return report;
    }
  } // namespace

  json
  phase_report(const MaterialCard       &card,
               const double              temperature,
               const PhaseReportOptions &options)
  {
    const PhaseProperties phase(card, temperature);
    json                  r;
    json                  not_derived = json::array();
    const auto            missing     = [&](const std::string &what,
                             const std::string &block) {
      not_derived.push_back(what + ": the card has no \"" + block + "\" block");
    };

    r["material"]      = card.name;
    r["source"]        = card.source;
    r["temperature_K"] = temperature;

    // Diffusion.
    if (phase.has_diffusion())
      {
        r["tracer_diffusivity_m2_per_s"] = phase.tracer_diffusivity();
        r["diffusivity_prefactor_m2_per_s"]
          = transport::diffusivity_prefactor(*card.diffusion);
        r["migration_barrier_eV"] = card.diffusion->barrier_eV;
      }
    else
      {
        r["tracer_diffusivity_m2_per_s"] = nullptr;
        missing("tracer diffusivity", "diffusion");
      }

    // Thermodynamics.
    r["coexistence"]     = to_json(phase.coexistence());
    r["spinodal"]        = to_json(phase.spinodal());
    r["phase_separates"] = phase.phase_separates();
    if (!phase.has_thermodynamics())
      missing("coexistence, spinodal and curves", "thermodynamics");
    else if (!card.thermodynamics->model)
      not_derived.push_back(
        "coexistence and spinodal: the card gives only an OCV table, no "
        "free-energy model");
    if (phase.has_thermodynamics() && card.thermodynamics->model)
      if (const auto *rs = dynamic_cast<const thermo::RegularSolution *>(
            card.thermodynamics->model.get()))
        r["critical_temperature_K"] = rs->critical_temperature();

    // Elasticity.
    const std::vector<std::string> modulus_keys = {"bulk_modulus_voigt_Pa",
                                                   "bulk_modulus_reuss_Pa",
                                                   "shear_modulus_voigt_Pa",
                                                   "shear_modulus_reuss_Pa"};
    if (phase.has_stiffness())
      {
        const auto voigt = elasticity::voigt_moduli(phase.stiffness_mandel());
        const auto reuss = elasticity::reuss_moduli(phase.stiffness_mandel());
        const auto hill  = elasticity::hill_moduli(phase.stiffness_mandel());
        r["bulk_modulus_voigt_Pa"]  = voigt.bulk;
        r["bulk_modulus_reuss_Pa"]  = reuss.bulk;
        r["shear_modulus_voigt_Pa"] = voigt.shear;
        r["shear_modulus_reuss_Pa"] = reuss.shear;
        r["bulk_modulus_hill_Pa"]   = hill.bulk;
        r["shear_modulus_hill_Pa"]  = hill.shear;
        r["stiffness_voigt_Pa"]
          = to_json(elasticity::mandel_to_voigt(phase.stiffness_mandel()));
        r["elastic_symmetry_stated"]   = to_string(card.elastic->symmetry);
        r["elastic_symmetry_detected"] = to_string(
          elasticity::detect_symmetry(card.elastic->stiffness_voigt_crystal));
      }
    else
      {
        for (const auto &key : modulus_keys)
          r[key] = nullptr;
        missing("elastic moduli", "elastic");
      }

    // Conduction.
    if (phase.has_conductivity())
      {
        r["conductivity_S_per_m"] = to_json(phase.conductivity());
        if (card.transport->electronic_conductivity)
          r["electronic_conductivity_S_per_m"]
            = to_json(*card.transport->electronic_conductivity);
      }
    else
      missing("conductivity", "transport");

    // Kinetics.
    if (phase.has_kinetics())
      {
        const kinetics::ButlerVolmer bv        = phase.butler_volmer();
        r["exchange_current_density_A_per_m2"] = bv.exchange_current_density;
        r["symmetry_factor"]                   = bv.symmetry_factor;
      }
    else
      missing("Butler-Volmer kinetics", "kinetics");

    // Curves versus site fraction. With a free-energy model the equilibrium
    // OCV of the common-tangent construction (the voltage plateau of a
    // phase-separating host) is given next to the homogeneous one.
    if (phase.has_thermodynamics())
      {
        const auto equilibrium
          = card.thermodynamics->model ? phase.particle_free_energy() : nullptr;
        json x, mu, theta, ocv, ocv_equilibrium, d_chem;
        for (unsigned i = 1; i <= options.curve_points; ++i)
          {
            const double xi = double(i) / (options.curve_points + 1);
            x.push_back(xi);
            mu.push_back(phase.chemical_potential(xi));
            theta.push_back(phase.thermodynamic_factor(xi));
            ocv.push_back(phase.open_circuit_voltage(xi));
            if (equilibrium)
              ocv_equilibrium.push_back(
                thermo::open_circuit_voltage_from_ion_energy(
                  equilibrium->chemical_potential(xi, temperature),
                  card.thermodynamics->reference_potential_eV));
            if (phase.has_diffusion())
              d_chem.push_back(phase.chemical_diffusivity(xi));
          }
        if (!phase.has_diffusion())
          missing("chemical diffusivity curve", "diffusion");
        r["curves"] = {{"x", x},
                       {"mu_eV", mu},
                       {"thermodynamic_factor", theta},
                       {"ocv_V", ocv},
                       {"ocv_equilibrium_V",
                        equilibrium ? ocv_equilibrium : json(nullptr)},
                       {"chemical_diffusivity_m2_per_s",
                        phase.has_diffusion() ? d_chem : json(nullptr)}};
      }
    else
      r["curves"] = nullptr;

    if (card.uncertainty)
      r["uncertainty"] = uncertainty_report(card, phase, options);
    r["not_derived"] = not_derived;
    return r;
  }

  io::CsvTable
  curves_table(const json &report)
  {
    const json              &curves = report.at("curves");
    std::vector<std::string> names;
    for (const char *key : {"x",
                            "mu_eV",
                            "thermodynamic_factor",
                            "ocv_V",
                            "ocv_equilibrium_V",
                            "chemical_diffusivity_m2_per_s"})
      if (curves.contains(key) && curves.at(key).is_array())
        names.push_back(key);
    io::CsvTable table(names);
    for (std::size_t i = 0; i < curves.at("x").size(); ++i)
      {
        std::vector<double> row;
        for (const auto &name : names)
          row.push_back(curves.at(name).at(i).get<double>());
        table.add_row(row);
      }
    return table;
  }

  std::string
  summarize(const json &r)
  {
    std::ostringstream out;
    out << std::setprecision(4);
    const auto line = [&](const std::string &label) -> std::ostream & {
      return out << "  " << std::left << std::setw(26) << label;
    };
    out << r.at("material").get<std::string>() << " at " << std::setprecision(6)
        << r.at("temperature_K").get<double>() << std::setprecision(4)
        << " K\n";
    if (!r.at("tracer_diffusivity_m2_per_s").is_null())
      line("tracer diffusivity")
        << r.at("tracer_diffusivity_m2_per_s").get<double>()
        << " m^2/s (E_m = " << r.at("migration_barrier_eV").get<double>()
        << " eV, D0 = " << r.at("diffusivity_prefactor_m2_per_s").get<double>()
        << " m^2/s)\n";
    if (!r.at("coexistence").is_null())
      line("phase coexistence")
        << "x = " << r["coexistence"][0].get<double>() << " .. "
        << r["coexistence"][1].get<double>() << "\n";
    else if (!r.at("curves").is_null())
      line("phase coexistence") << "none (single phase)\n";
    if (!r.at("spinodal").is_null())
      line("spinodal") << "x = " << r["spinodal"][0].get<double>() << " .. "
                       << r["spinodal"][1].get<double>() << "\n";
    if (r.contains("critical_temperature_K"))
      line("critical temperature")
        << r["critical_temperature_K"].get<double>() << " K\n";
    if (!r.at("bulk_modulus_voigt_Pa").is_null())
      {
        line("bulk modulus V/R")
          << r["bulk_modulus_voigt_Pa"].get<double>() / 1e9 << " / "
          << r["bulk_modulus_reuss_Pa"].get<double>() / 1e9 << " GPa\n";
        line("shear modulus V/R")
          << r["shear_modulus_voigt_Pa"].get<double>() / 1e9 << " / "
          << r["shear_modulus_reuss_Pa"].get<double>() / 1e9 << " GPa\n";
      }
    if (r.contains("conductivity_S_per_m"))
      line("conductivity xx/yy/zz")
        << r["conductivity_S_per_m"][0][0].get<double>() << " / "
        << r["conductivity_S_per_m"][1][1].get<double>() << " / "
        << r["conductivity_S_per_m"][2][2].get<double>() << " S/m\n";
    if (r.contains("exchange_current_density_A_per_m2"))
      line("exchange current")
        << r["exchange_current_density_A_per_m2"].get<double>()
        << " A/m^2 (alpha = " << r["symmetry_factor"].get<double>() << ")\n";
    if (!r.at("curves").is_null())
      {
        const json &c = r["curves"];
        line("OCV at x = 0.1/0.5/0.9")
          << c["ocv_V"][c["x"].size() / 10].get<double>() << " / "
          << c["ocv_V"][c["x"].size() / 2].get<double>() << " / "
          << c["ocv_V"][9 * c["x"].size() / 10].get<double>() << " V\n";
      }
    if (r.contains("uncertainty"))
      {
        out << "  standard deviations (first order / Monte Carlo):\n";
        for (const auto &[key, value] : r["uncertainty"]["results"].items())
          {
            const double first = value["standard_deviation_first_order"];
            if (first == 0)
              continue; // not affected by the uncertain parameters
            out << "    " << std::left << std::setw(36) << key << first << " / "
                << value.value("monte_carlo_standard_deviation", nan) << "\n";
          }
      }
    for (const auto &reason : r.at("not_derived"))
      line("not derived") << reason.get<std::string>() << "\n";
    return out.str();
  }
} // namespace scalebridge::atomistic
