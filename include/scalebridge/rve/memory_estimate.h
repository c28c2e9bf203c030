#ifndef scalebridge_rve_memory_estimate_h
#define scalebridge_rve_memory_estimate_h

#include <array>
#include <cstdint>
#include <string>

namespace scalebridge::rve
{
  /**
   * Peak memory of a whole scalebridge-rve run, summed over the ranks
   * (the data are distributed), for @p voxels voxels per direction split
   * into 2^(dim r) cells each: cells times the bytes per cell measured with
   * scalebridge-rve-benchmark and scalebridge-rve (VmHWM, differences of
   * two sizes, so that the start-up cost drops out): 3D Q1 2600, Q2 14600;
   * 2D Q1 1800, Q2 4900.
   */
  double
  estimated_memory_bytes(unsigned int                   dim,
                         unsigned int                   degree,
                         unsigned int                   refinements_per_voxel,
                         const std::array<unsigned, 3> &voxels);

  /// MemTotal of /proc/meminfo in bytes; 0 where it cannot be read.
  double
  physical_memory_bytes();

  /**
   * Throws InputError(@p source, @p entry) when estimated_memory_bytes()
   * exceeds physical_memory_bytes(), naming both sizes: a run that would
   * only end by exhausting the machine is refused before anything is
   * allocated.
   */
  void
  check_memory(unsigned int                   dim,
               unsigned int                   degree,
               unsigned int                   refinements_per_voxel,
               const std::array<unsigned, 3> &voxels,
               const std::string             &source,
               const std::string             &entry);
} // namespace scalebridge::rve

#endif
