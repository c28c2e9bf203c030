#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/image_formats.h>

#include <tiffio.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <sstream>
#include <vector>

#include "image_cell.h"

namespace scalebridge::microstructure
{
  namespace
  {
    /// libtiff's last error text; its handlers would print to stderr.
    thread_local std::string tiff_error;

    void
    remember_error(const char *, const char *format, va_list arguments)
    {
      char buffer[512];
      std::vsnprintf(buffer, sizeof(buffer), format, arguments);
      tiff_error = buffer;
    }

    void
    ignore_warning(const char *, const char *, va_list)
    {
    }

    /// Silences libtiff's stderr output while alive and restores it after.
    class QuietTiff
    {
    public:
      QuietTiff()
        : error(TIFFSetErrorHandler(remember_error))
        , warning(TIFFSetWarningHandler(ignore_warning))
      {
        tiff_error.clear();
      }
      ~QuietTiff()
      {
        TIFFSetErrorHandler(error);
        TIFFSetWarningHandler(warning);
      }

    private:
      TIFFErrorHandler error;
      TIFFErrorHandler warning;
    };

    struct TiffCloser
    {
      void
      operator()(TIFF *tif) const
      {
        TIFFClose(tif);
      }
    };
    using TiffFile = std::unique_ptr<TIFF, TiffCloser>;

    [[noreturn]] void
    fail(const std::string &file, const std::string &reason)
    {
      throw InputError(file,
                       "",
                       "TIFF: " + reason
                         + (tiff_error.empty() ? "" : " (" + tiff_error + ")"));
    }

    TiffFile
    open(const std::filesystem::path &path)
    {
      if (!std::filesystem::is_regular_file(path))
        fail(path.string(), "cannot open the file (does it exist?)");
      TiffFile tif(TIFFOpen(path.c_str(), "r"));
      if (!tif)
        fail(path.string(), "not a readable TIFF file");
      return tif;
    }

    /// Width, height and bits of the current page; refuses what we cannot use.
    struct Page
    {
      std::uint32_t width  = 0;
      std::uint32_t height = 0;
      std::uint16_t bits   = 0;
    };

    Page
    page_layout(TIFF *tif, const std::string &file, const unsigned page)
    {
      Page          p;
      std::uint16_t samples = 1, format = SAMPLEFORMAT_UINT;
      if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &p.width)
          || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &p.height))
        fail(file, "page " + std::to_string(page) + " has no size");
      TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &p.bits);
      TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
      TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
      if (samples != 1)
        fail(file,
             "page " + std::to_string(page) + " has " + std::to_string(samples)
               + " samples per pixel; a segmented image has one (grey)");
      if ((p.bits != 8 && p.bits != 16) || format != SAMPLEFORMAT_UINT)
        fail(file,
             "page " + std::to_string(page) + " has " + std::to_string(p.bits)
               + "-bit samples of format " + std::to_string(format)
               + "; allowed: 8- or 16-bit unsigned integers");
      return p;
    }

    /// Grey values of the current page, row by row (x fastest).
    void
    read_page(TIFF                       *tif,
              const Page                 &p,
              const std::string          &file,
              const unsigned              page,
              std::vector<std::uint64_t> &grey)
    {
      grey.assign(std::size_t(p.width) * p.height, 0);
      const auto store = [&](const unsigned char *bytes,
                             const std::size_t    row,
                             const std::size_t    column,
                             const std::size_t    count) {
        for (std::size_t c = 0; c < count; ++c)
          grey[row * p.width + column + c]
            = p.bits == 8 ? bytes[c]
                          : reinterpret_cast<const std::uint16_t *>(bytes)[c];
      };
      const std::string where = "page " + std::to_string(page) + " is damaged";
      if (TIFFIsTiled(tif))
        {
          std::uint32_t tw = 0, th = 0;
          TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
          TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
          if (tw == 0 || th == 0)
            fail(file, where);
          std::vector<unsigned char> tile(TIFFTileSize(tif));
          for (std::uint32_t y = 0; y < p.height; y += th)
            for (std::uint32_t x = 0; x < p.width; x += tw)
              {
                if (TIFFReadTile(tif, tile.data(), x, y, 0, 0) < 0)
                  fail(file, where);
                const std::size_t bytes = p.bits / 8;
                for (std::uint32_t r = 0; r < th && y + r < p.height; ++r)
                  store(tile.data() + std::size_t(r) * tw * bytes,
                        y + r,
                        x,
                        std::min<std::uint32_t>(tw, p.width - x));
              }
        }
      else
        {
          std::vector<unsigned char> line(TIFFScanlineSize(tif));
          for (std::uint32_t y = 0; y < p.height; ++y)
            {
              if (TIFFReadScanline(tif, line.data(), y, 0) < 0)
                fail(file, where);
              store(line.data(), y, 0, p.width);
            }
        }
    }

    /// Voxel size the first page states, if any.
    std::optional<std::array<double, 3>>
    voxel_size(TIFF *tif)
    {
      float         xr = 0.f, yr = 0.f;
      std::uint16_t unit           = RESUNIT_NONE;
      const bool    has_resolution = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xr)
                                  && TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yr)
                                  && xr > 0.f && yr > 0.f;
      TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);

      // ImageJ: "ImageJ=...\nunit=micron\nspacing=0.5\n", resolution per unit.
      char *description = nullptr;
      if (TIFFGetField(tif, TIFFTAG_IMAGEDESCRIPTION, &description)
          && description != nullptr
          && std::string(description).rfind("ImageJ=", 0) == 0
          && has_resolution)
        {
          std::istringstream lines(description);
          std::string        line, unit_name;
          double             spacing = 0.;
          while (std::getline(lines, line))
            if (line.rfind("unit=", 0) == 0)
              unit_name = line.substr(5);
            else if (line.rfind("spacing=", 0) == 0)
              spacing = std::atof(line.c_str() + 8);
          const double metre = unit_name == "micron" || unit_name == "um"
                                   || unit_name == "\\u00B5m"
                                 ? 1e-6
                               : unit_name == "nm" ? 1e-9
                               : unit_name == "mm" ? 1e-3
                               : unit_name == "cm" ? 1e-2
                               : unit_name == "m"  ? 1.
                                                   : 0.;
          if (metre > 0.)
            {
              const double dx = metre / xr;
              return std::array<double, 3>{
                {dx, metre / yr, spacing > 0. ? spacing * metre : dx}};
            }
        }
      if (has_resolution
          && (unit == RESUNIT_INCH || unit == RESUNIT_CENTIMETER))
        {
          const double metre = unit == RESUNIT_INCH ? 0.0254 : 0.01;
          const double dx    = metre / xr;
          return std::array<double, 3>{{dx, metre / yr, dx}};
        }
      return std::nullopt;
    }

    /// The TIFF slices of a folder in name order.
    std::vector<std::filesystem::path>
    slices_of(const std::filesystem::path &folder)
    {
      std::vector<std::filesystem::path> slices;
      for (const auto &entry : std::filesystem::directory_iterator(folder))
        {
          std::string extension = entry.path().extension().string();
          for (char &c : extension)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (entry.is_regular_file()
              && (extension == ".tif" || extension == ".tiff"))
            slices.push_back(entry.path());
        }
      std::sort(slices.begin(), slices.end());
      if (slices.empty())
        throw InputError(folder.string(),
                         "",
                         "TIFF: the folder holds no .tif or .tiff slices");
      return slices;
    }
  } // namespace

  Microstructure
  read_tiff(const std::filesystem::path &path,
            const unsigned int           dimension,
            const ImageOptions          &options)
  {
    const QuietTiff quiet;
    const bool      folder = std::filesystem::is_directory(path);
    const std::vector<std::filesystem::path> files
      = folder ? slices_of(path) : std::vector<std::filesystem::path>{path};

    // Counts and voxel size from the first page, then every slice in turn.
    std::array<unsigned, 3>    n{{0, 0, 0}};
    Microstructure             cell;
    std::vector<std::uint64_t> grey;
    Page                       first;
    unsigned                   z = 0;
    for (const auto &file : files)
      {
        TiffFile       tif   = open(file);
        const unsigned pages = TIFFNumberOfDirectories(tif.get());
        if (folder && pages != 1)
          fail(file.string(),
               "a slice of a folder must have one page, this one has "
                 + std::to_string(pages));
        if (z == 0)
          {
            first = page_layout(tif.get(), file.string(), 0);
            n     = {{first.width,
                      first.height,
                  folder ? unsigned(files.size()) : pages}};
            cell  = internal::image_cell(
              path.string(), n, dimension, voxel_size(tif.get()), options);
          }
        for (unsigned page = 0; page < pages; ++page, ++z)
          {
            if (!TIFFSetDirectory(tif.get(), page))
              fail(file.string(),
                   "page " + std::to_string(page) + " cannot be read");
            const Page p = page_layout(tif.get(), file.string(), page);
            if (p.width != first.width || p.height != first.height)
              fail(file.string(),
                   "page " + std::to_string(page) + " is "
                     + std::to_string(p.width) + " x "
                     + std::to_string(p.height) + ", the first is "
                     + std::to_string(first.width) + " x "
                     + std::to_string(first.height));
            read_page(tif.get(), p, file.string(), page, grey);
            options.phase_map.apply(grey,
                                    std::size_t(z) * n[0] * n[1],
                                    n,
                                    file.string(),
                                    cell.data());
          }
      }
    return cell;
  }
} // namespace scalebridge::microstructure
