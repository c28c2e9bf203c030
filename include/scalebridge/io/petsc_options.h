#ifndef scalebridge_io_petsc_options_h
#define scalebridge_io_petsc_options_h

#include <string>
#include <vector>

namespace scalebridge::io
{
  /// The option names ("-macro_pc_type") in a PETSc options string, in
  /// order; values (also negative numbers) are skipped.
  std::vector<std::string>
  petsc_option_names(const std::string &options);

  /**
   * The options of @p options that no PETSc object has looked up so far
   * (PetscOptionsUsed), typically misspelt or without the solver's prefix.
   * Call after the solver that should use them has been set up and has
   * solved once (factorization options are read then).
   */
  std::vector<std::string>
  unused_petsc_options(const std::string &options);

  /**
   * Throws InputError(@p source, @p entry, ...) naming the unused options
   * of @p options (see unused_petsc_options()) and the prefix they need,
   * after removing all of @p options from PETSc's database so that
   * PetscFinalize does not print a page about them.
   */
  void
  check_petsc_options_used(const std::string &options,
                           const std::string &prefix,
                           const std::string &source,
                           const std::string &entry);
} // namespace scalebridge::io

#endif
