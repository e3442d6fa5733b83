#pragma once
// The reference response model (docs/model.md, Departures from the reference
// model): how one HCP responds to a touch, how barriers gate stage moves, how
// fatigue, peers and forgetting act. Every equation is written out, with its
// reason, in docs/model.md; every parameter comes from the scenario's `model:`
// section.
//
// These are pure functions of one HCP's state: the engine (sim/) owns the
// state, the clock and the random numbers.
#include <array>

#include "agents/channel.hpp"
#include "agents/stage.hpp"

namespace journeysim::agents {

// Engagement with a received touch: a logistic model (docs/model.md, Engagement
// with a touch).
struct EngagementParams {
  double fatigue_coefficient = 0.8;       // Logit lost per unit of fatigue.
  double time_barrier_coefficient = 1.5;  // Logit lost at time barrier 1.
  // Logit lost per e-fold of content length above reference_minutes, scaled by
  // (0.5 + time barrier): long formats lose busy HCPs most.
  double duration_coefficient = 0.6;
  double reference_minutes = 5.0;  // Length that costs nothing; > 0.
  // Logit gained per unit of the barrier the content is aimed at, above 0.5:
  // HCPs open what answers their own doubt, which is what makes consuming a
  // piece a signal of that barrier (docs/model.md, Engagement with a touch).
  // 0 turns the term off.
  double interest_coefficient = 2.0;
  // Depth of engagement: an HCP with no time barrier gives a piece up to this
  // many minutes; depth = min(1, attention / minutes), attention shrinking
  // with the time barrier. "Consumed" means depth >= consumed_depth.
  double attention_minutes = 12.0;
  double consumed_depth = 0.5;
};

// How much engaged content counts: receptivity falls with trust (docs/model.md,
// Effect of engaged content, and receptivity).
struct ReceptivityParams {
  double pharma_trust_sensitivity = 0.8;       // Receptivity = 1 - s * trust, pharma source.
  double independent_trust_sensitivity = 0.2;  // Same for independent sources.
};

// Fatigue rises with every touch and decays exponentially (docs/model.md, Fatigue
// and opt-out).
struct FatigueParams {
  double half_life_days = 14.0;       // > 0.
  double opt_out_threshold = 4.0;     // Fatigue above which a touch may cause opt-out.
  double opt_out_probability = 0.05;  // P(opt out of the channel) per touch above threshold.
};

// The daily hazard of moving up from one stage (docs/model.md, Stage hazards and
// barrier gates; Contagion and peer-barrier erosion):
// base * prod_b (1 - barrier_b)^gate_weight_b + contagion * peer adopter share.
struct StageHazard {
  double base = 0.0;             // Daily hazard with no barrier in the way, in [0, 1].
  double contagion = 0.0;        // q: hazard added per unit of weighted peer adopter share.
  BarrierVector gate_weights{};  // w_b >= 0; 0 = barrier b does not gate this move.
};

// Peers: adopters among an HCP's ties wear down the peer barrier and add contagion.
struct PeerParams {
  Stage adopter_stage = Stage::trialing;  // A peer counts as an adopter from this stage on.
  double opinion_leader_weight = 3.0;     // An opinion leader's tie counts this many times.
  double barrier_erosion_per_week = 0.3;  // Peer barrier *= 1 - erosion * share, weekly.
};

struct ModelParams {
  EngagementParams engagement;
  ReceptivityParams receptivity;
  FatigueParams fatigue;
  // Hazards of moving up from unaware, aware, considering, trialing and adopted.
  std::array<StageHazard, kStageCount - 1> hazards = default_hazards();
  // Daily hazard of lapsing from trialing back to considering at
  // max(workflow, access) = 1; it scales with that maximum.
  double lapse_rate = 0.01;
  PeerParams peer;
  double forgetting_per_week = 0.02;  // Share of the gap to the start value regained weekly.
  // Prescriptions per eligible patient while trialing, and once adopted.
  double trial_share = 0.05;
  double adopted_share = 0.25;

  static std::array<StageHazard, kStageCount - 1> default_hazards() noexcept;
};

// P(engage | touch received) (docs/model.md, Engagement with a touch):
// logit p = logit(channel.base_engagement) + affinity - fatigue_coefficient * fatigue
//           - time_coefficient * time - duration_coefficient * max(0, ln(minutes/ref)) * (0.5 +
//           time) + interest_coefficient * (b_aim - 0.5), b_aim being the strength of the
//           barrier the content is aimed at (none for content without effects).
double engagement_probability(const ModelParams& model, const Channel& channel, float affinity,
                              float fatigue, const BarrierVector& barriers,
                              const ContentItem& content) noexcept;

// Depth of an engagement in (0, 1]: the share of the content taken in.
double engagement_depth(const ModelParams& model, const BarrierVector& barriers,
                        const ContentItem& content) noexcept;

// Receptivity in [0, 1] to content from this source, given the trust barrier.
double receptivity(const ModelParams& model, const BarrierVector& barriers,
                   const ContentItem& content) noexcept;

// Applies engaged content (docs/model.md, Effect of engaged content, and receptivity):
// barrier_b *= 1 - e[c][b] * receptivity * depth.
void apply_content(const ModelParams& model, const ContentItem& content, double depth,
                   BarrierVector& barriers) noexcept;

// The barrier gate of the move up from stage, prod_b (1 - barrier_b)^gate_weight_b, in
// [0, 1]; 0 from advocate. The engine caches it between barrier changes.
double gate_factor(const ModelParams& model, Stage stage, const BarrierVector& barriers) noexcept;

// Daily hazard of moving up from stage (0 from advocate), in [0, 1].
double upward_hazard(const ModelParams& model, Stage stage, const BarrierVector& barriers,
                     double peer_share) noexcept;

// Daily hazard of lapsing from trialing to considering, in [0, 1].
double lapse_hazard(const ModelParams& model, const BarrierVector& barriers) noexcept;

// Fatigue after days without a touch: fatigue * 2^(-days / half_life).
float decayed_fatigue(const ModelParams& model, float fatigue, double days) noexcept;

// One weekly forgetting step: barrier_b += rate * (start_b - barrier_b). Peer
// erosion is applied first: peer *= 1 - erosion * peer_share.
void weekly_barrier_update(const ModelParams& model, const BarrierVector& start, double peer_share,
                           BarrierVector& barriers) noexcept;

// The barrier a content item answers most: its largest effect (ties: first).
// Observing that an HCP consumed it is a signal of that barrier (docs/journeys.md,
// What a journey can observe).
Barrier barrier_aimed_at(const ContentItem& content) noexcept;

// Expected prescriptions per day for an HCP at this stage.
double prescriptions_per_day(const ModelParams& model, Stage stage,
                             float patients_per_month) noexcept;

}  // namespace journeysim::agents
