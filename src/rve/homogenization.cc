#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/microstructure/connectivity.h>
#include <scalebridge/microstructure/report.h>
#include <scalebridge/rve/field_output.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/rve/memory_estimate.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>

namespace scalebridge::rve
{
  namespace
  {
    nlohmann::json
    to_json(const dealii::FullMatrix<double> &M)
    {
      return io::matrix_to_json(M.m(), M.n(), [&](unsigned i, unsigned j) {
        return M(i, j);
      });
    }

    nlohmann::json
    to_json(const dealii::Vector<double> &v)
    {
      return std::vector<double>(v.begin(), v.end());
    }

    std::string
    direction_name(const unsigned d)
    {
      return std::string(1, "xyz"[d]);
    }

    std::string
    phases_text(const std::vector<microstructure::PhaseId> &phases)
    {
      std::string s;
      for (const auto p : phases)
        s += (s.empty() ? "" : ", ") + std::to_string(p);
      return s;
    }


    /// Percolation of a group under a boundary condition: wrapping for
    /// periodic cells, face-to-face spanning otherwise.
    std::array<bool, 3>
    percolates(const microstructure::Microstructure       &micro,
               const std::vector<microstructure::PhaseId> &phases,
               const std::string                          &bc)
    {
      const auto p = microstructure::percolation(micro, phases);
      return bc == "periodic" ? p.wraps : p.spans;
    }

    /// One solved cell problem and how it is reported.
    struct Solved
    {
      std::string                  label;
      std::unique_ptr<CellProblem> problem;
    };

    nlohmann::json
    solver_json(const CellProblemResult &r)
    {
      nlohmann::json j;
      j["dofs"]                      = r.n_dofs;
      j["cells"]                     = r.n_cells;
      j["active_cells"]              = r.n_active_cells;
      j["removed_cells"]             = r.n_removed_cells;
      j["levels"]                    = r.n_levels;
      j["coarse_dofs"]               = r.n_coarse_dofs;
      j["null_space_dimension"]      = r.null_space_dimension;
      j["zero_energy_directions"]    = r.n_zero_energy_directions;
      j["iterations_per_load_case"]  = r.iterations;
      j["stopped_at_round_off"]      = r.n_stagnated;
      j["multigrid_precision"]       = r.double_precision ? "double" : "single";
      j["hill_mandel_per_load_case"] = r.hill_mandel;
      j["hill_mandel_solver_per_load_case"] = r.hill_mandel_solver;
      j["relative_asymmetry"]               = r.asymmetry;
      j["setup_time_s"]                     = r.setup_time;
      j["solve_time_s"]                     = r.solve_time;
      return j;
    }

    template <int dim>
    nlohmann::json
    solve_condition(const RveInput       &input,
                    const VoxelMesh<dim> &mesh,
                    const std::string    &bc_name,
                    const nlohmann::json &shared,
                    std::ostream         &log)
    {
      const dealii::Timer  timer;
      const RveParameters &prm = input.parameters;
      const auto           bc  = create_boundary_condition(bc_name);
      const auto          &h   = mesh.hierarchy(bc->periodic_grid());
      const auto           fractions
        = input.microstructure.volume_fractions(input.laws.size());

      auto report = [&](const std::string &label, const CellProblemResult &r) {
        log << "[" << bc_name << "] " << label << ": " << r.n_dofs << " dofs, "
            << r.n_active_cells << " of " << r.n_cells << " cells active";
        if (r.n_removed_cells > 0)
          log << " (" << r.n_removed_cells << " removed: not connected to a "
              << "load path)";
        log << ", " << r.n_levels << " levels, " << r.iterations.size()
            << " load cases, " << r.max_iterations()
            << " iterations, Hill-Mandel "
            << format_number(r.max_hill_mandel(), 2);
        if (r.n_stagnated > 0)
          log << ", " << r.n_stagnated
              << " load cases stopped at the round-off limit";
        if (r.n_zero_energy_directions > 0)
          log << ", " << r.n_zero_energy_directions
              << " macro strains cost no energy";
        if (!prm.deterministic)
          log << " [setup " << format_number(r.setup_time, 3) << " s, solve "
              << format_number(r.solve_time, 3) << " s]";
        log << std::endl;
        if (r.n_indefinite > 0)
          throw std::runtime_error(
            bc_name + " " + label
            + ": the multigrid preconditioner is not "
              "positive definite in "
            + std::to_string(r.n_indefinite) + " load case(s) ("
            + (r.double_precision ? "double" : "single")
            + " precision); the phase contrast is too high for it");
        if (!r.converged)
          throw std::runtime_error(
            bc_name + " " + label + ": CG did not reach the tolerance in "
            + std::to_string(prm.max_iterations) + " iterations");
      };

      const SolverSettings settings = prm.solver_settings();
      std::vector<Solved>  solved;
      auto                 solve = [&](const std::string                             &label,
                       const Physics                                  physics,
                       const std::vector<dealii::FullMatrix<double>> &laws) {
        io::stop_if_terminated(mesh.get_communicator(),
                               "before the " + bc_name + " " + label
                                 + " problem");
        log << "[" << bc_name << "] " << label << ": setting up" << std::endl;
        auto problem = std::make_unique<CellProblem>(
          physics, *bc, h, mesh.cell_phase(), laws, settings);
        report(label, problem->solve());
        solved.push_back({label, std::move(problem)});
        return solved.back().problem.get();
      };

      nlohmann::json block        = shared;
      block["boundary_condition"] = bc_name;
      double hill_mandel          = 0;
      // The same from the solver's algebra (imposed macro strain).
      double     hill_mandel_solver = 0;
      const auto track              = [&](const CellProblemResult &r) {
        hill_mandel = std::max(hill_mandel, r.max_hill_mandel());
        for (const double h : r.hill_mandel_solver)
          hill_mandel_solver = std::max(hill_mandel_solver, h);
      };
      nlohmann::json dofs, iterations, solver;

      if (prm.elasticity)
        {
          auto       *p                = solve("elasticity",
                          Physics::elasticity,
                          input.laws.laws(Physics::elasticity, dim));
          const auto &r                = p->result();
          block["stiffness_mandel_Pa"] = to_json(r.effective);
          block["stiffness_voigt_Pa"]
            = to_json(stiffness_mandel_to_voigt(r.effective));
          track(r);
          dofs["elasticity"]       = r.n_dofs;
          iterations["elasticity"] = r.max_iterations();
          solver["elasticity"]     = solver_json(r);

          // Swelling: one more load case of the same problem (zeros, and no
          // solve, when no load-carrying phase swells).
          const EigenstrainResult e
            = p->solve_eigenstrain(input.laws.eigenstresses(dim));
          block["eigenstress_voigt_Pa"]
            = to_json(mandel_to_voigt(e.eigenstress, false));
          block["swelling_strain_voigt"]
            = to_json(mandel_to_voigt(e.swelling_strain, true));
          log << "[" << bc_name << "] swelling: ";
          if (!e.solved)
            log << "no load-carrying phase swells, or none can be loaded; "
                   "zero"
                << std::endl;
          else
            {
              log << e.iterations << " iterations, Hill-Mandel "
                  << format_number(e.hill_mandel, 2);
              if (e.n_zero_energy_directions > 0)
                log << ", " << e.n_zero_energy_directions
                    << " macro strains cost no energy (swelling there 0)";
              if (!prm.deterministic)
                log << " [solve " << format_number(e.solve_time, 3) << " s]";
              log << std::endl;
              if (!e.converged)
                throw std::runtime_error(
                  bc_name + " swelling: CG did not reach the tolerance in "
                  + std::to_string(prm.max_iterations) + " iterations");
              hill_mandel = std::max(hill_mandel, e.hill_mandel);
              hill_mandel_solver
                = std::max(hill_mandel_solver, e.hill_mandel_solver);
              iterations["swelling"] = e.iterations;
              nlohmann::json j;
              j["iterations"]             = e.iterations;
              j["stopped_at_round_off"]   = e.n_stagnated;
              j["zero_energy_directions"] = e.n_zero_energy_directions;
              j["hill_mandel"]            = e.hill_mandel;
              j["hill_mandel_solver"]     = e.hill_mandel_solver;
              j["energy_Pa"]              = e.energy;
              j["residual_energy_Pa"]     = e.residual_energy;
              j["mean_stress_voigt_Pa"]
                = to_json(mandel_to_voigt(e.mean_stress, false));
              j["mean_strain_voigt"]
                = to_json(mandel_to_voigt(e.mean_strain, true));
              j["solve_time_s"]  = e.solve_time;
              solver["swelling"] = j;
            }
        }
      if (prm.conduction)
        {
          const auto *p                 = solve("conduction",
                                Physics::conduction,
                                input.laws.laws(Physics::conduction, dim));
          const auto &r                 = p->result();
          block["conductivity"]         = to_json(r.effective);
          block["conductivity_carrier"] = prm.carrier;
          track(r);
          dofs["conduction"]       = r.n_dofs;
          iterations["conduction"] = r.max_iterations();
          solver["conduction"]     = solver_json(r);
        }

      nlohmann::json efficiency = nlohmann::json::object();
      const auto     required   = prm.required_direction_indices();
      for (const auto &group : input.groups)
        {
          std::vector<dealii::FullMatrix<double>> unit(input.laws.size());
          double                                  fraction = 0;
          for (const auto p : group.phases)
            {
              unit[p].reinit(dim, dim);
              for (unsigned d = 0; d < dim; ++d)
                unit[p](d, d) = 1.;
              fraction += p < fractions.size() ? fractions[p] : 0.;
            }
          // Partially filled voxels: their share of the group, by the
          // arithmetic rule of add_mixture().
          for (const auto &m : input.mixtures)
            {
              const double share = m.share_of(group.phases);
              if (share > 0)
                {
                  unit[m.id].reinit(dim, dim);
                  for (unsigned d = 0; d < dim; ++d)
                    unit[m.id](d, d) = share;
                }
              fraction += share * fractions[m.id];
            }
          const std::string label = "transport efficiency " + group.name;
          const auto       *p     = solve(label, Physics::conduction, unit);
          const auto       &r     = p->result();
          const auto        perc
            = percolates(input.microstructure, group.phases, bc_name);
          nlohmann::json g;
          g["phases"]                = group.phases;
          g["volume_fraction"]       = fraction;
          g["tensor"]                = to_json(r.effective);
          nlohmann::json tortuosity  = nlohmann::json::array();
          nlohmann::json percolation = nlohmann::json::array();
          for (unsigned d = 0; d < dim; ++d)
            {
              const double eta = r.effective(d, d);
              if (eta > 0)
                tortuosity.push_back(fraction / eta);
              else
                tortuosity.push_back(nullptr);
              percolation.push_back(perc[d]);
            }
          g["tortuosity_factor"] = tortuosity;
          g["percolates"]        = percolation;
          efficiency[group.name] = g;
          track(r);
          iterations[group.name] = r.max_iterations();
          solver[label]          = solver_json(r);
          log << "[" << bc_name << "] " << label << ": tortuosity factor";
          for (unsigned d = 0; d < dim; ++d)
            log << " " << direction_name(d) << " "
                << (r.effective(d, d) > 0
                      ? format_number(fraction / r.effective(d, d), 4)
                      : std::string("inf"));
          log << std::endl;
          (void)required;
        }
      if (!input.groups.empty())
        block["transport_efficiency"] = efficiency;

      if (prm.write_fields)
        {
          std::vector<LabelledProblem> labelled;
          for (const auto &s : solved)
            {
              std::string label = s.label;
              for (auto &c : label)
                if (c == ' ')
                  c = '_';
              labelled.push_back({label, s.problem.get()});
            }
          write_fields(mesh, labelled, prm.directory, "fields_" + bc_name);
          log << "[" << bc_name << "] wrote fields_" << bc_name << ".pvtu"
              << std::endl;
        }

      block["hill_mandel_relative_residual"] = hill_mandel;
      block["hill_mandel_solver_residual"]   = hill_mandel_solver;
      block["dofs"]                          = dofs;
      block["iterations"]                    = iterations;
      block["solver"]                        = solver;
      block["wall_time_s"]
        = dealii::Utilities::MPI::max(timer.wall_time(),
                                      mesh.get_communicator());
      return block;
    }

    template <int dim>
    nlohmann::json
    run(const RveInput &input, MPI_Comm comm, std::ostream &log)
    {
      const RveParameters &prm   = input.parameters;
      const auto          &micro = input.microstructure;
      const unsigned       n_ph  = input.laws.size();

      const auto summary
        = microstructure::summarize(micro,
                                    prm.microstructure.target_fractions());
      log << microstructure::to_text(summary);

      VoxelMesh<dim> mesh(comm,
                          micro,
                          prm.refinements_per_voxel,
                          prm.element_degree);
      const auto     fractions = micro.volume_fractions(n_ph);

      nlohmann::json shared;
      shared["dimension"]   = dim;
      nlohmann::json voxels = nlohmann::json::array();
      for (unsigned d = 0; d < dim; ++d)
        voxels.push_back(micro.n_voxels()[d]);
      shared["voxels"]                = voxels;
      shared["refinements_per_voxel"] = prm.refinements_per_voxel;
      shared["element_degree"]        = prm.element_degree;
      shared["volume_fractions"]      = fractions;
      // Lithium site fraction the cards were evaluated at.
      shared["lithiation"] = prm.lithiation;

      nlohmann::json bounds;
      if (prm.elasticity)
        {
          const auto b
            = voigt_reuss_bounds(input.laws.laws(Physics::elasticity, dim),
                                 fractions,
                                 n_strains(Physics::elasticity, dim));
          bounds["stiffness_mandel_Pa"]
            = {{"voigt", to_json(b.voigt)}, {"reuss", to_json(b.reuss)}};
          bounds["stiffness_voigt_Pa"]
            = {{"voigt", to_json(stiffness_mandel_to_voigt(b.voigt))},
               {"reuss", to_json(stiffness_mandel_to_voigt(b.reuss))}};
        }
      if (prm.conduction)
        {
          const auto b
            = voigt_reuss_bounds(input.laws.laws(Physics::conduction, dim),
                                 fractions,
                                 dim);
          bounds["conductivity"]
            = {{"voigt", to_json(b.voigt)}, {"reuss", to_json(b.reuss)}};
        }
      shared["bounds"] = bounds;

      nlohmann::json result = shared;
      nlohmann::json phases = nlohmann::json::array();
      for (unsigned p = 0; p < n_ph; ++p)
        phases.push_back(
          {{"id", p},
           {"name", input.laws.names[p]},
           {"card", input.laws.sources[p]},
           {"volume_fraction", fractions[p]},
           {"carries_load", input.laws.participates(Physics::elasticity, p)},
           {"swells", input.laws.swells(p)},
           {"conducts", input.laws.participates(Physics::conduction, p)}});
      result["phases"]         = phases;
      result["microstructure"] = microstructure::to_json(summary);
      const auto conditions    = prm.boundary_condition_list();
      if (conditions.size() == 1)
        {
          const auto block
            = solve_condition(input, mesh, conditions[0], shared, log);
          for (const auto &[key, value] : block.items())
            result[key] = value;
        }
      else
        {
          result["boundary_condition"]  = prm.boundary_conditions;
          result["boundary_conditions"] = conditions;
          for (const auto &bc : conditions)
            result[bc] = solve_condition(input, mesh, bc, shared, log);
        }
      return result;
    }
  } // namespace

  RveInput
  prepare_input(const RveParameters &parameters, const std::string &source)
  {
    parameters.check(source);
    RveInput input;
    input.source     = source;
    input.parameters = parameters;
    input.microstructure
      = parameters.microstructure.build(parameters.dimension, source);
    input.laws   = read_phase_laws(parameters.phase_cards,
                                 parameters.temperature,
                                 parameters.lithiation,
                                 parameters.carrier,
                                 source);
    input.groups = parse_transport_groups(parameters.groups,
                                          source,
                                          "Transport efficiency/Groups");

    const auto    &micro = input.microstructure;
    const unsigned n_ph  = input.laws.size();
    if (parameters.microstructure.generator != "raw file"
        && parameters.microstructure.generator.size() > 5
        && parameters.microstructure.generator.compare(
             parameters.microstructure.generator.size() - 5, 5, " file")
             == 0)
      check_memory(parameters.dimension,
                   parameters.element_degree,
                   parameters.refinements_per_voxel,
                   micro.n_voxels(),
                   source,
                   "Microstructure/File");
    if (micro.n_phases() > n_ph)
      throw InputError(source,
                       "Materials/Phase cards",
                       "the microstructure has phase ids up to "
                         + std::to_string(micro.n_phases() - 1) + " but only "
                         + std::to_string(n_ph) + " cards are given");
    const auto fractions = micro.volume_fractions(n_ph);
    for (const Physics physics : {Physics::elasticity, Physics::conduction})
      {
        const bool on  = physics == Physics::elasticity ? parameters.elasticity
                                                        : parameters.conduction;
        bool       any = false;
        for (unsigned p = 0; p < n_ph; ++p)
          any
            = any || (fractions[p] > 0 && input.laws.participates(physics, p));
        if (on && !any)
          throw InputError(
            source,
            physics == Physics::elasticity ? "Physics/Elasticity"
                                           : "Physics/Conduction",
            physics == Physics::elasticity
              ? "no phase present in the microstructure has an elastic block; "
                "switch elasticity off or give a load-carrying card"
              : "no phase present in the microstructure conducts (carrier "
                  + parameters.carrier + "); switch conduction off");
      }

    for (const auto &group : input.groups)
      {
        for (const auto p : group.phases)
          if (p >= n_ph)
            throw InputError(source,
                             "Transport efficiency/Groups",
                             "group '" + group.name + "' names phase "
                               + std::to_string(p) + " but only "
                               + std::to_string(n_ph) + " cards are given");
        for (const auto &bc : parameters.boundary_condition_list())
          {
            const auto perc = percolates(micro, group.phases, bc);
            for (const unsigned d : parameters.required_direction_indices())
              if (d < parameters.dimension && !perc[d])
                throw InputError(
                  source,
                  "Transport efficiency/Groups",
                  "group '" + group.name + "' (phases "
                    + phases_text(group.phases) + ") does not percolate in "
                    + direction_name(d) + " ("
                    + (bc == "periodic"
                         ? "no face-connected cluster wraps around the periodic cell"
                         : "no face-connected cluster joins the two faces")
                    + "), so its tortuosity factor is undefined; drop "
                    + direction_name(d)
                    + " from 'Transport efficiency/Required directions' or the group");
          }
      }
    return input;
  }

  nlohmann::json
  run_homogenization(const RveInput &input, MPI_Comm comm, std::ostream &log)
  {
    if (input.parameters.dimension == 2)
      return run<2>(input, comm, log);
    return run<3>(input, comm, log);
  }
} // namespace scalebridge::rve
