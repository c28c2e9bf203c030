#include <scalebridge/atomistic/atomistic_parameters.h>
#include <scalebridge/atomistic/text_reader.h>
#include <scalebridge/base/input_error.h>

#include <scalebridge/atomistic/md_units.h>

#include <algorithm>
#include <cmath>
#include <locale>
#include <sstream>

namespace scalebridge::atomistic
{
  namespace
  {
    /// Upper bounds that a run can meet and that keep every product of the
    /// analyses finite in double precision. Temperatures as everywhere in
    /// ScaleBridge (at most 1e4 K).
    constexpr double max_temperature = 1e4;
    /// Time between frames or rows [s]: from 1 as (below any MD time step)
    /// to 1 ms (far above any stored MD interval).
    constexpr double min_interval_s = 1e-18, max_interval_s = 1e-3;
    /// A fit or plateau window [s]: at most 1 s, so that its length in
    /// frames (at least 1 as apart) stays a representable count.
    constexpr double max_window_s = 1;
    /// Box volume [m^3]: from 1 A^3 to (10 um)^3.
    constexpr double min_volume_m3 = 1e-30, max_volume_m3 = 1e-15;
    /// Box edge [m]: from 1 A to 10 um.
    constexpr double min_length_m = 1e-10, max_length_m = 1e-5;
    /// |pressure| [Pa]: 1 TPa, beyond the cores of planets.
    constexpr double max_pressure_Pa = 1e12;

    std::string
    format(const double v)
    {
      std::ostringstream out;
      out.imbue(std::locale::classic());
      out << v;
      return out.str();
    }

    /// Refuses @p value unless it lies in [@p lower_si, @p upper_si] once
    /// converted to SI by @p factor, naming the range in the file's units.
    void
    require_si_range(const double       value,
                     const double       factor,
                     const double       lower_si,
                     const double       upper_si,
                     const std::string &unit,
                     const std::string &si_unit,
                     const std::string &source,
                     const std::string &entry)
    {
      const double si = value * factor;
      if (!(std::isfinite(value) && si >= lower_si && si <= upper_si))
        throw InputError(source,
                         entry,
                         "must be in [" + format(lower_si / factor) + ", "
                           + format(upper_si / factor) + "] " + unit + " (["
                           + format(lower_si) + ", " + format(upper_si) + "] "
                           + si_unit + "), got " + format(value));
    }
  } // namespace

  void
  AtomisticParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.add_parameter("Units",
                      units,
                      "Unit system of the raw data, as LAMMPS' units "
                      "command: metal (A, ps, eV, e, bar), real (A, fs, "
                      "kcal/mol, e, atm) or si. Times, lengths, volumes and "
                      "pressures below are in it; temperatures in K.",
                      Patterns::Selection("metal|real|si"));

    prm.enter_subsection("Diffusion");
    prm.add_parameter("Trajectory",
                      diffusion.trajectory,
                      "LAMMPS text dump (columns id type xu yu zu, or x y z "
                      "ix iy iz; orthogonal or triclinic) or extended XYZ "
                      "file. Empty: no diffusion analysis.",
                      Patterns::Anything());
    prm.add_parameter("Species",
                      diffusion.species,
                      "Atoms to follow: the LAMMPS atom type (e.g. 2), the "
                      "XYZ species symbol (e.g. Li), or all.",
                      Patterns::Anything());
    prm.add_parameter("Time per frame",
                      diffusion.time_per_frame,
                      "Time between frames of the trajectory [time unit].",
                      Patterns::Double(0.));
    prm.add_parameter("Number of blocks",
                      diffusion.n_blocks,
                      "Contiguous blocks of the trajectory whose spread gives "
                      "the standard error (batch means); each must hold the "
                      "fit window three times.",
                      Patterns::Integer(2, 100000));
    prm.add_parameter("Remove drift",
                      diffusion.remove_drift,
                      "Subtract the motion of the centre of all atoms "
                      "(number-weighted: dumps carry no masses).",
                      Patterns::Bool());
    prm.add_parameter("Fit start",
                      diffusion.fit_start,
                      "Start of the fitted lag window [time unit], or auto: "
                      "from where d ln MSD / d ln t stays within 0.1 of 1.",
                      Patterns::Anything());
    prm.add_parameter("Fit end",
                      diffusion.fit_end,
                      "End of the fitted lag window [time unit], or auto: a "
                      "third of a block.",
                      Patterns::Anything());
    prm.add_parameter("Temperature",
                      diffusion.temperature,
                      "Temperature of the run [K], reported with D (0: not "
                      "given).",
                      Patterns::Double(0., max_temperature));
    prm.leave_subsection();

    prm.enter_subsection("Green-Kubo");
    prm.add_parameter("Flux file",
                      green_kubo.flux_file,
                      "Whitespace table with a header line naming its "
                      "columns (LAMMPS fix ave/time output or a thermo log). "
                      "Empty: no Green-Kubo analysis.",
                      Patterns::Anything());
    prm.add_parameter("Columns",
                      green_kubo.columns,
                      "Names of the x, y, z flux columns, comma-separated.",
                      Patterns::Anything());
    prm.add_parameter(
      "Quantity",
      green_kubo.quantity,
      "thermal conductivity: the heat flux as LAMMPS compute heat/flux "
      "prints it (energy x velocity, i.e. J V); ionic conductivity: the "
      "charge current sum q_i v_i (charge x velocity).",
      Patterns::Selection("thermal conductivity|ionic conductivity"));
    prm.add_parameter("Flux normalisation",
                      green_kubo.normalisation,
                      "times volume: the columns are the extensive flux (J V, "
                      "as compute heat/flux); per volume: they were divided "
                      "by the volume (J).",
                      Patterns::Selection("times volume|per volume"));
    prm.add_parameter("Volume",
                      green_kubo.volume,
                      "Volume of the simulation box [length unit^3].",
                      Patterns::Double(0.));
    prm.add_parameter("Temperature",
                      green_kubo.temperature,
                      "Temperature of the run [K].",
                      Patterns::Double(0., max_temperature));
    prm.add_parameter("Time per row",
                      green_kubo.time_per_row,
                      "Time between rows of the flux table [time unit].",
                      Patterns::Double(0.));
    prm.add_parameter("Number of blocks",
                      green_kubo.n_blocks,
                      "Contiguous blocks for the standard error (batch "
                      "means); each must be 10 plateau times long.",
                      Patterns::Integer(2, 100000));
    prm.add_parameter("Plateau start",
                      green_kubo.plateau_start,
                      "Start of the window over which the running integral "
                      "is averaged [time unit], or auto (Sokal's cutoff: "
                      "the smallest t >= Window factor x tau_int(t)).",
                      Patterns::Anything());
    prm.add_parameter("Plateau end",
                      green_kubo.plateau_end,
                      "End of that window [time unit], or auto.",
                      Patterns::Anything());
    prm.add_parameter("Window factor",
                      green_kubo.window_factor,
                      "c of the automatic cutoff t >= c tau_int(t); the "
                      "neglected tail of an exponential decay is exp(-c).",
                      Patterns::Double(1., 100.));
    prm.leave_subsection();

    prm.enter_subsection("Elastic constants");
    prm.add_parameter("Box file",
                      elastic.box_file,
                      "Table of the box of an NPT run with all six cell "
                      "degrees of freedom (LAMMPS thermo log with "
                      "lx ly lz xy xz yz). Empty: no elastic constants.",
                      Patterns::Anything());
    prm.add_parameter("Columns",
                      elastic.columns,
                      "Names of the columns lx, ly, lz, xy, xz, yz in this "
                      "order, comma-separated (matched up to case).",
                      Patterns::Anything());
    prm.add_parameter("Temperature",
                      elastic.temperature,
                      "Temperature of the run [K].",
                      Patterns::Double(0., max_temperature));
    prm.add_parameter("Pressure",
                      elastic.pressure,
                      "Pressure of the run [pressure unit: bar for metal, "
                      "atm for real, Pa for si] with LAMMPS' sign (positive "
                      "= compression), for the Born criteria under load.",
                      Patterns::Double());
    prm.add_parameter("Number of blocks",
                      elastic.n_blocks,
                      "Contiguous blocks for the jackknife standard errors.",
                      Patterns::Integer(2, 100000));
    prm.add_parameter("Symmetry threshold",
                      elastic.symmetry_threshold,
                      "A symmetry class is accepted when all its constraints "
                      "(zeros, equal constants) hold within this many "
                      "standard errors.",
                      Patterns::Double(0., 1000.));
    prm.leave_subsection();

    prm.enter_subsection("Arrhenius");
    prm.add_parameter("Quantity",
                      arrhenius.quantity,
                      "diffusivity: D = D0 exp(-E_m / kB T) [m^2/s]; "
                      "conductivity: sigma T = A exp(-E_m / kB T) [S/m].",
                      Patterns::Selection("diffusivity|conductivity"));
    prm.add_parameter(
      "Temperatures",
      arrhenius.temperatures,
      "Temperatures [K], comma-separated. Empty: no fit.",
      Patterns::List(Patterns::Double(0., max_temperature), 0, 10000, ","));
    prm.add_parameter("Values",
                      arrhenius.values,
                      "D [m^2/s] or sigma [S/m] at those temperatures.",
                      Patterns::List(Patterns::Double(0., 1e9), 0, 10000, ","));
    prm.add_parameter("Standard errors",
                      arrhenius.standard_errors,
                      "Their standard errors, same unit.",
                      Patterns::List(Patterns::Double(0., 1e9), 0, 10000, ","));
    prm.leave_subsection();

    prm.enter_subsection("Finite size");
    prm.add_parameter("Quantity",
                      finite_size.quantity,
                      "diffusivity (m^2/s; Yeh-Hummer correction when a "
                      "viscosity is given) or other (any unit).",
                      Patterns::Selection("diffusivity|other"));
    prm.add_parameter("Box lengths",
                      finite_size.box_lengths,
                      "Edge lengths of the cubic boxes [length unit], "
                      "comma-separated. Empty: no extrapolation.",
                      Patterns::List(Patterns::Double(0.), 0, 10000, ","));
    prm.add_parameter(
      "Values",
      finite_size.values,
      "The values at those lengths.",
      Patterns::List(Patterns::Double(-1e100, 1e100), 0, 10000, ","));
    prm.add_parameter(
      "Standard errors",
      finite_size.standard_errors,
      "Their standard errors.",
      Patterns::List(Patterns::Double(0., 1e100), 0, 10000, ","));
    prm.add_parameter("Temperature",
                      finite_size.temperature,
                      "Temperature [K] (for Yeh-Hummer).",
                      Patterns::Double(0., max_temperature));
    prm.add_parameter("Viscosity",
                      finite_size.viscosity,
                      "Shear viscosity [Pa s] for the Yeh-Hummer correction "
                      "xi kB T / (6 pi eta L), xi = 2.837297; 0: none.",
                      Patterns::Double(0., 1e6));
    prm.leave_subsection();

    prm.enter_subsection("Card");
    prm.add_parameter("Base card",
                      card.base_card,
                      "Material card (JSON) into which the results are "
                      "merged; empty: a new card.",
                      Patterns::Anything());
    prm.add_parameter("Name",
                      card.name,
                      "Name of the card (default: the base card's, else "
                      "'atomistic').",
                      Patterns::Anything());
    prm.add_parameter("Jump distance",
                      card.jump_distance,
                      "Jump distance a [m] that turns the Arrhenius prefactor "
                      "D0 = z f a^2 nu0 / 6 into an attempt frequency; 0: the "
                      "base card's (required for a diffusion block without "
                      "one).",
                      Patterns::Double(0., 1e-8));
    prm.add_parameter("Coordination",
                      card.coordination,
                      "z for the same; 0: the base card's, else 1.",
                      Patterns::Double(0., 100.));
    prm.add_parameter("Correlation factor",
                      card.correlation_factor,
                      "f for the same; 0: the base card's, else 1.",
                      Patterns::Double(0., 1.));
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.add_parameter("Directory",
                      output.directory,
                      "Where atomistic.json, card.json, the CSV tables and "
                      "the PNG plots go.",
                      Patterns::Anything());
    prm.add_parameter("Plots",
                      output.plots,
                      "Draw PNG plots with gnuplot (if installed).",
                      Patterns::Bool());
    prm.leave_subsection();
  }

  std::vector<std::string>
  AtomisticParameters::split_list(const std::string &text)
  {
    std::vector<std::string> parts;
    std::size_t              start = 0;
    for (;;)
      {
        const std::size_t comma = text.find(',', start);
        std::string       part  = text.substr(start, comma - start);
        const auto        b     = part.find_first_not_of(" \t");
        const auto        e     = part.find_last_not_of(" \t");
        parts.push_back(b == std::string::npos ? ""
                                               : part.substr(b, e - b + 1));
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
    return parts;
  }

  std::optional<double>
  AtomisticParameters::window(const std::string &text,
                              const std::string &source,
                              const std::string &entry)
  {
    if (text == "auto")
      return std::nullopt;
    double value = 0;
    if (!parse_double(text, value) || !(value > 0) || !std::isfinite(value))
      throw InputError(source,
                       entry,
                       "must be auto or a finite time > 0 (got '" + text
                         + "')");
    return value;
  }

  void
  AtomisticParameters::check(const std::string &source) const
  {
    const MdUnits     u = md_units(units);
    const std::string time_unit
      = units == "metal" ? "ps" : (units == "real" ? "fs" : "s");
    const std::string length_unit = units == "si" ? "m" : "A";
    const std::string pressure_unit
      = units == "metal" ? "bar" : (units == "real" ? "atm" : "Pa");
    const auto interval = [&](const double v, const std::string &entry) {
      require_si_range(v,
                       u.time_s,
                       min_interval_s,
                       max_interval_s,
                       time_unit,
                       "s",
                       source,
                       entry);
    };
    // A fit or plateau window, if given, lies in [min interval, max window].
    const auto window_in_range
      = [&](const std::string &text, const char *entry) {
          if (const auto w = window(text, source, entry))
            require_si_range(*w,
                             u.time_s,
                             min_interval_s,
                             max_window_s,
                             time_unit,
                             "s",
                             source,
                             entry);
        };
    if (!diffusion.trajectory.empty())
      {
        interval(diffusion.time_per_frame, "Diffusion/Time per frame");
        if (diffusion.species.empty())
          throw InputError(source, "Diffusion/Species", "must not be empty");
        for (const auto &[text, entry] :
             {std::pair{diffusion.fit_start, "Diffusion/Fit start"},
              std::pair{diffusion.fit_end, "Diffusion/Fit end"}})
          window_in_range(text, entry);
      }
    if (!green_kubo.flux_file.empty())
      {
        const auto names = split_list(green_kubo.columns);
        if (names.size() != 3
            || std::find(names.begin(), names.end(), "") != names.end())
          throw InputError(source,
                           "Green-Kubo/Columns",
                           "must name three columns (x, y, z), "
                           "comma-separated (got '"
                             + green_kubo.columns + "')");
        require_si_range(green_kubo.volume,
                         std::pow(u.length_m, 3),
                         min_volume_m3,
                         max_volume_m3,
                         length_unit + "^3",
                         "m^3",
                         source,
                         "Green-Kubo/Volume");
        if (!(green_kubo.temperature > 0))
          throw InputError(source, "Green-Kubo/Temperature", "must be > 0 K");
        interval(green_kubo.time_per_row, "Green-Kubo/Time per row");
        for (const auto &[text, entry] :
             {std::pair{green_kubo.plateau_start, "Green-Kubo/Plateau start"},
              std::pair{green_kubo.plateau_end, "Green-Kubo/Plateau end"}})
          window_in_range(text, entry);
      }
    if (!elastic.box_file.empty())
      {
        const auto names = split_list(elastic.columns);
        if (names.size() != 6
            || std::find(names.begin(), names.end(), "") != names.end())
          throw InputError(source,
                           "Elastic constants/Columns",
                           "must name six columns lx, ly, lz, xy, xz, yz in "
                           "this order (got '"
                             + elastic.columns + "')");
        if (!(elastic.temperature > 0))
          throw InputError(source,
                           "Elastic constants/Temperature",
                           "must be > 0 K");
        require_si_range(elastic.pressure,
                         u.pressure_Pa,
                         -max_pressure_Pa,
                         max_pressure_Pa,
                         pressure_unit,
                         "Pa",
                         source,
                         "Elastic constants/Pressure");
      }
    const auto same_length = [&](const std::string &section,
                                 std::size_t        n,
                                 std::size_t        values,
                                 std::size_t        errors,
                                 const std::string &first) {
      if (values != n || errors != n)
        throw InputError(source,
                         section + "/Values",
                         "needs as many values (" + std::to_string(values)
                           + ") and standard errors (" + std::to_string(errors)
                           + ") as " + first + " (" + std::to_string(n) + ")");
      if (n > 0 && n < 2)
        throw InputError(source,
                         section + "/" + first,
                         "needs at least 2 points");
    };
    same_length("Arrhenius",
                arrhenius.temperatures.size(),
                arrhenius.values.size(),
                arrhenius.standard_errors.size(),
                "Temperatures");
    same_length("Finite size",
                finite_size.box_lengths.size(),
                finite_size.values.size(),
                finite_size.standard_errors.size(),
                "Box lengths");
    for (const double v : arrhenius.temperatures)
      if (!(v > 0))
        throw InputError(source, "Arrhenius/Temperatures", "must be > 0 K");
    for (const double v : arrhenius.values)
      if (!(v > 0))
        throw InputError(source, "Arrhenius/Values", "must be > 0");
    for (const auto *list :
         {&arrhenius.standard_errors, &finite_size.standard_errors})
      for (const double v : *list)
        if (!(v > 0))
          throw InputError(source,
                           list == &arrhenius.standard_errors
                             ? "Arrhenius/Standard errors"
                             : "Finite size/Standard errors",
                           "must be > 0 (a point without an error cannot be "
                           "weighted)");
    for (const double v : finite_size.box_lengths)
      require_si_range(v,
                       u.length_m,
                       min_length_m,
                       max_length_m,
                       length_unit,
                       "m",
                       source,
                       "Finite size/Box lengths");
    if (finite_size.viscosity > 0 && !(finite_size.temperature > 0))
      throw InputError(source,
                       "Finite size/Temperature",
                       "must be > 0 K for the Yeh-Hummer correction");
    if (output.directory.empty())
      throw InputError(source, "Output/Directory", "must not be empty");
  }
} // namespace scalebridge::atomistic
