#include <deal.II/base/timer.h>

#include <scalebridge/atomistic/material_card.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/fe2/fe2_properties.h>
#include <scalebridge/microstructure/swelling.h>
#include <scalebridge/rve/homogenization.h>
#include <scalebridge/rve/phase_mixture.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

namespace scalebridge::fe2
{
  namespace
  {
    /// The lithiation an RVE is asked for: 0 outside the electrodes (no
    /// particles), and clamped to [0, 1] against round-off at the ends.
    double
    request_lithiation(const double x)
    {
      return std::isfinite(x) ? std::clamp(x, 0., 1.) : 0.;
    }

    /// Asks the electrode generator for pore fraction @p porosity, the
    /// solid phases scaled to fill the rest in their given proportions.
    void
    set_pore_fraction(microstructure::MicrostructureParameters &m,
                      const double                              porosity)
    {
      auto        &f     = m.phase_fractions;
      const double solid = 1. - f.back();
      for (std::size_t i = 0; i + 1 < f.size(); ++i)
        f[i] *= (1. - porosity) / solid;
      f.back() = porosity;
    }

    /// Rethrows an RVE input error with the region's path in front of the
    /// entry when it concerns the parameter file (cards name themselves).
    [[noreturn]] void
    rethrow_in_region(const InputError  &e,
                      const std::string &source,
                      const std::string &section)
    {
      if (e.source() == source)
        throw InputError(source, section + "/RVE/" + e.key(), e.reason());
      throw e;
    }

    /// R with cell axis k = RVE axis (a + k) mod 3, i.e. v_cell = R v_rve
    /// (the convention of the transport tensors and of the rve strategy).
    dealii::Tensor<2, 3>
    cell_from_rve(const unsigned int a)
    {
      dealii::Tensor<2, 3> r;
      for (unsigned int k = 0; k < 3; ++k)
        r[k][(a + k) % 3] = 1;
      return r;
    }

    /// Leads the bytes of save_state(): tables of 46 numbers per state
    /// (transport, stiffness, swelling) and the mechanics counters.
    const std::string state_format = "scalebridge-fe2-state-2\n";

    std::string
    section_of(const unsigned int r)
    {
      return r == macro::separator            ? "Separator"
             : r == macro::negative_electrode ? "Negative electrode"
                                              : "Positive electrode";
    }
  } // namespace

  Fe2EffectiveProperties::Fe2EffectiveProperties(const macro::CellModel &model,
                                                 const MPI_Comm communicator,
                                                 const bool     verbose)
    : communicator(communicator)
    , parameters(model.parameters.fe2)
    , source(model.parameters.source)
    , others(model.effective_properties)
    , verbose(verbose
              && dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
    , deterministic(model.parameters.output.deterministic)
    , scheduler(communicator, [&] {
      const unsigned int n
        = dealii::Utilities::MPI::n_mpi_processes(communicator);
      if (model.parameters.fe2.ranks_per_rve > n)
        throw InputError(model.parameters.source,
                         "FE2/Ranks per RVE",
                         "is "
                           + std::to_string(model.parameters.fe2.ranks_per_rve)
                           + " but the run has only " + std::to_string(n)
                           + " MPI ranks; choose 1 to " + std::to_string(n));
      return model.parameters.fe2.ranks_per_rve;
    }())
  {
    const macro::CellParameters &p = model.parameters;
    parameters.check(source);
    const std::array<const macro::EffectiveTransportParameters *, 3> transport{
      {&p.negative.transport, &p.separator.transport, &p.positive.transport}};
    const auto x = model.interfaces();

    if (!parameters.porosity_function.empty())
      porosity_function.emplace(parameters.porosity_function,
                                std::vector<std::string>{"x", "y", "z"},
                                std::vector<double>{x[3],
                                                    p.mesh.height,
                                                    p.mesh.depth},
                                std::map<std::string, double>{},
                                source,
                                "FE2/Porosity function");

    const std::array<const macro::EffectiveMechanicsParameters *, 3> mechanics{
      {&p.negative.mechanics, &p.separator.mechanics, &p.positive.mechanics}};

    for (unsigned int r = 0; r < 3; ++r)
      {
        const bool live_transport = transport[r]->strategy == "fe2";
        const bool live_mechanics
          = p.mechanics.enabled && mechanics[r]->strategy == "fe2";
        if (!model.regions[r].present || (!live_transport && !live_mechanics))
          continue;
        Region &region           = regions[r];
        region.fe2               = live_transport;
        region.mechanics         = live_mechanics;
        region.section           = section_of(r);
        region.parameters        = transport[r]->rve;
        region.electrolyte_group = transport[r]->electrolyte_group;
        region.has_solid         = model.regions[r].electrode;
        if (region.has_solid)
          region.solid_conductivity = model.regions[r].material->conductivity();

        rve::RveParameters &rp      = region.parameters;
        const std::string   entry   = region.section + "/RVE/";
        const std::string   m_entry = region.section + "/Effective mechanics/";
        // One RVE, one orientation and one boundary condition for both.
        std::string block     = transport[r]->rve_block;
        region.thickness_axis = transport[r]->thickness_direction[0] - 'x';
        if (live_mechanics)
          {
            if (!rp.elasticity)
              throw InputError(source,
                               entry + "Physics/Elasticity",
                               "is false, but Effective mechanics/Strategy = "
                               "fe2 takes C_eff and eps*_eff from this RVE: "
                               "set it to true");
            if (rp.dimension != 3)
              throw InputError(source,
                               entry + "Dimension",
                               "is " + std::to_string(rp.dimension)
                                 + ", but Effective mechanics/Strategy = fe2 "
                                   "needs the 6x6 stiffness of a 3D RVE");
            if (live_transport
                && mechanics[r]->thickness_direction
                     != transport[r]->thickness_direction)
              throw InputError(
                source,
                m_entry + "Thickness direction",
                "is " + mechanics[r]->thickness_direction
                  + " but Effective transport/Thickness direction is "
                  + transport[r]->thickness_direction
                  + "; the region's one RVE has one orientation");
            if (live_transport && rp.boundary_conditions == "all"
                && mechanics[r]->rve_block != transport[r]->rve_block)
              throw InputError(
                source,
                m_entry + "RVE boundary condition",
                "is " + mechanics[r]->rve_block
                  + " but Effective transport/RVE boundary condition is "
                  + transport[r]->rve_block
                  + "; the region's live RVE is solved under one condition "
                    "(or set RVE/Boundary conditions)");
            if (!live_transport)
              {
                block = mechanics[r]->rve_block;
                region.thickness_axis
                  = mechanics[r]->thickness_direction[0] - 'x';
              }
          }

        region.reference_lithiation = rp.lithiation;
        if (rp.boundary_conditions == "all")
          rp.boundary_conditions = block;
        rp.write_fields  = false;
        rp.deterministic = true;
        rp.elasticity    = live_mechanics;
        rp.conduction    = live_transport && region.has_solid;
        rp.carrier       = "electronic";
        rp.temperature   = model.temperature();
        if (region.has_solid)
          rp.lithiation = model.regions[r].initial_stoichiometry;

        if (porosity_function && rp.microstructure.generator == "electrode"
            && rp.microstructure.phase_fractions.size() < 2)
          throw InputError(source,
                           entry + "Microstructure/Phase fractions",
                           "the FE2 porosity function scales the phase "
                           "fractions of the electrode generator: give "
                           "them (active, carbon-binder, pore)");
        if (porosity_function && rp.microstructure.generator != "electrode")
          throw InputError(source,
                           "FE2/Porosity function",
                           "needs the electrode generator in " + region.section
                             + "/RVE/Microstructure/Generator (got '"
                             + rp.microstructure.generator + "')");
        // Build the region's first RVE once: every entry and card is
        // checked before the run starts.
        rve::RveParameters first = rp;
        if (porosity_function)
          {
            const double centre   = 0.5 * (x[r] + x[r + 1]);
            const double porosity = porosity_function->value({{centre, 0, 0}});
            if (!(porosity > 0 && porosity < 1))
              throw InputError(source,
                               "FE2/Porosity function",
                               "must lie in (0,1) in every fe2 region; it is "
                                 + format_number(porosity, 6) + " at x = "
                                 + format_number(centre, 6) + " m");
            set_pore_fraction(first.microstructure, porosity);
          }
        rve::RveInput input;
        try
          {
            input = rve::prepare_input(first, source);
          }
        catch (const InputError &e)
          {
            if (live_mechanics && e.source() == source
                && e.key() == "Physics/Elasticity")
              throw InputError(
                source,
                entry + "Materials/Phase cards",
                "no phase of the microstructure has an \"elastic\" block, "
                "but Effective mechanics/Strategy = fe2 takes C_eff from "
                "this RVE: give its load-carrying cards an elastic block");
            rethrow_in_region(e, source, region.section);
          }
        const auto group
          = std::find_if(input.groups.begin(),
                         input.groups.end(),
                         [&](const rve::TransportGroup &g) {
                           return g.name == region.electrolyte_group;
                         });
        if (live_transport && group == input.groups.end())
          throw InputError(
            source,
            entry + "Transport efficiency/Groups",
            "has no group '" + region.electrolyte_group
              + "' (Effective transport/Electrolyte group), whose transport "
                "efficiency is the electrolyte's");
        // The phase swelling particles grow into: the electrolyte group's,
        // or for the mechanics alone the first present phase that carries
        // no load (none: the particles cannot grow, only swell).
        bool has_pore = group != input.groups.end();
        if (has_pore)
          region.pore_phase = group->phases.front();
        else
          {
            const auto f
              = input.microstructure.volume_fractions(input.laws.size());
            for (unsigned int phase = 0; phase < f.size() && !has_pore; ++phase)
              if (f[phase] > 0
                  && !input.laws.participates(rve::Physics::elasticity, phase))
                {
                  region.pore_phase = phase;
                  has_pore          = true;
                }
          }
        // The mechanics alone needs no transport problem.
        if (!live_transport)
          rp.groups.clear();
        else
          {
            // Only the electrolyte group's efficiency is handed up; every
            // other group of the file would cost a cell problem per
            // direction in every solve and go unused.
            std::string phases;
            for (const auto phase : group->phases)
              phases += (phases.empty() ? "" : ", ") + std::to_string(phase);
            rp.groups = region.electrolyte_group + ": " + phases;
          }
        region.swelling.resize(input.laws.size());
        for (unsigned int phase = 0; phase < rp.phase_cards.size(); ++phase)
          {
            const auto card
              = atomistic::read_material_card(rp.phase_cards[phase]);
            if (card.swelling && has_pore && phase != region.pore_phase)
              region.swelling[phase] = [s = *card.swelling](const double x) {
                return s.volumetric_strain_at(x);
              };
            if (card.transport
                && card.transport->electronic_conductivity_vs_lithiation)
              for (const double x :
                   card.transport->electronic_conductivity_vs_lithiation->x)
                region.table_points.push_back(x);
          }
        if (live_transport && !porosity_function)
          {
            const auto fractions
              = input.microstructure.volume_fractions(input.laws.size());
            double porosity = 0;
            for (const auto phase : group->phases)
              porosity += fractions[phase];
            if (std::abs(porosity - model.regions[r].porosity) > 0.05)
              throw InputError(
                source,
                region.section + "/Porosity",
                "is " + format_number(model.regions[r].porosity, 4)
                  + " but the electrolyte group of " + entry
                  + "Microstructure fills " + format_number(porosity, 4)
                  + " of the RVE; set the porosity to the RVE's");
          }
      }
  }

  RveIdentity
  Fe2EffectiveProperties::identity(const macro::MacroPointQuery &query) const
  {
    RveIdentity id;
    id.region      = query.region;
    id.temperature = query.temperature;
    id.realization = parameters.variation == "per cell" ? query.cell_index : 0;
    id.porosity    = -1;
    if (porosity_function)
      id.porosity = porosity_function->value(
        {{query.position[0], query.position[1], query.position[2]}});
    return id;
  }

  std::vector<double>
  Fe2EffectiveProperties::kinks(const RveIdentity &identity) const
  {
    const Region &region = regions.at(identity.region);
    // A table's ends are no kinks: x never leaves [0, 1].
    std::vector<double> result;
    for (const double x : region.table_points)
      if (x > 0 && x < 1)
        result.push_back(x);
    if (std::any_of(region.swelling.begin(),
                    region.swelling.end(),
                    [](const auto &e) { return bool(e); }))
      {
        rve::RveParameters p = region.parameters;
        p.temperature        = identity.temperature;
        p.microstructure.seed += identity.realization;
        if (identity.porosity >= 0)
          set_pore_fraction(p.microstructure, identity.porosity);
        rve::RveInput input;
        try
          {
            input = rve::prepare_input(p, source);
          }
        catch (const InputError &e)
          {
            rethrow_in_region(e, source, region.section);
          }
        // The swelling law maps x to the volume factor; the kinks in the
        // factor are found in x by bisection on a grid fine enough to
        // separate the roots of a law that is monotone between its points.
        constexpr unsigned int n = 128;
        for (unsigned int phase = 0; phase < region.swelling.size(); ++phase)
          if (region.swelling[phase])
            {
              const auto  &e     = region.swelling[phase];
              const double e_ref = e(region.reference_lithiation);
              const auto   factor
                = [&](const double x) { return (1 + e(x)) / (1 + e_ref); };
              std::vector<double> f(n + 1);
              for (unsigned int i = 0; i <= n; ++i)
                f[i] = factor(double(i) / n);
              for (const double kink : microstructure::partial_swelling_kinks(
                     input.microstructure, phase, region.pore_phase))
                for (unsigned int i = 0; i < n; ++i)
                  if ((f[i] - kink) * (f[i + 1] - kink) <= 0
                      && f[i] != f[i + 1])
                    {
                      double     lo = double(i) / n, hi = double(i + 1) / n;
                      const bool rising = f[i + 1] > f[i];
                      for (int it = 0; it < 60; ++it)
                        {
                          const double mid = 0.5 * (lo + hi);
                          ((factor(mid) < kink) == rising ? lo : hi) = mid;
                        }
                      result.push_back(0.5 * (lo + hi));
                    }
            }
      }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(),
                             result.end(),
                             [](const double a, const double b) {
                               return b - a <= ReuseTable::same_state;
                             }),
                 result.end());
    return result;
  }

  void
  Fe2EffectiveProperties::set_kinks(const RveIdentity &identity) const
  {
    const auto table = tables.find(identity);
    if (table != tables.end() && tables_with_kinks.insert(identity).second)
      table->second.set_kinks(kinks(identity));
  }

  macro::EffectiveTransport
  Fe2EffectiveProperties::evaluate(const macro::MacroPointQuery &query) const
  {
    Assert(!regions.at(query.region).fe2,
           dealii::ExcMessage("fe2 regions are evaluated collectively"));
    return others->evaluate(query);
  }

  std::vector<macro::EffectiveTransport>
  Fe2EffectiveProperties::evaluate_all(
    const std::vector<macro::MacroPointQuery> &queries) const
  {
    std::vector<macro::EffectiveTransport> result(queries.size());
    std::vector<std::size_t>               positions;
    const std::vector<RveTensors> tensors = answer(queries, false, positions);
    std::vector<bool>             live(queries.size(), false);
    for (std::size_t k = 0; k < positions.size(); ++k)
      {
        const RveTensors          &t   = tensors[k];
        macro::EffectiveTransport &out = result[positions[k]];
        live[positions[k]]             = true;
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = 0; j < 3; ++j)
            {
              out.electrolyte[i][j] = t.electrolyte(i, j);
              out.solid[i][j]       = t.solid(i, j);
            }
        out.porosity = t.porosity();
      }
    for (std::size_t i = 0; i < queries.size(); ++i)
      if (!live[i])
        result[i] = others->evaluate(queries[i]);
    return result;
  }

  std::vector<macro::EffectiveMechanics>
  Fe2EffectiveProperties::evaluate_mechanics(
    const std::vector<macro::MacroPointQuery> &queries,
    const macro::MechanicalPropertiesProvider &others) const
  {
    std::vector<macro::EffectiveMechanics> result(queries.size());
    std::vector<std::size_t>               positions;
    const std::vector<RveTensors> tensors = answer(queries, true, positions);
    std::vector<bool>             live(queries.size(), false);
    for (std::size_t k = 0; k < positions.size(); ++k)
      {
        const RveTensors          &t   = tensors[k];
        macro::EffectiveMechanics &out = result[positions[k]];
        live[positions[k]]             = true;
        dealii::Tensor<1, 6> swelling;
        for (unsigned int I = 0; I < 6; ++I)
          {
            for (unsigned int J = 0; J < 6; ++J)
              out.stiffness[I][J] = t.stiffness(I, J);
            swelling[I] = t.swelling(I);
          }
        out.swelling = macro::from_mandel(swelling);
        AssertIsFinite(out.stiffness[0][0]);
      }
    for (std::size_t i = 0; i < queries.size(); ++i)
      if (!live[i])
        result[i] = others.evaluate(queries[i]);
    return result;
  }

  std::vector<RveTensors>
  Fe2EffectiveProperties::answer(
    const std::vector<macro::MacroPointQuery> &queries,
    const bool                                 mechanics,
    std::vector<std::size_t>                  &local_position) const
  {
    // This process's live queries, tagged with their macro cell.
    using Tagged = std::pair<std::uint64_t, RveRequest>;
    std::vector<Tagged> local;
    local_position.clear();
    std::string bad_porosity;
    for (std::size_t i = 0; i < queries.size(); ++i)
      {
        const macro::MacroPointQuery &q = queries[i];
        const Region                 &r = regions.at(q.region);
        if (!(mechanics ? r.mechanics : r.fe2))
          continue;
        RveRequest request;
        request.identity   = identity(q);
        request.lithiation = request_lithiation(q.lithiation);
        if (porosity_function
            && !(request.identity.porosity > 0
                 && request.identity.porosity < 1))
          bad_porosity = format_number(request.identity.porosity, 6)
                         + " at x = " + format_number(q.position[0], 6) + " m";
        local.emplace_back(q.cell_index, request);
        local_position.push_back(i);
      }
    // Collective error: every process stops with the same message.
    const auto all_bad
      = dealii::Utilities::MPI::all_gather(communicator, bad_porosity);
    for (const std::string &b : all_bad)
      if (!b.empty())
        throw InputError(source,
                         "FE2/Porosity function",
                         "must lie in (0,1) in every fe2 region; it is " + b);

    // Every process sees the same merged, sorted requests and so takes the
    // same decisions. In 1D every process holds every cell: the set merges
    // those copies, and cells in the same state share one request.
    const auto gathered
      = dealii::Utilities::MPI::all_gather(communicator, local);
    std::set<std::pair<std::uint64_t, RveRequest>,
             bool (*)(const Tagged &, const Tagged &)>
      cells([](const Tagged &a, const Tagged &b) {
        return a.first < b.first || (a.first == b.first && a.second < b.second);
      });
    for (const auto &from_rank : gathered)
      cells.insert(from_rank.begin(), from_rank.end());
    std::set<RveRequest> distinct;
    for (const auto &c : cells)
      distinct.insert(c.second);
    (mechanics ? statistics.mechanics_queries : statistics.queries)
      += cells.size();
    (mechanics ? statistics.mechanics_distinct : statistics.distinct)
      += distinct.size();

    // Decide: reuse, or solve. New tables are seeded over the whole range.
    std::vector<RveRequest>                  jobs;
    std::vector<bool>                        verification;
    std::map<RveRequest, ReuseTable::Answer> reused;
    std::set<RveIdentity>                    seeded;
    std::map<RveIdentity, std::set<double>>  planned;
    const double tolerance = parameters.reuse_tolerance;
    for (const RveRequest &request : distinct)
      {
        if (tolerance > 0 && tables.count(request.identity) == 0
            && seeded.insert(request.identity).second)
          for (const double x : {0., 0.5, 1.})
            if (std::abs(x - request.lithiation) > ReuseTable::same_state)
              {
                jobs.push_back({request.identity, x});
                verification.push_back(false);
              }
        set_kinks(request.identity);
        const auto table = tables.find(request.identity);
        const auto answer
          = table == tables.end()
              ? std::nullopt
              : table->second.lookup(request.lithiation, tolerance);
        if (answer)
          {
            reused[request] = *answer;
            ++(mechanics ? statistics.mechanics_reused : statistics.reused);
            if (answer->interpolated)
              {
                ++statistics.interpolated;
                statistics.estimated_max_error
                  = std::max(statistics.estimated_max_error,
                             answer->estimated_error);
                // A share of the answers from brackets not checked yet:
                // checking the same interval again and again (a cell at
                // rest, a shared table) would cost solves and say little.
                const auto bracket = std::make_tuple(request.identity,
                                                     answer->bracket.first,
                                                     answer->bracket.second);
                if (verified_brackets.count(bracket) == 0)
                  {
                    const unsigned long long k = unverified_answers++;
                    const double f = parameters.verification_fraction;
                    if (std::floor((k + 1) * f) > std::floor(k * f))
                      {
                        verified_brackets.insert(bracket);
                        jobs.push_back(request);
                        verification.push_back(true);
                      }
                  }
              }
          }
        else
          for (const double x :
               table == tables.end()
                 ? std::vector<double>{request.lithiation}
                 : table->second.samples_for(request.lithiation, tolerance))
            if (planned[request.identity].insert(x).second)
              {
                jobs.push_back({request.identity, x});
                verification.push_back(false);
              }
      }

    const dealii::Timer           timer;
    const std::vector<RveTensors> solved
      = scheduler.run<RveRequest, RveTensors>(jobs,
                                              [this](const RveRequest &request,
                                                     const MPI_Comm    group) {
                                                return solve(request, group);
                                              });
    statistics.solve_wall_time += timer.wall_time();
    // A line for the batches that take a while (the first, a change of
    // control); the regular progress lines count all solves.
    if (verbose
        && jobs.size() >= std::max<std::size_t>(16, distinct.size() / 4))
      {
        std::cout << "  FE2: " << cells.size() << " macro-cell queries, "
                  << distinct.size() << " distinct states, " << jobs.size()
                  << " RVE solves on " << scheduler.n_groups()
                  << " group(s) of " << scheduler.ranks_per_group()
                  << " rank(s)";
        if (!deterministic)
          std::cout << " [" << format_number(timer.wall_time(), 3) << " s]";
        std::cout << std::endl;
      }
    for (std::size_t j = 0; j < jobs.size(); ++j)
      if (verification[j])
        {
          ++statistics.verification_solves;
          statistics.verified_max_error
            = std::max(statistics.verified_max_error,
                       relative_difference(reused.at(jobs[j]).value,
                                           solved[j]));
        }
      else
        {
          ++statistics.rve_solves;
          tables[jobs[j].identity].insert(jobs[j].lithiation, solved[j]);
          set_kinks(jobs[j].identity);
        }

    // Answer this process's queries.
    std::vector<RveTensors> result;
    result.reserve(local.size());
    for (const auto &[cell, request] : local)
      {
        const auto it = reused.find(request);
        result.push_back(
          it != reused.end()
            ? it->second.value
            : tables.at(request.identity).lookup(request.lithiation, 0)->value);
      }
    return result;
  }

  RveTensors
  Fe2EffectiveProperties::solve(const RveRequest &request,
                                const MPI_Comm    group) const
  {
    const Region      &region = regions.at(request.identity.region);
    rve::RveParameters p      = region.parameters;
    p.temperature             = request.identity.temperature;
    p.lithiation              = request.lithiation;
    p.microstructure.seed += request.identity.realization;
    if (request.identity.porosity >= 0)
      set_pore_fraction(p.microstructure, request.identity.porosity);

    rve::RveInput input;
    try
      {
        input = rve::prepare_input(p, source);
      }
    catch (const InputError &e)
      {
        rethrow_in_region(e, source, region.section);
      }
    // What an RVE result hands up, in the cell frame; NaN for what the
    // region does not ask for.
    const auto tensors_of = [&](const nlohmann::json &json) {
      RveTensors t;
      t.values.fill(std::numeric_limits<double>::quiet_NaN());
      if (region.mechanics)
        {
          // C_eff (Mandel) and eps*_eff (Voigt, engineering shear) of the
          // RVE frame, turned into the cell frame.
          const auto rows = json.at("stiffness_mandel_Pa")
                              .get<std::vector<std::vector<double>>>();
          elasticity::Matrix6 c;
          for (unsigned int i = 0; i < 6; ++i)
            for (unsigned int j = 0; j < 6; ++j)
              c[i][j] = rows.at(i).at(j);
          const auto r          = cell_from_rve(region.thickness_axis);
          c                     = elasticity::rotate(c, r);
          const double smallest = elasticity::min_eigenvalue(c);
          if (!(smallest > 0))
            throw std::runtime_error(
              "its effective stiffness is not positive definite (smallest "
              "eigenvalue "
              + format_number(smallest, 6)
              + " Pa): the load-carrying phases do not form a skeleton "
                "that resists every macro strain");
          const dealii::SymmetricTensor<2, 3> e = macro::strain_from_voigt(
            json.at("swelling_strain_voigt").get<std::vector<double>>());
          const dealii::Tensor<1, 6> m = macro::to_mandel(dealii::symmetrize(
            r * static_cast<dealii::Tensor<2, 3>>(e) * dealii::transpose(r)));
          for (unsigned int i = 0; i < 6; ++i)
            {
              for (unsigned int j = i; j < 6; ++j)
                t.stiffness(i, j) = 0.5 * (c[i][j] + c[j][i]);
              t.swelling(i) = m[i];
            }
        }
      if (!region.fe2)
        return t;
      const nlohmann::json &g
        = json.at("transport_efficiency").at(region.electrolyte_group);
      const dealii::Tensor<2, 3> e = macro::rve_tensor_in_cell_frame(
        g.at("tensor").get<std::vector<std::vector<double>>>(),
        region.thickness_axis);
      dealii::Tensor<2, 3> s;
      if (region.has_solid)
        s = macro::rve_tensor_in_cell_frame(
              json.at("conductivity").get<std::vector<std::vector<double>>>(),
              region.thickness_axis)
            / region.solid_conductivity;
      else
        for (unsigned int d = 0; d < 3; ++d)
          s[d][d] = 1;
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          {
            t.electrolyte(i, j) = e[i][j];
            t.solid(i, j)       = s[i][j];
          }
      t.porosity() = g.at("volume_fraction").get<double>();
      return t;
    };

    // No buffer: the RVE engine's progress lines are discarded.
    std::ostream log(nullptr);
    try
      {
        // Swelling particles at x against the microstructure as given (at
        // the reference lithiation), taking or leaving pore space. The
        // volume asked for is f n voxels, rarely a whole number: the front
        // voxels hold a fraction of the particle phase
        // (swell_phase_partially()) and enter the RVE as pseudo-phases with
        // mixed laws (rve::add_mixture()), so pore fraction and tensors
        // follow x continuously with the exact swollen volume, instead of in
        // steps of one voxel that no reuse tolerance below the step can
        // interpolate.
        rve::RveInput swollen = input;
        auto         &ids     = swollen.microstructure.data();
        for (unsigned int phase = 0; phase < region.swelling.size(); ++phase)
          if (region.swelling[phase])
            {
              const double factor
                = (1 + region.swelling[phase](request.lithiation))
                  / (1 + region.swelling[phase](region.reference_lithiation));
              const auto front = microstructure::swell_phase_partially(
                swollen.microstructure, phase, region.pore_phase, factor);
              // One pseudo-phase per distinct fraction (voxels at the same
              // distance from the surface share it).
              std::map<double, unsigned int> pseudo;
              for (std::size_t k = 0; k < front.voxels.size(); ++k)
                {
                  const double f  = front.fractions[k];
                  auto         it = pseudo.find(f);
                  if (it == pseudo.end())
                    {
                      if (swollen.laws.size()
                          > std::numeric_limits<microstructure::PhaseId>::max())
                        throw std::runtime_error(
                          "the swelling front needs more than "
                          + std::to_string(int(std::numeric_limits<
                                               microstructure::PhaseId>::max())
                                           + 1)
                          + " phase ids (cards and partially filled voxels)");
                      const auto m = rve::add_mixture(swollen.laws,
                                                      phase,
                                                      region.pore_phase,
                                                      f);
                      swollen.mixtures.push_back(m);
                      it = pseudo.emplace(f, m.id).first;
                    }
                  ids[front.voxels[k]] = it->second;
                }
            }
        const RveTensors t
          = tensors_of(rve::run_homogenization(swollen, group, log));
        return t;
      }
    catch (const std::exception &e)
      {
        // Say which RVE failed, in the user's terms.
        throw std::runtime_error(
          "FE2 RVE of the " + macro::region_name(request.identity.region)
          + " (realization " + std::to_string(request.identity.realization)
          + (request.identity.porosity >= 0
               ? ", pore fraction "
                   + format_number(request.identity.porosity, 4)
               : std::string())
          + ", lithiation " + format_number(request.lithiation, 6)
          + "): " + e.what() + " (see " + region.section + "/RVE/Solver)");
      }
  }

  std::string
  Fe2EffectiveProperties::describe(const unsigned int region) const
  {
    const Region &r = regions.at(region);
    if (!r.fe2)
      return others->describe(region);
    return live_description(region);
  }

  std::string
  Fe2EffectiveProperties::live_description(const unsigned int region) const
  {
    const Region &r = regions.at(region);
    const auto   &m = r.parameters.microstructure;
    return "fe2: live RVE (" + m.generator + ", "
           + std::to_string(m.voxels_per_side) + " voxels per side, "
           + r.parameters.boundary_conditions + ") per "
           + (parameters.variation == "per cell" ? std::string("macro cell")
                                                 : std::string("region"))
           + ", reuse tolerance " + format_number(parameters.reuse_tolerance, 3)
           + ", " + std::to_string(parameters.ranks_per_rve)
           + " rank(s) per RVE"
           + (r.fe2 && r.mechanics
                ? std::string(", transport and mechanics from one table")
                : std::string());
  }

  nlohmann::json
  Fe2EffectiveProperties::report() const
  {
    std::size_t samples = 0;
    for (const auto &t : tables)
      samples += t.second.size();
    // Deterministic output: no timings, so that runs compare byte for byte.
    const double   wall = deterministic ? 0. : scheduler.wall_time();
    nlohmann::json j;
    j["queries"]                      = statistics.queries;
    j["distinct_states"]              = statistics.distinct;
    j["rve_solves"]                   = statistics.rve_solves;
    j["reused"]                       = statistics.reused;
    j["interpolated"]                 = statistics.interpolated;
    j["verification_solves"]          = statistics.verification_solves;
    j["verified_max_relative_error"]  = statistics.verified_max_error;
    j["estimated_max_relative_error"] = statistics.estimated_max_error;
    j["reuse_tolerance"]              = parameters.reuse_tolerance;
    j["ranks_per_rve"]                = scheduler.ranks_per_group();
    j["groups"]                       = scheduler.n_groups();
    j["rves"]                         = tables.size();
    j["table_samples"]                = samples;
    j["rve_wall_time_s"]              = wall;
    j["queue_efficiency"] = deterministic ? 0. : scheduler.efficiency();
    j["rve_solves_per_s"]
      = wall > 0
          ? (statistics.rve_solves + statistics.verification_solves) / wall
          : 0.;
    // The mechanics' share (regions with fe2 mechanics only): its queries
    // and states, and those answered from the tables without a solve of
    // their own (rve_solves counts the solves of both).
    if (regions[0].mechanics || regions[1].mechanics || regions[2].mechanics)
      {
        j["mechanics_queries"]         = statistics.mechanics_queries;
        j["mechanics_distinct_states"] = statistics.mechanics_distinct;
        j["mechanics_reused"]          = statistics.mechanics_reused;
      }
    return j;
  }

  std::string
  Fe2EffectiveProperties::save_state() const
  {
    std::vector<std::pair<RveIdentity, std::pair<double, double>>> brackets;
    for (const auto &[identity, low, high] : verified_brackets)
      brackets.push_back({identity, {low, high}});
    std::ostringstream out;
    out << state_format;
    boost::archive::binary_oarchive archive(out);
    archive << tables << statistics << brackets << unverified_answers;
    return out.str();
  }

  void
  Fe2EffectiveProperties::load_state(const std::string &state) const
  {
    std::vector<std::pair<RveIdentity, std::pair<double, double>>> brackets;
    if (state.compare(0, state_format.size(), state_format) != 0)
      throw std::runtime_error(
        "the checkpoint's FE2 state was written by an earlier version of "
        "ScaleBridge (RVE tables without the mechanics); start the run "
        "afresh");
    std::istringstream              in(state.substr(state_format.size()));
    boost::archive::binary_iarchive archive(in);
    archive >> tables >> statistics >> brackets >> unverified_answers;
    tables_with_kinks.clear();
    verified_brackets.clear();
    for (const auto &[identity, bracket] : brackets)
      verified_brackets.insert({identity, bracket.first, bracket.second});
    std::size_t samples = 0;
    for (const auto &t : tables)
      samples += t.second.size();
    if (verbose)
      std::cout << "  FE2: " << tables.size() << " RVE table(s) with "
                << samples << " solved state(s) restored; "
                << statistics.rve_solves << " RVE solves before the restart"
                << std::endl;
  }

  std::string
  Fe2EffectiveProperties::progress() const
  {
    std::string line = "RVE solves " + std::to_string(statistics.rve_solves)
                       + ", reused " + std::to_string(statistics.reused)
                       + " of " + std::to_string(statistics.distinct)
                       + " states";
    if (regions[0].mechanics || regions[1].mechanics || regions[2].mechanics)
      line += " (mechanics " + std::to_string(statistics.mechanics_reused)
              + " of " + std::to_string(statistics.mechanics_distinct) + ")";
    return line;
  }

  bool
  uses_fe2_transport(const macro::CellModel &model)
  {
    const macro::CellParameters &p = model.parameters;
    return (!model.half_cell && p.negative.transport.strategy == "fe2")
           || p.separator.transport.strategy == "fe2"
           || p.positive.transport.strategy == "fe2";
  }

  bool
  uses_fe2_mechanics(const macro::CellModel &model)
  {
    const macro::CellParameters &p = model.parameters;
    return p.mechanics.enabled
           && ((!model.half_cell && p.negative.mechanics.strategy == "fe2")
               || p.separator.mechanics.strategy == "fe2"
               || p.positive.mechanics.strategy == "fe2");
  }

  std::shared_ptr<const macro::EffectivePropertiesProvider>
  make_effective_properties(const macro::CellModel &model,
                            const MPI_Comm          communicator,
                            const bool              verbose)
  {
    if (!uses_fe2_transport(model) && !uses_fe2_mechanics(model))
      return model.effective_properties;
    // Made second: share the mechanics' engine and its tables.
    if (const auto m = std::dynamic_pointer_cast<const Fe2MechanicalProperties>(
          model.mechanical_properties))
      return m->fe2_engine();
    return std::make_shared<Fe2EffectiveProperties>(model,
                                                    communicator,
                                                    verbose);
  }

  Fe2MechanicalProperties::Fe2MechanicalProperties(
    std::shared_ptr<const Fe2EffectiveProperties>              engine,
    std::shared_ptr<const macro::MechanicalPropertiesProvider> others)
    : engine(std::move(engine))
    , others(std::move(others))
  {
    Assert(this->engine && this->others, dealii::ExcInternalError());
  }

  macro::EffectiveMechanics
  Fe2MechanicalProperties::evaluate(const macro::MacroPointQuery &query) const
  {
    Assert(!engine->live_mechanics(query.region),
           dealii::ExcMessage("fe2 regions are evaluated collectively"));
    return others->evaluate(query);
  }

  std::vector<macro::EffectiveMechanics>
  Fe2MechanicalProperties::evaluate_all(
    const std::vector<macro::MacroPointQuery> &queries) const
  {
    return engine->evaluate_mechanics(queries, *others);
  }

  std::string
  Fe2MechanicalProperties::describe(const unsigned int region) const
  {
    if (!engine->live_mechanics(region))
      return others->describe(region);
    return engine->live_description(region)
           + "; C_eff and eps*_eff at each macro cell's state";
  }

  std::shared_ptr<const macro::MechanicalPropertiesProvider>
  make_mechanical_properties(const macro::CellModel &model,
                             const MPI_Comm          communicator,
                             const bool              verbose)
  {
    if (!uses_fe2_mechanics(model))
      return model.mechanical_properties;
    Assert(model.mechanical_properties, dealii::ExcInternalError());
    // Made second: share the transport's engine and its tables.
    std::shared_ptr<const Fe2EffectiveProperties> engine
      = std::dynamic_pointer_cast<const Fe2EffectiveProperties>(
        model.effective_properties);
    if (!engine)
      engine = std::make_shared<Fe2EffectiveProperties>(model,
                                                        communicator,
                                                        verbose);
    return std::make_shared<Fe2MechanicalProperties>(
      engine, model.mechanical_properties);
  }
} // namespace scalebridge::fe2
