#include <deal.II/base/mpi.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <scalebridge/rve/boundary_condition.h>

#include <cmath>
#include <stdexcept>

namespace scalebridge::rve
{
  std::vector<unsigned int>
  BoundaryCondition::constrained_unknowns(const GridLevel &, unsigned int) const
  {
    return {};
  }

  dealii::Vector<double>
  symmetric_product(const Physics                physics,
                    const unsigned int           dim,
                    const std::array<double, 3> &a,
                    const std::array<double, 3> &b)
  {
    dealii::Vector<double> v(n_strains(physics, dim));
    if (physics == Physics::conduction)
      {
        for (unsigned d = 0; d < dim; ++d)
          v[d] = a[0] * b[d];
        return v;
      }
    const double s = 1. / std::sqrt(2.);
    if (dim == 3)
      {
        v[0] = a[0] * b[0];
        v[1] = a[1] * b[1];
        v[2] = a[2] * b[2];
        v[3] = s * (a[1] * b[2] + a[2] * b[1]);
        v[4] = s * (a[0] * b[2] + a[2] * b[0]);
        v[5] = s * (a[0] * b[1] + a[1] * b[0]);
      }
    else
      {
        v[0] = a[0] * b[0];
        v[1] = a[1] * b[1];
        v[2] = s * (a[0] * b[1] + a[1] * b[0]);
      }
    return v;
  }

  std::vector<dealii::Vector<double>>
  zero_energy_strains(const Physics physics, const ActiveDomain &domain)
  {
    const GridGeometry                 &g     = domain.grid();
    const unsigned int                  ncomp = n_components(physics, g.dim);
    const unsigned int                  ns    = n_strains(physics, g.dim);
    const double                        vol   = g.volume();
    std::vector<dealii::Vector<double>> result;
    if (g.periodic)
      return result;

    auto unit = [](const unsigned c) {
      std::array<double, 3> e{{0, 0, 0}};
      e[c] = 1;
      return e;
    };
    for (const auto node : domain.free_boundary_nodes())
      for (unsigned c = 0; c < ncomp; ++c)
        {
          auto v = symmetric_product(physics,
                                     g.dim,
                                     unit(c),
                                     domain.boundary_weight(node));
          v /= vol;
          result.push_back(v);
        }

    // Boundary averages of the zero-energy modes.
    const auto        &Z = domain.null_space();
    const unsigned int m = Z.n();
    if (m == 0)
      return result;
    std::vector<dealii::Vector<double>> mode(m, dealii::Vector<double>(ns));
    // Rounding leaves ~1e-16 in B n for modes that do no work (e.g. the
    // rotations of a cluster spanning the box); keep only the modes whose
    // boundary average is significant against their size on the boundary.
    std::vector<double> mode_size(m, 0.);
    double              boundary_area = 0;
    const auto          n             = g.n_nodes();
    for (unsigned k = 0; k < n[2]; ++k)
      for (unsigned j = 0; j < n[1]; ++j)
        for (unsigned i = 0; i < n[0]; ++i)
          {
            const std::array<unsigned, 3> x{{i, j, k}};
            if (!g.on_boundary(x))
              continue;
            const std::size_t node    = g.node_index(i, j, k);
            const auto [first, count] = domain.node_generators(node);
            if (count == 0)
              continue;
            const auto w = domain.boundary_weight(node);
            boundary_area += std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
            for (unsigned t = 0; t < m; ++t)
              {
                std::array<double, 3> u{{0, 0, 0}};
                for (unsigned gg = first; gg < first + count; ++gg)
                  for (unsigned c = 0; c < ncomp; ++c)
                    u[c] += Z(gg, t) * domain.generator_value(gg, node, c);
                for (unsigned c = 0; c < ncomp; ++c)
                  mode_size[t] = std::max(mode_size[t], std::abs(u[c]));
                mode[t].add(1. / vol, symmetric_product(physics, g.dim, u, w));
              }
          }
    for (unsigned t = 0; t < m; ++t)
      if (mode[t].l2_norm() > 1e-10 * mode_size[t] * boundary_area / vol)
        result.push_back(mode[t]);
    return result;
  }

  namespace
  {
    /// Common part of the two strain-driven conditions: u = E x + u~, the
    /// right-hand side is -a(E x, v), the macro strain is E.
    class AffineBoundaryCondition : public BoundaryCondition
    {
    public:
      dealii::FullMatrix<double>
      load_cases(const ProblemContext &context) const override
      {
        const unsigned int ns
          = n_strains(context.physics, context.fine->geometry.dim);
        dealii::FullMatrix<double> identity(ns, ns);
        for (unsigned i = 0; i < ns; ++i)
          identity(i, i) = 1;
        return identity;
      }

      bool
      strain_driven() const override
      {
        return true;
      }

      LoadScales
      assemble_rhs(const ProblemContext             &context,
                   const dealii::FullMatrix<double> &loads,
                   MultiVector<double>              &rhs) const override
      {
        const GridLevel   &fine  = *context.fine;
        const unsigned int nv    = fine.geometry.nodes_per_cell();
        const unsigned int ncomp = rhs.n_components();
        const unsigned int k     = loads.n();
        const unsigned int nd    = context.element->n_dofs();
        const auto        &Kp    = *context.phase_matrices;

        // -K_p g_j per phase and load case, and g_j K_p g_j
        std::vector<std::vector<dealii::Vector<double>>> f(Kp.size());
        std::vector<std::vector<double>>                 gKg(Kp.size());
        for (unsigned p = 0; p < Kp.size(); ++p)
          {
            if (Kp[p].m() == 0)
              continue;
            for (unsigned j = 0; j < k; ++j)
              {
                dealii::Vector<double> g(nd), Kg(nd);
                for (unsigned m = 0; m < loads.m(); ++m)
                  g.add(loads(m, j), context.element->affine_field(m));
                Kp[p].vmult(Kg, g);
                gKg[p].push_back(g * Kg);
                Kg *= -1.;
                f[p].push_back(Kg);
              }
          }
        rhs.data = 0;
        std::vector<double> size(k, 0.), energy(k, 0.);
        for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
          {
            const std::size_t cell = fine.owned_cells[c];
            if (!context.domain->active(cell))
              continue;
            const auto &fp = f[(*context.cell_phase)[cell]];
            for (unsigned j = 0; j < k; ++j)
              {
                size[j] += fp[j].norm_sqr();
                energy[j] += gKg[(*context.cell_phase)[cell]][j];
              }
            for (unsigned v = 0; v < nv; ++v)
              {
                const std::size_t base
                  = std::size_t(fine.cell_nodes[c * nv + v]) * ncomp;
                for (unsigned comp = 0; comp < ncomp; ++comp)
                  for (unsigned j = 0; j < k; ++j)
                    rhs.data.local_element((base + comp) * k + j)
                      += fp[j][v * ncomp + comp];
              }
          }
        rhs.data.compress(dealii::VectorOperation::add);
        for (const auto i : constrained_unknowns(fine, ncomp))
          for (unsigned j = 0; j < k; ++j)
            rhs.data.local_element(std::size_t(i) * k + j) = 0;
        dealii::Utilities::MPI::sum(size,
                                    fine.nodes->get_mpi_communicator(),
                                    size);
        dealii::Utilities::MPI::sum(energy,
                                    fine.nodes->get_mpi_communicator(),
                                    energy);
        for (double &v : size)
          v = std::sqrt(v);
        return {size, energy};
      }

      dealii::FullMatrix<double>
      macro_strains(const ProblemContext &,
                    const dealii::FullMatrix<double> &loads,
                    const MultiVector<double> &) const override
      {
        return loads;
      }
    };

    /// Periodic fluctuation: u = E x + u~ with u~ periodic. The grid is
    /// periodic, so periodicity is built into the numbering (no
    /// constraints); the translations (and other zero-energy modes) of the
    /// fluctuation are removed by projection, i.e. a zero-mean condition.
    class PeriodicBoundaryCondition : public AffineBoundaryCondition
    {
    public:
      std::string
      name() const override
      {
        return "periodic";
      }
      bool
      periodic_grid() const override
      {
        return true;
      }
      ActiveDomain::Anchoring
      anchoring() const override
      {
        return ActiveDomain::Anchoring::wraps;
      }
      bool
      has_rigid_modes() const override
      {
        return true;
      }
    };

    /// Kinematic uniform boundary conditions: u = E x on the whole boundary,
    /// i.e. the fluctuation vanishes there.
    class KinematicBoundaryCondition : public AffineBoundaryCondition
    {
    public:
      std::string
      name() const override
      {
        return "kubc";
      }
      bool
      periodic_grid() const override
      {
        return false;
      }
      ActiveDomain::Anchoring
      anchoring() const override
      {
        return ActiveDomain::Anchoring::boundary_face;
      }
      bool
      has_rigid_modes() const override
      {
        return false;
      }
      std::vector<unsigned int>
      constrained_unknowns(const GridLevel   &level,
                           const unsigned int n_components) const override
      {
        std::vector<unsigned int> result;
        for (unsigned n = 0; n < level.n_owned_nodes(); ++n)
          if (level.geometry.on_boundary(
                level.geometry.node_coordinates(level.owned_nodes[n])))
            for (unsigned c = 0; c < n_components; ++c)
              result.push_back(n * n_components + c);
        return result;
      }
    };

    /**
     * Uniform traction (uniform flux) in its minimal-kinematic form: the
     * energy is minimised over all fields whose boundary average strain
     * (1/|Y|) int_dY sym(u (x) n) is the macro strain. Its Lagrange
     * multiplier is a uniform macro stress Sigma, which acts as the traction
     * Sigma n on the boundary. We solve stress-driven Neumann problems, one
     * per admissible macro stress, and invert the compliance they give.
     *
     * A macro stress is admissible if it does no work on any zero-energy
     * field: on the rigid modes of the kept clusters and on boundary values
     * that no active cell touches (pores or insulators on the boundary).
     * Macro strains those fields can produce cost no energy, so the
     * effective tensor vanishes on them; this is the exact limit of uniform
     * tractions on a vanishing phase, and a reason why uniform tractions
     * are a poor choice for porous cells.
     */
    class TractionBoundaryCondition : public BoundaryCondition
    {
    public:
      std::string
      name() const override
      {
        return "tubc";
      }
      bool
      periodic_grid() const override
      {
        return false;
      }
      ActiveDomain::Anchoring
      anchoring() const override
      {
        return ActiveDomain::Anchoring::boundary_face;
      }
      bool
      has_rigid_modes() const override
      {
        return true;
      }
      bool
      strain_driven() const override
      {
        return false;
      }

      dealii::FullMatrix<double>
      load_cases(const ProblemContext &context) const override
      {
        const unsigned int ns
          = n_strains(context.physics, context.fine->geometry.dim);
        dealii::LAPACKFullMatrix<double> G(ns, ns);
        for (auto v : zero_energy_strains(context.physics, *context.domain))
          {
            const double norm = v.l2_norm();
            if (norm == 0)
              continue;
            v /= norm;
            for (unsigned a = 0; a < ns; ++a)
              for (unsigned b = 0; b < ns; ++b)
                G(a, b) += v[a] * v[b];
          }
        double trace = 0;
        for (unsigned a = 0; a < ns; ++a)
          trace += G(a, a);
        dealii::Vector<double>     lambda;
        dealii::FullMatrix<double> V;
        G.compute_eigenvalues_symmetric(
          -1., 1e-9 * std::max(trace, 1.), 0., lambda, V);
        dealii::FullMatrix<double> W(ns, lambda.size());
        for (unsigned t = 0; t < lambda.size(); ++t)
          for (unsigned a = 0; a < ns; ++a)
            W(a, t) = V(a, t);
        return W;
      }

      LoadScales
      assemble_rhs(const ProblemContext             &context,
                   const dealii::FullMatrix<double> &loads,
                   MultiVector<double>              &rhs) const override
      {
        const GridLevel   &fine  = *context.fine;
        const unsigned int dim   = fine.geometry.dim;
        const unsigned int ncomp = rhs.n_components();
        const unsigned int k     = loads.n();
        rhs.data                 = 0;
        for (unsigned n = 0; n < fine.n_owned_nodes(); ++n)
          {
            const std::size_t node = fine.owned_nodes[n];
            if (!context.domain->node_active(node)
                || !fine.geometry.on_boundary(
                  fine.geometry.node_coordinates(node)))
              continue;
            const auto w = context.domain->boundary_weight(node);
            for (unsigned j = 0; j < k; ++j)
              for (unsigned c = 0; c < ncomp; ++c)
                {
                  // f_c = (Sigma w)_c, via the Mandel form: Sigma : sym(e_c (x)
                  // w)
                  std::array<double, 3> e{{0, 0, 0}};
                  e[c]          = 1;
                  const auto s  = symmetric_product(context.physics, dim, e, w);
                  double     fc = 0;
                  for (unsigned m = 0; m < loads.m(); ++m)
                    fc += loads(m, j) * s[m];
                  rhs.data.local_element((std::size_t(n) * ncomp + c) * k + j)
                    = fc;
                }
          }
        // Tractions do not cancel between cells: the load is its own size.
        return {rhs.norms(), {}};
      }

      dealii::FullMatrix<double>
      macro_strains(const ProblemContext             &context,
                    const dealii::FullMatrix<double> &loads,
                    const MultiVector<double>        &solution) const override
      {
        const GridLevel    &fine  = *context.fine;
        const unsigned int  dim   = fine.geometry.dim;
        const unsigned int  ncomp = solution.n_components();
        const unsigned int  k     = loads.n();
        const unsigned int  ns    = n_strains(context.physics, dim);
        std::vector<double> eps(ns * k, 0.);
        for (unsigned n = 0; n < fine.n_owned_nodes(); ++n)
          {
            const std::size_t node = fine.owned_nodes[n];
            if (!fine.geometry.on_boundary(
                  fine.geometry.node_coordinates(node)))
              continue;
            const auto w = context.domain->boundary_weight(node);
            for (unsigned j = 0; j < k; ++j)
              {
                std::array<double, 3> u{{0, 0, 0}};
                for (unsigned c = 0; c < ncomp; ++c)
                  u[c] = solution.data.local_element(
                    (std::size_t(n) * ncomp + c) * k + j);
                const auto s = symmetric_product(context.physics, dim, u, w);
                for (unsigned m = 0; m < ns; ++m)
                  eps[m * k + j] += s[m];
              }
          }
        dealii::Utilities::MPI::sum(eps,
                                    fine.nodes->get_mpi_communicator(),
                                    eps);
        dealii::FullMatrix<double> E(ns, k);
        const double               vol = fine.geometry.volume();
        for (unsigned m = 0; m < ns; ++m)
          for (unsigned j = 0; j < k; ++j)
            E(m, j) = eps[m * k + j] / vol;
        return E;
      }
    };
  } // namespace

  std::vector<std::string>
  boundary_condition_names()
  {
    return {"periodic", "kubc", "tubc"};
  }

  std::unique_ptr<BoundaryCondition>
  create_boundary_condition(const std::string &name)
  {
    if (name == "periodic")
      return std::make_unique<PeriodicBoundaryCondition>();
    if (name == "kubc")
      return std::make_unique<KinematicBoundaryCondition>();
    if (name == "tubc")
      return std::make_unique<TractionBoundaryCondition>();
    throw std::invalid_argument("unknown boundary condition '" + name
                                + "' (allowed: periodic, kubc, tubc)");
  }
} // namespace scalebridge::rve
