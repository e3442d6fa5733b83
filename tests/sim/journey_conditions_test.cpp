// Conditions on observed signals (docs/journeys.md, Conditions): `latest:
// true` asks which barrier the most recent signal named, where a plain
// signal condition asks whether any signal named it.
#include <gtest/gtest.h>

#include "sim/runner.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

using agents::Barrier;
using agents::Stage;

// Every HCP is sent the trial summary (a knowledge signal when consumed) on
// day 0 and real-world evidence (a relevance signal) on day 14. On day 15 a
// split sends one more email only if `condition` holds. Engagement is all
// but certain and every engagement counts as consumed, so every HCP has
// both signals, the relevance one last.
double touches_per_hcp(const Condition& condition) {
  Scenario scenario = testing::make_scenario(200, Stage::aware, {});
  scenario.catalogue.channels[0].base_engagement = 1.0 - 1e-9;
  scenario.model.engagement.consumed_depth = 0.0;
  Journey journey;
  journey.name = "signals";
  const auto send = [](std::string id, std::uint32_t content, StepIndex next) {
    Step step;
    step.id = std::move(id);
    step.kind = Step::Kind::send;
    step.action = {0, content};
    step.next = next;
    return step;
  };
  const auto wait = [](std::string id, std::uint32_t days, StepIndex next) {
    Step step;
    step.id = std::move(id);
    step.kind = Step::Kind::wait;
    step.wait_days = days;
    step.next = next;
    return step;
  };
  Step split;
  split.id = "ask";
  split.kind = Step::Kind::split;
  split.rules = {Rule{{condition}, std::nullopt, 5}};
  split.else_next = kNoStep;
  journey.steps = {send("knowledge", 0, 1),
                   wait("w1", 14, 2),
                   send("relevance", 1, 3),
                   wait("w2", 1, 4),
                   split,
                   send("answer", 1, kNoStep)};
  scenario.arms = {Arm{"only", "", {journey}}};
  ExperimentOptions options;
  options.seed = 5;
  options.replications = 1;
  const ExperimentResult result = run_experiment(scenario, options);
  for (const ArmMetric& m : result.metrics[0]) {
    if (m.name == "touches_per_hcp") return m.values.front();
  }
  throw std::runtime_error("no touches_per_hcp");
}

Condition signal(Barrier barrier, bool latest) {
  Condition condition;
  condition.kind = Condition::Kind::event_count;
  condition.event.kind = EventKind::signal;
  condition.event.barrier = barrier;
  condition.latest = latest;
  return condition;
}

TEST(SignalCondition, AnySignalCountsWithoutLatest) {
  EXPECT_DOUBLE_EQ(touches_per_hcp(signal(Barrier::knowledge, false)), 3.0);
  EXPECT_DOUBLE_EQ(touches_per_hcp(signal(Barrier::relevance, false)), 3.0);
}

TEST(SignalCondition, LatestAnswersOnlyTheMostRecentSignal) {
  EXPECT_DOUBLE_EQ(touches_per_hcp(signal(Barrier::knowledge, true)), 2.0);
  EXPECT_DOUBLE_EQ(touches_per_hcp(signal(Barrier::relevance, true)), 3.0);
}

}  // namespace
}  // namespace journeysim::sim
