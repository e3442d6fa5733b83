#include "sim/engine.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agents/random_stream.hpp"
#include "agents/response_model.hpp"

namespace journeysim::sim {
namespace {

using agents::Barrier;
using agents::BarrierVector;
using agents::Purpose;
using agents::Stage;

constexpr std::uint32_t kBlock = 2048;          // HCPs per parallel task.
constexpr std::int64_t kWeightScale = 1 << 16;  // Fixed point for peer weights.
constexpr std::size_t kEventLog = 16;           // Recent events kept per HCP.
constexpr int kMaxStepsPerDay = 256;            // Guard; validation forbids zero-wait cycles.
constexpr std::uint16_t kNever = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint16_t kNoContent = std::numeric_limits<std::uint16_t>::max();

// An observed event, as the platform logs it.
struct LoggedEvent {
  std::uint16_t day = kNever;
  EventKind kind = EventKind::delivered;
  std::int8_t channel = -1;
  std::uint16_t content = kNoContent;
  Barrier barrier = Barrier::knowledge;
};

enum class Status : std::uint8_t { outside, awaiting_trigger, active, exited, held_out };

struct JourneyState {
  StepIndex step = kNoStep;
  std::uint16_t wake = kNever;  // Day the journey next needs attention.
  std::uint16_t entered = 0;
  std::uint16_t deadline = kNever;  // wait_until timeout day.
  std::uint16_t re_entry = kNever;  // Day an exited HCP may re-enter.
  Status status = Status::outside;
  bool goal_reached = false;
};

struct Suggestion {
  std::uint32_t hcp = 0;
  std::uint16_t channel = 0;
  std::uint32_t content = 0;
  std::uint32_t priority = 0;
  std::uint32_t created = 0;
  std::uint32_t expires = 0;
  std::uint32_t journey = 0;
  std::uint64_t touch_key = 0;  // The suggesting step's key and the day it was made.
};

// What a parallel block of HCPs produced on one day, merged in block order.
struct BlockOutput {
  std::vector<std::uint32_t> adopter_changes;  // HCPs that crossed the adopter stage (up or down).
  std::vector<Suggestion> suggestions;
  std::array<std::uint32_t, agents::kStageCount> stage_counts{};
};

double ratio(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

class Run {
 public:
  Run(const Scenario& scenario, const agents::Population& population,
      const agents::PeerNetwork& network, const RunPlan& plan, std::int64_t traced,
      const TraceSink* sink)
      : scenario_(scenario),
        model_(scenario.model),
        population_(population),
        network_(network),
        plan_(plan),
        arm_(scenario.arms.at(plan.arm)),
        n_(population.size),
        traced_(traced),
        sink_(sink) {
    allocate();
    prepare_keys();
  }

  RunResult execute(const std::atomic<bool>* cancel) {
    RunResult result;
    result.plan = plan_;
    result.horizon_days = scenario_.horizon_days;
    result.stage_counts.assign((scenario_.horizon_days + 1) * agents::kStageCount, 0);
    channel_totals_.assign(scenario_.catalogue.channels.size(), {});
    count_stages(0, result);
    enter_journeys_on_day_zero();
    const std::uint32_t blocks = (n_ + kBlock - 1) / kBlock;
    std::vector<BlockOutput> outputs(blocks);
    for (std::uint32_t day = 1; day <= scenario_.horizon_days; ++day) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
      tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, blocks, 1),
                        [&](const tbb::blocked_range<std::uint32_t>& range) {
                          for (std::uint32_t b = range.begin(); b != range.end(); ++b) {
                            simulate_block(b, day, outputs[b]);
                          }
                        });
      merge_day(day, outputs, result);
    }
    finish(result);
    return result;
  }

 private:
  // ---- set-up ---------------------------------------------------------------

  void allocate() {
    const std::size_t journeys = arm_.journeys.size();
    stage_.assign(population_.start_stage.begin(), population_.start_stage.end());
    previous_stage_ = stage_;
    max_stage_ = stage_;
    stage_changed_.assign(n_, 0);
    barriers_ = population_.start_barriers;
    gate_.resize(n_);
    fatigue_.assign(n_, 0.0F);
    fatigue_day_.assign(n_, 0);
    opted_out_.assign(n_, 0);
    up_hazard_sum_.assign(n_, 0.0F);
    up_threshold_.resize(n_);
    lapse_hazard_sum_.assign(n_, 0.0F);
    lapse_threshold_.resize(n_);
    moves_.assign(n_, 0);
    first_rx_.assign(n_, -1);
    adoption_day_.assign(n_, -1);
    prescriptions_.assign(n_, 0.0F);
    cost_.assign(n_, 0.0F);
    touches_.assign(n_, 0);
    engagements_.assign(n_, 0);
    events_.assign(static_cast<std::size_t>(n_) * kEventLog, {});
    event_cursor_.assign(n_, 0);
    cap_log_length_ = 1;
    for (const FrequencyCap& cap : scenario_.caps) {
      cap_log_length_ = std::max<std::size_t>(cap_log_length_, std::min(cap.max_touches, 64U));
    }
    touch_days_.assign(static_cast<std::size_t>(n_) * cap_log_length_, kNever);
    touch_channels_.assign(static_cast<std::size_t>(n_) * cap_log_length_, -1);
    touch_cursor_.assign(n_, 0);
    journeys_.assign(static_cast<std::size_t>(n_) * journeys, {});
    next_wake_.assign(n_, kNever);
    adopter_weight_.assign(n_, 0);
    total_weight_.assign(n_, 0);
    peer_factor_.resize(n_);
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      peer_factor_[hcp] = population_.opinion_leader[hcp] != 0
                              ? static_cast<float>(model_.peer.opinion_leader_weight)
                              : 1.0F;
    }
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      const auto peers = network_.peers(hcp);
      const auto ties = network_.ties(hcp);
      std::int64_t total = 0;
      for (std::size_t k = 0; k < peers.size(); ++k) total += tie_weight(ties[k].weight, peers[k]);
      total_weight_[hcp] = total;
      refresh_gate(hcp);
      draw_thresholds(hcp);
    }
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      if (is_adopter(stage_[hcp])) push_adopter(hcp, +1);
    }
  }

  std::int64_t tie_weight(float weight, std::uint32_t peer) const {
    return static_cast<std::int64_t>(std::llround(weight * peer_factor_[peer] * kWeightScale));
  }

  bool is_adopter(Stage stage) const { return stage >= model_.peer.adopter_stage; }

  // Adds (or removes) hcp's weight to its peers' adopter sums. Atomic integer
  // adds: several adopters may share a peer, and integer sums do not depend on
  // the order they arrive in.
  void push_adopter(std::uint32_t hcp, int sign) {
    const auto peers = network_.peers(hcp);
    const auto ties = network_.ties(hcp);
    for (std::size_t k = 0; k < peers.size(); ++k) {
      // The weight of hcp as seen by its peer: the tie times hcp's own leader factor.
      std::atomic_ref<std::int64_t>(adopter_weight_[peers[k]])
          .fetch_add(sign * tie_weight(ties[k].weight, hcp), std::memory_order_relaxed);
    }
  }

  std::uint64_t stream(std::uint32_t hcp, Purpose purpose) const {
    return agents::stream_key(plan_.seed, plan_.replication, hcp, purpose);
  }

  // Exp(1) thresholds for the next upward move and the next lapse: a move
  // happens on the first day the summed daily hazard reaches the threshold,
  // which gives P(move on day d | not before) = 1 - exp(-h_d) exactly.
  void draw_thresholds(std::uint32_t hcp) {
    const double up = agents::keyed_uniform(stream(hcp, Purpose::stage_up), 0, moves_[hcp]);
    const double lapse = agents::keyed_uniform(stream(hcp, Purpose::lapse), 0, moves_[hcp]);
    up_threshold_[hcp] = static_cast<float>(-std::log1p(-up));
    lapse_threshold_[hcp] = static_cast<float>(-std::log1p(-lapse));
    up_hazard_sum_[hcp] = 0.0F;
    lapse_hazard_sum_[hcp] = 0.0F;
  }

  void refresh_gate(std::uint32_t hcp) {
    gate_[hcp] = static_cast<float>(agents::gate_factor(model_, stage_[hcp], barriers_[hcp]));
  }

  // At risk of a first prescription: started the horizon below trialing.
  bool at_risk(std::uint32_t hcp) const { return population_.start_stage[hcp] < Stage::trialing; }

  double peer_share(std::uint32_t hcp) const {
    return ratio(adopter_weight_[hcp], total_weight_[hcp]);
  }

  // ---- the daily loop ---------------------------------------------------------

  void simulate_block(std::uint32_t block, std::uint32_t day, BlockOutput& out) {
    out.adopter_changes.clear();
    out.suggestions.clear();
    out.stage_counts.fill(0);
    const std::uint32_t end = std::min(n_, (block + 1) * kBlock);
    const bool weekly = day % 7 == 0;
    for (std::uint32_t hcp = block * kBlock; hcp < end; ++hcp) {
      if (next_wake_[hcp] <= day) run_journeys(hcp, day, out);
      if (weekly) weekly_update(hcp, day);
      move_stage(hcp, day, out);
      prescriptions_[hcp] += static_cast<float>(
          agents::prescriptions_per_day(model_, stage_[hcp], population_.patients_per_month[hcp]));
      ++out.stage_counts[static_cast<std::size_t>(stage_[hcp])];
    }
  }

  void weekly_update(std::uint32_t hcp, std::uint32_t day) {
    const double share = peer_share(hcp);
    agents::weekly_barrier_update(model_, population_.start_barriers[hcp], share, barriers_[hcp]);
    refresh_gate(hcp);
    if (tracing(hcp)) trace_week(hcp, day, share);
  }

  void move_stage(std::uint32_t hcp, std::uint32_t day, BlockOutput& out) {
    const Stage stage = stage_[hcp];
    if (stage == Stage::advocate) return;
    const auto& hazard = model_.hazards[static_cast<std::size_t>(stage)];
    // Clamped to [0, 1] as docs/model.md (Stage transitions) says; a hazard
    // above 1 a day would make a move certain anyway.
    const double up =
        std::clamp(hazard.base * gate_[hcp] + hazard.contagion * peer_share(hcp), 0.0, 1.0);
    up_hazard_sum_[hcp] += static_cast<float>(up);
    if (up_hazard_sum_[hcp] >= up_threshold_[hcp]) {
      change_stage(hcp, static_cast<Stage>(static_cast<int>(stage) + 1), day, out);
      return;
    }
    if (stage != Stage::trialing) return;
    lapse_hazard_sum_[hcp] += static_cast<float>(agents::lapse_hazard(model_, barriers_[hcp]));
    if (lapse_hazard_sum_[hcp] >= lapse_threshold_[hcp]) {
      change_stage(hcp, Stage::considering, day, out);
    }
  }

  void change_stage(std::uint32_t hcp, Stage to, std::uint32_t day, BlockOutput& out) {
    const Stage from = stage_[hcp];
    if (is_adopter(from) != is_adopter(to)) out.adopter_changes.push_back(hcp);
    previous_stage_[hcp] = from;
    stage_[hcp] = to;
    max_stage_[hcp] = std::max(max_stage_[hcp], to);
    stage_changed_[hcp] = static_cast<std::uint16_t>(day);
    ++moves_[hcp];
    // A first prescription counts only for an HCP at risk of one: who started
    // below trialing. An HCP who started at trialing, lapsed and came back has
    // prescribed before the horizon began (docs/outputs.md, Outcome metrics).
    if (to == Stage::trialing && first_rx_[hcp] < 0 && at_risk(hcp))
      first_rx_[hcp] = static_cast<std::int32_t>(day);
    if (to == Stage::adopted && adoption_day_[hcp] < 0) {
      adoption_day_[hcp] = static_cast<std::int32_t>(day);
    }
    refresh_gate(hcp);
    draw_thresholds(hcp);
    if (tracing(hcp)) trace_stage(hcp, day, from, to);
    // Journeys waiting on a stage poll it from tomorrow (the CRM sees it late).
    next_wake_[hcp] = std::min<std::uint16_t>(next_wake_[hcp], static_cast<std::uint16_t>(day + 1));
  }

  void merge_day(std::uint32_t day, std::vector<BlockOutput>& outputs, RunResult& result) {
    // Peer effects: adopters of day t count from day t + 1 on.
    changes_.clear();
    for (const BlockOutput& out : outputs) {
      changes_.insert(changes_.end(), out.adopter_changes.begin(), out.adopter_changes.end());
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, changes_.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          push_adopter(changes_[i], is_adopter(stage_[changes_[i]]) ? +1 : -1);
                        }
                      });
    for (BlockOutput& out : outputs) {
      pending_.insert(pending_.end(), out.suggestions.begin(), out.suggestions.end());
    }
    std::uint32_t* counts = &result.stage_counts[day * agents::kStageCount];
    for (const BlockOutput& out : outputs) {
      for (int s = 0; s < agents::kStageCount; ++s) counts[s] += out.stage_counts[s];
    }
    // After the counts: a field-force visit that moves an HCP corrects them.
    execute_suggestions(day, result);
  }

  void count_stages(std::uint32_t day, RunResult& result) const {
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      ++result.stage_counts[day * agents::kStageCount + static_cast<std::size_t>(stage_[hcp])];
    }
  }

  // ---- the field force ----------------------------------------------------------

  // Each day the field force works through pending suggestions, most urgent
  // (lowest priority number) and oldest first, within capacity_per_week / 7 a
  // day per channel (fractions carry over). Expired suggestions are dropped.
  void execute_suggestions(std::uint32_t day, RunResult& result) {
    if (pending_.empty()) return;
    const auto& channels = scenario_.catalogue.channels;
    budget_.resize(channels.size(), 0.0);
    for (std::size_t c = 0; c < channels.size(); ++c) {
      budget_[c] = std::min(budget_[c] + channels[c].capacity_per_week / 7.0,
                            std::max(1.0, channels[c].capacity_per_week));
    }
    std::stable_sort(pending_.begin(), pending_.end(),
                     [](const Suggestion& a, const Suggestion& b) {
                       if (a.priority != b.priority) return a.priority < b.priority;
                       if (a.created != b.created) return a.created < b.created;
                       return a.hcp < b.hcp;
                     });
    std::vector<Suggestion> kept;
    for (const Suggestion& suggestion : pending_) {
      if (suggestion.expires < day) {
        ++result.suggestions_expired;
        if (tracing(suggestion.hcp)) {
          trace(day, fmt::format("a suggested {} call expired: the field force had no capacity",
                                 channels[suggestion.channel].name));
        }
        continue;
      }
      const bool unlimited = channels[suggestion.channel].capacity_per_week <= 0.0;
      if (!unlimited && budget_[suggestion.channel] < 1.0) {
        kept.push_back(suggestion);
        continue;
      }
      if (!unlimited) budget_[suggestion.channel] -= 1.0;
      BlockOutput unused;
      const Stage before = stage_[suggestion.hcp];
      deliver(suggestion.hcp, Action{suggestion.channel, suggestion.content}, day,
              suggestion.journey, suggestion.touch_key, unused);
      if (stage_[suggestion.hcp] != before) {
        std::uint32_t* counts = &result.stage_counts[day * agents::kStageCount];
        --counts[static_cast<std::size_t>(before)];
        ++counts[static_cast<std::size_t>(stage_[suggestion.hcp])];
      }
      for (const std::uint32_t hcp : unused.adopter_changes)
        push_adopter(hcp, is_adopter(stage_[hcp]) ? +1 : -1);
      pending_new_.insert(pending_new_.end(), unused.suggestions.begin(), unused.suggestions.end());
    }
    pending_.swap(kept);
    pending_.insert(pending_.end(), pending_new_.begin(), pending_new_.end());
    pending_new_.clear();
  }

  // ---- journeys -------------------------------------------------------------------

  // Draw keys from names: journey_keys_[j] and step_keys_[j][s] (docs/engine.md).
  void prepare_keys() {
    journey_keys_.clear();
    step_keys_.clear();
    for (const Journey& journey : arm_.journeys) {
      const std::uint64_t key = agents::name_key(journey.name);
      journey_keys_.push_back(key);
      std::vector<std::uint64_t>& steps = step_keys_.emplace_back();
      for (const Step& step : journey.steps) {
        steps.push_back(agents::combine_keys(key, agents::name_key(step.id)));
      }
    }
  }

  std::uint64_t step_key(std::size_t j, StepIndex step) const {
    return step_keys_[j][static_cast<std::size_t>(step)];
  }

  JourneyState& state(std::uint32_t hcp, std::size_t journey) {
    return journeys_[static_cast<std::size_t>(hcp) * arm_.journeys.size() + journey];
  }

  void enter_journeys_on_day_zero() {
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      for (std::size_t j = 0; j < arm_.journeys.size(); ++j) try_enter(hcp, j, 0);
      refresh_wake(hcp);
    }
  }

  // Holdout draws are keyed by the journey's name, so the same journey in two
  // arms holds out the same HCPs.
  bool held_out(std::uint32_t hcp, std::size_t j) const {
    const Journey& journey = arm_.journeys[j];
    if (journey.holdout_share <= 0.0) return false;
    return agents::named_uniform(stream(hcp, Purpose::holdout), 0, journey_keys_[j]) <
           journey.holdout_share;
  }

  // In a live test mixing arms, an HCP only enters its own arm's journeys.
  bool allowed(std::uint32_t hcp, std::size_t j) const {
    return plan_.hcp_group == nullptr || (*plan_.journey_group)[j] == (*plan_.hcp_group)[hcp];
  }

  void try_enter(std::uint32_t hcp, std::size_t j, std::uint32_t day) {
    if (!allowed(hcp, j)) return;
    const Journey& journey = arm_.journeys[j];
    JourneyState& js = state(hcp, j);
    if (js.status == Status::held_out || js.status == Status::active) return;
    if (js.status == Status::exited &&
        (journey.entry.re_entry == Entry::ReEntry::none || day < js.re_entry)) {
      return;
    }
    if (!all_hold(journey.entry.filter, hcp, day, day)) return;
    if (js.status == Status::outside && held_out(hcp, j)) {
      js.status = Status::held_out;
      if (tracing(hcp))
        trace(day, fmt::format("held out of journey {} (the holdout group)", journey.name));
      return;
    }
    if (journey.entry.trigger && js.status != Status::awaiting_trigger) {
      js.status = Status::awaiting_trigger;
      return;
    }
    if (journey.entry.trigger) return;  // Entered by the event itself.
    start(hcp, j, day);
  }

  void start(std::uint32_t hcp, std::size_t j, std::uint32_t day) {
    JourneyState& js = state(hcp, j);
    js.status = Status::active;
    js.step = arm_.journeys[j].start;
    js.entered = static_cast<std::uint16_t>(day);
    js.wake = static_cast<std::uint16_t>(day);
    js.deadline = kNever;
    if (tracing(hcp)) trace(day, fmt::format("entered journey {}", arm_.journeys[j].name));
  }

  void refresh_wake(std::uint32_t hcp) {
    std::uint16_t wake = kNever;
    for (std::size_t j = 0; j < arm_.journeys.size(); ++j) {
      const JourneyState& js = state(hcp, j);
      if (js.status == Status::active) wake = std::min(wake, js.wake);
      if (js.status == Status::exited && js.re_entry != kNever) wake = std::min(wake, js.re_entry);
    }
    next_wake_[hcp] = wake;
  }

  void run_journeys(std::uint32_t hcp, std::uint32_t day, BlockOutput& out) {
    for (std::size_t j = 0; j < arm_.journeys.size(); ++j) {
      JourneyState& js = state(hcp, j);
      if (js.status == Status::exited && js.re_entry <= day) try_enter(hcp, j, day);
      if (js.status == Status::active && js.wake <= day) advance(hcp, j, day, out);
    }
    refresh_wake(hcp);
  }

  void exit_journey(std::uint32_t hcp, std::size_t j, std::uint32_t day, std::string_view why) {
    const Journey& journey = arm_.journeys[j];
    JourneyState& js = state(hcp, j);
    js.status = Status::exited;
    js.step = kNoStep;
    js.wake = kNever;
    js.re_entry = kNever;
    if (journey.entry.re_entry == Entry::ReEntry::after_exit)
      js.re_entry = static_cast<std::uint16_t>(day + 1);
    if (journey.entry.re_entry == Entry::ReEntry::after_wait) {
      js.re_entry = static_cast<std::uint16_t>(std::min<std::uint32_t>(
          kNever - 1, day + std::max(1U, journey.entry.re_entry_wait_days)));
    }
    if (tracing(hcp)) trace(day, fmt::format("left journey {} ({})", journey.name, why));
  }

  // Checks goal, exit criteria and timeout; true if the HCP left.
  bool check_exit(std::uint32_t hcp, std::size_t j, std::uint32_t day) {
    const Journey& journey = arm_.journeys[j];
    JourneyState& js = state(hcp, j);
    if (journey.goal && !js.goal_reached && observed_stage(hcp, day) >= journey.goal->stage) {
      js.goal_reached = true;
      add(goals_reached_, 1);
      if (tracing(hcp)) trace(day, fmt::format("reached the goal of journey {}", journey.name));
      if (journey.goal->exits) {
        exit_journey(hcp, j, day, "goal reached");
        return true;
      }
    }
    for (const Condition& condition : journey.exit_when) {
      if (holds(condition, hcp, day, js.entered)) {
        exit_journey(hcp, j, day, "an exit criterion held");
        return true;
      }
    }
    if (journey.timeout_days > 0 && day >= js.entered + journey.timeout_days) {
      exit_journey(hcp, j, day, "journey timeout");
      return true;
    }
    return false;
  }

  void advance(std::uint32_t hcp, std::size_t j, std::uint32_t day, BlockOutput& out) {
    const Journey& journey = arm_.journeys[j];
    JourneyState& js = state(hcp, j);
    for (int guard = 0; guard < kMaxStepsPerDay; ++guard) {
      if (check_exit(hcp, j, day)) return;
      if (js.step == kNoStep) {
        exit_journey(hcp, j, day, "end of the journey");
        return;
      }
      const Step& step = journey.steps[static_cast<std::size_t>(js.step)];
      switch (step.kind) {
        case Step::Kind::send:
          deliver(hcp, step.action, day, static_cast<std::uint32_t>(j), step_key(j, js.step), out);
          js.step = step.next;
          break;
        case Step::Kind::suggest:
          out.suggestions.push_back({hcp, step.action.channel, step.action.content, step.priority,
                                     day, day + step.expires_days, static_cast<std::uint32_t>(j),
                                     agents::combine_keys(step_key(j, js.step), day)});
          if (tracing(hcp)) {
            trace(day,
                  fmt::format(
                      "journey {} suggested a {} call with '{}' (priority {}, expires in {} days)",
                      journey.name, scenario_.catalogue.channels[step.action.channel].name,
                      scenario_.catalogue.content[step.action.content].name, step.priority,
                      step.expires_days));
          }
          js.step = step.next;
          break;
        case Step::Kind::wait:
          js.step = step.next;
          if (step.wait_days > 0) {
            js.wake = static_cast<std::uint16_t>(
                std::min<std::uint32_t>(kNever - 1, day + step.wait_days));
            return;
          }
          break;
        case Step::Kind::wait_until:
          if (js.deadline == kNever) {
            js.deadline = static_cast<std::uint16_t>(
                std::min<std::uint32_t>(kNever - 1, day + step.wait_days));
            // An event earlier today (say, the open of the email this journey
            // just sent) already satisfies the wait. The journey moves on
            // tomorrow, never today: that keeps every loop through a wait_until
            // at least a day long, as validation assumes (docs/journeys.md).
            if (happened_today(step.until, hcp, day)) {
              js.deadline = kNever;
              js.step = step.next;
              js.wake = static_cast<std::uint16_t>(day + 1);
              return;
            }
          }
          if (step.until.kind == EventKind::stage_reached &&
              observed_stage(hcp, day) >= step.until.stage) {
            js.deadline = kNever;
            js.step = step.next;
            break;
          }
          if (day >= js.deadline) {
            js.deadline = kNever;
            js.step = step.timeout_next;
            break;
          }
          // Stage waits poll daily; event waits are woken by the event itself.
          js.wake = step.until.kind == EventKind::stage_reached
                        ? static_cast<std::uint16_t>(day + 1)
                        : js.deadline;
          return;
        case Step::Kind::split:
          js.step = choose_rule(step, hcp, day, js.entered);
          break;
        case Step::Kind::random_split:
          js.step = choose_branch(step, hcp, day, step_key(j, js.step));
          break;
        case Step::Kind::policy:
          apply_policy(step, hcp, day, j, step_key(j, js.step), out);
          js.step = step.next;
          break;
        case Step::Kind::exit:
          exit_journey(hcp, j, day, "exit step");
          return;
      }
    }
    throw std::logic_error("journey " + journey.name + " ran " + std::to_string(kMaxStepsPerDay) +
                           " steps in one day: validation should have rejected a zero-wait cycle");
  }

  StepIndex choose_rule(const Step& step, std::uint32_t hcp, std::uint32_t day,
                        std::uint32_t entered) {
    for (const Rule& rule : step.rules) {
      if (all_hold(rule.when, hcp, day, entered)) return rule.next;
    }
    return step.else_next.value_or(kNoStep);
  }

  // Keyed by the journey's name and the step's id (never a position or a line
  // number), so the same split draws the same number for an HCP in every arm.
  StepIndex choose_branch(const Step& step, std::uint32_t hcp, std::uint32_t day,
                          std::uint64_t key) {
    double total = 0.0;
    for (const double w : step.weights) total += w;
    const double u = agents::named_uniform(stream(hcp, Purpose::random_split), day, key) * total;
    double cumulative = 0.0;
    for (std::size_t b = 0; b < step.branches.size(); ++b) {
      cumulative += step.weights[b];
      if (u < cumulative) return step.branches[b];
    }
    return step.branches.back();
  }

  void apply_policy(const Step& step, std::uint32_t hcp, std::uint32_t day, std::size_t j,
                    std::uint64_t key, BlockOutput& out) {
    const JourneyState& js = state(hcp, j);
    for (const Rule& rule : step.rules) {
      if (all_hold(rule.when, hcp, day, js.entered)) {
        if (rule.action) deliver(hcp, *rule.action, day, static_cast<std::uint32_t>(j), key, out);
        return;
      }
    }
    if (step.default_action)
      deliver(hcp, *step.default_action, day, static_cast<std::uint32_t>(j), key, out);
  }

  // ---- what the platform observes ---------------------------------------------------

  Stage observed_stage(std::uint32_t hcp, std::uint32_t day) const {
    return day < stage_changed_[hcp] + scenario_.observation.stage_lag_days ? previous_stage_[hcp]
                                                                            : stage_[hcp];
  }

  bool all_hold(const std::vector<Condition>& conditions, std::uint32_t hcp, std::uint32_t day,
                std::uint32_t entered) const {
    for (const Condition& condition : conditions) {
      if (!holds(condition, hcp, day, entered)) return false;
    }
    return true;
  }

  std::uint16_t attribute(Attribute attribute, std::uint32_t hcp) const {
    switch (attribute) {
      case Attribute::specialty:
        return population_.specialty[hcp];
      case Attribute::practice_setting:
        return population_.practice_setting[hcp];
      case Attribute::region:
        return population_.region[hcp];
      case Attribute::career_stage:
        return population_.career_stage[hcp];
      case Attribute::opinion_leader:
        return population_.opinion_leader[hcp];
      case Attribute::known:
        return population_.known[hcp];
    }
    return 0;
  }

  bool holds(const Condition& condition, std::uint32_t hcp, std::uint32_t day,
             std::uint32_t entered) const {
    switch (condition.kind) {
      case Condition::Kind::attribute_in: {
        const std::uint16_t value = attribute(condition.attribute, hcp);
        return std::find(condition.values.begin(), condition.values.end(), value) !=
               condition.values.end();
      }
      case Condition::Kind::stage_at_most:
        return observed_stage(hcp, day) <= condition.stage;
      case Condition::Kind::stage_at_least:
        return observed_stage(hcp, day) >= condition.stage;
      case Condition::Kind::opted_out:
        return condition.event.channel >= 0 &&
               ((opted_out_[hcp] >> condition.event.channel) & 1U) != 0;
      case Condition::Kind::event_count:
        if (condition.event.kind == EventKind::stage_reached) {
          return observed_stage(hcp, day) >= condition.event.stage;
        }
        if (condition.latest) return latest_names(condition, hcp, day, entered);
        return count_events(condition, hcp, day, entered) >= condition.count;
    }
    return false;
  }

  std::uint32_t count_events(const Condition& condition, std::uint32_t hcp, std::uint32_t day,
                             std::uint32_t entered) const {
    const std::uint32_t since =
        condition.within_days > 0
            ? (day >= condition.within_days ? day - condition.within_days + 1 : 0)
            : entered;
    std::uint32_t count = 0;
    const LoggedEvent* log = &events_[static_cast<std::size_t>(hcp) * kEventLog];
    for (std::size_t k = 0; k < kEventLog; ++k) {
      if (log[k].day != kNever && log[k].day >= since && matches(condition.event, log[k])) ++count;
    }
    return count;
  }

  // True if the most recent signal (or call note) in the window names the
  // condition's barrier. The ring is read newest first: the slot before the
  // cursor holds the last event logged.
  bool latest_names(const Condition& condition, std::uint32_t hcp, std::uint32_t day,
                    std::uint32_t entered) const {
    const std::uint32_t since =
        condition.within_days > 0
            ? (day >= condition.within_days ? day - condition.within_days + 1 : 0)
            : entered;
    const LoggedEvent* log = &events_[static_cast<std::size_t>(hcp) * kEventLog];
    const std::uint32_t cursor = event_cursor_[hcp];
    const EventSpec& spec = condition.event;
    for (std::uint32_t back = 1; back <= std::min<std::uint32_t>(cursor, kEventLog); ++back) {
      const LoggedEvent& event = log[(cursor - back) % kEventLog];
      if (event.day == kNever || event.day < since) return false;
      if (event.kind != spec.kind) continue;
      if (spec.channel != kAnyChannel && spec.channel != event.channel) continue;
      return event.barrier == spec.barrier;
    }
    return false;
  }

  bool happened_today(const EventSpec& spec, std::uint32_t hcp, std::uint32_t day) const {
    const LoggedEvent* log = &events_[static_cast<std::size_t>(hcp) * kEventLog];
    for (std::size_t k = 0; k < kEventLog; ++k) {
      if (log[k].day == day && matches(spec, log[k])) return true;
    }
    return false;
  }

  static bool matches(const EventSpec& spec, const LoggedEvent& event) {
    if (spec.kind != event.kind) return false;
    if (spec.channel != kAnyChannel && spec.channel != event.channel) return false;
    if (spec.content && *spec.content != event.content) return false;
    if ((spec.kind == EventKind::signal || spec.kind == EventKind::rep_note) &&
        spec.barrier != event.barrier) {
      return false;
    }
    return true;
  }

  void log_event(std::uint32_t hcp, const LoggedEvent& event) {
    const std::size_t slot = event_cursor_[hcp]++ % kEventLog;
    events_[static_cast<std::size_t>(hcp) * kEventLog + slot] = event;
    react_to_event(hcp, event);
  }

  // Journeys waiting for this event move on tomorrow; triggered journeys start tomorrow.
  void react_to_event(std::uint32_t hcp, const LoggedEvent& event) {
    const auto tomorrow = static_cast<std::uint16_t>(event.day + 1);
    for (std::size_t j = 0; j < arm_.journeys.size(); ++j) {
      const Journey& journey = arm_.journeys[j];
      JourneyState& js = state(hcp, j);
      if (js.status == Status::awaiting_trigger && journey.entry.trigger &&
          matches(*journey.entry.trigger, event)) {
        start(hcp, j, tomorrow);
        continue;
      }
      if (js.status != Status::active || js.step == kNoStep) continue;
      const Step& step = journey.steps[static_cast<std::size_t>(js.step)];
      if (step.kind == Step::Kind::wait_until && js.deadline != kNever &&
          matches(step.until, event)) {
        js.step = step.next;
        js.deadline = kNever;
        js.wake = tomorrow;
      }
    }
    next_wake_[hcp] = std::min(next_wake_[hcp], tomorrow);
  }

  // ---- touches ------------------------------------------------------------------------

  bool capped(std::uint32_t hcp, std::uint16_t channel, std::uint32_t day) const {
    const std::size_t base = static_cast<std::size_t>(hcp) * cap_log_length_;
    for (const FrequencyCap& cap : scenario_.caps) {
      if (cap.channel != kAnyChannel && cap.channel != channel) continue;  // Another channel's cap.
      std::uint32_t count = 0;
      for (std::size_t k = 0; k < cap_log_length_; ++k) {
        const std::uint16_t touched = touch_days_[base + k];
        if (touched == kNever || touched + cap.window_days <= day) continue;
        if (cap.channel == kAnyChannel || cap.channel == touch_channels_[base + k]) ++count;
      }
      if (count >= cap.max_touches) return true;
    }
    return false;
  }

  void remember_touch(std::uint32_t hcp, std::uint16_t channel, std::uint32_t day) {
    const std::size_t slot = touch_cursor_[hcp]++ % cap_log_length_;
    touch_days_[static_cast<std::size_t>(hcp) * cap_log_length_ + slot] =
        static_cast<std::uint16_t>(day);
    touch_channels_[static_cast<std::size_t>(hcp) * cap_log_length_ + slot] =
        static_cast<std::int8_t>(channel);
  }

  // key names the touch: the sending step (journey name and step id), and for
  // a field-force visit also the day it was suggested. Its reach, engagement,
  // call note and opt-out draws are keyed by it, so the same touch draws the
  // same numbers in every arm (docs/engine.md, Random numbers).
  void deliver(std::uint32_t hcp, const Action& action, std::uint32_t day, std::uint32_t journey,
               std::uint64_t key, BlockOutput& out) {
    const agents::Channel& channel = scenario_.catalogue.channels[action.channel];
    const agents::ContentItem& content = scenario_.catalogue.content[action.content];
    ChannelTotals& totals = channel_totals(action.channel);
    const bool opted = ((opted_out_[hcp] >> action.channel) & 1U) != 0;
    if (opted || !population_.reachable(hcp, action.channel, channel) ||
        capped(hcp, action.channel, day)) {
      count_suppressed(totals);
      if (tracing(hcp)) {
        trace(day, fmt::format("{} with '{}' was not sent: {}", channel.name, content.name,
                               opted ? "opted out of this channel"
                               : !population_.reachable(hcp, action.channel, channel)
                                   ? "no consent or not a known HCP"
                                   : "a frequency cap"));
      }
      return;
    }
    remember_touch(hcp, action.channel, day);
    fatigue_[hcp] = agents::decayed_fatigue(model_, fatigue_[hcp], day - fatigue_day_[hcp]);
    fatigue_day_[hcp] = static_cast<std::uint16_t>(day);
    const float fatigue_before = fatigue_[hcp];
    fatigue_[hcp] += static_cast<float>(channel.fatigue_weight);
    ++touches_[hcp];
    cost_[hcp] += static_cast<float>(channel.cost);
    add(totals.sent, 1);
    const bool received =
        agents::named_uniform(stream(hcp, Purpose::reach), day, key) < channel.reach;
    std::string story;
    if (!received) {
      if (tracing(hcp))
        trace(day,
              fmt::format("{} with '{}' was sent but not received", channel.name, content.name));
      maybe_opt_out(hcp, action.channel, day, key, totals);
      return;
    }
    add(totals.delivered, 1);
    log_event(hcp, {static_cast<std::uint16_t>(day), EventKind::delivered,
                    static_cast<std::int8_t>(action.channel),
                    static_cast<std::uint16_t>(action.content), Barrier::knowledge});
    const double p = agents::engagement_probability(
        model_, channel, population_.channel_affinity(hcp, action.channel), fatigue_before,
        barriers_[hcp], content);
    const bool engaged = agents::named_uniform(stream(hcp, Purpose::engage), day, key) < p;
    if (!engaged) {
      if (tracing(hcp)) {
        trace(day, fmt::format("{} with '{}' (journey {}) was received but not engaged with "
                               "(chance {:.0f}%, fatigue {:.1f})",
                               channel.name, content.name, arm_.journeys[journey].name, 100 * p,
                               fatigue_before));
      }
      maybe_opt_out(hcp, action.channel, day, key, totals);
      return;
    }
    engage(hcp, action, day, journey, key, p, totals, out);
    maybe_opt_out(hcp, action.channel, day, key, totals);
  }

  void engage(std::uint32_t hcp, const Action& action, std::uint32_t day, std::uint32_t journey,
              std::uint64_t key, double p, ChannelTotals& totals, BlockOutput& out) {
    const agents::Channel& channel = scenario_.catalogue.channels[action.channel];
    const agents::ContentItem& content = scenario_.catalogue.content[action.content];
    ++engagements_[hcp];
    add(totals.engaged, 1);
    const auto day16 = static_cast<std::uint16_t>(day);
    const auto channel8 = static_cast<std::int8_t>(action.channel);
    const auto content16 = static_cast<std::uint16_t>(action.content);
    log_event(hcp, {day16, EventKind::engaged, channel8, content16, Barrier::knowledge});
    const double depth = agents::engagement_depth(model_, barriers_[hcp], content);
    const BarrierVector before = barriers_[hcp];
    agents::apply_content(model_, content, depth, barriers_[hcp]);
    if (stage_[hcp] == Stage::unaware) {
      // Engaging with content about the product makes an HCP aware of it.
      change_stage(hcp, Stage::aware, day, out);
    }
    refresh_gate(hcp);
    const bool consumed = depth >= model_.engagement.consumed_depth;
    if (consumed) {
      add(totals.consumed, 1);
      log_event(hcp, {day16, EventKind::consumed, channel8, content16, Barrier::knowledge});
      log_event(hcp,
                {day16, EventKind::signal, channel8, content16, agents::barrier_aimed_at(content)});
    }
    if (channel.capacity_per_week > 0.0)
      log_event(hcp, {day16, EventKind::rep_note, channel8, content16, rep_note(hcp, day, key)});
    if (tracing(hcp))
      trace_engagement(hcp, day, channel, content, journey, p, depth, consumed, before);
  }

  // A call note names the HCP's strongest current barrier with probability
  // rep_note_accuracy, otherwise one of the other six at random.
  Barrier rep_note(std::uint32_t hcp, std::uint32_t day, std::uint64_t key) const {
    const BarrierVector& b = barriers_[hcp];
    const auto truth = static_cast<int>(std::max_element(b.begin(), b.end()) - b.begin());
    const double u = agents::named_uniform(stream(hcp, Purpose::rep_note), day, key);
    const double accuracy = scenario_.observation.rep_note_accuracy;
    if (u < accuracy) return static_cast<Barrier>(truth);
    const int other =
        static_cast<int>((u - accuracy) / (1.0 - accuracy) * (agents::kBarrierCount - 1));
    return static_cast<Barrier>((truth + 1 + std::min(other, agents::kBarrierCount - 2)) %
                                agents::kBarrierCount);
  }

  void maybe_opt_out(std::uint32_t hcp, std::uint16_t channel, std::uint32_t day, std::uint64_t key,
                     ChannelTotals& totals) {
    if (fatigue_[hcp] <= model_.fatigue.opt_out_threshold) return;
    if (agents::named_uniform(stream(hcp, Purpose::opt_out), day, key) >=
        model_.fatigue.opt_out_probability)
      return;
    opted_out_[hcp] |= 1U << channel;
    add(totals.opt_outs, 1);
    if (tracing(hcp)) {
      trace(day, fmt::format("opted out of {} (fatigue {:.1f} above {:.1f})",
                             scenario_.catalogue.channels[channel].name, fatigue_[hcp],
                             model_.fatigue.opt_out_threshold));
    }
  }

  // Channel totals are shared by all blocks: integer counters are atomic
  // (order-independent); cost is derived from the count at the end.
  ChannelTotals& channel_totals(std::uint16_t channel) { return channel_totals_[channel]; }
  static void add(std::uint64_t& counter, std::uint64_t value) {
    std::atomic_ref<std::uint64_t>(counter).fetch_add(value, std::memory_order_relaxed);
  }
  static void count_suppressed(ChannelTotals& totals) { add(totals.suppressed, 1); }

  // ---- results -----------------------------------------------------------------------

  void finish(RunResult& result) {
    result.channels = channel_totals_;
    const auto& channels = scenario_.catalogue.channels;
    for (std::size_t c = 0; c < channels.size(); ++c) {
      result.channels[c].cost = static_cast<double>(result.channels[c].sent) * channels[c].cost;
    }
    result.goals_reached = goals_reached_;
    if (plan_.keep_hcp_outcomes) result.hcps.resize(n_);
    prepare_breakdowns(result);
    for (std::uint32_t hcp = 0; hcp < n_; ++hcp) {
      result.trialists += first_rx_[hcp] >= 0 ? 1 : 0;
      result.adopters += stage_[hcp] >= Stage::adopted ? 1 : 0;
      result.ever_adopted += adoption_day_[hcp] >= 0 ? 1 : 0;
      result.prescriptions += prescriptions_[hcp];
      if (plan_.keep_hcp_outcomes) result.hcps[hcp] = outcome(hcp);
      tally(hcp, result);
    }
  }

  void prepare_breakdowns(RunResult& result) const {
    result.segments[static_cast<std::size_t>(SegmentDimension::dominant_barrier)].resize(
        agents::kBarrierCount);
    result.segments[static_cast<std::size_t>(SegmentDimension::specialty)].resize(
        scenario_.population.specialties.size());
    result.segments[static_cast<std::size_t>(SegmentDimension::entry_stage)].resize(
        agents::kStageCount);
    result.segments[static_cast<std::size_t>(SegmentDimension::opinion_leader)].resize(2);
    result.friction.assign(agents::kStageCount * (agents::kBarrierCount + 1), 0);
    result.first_prescriptions_by_day.assign(scenario_.horizon_days + 1, 0);
  }

  // Adds one HCP to the segment tallies, stage reach, friction map and
  // time-to-first-prescription counts.
  void tally(std::uint32_t hcp, RunResult& result) const {
    const std::array<std::size_t, kSegmentDimensions> values = {
        static_cast<std::size_t>(population_.dominant_barrier(hcp)), population_.specialty[hcp],
        static_cast<std::size_t>(population_.start_stage[hcp]), population_.opinion_leader[hcp]};
    for (std::size_t d = 0; d < kSegmentDimensions; ++d) {
      SegmentTally& t = result.segments[d][values[d]];
      ++t.hcps;
      t.at_risk += at_risk(hcp) ? 1 : 0;
      t.trialists += first_rx_[hcp] >= 0 ? 1 : 0;
      t.adopters += stage_[hcp] >= Stage::adopted ? 1 : 0;
      t.prescriptions += prescriptions_[hcp];
    }
    for (int s = 0; s <= static_cast<int>(max_stage_[hcp]); ++s) ++result.reached[s];
    if (stage_[hcp] < Stage::adopted) {
      result.friction[static_cast<std::size_t>(stage_[hcp]) * (agents::kBarrierCount + 1) +
                      holding_barrier(hcp)]++;
    }
    if (at_risk(hcp)) {
      ++result.at_risk;
      if (first_rx_[hcp] >= 0)
        ++result.first_prescriptions_by_day[static_cast<std::size_t>(first_rx_[hcp])];
    }
  }

  // 0 if no barrier gates the HCP's next move, else 1 + the barrier whose
  // factor (1 - b)^w cuts the hazard most.
  std::size_t holding_barrier(std::uint32_t hcp) const {
    const auto& weights = model_.hazards[static_cast<std::size_t>(stage_[hcp])].gate_weights;
    std::size_t holder = 0;
    double strongest = 0.0;
    for (int b = 0; b < agents::kBarrierCount; ++b) {
      const double cut = -weights[b] * std::log1p(-std::min(0.999999, double{barriers_[hcp][b]}));
      if (cut > strongest) {
        strongest = cut;
        holder = static_cast<std::size_t>(b) + 1;
      }
    }
    return holder;
  }

  HcpOutcome outcome(std::uint32_t hcp) const {
    HcpOutcome o;
    o.first_prescription_day = first_rx_[hcp];
    o.adoption_day = adoption_day_[hcp];
    o.start_stage = population_.start_stage[hcp];
    o.final_stage = stage_[hcp];
    const BarrierVector& b = barriers_[hcp];
    o.final_dominant_barrier =
        static_cast<Barrier>(std::max_element(b.begin(), b.end()) - b.begin());
    o.prescriptions = prescriptions_[hcp];
    o.cost = cost_[hcp];
    o.touches = touches_[hcp];
    o.engagements = engagements_[hcp];
    o.opt_outs = static_cast<std::uint16_t>(std::popcount(opted_out_[hcp]));
    for (std::size_t j = 0; j < arm_.journeys.size(); ++j) {
      o.held_out = o.held_out ||
                   journeys_[static_cast<std::size_t>(hcp) * arm_.journeys.size() + j].status ==
                       Status::held_out;
    }
    return o;
  }

  // ---- trace ----------------------------------------------------------------------------

  bool tracing(std::uint32_t hcp) const {
    return sink_ != nullptr && traced_ == static_cast<std::int64_t>(hcp);
  }
  void trace(std::uint32_t day, std::string text) const { (*sink_)({day, std::move(text)}); }

  void trace_engagement(std::uint32_t hcp, std::uint32_t day, const agents::Channel& channel,
                        const agents::ContentItem& content, std::uint32_t journey, double p,
                        double depth, bool consumed, const BarrierVector& before) const {
    std::string moved;
    for (int b = 0; b < agents::kBarrierCount; ++b) {
      if (std::abs(before[b] - barriers_[hcp][b]) >= 0.005F) {
        moved += fmt::format("{}{} {:.2f} -> {:.2f}", moved.empty() ? "" : ", ",
                             agents::barrier_name(static_cast<Barrier>(b)), before[b],
                             barriers_[hcp][b]);
      }
    }
    trace(day,
          fmt::format("{} with '{}' (journey {}): engaged (chance {:.0f}%), took in {:.0f}%{}; {}",
                      channel.name, content.name, arm_.journeys[journey].name, 100 * p, 100 * depth,
                      consumed ? " (counts as consumed)" : "",
                      moved.empty()
                          ? "no barrier moved: the content answers a barrier this HCP does not have"
                          : "barriers moved: " + moved));
  }

  void trace_stage(std::uint32_t hcp, std::uint32_t day, Stage from, Stage to) const {
    trace(day,
          fmt::format("moved from {} to {}{}", agents::stage_name(from), agents::stage_name(to),
                      to < from ? " (lapsed: workflow or access got in the way)" : ""));
    (void)hcp;
  }

  void trace_week(std::uint32_t hcp, std::uint32_t day, double share) const {
    const Stage stage = stage_[hcp];
    if (stage == Stage::advocate) return;
    const auto& hazard = model_.hazards[static_cast<std::size_t>(stage)];
    std::string gates;
    for (int b = 0; b < agents::kBarrierCount; ++b) {
      const double w = hazard.gate_weights[b];
      if (w <= 0.0) continue;
      gates += fmt::format("{}{} {:.2f} (keeps {:.0f}%)", gates.empty() ? "" : ", ",
                           agents::barrier_name(static_cast<Barrier>(b)), barriers_[hcp][b],
                           100.0 * std::pow(1.0 - barriers_[hcp][b], w));
    }
    const double rate = hazard.base * gate_[hcp] + hazard.contagion * share;
    const std::string lapse =
        stage == Stage::trialing
            ? fmt::format(
                  "; risk of lapsing back to considering in a week {:.1f}%",
                  100.0 * (1.0 - std::exp(-7.0 * agents::lapse_hazard(model_, barriers_[hcp]))))
            : std::string();
    trace(day, fmt::format("week review: still {}; chance of moving on in a week {:.1f}%; held by "
                           "{}; {:.0f}% of weighted peers prescribe{}",
                           agents::stage_name(stage), 100.0 * (1.0 - std::exp(-7.0 * rate)),
                           gates.empty() ? "no barrier" : gates, 100.0 * share, lapse));
  }

  const Scenario& scenario_;
  const agents::ModelParams& model_;
  const agents::Population& population_;
  const agents::PeerNetwork& network_;
  RunPlan plan_;
  const Arm& arm_;
  std::uint32_t n_;
  std::int64_t traced_;
  const TraceSink* sink_;

  std::vector<Stage> stage_;
  std::vector<Stage> previous_stage_;
  std::vector<Stage> max_stage_;
  std::vector<std::uint16_t> stage_changed_;
  std::vector<BarrierVector> barriers_;
  std::vector<float> gate_;
  std::vector<float> fatigue_;
  std::vector<std::uint16_t> fatigue_day_;
  std::vector<std::uint32_t> opted_out_;
  std::vector<float> up_hazard_sum_;
  std::vector<float> up_threshold_;
  std::vector<float> lapse_hazard_sum_;
  std::vector<float> lapse_threshold_;
  std::vector<std::uint32_t> moves_;
  std::vector<std::int32_t> first_rx_;
  std::vector<std::int32_t> adoption_day_;
  std::vector<float> prescriptions_;
  std::vector<float> cost_;
  std::vector<std::uint16_t> touches_;
  std::vector<std::uint16_t> engagements_;
  std::vector<LoggedEvent> events_;
  std::vector<std::uint32_t> event_cursor_;
  std::size_t cap_log_length_ = 1;
  std::vector<std::uint16_t> touch_days_;
  std::vector<std::int8_t> touch_channels_;
  std::vector<std::uint32_t> touch_cursor_;
  std::vector<JourneyState> journeys_;
  std::vector<std::uint16_t> next_wake_;
  std::vector<std::uint64_t> journey_keys_;            // name_key of each journey.
  std::vector<std::vector<std::uint64_t>> step_keys_;  // Per journey and step.
  std::vector<std::int64_t> adopter_weight_;
  std::vector<std::int64_t> total_weight_;
  std::vector<float> peer_factor_;
  std::vector<ChannelTotals> channel_totals_;
  std::vector<Suggestion> pending_;
  std::vector<Suggestion> pending_new_;
  std::vector<std::uint32_t> changes_;  // HCPs that crossed the adopter stage today.
  std::vector<double> budget_;
  std::uint64_t goals_reached_ = 0;
};

}  // namespace

RunResult run_arm(const Scenario& scenario, const agents::Population& population,
                  const agents::PeerNetwork& network, const RunPlan& plan,
                  const std::atomic<bool>* cancel) {
  Run run(scenario, population, network, plan, -1, nullptr);
  return run.execute(cancel);
}

RunResult trace_arm(const Scenario& scenario, const agents::Population& population,
                    const agents::PeerNetwork& network, const RunPlan& plan, std::uint32_t hcp,
                    const TraceSink& sink) {
  Run run(scenario, population, network, plan, hcp, &sink);
  return run.execute(nullptr);
}

}  // namespace journeysim::sim
