#include <scalebridge/base/input_error.h>
#include <scalebridge/io/csv_table.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/plot.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/study/item_files.h>
#include <scalebridge/study/rve_size_study.h>
#include <scalebridge/study/sampling.h>
#include <scalebridge/study/size_analysis.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <random>

namespace scalebridge::study
{
  nlohmann::json
  tensor_components(const nlohmann::json &block)
  {
    nlohmann::json c = nlohmann::json::object();
    const auto     add_matrix
      = [&](const nlohmann::json &m, const std::string &prefix) {
          for (std::size_t i = 0; i < m.size(); ++i)
            for (std::size_t j = i; j < m[i].size(); ++j)
              c[prefix + std::to_string(i + 1) + std::to_string(j + 1)]
                = m[i][j].get<double>();
        };
    if (block.contains("stiffness_voigt_Pa"))
      add_matrix(block["stiffness_voigt_Pa"], "C");
    if (block.contains("conductivity"))
      add_matrix(block["conductivity"], "k");
    if (block.contains("transport_efficiency"))
      for (const auto &[name, group] : block["transport_efficiency"].items())
        add_matrix(group.at("tensor"), "eta_" + name + "_");
    return c;
  }

  namespace
  {
    /// One RVE: size index, realization, condition, and the sub-volume
    /// offset for images.
    struct RveItem
    {
      unsigned int                                     size;
      unsigned int                                     realization;
      std::string                                      condition;
      std::vector<std::pair<std::string, std::string>> overrides;
      std::optional<std::array<unsigned, 3>>           offset;
    };

    bool
    is_image(const std::string &generator)
    {
      return generator == "raw file" || generator == "vtk file";
    }

    nlohmann::json
    finite_or_null(const double v)
    {
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
    }
  } // namespace

  nlohmann::json
  run_rve_size_study(const StudyParameters &par,
                     fe2::RveScheduler     &scheduler,
                     ItemAccounting        &accounting,
                     std::ostream          &log)
  {
    const bool root
      = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    const auto base_overrides
      = parse_overrides(par.rve_overrides, par.source, "RVE size/Overrides");
    const auto conditions = par.condition_list();

    // The base file: dimension, generator, voxel size.
    rve::RveParameters       base;
    dealii::ParameterHandler base_prm;
    base.add_parameters(base_prm);
    read_study_input(
      base_prm, par.rve_file, base_overrides, par.source, "RVE size/Overrides");
    const unsigned int      dim   = base.dimension;
    const bool              image = is_image(base.microstructure.generator);
    std::array<unsigned, 3> image_voxels{{0, 0, 0}};
    double                  h = 0;
    if (image)
      {
        const auto full = base.microstructure.build(dim, par.rve_file);
        image_voxels    = full.n_voxels();
        h               = full.voxel_size()[0];
        for (const unsigned n : par.sizes)
          for (unsigned d = 0; d < dim; ++d)
            if (n > image_voxels[d])
              throw InputError(par.source,
                               "RVE size/Sizes",
                               "a sub-volume of " + std::to_string(n)
                                 + " voxels does not fit into the image of "
                                 + std::to_string(image_voxels[d])
                                 + " voxels in direction " + std::to_string(d));
      }
    else
      h = base.microstructure.size(dim)[0]
          / base.microstructure.voxel_counts(dim)[0];

    std::vector<RveItem>  jobs;
    std::vector<WorkItem> items;
    for (unsigned s = 0; s < par.sizes.size(); ++s)
      for (unsigned r = 0; r < par.realizations; ++r)
        {
          const unsigned                         n = par.sizes[s];
          std::optional<std::array<unsigned, 3>> offset;
          auto                                   overrides = base_overrides;
          if (image)
            {
              std::mt19937_64 random(par.seed * 1000003ULL + n * 7919ULL + r);
              std::array<unsigned, 3> o{{0, 0, 0}};
              for (unsigned d = 0; d < dim; ++d)
                o[d]
                  = static_cast<unsigned>(random() % (image_voxels[d] - n + 1));
              offset = o;
            }
          else
            {
              overrides.emplace_back("Microstructure/Voxels per side",
                                     std::to_string(n));
              overrides.emplace_back("Microstructure/Voxels per direction", "");
              std::ostringstream edge;
              edge.precision(17);
              edge << n * h;
              overrides.emplace_back("Microstructure/Physical size",
                                     edge.str());
              overrides.emplace_back("Microstructure/Seed",
                                     std::to_string(par.seed + r));
            }
          overrides.emplace_back("Output/Write fields", "false");
          for (const auto &c : conditions)
            {
              RveItem job{s, r, c, overrides, offset};
              job.overrides.emplace_back("Boundary conditions/Type", c);
              dealii::ParameterHandler prm;
              rve::RveParameters       p;
              p.add_parameters(prm);
              read_with_overrides(prm, par.rve_file, job.overrides);
              std::string text = "rve size item\n" + describe_parameters(prm);
              if (offset)
                text += "sub-volume " + std::to_string(n) + " at "
                        + std::to_string((*offset)[0]) + ","
                        + std::to_string((*offset)[1]) + ","
                        + std::to_string((*offset)[2]) + "\n";
              items.push_back({text,
                               std::to_string(n) + " voxels, realization "
                                 + std::to_string(r) + ", " + c});
              jobs.push_back(job);
            }
        }

    log << "RVE size study: " << par.sizes.size() << " sizes x "
        << par.realizations << " realizations x " << conditions.size()
        << " conditions = " << items.size() << " RVE solves on "
        << scheduler.n_groups() << " groups" << std::endl;

    const auto work = [&](const std::size_t i, MPI_Comm group) {
      const RveItem           &job = jobs[i];
      dealii::ParameterHandler prm;
      rve::RveParameters       p;
      p.add_parameters(prm);
      read_with_overrides(prm, par.rve_file, job.overrides);
      rve::RveInput input = rve::prepare_input(p, par.rve_file);
      if (job.offset)
        {
          const unsigned                 n = par.sizes[job.size];
          std::array<unsigned, 3>        nv{{n, n, dim == 3 ? n : 1}};
          microstructure::Microstructure cut(
            dim, nv, {{n * h, n * h, dim == 3 ? n * h : 1.}});
          const auto &o = *job.offset;
          for (unsigned k = 0; k < nv[2]; ++k)
            for (unsigned j = 0; j < nv[1]; ++j)
              for (unsigned l = 0; l < nv[0]; ++l)
                cut.set_phase(l,
                              j,
                              k,
                              input.microstructure.phase(o[0] + l,
                                                         o[1] + j,
                                                         o[2] + k));
          input.microstructure = cut;
        }
      std::ostream null_stream(nullptr);
      const auto   result = rve::run_homogenization(input, group, null_stream);
      return nlohmann::json{{"components", tensor_components(result)},
                            {"volume_fractions",
                             result.value("volume_fractions",
                                          nlohmann::json::array())}};
    };
    const std::size_t batch
      = par.batch_size > 0 ? par.batch_size : 4 * scheduler.n_groups();
    const auto results
      = run_items(scheduler,
                  std::filesystem::path(par.directory) / "items",
                  items,
                  work,
                  batch,
                  accounting,
                  log);

    // Statistics per condition, component and size.
    nlohmann::json study;
    study["type"]         = "rve size";
    study["rve_file"]     = par.rve_file;
    study["dimension"]    = dim;
    study["sizes_voxels"] = par.sizes;
    std::vector<double> edges;
    for (const unsigned n : par.sizes)
      edges.push_back(n * h);
    study["edges"]               = edges;
    study["realizations"]        = par.realizations;
    study["source"]              = image ? "image sub-volumes" : "generator";
    study["relative_error"]      = par.relative_error;
    study["target_realizations"] = par.target_realizations;

    // values[condition][component][size] = realizations
    std::map<std::string,
             std::map<std::string, std::vector<std::vector<double>>>>
      values;
    for (std::size_t i = 0; i < jobs.size(); ++i)
      for (const auto &[name, v] : results[i]["components"].items())
        {
          auto &per_size = values[jobs[i].condition][name];
          per_size.resize(par.sizes.size());
          per_size[jobs[i].size].push_back(v.get<double>());
        }

    for (const auto &c : conditions)
      {
        nlohmann::json block;
        for (const auto &[name, per_size] : values[c])
          {
            std::vector<SizePoint> points;
            nlohmann::json         mean = nlohmann::json::array(),
                           sd           = nlohmann::json::array(),
                           all          = nlohmann::json::array();
            for (std::size_t s = 0; s < per_size.size(); ++s)
              {
                const auto   m    = moments(per_size[s]);
                const double edge = edges[s];
                points.push_back(
                  {edge, std::pow(edge, dim), m.n, m.mean, m.sd});
                mean.push_back(m.mean);
                sd.push_back(m.sd);
                all.push_back(per_size[s]);
              }
            const auto a = analyse_sizes(points,
                                         par.relative_error,
                                         par.target_realizations,
                                         dim);
            block[name]
              = {{"mean", mean},
                 {"sd", sd},
                 {"values", all},
                 {"variance_fit_K", a.K},
                 {"variance_fit_alpha", a.alpha},
                 {"required_volume", finite_or_null(a.required_volume)},
                 {"required_edge", finite_or_null(a.required_edge)},
                 {"required_voxels_per_side",
                  finite_or_null(std::ceil(a.required_edge / h))},
                 {"extrapolated", a.extrapolated},
                 {"extrapolation_slope", a.slope}};
          }
        study[c] = block;
      }
    if (values.count("kubc") && values.count("tubc"))
      {
        nlohmann::json gap;
        for (const auto &[name, kubc] : values["kubc"])
          {
            if (!values["tubc"].count(name))
              continue;
            const auto    &tubc = values["tubc"][name];
            nlohmann::json g    = nlohmann::json::array();
            for (std::size_t s = 0; s < kubc.size(); ++s)
              {
                const double mk  = moments(kubc[s]).mean,
                             mt  = moments(tubc[s]).mean;
                const double ref = (std::abs(mk) + std::abs(mt)) / 2;
                g.push_back({{"absolute", mk - mt},
                             {"relative", ref > 0 ? (mk - mt) / ref : 0.}});
              }
            gap[name] = g;
          }
        study["kubc_tubc_gap"] = gap;
      }

    if (root)
      {
        const std::filesystem::path dir(par.directory);
        // One CSV: edge, then mean and sd of the plotted components per
        // condition; the plots show them with error bars.
        std::vector<std::string> plotted;
        for (const std::string name : {"C11", "C44", "k11"})
          if (values[conditions[0]].count(name))
            plotted.push_back(name);
        for (const auto &[name, v] : values[conditions[0]])
          if (name.rfind("eta_", 0) == 0 && name.size() > 3
              && name.substr(name.size() - 3) == "_11")
            {
              plotted.push_back(name);
              break;
            }
        std::vector<std::string> columns{"edge", "voxels"};
        for (const auto &name : plotted)
          for (const auto &c : conditions)
            {
              columns.push_back(name + "_" + c);
              columns.push_back(name + "_" + c + "_sd");
            }
        io::CsvTable table(columns);
        for (std::size_t s = 0; s < par.sizes.size(); ++s)
          {
            std::vector<double> row{edges[s], double(par.sizes[s])};
            for (const auto &name : plotted)
              for (const auto &c : conditions)
                {
                  const auto m = moments(values[c][name][s]);
                  row.push_back(m.mean);
                  row.push_back(m.sd);
                }
            table.add_row(row);
          }
        table.write(dir / "rve_size.csv");
        if (par.plot)
          for (const auto &name : plotted)
            {
              io::PlotSpec spec;
              spec.csv     = dir / "rve_size.csv";
              spec.title   = "apparent " + name + " versus RVE size (mean, sd)";
              spec.x_label = "voxels per side";
              spec.y_label = name[0] == 'C' ? name + " [Pa]"
                                            : (name[0] == 'k' ? name + " [S/m]"
                                                              : name + " [-]");
              for (const auto &c : conditions)
                spec.curves.push_back(
                  {"voxels", name + "_" + c, c, name + "_" + c + "_sd"});
              io::plot_png(dir / ("rve_size_" + name + ".png"), spec);
            }
      }
    return study;
  }
} // namespace scalebridge::study
