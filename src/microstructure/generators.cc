#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/microstructure/generators.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "sphere_tools.h"

namespace scalebridge::microstructure
{
  namespace internal
  {
    RadiusSampler::RadiusSampler(RadiusDistribution distribution,
                                 double             mean,
                                 double             standard_deviation,
                                 double             largest_allowed)
      : distribution(distribution)
      , mean(mean)
      , standard_deviation(standard_deviation)
      , r_max(largest_allowed)
    {
      if (!(mean > 0.))
        generator_error("Radius", "must be > 0, got " + std::to_string(mean));
      if (!(standard_deviation >= 0.))
        generator_error("Radius standard deviation",
                        "must be >= 0, got "
                          + std::to_string(standard_deviation));
      if (distribution == RadiusDistribution::monodisperse)
        r_max = std::min(r_max, mean);
      else
        r_max = std::min(r_max, mean + 3. * standard_deviation);
      if (mean > largest_allowed)
        generator_error("Radius",
                        "a sphere of radius " + std::to_string(mean)
                          + " (plus the gap) does not fit into the periodic "
                            "cell; the largest allowed radius is "
                          + std::to_string(largest_allowed));
      if (distribution == RadiusDistribution::lognormal)
        {
          // Mean m and standard deviation s of r give those of log r.
          const double cv2
            = (standard_deviation / mean) * (standard_deviation / mean);
          log_sigma = std::sqrt(std::log1p(cv2));
          log_mu    = std::log(mean) - 0.5 * log_sigma * log_sigma;
        }
    }

    double
    RadiusSampler::max_radius() const
    {
      return r_max;
    }

    double
    RadiusSampler::draw(Random &random) const
    {
      if (distribution == RadiusDistribution::monodisperse
          || standard_deviation == 0.)
        return mean;
      // Rejection keeps the shape of the distribution inside (0, r_max]; the
      // mean lies inside, so acceptance is at least a few per cent.
      for (unsigned attempt = 0; attempt < 100000; ++attempt)
        {
          const double z = random.normal();
          const double r = distribution == RadiusDistribution::normal
                             ? mean + standard_deviation * z
                             : std::exp(log_mu + log_sigma * z);
          if (r > 0. && r <= r_max)
            return r;
        }
      generator_error("Radius standard deviation",
                      "no radius in (0, " + std::to_string(r_max)
                        + "] could be drawn; reduce the spread or the radius");
    }

    PeriodicSphereSet::PeriodicSphereSet(unsigned int                 dimension,
                                         const std::array<double, 3> &size,
                                         double interaction_distance)
      : dim(dimension)
      , extent(size)
    {
      for (unsigned d = 0; d < dim; ++d)
        n_bins[d]
          = std::max(1u,
                     static_cast<unsigned>(
                       std::min(64., // at most 64^3 bins
                                std::floor(extent[d] / interaction_distance))));
      bins.resize(std::size_t(n_bins[0]) * n_bins[1] * n_bins[2]);
    }

    std::size_t
    PeriodicSphereSet::bin_of(const std::array<double, 3> &x) const
    {
      std::array<unsigned, 3> b{{0, 0, 0}};
      for (unsigned d = 0; d < dim; ++d)
        {
          const double s = x[d] / extent[d];
          b[d]
            = std::min(n_bins[d] - 1,
                       static_cast<unsigned>((s - std::floor(s)) * n_bins[d]));
        }
      return b[0]
             + std::size_t(n_bins[0]) * (b[1] + std::size_t(n_bins[1]) * b[2]);
    }

    bool
    PeriodicSphereSet::is_free(const Sphere &sphere,
                               double        factor,
                               double        gap) const
    {
      const std::size_t       home = bin_of(sphere.centre);
      std::array<unsigned, 3> b{{unsigned(home % n_bins[0]),
                                 unsigned(home / n_bins[0] % n_bins[1]),
                                 unsigned(home / n_bins[0] / n_bins[1])}};
      // Distinct neighbour bins per direction (fewer than 3 in small grids).
      std::array<std::vector<unsigned>, 3> neighbours;
      for (unsigned d = 0; d < 3; ++d)
        {
          if (d >= dim || n_bins[d] == 1)
            neighbours[d] = {b[d]};
          else if (n_bins[d] == 2)
            neighbours[d] = {0, 1};
          else
            neighbours[d] = {(b[d] + n_bins[d] - 1) % n_bins[d],
                             b[d],
                             (b[d] + 1) % n_bins[d]};
        }
      for (const unsigned bz : neighbours[2])
        for (const unsigned by : neighbours[1])
          for (const unsigned bx : neighbours[0])
            for (const unsigned s :
                 bins[bx
                      + std::size_t(n_bins[0])
                          * (by + std::size_t(n_bins[1]) * bz)])
              {
                const Sphere &other = placed[s];
                double        d2    = 0.;
                for (unsigned d = 0; d < dim; ++d)
                  {
                    double dx = sphere.centre[d] - other.centre[d];
                    dx -= extent[d] * std::round(dx / extent[d]);
                    d2 += dx * dx;
                  }
                const double needed
                  = factor * (sphere.radius + other.radius) + gap;
                if (d2 < needed * needed)
                  return false;
              }
      return true;
    }

    void
    PeriodicSphereSet::insert(const Sphere &sphere)
    {
      bins[bin_of(sphere.centre)].push_back(
        static_cast<unsigned>(placed.size()));
      placed.push_back(sphere);
    }

    const std::vector<Sphere> &
    PeriodicSphereSet::spheres() const
    {
      return placed;
    }
  } // namespace internal

  namespace
  {

    void
    check_dimension(unsigned int dimension)
    {
      if (dimension != 2 && dimension != 3)
        throw InputError(generator_error_source,
                         "Dimension",
                         "must be 2 or 3, got " + std::to_string(dimension));
    }
  } // namespace

  Microstructure
  laminate(unsigned int                   dimension,
           const std::array<unsigned, 3> &n_voxels,
           unsigned int                   normal,
           const std::vector<double>     &phase_fractions,
           const std::array<double, 3>   &size)
  {
    check_dimension(dimension);
    if (normal >= dimension)
      internal::generator_error("Laminate normal",
                                "must be x or y in 2D (x, y or z in 3D)");
    if (phase_fractions.size() < 2 || phase_fractions.size() > 256)
      internal::generator_error(
        "Phase fractions",
        "a laminate needs 2 to 256 phase fractions, got "
          + std::to_string(phase_fractions.size()));
    double sum = 0.;
    for (const double f : phase_fractions)
      {
        if (!(f > 0. && f < 1.))
          internal::generator_error("Phase fractions",
                                    "every fraction must lie in (0,1), got "
                                      + format_number(f, 6));
        sum += f;
      }
    if (std::abs(sum - 1.) > 1e-6)
      internal::generator_error("Phase fractions",
                                "the fractions must sum to 1, got "
                                  + format_number(sum, 6));

    Microstructure     result(dimension, n_voxels, size, 0);
    const unsigned int n_layers = result.n_voxels()[normal];
    // Layer boundaries b_p = round(N * cumulative fraction), b_P = N.
    std::vector<unsigned> boundary(phase_fractions.size() + 1, 0);
    double                cumulative = 0.;
    for (std::size_t p = 0; p + 1 < phase_fractions.size(); ++p)
      {
        cumulative += phase_fractions[p];
        boundary[p + 1]
          = static_cast<unsigned>(std::llround(cumulative * n_layers));
      }
    boundary.back() = n_layers;
    for (std::size_t p = 0; p < phase_fractions.size(); ++p)
      if (boundary[p + 1] <= boundary[p])
        internal::generator_error(
          "Phase fractions",
          "phase " + std::to_string(p) + " (fraction "
            + format_number(phase_fractions[p], 6)
            + ") gets no voxel layer with " + std::to_string(n_layers)
            + " voxels across the layers; use more voxels");

    const std::array<unsigned, 3> &n = result.n_voxels();
    for (unsigned k = 0; k < n[2]; ++k)
      for (unsigned j = 0; j < n[1]; ++j)
        for (unsigned i = 0; i < n[0]; ++i)
          {
            const unsigned layer = normal == 0 ? i : normal == 1 ? j : k;
            const auto     upper
              = std::upper_bound(boundary.begin(), boundary.end(), layer);
            result.set_phase(
              i, j, k, static_cast<PhaseId>(upper - boundary.begin() - 1));
          }
    return result;
  }

  double
  radius_for_volume_fraction(unsigned int                 dimension,
                             const std::array<double, 3> &size,
                             double                       volume_fraction)
  {
    const double v = volume_fraction * internal::cell_volume(dimension, size);
    return dimension == 3 ? std::cbrt(3. * v / (4. * M_PI))
                          : std::sqrt(v / M_PI);
  }

  Microstructure
  centred_sphere(unsigned int                   dimension,
                 const std::array<unsigned, 3> &n_voxels,
                 double                         volume_fraction,
                 const std::array<double, 3>   &size,
                 PhaseId                        matrix,
                 PhaseId                        inclusion)
  {
    check_dimension(dimension);
    if (!(volume_fraction > 0. && volume_fraction < 1.))
      internal::generator_error("Volume fraction",
                                "must lie in (0,1), got "
                                  + format_number(volume_fraction, 6));
    Microstructure result(dimension, n_voxels, size, matrix);
    const double   r
      = radius_for_volume_fraction(dimension, size, volume_fraction);
    const double l = internal::shortest_edge(dimension, size);
    if (r > 0.5 * l * (1. + 1e-12))
      {
        const double touching = internal::ball_volume(dimension, 0.5 * l)
                                / internal::cell_volume(dimension, size);
        internal::generator_error(
          "Volume fraction",
          "a centred " + std::string(dimension == 3 ? "sphere" : "disc")
            + " of volume fraction " + format_number(volume_fraction, 6)
            + " does not fit into the cell; at most "
            + format_number(touching, 6) + " (touching the faces) is allowed");
      }
    Sphere sphere;
    sphere.radius = r;
    for (unsigned d = 0; d < dimension; ++d)
      sphere.centre[d] = 0.5 * size[d];
    rasterize_spheres(result, {sphere}, inclusion);
    return result;
  }

  RadiusDistribution
  radius_distribution_from_string(const std::string &name)
  {
    if (name == "monodisperse")
      return RadiusDistribution::monodisperse;
    if (name == "normal")
      return RadiusDistribution::normal;
    if (name == "lognormal")
      return RadiusDistribution::lognormal;
    internal::generator_error(
      "Radius distribution",
      "unknown distribution '" + name
        + "'; allowed: monodisperse, normal, lognormal");
  }

  std::string
  to_string(RadiusDistribution distribution)
  {
    switch (distribution)
      {
        case RadiusDistribution::monodisperse:
          return "monodisperse";
        case RadiusDistribution::normal:
          return "normal";
        case RadiusDistribution::lognormal:
          return "lognormal";
      }
    return "";
  }

  std::vector<Sphere>
  random_sphere_packing(unsigned int                 dimension,
                        const std::array<double, 3> &size,
                        const RandomSpheresOptions  &options)
  {
    check_dimension(dimension);
    const double f = options.volume_fraction;
    if (!(f > 0. && f < 1.))
      internal::generator_error("Volume fraction",
                                "must lie in (0,1), got "
                                  + format_number(f, 6));
    if (!(options.minimum_gap >= 0.))
      internal::generator_error("Minimum gap",
                                "must be >= 0, got "
                                  + format_number(options.minimum_gap, 6));
    // No arrangement of equal spheres (discs) is denser than these; random
    // sequential addition stops far below, but this fails fast.
    const double densest
      = dimension == 3 ? M_PI / std::sqrt(18.) : M_PI / std::sqrt(12.);
    if (options.distribution == RadiusDistribution::monodisperse && f > densest)
      internal::generator_error("Volume fraction",
                                format_number(f, 6)
                                  + " exceeds the densest packing of equal "
                                  + (dimension == 3 ? "spheres (" : "discs (")
                                  + format_number(densest, 6) + ")");

    const double cell = internal::cell_volume(dimension, size);
    const double largest
      = 0.5 * (internal::shortest_edge(dimension, size) - options.minimum_gap);
    const internal::RadiusSampler sampler(options.distribution,
                                          options.radius,
                                          options.radius_standard_deviation,
                                          largest);
    internal::Random              random(options.seed);

    // Radii first: stop when one more sphere would move the total volume
    // away from the target, so |fraction - target| <= half a sphere.
    std::vector<Sphere> todo;
    const double        target = f * cell;
    double              total  = 0.;
    while (true)
      {
        Sphere s;
        s.radius       = sampler.draw(random);
        const double v = internal::ball_volume(dimension, s.radius);
        if (std::abs(total + v - target) >= std::abs(total - target))
          break;
        total += v;
        todo.push_back(s);
      }
    if (todo.empty())
      internal::generator_error("Volume fraction",
                                format_number(f, 6)
                                  + " is less than half the volume of one "
                                    "sphere of radius "
                                  + format_number(options.radius, 6)
                                  + "; reduce the radius");
    // Largest first: small spheres still find room in the gaps of big ones.
    std::stable_sort(todo.begin(),
                     todo.end(),
                     [](const Sphere &a, const Sphere &b) {
                       return a.radius > b.radius;
                     });

    internal::PeriodicSphereSet placed(
      dimension, size, 2. * sampler.max_radius() + options.minimum_gap);
    for (std::size_t s = 0; s < todo.size(); ++s)
      {
        Sphere sphere = todo[s];
        bool   done   = false;
        for (unsigned a = 0; a < options.max_attempts_per_sphere && !done; ++a)
          {
            for (unsigned d = 0; d < dimension; ++d)
              sphere.centre[d] = random.uniform() * size[d];
            if (placed.is_free(sphere, 1., options.minimum_gap))
              {
                placed.insert(sphere);
                done = true;
              }
          }
        if (!done)
          internal::generator_error(
            "Volume fraction",
            "random sequential addition cannot reach " + format_number(f, 6)
              + ": sphere " + std::to_string(s + 1) + " of "
              + std::to_string(todo.size()) + " found no free place in "
              + std::to_string(options.max_attempts_per_sphere)
              + " attempts at fraction "
              + format_number(
                geometric_volume_fraction(dimension, size, placed.spheres()), 6)
              + " (equal "
              + (dimension == 3 ? "spheres jam near 0.38"
                                : "discs jam near 0.55")
              + "); lower the fraction or the gap, or widen the radius distribution");
      }
    return placed.spheres();
  }

  void
  rasterize_spheres(Microstructure            &microstructure,
                    const std::vector<Sphere> &spheres,
                    PhaseId                    phase)
  {
    std::vector<PhaseId> &ids = microstructure.data();
    for (const Sphere &s : spheres)
      internal::for_each_voxel_in_sphere(microstructure, s, [&](std::size_t v) {
        ids[v] = phase;
      });
  }

  double
  geometric_volume_fraction(unsigned int                 dimension,
                            const std::array<double, 3> &size,
                            const std::vector<Sphere>   &spheres)
  {
    double v = 0.;
    for (const Sphere &s : spheres)
      v += internal::ball_volume(dimension, s.radius);
    return v / internal::cell_volume(dimension, size);
  }

  Microstructure
  random_spheres(unsigned int                   dimension,
                 const std::array<unsigned, 3> &n_voxels,
                 const RandomSpheresOptions    &options,
                 const std::array<double, 3>   &size)
  {
    check_dimension(dimension);
    Microstructure result(dimension, n_voxels, size, 0);
    rasterize_spheres(result,
                      random_sphere_packing(dimension, size, options),
                      1);
    return result;
  }
} // namespace scalebridge::microstructure
