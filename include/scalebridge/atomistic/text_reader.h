#ifndef scalebridge_atomistic_text_reader_h
#define scalebridge_atomistic_text_reader_h

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * Reads a text file line by line through a fixed buffer, so that a dump of
   * many gigabytes is never held in memory, at close to the speed of
   * reading the bytes (no std::getline/iostream per line). Lines are views
   * into the buffer, valid until the next call of next(). Errors are
   * InputError with the file and the line number as their source and
   * @p entry (the parameter naming the file) as their key.
   */
  class LineReader
  {
  public:
    LineReader(const std::filesystem::path &path, std::string entry);
    ~LineReader();
    LineReader(const LineReader &) = delete;
    LineReader &
    operator=(const LineReader &)
      = delete;

    /// The next line without its end-of-line characters; false at the end.
    bool
    next(std::string_view &line);

    /// Number of the line last returned (1-based).
    std::uint64_t
    line_number() const;

    /// Bytes consumed so far.
    std::uint64_t
    bytes_read() const;

    const std::filesystem::path &
    path() const;

    /// Throws InputError "FILE:LINE: 'entry': reason" for the last line.
    [[noreturn]] void
    fail(const std::string &reason) const;

    /// The same for another line number (e.g. where a frame started).
    [[noreturn]] void
    fail_at(std::uint64_t line, const std::string &reason) const;

  private:
    bool
    refill();

    std::filesystem::path path_;
    std::string           entry_;
    std::FILE            *file = nullptr;
    std::vector<char>     buffer;
    std::size_t           begin = 0;
    std::size_t           end   = 0;
    bool                  eof   = false;
    std::uint64_t         line  = 0;
    std::uint64_t         bytes = 0;
  };

  /// Splits @p line at blanks and tabs into @p fields (cleared first).
  void
  split_fields(std::string_view line, std::vector<std::string_view> &fields);

  /// Parses all of @p text as a finite double; false if it is not one.
  bool
  parse_double(std::string_view text, double &value);

  /// Parses all of @p text as an integer; false if it is not one.
  bool
  parse_integer(std::string_view text, long long &value);
} // namespace scalebridge::atomistic

#endif
