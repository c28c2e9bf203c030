#include <deal.II/base/mpi.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/tridiagonal_matrix.h>

#include <scalebridge/rve/block_cg.h>
#include <scalebridge/rve/multigrid.h>

#include <cmath>
#include <limits>

namespace scalebridge::rve
{
  /// Per level: solution, right-hand side, residual and Chebyshev update of
  /// the cycle, and the first coarse correction of a W-cycle.
  template <typename Number>
  struct Multigrid<Number>::Workspace
  {
    std::vector<MultiVector<Number>> x, b, r, d, e;
  };

  namespace
  {
    /// A reproducible pseudo-random number in [-1, 1] from an integer.
    double
    hash_value(const std::size_t i)
    {
      std::uint64_t z = i + 0x9E3779B97F4A7C15ull;
      z               = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z               = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      z               = z ^ (z >> 31);
      return double(z >> 11) / double(1ull << 53) * 2. - 1.;
    }

    /// Jacobi preconditioner for the inner coarse CG.
    template <typename Number>
    struct Jacobi
    {
      const LevelOperator<Number> *op;
      void
      vmult(MultiVector<Number> &dst, const MultiVector<Number> &src) const
      {
        const unsigned k  = src.n_columns();
        const auto    &id = op->inverse_diagonal();
        for (unsigned i = 0, u = 0; i < src.locally_owned_size(); i += k, ++u)
          for (unsigned r = 0; r < k; ++r)
            dst.data.local_element(i + r)
              = id[u] * src.data.local_element(i + r);
      }
    };
  } // namespace

  template <typename Number>
  Multigrid<Number>::Multigrid(
    const VoxelHierarchy                         &hierarchy,
    const LevelMatrices                          &matrices,
    const unsigned int                            n_components,
    const std::vector<std::vector<unsigned int>> &constrained,
    const MultigridSettings                      &settings)
    : hierarchy(&hierarchy)
    , matrices(&matrices)
    , n_comp(n_components)
    , settings(settings)
  {
    const unsigned int n_lev = hierarchy.n_levels();
    for (unsigned l = 0; l < n_lev; ++l)
      operators.push_back(std::make_unique<LevelOperator<Number>>(
        hierarchy.level(l), matrices, l, n_comp, constrained[l]));

    max_eigenvalues.assign(n_lev, 0.);
    for (unsigned l = 1; l < n_lev; ++l)
      max_eigenvalues[l] = estimate_max_eigenvalue(l);

    // Coarsest level: a dense pseudo-inverse, replicated on all ranks.
    const GridLevel &coarse = hierarchy.level(0);
    coarse_size             = coarse.global_node.size() * n_comp;
    dense_coarse            = coarse_size <= settings.max_dense_coarse_unknowns;
    const auto range        = coarse.nodes->local_range();
    for (unsigned i = 0; i < coarse.n_owned_nodes() * n_comp; ++i)
      coarse_global.push_back(range.first * n_comp + i);
    if (dense_coarse)
      {
        const unsigned int        n  = coarse_size;
        const unsigned int        nd = matrices.n_dofs_per_cell(0);
        const unsigned int        nv = coarse.geometry.nodes_per_cell();
        std::vector<double>       A(std::size_t(n) * n, 0.);
        const auto               &ids  = matrices.cell_matrix(0);
        const auto               &pool = matrices.matrices(0);
        std::vector<unsigned int> g(nd);
        for (unsigned c = 0; c < ids.size(); ++c)
          {
            if (ids[c] == LevelMatrices::inactive)
              continue;
            for (unsigned v = 0; v < nv; ++v)
              for (unsigned comp = 0; comp < n_comp; ++comp)
                g[v * n_comp + comp]
                  = coarse.nodes->local_to_global(coarse.cell_nodes[c * nv + v])
                      * n_comp
                    + comp;
            const double *K = pool.data() + std::size_t(ids[c]) * nd * nd;
            for (unsigned i = 0; i < nd; ++i)
              for (unsigned j = 0; j < nd; ++j)
                A[std::size_t(g[i]) * n + g[j]] += K[i * nd + j];
          }
        std::vector<int> fixed(n, 0);
        for (const auto i : operators[0]->constrained_unknowns())
          fixed[coarse_global[i]] = 1;
        const MPI_Comm comm = hierarchy.get_communicator();
        MPI_Allreduce(
          MPI_IN_PLACE, A.data(), int(A.size()), MPI_DOUBLE, MPI_SUM, comm);
        MPI_Allreduce(MPI_IN_PLACE, fixed.data(), n, MPI_INT, MPI_MAX, comm);

        // Pseudo-inverse of the free block by a singular value decomposition:
        // symmetric eigensolvers by selection (syevx) fail to converge on the
        // clustered spectra of small KUBC coarse grids at high contrast.
        std::vector<unsigned int> free;
        for (unsigned i = 0; i < n; ++i)
          if (!fixed[i])
            free.push_back(i);
        const unsigned int               m = free.size();
        dealii::LAPACKFullMatrix<double> lapack(m, m);
        for (unsigned a = 0; a < m; ++a)
          for (unsigned b = 0; b < m; ++b)
            lapack(a, b) = 0.5
                           * (A[std::size_t(free[a]) * n + free[b]]
                              + A[std::size_t(free[b]) * n + free[a]]);
        coarse_inverse.reinit(n, n);
        if (m > 0)
          {
            lapack.compute_svd();
            const auto  &U     = lapack.get_svd_u();
            const auto  &Vt    = lapack.get_svd_vt();
            const double s_max = lapack.singular_value(0);
            for (unsigned t = 0; t < m; ++t)
              {
                const double s = lapack.singular_value(t);
                if (!(s > 1e-10 * s_max))
                  continue;
                for (unsigned a = 0; a < m; ++a)
                  for (unsigned b = 0; b < m; ++b)
                    coarse_inverse(free[a], free[b]) += Vt(t, a) * U(b, t) / s;
              }
          }
      }
  }

  template <typename Number>
  Multigrid<Number>::~Multigrid() = default;

  template <typename Number>
  std::size_t
  Multigrid<Number>::memory_consumption() const
  {
    std::size_t bytes = coarse_inverse.memory_consumption();
    for (const auto &op : operators)
      bytes
        += op->n_active_cells()
             * (sizeof(unsigned) * (1 + op->level().geometry.nodes_per_cell()))
           + op->inverse_diagonal().size() * (sizeof(Number) + sizeof(double));
    for (const auto &[k, w] : workspaces)
      for (unsigned l = 0; l < w->x.size(); ++l)
        bytes += w->x[l].data.memory_consumption()
                 * (settings.coarse_corrections > 1 ? 5 : 4);
    return bytes;
  }

  template <typename Number>
  typename Multigrid<Number>::Workspace &
  Multigrid<Number>::workspace(const unsigned int n_columns) const
  {
    auto &w = workspaces[n_columns];
    if (!w)
      {
        w                    = std::make_unique<Workspace>();
        const unsigned int n = operators.size();
        w->x.resize(n);
        w->b.resize(n);
        w->r.resize(n);
        w->d.resize(n);
        w->e.resize(n);
        for (unsigned l = 0; l < n; ++l)
          {
            w->x[l].reinit(hierarchy->level(l), n_comp, n_columns);
            w->b[l].reinit(hierarchy->level(l), n_comp, n_columns);
            w->r[l].reinit(hierarchy->level(l), n_comp, n_columns);
            w->d[l].reinit(hierarchy->level(l), n_comp, n_columns);
            if (settings.coarse_corrections > 1 && l > 0 && l + 1 < n)
              w->e[l].reinit(hierarchy->level(l), n_comp, n_columns);
          }
      }
    return *w;
  }

  template <typename Number>
  void
  Multigrid<Number>::set_constrained_to_zero(const unsigned int   level,
                                             MultiVector<Number> &v) const
  {
    const unsigned k = v.n_columns();
    for (const auto i : operators[level]->constrained_unknowns())
      for (unsigned r = 0; r < k; ++r)
        v.data.local_element(std::size_t(i) * k + r) = 0;
  }

  template <typename Number>
  double
  Multigrid<Number>::estimate_max_eigenvalue(const unsigned int level) const
  {
    const LevelOperator<Number> &A = *operators[level];
    const GridLevel             &g = hierarchy->level(level);
    MultiVector<Number>          y, b, x, r, z, p, q;
    y.reinit(g, n_comp, 1);
    const auto range = g.nodes->local_range();
    for (unsigned i = 0; i < y.locally_owned_size(); ++i)
      y.data.local_element(i) = hash_value(range.first * n_comp + i);
    b.reinit_like(y);
    A.vmult(b, y);
    x.reinit_like(y);
    r.reinit_like(y);
    z.reinit_like(y);
    p.reinit_like(y);
    q.reinit_like(y);
    // Lanczos through CG on D^-1 A (cf. deal.II's PreconditionChebyshev).
    r.data         = b.data;
    const auto &id = A.inverse_diagonal();
    auto        precondition
      = [&](MultiVector<Number> &out, const MultiVector<Number> &in) {
          for (unsigned i = 0; i < in.locally_owned_size(); ++i)
            out.data.local_element(i) = id[i] * in.data.local_element(i);
        };
    precondition(z, r);
    p.data                 = z.data;
    double              rz = r.dot(z)[0];
    std::vector<double> diag, offdiag;
    double              alpha_old = 0, beta_old = 0;
    for (unsigned it = 0; it < settings.eigenvalue_iterations; ++it)
      {
        A.vmult(q, p);
        const double pq = p.dot(q)[0];
        if (!(pq > 0) || !(rz > 0))
          break;
        const double alpha = rz / pq;
        diag.push_back(1. / alpha + (it > 0 ? beta_old / alpha_old : 0.));
        if (it > 0)
          offdiag.push_back(std::sqrt(beta_old) / alpha_old);
        r.add({-alpha}, q);
        precondition(z, r);
        const double rz_new = r.dot(z)[0];
        const double beta   = rz_new / rz;
        p.sadd({beta}, z);
        rz        = rz_new;
        alpha_old = alpha;
        beta_old  = beta;
      }
    if (diag.empty())
      return 1.;
    dealii::TridiagonalMatrix<double> T(diag.size(), true);
    for (unsigned i = 0; i < diag.size(); ++i)
      {
        T(i, i) = diag[i];
        if (i + 1 < diag.size())
          T(i, i + 1) = offdiag[i];
      }
    T.compute_eigenvalues();
    return T.eigenvalue(diag.size() - 1);
  }

  template <typename Number>
  void
  Multigrid<Number>::smooth(const unsigned int         level,
                            MultiVector<Number>       &x,
                            const MultiVector<Number> &b,
                            const bool                 zero_initial_guess,
                            Workspace                 &w) const
  {
    const LevelOperator<Number> &A  = *operators[level];
    const auto                  &id = A.inverse_diagonal();
    MultiVector<Number>         &r  = w.r[level];
    MultiVector<Number>         &d  = w.d[level];
    const unsigned int           k  = b.n_columns();
    const unsigned int           n  = b.locally_owned_size();

    const double upper = 1.2 * max_eigenvalues[level];
    const double lower = upper / settings.smoothing_range;
    const double theta = 0.5 * (upper + lower);
    const double delta = 0.5 * (upper - lower);
    const double sigma = theta / delta;
    double       rho   = 1. / sigma;

    Number       *xp = x.data.begin();
    Number       *dp = d.data.begin();
    Number       *rp = r.data.begin();
    const Number *bp = b.data.begin();
    for (unsigned int step = 0; step < settings.smoothing_degree; ++step)
      {
        if (step == 0 && zero_initial_guess)
          {
            const Number f = 1. / theta;
            for (unsigned i = 0, u = 0; i < n; i += k, ++u)
              {
                const Number s = f * id[u];
                for (unsigned r = 0; r < k; ++r)
                  {
                    dp[i + r] = s * bp[i + r];
                    xp[i + r] = dp[i + r];
                  }
              }
            continue;
          }
        A.vmult(r, x);
        if (step == 0)
          {
            const Number f = 1. / theta;
            for (unsigned i = 0, u = 0; i < n; i += k, ++u)
              {
                const Number s = f * id[u];
                for (unsigned r = 0; r < k; ++r)
                  {
                    dp[i + r] = s * (bp[i + r] - rp[i + r]);
                    xp[i + r] += dp[i + r];
                  }
              }
            continue;
          }
        const double rho_new = 1. / (2. * sigma - rho);
        const Number f1      = rho_new * rho;
        const Number f2      = 2. * rho_new / delta;
        rho                  = rho_new;
        for (unsigned i = 0, u = 0; i < n; i += k, ++u)
          {
            const Number s = f2 * id[u];
            for (unsigned r = 0; r < k; ++r)
              {
                dp[i + r] = f1 * dp[i + r] + s * (bp[i + r] - rp[i + r]);
                xp[i + r] += dp[i + r];
              }
          }
      }
  }

  template <typename Number>
  void
  Multigrid<Number>::coarse_solve(MultiVector<Number>       &x,
                                  const MultiVector<Number> &b) const
  {
    const unsigned int k = b.n_columns();
    if (!dense_coarse)
      {
        x.data = 0;
        Jacobi<Number> jacobi{operators[0].get()};
        solve_block_cg<Number>(
          *operators[0], jacobi, NoProjection(), x, b, 1e-3, 1000);
        return;
      }
    const unsigned int  n = coarse_size;
    std::vector<double> full(std::size_t(n) * k, 0.),
      sol(std::size_t(n) * k, 0.);
    for (unsigned i = 0; i < coarse_global.size(); ++i)
      for (unsigned r = 0; r < k; ++r)
        full[std::size_t(coarse_global[i]) * k + r]
          = b.data.local_element(std::size_t(i) * k + r);
    MPI_Allreduce(MPI_IN_PLACE,
                  full.data(),
                  int(full.size()),
                  MPI_DOUBLE,
                  MPI_SUM,
                  hierarchy->get_communicator());
    for (unsigned i = 0; i < coarse_global.size(); ++i)
      {
        const unsigned gi = coarse_global[i];
        for (unsigned r = 0; r < k; ++r)
          {
            double s = 0;
            for (unsigned j = 0; j < n; ++j)
              s += coarse_inverse(gi, j) * full[std::size_t(j) * k + r];
            x.data.local_element(std::size_t(i) * k + r) = s;
          }
      }
  }

  template <typename Number>
  void
  Multigrid<Number>::v_cycle(const unsigned int level, Workspace &w) const
  {
    if (level == 0)
      {
        coarse_solve(w.x[0], w.b[0]);
        return;
      }
    MultiVector<Number> &x = w.x[level];
    MultiVector<Number> &b = w.b[level];
    MultiVector<Number> &r = w.r[level];
    smooth(level, x, b, true, w);
    operators[level]->vmult(r, x);
    r.data.sadd(Number(-1), Number(1), b.data);

    // Restriction (transpose of the prolongation) to the coarse right-hand
    // side; components have their own weights.
    const GridLevel     &g  = hierarchy->level(level);
    const auto          &P  = matrices->prolongation(level);
    MultiVector<Number> &bc = w.b[level - 1];
    const unsigned int   k  = r.n_columns();
    const unsigned int   B  = r.block();
    bc.data                 = 0;
    for (unsigned n = 0; n < g.n_owned_nodes(); ++n)
      for (unsigned e = P.start[n]; e < P.start[n + 1]; ++e)
        {
          const auto   *wgt = P.weight.data() + std::size_t(e) * n_comp;
          Number       *c = bc.data.begin() + std::size_t(P.coarse_node[e]) * B;
          const Number *f = r.data.begin() + std::size_t(n) * B;
          for (unsigned comp = 0, q = 0; comp < n_comp; ++comp)
            for (unsigned col = 0; col < k; ++col, ++q)
              c[q] += wgt[comp] * f[q];
        }
    bc.data.compress(dealii::VectorOperation::add);
    set_constrained_to_zero(level - 1, bc);

    v_cycle(level - 1, w);
    MultiVector<Number> &xc = w.x[level - 1];
    // Further corrections xc += cycle(bc - A xc) (W-cycle); the coarsest
    // level is solved exactly by the first.
    for (unsigned int i = 1; i < settings.coarse_corrections && level > 1; ++i)
      {
        MultiVector<Number> &e  = w.e[level - 1];
        MultiVector<Number> &rc = w.r[level - 1];
        e.data                  = xc.data;
        operators[level - 1]->vmult(rc, xc);
        bc.data -= rc.data;
        v_cycle(level - 1, w);
        xc.data += e.data;
      }

    xc.data.update_ghost_values();
    for (unsigned n = 0; n < g.n_owned_nodes(); ++n)
      for (unsigned e = P.start[n]; e < P.start[n + 1]; ++e)
        {
          const auto   *wgt = P.weight.data() + std::size_t(e) * n_comp;
          const Number *c = xc.data.begin() + std::size_t(P.coarse_node[e]) * B;
          Number       *f = x.data.begin() + std::size_t(n) * B;
          for (unsigned comp = 0, q = 0; comp < n_comp; ++comp)
            for (unsigned col = 0; col < k; ++col, ++q)
              f[q] += wgt[comp] * c[q];
        }
    xc.data.zero_out_ghost_values();
    set_constrained_to_zero(level, x);
    smooth(level, x, b, false, w);
  }

  template <typename Number>
  void
  Multigrid<Number>::vmult(MultiVector<double>       &dst,
                           const MultiVector<double> &src) const
  {
    Workspace         &w    = workspace(src.n_columns());
    const unsigned int fine = operators.size() - 1;
    w.b[fine].copy_from(src);
    set_constrained_to_zero(fine, w.b[fine]);
    v_cycle(fine, w);
    dst.copy_from(w.x[fine]);
  }

  bool
  needs_double_precision(const std::vector<dealii::FullMatrix<double>> &laws,
                         const std::vector<bool> &participates)
  {
    double largest = 0, smallest = std::numeric_limits<double>::infinity();
    for (unsigned p = 0; p < laws.size(); ++p)
      {
        if (!participates[p] || laws[p].m() == 0)
          continue;
        dealii::LAPACKFullMatrix<double> law(laws[p].m(), laws[p].n());
        for (unsigned i = 0; i < law.m(); ++i)
          for (unsigned j = 0; j < law.n(); ++j)
            law(i, j) = 0.5 * (laws[p](i, j) + laws[p](j, i));
        law.compute_eigenvalues();
        for (unsigned i = 0; i < law.m(); ++i)
          {
            const double lambda = std::abs(law.eigenvalue(i));
            largest             = std::max(largest, lambda);
            if (lambda > 0)
              smallest = std::min(smallest, lambda);
          }
      }
    return largest > single_precision_contrast_limit * smallest;
  }

  std::unique_ptr<MultigridPreconditioner>
  make_multigrid(const VoxelHierarchy                         &hierarchy,
                 const LevelMatrices                          &matrices,
                 const unsigned int                            n_components,
                 const std::vector<std::vector<unsigned int>> &constrained,
                 const MultigridSettings                      &settings,
                 const bool                                    double_precision)
  {
    if (settings.precision == "double"
        || (settings.precision == "auto" && double_precision))
      return std::make_unique<Multigrid<double>>(
        hierarchy, matrices, n_components, constrained, settings);
    return std::make_unique<Multigrid<float>>(
      hierarchy, matrices, n_components, constrained, settings);
  }

  template class Multigrid<float>;
  template class Multigrid<double>;
} // namespace scalebridge::rve
