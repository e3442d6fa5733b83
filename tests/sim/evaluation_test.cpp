// The A/B evaluation: known answers on hand-made results, and the coverage of
// the paired uplift interval checked by simulation against a known effect.
#include "sim/evaluation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "agents/input_error.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

Scenario two_arm_scenario() {
  Scenario scenario;
  scenario.name = "evaluation-test";
  scenario.horizon_days = 3;
  scenario.population.specialties = {"cardiology"};
  scenario.arms = {Arm{"control", "", {}}, Arm{"treatment", "", {}}};
  scenario.control_arm = "control";
  return scenario;
}

// An experiment whose metric values are given directly: values[arm][replication].
ExperimentResult result_with(const std::vector<std::vector<double>>& trial_rates) {
  ExperimentResult result;
  result.replications = static_cast<std::uint32_t>(trial_rates[0].size());
  result.population_sizes.assign(result.replications, 100);
  result.runs.assign(trial_rates.size(),
                     std::vector<RunResult>(result.replications, testing::empty_run(3)));
  result.metrics.resize(trial_rates.size());
  for (std::size_t a = 0; a < trial_rates.size(); ++a) {
    for (const std::string& name : compared_metrics()) {
      ArmMetric metric;
      metric.name = name;
      metric.values =
          name == "trial_rate" ? trial_rates[a] : std::vector<double>(result.replications, 1.0);
      metric.summary = mean_interval(metric.values);
      result.metrics[a].push_back(metric);
    }
    ArmMetric adopters;  // Needed for the cost per incremental adopter.
    adopters.name = "adopters";
    adopters.values.assign(result.replications, static_cast<double>(a));
    result.metrics[a].push_back(adopters);
    ArmMetric trialists;  // The economics' outcome for trial_rate (docs/economics.md).
    trialists.name = "trialists";
    trialists.values.assign(result.replications, static_cast<double>(a));
    result.metrics[a].push_back(trialists);
  }
  return result;
}

const Comparison& comparison(const Evaluation& evaluation, const std::string& metric) {
  for (const Comparison& c : evaluation.comparisons) {
    if (c.metric == metric) return c;
  }
  throw std::logic_error("no comparison for " + metric);
}

TEST(Evaluation, PairedDifferenceKnownAnswer) {
  // Differences 1, 2, 3, 4, 5 (scaled by 0.01): mean 3, sd sqrt(2.5); paired t
  // = 3 / (sqrt(2.5) / sqrt(5)) = 4.2426 on 4 degrees of freedom, two-sided
  // p = 0.013229 (R: 2 * pt(-4.2426, 4)).
  const ExperimentResult result =
      result_with({{0.10, 0.10, 0.10, 0.10, 0.10}, {0.11, 0.12, 0.13, 0.14, 0.15}});
  const Evaluation evaluation = evaluate(two_arm_scenario(), result);
  const Comparison& c = comparison(evaluation, "trial_rate");
  EXPECT_NEAR(c.difference.mean, 0.03, 1e-12);
  EXPECT_NEAR(c.difference.sd, 0.01 * std::sqrt(2.5), 1e-12);
  // t(0.975, 4) = 2.776445 (R: qt(0.975, 4)).
  EXPECT_NEAR(c.difference.upper - c.difference.mean,
              2.776445 * 0.01 * std::sqrt(2.5) / std::sqrt(5.0), 1e-6);
  EXPECT_NEAR(c.p_value, 0.013229, 1e-5);
  EXPECT_NEAR(c.p_holm, c.p_value, 1e-12) << "one comparison: Holm changes nothing";
  EXPECT_NEAR(c.relative_lift.estimate, 0.3, 1e-12);  // 0.13 / 0.10 - 1.
  // The control has no spread, so Var(diff) = Var(arm): no variance reduction.
  EXPECT_NEAR(c.variance_reduction, 0.0, 1e-12);
}

TEST(Evaluation, PairingRemovesSharedNoise) {
  // Arm = control + 0.01 exactly: the paired difference has no variance.
  const ExperimentResult result = result_with({{0.10, 0.20, 0.15, 0.30}, {0.11, 0.21, 0.16, 0.31}});
  const Evaluation evaluation = evaluate(two_arm_scenario(), result);
  const Comparison& c = comparison(evaluation, "trial_rate");
  EXPECT_NEAR(c.difference.mean, 0.01, 1e-12);
  EXPECT_NEAR(c.variance_reduction, 1.0, 1e-9);
}

TEST(Evaluation, FewerThanTwoReplicationsIsBadInput) {
  const ExperimentResult result = result_with({{0.1}, {0.2}});
  EXPECT_THROW(evaluate(two_arm_scenario(), result), agents::InputError);
}

TEST(Evaluation, KaplanMeierProductLimit) {
  ExperimentResult result = result_with({{0.1, 0.1}, {0.2, 0.2}});
  for (auto& runs : result.runs) {
    runs[0].at_risk = 5;
    runs[1].at_risk = 5;
    runs[0].first_prescriptions_by_day = {0, 2, 0, 1};
    runs[1].first_prescriptions_by_day = {0, 0, 0, 2};
  }
  const Evaluation evaluation = evaluate(two_arm_scenario(), result);
  const KaplanMeier& km = evaluation.km[0];
  EXPECT_EQ(km.at_risk, 10U);
  // Day 1: 2 of 10 -> 0.8; day 3: 3 of 8 -> 0.8 * 5/8 = 0.5.
  EXPECT_DOUBLE_EQ(km.survival[1], 0.8);
  EXPECT_DOUBLE_EQ(km.survival[2], 0.8);
  EXPECT_DOUBLE_EQ(km.survival[3], 0.5);
  EXPECT_EQ(km.median_day, 3);
}

TEST(Evaluation, FrictionSharesAndChanges) {
  ExperimentResult result = result_with({{0.1, 0.1}, {0.2, 0.2}});
  const std::size_t holders = agents::kBarrierCount + 1;
  const std::size_t relevance = 1 + static_cast<std::size_t>(agents::Barrier::relevance);
  const std::size_t considering = static_cast<std::size_t>(agents::Stage::considering);
  for (std::uint32_t r = 0; r < 2; ++r) {
    result.runs[0][r].friction[considering * holders + relevance] = 30;  // Control: 30 of 100.
    result.runs[1][r].friction[considering * holders + relevance] = 10;  // Treatment: 10.
  }
  const Evaluation evaluation = evaluate(two_arm_scenario(), result);
  bool found = false;
  for (const FrictionCell& cell : evaluation.friction) {
    if (cell.arm == 1 && cell.stage == agents::Stage::considering && cell.holder == "relevance") {
      EXPECT_NEAR(cell.share.mean, 0.10, 1e-12);
      EXPECT_NEAR(cell.change.mean, -0.20, 1e-12);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace journeysim::sim
