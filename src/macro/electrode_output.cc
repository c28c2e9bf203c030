// ElectrodeSolver: what it writes: profiles along y = z = 0, the per-cell
// fields (porosity, transport efficiencies), the particles' surface fields
// and the VTU files, and when (the profile times of run()).

#include <deal.II/numerics/data_out.h>

#include <scalebridge/macro/electrode_solver.h>

#include "electrode_solver_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace scalebridge::macro
{
  using namespace dealii;
  using namespace electrode_internal;

  template <int dim>
  void
  ElectrodeSolver<dim>::take_snapshot(ElectrodeResults &results)
  {
    results.profiles.push_back(profile());
    if (!vtu_output.empty())
      output_results(vtu_output, results.profiles.size() - 1, results);
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::take_due_snapshots(RunState &state)
  {
    const std::vector<double> &profile_times = model.profile_times;
    bool                       taken         = false;
    while (state.next_profile < profile_times.size()
           && profile_times[state.next_profile]
                <= current_time * (1 + 1e-12) + 1e-12)
      {
        if (!taken)
          take_snapshot(state.results);
        taken = true;
        ++state.next_profile;
      }
  }

  template <int dim>
  std::vector<std::string>
  ElectrodeSolver<dim>::cell_field_names()
  {
    // 1D cells use xx; yy shows the in-plane efficiency of the same RVE.
    std::vector<std::string> names{"porosity"};
    for (const std::string phase : {"electrolyte", "solid"})
      for (unsigned int d = 0; d < std::max<unsigned int>(dim, 2); ++d)
        names.push_back(phase + "_efficiency_" + std::string(2, "xyz"[d]));
    return names;
  }

  template <int dim>
  std::vector<double>
  ElectrodeSolver<dim>::cell_field_values(const unsigned int cell) const
  {
    const EffectiveTransport &t = cell_transport[cell];
    const unsigned int        n = std::max<unsigned int>(dim, 2);
    std::vector<double>       values{t.porosity};
    for (unsigned int d = 0; d < n; ++d)
      values.push_back(t.electrolyte[d][d]);
    for (unsigned int d = 0; d < n; ++d)
      values.push_back(t.solid[d][d]);
    return values;
  }

  template <int dim>
  std::vector<LinearAlgebra::distributed::Vector<double>>
  ElectrodeSolver<dim>::nodal_cell_fields() const
  {
    // Mean over the cells around a node of the values that are defined
    // there (the solid's are not in the separator), at the node's first
    // dof; NaN where none is.
    const unsigned int n_fields = cell_field_names().size();
    std::vector<LinearAlgebra::distributed::Vector<double>> sum(2 * n_fields);
    for (auto &v : sum)
      v.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const std::vector<double> values
            = cell_field_values(cell->active_cell_index());
          for (const unsigned int v : cell->vertex_indices())
            for (unsigned int k = 0; k < n_fields; ++k)
              if (std::isfinite(values[k]))
                {
                  sum[k](cell->vertex_dof_index(v, 0)) += values[k];
                  sum[n_fields + k](cell->vertex_dof_index(v, 0)) += 1;
                }
        }
    std::vector<LinearAlgebra::distributed::Vector<double>> mean(n_fields);
    for (unsigned int k = 0; k < n_fields; ++k)
      {
        sum[k].compress(VectorOperation::add);
        sum[n_fields + k].compress(VectorOperation::add);
        mean[k].reinit(locally_owned_dofs,
                       locally_relevant_dofs,
                       mpi_communicator);
        for (unsigned int i = 0; i < locally_owned_dofs.n_elements(); ++i)
          {
            const double count = sum[n_fields + k].local_element(i);
            mean[k].local_element(i)
              = count > 0 ? sum[k].local_element(i) / count
                          : std::numeric_limits<double>::quiet_NaN();
          }
        mean[k].update_ghost_values();
      }
    return mean;
  }

  template <int dim>
  ProfileSnapshot
  ElectrodeSolver<dim>::profile() const
  {
    // Nodes on the line y = z = 0, owned here; rank 0 collects and sorts.
    const double nan         = std::numeric_limits<double>::quiet_NaN();
    const double length      = model.interfaces()[3];
    const auto   cell_fields = nodal_cell_fields();
    std::vector<std::vector<double>>  rows;
    std::set<types::global_dof_index> done;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int v : cell->vertex_indices())
          {
            const Point<dim> &p  = cell->vertex(v);
            bool              on = true;
            for (unsigned int d = 1; d < dim; ++d)
              on = on && std::abs(p[d]) < 1e-9 * length;
            const types::global_dof_index d0 = cell->vertex_dof_index(v, 0);
            if (!on || !locally_owned_dofs.is_element(d0)
                || !done.insert(d0).second)
              continue;
            const types::global_dof_index d2
              = cell->vertex_dof_index(v, phis_component);
            std::vector<double> row{
              p[0],
              solution(d0),
              solution(cell->vertex_dof_index(v, phie_component)),
              solution(d2),
              nan,
              nan,
              nan};
            const auto site = site_of_dof.find(d0);
            if (site == site_of_dof.end())
              row[3] = nan; // no solid phase here
            else
              {
                const std::size_t s     = site->second;
                const double      c_max = particle_models[sites[s].electrode]
                                       .material()
                                       .max_concentration();
                row[4] = particles[s * n_p + n_p - 1];
                row[5] = row[4] / c_max;
                row[6] = reaction[s];
              }
            for (const auto &field : cell_fields)
              row.push_back(field(d0));
            rows.push_back(row);
          }
    const auto all = Utilities::MPI::gather(mpi_communicator, rows, 0);
    std::vector<std::string> columns = ProfileSnapshot().table.column_names();
    for (const std::string &name : cell_field_names())
      columns.push_back(name);
    ProfileSnapshot snapshot;
    snapshot.time  = current_time;
    snapshot.table = io::CsvTable(columns);
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      {
        std::vector<std::vector<double>> merged;
        for (const auto &part : all)
          merged.insert(merged.end(), part.begin(), part.end());
        std::sort(merged.begin(),
                  merged.end(),
                  [](const auto &a, const auto &b) { return a[0] < b[0]; });
        for (const auto &row : merged)
          snapshot.table.add_row(row);
      }
    return snapshot;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::compute_surface_fields(
    LinearAlgebra::distributed::Vector<double> &fields) const
  {
    fields.reinit(locally_owned_dofs, locally_relevant_dofs, mpi_communicator);
    for (std::size_t s = 0; s < sites.size(); ++s)
      {
        const double cs                         = particles[s * n_p + n_p - 1];
        fields.local_element(sites[s].local[0]) = cs;
        fields.local_element(sites[s].local[1])
          = cs
            / particle_models[sites[s].electrode]
                .material()
                .max_concentration();
        fields.local_element(sites[s].local[2]) = reaction[s];
      }
    fields.update_ghost_values();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::output_results(const std::string &directory,
                                       const unsigned int index,
                                       ElectrodeResults  &results) const
  {
    TimerOutput::Scope timer_section(computing_timer, "output");
    LinearAlgebra::distributed::Vector<double> fields;
    compute_surface_fields(fields);
    solution.update_ghost_values();

    DataOut<dim> data_out;
    data_out.attach_dof_handler(dof_handler);
    data_out.add_data_vector(solution,
                             std::vector<std::string>{"ce", "phi_e", "phi_s"});
    data_out.add_data_vector(
      fields, std::vector<std::string>{"cs_surf", "x_surf", "j_reaction"});
    Vector<float> region(triangulation->n_active_cells());
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        region(cell->active_cell_index()) = cell->material_id();
    data_out.add_data_vector(region, "region");
    const std::vector<std::string> names = cell_field_names();
    std::vector<Vector<float>>     cell_fields(
      names.size(), Vector<float>(triangulation->n_active_cells()));
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto values = cell_field_values(cell->active_cell_index());
          for (unsigned int k = 0; k < names.size(); ++k)
            cell_fields[k](cell->active_cell_index()) = values[k];
        }
    for (unsigned int k = 0; k < names.size(); ++k)
      data_out.add_data_vector(cell_fields[k], names[k]);
    if (mechanics)
      mechanics->add_output_fields(data_out);
    data_out.build_patches();
    DataOutBase::VtkFlags flags;
    flags.time = current_time;
    data_out.set_flags(flags);
    const std::string record = data_out.write_vtu_with_pvtu_record(
      directory + "/", "solution", index, mpi_communicator, 4, 1);
    results.vtu_files.push_back(record);
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                          \
  template void ElectrodeSolver<dim>::take_snapshot(ElectrodeResults &);      \
  template void ElectrodeSolver<dim>::take_due_snapshots(RunState &);         \
  template std::vector<std::string> ElectrodeSolver<dim>::cell_field_names(); \
  template std::vector<double>      ElectrodeSolver<dim>::cell_field_values(  \
    unsigned int) const;                                                 \
  template std::vector<LinearAlgebra::distributed::Vector<double>>            \
                           ElectrodeSolver<dim>::nodal_cell_fields() const;   \
  template ProfileSnapshot ElectrodeSolver<dim>::profile() const;             \
  template void            ElectrodeSolver<dim>::compute_surface_fields(      \
    LinearAlgebra::distributed::Vector<double> &) const;           \
  template void ElectrodeSolver<dim>::output_results(const std::string &,     \
                                                     unsigned int,            \
                                                     ElectrodeResults &)      \
    const;

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
