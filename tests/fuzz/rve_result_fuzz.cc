// libFuzzer target: effective_tensors.json of scalebridge-rve as the
// electrode reads it (Effective transport/Strategy = rve). Any input must
// give tensors or an InputError.

#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/effective_properties.h>

#include "fuzz_input_file.h"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace scalebridge;
  const auto path = fuzz::input_file(data, size, ".json");
  for (const char *block : {"periodic", "kubc"})
    for (const char *direction : {"x", "z"})
      try
        {
          macro::EffectiveTransportParameters p;
          p.strategy            = "rve";
          p.rve_file            = path.string();
          p.rve_block           = block;
          p.thickness_direction = direction;
          macro::create_transport_efficiency(p, 0.3, true, "fuzz.prm", "Pos")
            ->tensors();
        }
      catch (const InputError &)
        {
        }
  return 0;
}
