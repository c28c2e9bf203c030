// scalebridge-rve-benchmark: time and iteration counts of the RVE solver on a
// centred-sphere (or electrode) cell, printed as JSON.

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/microstructure/electrode.h>
#include <scalebridge/microstructure/generators.h>
#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

namespace
{
  const char *usage =
    R"(Usage: [mpirun -np P] scalebridge-rve-benchmark [options]

Solves the cell problems of a 3D voxel cell and prints, as JSON, the voxel
and unknown counts, iterations per load case, setup and solve times, the
peak memory of the ranks and the effective tensors. Not a test: timings
depend on the machine and its load.

Options:
  --voxels N          voxels per side (default 64)
  --microstructure M  sphere (default): one centred sphere of phase 1 in
                      phase 0; electrode: active particles (0), carbon-binder
                      (1), pores (2), fractions 0.55, 0.10, 0.35, seed 7
  --fraction F        sphere volume fraction (default 0.2)
  --contrast C        phase 1 / phase 0 stiffness and conductivity
                      (default 10); 0 makes phase 1 a pore (no stiffness,
                      no conductivity)
  --bc B              periodic (default), kubc or tubc
  --degree P          element degree: 1 (Q1, default) or 2 (full Q2)
  --physics P         all (default), elasticity or conduction
  --tolerance T       relative residual (default 1e-8)
  --smoothing-degree D  Chebyshev degree (default 3)
  --cycle C           multigrid cycle: W (default) or V
  --help              this text

Sphere laws: phase 0 isotropic E = 1 GPa, nu = 0.3, conductivity 1 S/m;
phase 1 C times that. Electrode: phase 0 E = 130 GPa, phase 1 E = 1 GPa, both
nu = 0.3, pores void; conductivities 1e-6, 0.1, 1.1 S/m.
)";

  dealii::FullMatrix<double>
  isotropic(const double E, const double nu)
  {
    dealii::FullMatrix<double> C(6, 6);
    const double               lambda = E * nu / ((1 + nu) * (1 - 2 * nu)),
                 mu                   = E / (2 * (1 + nu));
    for (unsigned i = 0; i < 3; ++i)
      {
        for (unsigned j = 0; j < 3; ++j)
          C(i, j) = lambda;
        C(i, i) += 2 * mu;
        C(i + 3, i + 3) = 2 * mu;
      }
    return C;
  }

  dealii::FullMatrix<double>
  conductivity(const double s)
  {
    dealii::FullMatrix<double> k(3, 3);
    for (unsigned i = 0; i < 3; ++i)
      k(i, i) = s;
    return k;
  }

  double
  number(const std::string &option, const std::string &text)
  {
    std::size_t end   = 0;
    double      value = 0;
    try
      {
        value = std::stod(text, &end);
      }
    catch (...)
      {
        end = 0;
      }
    if (end != text.size() || !std::isfinite(value))
      throw scalebridge::InputError("command line",
                                    option,
                                    "expects a number, got '" + text + "'");
    return value;
  }
} // namespace

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm                           comm = MPI_COMM_WORLD;
  const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  try
    {
      unsigned    n = 64, degree = 3, element_degree = 1;
      double      fraction = 0.2, contrast = 10, tolerance = 1e-8;
      std::string bc_name = "periodic", physics = "all", kind = "sphere",
                  cycle = "W";
      const std::vector<std::string> args(argv + 1, argv + argc);
      for (std::size_t i = 0; i < args.size(); ++i)
        {
          const std::string &o = args[i];
          if (o == "--help" || o == "-h")
            {
              if (root)
                std::cout << usage;
              return 0;
            }
          if (i + 1 == args.size())
            throw InputError("command line", o, "needs a value; see --help");
          const std::string &v = args[++i];
          if (o == "--voxels")
            n = static_cast<unsigned>(number(o, v));
          else if (o == "--fraction")
            fraction = number(o, v);
          else if (o == "--contrast")
            contrast = number(o, v);
          else if (o == "--bc")
            bc_name = v;
          else if (o == "--physics")
            physics = v;
          else if (o == "--microstructure")
            kind = v;
          else if (o == "--tolerance")
            tolerance = number(o, v);
          else if (o == "--degree")
            element_degree = static_cast<unsigned>(number(o, v));
          else if (o == "--cycle")
            cycle = v;
          else if (o == "--smoothing-degree")
            degree = static_cast<unsigned>(number(o, v));
          else
            throw InputError("command line", o, "unknown option; see --help");
        }
      if (n < 2 || !(contrast >= 0)
          || (element_degree != 1 && element_degree != 2)
          || (cycle != "V" && cycle != "W")
          || (physics != "all" && physics != "elasticity"
              && physics != "conduction")
          || (kind != "sphere" && kind != "electrode"))
        throw InputError("command line",
                         "options",
                         "invalid value; see --help");

      const dealii::Timer                     timer;
      microstructure::Microstructure          micro;
      std::vector<dealii::FullMatrix<double>> stiffness, conduct;
      if (kind == "sphere")
        {
          micro     = microstructure::centred_sphere(3, {{n, n, n}}, fraction);
          stiffness = {isotropic(1e9, 0.3),
                       contrast > 0 ? isotropic(contrast * 1e9, 0.3)
                                    : dealii::FullMatrix<double>()};
          conduct   = {conductivity(1.),
                     contrast > 0 ? conductivity(contrast)
                                    : dealii::FullMatrix<double>()};
        }
      else
        {
          microstructure::ElectrodeOptions o;
          o.active_fraction = 0.55;
          o.binder_fraction = 0.10;
          o.radius          = 0.12;
          o.seed            = 7;
          micro             = microstructure::electrode(3, {{n, n, n}}, o);
          stiffness         = {isotropic(130e9, 0.3),
                               isotropic(1e9, 0.3),
                               dealii::FullMatrix<double>()};
          conduct = {conductivity(1e-6), conductivity(0.1), conductivity(1.1)};
        }
      const double t_micro = timer.wall_time();

      rve::VoxelMesh<3> mesh(comm, micro, 0, element_degree);
      const double      t_mesh      = timer.wall_time();
      const auto        bc          = rve::create_boundary_condition(bc_name);
      const auto       &h           = mesh.hierarchy(bc->periodic_grid());
      const double      t_hierarchy = timer.wall_time();

      rve::SolverSettings settings;
      settings.tolerance                    = tolerance;
      settings.multigrid.smoothing_degree   = degree;
      settings.multigrid.coarse_corrections = cycle == "W" ? 2 : 1;

      nlohmann::json out;
      out["microstructure"]     = kind;
      out["voxels"]             = micro.n_total_voxels();
      out["voxels_per_side"]    = n;
      out["ranks"]              = dealii::Utilities::MPI::n_mpi_processes(comm);
      out["boundary_condition"] = bc_name;
      out["element_degree"]     = element_degree;
      out["cycle"]              = cycle;
      if (kind == "sphere")
        {
          out["volume_fraction"] = micro.volume_fractions(2)[1];
          out["contrast"]        = contrast;
        }
      out["microstructure_time_s"] = t_micro;
      out["mesh_time_s"] = dealii::Utilities::MPI::max(t_mesh - t_micro, comm);
      out["hierarchy_time_s"]
        = dealii::Utilities::MPI::max(t_hierarchy - t_mesh, comm);

      for (const auto p : {rve::Physics::elasticity, rve::Physics::conduction})
        {
          if (physics != "all" && physics != rve::to_string(p))
            continue;
          rve::CellProblem problem(p,
                                   *bc,
                                   h,
                                   mesh.cell_phase(),
                                   p == rve::Physics::elasticity ? stiffness
                                                                 : conduct,
                                   settings);
          const auto      &r = problem.solve();
          nlohmann::json   j;
          j["dofs"]         = r.n_dofs;
          j["active_cells"] = r.n_active_cells;
          j["levels"]       = r.n_levels;
          j["coarse_dofs"]  = r.n_coarse_dofs;
          j["load_cases"]   = r.iterations.size();
          j["iterations"]   = r.iterations;
          j["setup_time_s"] = r.setup_time;
          j["solve_time_s"] = r.solve_time;
          j["solve_time_per_load_case_s"]
            = r.iterations.empty() ? 0. : r.solve_time / r.iterations.size();
          j["hill_mandel_relative_residual"] = r.max_hill_mandel();
          j["converged"]                     = r.converged;
          j["effective"]
            = scalebridge::io::matrix_to_json(r.effective.m(),
                                              r.effective.n(),
                                              [&](unsigned i, unsigned j) {
                                                return r.effective(i, j);
                                              });
          out[rve::to_string(p)] = j;
        }
      out["total_time_s"]
        = dealii::Utilities::MPI::max(timer.wall_time(), comm);

      dealii::Utilities::System::MemoryStats stats;
      dealii::Utilities::System::get_memory_stats(stats);
      const double peak_mb = stats.VmHWM / 1024.;
      out["peak_memory_MB"]
        = {{"max_rank", dealii::Utilities::MPI::max(peak_mb, comm)},
           {"sum_ranks", dealii::Utilities::MPI::sum(peak_mb, comm)}};
      if (root)
        std::cout << out.dump(2) << std::endl;
      return 0;
    }
  catch (const InputError &e)
    {
      if (root)
        std::cerr << "scalebridge-rve-benchmark: error: " << e.what()
                  << std::endl;
      return 2;
    }
  catch (const std::exception &e)
    {
      if (root)
        std::cerr << "scalebridge-rve-benchmark: error: " << e.what()
                  << std::endl;
      return 1;
    }
}
