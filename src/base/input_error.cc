#include <scalebridge/base/input_error.h>

namespace scalebridge
{
  namespace
  {
    std::string
    compose(const std::string &source,
            const std::string &key,
            const std::string &reason)
    {
      std::string message = source.empty() ? std::string("input") : source;
      if (!key.empty())
        message += ": '" + key + "'";
      return message + ": " + reason;
    }
  } // namespace

  InputError::InputError(const std::string &source,
                         const std::string &key,
                         const std::string &reason)
    : std::runtime_error(compose(source, key, reason))
    , source_(source)
    , key_(key)
    , reason_(reason)
  {
  }

  const std::string &
  InputError::source() const
  {
    return source_;
  }

  const std::string &
  InputError::key() const
  {
    return key_;
  }

  const std::string &
  InputError::reason() const
  {
    return reason_;
  }
} // namespace scalebridge
