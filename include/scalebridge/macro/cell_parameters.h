#ifndef scalebridge_macro_cell_parameters_h
#define scalebridge_macro_cell_parameters_h

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/parameter_handler.h>

#include <scalebridge/fe2/parameters.h>
#include <scalebridge/macro/checkpoint.h>
#include <scalebridge/macro/mechanics_parameters.h>
#include <scalebridge/rve/parameters.h>

#include <string>

namespace scalebridge::macro
{
  /**
   * How the effective transport of one region is obtained: the
   * transport-efficiency tensors (effective over bulk conductivity) of the
   * electrolyte and of the solid phase. Strategies by name: "bruggeman"
   * (eps^b and (1-eps)^b_s, isotropic), "constant" (given tensors), "rve"
   * (the tensors of an effective_tensors.json written by the RVE tool).
   */
  struct EffectiveTransportParameters
  {
    std::string strategy                       = "bruggeman";
    double      electrolyte_bruggeman_exponent = 1.5;
    double      solid_bruggeman_exponent       = 1.5;
    /// "constant": one number (isotropic) or nine (3x3, row by row).
    std::string electrolyte_tensor = "1";
    std::string solid_tensor       = "1";
    /// "rve": the file, its block ("periodic", "kubc", "tubc") and groups.
    std::string rve_file;
    std::string rve_block         = "periodic";
    std::string electrolyte_group = "electrolyte";
    std::string solid_group       = "solid";
    /// Axis of the RVE ("x", "y", "z") that points through the cell
    /// thickness; the in-plane cell axes follow it cyclically.
    std::string thickness_direction = "x";
    /// "fe2": the region's live RVE, `subsection RVE` of the region, with
    /// exactly the entries of scalebridge-rve.
    rve::RveParameters rve;

    /// Declares `subsection Effective transport`.
    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Declares `subsection RVE` (the region's FE2 microstructure).
    void
    add_rve_parameters(dealii::ParameterHandler &prm);
  };

  /// One porous electrode: geometry, particles and its material functions.
  struct ElectrodeParameters
  {
    /// Sets the defaults of the Marquis et al. (2019) negative (true) or
    /// positive (false) electrode.
    explicit ElectrodeParameters(bool negative);

    double      thickness;
    double      porosity;
    double      active_material_fraction;
    double      particle_radius;
    std::string conductivity;
    std::string material_card;
    std::string maximum_concentration;
    double      initial_stoichiometry;
    std::string open_circuit_potential;
    std::string particle_diffusivity;
    std::string exchange_current_density;
    std::string symmetry_factor;
    /// Omega [m^3/mol] for the stress feedback, or "card" (the swelling
    /// block of the card).
    std::string partial_molar_volume = "card";
    /// Half-width of the rounded corners of a convexified (phase-separating)
    /// card's chemical potential, in x.
    double                       binodal_rounding = 0.003;
    EffectiveTransportParameters transport;
    EffectiveMechanicsParameters mechanics;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// The separator: electrolyte in an inert porous film.
  struct SeparatorParameters
  {
    double                       thickness = 25e-6;
    double                       porosity  = 1.0;
    EffectiveTransportParameters transport;
    /// A porous polymer film: about 0.5 GPa (order of magnitude of
    /// polyolefin separators).
    EffectiveMechanicsParameters mechanics;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// Binary electrolyte: functions of the salt concentration ce and T.
  struct ElectrolyteParameters
  {
    double      initial_concentration = 1000;
    std::string diffusivity
      = "5.34e-10*exp(-0.65*ce/1000)*exp(37040/R*(1/298.15 - 1/T))";
    std::string conductivity
      = "(0.0911 + 1.9101*(ce/1000) - 1.052*(ce/1000)^2 "
        "+ 0.1554*(ce/1000)^3)*exp(34700/R*(1/298.15 - 1/T))";
    std::string transference_number  = "0.4";
    std::string thermodynamic_factor = "1";

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// The lithium-metal counter electrode of a half cell.
  struct CounterElectrodeParameters
  {
    std::string exchange_current_density = "10";
    double      symmetry_factor          = 0.5;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// Temperature, current scale, cut-offs and the sequence of steps.
  struct OperatingParameters
  {
    double      temperature           = 298.15;
    double      one_c_current_density = 24;
    double      c_rate                = 1;
    double      lower_cutoff          = 3.105;
    double      upper_cutoff          = 4.1;
    std::string protocol;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// Largest mesh entries: far beyond what a workstation solves in hours,
  /// and small enough that no count wraps; the memory a mesh needs is
  /// checked as well (CellParameters::estimated_memory()).
  constexpr unsigned int max_cells_per_region = 100000;
  constexpr unsigned int max_in_plane_cells   = 2000;
  constexpr unsigned int max_particle_cells   = 1000;
  /// Beyond this many iterations Newton's method does not converge; the
  /// time step is cut instead.
  constexpr unsigned int max_newton_iterations = 100;

  /// Cells per region, in-plane size and cells, particle shells.
  struct MeshParameters
  {
    unsigned int cells_negative  = 30;
    unsigned int cells_separator = 30;
    unsigned int cells_positive  = 30;
    double       height          = 100e-6;
    double       depth           = 100e-6;
    unsigned int in_plane_cells  = 4;
    unsigned int particle_cells  = 20;
    double       particle_ratio  = 1;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// Adaptive BDF time stepping, Newton's method and the linear solver.
  struct TimeSteppingParameters
  {
    double       tolerance         = 3e-3;
    double       initial_step      = 1e-3;
    double       minimum_step      = 1e-9;
    double       maximum_step      = 600;
    double       newton_tolerance  = 1e-2;
    unsigned int newton_iterations = 12;
    std::string  petsc_options;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /// Where results go and what is printed while running.
  struct OutputParameters
  {
    std::string directory         = "output/electrode";
    std::string profile_times     = "0, 900, 1800, 2700, 3600";
    bool        write_vtu         = true;
    bool        plot              = true;
    bool        deterministic     = false;
    double      progress_interval = 600;

    void
    add_parameters(dealii::ParameterHandler &prm);
  };

  /**
   * Every input of the electrode solver, bound to a ParameterHandler by
   * add_parameters() (so that --help prints the documented defaults, which
   * are the Marquis et al. 2019 set) and checked by check(). SI units.
   */
  struct CellParameters
  {
    CellParameters();

    /// 1 (through the thickness), 2 or 3 (electrodes with in-plane extent).
    unsigned int dimension = 1;
    /// "full cell" or "half cell" (lithium-metal counter electrode).
    std::string cell_type = "full cell";

    ElectrodeParameters        negative;
    SeparatorParameters        separator;
    ElectrodeParameters        positive;
    ElectrolyteParameters      electrolyte;
    CounterElectrodeParameters counter_electrode;
    OperatingParameters        operating;
    MeshParameters             mesh;
    TimeSteppingParameters     time_stepping;
    OutputParameters           output;
    fe2::Fe2Parameters         fe2;
    CheckpointParameters       checkpoint;
    MechanicsParameters        mechanics;

    /// A checkpoint folder to continue from (the app's --restart); empty:
    /// start at t = 0.
    std::string restart;

    /// Origin of the values (the parameter file), named in errors.
    std::string source = "parameters";

    bool
    half_cell() const;

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError (source, "Subsection/Entry", reason) for values no
    /// cell can have: non-positive lengths, porosity outside (0,1), ...
    void
    check() const;

    /// Rough peak memory [bytes] of a run with this mesh on all processes
    /// together (measured per node and radial cell, see check()).
    double
    estimated_memory() const;

    /// Mesh nodes of the macro problem.
    double
    n_nodes() const;

    /// "N nodes with P particle cells each", for messages.
    std::string
    mesh_size_text() const;

    /// A short account of the cell on @p out.
    void
    print(dealii::ConditionalOStream &out) const;
  };
} // namespace scalebridge::macro

#endif
