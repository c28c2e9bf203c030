// The mechanics of the electrode solver: after every accepted step the
// cell's equilibrium with the effective stiffness and swelling of its
// macro cells' states (one-way coupling).

#include <scalebridge/macro/electrode_solver.h>

#include <limits>

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
                               m.mean_hydrostatic_stress});
  }


#define SCALEBRIDGE_INSTANTIATE(dim)                     \
  template void ElectrodeSolver<dim>::setup_mechanics(); \
  template void ElectrodeSolver<dim>::solve_mechanics(ElectrodeResults &);

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
