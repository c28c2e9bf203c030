#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/cell_parameters.h>

#include <deal.II/base/mpi.h>

#include <unistd.h>

#include <cmath>
#include <sstream>

namespace scalebridge::macro
{
  namespace
  {
    // Marquis et al. (2019) open-circuit potentials, written out as
    // expressions in the stoichiometry sto (the positive one with the
    // stretched stoichiometry s = 1.062 sto, which is part of the set).
    const char *marquis_graphite_ocp
      = "0.194 + 1.5*exp(-120*sto) + 0.0351*tanh((sto - 0.286)/0.083) "
        "- 0.0045*tanh((sto - 0.849)/0.119) - 0.035*tanh((sto - 0.9233)/0.05) "
        "- 0.0147*tanh((sto - 0.5)/0.034) - 0.102*tanh((sto - 0.194)/0.142) "
        "- 0.022*tanh((sto - 0.9)/0.0164) - 0.011*tanh((sto - 0.124)/0.0226) "
        "+ 0.0155*tanh((sto - 0.105)/0.029)";
    const char *marquis_lco_ocp
      = "2.16216 + 0.07645*tanh(30.834 - 54.4806*(1.062*sto)) "
        "+ 2.1581*tanh(52.294 - 50.294*(1.062*sto)) "
        "- 0.14169*tanh(11.0923 - 19.8543*(1.062*sto)) "
        "+ 0.2051*tanh(1.4684 - 5.4888*(1.062*sto)) "
        "+ 0.2531*tanh((-(1.062*sto) + 0.56478)/0.1316) "
        "- 0.02167*tanh(((1.062*sto) - 0.525)/0.006)";

    std::string
    number(const double value)
    {
      std::ostringstream out;
      out.precision(6);
      out << value;
      return out.str();
    }

    /// Physical memory of this machine [bytes].
    double
    physical_memory()
    {
      return static_cast<double>(sysconf(_SC_PHYS_PAGES))
             * static_cast<double>(sysconf(_SC_PAGE_SIZE));
    }
  } // namespace

  void
  EffectiveTransportParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Effective transport");
    prm.add_parameter(
      "Strategy",
      strategy,
      "How the transport-efficiency tensors (effective over bulk "
      "conductivity) of the electrolyte and the solid are obtained: "
      "'bruggeman' (eps^b and (1-eps)^b_s), 'constant' (the tensors below) "
      "'rve' (an effective_tensors.json written by scalebridge-rve) or "
      "'fe2' (live RVE solves at every macro cell's state, from the region's "
      "subsection RVE and the top-level subsection FE2).",
      dealii::Patterns::Selection("bruggeman|constant|rve|fe2"));
    prm.add_parameter("Bruggeman exponent",
                      electrolyte_bruggeman_exponent,
                      "b in B = eps^b for the electrolyte (bruggeman).");
    prm.add_parameter("Solid Bruggeman exponent",
                      solid_bruggeman_exponent,
                      "b_s in (1-eps)^b_s for the solid (bruggeman).");
    prm.add_parameter("Electrolyte tensor",
                      electrolyte_tensor,
                      "Electrolyte transport efficiency (constant): one "
                      "number (isotropic) or nine, row by row, in the cell "
                      "frame (x through the thickness).");
    prm.add_parameter("Solid tensor",
                      solid_tensor,
                      "Solid transport efficiency (constant), as above.");
    prm.add_parameter("RVE file",
                      rve_file,
                      "effective_tensors.json of the RVE tool (rve).");
    prm.add_parameter(
      "RVE boundary condition",
      rve_block,
      "Block to read when the file holds one per boundary condition "
      "(written with Type = all).",
      dealii::Patterns::Selection("periodic|kubc|tubc"));
    prm.add_parameter("Electrolyte group",
                      electrolyte_group,
                      "Group of the RVE file whose tensor is the "
                      "electrolyte's transport efficiency.");
    prm.add_parameter("Solid group",
                      solid_group,
                      "Group of the RVE file whose tensor is the solid's.");
    prm.add_parameter("Thickness direction",
                      thickness_direction,
                      "Axis of the RVE that points through the cell "
                      "thickness; in 1D its diagonal component is used.",
                      dealii::Patterns::Selection("x|y|z"));
    prm.leave_subsection();
  }

  void
  EffectiveTransportParameters::add_rve_parameters(
    dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("RVE");
    rve.add_parameters(prm);
    prm.leave_subsection();
  }

  ElectrodeParameters::ElectrodeParameters(const bool negative)
    : thickness(100e-6)
    , porosity(0.3)
    , active_material_fraction(negative ? 0.6 : 0.5)
    , particle_radius(10e-6)
    , conductivity(negative ? "100" : "10")
    , maximum_concentration(negative ? "24983.2619938437" : "51217.9257309275")
    , initial_stoichiometry(negative ? 0.8 : 0.6)
    , open_circuit_potential(negative ? marquis_graphite_ocp : marquis_lco_ocp)
    , particle_diffusivity(negative ? "3.9e-14*exp(42770/R*(1/298.15 - 1/T))"
                                    : "1.0e-13*exp(18550/R*(1/298.15 - 1/T))")
    , exchange_current_density(negative
                                 ? "2.0e-5*sqrt(ce)*sqrt(cs)*sqrt(cmax - cs)"
                                   "*exp(37480/R*(1/298.15 - 1/T))"
                                 : "6.0e-7*sqrt(ce)*sqrt(cs)*sqrt(cmax - cs)"
                                   "*exp(39570/R*(1/298.15 - 1/T))")
    , symmetry_factor("0.5")
  {
  }

  void
  ElectrodeParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Thickness", thickness, "[m]");
    prm.add_parameter("Porosity",
                      porosity,
                      "Electrolyte volume fraction eps, in (0,1).");
    prm.add_parameter("Active material volume fraction",
                      active_material_fraction,
                      "eps_s; the specific area is a = 3 eps_s / R. The "
                      "rest, 1 - eps - eps_s, is inert (binder, carbon).");
    prm.add_parameter("Particle radius", particle_radius, "R [m]");
    prm.add_parameter(
      "Conductivity",
      conductivity,
      "Bulk electronic conductivity of the solid [S/m], or 'card' (the "
      "card's electronic_conductivity, isotropic part); the transport "
      "efficiency of the solid multiplies it.");
    prm.add_parameter(
      "Material card",
      material_card,
      "JSON material card of the active material (inputs/materials/); "
      "entries set to 'card' are taken from it.");
    prm.add_parameter("Maximum concentration",
                      maximum_concentration,
                      "c_max [mol/m^3], or 'card'.");
    prm.add_parameter("Initial stoichiometry",
                      initial_stoichiometry,
                      "x = c_s/c_max at the start, in (0,1).");
    prm.add_parameter(
      "Open-circuit potential",
      open_circuit_potential,
      "U [V] versus Li/Li+: an expression in sto (= c_s/c_max) and T, "
      "'table:FILE' (columns sto, U) or 'card' (the card's OCV table, or its "
      "free-energy model, convexified by the common tangent when it "
      "phase-separates).");
    prm.add_parameter(
      "Particle diffusivity",
      particle_diffusivity,
      "D_s [m^2/s]: an expression in sto and T, 'table:FILE', or 'card' "
      "(D_tr(T) Theta(x) from the diffusion and thermodynamics blocks, as "
      "a mobility times the gradient of the OCV).");
    prm.add_parameter(
      "Exchange-current density",
      exchange_current_density,
      "j0 [A/m^2]: an expression in ce, cs [mol/m^3] and T (constant cmax), "
      "or 'card': i0 (ce/ce0)^(1-a) (2x)^(1-a) (2(1-x))^a with i0 and a from "
      "the kinetics block (i0 refers to ce0 and x = 1/2).");
    prm.add_parameter("Symmetry factor",
                      symmetry_factor,
                      "Cathodic transfer coefficient alpha in (0,1), or "
                      "'card'.");
    prm.add_parameter(
      "Partial molar volume",
      partial_molar_volume,
      "Omega [m^3/mol] of lithium in the host, used by Mechanics/Stress "
      "feedback: a number, or 'card' (the card's swelling block: its "
      "partial_molar_volume_m3_per_mol, or tr(strain_at_full_lithiation) / "
      "c_max of the card). Not needed without the feedback.");
    prm.add_parameter(
      "Binodal rounding",
      binodal_rounding,
      "For a card that separates into two phases: half-width in x over "
      "which the corners of the common-tangent (convexified) chemical "
      "potential at the binodal are rounded (C1, monotone), so that Newton's "
      "method does not cycle there; the plateau itself stays exact.");
    transport.add_parameters(prm);
    transport.add_rve_parameters(prm);
    mechanics.add_parameters(prm);
  }

  void
  SeparatorParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Thickness", thickness, "[m]");
    prm.add_parameter("Porosity",
                      porosity,
                      "Electrolyte volume fraction, in (0,1].");
    transport.add_parameters(prm);
    transport.add_rve_parameters(prm);
    mechanics.add_parameters(prm);
  }

  void
  ElectrolyteParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Initial concentration",
                      initial_concentration,
                      "ce0 [mol/m^3]");
    prm.add_parameter("Diffusivity",
                      diffusivity,
                      "De [m^2/s]: an expression in ce [mol/m^3] and T, or "
                      "'table:FILE' (columns ce, De).");
    prm.add_parameter("Conductivity",
                      conductivity,
                      "kappa_e [S/m]: expression in ce and T, or table.");
    prm.add_parameter("Cation transference number",
                      transference_number,
                      "t+: expression in ce and T, or table.");
    prm.add_parameter("Thermodynamic factor",
                      thermodynamic_factor,
                      "1 + dln f/dln ce: expression in ce and T, or table.");
  }

  void
  CounterElectrodeParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter(
      "Exchange-current density",
      exchange_current_density,
      "j0 [A/m^2] of the lithium-metal electrode of a half cell: an "
      "expression in ce [mol/m^3] and T.");
    prm.add_parameter("Symmetry factor", symmetry_factor, "alpha in (0,1)");
  }

  void
  OperatingParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Temperature", temperature, "T [K] (isothermal)");
    prm.add_parameter("1C current density",
                      one_c_current_density,
                      "[A/m^2] of collector area.");
    prm.add_parameter("C-rate",
                      c_rate,
                      "Rate of the default protocol (used when Protocol is "
                      "empty): discharge at this C-rate to the lower cut-off "
                      "or for 3600/C-rate s.");
    prm.add_parameter("Lower voltage cut-off",
                      lower_cutoff,
                      "[V]; ends every discharge step.");
    prm.add_parameter("Upper voltage cut-off",
                      upper_cutoff,
                      "[V]; ends every charge step.");
    prm.add_parameter(
      "Protocol",
      protocol,
      "Steps separated by ';', e.g. 'Discharge at 1C until 3.2 V; Rest for "
      "10 min; Charge at 0.5C; Hold at 4.1 V until C/50; Discharge at 24 "
      "A/m2 for 1800 s'. Rates: xC, C/n or x A/m2; times in s, min or h. "
      "Current steps also end at the cut-offs. Empty: the default protocol "
      "(see C-rate).");
  }

  void
  MeshParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    // Explicit ranges: deal.II's default pattern of an unsigned entry
    // accepts -1 as 4294967295.
    const auto cells = dealii::Patterns::Integer(0, max_cells_per_region);
    prm.add_parameter("Cells in negative electrode",
                      cells_negative,
                      "At most " + std::to_string(max_cells_per_region) + ".",
                      cells);
    prm.add_parameter("Cells in separator",
                      cells_separator,
                      "At most " + std::to_string(max_cells_per_region) + ".",
                      cells);
    prm.add_parameter("Cells in positive electrode",
                      cells_positive,
                      "At most " + std::to_string(max_cells_per_region) + ".",
                      cells);
    prm.add_parameter("Height",
                      height,
                      "In-plane extent along y in 2D and 3D [m].");
    prm.add_parameter("Depth", depth, "In-plane extent along z in 3D [m].");
    prm.add_parameter("In-plane cells",
                      in_plane_cells,
                      "Cells along each in-plane direction (2D, 3D); at most "
                        + std::to_string(max_in_plane_cells) + ".",
                      dealii::Patterns::Integer(0, max_in_plane_cells));
    prm.add_parameter("Particle cells",
                      particle_cells,
                      "Radial finite volumes per particle; 2 to "
                        + std::to_string(max_particle_cells) + ".",
                      dealii::Patterns::Integer(0, max_particle_cells));
    prm.add_parameter(
      "Particle mesh ratio",
      particle_ratio,
      "Width of the innermost over the outermost radial cell (>= 1 "
      "refines towards the surface, where gradients are steepest).");
  }

  void
  TimeSteppingParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter(
      "Tolerance",
      tolerance,
      "Local error per step of the adaptive BDF2 scheme, relative to the "
      "natural scale of each unknown (ce0, c_max, RT/F).");
    prm.add_parameter("Initial time step",
                      initial_step,
                      "[s], at the start of every protocol step.");
    prm.add_parameter("Minimum time step", minimum_step, "[s]");
    prm.add_parameter("Maximum time step", maximum_step, "[s]");
    prm.add_parameter("Newton tolerance",
                      newton_tolerance,
                      "Newton stops when the update is below this fraction "
                      "of the time-step tolerance.");
    prm.add_parameter("Maximum Newton iterations",
                      newton_iterations,
                      "Per time step; 2 to "
                        + std::to_string(max_newton_iterations) + ".",
                      dealii::Patterns::Integer(0, max_newton_iterations));
    prm.add_parameter(
      "PETSc options",
      petsc_options,
      "Extra PETSc options for the linear solver, prefix macro_ (e.g. "
      "'-macro_pc_factor_mat_solver_type superlu_dist').");
  }

  void
  OutputParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Directory", directory, "Where the results go.");
    prm.add_parameter("Profile times",
                      profile_times,
                      "Times [s] of the profile snapshots (ce, phi_e, "
                      "phi_s, c_s,surf versus x), comma-separated; the end "
                      "of the run is always written.");
    prm.add_parameter("Write VTU", write_vtu, "Fields as VTU (2D and 3D).");
    prm.add_parameter("Plot",
                      plot,
                      "voltage.png through gnuplot, when present.");
    prm.add_parameter("Deterministic output",
                      deterministic,
                      "Screen output without wall times, for tests.");
    prm.add_parameter("Progress interval",
                      progress_interval,
                      "Simulated time [s] between progress lines.");
  }

  CellParameters::CellParameters()
    : negative(true)
    , positive(false)
  {
    separator.mechanics.stiffness = "0.5e9, 0.35";
  }

  bool
  CellParameters::half_cell() const
  {
    return cell_type == "half cell";
  }

  void
  CellParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Cell");
    prm.add_parameter("Dimension",
                      dimension,
                      "1: through the thickness; 2 or 3: with in-plane "
                      "extent (x stays the through-thickness axis).",
                      dealii::Patterns::Integer(1, 3));
    prm.add_parameter("Type",
                      cell_type,
                      "'full cell' (negative | separator | positive) or "
                      "'half cell' (lithium metal | separator | positive).",
                      dealii::Patterns::Selection("full cell|half cell"));
    prm.leave_subsection();
    prm.enter_subsection("Negative electrode");
    negative.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Separator");
    separator.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Positive electrode");
    positive.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Electrolyte");
    electrolyte.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Counter electrode");
    counter_electrode.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Operating conditions");
    operating.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Mesh");
    mesh.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Time stepping");
    time_stepping.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Output");
    output.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("FE2");
    fe2.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Checkpoint");
    checkpoint.add_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Mechanics");
    mechanics.add_parameters(prm);
    prm.leave_subsection();
  }

  void
  CellParameters::check() const
  {
    const auto fail = [&](const std::string &key, const std::string &why) {
      throw InputError(source, key, why);
    };
    const auto positive_value
      = [&](const std::string &key, const double value, const char *unit) {
          if (!(value > 0) || !std::isfinite(value))
            fail(key,
                 "must be a positive number" + std::string(unit) + " (got "
                   + number(value) + ")");
        };
    const auto electrode = [&](const std::string         &section,
                               const ElectrodeParameters &e) {
      positive_value(section + "/Thickness", e.thickness, " [m]");
      if (!(e.porosity > 0 && e.porosity < 1))
        fail(section + "/Porosity",
             "must lie in (0,1) (got " + number(e.porosity) + ")");
      if (!(e.active_material_fraction > 0 && e.active_material_fraction < 1))
        fail(section + "/Active material volume fraction",
             "must lie in (0,1) (got " + number(e.active_material_fraction)
               + ")");
      if (e.porosity + e.active_material_fraction > 1 + 1e-12)
        fail(section + "/Active material volume fraction",
             "porosity + active material fraction must not exceed 1 (got "
               + number(e.porosity + e.active_material_fraction) + ")");
      positive_value(section + "/Particle radius", e.particle_radius, " [m]");
      if (!(e.binodal_rounding >= 0 && e.binodal_rounding < 0.1))
        fail(section + "/Binodal rounding",
             "must lie in [0, 0.1) (got " + number(e.binodal_rounding) + ")");
      if (!(e.initial_stoichiometry > 0 && e.initial_stoichiometry < 1))
        fail(section + "/Initial stoichiometry",
             "must lie in (0,1) (got " + number(e.initial_stoichiometry) + ")");
    };

    if (!half_cell())
      electrode("Negative electrode", negative);
    positive_value("Separator/Thickness", separator.thickness, " [m]");
    if (!(separator.porosity > 0 && separator.porosity <= 1))
      fail("Separator/Porosity",
           "must lie in (0,1] (got " + number(separator.porosity) + ")");
    electrode("Positive electrode", positive);

    positive_value("Electrolyte/Initial concentration",
                   electrolyte.initial_concentration,
                   " [mol/m^3]");
    if (half_cell()
        && !(counter_electrode.symmetry_factor > 0
             && counter_electrode.symmetry_factor < 1))
      fail("Counter electrode/Symmetry factor", "must lie in (0,1)");

    positive_value("Operating conditions/Temperature",
                   operating.temperature,
                   " [K]");
    positive_value("Operating conditions/1C current density",
                   operating.one_c_current_density,
                   " [A/m^2]");
    if (!(operating.c_rate != 0) || !std::isfinite(operating.c_rate))
      fail("Operating conditions/C-rate",
           "must be non-zero (negative charges)");
    if (!(operating.lower_cutoff < operating.upper_cutoff))
      fail("Operating conditions/Lower voltage cut-off",
           "must lie below the upper cut-off (" + number(operating.upper_cutoff)
             + " V)");

    const auto cells = [&](const std::string &key, const unsigned int n) {
      if (n == 0)
        fail("Mesh/" + key, "needs at least one cell");
    };
    if (!half_cell())
      cells("Cells in negative electrode", mesh.cells_negative);
    cells("Cells in separator", mesh.cells_separator);
    cells("Cells in positive electrode", mesh.cells_positive);
    if (dimension > 1)
      {
        cells("In-plane cells", mesh.in_plane_cells);
        positive_value("Mesh/Height", mesh.height, " [m]");
      }
    if (dimension > 2)
      positive_value("Mesh/Depth", mesh.depth, " [m]");
    if (mesh.particle_cells < 2)
      fail("Mesh/Particle cells", "needs at least two radial cells");
    {
      // A mesh within every range may still not fit: refuse it now rather
      // than after minutes of swapping.
      const double needed = estimated_memory();
      const double processes
        = dealii::Utilities::MPI::job_supports_mpi()
            ? dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD)
            : 1;
      const double available = processes * physical_memory();
      if (needed > available)
        fail("Mesh/Cells in positive electrode",
             "the mesh (" + mesh_size_text() + ") would need about "
               + number(needed / 1e9) + " GB of memory, more than the "
               + number(available / 1e9) + " GB of " + number(processes)
               + " process(es) on this machine; use fewer cells (Mesh/...)");
    }
    if (!(mesh.particle_ratio >= 1 && mesh.particle_ratio <= 100))
      fail("Mesh/Particle mesh ratio", "must lie in [1, 100]");

    const TimeSteppingParameters &ts = time_stepping;
    if (!(ts.tolerance >= 1e-10 && ts.tolerance < 1))
      fail("Time stepping/Tolerance",
           "must lie in [1e-10, 1) (smaller tolerances need more steps than "
           "a run can take; got "
             + number(ts.tolerance) + ")");
    positive_value("Time stepping/Initial time step", ts.initial_step, " [s]");
    positive_value("Time stepping/Minimum time step", ts.minimum_step, " [s]");
    if (ts.minimum_step < 1e-12)
      fail("Time stepping/Minimum time step",
           "must be at least 1e-12 s (got " + number(ts.minimum_step) + ")");
    if (!(ts.maximum_step >= ts.initial_step))
      fail("Time stepping/Maximum time step",
           "must be at least the initial time step");
    if (!(ts.minimum_step <= ts.initial_step))
      fail("Time stepping/Minimum time step",
           "must not exceed the initial time step");
    if (!(ts.newton_tolerance > 0 && ts.newton_tolerance <= 1))
      fail("Time stepping/Newton tolerance", "must lie in (0,1]");
    if (ts.newton_iterations < 2)
      fail("Time stepping/Maximum Newton iterations", "must be at least 2");
    if (output.directory.empty())
      fail("Output/Directory", "must not be empty");
    positive_value("Output/Progress interval",
                   output.progress_interval,
                   " [s]");
    // Smaller intervals no longer advance the next progress (or checkpoint)
    // time at long simulated times: the run would never end.
    if (output.progress_interval < 1e-3)
      fail("Output/Progress interval",
           "must be at least 1e-3 s (got " + number(output.progress_interval)
             + ")");
    if (checkpoint.interval > 0 && checkpoint.interval < 1e-3)
      fail("Checkpoint/Interval",
           "must be 0 (no checkpoints) or at least 1e-3 s (got "
             + number(checkpoint.interval) + ")");
    fe2.check(source);
    checkpoint.check(source);
    mechanics.check(source);
  }

  double
  CellParameters::estimated_memory() const
  {
    // Measured (peak resident memory, 2D, 20 particle cells, direct
    // solver): 194 MB at 1911 nodes, 369 MB at 7371 nodes, i.e. about
    // 32 kB per node beyond 130 MB; rounded up. Only meant to refuse sizes
    // that cannot run at all.
    const double bytes_per_node          = 32000;
    const double bytes_per_particle_cell = 200;
    return 130e6
           + n_nodes()
               * (bytes_per_node
                  + bytes_per_particle_cell * mesh.particle_cells);
  }

  double
  CellParameters::n_nodes() const
  {
    const double through = (half_cell() ? 0. : mesh.cells_negative)
                           + mesh.cells_separator + mesh.cells_positive + 1.;
    const double across = mesh.in_plane_cells + 1.;
    return through * (dimension > 1 ? across : 1.)
           * (dimension > 2 ? across : 1.);
  }

  std::string
  CellParameters::mesh_size_text() const
  {
    return number(n_nodes()) + " nodes with " + number(mesh.particle_cells)
           + " particle cells each";
  }

  void
  CellParameters::print(dealii::ConditionalOStream &out) const
  {
    out << "Cell: " << cell_type << ", " << dimension
        << "D, T = " << operating.temperature << " K\n";
    if (!half_cell())
      out << "  negative electrode " << negative.thickness * 1e6 << " um, "
          << mesh.cells_negative << " cells\n";
    out << "  separator          " << separator.thickness * 1e6 << " um, "
        << mesh.cells_separator << " cells\n"
        << "  positive electrode " << positive.thickness * 1e6 << " um, "
        << mesh.cells_positive << " cells\n"
        << "  particles          " << mesh.particle_cells
        << " radial cells each\n";
  }
} // namespace scalebridge::macro
