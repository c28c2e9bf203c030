#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/parameter_includes.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace scalebridge::io
{
  namespace
  {
    /// The file's identity for cycle detection (also through links and
    /// `..`), or its name when it cannot be resolved.
    std::string
    identity(const std::string &file)
    {
      std::error_code ec;
      const auto      resolved = std::filesystem::weakly_canonical(file, ec);
      return ec ? file : resolved.string();
    }

    /// One include line: where it is and what it names.
    struct IncludeLine
    {
      unsigned int line;
      std::string  text;
      std::string  target;
    };

    /// The include lines of @p file, read as ParameterHandler reads them
    /// (trailing backslashes join lines, `#` starts a comment).
    std::vector<IncludeLine>
    include_lines(std::istream &in)
    {
      std::vector<IncludeLine> result;
      std::string              line, joined;
      unsigned int             n = 0, logical = 0;
      bool                     continued = false;
      const auto               scan      = [&](std::string text) {
        const auto hash = text.find('#');
        if (hash != std::string::npos)
          text.erase(hash);
        text = dealii::Utilities::trim(text);
        if (text.rfind("include ", 0) == 0 || text.rfind("INCLUDE ", 0) == 0)
          result.push_back(
            {logical, text, dealii::Utilities::trim(text.substr(8))});
      };
      while (std::getline(in, line))
        {
          ++n;
          if (!continued)
            logical = n;
          line = dealii::Utilities::trim(line);
          if (!line.empty() && line.back() == '\\')
            {
              line.pop_back();
              joined += line;
              continued = true;
              continue;
            }
          joined += line;
          continued = false;
          scan(joined);
          joined.clear();
        }
      if (continued)
        scan(joined);
      return result;
    }

    void
    follow(const std::string &file, std::vector<std::string> &chain)
    {
      std::ifstream in(file);
      for (const IncludeLine &include : include_lines(in))
        {
          const std::string where
            = "line " + std::to_string(include.line) + ": " + include.text;
          if (include.target.empty())
            throw InputError(file, where, "names no file to include");
          const std::string target = identity(include.target);
          std::string       path;
          for (const std::string &f : chain)
            path += f + " -> ";
          for (const std::string &f : chain)
            if (f == target)
              throw InputError(file,
                               where,
                               "includes a file that is already being read ("
                                 + path + target
                                 + "); an include cycle never ends");
          if (chain.size() >= max_include_depth)
            throw InputError(file,
                             where,
                             "includes nest deeper than "
                               + std::to_string(max_include_depth) + " files ("
                               + path + target + ")");
          if (!std::filesystem::is_regular_file(include.target))
            throw InputError(file,
                             where,
                             "the included file does not exist or is not a "
                             "file (paths are relative to the working "
                             "directory)");
          chain.push_back(target);
          follow(include.target, chain);
          chain.pop_back();
        }
    }
  } // namespace

  void
  check_parameter_includes(const std::string &file)
  {
    std::vector<std::string> chain{identity(file)};
    follow(file, chain);
  }
} // namespace scalebridge::io
