#ifndef scalebridge_macro_effective_mechanics_h
#define scalebridge_macro_effective_mechanics_h

#include <deal.II/base/symmetric_tensor.h>

#include <scalebridge/elasticity/stiffness.h>
#include <scalebridge/macro/effective_properties.h>
#include <scalebridge/macro/mechanics_parameters.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /// The homogenised mechanics of a macro point, in the cell frame (x
  /// through the thickness): sigma = C (eps - eps*).
  struct EffectiveMechanics
  {
    /// C_eff, Mandel notation [Pa].
    elasticity::Matrix6 stiffness;
    /// eps*_eff at the point's state, relative to the lithium-free state.
    dealii::SymmetricTensor<2, 3> swelling;
  };

  /**
   * The one interface through which the macro mechanics sees the effective
   * stiffness and swelling of the microstructure, like
   * EffectivePropertiesProvider for transport: a constant, an RVE file or a
   * live RVE solve (FE2) look the same to the solver.
   */
  class MechanicalPropertiesProvider
  {
  public:
    virtual ~MechanicalPropertiesProvider() = default;

    virtual EffectiveMechanics
    evaluate(const MacroPointQuery &query) const = 0;

    /**
     * All queries of this process at once; collective when the answers
     * depend on the microstructure's state (FE2), so that a provider can
     * share work between processes. The default asks evaluate() for each.
     */
    virtual std::vector<EffectiveMechanics>
    evaluate_all(const std::vector<MacroPointQuery> &queries) const;

    /// Whether C_eff changes with the state (then the solver re-assembles
    /// its matrix at every solve; otherwise only the right-hand side).
    virtual bool
    stiffness_depends_on_state() const = 0;

    /// One line per region saying where its mechanics come from.
    virtual std::string
    describe(unsigned int region) const = 0;
  };

  /**
   * The mechanics of one region from a "constant" or "rve" strategy: a
   * fixed C_eff and the swelling at full lithiation eps*_1, linear in the
   * mean lithium site fraction x of the macro cell (Vegard's law of the
   * phases carries over to the composite because C_eff does not depend on
   * x). A region that does not lithiate (the separator) does not swell.
   */
  struct RegionMechanics
  {
    elasticity::Matrix6           stiffness;
    dealii::SymmetricTensor<2, 3> swelling_at_full_lithiation;
    std::string                   description;

    /// eps*_eff at lithium site fraction @p x (NaN: no lithiation, 0).
    dealii::SymmetricTensor<2, 3>
    swelling_at(double x) const;
  };

  /**
   * Reads and checks the strategy of one region: stiffness symmetric and
   * positive definite, finite swelling; an RVE file must be a 3D result
   * with stiffness_voigt_Pa, swelling_strain_voigt and the lithiation
   * they were computed at (> 0 if anything swells: the reference state of
   * the linear law). Errors are InputError naming @p source and
   * "@p section/Effective mechanics/...", or the RVE file and its key.
   */
  RegionMechanics
  create_region_mechanics(const EffectiveMechanicsParameters &parameters,
                          const std::string                  &source,
                          const std::string                  &section);

  /// The provider of the "constant" and "rve" strategies.
  class RegionMechanicalProperties : public MechanicalPropertiesProvider
  {
  public:
    /// Regions that are absent stay empty.
    explicit RegionMechanicalProperties(
      std::array<std::shared_ptr<const RegionMechanics>, 3> regions);

    EffectiveMechanics
    evaluate(const MacroPointQuery &query) const override;

    bool
    stiffness_depends_on_state() const override;

    std::string
    describe(unsigned int region) const override;

  private:
    std::array<std::shared_ptr<const RegionMechanics>, 3> regions;
  };

  /** @name Notation at the edges (Voigt in files, Mandel inside) */
  ///@{
  /// A strain from six Voigt numbers (engineering shear).
  dealii::SymmetricTensor<2, 3>
  strain_from_voigt(const std::vector<double> &voigt);
  /// A stress from six Voigt numbers.
  dealii::SymmetricTensor<2, 3>
  stress_from_voigt(const std::vector<double> &voigt);
  /// Mandel 6-vector of a symmetric tensor (shear times sqrt 2).
  dealii::Tensor<1, 6>
  to_mandel(const dealii::SymmetricTensor<2, 3> &t);
  dealii::SymmetricTensor<2, 3>
  from_mandel(const dealii::Tensor<1, 6> &m);
  ///@}
} // namespace scalebridge::macro

#endif
