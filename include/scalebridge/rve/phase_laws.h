#ifndef scalebridge_rve_phase_laws_h
#define scalebridge_rve_phase_laws_h

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <scalebridge/rve/voxel_element.h>

#include <string>
#include <vector>

namespace scalebridge::rve
{
  /**
   * Per phase id, what enters the cell problems: the Mandel stiffness (6x6,
   * Pa), the conductivity (3x3, S/m) and the eigenstrain (Mandel 6-vector)
   * in the sample frame. An empty matrix means the phase does not take part
   * in that physics (a card without an elastic block carries no load; one
   * without conductivity, or with zero conductivity, does not conduct).
   */
  struct PhaseLaws
  {
    std::vector<std::string>                names;
    std::vector<std::string>                sources;
    std::vector<dealii::FullMatrix<double>> stiffness;
    std::vector<dealii::FullMatrix<double>> conductivity;
    /// Stress-free strain eps*(x) of the card's "swelling" block at the
    /// lithiation the laws were read at (Mandel: shear times sqrt 2); empty
    /// for a card without one, and for a phase that carries no load (a pore
    /// that swells pushes on nothing).
    std::vector<dealii::Vector<double>> eigenstrain;

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

    /// Whether phase @p p carries load and has a non-zero eigenstrain.
    bool
    swells(unsigned int p) const;

    /**
     * Per phase the eigenstress C eps* (Mandel, Pa) in the problem
     * dimension, the load of the swelling cell problem; empty for phases
     * that do not swell. In 2D (plane strain, eps_33 = 0) it is the in-plane
     * rows 11, 22, 12 of the 3D product, so that an out-of-plane swelling
     * pushes in-plane through the Poisson coupling.
     */
    std::vector<dealii::Vector<double>>
    eigenstresses(unsigned int dim) const;
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

  /// Mandel -> Voigt for a stress (@p engineering_strain false: shear
  /// entries divided by sqrt 2) or a strain (true: shear times sqrt 2, the
  /// engineering shear 2 eps_ij), of 6 (3D) or 3 (2D: 11, 22, 12) entries.
  dealii::Vector<double>
  mandel_to_voigt(const dealii::Vector<double> &mandel,
                  bool                          engineering_strain);

  /// Mandel -> Voigt for a stiffness of the problem dimension (6x6 or the
  /// 3x3 in-plane 11, 22, 12): divides by sqrt 2 per shear index.
  dealii::FullMatrix<double>
  stiffness_mandel_to_voigt(const dealii::FullMatrix<double> &mandel);
} // namespace scalebridge::rve

#endif
