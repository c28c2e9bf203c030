// libFuzzer target: material cards. Any input must give a card or an
// InputError; a crash, a hang or another exception is a finding.

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/input_error.h>

#include "fuzz_input_file.h"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  const auto path = scalebridge::fuzz::input_file(data, size, ".json");
  try
    {
      scalebridge::atomistic::read_material_card(path);
    }
  catch (const scalebridge::InputError &)
    {
    }
  return 0;
}
