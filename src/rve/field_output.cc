#include <deal.II/base/mpi.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_tools.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/numerics/data_component_interpretation.h>
#include <deal.II/numerics/data_out.h>

#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/termination.h>
#include <scalebridge/rve/field_output.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace scalebridge::rve
{
  std::vector<std::string>
  load_case_names(const CellProblem &problem)
  {
    const unsigned int       k   = problem.load_cases().n();
    const unsigned int       dim = problem.domain().grid().dim;
    std::vector<std::string> names;
    if (!problem.solution_is_fluctuation())
      {
        for (unsigned j = 0; j < k; ++j)
          names.push_back("s" + std::to_string(j + 1));
        return names;
      }
    if (problem.physics() == Physics::conduction)
      {
        for (unsigned j = 0; j < k; ++j)
          names.push_back(std::string("g") + "xyz"[j]);
        return names;
      }
    if (dim == 3)
      return {"e11", "e22", "e33", "e23", "e13", "e12"};
    return {"e11", "e22", "e12"};
  }

  template <int dim>
  void
  write_fields(const VoxelMesh<dim>               &mesh,
               const std::vector<LabelledProblem> &problems,
               const std::filesystem::path        &directory,
               const std::string                  &basename)
  {
    using VectorType    = dealii::LinearAlgebra::distributed::Vector<double>;
    const auto    &tria = mesh.triangulation();
    const MPI_Comm comm = mesh.get_communicator();
    const unsigned rank = dealii::Utilities::MPI::this_mpi_process(comm);
    // Safe points between the stages (each up to seconds on large cells):
    // mpirun ends the ranks about 2 s after it forwarded a termination signal.
    const auto safe_point = [&]() {
      io::stop_if_terminated(comm, "while writing the fields " + basename);
    };
    safe_point();

    // deal.II's FE_Q of the grid's degree: its cell dofs are numbered
    // hierarchically, the grid's lexicographically.
    const unsigned int      degree = mesh.grid(true).degree;
    dealii::FE_Q<dim>       fe_scalar(degree);
    dealii::FESystem<dim>   fe_vector(dealii::FE_Q<dim>(degree), dim);
    dealii::DoFHandler<dim> dof_scalar(tria), dof_vector(tria);
    dof_scalar.distribute_dofs(fe_scalar);
    dof_vector.distribute_dofs(fe_vector);
    const std::vector<unsigned int> hierarchic
      = dealii::FETools::lexicographic_to_hierarchic_numbering<dim>(degree);

    dealii::DataOut<dim> data_out;
    data_out.attach_triangulation(tria);

    // Owned cells of the triangulation and their index among the grid's
    // owned cells (the same set, in ascending order).
    std::vector<
      std::pair<typename dealii::Triangulation<dim>::active_cell_iterator,
                unsigned>>
                cells;
    const auto &owned = mesh.owned_cells();
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto it = std::lower_bound(owned.begin(),
                                           owned.end(),
                                           mesh.cell_index(cell));
          cells.emplace_back(cell, static_cast<unsigned>(it - owned.begin()));
        }

    std::vector<std::unique_ptr<dealii::Vector<float>>> cell_data;
    auto new_cell_vector = [&]() {
      cell_data.push_back(
        std::make_unique<dealii::Vector<float>>(tria.n_active_cells()));
      return cell_data.back().get();
    };
    {
      auto *phase = new_cell_vector();
      for (const auto &[cell, c] : cells)
        (*phase)[cell->active_cell_index()] = mesh.cell_phase()[owned[c]];
      data_out.add_data_vector(*phase,
                               "phase",
                               dealii::DataOut<dim>::type_cell_data);
    }

    std::vector<std::unique_ptr<VectorType>> nodal;
    for (const auto &[label, problem] : problems)
      {
        safe_point();
        const bool     elastic = problem->physics() == Physics::elasticity;
        const auto    &dofs    = elastic ? dof_vector : dof_scalar;
        const unsigned ncomp   = elastic ? dim : 1;
        const unsigned k       = problem->load_cases().n();
        if (k == 0)
          continue;
        const auto       &fine   = problem->domain().grid();
        const unsigned    nv     = fine.nodes_per_cell();
        const auto       &level  = mesh.hierarchy(fine.periodic).finest();
        const auto       &u      = problem->solution();
        const auto        names  = load_case_names(*problem);
        const auto        stress = problem->cell_stresses();
        const unsigned    ns     = n_strains(problem->physics(), dim);
        const std::string field
          = problem->solution_is_fluctuation() ? "fluctuation" : "field";

        dealii::IndexSet relevant;
        dealii::DoFTools::extract_locally_relevant_dofs(dofs, relevant);
        std::vector<dealii::types::global_dof_index> dof_indices(
          dofs.get_fe().n_dofs_per_cell());
        for (unsigned j = 0; j < k; ++j)
          {
            nodal.push_back(std::make_unique<VectorType>(
              dofs.locally_owned_dofs(), relevant, comm));
            VectorType &v = *nodal.back();
            for (const auto &[cell, c] : cells)
              {
                const typename dealii::DoFHandler<dim>::active_cell_iterator dc(
                  &tria, cell->level(), cell->index(), &dofs);
                dc->get_dof_indices(dof_indices);
                for (unsigned node = 0; node < nv; ++node)
                  for (unsigned comp = 0; comp < ncomp; ++comp)
                    v(dof_indices[dofs.get_fe().component_to_system_index(
                      comp, hierarchic[node])])
                      = u.data.local_element(
                        (std::size_t(level.cell_nodes[c * nv + node]) * ncomp
                         + comp)
                          * k
                        + j);
              }
            v.update_ghost_values();
            const std::string name = label + "_" + names[j] + "_" + field;
            if (elastic)
              data_out.add_data_vector(
                dofs,
                v,
                std::vector<std::string>(dim, name),
                std::vector<dealii::DataComponentInterpretation::
                              DataComponentInterpretation>(
                  dim,
                  dealii::DataComponentInterpretation::
                    component_is_part_of_vector));
            else
              data_out.add_data_vector(dofs, v, name);

            // stress (tensor components) or flux
            const std::vector<std::string> components
              = elastic
                  ? (dim == 3 ? std::vector<std::string>{"xx",
                                                         "yy",
                                                         "zz",
                                                         "yz",
                                                         "xz",
                                                         "xy"}
                              : std::vector<std::string>{"xx", "yy", "xy"})
                  : std::vector<std::string>{"x", "y", "z"};
            for (unsigned m = 0; m < ns; ++m)
              {
                auto        *s     = new_cell_vector();
                const double scale = (elastic && m >= (dim == 3 ? 3u : 2u))
                                       ? 1. / std::sqrt(2.)
                                       : 1.;
                for (const auto &[cell, c] : cells)
                  (*s)[cell->active_cell_index()]
                    = scale * stress[(std::size_t(c) * k + j) * ns + m];
                data_out.add_data_vector(*s,
                                         label + "_" + names[j]
                                           + (elastic ? "_stress_" : "_flux_")
                                           + components[m],
                                         dealii::DataOut<dim>::type_cell_data);
              }
          }
      }

    // Fast zlib: with the default level compression costs more than the
    // cell problems on large grids.
    dealii::DataOutBase::VtkFlags flags;
    flags.compression_level = dealii::DataOutBase::VtkFlags::best_speed;
    data_out.set_flags(flags);
    // one patch subdivision per degree: the patch points are the nodes
    safe_point();
    data_out.build_patches(degree);
    safe_point();
    const std::string piece = basename + "_" + std::to_string(rank) + ".vtu";
    io::write_atomically(directory / piece,
                         [&](std::ostream &out) { data_out.write_vtu(out); });
    MPI_Barrier(comm);
    if (rank == 0)
      {
        std::vector<std::string> pieces;
        for (unsigned r = 0; r < dealii::Utilities::MPI::n_mpi_processes(comm);
             ++r)
          pieces.push_back(basename + "_" + std::to_string(r) + ".vtu");
        io::write_atomically(directory / (basename + ".pvtu"),
                             [&](std::ostream &out) {
                               data_out.write_pvtu_record(out, pieces);
                             });
      }
  }

  template void
  write_fields<2>(const VoxelMesh<2> &,
                  const std::vector<LabelledProblem> &,
                  const std::filesystem::path &,
                  const std::string &);
  template void
  write_fields<3>(const VoxelMesh<3> &,
                  const std::vector<LabelledProblem> &,
                  const std::filesystem::path &,
                  const std::string &);
} // namespace scalebridge::rve
