#include <scalebridge/atomistic/text_reader.h>
#include <scalebridge/base/input_error.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace scalebridge::atomistic
{
  namespace
  {
    constexpr std::size_t buffer_size = std::size_t(1) << 22;
  }

  LineReader::LineReader(const std::filesystem::path &path, std::string entry)
    : path_(path)
    , entry_(std::move(entry))
    , buffer(buffer_size)
  {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
      throw InputError(path.string(), entry_, "file does not exist");
    file = std::fopen(path.c_str(), "rb");
    if (!file)
      throw InputError(path.string(),
                       entry_,
                       std::string("cannot open: ") + std::strerror(errno));
  }

  LineReader::~LineReader()
  {
    if (file)
      std::fclose(file);
  }

  bool
  LineReader::refill()
  {
    if (eof)
      return false;
    // Keep the unfinished line, move it to the front.
    const std::size_t rest = end - begin;
    if (rest == buffer.size())
      buffer.resize(2 * buffer.size()); // a single line longer than the buffer
    std::memmove(buffer.data(), buffer.data() + begin, rest);
    begin = 0;
    end   = rest;
    const std::size_t got
      = std::fread(buffer.data() + end, 1, buffer.size() - end, file);
    if (got == 0)
      {
        if (std::ferror(file))
          fail("read error");
        eof = true;
        return false;
      }
    end += got;
    return true;
  }

  bool
  LineReader::next(std::string_view &result)
  {
    std::size_t scanned = begin;
    for (;;)
      {
        const void *nl
          = std::memchr(buffer.data() + scanned, '\n', end - scanned);
        if (nl)
          {
            const std::size_t stop
              = static_cast<const char *>(nl) - buffer.data();
            std::size_t length = stop - begin;
            if (length > 0 && buffer[begin + length - 1] == '\r')
              --length;
            result = std::string_view(buffer.data() + begin, length);
            bytes += stop + 1 - begin;
            begin = stop + 1;
            ++line;
            return true;
          }
        const std::size_t offset = end - begin;
        if (!refill())
          {
            if (begin == end)
              return false;
            // Last line without a newline.
            std::size_t length = end - begin;
            if (length > 0 && buffer[begin + length - 1] == '\r')
              --length;
            result = std::string_view(buffer.data() + begin, length);
            bytes += end - begin;
            begin = end;
            ++line;
            return true;
          }
        scanned = begin + offset;
      }
  }

  std::uint64_t
  LineReader::line_number() const
  {
    return line;
  }

  std::uint64_t
  LineReader::bytes_read() const
  {
    return bytes;
  }

  const std::filesystem::path &
  LineReader::path() const
  {
    return path_;
  }

  void
  LineReader::fail(const std::string &reason) const
  {
    fail_at(line, reason);
  }

  void
  LineReader::fail_at(const std::uint64_t at, const std::string &reason) const
  {
    throw InputError(path_.string() + ":" + std::to_string(at), entry_, reason);
  }

  void
  split_fields(std::string_view line, std::vector<std::string_view> &fields)
  {
    fields.clear();
    const char       *p   = line.data();
    const char *const end = p + line.size();
    while (p < end)
      {
        while (p < end && (*p == ' ' || *p == '\t'))
          ++p;
        const char *start = p;
        while (p < end && *p != ' ' && *p != '\t')
          ++p;
        if (p > start)
          fields.emplace_back(start, p - start);
      }
  }

  bool
  parse_double(std::string_view text, double &value)
  {
    if (!text.empty() && text.front() == '+')
      text.remove_prefix(1);
    const auto [ptr, ec]
      = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size()
           && std::isfinite(value);
  }

  bool
  parse_integer(std::string_view text, long long &value)
  {
    if (!text.empty() && text.front() == '+')
      text.remove_prefix(1);
    const auto [ptr, ec]
      = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size();
  }
} // namespace scalebridge::atomistic
