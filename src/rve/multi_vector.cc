#include <deal.II/base/mpi.h>

#include <scalebridge/rve/multi_vector.h>

namespace scalebridge::rve
{
  template <typename Number>
  void
  MultiVector<Number>::reinit(const GridLevel   &level,
                              const unsigned int n_components,
                              const unsigned int n_columns)
  {
    columns    = n_columns;
    components = n_components;
    data.reinit(level.partitioner(n_components * n_columns));
  }

  template <typename Number>
  std::vector<double>
  MultiVector<Number>::dot(const MultiVector &other) const
  {
    std::vector<double> result(columns, 0.);
    const unsigned int  n = data.locally_owned_size();
    const Number       *a = data.begin();
    const Number       *b = other.data.begin();
    for (unsigned int i = 0; i < n; i += columns)
      for (unsigned int r = 0; r < columns; ++r)
        result[r] += double(a[i + r]) * double(b[i + r]);
    dealii::Utilities::MPI::sum(result, data.get_mpi_communicator(), result);
    return result;
  }

  template <typename Number>
  std::vector<double>
  MultiVector<Number>::norms() const
  {
    std::vector<double> result = dot(*this);
    for (double &r : result)
      r = std::sqrt(r);
    return result;
  }

  template <typename Number>
  void
  MultiVector<Number>::add(const std::vector<double> &a,
                           const MultiVector         &other)
  {
    const unsigned int n = data.locally_owned_size();
    Number            *x = data.begin();
    const Number      *y = other.data.begin();
    for (unsigned int i = 0; i < n; i += columns)
      for (unsigned int r = 0; r < columns; ++r)
        x[i + r] += Number(a[r]) * y[i + r];
  }

  template <typename Number>
  void
  MultiVector<Number>::sadd(const std::vector<double> &a,
                            const MultiVector         &other)
  {
    const unsigned int n = data.locally_owned_size();
    Number            *x = data.begin();
    const Number      *y = other.data.begin();
    for (unsigned int i = 0; i < n; i += columns)
      for (unsigned int r = 0; r < columns; ++r)
        x[i + r] = y[i + r] + Number(a[r]) * x[i + r];
  }

  template class MultiVector<double>;
  template class MultiVector<float>;
} // namespace scalebridge::rve
