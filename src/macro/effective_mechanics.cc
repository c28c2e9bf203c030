#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/io/json_validation.h>
#include <scalebridge/macro/effective_mechanics.h>

#include <cmath>

namespace scalebridge::macro
{
  namespace
  {
    const double sqrt2 = std::sqrt(2.);

    /// Voigt index -> (i, j).
    constexpr unsigned int voigt_pairs[6][2]
      = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};

    /// Symmetric, positive definite, of a size that fits in a double in
    /// every use (|C| < 1e15 Pa).
    void
    check_stiffness(const elasticity::Matrix6 &c,
                    const std::string         &source,
                    const std::string         &key)
    {
      for (unsigned int i = 0; i < 6; ++i)
        for (unsigned int j = 0; j < 6; ++j)
          if (!(std::abs(c[i][j]) < 1e15))
            throw InputError(source,
                             key,
                             "entries must be finite and below 1e15 Pa");
      if (elasticity::relative_asymmetry(c) > 1e-6)
        throw InputError(source,
                         key,
                         "must be symmetric (relative asymmetry "
                           + format_number(elasticity::relative_asymmetry(c), 3)
                           + ")");
      const double smallest = elasticity::min_eigenvalue(c);
      if (!(smallest > 0))
        throw InputError(source,
                         key,
                         "must be positive definite (smallest eigenvalue "
                           + format_number(smallest, 6) + " Pa)");
    }

    void
    check_swelling(const dealii::SymmetricTensor<2, 3> &e,
                   const std::string                   &source,
                   const std::string                   &key)
    {
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = i; j < 3; ++j)
          if (!(std::abs(e[i][j]) <= 0.5))
            throw InputError(source,
                             key,
                             "strain components must be in [-0.5, 0.5] "
                             "(small-strain mechanics)");
    }

    /// R with cell axis k = RVE axis (a + k) mod 3, i.e. v_cell = R v_rve.
    dealii::Tensor<2, 3>
    cell_from_rve(const unsigned int a)
    {
      dealii::Tensor<2, 3> r;
      for (unsigned int k = 0; k < 3; ++k)
        r[k][(a + k) % 3] = 1;
      return r;
    }

    RegionMechanics
    from_rve_file(const EffectiveMechanicsParameters &parameters,
                  const std::string                  &source,
                  const std::string                  &prefix)
    {
      const std::string &file = parameters.rve_file;
      if (file.empty())
        throw InputError(source,
                         prefix + "RVE file",
                         "strategy 'rve' needs the effective_tensors.json "
                         "written by scalebridge-rve");
      const nlohmann::json  json  = io::read_json(file);
      const nlohmann::json &block = select_rve_block(json,
                                                     file,
                                                     parameters.rve_block,
                                                     source,
                                                     prefix
                                                       + "RVE boundary "
                                                         "condition");
      const std::string     path  = &block == &json ? "" : parameters.rve_block;
      const io::JsonObjectReader top(block, file, path);
      if (!top.has("stiffness_voigt_Pa"))
        top.fail("stiffness_voigt_Pa",
                 "missing: run scalebridge-rve with Physics/Elasticity = "
                 "true for the mechanics of the cell");
      const auto rows = top.matrix("stiffness_voigt_Pa");
      if (rows.size() != 6)
        top.fail("stiffness_voigt_Pa",
                 "is " + std::to_string(rows.size()) + "x"
                   + std::to_string(rows.size())
                   + "; the cell's mechanics needs the 6x6 stiffness of a 3D "
                     "RVE");
      if (!top.has("swelling_strain_voigt"))
        top.fail("swelling_strain_voigt",
                 "missing: the file was written without the effective "
                 "swelling; run scalebridge-rve again");
      const std::vector<double> voigt = top.numbers("swelling_strain_voigt", 6);
      const double              x     = top.number(
        "lithiation", [](double v) { return v >= 0 && v <= 1; }, "in [0, 1]");
      elasticity::Matrix6 c;
      for (unsigned int i = 0; i < 6; ++i)
        for (unsigned int j = 0; j < 6; ++j)
          c[i][j] = rows[i][j];
      c = elasticity::voigt_to_mandel(c);
      check_stiffness(c, file, top.key_path("stiffness_voigt_Pa"));
      dealii::SymmetricTensor<2, 3> swelling = strain_from_voigt(voigt);
      check_swelling(swelling, file, top.key_path("swelling_strain_voigt"));
      if (swelling.norm() > 0 && !(x > 0))
        top.fail("lithiation",
                 "is 0 but the swelling strain is not: the file has no "
                 "reference state for the linear swelling law");
      if (x > 0)
        swelling /= x;
      else if (swelling.norm() == 0)
        top.fail("lithiation",
                 "is 0, where no phase swells: the effective swelling at "
                 "other lithiations cannot be inferred; run scalebridge-rve "
                 "with Materials/Lithiation > 0 (e.g. 1)");

      const auto r = cell_from_rve(parameters.thickness_direction[0] - 'x');
      RegionMechanics m;
      m.stiffness                   = elasticity::rotate(c, r);
      m.swelling_at_full_lithiation = dealii::symmetrize(
        r * static_cast<dealii::Tensor<2, 3>>(swelling) * dealii::transpose(r));
      m.description
        = "rve: " + file + (path.empty() ? "" : " [" + path + "]")
          + ", C_xxxx = " + format_number(m.stiffness[0][0] / 1e9, 4)
          + " GPa, eps*_xx(x=1) = "
          + format_number(m.swelling_at_full_lithiation[0][0], 4);
      return m;
    }
  } // namespace

  dealii::SymmetricTensor<2, 3>
  strain_from_voigt(const std::vector<double> &voigt)
  {
    dealii::SymmetricTensor<2, 3> e;
    for (unsigned int k = 0; k < 6; ++k)
      e[voigt_pairs[k][0]][voigt_pairs[k][1]] = voigt[k] * (k < 3 ? 1 : 0.5);
    return e;
  }

  dealii::SymmetricTensor<2, 3>
  stress_from_voigt(const std::vector<double> &voigt)
  {
    dealii::SymmetricTensor<2, 3> s;
    for (unsigned int k = 0; k < 6; ++k)
      s[voigt_pairs[k][0]][voigt_pairs[k][1]] = voigt[k];
    return s;
  }

  dealii::Tensor<1, 6>
  to_mandel(const dealii::SymmetricTensor<2, 3> &t)
  {
    dealii::Tensor<1, 6> m;
    for (unsigned int k = 0; k < 6; ++k)
      m[k] = t[voigt_pairs[k][0]][voigt_pairs[k][1]] * (k < 3 ? 1 : sqrt2);
    return m;
  }

  dealii::SymmetricTensor<2, 3>
  from_mandel(const dealii::Tensor<1, 6> &m)
  {
    dealii::SymmetricTensor<2, 3> t;
    for (unsigned int k = 0; k < 6; ++k)
      t[voigt_pairs[k][0]][voigt_pairs[k][1]] = m[k] / (k < 3 ? 1 : sqrt2);
    return t;
  }

  std::vector<EffectiveMechanics>
  MechanicalPropertiesProvider::evaluate_all(
    const std::vector<MacroPointQuery> &queries) const
  {
    std::vector<EffectiveMechanics> result;
    result.reserve(queries.size());
    for (const MacroPointQuery &q : queries)
      result.push_back(evaluate(q));
    return result;
  }

  dealii::SymmetricTensor<2, 3>
  RegionMechanics::swelling_at(const double x) const
  {
    if (std::isnan(x))
      return {};
    return x * swelling_at_full_lithiation;
  }

  namespace
  {
    /// Strategy "card": the card's stiffness (sample frame) and swelling.
    RegionMechanics
    from_card(const EffectiveMechanicsParameters &parameters,
              const std::string                  &source,
              const std::string                  &prefix)
    {
      const std::string key = prefix + "Material card";
      if (parameters.material_card.empty())
        throw InputError(source, key, "is needed by Strategy = card");
      const atomistic::MaterialCard card
        = atomistic::read_material_card(parameters.material_card);
      if (!card.elastic)
        throw InputError(source,
                         key,
                         "names card \"" + card.name
                           + "\", which has no elastic block");
      RegionMechanics m;
      m.stiffness = card.elastic->stiffness_mandel;
      if (card.swelling)
        m.swelling_at_full_lithiation
          = card.swelling->strain_at_full_lithiation;
      m.description = "card " + parameters.material_card + ": C_xxxx = "
                      + format_number(m.stiffness[0][0] / 1e9, 4)
                      + " GPa, eps*_xx(x=1) = "
                      + format_number(m.swelling_at_full_lithiation[0][0], 4);
      return m;
    }
  } // namespace

  RegionMechanics
  create_region_mechanics(const EffectiveMechanicsParameters &parameters,
                          const std::string                  &source,
                          const std::string                  &section)
  {
    const std::string prefix = section + "/Effective mechanics/";
    if (parameters.strategy == "rve")
      return from_rve_file(parameters, source, prefix);
    if (parameters.strategy == "fe2")
      throw InputError(source,
                       prefix + "Strategy",
                       "'fe2' is answered by the region's live RVE "
                       "(subsection RVE) through "
                       "fe2::make_mechanical_properties(), not by a "
                       "fixed tensor");
    if (parameters.strategy == "card")
      return from_card(parameters, source, prefix);
    if (parameters.strategy != "constant")
      throw InputError(source,
                       prefix + "Strategy",
                       "'" + parameters.strategy
                         + "' is not available for the mechanics of this "
                           "region (constant, rve, card)");
    RegionMechanics     m;
    const std::string   stiffness_key = prefix + "Stiffness";
    std::vector<double> c
      = parse_numbers(parameters.stiffness, source, stiffness_key);
    if (c.size() == 2)
      {
        if (!(c[0] > 0 && c[1] > -1 && c[1] < 0.5))
          throw InputError(source,
                           stiffness_key,
                           "'E, nu' needs E > 0 and -1 < nu < 0.5");
        m.stiffness = elasticity::isotropic_stiffness(c[0], c[1]);
      }
    else if (c.size() == 36)
      {
        elasticity::Matrix6 v;
        for (unsigned int i = 0; i < 6; ++i)
          for (unsigned int j = 0; j < 6; ++j)
            v[i][j] = c[6 * i + j];
        m.stiffness = elasticity::voigt_to_mandel(v);
      }
    else
      throw InputError(source,
                       stiffness_key,
                       "needs 2 numbers ('E, nu') or 36 (6x6 Voigt, Pa), got "
                         + std::to_string(c.size()));
    check_stiffness(m.stiffness, source, stiffness_key);

    const std::string   swelling_key = prefix + "Swelling strain";
    std::vector<double> e
      = parse_numbers(parameters.swelling_strain, source, swelling_key);
    if (e.size() == 1)
      m.swelling_at_full_lithiation = e[0] * dealii::unit_symmetric_tensor<3>();
    else if (e.size() == 6)
      m.swelling_at_full_lithiation = strain_from_voigt(e);
    else
      throw InputError(source,
                       swelling_key,
                       "needs 1 number (isotropic) or 6 (Voigt, engineering "
                       "shear), got "
                         + std::to_string(e.size()));
    check_swelling(m.swelling_at_full_lithiation, source, swelling_key);
    m.description
      = "constant: C_xxxx = " + format_number(m.stiffness[0][0] / 1e9, 4)
        + " GPa, eps*_xx(x=1) = "
        + format_number(m.swelling_at_full_lithiation[0][0], 4);
    return m;
  }

  RegionMechanicalProperties::RegionMechanicalProperties(
    std::array<std::shared_ptr<const RegionMechanics>, 3> regions)
    : regions(std::move(regions))
  {
  }

  EffectiveMechanics
  RegionMechanicalProperties::evaluate(const MacroPointQuery &query) const
  {
    const RegionMechanics &m = *regions.at(query.region);
    return {m.stiffness, m.swelling_at(query.lithiation)};
  }

  bool
  RegionMechanicalProperties::stiffness_depends_on_state() const
  {
    return false;
  }

  std::string
  RegionMechanicalProperties::describe(const unsigned int region) const
  {
    return regions.at(region) ? regions[region]->description : "none";
  }
} // namespace scalebridge::macro
