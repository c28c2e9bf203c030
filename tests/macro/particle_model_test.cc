// The radial particle model: its discrete Jacobian against finite
// differences of its residual (for both transport laws), exact lithium
// bookkeeping, and the long-time solution of a sphere under constant flux.

#include <scalebridge/base/constants.h>
#include <scalebridge/macro/electrode_material.h>
#include <scalebridge/macro/particle_model.h>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  ElectrodeMaterial
  marquis_negative()
  {
    ElectrodeParameters p(true);
    return ElectrodeMaterial(p, 298.15, 1000, "test", "Negative electrode");
  }

  ElectrodeMaterial
  lifepo4_card()
  {
    ElectrodeParameters p(false);
    p.material_card
      = test_support::source_path("inputs/materials/lifepo4.json").string();
    p.maximum_concentration    = "card";
    p.open_circuit_potential   = "card";
    p.particle_diffusivity     = "card";
    p.exchange_current_density = "card";
    p.symmetry_factor          = "card";
    p.conductivity             = "5";
    p.initial_stoichiometry    = 0.03;
    return ElectrodeMaterial(p, 298.15, 1000, "test", "Positive electrode");
  }

  /// Max relative deviation of the tridiagonal Jacobian from central
  /// differences of the residual at concentrations c.
  double
  jacobian_error(const ParticleModel &model, std::vector<double> c)
  {
    const unsigned int  n = c.size();
    std::vector<double> h(n, 0.0), R(n), lower(n), diag(n), upper(n),
      work(4 * n), Rp(n), Rm(n), scratch(4 * n);
    const double a0 = 1 / 10.0, j = 0.3;
    model.residual_and_jacobian(c.data(),
                                h.data(),
                                a0,
                                j,
                                R.data(),
                                lower.data(),
                                diag.data(),
                                upper.data(),
                                work.data());
    double error = 0, scale = 0;
    for (unsigned int k = 0; k < n; ++k)
      scale = std::max(scale, std::abs(diag[k]));
    for (unsigned int k = 0; k < n; ++k)
      {
        const double        step = 1e-7 * model.material().max_concentration();
        std::vector<double> cp = c, cm = c, l(n), d(n), u(n);
        cp[k] += step;
        cm[k] -= step;
        model.residual_and_jacobian(cp.data(),
                                    h.data(),
                                    a0,
                                    j,
                                    Rp.data(),
                                    l.data(),
                                    d.data(),
                                    u.data(),
                                    scratch.data());
        model.residual_and_jacobian(cm.data(),
                                    h.data(),
                                    a0,
                                    j,
                                    Rm.data(),
                                    l.data(),
                                    d.data(),
                                    u.data(),
                                    scratch.data());
        for (unsigned int i = 0; i < n; ++i)
          {
            const double fd    = (Rp[i] - Rm[i]) / (2 * step);
            const double exact = (i == k)       ? diag[i]
                                 : (i + 1 == k) ? upper[i]
                                 : (i == k + 1) ? lower[i]
                                                : 0.0;
            error              = std::max(error, std::abs(fd - exact) / scale);
          }
      }
    return error;
  }
} // namespace

TEST(ParticleMesh, VolumesAddUpAndGradingIsGeometric)
{
  const ParticleMesh mesh(10e-6, 20, 4);
  double             total = 0;
  for (const double v : mesh.volumes())
    total += v;
  EXPECT_NEAR(total, std::pow(10e-6, 3) / 3, 1e-12 * std::pow(10e-6, 3));
  const auto &d = mesh.face_distances();
  EXPECT_NEAR(d.front() / d.back(), 4, 1e-9);
  EXPECT_DOUBLE_EQ(mesh.radii().back(), 10e-6);
}

TEST(ParticleModel, JacobianMatchesFiniteDifferences)
{
  // Fick's law with constant D (Marquis) and the card law of a
  // phase-separating material (mobility ~ x, convexified U with rounded
  // corners, upwinded), on profiles that cross the binodal.
  const ElectrodeMaterial graphite = marquis_negative();
  const ElectrodeMaterial lfp      = lifepo4_card();
  const ParticleModel     fick(ParticleMesh(10e-6, 10, 2), graphite);
  const ParticleModel     card(ParticleMesh(0.5e-6, 10, 2), lfp);

  std::vector<double> c(11);
  for (unsigned int k = 0; k < 11; ++k)
    c[k] = graphite.max_concentration() * (0.3 + 0.05 * k);
  EXPECT_LT(jacobian_error(fick, c), 1e-7);

  const double x[11]
    = {0.004, 0.006, 0.2, 0.5, 0.8, 0.97, 0.986, 0.988, 0.99, 0.995, 0.999};
  for (unsigned int k = 0; k < 11; ++k)
    c[k] = lfp.max_concentration() * x[k];
  EXPECT_LT(jacobian_error(card, c), 1e-6);
}

TEST(ParticleModel, ConstantFluxMatchesTheLongTimeSolution)
{
  // A sphere (D constant) losing N = j/F at r = R: after the transient
  // (time constant R^2/(20.2 D)), c(r,t) = c0 - 3Nt/R - (NR/D)(r^2/(2R^2)
  // - 3/10) (Carslaw and Jaeger). The mean is exact at any resolution; the
  // surface value converges at second order in the radial spacing.
  const ElectrodeMaterial graphite = marquis_negative();
  const double            D = 3.9e-14, R = 10e-6, c0 = 20000, j = 1;
  const double            N     = j / constants::faraday;
  const double            t_end = 2000, h = 2;

  std::vector<double> errors;
  for (const unsigned int cells : {10u, 20u, 40u})
    {
      const ParticleModel model(ParticleMesh(R, cells), graphite);
      const unsigned int  n = cells + 1;
      std::vector<double> c(n, c0), c_old(n, c0), hist(n), Res(n), lower(n),
        diag(n), upper(n), work(4 * n);
      for (unsigned int step = 0; step * h < t_end; ++step)
        {
          // BDF2 after one backward-Euler step; the problem is linear, so
          // one Newton step from the old state solves it.
          const bool   bdf2 = step > 0;
          const double a0   = bdf2 ? 1.5 / h : 1 / h;
          for (unsigned int k = 0; k < n; ++k)
            hist[k] = bdf2 ? (-2 * c[k] + 0.5 * c_old[k]) / h : -c[k] / h;
          std::vector<double> guess = c;
          model.residual_and_jacobian(guess.data(),
                                      hist.data(),
                                      a0,
                                      j,
                                      Res.data(),
                                      lower.data(),
                                      diag.data(),
                                      upper.data(),
                                      work.data());
          solve_tridiagonal(
            n, lower.data(), diag.data(), upper.data(), Res.data(), 1);
          c_old = c;
          for (unsigned int k = 0; k < n; ++k)
            c[k] = guess[k] - Res[k];
        }
      const double mean = c0 - 3 * N * t_end / R;
      EXPECT_NEAR(model.mesh().mean(c.data()), mean, 1e-9 * c0);
      const double surface = mean - N * R / D * (0.5 - 0.3);
      errors.push_back(std::abs(c.back() - surface));
    }
  // Second order: the error shrinks about fourfold per halving.
  EXPECT_LT(errors[2], 1e-3 * 20000);
  EXPECT_GT(errors[0] / errors[1], 3);
  EXPECT_GT(errors[1] / errors[2], 3);
}
