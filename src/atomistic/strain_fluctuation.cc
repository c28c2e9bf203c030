#include <deal.II/lac/full_matrix.h>

#include <scalebridge/atomistic/block_statistics.h>
#include <scalebridge/atomistic/strain_fluctuation.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>

#include <cmath>
#include <functional>
#include <limits>

namespace scalebridge::atomistic
{
  using elasticity::Matrix6;
  using elasticity::SymmetryClass;

  namespace
  {
    /// Sums of one block: enough to form <e>, <e e^T> and <V> of any union
    /// of blocks.
    struct Sums
    {
      double n        = 0;
      double volume   = 0;
      double e[6]     = {0, 0, 0, 0, 0, 0};
      double ee[6][6] = {};

      void
      add(const Sums &other)
      {
        n += other.n;
        volume += other.volume;
        for (int i = 0; i < 6; ++i)
          {
            e[i] += other.e[i];
            for (int j = 0; j < 6; ++j)
              ee[i][j] += other.ee[i][j];
          }
      }
    };

    /// The 21 constants [GPa] from sums, or throws if the strain covariance
    /// is singular.
    std::vector<double>
    constants_from(const Sums &s, const double kT_over_unit_volume, bool &ok)
    {
      dealii::FullMatrix<double> cov(6, 6);
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j)
          cov(i, j) = (s.ee[i][j] - s.e[i] * s.e[j] / s.n) / (s.n - 1);
      const double mean_volume = s.volume / s.n;
      ok                       = true;
      try
        {
          cov.gauss_jordan();
        }
      catch (...)
        {
          ok = false;
          return {};
        }
      std::vector<double> c(21);
      for (unsigned int i = 0; i < 6; ++i)
        for (unsigned int j = i; j < 6; ++j)
          c[constant_index(i, j)] = kT_over_unit_volume / mean_volume * 0.5
                                    * (cov(i, j) + cov(j, i))
                                    / constants::gigapascal;
      for (const double v : c)
        if (!std::isfinite(v))
          ok = false;
      return c;
    }

    Matrix6
    matrix_from(const std::vector<double> &c)
    {
      Matrix6 C;
      for (unsigned int i = 0; i < 6; ++i)
        for (unsigned int j = 0; j < 6; ++j)
          C[i][j] = c[constant_index(std::min(i, j), std::max(i, j))];
      return C;
    }

    /// A linear constraint on the 21 constants: sum coefficient * C_IJ = 0.
    using Constraint = std::vector<std::pair<unsigned int, double>>;

    Constraint
    zero(unsigned int i, unsigned int j)
    {
      return {{constant_index(i, j), 1.0}};
    }

    Constraint
    equal(unsigned int i, unsigned int j, unsigned int k, unsigned int l)
    {
      return {{constant_index(i, j), 1.0}, {constant_index(k, l), -1.0}};
    }

    /// Constraints of a symmetry class (patterns as in
    /// elasticity::detect_symmetry()).
    std::vector<Constraint>
    constraints(const SymmetryClass symmetry)
    {
      std::vector<Constraint> c;
      const auto              ortho_zeros = [&] {
        for (unsigned int i = 0; i < 6; ++i)
          for (unsigned int j = i + 1; j < 6; ++j)
            if (!(i < 3 && j < 3))
              c.push_back(zero(i, j));
      };
      const auto tetragonal_equalities = [&] {
        c.push_back(equal(0, 0, 1, 1));
        c.push_back(equal(0, 2, 1, 2));
        c.push_back(equal(3, 3, 4, 4));
      };
      // C66 = (C11 - C12) / 2
      const Constraint c66 = {{constant_index(5, 5), 1.0},
                              {constant_index(0, 0), -0.5},
                              {constant_index(0, 1), 0.5}};
      switch (symmetry)
        {
          case SymmetryClass::isotropic:
            c = constraints(SymmetryClass::cubic);
            c.push_back({{constant_index(3, 3), 1.0},
                         {constant_index(0, 0), -0.5},
                         {constant_index(0, 1), 0.5}});
            break;
          case SymmetryClass::cubic:
            ortho_zeros();
            c.push_back(equal(0, 0, 1, 1));
            c.push_back(equal(1, 1, 2, 2));
            c.push_back(equal(0, 1, 0, 2));
            c.push_back(equal(0, 2, 1, 2));
            c.push_back(equal(3, 3, 4, 4));
            c.push_back(equal(4, 4, 5, 5));
            break;
          case SymmetryClass::hexagonal:
            ortho_zeros();
            tetragonal_equalities();
            c.push_back(c66);
            break;
          case SymmetryClass::tetragonal:
            ortho_zeros();
            tetragonal_equalities();
            break;
          case SymmetryClass::trigonal:
            for (const auto &[i, j] : std::vector<std::pair<int, int>>{
                   {0, 5}, {1, 5}, {2, 3}, {2, 4}, {2, 5}, {3, 4}})
              c.push_back(zero(i, j));
            tetragonal_equalities();
            c.push_back(c66);
            // C24 = -C14, C56 = C14, C25 = -C15, C46 = -C15
            c.push_back(
              {{constant_index(1, 3), 1.0}, {constant_index(0, 3), 1.0}});
            c.push_back(equal(4, 5, 0, 3));
            c.push_back(
              {{constant_index(1, 4), 1.0}, {constant_index(0, 4), 1.0}});
            c.push_back(
              {{constant_index(3, 5), 1.0}, {constant_index(0, 4), 1.0}});
            break;
          case SymmetryClass::orthorhombic:
            ortho_zeros();
            break;
          case SymmetryClass::monoclinic:
            for (const auto &[i, j] : std::vector<std::pair<int, int>>{{0, 3},
                                                                       {0, 4},
                                                                       {1, 3},
                                                                       {1, 4},
                                                                       {2, 3},
                                                                       {2, 4},
                                                                       {3, 5},
                                                                       {4, 5}})
              c.push_back(zero(i, j));
            break;
          case SymmetryClass::triclinic:
            break;
        }
      return c;
    }

    double
    mean_of(const std::vector<double>                                   &c,
            std::initializer_list<std::pair<unsigned int, unsigned int>> ij,
            std::initializer_list<double> signs = {})
    {
      double       sum = 0;
      unsigned int k   = 0;
      auto         s   = signs.begin();
      for (const auto &[i, j] : ij)
        {
          const double sign = signs.size() ? *s++ : 1.0;
          sum += sign * c[constant_index(i, j)];
          ++k;
        }
      return sum / k;
    }

    /// The card's constants of a class as functions of the 21 constants.
    std::pair<std::vector<std::string>,
              std::function<std::vector<double>(const std::vector<double> &)>>
    card_form(const SymmetryClass symmetry)
    {
      using V = std::vector<double>;
      switch (symmetry)
        {
          case SymmetryClass::isotropic:
            return {{"E", "nu"}, [](const V &c) {
                      const double K
                        = (mean_of(c, {{0, 0}, {1, 1}, {2, 2}})
                           + 2 * mean_of(c, {{0, 1}, {0, 2}, {1, 2}}))
                          / 3;
                      const double G
                        = (mean_of(c, {{0, 0}, {1, 1}, {2, 2}})
                           - mean_of(c, {{0, 1}, {0, 2}, {1, 2}})
                           + 3 * mean_of(c, {{3, 3}, {4, 4}, {5, 5}}))
                          / 5;
                      return V{9 * K * G / (3 * K + G),
                               (3 * K - 2 * G) / (2 * (3 * K + G))};
                    }};
          case SymmetryClass::cubic:
            return {{"C11", "C12", "C44"}, [](const V &c) {
                      return V{mean_of(c, {{0, 0}, {1, 1}, {2, 2}}),
                               mean_of(c, {{0, 1}, {0, 2}, {1, 2}}),
                               mean_of(c, {{3, 3}, {4, 4}, {5, 5}})};
                    }};
          case SymmetryClass::hexagonal:
            return {{"C11", "C12", "C13", "C33", "C44"}, [](const V &c) {
                      return V{mean_of(c, {{0, 0}, {1, 1}}),
                               c[constant_index(0, 1)],
                               mean_of(c, {{0, 2}, {1, 2}}),
                               c[constant_index(2, 2)],
                               mean_of(c, {{3, 3}, {4, 4}})};
                    }};
          case SymmetryClass::tetragonal:
            return {{"C11", "C12", "C13", "C33", "C44", "C66"}, [](const V &c) {
                      return V{mean_of(c, {{0, 0}, {1, 1}}),
                               c[constant_index(0, 1)],
                               mean_of(c, {{0, 2}, {1, 2}}),
                               c[constant_index(2, 2)],
                               mean_of(c, {{3, 3}, {4, 4}}),
                               c[constant_index(5, 5)]};
                    }};
          case SymmetryClass::trigonal:
            return {{"C11", "C12", "C13", "C14", "C33", "C44", "C15"},
                    [](const V &c) {
                      return V{mean_of(c, {{0, 0}, {1, 1}}),
                               c[constant_index(0, 1)],
                               mean_of(c, {{0, 2}, {1, 2}}),
                               mean_of(c, {{0, 3}, {1, 3}, {4, 5}}, {1, -1, 1}),
                               c[constant_index(2, 2)],
                               mean_of(c, {{3, 3}, {4, 4}}),
                               mean_of(c,
                                       {{0, 4}, {1, 4}, {3, 5}},
                                       {1, -1, -1})};
                    }};
          case SymmetryClass::orthorhombic:
            return {
              {"C11", "C22", "C33", "C12", "C13", "C23", "C44", "C55", "C66"},
              [](const V &c) {
                V r;
                for (const auto &[i, j] :
                     std::vector<std::pair<int, int>>{{0, 0},
                                                      {1, 1},
                                                      {2, 2},
                                                      {0, 1},
                                                      {0, 2},
                                                      {1, 2},
                                                      {3, 3},
                                                      {4, 4},
                                                      {5, 5}})
                  r.push_back(c[constant_index(i, j)]);
                return r;
              }};
          default:
            return {{}, nullptr};
        }
    }
  } // namespace

  unsigned int
  constant_index(const unsigned int I, const unsigned int J)
  {
    // Rows of the upper triangle one after another.
    return I * 6 - I * (I - 1) / 2 + (J - I);
  }

  Matrix6
  born_matrix_under_pressure(const Matrix6 &C, const double P)
  {
    Matrix6 B = C;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        B[i][j] -= P * (i == j ? 1.0 : -1.0);
    for (unsigned int i = 3; i < 6; ++i)
      B[i][i] -= P;
    return B;
  }

  SymmetryClass
  detect_symmetry_within_uncertainty(
    const Matrix6                               &C,
    const std::vector<double>                   &covariance,
    const double                                 threshold,
    std::vector<std::pair<std::string, double>> *scores)
  {
    std::vector<double> c(21);
    double              largest = 0;
    for (unsigned int i = 0; i < 6; ++i)
      for (unsigned int j = i; j < 6; ++j)
        {
          c[constant_index(i, j)] = C[i][j];
          largest                 = std::max(largest, std::abs(C[i][j]));
        }
    if (scores)
      scores->clear();
    for (const SymmetryClass s : {SymmetryClass::isotropic,
                                  SymmetryClass::cubic,
                                  SymmetryClass::hexagonal,
                                  SymmetryClass::tetragonal,
                                  SymmetryClass::trigonal,
                                  SymmetryClass::orthorhombic,
                                  SymmetryClass::monoclinic})
      {
        double worst = 0;
        for (const Constraint &k : constraints(s))
          {
            double value = 0, variance = 0;
            for (const auto &[a, wa] : k)
              {
                value += wa * c[a];
                for (const auto &[b, wb] : k)
                  variance += wa * wb * covariance[a * 21 + b];
              }
            const double z = variance > 0
                               ? std::abs(value) / std::sqrt(variance)
                             : std::abs(value) <= 1e-12 * largest
                               ? 0.0
                               : std::numeric_limits<double>::infinity();
            worst          = std::max(worst, z);
          }
        if (scores)
          scores->emplace_back(elasticity::to_string(s), worst);
        if (worst <= threshold)
          return s;
      }
    return SymmetryClass::triclinic;
  }

  StrainFluctuationResult
  analyse_strain_fluctuations(const std::array<std::vector<double>, 6> &box,
                              const StrainFluctuationOptions           &options,
                              const std::string                        &source,
                              const std::string                        &entry)
  {
    const std::size_t N = box[0].size();
    const std::size_t M = options.n_blocks;
    // Six strains need well over six samples per block for the inverse.
    constexpr std::size_t min_block = 50;
    if (M < 2 || N < M * min_block)
      throw InputError(source,
                       entry,
                       "the box log has " + std::to_string(N)
                         + " rows; 21 elastic constants and their standard "
                           "errors from "
                         + std::to_string(M) + " blocks need at least "
                         + std::to_string(M * min_block)
                         + " rows (more for an uncertainty worth having: "
                           "the error falls as 1/sqrt(rows))");
    StrainFluctuationResult result;
    result.n_rows         = N;
    result.rows_per_block = N / M;

    // Reference cell h0 = <h> (columns are the cell vectors).
    double h0[3][3] = {};
    for (std::size_t k = 0; k < N; ++k)
      {
        const double lx = box[0][k], ly = box[1][k], lz = box[2][k];
        if (!(lx > 0 && ly > 0 && lz > 0))
          throw InputError(source,
                           entry,
                           "row " + std::to_string(k + 1)
                             + " of the table has a box length <= 0");
        h0[0][0] += lx / N;
        h0[1][1] += ly / N;
        h0[2][2] += lz / N;
        h0[0][1] += box[3][k] / N;
        h0[0][2] += box[4][k] / N;
        h0[1][2] += box[5][k] / N;
      }
    // Inverse of the upper-triangular h0.
    double g[3][3] = {};
    g[0][0]        = 1 / h0[0][0];
    g[1][1]        = 1 / h0[1][1];
    g[2][2]        = 1 / h0[2][2];
    g[0][1]        = -h0[0][1] / (h0[0][0] * h0[1][1]);
    g[1][2]        = -h0[1][2] / (h0[1][1] * h0[2][2]);
    g[0][2]        = (h0[0][1] * h0[1][2] - h0[0][2] * h0[1][1])
              / (h0[0][0] * h0[1][1] * h0[2][2]);

    std::vector<Sums> blocks(M);
    for (std::size_t k = 0; k < M * result.rows_per_block; ++k)
      {
        const double h[3][3] = {{box[0][k], box[3][k], box[4][k]},
                                {0, box[1][k], box[5][k]},
                                {0, 0, box[2][k]}};
        double       F[3][3] = {};
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            for (int l = 0; l < 3; ++l)
              F[i][j] += h[i][l] * g[l][j];
        double E[3][3];
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            {
              double FtF = 0;
              for (int l = 0; l < 3; ++l)
                FtF += F[l][i] * F[l][j];
              E[i][j] = 0.5 * (FtF - (i == j ? 1.0 : 0.0));
            }
        const double e[6]
          = {E[0][0], E[1][1], E[2][2], 2 * E[1][2], 2 * E[0][2], 2 * E[0][1]};
        Sums &s = blocks[k / result.rows_per_block];
        s.n += 1;
        s.volume += box[0][k] * box[1][k] * box[2][k];
        for (int i = 0; i < 6; ++i)
          {
            s.e[i] += e[i];
            for (int j = 0; j < 6; ++j)
              s.ee[i][j] += e[i] * e[j];
          }
      }

    const MdUnits &u  = options.units;
    const double   kT = constants::boltzmann * options.temperature
                      / std::pow(u.length_m, 3); // / volume unit
    Sums all;
    for (const auto &b : blocks)
      all.add(b);
    result.mean_volume = all.volume / all.n;
    bool                ok;
    std::vector<double> c = constants_from(all, kT, ok);
    if (!ok)
      throw InputError(source,
                       entry,
                       "the box does not fluctuate in all six strains (the "
                       "strain covariance is singular): an NPT run with all "
                       "six cell degrees of freedom coupled (fix npt ... tri) "
                       "is needed");
    std::vector<std::vector<double>> leave_one_out;
    for (std::size_t b = 0; b < M; ++b)
      {
        Sums s;
        for (std::size_t o = 0; o < M; ++o)
          if (o != b)
            s.add(blocks[o]);
        leave_one_out.push_back(constants_from(s, kT, ok));
        if (!ok)
          throw InputError(source,
                           entry,
                           "the strain covariance of a block is singular; "
                           "use fewer blocks or a longer run");
      }
    result.covariance_GPa2 = jackknife_covariance(leave_one_out);
    // Jackknife bias correction M c - (M - 1) mean(c_-b): the inverse of a
    // sample covariance is biased by O(1/n_eff) (inverse-Wishart), which is
    // not small against the error of short runs.
    for (unsigned int a = 0; a < 21; ++a)
      {
        double mean = 0;
        for (const auto &theta : leave_one_out)
          mean += theta[a] / M;
        c[a] = M * c[a] - (M - 1.0) * mean;
      }
    result.stiffness_GPa = matrix_from(c);
    std::vector<double> se(21);
    for (unsigned int a = 0; a < 21; ++a)
      se[a] = std::sqrt(std::max(0.0, result.covariance_GPa2[a * 21 + a]));
    result.standard_error_GPa = matrix_from(se);

    result.symmetry
      = detect_symmetry_within_uncertainty(result.stiffness_GPa,
                                           result.covariance_GPa2,
                                           options.symmetry_threshold,
                                           &result.symmetry_scores);

    const double P_GPa
      = options.pressure * u.pressure_Pa / constants::gigapascal;
    result.born_min_eigenvalue_GPa
      = elasticity::min_eigenvalue(elasticity::voigt_to_mandel(
        born_matrix_under_pressure(result.stiffness_GPa, P_GPa)));
    result.born_stable = result.born_min_eigenvalue_GPa > 0;

    // The card's constants and their covariance J Sigma J^T (J by central
    // differences; the forms are linear except E and nu).
    const auto [names, form] = card_form(result.symmetry);
    if (form)
      {
        result.card_constants = names;
        result.card_values    = form(c);
        const std::size_t   n = names.size();
        std::vector<double> J(n * 21);
        for (unsigned int a = 0; a < 21; ++a)
          {
            const double h    = 1e-6 * (std::abs(c[a]) + std::abs(c[0]));
            auto         plus = c, minus = c;
            plus[a] += h;
            minus[a] -= h;
            const auto fp = form(plus), fm = form(minus);
            for (std::size_t i = 0; i < n; ++i)
              J[i * 21 + a] = (fp[i] - fm[i]) / (2 * h);
          }
        result.card_covariance.assign(n * n, 0.0);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j)
            for (unsigned int a = 0; a < 21; ++a)
              for (unsigned int b = 0; b < 21; ++b)
                result.card_covariance[i * n + j]
                  += J[i * 21 + a] * result.covariance_GPa2[a * 21 + b]
                     * J[j * 21 + b];
      }
    return result;
  }
} // namespace scalebridge::atomistic
