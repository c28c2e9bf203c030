#include <scalebridge/rve/cell_kernels.h>

#include <stdexcept>
#include <string>
#include <type_traits>

// Run-time dispatch between instruction sets (GCC function multiversioning).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#  define SCALEBRIDGE_TARGET_CLONES \
    __attribute__((                 \
      target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#  define SCALEBRIDGE_TARGET_CLONES
#endif

namespace scalebridge::rve
{
  namespace
  {
    /// The kernel with all sizes known at compile time. Small matrices
    /// (Q1) keep the accumulators of all columns in registers; the large Q2
    /// matrices are multiplied in row blocks of one 64-byte vector, whose
    /// accumulators for all columns stay in registers while the column loop
    /// streams the matrix once.
    template <int ND, int NC, int KR, typename Number>
    inline __attribute__((always_inline)) void
    kernel(const unsigned int  n_cells,
           const unsigned int *nodes,
           const unsigned int *matrix,
           const Number       *matrices,
           const Number       *src,
           Number             *dst)
    {
      constexpr int NV = ND / NC;
      constexpr int B  = NC * KR;
      constexpr int LD = padded_cell_matrix_rows<Number>(ND);
      constexpr int W  = simd_block<Number>;
      for (unsigned int c = 0; c < n_cells; ++c)
        {
          const unsigned int *nd = nodes + c * NV;
          const Number       *K  = matrices + std::size_t(matrix[c]) * LD * ND;
          Number              U[ND * KR];
          Number              V[KR][LD];
          for (int v = 0; v < NV; ++v)
            for (int q = 0; q < B; ++q)
              U[v * B + q] = src[std::size_t(nd[v]) * B + q];
          if constexpr (LD == ND)
            {
              for (int r = 0; r < KR; ++r)
                for (int i = 0; i < ND; ++i)
                  V[r][i] = 0;
              for (int j = 0; j < ND; ++j)
                {
                  const Number *Kj = K + j * LD;
                  for (int r = 0; r < KR; ++r)
                    {
                      const Number s = U[j * KR + r];
                      for (int i = 0; i < ND; ++i)
                        V[r][i] += Kj[i] * s;
                    }
                }
            }
          else
            for (int ib = 0; ib < LD; ib += W)
              {
                Number acc[KR][W] = {};
                for (int j = 0; j < ND; ++j)
                  {
                    const Number *Kj = K + j * LD + ib;
                    for (int r = 0; r < KR; ++r)
                      {
                        const Number s = U[j * KR + r];
                        for (int i = 0; i < W; ++i)
                          acc[r][i] += Kj[i] * s;
                      }
                  }
                for (int r = 0; r < KR; ++r)
                  for (int i = 0; i < W; ++i)
                    V[r][ib + i] = acc[r][i];
              }
          for (int v = 0; v < NV; ++v)
            for (int cc = 0; cc < NC; ++cc)
              for (int r = 0; r < KR; ++r)
                dst[std::size_t(nd[v]) * B + cc * KR + r] += V[r][v * NC + cc];
        }
    }

#define SCALEBRIDGE_KERNEL(ND, NC, KR, T)                              \
  SCALEBRIDGE_TARGET_CLONES void kernel_##ND##_##NC##_##KR##_##T(      \
    const unsigned int  n_cells,                                       \
    const unsigned int *nodes,                                         \
    const unsigned int *matrix,                                        \
    const T            *matrices,                                      \
    const T            *src,                                           \
    T                  *dst)                                           \
  {                                                                    \
    kernel<ND, NC, KR, T>(n_cells, nodes, matrix, matrices, src, dst); \
  }

#define SCALEBRIDGE_KERNELS(T)    \
  SCALEBRIDGE_KERNEL(81, 3, 1, T) \
  SCALEBRIDGE_KERNEL(81, 3, 2, T) \
  SCALEBRIDGE_KERNEL(81, 3, 3, T) \
  SCALEBRIDGE_KERNEL(81, 3, 4, T) \
  SCALEBRIDGE_KERNEL(81, 3, 5, T) \
  SCALEBRIDGE_KERNEL(81, 3, 6, T) \
  SCALEBRIDGE_KERNEL(27, 1, 1, T) \
  SCALEBRIDGE_KERNEL(27, 1, 2, T) \
  SCALEBRIDGE_KERNEL(27, 1, 3, T) \
  SCALEBRIDGE_KERNEL(18, 2, 1, T) \
  SCALEBRIDGE_KERNEL(18, 2, 2, T) \
  SCALEBRIDGE_KERNEL(18, 2, 3, T) \
  SCALEBRIDGE_KERNEL(9, 1, 1, T)  \
  SCALEBRIDGE_KERNEL(9, 1, 2, T)  \
  SCALEBRIDGE_KERNEL(24, 3, 1, T) \
  SCALEBRIDGE_KERNEL(24, 3, 2, T) \
  SCALEBRIDGE_KERNEL(24, 3, 3, T) \
  SCALEBRIDGE_KERNEL(24, 3, 4, T) \
  SCALEBRIDGE_KERNEL(24, 3, 5, T) \
  SCALEBRIDGE_KERNEL(24, 3, 6, T) \
  SCALEBRIDGE_KERNEL(8, 2, 1, T)  \
  SCALEBRIDGE_KERNEL(8, 2, 2, T)  \
  SCALEBRIDGE_KERNEL(8, 2, 3, T)  \
  SCALEBRIDGE_KERNEL(8, 1, 1, T)  \
  SCALEBRIDGE_KERNEL(8, 1, 2, T)  \
  SCALEBRIDGE_KERNEL(8, 1, 3, T)  \
  SCALEBRIDGE_KERNEL(4, 1, 1, T)  \
  SCALEBRIDGE_KERNEL(4, 1, 2, T)

    SCALEBRIDGE_KERNELS(double)
    SCALEBRIDGE_KERNELS(float)

#undef SCALEBRIDGE_KERNELS
#undef SCALEBRIDGE_KERNEL
  } // namespace

  template <typename Number>
  void
  apply_cell_matrices(const unsigned int  n_dofs,
                      const unsigned int  n_components,
                      const unsigned int  n_columns,
                      const unsigned int  n_cells,
                      const unsigned int *nodes,
                      const unsigned int *matrix,
                      const Number       *matrices,
                      const Number       *src,
                      Number             *dst)
  {
    const unsigned int key = n_dofs * 100 + n_components * 10 + n_columns;
#define SCALEBRIDGE_CASE(ND, NC, KR)                 \
  case ND * 100 + NC * 10 + KR:                      \
    if constexpr (std::is_same_v<Number, double>)    \
      kernel_##ND##_##NC##_##KR##_double(            \
        n_cells, nodes, matrix, matrices, src, dst); \
    else                                             \
      kernel_##ND##_##NC##_##KR##_float(             \
        n_cells, nodes, matrix, matrices, src, dst); \
    return;
    switch (key)
      {
        SCALEBRIDGE_CASE(81, 3, 1)
        SCALEBRIDGE_CASE(81, 3, 2)
        SCALEBRIDGE_CASE(81, 3, 3)
        SCALEBRIDGE_CASE(81, 3, 4)
        SCALEBRIDGE_CASE(81, 3, 5)
        SCALEBRIDGE_CASE(81, 3, 6)
        SCALEBRIDGE_CASE(27, 1, 1)
        SCALEBRIDGE_CASE(27, 1, 2)
        SCALEBRIDGE_CASE(27, 1, 3)
        SCALEBRIDGE_CASE(18, 2, 1)
        SCALEBRIDGE_CASE(18, 2, 2)
        SCALEBRIDGE_CASE(18, 2, 3)
        SCALEBRIDGE_CASE(9, 1, 1)
        SCALEBRIDGE_CASE(9, 1, 2)
        SCALEBRIDGE_CASE(24, 3, 1)
        SCALEBRIDGE_CASE(24, 3, 2)
        SCALEBRIDGE_CASE(24, 3, 3)
        SCALEBRIDGE_CASE(24, 3, 4)
        SCALEBRIDGE_CASE(24, 3, 5)
        SCALEBRIDGE_CASE(24, 3, 6)
        SCALEBRIDGE_CASE(8, 2, 1)
        SCALEBRIDGE_CASE(8, 2, 2)
        SCALEBRIDGE_CASE(8, 2, 3)
        SCALEBRIDGE_CASE(8, 1, 1)
        SCALEBRIDGE_CASE(8, 1, 2)
        SCALEBRIDGE_CASE(8, 1, 3)
        SCALEBRIDGE_CASE(4, 1, 1)
        SCALEBRIDGE_CASE(4, 1, 2)
        default:
          throw std::logic_error(
            "apply_cell_matrices: no kernel for " + std::to_string(n_dofs)
            + " dofs, " + std::to_string(n_components) + " components, "
            + std::to_string(n_columns) + " columns");
      }
#undef SCALEBRIDGE_CASE
  }

  template void
  apply_cell_matrices<double>(unsigned int,
                              unsigned int,
                              unsigned int,
                              unsigned int,
                              const unsigned int *,
                              const unsigned int *,
                              const double *,
                              const double *,
                              double *);
  template void
  apply_cell_matrices<float>(unsigned int,
                             unsigned int,
                             unsigned int,
                             unsigned int,
                             const unsigned int *,
                             const unsigned int *,
                             const float *,
                             const float *,
                             float *);
} // namespace scalebridge::rve
