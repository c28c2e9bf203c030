#ifndef scalebridge_microstructure_image_io_h
#define scalebridge_microstructure_image_io_h

#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <filesystem>

/**
 * Voxel images on disk: raw uint8 files and legacy VTK STRUCTURED_POINTS,
 * so that a segmented tomography image can be used as an RVE. All readers
 * throw InputError with the file as source for anything they cannot use
 * (missing file, wrong size, bad header, values that are not phase ids).
 */
namespace scalebridge::microstructure
{
  /**
   * Reads a headerless file of n_x n_y n_z bytes, one uint8 phase id per
   * voxel, x varying fastest, then y, then z (n_z = 1 in 2D). A file of any
   * other size is rejected with the expected and the actual byte counts.
   */
  Microstructure
  read_raw(const std::filesystem::path   &file,
           unsigned int                   dimension,
           const std::array<unsigned, 3> &n_voxels,
           const std::array<double, 3>   &size = {{1., 1., 1.}});

  /// Writes the ids in the layout read_raw() expects, atomically.
  void
  write_raw(const Microstructure        &microstructure,
            const std::filesystem::path &file);

  /**
   * Reads a legacy VTK file with DATASET STRUCTURED_POINTS, ASCII or BINARY
   * (binary data is big-endian, as the format prescribes). The phase ids are
   * the first SCALARS array (one component) of the file; its type may be
   * bit-free integer or floating point (unsigned_char, char, signed_char,
   * unsigned_short, short, unsigned_int, int, unsigned_long, long,
   * vtktypeuint64, vtktypeint64, float, double; binary long is 8 bytes, as
   * VTK reads it on 64-bit Linux), but every value must be an integer in
   * [0, 255]. Keywords are case-insensitive; VECTORS, NORMALS, TENSORS,
   * TEXTURE_COORDINATES and FIELD arrays before the scalars are skipped.
   *
   * Points versus cells: DIMENSIONS counts points.
   * - CELL_DATA: the voxels are the cells between the points, max(n_d - 1, 1)
   *   per direction; the cell spans (n_d - 1) SPACING_d (SPACING_d if
   *   n_d = 1). This is what write_vtk() writes.
   * - POINT_DATA: every point is the centre of one voxel of edge SPACING, as
   *   image stacks are usually stored; n_d voxels per direction and the cell
   *   spans n_d SPACING_d.
   * ORIGIN only places the cell in space and is not needed for a periodic
   * cell. For @p dimension 2 the image must be one voxel thick in z; for 3 a
   * one-voxel-thick image is an extruded 3D cell.
   */
  Microstructure
  read_vtk(const std::filesystem::path &file, unsigned int dimension);

  /// Encoding of the data section of a legacy VTK file.
  enum class VtkEncoding
  {
    ascii,
    binary
  };

  /**
   * Writes a legacy VTK STRUCTURED_POINTS file atomically, with the voxels as
   * cells (CELL_DATA SCALARS "phase" unsigned_char), so that ParaView shows
   * them as blocks and read_vtk() returns the same field and size.
   */
  void
  write_vtk(const Microstructure        &microstructure,
            const std::filesystem::path &file,
            VtkEncoding                  encoding = VtkEncoding::binary);
} // namespace scalebridge::microstructure

#endif
