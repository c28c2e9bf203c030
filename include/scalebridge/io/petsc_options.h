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

  /**
   * The options of PETSc's whole database (the PETSC_OPTIONS environment
   * variable, petscrc files, options inserted by the program) that no PETSc
   * object has looked up so far, with their leading '-'.
   */
  std::vector<std::string>
  unused_petsc_database_options();

  /**
   * Throws InputError(@p source, @p entry, "option(s) ... " + @p why) naming
   * unused_petsc_database_options(), after removing them from the
   * database, as check_petsc_options_used() does for one options string.
   * For apps that use no PETSc solver at all, where every option is unused
   * and can be refused before anything is computed. PETSc also reads the
   * command line: the app's own options (@p own_options, the words of its
   * command line, e.g. "--set") are not PETSc's and are left out.
   */
  void
  check_petsc_database_used(const std::vector<std::string> &own_options,
                            const std::string              &source,
                            const std::string              &entry,
                            const std::string              &why);
} // namespace scalebridge::io

#endif
