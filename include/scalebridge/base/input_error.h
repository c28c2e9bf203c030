#ifndef scalebridge_base_input_error_h
#define scalebridge_base_input_error_h

#include <stdexcept>
#include <string>

namespace scalebridge
{
  /**
   * Error in user input. The message always names where the input came from
   * (a file, or the command line), which entry is wrong and what is allowed,
   * so that apps can print what() as a single line and exit non-zero.
   */
  class InputError : public std::runtime_error
  {
  public:
    /**
     * @param source file path or other origin of the input
     * @param key    the entry that is wrong, e.g. "elastic/C11" or
     *               "Microstructure/Volume fraction"
     * @param reason what is wrong and what is allowed
     */
    InputError(const std::string &source,
               const std::string &key,
               const std::string &reason);

    const std::string &
    source() const;
    const std::string &
    key() const;
    /// What is wrong and what is allowed, without source and key.
    const std::string &
    reason() const;

  private:
    std::string source_;
    std::string key_;
    std::string reason_;
  };
} // namespace scalebridge

#endif
