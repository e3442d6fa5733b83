#include "sim/parameters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>

#include "agents/input_error.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// The loader's tolerance for practice_share + region_share <= 1 (sim/scenario.cpp).
constexpr double kShareSumTolerance = 1e-6;
// The loader's limits: sim/scenario.cpp (kMaxPopulation, horizon_days) and
// sim/detail/journey_loader.cpp (kMaxDays).
constexpr double kMaxPopulation = 1'000'000'000;
constexpr double kMaxDays = 100 * 365;
// Suggestions for an unknown path: at most this many, and no further away.
constexpr std::size_t kMaxSuggestions = 3;

// The ranges below are the loader's checks, one for one; each names where the
// loader makes it. tests/sim/parameters_test.cpp checks a sample of them
// against the loader itself.
ParameterRange closed(double lower, double upper) { return {lower, upper, false, false, false}; }
ParameterRange share() { return closed(0.0, 1.0); }
ParameterRange non_negative() { return closed(0.0, kInfinity); }
ParameterRange positive() { return {0.0, kInfinity, true, false, false}; }
ParameterRange whole(double lower, double upper) { return {lower, upper, false, false, true}; }

// One addressable parameter: where it lives in a Scenario.
struct Binding {
  std::string path;
  std::string meaning;
  ParameterRange range;
  std::function<double(const Scenario&)> get;
  std::function<void(Scenario&, double)> set;
  // Rules beyond the range that involve other parameters; returns a message
  // saying what is wrong, or an empty string. May be empty.
  std::function<std::string(const Scenario&, double)> joint_rule;
};

// A binding for a field reached by access, a generic lambda taking a const or
// mutable Scenario and returning a reference to the field (double, float or
// an unsigned integer).
template <typename Access>
Binding field(std::string path, std::string meaning, ParameterRange range, Access access) {
  Binding binding{std::move(path), std::move(meaning), range, {}, {}, {}};
  binding.get = [access](const Scenario& s) { return static_cast<double>(access(s)); };
  binding.set = [access](Scenario& s, double value) {
    auto& slot = access(s);
    using Slot = std::remove_reference_t<decltype(slot)>;
    if constexpr (std::is_integral_v<Slot>) {
      slot = static_cast<Slot>(std::llround(value));
    } else {
      slot = static_cast<Slot>(value);
    }
  };
  return binding;
}

bool generated_network(const Scenario& s) {
  return s.network.model == agents::NetworkModel::small_world ||
         s.network.model == agents::NetworkModel::preferential_attachment ||
         s.network.model == agents::NetworkModel::clustered;
}

void add_top(const Scenario& scenario, std::vector<Binding>& out) {
  // sim/scenario.cpp, load_scenario: horizon_days in [1, 100 * 365].
  out.push_back(field(
      "horizon_days", "days simulated", whole(1, kMaxDays),
      [](auto& s) -> auto& { return s.horizon_days; }));
  // The size goes through override_population_size, which knows the roster
  // and edge-list rules.
  Binding size{
      "population.size",
      "HCPs to synthesise (for a roster: the size after resampling)",
      whole(static_cast<double>(std::max<std::size_t>(1, scenario.population.roster.size())),
            kMaxPopulation),
      [](const Scenario& s) { return static_cast<double>(s.population.size); },
      [](Scenario& s, double value) {
        override_population_size(s, static_cast<std::uint64_t>(std::llround(value)));
      },
      {}};
  out.push_back(std::move(size));
  out.push_back(field(
      "population.known_share", "share of HCPs known (addressable) in the CRM", share(),
      [](auto& s) -> auto& { return s.population.known_share; }));
  for (std::size_t i = 0; i < scenario.population.practice_settings.size(); ++i) {
    // sim/scenario.cpp, read_practice_settings: [1, 100000].
    out.push_back(field(
        fmt::format("population.practice_settings.{}.mean_practice_size",
                    scenario.population.practice_settings[i].name),
        "mean HCPs per practice in this setting", closed(1.0, 1e5), [i](auto& s) -> auto& {
          return s.population.practice_settings[i].mean_practice_size;
        }));
  }
}

void add_network(const Scenario& scenario, std::vector<Binding>& out) {
  // sim/scenario.cpp, read_network.
  if (generated_network(scenario)) {
    out.push_back(field(
        "network.mean_degree", "mean ties per HCP", closed(0.0, 1000.0),
        [](auto& s) -> auto& { return s.network.mean_degree; }));
  }
  if (scenario.network.model == agents::NetworkModel::small_world) {
    out.push_back(field(
        "network.small_world.rewire_probability", "share of ring ties rewired at random", share(),
        [](auto& s) -> auto& { return s.network.rewire_probability; }));
  }
  if (scenario.network.model != agents::NetworkModel::clustered) return;
  const auto sum_rule = [](bool practice) {
    return [practice](const Scenario& s, double value) -> std::string {
      const double other = practice ? s.network.region_share : s.network.practice_share;
      if (value + other > 1.0 + kShareSumTolerance) {
        return fmt::format(
            "practice_share + region_share must be at most 1; with {} = {} it would be {}",
            practice ? "region_share" : "practice_share", other, value + other);
      }
      return {};
    };
  };
  Binding practice = field(
      "network.clustered.practice_share", "share of an ordinary HCP's ties inside the practice",
      share(), [](auto& s) -> auto& { return s.network.practice_share; });
  practice.joint_rule = sum_rule(true);
  out.push_back(std::move(practice));
  Binding region = field(
      "network.clustered.region_share", "share of an ordinary HCP's ties drawn within the region",
      share(), [](auto& s) -> auto& { return s.network.region_share; });
  region.joint_rule = sum_rule(false);
  out.push_back(std::move(region));
  out.push_back(field(
      "network.clustered.opinion_leader_extra_degree",
      "extra ties of each opinion leader within the region", closed(0.0, 1e6),
      [](auto& s) -> auto& { return s.network.opinion_leader_extra_degree; }));
  out.push_back(field(
      "network.clustered.patient_sharing_weight", "weight of a tie between HCPs of one practice",
      closed(0.0, 1e6), [](auto& s) -> auto& { return s.network.patient_sharing_weight; }));
  out.push_back(field(
      "network.clustered.other_weight", "weight of every other tie", closed(0.0, 1e6),
      [](auto& s) -> auto& { return s.network.other_weight; }));
}

void add_channels(const Scenario& scenario, std::vector<Binding>& out) {
  // sim/scenario.cpp, read_channels.
  for (std::size_t c = 0; c < scenario.catalogue.channels.size(); ++c) {
    const std::string prefix = "channels." + scenario.catalogue.channels[c].name + ".";
    out.push_back(field(
        prefix + "reach", "P(a touch is received at all)",
        share(), [c](auto& s) -> auto& { return s.catalogue.channels[c].reach; }));
    out.push_back(field(
        prefix + "base_engagement",
        "P(engage | received) at average affinity, no fatigue or barriers",
        closed(1e-9, 1.0 - 1e-9), [c](auto& s) -> auto& {
          return s.catalogue.channels[c].base_engagement;
        }));
    out.push_back(field(
        prefix + "cost", "cost per touch, in the scenario's currency",
        closed(0.0, 1e12), [c](auto& s) -> auto& { return s.catalogue.channels[c].cost; }));
    out.push_back(field(
        prefix + "capacity_per_week", "touches the field force can make a week; 0 = no limit",
        closed(0.0, 1e12), [c](auto& s) -> auto& {
          return s.catalogue.channels[c].capacity_per_week;
        }));
    out.push_back(field(
        prefix + "fatigue_weight", "fatigue added per touch received",
        closed(0.0, 1e6), [c](auto& s) -> auto& {
          return s.catalogue.channels[c].fatigue_weight;
        }));
  }
  // sim/scenario.cpp, read_content and read_content_effects.
  for (std::size_t i = 0; i < scenario.catalogue.content.size(); ++i) {
    const std::string& name = scenario.catalogue.content[i].name;
    out.push_back(field(
        "content." + name + ".minutes", "minutes the content asks of an HCP",
        {1e-6, 24.0 * 60.0, false, false, false}, [i](auto& s) -> auto& {
          return s.catalogue.content[i].minutes;
        }));
  }
  for (std::size_t i = 0; i < scenario.catalogue.content.size(); ++i) {
    const std::string& name = scenario.catalogue.content[i].name;
    for (const agents::Barrier b : agents::kAllBarriers) {
      const auto bi = static_cast<std::size_t>(b);
      out.push_back(field(
          fmt::format("content_effects.{}.{}", name, agents::barrier_name(b)),
          "share of the barrier removed on full, receptive engagement", share(),
          [ i, bi ](auto& s) -> auto& { return s.catalogue.content[i].effect[bi]; }));
    }
  }
}

void add_segments(const Scenario& scenario, std::vector<Binding>& out) {
  const std::vector<agents::Segment>& segments = scenario.population.segments;
  // sim/scenario.cpp, read_segments.
  for (std::size_t g = 0; g < segments.size(); ++g) {
    const std::string prefix = "segments." + segments[g].name + ".";
    out.push_back(field(
        prefix + "opinion_leader_share", "share of opinion leaders",
        share(), [g](auto& s) -> auto& { return s.population.segments[g].opinion_leader_share; }));
    out.push_back(field(
        prefix + "patients_per_month", "mean eligible patients per month",
        closed(1e-9, 1e6), [g](auto& s) -> auto& {
          return s.population.segments[g].patients_per_month_mean;
        }));
    out.push_back(field(
        prefix + "patients_per_month_cv", "coefficient of variation of patients per month",
        closed(0.0, 10.0), [g](auto& s) -> auto& {
          return s.population.segments[g].patients_per_month_cv;
        }));
  }
  // sim/scenario.cpp, read_segment_barriers.
  for (std::size_t g = 0; g < segments.size(); ++g) {
    for (const agents::Barrier b : agents::kAllBarriers) {
      const auto bi = static_cast<std::size_t>(b);
      const std::string prefix =
          fmt::format("segment_barriers.{}.{}.", segments[g].name, agents::barrier_name(b));
      out.push_back(field(
          prefix + "mean", "mean starting strength of the barrier", share(),
          [ g, bi ](auto& s) -> auto& { return s.population.segments[g].barriers[bi].mean; }));
      out.push_back(field(
          prefix + "concentration",
          "Beta concentration of the starting strength; 0 = fixed at the mean", closed(0.0, 1e6),
          [ g, bi ](auto& s) -> auto& {
            return s.population.segments[g].barriers[bi].concentration;
          }));
    }
  }
  // sim/scenario.cpp, read_segment_channels.
  for (std::size_t g = 0; g < segments.size(); ++g) {
    for (std::size_t c = 0; c < scenario.catalogue.channels.size(); ++c) {
      const std::string prefix = fmt::format("segment_channels.{}.{}.", segments[g].name,
                                             scenario.catalogue.channels[c].name);
      out.push_back(field(
          prefix + "affinity_mean", "mean channel affinity, logit scale", closed(-20.0, 20.0),
          [ g,
            c ](auto& s) -> auto& { return s.population.segments[g].channels[c].affinity_mean; }));
      out.push_back(field(
          prefix + "affinity_sd", "spread of affinity between HCPs, logit scale", closed(0.0, 20.0),
          [ g, c ](auto& s) -> auto& { return s.population.segments[g].channels[c].affinity_sd; }));
      out.push_back(field(
          prefix + "consent_share", "share of known HCPs who consented", share(),
          [ g,
            c ](auto& s) -> auto& { return s.population.segments[g].channels[c].consent_share; }));
    }
  }
}

void add_model(std::vector<Binding>& out) {
  // sim/detail/model_loader.cpp: non_negative_or, positive_or, share_or, rate_or.
  const auto m = [&out](std::string path, std::string meaning, ParameterRange range, auto access) {
    out.push_back(field("model." + std::move(path), std::move(meaning), range, access));
  };
  m(
      "engagement.fatigue_coefficient", "logit of engagement lost per unit of fatigue",
      non_negative(), [](auto& s) -> auto& { return s.model.engagement.fatigue_coefficient; });
  m(
      "engagement.time_barrier_coefficient", "logit lost at time barrier 1", non_negative(),
      [](auto& s) -> auto& { return s.model.engagement.time_barrier_coefficient; });
  m(
      "engagement.duration_coefficient",
      "logit lost per e-fold of content length over reference_minutes", non_negative(),
      [](auto& s) -> auto& { return s.model.engagement.duration_coefficient; });
  m(
      "engagement.reference_minutes", "content length that costs no engagement, minutes",
      positive(), [](auto& s) -> auto& { return s.model.engagement.reference_minutes; });
  m(
      "engagement.attention_minutes", "minutes an HCP with no time barrier gives one piece",
      positive(), [](auto& s) -> auto& { return s.model.engagement.attention_minutes; });
  m(
      "engagement.interest_coefficient",
      "logit gained per unit of the aimed-at barrier above 0.5; 0 = off", non_negative(),
      [](auto& s) -> auto& { return s.model.engagement.interest_coefficient; });
  m(
      "engagement.consumed_depth", "depth from which content counts as consumed", share(),
      [](auto& s) -> auto& { return s.model.engagement.consumed_depth; });
  m(
      "receptivity.pharma_trust_sensitivity", "receptivity lost at trust 1, pharma content",
      share(), [](auto& s) -> auto& { return s.model.receptivity.pharma_trust_sensitivity; });
  m(
      "receptivity.independent_trust_sensitivity",
      "receptivity lost at trust 1, independent content", share(),
      [](auto& s) -> auto& { return s.model.receptivity.independent_trust_sensitivity; });
  m(
      "fatigue.half_life_days", "days for fatigue to halve without touches", positive(),
      [](auto& s) -> auto& { return s.model.fatigue.half_life_days; });
  m(
      "fatigue.opt_out_threshold", "fatigue above which a touch may cause an opt-out",
      non_negative(), [](auto& s) -> auto& { return s.model.fatigue.opt_out_threshold; });
  m(
      "fatigue.opt_out_probability", "P(opt out of the channel) per touch above the threshold",
      share(), [](auto& s) -> auto& { return s.model.fatigue.opt_out_probability; });
  m(
      "lapse.rate_per_day", "daily hazard of trialing -> considering at max(workflow, access) = 1",
      share(), [](auto& s) -> auto& { return s.model.lapse_rate; });
  m(
      "peer.opinion_leader_weight", "times an opinion leader's tie counts", non_negative(),
      [](auto& s) -> auto& { return s.model.peer.opinion_leader_weight; });
  m(
      "peer.barrier_erosion_per_week", "weekly peer-barrier erosion per unit of adopter share",
      share(), [](auto& s) -> auto& { return s.model.peer.barrier_erosion_per_week; });
  m(
      "forgetting.rate_per_week", "share of the way back to the starting barrier, weekly", share(),
      [](auto& s) -> auto& { return s.model.forgetting_per_week; });
  m(
      "prescribing.trial_share", "share of eligible patients treated while trialing", share(),
      [](auto& s) -> auto& { return s.model.trial_share; });
  m(
      "prescribing.adopted_share", "share of eligible patients treated once adopted", share(),
      [](auto& s) -> auto& { return s.model.adopted_share; });
}

void add_stage_hazards(std::vector<Binding>& out) {
  // sim/detail/model_loader.cpp, read_stage_hazards.
  for (std::size_t st = 0; st + 1 < agents::kStageCount; ++st) {
    const std::string prefix =
        fmt::format("stage_hazards.{}.", agents::stage_name(agents::kAllStages[st]));
    out.push_back(field(
        prefix + "base_hazard", "daily hazard of moving up with no barrier",
        share(), [st](auto& s) -> auto& { return s.model.hazards[st].base; }));
    out.push_back(field(
        prefix + "contagion", "daily hazard added per unit of weighted peer adopter share",
        share(), [st](auto& s) -> auto& { return s.model.hazards[st].contagion; }));
    for (const agents::Barrier b : agents::kAllBarriers) {
      const auto bi = static_cast<std::size_t>(b);
      out.push_back(field(
          prefix + std::string(agents::barrier_name(b)),
          "gate weight of the barrier on this move; 0 = no gate", closed(0.0, 1000.0),
          [ st, bi ](auto& s) -> auto& { return s.model.hazards[st].gate_weights[bi]; }));
    }
  }
}

void add_observation_and_caps(const Scenario& scenario, std::vector<Binding>& out) {
  // sim/scenario.cpp, read_observation.
  out.push_back(field(
      "observation.stage_lag_days", "days the CRM sees stage changes late", whole(0, 365),
      [](auto& s) -> auto& { return s.observation.stage_lag_days; }));
  out.push_back(field(
      "observation.rep_note_accuracy", "P(a call note names the true dominant barrier)", share(),
      [](auto& s) -> auto& { return s.observation.rep_note_accuracy; }));
  // sim/detail/journey_loader.cpp, read_caps.
  for (std::size_t i = 0; i < scenario.caps.size(); ++i) {
    const FrequencyCap& cap = scenario.caps[i];
    const std::string channel =
        cap.channel == kAnyChannel
            ? std::string("all channels")
            : scenario.catalogue.channels.at(static_cast<std::size_t>(cap.channel)).name;
    out.push_back(field(
        fmt::format("caps.{}.max_touches", i),
        fmt::format("touches allowed per window ({})", channel),
        whole(0, 1'000'000), [i](auto& s) -> auto& { return s.caps[i].max_touches; }));
    out.push_back(field(
        fmt::format("caps.{}.window_days", i),
        fmt::format("days of the cap's window ({})", channel),
        whole(1, kMaxDays), [i](auto& s) -> auto& { return s.caps[i].window_days; }));
  }
}

// The numbers inside the arms' journeys, addressed by arm, journey and step
// (arms.ARM.JOURNEY.STEP.FIELD), since one journey file may serve several
// arms. Waits, timeouts and expiries may not go below 1 day: a loop that
// relied on a wait could otherwise go round forever within a day, which the
// loader's loop rule (docs/journeys.md) only checks at load time.
void add_journey_steps(const Scenario& scenario, std::vector<Binding>& out) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const Arm& arm = scenario.arms[a];
    for (std::size_t j = 0; j < arm.journeys.size(); ++j) {
      const std::string prefix = fmt::format("arms.{}.{}", arm.name, arm.journeys[j].name);
      out.push_back(field(
          prefix + ".timeout_days", "days after entry at which HCPs leave the journey (0: never)",
          whole(0, kMaxDays),
          [ a, j ](auto& s) -> auto& { return s.arms[a].journeys[j].timeout_days; }));
      const std::vector<Step>& steps = arm.journeys[j].steps;
      for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto slot = [ a, j, k ](auto& s) -> auto& { return s.arms[a].journeys[j].steps[k]; };
        const std::string step = prefix + "." + steps[k].id;
        if (steps[k].kind == Step::Kind::wait && steps[k].wait_days > 0) {
          out.push_back(field(
              step + ".days", "days this wait step waits",
              whole(1, kMaxDays), [slot](auto& s) -> auto& { return slot(s).wait_days; }));
        } else if (steps[k].kind == Step::Kind::wait_until && steps[k].wait_days > 0) {
          out.push_back(field(
              step + ".timeout_days", "days this step waits for its event",
              whole(1, kMaxDays), [slot](auto& s) -> auto& { return slot(s).wait_days; }));
        } else if (steps[k].kind == Step::Kind::suggest) {
          out.push_back(field(
              step + ".expires_days", "days a rep suggestion stays open before it is dropped",
              whole(1, kMaxDays), [slot](auto& s) -> auto& { return slot(s).expires_days; }));
        }
      }
    }
  }
}

std::vector<Binding> bindings(const Scenario& scenario) {
  std::vector<Binding> out;
  add_top(scenario, out);
  add_network(scenario, out);
  add_channels(scenario, out);
  add_segments(scenario, out);
  add_model(out);
  add_stage_hazards(out);
  add_observation_and_caps(scenario, out);
  add_journey_steps(scenario, out);
  return out;
}

// Levenshtein distance, for suggesting the paths closest to a mistyped one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string file_of(const Scenario& scenario) {
  return scenario.manifest.empty() ? std::string("<scenario>") : scenario.manifest.string();
}

const Binding& find_binding(const Scenario& scenario, const std::vector<Binding>& all,
                            std::string_view path) {
  for (const Binding& binding : all) {
    if (binding.path == path) return binding;
  }
  // Paths that begin with what was typed come first (a path cut short), then
  // the rest by edit distance.
  std::vector<std::pair<std::size_t, const std::string*>> ranked;
  for (const Binding& binding : all) {
    const bool extends = binding.path.rfind(path, 0) == 0;
    ranked.emplace_back(extends ? 0 : 1 + edit_distance(path, binding.path), &binding.path);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string closest;
  for (std::size_t i = 0; i < std::min(kMaxSuggestions, ranked.size()); ++i) {
    closest += fmt::format("{}{}", i == 0 ? "" : ", ", *ranked[i].second);
  }
  throw InputError({file_of(scenario), 0, std::string(path)},
                   fmt::format("no parameter has this path; closest: {} (`journeysim sweep "
                               "--list-parameters SCENARIO` lists all {})",
                               closest.empty() ? std::string("none") : closest, all.size()));
}

ParameterInfo info_of(const Scenario& scenario, const Binding& binding) {
  return {binding.path, binding.get(scenario), binding.meaning, binding.range};
}

// FNV-1a 64 over text, continuing from the hash given as 16 hex digits (or the
// offset basis if it is not one), as the loader's content hash does.
std::string fold_into_hash(const std::string& hash, const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  if (hash.size() == 16) {
    try {
      h = std::stoull(hash, nullptr, 16);
    } catch (const std::exception&) {
      // Not a loaded hash (a scenario built in code): start from the basis.
    }
  }
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64-bit prime.
  }
  return fmt::format("{:016x}", h);
}

std::string format_end(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

}  // namespace

bool ParameterRange::contains(double value) const noexcept {
  if (!std::isfinite(value)) return false;
  if (lower_open ? !(value > lower) : !(value >= lower)) return false;
  if (upper_open ? !(value < upper) : !(value <= upper)) return false;
  return !integer || value == std::floor(value);
}

std::string ParameterRange::describe() const {
  return fmt::format("{} in {}{}, {}{}", integer ? "a whole number" : "a number",
                     lower_open ? "(" : "[", format_end(lower), format_end(upper),
                     upper_open || std::isinf(upper) ? ")" : "]");
}

std::vector<ParameterInfo> list_parameters(const Scenario& scenario) {
  const std::vector<Binding> all = bindings(scenario);
  std::vector<ParameterInfo> infos;
  infos.reserve(all.size());
  for (const Binding& binding : all) infos.push_back(info_of(scenario, binding));
  return infos;
}

ParameterInfo describe_parameter(const Scenario& scenario, std::string_view path) {
  const std::vector<Binding> all = bindings(scenario);
  return info_of(scenario, find_binding(scenario, all, path));
}

double get_parameter(const Scenario& scenario, std::string_view path) {
  return describe_parameter(scenario, path).value;
}

void set_parameter(Scenario& scenario, std::string_view path, double value) {
  const std::vector<Binding> all = bindings(scenario);
  const Binding& binding = find_binding(scenario, all, path);
  const agents::InputLocation where{file_of(scenario), 0, binding.path};
  if (!binding.range.contains(value)) {
    throw InputError(where, fmt::format("expected {}, found {}", binding.range.describe(), value));
  }
  if (binding.joint_rule) {
    const std::string problem = binding.joint_rule(scenario, value);
    if (!problem.empty()) throw InputError(where, problem);
  }
  const double before = binding.get(scenario);
  try {
    binding.set(scenario, value);
  } catch (const InputError& error) {
    // override_population_size names its own option; the caller gave a path.
    throw InputError(where, error.message());
  }
  scenario.content_hash =
      fold_into_hash(scenario.content_hash, fmt::format("\nset {}={}", binding.path, value));
  const auto known =
      std::find_if(scenario.overrides.begin(), scenario.overrides.end(),
                   [&](const ParameterOverride& o) { return o.path == binding.path; });
  if (known != scenario.overrides.end()) {
    known->value = value;
  } else {
    scenario.overrides.push_back({binding.path, value, before});
  }
}

}  // namespace journeysim::sim
