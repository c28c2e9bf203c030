// Swelling of a phase: the exact distance transform against brute force,
// digital balls grown from one voxel, volume matching to the voxel (also
// below one voxel of surface motion), other phases left alone, errors.

#include <scalebridge/microstructure/electrode.h>
#include <scalebridge/microstructure/swelling.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <string>

using namespace scalebridge::microstructure;

namespace
{
  constexpr double infinity = std::numeric_limits<double>::infinity();

  /// Coordinates of linear index @p v.
  std::array<unsigned, 3>
  coordinates(const std::array<unsigned, 3> &n, std::size_t v)
  {
    return {{unsigned(v % n[0]),
             unsigned(v / n[0] % n[1]),
             unsigned(v / (std::size_t(n[0]) * n[1]))}};
  }

  /// Squared distance between the centres of voxels @p a and @p b.
  double
  squared_distance(const std::array<unsigned, 3> &n,
                   const std::array<double, 3>   &h,
                   unsigned                       dimension,
                   std::size_t                    a,
                   std::size_t                    b,
                   bool                           periodic)
  {
    const auto ca = coordinates(n, a), cb = coordinates(n, b);
    double     sum = 0.;
    for (unsigned d = 0; d < dimension; ++d)
      {
        unsigned delta = ca[d] > cb[d] ? ca[d] - cb[d] : cb[d] - ca[d];
        if (periodic)
          delta = std::min(delta, n[d] - delta);
        sum += (delta * h[d]) * (delta * h[d]);
      }
    return sum;
  }

  /// O(N^2) reference of squared_distance_transform().
  std::vector<double>
  brute_force(unsigned                         dimension,
              const std::array<unsigned, 3>   &n,
              const std::array<double, 3>     &h,
              const std::vector<std::uint8_t> &feature,
              bool                             periodic)
  {
    std::vector<double> dist(feature.size(), infinity);
    for (std::size_t v = 0; v < feature.size(); ++v)
      for (std::size_t u = 0; u < feature.size(); ++u)
        if (feature[u])
          dist[v] = std::min(dist[v],
                             squared_distance(n, h, dimension, u, v, periodic));
    return dist;
  }

  std::size_t
  count(const Microstructure &m, PhaseId phase)
  {
    return std::count(m.data().begin(), m.data().end(), phase);
  }

  /// The shipped electrode generator: active 0, carbon-binder 1, pore 2.
  Microstructure
  electrode_24(unsigned n = 24, std::uint64_t seed = 1)
  {
    ElectrodeOptions o;
    o.active_fraction = 0.5;
    o.binder_fraction = 0.1;
    o.radius          = 0.15;
    o.seed            = seed;
    return electrode(3, {{n, n, n}}, o);
  }

  /// The SplitMix64 finalizer, written out as the reference of
  /// swelling_tie_key().
  std::uint64_t
  splitmix64(std::uint64_t x)
  {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }

  /// Checks that the taken voxels (second) of a set at equal distance are
  /// those of smallest tie key (first).
  void
  expect_taken_in_key_order(std::vector<std::pair<std::uint64_t, bool>> set)
  {
    std::sort(set.begin(), set.end());
    const auto first_not_taken
      = std::find_if(set.begin(), set.end(), [](const auto &e) {
          return !e.second;
        });
    EXPECT_TRUE(std::none_of(first_not_taken,
                             set.end(),
                             [](const auto &e) { return e.second; }))
      << "equal distances not taken in the order of the tie key";
  }

  /**
   * Checks that the voxels of @p grown that are @p phase and were not in
   * @p before form a digital ball around voxel @p seed: every voxel of
   * @p into closer than the farthest converted one is converted, and on that
   * last shell the converted ones are those of smallest tie key; voxels of
   * other phases are left as they were.
   */
  void
  expect_digital_ball(const Microstructure &before,
                      const Microstructure &grown,
                      std::size_t           seed,
                      PhaseId               phase,
                      PhaseId               into,
                      bool                  periodic,
                      const SwellingResult &result)
  {
    const auto  n         = grown.n_voxels();
    const auto  h         = grown.voxel_size();
    const auto  dim       = grown.dimension();
    double      shell     = 0.;
    std::size_t converted = 0;
    for (std::size_t v = 0; v < grown.n_total_voxels(); ++v)
      if (grown.data()[v] == phase && before.data()[v] != phase)
        {
          ++converted;
          shell
            = std::max(shell, squared_distance(n, h, dim, seed, v, periodic));
        }
    EXPECT_EQ(converted, result.converted);
    EXPECT_NEAR(result.front_distance, std::sqrt(shell), 1e-12);
    std::vector<std::pair<std::uint64_t, bool>> last_shell;
    for (std::size_t v = 0; v < grown.n_total_voxels(); ++v)
      {
        if (before.data()[v] != into)
          {
            ASSERT_EQ(grown.data()[v], before.data()[v]) << v;
            continue;
          }
        const double d2 = squared_distance(n, h, dim, seed, v, periodic);
        const bool   in = grown.data()[v] == phase;
        if (d2 < shell)
          ASSERT_TRUE(in) << "voxel " << v << " inside the ball not grown";
        else if (d2 > shell)
          ASSERT_FALSE(in) << "voxel " << v << " outside the ball grown";
        else
          last_shell.emplace_back(splitmix64(v), in);
      }
    expect_taken_in_key_order(last_shell);
  }
} // namespace

TEST(Swelling, DistanceTransformMatchesBruteForce)
{
  struct Case
  {
    unsigned                dimension;
    std::array<unsigned, 3> n;
    std::array<double, 3>   h;
  };
  const std::vector<Case> cases = {
    {3, {{7, 11, 5}}, {{1., 1., 1.}}},
    {3, {{7, 11, 5}}, {{0.3, 0.7, 1.1}}},
    {3, {{13, 3, 17}}, {{1.1, 0.2, 0.45}}},
    {3, {{8, 8, 8}}, {{1., 1.5, 2.}}},
    {3, {{1, 7, 5}}, {{1., 1., 1.}}},
    {3, {{2, 1, 3}}, {{0.5, 1., 1.}}},
    {2, {{11, 7, 1}}, {{1., 1., 1.}}},
    {2, {{17, 10, 1}}, {{0.25, 0.9, 1.}}},
    {2, {{1, 1, 1}}, {{1., 1., 1.}}},
  };
  std::mt19937_64 random(7);
  for (const Case &c : cases)
    for (const double density : {0., 0.01, 0.1, 0.5, 0.95})
      for (const bool periodic : {true, false})
        {
          const std::size_t total = std::size_t(c.n[0]) * c.n[1] * c.n[2];
          std::vector<std::uint8_t> feature(total, 0);
          for (auto &f : feature)
            f = (random() >> 11) * 0x1.0p-53 < density;
          if (density == 0.01) // at least one isolated feature
            feature[total / 3] = 1;
          const auto edt = squared_distance_transform(
            c.dimension, c.n, c.h, feature, periodic);
          const auto reference
            = brute_force(c.dimension, c.n, c.h, feature, periodic);
          ASSERT_EQ(edt.size(), total);
          for (std::size_t v = 0; v < total; ++v)
            {
              if (reference[v] == infinity)
                ASSERT_EQ(edt[v], infinity);
              else
                ASSERT_NEAR(edt[v], reference[v], 1e-12 * (1. + reference[v]))
                  << "voxel " << v << " of " << c.n[0] << "x" << c.n[1] << "x"
                  << c.n[2] << " density " << density << " periodic "
                  << periodic;
            }
        }
}

TEST(Swelling, DistanceToPhaseUsesTheVoxelSize)
{
  // One active voxel in a 9 x 4 x 5 cell of size 3 x 2 x 1: h = (1/3, 1/2,
  // 1/5); the periodic distance to (0,0,0) from (5,2,3) is (4,2,2) voxels.
  Microstructure m(3, {{9, 4, 5}}, {{3., 2., 1.}}, 2);
  m.set_phase(0, 0, 0, 0);
  const auto   d = squared_distance_to_phase(m, 0, true);
  const double expected
    = std::pow(4. / 3., 2) + std::pow(2. / 2., 2) + std::pow(2. / 5., 2);
  EXPECT_NEAR(d[m.index(5, 2, 3)], expected, 1e-14);
  const auto   box = squared_distance_to_phase(m, 0, false);
  const double expected_box
    = std::pow(5. / 3., 2) + std::pow(2. / 2., 2) + std::pow(3. / 5., 2);
  EXPECT_NEAR(box[m.index(5, 2, 3)], expected_box, 1e-14);
  EXPECT_EQ(d[0], 0.);
}

TEST(Swelling, SingleVoxelGrowsIntoADigitalBall)
{
  struct Case
  {
    unsigned                dimension;
    std::array<unsigned, 3> n;
    std::array<double, 3>   size;
    std::array<unsigned, 3> seed;
    double                  factor;
    bool                    periodic;
  };
  const std::vector<Case> cases = {
    // Cubic voxels, ball wrapping around two faces; and the same in a box,
    // where it is clipped by the faces.
    {3, {{21, 21, 21}}, {{1., 1., 1.}}, {{2, 18, 10}}, 200., true},
    {3, {{21, 21, 21}}, {{1., 1., 1.}}, {{2, 18, 10}}, 200., false},
    // Non-cubic voxels h = (1, 1.5, 2): an ellipsoid in voxel counts.
    {3, {{15, 11, 9}}, {{15., 16.5, 18.}}, {{7, 5, 4}}, 150., true},
    // Odd, prime sizes and an irregular aspect ratio.
    {3, {{7, 11, 5}}, {{0.7, 1.3, 0.45}}, {{6, 0, 2}}, 60., true},
    {2, {{31, 23, 1}}, {{1., 1., 1.}}, {{30, 1, 0}}, 101., true},
    {2, {{31, 23, 1}}, {{0.62, 0.23, 1.}}, {{15, 11, 0}}, 77., false},
  };
  for (const Case &c : cases)
    {
      Microstructure before(c.dimension, c.n, c.size, 2);
      before.set_phase(c.seed[0], c.seed[1], c.seed[2], 0);
      // A second phase that must not be touched, far from the seed.
      before.set_phase(0, 0, 0, 1);
      Microstructure m      = before;
      const auto     result = swell_phase(m, 0, 2, c.factor, c.periodic);
      EXPECT_EQ(result.voxels_before, 1u);
      EXPECT_EQ(result.voxels_after, std::size_t(c.factor));
      EXPECT_EQ(count(m, 0), std::size_t(c.factor));
      EXPECT_EQ(m.phase(0, 0, 0), 1);
      SCOPED_TRACE(std::to_string(c.n[0]) + "x" + std::to_string(c.n[1])
                   + " periodic " + std::to_string(c.periodic));
      expect_digital_ball(before,
                          m,
                          before.index(c.seed[0], c.seed[1], c.seed[2]),
                          0,
                          2,
                          c.periodic,
                          result);
    }
}

TEST(Swelling, EqualEdgesRoundedDifferentlyStillTie)
{
  // 0.45 / 24 and 1.35 / 72 differ in the last bit; as voxel edges they are
  // meant to be equal, and the ball grown from one voxel must be the one of
  // exactly cubic voxels (same ties, same tie order), not one squeezed by
  // a rounding error.
  const std::array<unsigned, 3> n{{24, 24, 72}};
  Microstructure                rounded(3, n, {{0.45, 0.45, 1.35}}, 2);
  Microstructure                cubic(3, n, {{24., 24., 72.}}, 2);
  ASSERT_NE(rounded.voxel_size()[2], rounded.voxel_size()[0]);
  rounded.set_phase(11, 12, 40, 0);
  cubic.set_phase(11, 12, 40, 0);
  const auto a = swell_phase(rounded, 0, 2, 300.);
  const auto b = swell_phase(cubic, 0, 2, 300.);
  EXPECT_EQ(rounded.data(), cubic.data());
  EXPECT_NEAR(a.front_distance / 0.01875, b.front_distance, 1e-12);
}

TEST(Swelling, AchievedFactorWithinOneVoxel)
{
  const Microstructure original = electrode_24();
  const std::size_t    n        = count(original, 0);
  for (const double f : {1.068, 1.1, 1.3, 0.5, 0.9, 0.97, 1.005})
    {
      Microstructure m = original;
      const auto     r = swell_phase(m, 0, 2, f);
      EXPECT_EQ(r.voxels_before, n);
      EXPECT_EQ(count(m, 0), r.voxels_after);
      EXPECT_EQ(r.voxels_after, std::size_t(std::llround(f * n)));
      EXPECT_LE(std::abs(r.achieved_factor - f), 0.5 / n) << f;
      EXPECT_EQ(r.converted, f > 1 ? r.voxels_after - n : n - r.voxels_after);
      EXPECT_EQ(r.requested_factor, f);
    }
}

TEST(Swelling, FactorThenInverseRestoresTheVolume)
{
  const Microstructure original = electrode_24();
  const std::size_t    n        = count(original, 0);
  // Growing first: round(round(f n) / f) = n exactly for f > 1.
  for (const double f : {1.02, 1.068, 1.1, 1.25})
    {
      Microstructure m = original;
      swell_phase(m, 0, 2, f);
      swell_phase(m, 0, 2, 1. / f);
      EXPECT_EQ(count(m, 0), n) << f;
      EXPECT_EQ(count(m, 1), count(original, 1));
    }
  // Shrinking first: the rounding of the first step is divided by f < 1,
  // so the count comes back to within one voxel.
  for (const double f : {0.98, 0.9})
    {
      Microstructure m = original;
      swell_phase(m, 0, 2, f);
      swell_phase(m, 0, 2, 1. / f);
      EXPECT_LE(std::abs(double(count(m, 0)) - double(n)), 1.) << f;
    }
}

TEST(Swelling, OtherPhasesAreNeverTouched)
{
  Microstructure original = electrode_24(24, 3);
  // A fourth phase sprinkled over the cell, also next to the particles.
  for (std::size_t v = 0; v < original.n_total_voxels(); v += 37)
    original.data()[v] = 3;
  for (const double f : {1.2, 0.7})
    for (const bool periodic : {true, false})
      {
        Microstructure m = original;
        swell_phase(m, 0, 2, f, periodic);
        std::size_t changed = 0;
        for (std::size_t v = 0; v < m.n_total_voxels(); ++v)
          {
            const PhaseId a = original.data()[v], b = m.data()[v];
            if (a == b)
              continue;
            ++changed;
            if (f > 1)
              ASSERT_TRUE(a == 2 && b == 0) << v;
            else
              ASSERT_TRUE(a == 0 && b == 2) << v;
          }
        EXPECT_GT(changed, 0u);
      }
}

TEST(Swelling, SubVoxelFactorSpreadsOverTheFirstShell)
{
  // 2 % in volume on a 24³ electrode moves the surface by far less than a
  // voxel: exactly round(1.02 n) - n pore voxels become active, all of them
  // face neighbours of a particle (distance h), those of smallest tie key
  // first. Shrinking by 1/1.02 removes active voxels with a non-active face
  // neighbour, again by tie key. Either way the change is spread over the
  // whole cell, not piled up at one end of the storage order.
  const Microstructure original           = electrode_24();
  const auto           nv                 = original.n_voxels();
  const std::size_t    n                  = count(original, 0);
  const double         h                  = 1. / 24;
  auto                 has_face_neighbour = [&](std::size_t v, bool same) {
    const auto c = coordinates(nv, v);
    for (unsigned d = 0; d < 3; ++d)
      for (const unsigned step : {1u, nv[d] - 1})
        {
          auto e = c;
          e[d]   = (e[d] + step) % nv[d];
          if ((original.phase(e[0], e[1], e[2]) == 0) == same)
            return true;
        }
    return false;
  };
  for (const bool grow : {true, false})
    {
      SCOPED_TRACE(grow ? "grow" : "shrink");
      const double      f = grow ? 1.02 : 1. / 1.02;
      const std::size_t expected
        = grow ? std::llround(1.02 * n) - n : n - std::llround(n / 1.02);
      Microstructure m = original;
      const auto     r = swell_phase(m, 0, 2, f);
      EXPECT_EQ(r.converted, expected);
      EXPECT_GT(expected, 100u);
      EXPECT_NEAR(r.front_distance, h, 1e-15);
      std::vector<std::pair<std::uint64_t, bool>> shell;
      std::size_t                                 taken = 0;
      std::array<std::array<std::size_t, 4>, 3>   quarters{};
      for (std::size_t v = 0; v < m.n_total_voxels(); ++v)
        {
          const PhaseId from = grow ? 2 : 0;
          if (original.data()[v] != from || !has_face_neighbour(v, grow))
            {
              ASSERT_EQ(m.data()[v], original.data()[v]) << v;
              continue;
            }
          const bool changed = m.data()[v] != original.data()[v];
          shell.emplace_back(splitmix64(v), changed);
          taken += changed;
          if (changed)
            for (unsigned d = 0; d < 3; ++d)
              ++quarters[d][coordinates(nv, v)[d] / 6];
        }
      EXPECT_EQ(taken, expected);
      expect_taken_in_key_order(shell);
      // About a quarter each; binomial spread sqrt(n p (1-p)) is about 5.
      for (unsigned d = 0; d < 3; ++d)
        for (unsigned q = 0; q < 4; ++q)
          EXPECT_GE(quarters[d][q], expected / 8)
            << "direction " << d << " quarter " << q;
    }
}

TEST(Swelling, TieKeyIsTheDocumentedPermutation)
{
  for (const std::size_t v :
       {std::size_t(0), std::size_t(1), std::size_t(12345), ~std::size_t(0)})
    EXPECT_EQ(swelling_tie_key(v), splitmix64(v));
  // Reference value of SplitMix64 seeded with 0 (first output).
  EXPECT_EQ(swelling_tie_key(0), 0xe220a8397b1dcdafull);
}

TEST(Swelling, TwoDimensionalElectrode)
{
  ElectrodeOptions o;
  o.active_fraction   = 0.55;
  o.binder_fraction   = 0.1;
  Microstructure    m = electrode(2, {{96, 96, 1}}, o);
  const std::size_t n = count(m, 0);
  const auto        r = swell_phase(m, 0, 2, 1.1);
  EXPECT_EQ(r.voxels_after, std::size_t(std::llround(1.1 * n)));
  EXPECT_EQ(count(m, 0), r.voxels_after);
}

TEST(Swelling, UnityFactorAndDeterminism)
{
  const Microstructure original = electrode_24();
  for (const double f : {1., 1. + 1e-13, 1. - 1e-13})
    {
      Microstructure m = original;
      const auto     r = swell_phase(m, 0, 2, f);
      EXPECT_EQ(m, original);
      EXPECT_EQ(r.converted, 0u);
      EXPECT_EQ(r.achieved_factor, 1.);
    }
  // A factor too small to change a voxel leaves the structure alone too.
  Microstructure m = original;
  EXPECT_EQ(swell_phase(m, 0, 2, 1. + 0.1 / count(m, 0)).converted, 0u);
  EXPECT_EQ(m, original);

  Microstructure a = original, b = original;
  swell_phase(a, 0, 2, 1.068);
  swell_phase(b, 0, 2, 1.068);
  EXPECT_EQ(a, b);
}

TEST(Swelling, ErrorsSayWhatIsWrong)
{
  const Microstructure original = electrode_24();
  auto                 message  = [&](PhaseId p, PhaseId into, double f) {
    Microstructure m = original;
    try
      {
        swell_phase(m, p, into, f);
      }
    catch (const std::invalid_argument &e)
      {
        EXPECT_EQ(m, original) << "changed before throwing";
        return std::string(e.what());
      }
    return std::string("no exception");
  };
  EXPECT_NE(message(0, 2, 0.).find("finite and positive"), std::string::npos);
  EXPECT_NE(message(0, 2, -1.).find("finite and positive"), std::string::npos);
  EXPECT_NE(message(0, 2, std::nan("")).find("finite and positive"),
            std::string::npos);
  EXPECT_NE(message(0, 2, infinity).find("finite and positive"),
            std::string::npos);
  EXPECT_NE(message(0, 0, 1.1).find("must differ"), std::string::npos);
  EXPECT_NE(message(5, 2, 1.1).find("no voxels"), std::string::npos);
  // Active 0.5, pore 0.4 of 13824 voxels: doubling needs more pore.
  const std::string too_much = message(0, 2, 2.);
  EXPECT_NE(too_much.find("there are only "
                          + std::to_string(count(original, 2))),
            std::string::npos)
    << too_much;
  EXPECT_NE(too_much.find("needs " + std::to_string(count(original, 0))),
            std::string::npos)
    << too_much;

  Microstructure full(3, {{4, 4, 4}}, {{1., 1., 1.}}, 0);
  EXPECT_THROW(swell_phase(full, 0, 2, 0.5), std::invalid_argument);
  // ... unless the factor is too close to 1 to change a voxel.
  EXPECT_EQ(swell_phase(full, 0, 2, 0.995).converted, 0u);
  // Exactly all of the pore is allowed.
  Microstructure two(2, {{4, 4, 1}}, {{1., 1., 1.}}, 2);
  for (unsigned i = 0; i < 4; ++i)
    for (unsigned j = 0; j < 2; ++j)
      two.set_phase(i, j, 0, 0);
  EXPECT_EQ(swell_phase(two, 0, 2, 2.).converted, 8u);
  EXPECT_EQ(count(two, 0), 16u);
}

namespace
{
  /// Volume of phase 0 per voxel after swell_phase_partially(): 1 in its
  /// voxels, the fraction in the front voxels, 0 elsewhere.
  std::vector<double>
  content(const Microstructure &m, const PartialSwellingResult &r)
  {
    std::vector<double> c(m.n_total_voxels());
    for (std::size_t v = 0; v < c.size(); ++v)
      c[v] = m.data()[v] == 0;
    for (std::size_t k = 0; k < r.voxels.size(); ++k)
      c[r.voxels[k]] = r.fractions[k];
    return c;
  }
} // namespace

TEST(Swelling, PartialVolumeIsExact)
{
  // The phase holds f n voxels' worth of volume, whole voxels plus the
  // fractions of the front, to round-off; the other phases keep theirs.
  const Microstructure original = electrode_24();
  const std::size_t    n        = count(original, 0);
  const std::size_t    binder   = count(original, 1);
  for (const double f : {1.068, 1.0001, 1.3, 0.5, 0.9, 0.97, 0.9999})
    {
      Microstructure m = original;
      const auto     r = swell_phase_partially(m, 0, 2, f);
      EXPECT_NEAR(r.volume_after, f * n, 1e-12 * n) << f;
      double volume = 0;
      for (const double c : content(m, r))
        volume += c;
      EXPECT_NEAR(volume, f * n, 1e-12 * n) << f;
      EXPECT_NEAR(r.achieved_factor, f, 1e-12) << f;
      EXPECT_EQ(count(m, 1), binder);
      EXPECT_EQ(count(m, 0),
                f > 1 ? r.voxels_after : r.voxels_after + r.voxels.size());
      EXPECT_FALSE(r.voxels.empty()) << f;
      for (std::size_t k = 0; k < r.voxels.size(); ++k)
        {
          EXPECT_GT(r.fractions[k], 0.);
          EXPECT_LT(r.fractions[k], 1.);
          EXPECT_EQ(m.data()[r.voxels[k]], f > 1 ? 2 : 0);
        }
    }
}

TEST(Swelling, PartialFrontIsAUniformShellAroundOneVoxel)
{
  // One voxel grown: every pore voxel at distance d (brute force, centre to
  // centre, in voxels) holds clamp(R - d + 1/2, 0, 1) of the phase, the
  // same R for all, and their sum is f - 1.
  Microstructure    m(3, {{11, 11, 11}}, {{1., 1., 1.}}, 2);
  const std::size_t centre = 5 + 11 * (5 + 11 * 5);
  m.data()[centre]         = 0;
  for (const double f : {1.5, 7., 20., 40.})
    {
      Microstructure g   = m;
      const auto     r   = swell_phase_partially(g, 0, 2, f, false);
      const auto     c   = content(g, r);
      double         sum = 0;
      for (std::size_t v = 0; v < c.size(); ++v)
        {
          const double d = std::sqrt(squared_distance(
            {{11, 11, 11}}, {{1., 1., 1.}}, 3, v, centre, false));
          EXPECT_NEAR(c[v],
                      v == centre
                        ? 1.
                        : std::clamp(r.front_position - d + 0.5, 0., 1.),
                      1e-12)
            << f << " voxel " << v;
          sum += c[v];
        }
      EXPECT_NEAR(sum, f, 1e-12 * f);
    }
}

TEST(Swelling, PartialVolumeIsContinuousAndMonotoneInTheFactor)
{
  // A third of a voxel more volume per step: no voxel gains more than that
  // (whole-voxel growth flips a voxel from 0 to 1), none loses any.
  const Microstructure original = electrode_24();
  const double         n        = count(original, 0);
  std::vector<double>  previous;
  for (int step = -40; step <= 40; ++step)
    {
      const double   f = 1 + step * (1. / 3.) / n;
      Microstructure m = original;
      const auto     c = content(m, swell_phase_partially(m, 0, 2, f));
      if (!previous.empty())
        {
          double largest = 0, smallest = 0;
          for (std::size_t v = 0; v < c.size(); ++v)
            {
              largest  = std::max(largest, c[v] - previous[v]);
              smallest = std::min(smallest, c[v] - previous[v]);
            }
          EXPECT_LE(largest, 1. / 3. + 1e-12) << "step " << step;
          EXPECT_GE(smallest, -1e-12) << "step " << step;
        }
      previous = c;
    }
}

TEST(Swelling, PartialUnityFactorChangesNothing)
{
  const Microstructure original = electrode_24();
  Microstructure       m        = original;
  const auto           r        = swell_phase_partially(m, 0, 2, 1.);
  EXPECT_TRUE(m.data() == original.data());
  EXPECT_TRUE(r.voxels.empty());
  EXPECT_EQ(r.volume_after, double(count(original, 0)));
  Microstructure too_much = original;
  EXPECT_THROW(swell_phase_partially(too_much, 0, 2, 3.),
               std::invalid_argument);
  EXPECT_TRUE(too_much.data() == original.data());
}

TEST(Swelling, Timing64)
{
  // Not an assertion: the time goes to the test output. Expect well under
  // a second in a Release build.
  const Microstructure original = electrode_24(64);
  Microstructure       m        = original;
  const auto           start    = std::chrono::steady_clock::now();
  const auto           r        = swell_phase(m, 0, 2, 1.068);
  const double         seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
        .count();
  std::cout << "[ timing   ] swell_phase 64^3, f = 1.068: " << r.converted
            << " voxels in " << seconds << " s\n";
  EXPECT_EQ(r.voxels_after, std::size_t(std::llround(1.068 * r.voxels_before)));
}

TEST(Swelling, PartialKinksAreWhereAShellStartsOrCompletes)
{
  // One voxel grown in an 11^3 box (no wrap): the candidates at squared
  // distance q (counted by brute force) form shells at d = sqrt(q), and
  // the converted volume S(R) = sum_q n_q clamp(R - sqrt(q) + 1/2, 0, 1)
  // has its kinks at R = sqrt(q) -+ 1/2, i.e. at the factors 1 + S(R).
  Microstructure    m(3, {{11, 11, 11}}, {{1., 1., 1.}}, 2);
  const std::size_t centre = 5 + 11 * (5 + 11 * 5);
  m.data()[centre]         = 0;
  std::map<std::uint64_t, std::size_t> shells;
  for (std::size_t v = 0; v < m.n_total_voxels(); ++v)
    if (v != centre)
      ++shells[std::llround(
        squared_distance({{11, 11, 11}}, {{1., 1., 1.}}, 3, v, centre, false))];
  std::vector<double> expected{1.};
  for (const auto &shell : shells)
    for (const double R : {std::sqrt(double(shell.first)) - 0.5,
                           std::sqrt(double(shell.first)) + 0.5})
      {
        double s = 0;
        for (const auto &[q, n] : shells)
          s += n * std::clamp(R - std::sqrt(double(q)) + 0.5, 0., 1.);
        expected.push_back(1 + s);
      }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(),
                             expected.end(),
                             [](double a, double b) { return b - a < 1e-9; }),
                 expected.end());
  // Shrinking one voxel: its only "shell" is itself at distance 1, so the
  // kinks below 1 are R = 1/2 (the factor 1) and R = 3/2 (the factor 0,
  // nothing left: not a valid factor).
  const auto kinks = partial_swelling_kinks(m, 0, 2, false);
  ASSERT_EQ(kinks.size(), expected.size());
  for (std::size_t k = 0; k < kinks.size(); ++k)
    EXPECT_NEAR(kinks[k], expected[k], 1e-12 * expected[k]) << k;
}

TEST(Swelling, PartialFractionsAreLinearBetweenKinksOnly)
{
  // On an electrode RVE, growing and shrinking: between two consecutive
  // kinks every voxel's content is linear in the factor (the midpoint's is
  // the mean of the ends' to round-off), and at an interior kink it is not
  // (the content at the kink differs from the mean of its neighbours') --
  // so the kinks are exactly where interpolation in the factor may not go.
  const Microstructure original = electrode_24();
  const auto           kinks    = partial_swelling_kinks(original, 0, 2);
  ASSERT_TRUE(std::is_sorted(kinks.begin(), kinks.end()));
  const auto content_at = [&](const double f) {
    Microstructure m = original;
    return content(m, swell_phase_partially(m, 0, 2, f));
  };
  const auto one = std::lower_bound(kinks.begin(), kinks.end(), 1.);
  ASSERT_NE(one, kinks.end());
  EXPECT_EQ(*one, 1.);
  unsigned int checked = 0;
  // The pieces around no swelling (at 24^3 the first kinks either way are
  // some 10 % of the volume away; the olivine swells by 7 %).
  for (auto k = kinks.begin(); k + 2 < kinks.end(); ++k)
    {
      if (k[0] < 0.5 || k[2] > 1.5)
        continue;
      const auto a = content_at(k[0]), b = content_at(k[1]),
                 c     = content_at(k[2]);
      const auto   mid = content_at(0.5 * (k[0] + k[1]));
      double       off = 0, kink = 0;
      const double ratio = (k[1] - k[0]) / (k[2] - k[0]);
      for (std::size_t v = 0; v < a.size(); ++v)
        {
          off  = std::max(off, std::abs(mid[v] - 0.5 * (a[v] + b[v])));
          kink = std::max(kink,
                          std::abs(b[v] - ((1 - ratio) * a[v] + ratio * c[v])));
        }
      EXPECT_LT(off, 1e-9) << "between " << k[0] << " and " << k[1];
      EXPECT_GT(kink, 1e-3) << "at " << k[1];
      ++checked;
    }
  EXPECT_GE(checked, 2u) << ::testing::PrintToString(kinks);
}
