// The DFN solver against independent truth: lithium bookkeeping, the
// open-circuit voltage from the reference formulas, mesh and time-step
// convergence, cut-offs, constant-voltage holds, a phase-separating card.
// Defaults of CellParameters are the Marquis et al. (2019) cell.

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>
#include <scalebridge/io/json_file.h>
#include <scalebridge/macro/cell_model.h>
#include <scalebridge/macro/electrode_job.h>
#include <scalebridge/macro/electrode_solver.h>

#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"

using namespace scalebridge;
using namespace scalebridge::macro;

namespace
{
  /// The reference set's open-circuit potentials, coded here from
  /// Marquis et al., J. Electrochem. Soc. 166 (2019) A3693, independently of
  /// the .prm expressions.
  double
  U_n(const double x)
  {
    return 0.194 + 1.5 * std::exp(-120 * x)
           + 0.0351 * std::tanh((x - 0.286) / 0.083)
           - 0.0045 * std::tanh((x - 0.849) / 0.119)
           - 0.035 * std::tanh((x - 0.9233) / 0.05)
           - 0.0147 * std::tanh((x - 0.5) / 0.034)
           - 0.102 * std::tanh((x - 0.194) / 0.142)
           - 0.022 * std::tanh((x - 0.9) / 0.0164)
           - 0.011 * std::tanh((x - 0.124) / 0.0226)
           + 0.0155 * std::tanh((x - 0.105) / 0.029);
  }

  double
  U_p(const double x)
  {
    const double s = 1.062 * x;
    return 2.16216 + 0.07645 * std::tanh(30.834 - 54.4806 * s)
           + 2.1581 * std::tanh(52.294 - 50.294 * s)
           - 0.14169 * std::tanh(11.0923 - 19.8543 * s)
           + 0.2051 * std::tanh(1.4684 - 5.4888 * s)
           + 0.2531 * std::tanh((-s + 0.56478) / 0.1316)
           - 0.02167 * std::tanh((s - 0.525) / 0.006);
  }

  /// The Marquis cell on a coarse mesh (properties that do not need a fine
  /// one are tested on it).
  CellParameters
  marquis(const unsigned int cells = 10, const unsigned int shells = 10)
  {
    CellParameters p;
    p.source               = "test";
    p.mesh.cells_negative  = cells;
    p.mesh.cells_separator = cells;
    p.mesh.cells_positive  = cells;
    p.mesh.particle_cells  = shells;
    p.output.profile_times = "";
    p.output.deterministic = true;
    return p;
  }

  ElectrodeResults
  run(const CellParameters &p)
  {
    return run_electrode_simulation(p, MPI_COMM_WORLD, false, false);
  }

  double
  voltage_at(const ElectrodeResults &r, const double t)
  {
    const auto times = r.voltage.column("time_s");
    const auto volts = r.voltage.column("voltage_V");
    for (std::size_t i = 0; i < times.size(); ++i)
      if (std::abs(times[i] - t) < 1e-9 * std::max(1.0, t))
        return volts[i];
    ADD_FAILURE() << "no output at t = " << t;
    return 0;
  }
} // namespace

TEST(ElectrodeSolver, ReferenceConstantsAgreeWithCodata)
{
  // The reference set states F and R; base/constants.h must agree.
  EXPECT_NEAR(constants::faraday, 96485.33212, 1e-5);
  EXPECT_NEAR(constants::gas_constant, 8.314462618, 1e-9);
}

TEST(ElectrodeSolver, LithiumIsConservedToRoundOff)
{
  // Full cell, 1C for 20 minutes: no lithium enters or leaves; each solid
  // changes by exactly the charge passed over F (at any Newton iterate,
  // because the discrete balances are linear and solved exactly).
  CellParameters p             = marquis();
  p.operating.protocol         = "Discharge at 1C for 1200 s";
  const ElectrodeResults r     = run(p);
  const double           moved = 24 * 1200 / constants::faraday;
  EXPECT_NEAR(r.lithium_transferred, moved, 1e-14 * moved);
  const LithiumInventory &a = r.lithium_start, &b = r.lithium_end;
  EXPECT_NEAR(b.total(), a.total(), 1e-13 * a.total());
  EXPECT_NEAR(a.negative_solid - b.negative_solid, moved, 1e-11 * moved);
  EXPECT_NEAR(b.positive_solid - a.positive_solid, moved, 1e-11 * moved);
  EXPECT_NEAR(b.electrolyte, a.electrolyte, 1e-13 * a.total());

  // Half cell: lithium enters from the foil, solid + electrolyte grow by
  // the charge over F.
  CellParameters h          = marquis();
  h.cell_type               = "half cell";
  h.operating.protocol      = "Discharge at 1C for 600 s";
  const ElectrodeResults rh = run(h);
  const double           in = 24 * 600 / constants::faraday;
  EXPECT_NEAR(rh.lithium_end.total() - rh.lithium_start.total(),
              in,
              1e-11 * in);
  EXPECT_NEAR(rh.lithium_end.positive_solid - rh.lithium_start.positive_solid,
              in,
              1e-11 * in);
}

TEST(ElectrodeSolver, ZeroCurrentHoldsTheOpenCircuitVoltage)
{
  CellParameters p         = marquis();
  p.operating.protocol     = "Rest for 1 h";
  const ElectrodeResults r = run(p);
  // The reference states U_n(0.8) = 0.175193 V, U_p(0.6) = 4.027014 V.
  EXPECT_NEAR(U_n(0.8), 0.175193, 5e-7);
  EXPECT_NEAR(U_p(0.6), 4.027014, 5e-7);
  const double ocv = U_p(0.6) - U_n(0.8);
  EXPECT_NEAR(ocv, 3.851821, 1e-6);
  const auto volts = r.voltage.column("voltage_V");
  ASSERT_GT(volts.size(), 2u);
  for (const double v : volts)
    EXPECT_NEAR(v, ocv, 1e-12);
  EXPECT_NEAR(r.voltage.column("time_s").back(), 3600, 1e-9);
}

TEST(ElectrodeSolver, SlowDischargeFollowsTheOcvOfTheMeanStoichiometry)
{
  // C/100 for 20 h (a fifth of the capacity). The mean stoichiometries
  // follow from the charge alone (lithium bookkeeping); overpotentials and
  // concentration gradients are a few mV at most at this rate.
  CellParameters p         = marquis();
  p.operating.protocol     = "Discharge at C/100 for 20 h";
  p.output.profile_times   = "0, 14400, 28800, 43200, 57600, 72000";
  const ElectrodeResults r = run(p);
  const double           F = constants::faraday, I = 0.24;
  const double capacity_n = 0.6 * 100e-6 * 24983.2619938437; // mol/m^2
  const double capacity_p = 0.5 * 100e-6 * 51217.9257309275;
  for (const double t : {14400., 28800., 43200., 57600., 72000.})
    {
      const double x_n = 0.8 - I * t / F / capacity_n;
      const double x_p = 0.6 + I * t / F / capacity_p;
      EXPECT_NEAR(voltage_at(r, t), U_p(x_p) - U_n(x_n), 3e-3) << t;
    }
}

TEST(ElectrodeSolver, MeshAndTimeStepConvergence)
{
  // V(1800 s) at 1C on three levels: (cells per region, particle shells,
  // tolerance) = (15, 10, 1e-2), the shipped (30, 20, 3e-3), (60, 40, 3e-4).
  std::vector<double> v;
  for (const auto &[cells, shells, tolerance] : {std::tuple{15u, 10u, 1e-2},
                                                 std::tuple{30u, 20u, 3e-3},
                                                 std::tuple{60u, 40u, 3e-4}})
    {
      CellParameters p          = marquis(cells, shells);
      p.time_stepping.tolerance = tolerance;
      p.operating.protocol      = "Discharge at 1C for 1800 s";
      p.output.profile_times    = "1800";
      v.push_back(voltage_at(run(p), 1800));
    }
  EXPECT_LT(std::abs(v[1] - v[2]), 0.5e-3);
  EXPECT_LT(std::abs(v[1] - v[2]), std::abs(v[0] - v[1]));
  // The coarse level is already within a millivolt.
  EXPECT_LT(std::abs(v[0] - v[2]), 1e-3);
}

TEST(ElectrodeSolver, VoltageCutOffEndsTheStepOnTheCutOff)
{
  CellParameters p         = marquis();
  p.operating.protocol     = "Discharge at 3C until 3.5 V; Rest for 60 s";
  const ElectrodeResults r = run(p);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].end_reason, "voltage limit");
  EXPECT_NEAR(r.steps[0].end_voltage, 3.5, 1e-6);
  EXPECT_LT(r.steps[0].end_time, 1200);
  // No point of the discharge lies below the cut-off.
  const auto times = r.voltage.column("time_s");
  const auto volts = r.voltage.column("voltage_V");
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] <= r.steps[0].end_time)
      {
        EXPECT_GT(volts[i], 3.5 - 1e-6);
      }
  // The rest relaxes upwards.
  EXPECT_GT(r.steps[1].end_voltage, 3.5);
}

TEST(ElectrodeSolver, ConstantVoltageHoldDecaysToTheCurrentLimit)
{
  CellParameters p     = marquis();
  p.operating.protocol = "Charge at 1C until 4.0 V; Hold at 4.0 V until C/5";
  const ElectrodeResults r = run(p);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].end_reason, "voltage limit");
  EXPECT_EQ(r.steps[1].end_reason, "current limit");
  const auto times    = r.voltage.column("time_s");
  const auto volts    = r.voltage.column("voltage_V");
  const auto current  = r.voltage.column("current_A_per_m2");
  double     previous = -1e9;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] > r.steps[1].start_time)
      {
        EXPECT_NEAR(volts[i], 4.0, 1e-9);
        EXPECT_LT(current[i], 0); // charging
        EXPECT_GT(current[i], previous - 1e-9) << "|I| grows at " << times[i];
        previous = current[i];
      }
  EXPECT_NEAR(current.back(), -24 / 5., 1e-6 * 24);
  EXPECT_NEAR(r.lithium_end.total(),
              r.lithium_start.total(),
              1e-12 * r.lithium_start.total());
}

TEST(ElectrodeSolver, NewtonConvergesQuadratically)
{
  // An exact Jacobian: about two iterations per step (the second confirms
  // convergence), never more than three on average.
  CellParameters          p = marquis(30, 20);
  const ElectrodeResults  r = run(p);
  const SolverStatistics &s = r.statistics;
  const double            attempts
    = s.accepted_steps + s.rejected_steps + s.event_iterations;
  EXPECT_LT(s.newton_iterations, 3 * attempts);
  EXPECT_NEAR(r.voltage.column("time_s").back(), 3600, 1e-6);
}

TEST(ElectrodeSolver, PhaseSeparatingCardGivesAFlatPlateau)
{
  // Half cell with the LiFePO4 card (Omega = 4.5 kB T): the convexified
  // free energy keeps the particle problem well-posed, and once the
  // particle surfaces sit on the binodal the discharge runs on the
  // common-tangent plateau U = -mu0 = 3.42 V, less the overpotentials a
  // hand calculation gives: Butler-Volmer at the foil (j0 = 10 A/m^2) and
  // at the particles (the card's i0 = 0.5 A/m^2 scaled to x2), plus the
  // ohmic drops of a uniform reaction.
  CellParameters p;
  p.source               = "test";
  p.cell_type            = "half cell";
  ElectrodeParameters &e = p.positive;
  e.thickness            = 60e-6;
  e.porosity             = 0.35;
  e.particle_radius      = 0.5e-6;
  e.conductivity         = "5";
  e.material_card
    = test_support::source_path("inputs/materials/lifepo4.json").string();
  e.maximum_concentration           = "card";
  e.open_circuit_potential          = "card";
  e.particle_diffusivity            = "card";
  e.exchange_current_density        = "card";
  e.symmetry_factor                 = "card";
  e.initial_stoichiometry           = 0.03;
  p.separator.porosity              = 0.5;
  p.mesh.cells_separator            = 5;
  p.mesh.cells_positive             = 10;
  p.mesh.particle_cells             = 10;
  p.operating.one_c_current_density = 18.3;
  p.operating.lower_cutoff          = 3.0;
  p.operating.upper_cutoff          = 3.8;
  p.operating.protocol              = "Discharge at C/2 for 2400 s";
  p.output.profile_times            = "";

  const CellModel model = CellModel::build(p);
  EXPECT_TRUE(model.regions[positive_electrode].material->phase_separating());
  EXPECT_NEAR(model.initial_open_circuit_voltage, 3.42, 1e-9);

  const ElectrodeResults r     = run(p);
  const auto             times = r.voltage.column("time_s");
  const auto             volts = r.voltage.column("voltage_V");
  double                 low = 10, high = 0;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] >= 1200)
      {
        low  = std::min(low, volts[i]);
        high = std::max(high, volts[i]);
      }
  EXPECT_LT(high - low, 1e-3);

  const double I  = 9.15,
               b  = 2 * constants::gas_constant * 298.15 / constants::faraday;
  const double x2 = 1 - 0.0125744; // binodal of the card at 298.15 K
  const double j  = I / (3 * 0.5 / 0.5e-6 * 60e-6);
  const double j0 = 0.5 * std::sqrt(2 * x2 * 2 * (1 - x2));
  const double kappa = 0.0911 + 1.9101 - 1.052 + 0.1554;
  const double ohmic = I * 25e-6 / (kappa * std::pow(0.5, 1.5))
                       + I * 60e-6 / (3 * kappa * std::pow(0.35, 1.5))
                       + I * 60e-6 / (3 * 5 * std::pow(0.65, 1.5));
  const double expected
    = 3.42 - b * std::asinh(I / 20) - b * std::asinh(j / (2 * j0)) - ohmic;
  EXPECT_NEAR(0.5 * (low + high), expected, 2e-3);

  const double in = I * 2400 / constants::faraday;
  EXPECT_NEAR(r.lithium_end.total() - r.lithium_start.total(), in, 1e-10 * in);
}

TEST(ElectrodeSolver, BadInputIsAnInputErrorNamingTheEntry)
{
  const auto expect = [](CellParameters p, const std::string &key) {
    p.source = "cell.prm";
    try
      {
        CellModel::build(p);
        ADD_FAILURE() << "no error for " << key;
      }
    catch (const InputError &e)
      {
        EXPECT_NE(std::string(e.what()).find(key), std::string::npos)
          << e.what();
      }
  };
  CellParameters p;
  p.negative.thickness = -1e-4;
  expect(p, "Negative electrode/Thickness");
  p                   = CellParameters();
  p.positive.porosity = 1.2;
  expect(p, "Positive electrode/Porosity");
  p                                 = CellParameters();
  p.negative.open_circuit_potential = "0.1 + foo(sto)";
  expect(p, "Negative electrode/Open-circuit potential");
  p                        = CellParameters();
  p.operating.lower_cutoff = 3.9; // above the initial 3.85 V
  expect(p, "Operating conditions/Lower voltage cut-off");
  p                    = CellParameters();
  p.operating.protocol = "Discharge at 1C until 2 V";
  expect(p, "Operating conditions/Protocol");

  // A card without a kinetics block, asked for its kinetics.
  const auto     dir = test_support::scratch_directory("bad_card");
  nlohmann::json card
    = io::read_json(test_support::source_path("inputs/materials/lifepo4.json"));
  card.erase("kinetics");
  card.erase("uncertainty"); // it refers to kinetics.i0_A_per_m2
  io::write_json(dir / "no_kinetics.json", card);
  p                                   = CellParameters();
  p.positive.material_card            = (dir / "no_kinetics.json").string();
  p.positive.exchange_current_density = "card";
  expect(p, "kinetics");
}

namespace
{
  /// A provider as the FE2 coupling will plug in: state-dependent (so it is
  /// asked per cell and step), here returning the Bruggeman tensors and
  /// recording what it was asked.
  class RecordingProvider : public EffectivePropertiesProvider
  {
  public:
    explicit RecordingProvider(
      std::shared_ptr<const EffectivePropertiesProvider> inner)
      : inner(std::move(inner))
    {
    }

    EffectiveTransport
    evaluate(const MacroPointQuery &query) const override
    {
      ++calls;
      latest_time = std::max(latest_time, query.time);
      lowest_ce   = std::min(lowest_ce, query.electrolyte_concentration);
      return inner->evaluate(query);
    }

    bool
    depends_on_state() const override
    {
      return true;
    }

    std::string
    describe(unsigned int region) const override
    {
      return "recording " + inner->describe(region);
    }

    mutable unsigned int calls       = 0;
    mutable double       latest_time = 0;
    mutable double       lowest_ce   = 1e9;

  private:
    std::shared_ptr<const EffectivePropertiesProvider> inner;
  };
} // namespace

TEST(ElectrodeSolver, StateDependentProviderIsAskedPerCellAndStep)
{
  CellParameters p                 = marquis();
  p.operating.protocol             = "Discharge at 2C for 600 s";
  const ElectrodeResults reference = run(p);

  CellModel  model = CellModel::build(p);
  const auto provider
    = std::make_shared<RecordingProvider>(model.effective_properties);
  model.effective_properties = provider;
  ElectrodeSolver<1> solver(model, MPI_COMM_WORLD, false);
  solver.setup();
  const ElectrodeResults r = solver.run();

  const auto v0 = reference.voltage.column("voltage_V");
  const auto v1 = r.voltage.column("voltage_V");
  ASSERT_EQ(v0.size(), v1.size());
  for (std::size_t i = 0; i < v0.size(); ++i)
    EXPECT_NEAR(v0[i], v1[i], 1e-12);
  // Once per cell at setup, after the consistent start and every step.
  EXPECT_EQ(provider->calls, 30 * (r.statistics.accepted_steps + 2));
  EXPECT_NEAR(provider->latest_time, 600, 1e-9);
  EXPECT_LT(provider->lowest_ce, 1000); // it saw the depleting electrolyte
}

namespace
{
  /// The region tensors with a porosity that changes in time, as swelling
  /// particles would make it: the electrolyte balance must hold
  /// d(eps ce)/dt, so that salt and lithium stay conserved.
  class BreathingProvider : public EffectivePropertiesProvider
  {
  public:
    BreathingProvider(std::shared_ptr<const EffectivePropertiesProvider> inner,
                      const CellModel                                   &model)
      : inner(std::move(inner))
    {
      for (unsigned int r = 0; r < 3; ++r)
        porosity[r] = model.regions[r].porosity;
    }

    EffectiveTransport
    evaluate(const MacroPointQuery &query) const override
    {
      EffectiveTransport t = inner->evaluate(query);
      t.porosity           = porosity[query.region]
                   * (1
                      - 0.2 * std::sin(query.time / 200.)
                          * (query.region == separator ? 0 : 1));
      return t;
    }

    bool
    depends_on_state() const override
    {
      return true;
    }

    std::string
    describe(unsigned int region) const override
    {
      return "breathing " + inner->describe(region);
    }

  private:
    std::shared_ptr<const EffectivePropertiesProvider> inner;
    std::array<double, 3>                              porosity{};
  };
} // namespace

TEST(ElectrodeSolver, PorosityChangingInTimeConservesSaltAndLithium)
{
  CellParameters p     = marquis();
  p.operating.protocol = "Discharge at 2C for 600 s; Rest for 300 s";
  CellModel model      = CellModel::build(p);
  model.effective_properties
    = std::make_shared<BreathingProvider>(model.effective_properties, model);
  ElectrodeSolver<1> solver(model, MPI_COMM_WORLD, false);
  solver.setup();
  const ElectrodeResults r = solver.run();

  // The electrode porosities changed by up to 20 %; in a full cell neither
  // the salt in the electrolyte nor the lithium in all may change.
  const LithiumInventory &a = r.lithium_start, &b = r.lithium_end;
  EXPECT_NEAR(b.electrolyte, a.electrolyte, 1e-12 * a.total());
  EXPECT_NEAR(b.total(), a.total(), 1e-12 * a.total());
  EXPECT_GT(r.statistics.accepted_steps, 10u);
}
