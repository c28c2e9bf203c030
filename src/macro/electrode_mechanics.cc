// The mechanics of the electrode solver: after every accepted step the
// cell's equilibrium with the effective stiffness and swelling of its
// macro cells' states, and (Stress feedback) the shift of the particles'
// open-circuit potential by the hydrostatic stress.

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <limits>
#include <utility>

namespace scalebridge::macro
{
  template <int dim>
  void
  ElectrodeSolver<dim>::setup_mechanics()
  {
    if (!model.mechanical_properties)
      return;
    mechanics
      = std::make_unique<MechanicsSolver<dim>>(*triangulation,
                                               model.parameters.mechanics,
                                               *model.mechanical_properties,
                                               mpi_communicator);
    mechanics->setup();
    // The cell as built (the initial lithiation) is stress free; a
    // restarted run takes the same reference.
    mechanics->set_reference(cell_queries(true));
    pcout << "Mechanics: " << mechanics->n_dofs()
          << " displacement unknowns, collectors "
          << model.parameters.mechanics.collectors << ", in-plane "
          << model.parameters.mechanics.in_plane << std::endl;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::solve_mechanics(ElectrodeResults &results)
  {
    const MechanicsSnapshot m
      = mechanics->solve(cell_queries(false), current_time);
    const std::array<double, 3> shift = update_stress_feedback();
    results.region_thickness.assign(3, 0.);
    for (unsigned int r = 0; r < 3; ++r)
      if (model.regions[r].present)
        results.region_thickness[r] = model.regions[r].thickness;
    results.mechanics.add_row({current_time,
                               m.thickness_change[0],
                               m.thickness_change[1],
                               m.thickness_change[2],
                               m.cell_thickness_change,
                               m.max_von_mises,
                               m.mean_hydrostatic_stress,
                               shift[negative_electrode],
                               shift[positive_electrode]});
  }

  template <int dim>
  std::array<double, 3>
  ElectrodeSolver<dim>::update_stress_feedback()
  {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (!model.parameters.mechanics.stress_feedback)
      return {{nan, nan, nan}};
    // sigma_h at the nodes: sum over electrode cells of sigma_h int v_i,
    // divided by sum of int v_i (a node on an electrode's edge takes only
    // the electrode's cells; the separator is not a host).
    dealii::LinearAlgebra::distributed::Vector<double> weighted(
      locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    dealii::LinearAlgebra::distributed::Vector<double> weight(weighted);
    electrode_internal::for_each_lumped_cell(
      dof_handler,
      [&](const auto &cell) {
        return model.regions[cell->material_id()].electrode;
      },
      [&](const auto &cell, const auto &dofs, const auto &integrals) {
        const double sigma_h
          = dealii::trace(mechanics->cell_stress(cell->active_cell_index()))
            / 3;
        for (unsigned int i = 0; i < dofs.size(); ++i)
          {
            weighted(dofs[i]) += sigma_h * integrals[i];
            weight(dofs[i]) += integrals[i];
          }
      });
    weighted.compress(dealii::VectorOperation::add);
    weight.compress(dealii::VectorOperation::add);

    stress_potential_shift.resize(sites.size());
    // Per region: int shift and int 1 over the particles' volume.
    std::vector<double> totals(6, 0.);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const Site        &site = sites[s];
        const unsigned int i    = site.local[0];
        const double       omega
          = *model.regions[site.region].material->partial_molar_volume();
        stress_potential_shift[s] = omega * weighted.local_element(i)
                                    / weight.local_element(i)
                                    / constants::faraday;
        totals[site.region] += stress_potential_shift[s] * site.volume_weight;
        totals[3 + site.region] += site.volume_weight;
      }
    dealii::Utilities::MPI::sum(dealii::make_array_view(std::as_const(totals)),
                                mpi_communicator,
                                dealii::make_array_view(totals));
    std::array<double, 3> mean{{nan, nan, nan}};
    for (unsigned int r = 0; r < 3; ++r)
      if (totals[3 + r] > 0)
        mean[r] = totals[r] / totals[3 + r];
    return mean;
  }


#define SCALEBRIDGE_INSTANTIATE(dim)                                       \
  template void ElectrodeSolver<dim>::setup_mechanics();                   \
  template void ElectrodeSolver<dim>::solve_mechanics(ElectrodeResults &); \
  template std::array<double, 3> ElectrodeSolver<dim>::update_stress_feedback();

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
