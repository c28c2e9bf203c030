#ifndef scalebridge_rve_null_space_h
#define scalebridge_rve_null_space_h

#include <deal.II/lac/full_matrix.h>

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/multi_vector.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <vector>

namespace scalebridge::rve
{
  /**
   * The orthogonal projection onto the complement of the zero-energy modes
   * of an ActiveDomain on the finest level: v <- v - N (N^T N)^-1 N^T v for
   * every column. Applied to the right-hand side and inside CG it keeps the
   * iteration in the range of the singular operator, and the solution
   * orthogonal to its kernel (zero mean displacement of every floating
   * cluster, zero mean rotation, ...). The modes are stored implicitly as
   * per-cluster generator fields, so the cost does not grow with the number
   * of clusters.
   */
  class NullSpaceProjection
  {
  public:
    NullSpaceProjection(const ActiveDomain &domain,
                        const GridLevel    &fine,
                        unsigned int        n_components);

    unsigned int
    dimension() const
    {
      return dim_null;
    }

    void
    operator()(MultiVector<double> &v) const;

    /// Largest |N^T v| / |v| over the columns after normalising the modes
    /// (a test helper: zero for vectors free of zero-energy modes).
    std::vector<double>
    mode_content(const MultiVector<double> &v) const;

  private:
    /// t = G^T v (generator coefficients x columns), summed over ranks.
    std::vector<double>
    generator_products(const MultiVector<double> &v) const;

    unsigned int n_comp;
    unsigned int n_gen    = 0;
    unsigned int dim_null = 0;
    MPI_Comm     comm;
    /// Per owned node: first generator and count; values (count x n_comp).
    std::vector<unsigned int>  node_first;
    std::vector<unsigned int>  node_count;
    std::vector<unsigned int>  value_start;
    std::vector<double>        values;
    dealii::FullMatrix<double> Z;
    /// (Z^T G^T G Z)^-1
    dealii::FullMatrix<double> gram_inverse;
  };
} // namespace scalebridge::rve

#endif
