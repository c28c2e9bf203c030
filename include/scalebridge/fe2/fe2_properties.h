#ifndef scalebridge_fe2_fe2_properties_h
#define scalebridge_fe2_fe2_properties_h

#include <deal.II/base/mpi.h>

#include <scalebridge/fe2/parameters.h>
#include <scalebridge/fe2/reuse_table.h>
#include <scalebridge/fe2/scheduler.h>
#include <scalebridge/macro/cell_model.h>
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

    bool
    depends_on_state() const override
    {
      return true;
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

  private:
    struct Region
    {
      bool               fe2 = false;
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
      /// the electrolyte group.
      microstructure::PhaseId pore_phase = 0;
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
      double             solve_wall_time     = 0;

      /// The counters (the wall time belongs to each run).
      template <class Archive>
      void
      serialize(Archive &archive, const unsigned int)
      {
        archive &queries &distinct &rve_solves &reused &interpolated
          &verification_solves &verified_max_error &estimated_max_error;
      }
    };

    RveIdentity
    identity(const macro::MacroPointQuery &query) const;

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
    mutable Statistics                        statistics;
    /// Intervals of tables whose interpolation was checked by a solve.
    mutable std::set<std::tuple<RveIdentity, double, double>> verified_brackets;
    /// Interpolated answers from unchecked intervals so far.
    mutable unsigned long long unverified_answers = 0;
  };

  /**
   * The provider for @p model: @p model's own if no region uses fe2,
   * otherwise an Fe2EffectiveProperties around it. Collective.
   */
  std::shared_ptr<const macro::EffectivePropertiesProvider>
  make_effective_properties(const macro::CellModel &model,
                            MPI_Comm                communicator,
                            bool                    verbose = false);
} // namespace scalebridge::fe2

#endif
