#pragma once
// The journey language, as loaded and validated: the form the engine runs.
// The YAML syntax is documented, with an example per construct, in
// docs/journeys.md.
//
// A journey may only look at what a real platform observes (docs/journeys.md,
// What a journey can observe): attributes in the CRM, delivery and engagement
// events, content consumed, rep-call notes (a noisy reading of the dominant
// barrier), the adoption stage as the CRM records it (with a lag), and
// opt-outs. Nothing here can name a hidden barrier strength: the types make
// that impossible.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/stage.hpp"

namespace journeysim::sim {

// Index of a step inside its journey; kNoStep ends the journey (exit).
using StepIndex = std::int32_t;
inline constexpr StepIndex kNoStep = -1;
// Any channel, where a channel index is optional.
inline constexpr std::int32_t kAnyChannel = -1;

// CRM attributes a filter or split may test.
enum class Attribute { specialty, practice_setting, region, career_stage, opinion_leader, known };

// What a wait, trigger or condition can observe happening to an HCP.
enum class EventKind {
  delivered,      // A touch was received (channel reach).
  engaged,        // Opened, attended or clicked through: engagement of any depth.
  consumed,       // Took in most of the content (depth >= consumed_depth).
  stage_reached,  // The CRM's stage reached `stage` (observed with the prescribing lag).
  rep_note,       // A rep or MSL call note named `barrier` as the HCP's concern.
  signal,         // Consumed content whose main effect is on `barrier` (a behavioural signal).
};

// One kind of event, optionally narrowed to a channel, a content item, a
// stage or a barrier (for stage_reached, rep_note and signal).
struct EventSpec {
  EventKind kind = EventKind::engaged;
  std::int32_t channel = kAnyChannel;    // Index into the channel table, or any.
  std::optional<std::uint32_t> content;  // Index into the content library.
  agents::Stage stage = agents::Stage::trialing;
  agents::Barrier barrier = agents::Barrier::knowledge;
};

// One test on what the platform observes. A list of conditions means all of them.
struct Condition {
  enum class Kind {
    attribute_in,    // CRM attribute is one of `values` (indices into the scenario's lists).
    stage_at_most,   // Observed stage <= stage.
    stage_at_least,  // Observed stage >= stage.
    event_count,     // At least `count` events matching `event` in the last `within_days`
                     // days (0 = since the HCP entered the journey).
    opted_out,       // Opted out of `event.channel`.
  };
  Kind kind = Kind::attribute_in;
  Attribute attribute = Attribute::specialty;
  std::vector<std::uint16_t> values;
  agents::Stage stage = agents::Stage::unaware;
  EventSpec event;
  std::uint32_t count = 1;
  std::uint32_t within_days = 0;
  // For signal and rep_note: the condition holds when the most recent such
  // event (on `event.channel` if given) within the window names the barrier,
  // whatever came before it; `count` is then not used.
  bool latest = false;
  std::size_t line = 0;  // In the journey file, for messages.
};

// A send or a rep/MSL suggestion: a content item through a channel.
struct Action {
  std::uint16_t channel = 0;
  std::uint32_t content = 0;
};

// A rule of a split or policy: when all conditions hold, take it.
struct Rule {
  std::vector<Condition> when;
  std::optional<Action> action;  // Policies: what to send. Splits: none.
  StepIndex next = kNoStep;      // Splits: where to go.
};

struct Step {
  enum class Kind {
    send,          // Send action now, then go to next.
    suggest,       // Queue action for the capacity-limited field force (priority, expiry).
    wait,          // Wait wait_days, then go to next.
    wait_until,    // Wait for `until`; next when it happens, timeout_next after timeout_days.
    split,         // First rule that holds; else_next otherwise.
    random_split,  // Pick a branch with probability weight / sum of weights.
    policy,        // Next-best action: first rule that holds sends its action; else default.
    exit,          // Leave the journey.
  };
  std::string id;
  Kind kind = Kind::exit;
  std::size_t line = 0;  // Line of the step in its file.

  Action action;                         // send, suggest.
  std::uint32_t priority = 1;            // suggest: lower is more urgent.
  std::uint32_t expires_days = 14;       // suggest: dropped if not executed by then.
  std::uint32_t wait_days = 0;           // wait; wait_until timeout.
  EventSpec until;                       // wait_until.
  std::vector<Rule> rules;               // split, policy.
  std::optional<StepIndex> else_next;    // split: required. (A policy goes on to next.)
  std::optional<Action> default_action;  // policy: when no rule holds (none = send nothing).
  std::vector<double> weights;           // random_split, one per branch.
  std::vector<StepIndex> branches;       // random_split targets.
  StepIndex next = kNoStep;              // send, suggest, wait, wait_until (event), policy.
  StepIndex timeout_next = kNoStep;      // wait_until after timeout.
};

// Who enters a journey, and when.
struct Entry {
  std::vector<Condition> filter;     // Empty: the whole audience.
  std::optional<EventSpec> trigger;  // Enter when this event happens (else on day 0).
  enum class ReEntry { none, after_exit, after_wait } re_entry = ReEntry::none;
  std::uint32_t re_entry_wait_days = 0;  // after_wait: days after exit before re-entry.
};

// Success: reaching a stage counts as the journey's goal and may end it.
struct Goal {
  agents::Stage stage = agents::Stage::trialing;
  bool exits = true;
};

struct Journey {
  std::string name;
  std::string file;  // The YAML file it came from.
  std::string description;
  Entry entry;
  double holdout_share = 0.0;      // Share of eligible HCPs held out untouched, [0, 1).
  std::uint32_t timeout_days = 0;  // Journey-wide: exit this many days after entry; 0 = none.
  std::optional<Goal> goal;
  std::vector<Condition> exit_when;  // Exit as soon as any one holds (checked daily).
  std::vector<Step> steps;
  StepIndex start = 0;
};

// A frequency cap across all journeys an HCP is in.
struct FrequencyCap {
  std::int32_t channel = kAnyChannel;  // A channel index, or all channels together.
  std::uint32_t max_touches = 0;
  std::uint32_t window_days = 1;  // >= 1.
};

// One arm of the experiment: the journeys an HCP in this arm is exposed to.
// An arm with no journeys is a do-nothing control.
struct Arm {
  std::string name;
  std::string description;
  std::vector<Journey> journeys;
};

}  // namespace journeysim::sim
