#include <deal.II/base/mpi.h>

#include <scalebridge/rve/null_space.h>

#include <cmath>

namespace scalebridge::rve
{
  NullSpaceProjection::NullSpaceProjection(const ActiveDomain &domain,
                                           const GridLevel    &fine,
                                           const unsigned int  n_components)
    : n_comp(n_components)
    , n_gen(domain.n_generators())
    , dim_null(domain.null_space_dimension())
    , comm(fine.nodes->get_mpi_communicator())
    , Z(domain.null_space())
  {
    if (dim_null == 0)
      return;
    const unsigned int n_owned = fine.n_owned_nodes();
    node_first.resize(n_owned);
    node_count.resize(n_owned);
    value_start.resize(n_owned + 1, 0);
    for (unsigned n = 0; n < n_owned; ++n)
      {
        const std::size_t node    = fine.owned_nodes[n];
        const auto [first, count] = domain.node_generators(node);
        node_first[n]             = first;
        node_count[n]             = count;
        for (unsigned g = 0; g < count; ++g)
          for (unsigned c = 0; c < n_comp; ++c)
            values.push_back(domain.generator_value(first + g, node, c));
        value_start[n + 1] = values.size();
      }

    // H = G^T G (block diagonal, assembled densely: n_gen is small).
    std::vector<double> H(std::size_t(n_gen) * n_gen, 0.);
    for (unsigned n = 0; n < n_owned; ++n)
      {
        const double *val = values.data() + value_start[n];
        for (unsigned a = 0; a < node_count[n]; ++a)
          for (unsigned b = 0; b < node_count[n]; ++b)
            {
              double s = 0;
              for (unsigned c = 0; c < n_comp; ++c)
                s += val[a * n_comp + c] * val[b * n_comp + c];
              H[std::size_t(node_first[n] + a) * n_gen + node_first[n] + b]
                += s;
            }
      }
    dealii::Utilities::MPI::sum(H, comm, H);
    dealii::FullMatrix<double> Hm(n_gen, n_gen), HZ(n_gen, dim_null);
    for (unsigned a = 0; a < n_gen; ++a)
      for (unsigned b = 0; b < n_gen; ++b)
        Hm(a, b) = H[std::size_t(a) * n_gen + b];
    Hm.mmult(HZ, Z);
    gram_inverse.reinit(dim_null, dim_null);
    Z.Tmmult(gram_inverse, HZ);
    gram_inverse.gauss_jordan();
  }

  std::vector<double>
  NullSpaceProjection::generator_products(const MultiVector<double> &v) const
  {
    const unsigned int  k = v.n_columns();
    std::vector<double> t(std::size_t(n_gen) * k, 0.);
    for (unsigned n = 0; n < node_first.size(); ++n)
      {
        const double *val = values.data() + value_start[n];
        const double *x   = v.data.begin() + std::size_t(n) * n_comp * k;
        for (unsigned g = 0; g < node_count[n]; ++g)
          for (unsigned c = 0; c < n_comp; ++c)
            for (unsigned r = 0; r < k; ++r)
              t[std::size_t(node_first[n] + g) * k + r]
                += val[g * n_comp + c] * x[c * k + r];
      }
    dealii::Utilities::MPI::sum(t, comm, t);
    return t;
  }

  void
  NullSpaceProjection::operator()(MultiVector<double> &v) const
  {
    if (dim_null == 0)
      return;
    const unsigned int  k = v.n_columns();
    std::vector<double> t = generator_products(v);
    // coefficients c = Z (Z^T H Z)^-1 Z^T t, per column
    std::vector<double> coef(std::size_t(n_gen) * k, 0.);
    std::vector<double> s(dim_null), y(dim_null);
    for (unsigned r = 0; r < k; ++r)
      {
        for (unsigned j = 0; j < dim_null; ++j)
          {
            s[j] = 0;
            for (unsigned g = 0; g < n_gen; ++g)
              s[j] += Z(g, j) * t[std::size_t(g) * k + r];
          }
        for (unsigned i = 0; i < dim_null; ++i)
          {
            y[i] = 0;
            for (unsigned j = 0; j < dim_null; ++j)
              y[i] += gram_inverse(i, j) * s[j];
          }
        for (unsigned g = 0; g < n_gen; ++g)
          for (unsigned j = 0; j < dim_null; ++j)
            coef[std::size_t(g) * k + r] += Z(g, j) * y[j];
      }
    for (unsigned n = 0; n < node_first.size(); ++n)
      {
        const double *val = values.data() + value_start[n];
        double       *x   = v.data.begin() + std::size_t(n) * n_comp * k;
        for (unsigned g = 0; g < node_count[n]; ++g)
          for (unsigned c = 0; c < n_comp; ++c)
            for (unsigned r = 0; r < k; ++r)
              x[c * k + r] -= val[g * n_comp + c]
                              * coef[std::size_t(node_first[n] + g) * k + r];
      }
  }

  std::vector<double>
  NullSpaceProjection::mode_content(const MultiVector<double> &v) const
  {
    const unsigned int  k = v.n_columns();
    std::vector<double> result(k, 0.);
    if (dim_null == 0)
      return result;
    const std::vector<double> t      = generator_products(v);
    const std::vector<double> norm_v = v.norms();
    for (unsigned r = 0; r < k; ++r)
      {
        // |P_N v| = sqrt(s^T (Z^T H Z)^-1 s), s = Z^T t
        std::vector<double> s(dim_null, 0.);
        for (unsigned j = 0; j < dim_null; ++j)
          for (unsigned g = 0; g < n_gen; ++g)
            s[j] += Z(g, j) * t[std::size_t(g) * k + r];
        double q = 0;
        for (unsigned i = 0; i < dim_null; ++i)
          for (unsigned j = 0; j < dim_null; ++j)
            q += s[i] * gram_inverse(i, j) * s[j];
        result[r] = norm_v[r] > 0 ? std::sqrt(std::max(q, 0.)) / norm_v[r] : 0.;
      }
    return result;
  }
} // namespace scalebridge::rve
