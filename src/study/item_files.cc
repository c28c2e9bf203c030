#include <scalebridge/base/input_error.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/parameter_app.h>
#include <scalebridge/study/item_files.h>

#include <filesystem>
#include <set>
#include <sstream>

namespace scalebridge::study
{
  namespace
  {
    void
    add_file(const std::string     &name,
             std::set<std::string> &seen,
             std::ostringstream    &out,
             const unsigned int     depth)
    {
      std::error_code error;
      if (name.empty() || name.size() > 4096 || !seen.insert(name).second
          || !std::filesystem::is_regular_file(name, error))
        return;
      out << "file " << name << ' ' << io::file_hash(name) << '\n';
      if (depth == 0 || std::filesystem::path(name).extension() != ".json")
        return;
      try
        {
          const auto                          json = io::read_json(name);
          std::vector<const nlohmann::json *> stack{&json};
          while (!stack.empty())
            {
              const auto *j = stack.back();
              stack.pop_back();
              if (j->is_string())
                add_file(j->get<std::string>(), seen, out, depth - 1);
              else if (j->is_structured())
                for (const auto &child : *j)
                  stack.push_back(&child);
            }
        }
      catch (const std::exception &)
        {
          // Not a JSON file after all: its hash above is enough.
        }
    }
  } // namespace

  std::string
  describe_parameters(const dealii::ParameterHandler &prm)
  {
    std::ostringstream text;
    prm.print_parameters(text, dealii::ParameterHandler::ShortPRM);
    std::ostringstream    files;
    std::set<std::string> seen;
    std::istringstream    lines(text.str());
    std::string           line;
    while (std::getline(lines, line))
      {
        const auto eq = line.find('=');
        if (line.find("set ") == std::string::npos || eq == std::string::npos)
          continue;
        std::string value = line.substr(eq + 1);
        for (char &c : value)
          if (c == ';' || c == ',')
            c = '\n';
        std::istringstream tokens(value);
        std::string        token;
        while (std::getline(tokens, token))
          {
            const auto b = token.find_first_not_of(" \t");
            if (b == std::string::npos)
              continue;
            token = token.substr(b, token.find_last_not_of(" \t") - b + 1);
            add_file(token, seen, files, 3);
          }
      }
    return text.str() + files.str();
  }

  void
  read_with_overrides(
    dealii::ParameterHandler                               &prm,
    const std::string                                      &file,
    const std::vector<std::pair<std::string, std::string>> &overrides)
  {
    io::CommandLine command_line;
    command_line.parameter_file = file;
    command_line.overrides      = overrides;
    io::read_parameters(prm, command_line);
  }

  void
  read_study_input(
    dealii::ParameterHandler                               &prm,
    const std::string                                      &file,
    const std::vector<std::pair<std::string, std::string>> &overrides,
    const std::string                                      &source,
    const std::string                                      &entry)
  {
    try
      {
        read_with_overrides(prm, file, overrides);
      }
    catch (const InputError &e)
      {
        if (e.source() != "command line --set")
          throw;
        throw InputError(source, entry, "'" + e.key() + "': " + e.reason());
      }
  }
} // namespace scalebridge::study
