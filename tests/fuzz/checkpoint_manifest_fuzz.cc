// libFuzzer target: the manifest.json of a checkpoint folder as a restart
// reads it (io::verify_checkpoint, which runs before any state file is
// deserialized). The folder holds the fuzz input as manifest.json next to
// two small state files, so that mutations of a seed naming them reach the
// size and hash comparison. Any input must pass or give an InputError.

#include <scalebridge/base/input_error.h>
#include <scalebridge/io/checkpoint_folder.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace scalebridge;
  static const std::filesystem::path folder = [] {
    const auto f
      = std::filesystem::temp_directory_path()
        / ("scalebridge_fuzz_checkpoint_" + std::to_string(::getpid()));
    std::filesystem::create_directories(f);
    std::ofstream(f / "state.bin", std::ios::binary) << "state";
    std::ofstream(f / "parameters.json", std::ios::binary) << "{}\n";
    return f;
  }();
  {
    std::ofstream out(folder / "manifest.json",
                      std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data),
              static_cast<std::streamsize>(size));
  }
  try
    {
      io::verify_checkpoint(folder);
    }
  catch (const InputError &)
    {
    }
  return 0;
}
