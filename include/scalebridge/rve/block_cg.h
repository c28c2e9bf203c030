#ifndef scalebridge_rve_block_cg_h
#define scalebridge_rve_block_cg_h

#include <scalebridge/io/termination.h>
#include <scalebridge/rve/multi_vector.h>

#include <algorithm>
#include <cmath>
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
    /// Columns that stopped at the round-off limit, above the tolerance.
    unsigned int stagnated = 0;
    /// Columns stopped because (r, M r) came out negative: the
    /// preconditioner is not positive definite, and the residual measure
    /// says nothing (they count as not converged).
    unsigned int indefinite = 0;

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
   * once: each column has its own step lengths and stops on its own, but
   * all share the operator and preconditioner applications. The direction
   * update uses the Polak-Ribiere formula, which keeps CG convergent when
   * the preconditioner varies slightly between applications
   * (single-precision multigrid, inner coarse iterations). @p project removes
   * zero-energy modes from the right-hand side, the residual and the
   * preconditioned residual, so the iteration stays in the range of a
   * singular operator.
   *
   * A column stops when its preconditioned residual (r, M r)^1/2, an
   * estimate of the energy norm of the error, has dropped by @p tolerance
   * against that of the right-hand side, (b, M b)^1/2 (the energy norm of
   * the solution for a good M). Unlike ||r|| <= tol ||b|| this stays
   * meaningful when the load falls on stiff (conductive) regions and the
   * energy sits in compliant (resistive) ones.
   *
   * A column whose residual has not halved in 30 iterations has reached the
   * accuracy that round-off allows (this happens only for fields spanning
   * many orders of magnitude, such as a uniform flux forced through a phase
   * a billion times less conductive than its neighbour). It stops there,
   * counts as converged if its residual dropped by 1e-4, and is counted in
   * BlockCGResult::stagnated.
   *
   * A negative (r, M r) beyond the round-off of the tolerance means that M
   * is not positive definite; taking its square root as zero would stop the
   * column as converged at an arbitrary iterate. It stops as not converged
   * instead (BlockCGResult::indefinite).
   *
   * @param floor per column, an l2 norm below which the initial residual
   *        counts as converged (right-hand sides that are round-off of a
   *        cancelled load); empty: none. It is not applied to later
   *        iterates: a small residual there can still hide a large error
   *        in a phase that conducts or carries little.
   * @param affine_energy per column, the energy a(E x, E x) of the affine
   *        part of a fluctuation problem (empty: not one). The energy of
   *        the total field, W = a(E x, E x) - (b, x) - (x, r) at the
   *        current iterate (it decreases to the exact one), then also
   *        bounds the scale: the volume-average stress of the column is off
   *        by a(e, E x) <= |e|_A a(E x, E x)^1/2 for an error e, and its
   *        size is W, so the scale is W / a(E x, E x)^1/2 when that is
   *        smaller. It is much smaller when a stiff layer in series with a
   *        compliant one leaves little energy to the total field; then the
   *        effective tensor needs the fluctuation to more digits.
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
                 const unsigned int         max_iterations,
                 const std::vector<double> &floor         = {},
                 const std::vector<double> &affine_energy = {})
  {
    const unsigned int  k = b.n_columns();
    BlockCGResult       result;
    MultiVector<Number> r, z, p, q;
    r.reinit_like(b);
    z.reinit_like(b);
    p.reinit_like(b);
    q.reinit_like(b);

    // (P b, M P b)^1/2 sets the scale of each column ...
    r.data = b.data;
    project(r);
    const std::vector<double> b_norm = r.norms();
    M.vmult(z, r);
    project(z);
    std::vector<double> scale = r.dot(z);
    for (double &s : scale)
      s = std::sqrt(std::max(s, 0.));
    // ... then r = P (b - A x), z = P M r, which they already are for a
    // zero initial guess
    const std::vector<double> x_norm = x.norms();
    if (std::find_if(x_norm.begin(),
                     x_norm.end(),
                     [](const double v) { return v > 0; })
        != x_norm.end())
      {
        A.vmult(q, x);
        r.data -= q.data;
        project(r);
        M.vmult(z, r);
        project(z);
      }
    std::vector<double>       rz   = r.dot(z);
    const std::vector<double> r_l2 = r.norms();
    result.initial_residual.resize(k);
    for (unsigned c = 0; c < k; ++c)
      result.initial_residual[c] = std::sqrt(std::max(rz[c], 0.));
    result.final_residual = result.initial_residual;
    result.iterations.assign(k, 0);

    std::vector<double> total_energy(k, 0.);
    auto                update_total_energy = [&]() {
      if (affine_energy.empty())
        return;
      const std::vector<double> bx = b.dot(x), xr = x.dot(r);
      for (unsigned c = 0; c < k; ++c)
        total_energy[c] = affine_energy[c] - bx[c] - xr[c];
    };
    update_total_energy();
    auto converged = [&](const unsigned c) {
      const double s = affine_energy.empty() || !(affine_energy[c] > 0)
                         ? scale[c]
                         : std::min(scale[c],
                                    std::max(total_energy[c], 0.)
                                      / std::sqrt(affine_energy[c]));
      return result.final_residual[c] <= tolerance * s;
    };
    std::vector<bool> active(k);
    auto              any_active = [&]() {
      return std::find(active.begin(), active.end(), true) != active.end();
    };
    for (unsigned c = 0; c < k; ++c)
      active[c] = b_norm[c] > 0 && !(!floor.empty() && r_l2[c] <= floor[c])
                  && !converged(c);

    // stagnation: the best residual so far and when it last halved
    constexpr unsigned int    stall = 30;
    std::vector<double>       best  = result.initial_residual;
    std::vector<unsigned int> improved(k, 0);
    std::vector<bool>         stagnated(k, false);
    std::vector<bool>         indefinite(k, false);

    p.data = z.data;
    std::vector<double> alpha(k), beta(k);
    for (unsigned int it = 0; it < max_iterations && any_active(); ++it)
      {
        // A safe point: a long solve stops within one iteration of a
        // termination signal on any rank (one small allreduce).
        io::stop_if_terminated(x.data.get_mpi_communicator(),
                               "in an RVE cell problem");
        A.vmult(q, p);
        const std::vector<double> pq = p.dot(q);
        for (unsigned c = 0; c < k; ++c)
          alpha[c] = active[c] && pq[c] != 0 ? rz[c] / pq[c] : 0.;
        x.add(alpha, p);
        for (auto &a : alpha)
          a = -a;
        r.add(alpha, q);
        const std::vector<double> r_z_old = r.dot(z);
        M.vmult(z, r);
        project(z);
        const std::vector<double> rz_new = r.dot(z);
        update_total_energy();
        for (unsigned c = 0; c < k; ++c)
          if (active[c])
            {
              const double res         = std::sqrt(std::max(rz_new[c], 0.));
              result.iterations[c]     = it + 1;
              result.final_residual[c] = res;
              const double round_off   = tolerance * scale[c];
              if (!(rz_new[c] >= -round_off * round_off))
                {
                  active[c]     = false;
                  indefinite[c] = true;
                }
              else if (converged(c))
                active[c] = false;
              else if (res < 0.5 * best[c])
                {
                  best[c]     = res;
                  improved[c] = it;
                }
              else if (it >= improved[c] + stall)
                {
                  active[c]    = false;
                  stagnated[c] = true;
                }
            }
        if (!any_active())
          break;
        for (unsigned c = 0; c < k; ++c)
          beta[c]
            = active[c] && rz[c] != 0 ? (rz_new[c] - r_z_old[c]) / rz[c] : 0.;
        p.sadd(beta, z);
        rz = rz_new;
      }
    for (unsigned c = 0; c < k; ++c)
      {
        if (active[c] || indefinite[c]
            || (stagnated[c] && result.final_residual[c] > 1e-4 * scale[c]))
          result.converged = false;
        if (stagnated[c])
          ++result.stagnated;
        if (indefinite[c])
          ++result.indefinite;
      }
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
