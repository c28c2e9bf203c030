#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/json_validation.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>

namespace scalebridge::atomistic
{
  namespace
  {
    using io::JsonObjectReader;

    /// Relative tolerance to which constants must obey their stated symmetry
    /// and matrices must be symmetric. Atomistic elastic constants carry
    /// 3-4 significant digits, so 1e-3 of the largest constant separates
    /// rounding from a real contradiction.
    constexpr double symmetry_tolerance = 1e-3;


    /**
     * Ranges of card values, in SI after unit conversion. A value finite in
     * its file units can overflow in SI (1e308 GPa) or in the relations a
     * card feeds (eigenvalue solvers, exp, squares); the bounds lie one to
     * three orders of magnitude beyond any real material, so that they only
     * refuse typing errors and hostile input.
     */
    /// Stiffest known solid: diamond, C11 ~ 1.1e12 Pa.
    constexpr double max_stiffness_Pa = 1e13;
    /// Best metallic conductor: silver, 6.3e7 S/m.
    constexpr double max_conductivity_S_per_m = 1e9;
    /// Below this a table value is an insulator for any purpose; the bound
    /// keeps ratios of table values finite in the log interpolation.
    constexpr double min_table_conductivity_S_per_m = 1e-30;
    /// Phonon frequencies are 1e12..1e14 Hz.
    constexpr double max_attempt_frequency_Hz = 1e16;
    /// Hops are a few angstrom.
    constexpr double max_jump_distance_m = 1e-8;
    /// Energies of intercalation chemistry are a few eV.
    constexpr double max_energy_eV = 100;
    /// Migration and activation barriers: above this nothing moves.
    constexpr double max_barrier_eV = 20;
    /// Site densities: lithium metal has 7.7e4 mol/m^3.
    constexpr double max_concentration_mol_per_m3 = 1e6;
    /// Exchange current densities of real interfaces are < 1e3 A/m^2.
    constexpr double max_exchange_current_A_per_m2 = 1e6;

    /// A check "|x| <= @p bound" (or 0 < x <= bound) and its text.
    struct Range
    {
      std::function<bool(double)> allowed;
      std::string                 text;
    };

    Range
    magnitude_at_most(const double bound, const std::string &unit)
    {
      return {[bound](double x) { return std::abs(x) <= bound; },
              "in [-" + format_number(bound, 6) + ", " + format_number(bound, 6)
                + "] " + unit};
    }

    Range
    positive_at_most(const double bound, const std::string &unit)
    {
      return {[bound](double x) { return x > 0 && x <= bound; },
              "> 0 and <= " + format_number(bound, 6) + " " + unit};
    }

    Range
    between(const double low, const double high, const std::string &unit)
    {
      return {[low, high](double x) { return x >= low && x <= high; },
              "in [" + format_number(low, 6) + ", " + format_number(high, 6)
                + "] " + unit};
    }


    /// Stiffness from the named constants of a symmetry class, Voigt [input
    /// units]; the keys allowed for that class are returned in @p keys.
    elasticity::Matrix6
    stiffness_from_constants(const JsonObjectReader   &elastic,
                             elasticity::SymmetryClass symmetry,
                             const Range              &stiffness_range,
                             std::vector<std::string> &keys)
    {
      using namespace elasticity;
      const auto c = [&](const std::string &key) {
        keys.push_back(key);
        return elastic.number(key,
                              stiffness_range.allowed,
                              stiffness_range.text);
      };
      switch (symmetry)
        {
          case SymmetryClass::isotropic:
            {
              keys.insert(keys.end(), {"E", "nu"});
              const double E = elastic.number(
                "E",
                [&](double x) { return x > 0 && stiffness_range.allowed(x); },
                "> 0 and " + stiffness_range.text);
              const double nu = elastic.number(
                "nu",
                [](double x) { return x > -1 && x < 0.5; },
                "in (-1, 0.5) for a stable isotropic solid");
              return isotropic_stiffness(E, nu);
            }
          case SymmetryClass::cubic:
            {
              const double C11 = c("C11"), C12 = c("C12"), C44 = c("C44");
              return cubic_stiffness(C11, C12, C44);
            }
          case SymmetryClass::hexagonal:
          case SymmetryClass::trigonal:
            {
              const bool   trigonal = symmetry == SymmetryClass::trigonal;
              const double C11 = c("C11"), C12 = c("C12"), C13 = c("C13"),
                           C33 = c("C33"), C44 = c("C44");
              // C15 is optional: zero in the standard setting of -3m.
              double C14 = 0, C15 = 0;
              if (trigonal)
                {
                  C14 = c("C14");
                  keys.push_back("C15");
                  if (elastic.has("C15"))
                    C15 = elastic.number("C15",
                                         stiffness_range.allowed,
                                         stiffness_range.text);
                }
              keys.push_back("C66");
              const Matrix6 C
                = trigonal
                    ? trigonal_stiffness(C11, C12, C13, C14, C33, C44, C15)
                    : hexagonal_stiffness(C11, C12, C13, C33, C44);
              if (elastic.has("C66"))
                {
                  const double C66   = elastic.number("C66",
                                                    stiffness_range.allowed,
                                                    stiffness_range.text);
                  const double scale = std::max({std::abs(C11),
                                                 std::abs(C33),
                                                 std::abs(C12),
                                                 std::abs(C13),
                                                 std::abs(C44)});
                  if (std::abs(C66 - C[5][5]) > symmetry_tolerance * scale)
                    elastic.fail("C66",
                                 "contradicts " + to_string(symmetry)
                                   + " symmetry: must equal (C11 - C12)/2 = "
                                   + format_number(C[5][5], 6) + " (got "
                                   + format_number(C66, 6)
                                   + "); omit it or state another symmetry");
                }
              return C;
            }
          case SymmetryClass::tetragonal:
            {
              const double C11 = c("C11"), C12 = c("C12"), C13 = c("C13"),
                           C33 = c("C33"), C44 = c("C44"), C66 = c("C66");
              Matrix6 C = orthorhombic_stiffness(
                C11, C11, C33, C12, C13, C13, C44, C44, C66);
              return C;
            }
          case SymmetryClass::orthorhombic:
            {
              const double C11 = c("C11"), C22 = c("C22"), C33 = c("C33"),
                           C12 = c("C12"), C13 = c("C13"), C23 = c("C23"),
                           C44 = c("C44"), C55 = c("C55"), C66 = c("C66");
              return orthorhombic_stiffness(
                C11, C22, C33, C12, C13, C23, C44, C55, C66);
            }
          default:
            elastic.fail("matrix",
                         "is required for " + to_string(symmetry)
                           + " symmetry (a full 6x6 Voigt matrix)");
        }
    }

    ElasticCard
    parse_elastic(const JsonObjectReader &elastic)
    {
      using namespace elasticity;
      ElasticCard       result;
      const std::string symmetry_name = elastic.choice("symmetry",
                                                       {"isotropic",
                                                        "cubic",
                                                        "hexagonal",
                                                        "tetragonal",
                                                        "trigonal",
                                                        "orthorhombic",
                                                        "monoclinic",
                                                        "triclinic"});
      result.symmetry = symmetry_class_from_string(symmetry_name);
      if (!elastic.has("units"))
        elastic.fail("units", "is required: \"GPa\" or \"Pa\"");
      const std::string units = elastic.choice("units", {"GPa", "Pa"});
      const double      unit  = units == "GPa" ? constants::gigapascal : 1.0;
      const Range       stiffness_range
        = magnitude_at_most(max_stiffness_Pa / unit,
                            units
                              + " (|C| <= " + format_number(max_stiffness_Pa, 6)
                              + " Pa; diamond has C11 = 1.1e12 Pa)");

      std::vector<std::string> keys = {"symmetry", "units", "euler_angles_deg"};
      Matrix6                  C;
      if (elastic.has("matrix"))
        {
          keys.push_back("matrix");
          elastic.reject_unknown_keys(keys);
          const auto rows = elastic.matrix("matrix", 6);
          for (unsigned i = 0; i < 6; ++i)
            for (unsigned j = 0; j < 6; ++j)
              {
                if (!stiffness_range.allowed(rows[i][j]))
                  elastic.fail("matrix",
                               "entries must be " + stiffness_range.text
                                 + " (got " + format_number(rows[i][j], 10)
                                 + " in row " + std::to_string(i + 1)
                                 + ", column " + std::to_string(j + 1) + ")");
                C[i][j] = rows[i][j];
              }
          if (relative_asymmetry(C) > 1e-8)
            elastic.fail("matrix",
                         "must be symmetric (C_IJ = C_JI); relative asymmetry "
                           + format_number(relative_asymmetry(C), 6));
          const SymmetryClass actual = detect_symmetry(C, symmetry_tolerance);
          if (!has_symmetry(actual, result.symmetry))
            elastic.fail("matrix",
                         "contradicts the stated symmetry \"" + symmetry_name
                           + "\": in the given frame the constants only have "
                           + to_string(actual) + " symmetry");
        }
      else
        {
          C = stiffness_from_constants(elastic,
                                       result.symmetry,
                                       stiffness_range,
                                       keys);
          elastic.reject_unknown_keys(keys);
        }
      result.stiffness_voigt_crystal = unit * C;

      const Matrix6 mandel = voigt_to_mandel(result.stiffness_voigt_crystal);
      const double  lambda_min = min_eigenvalue(mandel);
      if (!(lambda_min > 0))
        elastic.fail(elastic.has("matrix") ? "matrix" : "symmetry",
                     "the stiffness is not positive definite (Born stability "
                     "violated: smallest eigenvalue of the Mandel matrix "
                       + format_number(lambda_min / unit, 6) + " " + units
                       + ")");

      if (elastic.has("euler_angles_deg"))
        {
          const auto a            = elastic.numbers("euler_angles_deg", 3);
          result.euler_angles_deg = {{a[0], a[1], a[2]}};
        }
      result.stiffness_mandel
        = rotate(mandel,
                 rotation_from_euler_degrees(result.euler_angles_deg[0],
                                             result.euler_angles_deg[1],
                                             result.euler_angles_deg[2]));
      return result;
    }

    /// A conductivity given as a number >= 0 (isotropic) or a symmetric
    /// positive semi-definite 3x3 tensor, times @p unit [S/m per unit].
    dealii::Tensor<2, 3>
    parse_conductivity(const JsonObjectReader &transport,
                       const std::string      &key,
                       const double            unit,
                       const std::string      &units)
    {
      dealii::Tensor<2, 3> sigma;
      const Range          range = between(0,
                                  max_conductivity_S_per_m / unit,
                                  units + " (at most "
                                    + format_number(max_conductivity_S_per_m, 6)
                                    + " S/m; silver has 6.3e7 S/m)");
      if (transport.json().at(key).is_number())
        {
          const double s = transport.number(key, range.allowed, range.text);
          for (unsigned d = 0; d < 3; ++d)
            sigma[d][d] = s;
          return unit * sigma;
        }
      const auto rows  = transport.matrix(key, 3);
      double     scale = 0, asymmetry = 0;
      for (unsigned i = 0; i < 3; ++i)
        for (unsigned j = 0; j < 3; ++j)
          {
            if (std::abs(rows[i][j]) > max_conductivity_S_per_m / unit)
              transport.fail(
                key,
                "entries must be in [-"
                  + format_number(max_conductivity_S_per_m / unit, 6) + ", "
                  + format_number(max_conductivity_S_per_m / unit, 6) + "] "
                  + units + " (got " + format_number(rows[i][j], 10) + ")");
            sigma[i][j] = rows[i][j];
            scale       = std::max(scale, std::abs(rows[i][j]));
            asymmetry = std::max(asymmetry, std::abs(rows[i][j] - rows[j][i]));
          }
      if (asymmetry > 1e-8 * scale)
        transport.fail(key, "must be a symmetric 3x3 tensor");
      const auto eigenvalues = dealii::eigenvalues(dealii::symmetrize(sigma));
      if (eigenvalues[2] < -1e-12 * scale)
        transport.fail(key,
                       "must be positive semi-definite (smallest eigenvalue "
                         + format_number(eigenvalues[2], 6) + " " + units
                         + ")");
      return unit * sigma;
    }

    /// A table of values > 0 against strictly increasing site fractions in
    /// [0, 1] (keys "x" and @p values_key of @p table).
    LithiationTable
    parse_lithiation_table(const JsonObjectReader &table,
                           const std::string      &values_key,
                           const std::string      &unit)
    {
      table.reject_unknown_keys({"x", values_key});
      LithiationTable result;
      result.x = table.numbers("x");
      if (result.x.size() < 2)
        table.fail("x",
                   "needs at least two points (for a value that does not "
                   "change with x give the constant instead)");
      result.values = table.numbers(values_key, result.x.size());
      for (std::size_t i = 0; i < result.x.size(); ++i)
        {
          if (!(result.x[i] >= 0 && result.x[i] <= 1))
            table.fail("x",
                       "site fractions must lie in [0, 1] (got "
                         + format_number(result.x[i], 10) + " at index "
                         + std::to_string(i) + ")");
          if (i > 0 && !(result.x[i] > result.x[i - 1]))
            table.fail("x",
                       "must be strictly increasing (index " + std::to_string(i)
                         + ": " + format_number(result.x[i], 10) + " after "
                         + format_number(result.x[i - 1], 10) + ")");
          if (!(result.values[i] >= min_table_conductivity_S_per_m
                && result.values[i] <= max_conductivity_S_per_m))
            table.fail(values_key,
                       "values must be > 0 " + unit
                         + " (interpolated in log10), in ["
                         + format_number(min_table_conductivity_S_per_m, 6)
                         + ", " + format_number(max_conductivity_S_per_m, 6)
                         + "] " + unit + " (got "
                         + format_number(result.values[i], 10) + " at index "
                         + std::to_string(i) + ")");
        }
      return result;
    }

    TransportCard
    parse_transport(const JsonObjectReader &transport)
    {
      transport.reject_unknown_keys({"conductivity",
                                     "electronic_conductivity",
                                     "electronic_conductivity_vs_lithiation",
                                     "units",
                                     "euler_angles_deg"});
      TransportCard result;
      if (!transport.has("units"))
        transport.fail("units", "is required: \"S/m\", \"S/cm\" or \"mS/cm\"");
      const std::string units
        = transport.choice("units", {"S/m", "S/cm", "mS/cm"});
      const double unit
        = units == "S/m" ? 1.0 : (units == "S/cm" ? 100.0 : 0.1);
      if (!transport.has("conductivity"))
        transport.fail("conductivity",
                       "is required: a number >= 0 or a 3x3 tensor");

      if (transport.has("euler_angles_deg"))
        {
          const auto a            = transport.numbers("euler_angles_deg", 3);
          result.euler_angles_deg = {{a[0], a[1], a[2]}};
        }
      const dealii::Tensor<2, 3> R
        = elasticity::rotation_from_euler_degrees(result.euler_angles_deg[0],
                                                  result.euler_angles_deg[1],
                                                  result.euler_angles_deg[2]);
      const auto to_sample = [&](const dealii::Tensor<2, 3> &crystal) {
        return dealii::Tensor<2, 3>(R * crystal * dealii::transpose(R));
      };
      result.conductivity
        = to_sample(parse_conductivity(transport, "conductivity", unit, units));
      if (transport.has("electronic_conductivity"))
        result.electronic_conductivity = to_sample(parse_conductivity(
          transport, "electronic_conductivity", unit, units));

      if (transport.has("electronic_conductivity_vs_lithiation"))
        {
          // Fixed unit S/m (in the key, as "U_V" of the OCV table): the
          // block's "units" does not apply.
          result.electronic_conductivity_vs_lithiation
            = parse_lithiation_table(transport.object(
                                       "electronic_conductivity_vs_lithiation"),
                                     "S_per_m",
                                     "S/m");
          // A constant given as a tensor sets the anisotropy of the table;
          // a number (isotropic) leaves the unit tensor exactly.
          if (result.electronic_conductivity
              && !transport.json().at("electronic_conductivity").is_number())
            {
              const double mean
                = dealii::trace(*result.electronic_conductivity) / 3;
              if (!(mean > 0))
                transport.fail(
                  "electronic_conductivity",
                  "must have a positive trace when "
                  "electronic_conductivity_vs_lithiation is given (its shape "
                  "S / (tr S / 3) sets the anisotropy of the table)");
              result.electronic_anisotropy
                = *result.electronic_conductivity / mean;
            }
          else if (result.electronic_conductivity
                   && !(dealii::trace(*result.electronic_conductivity) > 0))
            transport.fail("electronic_conductivity",
                           "must be > 0 when "
                           "electronic_conductivity_vs_lithiation is given");
        }
      return result;
    }

    transport::MigrationParameters
    parse_diffusion(const JsonObjectReader &diffusion)
    {
      diffusion.reject_unknown_keys({"migration_barrier_eV",
                                     "attempt_frequency_Hz",
                                     "jump_distance_m",
                                     "coordination",
                                     "correlation_factor"});
      transport::MigrationParameters p;
      const Range                    barrier = between(0, max_barrier_eV, "eV");
      p.barrier_eV           = diffusion.number("migration_barrier_eV",
                                      barrier.allowed,
                                      ">= 0 and " + barrier.text);
      const Range frequency  = positive_at_most(max_attempt_frequency_Hz, "Hz");
      p.attempt_frequency_Hz = diffusion.number("attempt_frequency_Hz",
                                                frequency.allowed,
                                                frequency.text);
      const Range distance   = positive_at_most(max_jump_distance_m, "m");
      p.jump_distance_m
        = diffusion.number("jump_distance_m", distance.allowed, distance.text);
      const Range coordination = between(1, 100, "");
      p.coordination           = diffusion.number("coordination",
                                        coordination.allowed,
                                        ">= 1 and " + coordination.text);
      p.correlation_factor     = diffusion
                               .optional_number(
                                 "correlation_factor",
                                 [](double f) { return f > 0 && f <= 1; },
                                 "in (0, 1]")
                               .value_or(1.0);
      return p;
    }

    ThermodynamicsCard
    parse_thermodynamics(const JsonObjectReader &thermodynamics)
    {
      ThermodynamicsCard       result;
      std::vector<std::string> keys = {"model",
                                       "ocv_table",
                                       "reference_potential_eV",
                                       "max_concentration_mol_per_m3"};
      if (thermodynamics.has("model"))
        {
          const std::string model
            = thermodynamics.choice("model", {"regular_solution", "landau"});
          if (model == "regular_solution")
            {
              keys.insert(keys.end(), {"omega_eV", "mu0_eV"});
              const Range energy = magnitude_at_most(max_energy_eV, "eV");
              result.model       = std::make_shared<thermo::RegularSolution>(
                thermodynamics.number("omega_eV", energy.allowed, energy.text),
                thermodynamics.number("mu0_eV", energy.allowed, energy.text));
            }
          else
            {
              keys.insert(keys.end(), {"A_eV", "B_eV", "C_eV"});
              const Range energy = magnitude_at_most(max_energy_eV, "eV");
              const Range positive_energy
                = positive_at_most(max_energy_eV, "eV");
              result.model = std::make_shared<thermo::LandauFreeEnergy>(
                thermodynamics.number("A_eV",
                                      positive_energy.allowed,
                                      positive_energy.text),
                thermodynamics.number("B_eV", energy.allowed, energy.text),
                thermodynamics
                  .optional_number("C_eV", energy.allowed, energy.text)
                  .value_or(0.0));
            }
        }
      thermodynamics.reject_unknown_keys(keys);

      if (thermodynamics.has("ocv_table"))
        {
          const JsonObjectReader table = thermodynamics.object("ocv_table");
          table.reject_unknown_keys({"x", "U_V"});
          const std::vector<double> x = table.numbers("x");
          const std::vector<double> U = table.numbers("U_V", x.size());
          if (x.size() < 2)
            table.fail("x", "needs at least two points");
          for (std::size_t i = 0; i < x.size(); ++i)
            {
              if (x[i] < 0 || x[i] > 1)
                table.fail("x", "site fractions must lie in [0, 1]");
              if (i > 0 && !(x[i] > x[i - 1]))
                table.fail("x", "must be strictly increasing");
            }
          result.ocv_table.emplace(x, U);
        }
      if (!result.model && !result.ocv_table)
        thermodynamics.fail("model",
                            "the thermodynamics block needs a \"model\" "
                            "(regular_solution or landau) or an \"ocv_table\"");
      const Range energy = magnitude_at_most(max_energy_eV, "eV");
      result.reference_potential_eV
        = thermodynamics
            .optional_number("reference_potential_eV",
                             energy.allowed,
                             energy.text)
            .value_or(0.0);
      const Range concentration
        = positive_at_most(max_concentration_mol_per_m3,
                           "mol/m^3 (lithium metal has 7.7e4)");
      result.max_concentration_mol_per_m3
        = thermodynamics.optional_number("max_concentration_mol_per_m3",
                                         concentration.allowed,
                                         concentration.text);
      return result;
    }

    KineticsCard
    parse_kinetics(const JsonObjectReader &kinetics)
    {
      kinetics.reject_unknown_keys({"i0_A_per_m2",
                                    "activation_energy_eV",
                                    "prefactor_A_per_m2",
                                    "symmetry_factor",
                                    "electrons"});
      KineticsCard result;
      const bool   direct    = kinetics.has("i0_A_per_m2");
      const bool   activated = kinetics.has("activation_energy_eV")
                             || kinetics.has("prefactor_A_per_m2");
      if (direct == activated)
        kinetics.fail("i0_A_per_m2",
                      "give either i0_A_per_m2, or activation_energy_eV "
                      "together with prefactor_A_per_m2 (exactly one form)");
      const Range current
        = positive_at_most(max_exchange_current_A_per_m2, "A/m^2");
      if (direct)
        result.exchange_current_density_A_per_m2
          = kinetics.number("i0_A_per_m2", current.allowed, current.text);
      else
        {
          const Range barrier         = between(0, max_barrier_eV, "eV");
          result.activation_energy_eV = kinetics.number("activation_energy_eV",
                                                        barrier.allowed,
                                                        barrier.text);
          // exp(-E/kB T) brings a large prefactor down to i0.
          const Range prefactor     = positive_at_most(1e30, "A/m^2");
          result.prefactor_A_per_m2 = kinetics.number("prefactor_A_per_m2",
                                                      prefactor.allowed,
                                                      prefactor.text);
        }
      result.symmetry_factor = kinetics.number(
        "symmetry_factor",
        [](double a) { return a > 0 && a < 1; },
        "in (0, 1)");
      result.electrons = kinetics
                           .optional_number(
                             "electrons",
                             [](double n) { return n >= 1 && n <= 10; },
                             "in [1, 10]")
                           .value_or(1.0);
      return result;
    }

    SwellingCard
    parse_swelling(const JsonObjectReader &swelling,
                   const MaterialCard     &card,
                   const std::string      &c_max_key)
    {
      const std::string tensor_key = "strain_at_full_lithiation";
      const std::string omega_key  = "partial_molar_volume_m3_per_mol";
      swelling.reject_unknown_keys({tensor_key, omega_key});
      if (swelling.has(tensor_key) == swelling.has(omega_key))
        swelling.fail(tensor_key,
                      "give either " + tensor_key
                        + " (a symmetric 3x3 "
                          "strain at x = 1 relative to x = 0) or "
                        + omega_key + " (isotropic), exactly one form");
      SwellingCard result;
      if (swelling.has(tensor_key))
        {
          const auto           rows = swelling.matrix(tensor_key, 3);
          dealii::Tensor<2, 3> eps;
          double               scale = 0, asymmetry = 0;
          for (unsigned i = 0; i < 3; ++i)
            for (unsigned j = 0; j < 3; ++j)
              {
                eps[i][j] = rows[i][j];
                scale     = std::max(scale, std::abs(rows[i][j]));
                asymmetry
                  = std::max(asymmetry, std::abs(rows[i][j] - rows[j][i]));
              }
          if (asymmetry > 1e-8 * scale)
            swelling.fail(tensor_key,
                          "must be a symmetric 3x3 tensor (eps_ij = eps_ji; "
                          "shear components are tensor, not engineering, "
                          "strains)");
          if (scale > 10)
            swelling.fail(tensor_key,
                          "entries must be in [-10, 10] (strains; silicon "
                          "swells by about 1.3 per axis; got "
                            + format_number(scale, 6) + ")");
          const auto principal = dealii::eigenvalues(dealii::symmetrize(eps));
          if (!(principal[2] > -1))
            swelling.fail(tensor_key,
                          "principal strains must be > -1 (smallest "
                            + format_number(principal[2], 6) + ")");
          // Crystal frame -> sample frame with the orientation of the
          // stiffness the eigenstrain acts through.
          std::array<double, 3> angles{{0, 0, 0}};
          if (card.elastic)
            angles = card.elastic->euler_angles_deg;
          const dealii::Tensor<2, 3> R
            = elasticity::rotation_from_euler_degrees(angles[0],
                                                      angles[1],
                                                      angles[2]);
          result.strain_at_full_lithiation = dealii::symmetrize(
            dealii::Tensor<2, 3>(R * eps * dealii::transpose(R)));
        }
      else
        {
          const double omega = swelling.number(omega_key);
          if (!card.thermodynamics
              || !card.thermodynamics->max_concentration_mol_per_m3)
            swelling.fail(omega_key,
                          "needs the site concentration " + c_max_key
                            + " (volumetric strain = Omega c_max x); give it "
                              "or use strain_at_full_lithiation");
          const double volumetric
            = omega * *card.thermodynamics->max_concentration_mol_per_m3;
          if (!(volumetric > -1 && volumetric <= 30))
            swelling.fail(omega_key,
                          "gives a volumetric strain Omega c_max = "
                            + format_number(volumetric, 6)
                            + " at x = 1; it must be > -1 and <= 30");
          result.partial_molar_volume_m3_per_mol = omega;
          result.strain_at_full_lithiation
            = volumetric / 3 * dealii::unit_symmetric_tensor<3>();
        }
      return result;
    }

    uq::ParameterDistribution
    parse_uncertainty(const JsonObjectReader &uncertainty,
                      const MaterialCard     &card)
    {
      uncertainty.reject_unknown_keys({"parameters", "covariance"});
      uq::ParameterDistribution result;
      const nlohmann::json &names = uncertainty.json().contains("parameters")
                                      ? uncertainty.json().at("parameters")
                                      : nlohmann::json();
      if (!names.is_array() || names.empty())
        uncertainty.fail(
          "parameters",
          "must be a non-empty list of parameter names "
          "\"block.key\", e.g. \"diffusion.migration_barrier_eV\"");
      for (const auto &name : names)
        {
          if (!name.is_string())
            uncertainty.fail("parameters", "names must be strings");
          result.names.push_back(name.get<std::string>());
          try
            {
              result.mean.push_back(card.parameter(result.names.back()));
            }
          catch (const InputError &)
            {
              uncertainty.fail("parameters",
                               "\"" + result.names.back()
                                 + "\" is not a numeric entry \"block.key\" "
                                   "of this card");
            }
        }
      const std::size_t n    = result.names.size();
      const auto        rows = uncertainty.matrix("covariance", n);
      result.covariance.reinit(n, n);
      for (std::size_t i = 0; i < n; ++i)
        {
          if (rows[i][i] < 0)
            uncertainty.fail("covariance",
                             "variances on the diagonal must be >= 0");
          for (std::size_t j = 0; j < n; ++j)
            result.covariance(i, j) = rows[i][j];
        }
      try
        {
          uq::cholesky_semidefinite(result.covariance);
        }
      catch (const std::domain_error &e)
        {
          uncertainty.fail("covariance",
                           "must be symmetric positive semi-definite (all "
                           "correlations in [-1, 1] and consistent): "
                             + std::string(e.what()));
        }
      return result;
    }

    /// "block.key" -> (block, key); throws if malformed.
    std::pair<std::string, std::string>
    split_parameter_name(const std::string &name, const std::string &source)
    {
      const auto dot = name.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == name.size())
        throw InputError(source,
                         name,
                         "parameter names have the form \"block.key\", e.g. "
                         "\"diffusion.migration_barrier_eV\"");
      return {name.substr(0, dot), name.substr(dot + 1)};
    }
  } // namespace

  double
  KineticsCard::exchange_current_density(double temperature) const
  {
    if (exchange_current_density_A_per_m2)
      return *exchange_current_density_A_per_m2;
    return kinetics::exchange_current_density(*prefactor_A_per_m2,
                                              *activation_energy_eV,
                                              temperature);
  }

  kinetics::ButlerVolmer
  KineticsCard::butler_volmer(double temperature) const
  {
    kinetics::ButlerVolmer bv;
    bv.exchange_current_density = exchange_current_density(temperature);
    bv.symmetry_factor          = symmetry_factor;
    bv.electrons                = electrons;
    return bv;
  }

  namespace
  {
    void
    require_site_fraction(const double x, const char *where)
    {
      require(x >= 0 && x <= 1, [&] {
        return std::string(where) + ": the lithium site fraction x must lie in "
               + "[0, 1] (got " + format_number(x) + ")";
      });
    }
  } // namespace

  double
  LithiationTable::operator()(const double x_) const
  {
    require_site_fraction(x_, "LithiationTable");
    require(!x.empty() && values.size() == x.size(), [] {
      return std::string("LithiationTable: x and values must be non-empty "
                         "and of equal length");
    });
    if (x_ <= x.front())
      return values.front();
    if (x_ >= x.back())
      return values.back();
    // x[i] <= x_ < x[i + 1]
    const std::size_t i
      = std::upper_bound(x.begin(), x.end(), x_) - x.begin() - 1;
    if (x_ == x[i])
      return values[i];
    const double t = (x_ - x[i]) / (x[i + 1] - x[i]);
    return values[i] * std::pow(values[i + 1] / values[i], t);
  }

  bool
  TransportCard::has_electronic_conductivity() const
  {
    return electronic_conductivity || electronic_conductivity_vs_lithiation;
  }

  dealii::Tensor<2, 3>
  TransportCard::electronic_conductivity_at(const double x) const
  {
    require_site_fraction(x, "electronic_conductivity_at");
    if (electronic_conductivity_vs_lithiation)
      return (*electronic_conductivity_vs_lithiation)(x)*electronic_anisotropy;
    if (electronic_conductivity)
      return *electronic_conductivity;
    throw InputError(source,
                     "transport/electronic_conductivity",
                     "the card gives no electronic conductivity (neither "
                     "electronic_conductivity nor "
                     "electronic_conductivity_vs_lithiation)");
  }

  dealii::SymmetricTensor<2, 3>
  SwellingCard::strain_at(const double x) const
  {
    require_site_fraction(x, "SwellingCard::strain_at");
    return x * strain_at_full_lithiation;
  }

  double
  SwellingCard::volumetric_strain_at(const double x) const
  {
    return dealii::trace(strain_at(x));
  }

  double
  MaterialCard::parameter(const std::string &name) const
  {
    const auto [block, key] = split_parameter_name(name, source);
    if (!json.contains(block) || !json.at(block).is_object()
        || !json.at(block).contains(key) || !json.at(block).at(key).is_number())
      throw InputError(source,
                       name,
                       "the card has no numeric entry \"" + key
                         + "\" in block \"" + block + "\"");
    return json.at(block).at(key).get<double>();
  }

  MaterialCard
  MaterialCard::with_parameters(const std::vector<std::string> &names,
                                const std::vector<double>      &values) const
  {
    if (names.size() != values.size())
      throw std::invalid_argument("with_parameters: names and values differ "
                                  "in length");
    nlohmann::json modified = json;
    for (std::size_t i = 0; i < names.size(); ++i)
      {
        parameter(names[i]); // must exist
        const auto [block, key] = split_parameter_name(names[i], source);
        modified[block][key]    = values[i];
      }
    return parse_material_card(modified, source);
  }

  MaterialCard
  parse_material_card(const nlohmann::json &json, const std::string &source)
  {
    const JsonObjectReader root(json, source, "");
    root.reject_unknown_keys({"name",
                              "description",
                              "references",
                              "elastic",
                              "transport",
                              "diffusion",
                              "thermodynamics",
                              "kinetics",
                              "swelling",
                              "uncertainty"});
    MaterialCard card;
    card.source = source;
    card.json   = json;
    card.name   = root.string("name");
    if (card.name.empty())
      root.fail("name", "must not be empty");
    if (root.has("description"))
      root.string("description");

    try
      {
        if (root.has("elastic"))
          card.elastic = parse_elastic(root.object("elastic"));
        if (root.has("transport"))
          {
            card.transport         = parse_transport(root.object("transport"));
            card.transport->source = source;
          }
        if (root.has("diffusion"))
          card.diffusion = parse_diffusion(root.object("diffusion"));
        if (root.has("thermodynamics"))
          card.thermodynamics
            = parse_thermodynamics(root.object("thermodynamics"));
        if (root.has("kinetics"))
          card.kinetics = parse_kinetics(root.object("kinetics"));
        // After elastic (orientation) and thermodynamics (c_max).
        if (root.has("swelling"))
          card.swelling
            = parse_swelling(root.object("swelling"),
                             card,
                             "thermodynamics/max_concentration_mol_per_m3");
        if (root.has("uncertainty"))
          card.uncertainty
            = parse_uncertainty(root.object("uncertainty"), card);
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        // A relation refused a value the checks above let through.
        throw InputError(source, "", e.what());
      }
    return card;
  }

  MaterialCard
  read_material_card(const std::filesystem::path &path)
  {
    return parse_material_card(io::read_json(path), path.string());
  }
} // namespace scalebridge::atomistic
