// The electrode generator: target fractions, reproducibility, and that the
// carbon-binder takes exactly the voxels of lowest neck score, recomputed
// here from the particle list.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/electrode.h>

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <limits>

using namespace scalebridge;
using namespace scalebridge::microstructure;

namespace
{
  ElectrodeOptions
  options(double active, double binder, std::uint64_t seed = 1)
  {
    ElectrodeOptions o;
    o.active_fraction = active;
    o.binder_fraction = binder;
    o.radius          = 0.1;
    o.seed            = seed;
    return o;
  }

  /// Face-step distance of every voxel to the nearest voxel of @p phase in
  /// the periodic grid, by breadth-first search.
  std::vector<unsigned>
  distance_to_phase(const Microstructure &m, PhaseId phase)
  {
    const auto              n = m.n_voxels();
    std::vector<unsigned>   dist(m.n_total_voxels(),
                               std::numeric_limits<unsigned>::max());
    std::deque<std::size_t> queue;
    for (std::size_t v = 0; v < dist.size(); ++v)
      if (m.data()[v] == phase)
        {
          dist[v] = 0;
          queue.push_back(v);
        }
    while (!queue.empty())
      {
        const std::size_t v = queue.front();
        queue.pop_front();
        const unsigned c[3] = {unsigned(v % n[0]),
                               unsigned(v / n[0] % n[1]),
                               unsigned(v / (n[0] * n[1]))};
        for (unsigned d = 0; d < m.dimension(); ++d)
          for (int s : {-1, 1})
            {
              unsigned e[3]       = {c[0], c[1], c[2]};
              e[d]                = (e[d] + n[d] + s) % n[d];
              const std::size_t w = m.index(e[0], e[1], e[2]);
              if (dist[w] > dist[v] + 1)
                {
                  dist[w] = dist[v] + 1;
                  queue.push_back(w);
                }
            }
      }
    return dist;
  }
} // namespace

TEST(Electrode, FractionsWithinStatedTolerance)
{
  // Active: the last particle is kept only if it brings the count closer,
  // so the error is at most half the voxels of one particle, and a particle
  // has at most |ball of radius r + h sqrt(3)/2| / h^3 voxels.
  // Carbon-binder: round(f N^3) voxels, so within half a voxel.
  for (const auto &[active, binder] : std::vector<std::pair<double, double>>{
         {0.5, 0.1}, {0.6, 0.12}, {0.4, 0.05}})
    {
      const unsigned       n = 40;
      const double         h = 1. / n;
      const Microstructure m
        = electrode(3, {{n, n, n}}, options(active, binder));
      const auto   f = m.volume_fractions(3);
      const double r = 0.1 + h * std::sqrt(3.) / 2;
      EXPECT_LE(std::abs(f[0] - active), 0.5 * 4. / 3. * M_PI * r * r * r)
        << active;
      EXPECT_LE(std::abs(f[1] - binder), 0.5 / std::pow(n, 3));
      EXPECT_NEAR(f[0] + f[1] + f[2], 1., 1e-12);
      EXPECT_EQ(m.n_phases(), 3u);
    }
}

TEST(Electrode, ActivePhaseIsTheParticlesStoppedClosestToTheTarget)
{
  // The active voxels are exactly the rasterized particles, and dropping the
  // last particle would not bring the count closer to the target (the one
  // after it was rejected for the same reason inside the generator).
  for (const std::uint64_t seed : {1u, 2u, 3u, 4u})
    {
      const ElectrodeOptions   o = options(0.5, 0.1, seed);
      const ElectrodeStructure e = generate_electrode(3, {{32, 32, 32}}, o);
      Microstructure           particles(3, {{32, 32, 32}}, {{1., 1., 1.}}, 2);
      rasterize_spheres(particles, e.particles, 0);
      std::size_t    active = 0, without_last = 0;
      Microstructure fewer(3, {{32, 32, 32}}, {{1., 1., 1.}}, 2);
      rasterize_spheres(fewer,
                        std::vector<Sphere>(e.particles.begin(),
                                            e.particles.end() - 1),
                        0);
      for (std::size_t v = 0; v < particles.n_total_voxels(); ++v)
        {
          ASSERT_EQ(particles.data()[v] == 0, e.microstructure.data()[v] == 0)
            << v;
          active += particles.data()[v] == 0;
          without_last += fewer.data()[v] == 0;
        }
      const double target = 0.5 * 32 * 32 * 32;
      EXPECT_LE(std::abs(active - target), std::abs(without_last - target))
        << seed;
    }
}

TEST(Electrode, Works2D)
{
  const Microstructure m = electrode(2, {{128, 128, 1}}, options(0.55, 0.1));
  const auto           f = m.volume_fractions(3);
  const double         r = 0.1 + std::sqrt(2.) / 2 / 128;
  EXPECT_LE(std::abs(f[0] - 0.55), 0.5 * M_PI * r * r);
  EXPECT_LE(std::abs(f[1] - 0.1), 0.5 / (128. * 128.));
}

TEST(Electrode, ReproducibleWithSeedDifferentOtherwise)
{
  const auto a = electrode(3, {{24, 24, 24}}, options(0.5, 0.1, 11));
  const auto b = electrode(3, {{24, 24, 24}}, options(0.5, 0.1, 11));
  const auto c = electrode(3, {{24, 24, 24}}, options(0.5, 0.1, 12));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Electrode, BinderFillsTheNecksFirst)
{
  const unsigned           n = 32;
  const ElectrodeOptions   o = options(0.5, 0.1, 4);
  const ElectrodeStructure e = generate_electrode(3, {{n, n, n}}, o);
  const Microstructure    &m = e.microstructure;
  const double             h = 1. / n, reach = 2 * o.radius;

  // Score d1 + min(d2, R) from the particle list, by brute force over all
  // particles and periodic images.
  double max_binder = -1e300, min_pore = 1e300;
  for (unsigned k = 0; k < n; ++k)
    for (unsigned j = 0; j < n; ++j)
      for (unsigned i = 0; i < n; ++i)
        {
          const PhaseId p = m.phase(i, j, k);
          if (p == 0)
            continue;
          const double x[3] = {(i + 0.5) * h, (j + 0.5) * h, (k + 0.5) * h};
          double       d1 = 1e300, d2 = 1e300;
          bool         inside = false;
          for (const Sphere &s : e.particles)
            {
              double best = 1e300;
              for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b)
                  for (int c = -1; c <= 1; ++c)
                    best = std::min(best,
                                    std::sqrt(
                                      std::pow(x[0] - s.centre[0] + a, 2)
                                      + std::pow(x[1] - s.centre[1] + b, 2)
                                      + std::pow(x[2] - s.centre[2] + c, 2)));
              const double d = best - s.radius;
              inside         = inside || d <= 0;
              if (d < d1)
                {
                  d2 = d1;
                  d1 = d;
                }
              else if (d < d2)
                d2 = d;
            }
          ASSERT_FALSE(inside) << "non-active voxel inside a particle";
          if (d1 > reach)
            {
              ASSERT_EQ(p, 2) << "binder out of reach of the particles";
              continue;
            }
          const double score = d1 + std::min(d2, reach);
          if (p == 1)
            max_binder = std::max(max_binder, score);
          else
            min_pore = std::min(min_pore, score);
        }
  // Scores are compared in single precision inside the generator.
  EXPECT_LE(max_binder, min_pore + 1e-5);

  // Seen from the voxels: binder hugs the particles, pore does not.
  const auto dist   = distance_to_phase(m, 0);
  double     sum[3] = {0, 0, 0}, count[3] = {0, 0, 0};
  for (std::size_t v = 0; v < dist.size(); ++v)
    {
      sum[m.data()[v]] += dist[v];
      count[m.data()[v]] += 1;
    }
  EXPECT_LT(sum[1] / count[1], 0.7 * sum[2] / count[2]);
}

TEST(Electrode, BadFractionsAndUnreachableTargets)
{
  const auto key = [](const ElectrodeOptions &o) {
    try
      {
        electrode(3, {{24, 24, 24}}, o);
      }
    catch (const InputError &e)
      {
        return e.key();
      }
    return std::string("(no InputError)");
  };
  EXPECT_EQ(key(options(0.7, 0.3)),
            "Microstructure/Phase fractions"); // no pore
  EXPECT_EQ(key(options(0., 0.1)), "Microstructure/Phase fractions");
  ElectrodeOptions hard          = options(0.6, 0.1);
  hard.particle_overlap          = 0.; // hard spheres jam near 0.38
  hard.max_attempts_per_particle = 20000;
  EXPECT_EQ(key(hard), "Microstructure/Phase fractions");
  ElectrodeOptions bad = options(0.5, 0.1);
  bad.particle_overlap = 1.;
  EXPECT_EQ(key(bad), "Microstructure/Particle overlap");
}
