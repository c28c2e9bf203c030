#include <scalebridge/base/preconditions.h>
#include <scalebridge/microstructure/electrode.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "sphere_tools.h"

namespace scalebridge::microstructure
{
  namespace
  {

    void
    check_options(unsigned int dimension, const ElectrodeOptions &o)
    {
      if (dimension != 2 && dimension != 3)
        throw InputError(generator_error_source,
                         "Dimension",
                         "must be 2 or 3, got " + std::to_string(dimension));
      const double pore = 1. - o.active_fraction - o.binder_fraction;
      if (!(o.active_fraction > 0. && o.active_fraction < 1.)
          || !(o.binder_fraction >= 0. && o.binder_fraction < 1.)
          || !(pore > 1e-6))
        internal::generator_error(
          "Phase fractions",
          "the electrode needs active in (0,1), carbon-binder in [0,1) and a "
          "positive pore fraction 1 - active - binder; got active "
            + format_number(o.active_fraction, 6) + ", carbon-binder "
            + format_number(o.binder_fraction, 6));
      if (!(o.particle_overlap >= 0. && o.particle_overlap < 1.))
        internal::generator_error("Particle overlap",
                                  "must lie in [0,1), got "
                                    + format_number(o.particle_overlap, 6));
      if (o.active_phase == o.binder_phase || o.active_phase == o.pore_phase
          || o.binder_phase == o.pore_phase)
        throw InputError(generator_error_source,
                         "",
                         "the electrode's three phase ids must differ");
    }
  } // namespace

  ElectrodeStructure
  generate_electrode(unsigned int                   dimension,
                     const std::array<unsigned, 3> &n_voxels,
                     const ElectrodeOptions        &options,
                     const std::array<double, 3>   &size)
  {
    check_options(dimension, options);
    ElectrodeStructure result{
      Microstructure(dimension, n_voxels, size, options.pore_phase), {}};
    Microstructure       &m     = result.microstructure;
    std::vector<PhaseId> &ids   = m.data();
    const std::size_t     total = m.n_total_voxels();

    // A particle must not overlap its own periodic image.
    const internal::RadiusSampler sampler(options.distribution,
                                          options.radius,
                                          options.radius_standard_deviation,
                                          0.5
                                            * internal::shortest_edge(dimension,
                                                                      size));
    internal::Random              random(options.seed);
    const double                  factor = 1. - options.particle_overlap;
    internal::PeriodicSphereSet   placed(dimension,
                                       size,
                                       factor * 2. * sampler.max_radius());

    // 1. Active particles, stopped at the voxel count closest to the target.
    const double             target = options.active_fraction * double(total);
    std::size_t              active = 0;
    std::vector<std::size_t> added;
    while (true)
      {
        Sphere sphere;
        sphere.radius = sampler.draw(random);
        bool found    = false;
        for (unsigned a = 0; a < options.max_attempts_per_particle && !found;
             ++a)
          {
            for (unsigned d = 0; d < dimension; ++d)
              sphere.centre[d] = random.uniform() * size[d];
            found = placed.is_free(sphere, factor, 0.);
          }
        if (!found)
          internal::generator_error(
            "Phase fractions",
            "the active fraction " + format_number(options.active_fraction, 6)
              + " cannot be reached: no free place for another particle at "
              + format_number(double(active) / double(total), 6)
              + "; increase the particle overlap or lower the fraction");
        added.clear();
        internal::for_each_voxel_in_sphere(m, sphere, [&](std::size_t v) {
          if (ids[v] != options.active_phase)
            {
              ids[v] = options.active_phase;
              added.push_back(v);
            }
        });
        const double before = std::abs(double(active) - target);
        const double after  = std::abs(double(active + added.size()) - target);
        if (after >= before && !added.empty())
          {
            for (const std::size_t v : added)
              ids[v] = options.pore_phase;
            break;
          }
        placed.insert(sphere);
        active += added.size();
      }
    result.particles = placed.spheres();

    // 2. Carbon-binder by neck score d1 + min(d2, R).
    const std::size_t n_binder = static_cast<std::size_t>(
      std::llround(options.binder_fraction * double(total)));
    if (n_binder > 0)
      {
        const double          reach = 2. * options.radius;
        const float           far   = std::numeric_limits<float>::infinity();
        std::vector<float>    d1(total, far), d2(total, far);
        std::vector<unsigned> nearest(total, unsigned(-1));
        const auto           &particles = result.particles;
        for (unsigned p = 0; p < particles.size(); ++p)
          {
            Sphere halo = particles[p];
            halo.radius += reach;
            const auto  &c = particles[p].centre;
            const double r = particles[p].radius;
            const auto   h = m.voxel_size();
            const auto  &n = m.n_voxels();
            internal::for_each_voxel_in_sphere(m, halo, [&](std::size_t v) {
              if (ids[v] == options.active_phase)
                return;
              const unsigned i = v % n[0], j = v / n[0] % n[1],
                             k = v / (std::size_t(n[0]) * n[1]);
              const std::array<double, 3> x{
                {(i + 0.5) * h[0], (j + 0.5) * h[1], (k + 0.5) * h[2]}};
              double dist2 = 0.;
              for (unsigned d = 0; d < dimension; ++d)
                {
                  double dx = x[d] - c[d];
                  dx -= size[d] * std::round(dx / size[d]);
                  dist2 += dx * dx;
                }
              const float s = static_cast<float>(std::sqrt(dist2) - r);
              if (nearest[v] == p)
                d1[v] = std::min(d1[v], s);
              else if (s < d1[v])
                {
                  d2[v]      = d1[v];
                  d1[v]      = s;
                  nearest[v] = p;
                }
              else if (s < d2[v])
                d2[v] = s;
            });
          }
        std::vector<std::pair<float, std::size_t>> candidates;
        for (std::size_t v = 0; v < total; ++v)
          if (ids[v] != options.active_phase && d1[v] <= float(reach))
            candidates.emplace_back(d1[v] + std::min(d2[v], float(reach)), v);
        if (candidates.size() < n_binder)
          internal::generator_error(
            "Phase fractions",
            "the carbon-binder fraction "
              + format_number(options.binder_fraction, 6)
              + " exceeds the pore space within two particle radii of the "
                "particles ("
              + format_number(double(candidates.size()) / double(total), 6)
              + "); lower it or raise the active fraction");
        std::nth_element(candidates.begin(),
                         candidates.begin() + (n_binder - 1),
                         candidates.end());
        for (std::size_t c = 0; c < n_binder; ++c)
          ids[candidates[c].second] = options.binder_phase;
      }
    return result;
  }

  Microstructure
  electrode(unsigned int                   dimension,
            const std::array<unsigned, 3> &n_voxels,
            const ElectrodeOptions        &options,
            const std::array<double, 3>   &size)
  {
    return generate_electrode(dimension, n_voxels, options, size)
      .microstructure;
  }
} // namespace scalebridge::microstructure
