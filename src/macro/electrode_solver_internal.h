// Helpers shared by the source files of ElectrodeSolver (electrode_*.cc);
// not part of the installed interface.

#ifndef scalebridge_macro_electrode_solver_internal_h
#define scalebridge_macro_electrode_solver_internal_h

#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_values.h>

#include <petscsys.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace scalebridge::macro::electrode_internal
{
  /// The components of the macro unknowns (ce, phi_e, phi_s) at a node.
  constexpr unsigned int ce_component   = 0;
  constexpr unsigned int phie_component = 1;
  constexpr unsigned int phis_component = 2;

  /// A Newton iteration that cannot continue (non-finite values, depleted
  /// electrolyte, failed factorization): the step is retried shorter.
  class NewtonFailure : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  inline void
  check_petsc(const PetscErrorCode code, const char *what)
  {
    if (code != 0)
      throw NewtonFailure(std::string("PETSc error in ") + what);
  }

  /**
   * Calls @p f(cell, dofs, m) for every locally owned cell of
   * @p dof_handler that @p selected(cell) accepts, with the cell's dofs and
   * m_i = int v_i over the cell for every shape function v_i (the lumped
   * mass of the cell). Only selected cells are visited by FEValues (whose
   * reuse of a similar previous cell's geometry decides the last bits).
   */
  template <int dim, class Selection, class Function>
  void
  for_each_lumped_cell(const dealii::DoFHandler<dim> &dof_handler,
                       const Selection               &selected,
                       const Function                &f)
  {
    const dealii::QGauss<dim>                    quadrature(2);
    dealii::FEValues<dim>                        fe_values(dof_handler.get_fe(),
                                    quadrature,
                                    dealii::update_values
                                      | dealii::update_JxW_values);
    const unsigned int                           n = fe_values.dofs_per_cell;
    std::vector<dealii::types::global_dof_index> dofs(n);
    std::vector<double>                          m(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && selected(cell))
        {
          cell->get_dof_indices(dofs);
          fe_values.reinit(cell);
          for (unsigned int i = 0; i < n; ++i)
            {
              m[i] = 0;
              for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
                m[i] += fe_values.shape_value(i, q) * fe_values.JxW(q);
            }
          f(cell, dofs, m);
        }
  }
} // namespace scalebridge::macro::electrode_internal

#endif
