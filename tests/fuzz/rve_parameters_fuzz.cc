// libFuzzer target: parameter files through deal.II's ParameterHandler with
// the declarations of scalebridge-rve. Any input must be read or refused
// with an exception; a crash or a hang is a finding.

#include <deal.II/base/parameter_handler.h>

#include <scalebridge/rve/parameters.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  // deal.II reports a bad file with an exception, in Release builds too.
  dealii::deal_II_exceptions::disable_abort_on_exception();
  scalebridge::rve::RveParameters parameters;
  dealii::ParameterHandler        prm;
  parameters.add_parameters(prm);
  try
    {
      prm.parse_input_from_string(
        std::string(reinterpret_cast<const char *>(data), size), "fuzz.prm");
    }
  catch (const std::exception &)
    {
    }
  return 0;
}
