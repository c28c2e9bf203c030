// The FE2 mechanics: the live RVE's C_eff and eps*_eff at a macro cell's
// state against a standalone RVE solve at that lithiation, the same on any
// number of ranks and ranks per RVE, reuse of states solved for transport,
// and bad input.

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/fe2/fe2_properties.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/rve/homogenization.h>

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;
using dealii::SymmetricTensor;
using dealii::Tensor;

namespace
{
  unsigned int
  n_ranks()
  {
    return dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  }

  unsigned int
  rank()
  {
    return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
  }

  /// Writes @p card to @p dir/NAME.json (rank 0; every rank waits).
  std::string
  write_card(const std::filesystem::path &dir, const nlohmann::json &card)
  {
    const auto path = dir / (card["name"].get<std::string>() + ".json");
    if (rank() == 0)
      io::write_json(path, card);
    MPI_Barrier(MPI_COMM_WORLD);
    return path.string();
  }

  /// Active particles (stiff, electronically conducting, swelling with
  /// @p swelling at x = 1), a soft conducting binder, and a pore that
  /// carries no load. With a traceless swelling the particles do not grow:
  /// the microstructure stays as given and only the eigenstrain follows x.
  std::vector<std::string>
  cards(const std::string &name, const nlohmann::json &swelling)
  {
    const auto dir     = test_support::scratch_directory(name);
    const auto elastic = [](const double E_GPa, const double nu) {
      return nlohmann::json{{"symmetry", "isotropic"},
                            {"units", "GPa"},
                            {"E", E_GPa},
                            {"nu", nu}};
    };
    const auto transport = [](const double ionic, const double electronic) {
      nlohmann::json t{{"units", "S/m"}, {"conductivity", ionic}};
      if (electronic > 0)
        t["electronic_conductivity"] = electronic;
      return t;
    };
    nlohmann::json active{{"name", "active"},
                          {"elastic", elastic(120, 0.25)},
                          {"transport", transport(1e-6, 5)},
                          {"swelling", swelling}};
    nlohmann::json binder{{"name", "binder"},
                          {"elastic", elastic(3, 0.35)},
                          {"transport", transport(1e-6, 5)}};
    nlohmann::json pore{{"name", "pore"}, {"transport", transport(1, 0)}};
    return {write_card(dir, active),
            write_card(dir, binder),
            write_card(dir, pore)};
  }

  nlohmann::json
  traceless_swelling()
  {
    return {{"strain_at_full_lithiation",
             {{0.03, 0.004, 0}, {0.004, -0.01, 0}, {0, 0, -0.02}}}};
  }

  /// A LiFePO4 half cell whose positive electrode is live for transport and
  /// mechanics on a 10^3 electrode microstructure (Materials/Lithiation of
  /// the RVE 0.4: the state its geometry holds at).
  CellParameters
  cell(const std::vector<std::string> &phase_cards)
  {
    CellParameters p;
    p.source                   = "test.prm";
    p.dimension                = 1;
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
    e.mechanics.strategy               = "fe2";
    auto &rve                          = e.transport.rve;
    rve.microstructure.generator       = "electrode";
    rve.microstructure.voxels_per_side = 10;
    rve.microstructure.phase_fractions = {0.55, 0.10, 0.35};
    rve.microstructure.radius          = 0.2;
    rve.microstructure.seed            = 3;
    rve.phase_cards                    = phase_cards;
    rve.groups                         = "electrolyte: 2; solid: 0, 1";
    rve.lithiation                     = 0.4;
    rve.tolerance                      = 1e-10;
    p.mechanics.enabled                = true;
    p.fe2.reuse_tolerance              = 0;
    p.operating.one_c_current_density  = 18.3;
    p.operating.lower_cutoff           = 3.0;
    p.operating.upper_cutoff           = 3.8;
    p.output.deterministic             = true;
    return p;
  }

  /// The cell's own queries of this rank: cells of the positive electrode
  /// dealt out round robin, all at lithiation @p x.
  std::vector<MacroPointQuery>
  queries(const CellModel &model, const double x, const unsigned int n_cells)
  {
    std::vector<MacroPointQuery> q;
    for (unsigned int c = 0; c < n_cells; ++c)
      if (c % n_ranks() == rank())
        {
          MacroPointQuery query;
          query.region      = positive_electrode;
          query.position[0] = 30e-6 + c * 1e-6;
          query.lithiation  = x;
          query.temperature = model.temperature();
          query.cell_index  = c;
          q.push_back(query);
        }
    return q;
  }

  /// C_eff (Mandel) and eps*_eff (Mandel) of a standalone run of the RVE
  /// of @p p at lithiation @p x on @p comm, in the RVE frame.
  std::pair<elasticity::Matrix6, SymmetricTensor<2, 3>>
  standalone(const CellParameters &p,
             const CellModel      &model,
             const double          x,
             const MPI_Comm        comm)
  {
    rve::RveParameters prm = p.positive.transport.rve;
    prm.lithiation         = x;
    prm.temperature        = model.temperature();
    prm.elasticity         = true;
    prm.conduction         = false;
    prm.write_fields       = false;
    prm.deterministic      = true;
    std::ostringstream   log;
    const nlohmann::json j
      = rve::run_homogenization(rve::prepare_input(prm, "test.prm"), comm, log);
    const auto rows
      = j.at("stiffness_mandel_Pa").get<std::vector<std::vector<double>>>();
    elasticity::Matrix6 c;
    for (unsigned int i = 0; i < 6; ++i)
      for (unsigned int k = 0; k < 6; ++k)
        c[i][k] = rows[i][k];
    return {c,
            strain_from_voigt(
              j.at("swelling_strain_voigt").get<std::vector<double>>())};
  }

  double
  relative(const elasticity::Matrix6 &a, const elasticity::Matrix6 &b)
  {
    return (a - b).norm() / b.norm();
  }

  /// Cell axis k = RVE axis (a + k) mod 3.
  Tensor<2, 3>
  cell_from_rve(const unsigned int a)
  {
    Tensor<2, 3> r;
    for (unsigned int k = 0; k < 3; ++k)
      r[k][(a + k) % 3] = 1;
    return r;
  }
} // namespace

TEST(Fe2Mechanics, EqualsAStandaloneRveSolveAtTheStatesLithiation)
{
  const CellParameters p
    = cell(cards("fe2_mechanics_standalone", traceless_swelling()));
  CellModel model = CellModel::build(p);
  model.effective_properties
    = fe2::make_effective_properties(model, MPI_COMM_WORLD);
  const auto mechanics = fe2::make_mechanical_properties(model, MPI_COMM_WORLD);
  ASSERT_TRUE(mechanics->stiffness_depends_on_state());
  EXPECT_NE(mechanics->describe(positive_electrode).find("fe2"),
            std::string::npos);
  // The separator keeps its constant strategy.
  EXPECT_NE(mechanics->describe(separator).find("constant"), std::string::npos);

  // The standalone RVE on one rank; the FE2 RVEs on groups of 1 rank, or
  // on all ranks at once (Ranks per RVE = 2 on two ranks) in the second
  // model below.
  for (const double x : {0.4, 0.0, 0.85})
    {
      const auto [c, e] = standalone(p, model, x, MPI_COMM_SELF);
      const auto answers
        = mechanics->evaluate_all(queries(model, x, 2 * n_ranks()));
      ASSERT_EQ(answers.size(), 2u);
      for (const auto &a : answers)
        {
          const double dc = relative(a.stiffness, c);
          const double de = e.norm() > 0 ? (a.swelling - e).norm() / e.norm()
                                         : a.swelling.norm();
          if (rank() == 0)
            std::cout << "x = " << x << ": |C - C_rve|/|C_rve| = " << dc
                      << ", |eps* - eps*_rve|/|eps*_rve| = " << de
                      << ", C_xxxx = " << a.stiffness[0][0] / 1e9
                      << " GPa, eps*_xx = " << a.swelling[0][0] << std::endl;
          EXPECT_LT(dc, 1e-8) << "x = " << x;
          EXPECT_LT(de, 1e-7) << "x = " << x;
        }
      // At x = 0 nothing swells.
      if (x == 0)
        EXPECT_EQ(answers[0].swelling.norm(), 0.);
    }

  // Thickness along the RVE's y: the answer is the standalone's turned
  // into the cell frame (the transport's convention); here for the
  // mechanics alone, on groups of all ranks.
  CellParameters turned                         = p;
  turned.positive.transport.strategy            = "bruggeman";
  turned.positive.mechanics.thickness_direction = "y";
  turned.fe2.ranks_per_rve                      = n_ranks();
  CellModel turned_model                        = CellModel::build(turned);
  turned_model.effective_properties
    = fe2::make_effective_properties(turned_model, MPI_COMM_WORLD);
  // Transport stays Bruggeman: asked once per region, not per cell.
  EXPECT_FALSE(turned_model.effective_properties->depends_on_state());
  const auto turned_mechanics
    = fe2::make_mechanical_properties(turned_model, MPI_COMM_WORLD);
  const double x                     = 0.85;
  const auto [c, e]                  = standalone(p, model, x, MPI_COMM_SELF);
  const Tensor<2, 3>          r      = cell_from_rve(1);
  const elasticity::Matrix6   c_cell = elasticity::rotate(c, r);
  const SymmetricTensor<2, 3> e_cell
    = symmetrize(r * static_cast<Tensor<2, 3>>(e) * transpose(r));
  const auto answers
    = turned_mechanics->evaluate_all(queries(turned_model, x, n_ranks()));
  ASSERT_EQ(answers.size(), 1u);
  const double dc = relative(answers[0].stiffness, c_cell);
  const double de = (answers[0].swelling - e_cell).norm() / e_cell.norm();
  if (rank() == 0)
    std::cout << "thickness along y, RVE on " << n_ranks()
              << " rank(s): |C - C_rve|/|C_rve| = " << dc
              << ", |eps* - eps*_rve|/|eps*_rve| = " << de << std::endl;
  EXPECT_LT(dc, 1e-8);
  EXPECT_LT(de, 1e-7);
  // The RVE's y axis is the cell's x.
  EXPECT_NEAR(answers[0].swelling[0][0], e[1][1], 1e-7 * e.norm());
}

TEST(Fe2Mechanics, RankInvariantAnswers)
{
  // Every rank asks for its own cells in the same state; all answers are
  // the same numbers, on every rank.
  const CellParameters p
    = cell(cards("fe2_mechanics_ranks", traceless_swelling()));
  CellModel model = CellModel::build(p);
  model.effective_properties
    = fe2::make_effective_properties(model, MPI_COMM_WORLD);
  const auto mechanics = fe2::make_mechanical_properties(model, MPI_COMM_WORLD);
  const auto answers
    = mechanics->evaluate_all(queries(model, 0.6, 3 * n_ranks()));
  ASSERT_EQ(answers.size(), 3u);
  std::vector<double> mine;
  for (unsigned int i = 0; i < 6; ++i)
    {
      for (unsigned int k = 0; k < 6; ++k)
        mine.push_back(answers[0].stiffness[i][k]);
      mine.push_back(to_mandel(answers[0].swelling)[i]);
    }
  const auto all = dealii::Utilities::MPI::all_gather(MPI_COMM_WORLD, mine);
  for (const auto &other : all)
    for (std::size_t i = 0; i < mine.size(); ++i)
      EXPECT_EQ(other[i], mine[i]);
  // And the same as one standalone solve on all ranks at once, to solver
  // tolerance.
  const auto [c, e] = standalone(p, model, 0.6, MPI_COMM_WORLD);
  const double dc   = relative(answers[2].stiffness, c);
  const double de   = (answers[2].swelling - e).norm() / e.norm();
  if (rank() == 0)
    std::cout << "standalone on " << n_ranks()
              << " rank(s): |C - C_rve|/|C_rve| = " << dc
              << ", |eps* - eps*_rve|/|eps*_rve| = " << de << std::endl;
  EXPECT_LT(dc, 1e-8);
  EXPECT_LT(de, 1e-7);
  // An empty list on some rank is fine (collective).
  const auto none
    = mechanics->evaluate_all(rank() == 0 ? queries(model, 0.6, n_ranks())
                                          : std::vector<MacroPointQuery>{});
  EXPECT_EQ(none.size(), rank() == 0 ? 1u : 0u);
}

TEST(Fe2Mechanics, ReusesStatesSolvedForTransportAndCountsThem)
{
  const CellParameters p
    = cell(cards("fe2_mechanics_reuse", traceless_swelling()));
  CellModel model = CellModel::build(p);
  model.effective_properties
    = fe2::make_effective_properties(model, MPI_COMM_WORLD);
  const auto mechanics = fe2::make_mechanical_properties(model, MPI_COMM_WORLD);
  const auto &engine   = *model.effective_properties;
  const auto  q        = queries(model, 0.3, 2 * n_ranks());

  // Set-up: the mechanics at the initial state solves it once...
  dealii::Timer timer;
  mechanics->evaluate_all(q);
  const double   with_mechanics = timer.wall_time();
  nlohmann::json r              = engine.report();
  EXPECT_EQ(r["rve_solves"].get<unsigned>(), 1u);
  EXPECT_EQ(r["mechanics_queries"].get<unsigned>(), 2 * n_ranks());
  EXPECT_EQ(r["mechanics_distinct_states"].get<unsigned>(), 1u);
  EXPECT_EQ(r["mechanics_reused"].get<unsigned>(), 0u);
  // ... the transport at the same state costs no solve ...
  const auto transport = engine.evaluate_all(q);
  r                    = engine.report();
  EXPECT_EQ(r["rve_solves"].get<unsigned>(), 1u);
  EXPECT_EQ(r["reused"].get<unsigned>(), 1u);
  EXPECT_GT(transport[0].electrolyte[0][0], 0);
  EXPECT_GT(transport[0].porosity, 0.3);
  // ... nor does the mechanics again (the next step's state).
  const auto again = mechanics->evaluate_all(q);
  r                = engine.report();
  EXPECT_EQ(r["rve_solves"].get<unsigned>(), 1u);
  EXPECT_EQ(r["mechanics_reused"].get<unsigned>(), 1u);
  EXPECT_EQ(r["mechanics_queries"].get<unsigned>(), 4 * n_ranks());
  // A new state is solved once, for both.
  mechanics->evaluate_all(queries(model, 0.31, 2 * n_ranks()));
  engine.evaluate_all(queries(model, 0.31, 2 * n_ranks()));
  r = engine.report();
  EXPECT_EQ(r["rve_solves"].get<unsigned>(), 2u);
  EXPECT_EQ(r["reused"].get<unsigned>(), 2u);

  // A restart keeps the mechanics in the tables: a fresh engine made
  // mechanics first (the transport then shares it) loads the state and
  // answers both without a solve.
  CellModel restarted = CellModel::build(p);
  restarted.mechanical_properties
    = fe2::make_mechanical_properties(restarted, MPI_COMM_WORLD);
  restarted.effective_properties
    = fe2::make_effective_properties(restarted, MPI_COMM_WORLD);
  EXPECT_EQ(restarted.effective_properties.get(),
            std::dynamic_pointer_cast<const fe2::Fe2MechanicalProperties>(
              restarted.mechanical_properties)
              ->fe2_engine()
              .get());
  restarted.effective_properties->load_state(engine.save_state());
  const auto restored = restarted.mechanical_properties->evaluate_all(q);
  EXPECT_EQ(restarted.effective_properties->report()["rve_solves"],
            r["rve_solves"]);
  EXPECT_EQ(restored[0].stiffness, again[0].stiffness);
  EXPECT_EQ(restored[0].swelling, again[0].swelling);
  // State of another format: a clear error, not garbage.
  EXPECT_THROW(restarted.effective_properties->load_state("old bytes"),
               std::runtime_error);

  // The cost of a state with mechanics against one for transport only:
  // the same region without Mechanics/Enabled.
  CellParameters transport_only    = p;
  transport_only.mechanics.enabled = false;
  CellModel plain                  = CellModel::build(transport_only);
  plain.effective_properties
    = fe2::make_effective_properties(plain, MPI_COMM_WORLD);
  EXPECT_TRUE(
    plain.effective_properties->report()["mechanics_queries"].is_null());
  timer.restart();
  plain.effective_properties->evaluate_all(q);
  const double without = timer.wall_time();
  if (rank() == 0)
    std::cout << "one state with mechanics (elasticity, 6 load cases + "
                 "eigenstrain, and transport): "
              << with_mechanics << " s; transport only: " << without
              << " s; ratio " << with_mechanics / without << std::endl;

  // With reuse by interpolation the mechanics answers count as reused
  // too, within the error estimate that covers C_eff and eps*_eff.
  CellParameters interpolated      = p;
  interpolated.fe2.reuse_tolerance = 1e-3;
  CellModel m                      = CellModel::build(interpolated);
  m.effective_properties = fe2::make_effective_properties(m, MPI_COMM_WORLD);
  const auto mech        = fe2::make_mechanical_properties(m, MPI_COMM_WORLD);
  mech->evaluate_all(queries(m, 0.3, n_ranks()));
  const auto answer = mech->evaluate_all(queries(m, 0.7, n_ranks()));
  r                 = m.effective_properties->report();
  // Seeds 0, 1/2, 1 and the first state; 0.7 is interpolated: eps*_eff is
  // linear in x and C_eff constant when the particles do not grow.
  EXPECT_EQ(r["rve_solves"].get<unsigned>(), 4u);
  EXPECT_EQ(r["mechanics_reused"].get<unsigned>(), 1u);
  const auto [c, e] = standalone(p, model, 0.7, MPI_COMM_SELF);
  EXPECT_LT(relative(answer[0].stiffness, c), 1e-6);
  EXPECT_LT((answer[0].swelling - e).norm() / e.norm(), 1e-6);
}

TEST(Fe2Mechanics, BadInputNamesTheEntry)
{
  const auto key = [](const CellParameters &p) {
    try
      {
        CellModel model = CellModel::build(p);
        model.effective_properties
          = fe2::make_effective_properties(model, MPI_COMM_WORLD);
        fe2::make_mechanical_properties(model, MPI_COMM_WORLD);
      }
    catch (const InputError &e)
      {
        if (rank() == 0)
          std::cout << e.what() << std::endl;
        return e.key();
      }
    return std::string("(no error)");
  };
  const auto good = cards("fe2_mechanics_bad", traceless_swelling());

  CellParameters p                    = cell(good);
  p.positive.transport.rve.elasticity = false;
  EXPECT_EQ(key(p), "Positive electrode/RVE/Physics/Elasticity");
  // The same for the mechanics alone.
  p.positive.transport.strategy = "bruggeman";
  EXPECT_EQ(key(p), "Positive electrode/RVE/Physics/Elasticity");

  // No phase with an elastic block.
  const auto dir = test_support::scratch_directory("fe2_mechanics_no_elastic");
  std::vector<std::string> soft;
  for (const std::string name : {"a", "b", "c"})
    soft.push_back(write_card(dir,
                              {{"name", name},
                               {"transport",
                                {{"units", "S/m"},
                                 {"conductivity", 1.0},
                                 {"electronic_conductivity", 5.0}}}}));
  EXPECT_EQ(key(cell(soft)), "Positive electrode/RVE/Materials/Phase cards");

  p                                  = cell(good);
  p.positive.transport.rve.dimension = 2;
  p.positive.transport.strategy      = "bruggeman";
  EXPECT_EQ(key(p), "Positive electrode/RVE/Dimension");

  p                                        = cell(good);
  p.positive.mechanics.thickness_direction = "z";
  EXPECT_EQ(key(p),
            "Positive electrode/Effective mechanics/Thickness direction");

  // Without Mechanics/Enabled nothing is asked of the RVE's elasticity.
  p                                   = cell(good);
  p.mechanics.enabled                 = false;
  p.positive.transport.rve.elasticity = false;
  EXPECT_EQ(key(p), "(no error)");
  CellModel model = CellModel::build(p);
  EXPECT_EQ(fe2::make_mechanical_properties(model, MPI_COMM_WORLD), nullptr);
}

TEST(Fe2Mechanics, GrowingParticlesStiffenTheRve)
{
  // Isotropic swelling (9 % in volume at x = 1): the particles grow into
  // the pores as x rises above the RVE's own lithiation 0.4, so C_eff
  // follows the state, and the transport sees the smaller pore fraction
  // from the same solves.
  const nlohmann::json swelling{
    {"strain_at_full_lithiation", {{0.03, 0, 0}, {0, 0.03, 0}, {0, 0, 0.03}}}};
  const CellParameters p     = cell(cards("fe2_mechanics_growing", swelling));
  CellModel            model = CellModel::build(p);
  model.effective_properties
    = fe2::make_effective_properties(model, MPI_COMM_WORLD);
  const auto mechanics = fe2::make_mechanical_properties(model, MPI_COMM_WORLD);
  const auto at_reference
    = mechanics->evaluate_all(queries(model, 0.4, n_ranks()));
  const auto swollen = mechanics->evaluate_all(queries(model, 0.9, n_ranks()));
  const auto t0
    = model.effective_properties->evaluate_all(queries(model, 0.4, n_ranks()));
  const auto t1
    = model.effective_properties->evaluate_all(queries(model, 0.9, n_ranks()));
  EXPECT_EQ(model.effective_properties->report()["rve_solves"].get<unsigned>(),
            2u);
  // At the RVE's own lithiation the geometry is as given: the standalone
  // solve.
  const auto [c, e] = standalone(p, model, 0.4, MPI_COMM_SELF);
  EXPECT_LT(relative(at_reference[0].stiffness, c), 1e-8);
  EXPECT_LT((at_reference[0].swelling - e).norm() / e.norm(), 1e-7);
  EXPECT_GT(swollen[0].stiffness[0][0], at_reference[0].stiffness[0][0]);
  EXPECT_GT(swollen[0].swelling[0][0], at_reference[0].swelling[0][0]);
  EXPECT_LT(t1[0].porosity, t0[0].porosity);
  // The mechanics alone, from an RVE without transport groups: the
  // particles grow into the phase that carries no load (the pore), as
  // above.
  CellParameters alone                = p;
  alone.positive.transport.strategy   = "bruggeman";
  alone.positive.transport.rve.groups = "";
  CellModel alone_model               = CellModel::build(alone);
  alone_model.effective_properties
    = fe2::make_effective_properties(alone_model, MPI_COMM_WORLD);
  const auto alone_answer
    = fe2::make_mechanical_properties(alone_model, MPI_COMM_WORLD)
        ->evaluate_all(queries(alone_model, 0.9, n_ranks()));
  EXPECT_LT(relative(alone_answer[0].stiffness, swollen[0].stiffness), 1e-8);
  EXPECT_LT((alone_answer[0].swelling - swollen[0].swelling).norm()
              / swollen[0].swelling.norm(),
            1e-7);
  if (rank() == 0)
    std::cout << "x 0.4 -> 0.9: C_xxxx "
              << at_reference[0].stiffness[0][0] / 1e9 << " -> "
              << swollen[0].stiffness[0][0] / 1e9 << " GPa, eps*_xx "
              << at_reference[0].swelling[0][0] << " -> "
              << swollen[0].swelling[0][0] << ", porosity " << t0[0].porosity
              << " -> " << t1[0].porosity << std::endl;
}
