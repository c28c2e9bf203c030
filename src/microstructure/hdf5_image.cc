#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>

#include <hdf5.h>

#include <cstdint>
#include <vector>

#include "image_cell.h"

namespace scalebridge::microstructure
{
  namespace
  {
    /// One HDF5 handle, closed with its own close function.
    class Handle
    {
    public:
      Handle(const hid_t id, herr_t (*close)(hid_t))
        : id(id)
        , close(close)
      {
      }
      Handle(const Handle &) = delete;
      Handle &
      operator=(const Handle &)
        = delete;
      ~Handle()
      {
        if (id >= 0)
          close(id);
      }
      operator hid_t() const
      {
        return id;
      }
      bool
      valid() const
      {
        return id >= 0;
      }

    private:
      hid_t id;
      herr_t (*close)(hid_t);
    };

    /// Turns off HDF5's printing of its error stack while alive.
    class QuietHdf5
    {
    public:
      QuietHdf5()
      {
        H5Eget_auto2(H5E_DEFAULT, &function, &data);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
      }
      ~QuietHdf5()
      {
        H5Eset_auto2(H5E_DEFAULT, function, data);
      }

    private:
      H5E_auto2_t function = nullptr;
      void       *data     = nullptr;
    };

    /// element_size_um (z, y, x in micrometres) of the dataset, if any.
    std::optional<std::array<double, 3>>
    element_size(const hid_t dataset, const unsigned rank)
    {
      if (H5Aexists(dataset, "element_size_um") <= 0)
        return std::nullopt;
      const Handle attribute(H5Aopen(dataset, "element_size_um", H5P_DEFAULT),
                             H5Aclose);
      const Handle space(H5Aget_space(attribute), H5Sclose);
      if (!attribute.valid() || !space.valid()
          || H5Sget_simple_extent_npoints(space) != rank)
        return std::nullopt;
      std::vector<double> zyx(rank);
      if (H5Aread(attribute, H5T_NATIVE_DOUBLE, zyx.data()) < 0)
        return std::nullopt;
      std::array<double, 3> size{{1., 1., 1.}};
      for (unsigned d = 0; d < rank; ++d)
        size[d] = 1e-6 * zyx[rank - 1 - d];
      if (rank == 2)
        size[2] = size[0];
      return size;
    }
  } // namespace

  Microstructure
  read_hdf5(const std::filesystem::path &file,
            const std::string           &dataset_path,
            const unsigned int           dimension,
            const ImageOptions          &options)
  {
    const std::string name = file.string();
    const auto        fail = [&](const std::string &reason) {
      throw InputError(name, "", "HDF5: " + reason);
    };
    if (!std::filesystem::is_regular_file(file))
      fail("cannot open the file (does it exist?)");
    const QuietHdf5 quiet;
    if (H5Fis_hdf5(name.c_str()) <= 0)
      fail("not an HDF5 file");
    const Handle h5(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                    H5Fclose);
    if (!h5.valid())
      fail("cannot open the file");
    if (dataset_path.empty()
        || H5Lexists(h5, dataset_path.c_str(), H5P_DEFAULT) <= 0)
      throw InputError(name,
                       "Microstructure/Dataset",
                       "HDF5: the file has no dataset '" + dataset_path + "'");
    const Handle dataset(H5Dopen2(h5, dataset_path.c_str(), H5P_DEFAULT),
                         H5Dclose);
    if (!dataset.valid())
      throw InputError(name,
                       "Microstructure/Dataset",
                       "HDF5: '" + dataset_path + "' is not a dataset");
    const Handle type(H5Dget_type(dataset), H5Tclose);
    if (H5Tget_class(type) != H5T_INTEGER)
      fail("dataset '" + dataset_path
           + "' does not hold integers; a segmented image holds integer "
             "labels");
    const Handle space(H5Dget_space(dataset), H5Sclose);
    const int    rank = H5Sget_simple_extent_ndims(space);
    if (rank != 2 && rank != 3)
      fail("dataset '" + dataset_path + "' has " + std::to_string(rank)
           + " dimensions; allowed: (n_z, n_y, n_x) or, in 2D, (n_y, n_x)");
    hsize_t dims[3] = {1, 1, 1};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::array<unsigned, 3> n{{1, 1, 1}};
    for (int d = 0; d < rank; ++d)
      {
        if (dims[d] > 65536)
          fail("dataset '" + dataset_path + "' is " + std::to_string(dims[d])
               + " voxels long in one direction; at most 65536");
        n[d] = static_cast<unsigned>(dims[rank - 1 - d]);
      }
    Microstructure cell = internal::image_cell(
      name, n, dimension, element_size(dataset, rank), options);

    // One z slice at a time: a hyperslab of the file space into signed 64-bit
    // integers (HDF5 converts every integer type; a negative label stays
    // negative and is refused instead of being clipped to 0).
    const hsize_t              slice = hsize_t(n[0]) * n[1];
    std::vector<std::int64_t>  labels(slice);
    std::vector<std::uint64_t> grey(slice);
    hsize_t                    count[3] = {1, n[1], n[0]};
    if (rank == 2)
      count[0] = n[1], count[1] = n[0];
    const Handle memory(H5Screate_simple(1, &slice, nullptr), H5Sclose);
    for (unsigned z = 0; z < n[2]; ++z)
      {
        hsize_t start[3] = {z, 0, 0};
        if (H5Sselect_hyperslab(
              space, H5S_SELECT_SET, start, nullptr, count, nullptr)
              < 0
            || H5Dread(dataset,
                       H5T_NATIVE_INT64,
                       memory,
                       space,
                       H5P_DEFAULT,
                       labels.data())
                 < 0)
          fail("slice z = " + std::to_string(z) + " of '" + dataset_path
               + "' cannot be read (truncated or damaged file)");
        for (hsize_t v = 0; v < slice; ++v)
          {
            if (labels[v] < 0)
              fail("negative label " + std::to_string(labels[v])
                   + " in slice z = " + std::to_string(z) + " of '"
                   + dataset_path + "'; labels are grey values >= 0");
            grey[v] = static_cast<std::uint64_t>(labels[v]);
          }
        options.phase_map.apply(grey, z * slice, n, name, cell.data());
      }
    return cell;
  }
} // namespace scalebridge::microstructure
