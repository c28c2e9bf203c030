#ifndef scalebridge_rve_phase_laws_h
#define scalebridge_rve_phase_laws_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/voxel_element.h>

#include <string>
#include <vector>

namespace scalebridge::rve
{
  /**
   * Per phase id, what enters the cell problems: the Mandel stiffness (6x6,
   * Pa) and the conductivity (3x3, S/m) in the sample frame. An empty matrix
   * means the phase does not take part in that physics (a card without an
   * elastic block carries no load; one without conductivity, or with zero
   * conductivity, does not conduct).
   */
  struct PhaseLaws
  {
    std::vector<std::string>                names;
    std::vector<std::string>                sources;
    std::vector<dealii::FullMatrix<double>> stiffness;
    std::vector<dealii::FullMatrix<double>> conductivity;

    unsigned int
    size() const
    {
      return names.size();
    }

    /// The laws of one physics, reduced to the problem dimension.
    std::vector<dealii::FullMatrix<double>>
    laws(Physics physics, unsigned int dim) const;

    /// Whether phase @p p takes part in @p physics.
    bool
    participates(Physics physics, unsigned int p) const;
  };

  /**
   * Reads the material cards and evaluates them at @p temperature and the
   * lithium site fraction @p lithiation (x in [0, 1]). @p carrier "ionic"
   * takes the card's "conductivity", "electronic" its electronic
   * conductivity at x (TransportCard::electronic_conductivity_at(): the
   * "electronic_conductivity_vs_lithiation" table if the card has one, else
   * the constant "electronic_conductivity"; a card with neither does not
   * conduct). Errors name the card (or @p prm_source and "Materials/Phase
   * cards" for a missing file).
   */
  PhaseLaws
  read_phase_laws(const std::vector<std::string> &cards,
                  double                          temperature,
                  double                          lithiation,
                  const std::string              &carrier,
                  const std::string              &prm_source);

  /// Voigt (arithmetic) and Reuss (harmonic) averages of the laws; a
  /// phase that does not take part counts as zero, which makes the Reuss
  /// bound vanish.
  struct Bounds
  {
    dealii::FullMatrix<double> voigt;
    dealii::FullMatrix<double> reuss;
  };

  Bounds
  voigt_reuss_bounds(const std::vector<dealii::FullMatrix<double>> &laws,
                     const std::vector<double> &volume_fractions,
                     unsigned int               n);

  /// Mandel -> Voigt for a stiffness of the problem dimension (6x6 or the
  /// 3x3 in-plane 11, 22, 12): divides by sqrt 2 per shear index.
  dealii::FullMatrix<double>
  stiffness_mandel_to_voigt(const dealii::FullMatrix<double> &mandel);
} // namespace scalebridge::rve

#endif
