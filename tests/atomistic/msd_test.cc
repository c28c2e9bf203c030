// Tracer diffusion: the FFT MSD against the double loop, and D with its
// standard error against random walks of known D (coverage over 200 seeds,
// convergence, drift, units, unwrapping from image flags).

#include <scalebridge/atomistic/md_units.h>
#include <scalebridge/atomistic/msd.h>
#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/atomistic/trajectory_reader.h>

#include <gtest/gtest.h>

#include <cmath>

#include "atomistic_test_support.h"
#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::atomistic;

TEST(Msd, FftEqualsDoubleLoop)
{
  GaussianSource      gauss(3);
  std::vector<double> x(257);
  double              walk = 5;
  for (double &v : x)
    v = (walk += gauss());
  const auto msd = mean_squared_displacement(x);
  for (std::size_t m = 0; m < x.size(); ++m)
    {
      double sum = 0;
      for (std::size_t k = 0; k + m < x.size(); ++k)
        sum += (x[k + m] - x[k]) * (x[k + m] - x[k]);
      EXPECT_NEAR(msd[m], sum / (x.size() - m), 1e-9 * (1 + sum)) << m;
    }
}

TEST(Msd, RandomWalkCoverage)
{
  const double D     = 0.1;
  unsigned int cover = 0;
  const int    seeds = 200;
  for (int seed = 1; seed <= seeds; ++seed)
    {
      RandomWalkSpec spec;
      spec.n_walkers   = 16;
      spec.n_hosts     = 16;
      spec.n_frames    = 1200;
      spec.diffusivity = D;
      spec.seed        = seed;
      const MsdResult r
        = analyse_msd(random_walk_trajectory(spec), MsdOptions(), "walk", "T");
      ASSERT_EQ(r.fit_first_lag, 1u); // a random walk is diffusive at once
      cover += std::abs(r.diffusivity.value - D)
               <= 2 * r.diffusivity.standard_error;
    }
  const double fraction = double(cover) / seeds;
  std::cout << "random-walk D: +-2 SE covers the truth in " << fraction
            << " of " << seeds << " seeds\n";
  EXPECT_GE(fraction, test_support::coverage_low);
  EXPECT_LE(fraction, test_support::coverage_high);
}

TEST(Msd, ConvergesAsTheTrajectoryGrows)
{
  // 16x the frames: the standard error falls about 4x, the error stays
  // within it.
  double se[2] = {0, 0};
  for (int s = 0; s < 4; ++s)
    for (int i = 0; i < 2; ++i)
      {
        RandomWalkSpec spec;
        spec.n_walkers = 8;
        spec.n_hosts   = 8;
        spec.n_frames  = i == 0 ? 1000 : 16000;
        spec.seed      = 100 + s;
        const MsdResult r
          = analyse_msd(random_walk_trajectory(spec), MsdOptions(), "w", "T");
        se[i] += r.diffusivity.standard_error / 4;
        EXPECT_LT(std::abs(r.diffusivity.value - 0.1),
                  4 * r.diffusivity.standard_error);
      }
  EXPECT_GT(se[0] / se[1], 2.5);
  EXPECT_LT(se[0] / se[1], 6.5);
}

TEST(Msd, CentreOfMassDriftIsRemoved)
{
  RandomWalkSpec spec;
  spec.n_frames    = 1200;
  spec.drift       = {{0.3, -0.2, 0.1}};
  spec.seed        = 5;
  const auto traj  = random_walk_trajectory(spec);
  const auto fixed = analyse_msd(traj, MsdOptions(), "w", "T");
  EXPECT_LT(std::abs(fixed.diffusivity.value - 0.1),
            4 * fixed.diffusivity.standard_error);
  MsdOptions raw;
  raw.remove_drift = false;
  raw.fit_start    = 1;
  // Without: the drift's v^2 t^2 makes D several times too large.
  EXPECT_GT(analyse_msd(traj, raw, "w", "T").diffusivity.value, 0.3);
}

TEST(Msd, UnitsMetalAndRealGiveTheSameSiDiffusivity)
{
  // One trajectory, frames 1 ps apart: metal says 1 (ps), real says 1000
  // (fs). The SI values must agree; a forgotten factor is 1000x off.
  RandomWalkSpec spec;
  spec.seed       = 9;
  const auto traj = random_walk_trajectory(spec);
  MsdOptions metal, real;
  real.time_per_frame = 1000;
  const MdUnits m = md_units("metal"), r = md_units("real");
  const double  D_metal = analyse_msd(traj, metal, "w", "T").diffusivity.value
                         * m.length_m * m.length_m / m.time_s;
  const double D_real = analyse_msd(traj, real, "w", "T").diffusivity.value
                        * r.length_m * r.length_m / r.time_s;
  EXPECT_NEAR(D_real / D_metal, 1.0, 1e-12);
  EXPECT_NEAR(D_metal / 1e-9, 1.0, 0.3); // 0.1 A^2/ps = 1e-9 m^2/s
}

TEST(Msd, DumpsWithImagesTriclinicAndUnwrappedAgree)
{
  const auto     dir = test_support::scratch_directory("atomistic_msd_dumps");
  RandomWalkSpec spec;
  spec.n_frames = 700;
  spec.tilt_xy  = 3.0;
  spec.seed     = 21;
  write_random_walk_dump(dir / "images.dump", spec, true, 6);
  write_random_walk_dump(dir / "unwrapped.dump", spec, false, 6);
  const auto wrapped   = read_trajectory(dir / "images.dump", "T", "2");
  const auto unwrapped = read_trajectory(dir / "unwrapped.dump", "T", "2");
  const auto memory    = random_walk_trajectory(spec);
  EXPECT_TRUE(wrapped.triclinic);
  ASSERT_EQ(wrapped.n_frames, 700u);
  ASSERT_EQ(wrapped.n_selected, spec.n_walkers);
  ASSERT_EQ(wrapped.positions.size(), memory.positions.size());
  for (std::size_t i = 0; i < memory.positions.size(); ++i)
    {
      ASSERT_NEAR(wrapped.positions[i], memory.positions[i], 2e-6) << i;
      ASSERT_NEAR(unwrapped.positions[i], memory.positions[i], 2e-6) << i;
    }
}
