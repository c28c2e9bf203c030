// Mesh independence on odd sizes: with coarse levels of ceil(n/2) cells the
// multigrid-preconditioned CG needs about as many iterations at 33^3, 65^3
// and 101^3 voxels (odd at every level but the coarsest few) as on small
// cells. Before, such sizes had a single level and CG iterations grew like
// the voxels per side. Run at 2 ranks (about a minute on 2 cores).

#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <gtest/gtest.h>

#include "rve_test_tools.h"

using namespace scalebridge;
using namespace scalebridge::rve;
using dealii::FullMatrix;

TEST(AnySize, IterationsStayFlatOnOddSizes)
{
  // Centred sphere, f = 0.2, contrast 10, periodic, default tolerance 1e-8.
  // Bound: at most 2 iterations more than at 33^3 (the allowance of
  // CellProblem.IterationsStayFlat for 16^3 -> 32^3) and at most 15; a
  // one-level solve needs hundreds here.
  const double                          r = std::cbrt(0.2 * 3 / (4 * M_PI));
  const std::vector<FullMatrix<double>> k
    = {rve_test::conductivity(1.), rve_test::conductivity(10.)};
  const std::vector<FullMatrix<double>> C
    = {rve_test::isotropic(1e9, 0.3), rve_test::isotropic(10e9, 0.3)};
  std::vector<unsigned> conduction, elasticity, levels;
  for (const unsigned n : {33u, 65u, 101u})
    {
      const auto res = rve_test::homogenize<3>(
        rve_test::centred_sphere(3, n, r), Physics::conduction, "periodic", k);
      EXPECT_TRUE(res.converged) << n;
      conduction.push_back(res.max_iterations());
      levels.push_back(res.n_levels);
      if (n < 101)
        elasticity.push_back(
          rve_test::homogenize<3>(rve_test::centred_sphere(3, n, r),
                                  Physics::elasticity,
                                  "periodic",
                                  C)
            .max_iterations());
    }
  // 33, 17, 9, 5, 3, 2; 65, 33, ...; 101, 51, 26, 13, 7, 4, 2
  EXPECT_EQ(levels, (std::vector<unsigned>{6, 7, 7}));
  for (const unsigned it : conduction)
    {
      EXPECT_LE(it, conduction[0] + 2);
      EXPECT_LE(it, 15u);
    }
  EXPECT_LE(elasticity[1], elasticity[0] + 2);
  EXPECT_LE(elasticity[1], 15u);
  std::cout << "conduction iterations 33^3, 65^3, 101^3: " << conduction[0]
            << ", " << conduction[1] << ", " << conduction[2]
            << "; elasticity 33^3, 65^3: " << elasticity[0] << ", "
            << elasticity[1] << std::endl;
}
