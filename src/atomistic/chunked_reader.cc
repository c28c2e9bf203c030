#include <scalebridge/atomistic/chunked_reader.h>
#include <scalebridge/base/input_error.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace scalebridge::atomistic
{
  ChunkedReader::ChunkedReader(
    const std::filesystem::path                &path_,
    const std::string                          &entry,
    const ChunkOptions                         &options_,
    std::function<std::unique_ptr<TextChunk>()> make_)
    : path(path_)
    , options(options_)
    , make(std::move(make_))
  {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
      throw InputError(path.string(), entry, "file does not exist");
    file = std::fopen(path.c_str(), "rb");
    if (!file)
      throw InputError(path.string(),
                       entry,
                       std::string("cannot open: ") + std::strerror(errno));
    if (options.threads == 0)
      options.threads = std::max(1u, std::thread::hardware_concurrency());
    options.chunk_bytes = std::max<std::size_t>(1, options.chunk_bytes);
    if (options.threads > 1)
      {
        n_running = options.threads;
        for (unsigned int t = 0; t < options.threads; ++t)
          workers.emplace_back([this] { work(); });
      }
  }

  ChunkedReader::~ChunkedReader()
  {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto &worker : workers)
      worker.join();
    if (file)
      std::fclose(file);
  }

  unsigned int
  ChunkedReader::threads() const
  {
    return options.threads;
  }

  bool
  ChunkedReader::read_chunk(TextChunk &chunk)
  {
    chunk.read_error.clear();
    chunk.parse_error = nullptr;
    chunk.first_byte  = offset;
    if (at_end && carry.empty())
      return false;
    if (chunk.text.size() < carry.size() + options.chunk_bytes)
      chunk.text.resize(carry.size() + options.chunk_bytes);
    std::copy(carry.begin(), carry.end(), chunk.text.begin());
    std::size_t size = carry.size();
    carry.clear();
    // Search for the last line end only in what was read since the last
    // search.
    std::size_t searched = size;
    for (;;)
      {
        if (!at_end)
          {
            const std::size_t got = std::fread(chunk.text.data() + size,
                                               1,
                                               chunk.text.size() - size,
                                               file);
            if (got == 0)
              {
                if (std::ferror(file))
                  {
                    chunk.read_error
                      = std::string("read error: ") + std::strerror(errno);
                    chunk.size = 0;
                    at_end     = true;
                    return true;
                  }
                at_end = true;
              }
            size += got;
          }
        if (at_end)
          break; // the rest is the last chunk, with or without a line end
        const void *nl
          = memrchr(chunk.text.data() + searched, '\n', size - searched);
        if (nl)
          {
            const std::size_t cut
              = static_cast<const char *>(nl) - chunk.text.data() + 1;
            carry.assign(chunk.text.begin() + cut, chunk.text.begin() + size);
            size = cut;
            break;
          }
        searched = size;
        if (size == chunk.text.size())
          chunk.text.resize(2 * chunk.text.size()); // a line longer than that
      }
    if (size == 0)
      return false;
    chunk.size = size;
    offset += size;
    return true;
  }

  void
  ChunkedReader::work()
  {
    // Chunks alive at once: the caller's, and at most threads + 1 read ahead.
    const std::uint64_t window = options.threads + 1;
    for (;;)
      {
        std::unique_ptr<TextChunk> chunk;
        std::uint64_t              index = 0;
        {
          std::unique_lock<std::mutex> lock(mutex);
          changed.wait(lock, [&] {
            return stop || (at_end && carry.empty())
                   || n_read < n_consumed + window;
          });
          if (stop || (at_end && carry.empty()))
            break;
          if (spare.empty())
            chunk = make();
          else
            {
              chunk = std::move(spare.back());
              spare.pop_back();
            }
          bool got = false;
          try
            {
              got = read_chunk(*chunk);
            }
          catch (const std::exception &e)
            {
              chunk->read_error = e.what();
              chunk->size       = 0;
              at_end            = true;
              carry.clear();
              got = true;
            }
          if (!got)
            {
              spare.push_back(std::move(chunk));
              break;
            }
          index = n_read++;
        }
        if (chunk->read_error.empty())
          {
            try
              {
                chunk->parse();
              }
            catch (...)
              {
                chunk->parse_error = std::current_exception();
              }
          }
        {
          std::lock_guard<std::mutex> lock(mutex);
          done[index] = std::move(chunk);
        }
        changed.notify_all();
      }
    {
      std::lock_guard<std::mutex> lock(mutex);
      --n_running;
    }
    changed.notify_all();
  }

  TextChunk *
  ChunkedReader::next()
  {
    if (workers.empty())
      {
        if (!current)
          current = make();
        if (!read_chunk(*current))
          return nullptr;
        if (current->read_error.empty())
          current->parse();
        return current.get();
      }
    std::unique_lock<std::mutex> lock(mutex);
    if (current)
      {
        spare.push_back(std::move(current));
        ++n_consumed;
        changed.notify_all();
      }
    changed.wait(lock, [&] {
      return done.count(n_consumed) > 0
             || (n_running == 0 && n_consumed == n_read);
    });
    const auto it = done.find(n_consumed);
    if (it == done.end())
      return nullptr;
    current = std::move(it->second);
    done.erase(it);
    if (current->parse_error)
      std::rethrow_exception(current->parse_error);
    return current.get();
  }
} // namespace scalebridge::atomistic
