#ifndef scalebridge_atomistic_atomistic_parameters_h
#define scalebridge_atomistic_atomistic_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <optional>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * The parameter file of scalebridge-atomistic. Every subsection is
   * optional: a subsection whose input file (or list of values) is empty is
   * skipped. Times, lengths and volumes are in the `Units` system,
   * temperatures in K. add_parameters() binds the members; check() rejects
   * what the patterns cannot (a missing volume, lists of unequal length,
   * "auto" windows that are not numbers).
   */
  struct AtomisticParameters
  {
    std::string units = "metal";

    struct Diffusion
    {
      std::string  trajectory;
      std::string  species        = "1";
      double       time_per_frame = 1;
      unsigned int n_blocks       = 20;
      bool         remove_drift   = true;
      std::string  fit_start      = "auto";
      std::string  fit_end        = "auto";
      double       temperature    = 0;
    } diffusion;

    struct GreenKubo
    {
      std::string  flux_file;
      std::string  columns       = "c_flux[1], c_flux[2], c_flux[3]";
      std::string  quantity      = "thermal conductivity";
      std::string  normalisation = "times volume";
      double       volume        = 0;
      double       temperature   = 0;
      double       time_per_row  = 1;
      unsigned int n_blocks      = 20;
      std::string  plateau_start = "auto";
      std::string  plateau_end   = "auto";
      double       window_factor = 6;
    } green_kubo;

    struct Elastic
    {
      std::string  box_file;
      std::string  columns            = "lx, ly, lz, xy, xz, yz";
      double       temperature        = 0;
      double       pressure           = 0;
      unsigned int n_blocks           = 20;
      double       symmetry_threshold = 3.5;
    } elastic;

    struct Arrhenius
    {
      std::string         quantity = "diffusivity";
      std::vector<double> temperatures;
      std::vector<double> values;
      std::vector<double> standard_errors;
    } arrhenius;

    struct FiniteSize
    {
      std::string         quantity = "diffusivity";
      std::vector<double> box_lengths;
      std::vector<double> values;
      std::vector<double> standard_errors;
      double              temperature = 0;
      double              viscosity   = 0;
    } finite_size;

    struct Card
    {
      std::string base_card;
      std::string name;
      double      jump_distance      = 0;
      double      coordination       = 0;
      double      correlation_factor = 0;
    } card;

    struct Output
    {
      std::string directory = "output/atomistic";
      bool        plots     = true;
    } output;

    void
    add_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError naming @p source and the entry for values the
    /// patterns let through but that make no sense together.
    void
    check(const std::string &source) const;

    /// A window entry: empty for "auto", else the number (> 0).
    static std::optional<double>
    window(const std::string &text,
           const std::string &source,
           const std::string &entry);

    /// "a, b, c" split at commas, blanks trimmed.
    static std::vector<std::string>
    split_list(const std::string &text);
  };
} // namespace scalebridge::atomistic

#endif
