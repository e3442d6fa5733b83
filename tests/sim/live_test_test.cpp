// journeysim plan: the simulated live test shows peer spillover between arms
// under individual randomisation when contagion is strong, none when peer
// effects are off or the arms are identical; the A/A test rejects at about
// alpha; the scenario's primary metric is the one tested; first prescriptions
// count only among HCPs at risk. Every tolerance below is derived in its
// comment from the Monte Carlo standard errors (docs/statistics.md).
#include "sim/live_test.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <filesystem>

#include "agents/input_error.hpp"
#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

using agents::Stage;

// Everyone considers the product but doubts its relevance (0.8); the
// treatment arm sends real-world evidence every two weeks, the control
// nothing. Practices of about 12, with 90% of peer ties inside the practice.
Scenario spillover_scenario(double contagion) {
  Scenario scenario = testing::make_scenario(3000, Stage::considering, {0, 0.8, 0, 0, 0, 0, 0});
  scenario.population.practice_settings[0].mean_practice_size = 12.0;
  scenario.network.model = agents::NetworkModel::clustered;
  scenario.network.mean_degree = 8.0;
  scenario.network.practice_share = 0.9;
  scenario.network.region_share = 0.1;
  scenario.network.opinion_leader_extra_degree = 0.0;
  for (auto& hazard : scenario.model.hazards) hazard = {};
  agents::StageHazard& considering = scenario.model.hazards[static_cast<int>(Stage::considering)];
  considering.base = 0.002;
  considering.contagion = contagion;
  considering.gate_weights[static_cast<int>(agents::Barrier::relevance)] = 1.0;
  scenario.model.lapse_rate = 0.0;
  scenario.model.peer.adopter_stage = Stage::trialing;
  scenario.arms = {Arm{"control", "", {}},
                   Arm{"treatment", "", {testing::every_two_weeks("rwe", 1)}}};
  scenario.control_arm = "control";
  return scenario;
}

LiveTestOptions options() {
  LiveTestOptions o;
  o.control_arm = "control";
  o.treatment_arm = "treatment";
  o.hcps = 3000;
  o.weeks = 26;
  o.trials = 60;
  o.seed = 3;
  return o;
}

bool covers_zero(const McMean& m) { return m.interval.lower <= 0.0 && m.interval.upper >= 0.0; }

// With strong contagion (0.08 a day at full peer adoption, 27 times the
// bundled scenarios' 0.003), control HCPs catch adoption from treated peers:
// the individually randomised estimate falls short of the true effect, with
// a Monte Carlo interval (t over 60 simulated tests) wholly below zero, and
// plan calls it dilution. Whole practices in one arm keep most ties inside
// an arm, so that bias shrinks.
TEST(LiveTest, IndividualRandomisationIsBiasedByPeerSpillover) {
  const LiveTestPlan plan = plan_live_test(spillover_scenario(0.08), options());
  ASSERT_TRUE(plan.effect_clear) << "the treatment must work for the test to mean anything";
  ASSERT_GT(plan.true_effect.interval.lower, 0.0);
  EXPECT_LT(plan.individual.bias.interval.upper, 0.0)
      << "bias " << plan.individual.bias.interval.mean << " true effect "
      << plan.true_effect.interval.mean;
  EXPECT_EQ(plan.individual.finding, BiasFinding::toward_zero);
  EXPECT_GT(plan.cluster.bias.interval.mean, plan.individual.bias.interval.mean);
  EXPECT_LT(plan.cluster.clusters, plan.individual.clusters) << "clusters are fewer than HCPs";
  EXPECT_TRUE(plan.field_force.empty()) << "email only: no field force";
}

// Without peer effects there is nothing to spill over: the individually
// randomised estimate is unbiased, its interval covering zero.
TEST(LiveTest, NoSpilloverWithoutPeerEffects) {
  const LiveTestPlan plan = plan_live_test(spillover_scenario(0.0), options());
  ASSERT_GT(plan.true_effect.interval.lower, 0.0);
  EXPECT_TRUE(covers_zero(plan.individual.bias));
  EXPECT_EQ(plan.individual.finding, BiasFinding::none_detected);
  // Clustering costs power: fewer independent units for the same HCPs.
  EXPECT_GE(plan.individual.power.share, plan.cluster.power.share);
}

// Two arms with the same journey, under the same strong contagion: with
// common random numbers the all-A and all-B runs are the same run, so the
// true effect is exactly zero in every simulated test, and no bias can be
// called spillover (no sign to dilute). The estimate is pure noise around
// zero, so its 95% interval covers zero (at this fixed seed; a 95% interval
// misses with probability 0.05).
TEST(LiveTest, IdenticalArmsShowNoSpillover) {
  Scenario scenario = spillover_scenario(0.08);
  scenario.arms[0].journeys = scenario.arms[1].journeys;
  const LiveTestPlan plan = plan_live_test(scenario, options());
  EXPECT_EQ(plan.true_effect.interval.mean, 0.0);
  EXPECT_EQ(plan.true_effect.interval.sd, 0.0);
  EXPECT_FALSE(plan.effect_clear);
  EXPECT_TRUE(covers_zero(plan.individual.bias))
      << plan.individual.bias.interval.lower << " " << plan.individual.bias.interval.upper;
  EXPECT_EQ(plan.individual.finding, BiasFinding::none_detected);
  EXPECT_NE(plan.cluster.finding, BiasFinding::toward_zero);
  EXPECT_EQ(plan.trials_needed.bias, 0U) << "no bias target without a true effect";
}

// The A/A test (both arms given arm A) must reject at about alpha. Over T
// independent simulated tests the count of rejections is Binomial(T, p) with
// p = alpha for a test of exact size, so the share lies within
// alpha +- 3 sqrt(alpha (1 - alpha) / T) with probability 0.997 (normal
// approximation; T alpha = 20 here). Small practices (about 6) give about 50
// clusters per test, enough for the cluster-level t-test's size to be near
// alpha too; 400 HCPs keep 400 tests cheap.
TEST(LiveTest, AaRejectionRateIsNearAlpha) {
  Scenario scenario = spillover_scenario(0.003);
  scenario.population.practice_settings[0].mean_practice_size = 6.0;
  LiveTestOptions o = options();
  o.hcps = 400;
  o.trials = 400;
  const double tolerance = 3.0 * std::sqrt(o.alpha * (1.0 - o.alpha) / o.trials);
  for (const char* metric : {"trial_rate", "prescriptions"}) {
    scenario.primary_metric = metric;
    const LiveTestPlan plan = plan_live_test(scenario, o);
    EXPECT_NEAR(plan.individual.null_rejections.share, o.alpha, tolerance) << metric;
    EXPECT_NEAR(plan.cluster.null_rejections.share, o.alpha, tolerance) << metric;
    EXPECT_NEAR(plan.individual.null_rejections.mcse,
                std::sqrt(plan.individual.null_rejections.share *
                          (1.0 - plan.individual.null_rejections.share) / o.trials),
                1e-12);
  }
}

// The metric with everyone in A, recomputed here from the engine's own
// totals, the way run_metrics does (sim/runner.cpp), for the same draws plan
// uses: replication t of the seed, the test's size and length.
double control_level_by_hand(const Scenario& base, const LiveTestOptions& o,
                             const std::string& metric) {
  Scenario scenario = base;
  scenario.horizon_days = o.weeks * 7;
  override_population_size(scenario, o.hcps);
  double sum = 0.0;
  for (std::uint32_t trial = 0; trial < o.trials; ++trial) {
    const auto population = agents::synthesize_population(
        scenario.population, scenario.catalogue.channels, o.seed, trial);
    const auto network = agents::build_network(scenario.network, population, o.seed, trial);
    const RunResult run = run_arm(scenario, population, network, {0, trial, o.seed, false});
    const double n = population.size;
    sum +=
        metric == "adoption_rate" ? static_cast<double>(run.adopters) / n : run.prescriptions / n;
  }
  return sum / o.trials;
}

// plan tests the scenario's primary_metric, not always first prescriptions.
// Adoption needs a way past trialing, so trialing moves on at 0.02 a day.
TEST(LiveTest, TestsTheScenariosPrimaryMetric) {
  Scenario scenario = spillover_scenario(0.003);
  scenario.model.hazards[static_cast<int>(Stage::trialing)].base = 0.02;
  LiveTestOptions o = options();
  o.hcps = 600;
  o.trials = 6;
  scenario.primary_metric = "trial_rate";
  const double trial_rate = plan_live_test(scenario, o).control_level.interval.mean;
  for (const char* metric : {"adoption_rate", "prescriptions"}) {
    scenario.primary_metric = metric;
    const LiveTestPlan plan = plan_live_test(scenario, o);
    EXPECT_EQ(plan.metric, metric);
    // Sums of the same floats in another order: equal to about 1e-12.
    EXPECT_NEAR(plan.control_level.interval.mean, control_level_by_hand(scenario, o, metric), 1e-9)
        << metric;
    EXPECT_GT(std::abs(plan.control_level.interval.mean - trial_rate), 1e-3)
        << metric << " must not be the trial rate";
  }
}

// First prescriptions count only among HCPs at risk, who start below
// trialing. Half the HCPs start at trialing; they lapse to considering
// (0.05 a day x workflow barrier 0.5) and can climb back, which in some
// engine versions stamps a "first" prescription on them. The other half
// start at considering and move up at a constant 0.01 a day (no gates, no
// peers), so each at-risk HCP trials within the 182 days with probability
// p = 1 - 0.99^182 = 0.839. Over T tests of about n = 1000 at-risk HCPs the
// mean rate has standard error sqrt(p (1 - p) / (n T)) = 0.0037 for T = 10;
// 4 standard errors (0.015) also cover one day more or less of exposure
// (0.0016). Counting all HCPs would give about p / 2 plus the returners.
TEST(LiveTest, TrialRateCountsOnlyHcpsAtRisk) {
  Scenario scenario = testing::make_scenario(2000, Stage::considering, {0, 0, 0, 0.5, 0, 0, 0});
  auto& shares = scenario.population.segments[0].start_stage_shares;
  shares = {};
  shares[static_cast<std::size_t>(Stage::considering)] = 0.5;
  shares[static_cast<std::size_t>(Stage::trialing)] = 0.5;
  for (auto& hazard : scenario.model.hazards) hazard = {};
  scenario.model.hazards[static_cast<int>(Stage::considering)].base = 0.01;
  scenario.model.lapse_rate = 0.05;
  scenario.arms = {Arm{"control", "", {}},
                   Arm{"treatment", "", {testing::every_two_weeks("rwe", 1)}}};
  LiveTestOptions o = options();
  o.hcps = 2000;
  o.trials = 10;
  const LiveTestPlan plan = plan_live_test(scenario, o);
  const double p = 1.0 - std::pow(0.99, 182.0);
  const double se = std::sqrt(p * (1.0 - p) / (1000.0 * o.trials));
  EXPECT_NEAR(plan.control_level.interval.mean, p, 4 * se);
  // The journey sends content that no stage move is gated on: arm B's rate
  // is the same p (the two runs share their random numbers, so the true
  // effect is exactly zero).
  EXPECT_NEAR(plan.control_level.interval.mean + plan.true_effect.interval.mean, p, 4 * se);
  EXPECT_EQ(plan.true_effect.interval.mean, 0.0);
}

// At a bundled scenario's own values: lesson 1 (scenarios/lesson-1-doubters,
// contagion 0.003 a day at considering from lesson-tables/stage_hazards.csv,
// 27 times below the test above; half of each HCP's peer ties inside the
// practice), real-world evidence against more evidence, email only (no field
// force, so peers are the only path between arms). What it measures: a
// dilution. Measured at seed 7 with 1600 simulated tests (`journeysim plan
// scenarios/lesson-1-doubters --arms more_evidence,setting_specific_rwe
// --hcps 3000 --weeks 26 --trials 1600 --seed 7`): true effect +5.00 points,
// individual bias -0.63 (MCSE 0.03), practice bias -0.26 (MCSE 0.03). With
// 200 tests the MCSE is about sqrt(1600 / 200) = 2.8 times larger, 0.08
// points, so the individual bias lies about 8 MCSE below zero (detected
// whatever the seed) and the two designs' biases differ by 0.37 points,
// about 3.3 times the standard error of that difference (at most
// 0.08 sqrt(2) = 0.11 points). The assertions hold these.
TEST(LiveTest, SpilloverAtALessonsOwnContagionDilutesTheEstimate) {
  const Scenario scenario = load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) /
                                          "scenarios" / "lesson-1-doubters");
  LiveTestOptions o = options();
  o.control_arm = "more_evidence";
  o.treatment_arm = "setting_specific_rwe";
  o.trials = 200;
  const LiveTestPlan plan = plan_live_test(scenario, o);
  ASSERT_TRUE(plan.effect_clear);
  ASSERT_GT(plan.true_effect.interval.mean, 0.0);
  EXPECT_TRUE(plan.field_force.empty());
  EXPECT_EQ(plan.individual.finding, BiasFinding::toward_zero)
      << plan.individual.bias.interval.lower << " " << plan.individual.bias.interval.upper;
  EXPECT_GT(plan.cluster.bias.interval.mean, plan.individual.bias.interval.mean)
      << "practices keep half of the ties inside one arm";
  EXPECT_LE(plan.individual.bias.mcse, 0.0015) << "about 0.0008 expected";
}

TEST(LiveTest, UnknownClusterFieldIsBadInput) {
  LiveTestOptions o = options();
  o.cluster_field = "favourite_colour";
  try {
    plan_live_test(spillover_scenario(0.0), o);
    FAIL() << "expected InputError";
  } catch (const agents::InputError& error) {
    EXPECT_EQ(error.where().field, "--randomize");
    EXPECT_NE(std::string(error.what()).find("favourite_colour"), std::string::npos);
  }
}

TEST(LiveTest, UnknownArmIsBadInput) {
  LiveTestOptions o = options();
  o.treatment_arm = "nosuch";
  EXPECT_THROW(plan_live_test(spillover_scenario(0.0), o), agents::InputError);
}

TEST(LiveTest, PrecisionTargetOutOfRangeIsBadInput) {
  LiveTestOptions o = options();
  o.target_rate_mcse = 0.0;
  try {
    plan_live_test(spillover_scenario(0.0), o);
    FAIL() << "expected InputError";
  } catch (const agents::InputError& error) {
    EXPECT_EQ(error.where().field, "--target-rate-mcse");
  }
}

// Above the largest population a scenario may have (10^9 HCPs).
TEST(LiveTest, TooManyHcpsIsBadInputNamingTheOption) {
  LiveTestOptions o = options();
  o.hcps = 2'000'000'000;
  try {
    plan_live_test(spillover_scenario(0.0), o);
    FAIL() << "expected InputError";
  } catch (const agents::InputError& error) {
    EXPECT_EQ(error.where().field, "--hcps");
  }
}

TEST(LiveTest, IdenticalForAnyThreadCount) {
  LiveTestOptions o = options();
  o.trials = 4;
  o.hcps = 800;
  const auto plan_with = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return plan_live_test(spillover_scenario(0.08), o);
  };
  const LiveTestPlan a = plan_with(1);
  const LiveTestPlan b = plan_with(2);
  EXPECT_EQ(a.individual.estimate.interval.mean, b.individual.estimate.interval.mean);
  EXPECT_EQ(a.cluster.bias.interval.mean, b.cluster.bias.interval.mean);
  EXPECT_EQ(a.true_effect.interval.mean, b.true_effect.interval.mean);
  EXPECT_EQ(a.individual.power.count, b.individual.power.count);
  EXPECT_EQ(a.cluster.null_rejections.count, b.cluster.null_rejections.count);
}

}  // namespace
}  // namespace journeysim::sim
