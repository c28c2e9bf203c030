#ifndef scalebridge_microstructure_sphere_tools_h
#define scalebridge_microstructure_sphere_tools_h

// Internal helpers shared by the sphere-based generators (random spheres,
// electrode): portable random numbers, radius sampling, a periodic cell list
// for overlap checks and sphere rasterization.

#include <scalebridge/base/input_error.h>
#include <scalebridge/microstructure/generators.h>
#include <scalebridge/microstructure/microstructure.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scalebridge::microstructure::internal
{
  [[noreturn]] inline void
  generator_error(const std::string &key, const std::string &reason)
  {
    throw InputError(generator_error_source, "Microstructure/" + key, reason);
  }

  /**
   * std::mt19937_64 with distributions written out here: the standard
   * library's distributions are implementation-defined, and a microstructure
   * generated from a seed must be the same with every compiler.
   */
  class Random
  {
  public:
    explicit Random(std::uint64_t seed)
      : engine(seed)
    {
    }

    /// Uniform in [0, 1) with 53 random bits.
    double
    uniform()
    {
      return static_cast<double>(engine() >> 11) * 0x1.0p-53;
    }

    /// Standard normal by the Box-Muller transform (one value per call).
    double
    normal()
    {
      const double u1 = 1. - uniform(); // (0, 1]: log stays finite
      const double u2 = uniform();
      return std::sqrt(-2. * std::log(u1)) * std::cos(2. * M_PI * u2);
    }

  private:
    std::mt19937_64 engine;
  };

  /// Draws radii of a RadiusDistribution truncated to (0, r_max].
  class RadiusSampler
  {
  public:
    RadiusSampler(RadiusDistribution distribution,
                  double             mean,
                  double             standard_deviation,
                  double             largest_allowed);

    /// Largest radius that can be returned.
    double
    max_radius() const;

    double
    draw(Random &random) const;

  private:
    RadiusDistribution distribution;
    double             mean;
    double             standard_deviation;
    double             r_max;
    double             log_mu    = 0.;
    double             log_sigma = 0.;
  };

  /**
   * Placed spheres in a periodic cell, binned in a cell list whose bins are
   * at least as wide as the largest distance at which two spheres interact,
   * so that a test looks at the 3^d neighbouring bins only.
   */
  class PeriodicSphereSet
  {
  public:
    PeriodicSphereSet(unsigned int                 dimension,
                      const std::array<double, 3> &size,
                      double                       interaction_distance);

    /// Whether every placed sphere s_j is at least
    /// factor (r + r_j) + gap away from @p sphere (nearest periodic image).
    bool
    is_free(const Sphere &sphere, double factor, double gap) const;

    void
    insert(const Sphere &sphere);

    const std::vector<Sphere> &
    spheres() const;

  private:
    std::size_t
    bin_of(const std::array<double, 3> &x) const;

    unsigned int                       dim;
    std::array<double, 3>              extent;
    std::array<unsigned, 3>            n_bins{{1, 1, 1}};
    std::vector<std::vector<unsigned>> bins;
    std::vector<Sphere>                placed;
  };

  /// Calls f(linear voxel index) for each voxel whose centre is in @p sphere
  /// or one of its periodic images (each voxel once if 2r < shortest edge).
  template <typename Function>
  void
  for_each_voxel_in_sphere(const Microstructure &m,
                           const Sphere         &sphere,
                           const Function       &f)
  {
    const unsigned int             dim = m.dimension();
    const std::array<double, 3>    h   = m.voxel_size();
    const std::array<unsigned, 3> &n   = m.n_voxels();
    // Voxel range whose centres (i + 1/2) h can be within r of the centre.
    std::array<long, 3> lo{{0, 0, 0}}, hi{{0, 0, 0}};
    for (unsigned d = 0; d < dim; ++d)
      {
        lo[d] = static_cast<long>(
          std::ceil((sphere.centre[d] - sphere.radius) / h[d] - 0.5));
        hi[d] = static_cast<long>(
          std::floor((sphere.centre[d] + sphere.radius) / h[d] - 0.5));
      }
    const double r2   = sphere.radius * sphere.radius;
    const auto   wrap = [](long i, unsigned nd) {
      return static_cast<unsigned>(((i % long(nd)) + long(nd)) % long(nd));
    };
    for (long k = lo[2]; k <= hi[2]; ++k)
      {
        const double dz = dim == 3 ? (k + 0.5) * h[2] - sphere.centre[2] : 0.;
        for (long j = lo[1]; j <= hi[1]; ++j)
          {
            const double dy = (j + 0.5) * h[1] - sphere.centre[1];
            for (long i = lo[0]; i <= hi[0]; ++i)
              {
                const double dx = (i + 0.5) * h[0] - sphere.centre[0];
                if (dx * dx + dy * dy + dz * dz <= r2)
                  f(m.index(wrap(i, n[0]), wrap(j, n[1]), wrap(k, n[2])));
              }
          }
      }
  }

  /// Volume of a sphere (area of a disc).
  inline double
  ball_volume(unsigned int dimension, double radius)
  {
    return dimension == 3 ? 4. / 3. * M_PI * radius * radius * radius
                          : M_PI * radius * radius;
  }

  /// Volume (area) of the cell.
  inline double
  cell_volume(unsigned int dimension, const std::array<double, 3> &size)
  {
    return dimension == 3 ? size[0] * size[1] * size[2] : size[0] * size[1];
  }

  /// Shortest edge of the cell.
  inline double
  shortest_edge(unsigned int dimension, const std::array<double, 3> &size)
  {
    return dimension == 3 ? std::min({size[0], size[1], size[2]})
                          : std::min(size[0], size[1]);
  }
} // namespace scalebridge::microstructure::internal

#endif
