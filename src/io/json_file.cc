#include <scalebridge/base/input_error.h>
#include <scalebridge/io/atomic_file.h>
#include <scalebridge/io/json_file.h>

#include <fstream>
#include <iterator>
#include <new>
#include <set>
#include <sstream>
#include <vector>

namespace scalebridge::io
{
  namespace
  {
    /// nlohmann's message without its "[json.exception.parse_error.101] "
    /// prefix, which means nothing to a user.
    std::string
    without_prefix(const std::string &what)
    {
      const auto end = what.find("] ");
      return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos
               ? what.substr(end + 2)
               : what;
    }

    /// Tracks the open objects of a parse for the depth limit, duplicate
    /// keys and the key path in messages.
    class StructureCheck
    {
    public:
      explicit StructureCheck(const std::string &source)
        : source(source)
      {
      }

      bool
      operator()(const int                           depth,
                 const nlohmann::json::parse_event_t event,
                 const nlohmann::json               &parsed)
      {
        using Event = nlohmann::json::parse_event_t;
        switch (event)
          {
            case Event::object_start:
            case Event::array_start:
              if (depth >= static_cast<int>(max_json_depth))
                throw InputError(source,
                                 path(),
                                 "arrays and objects are nested deeper than "
                                 "the allowed "
                                   + std::to_string(max_json_depth)
                                   + " levels");
              open.push_back({event == Event::object_start, {}, {}});
              break;
            case Event::object_end:
            case Event::array_end:
              if (!open.empty())
                open.pop_back();
              break;
            case Event::key:
              if (!open.empty() && open.back().is_object)
                {
                  Level             &level = open.back();
                  const std::string &key
                    = parsed.get_ref<const std::string &>();
                  if (!level.keys.insert(key).second)
                    {
                      level.key = key;
                      throw InputError(source,
                                       path(),
                                       "the key is given twice in one object; "
                                       "keys must be unique (JSON readers "
                                       "differ in which value they keep)");
                    }
                  level.key = key;
                }
              break;
            default:
              break;
          }
        return true;
      }

    private:
      struct Level
      {
        bool                  is_object;
        std::set<std::string> keys;
        std::string           key;
      };

      /// "a/b/c" of the keys of the open objects.
      std::string
      path() const
      {
        std::string result;
        for (const Level &level : open)
          if (level.is_object && !level.key.empty())
            result += (result.empty() ? "" : "/") + level.key;
        return result;
      }

      const std::string &source;
      std::vector<Level> open;
    };
  } // namespace

  nlohmann::json
  parse_json(const std::string_view text, const std::string &source)
  {
    StructureCheck check(source);
    try
      {
        return nlohmann::json::parse(text.begin(), text.end(), std::ref(check));
      }
    catch (const nlohmann::json::parse_error &e)
      {
        throw InputError(source,
                         "",
                         "not valid JSON (byte " + std::to_string(e.byte)
                           + "): " + without_prefix(e.what()));
      }
    catch (const nlohmann::json::out_of_range &e)
      {
        // 406: a number that is finite in the text but not as a double.
        throw InputError(source,
                         "",
                         "holds a number beyond the range of a double "
                         "(|x| <= 1.8e308): "
                           + without_prefix(e.what()));
      }
    catch (const nlohmann::json::exception &e)
      {
        throw InputError(source,
                         "",
                         "not valid JSON: " + without_prefix(e.what()));
      }
    catch (const std::bad_alloc &)
      {
        throw InputError(source,
                         "",
                         "not enough memory to hold the parsed JSON ("
                           + std::to_string(text.size()) + " bytes of text)");
      }
  }

  nlohmann::json
  read_json(const std::filesystem::path &path)
  {
    std::error_code ec;
    const auto      status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
      throw InputError(path.string(), "", "no such file");
    if (std::filesystem::is_directory(status))
      throw InputError(path.string(),
                       "",
                       "is a directory; a JSON file is expected here");
    if (!std::filesystem::is_regular_file(status))
      throw InputError(path.string(),
                       "",
                       "is not a regular file; a JSON file is expected here");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
      throw InputError(path.string(), "", "cannot read the file size");
    if (size > max_json_file_size)
      throw InputError(path.string(),
                       "",
                       "is " + std::to_string(size)
                         + " bytes; JSON inputs (cards, RVE results) may have "
                           "at most "
                         + std::to_string(max_json_file_size) + " bytes");

    std::string text;
    try
      {
        std::ifstream in(path, std::ios::binary);
        if (!in)
          throw InputError(path.string(),
                           "",
                           "cannot open the file for reading");
        text.assign(std::istreambuf_iterator<char>(in),
                    std::istreambuf_iterator<char>());
        if (in.bad())
          throw InputError(path.string(), "", "reading the file failed");
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        // basic_filebuf errors and bad_alloc, in the user's terms.
        throw InputError(path.string(),
                         "",
                         "reading the file failed (" + std::string(e.what())
                           + ")");
      }
    return parse_json(text, path.string());
  }

  void
  write_json(const std::filesystem::path &path, const nlohmann::json &value)
  {
    write_atomically(path,
                     [&](std::ostream &out) { out << value.dump(2) << '\n'; });
  }
} // namespace scalebridge::io
