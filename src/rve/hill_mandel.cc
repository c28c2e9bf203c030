#include <deal.II/base/mpi.h>

#include <scalebridge/rve/hill_mandel.h>

#include <cmath>

namespace scalebridge::rve
{
  namespace
  {
    /// Index pairs (a, b) of the Mandel components in 3D and 2D.
    constexpr unsigned pairs3[6][2]
      = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
    constexpr unsigned pairs2[3][2] = {{0, 0}, {1, 1}, {0, 1}};

    /// Mandel vector of sym(u (x) n) (elasticity) or u n (conduction).
    void
    add_boundary_product(const Physics        physics,
                         const unsigned int   dim,
                         const double        *u,
                         const unsigned int   direction,
                         const double         weight,
                         std::vector<double> &sum)
    {
      if (physics == Physics::conduction)
        {
          sum[direction] += weight * u[0];
          return;
        }
      const unsigned ns = n_strains(physics, dim);
      for (unsigned m = 0; m < ns; ++m)
        {
          const unsigned a = dim == 3 ? pairs3[m][0] : pairs2[m][0];
          const unsigned b = dim == 3 ? pairs3[m][1] : pairs2[m][1];
          // eps_ab = (u_a n_b + u_b n_a) / 2 with n = e_direction; the
          // Mandel shear component is sqrt(2) eps_ab.
          double e = 0;
          if (b == direction)
            e += u[a];
          if (a == direction)
            e += u[b];
          sum[m] += weight * (a == b ? 0.5 * e : e / std::sqrt(2.));
        }
    }
  } // namespace

  double
  FieldAverages::hill_mandel_gap() const
  {
    return energy - mean_stress * boundary_strain;
  }

  std::array<double, 3>
  affine_value(const Physics                 physics,
               const unsigned int            dim,
               const dealii::Vector<double> &macro,
               const std::array<double, 3>  &x)
  {
    std::array<double, 3> u{{0, 0, 0}};
    if (physics == Physics::conduction)
      {
        for (unsigned d = 0; d < dim; ++d)
          u[0] += macro[d] * x[d];
        return u;
      }
    for (unsigned m = 0; m < n_strains(physics, dim); ++m)
      {
        const unsigned a = dim == 3 ? pairs3[m][0] : pairs2[m][0];
        const unsigned b = dim == 3 ? pairs3[m][1] : pairs2[m][1];
        if (a == b)
          u[a] += macro[m] * x[a];
        else
          {
            u[a] += macro[m] / std::sqrt(2.) * x[b];
            u[b] += macro[m] / std::sqrt(2.) * x[a];
          }
      }
    return u;
  }

  FieldAverages
  measure_field_averages(const GridLevel            &fine,
                         const VoxelElement         &element,
                         const ActiveDomain         &domain,
                         const std::vector<uint8_t> &cell_phase,
                         const std::vector<dealii::FullMatrix<double>> &laws,
                         const std::vector<dealii::Vector<double>> &eigenstress,
                         const CellFieldValues                     &values)
  {
    const GridGeometry &grid   = fine.geometry;
    const Physics       phys   = element.physics();
    const unsigned int  dim    = grid.dim;
    const unsigned int  ns     = element.n_strains();
    const unsigned int  nd     = element.n_dofs();
    const unsigned int  ncomp  = n_components(phys, dim);
    const unsigned int  nv     = grid.nodes_per_cell();
    const unsigned int  degree = grid.degree;
    const auto         &G      = element.strain_integral();
    const double        vc     = element.volume();

    std::vector<dealii::FullMatrix<double>> K(laws.size());
    for (unsigned p = 0; p < laws.size(); ++p)
      if (laws[p].m() > 0)
        K[p] = element.stiffness(laws[p]);
    const auto has_eigenstress = [&](const unsigned p) {
      return p < eigenstress.size() && eigenstress[p].size() == ns;
    };

    // Per node of a cell: the weight of its value in the integral over
    // the cell's face with outward normal -e_d (a_d = 0) or +e_d (a_d =
    // degree), int_F N_v dA, zero for nodes off that face.
    std::vector<std::array<double, 3>> face_weight(nv);
    for (unsigned v = 0; v < nv; ++v)
      {
        const auto a = grid.local_node_offset(v);
        for (unsigned d = 0; d < dim; ++d)
          {
            double w = 1;
            for (unsigned e = 0; e < dim; ++e)
              if (e != d)
                w *= lagrange_integral(degree, a[e]) * grid.h[e];
            face_weight[v][d] = w;
          }
      }

    // energy, stress (ns), boundary strain (ns)
    std::vector<double>    sums(1 + 2 * ns, 0.);
    std::vector<double>    boundary(ns, 0.);
    dealii::Vector<double> u(nd), Ku(nd), strain(ns), stress(ns);
    for (unsigned c = 0; c < fine.owned_cells.size(); ++c)
      {
        const std::size_t cell        = fine.owned_cells[c];
        const auto        ijk         = grid.cell_coordinates(cell);
        const bool        active      = domain.active(cell);
        bool              on_boundary = false;
        for (unsigned d = 0; d < dim; ++d)
          on_boundary
            = on_boundary || ijk[d] == 0 || ijk[d] + 1 == grid.n_cells[d];
        if (!active && !on_boundary)
          continue;
        values(c, u);
        if (active)
          {
            const unsigned p = cell_phase[cell];
            K[p].vmult(Ku, u);
            G.vmult(strain, u);
            laws[p].vmult(stress, strain);
            double energy = u * Ku;
            if (has_eigenstress(p))
              {
                energy -= eigenstress[p] * strain;
                stress.add(-vc, eigenstress[p]);
              }
            sums[0] += energy;
            for (unsigned m = 0; m < ns; ++m)
              sums[1 + m] += stress[m];
          }
        for (unsigned d = 0; d < dim; ++d)
          for (const bool upper : {false, true})
            {
              const bool at_face
                = upper ? ijk[d] + 1 == grid.n_cells[d] : ijk[d] == 0;
              if (!at_face)
                continue;
              for (unsigned v = 0; v < nv; ++v)
                if (grid.local_node_offset(v)[d] == (upper ? degree : 0u))
                  add_boundary_product(phys,
                                       dim,
                                       &u[v * ncomp],
                                       d,
                                       (upper ? 1. : -1.) * face_weight[v][d],
                                       boundary);
            }
      }
    for (unsigned m = 0; m < ns; ++m)
      sums[1 + ns + m] = boundary[m];
    dealii::Utilities::MPI::sum(sums, fine.nodes->get_mpi_communicator(), sums);

    const double  volume = grid.volume();
    FieldAverages out;
    out.energy = sums[0] / volume;
    out.mean_stress.reinit(ns);
    out.boundary_strain.reinit(ns);
    for (unsigned m = 0; m < ns; ++m)
      {
        out.mean_stress[m]     = sums[1 + m] / volume;
        out.boundary_strain[m] = sums[1 + ns + m] / volume;
      }
    return out;
  }
} // namespace scalebridge::rve
