#ifndef scalebridge_elasticity_stiffness_h
#define scalebridge_elasticity_stiffness_h

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>

#include <string>

namespace scalebridge::elasticity
{
  /**
   * A 6x6 matrix of elastic constants. Index order is the Voigt order
   * 11, 22, 33, 23, 13, 12 in both notations. In Voigt notation the shear
   * strains are engineering strains (gamma_23 = 2 eps_23); in Mandel
   * notation the shear rows and columns carry sqrt(2), which makes the
   * matrix a true second-order tensor in 6D (rotations are orthogonal,
   * the compliance is the plain inverse). Mandel is used inside the code,
   * Voigt at input and output.
   */
  using Matrix6 = dealii::Tensor<2, 6, double>;

  /// Stiffness, Voigt -> Mandel: C^M_IJ = w_I w_J C^V_IJ, w = (1,1,1,√2,√2,√2).
  Matrix6
  voigt_to_mandel(const Matrix6 &stiffness_voigt);

  /// Inverse of voigt_to_mandel() (stiffness).
  Matrix6
  mandel_to_voigt(const Matrix6 &stiffness_mandel);

  /// Fourth-order tensor C_ijkl from a Mandel matrix.
  dealii::SymmetricTensor<4, 3>
  mandel_to_tensor(const Matrix6 &stiffness_mandel);

  /// Mandel matrix from a fourth-order tensor with minor symmetries.
  Matrix6
  tensor_to_mandel(const dealii::SymmetricTensor<4, 3> &stiffness);

  /// Inverse of a Mandel matrix (stiffness <-> compliance). Throws
  /// std::domain_error for a singular matrix, i.e. one with condition number
  /// above 1e12, where fewer than 4 digits of the inverse would be right.
  Matrix6
  invert(const Matrix6 &matrix_mandel);

  /// Smallest eigenvalue of the symmetric part of a Mandel matrix. A
  /// stiffness is Born-stable iff this is positive.
  double
  min_eigenvalue(const Matrix6 &matrix_mandel);

  /// max |A_IJ - A_JI| / max |A_IJ| (0 for a symmetric matrix).
  double
  relative_asymmetry(const Matrix6 &matrix);

  /** @name Stiffness of a symmetry class, in Voigt notation [any unit]
   * Crystal axes along x1, x2, x3; for hexagonal the 6-fold axis is x3.
   * Non-finite constants throw std::invalid_argument; unstable but finite
   * ones are accepted so that min_eigenvalue() can be tested on them.
   */
  ///@{
  /// Throws std::invalid_argument for nu = 1/2 or nu = -1 (no finite C).
  Matrix6
  isotropic_stiffness(double youngs_modulus, double poisson_ratio);

  Matrix6
  isotropic_stiffness_from_moduli(double bulk_modulus, double shear_modulus);

  Matrix6
  cubic_stiffness(double C11, double C12, double C44);

  /// C66 = (C11 - C12) / 2.
  Matrix6
  hexagonal_stiffness(double C11,
                      double C12,
                      double C13,
                      double C33,
                      double C44);

  /**
   * Trigonal, 3-fold axis along x3 (Laue classes -3m and -3): C22 = C11,
   * C23 = C13, C55 = C44, C66 = (C11 - C12)/2, C24 = -C14, C56 = C14,
   * C25 = -C15, C46 = -C15. With a 2-fold axis along x1 (-3m in the standard
   * setting, e.g. LiCoO2, alpha-quartz) C15 = 0.
   */
  Matrix6
  trigonal_stiffness(double C11,
                     double C12,
                     double C13,
                     double C14,
                     double C33,
                     double C44,
                     double C15 = 0);

  Matrix6
  orthorhombic_stiffness(double C11,
                         double C22,
                         double C33,
                         double C12,
                         double C13,
                         double C23,
                         double C44,
                         double C55,
                         double C66);
  ///@}

  /**
   * Rotation matrix from Bunge (z-x'-z'') Euler angles in degrees. It maps
   * crystal-frame vector components to sample-frame components:
   * v_sample = R v_crystal.
   */
  dealii::Tensor<2, 3>
  rotation_from_euler_degrees(double phi1, double Phi, double phi2);

  /// C'_ijkl = R_ip R_jq R_kr R_ls C_pqrs for a Mandel matrix.
  Matrix6
  rotate(const Matrix6 &stiffness_mandel, const dealii::Tensor<2, 3> &rotation);

  /// Bulk and shear modulus of an averaging scheme.
  struct Moduli
  {
    double bulk;
    double shear;
  };

  /// Voigt (uniform strain) averages of a Mandel stiffness.
  Moduli
  voigt_moduli(const Matrix6 &stiffness_mandel);

  /// Reuss (uniform stress) averages of a Mandel stiffness.
  Moduli
  reuss_moduli(const Matrix6 &stiffness_mandel);

  /// Hill averages: the arithmetic means of Voigt and Reuss.
  Moduli
  hill_moduli(const Matrix6 &stiffness_mandel);

  /// Symmetry classes, from highest to lowest symmetry.
  enum class SymmetryClass
  {
    isotropic,
    cubic,
    hexagonal,
    tetragonal,
    trigonal,
    orthorhombic,
    monoclinic,
    triclinic
  };

  /// Lower-case name as used in material cards ("cubic", ...).
  std::string
  to_string(SymmetryClass symmetry);

  /// Parses a name from to_string(); throws std::invalid_argument otherwise.
  SymmetryClass
  symmetry_class_from_string(const std::string &name);

  /**
   * The highest symmetry class whose pattern of zero and equal constants a
   * Voigt stiffness satisfies in the frame it is given in (crystal axes along
   * the coordinate axes; hexagonal/tetragonal with the main axis along x3,
   * monoclinic with the 2-fold axis along x3). Entries are compared with a
   * tolerance of @p relative_tolerance times the largest |C_IJ|.
   *
   * "tetragonal" is the 6-constant pattern (Laue class 4/mmm), which is the
   * one contained in orthorhombic; a 4/m material with C16 = -C26 != 0 is
   * reported as monoclinic in this frame. "trigonal" is the pattern of
   * trigonal_stiffness() with the 3-fold axis along x3 (both Laue classes
   * -3m and -3, so it survives a turn about x3). A matrix without major
   * symmetry C_IJ = C_JI is triclinic.
   */
  SymmetryClass
  detect_symmetry(const Matrix6 &stiffness_voigt,
                  double         relative_tolerance = 1e-6);

  /// Whether a stiffness of class @p actual also has class @p stated, i.e.
  /// @p actual is @p stated or a special case of it.
  bool
  has_symmetry(SymmetryClass actual, SymmetryClass stated);
} // namespace scalebridge::elasticity

#endif
