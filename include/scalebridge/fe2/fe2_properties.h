#ifndef scalebridge_fe2_fe2_properties_h
#define scalebridge_fe2_fe2_properties_h

#include <deal.II/base/mpi.h>

#include <scalebridge/fe2/parameters.h>
#include <scalebridge/fe2/reuse_table.h>
#include <scalebridge/fe2/scheduler.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/effective_mechanics.h>
#include <scalebridge/macro/material_function.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

namespace scalebridge::fe2
{
  /**
   * The FE2 provider of effective transport: every macro cell of a region
   * with `Strategy = fe2` owns an RVE (the region's `subsection RVE`, one
   * realization per region or per cell, with the pore fraction of the FE2
   * porosity function at the cell), evaluated at the cell's state (mean
   * lithium site fraction x of its particles, temperature) with the
   * lithiation-dependent card properties. Other regions keep their
   * strategy.
   *
   * Per step, the queries of all processes are gathered (Boost archives),
   * duplicates merged and sorted, so that every process takes the same
   * decisions: each distinct state is answered from the reuse table of its
   * RVE when the estimated error is below the tolerance, otherwise it is
   * solved by the RveScheduler's groups and inserted. A table is first
   * seeded with x = 0, 1/2, 1 (the range any state lies in), so that later
   * states are interpolated, never extrapolated. A share of the reused
   * answers (Verification fraction) is solved afresh and compared.
   *
   * What an RVE hands up, in the cell frame: the electrolyte efficiency is
   * the transport efficiency of the RVE's electrolyte group (unit
   * conductivity in its phases); the solid efficiency is the RVE's
   * effective electronic conductivity (the cards' electronic
   * conductivities at x) over the electrode's bulk `Conductivity`, so that
   * the macro solver's sigma B_s is the RVE's effective conductivity.
   *
   * The same object is the FE2 engine of the mechanics (Fe2Mechanical-
   * Properties): a region with `Effective mechanics/Strategy = fe2` (and
   * Mechanics/Enabled) has every RVE solve include the elasticity cell
   * problem (6 load cases) and its eigenstrain problem at the state's
   * lithiation, and C_eff and eps*_eff in the cell frame join the tensors
   * of the table. A region live for both shares one table: a state solved
   * for transport answers the mechanics without a new solve, and the
   * other way round. A region live for mechanics only solves elasticity
   * only.
   */
  class Fe2EffectiveProperties : public macro::EffectivePropertiesProvider
  {
  public:
    /**
     * Checks every fe2 region's RVE input (parameters, cards, generator,
     * groups, porosity) by building its microstructure once, so that bad
     * input fails before the run with an InputError naming
     * "<Region>/RVE/<entry>" (or "FE2/<entry>"). Collective.
     */
    Fe2EffectiveProperties(const macro::CellModel &model,
                           MPI_Comm                communicator,
                           bool                    verbose = false);

    /// Non-fe2 regions only; fe2 ones need the collective batch call.
    macro::EffectiveTransport
    evaluate(const macro::MacroPointQuery &query) const override;

    std::vector<macro::EffectiveTransport>
    evaluate_all(
      const std::vector<macro::MacroPointQuery> &queries) const override;

    /// True when a region's transport is live; an engine made for the
    /// mechanics only leaves the transport to the model's constant one.
    bool
    depends_on_state() const override
    {
      return regions[0].fe2 || regions[1].fe2 || regions[2].fe2;
    }

    std::string
    describe(unsigned int region) const override;

    /// The "fe2" block of summary.json.
    nlohmann::json
    report() const override;

    std::string
    progress() const override;

    /// Tables, counters and checked intervals (a Boost binary archive).
    std::string
    save_state() const override;

    void
    load_state(const std::string &state) const override;

    /// One RVE solve on @p group: the tensors handed up for @p request.
    RveTensors
    solve(const RveRequest &request, MPI_Comm group) const;

    /**
     * The mechanics of the regions live for mechanics (C_eff, eps*_eff in
     * the cell frame), through the same tables, scheduler and counters as
     * the transport; other queries are answered by @p others. Collective
     * like evaluate_all().
     */
    std::vector<macro::EffectiveMechanics>
    evaluate_mechanics(const std::vector<macro::MacroPointQuery> &queries,
                       const macro::MechanicalPropertiesProvider &others) const;

    /// What the live RVE of @p region is (for describe()).
    std::string
    live_description(unsigned int region) const;

    /// Whether @p region's transport / mechanics are answered live.
    bool
    live_transport(unsigned int region) const
    {
      return regions.at(region).fe2;
    }
    bool
    live_mechanics(unsigned int region) const
    {
      return regions.at(region).mechanics;
    }

  private:
    struct Region
    {
      /// Live transport (Effective transport/Strategy = fe2).
      bool fe2 = false;
      /// Live mechanics (Effective mechanics/Strategy = fe2, Mechanics
      /// enabled): the RVE solves include elasticity and swelling.
      bool               mechanics = false;
      std::string        section;
      rve::RveParameters parameters;
      std::string        electrolyte_group;
      unsigned int       thickness_axis = 0;
      bool               has_solid      = false;
      /// Bulk electronic conductivity of the electrode [S/m].
      double solid_conductivity = 1;
      /// Volumetric swelling strain e_v(x) of each phase (empty: none); the
      /// RVE as given holds at x_ref = its Materials/Lithiation.
      std::vector<std::function<double(double)>> swelling;
      double                                     reference_lithiation = 1;
      /// The phase swelling particles grow into (or leave): the first of
      /// the electrolyte group; for a region live for mechanics only whose
      /// RVE has no such group, the first present phase that carries no
      /// load (none: particles swell but do not grow).
      microstructure::PhaseId pore_phase = 0;
      /// The points x of the cards' lithiation tables (log-linear between
      /// them, so the response may have a kink there).
      std::vector<double> table_points;
    };

    struct Statistics
    {
      unsigned long long queries             = 0;
      unsigned long long distinct            = 0;
      unsigned long long rve_solves          = 0;
      unsigned long long reused              = 0;
      unsigned long long interpolated        = 0;
      unsigned long long verification_solves = 0;
      double             verified_max_error  = 0;
      double             estimated_max_error = 0;
      /// Mechanics queries (macro cells) and distinct states among them,
      /// and those answered without a solve of their own (from the table:
      /// a state solved before, for transport or mechanics, or
      /// interpolated).
      unsigned long long mechanics_queries  = 0;
      unsigned long long mechanics_distinct = 0;
      unsigned long long mechanics_reused   = 0;
      double             solve_wall_time    = 0;

      /// The counters (the wall time belongs to each run).
      template <class Archive>
      void
      serialize(Archive &archive, const unsigned int)
      {
        archive &queries &distinct &rve_solves &reused &interpolated
          &verification_solves &verified_max_error &estimated_max_error
            &mechanics_queries &mechanics_distinct &mechanics_reused;
      }
    };

    RveIdentity
    identity(const macro::MacroPointQuery &query) const;

    /**
     * The states x in [0, 1] at which the tensors of @p identity's RVE may
     * have a kink or a jump (ReuseTable::set_kinks()): where its swelling
     * front starts or completes a distance shell, the reference lithiation
     * included (microstructure::partial_swelling_kinks(), mapped to x
     * through the swelling law), and the cards' table points inside (0, 1).
     * Exact for the first swelling phase; a second one's shells are taken on
     * the RVE as given. Builds the RVE's microstructure, so it is computed once
     * per table.
     */
    std::vector<double>
    kinks(const RveIdentity &identity) const;

    /// Gives the table of @p identity, if any, its kinks (once).
    void
    set_kinks(const RveIdentity &identity) const;

    /**
     * The table answers for the live queries of this process (transport
     * when @p mechanics is false, else mechanics), in the order of
     * @p positions (indices into @p queries); collective. Gathers, merges,
     * decides reuse or solves, runs the scheduler, updates the tables and
     * counters.
     */
    std::vector<RveTensors>
    answer(const std::vector<macro::MacroPointQuery> &queries,
           bool                                       mechanics,
           std::vector<std::size_t>                  &positions) const;

    MPI_Comm                                           communicator;
    Fe2Parameters                                      parameters;
    std::string                                        source;
    std::array<Region, 3>                              regions;
    std::shared_ptr<const EffectivePropertiesProvider> others;
    std::optional<macro::MaterialFunction>             porosity_function;
    /// A line on rank 0 after every batch that solved RVEs.
    bool verbose;
    /// No timings in those lines.
    bool deterministic;

    mutable RveScheduler                      scheduler;
    mutable std::map<RveIdentity, ReuseTable> tables;
    /// Tables whose kinks are set (they are not in the checkpoint).
    mutable std::set<RveIdentity> tables_with_kinks;
    mutable Statistics            statistics;
    /// Intervals of tables whose interpolation was checked by a solve.
    mutable std::set<std::tuple<RveIdentity, double, double>> verified_brackets;
    /// Interpolated answers from unchecked intervals so far.
    mutable unsigned long long unverified_answers = 0;
  };

  /**
   * The FE2 provider of the mechanics: regions with `Effective
   * mechanics/Strategy = fe2` are answered live by an
   * Fe2EffectiveProperties engine (shared with the transport when the
   * model's transport provider is one), the others by the model's own
   * provider. stiffness_depends_on_state() is true: C_eff follows the
   * state.
   */
  class Fe2MechanicalProperties : public macro::MechanicalPropertiesProvider
  {
  public:
    Fe2MechanicalProperties(
      std::shared_ptr<const Fe2EffectiveProperties>              engine,
      std::shared_ptr<const macro::MechanicalPropertiesProvider> others);

    /// Non-fe2 regions only; fe2 ones need the collective batch call.
    macro::EffectiveMechanics
    evaluate(const macro::MacroPointQuery &query) const override;

    /// Collective over the engine's communicator.
    std::vector<macro::EffectiveMechanics>
    evaluate_all(
      const std::vector<macro::MacroPointQuery> &queries) const override;

    bool
    stiffness_depends_on_state() const override
    {
      return true;
    }

    std::string
    describe(unsigned int region) const override;

    /// The engine's "fe2" block (transport and mechanics counters).
    nlohmann::json
    report() const
    {
      return engine->report();
    }

    const std::shared_ptr<const Fe2EffectiveProperties> &
    fe2_engine() const
    {
      return engine;
    }

  private:
    std::shared_ptr<const Fe2EffectiveProperties>              engine;
    std::shared_ptr<const macro::MechanicalPropertiesProvider> others;
  };

  /**
   * Whether @p model asks for live RVEs: transport (a region's Effective
   * transport/Strategy = fe2) or mechanics (Mechanics/Enabled and a
   * region's Effective mechanics/Strategy = fe2).
   */
  bool
  uses_fe2_transport(const macro::CellModel &model);
  bool
  uses_fe2_mechanics(const macro::CellModel &model);

  /**
   * The provider for @p model: @p model's own if no region uses fe2
   * (transport, or mechanics when enabled), otherwise an
   * Fe2EffectiveProperties around it, so that its report and checkpoint
   * state hold the RVE tables of the mechanics too. Collective. When
   * @p model's mechanical provider already is an Fe2MechanicalProperties
   * (made first), its engine is returned, so that both share the tables.
   */
  std::shared_ptr<const macro::EffectivePropertiesProvider>
  make_effective_properties(const macro::CellModel &model,
                            MPI_Comm                communicator,
                            bool                    verbose = false);

  /**
   * The mechanics provider for @p model: @p model's own (null without
   * Mechanics/Enabled) if no region uses fe2 mechanics, otherwise an
   * Fe2MechanicalProperties that answers fe2 regions live and delegates
   * the others to @p model's own. Its engine is @p model's transport
   * provider when that is an Fe2EffectiveProperties (call
   * make_effective_properties() first and assign it, so that a state
   * solved for one costs the other no solve), else a new one. Collective;
   * bad input throws InputError naming "<Region>/RVE/<entry>" or
   * "<Region>/Effective mechanics/<entry>".
   */
  std::shared_ptr<const macro::MechanicalPropertiesProvider>
  make_mechanical_properties(const macro::CellModel &model,
                             MPI_Comm                communicator,
                             bool                    verbose = false);
} // namespace scalebridge::fe2

#endif
