#ifndef scalebridge_study_item_files_h
#define scalebridge_study_item_files_h

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <utility>
#include <vector>

namespace scalebridge::study
{
  /**
   * The text that identifies a parameter set for the item store: every
   * entry as read (after includes and overrides), followed by the FNV-1a
   * hash of every file an entry names and, for JSON files (cards), of every
   * file named by a string inside them, so that editing a card or an image
   * makes the items that read it be solved again.
   */
  std::string
  describe_parameters(const dealii::ParameterHandler &prm);

  /// Reads @p file with @p overrides into @p prm (as the apps do).
  void
  read_with_overrides(
    dealii::ParameterHandler                               &prm,
    const std::string                                      &file,
    const std::vector<std::pair<std::string, std::string>> &overrides);
  /**
   * read_with_overrides() for the study's first reading of @p file: an
   * override that the file does not declare, or whose value it refuses, is
   * an InputError at @p entry of @p source (the study's parameter file,
   * where the override was written), not at "command line --set".
   */
  void
  read_study_input(
    dealii::ParameterHandler                               &prm,
    const std::string                                      &file,
    const std::vector<std::pair<std::string, std::string>> &overrides,
    const std::string                                      &source,
    const std::string                                      &entry);
} // namespace scalebridge::study

#endif
