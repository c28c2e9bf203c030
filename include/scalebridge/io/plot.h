#ifndef scalebridge_io_plot_h
#define scalebridge_io_plot_h

#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::io
{
  /// One curve of a line plot: a column of a CSV file against another.
  struct PlotCurve
  {
    std::string x_column;
    std::string y_column;
    std::string legend;
  };

  /// A line plot of columns of a CSV file written by CsvTable.
  struct PlotSpec
  {
    std::filesystem::path  csv;
    std::string            title;
    std::string            x_label;
    std::string            y_label;
    std::vector<PlotCurve> curves;
  };

  /// Whether gnuplot can be called on this machine.
  bool
  gnuplot_available();

  /**
   * Renders @p spec to a PNG with gnuplot. Plots are a convenience: when
   * gnuplot is not installed or fails, nothing is written and false is
   * returned; the run itself does not fail.
   */
  bool
  plot_png(const std::filesystem::path &png, const PlotSpec &spec);
} // namespace scalebridge::io

#endif
