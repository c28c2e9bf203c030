#ifndef scalebridge_atomistic_atomistic_report_h
#define scalebridge_atomistic_atomistic_report_h

#include <scalebridge/atomistic/atomistic_parameters.h>
#include <scalebridge/io/csv_table.h>
#include <scalebridge/io/plot.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// A plot of one of the report's tables.
  struct ReportPlot
  {
    std::string  png;
    std::string  csv;
    io::PlotSpec spec; // spec.csv is set when written
  };

  /**
   * Everything scalebridge-atomistic writes, computed before anything is
   * written (bad input anywhere leaves no file behind).
   */
  struct AtomisticReport
  {
    /// Contents of atomistic.json.
    nlohmann::json results;
    /// Contents of card.json (validated as a material card), if any result
    /// fits into a card.
    std::optional<nlohmann::json> card;
    /// CSV tables by file name.
    std::vector<std::pair<std::string, io::CsvTable>> tables;
    std::vector<ReportPlot>                           plots;
  };

  /**
   * Runs every analysis whose input is given in @p parameters (read from
   * @p source, named in errors), builds atomistic.json, the card (merged
   * into the base card, its uncertainty block extended by the covariance of
   * the new entries, entries it replaces dropped from it) and the tables
   * and plots. One-line progress goes to @p log. Throws InputError for bad
   * input.
   */
  AtomisticReport
  run_atomistic_analysis(const AtomisticParameters &parameters,
                         const std::string         &source,
                         std::ostream              &log);

  /// Writes the report into Output/Directory, each file atomically; PNGs
  /// only with Output/Plots and gnuplot.
  void
  write_atomistic_report(const AtomisticReport     &report,
                         const AtomisticParameters &parameters);
} // namespace scalebridge::atomistic

#endif
