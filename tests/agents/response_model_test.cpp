// Known answers, monotonicity and edge cases of the response model
// (agents/response_model.hpp; equations in docs/model.md). Barrier strengths
// are floats: test values are chosen to be exact in binary (0.25, 0.5, ...),
// so hand-computed answers hold to 1e-12 unless a float result is compared.
#include "agents/response_model.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

namespace journeysim::agents {
namespace {

constexpr double kExact = 1e-12;
// Results stored as float (barriers, fatigue) carry float rounding: 2^-24 relative.
constexpr double kFloat = 1e-6;

BarrierVector barriers_of(float knowledge, float relevance, float peer, float workflow,
                          float access, float time, float trust) {
  return {knowledge, relevance, peer, workflow, access, time, trust};
}

BarrierVector with(BarrierVector barriers, Barrier barrier, float value) {
  barriers[static_cast<std::size_t>(barrier)] = value;
  return barriers;
}

float& at(BarrierVector& barriers, Barrier barrier) {
  return barriers[static_cast<std::size_t>(barrier)];
}

Channel channel_with(double base_engagement) {
  Channel channel;
  channel.name = "email";
  channel.base_engagement = base_engagement;
  return channel;
}

ContentItem content_of(double minutes, bool independent, BarrierVector effect) {
  ContentItem item;
  item.name = "item";
  item.minutes = minutes;
  item.independent_source = independent;
  item.effect = effect;
  return item;
}

// ---- engagement -------------------------------------------------------------

TEST(Engagement, KnownAnswer) {
  const ModelParams model;
  const BarrierVector barriers = barriers_of(0, 0, 0, 0, 0, 0.25F, 0);
  // logit p = ln(0.2 / 0.8) + 0.5 - 0.8 * 1 - 1.5 * 0.25 - 0.6 * ln(20 / 5) * (0.5 + 0.25)
  //         = -2.6851268236238415, so p = 0.0638567136902843.
  const double p = engagement_probability(model, channel_with(0.2), 0.5F, 1.0F, barriers,
                                          content_of(20.0, false, {}));
  EXPECT_NEAR(p, 0.0638567136902843, kExact);
}

TEST(Engagement, IsTheChannelBaseRateAtReferenceConditions) {
  const ModelParams model;
  for (const double base : {0.04, 0.13, 0.55, 0.9}) {
    // Content no longer than reference_minutes costs nothing.
    for (const double minutes : {1.0, 5.0}) {
      EXPECT_NEAR(engagement_probability(model, channel_with(base), 0.0F, 0.0F, {},
                                         content_of(minutes, false, {})),
                  base, kExact);
    }
  }
}

TEST(Engagement, InterestKnownAnswer) {
  const ModelParams model;
  // Real-world evidence aimed at relevance (its largest effect) for an HCP
  // held by relevance 0.9: logit p = ln(0.3 / 0.7) + 2.0 * (0.9 - 0.5)
  // = -0.04729786, so p = 0.48817774.
  const BarrierVector rwe_effect = barriers_of(0.05F, 0.3F, 0.05F, 0, 0, 0, 0);
  const double p = engagement_probability(model, channel_with(0.3), 0.0F, 0.0F,
                                          barriers_of(0, 0.9F, 0, 0, 0, 0, 0),
                                          content_of(5.0, false, rwe_effect));
  EXPECT_NEAR(p, 0.48817774, 1e-6);  // 0.9F is not exactly 0.9.
}

TEST(Engagement, InterestFollowsTheBarrierTheContentIsAimedAt) {
  const ModelParams model;
  const Channel channel = channel_with(0.3);
  const ContentItem rwe = content_of(5.0, false, barriers_of(0.05F, 0.3F, 0.05F, 0, 0, 0, 0));
  auto p_at = [&](Barrier barrier, float value) {
    return engagement_probability(model, channel, 0.0F, 0.0F, with({}, barrier, value), rwe);
  };
  // At the centre (0.5) of the aimed-at barrier the base rate is unchanged...
  EXPECT_NEAR(p_at(Barrier::relevance, 0.5F), 0.3, kExact);
  // ... and it rises with that barrier: the doubter opens the evidence for doubters.
  EXPECT_LT(p_at(Barrier::relevance, 0.2F), p_at(Barrier::relevance, 0.5F));
  EXPECT_LT(p_at(Barrier::relevance, 0.5F), p_at(Barrier::relevance, 0.8F));
  // Other barriers that the item touches less do not enter the term.
  EXPECT_DOUBLE_EQ(p_at(Barrier::knowledge, 0.9F), p_at(Barrier::knowledge, 0.1F));
  // Content with no effect at all carries no interest term.
  const ContentItem inert = content_of(5.0, false, {});
  EXPECT_NEAR(
      engagement_probability(model, channel, 0, 0, with({}, Barrier::knowledge, 1.0F), inert), 0.3,
      kExact);
  // A coefficient of 0 turns the term off.
  ModelParams off;
  off.engagement.interest_coefficient = 0.0;
  EXPECT_NEAR(engagement_probability(off, channel, 0, 0, with({}, Barrier::relevance, 1.0F), rwe),
              0.3, kExact);
}

TEST(Engagement, AffinityShiftsTheLogit) {
  const ModelParams model;
  const double p =
      engagement_probability(model, channel_with(0.5), 1.0F, 0.0F, {}, content_of(5.0, false, {}));
  EXPECT_NEAR(p, 1.0 / (1.0 + std::exp(-1.0)), kExact);
}

TEST(Engagement, FallsWithFatigueTimeBarrierAndLength) {
  const ModelParams model;
  const Channel channel = channel_with(0.25);
  const ContentItem article = content_of(8.0, false, {});
  double last = 2.0;
  for (const float fatigue : {0.0F, 0.5F, 1.0F, 2.0F, 4.0F, 8.0F}) {
    const double p = engagement_probability(model, channel, 0.0F, fatigue, {}, article);
    EXPECT_LT(p, last) << "fatigue " << fatigue;
    last = p;
  }
  last = 2.0;
  for (const float time : {0.0F, 0.25F, 0.5F, 0.75F, 1.0F}) {
    const BarrierVector barriers = with({}, Barrier::time, time);
    const double p = engagement_probability(model, channel, 0.0F, 0.0F, barriers, article);
    EXPECT_LT(p, last) << "time " << time;
    last = p;
  }
  for (const float time : {0.0F, 0.5F, 1.0F}) {
    const BarrierVector barriers = with({}, Barrier::time, time);
    last = 2.0;
    for (const double minutes : {5.0, 6.0, 10.0, 20.0, 45.0}) {
      const double p = engagement_probability(model, channel, 0.0F, 0.0F, barriers,
                                              content_of(minutes, false, {}));
      EXPECT_LT(p, last) << "minutes " << minutes << ", time " << time;
      last = p;
    }
  }
}

TEST(Engagement, LongFormatsLoseBusyHcpsMost) {
  const ModelParams model;
  const Channel channel = channel_with(0.25);
  // Odds ratio of a 45-minute session against a 5-minute piece, free and busy.
  const auto odds = [](double p) { return p / (1.0 - p); };
  const auto ratio = [&](float time) {
    const BarrierVector barriers = with({}, Barrier::time, time);
    return odds(engagement_probability(model, channel, 0, 0, barriers, content_of(45, false, {}))) /
           odds(engagement_probability(model, channel, 0, 0, barriers, content_of(5, false, {})));
  };
  EXPECT_NEAR(ratio(0.0F), std::exp(-0.6 * std::log(9.0) * 0.5), kExact);
  EXPECT_NEAR(ratio(1.0F), std::exp(-0.6 * std::log(9.0) * 1.5), kExact);
}

TEST(Engagement, StaysAProbabilityAtExtremes) {
  const ModelParams model;
  const BarrierVector full = barriers_of(1, 1, 1, 1, 1, 1, 1);
  for (const double base : {1e-9, 0.5, 1.0 - 1e-9}) {
    for (const float affinity : {-1000.0F, 0.0F, 1000.0F}) {
      for (const float fatigue : {-1.0F, 0.0F, 1e6F}) {
        const double p = engagement_probability(model, channel_with(base), affinity, fatigue, full,
                                                content_of(1440.0, false, {}));
        EXPECT_GE(p, 0.0);
        EXPECT_LE(p, 1.0);
        EXPECT_FALSE(std::isnan(p));
      }
    }
  }
  // A base rate of exactly 0 or 1 (the loader refuses it) still gives a probability.
  for (const double base : {0.0, 1.0}) {
    const double p = engagement_probability(model, channel_with(base), 0.0F, 0.0F, {},
                                            content_of(5.0, false, {}));
    EXPECT_NEAR(p, base, 1e-9);
  }
}

// ---- depth ------------------------------------------------------------------

TEST(Depth, KnownAnswers) {
  const ModelParams model;
  // Attention is 12 minutes with no time barrier, 12 * 0.5 / 0.75 = 8 at 0.25, 4 at 1.
  EXPECT_NEAR(engagement_depth(model, {}, content_of(24.0, false, {})), 0.5, kExact);
  EXPECT_NEAR(engagement_depth(model, with({}, Barrier::time, 0.25F), content_of(16, false, {})),
              0.5, kExact);
  EXPECT_NEAR(engagement_depth(model, with({}, Barrier::time, 1.0F), content_of(10, false, {})),
              0.4, kExact);
}

TEST(Depth, IsClampedToOneAndStaysPositive) {
  const ModelParams model;
  EXPECT_EQ(engagement_depth(model, {}, content_of(6.0, false, {})), 1.0);
  EXPECT_EQ(engagement_depth(model, {}, content_of(12.0, false, {})), 1.0);
  const BarrierVector busy = with({}, Barrier::time, 1.0F);
  const double depth = engagement_depth(model, busy, content_of(1440.0, false, {}));
  EXPECT_GT(depth, 0.0);
  EXPECT_NEAR(depth, 4.0 / 1440.0, kExact);
}

TEST(Depth, FallsWithTimeBarrierAndLength) {
  const ModelParams model;
  const ContentItem session = content_of(45.0, false, {});
  double last = 2.0;
  for (const float time : {0.0F, 0.25F, 0.5F, 1.0F}) {
    const double depth = engagement_depth(model, with({}, Barrier::time, time), session);
    EXPECT_LT(depth, last);
    last = depth;
  }
}

// ---- receptivity and content ------------------------------------------------------

TEST(Receptivity, FallsWithTrustAndLessForIndependentSources) {
  const ModelParams model;
  const ContentItem pharma = content_of(5.0, false, {});
  const ContentItem independent = content_of(5.0, true, {});
  const BarrierVector half = with({}, Barrier::trust, 0.5F);
  EXPECT_NEAR(receptivity(model, half, pharma), 1.0 - 0.8 * 0.5, kExact);
  EXPECT_NEAR(receptivity(model, half, independent), 1.0 - 0.2 * 0.5, kExact);
  EXPECT_EQ(receptivity(model, {}, pharma), 1.0);
  EXPECT_NEAR(receptivity(model, with({}, Barrier::trust, 1.0F), pharma), 0.2, kExact);
  double last = 2.0;
  for (const float trust : {0.0F, 0.25F, 0.5F, 0.75F, 1.0F}) {
    const double r = receptivity(model, with({}, Barrier::trust, trust), pharma);
    EXPECT_LT(r, last);
    EXPECT_GE(receptivity(model, with({}, Barrier::trust, trust), independent), r);
    last = r;
  }
}

TEST(Receptivity, IsClampedToZero) {
  ModelParams model;
  model.receptivity.pharma_trust_sensitivity = 1.5;  // The loader refuses this; stay robust.
  EXPECT_EQ(receptivity(model, with({}, Barrier::trust, 1.0F), content_of(5, false, {})), 0.0);
}

TEST(ApplyContent, KnownAnswer) {
  const ModelParams model;
  BarrierVector barriers = barriers_of(0.5F, 0.75F, 0.25F, 0.5F, 0.5F, 0.5F, 0.5F);
  const ContentItem item = content_of(5.0, false, barriers_of(0.3F, 0.1F, 0, 0, 0, 0, 0.5F));
  // Receptivity at trust 0.5 is 0.6; depth 0.5; so each barrier keeps 1 - e * 0.3.
  apply_content(model, item, 0.5, barriers);
  EXPECT_NEAR(barriers[0], 0.5 * (1.0 - 0.3 * 0.3), kFloat);
  EXPECT_NEAR(barriers[1], 0.75 * (1.0 - 0.1 * 0.3), kFloat);
  EXPECT_EQ(barriers[2], 0.25F);
  EXPECT_EQ(barriers[5], 0.5F);
  // Trust is lowered with the receptivity it had before this content (0.6).
  EXPECT_NEAR(barriers[6], 0.5 * (1.0 - 0.5 * 0.3), kFloat);
}

TEST(ApplyContent, DepthScalesTheEffectAndIsClamped) {
  const ModelParams model;
  const ContentItem item = content_of(5.0, true, with({}, Barrier::knowledge, 0.4F));
  const BarrierVector start = with({}, Barrier::knowledge, 0.5F);
  BarrierVector none = start;
  apply_content(model, item, 0.0, none);
  EXPECT_EQ(none, start);
  BarrierVector full = start;
  BarrierVector beyond = start;
  apply_content(model, item, 1.0, full);
  apply_content(model, item, 3.0, beyond);
  EXPECT_NEAR(full[0], 0.5 * 0.6, kFloat);
  EXPECT_EQ(beyond, full);
}

TEST(ApplyContent, NeverLeavesTheUnitInterval) {
  const ModelParams model;
  BarrierVector barriers = barriers_of(1, 1, 1, 1, 1, 1, 0);
  apply_content(model, content_of(5.0, false, barriers_of(1, 1, 1, 1, 1, 1, 1)), 1.0, barriers);
  for (const float b : barriers) EXPECT_EQ(b, 0.0F);
}

// ---- stage hazards ------------------------------------------------------------

TEST(Hazard, KnownAnswerWithDefaultGates) {
  const ModelParams model;
  // considering -> trialing is gated by relevance, peer and access, weight 1 each.
  const BarrierVector barriers = barriers_of(0.75F, 0.5F, 0.25F, 0.75F, 0.75F, 1.0F, 1.0F);
  EXPECT_NEAR(gate_factor(model, Stage::considering, barriers), 0.5 * 0.75 * 0.25, kExact);
  // 0.003 * 0.09375 + 0.003 * 0.4.
  EXPECT_NEAR(upward_hazard(model, Stage::considering, barriers, 0.4), 0.00148125, kExact);
}

TEST(Hazard, KnownAnswerWithOtherWeights) {
  ModelParams model;
  StageHazard& hazard = model.hazards[static_cast<std::size_t>(Stage::considering)];
  at(hazard.gate_weights, Barrier::relevance) = 2.0F;
  at(hazard.gate_weights, Barrier::access) = 0.5F;
  const BarrierVector barriers = barriers_of(0, 0.5F, 0.25F, 0, 0.75F, 0, 0);
  // (1 - 0.5)^2 * (1 - 0.25)^1 * (1 - 0.75)^0.5 = 0.25 * 0.75 * 0.5.
  EXPECT_NEAR(gate_factor(model, Stage::considering, barriers), 0.09375, kExact);
  EXPECT_NEAR(upward_hazard(model, Stage::considering, barriers, 0.4), 0.00148125, kExact);
}

TEST(Hazard, IsBassWithNoBarriers) {
  const ModelParams model;
  for (const Stage stage :
       {Stage::unaware, Stage::aware, Stage::considering, Stage::trialing, Stage::adopted}) {
    const StageHazard& hazard = model.hazards[static_cast<std::size_t>(stage)];
    for (const double share : {0.0, 0.3, 1.0}) {
      EXPECT_NEAR(upward_hazard(model, stage, {}, share), hazard.base + hazard.contagion * share,
                  kExact);
    }
  }
}

TEST(Hazard, AdvocateHasNowhereToGo) {
  const ModelParams model;
  EXPECT_EQ(upward_hazard(model, Stage::advocate, {}, 1.0), 0.0);
  EXPECT_EQ(gate_factor(model, Stage::advocate, {}), 0.0);
}

TEST(Hazard, AFullGatingBarrierLeavesOnlyContagion) {
  const ModelParams model;
  const BarrierVector blocked = with({}, Barrier::access, 1.0F);
  EXPECT_EQ(gate_factor(model, Stage::considering, blocked), 0.0);
  EXPECT_NEAR(upward_hazard(model, Stage::considering, blocked, 0.5), 0.003 * 0.5, kExact);
  // Time and trust gate nothing by default: at full strength they change no hazard.
  const BarrierVector busy = barriers_of(0, 0, 0, 0, 0, 1.0F, 1.0F);
  for (const Stage stage : kAllStages) {
    EXPECT_EQ(upward_hazard(model, stage, busy, 0.2), upward_hazard(model, stage, {}, 0.2));
  }
}

TEST(Hazard, StaysInTheUnitInterval) {
  ModelParams model;
  for (StageHazard& hazard : model.hazards) {
    hazard.base = 1.0;
    hazard.contagion = 1.0;
  }
  for (const Stage stage : kAllStages) {
    for (const double share : {-1.0, 0.0, 0.5, 1.0, 2.0}) {
      const double h = upward_hazard(model, stage, {}, share);
      EXPECT_GE(h, 0.0);
      EXPECT_LE(h, 1.0);
    }
  }
  EXPECT_EQ(upward_hazard(model, Stage::aware, {}, 1.0), 1.0);
  // A peer share outside [0, 1] is clamped.
  const ModelParams defaults;
  EXPECT_EQ(upward_hazard(defaults, Stage::aware, {}, -0.5),
            upward_hazard(defaults, Stage::aware, {}, 0.0));
  EXPECT_EQ(upward_hazard(defaults, Stage::aware, {}, 1.5),
            upward_hazard(defaults, Stage::aware, {}, 1.0));
}

TEST(Hazard, FallsWithEachGatingBarrierAndRisesWithPeers) {
  const ModelParams model;
  const BarrierVector middle = barriers_of(0.25F, 0.25F, 0.25F, 0.25F, 0.25F, 0.25F, 0.25F);
  for (const Stage stage :
       {Stage::unaware, Stage::aware, Stage::considering, Stage::trialing, Stage::adopted}) {
    const StageHazard& hazard = model.hazards[static_cast<std::size_t>(stage)];
    for (const Barrier barrier : kAllBarriers) {
      const bool gates = hazard.gate_weights[static_cast<std::size_t>(barrier)] > 0.0F;
      double last = 2.0;
      for (const float value : {0.0F, 0.25F, 0.5F, 0.75F, 1.0F}) {
        const double h = upward_hazard(model, stage, with(middle, barrier, value), 0.1);
        if (gates) {
          EXPECT_LT(h, last) << stage_name(stage) << ", " << barrier_name(barrier);
        } else if (last <= 1.0) {
          EXPECT_EQ(h, last) << stage_name(stage) << ", " << barrier_name(barrier);
        }
        last = h;
      }
    }
    if (hazard.contagion > 0.0) {
      double last = -1.0;
      for (const double share : {0.0, 0.1, 0.5, 1.0}) {
        const double h = upward_hazard(model, stage, middle, share);
        EXPECT_GT(h, last) << stage_name(stage);
        last = h;
      }
    }
  }
}

TEST(Hazard, DefaultsFollowTheBarrierTable) {
  const std::array<StageHazard, kStageCount - 1> defaults = ModelParams::default_hazards();
  // docs/model.md, Default stage hazards: which barriers gate which move.
  const auto gated_by = [&defaults](Stage stage) {
    const StageHazard& hazard = defaults[static_cast<std::size_t>(stage)];
    std::vector<Barrier> barriers;
    for (const Barrier barrier : kAllBarriers) {
      if (hazard.gate_weights[static_cast<std::size_t>(barrier)] > 0.0F) {
        barriers.push_back(barrier);
      }
    }
    return barriers;
  };
  using B = Barrier;
  EXPECT_EQ(gated_by(Stage::unaware), (std::vector<B>{B::knowledge}));
  EXPECT_EQ(gated_by(Stage::aware), (std::vector<B>{B::knowledge, B::relevance}));
  EXPECT_EQ(gated_by(Stage::considering), (std::vector<B>{B::relevance, B::peer, B::access}));
  EXPECT_EQ(gated_by(Stage::trialing), (std::vector<B>{B::workflow, B::access}));
  EXPECT_EQ(gated_by(Stage::adopted), (std::vector<B>{B::peer}));
  for (const StageHazard& hazard : defaults) {
    EXPECT_GT(hazard.base, 0.0);
    EXPECT_LE(hazard.base, 1.0);
    EXPECT_GE(hazard.contagion, 0.0);
  }
  // considering -> trialing is the Coleman-Katz-Menzel Bass fit as daily rates.
  const StageHazard& trial = defaults[static_cast<std::size_t>(Stage::considering)];
  EXPECT_NEAR(trial.base * 365.25 / 12.0, 0.09, 0.005);
  EXPECT_NEAR(trial.contagion * 365.25 / 12.0, 0.09, 0.005);
  const ModelParams model;
  for (std::size_t s = 0; s < model.hazards.size(); ++s) {
    EXPECT_EQ(model.hazards[s].base, defaults[s].base);
    EXPECT_EQ(model.hazards[s].contagion, defaults[s].contagion);
    EXPECT_EQ(model.hazards[s].gate_weights, defaults[s].gate_weights);
  }
}

TEST(Hazard, LapseScalesWithTheLargerOfWorkflowAndAccess) {
  const ModelParams model;
  EXPECT_NEAR(lapse_hazard(model, barriers_of(1, 1, 1, 0.25F, 0.75F, 1, 1)), 0.01 * 0.75, kExact);
  EXPECT_NEAR(lapse_hazard(model, barriers_of(0, 0, 0, 0.5F, 0.25F, 0, 0)), 0.01 * 0.5, kExact);
  EXPECT_EQ(lapse_hazard(model, barriers_of(1, 1, 1, 0, 0, 1, 1)), 0.0);
  ModelParams high = model;
  high.lapse_rate = 5.0;  // The loader refuses this; the hazard still stays in [0, 1].
  EXPECT_EQ(lapse_hazard(high, barriers_of(0, 0, 0, 1, 1, 0, 0)), 1.0);
}

// ---- fatigue, forgetting, peers ---------------------------------------------------

TEST(Fatigue, HalvesEveryHalfLife) {
  const ModelParams model;  // Half-life 14 days.
  EXPECT_NEAR(decayed_fatigue(model, 4.0F, 14.0), 2.0, kFloat);
  EXPECT_NEAR(decayed_fatigue(model, 4.0F, 28.0), 1.0, kFloat);
  EXPECT_NEAR(decayed_fatigue(model, 4.0F, 7.0), 2.8284271247461903, kFloat);
  EXPECT_EQ(decayed_fatigue(model, 4.0F, 0.0), 4.0F);
  EXPECT_EQ(decayed_fatigue(model, 4.0F, -3.0), 4.0F);
  float last = 5.0F;
  for (const double days : {1.0, 2.0, 10.0, 100.0}) {
    const float f = decayed_fatigue(model, 4.0F, days);
    EXPECT_LT(f, last);
    EXPECT_GE(f, 0.0F);
    last = f;
  }
}

TEST(WeeklyUpdate, KnownAnswer) {
  const ModelParams model;  // Erosion 0.3 per week, forgetting 0.02 per week.
  const BarrierVector start = barriers_of(0.5F, 0.5F, 0.75F, 0.5F, 0.5F, 0.5F, 0.5F);
  BarrierVector barriers = barriers_of(0.25F, 0.5F, 0.5F, 0.25F, 0.25F, 0.25F, 0.25F);
  weekly_barrier_update(model, start, 0.5, barriers);
  // Peer: 0.5 * (1 - 0.3 * 0.5) = 0.425, then 0.425 + 0.02 * (0.75 - 0.425) = 0.4315.
  EXPECT_NEAR(barriers[2], 0.4315, kFloat);
  // Others drift 2% of the way back: 0.25 + 0.02 * 0.25 = 0.255; at start, stay.
  EXPECT_NEAR(barriers[0], 0.255, kFloat);
  EXPECT_EQ(barriers[1], 0.5F);
  EXPECT_NEAR(barriers[6], 0.255, kFloat);
}

TEST(WeeklyUpdate, NoAdoptersNoErosion) {
  const ModelParams model;
  const BarrierVector start = barriers_of(0.5F, 0.5F, 0.5F, 0.5F, 0.5F, 0.5F, 0.5F);
  BarrierVector barriers = start;
  weekly_barrier_update(model, start, 0.0, barriers);
  EXPECT_EQ(barriers, start);
  // More adopters erode the peer barrier more.
  double last = 1.0;
  for (const double share : {0.0, 0.25, 0.5, 1.0}) {
    BarrierVector b = start;
    weekly_barrier_update(model, start, share, b);
    EXPECT_LE(b[2], last);
    last = b[2];
  }
  EXPECT_LT(last, 0.5);
}

// ---- signals and prescriptions ------------------------------------------------------

TEST(Signal, TheLargestEffectNamesTheBarrier) {
  EXPECT_EQ(
      barrier_aimed_at(content_of(5, false, barriers_of(0.05F, 0.3F, 0.05F, 0.02F, 0, 0, 0.02F))),
      Barrier::relevance);
  EXPECT_EQ(barrier_aimed_at(content_of(5, false, barriers_of(0, 0, 0, 0.25F, 0, 0, 0))),
            Barrier::workflow);
  // Ties go to the first barrier; no effect at all names knowledge.
  EXPECT_EQ(barrier_aimed_at(content_of(5, false, barriers_of(0, 0, 0.2F, 0, 0.2F, 0, 0))),
            Barrier::peer);
  EXPECT_EQ(barrier_aimed_at(content_of(5, false, {})), Barrier::knowledge);
}

TEST(Prescriptions, PerDayFromPatientsPerMonth) {
  const ModelParams model;
  constexpr double kDaysPerMonth = 365.25 / 12.0;
  EXPECT_NEAR(prescriptions_per_day(model, Stage::trialing, 10.0F), 10.0 * 0.05 / kDaysPerMonth,
              kExact);
  EXPECT_NEAR(prescriptions_per_day(model, Stage::adopted, 10.0F), 0.08213552361396304, kExact);
  EXPECT_NEAR(prescriptions_per_day(model, Stage::advocate, 10.0F), 0.08213552361396304, kExact);
  for (const Stage stage : {Stage::unaware, Stage::aware, Stage::considering}) {
    EXPECT_EQ(prescriptions_per_day(model, stage, 10.0F), 0.0);
  }
  EXPECT_EQ(prescriptions_per_day(model, Stage::adopted, 0.0F), 0.0);
}

// ---- the lesson of docs/model.md, Effect of engaged content, and receptivity ----

// Engages an HCP with one item n times, as the engine would, and returns the
// hazard of moving up from stage afterwards.
double hazard_after(const ModelParams& model, BarrierVector barriers, const ContentItem& item,
                    int n, Stage stage) {
  for (int i = 0; i < n; ++i) {
    apply_content(model, item, engagement_depth(model, barriers, item), barriers);
  }
  return upward_hazard(model, stage, barriers, 0.0);
}

// The quickstart's pivotal trial summary and real-world evidence (content_effects.csv).
const ContentItem kTrialSummary =
    content_of(5.0, false, barriers_of(0.30F, 0.03F, 0.02F, 0, 0, 0, 0));
const ContentItem kRealWorldEvidence =
    content_of(7.0, false, barriers_of(0.05F, 0.30F, 0.05F, 0.02F, 0, 0, 0.02F));

TEST(Lesson, ContentAimedAtAnAbsentBarrierBarelyMoves) {
  const ModelParams model;
  // "It doesn't apply to my patients": relevance dominates; knowledge is low.
  const BarrierVector doubter = barriers_of(0.1F, 0.8F, 0.2F, 0.2F, 0.2F, 0.25F, 0.25F);
  const double before = upward_hazard(model, Stage::considering, doubter, 0.0);
  const double more_data = hazard_after(model, doubter, kTrialSummary, 3, Stage::considering);
  const double evidence = hazard_after(model, doubter, kRealWorldEvidence, 3, Stage::considering);
  EXPECT_GT(more_data, before);
  EXPECT_GT(evidence, before);
  // Matched content moves the considering -> trialing hazard far more: its gain
  // is over five times the gain from more trial data.
  EXPECT_GT(evidence - before, 5.0 * (more_data - before));
  EXPECT_GT(evidence, 2.0 * before);
}

TEST(Lesson, MoreInformationHelpsTheKnowledgeBarrier) {
  const ModelParams model;
  // "I don't know the data": knowledge dominates, at aware.
  const BarrierVector unread = barriers_of(0.8F, 0.1F, 0.2F, 0.2F, 0.2F, 0.25F, 0.25F);
  const double before = upward_hazard(model, Stage::aware, unread, 0.0);
  const double more_data = hazard_after(model, unread, kTrialSummary, 3, Stage::aware);
  const double evidence = hazard_after(model, unread, kRealWorldEvidence, 3, Stage::aware);
  EXPECT_GT(more_data - before, 3.0 * (evidence - before));
}

}  // namespace
}  // namespace journeysim::agents
