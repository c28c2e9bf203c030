#include <scalebridge/base/input_error.h>
#include <scalebridge/io/checkpoint_folder.h>
#include <scalebridge/macro/cell_parameters.h>
#include <scalebridge/macro/checkpoint.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace scalebridge::macro
{
  void
  CheckpointParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    prm.add_parameter("Directory",
                      directory,
                      "Where checkpoints go: one folder per checkpoint, "
                      "named by its simulated time (t_<seconds>s), written "
                      "atomically. Continue with --restart FOLDER.");
    prm.add_parameter("Interval",
                      interval,
                      "Simulated time [s] between checkpoints; 0 writes "
                      "none.",
                      dealii::Patterns::Double(0));
    prm.add_parameter("Keep",
                      keep,
                      "How many of the newest checkpoints are kept (0: all).",
                      dealii::Patterns::Integer(0, 1000000));
  }

  void
  CheckpointParameters::check(const std::string &source) const
  {
    if (!std::isfinite(interval) || interval < 0)
      throw InputError(source,
                       "Checkpoint/Interval",
                       "must be a finite number >= 0 [s]");
    if (interval > 0 && directory.empty())
      throw InputError(source,
                       "Checkpoint/Directory",
                       "must not be empty when Interval > 0");
  }

  namespace
  {
    /// "A/B/Entry" -> value from deal.II's JSON output (a tree of
    /// subsections whose leaves hold "value").
    void
    flatten(const nlohmann::json &node,
            const std::string    &path,
            nlohmann::json       &entries)
    {
      for (const auto &[key, child] : node.items())
        {
          if (!child.is_object())
            continue;
          if (child.contains("value") && child["value"].is_string())
            entries[path + key] = child["value"];
          else
            flatten(child, path + key + "/", entries);
        }
    }

    bool
    ignored(const std::string &entry)
    {
      return (entry.rfind("Output/", 0) == 0 && entry != "Output/Profile times")
             || entry.rfind("Checkpoint/", 0) == 0;
    }
  } // namespace

  nlohmann::json
  input_fingerprint(const CellParameters &parameters)
  {
    // Declaring a copy binds its members: the defaults printed are the
    // values in use.
    CellParameters           copy = parameters;
    dealii::ParameterHandler prm;
    copy.add_parameters(prm);
    std::ostringstream out;
    prm.print_parameters(out, dealii::ParameterHandler::JSON);
    nlohmann::json all = nlohmann::json::object();
    flatten(nlohmann::json::parse(out.str()), "", all);

    nlohmann::json entries = nlohmann::json::object();
    nlohmann::json files   = nlohmann::json::object();
    for (const auto &[entry, value] : all.items())
      {
        if (ignored(entry))
          continue;
        entries[entry] = value;
        // Lists of files are comma-separated.
        std::istringstream items(value.get<std::string>());
        for (std::string item; std::getline(items, item, ',');)
          {
            const auto first = item.find_first_not_of(" \t");
            const auto last  = item.find_last_not_of(" \t");
            if (first == std::string::npos)
              continue;
            item = item.substr(first, last - first + 1);
            std::error_code error;
            if (std::filesystem::is_regular_file(item, error))
              files[item] = io::file_hash(item);
          }
      }
    return {{"entries", entries}, {"files", files}};
  }

  std::vector<std::string>
  fingerprint_differences(const nlohmann::json &checkpoint,
                          const nlohmann::json &present)
  {
    std::vector<std::string> lines;
    const auto               compare = [&](const char        *kind,
                             const std::string &what_then,
                             const std::string &what_now) {
      const nlohmann::json &a = checkpoint.at(kind);
      const nlohmann::json &b = present.at(kind);
      for (const auto &[key, value] : a.items())
        if (!b.contains(key))
          lines.push_back(key + ": in the checkpoint's input only");
        else if (b[key] != value)
          lines.push_back(
            key + ": " + what_then + " "
            + (value.is_string() ? value.get<std::string>() : value.dump())
            + ", " + what_now + " "
            + (b[key].is_string() ? b[key].get<std::string>() : b[key].dump()));
      for (const auto &[key, value] : b.items())
        if (!a.contains(key))
          lines.push_back(key + ": not in the checkpoint's input");
    };
    compare("entries", "checkpoint has", "this input has");
    compare("files", "content hash then", "now");
    return lines;
  }
} // namespace scalebridge::macro
