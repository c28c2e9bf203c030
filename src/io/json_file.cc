#include <scalebridge/base/input_error.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/json_file.h>

#include <fstream>

namespace scalebridge::io
{
  nlohmann::json
  read_json(const std::filesystem::path &path)
  {
    std::ifstream in(path);
    if (!in)
      throw InputError(path.string(), "", "cannot open the file for reading");
    try
      {
        return nlohmann::json::parse(in);
      }
    catch (const nlohmann::json::parse_error &e)
      {
        throw InputError(path.string(),
                         "",
                         "not valid JSON (byte " + std::to_string(e.byte)
                           + "): " + e.what());
      }
  }

  void
  write_json(const std::filesystem::path &path, const nlohmann::json &value)
  {
    write_atomically(path,
                     [&](std::ostream &out) { out << value.dump(2) << '\n'; });
  }
} // namespace scalebridge::io
