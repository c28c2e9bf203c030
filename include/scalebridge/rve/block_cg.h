#ifndef scalebridge_rve_block_cg_h
#define scalebridge_rve_block_cg_h

#include <scalebridge/rve/multi_vector.h>

#include <algorithm>
#include <vector>

namespace scalebridge::rve
{
  /// Outcome of solve_block_cg(), per column.
  struct BlockCGResult
  {
    std::vector<unsigned int> iterations;
    std::vector<double>       initial_residual;
    std::vector<double>       final_residual;
    bool                      converged = true;

    unsigned int
    max_iterations() const
    {
      return iterations.empty()
               ? 0
               : *std::max_element(iterations.begin(), iterations.end());
    }
  };

  /**
   * Preconditioned conjugate gradients for all columns of a MultiVector at
   * once: each column has its own step lengths and stops on its own
   * (||r|| <= tolerance ||b||), but all share the operator and
   * preconditioner applications. The direction update uses the
   * Polak-Ribiere formula, which keeps CG convergent when the preconditioner
   * varies slightly between applications (single-precision V-cycle, inner
   * coarse iterations). @p project removes zero-energy modes from the
   * right-hand side, the residual and the preconditioned residual, so the
   * iteration stays in the range of a singular operator.
   */
  template <typename Number,
            typename Operator,
            typename Preconditioner,
            typename Projection>
  BlockCGResult
  solve_block_cg(const Operator            &A,
                 const Preconditioner      &M,
                 const Projection          &project,
                 MultiVector<Number>       &x,
                 const MultiVector<Number> &b,
                 const double               tolerance,
                 const unsigned int         max_iterations)
  {
    const unsigned int  k = b.n_columns();
    BlockCGResult       result;
    MultiVector<Number> r, z, p, q;
    r.reinit_like(b);
    z.reinit_like(b);
    p.reinit_like(b);
    q.reinit_like(b);

    MultiVector<Number> bp;
    bp.reinit_like(b);
    bp.data = b.data;
    project(bp);
    const std::vector<double> b_norm = bp.norms();

    A.vmult(q, x);
    r.data = bp.data;
    r.data -= q.data;
    project(r);
    result.initial_residual = r.norms();
    result.final_residual   = result.initial_residual;
    result.iterations.assign(k, 0);

    std::vector<bool> active(k);
    auto              any_active = [&]() {
      return std::find(active.begin(), active.end(), true) != active.end();
    };
    for (unsigned c = 0; c < k; ++c)
      active[c]
        = b_norm[c] > 0 && result.final_residual[c] > tolerance * b_norm[c];

    M.vmult(z, r);
    project(z);
    p.data                 = z.data;
    std::vector<double> rz = r.dot(z);
    std::vector<double> alpha(k), beta(k);

    for (unsigned int it = 0; it < max_iterations && any_active(); ++it)
      {
        A.vmult(q, p);
        const std::vector<double> pq = p.dot(q);
        for (unsigned c = 0; c < k; ++c)
          alpha[c] = active[c] && pq[c] != 0 ? rz[c] / pq[c] : 0.;
        x.add(alpha, p);
        for (auto &a : alpha)
          a = -a;
        r.add(alpha, q);
        const std::vector<double> r_norm = r.norms();
        for (unsigned c = 0; c < k; ++c)
          if (active[c])
            {
              result.iterations[c]     = it + 1;
              result.final_residual[c] = r_norm[c];
              if (r_norm[c] <= tolerance * b_norm[c])
                active[c] = false;
            }
        if (!any_active())
          break;
        const std::vector<double> r_z_old = r.dot(z);
        M.vmult(z, r);
        project(z);
        const std::vector<double> rz_new = r.dot(z);
        for (unsigned c = 0; c < k; ++c)
          beta[c]
            = active[c] && rz[c] != 0 ? (rz_new[c] - r_z_old[c]) / rz[c] : 0.;
        p.sadd(beta, z);
        rz = rz_new;
      }
    for (unsigned c = 0; c < k; ++c)
      if (active[c])
        result.converged = false;
    return result;
  }

  /// No zero-energy modes to remove.
  struct NoProjection
  {
    template <typename V>
    void
    operator()(V &) const
    {
    }
  };
} // namespace scalebridge::rve

#endif
