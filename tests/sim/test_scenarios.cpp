#include "tests/sim/test_scenarios.hpp"

namespace journeysim::testing {

using agents::Barrier;
using agents::Stage;

// A scenario built in code: one segment, the given barrier means (fixed, no
// spread), everyone starting at `start`, one addressable email channel with
// full reach and consent, and content items aimed at single barriers.
sim::Scenario make_scenario(std::uint32_t hcps, agents::Stage start,
                            std::array<double, agents::kBarrierCount> barrier_means) {
  sim::Scenario scenario;
  scenario.name = "engine-test";
  scenario.currency = "EUR";
  scenario.seed = 99;
  scenario.horizon_days = 365;
  agents::Channel email;
  email.name = "email";
  email.addressable = true;
  email.reach = 1.0;
  email.base_engagement = 0.5;
  email.cost = 1.0;
  email.fatigue_weight = 0.0;
  scenario.catalogue.channels = {email};
  const auto content = [](std::string name, Barrier barrier, float effect) {
    agents::ContentItem item;
    item.name = std::move(name);
    item.format = "article";
    item.minutes = 3.0;
    item.allowed_channels = {0};
    item.effect[static_cast<std::size_t>(barrier)] = effect;
    return item;
  };
  scenario.catalogue.content = {content("trial_summary", Barrier::knowledge, 0.3F),
                                content("real_world_evidence", Barrier::relevance, 0.3F)};
  agents::PopulationSpec& spec = scenario.population;
  spec.size = hcps;
  spec.known_share = 1.0;
  spec.specialties = {"cardiology"};
  spec.practice_settings = {{"hospital", 1.0}};
  spec.regions = {{"all", 1.0}};
  spec.career_stages = {{"all", 1.0}};
  agents::Segment segment;
  segment.name = "everyone";
  segment.share = 1.0;
  segment.patients_per_month_mean = 10.0;
  for (int b = 0; b < agents::kBarrierCount; ++b) segment.barriers[b] = {barrier_means[b], 0.0};
  segment.start_stage_shares[static_cast<std::size_t>(start)] = 1.0;
  segment.channels = {{0.0, 0.0, 1.0}};
  spec.segments = {segment};
  scenario.network.model = agents::NetworkModel::none;
  return scenario;
}

// A journey that sends one content item by email every 14 days.
sim::Journey every_two_weeks(std::string name, std::uint32_t content) {
  sim::Journey journey;
  journey.name = std::move(name);
  sim::Step send;
  send.id = "send";
  send.kind = sim::Step::Kind::send;
  send.action = {0, content};
  send.next = 1;
  sim::Step wait;
  wait.id = "wait";
  wait.kind = sim::Step::Kind::wait;
  wait.wait_days = 14;
  wait.next = 0;
  journey.steps = {send, wait};
  return journey;
}

sim::RunResult empty_run(std::uint32_t horizon) {
  sim::RunResult run;
  run.horizon_days = horizon;
  run.segments[0].resize(agents::kBarrierCount);
  run.segments[1].resize(1);
  run.segments[2].resize(agents::kStageCount);
  run.segments[3].resize(2);
  run.friction.assign(agents::kStageCount * (agents::kBarrierCount + 1), 0);
  run.first_prescriptions_by_day.assign(horizon + 1, 0);
  return run;
}

}  // namespace journeysim::testing
