// libFuzzer target: the voxel image readers of the microstructure module
// (raw, legacy VTK, TIFF, HDF5, VTK XML ImageData). Any input must give a
// microstructure or an InputError.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>
#include <scalebridge/microstructure/image_io.h>

#include "fuzz_input_file.h"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace scalebridge;
  const auto vtk = fuzz::input_file(data, size, ".vtk");
  for (const unsigned int dimension : {2u, 3u})
    try
      {
        microstructure::read_vtk(vtk, dimension);
      }
    catch (const InputError &)
      {
      }
  const auto tiff            = fuzz::input_file(data, size, ".tif");
  const auto h5              = fuzz::input_file(data, size, ".h5");
  const auto vti             = fuzz::input_file(data, size, ".vti");
  const auto refused_or_read = [](const auto &read) {
    try
      {
        read();
      }
    catch (const InputError &)
      {
      }
  };
  for (const unsigned int dimension : {2u, 3u})
    {
      refused_or_read([&] { microstructure::read_tiff(tiff, dimension); });
      // The dataset of the shipped sample (a seed), so that mutations of
      // it reach the reading of the voxels.
      refused_or_read(
        [&] { microstructure::read_hdf5(h5, "/exchange/data", dimension); });
      refused_or_read([&] { microstructure::read_vti(vti, dimension); });
    }
  // Raw: the first bytes choose the grid, the rest are the voxels.
  if (size >= 3)
    {
      const auto raw = fuzz::input_file(data + 3, size - 3, ".raw");
      const std::array<unsigned, 3> n{
        {1u + data[0] % 16u, 1u + data[1] % 16u, 1u + data[2] % 16u}};
      try
        {
          microstructure::read_raw(raw, 2 + data[0] % 2, n);
        }
      catch (const InputError &)
        {
        }
    }
  return 0;
}
