#pragma once
// The engine: runs one arm of the experiment on one replication's population,
// day by day, and records what happens. How it works (the daily loop, the
// keyed random numbers, peer updates without races) is in docs/engine.md; the
// response model it applies is in docs/model.md.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/scenario.hpp"

namespace journeysim::sim {

// One run: which arm, which replication, which seed.
struct RunPlan {
  std::size_t arm = 0;
  std::uint32_t replication = 0;
  std::uint64_t seed = 1;
  bool keep_hcp_outcomes = false;  // Fill RunResult::hcps (costs memory).
  // A live test mixing arms in one population (journeysim plan): when set,
  // HCP i may enter journey j of the arm only if
  // (*journey_group)[j] == (*hcp_group)[i]. Both must outlive the run.
  const std::vector<std::uint8_t>* hcp_group = nullptr;
  const std::vector<std::uint8_t>* journey_group = nullptr;
};

// What happened to one HCP by the horizon.
struct HcpOutcome {
  // Day of the first prescription; -1 if none in the horizon, or if the HCP
  // started at trialing or beyond (not at risk of a first prescription).
  std::int32_t first_prescription_day = -1;
  std::int32_t adoption_day = -1;  // First day at adopted; -1: never.
  agents::Stage start_stage = agents::Stage::unaware;
  agents::Stage final_stage = agents::Stage::unaware;
  agents::Barrier final_dominant_barrier = agents::Barrier::knowledge;
  float prescriptions = 0.0F;
  float cost = 0.0F;
  std::uint16_t touches = 0;  // Touches sent (and paid for).
  std::uint16_t engagements = 0;
  std::uint16_t opt_outs = 0;  // Channels opted out of.
  bool held_out = false;       // Held out of at least one journey.
};

// Per channel totals of one run.
struct ChannelTotals {
  std::uint64_t sent = 0;       // Touches sent (cost incurred).
  std::uint64_t delivered = 0;  // Received.
  std::uint64_t engaged = 0;
  std::uint64_t consumed = 0;
  std::uint64_t suppressed = 0;  // Blocked by a cap, consent or an earlier opt-out.
  std::uint64_t opt_outs = 0;
  double cost = 0.0;
};

// The segmentations uplift is broken down by (docs/statistics.md, Uplift by
// segment): the dominant barrier at the start, specialty, stage at entry, and
// opinion-leader status.
enum class SegmentDimension : std::uint8_t {
  dominant_barrier,
  specialty,
  entry_stage,
  opinion_leader
};
inline constexpr std::size_t kSegmentDimensions = 4;

// Counts for one segment of one run.
struct SegmentTally {
  std::uint32_t hcps = 0;
  std::uint32_t at_risk = 0;    // Started below trialing: could make a first prescription.
  std::uint32_t trialists = 0;  // At-risk HCPs whose first prescription fell in the horizon.
  std::uint32_t adopters = 0;   // At adopted or advocate at the horizon.
  double prescriptions = 0.0;
};

struct RunResult {
  RunPlan plan;
  std::uint32_t horizon_days = 0;
  // stage_counts[day * kStageCount + stage]: HCPs in each stage at the end of
  // each day; day 0 is the start, before anything happened.
  std::vector<std::uint32_t> stage_counts;
  std::vector<ChannelTotals> channels;
  // HCPs who started below trialing and made their first prescription within
  // the horizon (counted once, on the first day; a lapse does not undo it).
  std::uint64_t trialists = 0;
  std::uint64_t adopters = 0;  // HCPs at adopted or advocate at the horizon.
  std::uint64_t ever_adopted = 0;
  double prescriptions = 0.0;
  std::uint64_t goals_reached = 0;        // Journey goals reached (all journeys of the arm).
  std::uint64_t suggestions_made = 0;     // Rep/MSL suggestions queued.
  std::uint64_t suggestions_expired = 0;  // Not executed before expiry.
  std::vector<HcpOutcome> hcps;           // Only with RunPlan::keep_hcp_outcomes.
  // segments[dimension][value]: tallies by segment (values index the
  // scenario's lists: barriers, specialties, stages, {no, yes}).
  std::array<std::vector<SegmentTally>, kSegmentDimensions> segments;
  // reached[s]: HCPs at stage s or beyond at some point during the run.
  std::array<std::uint32_t, agents::kStageCount> reached{};
  // The friction map: friction[stage * (kBarrierCount + 1) + holder] counts
  // HCPs below adopted at the horizon by stage and by the barrier that most
  // holds back their next move (holder 0: no barrier gates it; b + 1: barrier b).
  std::vector<std::uint32_t> friction;
  // Time to first prescription among HCPs who start below trialing: at_risk
  // of them, first_prescriptions_by_day[d] prescribing first on day d.
  std::uint32_t at_risk = 0;
  std::vector<std::uint32_t> first_prescriptions_by_day;
};

// Receives a plain-words account of one HCP's run (journeysim trace).
struct TraceEvent {
  std::uint32_t day = 0;
  std::string text;
};
using TraceSink = std::function<void(const TraceEvent&)>;

// Set to true (for example from a SIGINT handler) to stop runs between days;
// run() then throws Interrupted.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

// Runs one plan. The population and network are shared, read-only, by all
// arms of a replication. Thread-safe: runs share nothing mutable.
RunResult run_arm(const Scenario& scenario, const agents::Population& population,
                  const agents::PeerNetwork& network, const RunPlan& plan,
                  const std::atomic<bool>* cancel = nullptr);

// Runs one plan and reports, in plain words, what happened to one HCP.
RunResult trace_arm(const Scenario& scenario, const agents::Population& population,
                    const agents::PeerNetwork& network, const RunPlan& plan, std::uint32_t hcp,
                    const TraceSink& sink);

}  // namespace journeysim::sim
