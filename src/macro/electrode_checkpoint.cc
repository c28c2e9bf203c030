// Checkpoints of ElectrodeSolver: everything a run needs to continue, as
// per-cell records (the values at the cell's nodes and its transport
// tensors) that deal.II's distributed triangulation saves with the mesh and
// hands back on any number of processes (2D, 3D; in 1D every process holds
// the whole problem and rank 0 writes the records), plus a Boost archive of
// the scalars: time stepper, protocol position, results so far, and the
// effective-properties provider's tables.

#include <deal.II/base/timer.h>

#include <deal.II/distributed/tria.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/macro/checkpoint.h>
#include <scalebridge/macro/electrode_solver.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstring>
#include <fstream>
#include <iostream>

namespace scalebridge::macro
{
  using namespace dealii;

  namespace
  {
    const char *const state_file = "state.bin";
    const char *const cells_file = "cells.bin";
    const char *const mesh_file  = "mesh";
    const char *const input_file = "input.json";

    /// Bumped whenever the layout below changes.
    constexpr unsigned int format_version = 1;
    /// History states a record has room for (BDF2 keeps up to 3).
    constexpr unsigned int history_depth = 3;
    /// Values per dof besides particles: solution, capacity, next capacity,
    /// and per history state its macro value and capacity.
    constexpr unsigned int macro_values = 3 + 2 * history_depth;
    /// Electrolyte and solid 3x3 tensors and the porosity of a cell.
    constexpr unsigned int transport_values = 19;

    /// Particle values of a node (present and history) spread over its 3
    /// dofs: slots per dof.
    unsigned int
    particle_slots(const unsigned int n_p)
    {
      return ((1 + history_depth) * n_p + 2) / 3;
    }

    /**
     * Calls @p f(i, k, m) for every particle value of every site in the
     * record layout: i its index in the node vector (record width @p width),
     * k its state (0 the present, k history state k - 1), m its index in
     * the particle arrays.
     */
    template <class Sites, class Function>
    void
    for_each_particle_value(const Sites       &sites,
                            const unsigned int n_p,
                            const unsigned int n_states,
                            const unsigned int width,
                            const Function    &f)
    {
      const unsigned int P = particle_slots(n_p);
      for (std::size_t s = 0; s < sites.size(); ++s)
        for (unsigned int q = 0; q < n_states * n_p; ++q)
          f(sites[s].dofs[q / P] * width + macro_values + q % P,
            q / n_p,
            s * n_p + q % n_p);
    }

    /// The dofs of the active cell @p cell of @p dof_handler's mesh.
    template <int dim>
    std::vector<types::global_dof_index>
    dof_indices_of(const DoFHandler<dim> &dof_handler,
                   const typename Triangulation<dim>::cell_iterator &cell)
    {
      std::vector<types::global_dof_index> dofs(
        dof_handler.get_fe().n_dofs_per_cell());
      typename DoFHandler<dim>::cell_iterator(&cell->get_triangulation(),
                                              cell->level(),
                                              cell->index(),
                                              &dof_handler)
        ->get_dof_indices(dofs);
      return dofs;
    }
  } // namespace

  template <int dim>
  unsigned int
  ElectrodeSolver<dim>::node_record_width() const
  {
    return macro_values + particle_slots(n_p);
  }

  template <int dim>
  LinearAlgebra::distributed::Vector<double>
  ElectrodeSolver<dim>::gather_nodal_state() const
  {
    // One block of W values per dof: owned blocks are contiguous, as the
    // owned dofs are.
    const unsigned int            W = node_record_width();
    const types::global_dof_index N = dof_handler.n_dofs();
    IndexSet                      owned(N * W), relevant(N * W);
    for (const auto g : locally_owned_dofs)
      owned.add_range(g * W, (g + 1) * W);
    for (const auto g : locally_relevant_dofs)
      relevant.add_range(g * W, (g + 1) * W);
    LinearAlgebra::distributed::Vector<double> nodes(owned,
                                                     relevant,
                                                     mpi_communicator);
    const unsigned int n_owned = locally_owned_dofs.n_elements();
    if (history.empty())
      return nodes; // a restart fills it from the records
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        double *block = &nodes.local_element(std::size_t(i) * W);
        block[0]      = solution.local_element(i);
        block[1]      = capacity.local_element(i);
        block[2]
          = next_capacity.size() > 0 ? next_capacity.local_element(i) : 0.;
        for (unsigned int k = 0; k < history.size(); ++k)
          {
            block[3 + 2 * k] = history[k].macro.local_element(i);
            block[4 + 2 * k] = history[k].capacity[i];
          }
      }
    for_each_particle_value(sites,
                            n_p,
                            1 + history.size(),
                            W,
                            [&](const types::global_dof_index i,
                                const unsigned int            k,
                                const std::size_t             m) {
                              nodes(i) = k == 0 ? particles[m]
                                                : history[k - 1].particles[m];
                            });
    nodes.update_ghost_values();
    return nodes;
  }

  template <int dim>
  std::vector<char>
  ElectrodeSolver<dim>::pack_cell(
    const typename Triangulation<dim>::cell_iterator &cell,
    const LinearAlgebra::distributed::Vector<double> &nodes) const
  {
    const unsigned int  W    = node_record_width();
    const auto          dofs = dof_indices_of(dof_handler, cell);
    const unsigned int  n    = dofs.size();
    std::vector<double> values;
    values.reserve(n * W + transport_values);
    for (const auto g : dofs)
      for (unsigned int j = 0; j < W; ++j)
        values.push_back(nodes(g * W + j));
    const EffectiveTransport &t = cell_transport[cell->active_cell_index()];
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        values.push_back(t.electrolyte[i][j]);
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        values.push_back(t.solid[i][j]);
    values.push_back(t.porosity);
    std::vector<char> bytes(values.size() * sizeof(double));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::unpack_cell(
    const typename Triangulation<dim>::cell_iterator &cell,
    const char                                       *data,
    LinearAlgebra::distributed::Vector<double>       &nodes)
  {
    const unsigned int  W    = node_record_width();
    const auto          dofs = dof_indices_of(dof_handler, cell);
    const unsigned int  n    = dofs.size();
    std::vector<double> values(n * W + transport_values);
    std::memcpy(values.data(), data, values.size() * sizeof(double));
    for (unsigned int i = 0; i < n; ++i)
      if (locally_owned_dofs.is_element(dofs[i]))
        for (unsigned int j = 0; j < W; ++j)
          nodes(dofs[i] * W + j) = values[i * W + j];
    EffectiveTransport t;
    const double      *v = &values[n * W];
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        t.electrolyte[i][j] = *v++;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        t.solid[i][j] = *v++;
    t.porosity                                = *v;
    cell_transport[cell->active_cell_index()] = t;
    cell_efficiency[cell->active_cell_index()]
      = efficiency_of(t, cell->material_id());
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::scatter_nodal_state(
    const LinearAlgebra::distributed::Vector<double> &nodes)
  {
    const unsigned int W       = node_record_width();
    const unsigned int n_owned = locally_owned_dofs.n_elements();
    const unsigned int n_hist  = resumed_history_times.size();
    history.clear();
    for (unsigned int k = 0; k < n_hist; ++k)
      {
        State state;
        state.time = resumed_history_times[k];
        state.macro.reinit(locally_owned_dofs, mpi_communicator);
        state.capacity.resize(n_owned);
        state.particles.resize(particles.size());
        history.push_back(std::move(state));
      }
    if (capacity_pending)
      next_capacity.reinit(locally_owned_dofs,
                           locally_relevant_dofs,
                           mpi_communicator);
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        const double *block       = nodes.begin() + std::size_t(i) * W;
        solution.local_element(i) = block[0];
        capacity.local_element(i) = block[1];
        if (capacity_pending)
          next_capacity.local_element(i) = block[2];
        for (unsigned int k = 0; k < n_hist; ++k)
          {
            history[k].macro.local_element(i) = block[3 + 2 * k];
            history[k].capacity[i]            = block[4 + 2 * k];
          }
      }
    for_each_particle_value(sites,
                            n_p,
                            1 + n_hist,
                            W,
                            [&](const types::global_dof_index i,
                                const unsigned int            k,
                                const std::size_t             m) {
                              (k == 0 ? particles[m]
                                      : history[k - 1].particles[m])
                                = nodes(i);
                            });
    solution.update_ghost_values();
    capacity.update_ghost_values();
    if (capacity_pending)
      next_capacity.update_ghost_values();
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::write_checkpoint(const RunState &state)
  {
    TimerOutput::Scope          t(computing_timer, "checkpoint");
    const Timer                 timer;
    const CheckpointParameters &cp = model.parameters.checkpoint;
    io::CheckpointWriter        writer(cp.directory,
                                io::checkpoint_name(current_time),
                                job_communicator);
    const LinearAlgebra::distributed::Vector<double> nodes
      = gather_nodal_state();
    const auto pack = [&](const typename Triangulation<dim>::cell_iterator &c) {
      return pack_cell(c, nodes);
    };
    if constexpr (dim > 1)
      {
        auto &tria
          = dynamic_cast<parallel::DistributedTriangulationBase<dim> &>(
            *triangulation);
        tria.register_data_attach([&](const auto &cell,
                                      const auto) { return pack(cell); },
                                  false);
        tria.save((writer.staging() / mesh_file).string());
      }

    io::on_root_collectively(job_communicator, [&]() {
      if constexpr (dim == 1)
        {
          std::vector<std::vector<char>> records;
          for (const auto &cell : triangulation->active_cell_iterators())
            records.push_back(pack(cell));
          std::ofstream out(writer.staging() / cells_file, std::ios::binary);
          boost::archive::binary_oarchive archive(out);
          archive << records;
          if (!out.flush())
            throw std::runtime_error("cannot write the checkpoint in '"
                                     + cp.directory + "'");
        }
      std::vector<double> times;
      for (const State &s : history)
        times.push_back(s.time);
      unsigned int version = format_version, d = dim, np = n_p,
                   control_value  = control == Control::voltage ? 1 : 0;
      unsigned long long n_cells  = triangulation->n_global_active_cells();
      const std::string  provider = model.effective_properties->save_state();
      {
        std::ofstream out(writer.staging() / state_file, std::ios::binary);
        boost::archive::binary_oarchive archive(out);
        archive << version << d << np << n_cells << times << current_time
                << bdf_a0 << bdf_order << last_error << control_value
                << applied_current << applied_voltage << capacity_pending
                << pivoting_solver << statistics << state << provider;
        if (!out.flush())
          throw std::runtime_error("cannot write the checkpoint in '"
                                   + cp.directory + "'");
      }
      io::write_atomically(writer.staging() / input_file,
                           [&](std::ostream &out) {
                             out << input_identity.dump(1) << '\n';
                           });
    });
    const auto folder = writer.commit(cp.keep);
    pcout << "  checkpoint " << folder.string();
    if (!model.parameters.output.deterministic)
      {
        std::uintmax_t bytes = 0;
        if (Utilities::MPI::this_mpi_process(job_communicator) == 0)
          for (const auto &entry : std::filesystem::directory_iterator(folder))
            bytes += entry.file_size();
        pcout << " (" << format_number(bytes / 1e6, 3) << " MB, "
              << format_number(timer.wall_time(), 3) << " s)";
      }
    pcout << std::endl;
  }

  template <int dim>
  void
  ElectrodeSolver<dim>::read_checkpoint_scalars(const std::string &folder)
  {
    const std::filesystem::path path    = folder;
    unsigned int                version = 0, d = 0, np = 0, control_value = 0;
    unsigned long long          n_cells = 0;
    std::string                 provider;
    RunState                    state;
    try
      {
        std::ifstream                   in(path / state_file, std::ios::binary);
        boost::archive::binary_iarchive archive(in);
        archive >> version;
        if (version != format_version)
          throw InputError(folder,
                           state_file,
                           "was written by another version of ScaleBridge "
                           "(checkpoint format "
                             + std::to_string(version) + ", this one reads "
                             + std::to_string(format_version) + ")");
        archive >> d >> np >> n_cells >> resumed_history_times >> current_time
          >> bdf_a0 >> bdf_order >> last_error >> control_value
          >> applied_current >> applied_voltage >> capacity_pending
          >> pivoting_solver >> statistics >> state >> provider;
        if constexpr (dim == 1)
          {
            std::ifstream in_cells(path / cells_file, std::ios::binary);
            boost::archive::binary_iarchive cells(in_cells);
            cells >> serial_records;
          }
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        throw InputError(folder,
                         state_file,
                         std::string("cannot be read (") + e.what() + ")");
      }
    if (d != dim || np != model.parameters.mesh.particle_cells + 1)
      throw InputError(
        folder,
        state_file,
        "holds a " + std::to_string(d) + "D cell with " + std::to_string(np)
          + " particle nodes; this input has " + std::to_string(dim) + "D and "
          + std::to_string(model.parameters.mesh.particle_cells + 1));
    control = control_value == 1 ? Control::voltage : Control::current;
    resumed = std::move(state);
    model.effective_properties->load_state(provider);
    if constexpr (dim > 1)
      {
        dynamic_cast<parallel::DistributedTriangulationBase<dim> &>(
          *triangulation)
          .load((path / mesh_file).string());
        assign_regions();
      }
    if (triangulation->n_global_active_cells() != n_cells)
      throw InputError(
        folder,
        mesh_file,
        "holds " + std::to_string(n_cells) + " cells, this input's mesh "
          + std::to_string(triangulation->n_global_active_cells()));
  }

#define SCALEBRIDGE_INSTANTIATE(dim)                                           \
  template unsigned int ElectrodeSolver<dim>::node_record_width() const;       \
  template LinearAlgebra::distributed::Vector<double>                          \
                             ElectrodeSolver<dim>::gather_nodal_state() const; \
  template std::vector<char> ElectrodeSolver<dim>::pack_cell(                  \
    const Triangulation<dim>::cell_iterator &,                                 \
    const LinearAlgebra::distributed::Vector<double> &) const;                 \
  template void ElectrodeSolver<dim>::unpack_cell(                             \
    const Triangulation<dim>::cell_iterator &,                                 \
    const char *,                                                              \
    LinearAlgebra::distributed::Vector<double> &);                             \
  template void ElectrodeSolver<dim>::scatter_nodal_state(                     \
    const LinearAlgebra::distributed::Vector<double> &);                       \
  template void ElectrodeSolver<dim>::write_checkpoint(const RunState &);      \
  template void ElectrodeSolver<dim>::read_checkpoint_scalars(                 \
    const std::string &);

  SCALEBRIDGE_INSTANTIATE(1)
  SCALEBRIDGE_INSTANTIATE(2)
  SCALEBRIDGE_INSTANTIATE(3)
#undef SCALEBRIDGE_INSTANTIATE
} // namespace scalebridge::macro
