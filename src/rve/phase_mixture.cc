#include <scalebridge/base/preconditions.h>
#include <scalebridge/rve/phase_mixture.h>

#include <stdexcept>
#include <string>

namespace scalebridge::rve
{
  namespace
  {
    /// phi A + (1 - phi) B, an empty matrix counting as zero; empty when
    /// both are.
    dealii::FullMatrix<double>
    blend(const dealii::FullMatrix<double> &A,
          const dealii::FullMatrix<double> &B,
          const double                      phi)
    {
      if (A.m() == 0 && B.m() == 0)
        return dealii::FullMatrix<double>();
      dealii::FullMatrix<double> m(A.m() > 0 ? A.m() : B.m(),
                                   A.m() > 0 ? A.n() : B.n());
      if (A.m() > 0)
        m.add(phi, A);
      if (B.m() > 0)
        m.add(1. - phi, B);
      return m;
    }
  } // namespace

  PhaseMixture
  add_mixture(PhaseLaws         &laws,
              const unsigned int a,
              const unsigned int b,
              const double       fraction_a)
  {
    if (a >= laws.size() || b >= laws.size() || a == b
        || !(fraction_a >= 0 && fraction_a <= 1))
      throw std::invalid_argument(
        "add_mixture: phases " + std::to_string(a) + " and " + std::to_string(b)
        + " of " + std::to_string(laws.size()) + ", fraction "
        + format_number(fraction_a, 6)
        + " (two different phases and a fraction in [0, 1] needed)");
    PhaseMixture mixture;
    mixture.id         = laws.size();
    mixture.a          = a;
    mixture.b          = b;
    mixture.fraction_a = fraction_a;

    laws.names.push_back(laws.names[a] + "/" + laws.names[b] + " "
                         + format_number(fraction_a, 6));
    laws.sources.push_back(laws.sources[a] + " + " + laws.sources[b]);
    const auto matrix = [](const std::vector<dealii::FullMatrix<double>> &v,
                           const unsigned int                             p) {
      return p < v.size() ? v[p] : dealii::FullMatrix<double>();
    };
    laws.conductivity.push_back(blend(matrix(laws.conductivity, a),
                                      matrix(laws.conductivity, b),
                                      fraction_a));
    laws.stiffness.push_back(
      blend(matrix(laws.stiffness, a), matrix(laws.stiffness, b), fraction_a));

    // Eigenstrain: the Voigt mean of the eigenstresses through C_mix.
    dealii::Vector<double> eps;
    const bool             swell_a = laws.swells(a), swell_b = laws.swells(b);
    const bool             load_a = laws.participates(Physics::elasticity, a);
    const bool             load_b = laws.participates(Physics::elasticity, b);
    if ((swell_a || swell_b) && !(load_a && load_b))
      eps = laws.eigenstrain[swell_a ? a : b];
    else if (swell_a || swell_b)
      {
        dealii::Vector<double> s(6), t(6);
        if (swell_a)
          {
            laws.stiffness[a].vmult(t, laws.eigenstrain[a]);
            s.add(fraction_a, t);
          }
        if (swell_b)
          {
            laws.stiffness[b].vmult(t, laws.eigenstrain[b]);
            s.add(1. - fraction_a, t);
          }
        dealii::FullMatrix<double> inverse(6);
        inverse.invert(laws.stiffness.back());
        eps.reinit(6);
        inverse.vmult(eps, s);
      }
    laws.eigenstrain.push_back(eps);
    return mixture;
  }
} // namespace scalebridge::rve
