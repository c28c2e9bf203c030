#ifndef scalebridge_microstructure_image_formats_h
#define scalebridge_microstructure_image_formats_h

#include <scalebridge/microstructure/microstructure.h>
#include <scalebridge/microstructure/phase_map.h>

#include <array>
#include <filesystem>
#include <optional>
#include <string>

/**
 * Readers of the formats segmented tomographies come in: TIFF (multi-page or
 * a folder of slices), HDF5 datasets and VTK XML ImageData. Each maps grey
 * values to phase ids through a PhaseMap and refuses a broken file with an
 * InputError naming the file (truncated data, wrong dimensions, a grey value
 * the map does not know). In 2D the image must be one slice thick.
 */
namespace scalebridge::microstructure
{
  /// What every image reader needs besides the file.
  struct ImageOptions
  {
    /// Grey values to phase ids (identity by default).
    PhaseMap phase_map;
    /**
     * Edge lengths of the cell (Microstructure/Physical size). When absent:
     * voxel count times the voxel size the file states, or the unit cell
     * when it states none. A given size wins over the file's, since many
     * TIFF writers store a meaningless default resolution (72 dpi).
     */
    std::optional<std::array<double, 3>> size;
  };

  /**
   * A multi-page TIFF (one page per z slice) or a folder of single-page
   * TIFF slices read in name order (*.tif, *.tiff, any case). Pages are
   * 8- or 16-bit unsigned grey, one sample per pixel, in strips or tiles;
   * all of one width and height. Voxel size: the ImageJ description
   * (`unit=` and `spacing=` for z, 1/XResolution for x, y) or XResolution /
   * YResolution in inch or cm (z spacing = x spacing).
   */
  Microstructure
  read_tiff(const std::filesystem::path &path,
            unsigned int                 dimension,
            const ImageOptions          &options = {});

  /**
   * An integer dataset @p dataset (e.g. "/exchange/data") of an HDF5 file,
   * shape (n_z, n_y, n_x) in 3D or (n_y, n_x) in 2D, x varying fastest (C
   * order, as h5py and most tomography pipelines write it). Read one z slice
   * at a time, so memory beyond the phase ids stays one slice. Voxel size
   * from a dataset attribute `element_size_um` (z, y, x in micrometres, the
   * ImageJ/ilastik convention) when present.
   */
  Microstructure
  read_hdf5(const std::filesystem::path &file,
            const std::string           &dataset,
            unsigned int                 dimension,
            const ImageOptions          &options = {});

  /**
   * VTK XML ImageData (.vti): the first DataArray of the CellData (voxels
   * are the cells, WholeExtent counts points) or else of the PointData (one
   * voxel per point), one component, any integer type or float/double with
   * integer values; ascii, binary (base64) or appended (raw or base64) data,
   * uncompressed or vtkZLibDataCompressor, UInt32 or UInt64 headers, either
   * byte order. Voxel size from Spacing.
   */
  Microstructure
  read_vti(const std::filesystem::path &file,
           unsigned int                 dimension,
           const ImageOptions          &options = {});
} // namespace scalebridge::microstructure

#endif
