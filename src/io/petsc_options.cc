#include <scalebridge/base/input_error.h>
#include <scalebridge/io/petsc_options.h>

#include <petscsys.h>

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

  void
  check_petsc_options_used(const std::string &options,
                           const std::string &prefix,
                           const std::string &source,
                           const std::string &entry)
  {
    const std::vector<std::string> unused = unused_petsc_options(options);
    if (unused.empty())
      return;
    for (const std::string &name : petsc_option_names(options))
      PetscOptionsClearValue(nullptr, name.c_str());
    std::string list;
    for (const std::string &name : unused)
      list += (list.empty() ? "" : ", ") + name;
    throw InputError(source,
                     entry,
                     "option(s) " + list
                       + " not used by the solver (misspelt, or without the "
                         "prefix "
                       + prefix + ", e.g. -" + prefix
                       + "pc_factor_mat_solver_type mumps)");
  }
} // namespace scalebridge::io
