#ifndef scalebridge_atomistic_material_card_h
#define scalebridge_atomistic_material_card_h

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>

#include <scalebridge/elasticity/stiffness.h>
#include <scalebridge/kinetics/butler_volmer.h>
#include <scalebridge/thermo/free_energy.h>
#include <scalebridge/thermo/ocv_table.h>
#include <scalebridge/transport/diffusion.h>
#include <scalebridge/uq/propagation.h>

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /// Elastic block of a card: the stiffness as given, and as used.
  struct ElasticCard
  {
    /// Symmetry class stated in the card.
    elasticity::SymmetryClass symmetry;
    /// Stiffness in Voigt notation in the crystal frame [Pa].
    elasticity::Matrix6 stiffness_voigt_crystal;
    /// Bunge Euler angles (phi1, Phi, phi2) [deg] of the crystal frame.
    std::array<double, 3> euler_angles_deg{{0, 0, 0}};
    /// Stiffness in Mandel notation, rotated into the sample frame [Pa].
    elasticity::Matrix6 stiffness_mandel;
  };

  /**
   * A positive quantity tabulated against the lithium site fraction x:
   * strictly increasing points x_i in [0, 1], values v_i > 0, interpolated
   * linearly in log10(v) between the points (the electronic conductivity of
   * an intercalation host changes by decades with x) and held at the end
   * values outside [x_0, x_n].
   */
  struct LithiationTable
  {
    std::vector<double> x;
    std::vector<double> values;

    /// The interpolated value at @p x in [0, 1]; exact at the points.
    /// Throws std::invalid_argument for x outside [0, 1] (or NaN).
    double
    operator()(double x) const;
  };

  /**
   * Transport block, tensors in the sample frame [S/m]. "conductivity" is
   * the conductivity for the charge carrier of the RVE transport problem
   * (for battery electrodes the Li-ion conductivity: high in the
   * electrolyte-filled pores, tiny in active particles); the optional
   * "electronic_conductivity" is what the electrode solver uses for
   * conduction in the solid matrix.
   *
   * The electronic conductivity may depend on the lithium site fraction x
   * ("electronic_conductivity_vs_lithiation": isotropic values against x,
   * log-linear). With the table alone, sigma(x) = s(x) I. With the table and
   * the constant "electronic_conductivity" S, the constant sets the
   * anisotropy and the table its mean: sigma(x) = s(x) S / (tr S / 3), so
   * that tr sigma(x) / 3 = s(x); S itself stays what consumers that do not
   * know x use.
   */
  struct TransportCard
  {
    dealii::Tensor<2, 3>                conductivity;
    std::optional<dealii::Tensor<2, 3>> electronic_conductivity;
    /// s(x) [S/m]: the isotropic mean (trace / 3) of the electronic
    /// conductivity against the site fraction x.
    std::optional<LithiationTable> electronic_conductivity_vs_lithiation;
    /// Sample frame shape of the electronic conductivity with trace 3: the
    /// unit tensor unless a tensor "electronic_conductivity" is given with
    /// the table (then S / (tr S / 3)).
    dealii::Tensor<2, 3> electronic_anisotropy
      = dealii::unit_symmetric_tensor<3>();
    std::array<double, 3> euler_angles_deg{{0, 0, 0}};
    /// The card file, for error messages.
    std::string source;

    /// Whether the card gives an electronic conductivity (constant or
    /// against x).
    bool
    has_electronic_conductivity() const;

    /**
     * Electronic conductivity at the lithium site fraction @p x in [0, 1]
     * [S/m], sample frame: the table as above if the card has one, else the
     * constant "electronic_conductivity" (x then does not matter). Throws
     * InputError naming the card and "transport/electronic_conductivity" if
     * the card gives neither, std::invalid_argument for x outside [0, 1].
     */
    dealii::Tensor<2, 3>
    electronic_conductivity_at(double x) const;
  };

  /**
   * Swelling block: the strain of the host between x = 0 and x = 1, linear in
   * the lithium site fraction x in between (Vegard's law, anisotropic if the
   * card gives a tensor): eps(x) = x eps_1. Given either as the tensor
   * "strain_at_full_lithiation" (crystal frame of the card, rotated with the
   * elastic block's euler_angles_deg, since the eigenstrain acts through that
   * stiffness) or as an isotropic "partial_molar_volume_m3_per_mol" Omega:
   * eps_1 = (Omega c_max / 3) I with c_max of the thermodynamics block.
   * Strains are small (linearised) strains relative to the delithiated host.
   */
  struct SwellingCard
  {
    /// eps_1, symmetric, sample frame [-].
    dealii::SymmetricTensor<2, 3> strain_at_full_lithiation;
    /// Omega [m^3/mol], if the card gives the isotropic form.
    std::optional<double> partial_molar_volume_m3_per_mol;

    /// eps(x) = x eps_1 [-], sample frame; throws std::invalid_argument for
    /// x outside [0, 1].
    dealii::SymmetricTensor<2, 3>
    strain_at(double x) const;

    /// tr eps(x) [-], the (linearised) volumetric strain: Omega c_max x in
    /// the isotropic form.
    double
    volumetric_strain_at(double x) const;
  };

  /// Thermodynamics block: a free-energy model and/or a tabulated OCV.
  struct ThermodynamicsCard
  {
    /// "regular_solution" or "landau"; null if only a table is given.
    std::shared_ptr<const thermo::FreeEnergyModel> model;
    /// Measured U(x) [V] against the reference electrode, if given.
    std::optional<thermo::OcvTable> ocv_table;
    /// Chemical potential of the ion in the reference electrode [eV];
    /// 0 for lithium metal, so that U = -mu_host [V numerically].
    double reference_potential_eV = 0;
    /// Concentration of intercalation sites, x = c / c_max [mol/m^3].
    std::optional<double> max_concentration_mol_per_m3;
  };

  /// Kinetics block: Butler-Volmer parameters at a reference state.
  struct KineticsCard
  {
    /// Given directly [A/m^2], or ...
    std::optional<double> exchange_current_density_A_per_m2;
    /// ... from an activation free energy [eV] and prefactor [A/m^2].
    std::optional<double> activation_energy_eV;
    std::optional<double> prefactor_A_per_m2;
    double                symmetry_factor = 0.5;
    double                electrons       = 1;

    /// i0 at temperature T [A/m^2] (T matters only for the activated form).
    double
    exchange_current_density(double temperature) const;

    kinetics::ButlerVolmer
    butler_volmer(double temperature) const;
  };

  /**
   * One phase described by a JSON material card (schema in
   * inputs/materials/README.md). Every block except "name" is optional;
   * absent blocks mean "this phase does not take part in that physics"
   * (e.g. a pore without "elastic" carries no load, a particle without
   * "transport" does not conduct in the RVE).
   */
  struct MaterialCard
  {
    std::string name;
    /// File the card came from (or another origin), for error messages.
    std::string source;
    /// The card as read (validated), the basis of with_parameters().
    nlohmann::json json;

    std::optional<ElasticCard>                    elastic;
    std::optional<TransportCard>                  transport;
    std::optional<transport::MigrationParameters> diffusion;
    std::optional<ThermodynamicsCard>             thermodynamics;
    std::optional<KineticsCard>                   kinetics;
    std::optional<SwellingCard>                   swelling;
    /// Named parameters ("block.key", e.g. "diffusion.migration_barrier_eV")
    /// with their means (the card's values) and covariance.
    std::optional<uq::ParameterDistribution> uncertainty;

    /// Value of a numeric card entry "block.key"; throws InputError if the
    /// card has no such number.
    double
    parameter(const std::string &name) const;

    /// A copy with the named numeric entries replaced, validated anew (used
    /// to propagate parameter uncertainty through derived quantities).
    MaterialCard
    with_parameters(const std::vector<std::string> &names,
                    const std::vector<double>      &values) const;
  };

  /**
   * Validates @p json as a material card and builds it. Any violation
   * throws InputError naming @p source, the key (e.g. "elastic/C44") and
   * what is allowed: unknown keys, missing units, non-symmetric or not
   * positive-definite stiffness (Born stability), constants that contradict
   * the stated symmetry, negative barriers, symmetry factor outside (0,1),
   * conductivity tables that are not increasing in x or not positive, a
   * swelling strain that is not symmetric, covariance not symmetric positive
   * semi-definite, ...
   */
  MaterialCard
  parse_material_card(const nlohmann::json &json, const std::string &source);

  /// Reads and validates a card file (see parse_material_card()).
  MaterialCard
  read_material_card(const std::filesystem::path &path);
} // namespace scalebridge::atomistic

#endif
