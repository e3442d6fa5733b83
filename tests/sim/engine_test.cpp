// Validation of the engine against known results (docs/model.md, Reduction to
// Bass diffusion), plus determinism and the journey constructs it runs.
#include "sim/engine.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>

#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/statistics.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

using agents::Barrier;
using agents::Stage;
using testing::every_two_weeks;
using testing::make_scenario;

// ---- Bass diffusion ------------------------------------------------------------

// Bass (1969) closed form for the cumulative adopter share with daily p, q.
double bass_closed_form(double p, double q, double t) {
  const double e = std::exp(-(p + q) * t);
  return (1.0 - e) / (1.0 + (q / p) * e);
}

// The engine's mean-field recursion: on day d every non-adopter moves with
// probability 1 - exp(-(p + q F_{d-1})), F from the end of the previous day.
std::vector<double> bass_daily_recursion(double p, double q, int days) {
  std::vector<double> f(days + 1, 0.0);
  for (int d = 1; d <= days; ++d) {
    f[d] = f[d - 1] + (1.0 - f[d - 1]) * (1.0 - std::exp(-(p + q * f[d - 1])));
  }
  return f;
}

void expect_bass(double p, double q) {
  constexpr std::uint32_t kHcps = 1500;
  constexpr std::uint32_t kReplications = 12;
  Scenario scenario = make_scenario(kHcps, Stage::considering, {});
  scenario.horizon_days = 200;
  // Only considering -> trialing is in play: hazard p + q * adopter share.
  for (auto& hazard : scenario.model.hazards) hazard = {};
  scenario.model.hazards[static_cast<std::size_t>(Stage::considering)] = {p, q, {}};
  scenario.model.lapse_rate = 0.0;
  scenario.model.forgetting_per_week = 0.0;
  scenario.model.peer.adopter_stage = Stage::trialing;
  scenario.model.peer.opinion_leader_weight = 1.0;
  // A complete graph: every HCP sees the share of all others who prescribe.
  scenario.network.model = agents::NetworkModel::edge_list;
  for (std::uint32_t a = 0; a < kHcps; ++a) {
    for (std::uint32_t b = a + 1; b < kHcps; ++b) scenario.network.edges.push_back({a, b, 1.0F});
  }
  scenario.arms = {Arm{"no_journey", "", {}}};
  ExperimentOptions options;
  options.seed = 7;
  options.replications = kReplications;
  options.keep_hcp_outcomes = false;
  const ExperimentResult result = run_experiment(scenario, options);
  const auto recursion = bass_daily_recursion(p, q, static_cast<int>(scenario.horizon_days));
  for (const std::uint32_t day : {10U, 30U, 60U, 100U, 150U, 200U}) {
    std::vector<double> shares;
    for (const RunResult& run : result.runs[0]) {
      const std::uint32_t* counts = &run.stage_counts[day * agents::kStageCount];
      shares.push_back(static_cast<double>(counts[static_cast<int>(Stage::trialing)]) / kHcps);
    }
    const MeanInterval observed = mean_interval(shares);
    // Sampling: 4 standard errors of the replication mean (its sd estimated
    // from the replications, floored at the binomial sd of one share so a lucky
    // small spread cannot make the check impossible). Discretisation: the
    // engine follows the daily recursion, whose distance from the
    // continuous closed form is computed, not assumed.
    const double binomial_sd = std::sqrt(recursion[day] * (1.0 - recursion[day]) / kHcps);
    const double standard_error =
        std::max(observed.sd, binomial_sd) / std::sqrt(static_cast<double>(kReplications));
    const double discretisation = std::abs(recursion[day] - bass_closed_form(p, q, day));
    EXPECT_NEAR(observed.mean, bass_closed_form(p, q, day), 4.0 * standard_error + discretisation)
        << "p=" << p << " q=" << q << " day " << day;
    EXPECT_NEAR(observed.mean, recursion[day], 4.0 * standard_error)
        << "p=" << p << " q=" << q << " day " << day << " (daily recursion)";
  }
}

TEST(EngineValidation, MatchesBassClosedFormWithStrongImitation) { expect_bass(0.003, 0.04); }

TEST(EngineValidation, MatchesBassClosedFormWithStrongInnovation) { expect_bass(0.01, 0.01); }

// ---- barrier matching ---------------------------------------------------------------

TEST(EngineValidation, MatchedContentMovesDoubtersMoreThanUnmatched) {
  // Everyone doubts relevance (0.8); other gating barriers are low.
  Scenario scenario = make_scenario(4000, Stage::considering, {0.1, 0.8, 0.1, 0.1, 0.1, 0.0, 0.0});
  scenario.arms = {Arm{"trial_summary", "", {every_two_weeks("knowledge", 0)}},
                   Arm{"real_world_evidence", "", {every_two_weeks("relevance", 1)}}};
  ExperimentOptions options;
  options.seed = 11;
  options.replications = 6;
  const ExperimentResult result = run_experiment(scenario, options);
  std::vector<double> differences;
  for (std::uint32_t r = 0; r < options.replications; ++r) {
    differences.push_back(static_cast<double>(result.runs[1][r].trialists) -
                          static_cast<double>(result.runs[0][r].trialists));
  }
  const MeanInterval uplift = mean_interval(differences);
  EXPECT_GT(uplift.lower, 0.0) << "matched content must win with its interval above zero";
  // Same touches, same cost: the difference is the content alone.
  EXPECT_EQ(result.runs[0][0].channels[0].sent, result.runs[1][0].channels[0].sent);
  const double matched = static_cast<double>(result.runs[1][0].trialists);
  const double unmatched = static_cast<double>(result.runs[0][0].trialists);
  EXPECT_GT(matched, 1.5 * unmatched) << "matched " << matched << " unmatched " << unmatched;
}

// ---- coverage of the paired uplift interval -----------------------------------------

// The true uplift of real-world evidence over the trial summary is estimated
// from 200 replications (its standard error is then about a sixth of one
// 5-replication interval's half-width, so it barely moves the coverage). Then
// 100 independent experiments of 5 replications each, with other seeds, give
// 100 paired 95% intervals. Coverage is Binomial(100, 0.95) if the interval
// is right: sd 2.2 points, so 3 sd below is 88.5%; we also require that not
// every interval covers, which a grossly too wide interval would.
TEST(EvaluationCoverage, PairedUpliftIntervalCoversTheTrueEffect) {
  Scenario scenario = make_scenario(800, Stage::considering, {0.1, 0.7, 0.1, 0.1, 0.1, 0.0, 0.0});
  scenario.horizon_days = 180;
  scenario.arms = {Arm{"trial_summary", "", {every_two_weeks("knowledge", 0)}},
                   Arm{"real_world_evidence", "", {every_two_weeks("relevance", 1)}}};
  scenario.control_arm = "trial_summary";
  ExperimentOptions truth_options;
  truth_options.seed = 1000;
  truth_options.replications = 200;
  truth_options.keep_hcp_outcomes = false;
  const Evaluation truth = evaluate(scenario, run_experiment(scenario, truth_options));
  double true_uplift = 0.0;
  for (const Comparison& c : truth.comparisons) {
    if (c.metric == "trial_rate") true_uplift = c.difference.mean;
  }
  ASSERT_GT(true_uplift, 0.0);
  int covered = 0;
  constexpr int kExperiments = 100;
  for (int e = 0; e < kExperiments; ++e) {
    ExperimentOptions options;
    options.seed = 5000 + static_cast<std::uint64_t>(e);
    options.replications = 5;
    options.keep_hcp_outcomes = false;
    const Evaluation evaluation = evaluate(scenario, run_experiment(scenario, options));
    for (const Comparison& c : evaluation.comparisons) {
      if (c.metric != "trial_rate") continue;
      covered += c.difference.lower <= true_uplift && true_uplift <= c.difference.upper ? 1 : 0;
    }
  }
  const double coverage = static_cast<double>(covered) / kExperiments;
  EXPECT_GE(coverage, 0.95 - 3.0 * std::sqrt(0.95 * 0.05 / kExperiments)) << coverage;
  EXPECT_LT(covered, kExperiments) << "every interval covered: intervals may be far too wide";
}

// ---- determinism ------------------------------------------------------------------------

TEST(Engine, IdenticalResultsForAnyThreadCount) {
  Scenario scenario = make_scenario(3000, Stage::aware, {0.4, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3});
  scenario.network.model = agents::NetworkModel::small_world;
  scenario.network.mean_degree = 6;
  scenario.arms = {Arm{"a", "", {every_two_weeks("a", 0)}},
                   Arm{"b", "", {every_two_weeks("b", 1)}}};
  ExperimentOptions options;
  options.seed = 5;
  options.replications = 3;
  const auto run_with = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return run_experiment(scenario, options);
  };
  const ExperimentResult one = run_with(1);
  const ExperimentResult two = run_with(2);
  const ExperimentResult four = run_with(4);
  for (std::size_t a = 0; a < 2; ++a) {
    for (std::uint32_t r = 0; r < options.replications; ++r) {
      EXPECT_EQ(one.runs[a][r].stage_counts, two.runs[a][r].stage_counts);
      EXPECT_EQ(one.runs[a][r].stage_counts, four.runs[a][r].stage_counts);
      EXPECT_EQ(one.runs[a][r].prescriptions, two.runs[a][r].prescriptions);
      EXPECT_EQ(one.runs[a][r].channels[0].engaged, four.runs[a][r].channels[0].engaged);
    }
  }
}

TEST(Engine, IdenticalArmsGiveIdenticalRuns) {
  // Common random numbers: two arms with the same journey see the same numbers.
  Scenario scenario = make_scenario(2000, Stage::aware, {0.4, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3});
  scenario.arms = {Arm{"a", "", {every_two_weeks("x", 0)}},
                   Arm{"b", "", {every_two_weeks("x", 0)}}};
  ExperimentOptions options;
  options.replications = 2;
  const ExperimentResult result = run_experiment(scenario, options);
  EXPECT_EQ(result.runs[0][1].stage_counts, result.runs[1][1].stage_counts);
  EXPECT_EQ(result.runs[0][1].trialists, result.runs[1][1].trialists);
}

TEST(Engine, HoldoutLeavesItsShareUntouched) {
  Scenario scenario = make_scenario(5000, Stage::aware, {});
  Journey journey = every_two_weeks("with_holdout", 0);
  journey.holdout_share = 0.2;
  scenario.arms = {Arm{"a", "", {journey}}};
  const RunResult run =
      run_arm(scenario,
              agents::synthesize_population(scenario.population, scenario.catalogue.channels, 1, 0),
              agents::PeerNetwork(5000, {}), RunPlan{0, 0, 1, true});
  std::uint32_t held = 0, untouched_held = 0;
  for (const HcpOutcome& outcome : run.hcps) {
    held += outcome.held_out ? 1 : 0;
    untouched_held += outcome.held_out && outcome.touches == 0 ? 1 : 0;
  }
  // Binomial(5000, 0.2): sd = sqrt(5000 * 0.2 * 0.8) ~ 28.3; 4 sd.
  EXPECT_NEAR(held, 1000.0, 4 * 28.3);
  EXPECT_EQ(untouched_held, held);
}

TEST(Engine, FrequencyCapLimitsTouches) {
  Scenario scenario = make_scenario(500, Stage::aware, {});
  Journey journey = every_two_weeks("daily", 0);
  journey.steps[1].wait_days = 1;  // Tries every day.
  scenario.arms = {Arm{"a", "", {journey}}};
  scenario.caps = {FrequencyCap{0, 2, 30}};  // At most 2 emails in any 30 days.
  scenario.horizon_days = 90;
  const RunResult run =
      run_arm(scenario,
              agents::synthesize_population(scenario.population, scenario.catalogue.channels, 1, 0),
              agents::PeerNetwork(500, {}), RunPlan{0, 0, 1, true});
  for (const HcpOutcome& outcome : run.hcps) {
    // Days 1..90 hold three disjoint 30-day windows: at most 6 touches.
    ASSERT_LE(outcome.touches, 6);
    ASSERT_GE(outcome.touches, 5);
  }
  EXPECT_GT(run.channels[0].suppressed, 0U);
}

}  // namespace
}  // namespace journeysim::sim

namespace journeysim::sim {
namespace {

// Ranking and selection through the runner: with real-world evidence clearly
// better for relevance doubters, KN and OCBA both pick it.
Scenario selection_scenario() {
  Scenario scenario =
      testing::make_scenario(1500, agents::Stage::considering, {0.1, 0.8, 0.1, 0.1, 0.1, 0.0, 0.0});
  scenario.horizon_days = 180;
  scenario.arms = {Arm{"trial_summary", "", {testing::every_two_weeks("knowledge", 0)}},
                   Arm{"real_world_evidence", "", {testing::every_two_weeks("relevance", 1)}},
                   Arm{"nothing", "", {}}};
  return scenario;
}

TEST(Selection, KnThroughTheRunnerPicksTheMatchedArm) {
  ExperimentOptions options;
  options.seed = 21;
  options.keep_hcp_outcomes = false;
  options.selection.procedure = SelectionOptions::Procedure::kn;
  options.selection.delta = 0.01;
  options.selection.alpha = 0.05;
  const ExperimentResult result = run_experiment(selection_scenario(), options);
  ASSERT_TRUE(result.selection.has_value());
  EXPECT_EQ(result.selection->best, 1U);
  EXPECT_GE(result.replications, 10U) << "the evaluation keeps the first stage every arm ran";
  EXPECT_LE(result.selection->arm_runs, 3U * result.selection->replications_used);
}

TEST(Selection, OcbaThroughTheRunnerSpendsItsBudget) {
  ExperimentOptions options;
  options.seed = 22;
  options.keep_hcp_outcomes = false;
  options.selection.procedure = SelectionOptions::Procedure::ocba;
  options.selection.n0 = 5;
  options.selection.budget = 60;
  const ExperimentResult result = run_experiment(selection_scenario(), options);
  ASSERT_TRUE(result.selection.has_value());
  EXPECT_EQ(result.selection->best, 1U);
  EXPECT_EQ(result.selection->arm_runs, 60U);
}

}  // namespace
}  // namespace journeysim::sim
