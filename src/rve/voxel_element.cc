#include <deal.II/base/quadrature_lib.h>

#include <scalebridge/rve/voxel_element.h>

#include <cmath>
#include <stdexcept>

namespace scalebridge::rve
{
  std::string
  to_string(const Physics physics)
  {
    return physics == Physics::elasticity ? "elasticity" : "conduction";
  }

  unsigned int
  n_components(const Physics physics, const unsigned int dim)
  {
    return physics == Physics::elasticity ? dim : 1;
  }

  unsigned int
  n_strains(const Physics physics, const unsigned int dim)
  {
    if (physics == Physics::conduction)
      return dim;
    return dim == 3 ? 6 : 3;
  }

  dealii::FullMatrix<double>
  reduce_to_dimension(const Physics                     physics,
                      const unsigned int                dim,
                      const dealii::FullMatrix<double> &law_3d)
  {
    const unsigned int n3 = physics == Physics::elasticity ? 6 : 3;
    if (law_3d.m() != n3 || law_3d.n() != n3)
      throw std::invalid_argument("reduce_to_dimension: expected a "
                                  + std::to_string(n3) + "x"
                                  + std::to_string(n3) + " law");
    if (dim == 3)
      return law_3d;
    // In-plane components: Mandel 11, 22, 12 or gradient 1, 2.
    const std::vector<unsigned> keep = physics == Physics::elasticity
                                         ? std::vector<unsigned>{0, 1, 5}
                                         : std::vector<unsigned>{0, 1};
    dealii::FullMatrix<double>  law(keep.size(), keep.size());
    for (unsigned i = 0; i < keep.size(); ++i)
      for (unsigned j = 0; j < keep.size(); ++j)
        law(i, j) = law_3d(keep[i], keep[j]);
    return law;
  }

  double
  lagrange_value(const unsigned int degree,
                 const unsigned int a,
                 const double       x)
  {
    double value = 1;
    for (unsigned b = 0; b <= degree; ++b)
      if (b != a)
        value *= (x * degree - b) / (double(a) - double(b));
    return value;
  }

  double
  lagrange_derivative(const unsigned int degree,
                      const unsigned int a,
                      const double       x)
  {
    // Product rule over the factors (x p - b) / (a - b).
    double sum = 0;
    for (unsigned c = 0; c <= degree; ++c)
      {
        if (c == a)
          continue;
        double term = degree / (double(a) - double(c));
        for (unsigned b = 0; b <= degree; ++b)
          if (b != a && b != c)
            term *= (x * degree - b) / (double(a) - double(b));
        sum += term;
      }
    return sum;
  }

  double
  lagrange_integral(const unsigned int degree, const unsigned int a)
  {
    const dealii::QGauss<1> gauss(degree + 1);
    double                  sum = 0;
    for (unsigned q = 0; q < gauss.size(); ++q)
      sum += gauss.weight(q) * lagrange_value(degree, a, gauss.point(q)[0]);
    return sum;
  }

  VoxelElement::VoxelElement(const Physics                physics,
                             const unsigned int           dim,
                             const std::array<double, 3> &h,
                             const unsigned int           degree)
    : physics_(physics)
    , dim(dim)
    , h(h)
    , degree_(degree)
    , n_strains_(rve::n_strains(physics, dim))
  {
    if (degree < 1 || degree > 2)
      throw std::invalid_argument("VoxelElement: degree must be 1 or 2");
    n_nodes_ = 1;
    volume_  = 1;
    for (unsigned d = 0; d < dim; ++d)
      {
        n_nodes_ *= degree + 1;
        volume_ *= h[d];
      }
    n_dofs_ = n_nodes_ * rve::n_components(physics, dim);

    // degree + 1 Gauss points per direction integrate B^T D B exactly.
    const dealii::QGauss<1> gauss(degree + 1);
    const unsigned          nq = gauss.size();
    for (unsigned q2 = 0; q2 < (dim == 3 ? nq : 1); ++q2)
      for (unsigned q1 = 0; q1 < nq; ++q1)
        for (unsigned q0 = 0; q0 < nq; ++q0)
          {
            const std::array<double, 3> xi{
              {gauss.point(q0)[0], gauss.point(q1)[0], gauss.point(q2)[0]}};
            double w = gauss.weight(q0) * gauss.weight(q1);
            if (dim == 3)
              w *= gauss.weight(q2);
            quadrature_strain.push_back(strain_operator(xi));
            quadrature_weight.push_back(w * volume_);
          }
    strain_integral_.reinit(n_strains_, n_dofs_);
    for (unsigned q = 0; q < quadrature_strain.size(); ++q)
      strain_integral_.add(quadrature_weight[q], quadrature_strain[q]);
    centre_strain_ = strain_operator({{0.5, 0.5, 0.5}});
  }

  dealii::FullMatrix<double>
  VoxelElement::strain_operator(const std::array<double, 3> &xi) const
  {
    const unsigned int ncomp = rve::n_components(physics_, dim);
    const unsigned int q     = degree_ + 1;
    // grad[v][d]: derivative of the shape function of node v along x_d.
    std::vector<std::array<double, 3>> grad(n_nodes_);
    for (unsigned v = 0; v < n_nodes_; ++v)
      {
        const unsigned a[3] = {v % q, (v / q) % q, v / (q * q)};
        for (unsigned d = 0; d < dim; ++d)
          {
            double value = 1;
            for (unsigned e = 0; e < dim; ++e)
              value *= e == d ? lagrange_derivative(degree_, a[e], xi[e]) / h[e]
                              : lagrange_value(degree_, a[e], xi[e]);
            grad[v][d] = value;
          }
      }

    dealii::FullMatrix<double> B(n_strains_, n_dofs_);
    const double               s = 1. / std::sqrt(2.);
    for (unsigned v = 0; v < n_nodes_; ++v)
      {
        if (physics_ == Physics::conduction)
          {
            for (unsigned d = 0; d < dim; ++d)
              B(d, v) = grad[v][d];
            continue;
          }
        const unsigned c0 = v * ncomp;
        if (dim == 3)
          {
            // Mandel: 11, 22, 33, sqrt2*23, sqrt2*13, sqrt2*12.
            B(0, c0 + 0) = grad[v][0];
            B(1, c0 + 1) = grad[v][1];
            B(2, c0 + 2) = grad[v][2];
            B(3, c0 + 1) = s * grad[v][2];
            B(3, c0 + 2) = s * grad[v][1];
            B(4, c0 + 0) = s * grad[v][2];
            B(4, c0 + 2) = s * grad[v][0];
            B(5, c0 + 0) = s * grad[v][1];
            B(5, c0 + 1) = s * grad[v][0];
          }
        else
          {
            B(0, c0 + 0) = grad[v][0];
            B(1, c0 + 1) = grad[v][1];
            B(2, c0 + 0) = s * grad[v][1];
            B(2, c0 + 1) = s * grad[v][0];
          }
      }
    return B;
  }

  dealii::FullMatrix<double>
  VoxelElement::stiffness(const dealii::FullMatrix<double> &law) const
  {
    if (law.m() != n_strains_ || law.n() != n_strains_)
      throw std::invalid_argument("VoxelElement::stiffness: law has the "
                                  "wrong size");
    dealii::FullMatrix<double> K(n_dofs_, n_dofs_), DB(n_strains_, n_dofs_);
    for (unsigned q = 0; q < quadrature_strain.size(); ++q)
      {
        law.mmult(DB, quadrature_strain[q]);
        DB *= quadrature_weight[q];
        quadrature_strain[q].Tmmult(K, DB, true);
      }
    return K;
  }

  dealii::Vector<double>
  VoxelElement::affine_field(const unsigned int j) const
  {
    const unsigned int     ncomp = rve::n_components(physics_, dim);
    const unsigned int     q     = degree_ + 1;
    dealii::Vector<double> u(n_dofs_);
    for (unsigned v = 0; v < n_nodes_; ++v)
      {
        const unsigned        a[3] = {v % q, (v / q) % q, v / (q * q)};
        std::array<double, 3> x{{0, 0, 0}};
        for (unsigned d = 0; d < dim; ++d)
          x[d] = a[d] * h[d] / degree_;
        if (physics_ == Physics::conduction)
          {
            u[v] = x[j];
            continue;
          }
        // Strain tensor of the Mandel unit vector e_j.
        double                eps[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
        const double          s         = 1. / std::sqrt(2.);
        static const unsigned pair3[6][2]
          = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
        static const unsigned pair2[3][2] = {{0, 0}, {1, 1}, {0, 1}};
        const unsigned       *p           = dim == 3 ? pair3[j] : pair2[j];
        const double          value       = p[0] == p[1] ? 1. : s;
        eps[p[0]][p[1]]                   = value;
        eps[p[1]][p[0]]                   = value;
        for (unsigned c = 0; c < ncomp; ++c)
          for (unsigned d = 0; d < dim; ++d)
            u[v * ncomp + c] += eps[c][d] * x[d];
      }
    return u;
  }

  void
  add_galerkin_product(const unsigned int dim,
                       const unsigned int ncomp,
                       const unsigned int child,
                       const double      *Kf,
                       double            *Kc)
  {
    // Multilinear weights: product over directions of the 1D hat of V at
    // (offset + v_d) / 2.
    const unsigned int  nv = 1u << dim;
    std::vector<double> w(nv * nv * ncomp);
    for (unsigned v = 0; v < nv; ++v)
      for (unsigned V = 0; V < nv; ++V)
        {
          double value = 1;
          for (unsigned d = 0; d < dim; ++d)
            {
              const double xi = 0.5 * (((child >> d) & 1) + ((v >> d) & 1));
              value *= ((V >> d) & 1) ? xi : 1. - xi;
            }
          for (unsigned c = 0; c < ncomp; ++c)
            w[(v * nv + V) * ncomp + c] = value;
        }
    add_galerkin_product(dim, ncomp, w.data(), Kf, Kc);
  }

  void
  add_galerkin_product(const unsigned int dim,
                       const unsigned int ncomp,
                       const double      *w,
                       const double      *Kf,
                       double            *Kc)
  {
    const unsigned int nv = 1u << dim;
    const unsigned int nd = nv * ncomp;
    // T = K_child P (nd x nd), then Kc += P^T T; P is sparse (a child corner
    // interpolates from 1, 2, 4 or 8 coarse corners).
    std::vector<double> T(nd * nd, 0.);
    for (unsigned v = 0; v < nv; ++v)
      for (unsigned V = 0; V < nv; ++V)
        for (unsigned c = 0; c < ncomp; ++c)
          {
            const double weight = w[(v * nv + V) * ncomp + c];
            if (weight == 0)
              continue;
            const unsigned j = v * ncomp + c, J = V * ncomp + c;
            for (unsigned i = 0; i < nd; ++i)
              T[i * nd + J] += weight * Kf[i * nd + j];
          }
    for (unsigned v = 0; v < nv; ++v)
      for (unsigned V = 0; V < nv; ++V)
        for (unsigned c = 0; c < ncomp; ++c)
          {
            const double weight = w[(v * nv + V) * ncomp + c];
            if (weight == 0)
              continue;
            const unsigned i = v * ncomp + c, I = V * ncomp + c;
            for (unsigned J = 0; J < nd; ++J)
              Kc[I * nd + J] += weight * T[i * nd + J];
          }
  }
} // namespace scalebridge::rve
