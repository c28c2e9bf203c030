#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/rve/memory_estimate.h>

#include <fstream>
#include <sstream>

namespace scalebridge::rve
{
  double
  estimated_memory_bytes(const unsigned int             dim,
                         const unsigned int             degree,
                         const unsigned int             refinements_per_voxel,
                         const std::array<unsigned, 3> &voxels)
  {
    const double per_cell = dim == 3 ? (degree == 1 ? 2600. : 14600.)
                                     : (degree == 1 ? 1800. : 4900.);
    double       cells    = 1;
    for (unsigned d = 0; d < dim; ++d)
      cells *= double(voxels[d]) * double(1u << refinements_per_voxel);
    return cells * per_cell;
  }

  double
  physical_memory_bytes()
  {
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);)
      if (line.rfind("MemTotal:", 0) == 0)
        {
          std::istringstream words(line.substr(9));
          double             kb = 0;
          if (words >> kb)
            return kb * 1024.;
        }
    return 0;
  }

  void
  check_memory(const unsigned int             dim,
               const unsigned int             degree,
               const unsigned int             refinements_per_voxel,
               const std::array<unsigned, 3> &voxels,
               const std::string             &source,
               const std::string             &entry)
  {
    const double need
      = estimated_memory_bytes(dim, degree, refinements_per_voxel, voxels);
    const double have = physical_memory_bytes();
    if (have > 0 && need > have)
      {
        std::string size = std::to_string(voxels[0]);
        for (unsigned d = 1; d < dim; ++d)
          size += " x " + std::to_string(voxels[d]);
        throw InputError(source,
                         entry,
                         size + " voxels (element degree "
                           + std::to_string(degree) + ", "
                           + std::to_string(refinements_per_voxel)
                           + " refinements per voxel) need about "
                           + format_number(need / 1e9, 3)
                           + " GB, more than the "
                           + format_number(have / 1e9, 3)
                           + " GB of this machine (MemTotal in "
                             "/proc/meminfo); use fewer voxels");
      }
  }
} // namespace scalebridge::rve
