#include "sim/detail/model_loader.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/detail/csv_rows.hpp"

namespace journeysim::sim::detail {
namespace {

// A number >= 0, or fallback when the key is absent.
double non_negative_or(const YamlMap& map, std::string_view key, double fallback) {
  const double value = map.number_or(key, fallback);
  if (value < 0.0) map.fail(key, fmt::format("expected a number >= 0, found {}", value));
  return value;
}

// A number > 0, or fallback when the key is absent.
double positive_or(const YamlMap& map, std::string_view key, double fallback) {
  const double value = map.number_or(key, fallback);
  if (!(value > 0.0)) map.fail(key, fmt::format("expected a number > 0, found {}", value));
  return value;
}

// A daily or weekly rate in [0, 1], or fallback when the key is absent.
double rate_or(const YamlMap& map, std::string_view key, double fallback, std::string_view per) {
  const double value = map.number_or(key, fallback);
  if (value < 0.0 || value > 1.0) {
    map.fail(key, fmt::format("expected a rate per {} in [0, 1], found {}", per, value));
  }
  return value;
}

void read_engagement(const YamlMap& model, agents::EngagementParams& p) {
  const YamlMap map = model.map("engagement");
  map.reject_unknown_keys({"fatigue_coefficient", "time_barrier_coefficient",
                           "duration_coefficient", "reference_minutes", "attention_minutes",
                           "consumed_depth", "interest_coefficient"});
  p.fatigue_coefficient = non_negative_or(map, "fatigue_coefficient", p.fatigue_coefficient);
  p.time_barrier_coefficient =
      non_negative_or(map, "time_barrier_coefficient", p.time_barrier_coefficient);
  p.duration_coefficient = non_negative_or(map, "duration_coefficient", p.duration_coefficient);
  p.reference_minutes = positive_or(map, "reference_minutes", p.reference_minutes);
  p.attention_minutes = positive_or(map, "attention_minutes", p.attention_minutes);
  p.consumed_depth = map.share_or("consumed_depth", p.consumed_depth);
  p.interest_coefficient = non_negative_or(map, "interest_coefficient", p.interest_coefficient);
}

void read_receptivity(const YamlMap& model, agents::ReceptivityParams& p) {
  const YamlMap map = model.map("receptivity");
  map.reject_unknown_keys({"pharma_trust_sensitivity", "independent_trust_sensitivity"});
  // Shares: the part of receptivity lost at trust barrier 1.
  p.pharma_trust_sensitivity = map.share_or("pharma_trust_sensitivity", p.pharma_trust_sensitivity);
  p.independent_trust_sensitivity =
      map.share_or("independent_trust_sensitivity", p.independent_trust_sensitivity);
}

void read_fatigue(const YamlMap& model, agents::FatigueParams& p) {
  const YamlMap map = model.map("fatigue");
  map.reject_unknown_keys({"half_life_days", "opt_out_threshold", "opt_out_probability"});
  p.half_life_days = positive_or(map, "half_life_days", p.half_life_days);
  p.opt_out_threshold = non_negative_or(map, "opt_out_threshold", p.opt_out_threshold);
  p.opt_out_probability = map.share_or("opt_out_probability", p.opt_out_probability);
}

void read_peer(const YamlMap& model, agents::PeerParams& p) {
  const YamlMap map = model.map("peer");
  map.reject_unknown_keys({"adopter_stage", "opinion_leader_weight", "barrier_erosion_per_week"});
  if (map.has("adopter_stage")) {
    const std::string name = map.required_string("adopter_stage");
    const auto stage = agents::parse_stage(name);
    if (!stage || *stage == agents::Stage::unaware) {
      map.fail("adopter_stage",
               fmt::format("expected a stage from which a peer counts as an adopter: aware, "
                           "considering, trialing, adopted or advocate; found '{}'",
                           name));
    }
    p.adopter_stage = *stage;
  }
  p.opinion_leader_weight = non_negative_or(map, "opinion_leader_weight", p.opinion_leader_weight);
  p.barrier_erosion_per_week =
      rate_or(map, "barrier_erosion_per_week", p.barrier_erosion_per_week, "week");
}

// The stage hazard table. A row replaces the defaults of its from_stage cell
// by cell: a missing column or an empty cell keeps the default value, so a
// table that only retunes base rates cannot silently switch the barriers off.
// Write 0 to remove a gate or the contagion.
void read_stage_hazards(const std::string& file,
                        std::array<agents::StageHazard, agents::kStageCount - 1>& hazards) {
  constexpr std::size_t kFirstGate = 3;
  enum Col : std::size_t { from_stage, base_hazard, contagion };
  CsvRows<kFirstGate + agents::kBarrierCount> rows(file, {{{"from_stage", true},
                                                           {"base_hazard", true},
                                                           {"contagion", false},
                                                           {"knowledge", false},
                                                           {"relevance", false},
                                                           {"peer", false},
                                                           {"workflow", false},
                                                           {"access", false},
                                                           {"time", false},
                                                           {"trust", false}}});
  std::array<bool, agents::kStageCount - 1> seen{};
  while (rows.next()) {
    const std::string& name = rows.text(from_stage);
    const auto stage = agents::parse_stage(name);
    if (!stage || *stage == agents::Stage::advocate) {
      rows.fail(from_stage, fmt::format("expected a stage with a stage above it: unaware, aware, "
                                        "considering, trialing or adopted; found '{}'",
                                        name));
    }
    const auto s = static_cast<std::size_t>(*stage);
    if (seen[s]) rows.fail(from_stage, fmt::format("stage '{}' listed twice", name));
    seen[s] = true;
    agents::StageHazard& hazard = hazards[s];
    hazard.base = rows.number_in(base_hazard, 0.0, 1.0, "a daily rate in [0, 1]");
    if (rows.filled(contagion)) {
      hazard.contagion = rows.number_in(contagion, 0.0, 1.0, "a daily rate in [0, 1]");
    }
    for (std::size_t b = 0; b < agents::kBarrierCount; ++b) {
      if (!rows.filled(kFirstGate + b)) continue;
      hazard.gate_weights[b] = static_cast<float>(
          rows.number_in(kFirstGate + b, 0.0, 1e3, "a gate weight in [0, 1000]"));
    }
  }
}

}  // namespace

agents::ModelParams read_model(const YamlMap& top, const std::filesystem::path& folder,
                               std::vector<std::filesystem::path>& files_read) {
  agents::ModelParams model;
  const YamlMap map = top.map("model");
  map.reject_unknown_keys({"engagement", "receptivity", "fatigue", "stage_hazards", "lapse", "peer",
                           "forgetting", "prescribing"});
  read_engagement(map, model.engagement);
  read_receptivity(map, model.receptivity);
  read_fatigue(map, model.fatigue);

  if (map.has("stage_hazards")) {
    const std::filesystem::path relative = map.required_string("stage_hazards");
    const std::filesystem::path file = relative.is_absolute() ? relative : folder / relative;
    if (!std::filesystem::is_regular_file(file)) {
      map.fail("stage_hazards", fmt::format("file '{}' does not exist", file.string()));
    }
    files_read.push_back(file);
    read_stage_hazards(file.string(), model.hazards);
  }

  const YamlMap lapse = map.map("lapse");
  lapse.reject_unknown_keys({"rate_per_day"});
  model.lapse_rate = rate_or(lapse, "rate_per_day", model.lapse_rate, "day");

  read_peer(map, model.peer);

  const YamlMap forgetting = map.map("forgetting");
  forgetting.reject_unknown_keys({"rate_per_week"});
  model.forgetting_per_week =
      rate_or(forgetting, "rate_per_week", model.forgetting_per_week, "week");

  const YamlMap prescribing = map.map("prescribing");
  prescribing.reject_unknown_keys({"trial_share", "adopted_share"});
  model.trial_share = prescribing.share_or("trial_share", model.trial_share);
  model.adopted_share = prescribing.share_or("adopted_share", model.adopted_share);
  return model;
}

}  // namespace journeysim::sim::detail
