// Outcome metrics (docs/outputs.md, Outcome metrics): a first prescription
// counts only for an HCP at risk (who started below trialing), once, on its
// first day; lapses and returns do not add to it; with nobody at risk the
// trial rate is not defined, and says so.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "agents/input_error.hpp"
#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "reports/run_outputs.hpp"
#include "sim/engine.hpp"
#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "tests/sim/test_scenario_copy.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

using agents::Stage;
using testing::make_scenario;

// Half the HCPs start at considering (at risk), half at trialing (not at
// risk). Fast moves up from considering and fast lapses from trialing (the
// workflow barrier is 0.5 and the lapse rate high), so most HCPs go back and
// forth between considering and trialing many times in a year.
Scenario churning_scenario() {
  Scenario scenario = make_scenario(400, Stage::considering, {0, 0, 0, 0.5, 0, 0, 0});
  auto& shares = scenario.population.segments[0].start_stage_shares;
  shares.fill(0.0);
  shares[static_cast<std::size_t>(Stage::considering)] = 0.5;
  shares[static_cast<std::size_t>(Stage::trialing)] = 0.5;
  for (auto& hazard : scenario.model.hazards) hazard = {};
  scenario.model.hazards[static_cast<std::size_t>(Stage::considering)] = {0.05, 0.0, {}};
  scenario.model.lapse_rate = 0.1;
  scenario.arms = {Arm{"no_journey", "", {}}};
  return scenario;
}

ExperimentResult run(const Scenario& scenario, std::uint32_t replications) {
  ExperimentOptions options;
  options.seed = 11;
  options.replications = replications;
  options.keep_hcp_outcomes = true;
  return run_experiment(scenario, options);
}

double metric(const ExperimentResult& result, std::size_t arm, const std::string& name,
              std::size_t replication) {
  for (const ArmMetric& m : result.metrics[arm]) {
    if (m.name == name) return m.values.at(replication);
  }
  throw std::runtime_error("no metric " + name);
}

TEST(TrialRate, CountsOnlyHcpsAtRiskAndNeverExceedsTheirShare) {
  const Scenario scenario = churning_scenario();
  const ExperimentResult result = run(scenario, 3);
  // Per-HCP outcomes are kept for replication 0 (as hcp_outcomes.csv).
  const RunResult& first = result.runs[0][0];
  ASSERT_EQ(first.hcps.size(), scenario.population.size);
  std::uint32_t at_risk = 0;
  std::uint32_t lapsed_from_the_start = 0;
  for (const HcpOutcome& hcp : first.hcps) {
    if (hcp.start_stage < Stage::trialing) ++at_risk;
    // Nobody already prescribing on day 0 gets a first prescription.
    if (hcp.start_stage >= Stage::trialing) {
      EXPECT_EQ(hcp.first_prescription_day, -1);
      if (hcp.final_stage < Stage::trialing) ++lapsed_from_the_start;
    }
  }
  EXPECT_EQ(first.at_risk, at_risk);
  // The scenario does what the test needs: HCPs who started at trialing lapse.
  EXPECT_GT(lapsed_from_the_start, 0U);
  for (std::size_t r = 0; r < result.replications; ++r) {
    const RunResult& runs = result.runs[0][r];
    EXPECT_LE(runs.trialists, runs.at_risk);
    // The rate's denominator is the HCPs at risk, not the population.
    EXPECT_DOUBLE_EQ(metric(result, 0, "trial_rate", r),
                     static_cast<double>(runs.trialists) / runs.at_risk);
    EXPECT_LE(metric(result, 0, "trial_rate", r), 1.0);
  }
}

// Days on which the traced HCP moved into trialing, from the trace.
std::vector<std::uint32_t> days_entering_trialing(const Scenario& scenario,
                                                  const agents::Population& population,
                                                  const agents::PeerNetwork& network,
                                                  std::uint32_t hcp, RunResult& result) {
  std::vector<std::uint32_t> days;
  RunPlan plan{0, 0, 11};
  plan.keep_hcp_outcomes = true;
  result = trace_arm(scenario, population, network, plan, hcp, [&](const TraceEvent& event) {
    if (event.text.find("to trialing") != std::string::npos) days.push_back(event.day);
  });
  return days;
}

TEST(TrialRate, AnHcpWhoLapsesAndReturnsCountsOnceOnTheFirstDay) {
  Scenario scenario = churning_scenario();
  scenario.population.size = 60;
  const agents::Population population =
      agents::synthesize_population(scenario.population, scenario.catalogue.channels, 11, 0);
  const agents::PeerNetwork network = agents::build_network(scenario.network, population, 11, 0);
  int returned_at_risk = 0;
  int returned_not_at_risk = 0;
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    RunResult result;
    const std::vector<std::uint32_t> days =
        days_entering_trialing(scenario, population, network, hcp, result);
    if (days.size() < 2) continue;
    const HcpOutcome& outcome = result.hcps.at(hcp);
    if (population.start_stage[hcp] < Stage::trialing) {
      ++returned_at_risk;
      EXPECT_EQ(outcome.first_prescription_day, static_cast<std::int32_t>(days.front()))
          << "HCP " << hcp << " entered trialing on " << days.size() << " days";
    } else {
      ++returned_not_at_risk;
      EXPECT_EQ(outcome.first_prescription_day, -1) << "HCP " << hcp;
    }
  }
  // Both kinds of return happened, so both expectations above were exercised.
  EXPECT_GT(returned_at_risk, 0);
  EXPECT_GT(returned_not_at_risk, 0);
}

TEST(TrialRate, NotDefinedWhenNobodyIsAtRisk) {
  Scenario scenario = churning_scenario();
  auto& shares = scenario.population.segments[0].start_stage_shares;
  shares.fill(0.0);
  shares[static_cast<std::size_t>(Stage::trialing)] = 1.0;
  scenario.arms = {Arm{"control", "", {}}, Arm{"same", "", {}}};
  scenario.control_arm = "control";
  scenario.primary_metric = "adoption_rate";
  const ExperimentResult result = run(scenario, 2);
  EXPECT_TRUE(std::isnan(metric(result, 0, "trial_rate", 0)));
  EXPECT_TRUE(std::isnan(metric(result, 0, "cost_per_trialist", 0)));
  const Evaluation evaluation = evaluate(scenario, result);
  EXPECT_EQ(evaluation.undefined_metrics, std::vector<std::string>{"trial_rate"});
  for (const Comparison& c : evaluation.comparisons) EXPECT_NE(c.metric, "trial_rate");
  std::ostringstream console;
  reports::print_run_summary(console, scenario, result);
  EXPECT_NE(console.str().find("not defined"), std::string::npos) << console.str();
  EXPECT_EQ(console.str().find("nan"), std::string::npos) << console.str();

  // Deciding on a rate that does not exist is refused.
  scenario.primary_metric = "trial_rate";
  try {
    evaluate(scenario, result);
    FAIL() << "expected an input error";
  } catch (const agents::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("at risk"), std::string::npos) << error.what();
  }
}

TEST(TrialRate, AScenarioWithNobodyAtRiskCannotDecideOnIt) {
  testing::ScenarioCopy copy("quickstart");
  // Every segment starts at trialing or beyond: rewrite the stage table.
  const std::string stages = copy.read("tables/segment_stages.csv");
  std::istringstream in(stages);
  std::string line, rewritten = "segment,stage,share\n";
  std::getline(in, line);  // The header.
  // Rows: segment,stage,share. Each segment gets one row: all at trialing.
  std::string previous;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::string segment = line.substr(0, line.find(','));
    if (segment != previous) rewritten += segment + ",trialing,1\n";
    previous = segment;
  }
  copy.write("tables/segment_stages.csv", rewritten);
  try {
    load_scenario(copy.folder());
    FAIL() << "expected an input error";
  } catch (const agents::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("primary_metric"), std::string::npos) << message;
    EXPECT_NE(message.find("at risk"), std::string::npos) << message;
  }
  copy.replace("scenario.yaml", "primary_metric: trial_rate", "primary_metric: adoption_rate");
  const Scenario scenario = load_scenario(copy.folder());
  bool warned = false;
  for (const std::string& warning : scenario.warnings)
    warned = warned || warning.find("trial_rate is not defined") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace journeysim::sim
