#ifndef scalebridge_io_json_validation_h
#define scalebridge_io_json_validation_h

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace scalebridge::io
{
  /**
   * Reads values out of one JSON object with the checks input files need:
   * every failure throws InputError naming the file, the key path
   * ("elastic/C44") and what is allowed. Keys not asked for are reported by
   * reject_unknown_keys(), so that a misspelt key is an error, not ignored.
   */
  class JsonObjectReader
  {
  public:
    /// @p path is the key path of @p object inside the file ("" for the root).
    JsonObjectReader(const nlohmann::json &object,
                     std::string           source,
                     std::string           path);

    bool
    has(const std::string &key) const;

    /// Full key path of @p key, for messages.
    std::string
    key_path(const std::string &key) const;

    /// A number; @p allowed checks it and @p allowed_text says what is
    /// allowed (e.g. "> 0").
    double
    number(const std::string                 &key,
           const std::function<bool(double)> &allowed      = nullptr,
           const std::string                 &allowed_text = "") const;

    std::optional<double>
    optional_number(const std::string                 &key,
                    const std::function<bool(double)> &allowed      = nullptr,
                    const std::string                 &allowed_text = "") const;

    std::string
    string(const std::string &key) const;

    /// A string that must be one of @p choices.
    std::string
    choice(const std::string              &key,
           const std::vector<std::string> &choices) const;

    /// A list of numbers (optionally of fixed length).
    std::vector<double>
    numbers(const std::string         &key,
            std::optional<std::size_t> length = {}) const;

    /// A square matrix of numbers of size @p n (0: any size) as rows.
    std::vector<std::vector<double>>
    matrix(const std::string &key, std::size_t n = 0) const;

    /// A nested object.
    JsonObjectReader
    object(const std::string &key) const;

    /// Throws for any key not in @p allowed, listing the allowed keys.
    void
    reject_unknown_keys(const std::vector<std::string> &allowed) const;

    /// Throws InputError at @p key with @p reason.
    [[noreturn]] void
    fail(const std::string &key, const std::string &reason) const;

    const nlohmann::json &
    json() const;

  private:
    const nlohmann::json &
    value(const std::string &key) const;

    const nlohmann::json &object_;
    std::string           source_;
    std::string           path_;
  };
} // namespace scalebridge::io

#endif
