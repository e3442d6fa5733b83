#include "agents/response_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <utility>

namespace journeysim::agents {
namespace {

// Calendar days per month, for rates given per month (eligible patients).
constexpr double kDaysPerMonth = 365.25 / 12.0;
// base_engagement is kept this far inside (0, 1), so its logit stays finite
// even if a caller bypasses the loader's check.
constexpr double kMinProbability = 1e-12;

// Clamps to [0, 1]; NaN maps to 0 so that a bad input cannot leak into a draw.
double clamp01(double x) noexcept {
  if (!(x > 0.0)) return 0.0;
  return x < 1.0 ? x : 1.0;
}

double strength(const BarrierVector& barriers, Barrier barrier) noexcept {
  return clamp01(static_cast<double>(barriers[static_cast<std::size_t>(barrier)]));
}

double logit(double p) noexcept {
  const double q = std::clamp(p, kMinProbability, 1.0 - kMinProbability);
  return std::log(q) - std::log1p(-q);
}

// 1 / (1 + e^-x), written so that neither branch can overflow.
double logistic(double x) noexcept {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// The "busy" factor of the time barrier: 0.5 with no time barrier, 1.5 at 1.
// Both the length penalty and the attention span use it, so one shape of
// "being busy" governs whether an HCP starts a long piece and how much of it
// they take in.
double busy_factor(double time_barrier) noexcept { return 0.5 + time_barrier; }

const StageHazard* hazard_from(const ModelParams& model, Stage stage) noexcept {
  const auto index = static_cast<std::size_t>(stage);
  return index < model.hazards.size() ? &model.hazards[index] : nullptr;
}

StageHazard make_hazard(double base, double contagion,
                        std::initializer_list<std::pair<Barrier, float>> gates) noexcept {
  StageHazard hazard;
  hazard.base = base;
  hazard.contagion = contagion;
  for (const auto& [barrier, weight] : gates) {
    hazard.gate_weights[static_cast<std::size_t>(barrier)] = weight;
  }
  return hazard;
}

}  // namespace

// The calibration of these values against published adoption figures (Coleman,
// Katz & Menzel; Donohue et al. 2018) is in docs/model.md, "Default stage hazards".
std::array<StageHazard, kStageCount - 1> ModelParams::default_hazards() noexcept {
  return {
      // unaware -> aware: launch news reaches nearly everyone within a year.
      make_hazard(0.010, 0.003, {{Barrier::knowledge, 1.0F}}),
      // aware -> considering.
      make_hazard(0.006, 0.002, {{Barrier::knowledge, 1.0F}, {Barrier::relevance, 1.0F}}),
      // considering -> trialing: Coleman-Katz-Menzel monthly Bass p = 0.09 and
      // q = 0.09 (inside their 0.07-0.18), as daily rates.
      make_hazard(0.003, 0.003,
                  {{Barrier::relevance, 1.0F}, {Barrier::peer, 1.0F}, {Barrier::access, 1.0F}}),
      // trialing -> adopted: a couple of follow-up cycles with no barrier.
      make_hazard(0.010, 0.001, {{Barrier::workflow, 1.0F}, {Barrier::access, 1.0F}}),
      // adopted -> advocate: rare; an HCP who waits on peers does not lead them.
      make_hazard(0.001, 0.0, {{Barrier::peer, 1.0F}}),
  };
}

namespace {

// Centred at 0.5 so that base_engagement keeps meaning the rate of a typical
// HCP: one held moderately by the barrier the piece answers.
double interest_term(const EngagementParams& p, const BarrierVector& barriers,
                     const ContentItem& content) noexcept {
  const Barrier aim = barrier_aimed_at(content);
  if (!(content.effect[static_cast<std::size_t>(aim)] > 0.0F)) return 0.0;
  return p.interest_coefficient * (strength(barriers, aim) - 0.5);
}

}  // namespace

double engagement_probability(const ModelParams& model, const Channel& channel, float affinity,
                              float fatigue, const BarrierVector& barriers,
                              const ContentItem& content) noexcept {
  const EngagementParams& p = model.engagement;
  const double time = strength(barriers, Barrier::time);
  double over_length = 0.0;
  if (content.minutes > p.reference_minutes && p.reference_minutes > 0.0) {
    over_length = std::log(content.minutes / p.reference_minutes);
  }
  const double x = logit(channel.base_engagement) + static_cast<double>(affinity) -
                   p.fatigue_coefficient * std::max(0.0, static_cast<double>(fatigue)) -
                   p.time_barrier_coefficient * time -
                   p.duration_coefficient * over_length * busy_factor(time) +
                   interest_term(p, barriers, content);
  return clamp01(logistic(x));
}

double engagement_depth(const ModelParams& model, const BarrierVector& barriers,
                        const ContentItem& content) noexcept {
  if (!(content.minutes > 0.0)) return 1.0;
  // Attention is attention_minutes with no time barrier and a third of it at
  // time barrier 1: it scales as 0.5 / busy_factor.
  const double attention =
      model.engagement.attention_minutes * 0.5 / busy_factor(strength(barriers, Barrier::time));
  return clamp01(attention / content.minutes);
}

double receptivity(const ModelParams& model, const BarrierVector& barriers,
                   const ContentItem& content) noexcept {
  const double sensitivity = content.independent_source
                                 ? model.receptivity.independent_trust_sensitivity
                                 : model.receptivity.pharma_trust_sensitivity;
  return clamp01(1.0 - sensitivity * strength(barriers, Barrier::trust));
}

void apply_content(const ModelParams& model, const ContentItem& content, double depth,
                   BarrierVector& barriers) noexcept {
  // Receptivity is taken before the update: content that lowers trust counts
  // with the trust the HCP had when it arrived.
  const double weight = receptivity(model, barriers, content) * clamp01(depth);
  for (std::size_t b = 0; b < barriers.size(); ++b) {
    const double kept = clamp01(1.0 - clamp01(static_cast<double>(content.effect[b])) * weight);
    barriers[b] = static_cast<float>(clamp01(static_cast<double>(barriers[b])) * kept);
  }
}

double gate_factor(const ModelParams& model, Stage stage, const BarrierVector& barriers) noexcept {
  const StageHazard* hazard = hazard_from(model, stage);
  if (hazard == nullptr) return 0.0;
  double gate = 1.0;
  for (const Barrier barrier : kAllBarriers) {
    const double weight =
        static_cast<double>(hazard->gate_weights[static_cast<std::size_t>(barrier)]);
    // Weight 0 means "does not gate", even at barrier 1 (where pow(0, 0) = 1 anyway).
    if (weight > 0.0) {
      const double open = 1.0 - strength(barriers, barrier);
      gate *= weight == 1.0 ? open : std::pow(open, weight);  // pow is costly; w = 1 is common.
    }
  }
  return clamp01(gate);
}

double upward_hazard(const ModelParams& model, Stage stage, const BarrierVector& barriers,
                     double peer_share) noexcept {
  const StageHazard* hazard = hazard_from(model, stage);
  if (hazard == nullptr) return 0.0;
  return clamp01(clamp01(hazard->base) * gate_factor(model, stage, barriers) +
                 std::max(0.0, hazard->contagion) * clamp01(peer_share));
}

double lapse_hazard(const ModelParams& model, const BarrierVector& barriers) noexcept {
  const double held =
      std::max(strength(barriers, Barrier::workflow), strength(barriers, Barrier::access));
  return clamp01(std::max(0.0, model.lapse_rate) * held);
}

float decayed_fatigue(const ModelParams& model, float fatigue, double days) noexcept {
  if (!(days > 0.0)) return fatigue;
  const double half_life = model.fatigue.half_life_days;
  // A half-life of 0 is the limit of instant recovery.
  if (!(half_life > 0.0)) return 0.0F;
  return static_cast<float>(static_cast<double>(fatigue) * std::exp2(-days / half_life));
}

void weekly_barrier_update(const ModelParams& model, const BarrierVector& start, double peer_share,
                           BarrierVector& barriers) noexcept {
  const auto peer = static_cast<std::size_t>(Barrier::peer);
  const double erosion = clamp01(model.peer.barrier_erosion_per_week) * clamp01(peer_share);
  barriers[peer] =
      static_cast<float>(clamp01(static_cast<double>(barriers[peer])) * (1.0 - erosion));
  const double rate = clamp01(model.forgetting_per_week);
  for (std::size_t b = 0; b < barriers.size(); ++b) {
    const double now = clamp01(static_cast<double>(barriers[b]));
    const double target = clamp01(static_cast<double>(start[b]));
    barriers[b] = static_cast<float>(clamp01(now + rate * (target - now)));
  }
}

Barrier barrier_aimed_at(const ContentItem& content) noexcept {
  std::size_t best = 0;
  for (std::size_t b = 1; b < content.effect.size(); ++b) {
    if (content.effect[b] > content.effect[best]) best = b;
  }
  return static_cast<Barrier>(best);
}

double prescriptions_per_day(const ModelParams& model, Stage stage,
                             float patients_per_month) noexcept {
  double share = 0.0;
  if (stage == Stage::trialing) {
    share = model.trial_share;
  } else if (stage == Stage::adopted || stage == Stage::advocate) {
    share = model.adopted_share;
  }
  return std::max(0.0, static_cast<double>(patients_per_month)) * clamp01(share) / kDaysPerMonth;
}

}  // namespace journeysim::agents
