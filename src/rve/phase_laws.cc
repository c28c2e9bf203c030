#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/atomistic/phase_properties.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/rve/phase_laws.h>

#include <cmath>
#include <filesystem>
#include <optional>

namespace scalebridge::rve
{
  std::vector<dealii::FullMatrix<double>>
  PhaseLaws::laws(const Physics physics, const unsigned int dim) const
  {
    const auto &all = physics == Physics::elasticity ? stiffness : conductivity;
    std::vector<dealii::FullMatrix<double>> result(all.size());
    for (unsigned p = 0; p < all.size(); ++p)
      if (participates(physics, p))
        result[p] = reduce_to_dimension(physics, dim, all[p]);
    return result;
  }

  bool
  PhaseLaws::participates(const Physics physics, const unsigned int p) const
  {
    const auto &all = physics == Physics::elasticity ? stiffness : conductivity;
    return p < all.size() && all[p].m() > 0 && all[p].frobenius_norm() > 0;
  }

  bool
  PhaseLaws::swells(const unsigned int p) const
  {
    return participates(Physics::elasticity, p) && p < eigenstrain.size()
           && eigenstrain[p].size() > 0 && eigenstrain[p].l2_norm() > 0;
  }

  std::vector<dealii::Vector<double>>
  PhaseLaws::eigenstresses(const unsigned int dim) const
  {
    std::vector<dealii::Vector<double>> result(size());
    for (unsigned p = 0; p < size(); ++p)
      if (swells(p))
        {
          dealii::Vector<double> s(6);
          stiffness[p].vmult(s, eigenstrain[p]);
          if (dim == 3)
            result[p] = s;
          else
            {
              result[p].reinit(3);
              result[p][0] = s[0];
              result[p][1] = s[1];
              result[p][2] = s[5];
            }
        }
    return result;
  }

  PhaseLaws
  read_phase_laws(const std::vector<std::string> &cards,
                  const double                    temperature,
                  const double                    lithiation,
                  const std::string              &carrier,
                  const std::string              &prm_source)
  {
    if (!(lithiation >= 0 && lithiation <= 1))
      throw InputError(prm_source,
                       "Materials/Lithiation",
                       "the lithium site fraction must lie in [0, 1] (got "
                         + format_number(lithiation, 10) + ")");
    PhaseLaws laws;
    for (const auto &path : cards)
      {
        if (!std::filesystem::is_regular_file(path))
          throw InputError(prm_source,
                           "Materials/Phase cards",
                           "material card '" + path + "' does not exist");
        const atomistic::MaterialCard card
          = atomistic::read_material_card(path);
        const atomistic::PhaseProperties phase(card, temperature);
        laws.names.push_back(phase.name());
        laws.sources.push_back(path);
        dealii::FullMatrix<double> C, k;
        if (phase.has_stiffness())
          {
            C.reinit(6, 6);
            for (unsigned i = 0; i < 6; ++i)
              for (unsigned j = 0; j < 6; ++j)
                C(i, j) = phase.stiffness_mandel()[i][j];
          }
        if (card.transport)
          {
            std::optional<dealii::Tensor<2, 3>> t;
            if (carrier == "electronic")
              {
                if (card.transport->has_electronic_conductivity())
                  t = card.transport->electronic_conductivity_at(lithiation);
              }
            else
              t = phase.conductivity();
            if (t)
              {
                k.reinit(3, 3);
                for (unsigned i = 0; i < 3; ++i)
                  for (unsigned j = 0; j < 3; ++j)
                    k(i, j) = (*t)[i][j];
              }
          }
        // Only a load-carrying phase swells against its neighbours.
        dealii::Vector<double> eps;
        if (card.swelling && C.m() > 0)
          {
            const auto   e = card.swelling->strain_at(lithiation);
            const double r = std::sqrt(2.);
            eps.reinit(6);
            eps[0] = e[0][0];
            eps[1] = e[1][1];
            eps[2] = e[2][2];
            eps[3] = r * e[1][2];
            eps[4] = r * e[0][2];
            eps[5] = r * e[0][1];
          }
        laws.stiffness.push_back(C);
        laws.conductivity.push_back(k);
        laws.eigenstrain.push_back(eps);
      }
    return laws;
  }

  Bounds
  voigt_reuss_bounds(const std::vector<dealii::FullMatrix<double>> &laws,
                     const std::vector<double>                     &fractions,
                     const unsigned int                             n)
  {
    Bounds b;
    b.voigt.reinit(n, n);
    b.reuss.reinit(n, n);
    dealii::FullMatrix<double> compliance(n, n), inverse(n, n);
    bool                       singular = false;
    for (unsigned p = 0; p < laws.size() && p < fractions.size(); ++p)
      {
        if (fractions[p] == 0)
          continue;
        if (laws[p].m() == 0 || laws[p].frobenius_norm() == 0)
          {
            singular = true;
            continue;
          }
        b.voigt.add(fractions[p], laws[p]);
        inverse.invert(laws[p]);
        compliance.add(fractions[p], inverse);
      }
    if (!singular)
      b.reuss.invert(compliance);
    return b;
  }

  dealii::Vector<double>
  mandel_to_voigt(const dealii::Vector<double> &mandel,
                  const bool                    engineering_strain)
  {
    const unsigned         n = mandel.size();
    dealii::Vector<double> voigt(mandel);
    for (unsigned i = (n == 6 ? 3 : 2); i < n; ++i)
      voigt[i] *= engineering_strain ? std::sqrt(2.) : 1. / std::sqrt(2.);
    return voigt;
  }

  dealii::FullMatrix<double>
  stiffness_mandel_to_voigt(const dealii::FullMatrix<double> &mandel)
  {
    const unsigned             n = mandel.m();
    dealii::FullMatrix<double> voigt(n, n);
    auto                       w = [n](const unsigned i) {
      return (n == 6 ? i >= 3 : i >= 2) ? std::sqrt(2.) : 1.;
    };
    for (unsigned i = 0; i < n; ++i)
      for (unsigned j = 0; j < n; ++j)
        voigt(i, j) = mandel(i, j) / (w(i) * w(j));
    return voigt;
  }
} // namespace scalebridge::rve
