#ifndef scalebridge_rve_hill_mandel_h
#define scalebridge_rve_hill_mandel_h

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <scalebridge/rve/active_domain.h>
#include <scalebridge/rve/voxel_element.h>
#include <scalebridge/rve/voxel_hierarchy.h>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace scalebridge::rve
{
  /**
   * The averages of the Hill-Mandel condition <sigma : eps> = <sigma> :
   * <eps>, each measured from one field and nothing else (Mandel notation;
   * gradient and flux for conduction).
   */
  struct FieldAverages
  {
    /// <sigma : eps>: cell-wise quadrature of the field's energy density.
    double energy = 0;
    /// <sigma>: cell-wise integral of the stress (flux).
    dealii::Vector<double> mean_stress;
    /**
     * <eps> by Gauss' theorem from the field on the outer boundary of the
     * cell Y: 1/(2|Y|) int_dY (u (x) n + n (x) u) dA, or 1/|Y| int_dY phi n
     * dA for a potential. It equals the macro strain only when the field
     * meets its boundary condition (periodic fluctuation, affine boundary
     * values): a field that breaks it shows here.
     */
    dealii::Vector<double> boundary_strain;

    /// <sigma : eps> - <sigma> : <eps>.
    double
    hill_mandel_gap() const;
  };

  /**
   * Writes into @p u the total field (n_components values per node, in the
   * element's node order) on the owned fine cell number @p c (in the order
   * of GridLevel::owned_cells), at the nodes' positions in the cell [0,
   * L]^dim: on a periodic grid a node on the upper face is its own point
   * (x = L), whatever the numbering shares with x = 0.
   */
  using CellFieldValues
    = std::function<void(unsigned int c, dealii::Vector<double> &u)>;

  /**
   * Measures the FieldAverages of the field @p values on @p fine (all
   * ranks together): energy and stress over the active cells with the
   * phase @p laws (Mandel stiffness or conductivity per phase, empty for a
   * phase that does not take part) and the phase eigenstresses @p
   * eigenstress (sigma = C eps - s_p; empty vectors or none: no
   * eigenstress), the strain from the boundary faces of all owned cells.
   */
  FieldAverages
  measure_field_averages(const GridLevel            &fine,
                         const VoxelElement         &element,
                         const ActiveDomain         &domain,
                         const std::vector<uint8_t> &cell_phase,
                         const std::vector<dealii::FullMatrix<double>> &laws,
                         const std::vector<dealii::Vector<double>> &eigenstress,
                         const CellFieldValues                     &values);

  /**
   * The affine field of macro strain (gradient) @p macro (Mandel) at the
   * point @p x: eps(macro) x, or macro . x for a potential; n_components
   * entries.
   */
  std::array<double, 3>
  affine_value(Physics                       physics,
               unsigned int                  dim,
               const dealii::Vector<double> &macro,
               const std::array<double, 3>  &x);
} // namespace scalebridge::rve

#endif
