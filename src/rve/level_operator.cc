#include <scalebridge/rve/cell_kernels.h>
#include <scalebridge/rve/level_operator.h>

#include <algorithm>

namespace scalebridge::rve
{
  template <typename Number>
  LevelOperator<Number>::LevelOperator(
    const GridLevel                 &level,
    const LevelMatrices             &level_matrices,
    const unsigned int               level_index,
    const unsigned int               n_components,
    const std::vector<unsigned int> &constrained)
    : grid_level(&level)
    , n_comp(n_components)
    , n_dofs(level_matrices.n_dofs_per_cell(level_index))
  {
    const unsigned int nv  = level.geometry.nodes_per_cell();
    const auto        &ids = level_matrices.cell_matrix(level_index);
    for (unsigned int c = 0; c < ids.size(); ++c)
      if (ids[c] != LevelMatrices::inactive)
        {
          cell_index.push_back(c);
          cell_matrix.push_back(ids[c]);
          for (unsigned v = 0; v < nv; ++v)
            cell_nodes.push_back(level.cell_nodes[c * nv + v]);
        }
    const auto        &pool = level_matrices.matrices(level_index);
    const unsigned int nd2  = n_dofs * n_dofs;
    const unsigned int ld   = padded_cell_matrix_rows<Number>(n_dofs);
    matrices.resize(pool.size() / nd2 * ld * n_dofs);
    for (std::size_t m = 0; m < pool.size() / nd2; ++m)
      for (unsigned i = 0; i < n_dofs; ++i)
        for (unsigned j = 0; j < n_dofs; ++j)
          matrices[m * ld * n_dofs + j * ld + i]
            = static_cast<Number>(pool[m * nd2 + i * n_dofs + j]);

    // Diagonal, summed over the cells of all ranks.
    dealii::LinearAlgebra::distributed::Vector<double> d(
      level.partitioner(n_comp));
    for (unsigned int c = 0; c < cell_matrix.size(); ++c)
      {
        const double *K = pool.data() + std::size_t(cell_matrix[c]) * nd2;
        for (unsigned v = 0; v < nv; ++v)
          for (unsigned comp = 0; comp < n_comp; ++comp)
            {
              const unsigned i = v * n_comp + comp;
              d.local_element(std::size_t(cell_nodes[c * nv + v]) * n_comp
                              + comp)
                += K[i * n_dofs + i];
            }
      }
    d.compress(dealii::VectorOperation::add);

    const unsigned int n_owned = level.n_owned_nodes() * n_comp;
    std::vector<bool>  is_constrained(n_owned, false);
    for (const auto i : constrained)
      is_constrained[i] = true;
    diag.resize(n_owned);
    inv_diagonal.resize(n_owned);
    for (unsigned int i = 0; i < n_owned; ++i)
      {
        if (d.local_element(i) == 0.)
          is_constrained[i] = true;
        if (is_constrained[i])
          constrained_dofs.push_back(i);
        diag[i]         = is_constrained[i] ? 1. : d.local_element(i);
        inv_diagonal[i] = static_cast<Number>(1. / diag[i]);
      }
  }

  template <typename Number>
  void
  LevelOperator<Number>::vmult(MultiVector<Number>       &dst,
                               const MultiVector<Number> &src) const
  {
    const unsigned int k = src.n_columns();
    auto              &s = const_cast<MultiVector<Number> &>(src).data;
    // Constrained entries are read as zero ...
    saved.resize(constrained_dofs.size() * k);
    for (std::size_t i = 0; i < constrained_dofs.size(); ++i)
      for (unsigned r = 0; r < k; ++r)
        {
          Number &value
            = s.local_element(std::size_t(constrained_dofs[i]) * k + r);
          saved[i * k + r] = value;
          value            = 0;
        }
    s.update_ghost_values();
    dst.data = 0;
    apply_cell_matrices<Number>(n_dofs,
                                n_comp,
                                k,
                                cell_matrix.size(),
                                cell_nodes.data(),
                                cell_matrix.data(),
                                matrices.data(),
                                s.begin(),
                                dst.data.begin());
    dst.data.compress(dealii::VectorOperation::add);
    s.zero_out_ghost_values();
    // ... and are mapped to themselves.
    for (std::size_t i = 0; i < constrained_dofs.size(); ++i)
      for (unsigned r = 0; r < k; ++r)
        {
          const std::size_t e       = std::size_t(constrained_dofs[i]) * k + r;
          s.local_element(e)        = saved[i * k + r];
          dst.data.local_element(e) = saved[i * k + r];
        }
  }

  template class LevelOperator<double>;
  template class LevelOperator<float>;
} // namespace scalebridge::rve
