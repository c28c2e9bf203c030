#include <scalebridge/elasticity/stiffness.h>

#include <deal.II/base/numbers.h>

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>

namespace scalebridge::elasticity
{
  namespace
  {
    /// Tensor indices (i, j) of Voigt/Mandel index I, order 11 22 33 23 13 12.
    constexpr std::array<std::array<unsigned int, 2>, 6> voigt_pairs{
      {{{0, 0}}, {{1, 1}}, {{2, 2}}, {{1, 2}}, {{0, 2}}, {{0, 1}}}};

    /// Mandel weight w_I: 1 for normal, sqrt(2) for shear components.
    double
    mandel_weight(const unsigned int I)
    {
      return I < 3 ? 1.0 : std::sqrt(2.0);
    }

    double
    max_abs_entry(const Matrix6 &matrix)
    {
      double result = 0.0;
      for (unsigned int I = 0; I < 6; ++I)
        for (unsigned int J = 0; J < 6; ++J)
          result = std::max(result, std::abs(matrix[I][J]));
      return result;
    }

    /// Reject NaN/inf input early: a non-finite constant would otherwise
    /// surface far away, e.g. as a nonsensical symmetry class.
    void
    require_finite(const std::initializer_list<double> values,
                   const char                         *function)
    {
      for (const double value : values)
        if (!std::isfinite(value))
          throw std::invalid_argument(std::string(function)
                                      + ": elastic constants must be finite");
    }

    /// Symmetric Voigt matrix with the 9 orthotropic constants; every class
    /// down to orthorhombic is a special case of it.
    Matrix6
    orthotropic(const double C11,
                const double C22,
                const double C33,
                const double C12,
                const double C13,
                const double C23,
                const double C44,
                const double C55,
                const double C66)
    {
      Matrix6 C;
      C[0][0] = C11;
      C[1][1] = C22;
      C[2][2] = C33;
      C[0][1] = C[1][0] = C12;
      C[0][2] = C[2][0] = C13;
      C[1][2] = C[2][1] = C23;
      C[3][3]           = C44;
      C[4][4]           = C55;
      C[5][5]           = C66;
      return C;
    }

    /// Rotation about coordinate axis @p axis by @p angle (radians), active.
    dealii::Tensor<2, 3>
    axis_rotation(const unsigned int axis, const double angle)
    {
      const unsigned int   a = (axis + 1) % 3, b = (axis + 2) % 3;
      dealii::Tensor<2, 3> R;
      R[axis][axis] = 1.0;
      R[a][a]       = std::cos(angle);
      R[b][b]       = std::cos(angle);
      R[a][b]       = -std::sin(angle);
      R[b][a]       = std::sin(angle);
      return R;
    }

    /// Mandel components of a symmetric second-order tensor given as Tensor.
    std::array<double, 6>
    mandel_vector(const dealii::Tensor<2, 3> &t)
    {
      std::array<double, 6> v{};
      for (unsigned int I = 0; I < 6; ++I)
        v[I] = mandel_weight(I) * t[voigt_pairs[I][0]][voigt_pairs[I][1]];
      return v;
    }

    /// h^T M h for the hydrostatic direction h = (1,1,1,0,0,0)/sqrt(3) of
    /// Mandel notation. With the trace, it is one of the two rotation
    /// invariants that the Voigt and Reuss averages consist of.
    double
    hydrostatic_part(const Matrix6 &M)
    {
      double sum = 0.0;
      for (unsigned int I = 0; I < 3; ++I)
        for (unsigned int J = 0; J < 3; ++J)
          sum += M[I][J];
      return sum / 3.0;
    }
  } // namespace


  Matrix6
  voigt_to_mandel(const Matrix6 &stiffness_voigt)
  {
    Matrix6 result;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        result[I][J]
          = mandel_weight(I) * mandel_weight(J) * stiffness_voigt[I][J];
    return result;
  }


  Matrix6
  mandel_to_voigt(const Matrix6 &stiffness_mandel)
  {
    Matrix6 result;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        result[I][J]
          = stiffness_mandel[I][J] / (mandel_weight(I) * mandel_weight(J));
    return result;
  }


  dealii::SymmetricTensor<4, 3>
  mandel_to_tensor(const Matrix6 &stiffness_mandel)
  {
    // SymmetricTensor<4,3> stores each minor-symmetric group once, so one
    // assignment per (I, J) sets e.g. C_1213, C_2113, C_1231 and C_2131.
    dealii::SymmetricTensor<4, 3> C;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        C[voigt_pairs[I][0]][voigt_pairs[I][1]][voigt_pairs[J][0]]
         [voigt_pairs[J][1]]
          = stiffness_mandel[I][J] / (mandel_weight(I) * mandel_weight(J));
    return C;
  }


  Matrix6
  tensor_to_mandel(const dealii::SymmetricTensor<4, 3> &stiffness)
  {
    Matrix6 result;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        result[I][J] = mandel_weight(I) * mandel_weight(J)
                       * stiffness[voigt_pairs[I][0]][voigt_pairs[I][1]]
                                  [voigt_pairs[J][0]][voigt_pairs[J][1]];
    return result;
  }


  Matrix6
  invert(const Matrix6 &matrix_mandel)
  {
    dealii::LAPACKFullMatrix<double> A(6, 6);
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        A(I, J) = matrix_mandel[I][J];

    // LU alone only notices exact zero pivots. A condition number above
    // 1e12 leaves fewer than 4 significant digits in the inverse, and no
    // physical stiffness (all entries in one unit) comes anywhere near it,
    // so such a matrix is reported as singular.
    dealii::LAPACKFullMatrix<double> svd(A);
    svd.compute_svd();
    const double largest  = svd.singular_value(0);
    const double smallest = svd.singular_value(5);
    if (!(largest > 0.0) || !(smallest > 1e-12 * largest))
      throw std::domain_error("elasticity::invert: matrix is singular "
                              "(condition number above 1e12)");

    A.invert();
    Matrix6 result;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        result[I][J] = A(I, J);
    return result;
  }


  double
  min_eigenvalue(const Matrix6 &matrix_mandel)
  {
    dealii::LAPACKFullMatrix<double> A(6, 6);
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        A(I, J) = 0.5 * (matrix_mandel[I][J] + matrix_mandel[J][I]);

    dealii::Vector<double>     eigenvalues;
    dealii::FullMatrix<double> eigenvectors;
    const double               huge = std::numeric_limits<double>::max();
    A.compute_eigenvalues_symmetric(
      -huge, huge, 0.0, eigenvalues, eigenvectors);
    if (eigenvalues.size() != 6)
      throw std::runtime_error(
        "elasticity::min_eigenvalue: eigenvalue solver did not converge");
    return *std::min_element(eigenvalues.begin(), eigenvalues.end());
  }


  double
  relative_asymmetry(const Matrix6 &matrix)
  {
    const double scale = max_abs_entry(matrix);
    if (scale == 0.0)
      return 0.0;
    double asymmetry = 0.0;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = I + 1; J < 6; ++J)
        asymmetry = std::max(asymmetry, std::abs(matrix[I][J] - matrix[J][I]));
    return asymmetry / scale;
  }


  Matrix6
  isotropic_stiffness(const double youngs_modulus, const double poisson_ratio)
  {
    require_finite({youngs_modulus, poisson_ratio}, "isotropic_stiffness");
    // Lame constants; nu = 0.5 (incompressible) and nu = -1 have no finite
    // stiffness. Other unphysical values are allowed on purpose: they give a
    // Born-unstable matrix that a stability check can then reject.
    if (poisson_ratio == 0.5 || poisson_ratio == -1.0)
      throw std::invalid_argument(
        "isotropic_stiffness: Poisson ratio 0.5 or -1 has no finite stiffness");
    const double E = youngs_modulus, nu = poisson_ratio;
    const double lambda = E * nu / ((1.0 + nu) * (1.0 - 2.0 * nu));
    const double mu     = E / (2.0 * (1.0 + nu));
    return cubic_stiffness(lambda + 2.0 * mu, lambda, mu);
  }


  Matrix6
  isotropic_stiffness_from_moduli(const double bulk_modulus,
                                  const double shear_modulus)
  {
    require_finite({bulk_modulus, shear_modulus},
                   "isotropic_stiffness_from_moduli");
    const double K = bulk_modulus, G = shear_modulus;
    return cubic_stiffness(K + 4.0 * G / 3.0, K - 2.0 * G / 3.0, G);
  }


  Matrix6
  cubic_stiffness(const double C11, const double C12, const double C44)
  {
    require_finite({C11, C12, C44}, "cubic_stiffness");
    return orthotropic(C11, C11, C11, C12, C12, C12, C44, C44, C44);
  }


  Matrix6
  hexagonal_stiffness(const double C11,
                      const double C12,
                      const double C13,
                      const double C33,
                      const double C44)
  {
    require_finite({C11, C12, C13, C33, C44}, "hexagonal_stiffness");
    // C66 is not independent: transverse isotropy about x3.
    return orthotropic(
      C11, C11, C33, C12, C13, C13, C44, C44, 0.5 * (C11 - C12));
  }


  Matrix6
  trigonal_stiffness(const double C11,
                     const double C12,
                     const double C13,
                     const double C14,
                     const double C33,
                     const double C44,
                     const double C15)
  {
    require_finite({C11, C12, C13, C14, C33, C44, C15}, "trigonal_stiffness");
    Matrix6 C
      = orthotropic(C11, C11, C33, C12, C13, C13, C44, C44, 0.5 * (C11 - C12));
    const auto set = [&C](unsigned I, unsigned J, double v) {
      C[I][J] = v;
      C[J][I] = v;
    };
    set(0, 3, C14);
    set(1, 3, -C14);
    set(4, 5, C14);
    set(0, 4, C15);
    set(1, 4, -C15);
    set(3, 5, -C15);
    return C;
  }


  Matrix6
  orthorhombic_stiffness(const double C11,
                         const double C22,
                         const double C33,
                         const double C12,
                         const double C13,
                         const double C23,
                         const double C44,
                         const double C55,
                         const double C66)
  {
    require_finite({C11, C22, C33, C12, C13, C23, C44, C55, C66},
                   "orthorhombic_stiffness");
    return orthotropic(C11, C22, C33, C12, C13, C23, C44, C55, C66);
  }


  dealii::Tensor<2, 3>
  rotation_from_euler_degrees(const double phi1,
                              const double Phi,
                              const double phi2)
  {
    // Bunge: the passive crystal-from-sample matrix is g = Z(phi2) X(Phi)
    // Z(phi1) with passive axis rotations, so the active sample-from-crystal
    // rotation is R = g^T = Rz(phi1) Rx(Phi) Rz(phi2).
    const double deg = dealii::numbers::PI / 180.0;
    return axis_rotation(2, phi1 * deg) * axis_rotation(0, Phi * deg)
           * axis_rotation(2, phi2 * deg);
  }


  Matrix6
  rotate(const Matrix6 &stiffness_mandel, const dealii::Tensor<2, 3> &rotation)
  {
    // In Mandel notation the rotation of symmetric second-order tensors is an
    // orthogonal 6x6 matrix Q; column J is the rotated J-th orthonormal basis
    // tensor. Then C' = Q C Q^T, which equals R R R R : C.
    Matrix6 Q;
    for (unsigned int J = 0; J < 6; ++J)
      {
        const unsigned int   i = voigt_pairs[J][0], j = voigt_pairs[J][1];
        dealii::Tensor<2, 3> basis;
        basis[i][j] = basis[j][i] = 1.0 / mandel_weight(J);
        const auto column
          = mandel_vector(rotation * basis * transpose(rotation));
        for (unsigned int I = 0; I < 6; ++I)
          Q[I][J] = column[I];
      }
    return Q * stiffness_mandel * transpose(Q);
  }


  Moduli
  voigt_moduli(const Matrix6 &stiffness_mandel)
  {
    // For isotropic C = 3K P_h + 2G P_d (projectors of rank 1 and 5):
    // h^T C h = 3K and trace C - h^T C h = 10 G. The Voigt averages are the
    // same invariants of an anisotropic C.
    const double hCh = hydrostatic_part(stiffness_mandel);
    return {hCh / 3.0, (dealii::trace(stiffness_mandel) - hCh) / 10.0};
  }


  Moduli
  reuss_moduli(const Matrix6 &stiffness_mandel)
  {
    // Same invariants of the compliance S = C^-1 = P_h/(3K) + P_d/(2G).
    const Matrix6 S   = invert(stiffness_mandel);
    const double  hSh = hydrostatic_part(S);
    return {1.0 / (3.0 * hSh), 5.0 / (2.0 * (dealii::trace(S) - hSh))};
  }


  Moduli
  hill_moduli(const Matrix6 &stiffness_mandel)
  {
    const Moduli v = voigt_moduli(stiffness_mandel);
    const Moduli r = reuss_moduli(stiffness_mandel);
    return {0.5 * (v.bulk + r.bulk), 0.5 * (v.shear + r.shear)};
  }


  namespace
  {
    constexpr std::array<std::pair<SymmetryClass, const char *>, 8>
      symmetry_names{{{SymmetryClass::isotropic, "isotropic"},
                      {SymmetryClass::cubic, "cubic"},
                      {SymmetryClass::hexagonal, "hexagonal"},
                      {SymmetryClass::tetragonal, "tetragonal"},
                      {SymmetryClass::trigonal, "trigonal"},
                      {SymmetryClass::orthorhombic, "orthorhombic"},
                      {SymmetryClass::monoclinic, "monoclinic"},
                      {SymmetryClass::triclinic, "triclinic"}}};
  } // namespace


  std::string
  to_string(const SymmetryClass symmetry)
  {
    for (const auto &[value, name] : symmetry_names)
      if (value == symmetry)
        return name;
    throw std::invalid_argument("to_string: invalid SymmetryClass value");
  }


  SymmetryClass
  symmetry_class_from_string(const std::string &name)
  {
    for (const auto &[value, known] : symmetry_names)
      if (name == known)
        return value;
    throw std::invalid_argument(
      "unknown symmetry class '" + name
      + "' (allowed: isotropic, cubic, hexagonal, tetragonal, trigonal, "
        "orthorhombic, monoclinic, triclinic)");
  }


  SymmetryClass
  detect_symmetry(const Matrix6 &stiffness_voigt,
                  const double   relative_tolerance)
  {
    const Matrix6 &C    = stiffness_voigt;
    const double   tol  = relative_tolerance * max_abs_entry(C);
    const auto     same = [tol](const double a, const double b) {
      return std::abs(a - b) <= tol;
    };
    const auto zero = [&](const unsigned int I, const unsigned int J) {
      return same(C[I][J], 0.0);
    };

    // Without major symmetry C is no stiffness of any class; classify it as
    // the least symmetric one rather than by one triangle only.
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = I + 1; J < 6; ++J)
        if (!same(C[I][J], C[J][I]))
          return SymmetryClass::triclinic;

    // 2-fold axis x3 flips the sign of the 23 and 13 components (indices 3,
    // 4), so every coupling of exactly one of them with the others vanishes.
    // Without it, a 3-fold axis x3 is the only class left above triclinic.
    for (const unsigned int I : {0u, 1u, 2u, 5u})
      for (const unsigned int J : {3u, 4u})
        if (!zero(I, J))
          {
            const bool trigonal
              = same(C[0][0], C[1][1]) && same(C[0][2], C[1][2])
                && same(C[3][3], C[4][4])
                && same(C[5][5], 0.5 * (C[0][0] - C[0][1]))
                && same(C[1][3], -C[0][3]) && same(C[4][5], C[0][3])
                && same(C[1][4], -C[0][4]) && same(C[3][5], -C[0][4])
                && zero(0, 5) && zero(1, 5) && zero(2, 5) && zero(2, 3)
                && zero(2, 4) && zero(3, 4);
            return trigonal ? SymmetryClass::trigonal
                            : SymmetryClass::triclinic;
          }

    // Three orthogonal mirror planes: additionally no normal-shear coupling
    // with 12 and no shear-shear coupling at all.
    if (!(zero(0, 5) && zero(1, 5) && zero(2, 5) && zero(3, 4)))
      return SymmetryClass::monoclinic;

    // Tetragonal (4/mmm, 4-fold axis x3): x1 and x2 are equivalent.
    if (!(same(C[0][0], C[1][1]) && same(C[0][2], C[1][2])
          && same(C[3][3], C[4][4])))
      return SymmetryClass::orthorhombic;

    // Cubic: x3 is equivalent to x1 and x2 as well. Hexagonal (transversely
    // isotropic): the 12-plane is isotropic, C66 = (C11 - C12)/2.
    const bool cubic = same(C[2][2], C[0][0]) && same(C[0][2], C[0][1])
                       && same(C[5][5], C[3][3]);
    const bool hexagonal = same(C[5][5], 0.5 * (C[0][0] - C[0][1]));
    if (cubic && hexagonal)
      return SymmetryClass::isotropic;
    if (cubic)
      return SymmetryClass::cubic;
    if (hexagonal)
      return SymmetryClass::hexagonal;
    return SymmetryClass::tetragonal;
  }


  bool
  has_symmetry(const SymmetryClass actual, const SymmetryClass stated)
  {
    if (actual == stated)
      return true;
    // Walk up the containment lattice: each class is a special case of the
    // classes listed here (isotropic is both cubic and hexagonal, hexagonal
    // both tetragonal and trigonal; a trigonal frame has no 2-fold axis x3,
    // so it is no monoclinic pattern of this frame).
    switch (actual)
      {
        case SymmetryClass::isotropic:
          return has_symmetry(SymmetryClass::cubic, stated)
                 || has_symmetry(SymmetryClass::hexagonal, stated);
        case SymmetryClass::cubic:
          return has_symmetry(SymmetryClass::tetragonal, stated);
        case SymmetryClass::hexagonal:
          return has_symmetry(SymmetryClass::tetragonal, stated)
                 || has_symmetry(SymmetryClass::trigonal, stated);
        case SymmetryClass::trigonal:
          return has_symmetry(SymmetryClass::triclinic, stated);
        case SymmetryClass::tetragonal:
          return has_symmetry(SymmetryClass::orthorhombic, stated);
        case SymmetryClass::orthorhombic:
          return has_symmetry(SymmetryClass::monoclinic, stated);
        case SymmetryClass::monoclinic:
          return has_symmetry(SymmetryClass::triclinic, stated);
        case SymmetryClass::triclinic:
          return false;
      }
    throw std::invalid_argument("has_symmetry: invalid SymmetryClass value");
  }
} // namespace scalebridge::elasticity
