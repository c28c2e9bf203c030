#ifndef scalebridge_rve_multi_vector_h
#define scalebridge_rve_multi_vector_h

#include <deal.II/lac/la_parallel_vector.h>

#include <scalebridge/rve/voxel_hierarchy.h>

#include <vector>

namespace scalebridge::rve
{
  /**
   * Several nodal fields (one per load case) on one level, interleaved in a
   * single deal.II distributed vector: entry (node, component, column) at
   * (local_node * n_components + component) * n_columns + column. One ghost
   * exchange and one index gather then serve all load cases, which is what
   * makes solving them together cheaper than one after the other.
   */
  template <typename Number>
  class MultiVector
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<Number>;

    MultiVector() = default;

    void
    reinit(const GridLevel &level,
           unsigned int     n_components,
           unsigned int     n_columns);

    /// Same layout as @p other, zeroed.
    template <typename Number2>
    void
    reinit_like(const MultiVector<Number2> &other);

    unsigned int
    n_columns() const
    {
      return columns;
    }
    unsigned int
    n_components() const
    {
      return components;
    }
    /// Entries per node (components x columns).
    unsigned int
    block() const
    {
      return components * columns;
    }
    unsigned int
    locally_owned_size() const
    {
      return data.locally_owned_size();
    }

    /// Column-wise dot products with @p other (summed over all ranks).
    std::vector<double>
    dot(const MultiVector &other) const;

    /// Column-wise l2 norms.
    std::vector<double>
    norms() const;

    /// this += a_c other, column by column.
    void
    add(const std::vector<double> &a, const MultiVector &other);

    /// this = other + a_c this (column-wise), the CG direction update.
    void
    sadd(const std::vector<double> &a, const MultiVector &other);

    /// Copies (and converts) the owned values of another precision.
    template <typename Number2>
    void
    copy_from(const MultiVector<Number2> &other);

    VectorType data;

  private:
    unsigned int columns    = 0;
    unsigned int components = 0;
  };

  template <typename Number>
  template <typename Number2>
  void
  MultiVector<Number>::reinit_like(const MultiVector<Number2> &other)
  {
    columns    = other.n_columns();
    components = other.n_components();
    data.reinit(other.data.get_partitioner());
  }

  template <typename Number>
  template <typename Number2>
  void
  MultiVector<Number>::copy_from(const MultiVector<Number2> &other)
  {
    const unsigned int n = data.locally_owned_size();
    Number            *d = data.begin();
    const Number2     *s = other.data.begin();
    for (unsigned int i = 0; i < n; ++i)
      d[i] = static_cast<Number>(s[i]);
  }
} // namespace scalebridge::rve

#endif
