#include <scalebridge/microstructure/report.h>

#include <iomanip>
#include <sstream>

namespace scalebridge::microstructure
{
  namespace
  {
    const char *const axis[3] = {"x", "y", "z"};

    nlohmann::json
    per_direction(const std::array<bool, 3> &flags, unsigned int dimension)
    {
      nlohmann::json j = nlohmann::json::object();
      for (unsigned d = 0; d < dimension; ++d)
        j[axis[d]] = flags[d];
      return j;
    }

    std::string
    directions(const std::array<bool, 3> &flags, unsigned int dimension)
    {
      std::string s;
      for (unsigned d = 0; d < dimension; ++d)
        if (flags[d])
          s += std::string(s.empty() ? "" : ",") + axis[d];
      return s.empty() ? "none" : s;
    }
  } // namespace

  MicrostructureSummary
  summarize(const Microstructure      &microstructure,
            const std::vector<double> &target_fractions)
  {
    MicrostructureSummary summary;
    summary.dimension                   = microstructure.dimension();
    summary.n_voxels                    = microstructure.n_voxels();
    summary.size                        = microstructure.size();
    const std::vector<double> fractions = microstructure.volume_fractions(
      static_cast<unsigned>(target_fractions.size()));
    for (std::size_t p = 0; p < fractions.size(); ++p)
      {
        PhaseSummary phase;
        phase.id              = static_cast<PhaseId>(p);
        phase.volume_fraction = fractions[p];
        if (p < target_fractions.size())
          phase.target_volume_fraction = target_fractions[p];
        if (fractions[p] > 0.)
          phase.percolation = percolation(microstructure, {phase.id});
        summary.phases.push_back(phase);
      }
    return summary;
  }

  nlohmann::json
  to_json(const MicrostructureSummary &summary)
  {
    const unsigned dim = summary.dimension;
    nlohmann::json j;
    j["dimension"] = dim;
    j["voxels"]    = std::vector<unsigned>(summary.n_voxels.begin(),
                                        summary.n_voxels.begin() + dim);
    j["size"]
      = std::vector<double>(summary.size.begin(), summary.size.begin() + dim);
    j["phases"] = nlohmann::json::array();
    for (const PhaseSummary &p : summary.phases)
      {
        nlohmann::json phase;
        phase["id"]              = p.id;
        phase["volume_fraction"] = p.volume_fraction;
        if (p.target_volume_fraction >= 0.)
          phase["target_volume_fraction"] = p.target_volume_fraction;
        phase["percolates"]        = per_direction(p.percolation.spans, dim);
        phase["wraps"]             = per_direction(p.percolation.wraps, dim);
        phase["periodic_clusters"] = p.percolation.n_periodic_components;
        j["phases"].push_back(phase);
      }
    return j;
  }

  std::string
  to_text(const MicrostructureSummary &summary)
  {
    const unsigned     dim = summary.dimension;
    std::ostringstream out;
    out << "Microstructure: " << dim << "D, " << summary.n_voxels[0];
    for (unsigned d = 1; d < dim; ++d)
      out << " x " << summary.n_voxels[d];
    out << " voxels, size " << summary.size[0];
    for (unsigned d = 1; d < dim; ++d)
      out << " x " << summary.size[d];
    out << '\n';
    for (const PhaseSummary &p : summary.phases)
      {
        out << "  phase " << unsigned(p.id) << ": volume fraction "
            << std::fixed << std::setprecision(4) << p.volume_fraction;
        if (p.target_volume_fraction >= 0.)
          out << " (target " << p.target_volume_fraction << ")";
        out << std::defaultfloat << ", percolates "
            << directions(p.percolation.spans, dim) << ", wraps "
            << directions(p.percolation.wraps, dim) << ", "
            << p.percolation.n_periodic_components << " periodic cluster"
            << (p.percolation.n_periodic_components == 1 ? "" : "s") << '\n';
      }
    return out.str();
  }
} // namespace scalebridge::microstructure
