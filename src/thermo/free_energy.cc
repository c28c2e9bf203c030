#include <scalebridge/base/constants.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/thermo/free_energy.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace scalebridge::thermo
{
  namespace
  {
    /// Full-precision text of a number for error messages (std::to_string
    /// would print 1e-20 as 0.000000).

    /// Site fractions must lie strictly inside (0,1): the ideal entropy and
    /// its derivatives are singular at the end members.
    void
    check_composition(const double x, const char *where)
    {
      if (!(x > 0.0 && x < 1.0))
        throw std::invalid_argument(std::string(where)
                                    + ": site fraction x = " + format_number(x)
                                    + " must lie strictly inside (0,1)");
    }


    void
    check_finite(const double value, const char *what)
    {
      if (!std::isfinite(value))
        throw std::invalid_argument(std::string(what) + " must be finite");
    }

    /// kB T in eV.
    double
    thermal_energy(const double temperature)
    {
      return constants::boltzmann_eV * temperature;
    }
  } // namespace

  // ---------------------------------------------------------------------
  // RegularSolution
  // ---------------------------------------------------------------------

  RegularSolution::RegularSolution(const double omega_eV, const double mu0_eV)
    : omega(omega_eV)
    , mu0(mu0_eV)
  {
    check_finite(omega_eV, "RegularSolution: Omega");
    check_finite(mu0_eV, "RegularSolution: mu0");
  }

  std::string
  RegularSolution::name() const
  {
    return "regular_solution";
  }

  double
  RegularSolution::free_energy(const double x, const double temperature) const
  {
    check_composition(x, "RegularSolution::free_energy");
    check_temperature(temperature, "RegularSolution::free_energy");
    // log1p keeps (1-x) ln(1-x) accurate in the dilute limit x -> 0.
    const double mixing = x * std::log(x) + (1.0 - x) * std::log1p(-x);
    return mu0 * x + omega * x * (1.0 - x)
           + thermal_energy(temperature) * mixing;
  }

  double
  RegularSolution::chemical_potential(const double x,
                                      const double temperature) const
  {
    check_composition(x, "RegularSolution::chemical_potential");
    check_temperature(temperature, "RegularSolution::chemical_potential");
    return mu0 + thermal_energy(temperature) * (std::log(x) - std::log1p(-x))
           + omega * (1.0 - 2.0 * x);
  }

  double
  RegularSolution::chemical_potential_derivative(const double x,
                                                 const double temperature) const
  {
    check_composition(x, "RegularSolution::chemical_potential_derivative");
    check_temperature(temperature,
                      "RegularSolution::chemical_potential_derivative");
    return thermal_energy(temperature) / (x * (1.0 - x)) - 2.0 * omega;
  }

  bool
  RegularSolution::has_ideal_entropy() const
  {
    return true;
  }

  std::unique_ptr<FreeEnergyModel>
  RegularSolution::clone() const
  {
    return std::make_unique<RegularSolution>(*this);
  }

  double
  RegularSolution::omega_eV() const
  {
    return omega;
  }

  double
  RegularSolution::mu0_eV() const
  {
    return mu0;
  }

  double
  RegularSolution::critical_temperature() const
  {
    return omega / (2.0 * constants::boltzmann_eV);
  }

  // ---------------------------------------------------------------------
  // LandauFreeEnergy
  // ---------------------------------------------------------------------

  LandauFreeEnergy::LandauFreeEnergy(const double A_eV,
                                     const double B_eV,
                                     const double C_eV)
    : A(A_eV)
    , B(B_eV)
    , C(C_eV)
  {
    check_finite(B_eV, "LandauFreeEnergy: B");
    check_finite(C_eV, "LandauFreeEnergy: C");
    // Without a positive quartic term the expansion has no stable minimum.
    if (!(A_eV > 0.0) || !std::isfinite(A_eV))
      throw std::invalid_argument("LandauFreeEnergy: A = " + format_number(A_eV)
                                  + " eV must be positive and finite");
  }

  std::string
  LandauFreeEnergy::name() const
  {
    return "landau";
  }

  double
  LandauFreeEnergy::free_energy(const double x, const double temperature) const
  {
    check_composition(x, "LandauFreeEnergy::free_energy");
    check_temperature(temperature, "LandauFreeEnergy::free_energy");
    const double y2 = (x - 0.5) * (x - 0.5);
    return A * y2 * y2 - B * y2 + C;
  }

  double
  LandauFreeEnergy::chemical_potential(const double x,
                                       const double temperature) const
  {
    check_composition(x, "LandauFreeEnergy::chemical_potential");
    check_temperature(temperature, "LandauFreeEnergy::chemical_potential");
    const double y = x - 0.5;
    return 4.0 * A * y * y * y - 2.0 * B * y;
  }

  double
  LandauFreeEnergy::chemical_potential_derivative(
    const double x,
    const double temperature) const
  {
    check_composition(x, "LandauFreeEnergy::chemical_potential_derivative");
    check_temperature(temperature,
                      "LandauFreeEnergy::chemical_potential_derivative");
    const double y = x - 0.5;
    return 12.0 * A * y * y - 2.0 * B;
  }

  bool
  LandauFreeEnergy::has_ideal_entropy() const
  {
    return false;
  }

  std::unique_ptr<FreeEnergyModel>
  LandauFreeEnergy::clone() const
  {
    return std::make_unique<LandauFreeEnergy>(*this);
  }

  // ---------------------------------------------------------------------
  // Derived quantities
  // ---------------------------------------------------------------------

  double
  thermodynamic_factor(const FreeEnergyModel &model,
                       const double           x,
                       const double           temperature)
  {
    check_composition(x, "thermodynamic_factor");
    check_temperature(temperature, "thermodynamic_factor");
    return x * model.chemical_potential_derivative(x, temperature)
           / thermal_energy(temperature);
  }

  double
  open_circuit_voltage_from_ion_energy(const double mu_host_eV,
                                       const double mu_ref_eV)
  {
    check_finite(mu_host_eV, "open_circuit_voltage_from_ion_energy: mu_host");
    check_finite(mu_ref_eV, "open_circuit_voltage_from_ion_energy: mu_ref");
    // Energy per ion in eV divided by the ion charge e is a voltage in V.
    return -(mu_host_eV - mu_ref_eV);
  }

  double
  open_circuit_voltage_from_molar(const double mu_host_J_per_mol,
                                  const double mu_ref_J_per_mol)
  {
    check_finite(mu_host_J_per_mol, "open_circuit_voltage_from_molar: mu_host");
    check_finite(mu_ref_J_per_mol, "open_circuit_voltage_from_molar: mu_ref");
    return -(mu_host_J_per_mol - mu_ref_J_per_mol) / constants::faraday;
  }
} // namespace scalebridge::thermo
