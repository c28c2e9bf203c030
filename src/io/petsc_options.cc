#include <scalebridge/base/input_error.h>
#include <scalebridge/io/petsc_options.h>

#include <petscsys.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace scalebridge::io
{
  std::vector<std::string>
  petsc_option_names(const std::string &options)
  {
    std::vector<std::string> names;
    std::istringstream       words(options);
    for (std::string w; words >> w;)
      if (w.size() > 1 && w[0] == '-'
          && !std::isdigit(static_cast<unsigned char>(w[1])) && w[1] != '.')
        names.push_back(w);
    return names;
  }

  std::vector<std::string>
  unused_petsc_options(const std::string &options)
  {
    std::vector<std::string> unused;
    for (const std::string &name : petsc_option_names(options))
      {
        PetscBool used = PETSC_FALSE;
        if (PetscOptionsUsed(nullptr, name.c_str(), &used) != 0 || !used)
          unused.push_back(name);
      }
    return unused;
  }

  namespace
  {
    /// The InputError for @p unused, after removing @p clear from PETSc's
    /// database so that PetscFinalize does not print a page about them.
    [[noreturn]] void
    refuse_unused(const std::vector<std::string> &unused,
                  const std::vector<std::string> &clear,
                  const std::string              &source,
                  const std::string              &entry,
                  const std::string              &why)
    {
      for (const std::string &name : clear)
        PetscOptionsClearValue(nullptr, name.c_str());
      std::string list;
      for (const std::string &name : unused)
        list += (list.empty() ? "" : ", ") + name;
      throw InputError(source, entry, "option(s) " + list + " " + why);
    }
  } // namespace

  void
  check_petsc_options_used(const std::string &options,
                           const std::string &prefix,
                           const std::string &source,
                           const std::string &entry)
  {
    const std::vector<std::string> unused = unused_petsc_options(options);
    if (!unused.empty())
      refuse_unused(unused,
                    petsc_option_names(options),
                    source,
                    entry,
                    "not used by the solver (misspelt, or without the "
                    "prefix "
                      + prefix + ", e.g. -" + prefix
                      + "pc_factor_mat_solver_type mumps)");
  }

  std::vector<std::string>
  unused_petsc_database_options()
  {
    std::vector<std::string> unused;
    PetscInt                 n      = 0;
    char                   **names  = nullptr;
    char                   **values = nullptr;
    if (PetscOptionsLeftGet(nullptr, &n, &names, &values) != 0)
      return unused;
    for (PetscInt i = 0; i < n; ++i)
      unused.push_back(std::string("-") + names[i]);
    PetscOptionsLeftRestore(nullptr, &n, &names, &values);
    return unused;
  }

  void
  check_petsc_database_used(const std::vector<std::string> &own_options,
                            const std::string              &source,
                            const std::string              &entry,
                            const std::string              &why)
  {
    std::vector<std::string> unused;
    for (const std::string &name : unused_petsc_database_options())
      if (std::find(own_options.begin(), own_options.end(), name)
          != own_options.end())
        PetscOptionsClearValue(nullptr, name.c_str());
      else
        unused.push_back(name);
    if (!unused.empty())
      refuse_unused(unused, unused, source, entry, why);
  }
} // namespace scalebridge::io
