#pragma once
// Test support: small scenarios built in code, for engine, evaluation and
// live-test tests that need exact control over every parameter.
#include <array>
#include <cstdint>
#include <string>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace journeysim::testing {

// One segment with fixed barrier means (no spread), everyone starting at
// start, one addressable email channel (full reach and consent, base
// engagement 0.5, no fatigue) and two content items: "trial_summary" (knowledge
// effect 0.3) and "real_world_evidence" (relevance effect 0.3). No network.
sim::Scenario make_scenario(std::uint32_t hcps, agents::Stage start,
                            std::array<double, agents::kBarrierCount> barrier_means);

// A journey sending content item `content` by email every 14 days, forever.
sim::Journey every_two_weeks(std::string name, std::uint32_t content);

// A run with nothing in it, its breakdowns sized for make_scenario's lists
// (one specialty), for evaluation tests that fill in metrics by hand.
sim::RunResult empty_run(std::uint32_t horizon);

}  // namespace journeysim::testing
