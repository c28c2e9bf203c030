// scalebridge-properties: continuum parameters of one phase from its
// material card (diffusivity, phase coexistence, moduli, curves of mu,
// thermodynamic factor, OCV and chemical diffusivity).

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/atomistic/phase_report.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/output_location.h>
#include <scalebridge/io/plot.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace
{
  const char *usage
    = R"(Usage: scalebridge-properties --material CARD.json --temperature T [options]

Derives the continuum parameters of one phase from its material card (the
card schema is documented in inputs/materials/README.md) at temperature T [K],
prints a summary and, with --output, writes them as JSON.

Options:
  --material CARD.json   material card to read (required)
  --temperature T        temperature in kelvin, in (0, 1e4] (required)
  --output FILE.json     write the results to FILE.json; the curves also go
                         to FILE.csv and, when gnuplot is installed, to a
                         plot FILE.png
  --points N             points of the curves in x (default 99: x = 0.01..0.99)
  --samples N            Monte Carlo samples checking the uncertainty
                         propagation (default 2000, at most 1e5; 0 switches
                         the check off)
  --seed S               seed of the Monte Carlo sampler (default 20190101)
  --help                 this text

JSON keys written:
  material, source, temperature_K
  tracer_diffusivity_m2_per_s   D = (z f a^2 nu0 / 6) exp(-E_m / kB T)
  coexistence                   [x_low, x_high] of the common tangent, or null
  spinodal                      [x_low, x_high] where d2g/dx2 < 0, or null
  bulk_modulus_voigt_Pa, bulk_modulus_reuss_Pa,
  shear_modulus_voigt_Pa, shear_modulus_reuss_Pa (and _hill_)
  curves   columns x, mu_eV, thermodynamic_factor (= d ln a / d ln x),
           ocv_V (= -(mu - mu_ref)/e, or the card's OCV table),
           ocv_equilibrium_V (the same from the common-tangent free
           energy: the voltage plateau of a phase-separating host),
           chemical_diffusivity_m2_per_s (= D_tr * Theta)
  uncertainty   first-order standard deviations of the scalar results and a
                Monte Carlo check, when the card has an uncertainty block
  not_derived   what the card's blocks do not allow to derive, and why
A quantity the card cannot provide is null. Bad input: one-line reason on
stderr, exit code 2, nothing written; an --output that cannot be written or
that names the card is refused before anything is computed.
)";

  struct Arguments
  {
    std::string                                material;
    std::optional<double>                      temperature;
    std::optional<std::filesystem::path>       output;
    scalebridge::atomistic::PhaseReportOptions options;
    bool                                       help = false;
  };

  double
  parse_number(const std::string &option, const std::string &text)
  {
    std::size_t end   = 0;
    double      value = 0;
    try
      {
        value = std::stod(text, &end);
      }
    catch (const std::exception &)
      {
        end = 0;
      }
    if (end != text.size() || !std::isfinite(value))
      throw scalebridge::InputError("command line",
                                    option,
                                    "expects a number (got \"" + text + "\")");
    return value;
  }

  unsigned long
  parse_count(const std::string &option,
              const std::string &text,
              unsigned long      min,
              unsigned long      max)
  {
    const double value = parse_number(option, text);
    if (value != std::floor(value) || value < min || value > max)
      throw scalebridge::InputError("command line",
                                    option,
                                    "expects a whole number in ["
                                      + std::to_string(min) + ", "
                                      + std::to_string(max) + "] (got " + text
                                      + ")");
    return static_cast<unsigned long>(value);
  }

  Arguments
  parse_arguments(const std::vector<std::string> &args)
  {
    using scalebridge::InputError;
    Arguments a;
    for (std::size_t i = 0; i < args.size(); ++i)
      {
        const std::string &option = args[i];
        if (option == "--help" || option == "-h")
          {
            a.help = true;
            return a;
          }
        if (i + 1 == args.size())
          throw InputError("command line",
                           option,
                           option.rfind("--", 0) == 0
                             ? "needs a value"
                             : "unexpected argument; see --help");
        const std::string &value = args[++i];
        if (option == "--material")
          a.material = value;
        else if (option == "--temperature")
          {
            a.temperature = parse_number(option, value);
            if (!(*a.temperature > 0 && *a.temperature <= 1e4))
              throw InputError("command line",
                               option,
                               "must lie in (0, 1e4] K (got " + value + ")");
          }
        else if (option == "--output")
          a.output = value;
        else if (option == "--points")
          a.options.curve_points = parse_count(option, value, 2, 100000);
        else if (option == "--samples")
          a.options.monte_carlo_samples = parse_count(option, value, 0, 100000);
        else if (option == "--seed")
          a.options.seed = parse_count(option, value, 0, 4294967295ul);
        else
          throw InputError("command line",
                           option,
                           "unknown option; see --help");
      }
    if (a.material.empty())
      throw InputError("command line", "--material", "is required; see --help");
    if (!a.temperature)
      throw InputError("command line",
                       "--temperature",
                       "is required (kelvin, > 0); see --help");
    return a;
  }

  /// The three files --output stands for: FILE.json, FILE.csv, FILE.png.
  std::vector<std::filesystem::path>
  output_files(const std::filesystem::path &output)
  {
    std::filesystem::path csv = output, png = output;
    csv.replace_extension(".csv");
    png.replace_extension(".png");
    return {output, csv, png};
  }

  /**
   * Refuses, before anything is computed, an --output that cannot be
   * written or that would overwrite the card (FILE.json itself, or the
   * FILE.csv / FILE.png written next to it).
   */
  void
  check_output(const Arguments &args)
  {
    using scalebridge::InputError;
    for (const auto &file : output_files(*args.output))
      {
        if (scalebridge::io::same_file(file, args.material))
          throw InputError("command line",
                           "--output",
                           "would overwrite the material card '" + args.material
                             + "' (with " + file.string()
                             + "); choose another file name");
        scalebridge::io::check_output_file(file, "command line", "--output");
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  using namespace scalebridge;
  try
    {
      const Arguments args
        = parse_arguments(std::vector<std::string>(argv + 1, argv + argc));
      if (args.help)
        {
          std::cout << usage;
          return 0;
        }
      if (args.output)
        check_output(args);
      const atomistic::MaterialCard card
        = atomistic::read_material_card(args.material);
      const nlohmann::json report
        = atomistic::phase_report(card, *args.temperature, args.options);
      std::cout << atomistic::summarize(report);

      if (args.output)
        try
          {
            // Everything is derived before the first file is written.
            io::write_json(*args.output, report);
            std::cout << "  wrote " << args.output->string();
            if (!report.at("curves").is_null())
              {
                const std::filesystem::path csv = output_files(*args.output)[1];
                atomistic::curves_table(report).write(csv);
                std::cout << ", " << csv.string();

                const std::filesystem::path png = output_files(*args.output)[2];
                io::PlotSpec                spec;
                spec.csv     = csv;
                spec.title   = card.name + ": open-circuit voltage";
                spec.x_label = "site fraction x";
                spec.y_label = "OCV [V]";
                spec.curves  = {{"x", "ocv_V", "homogeneous U(x)"},
                                {"x",
                                 "ocv_equilibrium_V",
                                 "equilibrium (common tangent)"}};
                if (io::plot_png(png, spec))
                  std::cout << ", " << png.string();
              }
            std::cout << '\n';
          }
        catch (const InputError &)
          {
            throw;
          }
        catch (const std::exception &e)
          {
            // Checked before computing, but the disk may fill or the
            // directory go away meanwhile.
            throw InputError("command line",
                             "--output",
                             "writing the results failed ("
                               + std::string(e.what()) + ")");
          }
      return 0;
    }
  catch (const InputError &e)
    {
      std::cerr << "scalebridge-properties: error: " << e.what() << std::endl;
      return 2;
    }
  catch (const std::exception &e)
    {
      std::cerr << "scalebridge-properties: error: " << e.what() << std::endl;
      return 1;
    }
}
