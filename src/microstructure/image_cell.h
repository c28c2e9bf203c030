#ifndef scalebridge_microstructure_image_cell_h
#define scalebridge_microstructure_image_cell_h

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>

#include <array>
#include <cmath>
#include <optional>
#include <string>

namespace scalebridge::microstructure::internal
{
  /**
   * The empty voxel field of an image of @p n voxels read from @p file: checks
   * the counts against @p dimension (2D images must be one slice) and picks
   * the cell size (options.size, else n times @p voxel_size, else the unit
   * cell).
   */
  inline Microstructure
  image_cell(const std::string                          &file,
             const std::array<unsigned, 3>              &n,
             const unsigned int                          dimension,
             const std::optional<std::array<double, 3>> &voxel_size,
             const ImageOptions                         &options)
  {
    for (unsigned d = 0; d < 3; ++d)
      if (n[d] == 0)
        throw InputError(file, "", "the image has no voxels");
      else if (n[d] > 4096)
        throw InputError(file,
                         "",
                         "the image is " + std::to_string(n[d])
                           + " voxels long in one direction; at most 4096");
    if (dimension == 2 && n[2] != 1)
      throw InputError(file,
                       "",
                       "a 2D cell needs an image one slice thick, this one "
                       "has "
                         + std::to_string(n[2]) + " slices");
    std::array<double, 3> size{{1., 1., 1.}};
    if (options.size)
      size = *options.size;
    else if (voxel_size)
      for (unsigned d = 0; d < 3; ++d)
        {
          if (!((*voxel_size)[d] > 0.) || !std::isfinite((*voxel_size)[d]))
            throw InputError(file,
                             "",
                             "the voxel size it states is not a positive "
                             "number; give Microstructure/Physical size");
          size[d] = (*voxel_size)[d] * n[d];
        }
    if (dimension == 2)
      size[2] = 1.;
    return Microstructure(dimension, n, size);
  }
} // namespace scalebridge::microstructure::internal

#endif
