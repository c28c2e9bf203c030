#ifndef scalebridge_tests_elasticity_stiffness_test_tools_h
#define scalebridge_tests_elasticity_stiffness_test_tools_h

#include <scalebridge/elasticity/stiffness.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <sstream>

namespace scalebridge::test_support
{
  using elasticity::Matrix6;

  /**
   * Entry-wise comparison relative to the largest |expected| entry, so that
   * zeros of the expected matrix are checked at the scale of the material.
   */
  inline testing::AssertionResult
  matrices_near(const Matrix6 &actual,
                const Matrix6 &expected,
                const double   relative_tolerance)
  {
    double scale = 0.0;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        scale = std::max(scale, std::abs(expected[I][J]));
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        if (!(std::abs(actual[I][J] - expected[I][J])
              <= relative_tolerance * scale))
          {
            std::ostringstream message;
            message.precision(17);
            message << "entry (" << I + 1 << ',' << J + 1 << ") is "
                    << actual[I][J] << ", expected " << expected[I][J]
                    << " within " << relative_tolerance * scale;
            return testing::AssertionFailure() << message.str();
          }
    return testing::AssertionSuccess();
  }

  /**
   * A random symmetric positive definite Mandel matrix with entries
   * O(scale): B B^T/6 (B uniform in [-1, 1]) has eigenvalues in [0, ~1.5],
   * the added 0.2 I makes it definite with condition number below ~10, so
   * that inverting it costs no more than a few eps.
   */
  inline Matrix6
  random_stable_mandel(std::mt19937_64 &rng, const double scale = 100.0)
  {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    Matrix6                                B;
    for (unsigned int I = 0; I < 6; ++I)
      for (unsigned int J = 0; J < 6; ++J)
        B[I][J] = u(rng);
    Matrix6 C = B * transpose(B) / 6.0;
    for (unsigned int I = 0; I < 6; ++I)
      C[I][I] += 0.2;
    return scale * C;
  }

  /// Uniformly random Euler angles in degrees (not uniform on SO(3), which
  /// is irrelevant for identities that hold for every rotation).
  inline std::array<double, 3>
  random_euler_angles(std::mt19937_64 &rng)
  {
    std::uniform_real_distribution<double> u(0.0, 360.0);
    const double phi1 = u(rng), Phi = u(rng) / 2.0, phi2 = u(rng);
    return {{phi1, Phi, phi2}};
  }
} // namespace scalebridge::test_support

#endif
