#include <scalebridge/rve/level_matrices.h>

#include <map>

namespace scalebridge::rve
{
  namespace
  {
    constexpr int kind_unknown  = -1;
    constexpr int kind_inactive = -2;
  } // namespace

  LevelMatrices::LevelMatrices(
    const Physics                                  physics,
    const VoxelHierarchy                          &hierarchy,
    const ActiveDomain                            &domain,
    const std::vector<uint8_t>                    &cell_phase,
    const std::vector<dealii::FullMatrix<double>> &laws)
  {
    const unsigned int n_lev = hierarchy.n_levels();
    const unsigned int dim   = hierarchy.finest().geometry.dim;
    const unsigned int n_ph  = laws.size();
    const unsigned int nv    = 1u << dim;
    const unsigned int ncomp = n_components(physics, dim);
    n_dofs                   = nv * ncomp;
    const unsigned int nd2   = n_dofs * n_dofs;

    // Phase matrices at every level's cell size.
    std::vector<std::vector<dealii::FullMatrix<double>>> pure(n_lev);
    for (unsigned l = 0; l < n_lev; ++l)
      {
        const VoxelElement element(physics, dim, hierarchy.level(l).geometry.h);
        pure[l].resize(n_ph);
        for (unsigned p = 0; p < n_ph; ++p)
          if (laws[p].m() > 0)
            pure[l][p] = element.stiffness(laws[p]);
      }
    fine_phase_matrix = pure[n_lev - 1];

    // Which cells each level needs: owned ones and the children of the
    // needed cells of the next coarser level.
    std::vector<std::vector<bool>> needed(n_lev);
    for (unsigned l = 0; l < n_lev; ++l)
      {
        const GridGeometry &g = hierarchy.level(l).geometry;
        needed[l].assign(g.n_total_cells(), false);
        for (const auto c : hierarchy.level(l).owned_cells)
          needed[l][c] = true;
        if (l > 0)
          {
            const GridGeometry &gc = hierarchy.level(l - 1).geometry;
            for (std::size_t C = 0; C < gc.n_total_cells(); ++C)
              if (needed[l - 1][C])
                {
                  const auto x = gc.cell_coordinates(C);
                  for (unsigned ch = 0; ch < nv; ++ch)
                    needed[l][g.cell_index(2 * x[0] + (ch & 1),
                                           2 * x[1] + ((ch >> 1) & 1),
                                           2 * x[2] + (ch >> 2))]
                      = true;
                }
          }
      }

    // kind: kind_inactive, a phase p (the cell's descendants are all p), or
    // n_ph + index into custom[l].
    std::vector<std::vector<int>>    kind(n_lev);
    std::vector<std::vector<double>> custom(n_lev);
    {
      const GridGeometry &g = hierarchy.finest().geometry;
      kind[n_lev - 1].assign(g.n_total_cells(), kind_inactive);
      for (std::size_t c = 0; c < g.n_total_cells(); ++c)
        if (domain.active(c))
          kind[n_lev - 1][c] = cell_phase[c];
    }
    for (unsigned l = n_lev - 1; l-- > 0;)
      {
        const GridGeometry &g  = hierarchy.level(l).geometry;
        const GridGeometry &gf = hierarchy.level(l + 1).geometry;
        kind[l].assign(g.n_total_cells(), kind_unknown);
        // P_c^T K_p P_c for pure children, computed once per (child, phase).
        std::map<std::pair<unsigned, unsigned>, std::vector<double>>
                            pure_product;
        std::vector<double> K(nd2);
        for (std::size_t C = 0; C < g.n_total_cells(); ++C)
          {
            if (!needed[l][C])
              continue;
            const auto x = g.cell_coordinates(C);
            int        child_kind[8];
            bool       all_same = true, all_inactive = true;
            for (unsigned ch = 0; ch < nv; ++ch)
              {
                child_kind[ch]
                  = kind[l + 1][gf.cell_index(2 * x[0] + (ch & 1),
                                              2 * x[1] + ((ch >> 1) & 1),
                                              2 * x[2] + (ch >> 2))];
                all_same     = all_same && child_kind[ch] == child_kind[0];
                all_inactive = all_inactive && child_kind[ch] == kind_inactive;
              }
            if (all_inactive)
              {
                kind[l][C] = kind_inactive;
                continue;
              }
            if (all_same && child_kind[0] < int(n_ph))
              {
                kind[l][C] = child_kind[0];
                continue;
              }
            std::fill(K.begin(), K.end(), 0.);
            for (unsigned ch = 0; ch < nv; ++ch)
              {
                const int k = child_kind[ch];
                if (k == kind_inactive)
                  continue;
                if (k < int(n_ph))
                  {
                    auto &prod = pure_product[{ch, unsigned(k)}];
                    if (prod.empty())
                      {
                        prod.assign(nd2, 0.);
                        const auto         &Kp = pure[l + 1][k];
                        std::vector<double> flat(&Kp(0, 0), &Kp(0, 0) + nd2);
                        add_galerkin_product(
                          dim, ncomp, ch, flat.data(), prod.data());
                      }
                    for (unsigned i = 0; i < nd2; ++i)
                      K[i] += prod[i];
                  }
                else
                  add_galerkin_product(dim,
                                       ncomp,
                                       ch,
                                       custom[l + 1].data()
                                         + std::size_t(k - n_ph) * nd2,
                                       K.data());
              }
            kind[l][C] = n_ph + custom[l].size() / nd2;
            custom[l].insert(custom[l].end(), K.begin(), K.end());
          }
      }

    // Per level: the phase matrices first, then the custom matrices of
    // owned cells.
    cell_matrix_.resize(n_lev);
    pool.resize(n_lev);
    for (unsigned l = 0; l < n_lev; ++l)
      {
        std::vector<unsigned> phase_slot(n_ph, inactive);
        for (unsigned p = 0; p < n_ph; ++p)
          if (pure[l][p].m() > 0)
            {
              phase_slot[p] = pool[l].size() / nd2;
              pool[l].insert(pool[l].end(),
                             &pure[l][p](0, 0),
                             &pure[l][p](0, 0) + nd2);
            }
        for (const auto c : hierarchy.level(l).owned_cells)
          {
            const int k = kind[l][c];
            if (k == kind_inactive)
              cell_matrix_[l].push_back(inactive);
            else if (k < int(n_ph))
              cell_matrix_[l].push_back(phase_slot[k]);
            else
              {
                cell_matrix_[l].push_back(pool[l].size() / nd2);
                const double *src
                  = custom[l].data() + std::size_t(k - n_ph) * nd2;
                pool[l].insert(pool[l].end(), src, src + nd2);
              }
          }
        custom[l].clear();
        custom[l].shrink_to_fit();
      }
  }
} // namespace scalebridge::rve
