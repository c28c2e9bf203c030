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
   * The Q1 element on one box-shaped voxel cell of edges h, integrated
   * exactly for piecewise constant laws (2^dim Gauss points). Local unknowns
   * are ordered vertex by vertex (deal.II's lexicographic vertex order), the
   * components of a vertex together, as in deal.II's FESystem of FE_Q(1).
   * All voxel cells of a level are translates of each other, so one element
   * matrix per phase serves the whole fine grid.
   */
  class VoxelElement
  {
  public:
    VoxelElement(Physics                      physics,
                 unsigned int                 dim,
                 const std::array<double, 3> &h);

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

  private:
    /// The strain operator at reference point xi in [0,1]^dim.
    dealii::FullMatrix<double>
    strain_operator(const std::array<double, 3> &xi) const;

    Physics                                 physics_;
    unsigned int                            dim;
    std::array<double, 3>                   h;
    unsigned int                            n_dofs_;
    unsigned int                            n_strains_;
    double                                  volume_;
    std::vector<dealii::FullMatrix<double>> quadrature_strain;
    double                                  quadrature_weight;
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
