#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_validation.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace scalebridge::io
{
  namespace
  {
    std::string
    join(const std::vector<std::string> &items)
    {
      std::string result;
      for (const auto &item : items)
        result += (result.empty() ? "" : ", ") + item;
      return result;
    }

    /// A value for a message: at most 80 characters (a wrong value may be
    /// a long array), invalid UTF-8 replaced instead of throwing.
    std::string
    excerpt(const nlohmann::json &value)
    {
      std::string text
        = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (text.size() > 80)
        text = text.substr(0, 77) + "...";
      return text;
    }
  } // namespace

  JsonObjectReader::JsonObjectReader(const nlohmann::json &object,
                                     std::string           source,
                                     std::string           path)
    : object_(object)
    , source_(std::move(source))
    , path_(std::move(path))
  {
    if (!object_.is_object())
      throw InputError(source_,
                       path_.empty() ? "(top level)" : path_,
                       "must be a JSON object {...}");
  }

  bool
  JsonObjectReader::has(const std::string &key) const
  {
    return object_.contains(key);
  }

  std::string
  JsonObjectReader::key_path(const std::string &key) const
  {
    return path_.empty() ? key : path_ + "/" + key;
  }

  void
  JsonObjectReader::fail(const std::string &key,
                         const std::string &reason) const
  {
    throw InputError(source_, key_path(key), reason);
  }

  const nlohmann::json &
  JsonObjectReader::json() const
  {
    return object_;
  }

  const nlohmann::json &
  JsonObjectReader::value(const std::string &key) const
  {
    if (!has(key))
      fail(key, "is required but missing");
    return object_.at(key);
  }

  double
  JsonObjectReader::number(const std::string                 &key,
                           const std::function<bool(double)> &allowed,
                           const std::string &allowed_text) const
  {
    const nlohmann::json &v = value(key);
    if (!v.is_number())
      fail(key,
           "must be a number" + (allowed_text.empty() ? "" : " " + allowed_text)
             + " (got " + excerpt(v) + ")");
    const double x = v.get<double>();
    if (!std::isfinite(x) || (allowed && !allowed(x)))
      fail(key,
           "must be " + (allowed_text.empty() ? "finite" : allowed_text)
             + " (got " + format_number(x, 10) + ")");
    return x;
  }

  std::optional<double>
  JsonObjectReader::optional_number(const std::string                 &key,
                                    const std::function<bool(double)> &allowed,
                                    const std::string &allowed_text) const
  {
    if (!has(key))
      return std::nullopt;
    return number(key, allowed, allowed_text);
  }

  std::string
  JsonObjectReader::string(const std::string &key) const
  {
    const nlohmann::json &v = value(key);
    if (!v.is_string())
      fail(key, "must be a string (got " + excerpt(v) + ")");
    return v.get<std::string>();
  }

  std::string
  JsonObjectReader::choice(const std::string              &key,
                           const std::vector<std::string> &choices) const
  {
    const std::string s = string(key);
    if (std::find(choices.begin(), choices.end(), s) == choices.end())
      fail(key, "must be one of " + join(choices) + " (got \"" + s + "\")");
    return s;
  }

  std::vector<double>
  JsonObjectReader::numbers(const std::string         &key,
                            std::optional<std::size_t> length) const
  {
    const nlohmann::json &v = value(key);
    const std::string     expected
      = length ? "a list of " + std::to_string(*length) + " numbers"
               : std::string("a list of numbers");
    if (!v.is_array() || (length && v.size() != *length))
      fail(key, "must be " + expected + " (got " + excerpt(v) + ")");
    std::vector<double> result;
    for (const auto &item : v)
      {
        if (!item.is_number() || !std::isfinite(item.get<double>()))
          fail(key, "must be " + expected + " (got " + excerpt(v) + ")");
        result.push_back(item.get<double>());
      }
    return result;
  }

  std::vector<std::vector<double>>
  JsonObjectReader::matrix(const std::string &key, std::size_t n) const
  {
    const nlohmann::json &v    = value(key);
    const std::string     size = n == 0
                                   ? std::string("n x n")
                                   : std::to_string(n) + " x " + std::to_string(n);
    const std::string     expected
      = "a " + size + " matrix given as a list of rows";
    if (!v.is_array() || v.empty() || (n != 0 && v.size() != n))
      fail(key, "must be " + expected);
    std::vector<std::vector<double>> rows;
    for (const auto &row : v)
      {
        if (!row.is_array() || row.size() != v.size())
          fail(key, "must be " + expected + " (a row has the wrong length)");
        std::vector<double> values;
        for (const auto &item : row)
          {
            if (!item.is_number() || !std::isfinite(item.get<double>()))
              fail(key, "must be " + expected + " of numbers");
            values.push_back(item.get<double>());
          }
        rows.push_back(values);
      }
    return rows;
  }

  JsonObjectReader
  JsonObjectReader::object(const std::string &key) const
  {
    const nlohmann::json &v = value(key);
    if (!v.is_object())
      fail(key, "must be a JSON object {...}");
    return JsonObjectReader(v, source_, key_path(key));
  }

  void
  JsonObjectReader::reject_unknown_keys(
    const std::vector<std::string> &allowed) const
  {
    for (const auto &item : object_.items())
      if (std::find(allowed.begin(), allowed.end(), item.key())
          == allowed.end())
        fail(item.key(), "unknown key; allowed here: " + join(allowed));
  }
} // namespace scalebridge::io
