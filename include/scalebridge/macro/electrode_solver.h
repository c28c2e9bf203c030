#ifndef scalebridge_macro_electrode_solver_h
#define scalebridge_macro_electrode_solver_h

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_system.h>

#include <deal.II/grid/tria.h>

#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/vector.h>

#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/electrode_results.h>
#include <scalebridge/macro/mechanics_solver.h>
#include <scalebridge/macro/particle_model.h>

#include <petscksp.h>

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace scalebridge::macro
{
  /**
   * The porous-electrode (Doyle-Fuller-Newman, P2D) solver on a mesh of
   * dimension @p dim (x through the thickness; y, z in-plane), full cell or
   * half cell (Butler-Volmer at the lithium foil at x = 0).
   *
   * Macro unknowns (ce, phi_e, phi_s) are Q1 finite elements (phi_s only in
   * the electrodes; elsewhere constrained to zero). A spherical particle
   * (ParticleModel: vertex-centred finite volumes) sits at every electrode
   * node; reaction and capacity terms are integrated by the nodal (lumped)
   * rule, so that each particle couples to the three macro values at its own
   * node only. In Newton's method each particle is eliminated exactly (two
   * tridiagonal solves per particle and iteration, static condensation),
   * leaving a global system of 3 unknowns per node with the exact Jacobian;
   * particle updates are recovered afterwards. Because every discrete
   * balance is linear in the unknowns and solved exactly, lithium is
   * conserved to round-off at every Newton iterate.
   *
   * The global system goes to a sparse direct PETSc solver (options prefix
   * macro_): PETSc's LU on one process (KLU, which pivots, if a pivot
   * vanishes), the gathered matrix factored on every process up to 1e5
   * unknowns, MUMPS beyond.
   *
   * Time stepping is variable-step BDF2 (started by one backward-Euler step,
   * restarted with consistent potentials at every change of control) with a
   * predictor-corrector estimate of the local error; steps land on the
   * profile times and the ends of protocol steps, and a voltage (or current)
   * limit crossed inside a step is located by re-solving the step with
   * secant-updated lengths until the limit is met to 1e-6 V.
   *
   * Effective transport comes only through the EffectivePropertiesProvider
   * of the CellModel: once per region if it is constant, once per cell and
   * time step (from the converged state) if it depends on the state.
   *
   * In 1D the problem is small: each MPI process solves it whole (on
   * MPI_COMM_SELF), so results cannot depend on the number of processes. In
   * 2D and 3D the mesh is a parallel::distributed::Triangulation on the
   * given communicator.
   */
  template <int dim>
  class ElectrodeSolver
  {
  public:
    /// @p verbose: progress lines on rank 0 of @p mpi_communicator.
    ElectrodeSolver(const CellModel &model,
                    MPI_Comm         mpi_communicator,
                    bool             verbose = true);

    ~ElectrodeSolver();

    /**
     * Mesh, unknowns, particles and the initial state; or, given a verified
     * @p checkpoint folder, the state saved there, from which run()
     * continues (on any number of processes).
     */
    void
    setup(const std::string &checkpoint = "");

    /// Runs the protocol (or its rest, after a restart); VTU files (2D,
    /// 3D) go to @p vtu_directory unless it is empty. Checkpoints are
    /// written as the parameters' `Checkpoint` asks.
    ElectrodeResults
    run(const std::string &vtu_directory = "");

    /// Most time steps (accepted and rejected) of one run: a run that
    /// needs more (a tiny tolerance, a protocol of years) ends with an
    /// error naming the entries, instead of running for days.
    static constexpr unsigned int max_time_steps = 1000000;

    /** @name State queries (collective) */
    ///@{
    double
    time() const;
    /// phi_s averaged over the positive collector minus that at x = 0.
    double
    terminal_voltage() const;
    /// Applied (or, at constant voltage, resulting) current density.
    double
    current_density() const;
    LithiumInventory
    lithium_inventory() const;
    /// Mean stoichiometry of the negative and positive solid.
    std::array<double, 2>
    mean_stoichiometry() const;
    /// Nodal values on the line y = z = 0 (complete on rank 0).
    ProfileSnapshot
    profile() const;
    ///@}

  private:
    /// A particle at an electrode node.
    struct Site
    {
      std::array<dealii::types::global_dof_index, 3> dofs;
      std::array<unsigned int, 3>                    local;
      unsigned int                                   region;
      /// Index into particle_models.
      unsigned int electrode;
      double       area_weight;
      double       volume_weight;
    };

    /// One converged state and its time.
    struct State
    {
      double                                             time;
      dealii::LinearAlgebra::distributed::Vector<double> macro;
      std::vector<double>                                particles;
      /// The lumped capacity int eps v_i (owned part) the state was
      /// computed with: the electrolyte balance is d(eps ce)/dt, and the
      /// porosity of a state-dependent provider may change between steps.
      std::vector<double> capacity;
    };

    enum class Control
    {
      current,
      voltage
    };

    /**
     * Where run() stands: the protocol step, whether its start (new control,
     * consistent potentials) is done, the step controller, and what was
     * reported so far. Saved with every checkpoint.
     */
    struct RunState
    {
      std::size_t      step    = 0;
      bool             in_step = false;
      double           h       = 0;
      double           g_now   = 0;
      double           t_end   = 0;
      StepReport       report;
      std::size_t      next_profile    = 0;
      double           next_progress   = 0;
      double           next_checkpoint = 0;
      double           last_t          = 0;
      double           last_V          = 0;
      double           last_I          = 0;
      ElectrodeResults results;

      template <class Archive>
      void
      serialize(Archive &archive, const unsigned int)
      {
        archive &step &in_step &h &g_now &t_end &report &next_profile
          &next_progress &next_checkpoint &last_t &last_V &last_I &results;
      }
    };

    /** @name Mesh, unknowns, linear solver, initial state
     * (electrode_solver.cc) */
    ///@{
    void
    make_grid();
    /// Material ids (regions) by the cells' centres.
    void
    assign_regions();
    void
    setup_system();
    /// The PETSc solver; @p pivoting: a factorization with pivoting.
    void
    setup_linear_solver(bool pivoting);
    void
    solve_linear_system();
    void
    set_initial_state();
    ///@}

    /** @name Checkpoints (electrode_checkpoint.cc) */
    ///@{
    /// Writes the state and @p state into a new checkpoint folder.
    void
    write_checkpoint(const RunState &state);
    /// Reads the mesh (2D, 3D) and the scalars of the folder; the nodal
    /// state follows after setup_system() through unpack_nodal_state().
    void
    read_checkpoint_scalars(const std::string &folder);
    /// Values per node in a cell record: solution, capacity, next capacity
    /// (3 components each), the 3 history states' macro values and
    /// capacities, the particle and the 3 history states' particles.
    unsigned int
    node_record_width() const;
    /// Node-by-node values of everything a checkpoint keeps (ghosted), in
    /// the layout of node_record_width(), indexed by component-0 dof.
    dealii::LinearAlgebra::distributed::Vector<double>
    gather_nodal_state() const;
    /// The record of one cell: its nodes' values, its transport tensors.
    std::vector<char>
    pack_cell(
      const typename dealii::Triangulation<dim>::cell_iterator &cell,
      const dealii::LinearAlgebra::distributed::Vector<double> &nodes) const;
    void
    unpack_cell(const typename dealii::Triangulation<dim>::cell_iterator &cell,
                const char                                               *data,
                dealii::LinearAlgebra::distributed::Vector<double> &nodes);
    /// Distributes the unpacked node values into the solver's vectors.
    void
    scatter_nodal_state(
      const dealii::LinearAlgebra::distributed::Vector<double> &nodes);
    ///@}

    /** @name The DFN residual and Jacobian (electrode_assembly.cc) */
    ///@{
    void
    update_effective_properties();
    /**
     * One query per locally owned active cell (in the order of the active
     * cells) with the cell's state: mean electrolyte concentration and mean
     * lithium site fraction of its nodes' particles (collective in 2D/3D).
     * @p initial: the lithiation of the initial state instead (the
     * stress-free reference of the mechanics).
     */
    std::vector<MacroPointQuery>
    cell_queries(bool initial);
    /// The dim x dim efficiencies the assembly uses, from a provider's
    /// answer (throws if components are missing).
    std::pair<dealii::Tensor<2, dim>, dealii::Tensor<2, dim>>
    efficiency_of(const EffectiveTransport &t, unsigned int region) const;
    /// Lumped electrolyte capacity int eps v_i with the cells' porosities,
    /// into @p target.
    void
    assemble_capacity(
      dealii::LinearAlgebra::distributed::Vector<double> &target) const;
    /// Adds a cell's or node's contribution, eliminating constrained dofs.
    void
    distribute_local_to_global(
      dealii::FullMatrix<double>                         &local_matrix,
      dealii::Vector<double>                             &local_rhs,
      const std::vector<dealii::types::global_dof_index> &dofs,
      Mat                                                 matrix);
    /// Residual and Jacobian of Newton's method. @p frozen: concentrations
    /// held fixed (consistent potentials after a change of control).
    void
    assemble_system(bool frozen);
    /// Capacity, collector current, lithium foil.
    void
    assemble_nodal_terms(bool frozen, Mat matrix);
    /// Transport in the electrolyte and the solid.
    void
    assemble_cells(bool frozen, Mat matrix);
    ///@}

    /** @name Particles and their static condensation
     * (electrode_particles.cc) */
    ///@{
    void
    setup_particles();
    /// Reaction at every electrode node, particles eliminated.
    void
    assemble_particles(bool frozen, Mat matrix);
    /// After a linear solve: the particle updates (dc = -z - g y dj) and
    /// the condensed reaction at the new state, to first order.
    void
    recover_particle_updates(bool frozen);
    ///@}

    /** @name Newton's method and BDF steps (electrode_time_stepping.cc) */
    ///@{
    bool
    newton_solve(bool frozen);
    /// The damping factor of this process's part of the Newton update:
    /// concentrations keep 10% of their distance to a bound, potentials
    /// move by at most 8 RT/F.
    double
    local_damping() const;
    /// Scales the Newton update by @p lambda and adds it to the state.
    void
    apply_newton_update(double lambda);
    void
    apply_control(Control control, double value);
    /// Sets the values the constraints fix (0, or the held voltage).
    void
    impose_constrained_values();
    bool
    try_step(double h);
    void
    accept_step();
    void
    restart_history();
    /// max over unknowns of |v| / natural scale (this process only).
    double
    local_scaled_max_norm(
      const dealii::LinearAlgebra::distributed::Vector<double> &macro,
      const std::vector<double> &particles) const;
    double
    scaled_max_norm(
      const dealii::LinearAlgebra::distributed::Vector<double> &macro,
      const std::vector<double> &particles) const;
    ///@}

    /** @name The protocol loop of run() (electrode_protocol.cc) */
    ///@{
    /// A fresh RunState, or the one a checkpoint left.
    RunState
    begin_run();
    /// New control, consistent potentials, a fresh BDF history.
    void
    begin_protocol_step(RunState &state);
    /// One accepted time step, or one rejected and shortened.
    void
    advance(RunState &state);
    /// The next step's length: at most the controller's and the maximum,
    /// landing on the next profile time and the end of the step.
    double
    step_length(const RunState &state) const;
    /// try_step(); on failure or too large an error the rejection is
    /// counted, the controller's length shortened and false returned.
    bool
    attempt_step(RunState &state, double h);
    /// A limit crossed inside the step of length @p h (from @p g_before > 0
    /// to @p g_after <= 0): re-solves the step with secant-updated lengths
    /// (Illinois) until the limit is met.
    void
    land_on_limit(const OperatingStep &step,
                  double               g_before,
                  double               g_after,
                  double               h);
    /// Charge, energy and lithium through the step, the voltage row, due
    /// profiles and progress lines.
    void
    record_accepted_step(RunState &state);
    void
    write_checkpoint_if_due(RunState &state);
    void
    end_protocol_step(RunState &state);
    /// The final profile, inventory and statistics.
    ElectrodeResults
    end_run(RunState &state);
    /// Distance to the limit of @p step (> 0: not reached; infinity
    /// without a limit).
    double
    limit_distance(const OperatingStep &step) const;
    static double
    limit_tolerance(const OperatingStep &step);
    void
    print_progress(const RunState &state, const std::string &prefix);
    /// Throws InputError naming the Operating conditions entry when no
    /// consistent potentials exist at the start of @p step (a current the
    /// electrode cannot deliver, a voltage it cannot hold).
    void
    fail_at_step_start(const OperatingStep &step) const;
    ///@}

    /** @name Output (electrode_output.cc) */
    ///@{
    /// A profile (and VTU files) of the present state.
    void
    take_snapshot(ElectrodeResults &results);
    /// One snapshot if profile times were reached; moves past them.
    void
    take_due_snapshots(RunState &state);
    void
    output_results(const std::string &directory,
                   unsigned int       index,
                   ElectrodeResults  &results) const;
    /// Names of the per-cell output fields (porosity, diagonal transport
    /// efficiencies) and their values at active cell @p cell.
    static std::vector<std::string>
    cell_field_names();
    std::vector<double>
    cell_field_values(unsigned int cell) const;
    /// The per-cell fields averaged onto the nodes (ghosted).
    std::vector<dealii::LinearAlgebra::distributed::Vector<double>>
    nodal_cell_fields() const;
    void
    compute_surface_fields(
      dealii::LinearAlgebra::distributed::Vector<double> &fields) const;
    ///@}

    /** @name Mechanics (electrode_mechanics.cc) */
    ///@{
    /// Builds the mechanics solver (if Mechanics/Enabled) and solves it for
    /// the current state.
    void
    setup_mechanics();
    /// Equilibrium at the current state; a row of @p results.mechanics.
    void
    solve_mechanics(ElectrodeResults &results);
    /**
     * The open-circuit potential shift Omega sigma_h / F of every site from
     * the hydrostatic stress of the last mechanics solve (sigma_h at a node:
     * the mean over its electrode cells weighted by int v_i), and the
     * volume-weighted mean shift of each electrode (all processes; NaN for
     * an absent electrode).
     */
    std::array<double, 3>
    update_stress_feedback();
    ///@}

    const CellModel                      &model;
    std::unique_ptr<MechanicsSolver<dim>> mechanics;
    /// Per site: Omega sigma_h / F [V] added to U(x) (empty without
    /// Mechanics/Stress feedback).
    std::vector<double> stress_potential_shift;
    /// The solver's communicator (MPI_COMM_SELF in 1D) and the job's (all
    /// processes; checkpoints are written and read on it).
    MPI_Comm                    mpi_communicator;
    MPI_Comm                    job_communicator;
    dealii::ConditionalOStream  pcout;
    mutable dealii::TimerOutput computing_timer;

    std::unique_ptr<dealii::Triangulation<dim>> triangulation;
    dealii::FESystem<dim>                       fe;
    dealii::DoFHandler<dim>                     dof_handler;
    dealii::IndexSet                            locally_owned_dofs;
    dealii::IndexSet                            locally_relevant_dofs;

    /// Homogeneous constraints of Newton updates: phi_s = 0 at x = 0 (full
    /// cell) and outside the electrodes; plus the positive collector at
    /// constant voltage.
    dealii::AffineConstraints<double>        current_constraints;
    dealii::AffineConstraints<double>        voltage_constraints;
    const dealii::AffineConstraints<double> *constraints = nullptr;

    /// Sequential (one process: PETSc's own LU is fastest for these small
    /// banded systems) or distributed (MUMPS).
    std::unique_ptr<dealii::PETScWrappers::MatrixBase> system_matrix;
    Vec                                                petsc_rhs      = nullptr;
    Vec                                                petsc_solution = nullptr;
    KSP                                                ksp            = nullptr;
    bool                                               pivoting_solver = false;
    /// Whether Time stepping/PETSc options were checked for options that
    /// nothing uses (after the first solve).
    bool petsc_options_checked = false;

    dealii::LinearAlgebra::distributed::Vector<double> solution;
    dealii::LinearAlgebra::distributed::Vector<double> residual;
    dealii::LinearAlgebra::distributed::Vector<double> newton_update;
    dealii::LinearAlgebra::distributed::Vector<double> macro_history;
    dealii::LinearAlgebra::distributed::Vector<double> predictor;
    /// Lumped weights: int eps v_i (capacity), int_{x=L} v_i, int_{x=0} v_i.
    dealii::LinearAlgebra::distributed::Vector<double> capacity;
    /// The capacity the current solution was computed with is `capacity`;
    /// a state-dependent provider's new porosities wait here until the next
    /// step starts (then the balance d(eps ce)/dt takes them over).
    dealii::LinearAlgebra::distributed::Vector<double> next_capacity;
    bool                                               capacity_pending = false;
    dealii::LinearAlgebra::distributed::Vector<double> collector_weight;
    dealii::LinearAlgebra::distributed::Vector<double> foil_weight;
    /// 1 / natural scale of each macro unknown (ce0 or RT/F), owned part.
    std::vector<double>                          inverse_scale;
    std::vector<bool>                            is_concentration;
    std::vector<dealii::types::global_dof_index> collector_dofs;
    double                                       collector_area = 1;

    std::vector<ParticleModel>                             particle_models;
    std::vector<Site>                                      sites;
    std::map<dealii::types::global_dof_index, std::size_t> site_of_dof;
    unsigned int                                           n_p = 0;
    std::vector<double>                                    particles;
    std::vector<double> max_concentration_of_site;
    std::vector<double> particle_history;
    std::vector<double> particle_predictor;
    std::vector<double> particle_update;
    /// Per-site linearization: j, condensed j, dj/du, and the two
    /// tridiagonal solutions y = T^-1 e_N, z = T^-1 R.
    std::vector<double>                reaction;
    std::vector<double>                condensed_reaction;
    std::vector<std::array<double, 3>> reaction_gradient;
    std::vector<double>                tridiagonal_solutions;

    /// Transport-efficiency tensors (electrolyte, solid; dim x dim block)
    /// of each active cell, from the EffectivePropertiesProvider.
    std::vector<std::pair<dealii::Tensor<2, dim>, dealii::Tensor<2, dim>>>
      cell_efficiency;
    /// What the provider returned for each active cell (full 3x3 tensors
    /// and the porosity, that of the region where the provider has none),
    /// for output.
    std::vector<EffectiveTransport> cell_transport;

    std::deque<State> history;
    double            bdf_a0       = 0;
    unsigned int      bdf_order    = 1;
    double            last_error   = 0;
    double            current_time = 0;

    Control control         = Control::current;
    double  applied_current = 0;
    double  applied_voltage = 0;

    SolverStatistics statistics;
    /// Where run() writes VTU files (empty: none) and its wall clock.
    std::string   vtu_output;
    dealii::Timer wall_timer;

    /// Set by setup() from a checkpoint; run() continues from it.
    std::optional<RunState> resumed;
    /// The checkpoint's per-cell records (1D: read with the scalars).
    std::vector<std::vector<char>> serial_records;
    /// What the run is computed from (input_fingerprint()), taken once at
    /// setup on the process that writes checkpoints.
    nlohmann::json input_identity;
    /// Number of history states and their times, from a checkpoint.
    std::vector<double> resumed_history_times;
  };
} // namespace scalebridge::macro

#endif
