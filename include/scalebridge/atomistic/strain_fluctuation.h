#ifndef scalebridge_atomistic_strain_fluctuation_h
#define scalebridge_atomistic_strain_fluctuation_h

#include <scalebridge/atomistic/md_units.h>
#include <scalebridge/elasticity/stiffness.h>

#include <array>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  struct StrainFluctuationOptions
  {
    MdUnits      units;
    double       temperature = 0;
    unsigned int n_blocks    = 20;
    /// Pressure of the run in the pressure unit of @p units, LAMMPS sign
    /// (positive = compression), for the Born criteria under load.
    double pressure = 0;
    /// Largest |constraint| / SE for a symmetry class to be accepted.
    double symmetry_threshold = 3.5;
  };

  struct StrainFluctuationResult
  {
    std::size_t n_rows         = 0;
    std::size_t rows_per_block = 0;
    /// <V> [length^3 of the units].
    double mean_volume = 0;
    /// Stiffness in Voigt notation (engineering shear strains) [GPa].
    elasticity::Matrix6 stiffness_GPa;
    /// Standard error of each constant [GPa] (jackknife).
    elasticity::Matrix6 standard_error_GPa;
    /// Jackknife covariance of the 21 constants C_IJ, I <= J, in the order
    /// of constant_index() [GPa^2], row-major 21 x 21.
    std::vector<double> covariance_GPa2;
    /// Highest symmetry class whose constraints all hold within
    /// symmetry_threshold standard errors (crystal axes along the box).
    elasticity::SymmetryClass symmetry;
    /// Largest |constraint| / SE of each class tested, highest class first.
    std::vector<std::pair<std::string, double>> symmetry_scores;
    /// Born stability at the pressure of the run: smallest eigenvalue of the
    /// Mandel matrix of B = C - P (d_ik d_jl + d_il d_jk - d_ij d_kl) [GPa].
    double born_min_eigenvalue_GPa = 0;
    bool   born_stable             = false;
    /// The constants of the symmetry class as a material card names them
    /// (C11, C12, ... or E and nu for isotropic; empty for monoclinic and
    /// triclinic, which the card takes as a matrix), with their covariance.
    std::vector<std::string> card_constants;
    std::vector<double>      card_values;
    std::vector<double>      card_covariance;
  };

  /// Position of C_IJ (I <= J, 0-based Voigt) in the 21-vector of constants.
  unsigned int
  constant_index(unsigned int I, unsigned int J);

  /**
   * Elastic constants from the box fluctuations of an NPT run (Parrinello &
   * Rahman, J. Chem. Phys. 76 (1982) 2662): with the Lagrangian strain
   * E = (F^T F - I) / 2, F = h <h>^-1, of every row and its Voigt vector
   * e = (E11, E22, E33, 2 E23, 2 E13, 2 E12),
   *   C = kB T / <V> <de de^T>^-1.
   * @p box holds the LAMMPS columns lx, ly, lz, xy, xz, yz (in this order),
   * h = [[lx, xy, xz], [0, ly, yz], [0, 0, lz]]: the tilt xy belongs to
   * Voigt 6, xz to 5, yz to 4. Values bias-corrected, standard errors and
   * covariance by delete-one-block jackknife over contiguous blocks (the
   * inverse of a covariance is not linear in the data).
   *
   * Throws InputError (@p source, @p entry) for too few rows (saying how
   * many are needed), a box that does not fluctuate (singular covariance)
   * or non-positive box lengths.
   */
  StrainFluctuationResult
  analyse_strain_fluctuations(const std::array<std::vector<double>, 6> &box,
                              const StrainFluctuationOptions           &options,
                              const std::string                        &source,
                              const std::string                        &entry);

  /**
   * Symmetry class of @p stiffness_voigt [any unit] within its uncertainty:
   * the highest class (isotropic, cubic, hexagonal, tetragonal, trigonal,
   * orthorhombic, monoclinic; else triclinic; axes as in
   * elasticity::detect_symmetry()) whose linear constraints c (zeros and
   * equalities between constants) all satisfy |c| <= @p threshold sd(c),
   * sd from @p covariance (21 x 21, order of constant_index()).
   * @p scores receives max |c| / sd(c) per class tested.
   */
  elasticity::SymmetryClass
  detect_symmetry_within_uncertainty(
    const elasticity::Matrix6                   &stiffness_voigt,
    const std::vector<double>                   &covariance,
    double                                       threshold,
    std::vector<std::pair<std::string, double>> *scores = nullptr);

  /// Born stability matrix under hydrostatic pressure @p pressure (positive
  /// = compression, same unit as the stiffness), Voigt.
  elasticity::Matrix6
  born_matrix_under_pressure(const elasticity::Matrix6 &stiffness_voigt,
                             double                     pressure);
} // namespace scalebridge::atomistic

#endif
