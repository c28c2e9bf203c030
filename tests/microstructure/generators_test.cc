// Generators against independent truth: layer counts of laminates, the
// voxel-centre rule and a shell bound for the centred sphere, pairwise
// periodic distances for random spheres.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/connectivity.h>
#include <scalebridge/microstructure/generators.h>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

using namespace scalebridge;
using namespace scalebridge::microstructure;

namespace
{
  /// Number of voxels of each phase.
  std::vector<std::size_t>
  counts(const Microstructure &m)
  {
    std::vector<std::size_t> c(m.n_phases(), 0);
    for (const PhaseId p : m.data())
      ++c[p];
    return c;
  }

  /// Distance between two centres over all 3^d periodic images, computed
  /// by brute force rather than by the minimum-image rule of the generator.
  double
  periodic_distance(const Sphere                &a,
                    const Sphere                &b,
                    unsigned                     dim,
                    const std::array<double, 3> &l)
  {
    double best = 1e300;
    for (int sz = (dim == 3 ? -1 : 0); sz <= (dim == 3 ? 1 : 0); ++sz)
      for (int sy = -1; sy <= 1; ++sy)
        for (int sx = -1; sx <= 1; ++sx)
          {
            const double dx = a.centre[0] - b.centre[0] + sx * l[0];
            const double dy = a.centre[1] - b.centre[1] + sy * l[1];
            const double dz
              = dim == 3 ? a.centre[2] - b.centre[2] + sz * l[2] : 0.;
            best = std::min(best, std::sqrt(dx * dx + dy * dy + dz * dz));
          }
    return best;
  }

  double
  ball(unsigned dim, double r)
  {
    return dim == 3 ? 4. / 3. * M_PI * r * r * r : M_PI * r * r;
  }

  template <typename F>
  std::string
  input_error_key(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.key();
      }
    return "(no InputError)";
  }
} // namespace

TEST(Laminate, ExactFractionsAndLayersOnVoxelFaces)
{
  // 20 layers along y: 5, 7 and 8 layers of phases 0, 1, 2.
  const Microstructure m = laminate(3, {{4, 20, 3}}, 1, {0.25, 0.35, 0.4});
  for (unsigned k = 0; k < 3; ++k)
    for (unsigned j = 0; j < 20; ++j)
      for (unsigned i = 0; i < 4; ++i)
        ASSERT_EQ(m.phase(i, j, k),
                  j < 5    ? 0
                  : j < 12 ? 1
                           : 2)
          << i << ' ' << j << ' ' << k;
  const std::vector<double> f = m.volume_fractions();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_DOUBLE_EQ(f[0], 0.25);
  EXPECT_DOUBLE_EQ(f[1], 0.35);
  EXPECT_DOUBLE_EQ(f[2], 0.4);
}

TEST(Laminate, EveryNormalIn2DAnd3D)
{
  for (unsigned dim : {2u, 3u})
    for (unsigned normal = 0; normal < dim; ++normal)
      {
        const Microstructure m
          = laminate(dim, {{8, 8, 8}}, normal, {0.75, 0.25});
        const auto n = m.n_voxels();
        for (unsigned k = 0; k < n[2]; ++k)
          for (unsigned j = 0; j < n[1]; ++j)
            for (unsigned i = 0; i < n[0]; ++i)
              {
                const unsigned layer = normal == 0 ? i : normal == 1 ? j : k;
                ASSERT_EQ(m.phase(i, j, k), layer < 6 ? 0 : 1);
              }
      }
}

TEST(Laminate, RoundedFractionsWithinOneLayer)
{
  // With N not matching the fractions, each phase is off by at most one
  // layer: both of its boundaries are rounded by at most half a layer.
  const std::vector<std::vector<double>> cases
    = {{0.5, 0.5}, {0.1, 0.6, 0.3}, {0.33, 0.33, 0.34}};
  for (const auto &fractions : cases)
    for (unsigned n : {7u, 11u, 13u, 29u})
      {
        const Microstructure m = laminate(2, {{n, 3, 1}}, 0, fractions);
        const auto           c = counts(m);
        ASSERT_EQ(c.size(), fractions.size());
        for (std::size_t p = 0; p < c.size(); ++p)
          EXPECT_LE(std::abs(double(c[p]) / m.n_total_voxels() - fractions[p]),
                    1. / n + 1e-12)
            << "N = " << n << ", phase " << p;
      }
}

TEST(Laminate, BadInputIsInputError)
{
  EXPECT_EQ(input_error_key([] {
              laminate(3, {{10, 10, 10}}, 0, {0.5, 0.6});
            }),
            "Microstructure/Phase fractions");
  EXPECT_EQ(input_error_key([] {
              laminate(3, {{10, 10, 10}}, 0, {1.0});
            }),
            "Microstructure/Phase fractions");
  // 0.05 of 4 layers rounds to none.
  EXPECT_EQ(input_error_key([] {
              laminate(3, {{4, 4, 4}}, 0, {0.05, 0.95});
            }),
            "Microstructure/Phase fractions");
  EXPECT_EQ(input_error_key([] {
              laminate(2, {{4, 4, 1}}, 2, {0.5, 0.5});
            }),
            "Microstructure/Laminate normal");
}

TEST(CentredSphere, VoxelCentreRule)
{
  // Independent check of the rasterization: phase 1 exactly where the voxel
  // centre is within r of the cell centre, on a non-cubic grid and cell.
  const std::array<double, 3> size{{1.2, 1.0, 0.9}};
  const Microstructure        m = centred_sphere(3, {{13, 10, 11}}, 0.2, size);
  const double r = std::cbrt(3. * 0.2 * 1.2 * 1.0 * 0.9 / (4. * M_PI));
  EXPECT_NEAR(radius_for_volume_fraction(3, size, 0.2), r, 1e-14);
  for (unsigned k = 0; k < 11; ++k)
    for (unsigned j = 0; j < 10; ++j)
      for (unsigned i = 0; i < 13; ++i)
        {
          const double dx   = (i + 0.5) * 1.2 / 13 - 0.6,
                       dy   = (j + 0.5) * 1.0 / 10 - 0.5,
                       dz   = (k + 0.5) * 0.9 / 11 - 0.45;
          const bool inside = dx * dx + dy * dy + dz * dz <= r * r;
          ASSERT_EQ(m.phase(i, j, k), inside ? 1 : 0)
            << i << ' ' << j << ' ' << k;
        }
}

TEST(CentredSphere, FractionConvergesAsOneOverN)
{
  // Only voxels cut by the surface can be misassigned, and every point of
  // such a voxel is within one voxel diagonal delta = sqrt(d) h of the
  // surface. So |achieved - f| <= |{x : | |x - c| - r | <= delta}| / |cell|,
  // which is ~ 2 delta * surface = O(1/N). In practice the errors of the
  // cut voxels largely cancel, so we also require the error to stay below a
  // tenth of that bound once a radius spans a few voxels.
  for (unsigned dim : {2u, 3u})
    {
      const double f = 0.3;
      const double r = radius_for_volume_fraction(dim, {{1., 1., 1.}}, f);
      for (unsigned n : {8u, 16u, 32u, 64u})
        {
          const Microstructure m     = centred_sphere(dim, {{n, n, n}}, f);
          const double         error = std::abs(m.volume_fractions()[1] - f);
          const double         delta = std::sqrt(double(dim)) / n;
          const double         shell
            = ball(dim, r + delta) - ball(dim, std::max(0., r - delta));
          EXPECT_LE(error, shell) << dim << "D, N = " << n;
          if (n >= 32)
            {
              EXPECT_LE(error, 0.1 * shell) << dim << "D, N = " << n;
            }
        }
    }
}

TEST(CentredSphere, MustFitIntoTheCell)
{
  // pi/6 = 0.5236 in a cube and pi/4 = 0.7854 in a square touch the faces.
  EXPECT_NO_THROW(centred_sphere(3, {{16, 16, 16}}, 0.52));
  EXPECT_EQ(input_error_key([] {
              centred_sphere(3, {{16, 16, 16}}, 0.53);
            }),
            "Microstructure/Volume fraction");
  EXPECT_NO_THROW(centred_sphere(2, {{16, 16, 1}}, 0.78));
  EXPECT_EQ(input_error_key([] {
              centred_sphere(2, {{16, 16, 1}}, 0.79);
            }),
            "Microstructure/Volume fraction");
  EXPECT_EQ(input_error_key([] {
              centred_sphere(3, {{16, 16, 16}}, 0.);
            }),
            "Microstructure/Volume fraction");
}

TEST(RandomSpheres, NoOverlapAlsoAcrossPeriodicFaces)
{
  for (unsigned dim : {2u, 3u})
    {
      RandomSpheresOptions o;
      // The gap makes spheres effectively r + gap/2 large: these are 0.30
      // (3D) and 0.46 (2D) in effective fraction, below the jamming limits.
      o.volume_fraction = dim == 3 ? 0.2 : 0.35;
      o.radius          = 0.07;
      o.minimum_gap     = 0.02;
      o.seed            = 7;
      const std::array<double, 3> l{{1.0, 1.3, 0.8}};
      const auto                  spheres = random_sphere_packing(dim, l, o);
      ASSERT_GT(spheres.size(), 20u);
      bool close_through_a_face = false;
      for (std::size_t a = 0; a < spheres.size(); ++a)
        for (std::size_t b = a + 1; b < spheres.size(); ++b)
          {
            const double d = periodic_distance(spheres[a], spheres[b], dim, l);
            ASSERT_GE(d,
                      spheres[a].radius + spheres[b].radius + o.minimum_gap
                        - 1e-12);
            double direct = 0.;
            for (unsigned c = 0; c < dim; ++c)
              direct
                += std::pow(spheres[a].centre[c] - spheres[b].centre[c], 2);
            if (d < 4 * o.radius && std::sqrt(direct) > d + 1e-9)
              close_through_a_face = true;
          }
      // Otherwise the periodic part of the check would not have been tested.
      EXPECT_TRUE(close_through_a_face);
    }
}

TEST(RandomSpheres, VoxelizedSpheresAreSeparateClusters)
{
  // With a gap wider than one voxel, no two spheres' voxels share a face
  // (face neighbours have centres h apart, so their spheres would be at most
  // h apart), so in the periodic medium every sphere is its own cluster.
  RandomSpheresOptions o;
  o.volume_fraction      = 0.18; // 0.31 counting the gap
  o.radius               = 0.08;
  o.minimum_gap          = 1.5 / 48;
  o.seed                 = 3;
  const auto     spheres = random_sphere_packing(3, {{1., 1., 1.}}, o);
  Microstructure m(3, {{48, 48, 48}});
  rasterize_spheres(m, spheres, 1);
  EXPECT_EQ(m, random_spheres(3, {{48, 48, 48}}, o));
  const Components periodic = label_components(m, {1}, Wrapping::periodic);
  EXPECT_EQ(periodic.n_components(), spheres.size());
  const Components box = label_components(m, {1}, Wrapping::none);
  EXPECT_GT(box.n_components(),
            spheres.size()); // some spheres are cut by faces
}

TEST(RandomSpheres, FractionWithinOneSphereOfTarget)
{
  for (unsigned dim : {2u, 3u})
    for (std::uint64_t seed : {1u, 2u, 3u})
      {
        RandomSpheresOptions o;
        o.volume_fraction      = 0.3;
        o.radius               = dim == 3 ? 0.08 : 0.05;
        o.seed                 = seed;
        const unsigned n       = dim == 3 ? 64 : 256;
        const auto     spheres = random_sphere_packing(dim, {{1., 1., 1.}}, o);
        const double   one     = ball(dim, o.radius);
        // Geometric: the stopping rule keeps it within half a sphere.
        EXPECT_LE(std::abs(
                    geometric_volume_fraction(dim, {{1., 1., 1.}}, spheres)
                    - 0.3),
                  0.5 * one + 1e-14);
        // Voxels add the discretization error, well below another half sphere
        // at 5 (3D) or 13 (2D) voxels per radius.
        const Microstructure m = random_spheres(dim, {{n, n, n}}, o);
        EXPECT_LE(std::abs(m.volume_fractions()[1] - 0.3), one)
          << dim << "D, seed " << seed;
      }
}

TEST(RandomSpheres, ReproducibleWithSeedDifferentOtherwise)
{
  RandomSpheresOptions o;
  o.volume_fraction           = 0.2;
  o.radius                    = 0.1;
  o.distribution              = RadiusDistribution::normal;
  o.radius_standard_deviation = 0.02;
  o.seed                      = 42;
  const Microstructure a      = random_spheres(3, {{32, 32, 32}}, o);
  const Microstructure b      = random_spheres(3, {{32, 32, 32}}, o);
  EXPECT_EQ(a, b);
  o.seed                 = 43;
  const Microstructure c = random_spheres(3, {{32, 32, 32}}, o);
  EXPECT_NE(a, c);
  // Both are valid draws of the same target.
  EXPECT_NEAR(c.volume_fractions()[1], 0.2, ball(3, 0.16));
}

namespace
{
  double
  Phi(double z)
  {
    return 0.5 * std::erfc(-z / std::sqrt(2.));
  }

  double
  phi(double z)
  {
    return std::exp(-0.5 * z * z) / std::sqrt(2. * M_PI);
  }

  /// Mean and standard deviation of the radius distribution with mean m and
  /// standard deviation s, truncated to (0, m + 3 s] as documented.
  std::pair<double, double>
  truncated_moments(RadiusDistribution distribution, double m, double s)
  {
    const double c = m + 3 * s;
    if (distribution == RadiusDistribution::normal)
      {
        const double a = -m / s, b = 3., z = Phi(b) - Phi(a);
        const double mean = m + s * (phi(a) - phi(b)) / z;
        const double var  = s * s
                           * (1. + (a * phi(a) - b * phi(b)) / z
                              - std::pow((phi(a) - phi(b)) / z, 2));
        return {mean, std::sqrt(var)};
      }
    // Lognormal: log r ~ N(mu, sigma^2) with E r = m, sd r = s.
    const double sigma = std::sqrt(std::log(1. + s * s / (m * m)));
    const double mu    = std::log(m) - 0.5 * sigma * sigma;
    const double z     = (std::log(c) - mu) / sigma;
    const double mean
      = std::exp(mu + 0.5 * sigma * sigma) * Phi(z - sigma) / Phi(z);
    const double second
      = std::exp(2. * mu + 2. * sigma * sigma) * Phi(z - 2. * sigma) / Phi(z);
    return {mean, std::sqrt(second - mean * mean)};
  }
} // namespace

TEST(RandomSpheres, RadiusDistributionsHaveTheRequestedMoments)
{
  // About 4000 radii, all placed: the sample mean is within 4 standard
  // errors of the mean of the truncated distribution, the sample standard
  // deviation within 10 % (its standard error is about 2 %). Dropping the
  // -sigma^2/2 in the lognormal's mu would raise the mean by 7 % = 10
  // standard errors.
  for (const auto distribution :
       {RadiusDistribution::normal, RadiusDistribution::lognormal})
    for (const std::uint64_t seed : {5u, 6u})
      {
        RandomSpheresOptions o;
        o.volume_fraction           = 0.2;
        o.radius                    = 0.02;
        o.distribution              = distribution;
        o.radius_standard_deviation = 0.008;
        o.seed                      = seed;
        const auto spheres = random_sphere_packing(3, {{1., 1., 1.}}, o);
        ASSERT_GT(spheres.size(), 3000u);
        double sum = 0., sum2 = 0.;
        for (const Sphere &s : spheres)
          {
            ASSERT_GT(s.radius, 0.);
            ASSERT_LE(s.radius, 0.02 + 3 * 0.008 + 1e-15);
            sum += s.radius;
            sum2 += s.radius * s.radius;
          }
        const double n    = double(spheres.size());
        const double mean = sum / n;
        const double sd   = std::sqrt(sum2 / n - mean * mean);
        const auto [true_mean, true_sd]
          = truncated_moments(distribution, 0.02, 0.008);
        EXPECT_NEAR(mean, true_mean, 4 * true_sd / std::sqrt(n))
          << to_string(distribution);
        EXPECT_NEAR(sd, true_sd, 0.1 * true_sd) << to_string(distribution);
      }
}

TEST(RandomSpheres, UnreachableTargetIsAClearError)
{
  RandomSpheresOptions o;
  o.radius          = 0.08;
  o.volume_fraction = 0.45; // beyond the jamming limit (~0.38) of RSA
  try
    {
      random_sphere_packing(3, {{1., 1., 1.}}, o);
      FAIL() << "expected InputError";
    }
  catch (const InputError &e)
    {
      EXPECT_EQ(e.key(), "Microstructure/Volume fraction");
      EXPECT_NE(std::string(e.what()).find("cannot reach 0.45"),
                std::string::npos)
        << e.what();
    }
  o.volume_fraction = 0.8; // beyond any packing of equal spheres
  EXPECT_EQ(input_error_key([&] {
              random_sphere_packing(3, {{1., 1., 1.}}, o);
            }),
            "Microstructure/Volume fraction");
  o.volume_fraction = 0.3;
  o.radius          = 0.6; // does not fit into the unit cell
  EXPECT_EQ(input_error_key([&] {
              random_sphere_packing(3, {{1., 1., 1.}}, o);
            }),
            "Microstructure/Radius");
}
