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
    /// If not empty: the column of the y error, and the curve is drawn as
    /// points with error bars instead of a line.
    std::string error_column = "";
    /// How the curve is drawn: a line (points with error bars if
    /// error_column is set), a filled band between y_column and
    /// upper_column, or bars of width bar_width (with error bars if
    /// error_column is set).
    enum class Style
    {
      line,
      band,
      bars
    };
    Style       style        = Style::line;
    std::string upper_column = "";
    double      bar_width    = 0.4;
  };

  /// A tic of a categorical axis: position and (inert) label.
  struct PlotTic
  {
    double      position;
    std::string label;
  };

  /// A line plot of columns of a CSV file written by CsvTable.
  struct PlotSpec
  {
    std::filesystem::path  csv;
    std::string            title;
    std::string            x_label;
    std::string            y_label;
    std::vector<PlotCurve> curves;
    /// Categorical x tics instead of numbers (e.g. factor names).
    std::vector<PlotTic> x_tics = {};
    /// The y range when lower < upper; automatic otherwise.
    double y_lower = 0, y_upper = 0;
  };

  /// Whether an executable gnuplot is in one of the absolute directories of
  /// PATH (looked up here, not through a shell).
  bool
  gnuplot_available();

  /**
   * Renders @p spec to a PNG with gnuplot. Plots are a convenience: when
   * gnuplot is not installed or fails, nothing is written and false is
   * returned; the run itself does not fail.
   *
   * Title, labels, legends and paths may come from someone else's card or
   * parameter file, so nothing of them can execute: gnuplot is started
   * without a shell, the strings go into the script single-quoted (no
   * back-quote or escape processing) with control characters replaced by
   * spaces, the data are embedded as datablocks of numbers (fields that are
   * not numbers become NaN) instead of naming @p spec.csv, and the image is
   * drawn into a temporary file of its own and then copied to @p png
   * atomically. No temporary files are left behind.
   */
  bool
  plot_png(const std::filesystem::path &png, const PlotSpec &spec);
} // namespace scalebridge::io

#endif
