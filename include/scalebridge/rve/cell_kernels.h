#ifndef scalebridge_rve_cell_kernels_h
#define scalebridge_rve_cell_kernels_h

namespace scalebridge::rve
{
  /// Entries of one 64-byte SIMD vector (AVX-512; two AVX2 registers).
  template <typename Number>
  constexpr int simd_block = 64 / sizeof(Number);

  /**
   * Rows of the column-major cell matrices apply_cell_matrices() expects:
   * n_dofs for the small Q1 matrices, rounded up to whole SIMD vectors
   * (zero rows at the end of each column) for the Q2 ones, so that their
   * products run in aligned full-width row blocks.
   */
  template <typename Number>
  constexpr int
  padded_cell_matrix_rows(const int n_dofs)
  {
    return n_dofs <= 24 ? n_dofs
                        : (n_dofs + simd_block<Number> - 1)
                            / simd_block<Number> * simd_block<Number>;
  }

  /**
   * dst += sum over cells of K_cell u_cell for all columns at once: gathers
   * the cell's nodal values of all columns, multiplies by the cell's dense
   * element matrix (stored column by column), and scatters back. On x86-64
   * with GCC the kernels are compiled for AVX-512, AVX2 and baseline, chosen
   * at run time; deal.II's VectorizedArray is scalar in the Debian build, so
   * this is where the SIMD comes from.
   *
   * @param n_dofs        unknowns per cell (nodes per cell x components)
   * @param n_components  unknowns per node
   * @param n_columns     load cases (1..6)
   * @param nodes         local node indices, n_dofs / n_components per cell
   * @param matrix        per cell: index of its matrix in @p matrices
   * @param matrices      n_dofs columns of padded_cell_matrix_rows(n_dofs)
   *                      entries each, per matrix
   */
  template <typename Number>
  void
  apply_cell_matrices(unsigned int        n_dofs,
                      unsigned int        n_components,
                      unsigned int        n_columns,
                      unsigned int        n_cells,
                      const unsigned int *nodes,
                      const unsigned int *matrix,
                      const Number       *matrices,
                      const Number       *src,
                      Number             *dst);
} // namespace scalebridge::rve

#endif
