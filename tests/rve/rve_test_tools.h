#ifndef scalebridge_tests_rve_test_tools_h
#define scalebridge_tests_rve_test_tools_h

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <scalebridge/elasticity/stiffness.h>
#include <scalebridge/microstructure/microstructure.h>
#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

namespace scalebridge::rve_test
{
  using dealii::FullMatrix;
  using microstructure::Microstructure;

  /// Isotropic stiffness in Mandel notation [Pa].
  inline FullMatrix<double>
  isotropic(const double E, const double nu)
  {
    const elasticity::Matrix6 M
      = elasticity::voigt_to_mandel(elasticity::isotropic_stiffness(E, nu));
    FullMatrix<double> C(6, 6);
    for (unsigned i = 0; i < 6; ++i)
      for (unsigned j = 0; j < 6; ++j)
        C(i, j) = M[i][j];
    return C;
  }

  /// A fully anisotropic (triclinic) positive definite Mandel stiffness.
  inline FullMatrix<double>
  triclinic(const double scale = 1e9, const double seed = 0.)
  {
    FullMatrix<double> A(6, 6), C(6, 6);
    for (unsigned i = 0; i < 6; ++i)
      for (unsigned j = 0; j < 6; ++j)
        A(i, j) = std::sin(1.3 * i + 0.7 * j * j + 0.1 + seed);
    A.Tmmult(C, A);
    for (unsigned i = 0; i < 6; ++i)
      C(i, i) += 2.;
    C *= scale;
    return C;
  }

  /// Isotropic conductivity (3x3).
  inline FullMatrix<double>
  conductivity(const double sigma)
  {
    FullMatrix<double> k(3, 3);
    for (unsigned i = 0; i < 3; ++i)
      k(i, i) = sigma;
    return k;
  }

  /// A symmetric positive definite anisotropic conductivity.
  inline FullMatrix<double>
  anisotropic_conductivity(const double scale = 1.)
  {
    FullMatrix<double> k(3, 3);
    const double v[3][3] = {{3., 0.5, -0.3}, {0.5, 2., 0.4}, {-0.3, 0.4, 1.5}};
    for (unsigned i = 0; i < 3; ++i)
      for (unsigned j = 0; j < 3; ++j)
        k(i, j) = scale * v[i][j];
    return k;
  }

  /// A microstructure with phase f(i, j, k) in every voxel.
  inline Microstructure
  make_microstructure(
    const unsigned                                               dim,
    const unsigned                                               n,
    const std::function<unsigned(unsigned, unsigned, unsigned)> &f,
    const std::array<double, 3> &size = {{1., 1., 1.}})
  {
    Microstructure m(dim, {{n, n, dim == 3 ? n : 1}}, size);
    for (unsigned k = 0; k < (dim == 3 ? n : 1); ++k)
      for (unsigned j = 0; j < n; ++j)
        for (unsigned i = 0; i < n; ++i)
          m.set_phase(i, j, k, f(i, j, k));
    return m;
  }

  /// Centred sphere (disc in 2D) of phase 1 with voxel centres inside
  /// radius @p r (in units of the cell size).
  inline Microstructure
  centred_sphere(const unsigned dim, const unsigned n, const double r)
  {
    return make_microstructure(dim, n, [=](unsigned i, unsigned j, unsigned k) {
      const double x = (i + 0.5) / n - 0.5, y = (j + 0.5) / n - 0.5,
                   z = dim == 3 ? (k + 0.5) / n - 0.5 : 0.;
      return x * x + y * y + z * z < r * r ? 1u : 0u;
    });
  }

  /// The laws of a physics reduced to the dimension, per phase.
  inline std::vector<FullMatrix<double>>
  reduce(const rve::Physics                     physics,
         const unsigned                         dim,
         const std::vector<FullMatrix<double>> &laws)
  {
    std::vector<FullMatrix<double>> out;
    for (const auto &l : laws)
      out.push_back(l.m() == 0 ? FullMatrix<double>()
                               : rve::reduce_to_dimension(physics, dim, l));
    return out;
  }

  /// Runs one cell problem on @p micro over @p comm and returns its result.
  template <int dim>
  rve::CellProblemResult
  homogenize(const Microstructure                  &micro,
             const rve::Physics                     physics,
             const std::string                     &bc_name,
             const std::vector<FullMatrix<double>> &laws_3d,
             MPI_Comm                               comm = MPI_COMM_WORLD,
             const rve::SolverSettings &settings = rve::SolverSettings(),
             const unsigned int         refinements_per_voxel = 0,
             const unsigned int         degree                = 1)
  {
    rve::VoxelMesh<dim> mesh(comm, micro, refinements_per_voxel, degree);
    const auto          bc = rve::create_boundary_condition(bc_name);
    rve::CellProblem    problem(physics,
                             *bc,
                             mesh.hierarchy(bc->periodic_grid()),
                             mesh.cell_phase(),
                             reduce(physics, dim, laws_3d),
                             settings);
    return problem.solve();
  }

  /// max_ij |A_ij - B_ij| / max_ij |B_ij|
  inline double
  relative_difference(const FullMatrix<double> &A, const FullMatrix<double> &B)
  {
    double diff = 0, ref = 0;
    for (unsigned i = 0; i < B.m(); ++i)
      for (unsigned j = 0; j < B.n(); ++j)
        {
          diff = std::max(diff, std::abs(A(i, j) - B(i, j)));
          ref  = std::max(ref, std::abs(B(i, j)));
        }
    return diff / ref;
  }

  /// Smallest eigenvalue of the symmetric part of A - B, relative to the
  /// largest eigenvalue of B: >= -tol means A >= B in the energy sense.
  inline double
  min_eigenvalue_of_difference(const FullMatrix<double> &A,
                               const FullMatrix<double> &B)
  {
    const unsigned                   n = A.m();
    dealii::LAPACKFullMatrix<double> D(n, n), Bs(n, n);
    for (unsigned i = 0; i < n; ++i)
      for (unsigned j = 0; j < n; ++j)
        {
          D(i, j)  = 0.5 * (A(i, j) + A(j, i) - B(i, j) - B(j, i));
          Bs(i, j) = 0.5 * (B(i, j) + B(j, i));
        }
    D.compute_eigenvalues();
    Bs.compute_eigenvalues();
    double dmin = 1e300, bmax = 0;
    for (unsigned i = 0; i < n; ++i)
      {
        dmin = std::min(dmin, D.eigenvalue(i).real());
        bmax = std::max(bmax, std::abs(Bs.eigenvalue(i).real()));
      }
    return dmin / bmax;
  }

  /// Exact effective law of a laminate with layer normal along the last
  /// coordinate axis of the dimension: a = in-plane, b = normal components
  /// (Backus): continuity of the in-plane strains and of the normal
  /// stresses, laws given in the problem dimension.
  inline FullMatrix<double>
  laminate_law(const std::vector<FullMatrix<double>> &laws,
               const std::vector<double>             &fractions,
               const std::vector<unsigned>           &a,
               const std::vector<unsigned>           &b)
  {
    const unsigned na = a.size(), nb = b.size(), n = na + nb;
    auto           block = [](const FullMatrix<double>    &C,
                    const std::vector<unsigned> &r,
                    const std::vector<unsigned> &c) {
      FullMatrix<double> M(r.size(), c.size());
      for (unsigned i = 0; i < r.size(); ++i)
        for (unsigned j = 0; j < c.size(); ++j)
          M(i, j) = C(r[i], c[j]);
      return M;
    };
    FullMatrix<double> inv_bb(nb, nb), inv_bb_ba(nb, na), ab_inv_bb(na, nb),
      aa(na, na);
    for (unsigned p = 0; p < laws.size(); ++p)
      {
        FullMatrix<double> Cbb = block(laws[p], b, b),
                           Cba = block(laws[p], b, a),
                           Cab = block(laws[p], a, b),
                           Caa = block(laws[p], a, a);
        FullMatrix<double> Sbb(nb, nb);
        Sbb.invert(Cbb);
        FullMatrix<double> SbbCba(nb, na), CabSbb(na, nb), CabSbbCba(na, na);
        Sbb.mmult(SbbCba, Cba);
        Cab.mmult(CabSbb, Sbb);
        CabSbb.mmult(CabSbbCba, Cba);
        inv_bb.add(fractions[p], Sbb);
        inv_bb_ba.add(fractions[p], SbbCba);
        ab_inv_bb.add(fractions[p], CabSbb);
        aa.add(fractions[p], Caa);
        aa.add(-fractions[p], CabSbbCba);
      }
    FullMatrix<double> M(nb, nb);
    M.invert(inv_bb);
    FullMatrix<double> Mba(nb, na), abM(na, nb), corr(na, na);
    M.mmult(Mba, inv_bb_ba);
    ab_inv_bb.mmult(abM, M);
    abM.mmult(corr, inv_bb_ba);
    aa.add(1., corr);
    FullMatrix<double> C(n, n);
    for (unsigned i = 0; i < na; ++i)
      for (unsigned j = 0; j < na; ++j)
        C(a[i], a[j]) = aa(i, j);
    for (unsigned i = 0; i < na; ++i)
      for (unsigned j = 0; j < nb; ++j)
        {
          C(a[i], b[j]) = abM(i, j);
          C(b[j], a[i]) = Mba(j, i);
        }
    for (unsigned i = 0; i < nb; ++i)
      for (unsigned j = 0; j < nb; ++j)
        C(b[i], b[j]) = M(i, j);
    return C;
  }
} // namespace scalebridge::rve_test

#endif
