#ifndef scalebridge_rve_cell_kernels_h
#define scalebridge_rve_cell_kernels_h

namespace scalebridge::rve
{
  /**
   * dst += sum over cells of K_cell u_cell for all columns at once: gathers
   * the cell's nodal values of all columns, multiplies by the cell's dense
   * element matrix (stored column by column), and scatters back. On x86-64
   * with GCC the kernels are compiled for AVX-512, AVX2 and baseline, chosen
   * at run time; deal.II's VectorizedArray is scalar in the Debian build, so
   * this is where the SIMD comes from.
   *
   * @param n_dofs        unknowns per cell (2^dim x components)
   * @param n_components  unknowns per node
   * @param n_columns     load cases (1..6)
   * @param nodes         2^dim local node indices per cell
   * @param matrix        per cell: index of its matrix in @p matrices
   * @param matrices      n_dofs x n_dofs matrices, column-major
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
