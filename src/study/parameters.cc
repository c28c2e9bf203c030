#include <deal.II/base/patterns.h>
#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/study/parameters.h>

#include <filesystem>
#include <set>

namespace scalebridge::study
{
  namespace
  {
    std::vector<std::string>
    split(const std::string &text, const char separator)
    {
      std::vector<std::string> parts;
      std::size_t              begin = 0;
      while (begin <= text.size())
        {
          auto end = text.find(separator, begin);
          if (end == std::string::npos)
            end = text.size();
          const auto part
            = dealii::Utilities::trim(text.substr(begin, end - begin));
          if (!part.empty())
            parts.push_back(part);
          begin = end + 1;
        }
      return parts;
    }

    void
    require_file(const std::string &file,
                 const std::string &source,
                 const std::string &entry)
    {
      if (file.empty())
        throw InputError(source, entry, "a parameter file is required");
      if (!std::filesystem::is_regular_file(file))
        throw InputError(source,
                         entry,
                         "'" + file
                           + "' is not a readable file (paths are relative "
                             "to the working directory)");
    }
  } // namespace

  std::vector<std::pair<std::string, std::string>>
  parse_overrides(const std::string &text,
                  const std::string &source,
                  const std::string &entry)
  {
    std::vector<std::pair<std::string, std::string>> result;
    for (const auto &part : split(text, ';'))
      {
        const auto eq = part.find('=');
        if (eq == std::string::npos
            || dealii::Utilities::trim(part.substr(0, eq)).empty())
          throw InputError(source,
                           entry,
                           "expected 'Subsection/Entry=value; ...', got '"
                             + part + "'");
        result.emplace_back(dealii::Utilities::trim(part.substr(0, eq)),
                            dealii::Utilities::trim(part.substr(eq + 1)));
      }
    return result;
  }

  void
  StudyParameters::add_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.enter_subsection("Study");
    prm.add_parameter("Type",
                      type,
                      "rve size: how the apparent tensors of an RVE depend on "
                      "its size; uncertainty: how uncertain a cell's voltage "
                      "curve, capacity and energy are.",
                      Patterns::Selection("rve size|uncertainty"));
    prm.add_parameter("Ranks per item",
                      ranks_per_item,
                      "MPI ranks that solve one item (an RVE or a cell run) "
                      "together; the ranks form groups of this size fed by "
                      "the FE2 scheduler's queue.",
                      Patterns::Integer(1, 4096));
    prm.add_parameter("Seed",
                      seed,
                      "Seed of every random choice of the study "
                      "(realizations, samples, bootstrap).",
                      Patterns::Integer(0, 1000000000));
    prm.add_parameter("Batch size",
                      batch_size,
                      "Items handed to the scheduler at once; finished items "
                      "are stored after each batch, so a stopped study loses "
                      "at most one batch. 0: 4 per group.",
                      Patterns::Integer(0, 100000));
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.add_parameter("Directory",
                      directory,
                      "study.json, CSV tables, plots and items/ (the finished "
                      "items a continued study reuses).",
                      Patterns::Anything());
    prm.add_parameter("Plot", plot, "PNG plots (gnuplot).", Patterns::Bool());
    prm.add_parameter("Deterministic output",
                      deterministic,
                      "Write timings as 0, so that study.json of runs on "
                      "different rank counts can be compared byte for byte.",
                      Patterns::Bool());
    prm.leave_subsection();

    prm.enter_subsection("RVE size");
    prm.add_parameter("RVE file",
                      rve_file,
                      "An scalebridge-rve parameter file. A generator is run "
                      "at every size with the voxel size of the file (the "
                      "edge grows with the voxel count) and the seeds Seed, "
                      "Seed + 1, ...; an image (raw file, vtk file) gives "
                      "sub-volumes at random offsets (overlap allowed).",
                      Patterns::Anything());
    prm.add_parameter("Overrides",
                      rve_overrides,
                      "Changes to the RVE file, 'Subsection/Entry=value; ...' "
                      "as with --set.",
                      Patterns::Anything());
    prm.add_parameter("Sizes",
                      sizes,
                      "Voxels per side of the cells, increasing.",
                      Patterns::List(Patterns::Integer(2, 512), 1, 64));
    prm.add_parameter("Realizations",
                      realizations,
                      "Realizations (seeds or sub-volumes) per size.",
                      Patterns::Integer(1, 10000));
    prm.add_parameter("Conditions",
                      conditions,
                      "Boundary conditions, any of periodic, kubc, tubc.",
                      Patterns::Anything());
    prm.add_parameter("Relative error",
                      relative_error,
                      "Relative error of the mean (95 %) for which the "
                      "required size is estimated.",
                      Patterns::Double(1e-6, 1));
    prm.add_parameter("Target realizations",
                      target_realizations,
                      "Realizations averaged in that estimate.",
                      Patterns::Integer(1, 100000));
    prm.leave_subsection();

    prm.enter_subsection("Uncertainty");
    prm.add_parameter("Cell file",
                      cell_file,
                      "An scalebridge-electrode parameter file (1D cells run "
                      "on one rank each).",
                      Patterns::Anything());
    prm.add_parameter(
      "Overrides",
      cell_overrides,
      "Changes to the cell file, 'Subsection/Entry=value; ...'.",
      Patterns::Anything());
    prm.add_parameter(
      "Cards",
      cards,
      "Entries of the cell file that name a material card, e.g. 'Positive "
      "electrode/Material card', separated by ';': the card's uncertainty "
      "block (names, covariance) becomes a correlated normal input.",
      Patterns::Anything());
    prm.add_parameter(
      "Parameters",
      parameters,
      "Further uncertain entries of the cell file, 'Subsection/Entry: "
      "normal(mean, sd)' (or lognormal(mean, sd), uniform(lower, upper)), "
      "separated by ';'. An entry written '*Subsection/Entry' keeps its "
      "expression and multiplies it by the sampled factor.",
      Patterns::Anything());
    prm.add_parameter("Samples",
                      samples,
                      "N of the Saltelli design: N (k + 2) cell runs for k "
                      "factors; the first N are the Monte Carlo sample.",
                      Patterns::Integer(4, 1000000));
    prm.add_parameter("Sampling",
                      sampling,
                      "How A and B are drawn.",
                      Patterns::Selection("latin hypercube|monte carlo"));
    prm.add_parameter("Bootstrap resamples",
                      bootstrap,
                      "Resamples of the Sobol confidence intervals (95 %).",
                      Patterns::Integer(0, 100000));
    prm.add_parameter("Finite-difference step",
                      step,
                      "Step of the derivatives of the delta method, in "
                      "standard deviations (uniform: sd of the uniform).",
                      Patterns::Double(1e-6, 10));
    prm.add_parameter("Voltage noise",
                      noise,
                      "Standard deviation [V] of a measured voltage sample, "
                      "for the identifiability table.",
                      Patterns::Double(1e-9, 10));
    prm.add_parameter("Time points",
                      time_points,
                      "Points of the common time grid of V(t).",
                      Patterns::Integer(2, 100000));
    prm.enter_subsection("Microstructure");
    prm.add_parameter("Region",
                      micro_region,
                      "Empty: no microstructure input; else the cell's "
                      "subsection (e.g. 'Positive electrode') whose "
                      "effective transport comes from RVE realizations "
                      "(strategy rve), the aleatoric input.",
                      Patterns::Anything());
    prm.add_parameter("RVE file",
                      micro_rve_file,
                      "The scalebridge-rve file of those realizations (seeds "
                      "Seed, Seed + 1, ...).",
                      Patterns::Anything());
    prm.add_parameter(
      "Overrides",
      micro_overrides,
      "Changes to that RVE file, 'Subsection/Entry=value; ...'.",
      Patterns::Anything());
    prm.add_parameter("Realizations",
                      micro_realizations,
                      "Number of realizations.",
                      Patterns::Integer(1, 100000));
    prm.add_parameter("Boundary condition",
                      micro_condition,
                      "Condition of the RVE whose tensors the cell takes.",
                      Patterns::Selection("periodic|kubc|tubc"));
    prm.leave_subsection();
    prm.leave_subsection();
  }

  std::vector<std::string>
  StudyParameters::condition_list() const
  {
    std::vector<std::string> list;
    std::set<std::string>    seen;
    for (const auto &c : split(conditions, ','))
      {
        if (c != "periodic" && c != "kubc" && c != "tubc")
          throw InputError(source,
                           "RVE size/Conditions",
                           "'" + c
                             + "' is not a condition; allowed: periodic, "
                               "kubc, tubc, separated by commas");
        if (seen.insert(c).second)
          list.push_back(c);
      }
    if (list.empty())
      throw InputError(source,
                       "RVE size/Conditions",
                       "name at least one condition");
    return list;
  }

  void
  StudyParameters::check() const
  {
    if (type == "rve size")
      {
        require_file(rve_file, source, "RVE size/RVE file");
        parse_overrides(rve_overrides, source, "RVE size/Overrides");
        condition_list();
        for (std::size_t i = 1; i < sizes.size(); ++i)
          if (sizes[i] <= sizes[i - 1])
            throw InputError(source,
                             "RVE size/Sizes",
                             "sizes must increase strictly");
      }
    else
      {
        require_file(cell_file, source, "Uncertainty/Cell file");
        parse_overrides(cell_overrides, source, "Uncertainty/Overrides");
        if (!micro_region.empty())
          {
            require_file(micro_rve_file,
                         source,
                         "Uncertainty/Microstructure/RVE file");
            parse_overrides(micro_overrides,
                            source,
                            "Uncertainty/Microstructure/Overrides");
          }
      }
  }
} // namespace scalebridge::study
