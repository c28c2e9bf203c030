#ifndef scalebridge_macro_effective_properties_h
#define scalebridge_macro_effective_properties_h

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <scalebridge/macro/cell_parameters.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /// Regions of the cell; cells carry them as material ids.
  enum Region : unsigned int
  {
    negative_electrode = 0,
    separator          = 1,
    positive_electrode = 2
  };

  /// "negative electrode", "separator", "positive electrode".
  std::string
  region_name(unsigned int region);

  /**
   * Where and in which state the macro solver asks for effective
   * properties. The state is the converged one at the start of the time
   * step, so that a provider that depends on it (an FE² RVE solve) is
   * evaluated once per step and macro point, not per Newton iteration.
   */
  struct MacroPointQuery
  {
    unsigned int     region = 0;
    dealii::Point<3> position;
    double           time                      = 0;
    double           electrolyte_concentration = 0;
    /// Mean lithium site fraction x of the particles of the macro cell
    /// (NaN outside the electrodes).
    double lithiation  = std::numeric_limits<double>::quiet_NaN();
    double temperature = 298.15;
    /// Index of the macro cell that does not depend on the number of MPI
    /// processes (per-cell microstructures are seeded with it).
    std::uint64_t cell_index = 0;
  };

  /**
   * Transport efficiencies (effective over bulk conductivity) at a macro
   * point, in the cell frame (x through the thickness): kappa_eff =
   * kappa_e(ce) B_e, D_eff = D_e(ce) B_e, sigma_eff = sigma B_s. They
   * replace the eps^b of Bruggeman's relation; a 1D solver uses the xx
   * components, a 2D one the xy block.
   */
  struct EffectiveTransport
  {
    dealii::Tensor<2, 3> electrolyte;
    dealii::Tensor<2, 3> solid;
    /// Electrolyte volume fraction of the microstructure behind the
    /// tensors, where a provider knows it (an RVE); NaN otherwise.
    double porosity = std::numeric_limits<double>::quiet_NaN();
  };

  /**
   * The one interface through which the macro solver sees effective
   * properties. Whether an implementation is a constant, a table read from
   * the RVE tool, a cache or a live RVE solve (FE²) is invisible to the
   * solver.
   */
  class EffectivePropertiesProvider
  {
  public:
    virtual ~EffectivePropertiesProvider() = default;

    virtual EffectiveTransport
    evaluate(const MacroPointQuery &query) const = 0;

    /**
     * All queries of this process at once. Collective over the provider's
     * communicator when depends_on_state(): every process calls it at the
     * same points of the run (with its own, possibly empty, list), so that
     * a provider can share work between processes (FE2). The default asks
     * evaluate() for each.
     */
    virtual std::vector<EffectiveTransport>
    evaluate_all(const std::vector<MacroPointQuery> &queries) const;

    /// Whether evaluate() depends on the position, time or state; if not,
    /// the solver asks once per region.
    virtual bool
    depends_on_state() const = 0;

    /// One line per region saying where its tensors come from.
    virtual std::string
    describe(unsigned int region) const = 0;

    /// Work done so far, for summary.json (null: nothing to report).
    virtual nlohmann::json
    report() const
    {
      return nullptr;
    }

    /// A short account of the work so far for progress lines (may be
    /// empty).
    virtual std::string
    progress() const
    {
      return "";
    }

    /**
     * What a checkpoint must keep of the provider so that a restarted run
     * continues exactly (a live provider's tables of solved states and its
     * counters), as bytes; empty for providers without state. The same on
     * every process.
     */
    virtual std::string
    save_state() const
    {
      return "";
    }

    /// Restores save_state()'s bytes (they restore caches, hence const).
    virtual void
    load_state(const std::string &state) const
    {
      (void)state;
    }
  };

  /**
   * A tensor of an RVE result (rows, 2x2 or 3x3, in the RVE frame) in the
   * cell frame: cell axis k is RVE axis (@p thickness_axis + k) mod n,
   * symmetrised; components a 2D RVE lacks are NaN.
   */
  dealii::Tensor<2, 3>
  rve_tensor_in_cell_frame(const std::vector<std::vector<double>> &rows,
                           unsigned int thickness_axis);

  /// The numbers of a .prm list entry (separated by blanks, commas or
  /// semicolons, brackets ignored); InputError naming @p source and @p key
  /// for a word that is not a finite number.
  std::vector<double>
  parse_numbers(const std::string &text,
                const std::string &source,
                const std::string &key);

  /**
   * The part of an RVE result (@p json, read from @p file) that holds the
   * boundary condition @p requested: the file itself when it was written
   * for one condition, else its block of that name. A condition the file
   * does not hold is an InputError at the .prm entry @p entry of @p source,
   * naming what the file holds: a silent fallback to another condition
   * would give other tensors than asked for.
   */
  const nlohmann::json &
  select_rve_block(const nlohmann::json &json,
                   const std::string    &file,
                   const std::string    &requested,
                   const std::string    &source,
                   const std::string    &entry);

  /**
   * A strategy for the transport efficiencies of one region, chosen by name
   * ("bruggeman", "constant", "rve") through create_transport_efficiency().
   */
  class TransportEfficiency
  {
  public:
    virtual ~TransportEfficiency() = default;

    virtual EffectiveTransport
    tensors() const = 0;

    virtual std::string
    describe() const = 0;
  };

  /**
   * Creates the strategy of a region with porosity @p porosity (the solid
   * fraction for conduction is 1 - porosity). Reads and checks an RVE file
   * right away; errors are InputError naming @p source and
   * "@p section/Effective transport/...", or the RVE file and its key.
   * Given tensors must be symmetric positive definite; tensors of an RVE
   * file must have the file's dimension, be symmetric positive
   * semi-definite to a relative 1e-6 and positive through the thickness,
   * and not exceed their group's volume fraction; a requested boundary
   * condition the file does not hold is an error, not a fallback.
   */
  std::unique_ptr<TransportEfficiency>
  create_transport_efficiency(const EffectiveTransportParameters &parameters,
                              double                              porosity,
                              bool                                has_solid,
                              const std::string                  &source,
                              const std::string                  &section);

  /// The provider of the shipped strategies: one constant pair per region.
  class RegionEffectiveProperties : public EffectivePropertiesProvider
  {
  public:
    explicit RegionEffectiveProperties(
      std::array<std::shared_ptr<const TransportEfficiency>, 3> regions);

    EffectiveTransport
    evaluate(const MacroPointQuery &query) const override;

    bool
    depends_on_state() const override;

    std::string
    describe(unsigned int region) const override;

  private:
    std::array<std::shared_ptr<const TransportEfficiency>, 3> regions;
  };
} // namespace scalebridge::macro

#endif
