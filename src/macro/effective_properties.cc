#include <deal.II/base/symmetric_tensor.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/json_validation.h>
#include <scalebridge/macro/effective_properties.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace scalebridge::macro
{
  std::string
  region_name(const unsigned int region)
  {
    switch (region)
      {
        case negative_electrode:
          return "negative electrode";
        case separator:
          return "separator";
        case positive_electrode:
          return "positive electrode";
        default:
          return "region " + std::to_string(region);
      }
  }

  namespace
  {
    dealii::Tensor<2, 3>
    isotropic(const double value)
    {
      dealii::Tensor<2, 3> t;
      for (unsigned int d = 0; d < 3; ++d)
        t[d][d] = value;
      return t;
    }


    /// eps^b for the electrolyte and (1-eps)^b_s for the solid.
    class Bruggeman : public TransportEfficiency
    {
    public:
      Bruggeman(const double porosity,
                const double exponent,
                const double solid_exponent,
                const bool   has_solid)
        : porosity(porosity)
        , exponent(exponent)
        , solid_exponent(solid_exponent)
        , has_solid(has_solid)
      {
      }

      EffectiveTransport
      tensors() const override
      {
        return {isotropic(std::pow(porosity, exponent)),
                isotropic(has_solid ? std::pow(1 - porosity, solid_exponent)
                                    : 0.0)};
      }

      std::string
      describe() const override
      {
        return "bruggeman: B_e = " + format_number(porosity, 4) + "^"
               + format_number(exponent, 4) + " = "
               + format_number(std::pow(porosity, exponent), 4)
               + ", B_s = " + format_number(1 - porosity, 4) + "^"
               + format_number(solid_exponent, 4) + " = "
               + format_number(std::pow(1 - porosity, solid_exponent), 4);
      }

    private:
      double porosity;
      double exponent;
      double solid_exponent;
      bool   has_solid;
    };

    /// Fixed tensors, given or read from a file.
    class ConstantTensors : public TransportEfficiency
    {
    public:
      ConstantTensors(EffectiveTransport tensors, std::string description)
        : values(tensors)
        , description(std::move(description))
      {
      }

      EffectiveTransport
      tensors() const override
      {
        return values;
      }

      std::string
      describe() const override
      {
        return description;
      }

    private:
      EffectiveTransport values;
      std::string        description;
    };

    /// One number (isotropic), three (diagonal) or nine (row by row).
    dealii::Tensor<2, 3>
    parse_tensor(const std::string &text,
                 const std::string &source,
                 const std::string &key)
    {
      const std::vector<double> values = parse_numbers(text, source, key);
      dealii::Tensor<2, 3>      t;
      if (values.size() == 1)
        t = isotropic(values[0]);
      else if (values.size() == 3)
        for (unsigned int d = 0; d < 3; ++d)
          t[d][d] = values[d];
      else if (values.size() == 9)
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = 0; j < 3; ++j)
            t[i][j] = values[3 * i + j];
      else
        throw InputError(source,
                         key,
                         "needs 1 (isotropic), 3 (diagonal) or 9 (3x3, row "
                         "by row) numbers, got "
                           + std::to_string(values.size()));
      for (unsigned int d = 0; d < 3; ++d)
        if (!(t[d][d] > 0))
          throw InputError(source,
                           key,
                           "diagonal entries must be positive (a transport "
                           "efficiency is effective over bulk conductivity)");
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < i; ++j)
          if (std::abs(t[i][j] - t[j][i])
              > 1e-8 * std::max(std::abs(t[i][j]), std::abs(t[j][i])))
            throw InputError(source, key, "must be symmetric");
      // Positive diagonals do not make a tensor positive definite; one that
      // is not would make the cell's transport operator indefinite and fail
      // only later, in Newton.
      const auto eigenvalues = dealii::eigenvalues(dealii::symmetrize(t));
      if (!(eigenvalues[2] > 0))
        throw InputError(source,
                         key,
                         "must be positive definite (smallest eigenvalue "
                           + format_number(eigenvalues[2], 6)
                           + "; off-diagonal entries too large for the "
                             "diagonal)");
      return t;
    }

    /// Relative tolerance of the checks on RVE tensors: the cell problems
    /// are solved to about 1e-8, so that round-off stays far below it.
    constexpr double rve_tolerance = 1e-6;

    /**
     * Checks a tensor of an RVE file as strictly as a card's: square, of
     * the file's dimension (0: not stated), symmetric and positive
     * semi-definite to rve_tolerance of its largest entry (an efficiency is
     * exactly 0 along a direction in which the group does not percolate, e.g.
     * across a laminate), and with no eigenvalue above @p volume_fraction
     * (Wiener's bound: a group cannot conduct better than its straight
     * channels).
     */
    void
    check_rve_tensor(const io::JsonObjectReader             &group,
                     const std::vector<std::vector<double>> &rows,
                     const unsigned int                      dimension,
                     const double                            volume_fraction)
    {
      const unsigned int n = rows.size();
      if (dimension != 0 && n != dimension)
        group.fail("tensor",
                   "is " + std::to_string(n) + "x" + std::to_string(n)
                     + " in a " + std::to_string(dimension)
                     + "D result; it must be " + std::to_string(dimension) + "x"
                     + std::to_string(dimension));
      double scale = 0, asymmetry = 0;
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int j = 0; j < n; ++j)
          {
            scale     = std::max(scale, std::abs(rows[i][j]));
            asymmetry = std::max(asymmetry, std::abs(rows[i][j] - rows[j][i]));
          }
      if (asymmetry > rve_tolerance * scale)
        group.fail("tensor",
                   "must be symmetric to a relative tolerance of "
                     + format_number(rve_tolerance, 2) + " (largest |T_ij - "
                     + "T_ji| = " + format_number(asymmetry, 6) + ")");
      double smallest = 0, largest = 0;
      if (n == 2)
        {
          dealii::SymmetricTensor<2, 2> t;
          for (unsigned int i = 0; i < 2; ++i)
            for (unsigned int j = i; j < 2; ++j)
              t[i][j] = 0.5 * (rows[i][j] + rows[j][i]);
          const auto e = dealii::eigenvalues(t);
          smallest     = e[1];
          largest      = e[0];
        }
      else
        {
          dealii::SymmetricTensor<2, 3> t;
          for (unsigned int i = 0; i < 3; ++i)
            for (unsigned int j = i; j < 3; ++j)
              t[i][j] = 0.5 * (rows[i][j] + rows[j][i]);
          const auto e = dealii::eigenvalues(t);
          smallest     = e[2];
          largest      = e[0];
        }
      if (smallest < -rve_tolerance * scale)
        group.fail("tensor",
                   "must be positive semi-definite (smallest eigenvalue "
                     + format_number(smallest, 6) + ")");
      if (std::isfinite(volume_fraction)
          && largest > volume_fraction * (1 + rve_tolerance))
        group.fail("tensor",
                   "has a transport efficiency " + format_number(largest, 6)
                     + " above the group's volume fraction "
                     + format_number(volume_fraction, 6)
                     + " (a transport efficiency cannot exceed the volume "
                       "fraction that conducts)");
    }

    std::string
    join(const std::vector<std::string> &items)
    {
      std::string result;
      for (const auto &item : items)
        result += (result.empty() ? "" : ", ") + item;
      return result;
    }

    /// One group of the "transport_efficiency" object of an RVE result,
    /// turned into the cell frame (x along the RVE's thickness axis).
    dealii::Tensor<2, 3>
    read_group(const io::JsonObjectReader &efficiency,
               const std::string          &group,
               const unsigned int          thickness_axis,
               const unsigned int          dimension,
               const double                fallback_fraction,
               double                     &volume_fraction)
    {
      if (!efficiency.has(group))
        efficiency.fail(group,
                        "no such group (the RVE file groups phases as "
                        "'electrolyte' and 'solid'; choose the group with "
                        "Electrolyte group / Solid group)");
      const io::JsonObjectReader g    = efficiency.object(group);
      const auto                 rows = g.matrix("tensor");
      const unsigned int         n    = rows.size();
      if (n != 2 && n != 3)
        g.fail("tensor", "must be 2x2 or 3x3");
      if (thickness_axis >= n)
        g.fail("tensor",
               "is " + std::to_string(n) + "x" + std::to_string(n)
                 + " and has no axis " + std::string(1, 'x' + thickness_axis));
      volume_fraction = g.has("volume_fraction")
                          ? g.number(
                            "volume_fraction",
                            [](double v) { return v >= 0 && v <= 1; },
                            "in [0,1]")
                          : std::numeric_limits<double>::quiet_NaN();
      check_rve_tensor(g,
                       rows,
                       dimension,
                       std::isfinite(volume_fraction) ? volume_fraction
                                                      : fallback_fraction);
      if (g.has("percolates"))
        {
          const nlohmann::json &p = g.json().at("percolates");
          if (p.is_array() && p.size() > thickness_axis
              && p[thickness_axis].is_boolean()
              && !p[thickness_axis].get<bool>())
            g.fail("percolates",
                   "the phase does not percolate along the thickness axis, "
                   "so it carries no macroscopic transport through the cell");
        }
      const dealii::Tensor<2, 3> t
        = rve_tensor_in_cell_frame(rows, thickness_axis);
      if (!(t[0][0] > 0))
        g.fail("tensor",
               "has no positive through-thickness component (got "
                 + format_number(t[0][0], 4) + ")");
      return t;
    }
  } // namespace

  const nlohmann::json &
  select_rve_block(const nlohmann::json &json,
                   const std::string    &file,
                   const std::string    &requested,
                   const std::string    &source,
                   const std::string    &entry)
  {
    if (!json.is_object())
      throw InputError(file, "", "must hold a JSON object");
    if (json.contains("transport_efficiency")
        || json.contains("stiffness_voigt_Pa"))
      {
        const auto held = json.find("boundary_condition");
        if (held != json.end() && held->is_string()
            && held->get<std::string>() != requested)
          throw InputError(source,
                           entry,
                           "is '" + requested + "' but " + file
                             + " holds only the results for '"
                             + held->get<std::string>() + "'; set '"
                             + held->get<std::string>()
                             + "' or run scalebridge-rve with Boundary "
                               "conditions/Type = "
                             + requested + " or all");
        return json;
      }
    std::vector<std::string> present;
    for (const char *condition : {"periodic", "kubc", "tubc"})
      if (json.contains(condition))
        present.emplace_back(condition);
    if (present.empty())
      throw InputError(file,
                       "transport_efficiency",
                       "the file holds neither a 'transport_efficiency' "
                       "object nor a block periodic, kubc or tubc; is it an "
                       "effective_tensors.json of scalebridge-rve?");
    if (!json.contains(requested))
      throw InputError(source,
                       entry,
                       "is '" + requested + "' but " + file + " has no block '"
                         + requested + "'; blocks present: " + join(present));
    return json.at(requested);
  }


  std::vector<double>
  parse_numbers(const std::string &text,
                const std::string &source,
                const std::string &key)
  {
    std::string cleaned = text;
    for (char &c : cleaned)
      if (c == ',' || c == ';' || c == '[' || c == ']')
        c = ' ';
    std::istringstream  in(cleaned);
    std::vector<double> values;
    for (std::string word; in >> word;)
      {
        std::size_t used = 0;
        double      v    = 0;
        try
          {
            v = std::stod(word, &used);
          }
        catch (const std::exception &)
          {
            used = 0;
          }
        if (used != word.size() || !std::isfinite(v))
          throw InputError(source,
                           key,
                           "'" + word + "' is not a finite number");
        values.push_back(v);
      }
    return values;
  }

  dealii::Tensor<2, 3>
  rve_tensor_in_cell_frame(const std::vector<std::vector<double>> &rows,
                           const unsigned int thickness_axis)
  {
    // A 2D RVE has no third axis, which only a 3D cell would need.
    const unsigned int   n = rows.size();
    dealii::Tensor<2, 3> t;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        t[i][j]
          = (i < n && j < n)
              ? 0.5
                  * (rows[(thickness_axis + i) % n][(thickness_axis + j) % n]
                     + rows[(thickness_axis + j) % n][(thickness_axis + i) % n])
              : std::numeric_limits<double>::quiet_NaN();
    return t;
  }

  std::vector<EffectiveTransport>
  EffectivePropertiesProvider::evaluate_all(
    const std::vector<MacroPointQuery> &queries) const
  {
    std::vector<EffectiveTransport> result;
    result.reserve(queries.size());
    for (const MacroPointQuery &q : queries)
      result.push_back(evaluate(q));
    return result;
  }

  std::unique_ptr<TransportEfficiency>
  create_transport_efficiency(const EffectiveTransportParameters &parameters,
                              const double                        porosity,
                              const bool                          has_solid,
                              const std::string                  &source,
                              const std::string                  &section)
  {
    const std::string prefix = section + "/Effective transport/";
    if (parameters.strategy == "bruggeman")
      {
        if (!(parameters.electrolyte_bruggeman_exponent >= 0))
          throw InputError(source,
                           prefix + "Bruggeman exponent",
                           "must be >= 0");
        if (!(parameters.solid_bruggeman_exponent >= 0))
          throw InputError(source,
                           prefix + "Solid Bruggeman exponent",
                           "must be >= 0");
        return std::make_unique<Bruggeman>(
          porosity,
          parameters.electrolyte_bruggeman_exponent,
          parameters.solid_bruggeman_exponent,
          has_solid);
      }
    if (parameters.strategy == "constant")
      {
        EffectiveTransport t;
        t.electrolyte = parse_tensor(parameters.electrolyte_tensor,
                                     source,
                                     prefix + "Electrolyte tensor");
        t.solid       = has_solid ? parse_tensor(parameters.solid_tensor,
                                           source,
                                           prefix + "Solid tensor")
                                  : isotropic(1);
        return std::make_unique<ConstantTensors>(
          t,
          "constant: B_e,xx = " + format_number(t.electrolyte[0][0], 4)
            + (has_solid ? ", B_s,xx = " + format_number(t.solid[0][0], 4)
                         : ""));
      }
    if (parameters.strategy == "rve")
      {
        if (parameters.rve_file.empty())
          throw InputError(source,
                           prefix + "RVE file",
                           "strategy 'rve' needs the effective_tensors.json "
                           "written by scalebridge-rve");
        const nlohmann::json  json = io::read_json(parameters.rve_file);
        const nlohmann::json *block
          = &select_rve_block(json,
                              parameters.rve_file,
                              parameters.rve_block,
                              source,
                              prefix + "RVE boundary condition");
        const std::string path
          = block == &json ? std::string() : parameters.rve_block;
        const io::JsonObjectReader top(*block, parameters.rve_file, path);
        unsigned int               dimension = 0;
        if (top.has("dimension"))
          dimension = static_cast<unsigned int>(top.number(
            "dimension", [](double d) { return d == 2 || d == 3; }, "2 or 3"));
        else if (json.contains("dimension"))
          dimension = static_cast<unsigned int>(
            io::JsonObjectReader(json, parameters.rve_file, "")
              .number(
                "dimension",
                [](double d) { return d == 2 || d == 3; },
                "2 or 3"));
        const io::JsonObjectReader efficiency
          = top.object("transport_efficiency");
        const unsigned int axis = parameters.thickness_direction[0] - 'x';
        EffectiveTransport t;
        double             electrolyte_fraction = 0, solid_fraction = 0;
        t.electrolyte = read_group(efficiency,
                                   parameters.electrolyte_group,
                                   axis,
                                   dimension,
                                   porosity,
                                   electrolyte_fraction);
        t.solid       = has_solid ? read_group(efficiency,
                                         parameters.solid_group,
                                         axis,
                                         dimension,
                                         1 - porosity,
                                         solid_fraction)
                                  : isotropic(1);
        if (std::isfinite(electrolyte_fraction)
            && std::abs(electrolyte_fraction - porosity) > 0.05)
          throw InputError(source,
                           section + "/Porosity",
                           "is " + format_number(porosity, 4)
                             + " but the electrolyte group of "
                             + parameters.rve_file + " fills "
                             + format_number(electrolyte_fraction, 4)
                             + " of the RVE; set the porosity to the RVE's");
        return std::make_unique<ConstantTensors>(
          t,
          "rve: " + parameters.rve_file
            + (path.empty() ? "" : " [" + path + "]")
            + ", B_e,xx = " + format_number(t.electrolyte[0][0], 4)
            + (has_solid ? ", B_s,xx = " + format_number(t.solid[0][0], 4)
                         : ""));
      }
    throw InputError(source,
                     prefix + "Strategy",
                     "unknown strategy '" + parameters.strategy
                       + "' (bruggeman, constant, rve, fe2)");
  }

  RegionEffectiveProperties::RegionEffectiveProperties(
    std::array<std::shared_ptr<const TransportEfficiency>, 3> regions)
    : regions(std::move(regions))
  {
  }

  EffectiveTransport
  RegionEffectiveProperties::evaluate(const MacroPointQuery &query) const
  {
    return regions.at(query.region)->tensors();
  }

  bool
  RegionEffectiveProperties::depends_on_state() const
  {
    return false;
  }

  std::string
  RegionEffectiveProperties::describe(const unsigned int region) const
  {
    return regions.at(region) ? regions[region]->describe() : "none";
  }
} // namespace scalebridge::macro
