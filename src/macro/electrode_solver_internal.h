// Helpers shared by the source files of ElectrodeSolver (electrode_*.cc);
// not part of the installed interface.

#ifndef scalebridge_macro_electrode_solver_internal_h
#define scalebridge_macro_electrode_solver_internal_h

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

  /// int v_i over the cell @p fe_values was last reinitialised on, for
  /// every shape function v_i (the lumped mass of the cell).
  template <int dim>
  void
  shape_integrals(const dealii::FEValues<dim> &fe_values,
                  std::vector<double>         &m)
  {
    m.assign(fe_values.dofs_per_cell, 0.);
    for (unsigned int i = 0; i < m.size(); ++i)
      for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
        m[i] += fe_values.shape_value(i, q) * fe_values.JxW(q);
  }
} // namespace scalebridge::macro::electrode_internal

#endif
