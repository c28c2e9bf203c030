// The FE2-coupled electrode: against the rve strategy on the same
// microstructure, reuse against solving every state, and the same results
// at 1, 2 and 3 ranks with 1 or 2 ranks per RVE.

#include <deal.II/base/mpi.h>

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/fe2_properties.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/electrode_job.h>
#include <scalebridge/rve/homogenization.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  unsigned int
  n_ranks()
  {
    return dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  }

  /// Cards of a solid network whose phases all conduct electrons with the
  /// electrode's bulk conductivity: the RVE's solid efficiency is then the
  /// unit-conductivity efficiency of the solid group, as the rve strategy
  /// reads it, and nothing depends on the lithiation.
  /// A card for a phase that conducts Li ions a little (or, in a pore,
  /// well): the transport block the tests build on, written by rank 0.
  nlohmann::json
  transport_card(const std::string &name, const bool solid)
  {
    nlohmann::json card;
    card["name"]                      = name;
    card["transport"]["units"]        = "S/m";
    card["transport"]["conductivity"] = solid ? 1e-6 : 1.0;
    return card;
  }

  /// Writes @p card to @p dir/NAME.json (rank 0; every rank waits) and
  /// returns the path.
  std::string
  write_card(const std::filesystem::path &dir, const nlohmann::json &card)
  {
    const auto path = dir / (card["name"].get<std::string>() + ".json");
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      io::write_json(path, card);
    MPI_Barrier(MPI_COMM_WORLD);
    return path.string();
  }

  std::vector<std::string>
  uniform_cards(const std::filesystem::path &dir, const double sigma)
  {
    std::vector<std::string> cards;
    for (const std::string name : {"active", "binder"})
      {
        nlohmann::json card = transport_card(name, true);
        card["transport"]["electronic_conductivity"] = sigma;
        cards.push_back(write_card(dir, card));
      }
    cards.push_back(write_card(dir, transport_card("pore", false)));
    return cards;
  }

  /// The uniform cards with an active phase that swells by 9 % in volume
  /// from x = 0 to 1 (isotropic Vegard, strain 0.03 per axis), in a scratch
  /// directory @p name.
  std::vector<std::string>
  swelling_cards(const std::string &name)
  {
    const auto     dir    = test_support::scratch_directory(name);
    auto           cards  = uniform_cards(dir, 5);
    nlohmann::json active = transport_card("swelling", true);
    active["transport"]["electronic_conductivity"] = 5.0;
    active["swelling"]["strain_at_full_lithiation"]
      = {{0.03, 0, 0}, {0, 0.03, 0}, {0, 0, 0.03}};
    cards[0] = write_card(dir, active);
    return cards;
  }

  /// A small LiFePO4 half cell whose positive electrode is an fe2 region on
  /// a 12^3 electrode microstructure.
  CellParameters
  fe2_half_cell(const std::vector<std::string> &cards,
                const unsigned int              dimension)
  {
    CellParameters p;
    p.source                   = "test.prm";
    p.dimension                = dimension;
    p.cell_type                = "half cell";
    p.separator.thickness      = 25e-6;
    p.separator.porosity       = 0.5;
    auto &e                    = p.positive;
    e.thickness                = 60e-6;
    e.porosity                 = 0.35;
    e.active_material_fraction = 0.5;
    e.particle_radius          = 0.5e-6;
    e.conductivity             = "5";
    e.material_card
      = test_support::source_path("inputs/materials/lifepo4.json");
    e.maximum_concentration            = "card";
    e.initial_stoichiometry            = 0.03;
    e.open_circuit_potential           = "card";
    e.particle_diffusivity             = "card";
    e.exchange_current_density         = "card";
    e.symmetry_factor                  = "card";
    e.transport.strategy               = "fe2";
    auto &rve                          = e.transport.rve;
    rve.microstructure.generator       = "electrode";
    rve.microstructure.voxels_per_side = 12;
    rve.microstructure.phase_fractions = {0.55, 0.10, 0.35};
    rve.microstructure.radius          = 0.2;
    rve.microstructure.seed            = 3;
    rve.phase_cards                    = cards;
    rve.groups                         = "electrolyte: 2; solid: 0, 1";
    p.operating.one_c_current_density  = 18.3;
    p.operating.lower_cutoff           = 3.0;
    p.operating.upper_cutoff           = 3.8;
    p.operating.protocol               = "Discharge at 1C for 300 s";
    p.mesh.cells_separator             = 3;
    p.mesh.cells_positive              = 6;
    p.mesh.in_plane_cells              = 2;
    p.mesh.height                      = 20e-6;
    p.mesh.particle_cells              = 8;
    p.output.profile_times             = "0, 300";
    p.output.deterministic             = true;
    p.time_stepping.tolerance          = 1e-2;
    return p;
  }

  ElectrodeResults
  run(const CellParameters &p, MPI_Comm comm = MPI_COMM_WORLD)
  {
    return run_electrode_simulation(p, comm, false, false);
  }

  double
  max_voltage_difference(const ElectrodeResults &a, const ElectrodeResults &b)
  {
    const auto va = a.voltage.column("voltage_V");
    const auto vb = b.voltage.column("voltage_V");
    EXPECT_EQ(va.size(), vb.size());
    double d = 0;
    for (std::size_t i = 0; i < std::min(va.size(), vb.size()); ++i)
      d = std::max(d, std::abs(va[i] - vb[i]));
    return d;
  }
} // namespace

TEST(Fe2Coupling, WithoutStateDependenceEqualsTheRveStrategy)
{
  const auto     dir   = test_support::scratch_directory("fe2_equals_rve");
  const auto     cards = uniform_cards(dir, 5);
  CellParameters fe2   = fe2_half_cell(cards, 1);
  fe2.positive.transport.rve.tolerance = 1e-12;

  // The same microstructure through the RVE tool's file.
  rve::RveParameters prm = fe2.positive.transport.rve;
  prm.elasticity         = false;
  prm.write_fields       = false;
  std::ostringstream   log;
  const nlohmann::json tensors
    = rve::run_homogenization(rve::prepare_input(prm, "test.prm"),
                              MPI_COMM_WORLD,
                              log);
  const auto file = dir / "effective_tensors.json";
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    io::write_json(file, tensors);
  MPI_Barrier(MPI_COMM_WORLD);
  // The FE2 cell takes the RVE's pore fraction as its porosity; the rve
  // strategy takes the region's, so give it the same.
  CellParameters from_file              = fe2;
  from_file.positive.transport.strategy = "rve";
  from_file.positive.transport.rve_file = file.string();
  from_file.positive.porosity
    = tensors["transport_efficiency"]["electrolyte"]["volume_fraction"];

  const ElectrodeResults a = run(fe2), b = run(from_file);
  EXPECT_LT(max_voltage_difference(a, b), 1e-10);
  // Nothing changes with the state: the initial state and the seeds
  // x = 0, 1/2, 1 are solved, every later query is reused.
  ASSERT_FALSE(a.effective_properties.is_null());
  EXPECT_EQ(a.effective_properties["rve_solves"].get<unsigned>(), 4u);
  EXPECT_GT(a.effective_properties["reused"].get<unsigned>(), 30u);
  EXPECT_LT(a.effective_properties["verified_max_relative_error"].get<double>(),
            1e-10);
}

TEST(Fe2Coupling, ReuseStaysWithinAMillivoltOfSolvingEveryState)
{
  // The active phase conducts electrons 25 times better when lithiated,
  // the binder less than the electrode's bulk value: the solid efficiency
  // follows the discharge.
  const auto     dir    = test_support::scratch_directory("fe2_reuse");
  auto           cards  = uniform_cards(dir, 1);
  nlohmann::json active = transport_card("switching", true);
  active["transport"]["electronic_conductivity_vs_lithiation"]
    = {{"x", {0.0, 1.0}}, {"S_per_m", {0.2, 5.0}}};
  cards[0] = write_card(dir, active);

  CellParameters p             = fe2_half_cell(cards, 1);
  p.operating.protocol         = "Discharge at 2C for 900 s";
  p.fe2.reuse_tolerance        = 0;
  const ElectrodeResults every = run(p);
  p.fe2.reuse_tolerance        = 1e-3;
  const ElectrodeResults reuse = run(p);

  const auto &e = every.effective_properties, &r = reuse.effective_properties;
  // Tolerance 0: nothing interpolated; every state solved unless it is an
  // exact repeat of a solved one.
  EXPECT_EQ(e["interpolated"].get<unsigned>(), 0u);
  EXPECT_EQ(e["rve_solves"].get<unsigned>() + e["reused"].get<unsigned>(),
            e["distinct_states"].get<unsigned>());
  EXPECT_LT(max_voltage_difference(every, reuse), 1e-3);
  EXPECT_LT(3 * r["rve_solves"].get<unsigned>(),
            e["rve_solves"].get<unsigned>());
  EXPECT_GT(r["verification_solves"].get<unsigned>(), 0u);
  EXPECT_LT(r["verified_max_relative_error"].get<double>(), 5e-3);

  // The state really drives the RVE: the solid efficiency of some cell
  // changed between the first and the last profile.
  ASSERT_GE(reuse.profiles.size(), 2u);
  const auto before
    = reuse.profiles.front().table.column("solid_efficiency_xx");
  const auto after  = reuse.profiles.back().table.column("solid_efficiency_xx");
  double     change = 0;
  for (std::size_t i = 0; i < before.size(); ++i)
    if (std::isfinite(before[i]) && before[i] > 0)
      change = std::max(change, std::abs(after[i] / before[i] - 1));
  EXPECT_GT(change, 0.01);

  // Lithium conserved: what the foil gave entered the electrode.
  const double in = 18.3 * 2 * 900 / constants::faraday;
  EXPECT_NEAR(reuse.lithium_end.total() - reuse.lithium_start.total(),
              in,
              1e-11 * in);
}

TEST(Fe2Coupling, PerCellMicrostructuresAreTheSameOnAnyRankCount)
{
  // Every macro cell its own realization with a porosity gradient: real
  // per-cell tensors. The run on all ranks (1 or 2 per RVE) must equal the
  // run on one rank alone.
  const auto     dir      = test_support::scratch_directory("fe2_ranks");
  const auto     cards    = uniform_cards(dir, 5);
  CellParameters p        = fe2_half_cell(cards, 2);
  p.fe2.variation         = "per cell";
  p.fe2.porosity_function = "0.30 + 0.1*(x - 25e-6)/60e-6";

  std::vector<double> reference;
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    reference = run(p, MPI_COMM_SELF).voltage.column("voltage_V");
  reference = dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, reference, 0);

  for (unsigned int per_rve = 1; per_rve <= std::min(2u, n_ranks()); ++per_rve)
    {
      p.fe2.ranks_per_rve      = per_rve;
      const ElectrodeResults r = run(p);
      const auto             v = r.voltage.column("voltage_V");
      ASSERT_EQ(v.size(), reference.size());
      for (std::size_t i = 0; i < v.size(); ++i)
        EXPECT_NEAR(v[i], reference[i], 1e-8) << "ranks per RVE " << per_rve;
      const auto &f = r.effective_properties;
      EXPECT_EQ(f["ranks_per_rve"].get<unsigned>(), per_rve);
      EXPECT_EQ(f["groups"].get<unsigned>(), n_ranks() / per_rve);
      // 12 fe2 macro cells, each its own RVE.
      EXPECT_EQ(f["rves"].get<unsigned>(), 12u);
    }
}

TEST(Fe2Coupling, BadInputNamesTheRegionAndEntry)
{
  const auto dir   = test_support::scratch_directory("fe2_bad");
  const auto cards = uniform_cards(dir, 5);
  const auto key   = [&](CellParameters p) {
    try
      {
        run(p);
      }
    catch (const InputError &e)
      {
        return e.key();
      }
    return std::string("(no error)");
  };
  CellParameters p    = fe2_half_cell(cards, 1);
  p.fe2.ranks_per_rve = n_ranks() + 1;
  EXPECT_EQ(key(p), "FE2/Ranks per RVE");

  p                                              = fe2_half_cell(cards, 1);
  p.positive.transport.rve.microstructure.radius = -1;
  EXPECT_EQ(key(p), "Positive electrode/RVE/Microstructure/Radius");

  p                               = fe2_half_cell(cards, 1);
  p.positive.transport.rve.groups = "pores: 2";
  EXPECT_EQ(key(p), "Positive electrode/RVE/Transport efficiency/Groups");

  p                   = fe2_half_cell(cards, 1);
  p.positive.porosity = 0.2;
  EXPECT_EQ(key(p), "Positive electrode/Porosity");

  p                       = fe2_half_cell(cards, 1);
  p.fe2.porosity_function = "1.5 - x";
  EXPECT_EQ(key(p), "FE2/Porosity function");
}

TEST(Fe2Coupling, SwellingParticlesTakeThePoresAndTheCellFollows)
{
  // The active phase swells by 9 % in volume from x = 0 to 1 (isotropic
  // Vegard); the RVE as given holds at x = 1, so at the start (x = 0.03)
  // the particles are smaller and the pores larger. During the discharge
  // lithiated cells lose porosity; salt and lithium stay conserved.
  const auto cards = swelling_cards("fe2_swelling");

  CellParameters p         = fe2_half_cell(cards, 1);
  p.operating.protocol     = "Discharge at 2C for 900 s";
  p.fe2.variation          = "per cell";
  const ElectrodeResults r = run(p);

  ASSERT_GE(r.profiles.size(), 2u);
  const auto start = r.profiles.front().table.column("porosity");
  const auto end   = r.profiles.back().table.column("porosity");
  const auto x_end = r.profiles.back().table.column("x_surf");
  // At x = 0.03 every electrode cell is more porous than the RVE as given
  // (0.35 at x = 1): the particles lost 1 - 1.0027/1.09 of their volume.
  const auto   x_m             = r.profiles.front().table.column("x_m");
  unsigned int electrode_nodes = 0, denser = 0;
  for (std::size_t i = 0; i < start.size(); ++i)
    if (x_m[i] > 26e-6 && x_m[i] < 84e-6)
      {
        ++electrode_nodes;
        EXPECT_GT(start[i], 0.37) << "at x = " << x_m[i];
        EXPECT_LT(start[i], 0.41) << "at x = " << x_m[i];
        if (end[i] < start[i] - 1e-3)
          ++denser;
      }
  EXPECT_GT(electrode_nodes, 0u);
  EXPECT_GT(denser, 0u); // the lithiated cells swelled
  (void)x_end;
  const double in = 18.3 * 2 * 900 / constants::faraday;
  EXPECT_NEAR(r.lithium_end.total() - r.lithium_start.total(), in, 1e-11 * in);
  EXPECT_NEAR(r.lithium_end.electrolyte,
              r.lithium_start.electrolyte,
              1e-10 * r.lithium_start.total());
}

TEST(Fe2Coupling, SwellingIsVolumeExactAndContinuousInTheLithiation)
{
  // The active phase (9 % volume swelling from x = 0 to 1, RVE as given at
  // x = 1) holds f(x) n_a voxels' worth of volume at every x, f = (1 + 0.09
  // x) / 1.09, whether or not f n_a is a whole number: the pore fraction is
  // exactly p_ref + (1 - f) a_ref. Across the lithiation where f n_a passes
  // a half-integer (where rounding to whole voxels would jump by one voxel,
  // 1/12^3 = 5.8e-4 in porosity) the answer moves by the 0.002 voxel asked.
  const auto     cards  = swelling_cards("fe2_swelling_exact");
  CellParameters p      = fe2_half_cell(cards, 1);
  p.fe2.reuse_tolerance = 0;
  const CellModel model = CellModel::build(p);
  const auto provider   = fe2::make_effective_properties(model, MPI_COMM_WORLD);

  rve::RveParameters rp         = p.positive.transport.rve;
  rp.elasticity                 = false; // as the FE2 provider sets it
  const rve::RveInput reference = rve::prepare_input(rp, p.source);
  const auto          fractions = reference.microstructure.volume_fractions(3);
  const double        n_voxels  = reference.microstructure.data().size();
  const double        n_active  = fractions[0] * n_voxels;
  const auto          f = [](const double x) { return (1 + 0.09 * x) / 1.09; };
  const auto          x_of
    = [&](const double count) { return (count / n_active * 1.09 - 1) / 0.09; };
  const double half = std::floor(f(0.5) * n_active) + 0.5;

  std::vector<double> xs{0.03, 0.5, x_of(half - 1e-3), x_of(half + 1e-3), 1};
  std::vector<MacroPointQuery> queries;
  for (const double x : xs)
    {
      MacroPointQuery q;
      q.region     = positive_electrode;
      q.lithiation = x;
      queries.push_back(q);
    }
  const auto answers = provider->evaluate_all(queries);
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_NEAR(answers[i].porosity,
                fractions[2] + (1 - f(xs[i])) * fractions[0],
                1e-12)
      << "at x = " << xs[i];
  EXPECT_NEAR(answers[3].porosity, answers[2].porosity, 1e-5);
  EXPECT_GT(answers[2].porosity, answers[3].porosity); // swelling goes on
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      EXPECT_NEAR(answers[3].electrolyte[i][j],
                  answers[2].electrolyte[i][j],
                  1e-4 * std::abs(answers[2].electrolyte[0][0]));
}

TEST(Fe2Coupling, SwellingResponseIsMonotoneWithoutSteps)
{
  // With the front voxels partially filled, every voxel's pore content
  // falls monotonically as x grows, so by the variational (Rayleigh)
  // monotonicity of the cell problems the electrolyte efficiency falls and
  // the solid one rises at every step of a sweep, and the pore fraction is
  // exact throughout. Pairs 0.01 voxel of particle volume apart differ by
  // about 0.01 of a voxel's effect (~1e-5 relative at 12^3), where a whole
  // voxel flip would be ~1e-3: the 1e-4 bound tells the two apart.
  const auto     cards  = swelling_cards("fe2_swelling_monotone");
  CellParameters p      = fe2_half_cell(cards, 1);
  p.fe2.reuse_tolerance = 0;
  const CellModel model = CellModel::build(p);
  const auto provider   = fe2::make_effective_properties(model, MPI_COMM_WORLD);

  rve::RveParameters rp         = p.positive.transport.rve;
  rp.elasticity                 = false;
  const rve::RveInput reference = rve::prepare_input(rp, p.source);
  const auto          fractions = reference.microstructure.volume_fractions(3);
  const double n_active = fractions[0] * reference.microstructure.data().size();
  const auto   f        = [](const double x) { return (1 + 0.09 * x) / 1.09; };
  const double step     = 0.01 / n_active * 1.09 / 0.09; // 0.01 voxel in x

  std::vector<double> xs;
  for (int k = 0; k <= 10; ++k)
    {
      xs.push_back(0.3 + 0.04 * k);
      xs.push_back(0.3 + 0.04 * k + step);
    }
  std::vector<MacroPointQuery> queries;
  for (const double x : xs)
    {
      MacroPointQuery q;
      q.region     = positive_electrode;
      q.lithiation = x;
      queries.push_back(q);
    }
  const auto a = provider->evaluate_all(queries);
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_NEAR(a[i].porosity,
                fractions[2] + (1 - f(xs[i])) * fractions[0],
                1e-12)
      << "at x = " << xs[i];
  for (std::size_t i = 0; i + 2 < xs.size(); i += 2)
    for (unsigned int d = 0; d < 3; ++d)
      {
        EXPECT_LT(a[i + 2].electrolyte[d][d], a[i].electrolyte[d][d])
          << "x = " << xs[i] << ", direction " << d;
        EXPECT_GT(a[i + 2].solid[d][d], a[i].solid[d][d])
          << "x = " << xs[i] << ", direction " << d;
        EXPECT_LT(a[i + 2].porosity, a[i].porosity);
      }
  for (std::size_t i = 0; i < xs.size(); i += 2)
    for (unsigned int d = 0; d < 3; ++d)
      {
        EXPECT_NEAR(a[i + 1].electrolyte[d][d],
                    a[i].electrolyte[d][d],
                    1e-4 * a[i].electrolyte[d][d])
          << "x = " << xs[i] << ", direction " << d;
        EXPECT_NEAR(a[i + 1].solid[d][d],
                    a[i].solid[d][d],
                    1e-4 * a[i].solid[d][d])
          << "x = " << xs[i] << ", direction " << d;
      }
}
