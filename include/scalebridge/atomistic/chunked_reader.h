#ifndef scalebridge_atomistic_chunked_reader_h
#define scalebridge_atomistic_chunked_reader_h

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * A piece of a text file that ends at a line end (or at the end of the
   * file), plus what a format makes of it on a worker thread. Formats derive
   * from it and implement parse(), which sees only its own text: it must not
   * depend on other chunks, so that chunks can be parsed in any order.
   */
  struct TextChunk
  {
    virtual ~TextChunk() = default;

    /// Runs on a worker thread (or inline with one thread).
    virtual void
    parse()
      = 0;

    std::vector<char> text;
    /// Bytes of text that belong to this chunk (text may be larger).
    std::size_t size = 0;
    /// Offset of the first byte in the file.
    std::uint64_t first_byte = 0;
    /// Set instead of a parse when reading failed.
    std::string read_error;
    /// An exception thrown by parse(), rethrown by next().
    std::exception_ptr parse_error;
  };

  /// How to cut and share the work.
  struct ChunkOptions
  {
    /// Parser threads; 0: all hardware threads. With 1 the reading and
    /// parsing run inline in the calling thread.
    unsigned int threads = 0;
    /// Target bytes per chunk (cut at the last line end before it; a line
    /// longer than this makes its chunk longer).
    std::size_t chunk_bytes = std::size_t(4) << 20;
  };

  /**
   * Streams a text file as chunks cut at line ends, parses them on a pool of
   * threads and hands them back in file order, so that a sequential pass
   * (frames, line numbers, checks that need the previous line) runs over
   * pre-parsed data. At most threads + 2 chunks are alive at a time, so the
   * memory stays bounded whatever the size of the file. Workers read the
   * file under a lock (reading is not the bottleneck) and parse outside it.
   */
  class ChunkedReader
  {
  public:
    /// @p make creates an empty chunk of the format (called a few times;
    /// chunks are reused).
    ChunkedReader(const std::filesystem::path                &path,
                  const std::string                          &entry,
                  const ChunkOptions                         &options,
                  std::function<std::unique_ptr<TextChunk>()> make);
    /// Stops and joins the workers (also after an error in the caller).
    ~ChunkedReader();
    ChunkedReader(const ChunkedReader &) = delete;
    ChunkedReader &
    operator=(const ChunkedReader &)
      = delete;

    /// The next chunk in file order, parsed; nullptr at the end of the file.
    /// Valid until the next call. Rethrows what parse() threw; a read error
    /// is left in TextChunk::read_error for the caller to report with its
    /// line number.
    TextChunk *
    next();

    /// Threads actually used.
    unsigned int
    threads() const;

  private:
    /// Fills @p chunk with the next piece of the file; false at the end.
    /// Caller holds the lock (or is the only thread).
    bool
    read_chunk(TextChunk &chunk);

    void
    work();

    std::filesystem::path                       path;
    std::FILE                                  *file = nullptr;
    ChunkOptions                                options;
    std::function<std::unique_ptr<TextChunk>()> make;
    /// Start of a line cut off at the end of the previous chunk.
    std::vector<char> carry;
    bool              at_end = false;
    std::uint64_t     offset = 0;

    std::mutex                                          mutex;
    std::condition_variable                             changed;
    std::vector<std::unique_ptr<TextChunk>>             spare;
    std::map<std::uint64_t, std::unique_ptr<TextChunk>> done;
    std::uint64_t                                       n_read     = 0;
    std::uint64_t                                       n_consumed = 0;
    unsigned int                                        n_running  = 0;
    bool                                                stop       = false;
    std::unique_ptr<TextChunk>                          current;
    std::vector<std::thread>                            workers;
  };
} // namespace scalebridge::atomistic

#endif
