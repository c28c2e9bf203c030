// ElectrodeSolver: the particles at the electrode nodes and their static
// condensation: each particle's reaction enters the three macro equations
// of its node with the particle eliminated exactly (two tridiagonal solves),
// and its update is recovered after the global solve.

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <algorithm>
#include <cmath>

namespace scalebridge::macro
{
  using namespace dealii;
  using namespace electrode_internal;

  template <int dim>
  void
  ElectrodeSolver<dim>::setup_particles()
  {
    const MeshParameters &mesh = model.parameters.mesh;
    particle_models.clear();
    std::array<int, 3> model_index{{-1, -1, -1}};
    for (const unsigned int r : {negative_electrode, positive_electrode})
      if (model.regions[r].present)
        {
          model_index[r] = particle_models.size();
          particle_models.emplace_back(
            ParticleMesh(model.regions[r].particle_radius,
                         mesh.particle_cells,
                         mesh.particle_ratio),
            *model.regions[r].material);
        }
    n_p = mesh.particle_cells + 1;

    // Nodal weights int a v_i and int eps_s v_i of the electrodes.
    LinearAlgebra::distributed::Vector<double> area(locally_owned_dofs,
                                                    locally_relevant_dofs,
                                                    mpi_communicator);
    LinearAlgebra::distributed::Vector<double> volume(area);
    for_each_lumped_cell(
      dof_handler,
      [&](const auto &cell) {
        return model.regions[cell->material_id()].electrode;
      },
      [&](const auto &cell, const auto &dofs, const auto &integrals) {
        const RegionData &region = model.regions[cell->material_id()];
        const double      eps_s  = region.active_material_fraction;
        const double      a      = 3 * eps_s / region.particle_radius;
        for (unsigned int i = 0; i < dofs.size(); ++i)
          {
            area(dofs[i]) += a * integrals[i];
            volume(dofs[i]) += eps_s * integrals[i];
          }
      });
    area.compress(VectorOperation::add);
    volume.compress(VectorOperation::add);

    // A particle at every owned electrode node. Ghost cells are visited as
    // well: an owned node may touch electrode cells of other processes only.
    sites.clear();
    site_of_dof.clear();
    std::vector<bool> seen(locally_owned_dofs.n_elements(), false);
    const auto       &partitioner = solution.get_partitioner();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial()
          && model.regions[cell->material_id()].electrode)
        for (const unsigned int v : cell->vertex_indices())
          {
            const types::global_dof_index dof0 = cell->vertex_dof_index(v, 0);
            if (!locally_owned_dofs.is_element(dof0))
              continue;
            const unsigned int i0 = locally_owned_dofs.index_within_set(dof0);
            if (seen[i0])
              continue;
            seen[i0] = true;
            Site site;
            for (unsigned int c = 0; c < 3; ++c)
              {
                site.dofs[c]  = cell->vertex_dof_index(v, c);
                site.local[c] = partitioner->global_to_local(site.dofs[c]);
              }
            site.region        = cell->material_id();
            site.electrode     = model_index[site.region];
            site_of_dof[dof0]  = sites.size();
            site.area_weight   = area.local_element(site.local[0]);
            site.volume_weight = volume.local_element(site.local[0]);
            sites.push_back(site);
          }

    const std::size_t n_sites = sites.size();
    particles.assign(n_sites * n_p, 0);
    particle_history.assign(n_sites * n_p, 0);
    particle_predictor.assign(n_sites * n_p, 0);
    particle_update.assign(n_sites * n_p, 0);
    reaction.assign(n_sites, 0);
    condensed_reaction.assign(n_sites, 0);
    reaction_gradient.assign(n_sites, {{0, 0, 0}});
    tridiagonal_solutions.assign(2 * n_sites * n_p, 0);
    max_concentration_of_site.resize(n_sites);
    for (std::size_t s = 0; s < n_sites; ++s)
      max_concentration_of_site[s]
        = particle_models[sites[s].electrode].material().max_concentration();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::assemble_particles(const bool frozen, Mat matrix)
  {
    const double F = constants::faraday;
    const double f = F / (constants::gas_constant * model.temperature());

    std::vector<double> work(8 * n_p);
    double             *R = work.data(), *lower = R + n_p, *diag = lower + n_p,
           *upper = diag + n_p, *scratch = upper + n_p;
    FullMatrix<double>                   block(3, 3);
    Vector<double>                       block_rhs(3);
    std::vector<types::global_dof_index> block_dofs(3);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const Site              &site  = sites[s];
        const ParticleModel     &pm    = particle_models[site.electrode];
        const ElectrodeMaterial &mat   = pm.material();
        const double             ce    = solution.local_element(site.local[0]);
        const double             phie  = solution.local_element(site.local[1]);
        const double             phis  = solution.local_element(site.local[2]);
        const double            *c     = &particles[s * n_p];
        const double             c_max = mat.max_concentration();
        const double             cs    = c[n_p - 1];

        // Butler-Volmer at the particle surface and its derivatives with
        // respect to the node's (ce, phi_e, phi_s) and to c_s,surf.
        double       dU;
        const double U
          = mat.open_circuit_potential(cs / c_max, dU)
            + (stress_potential_shift.empty() ? 0 : stress_potential_shift[s]);
        const double eta = phis - phie - U;
        double       dj0_dce, dj0_dcs;
        const double j0
          = mat.exchange_current_density(ce, cs, dj0_dce, dj0_dcs);
        const double                alpha = mat.symmetry_factor();
        const double                ea    = std::exp((1 - alpha) * f * eta);
        const double                ec    = std::exp(-alpha * f * eta);
        const double                S     = ea - ec;
        const double                dS    = f * ((1 - alpha) * ea + alpha * ec);
        const double                j     = j0 * S;
        const double                dj_deta = j0 * dS;
        const std::array<double, 3> J_u{{dj0_dce * S, -dj_deta, dj_deta}};
        const double                J_c = dj0_dcs * S - dj_deta * dU / c_max;
        if (!std::isfinite(j) || !std::isfinite(J_c) || !(ce > 0))
          throw NewtonFailure("reaction not finite");

        reaction[s] = j;
        if (frozen)
          {
            condensed_reaction[s] = j;
            reaction_gradient[s]  = J_u;
          }
        else
          {
            pm.residual_and_jacobian(c,
                                     &particle_history[s * n_p],
                                     bdf_a0,
                                     j,
                                     R,
                                     lower,
                                     diag,
                                     upper,
                                     scratch);
            // y = T^-1 e_N and z = T^-1 R in one sweep.
            double *yz = &tridiagonal_solutions[2 * s * n_p];
            std::fill_n(yz, n_p, 0.);
            yz[n_p - 1] = 1;
            std::copy_n(R, n_p, yz + n_p);
            solve_tridiagonal(n_p, lower, diag, upper, yz, 2);
            // dc_N = -z_N - g y_N dj and dj = J_u du + J_c dc_N give
            // dj = (J_u du - J_c z_N) / (1 + g J_c y_N).
            const double g = pm.surface_coefficient();
            const double D = 1 + g * J_c * yz[n_p - 1];
            if (!(D > 0))
              throw NewtonFailure("particle condensation singular");
            condensed_reaction[s] = j - J_c * yz[2 * n_p - 1] / D;
            for (unsigned int k = 0; k < 3; ++k)
              reaction_gradient[s][k] = J_u[k] / D;
          }

        // The reaction in the three macro equations of this node.
        const double                w = site.area_weight;
        const std::array<double, 3> row{{frozen ? 0 : -w / F, -w, w}};
        for (unsigned int a = 0; a < 3; ++a)
          {
            block_dofs[a] = site.dofs[a];
            block_rhs(a)  = row[a] * condensed_reaction[s];
            for (unsigned int b = 0; b < 3; ++b)
              block(a, b) = row[a] * reaction_gradient[s][b];
          }
        distribute_local_to_global(block, block_rhs, block_dofs, matrix);
      }
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::recover_particle_updates(const bool frozen)
  {
    // dc = -z - g y dj with dj = condensed j - j + dj/du du.
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const Site &site = sites[s];
        double      dj   = condensed_reaction[s] - reaction[s];
        for (unsigned int k = 0; k < 3; ++k)
          dj += reaction_gradient[s][k]
                * newton_update.local_element(site.local[k]);
        double *dc = &particle_update[s * n_p];
        if (frozen)
          std::fill_n(dc, n_p, 0.);
        else
          {
            const double g
              = particle_models[site.electrode].surface_coefficient();
            const double *y = &tridiagonal_solutions[2 * s * n_p];
            const double *z = y + n_p;
            for (unsigned int k = 0; k < n_p; ++k)
              dc[k] = -z[k] - g * y[k] * dj;
          }
        // j at the new state (to first order), for reporting.
        condensed_reaction[s] = reaction[s] + dj;
      }
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                 \
  template void ElectrodeSolver<dim>::setup_particles();             \
  template void ElectrodeSolver<dim>::assemble_particles(bool, Mat); \
  template void ElectrodeSolver<dim>::recover_particle_updates(bool);

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
