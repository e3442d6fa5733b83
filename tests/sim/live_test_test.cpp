// journeysim plan: the simulated live test shows peer spillover between arms
// under individual randomisation, and none when peer effects are off.
#include "sim/live_test.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include "agents/input_error.hpp"
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

// With strong contagion, control HCPs catch adoption from treated peers: the
// individually randomised estimate falls short of the true effect, with a
// Monte Carlo interval (t over 60 simulated tests) wholly below zero. Whole
// practices in one arm keep most ties inside an arm, so that bias shrinks.
TEST(LiveTest, IndividualRandomisationIsBiasedByPeerSpillover) {
  const LiveTestPlan plan = plan_live_test(spillover_scenario(0.08), options());
  ASSERT_GT(plan.true_effect.lower, 0.0) << "the treatment must work for the test to mean anything";
  EXPECT_LT(plan.individual.bias.upper, 0.0)
      << "bias " << plan.individual.bias.mean << " true effect " << plan.true_effect.mean;
  EXPECT_GT(plan.cluster.bias.mean, plan.individual.bias.mean);
  EXPECT_LT(plan.cluster.clusters, plan.individual.clusters) << "clusters are fewer than HCPs";
}

// Without peer effects there is nothing to spill over: the individually
// randomised estimate is unbiased, its interval covering zero.
TEST(LiveTest, NoSpilloverWithoutPeerEffects) {
  const LiveTestPlan plan = plan_live_test(spillover_scenario(0.0), options());
  ASSERT_GT(plan.true_effect.lower, 0.0);
  EXPECT_LE(plan.individual.bias.lower, 0.0);
  EXPECT_GE(plan.individual.bias.upper, 0.0);
  // Clustering costs power: fewer independent units for the same HCPs.
  EXPECT_GE(plan.individual.power, plan.cluster.power);
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
  EXPECT_EQ(a.individual.estimate.mean, b.individual.estimate.mean);
  EXPECT_EQ(a.cluster.bias.mean, b.cluster.bias.mean);
  EXPECT_EQ(a.true_effect.mean, b.true_effect.mean);
  EXPECT_EQ(a.individual.power, b.individual.power);
}

}  // namespace
}  // namespace journeysim::sim
