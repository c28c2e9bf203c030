#ifndef scalebridge_base_constants_h
#define scalebridge_base_constants_h

/**
 * @file
 * Physical constants, CODATA 2018. Since the 2019 SI redefinition e, k_B,
 * N_A and h are exact; F and R are their exact products. Every other file
 * takes its constants from here so that unit conversions agree everywhere.
 */

namespace scalebridge::constants
{
  /// Elementary charge e [C] (exact).
  constexpr double elementary_charge = 1.602176634e-19;
  /// Boltzmann constant k_B [J/K] (exact).
  constexpr double boltzmann = 1.380649e-23;
  /// Avogadro constant N_A [1/mol] (exact).
  constexpr double avogadro = 6.02214076e23;
  /// Planck constant h [J s] (exact).
  constexpr double planck = 6.62607015e-34;
  /// Faraday constant F = N_A e [C/mol].
  constexpr double faraday = avogadro * elementary_charge;
  /// Molar gas constant R = N_A k_B [J/(mol K)].
  constexpr double gas_constant = avogadro * boltzmann;
  /// Boltzmann constant in eV/K: k_B / e.
  constexpr double boltzmann_eV = boltzmann / elementary_charge;
  /// One electronvolt in joule.
  constexpr double electronvolt = elementary_charge;
  /// One gigapascal in pascal.
  constexpr double gigapascal = 1.0e9;
} // namespace scalebridge::constants

#endif
