// scalebridge-properties: continuum parameters of one phase from its
// material card (diffusivity, phase coexistence, moduli, curves of mu,
// thermodynamic factor, OCV and chemical diffusivity).

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/atomistic/phase_report.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
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
  --temperature T        temperature in kelvin, > 0 (required)
  --output FILE.json     write the results to FILE.json; the curves also go
                         to FILE.csv and, when gnuplot is installed, to a
                         plot FILE.png
  --points N             points of the curves in x (default 99: x = 0.01..0.99)
  --samples N            Monte Carlo samples checking the uncertainty
                         propagation (default 2000; 0 switches the check off)
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
stderr, exit code 2, nothing written.
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
            if (!(*a.temperature > 0))
              throw InputError("command line",
                               option,
                               "must be > 0 K (got " + value + ")");
          }
        else if (option == "--output")
          a.output = value;
        else if (option == "--points")
          a.options.curve_points = parse_count(option, value, 2, 100000);
        else if (option == "--samples")
          a.options.monte_carlo_samples
            = parse_count(option, value, 0, 10000000);
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
      const atomistic::MaterialCard card
        = atomistic::read_material_card(args.material);
      const nlohmann::json report
        = atomistic::phase_report(card, *args.temperature, args.options);
      std::cout << atomistic::summarize(report);

      if (args.output)
        {
          // Everything is derived before the first file is written.
          io::write_json(*args.output, report);
          std::cout << "  wrote " << args.output->string();
          if (!report.at("curves").is_null())
            {
              std::filesystem::path csv = *args.output;
              csv.replace_extension(".csv");
              atomistic::curves_table(report).write(csv);
              std::cout << ", " << csv.string();

              std::filesystem::path png = *args.output;
              png.replace_extension(".png");
              io::PlotSpec spec;
              spec.csv     = csv;
              spec.title   = card.name + ": open-circuit voltage";
              spec.x_label = "site fraction x";
              spec.y_label = "OCV [V]";
              spec.curves
                = {{"x", "ocv_V", "homogeneous U(x)"},
                   {"x", "ocv_equilibrium_V", "equilibrium (common tangent)"}};
              if (io::plot_png(png, spec))
                std::cout << ", " << png.string();
            }
          std::cout << '\n';
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
