#ifndef scalebridge_rve_voxel_element_h
#define scalebridge_rve_voxel_element_h

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <array>
#include <string>
#include <vector>

namespace scalebridge::rve
{
  /**
   * The two cell problems. Elasticity has dim displacement components and
   * Mandel strains (6 in 3D; 3 in 2D plane strain: 11, 22, 12); conduction
   * has one potential and dim gradient components.
   */
  enum class Physics
  {
    elasticity,
    conduction
  };

  std::string
  to_string(Physics physics);

  /// Unknowns per node.
  unsigned int
  n_components(Physics physics, unsigned int dim);

  /// Components of the (Mandel) strain or of the gradient: the number of
  /// unit load cases.
  unsigned int
  n_strains(Physics physics, unsigned int dim);

  /**
   * The law of a phase in the problem's dimension, from its 3D law: the
   * Mandel stiffness (6x6) or conductivity (3x3). In 2D the in-plane block is
   * taken: rows/columns 11, 22, 12 of the stiffness (plane strain: the
   * out-of-plane strains vanish) and 11, 22 of the conductivity.
   */
  dealii::FullMatrix<double>
  reduce_to_dimension(Physics                           physics,
                      unsigned int                      dim,
                      const dealii::FullMatrix<double> &law_3d);

  /**
   * The 1D Lagrange polynomial of degree @p degree that is one at the
   * equispaced node @p a / degree of [0, 1] and zero at the others, and its
   * derivative, at @p x.
   */
  double
  lagrange_value(unsigned int degree, unsigned int a, double x);

  double
  lagrange_derivative(unsigned int degree, unsigned int a, double x);

  /// The integral of lagrange_value(degree, a, .) over [0, 1] (the
  /// closed Newton-Cotes weights: 1/2, 1/2 for Q1; 1/6, 2/3, 1/6 for Q2).
  double
  lagrange_integral(unsigned int degree, unsigned int a);

  /**
   * The tensor-product Lagrange element of degree 1 (Q1) or 2 (full Q2,
   * 3^dim nodes) on one box-shaped voxel cell of edges h, integrated
   * exactly for piecewise constant laws ((degree + 1)^dim Gauss points).
   * Local unknowns are ordered node by node in the lexicographic order of
   * GridGeometry (for Q1 deal.II's vertex order), the components of a node
   * together. All voxel cells of a level are translates of each other, so
   * one element matrix per phase serves the whole fine grid.
   */
  class VoxelElement
  {
  public:
    VoxelElement(Physics                      physics,
                 unsigned int                 dim,
                 const std::array<double, 3> &h,
                 unsigned int                 degree = 1);

    Physics
    physics() const
    {
      return physics_;
    }
    unsigned int
    dimension() const
    {
      return dim;
    }
    unsigned int
    degree() const
    {
      return degree_;
    }
    unsigned int
    n_nodes() const
    {
      return n_nodes_;
    }
    unsigned int
    n_dofs() const
    {
      return n_dofs_;
    }
    unsigned int
    n_strains() const
    {
      return n_strains_;
    }
    double
    volume() const
    {
      return volume_;
    }

    /// K = int B^T D B over the cell for a law D (n_strains x n_strains).
    dealii::FullMatrix<double>
    stiffness(const dealii::FullMatrix<double> &law) const;

    /// int B dx over the cell (n_strains x n_dofs): maps nodal values to the
    /// cell integral of the strain (or gradient).
    const dealii::FullMatrix<double> &
    strain_integral() const
    {
      return strain_integral_;
    }

    /// The strain operator at the cell centre (n_strains x n_dofs).
    const dealii::FullMatrix<double> &
    centre_strain() const
    {
      return centre_strain_;
    }

    /**
     * Nodal values of the affine field of unit macro strain (or gradient)
     * @p j, relative to the cell's lower corner: u = eps(e_j) x with the
     * Mandel unit vector e_j (shear e_j means eps_ab = eps_ba = 1/sqrt 2).
     */
    dealii::Vector<double>
    affine_field(unsigned int j) const;

    /// The strain operator at reference point xi in [0,1]^dim.
    dealii::FullMatrix<double>
    strain_operator(const std::array<double, 3> &xi) const;

  private:
    Physics                                 physics_;
    unsigned int                            dim;
    std::array<double, 3>                   h;
    unsigned int                            degree_;
    unsigned int                            n_nodes_;
    unsigned int                            n_dofs_;
    unsigned int                            n_strains_;
    double                                  volume_;
    std::vector<dealii::FullMatrix<double>> quadrature_strain;
    std::vector<double>                     quadrature_weight;
    dealii::FullMatrix<double>              strain_integral_;
    dealii::FullMatrix<double>              centre_strain_;
  };

  /**
   * K_coarse += P^T K_child P, where P interpolates (multilinearly) from the
   * corners of a coarse cell to the corners of its child number @p child
   * (child offset (a,b,c) with child = a + 2b + 4c). Summed over the
   * children this is the Galerkin coarse operator of nested Q1 spaces, exact
   * for any coefficient inside the coarse cell.
   */
  void
  add_galerkin_product(unsigned int  dim,
                       unsigned int  n_components,
                       unsigned int  child,
                       const double *child_matrix,
                       double       *coarse_matrix);

  /**
   * The same with general interpolation weights: @p weights[(v * 2^dim + V)
   * * n_components + c] is the weight of coarse corner V in child corner v
   * for component c (components are interpolated separately).
   */
  void
  add_galerkin_product(unsigned int  dim,
                       unsigned int  n_components,
                       const double *weights,
                       const double *child_matrix,
                       double       *coarse_matrix);
} // namespace scalebridge::rve

#endif
