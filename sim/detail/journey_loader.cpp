#include "sim/detail/journey_loader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "agents/input_error.hpp"

namespace journeysim::sim::detail {
namespace {

using agents::InputError;

// Longest wait, timeout or window a journey may name: a century of days.
constexpr std::int64_t kMaxDays = 100 * 365;
// The reserved step name that ends the journey in next, on_timeout and else.
constexpr std::string_view kExit = "exit";

std::size_t line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? static_cast<std::size_t>(mark.line) + 1 : 0;
}

std::string join(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// A YAML node of a journey file or the manifest, with what messages need: the
// file, the line where it is written (a key's own line, not its value's), and
// its field name "SCOPE: PATH", where scope is "journey NAME" or
// "journey NAME, step ID" and path is dotted ("send.content", "split[2].next").
class Located {
 public:
  Located(YAML::Node node, std::string file, std::string scope, std::string path, std::size_t line)
      : node_(std::move(node)),
        file_(std::move(file)),
        scope_(std::move(scope)),
        path_(std::move(path)),
        line_(line) {}

  bool present() const { return node_.IsDefined() && !node_.IsNull(); }
  bool is_map() const { return node_.IsMap(); }
  bool is_scalar() const { return node_.IsScalar(); }
  std::size_t line() const noexcept { return line_; }

  std::string field() const {
    if (scope_.empty()) return path_;
    return path_.empty() ? scope_ : scope_ + ": " + path_;
  }
  agents::InputLocation where() const { return {file_, line_, field()}; }
  [[noreturn]] void fail(const std::string& message) const { throw InputError(where(), message); }

  // The same node seen from a new scope (a step), with an empty path.
  Located rescoped(std::string scope) const { return {node_, file_, std::move(scope), "", line_}; }

  // The value of key, located at the key's line; absent keys sit at this node's line.
  Located child(std::string_view key) const {
    const std::string path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    if (node_.IsMap()) {
      for (const auto& entry : node_) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key) {
          return {entry.second, file_, scope_, path, line_of(entry.first)};
        }
      }
    }
    return {YAML::Node(YAML::NodeType::Undefined), file_, scope_, path, line_};
  }
  bool has(std::string_view key) const { return child(key).present(); }

  // Checks this is a mapping of 'key: value' lines with no key given twice.
  void expect_map() const {
    if (!node_.IsMap()) fail("expected a mapping of 'key: value' entries");
    std::set<std::string> seen;
    for (const auto& entry : node_) {
      const std::string key = entry.first.Scalar();
      if (!seen.insert(key).second) {
        // child(key) would find the first of the two: name the repeat's own line.
        const std::string path = path_.empty() ? key : path_ + "." + key;
        Located(entry.second, file_, scope_, path, line_of(entry.first)).fail("field listed twice");
      }
    }
  }

  // The keys of a mapping, in file order.
  std::vector<std::string> keys() const {
    std::vector<std::string> names;
    if (!node_.IsMap()) return names;
    for (const auto& entry : node_) names.push_back(entry.first.Scalar());
    return names;
  }

  // Throws, naming the key, for any key not in allowed.
  void reject_unknown(const std::vector<std::string_view>& allowed) const {
    for (const std::string& key : keys()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        child(key).fail(
            fmt::format("unknown field '{}'; expected one of: {}", key, fmt::join(allowed, ", ")));
      }
    }
  }

  // The items of a list; a scalar is accepted as a list of one when one_is_a_list.
  std::vector<Located> items(bool one_is_a_list = false) const {
    std::vector<Located> result;
    if (one_is_a_list && node_.IsScalar()) {
      result.push_back(*this);
      return result;
    }
    if (!node_.IsSequence()) fail("expected a list, such as [a, b] or lines starting with '- '");
    for (std::size_t i = 0; i < node_.size(); ++i) {
      const YAML::Node item = node_[i];
      const std::size_t line = line_of(item);
      result.push_back({item, file_, scope_, fmt::format("{}[{}]", path_, i), line ? line : line_});
    }
    return result;
  }

  std::string text() const {
    if (!present()) fail("is required");
    if (!node_.IsScalar()) fail("expected a single text value");
    return node_.Scalar();
  }

  double number() const {
    double value = 0.0;
    if (!present()) fail("is required");
    if (!node_.IsScalar() || !YAML::convert<double>::decode(node_, value) ||
        !std::isfinite(value)) {
      fail(fmt::format("expected a number, found '{}'",
                       node_.IsScalar() ? node_.Scalar() : std::string("a list or mapping")));
    }
    return value;
  }

  // A whole number in [min, max]; unit names what it counts, for the message.
  std::int64_t whole(std::int64_t min, std::int64_t max, std::string_view unit) const {
    const double value = number();
    if (value != std::floor(value) || value < static_cast<double>(min) ||
        value > static_cast<double>(max)) {
      fail(fmt::format("expected a whole number of {} in [{}, {}], found {}", unit, min, max,
                       node_.Scalar()));
    }
    return static_cast<std::int64_t>(value);
  }

  bool flag() const {
    bool value = false;
    if (!present()) fail("is required");
    if (!node_.IsScalar() || !YAML::convert<bool>::decode(node_, value)) {
      fail(fmt::format("expected true or false, found '{}'",
                       node_.IsScalar() ? node_.Scalar() : std::string("a list or mapping")));
    }
    return value;
  }

 private:
  YAML::Node node_;
  std::string file_;
  std::string scope_;
  std::string path_;
  std::size_t line_ = 0;
};

// Condition keys, by where they may appear.
enum class ConditionUse { filter, when, exit_when };

const std::vector<std::string_view> kAttributeKeys = {"specialty",    "practice_setting", "region",
                                                      "career_stage", "opinion_leader",   "known"};
const std::vector<std::string_view> kFilterKeys = {
    "specialty", "practice_setting", "region",         "career_stage", "opinion_leader",
    "known",     "stage_at_most",    "stage_at_least", "opted_out"};
const std::vector<std::string_view> kConditionKeys = {
    "specialty", "practice_setting", "region",         "career_stage",  "opinion_leader",
    "known",     "stage_at_most",    "stage_at_least", "signal",        "rep_note",
    "engaged",   "consumed",         "delivered",      "stage_reached", "opted_out"};

// True for keys that look like an attempt to read a hidden barrier strength.
bool names_hidden_barrier(std::string_view key) {
  if (key.find("barrier") != std::string_view::npos) return true;
  for (const agents::Barrier barrier : agents::kAllBarriers) {
    const std::string_view name = agents::barrier_name(barrier);
    if (key == name || (key.size() > name.size() && key.substr(0, name.size()) == name &&
                        key[name.size()] == '_')) {
      return true;
    }
  }
  return false;
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
  if (name == "delivered") return EventKind::delivered;
  if (name == "engaged" || name == "opened" || name == "attended") return EventKind::engaged;
  if (name == "consumed" || name == "clicked") return EventKind::consumed;
  if (name == "stage_reached") return EventKind::stage_reached;
  if (name == "rep_note") return EventKind::rep_note;
  if (name == "signal") return EventKind::signal;
  return std::nullopt;
}

// A transition between steps, for the loop and reachability checks.
struct Transition {
  StepIndex from = 0;
  StepIndex to = 0;
  Located at;          // The field that names the target (or the step, for a default).
  bool waits = false;  // Taking it costs at least one day.
};

using StepGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_index_t, std::size_t>>;
using GraphVertex = boost::graph_traits<StepGraph>::vertex_descriptor;
using GraphEdge = boost::graph_traits<StepGraph>::edge_descriptor;

// Records the DFS tree and the first back edge: a back edge closes a cycle.
class CycleFinder : public boost::default_dfs_visitor {
 public:
  CycleFinder(std::vector<GraphVertex>& parent, std::optional<std::size_t>& back_edge)
      : parent_(&parent), back_edge_(&back_edge) {}
  void tree_edge(GraphEdge edge, const StepGraph& graph) const {
    (*parent_)[boost::target(edge, graph)] = boost::source(edge, graph);
  }
  void back_edge(GraphEdge edge, const StepGraph& graph) const {
    if (!*back_edge_) *back_edge_ = boost::get(boost::edge_index, graph, edge);
  }

 private:
  std::vector<GraphVertex>* parent_;
  std::optional<std::size_t>* back_edge_;
};

class JourneyParser {
 public:
  JourneyParser(const std::filesystem::path& file, const JourneyContext& context)
      : context_(context), file_(file.string()) {
    const std::filesystem::path relative = file.lexically_relative(context.folder);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    display_ = inside ? relative.generic_string() : file.generic_string();
  }

  Journey parse(const Located& top, std::vector<std::string>& warnings) {
    top.expect_map();
    const Located name = top.child("journey");
    if (!name.present()) name.fail("is required: the journey's name");
    journey_.name = name.text();
    if (journey_.name.empty()) name.fail("the journey's name cannot be empty");
    journey_.file = file_;
    scope_ = "journey " + journey_.name;
    const Located root = top.rescoped(scope_);
    root.reject_unknown({"journey", "description", "entry", "holdout", "timeout_days", "goal",
                         "exit_when", "start", "steps"});
    if (root.has("description")) journey_.description = root.child("description").text();
    read_entry(root.child("entry"));
    read_holdout(root.child("holdout"));
    if (root.has("timeout_days")) {
      journey_.timeout_days =
          static_cast<std::uint32_t>(root.child("timeout_days").whole(0, kMaxDays, "days"));
    }
    read_goal(root.child("goal"));
    if (root.has("exit_when")) {
      for (const Located& item : root.child("exit_when").items()) read_exit_condition(item);
    }
    read_steps(root.child("steps"));
    if (root.has("start")) {
      const Located start = root.child("start");
      if (start.text() == kExit) start.fail("must name a step, not exit");
      journey_.start = resolve(start);
    }
    check_loops();
    warn_unreachable(warnings);
    return std::move(journey_);
  }

 private:
  // ---- names ---------------------------------------------------------------

  std::uint16_t channel(const Located& value) const {
    const std::string name = value.text();
    if (const auto index = context_.catalogue.channel_index(name)) return *index;
    std::vector<std::string> known;
    for (const auto& item : context_.catalogue.channels) known.push_back(item.name);
    value.fail(
        fmt::format("unknown channel '{}'; the scenario's channels are: {}", name, join(known)));
  }

  std::uint32_t content(const Located& value) const {
    const std::string name = value.text();
    if (const auto index = context_.catalogue.content_index(name)) return *index;
    std::vector<std::string> known;
    for (const auto& item : context_.catalogue.content) known.push_back(item.name);
    value.fail(
        fmt::format("unknown content item '{}'; the scenario's content is: {}", name, join(known)));
  }

  // Throws at the content field if the content table does not allow it on the channel.
  void check_allowed(std::uint16_t channel_index, std::uint32_t content_index,
                     const Located& at) const {
    const agents::ContentItem& item = context_.catalogue.content[content_index];
    if (std::find(item.allowed_channels.begin(), item.allowed_channels.end(), channel_index) !=
        item.allowed_channels.end()) {
      return;
    }
    std::vector<std::string> allowed;
    for (const std::uint16_t c : item.allowed_channels) {
      allowed.push_back(context_.catalogue.channels[c].name);
    }
    at.fail(fmt::format(
        "content '{}' is not allowed on channel '{}'; the content table allows it on: {}",
        item.name, context_.catalogue.channels[channel_index].name, join(allowed)));
  }

  static agents::Stage stage(const Located& value) {
    const std::string name = value.text();
    if (const auto parsed = agents::parse_stage(name)) return *parsed;
    value.fail(
        fmt::format("unknown stage '{}'; expected one of: unaware, aware, considering, "
                    "trialing, adopted, advocate",
                    name));
  }

  static agents::Barrier barrier(const Located& value) {
    const std::string name = value.text();
    if (const auto parsed = agents::parse_barrier(name)) return *parsed;
    value.fail(
        fmt::format("unknown barrier '{}'; expected one of: knowledge, relevance, peer, "
                    "workflow, access, time, trust",
                    name));
  }

  // The names an attribute's values are resolved against.
  std::vector<std::string> attribute_names(Attribute attribute) const {
    const agents::PopulationSpec& population = context_.population;
    std::vector<std::string> names;
    switch (attribute) {
      case Attribute::specialty:
        names = population.specialties;
        break;
      case Attribute::practice_setting:
        for (const auto& item : population.practice_settings) names.push_back(item.name);
        break;
      case Attribute::region:
        for (const auto& item : population.regions) names.push_back(item.name);
        break;
      case Attribute::career_stage:
        for (const auto& item : population.career_stages) names.push_back(item.name);
        break;
      case Attribute::opinion_leader:
      case Attribute::known:
        break;
    }
    return names;
  }

  // ---- conditions ----------------------------------------------------------

  Condition attribute_condition(Attribute attribute, std::string_view key,
                                const Located& value) const {
    Condition result;
    result.kind = Condition::Kind::attribute_in;
    result.attribute = attribute;
    result.line = value.line();
    if (attribute == Attribute::opinion_leader || attribute == Attribute::known) {
      result.values.push_back(value.flag() ? 1 : 0);
      return result;
    }
    const std::vector<std::string> names = attribute_names(attribute);
    const std::vector<Located> items = value.items(/*one_is_a_list=*/true);
    if (items.empty()) value.fail("expected at least one value");
    for (const Located& item : items) {
      const std::string name = item.text();
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        item.fail(fmt::format("unknown {} '{}'; the scenario has: {}", key, name, join(names)));
      }
      const auto index = static_cast<std::uint16_t>(it - names.begin());
      if (std::find(result.values.begin(), result.values.end(), index) == result.values.end()) {
        result.values.push_back(index);
      }
    }
    return result;
  }

  // engaged|consumed|delivered: CONTENT or {count, within_days, channel, content};
  // signal|rep_note: BARRIER or {barrier, count | latest, within_days, channel};
  // stage_reached: STAGE.
  Condition event_condition(EventKind kind, const Located& value) const {
    Condition result;
    result.kind = Condition::Kind::event_count;
    result.line = value.line();
    result.event.kind = kind;
    const bool barrier_event = kind == EventKind::signal || kind == EventKind::rep_note;
    if (kind == EventKind::stage_reached) {
      result.event.stage = stage(value);
      return result;
    }
    if (value.is_scalar()) {
      if (barrier_event) {
        result.event.barrier = barrier(value);
      } else {
        result.event.content = content(value);
      }
      return result;
    }
    value.expect_map();
    if (barrier_event) {
      value.reject_unknown({"barrier", "count", "within_days", "channel", "latest"});
      result.event.barrier = barrier(value.child("barrier"));
      if (value.has("latest")) {
        result.latest = value.child("latest").flag();
        if (result.latest && value.has("count")) {
          value.child("count").fail(
              "latest: true asks about the most recent event only; drop count");
        }
      }
    } else {
      value.reject_unknown({"count", "within_days", "channel", "content"});
    }
    if (value.has("count")) {
      result.count = static_cast<std::uint32_t>(value.child("count").whole(1, 1'000'000, "events"));
    }
    if (value.has("within_days")) {
      result.within_days =
          static_cast<std::uint32_t>(value.child("within_days").whole(0, kMaxDays, "days"));
    }
    if (value.has("channel")) result.event.channel = channel(value.child("channel"));
    if (value.has("content")) {
      result.event.content = content(value.child("content"));
      if (result.event.channel != kAnyChannel) {
        check_allowed(static_cast<std::uint16_t>(result.event.channel), *result.event.content,
                      value.child("content"));
      }
    }
    return result;
  }

  Condition condition(const std::string& key, const Located& value, ConditionUse use) const {
    const std::vector<std::string_view>& allowed =
        use == ConditionUse::filter ? kFilterKeys : kConditionKeys;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      if (names_hidden_barrier(key)) {
        value.fail(fmt::format(
            "unknown condition '{}': journeys may only use observable signals, never the hidden "
            "barrier strengths; use signal: BARRIER (content consumed) or rep_note: BARRIER (a "
            "rep's call note)",
            key));
      }
      if (use == ConditionUse::filter &&
          std::find(kConditionKeys.begin(), kConditionKeys.end(), key) != kConditionKeys.end()) {
        value.fail(fmt::format(
            "'{}' cannot be an entry filter: a filter tests CRM attributes, observed stage and "
            "opt-outs; to enter when something happens, use entry.trigger",
            key));
      }
      value.fail(fmt::format("unknown condition '{}'; expected one of: {}", key,
                             fmt::join(allowed, ", ")));
    }
    for (std::size_t a = 0; a < kAttributeKeys.size(); ++a) {
      if (key == kAttributeKeys[a]) {
        return attribute_condition(static_cast<Attribute>(a), key, value);
      }
    }
    Condition result;
    result.line = value.line();
    if (key == "stage_at_most" || key == "stage_at_least") {
      result.kind =
          key == "stage_at_most" ? Condition::Kind::stage_at_most : Condition::Kind::stage_at_least;
      result.stage = stage(value);
      return result;
    }
    if (key == "opted_out") {
      result.kind = Condition::Kind::opted_out;
      result.event.channel = channel(value);
      return result;
    }
    return event_condition(*parse_event_kind(key), value);
  }

  // A mapping of condition keys, all of which must hold.
  std::vector<Condition> conditions(const Located& map, ConditionUse use) const {
    if (!map.present()) map.fail("is required: a mapping of conditions, all of which must hold");
    map.expect_map();
    std::vector<Condition> result;
    for (const std::string& key : map.keys()) result.push_back(condition(key, map.child(key), use));
    if (result.empty()) map.fail("expected at least one condition");
    return result;
  }

  void read_exit_condition(const Located& item) {
    item.expect_map();
    const std::vector<std::string> keys = item.keys();
    if (keys.size() != 1) {
      item.fail(
          fmt::format("each exit_when entry holds one condition (the journey exits when any "
                      "entry holds); found {}: {}",
                      keys.size(), join(keys)));
    }
    journey_.exit_when.push_back(
        condition(keys.front(), item.child(keys.front()), ConditionUse::exit_when));
  }

  // ---- events --------------------------------------------------------------

  // {event, channel, content, stage, barrier}; extra names keys the caller reads.
  EventSpec event(const Located& map, const std::vector<std::string_view>& extra) const {
    map.expect_map();
    std::vector<std::string_view> allowed = {"event", "channel", "content", "stage", "barrier"};
    allowed.insert(allowed.end(), extra.begin(), extra.end());
    map.reject_unknown(allowed);
    const Located name = map.child("event");
    const auto kind = parse_event_kind(name.text());
    if (!kind) {
      name.fail(
          fmt::format("unknown event '{}'; expected one of: delivered, engaged (or opened, "
                      "attended), consumed (or clicked), stage_reached, rep_note, signal",
                      name.text()));
    }
    EventSpec spec;
    spec.kind = *kind;
    const bool content_event = *kind == EventKind::delivered || *kind == EventKind::engaged ||
                               *kind == EventKind::consumed;
    const bool barrier_event = *kind == EventKind::rep_note || *kind == EventKind::signal;
    const std::string event_name = name.text();
    if (*kind == EventKind::stage_reached) {
      if (map.has("channel")) map.child("channel").fail("event stage_reached has no channel");
      spec.stage = stage(map.child("stage"));
    } else if (map.has("stage")) {
      map.child("stage").fail(
          fmt::format("applies only to event stage_reached, not to {}", event_name));
    }
    if (barrier_event) {
      spec.barrier = barrier(map.child("barrier"));
    } else if (map.has("barrier")) {
      map.child("barrier").fail(
          fmt::format("applies only to events rep_note and signal, not to {}", event_name));
    }
    if (map.has("channel")) spec.channel = channel(map.child("channel"));
    if (map.has("content")) {
      if (!content_event) {
        map.child("content").fail(fmt::format(
            "applies only to events delivered, engaged and consumed, not to {}", event_name));
      }
      spec.content = content(map.child("content"));
      if (spec.channel != kAnyChannel) {
        check_allowed(static_cast<std::uint16_t>(spec.channel), *spec.content,
                      map.child("content"));
      }
    }
    return spec;
  }

  // ---- journey-wide fields -------------------------------------------------

  void read_entry(const Located& map) {
    if (!map.present()) return;
    map.expect_map();
    map.reject_unknown({"audience", "filter", "trigger", "re_entry"});
    Entry& entry = journey_.entry;
    if (map.has("audience")) {
      const Located audience = map.child("audience");
      if (audience.text() != "all") {
        audience.fail(
            fmt::format("expected 'all', found '{}'; to narrow the audience, omit "
                        "audience and give a filter",
                        audience.text()));
      }
      if (map.has("filter")) {
        map.child("filter").fail("give audience: all or a filter, not both");
      }
    }
    if (map.has("filter")) entry.filter = conditions(map.child("filter"), ConditionUse::filter);
    if (map.has("trigger")) entry.trigger = event(map.child("trigger"), {});
    if (map.has("re_entry")) {
      const Located re_entry = map.child("re_entry");
      if (re_entry.is_scalar()) {
        const std::string value = re_entry.text();
        if (value == "none") {
          entry.re_entry = Entry::ReEntry::none;
        } else if (value == "after_exit") {
          entry.re_entry = Entry::ReEntry::after_exit;
        } else {
          re_entry.fail(
              fmt::format("expected none, after_exit or {{after_days: N}}, found '{}'", value));
        }
      } else {
        re_entry.expect_map();
        re_entry.reject_unknown({"after_days"});
        entry.re_entry = Entry::ReEntry::after_wait;
        entry.re_entry_wait_days =
            static_cast<std::uint32_t>(re_entry.child("after_days").whole(1, kMaxDays, "days"));
      }
    }
  }

  void read_holdout(const Located& value) {
    if (!value.present()) return;
    const double share = value.number();
    if (share < 0.0 || share >= 1.0) {
      value.fail(fmt::format("expected a share in [0, 1), found {}", share));
    }
    journey_.holdout_share = share;
  }

  void read_goal(const Located& map) {
    if (!map.present()) return;
    map.expect_map();
    map.reject_unknown({"stage", "exit"});
    Goal goal;
    goal.stage = stage(map.child("stage"));
    if (map.has("exit")) goal.exits = map.child("exit").flag();
    journey_.goal = goal;
  }

  // ---- steps ---------------------------------------------------------------

  // A reference to a step in next, on_timeout, else or start: an id, or exit.
  StepIndex resolve(const Located& value) const {
    const std::string id = value.text();
    if (id == kExit) return kNoStep;
    const auto it = ids_.find(id);
    if (it == ids_.end()) {
      std::vector<std::string> known;
      for (const Step& step : journey_.steps) known.push_back(step.id);
      value.fail(fmt::format("no step has id '{}'; the steps are: {} (or exit)", id, join(known)));
    }
    return it->second;
  }

  // Resolves a reference and records the transition it makes.
  StepIndex link(StepIndex from, const Located& value, bool waits) {
    const StepIndex to = resolve(value);
    transitions_.push_back({from, to, value, waits});
    return to;
  }

  // The step's `next`, or by default the following step (exit after the last).
  StepIndex next_of(StepIndex index, const Located& step, bool waits) {
    if (step.has("next")) return link(index, step.child("next"), waits);
    const auto following = static_cast<std::size_t>(index) + 1;
    const StepIndex to = following < step_count_ ? static_cast<StepIndex>(following) : kNoStep;
    transitions_.push_back({index, to, step, waits});
    return to;
  }

  void read_steps(const Located& list) {
    if (!list.present()) list.fail("is required: a list of steps");
    const std::vector<Located> items = list.items();
    if (items.empty()) list.fail("expected at least one step");
    step_count_ = items.size();
    // First pass: ids, so that a step may name one further down.
    for (const Located& item : items) {
      if (!item.is_map()) item.fail("expected a step: a mapping with an id and what it does");
      const Located id = item.child("id");
      if (!id.present()) id.fail("is required: every step needs an id");
      Step step;
      step.id = id.text();
      step.line = item.line();
      if (step.id.empty()) id.fail("a step id cannot be empty");
      if (step.id == kExit) id.fail("'exit' is reserved: next: exit ends the journey");
      const Located scoped = item.rescoped(scope_ + ", step " + step.id);
      scoped.expect_map();
      const auto [it, inserted] =
          ids_.emplace(step.id, static_cast<StepIndex>(journey_.steps.size()));
      if (!inserted) {
        scoped.child("id").fail(
            fmt::format("step id '{}' is used twice (first at line {})", step.id,
                        journey_.steps[static_cast<std::size_t>(it->second)].line));
      }
      journey_.steps.push_back(std::move(step));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      read_step(static_cast<StepIndex>(i),
                items[i].rescoped(scope_ + ", step " + journey_.steps[i].id));
    }
  }

  Action action(const Located& map,
                std::vector<std::string_view> allowed = {"channel", "content"}) const {
    map.expect_map();
    map.reject_unknown(allowed);
    Action result;
    result.channel = channel(map.child("channel"));
    result.content = content(map.child("content"));
    check_allowed(result.channel, result.content, map.child("content"));
    return result;
  }

  void read_step(StepIndex index, const Located& step) {
    static const std::vector<std::string_view> kKinds = {
        "send", "suggest", "wait", "wait_until", "split", "random_split", "policy", "exit"};
    std::vector<std::string> found;
    for (const std::string& key : step.keys()) {
      if (std::find(kKinds.begin(), kKinds.end(), key) != kKinds.end()) found.push_back(key);
    }
    if (found.empty()) {
      step.reject_unknown({"id", "send", "suggest", "wait", "wait_until", "split", "random_split",
                           "policy", "exit", "next", "on_timeout"});
      step.fail(fmt::format("a step needs one of: {}", fmt::join(kKinds, ", ")));
    }
    if (found.size() > 1) {
      step.child(found[1]).fail(
          fmt::format("a step does one thing; found both {} and {}", found[0], found[1]));
    }
    Step& out = journey_.steps[static_cast<std::size_t>(index)];
    const std::string& kind = found.front();
    const Located body = step.child(kind);
    if (kind == "send") {
      step.reject_unknown({"id", "send", "next"});
      out.kind = Step::Kind::send;
      out.action = action(body);
      out.next = next_of(index, step, false);
    } else if (kind == "suggest") {
      step.reject_unknown({"id", "suggest", "next"});
      out.kind = Step::Kind::suggest;
      out.action = action(body, {"channel", "content", "priority", "expires_days"});
      if (body.has("priority")) {
        out.priority = static_cast<std::uint32_t>(body.child("priority").whole(1, 1000, "ranks"));
      }
      if (body.has("expires_days")) {
        out.expires_days =
            static_cast<std::uint32_t>(body.child("expires_days").whole(1, kMaxDays, "days"));
      }
      out.next = next_of(index, step, false);
    } else if (kind == "wait") {
      step.reject_unknown({"id", "wait", "next"});
      out.kind = Step::Kind::wait;
      body.expect_map();
      body.reject_unknown({"days"});
      out.wait_days = static_cast<std::uint32_t>(body.child("days").whole(0, kMaxDays, "days"));
      out.next = next_of(index, step, out.wait_days > 0);
    } else if (kind == "wait_until") {
      step.reject_unknown({"id", "wait_until", "next", "on_timeout"});
      out.kind = Step::Kind::wait_until;
      out.until = event(body, {"timeout_days"});
      out.wait_days =
          static_cast<std::uint32_t>(body.child("timeout_days").whole(0, kMaxDays, "days"));
      // With timeout_days 0 the step can move on the day it is entered.
      const bool waits = out.wait_days > 0;
      out.next = next_of(index, step, waits);
      const Located on_timeout = step.child("on_timeout");
      if (!on_timeout.present()) {
        on_timeout.fail(
            "is required for wait_until: where HCPs go when the event does not "
            "happen in time (a step id, or exit)");
      }
      out.timeout_next = link(index, on_timeout, waits);
    } else if (kind == "split") {
      step.reject_unknown({"id", "split"});
      out.kind = Step::Kind::split;
      read_split(index, body, out);
    } else if (kind == "random_split") {
      step.reject_unknown({"id", "random_split"});
      out.kind = Step::Kind::random_split;
      const std::vector<Located> branches = body.items();
      if (branches.empty()) body.fail("expected at least one {weight, next} branch");
      for (const Located& branch : branches) {
        branch.expect_map();
        branch.reject_unknown({"weight", "next"});
        const Located weight = branch.child("weight");
        const double value = weight.number();
        if (value <= 0.0) weight.fail(fmt::format("a weight must be > 0, found {}", value));
        out.weights.push_back(value);
        const Located target = branch.child("next");
        if (!target.present()) target.fail("is required: the step this branch goes to, or exit");
        out.branches.push_back(link(index, target, false));
      }
    } else if (kind == "policy") {
      step.reject_unknown({"id", "policy", "next"});
      out.kind = Step::Kind::policy;
      read_policy(body, out);
      out.next = next_of(index, step, false);
    } else {
      step.reject_unknown({"id", "exit"});
      out.kind = Step::Kind::exit;
      if (!body.flag()) body.fail("an exit step says exit: true");
    }
  }

  void read_split(StepIndex index, const Located& list, Step& out) {
    const std::vector<Located> rules = list.items();
    for (const Located& rule : rules) {
      rule.expect_map();
      if (out.else_next) rule.fail("else must be the last entry of a split");
      if (rule.has("else")) {
        rule.reject_unknown({"else"});
        out.else_next = link(index, rule.child("else"), false);
        continue;
      }
      rule.reject_unknown({"when", "next", "else"});
      Rule parsed;
      parsed.when = conditions(rule.child("when"), ConditionUse::when);
      const Located target = rule.child("next");
      if (!target.present()) target.fail("is required: the step this rule goes to, or exit");
      parsed.next = link(index, target, false);
      out.rules.push_back(std::move(parsed));
    }
    if (!out.else_next) {
      list.fail(
          "a split needs an else entry, last: `- else: STEP` says where HCPs who match no "
          "rule go (a step id, or exit)");
    }
  }

  // `none` or {channel, content}.
  std::optional<Action> optional_action(const Located& value) const {
    if (value.is_scalar() && value.text() == "none") return std::nullopt;
    if (!value.is_map()) value.fail("expected {channel: NAME, content: NAME} or none");
    return action(value);
  }

  void read_policy(const Located& list, Step& out) {
    bool has_else = false;
    for (const Located& rule : list.items()) {
      rule.expect_map();
      if (has_else) rule.fail("else must be the last entry of a policy");
      if (rule.has("else")) {
        rule.reject_unknown({"else"});
        out.default_action = optional_action(rule.child("else"));
        has_else = true;
        continue;
      }
      rule.reject_unknown({"when", "send", "else"});
      Rule parsed;
      parsed.when = conditions(rule.child("when"), ConditionUse::when);
      const Located send = rule.child("send");
      if (!send.present()) send.fail("is required: {channel, content} to send, or none");
      parsed.action = optional_action(send);
      out.rules.push_back(std::move(parsed));
    }
    if (!has_else) {
      list.fail(
          "a policy needs an else entry, last: `- else: {channel, content}` or "
          "`- else: none` says what HCPs who match no rule get");
    }
  }

  // ---- graph checks --------------------------------------------------------

  // Rejects a loop of steps that an HCP could go round without waiting a day.
  void check_loops() const {
    StepGraph graph(journey_.steps.size());
    for (std::size_t t = 0; t < transitions_.size(); ++t) {
      const Transition& transition = transitions_[t];
      if (transition.waits || transition.to == kNoStep) continue;
      boost::add_edge(static_cast<GraphVertex>(transition.from),
                      static_cast<GraphVertex>(transition.to), t, graph);
    }
    std::vector<GraphVertex> parent(journey_.steps.size());
    std::optional<std::size_t> back_edge;
    boost::depth_first_search(graph, boost::visitor(CycleFinder(parent, back_edge)));
    if (!back_edge) return;
    const Transition& closing = transitions_[*back_edge];
    // The DFS tree path from the loop's head down to the edge's source.
    std::vector<std::string> cycle;
    for (auto v = static_cast<GraphVertex>(closing.from);; v = parent[v]) {
      cycle.push_back(journey_.steps[v].id);
      if (v == static_cast<GraphVertex>(closing.to)) break;
    }
    std::reverse(cycle.begin(), cycle.end());
    cycle.push_back(journey_.steps[static_cast<std::size_t>(closing.to)].id);
    closing.at.fail(fmt::format(
        "steps {} form a loop with no wait: an HCP could go round it forever on one day; put a "
        "wait of days > 0 (or a wait_until with timeout_days > 0) inside the loop",
        fmt::join(cycle, " -> ")));
  }

  void warn_unreachable(std::vector<std::string>& warnings) const {
    std::vector<bool> reached(journey_.steps.size(), false);
    std::vector<StepIndex> stack = {journey_.start};
    reached[static_cast<std::size_t>(journey_.start)] = true;
    while (!stack.empty()) {
      const StepIndex from = stack.back();
      stack.pop_back();
      for (const Transition& transition : transitions_) {
        if (transition.from != from || transition.to == kNoStep) continue;
        if (!reached[static_cast<std::size_t>(transition.to)]) {
          reached[static_cast<std::size_t>(transition.to)] = true;
          stack.push_back(transition.to);
        }
      }
    }
    for (std::size_t i = 0; i < reached.size(); ++i) {
      if (!reached[i]) {
        warnings.push_back(fmt::format("{}: journey {}: step {} is never reached", display_,
                                       journey_.name, journey_.steps[i].id));
      }
    }
  }

  const JourneyContext& context_;
  std::string file_;
  std::string display_;  // The file relative to the manifest's folder, for warnings.
  std::string scope_;    // "journey NAME".
  Journey journey_;
  std::map<std::string, StepIndex, std::less<>> ids_;
  std::size_t step_count_ = 0;
  std::vector<Transition> transitions_;
};

// Loads each journey file once, however many arms name it.
class JourneyFiles {
 public:
  JourneyFiles(const JourneyContext& context, std::vector<std::filesystem::path>& files_read,
               std::vector<std::string>& warnings)
      : context_(context), files_read_(files_read), warnings_(warnings) {}

  const Journey& load(const Located& reference) {
    const std::filesystem::path relative = reference.text();
    const std::filesystem::path file =
        relative.is_absolute() ? relative : context_.folder / relative;
    if (!std::filesystem::is_regular_file(file)) {
      reference.fail(fmt::format("journey file '{}' does not exist", file.string()));
    }
    const std::string key = std::filesystem::weakly_canonical(file).string();
    auto it = loaded_.find(key);
    if (it == loaded_.end()) {
      it = loaded_.emplace(key, load_journey(file, context_, warnings_)).first;
      files_read_.push_back(file);
    }
    return it->second;
  }

 private:
  const JourneyContext& context_;
  std::vector<std::filesystem::path>& files_read_;
  std::vector<std::string>& warnings_;
  std::map<std::string, Journey> loaded_;
};

// Adds a journey to an arm; two journeys of one name in an arm would be indistinguishable.
void add_journey(Arm& arm, const Journey& journey, const Located& reference) {
  for (const Journey& other : arm.journeys) {
    if (other.name == journey.name) {
      reference.fail(fmt::format("arm '{}' already has a journey named '{}' (from {})", arm.name,
                                 journey.name, other.file));
    }
  }
  arm.journeys.push_back(journey);
}

}  // namespace

Journey load_journey(const std::filesystem::path& file, const JourneyContext& context,
                     std::vector<std::string>& warnings) {
  const YamlMap top = YamlMap::load_file(file);
  JourneyParser parser(file, context);
  return parser.parse(Located(top.node(), file.string(), "", "", 1), warnings);
}

std::vector<Arm> read_arms(const YamlMap& top, const JourneyContext& context,
                           std::vector<std::filesystem::path>& files_read,
                           std::vector<std::string>& warnings) {
  const Located root(top.node(), top.file(), "", "", 1);
  const Located arms_list = root.child("arms");
  const Located journeys_list = root.child("journeys");
  if (arms_list.present() && journeys_list.present()) {
    journeys_list.fail(
        "give either arms (each with its journeys) or journeys (one arm per "
        "journey), not both");
  }
  JourneyFiles files(context, files_read, warnings);
  std::vector<Arm> arms;
  if (arms_list.present()) {
    for (const Located& item : arms_list.items()) {
      item.expect_map();
      item.reject_unknown({"name", "description", "journeys"});
      Arm arm;
      const Located name = item.child("name");
      arm.name = name.text();
      if (arm.name.empty()) name.fail("an arm's name cannot be empty");
      for (const Arm& other : arms) {
        if (other.name == arm.name) name.fail(fmt::format("arm name '{}' is used twice", arm.name));
      }
      if (item.has("description")) arm.description = item.child("description").text();
      const Located journeys = item.child("journeys");
      if (!journeys.present()) {
        journeys.fail("is required: a list of journey files, or [] for a no-journey control");
      }
      for (const Located& reference : journeys.items()) {
        add_journey(arm, files.load(reference), reference);
      }
      // The engine runs an arm's journeys in this order each day (who gets a
      // capped slot first, whose touch adds fatigue first). Sorting by name
      // makes results independent of the order the manifest lists them in
      // (docs/journeys.md, Arms).
      std::sort(arm.journeys.begin(), arm.journeys.end(),
                [](const Journey& a, const Journey& b) { return a.name < b.name; });
      arms.push_back(std::move(arm));
    }
  } else if (journeys_list.present()) {
    for (const Located& reference : journeys_list.items()) {
      const Journey& journey = files.load(reference);
      for (const Arm& other : arms) {
        if (other.name == journey.name) {
          reference.fail(fmt::format(
              "two journeys are named '{}'; each entry of journeys: becomes an arm named after "
              "its journey, so names must differ (or use arms:)",
              journey.name));
        }
      }
      Arm arm;
      arm.name = journey.name;
      arm.description = journey.description;
      arm.journeys.push_back(journey);
      arms.push_back(std::move(arm));
    }
  }
  return arms;
}

std::vector<FrequencyCap> read_caps(const YamlMap& top, const agents::ChannelCatalogue& catalogue) {
  const Located root(top.node(), top.file(), "", "", 1);
  const Located list = root.child("caps");
  std::vector<FrequencyCap> caps;
  if (!list.present()) return caps;
  for (const Located& item : list.items()) {
    item.expect_map();
    item.reject_unknown({"channel", "max_touches", "window_days"});
    FrequencyCap cap;
    const Located channel = item.child("channel");
    const std::string name = channel.text();
    if (name != "all") {
      const auto index = catalogue.channel_index(name);
      if (!index) {
        std::vector<std::string> known;
        for (const auto& c : catalogue.channels) known.push_back(c.name);
        channel.fail(
            fmt::format("unknown channel '{}'; expected all or one of: {}", name, join(known)));
      }
      cap.channel = *index;
    }
    cap.max_touches =
        static_cast<std::uint32_t>(item.child("max_touches").whole(0, 1'000'000, "touches"));
    cap.window_days =
        static_cast<std::uint32_t>(item.child("window_days").whole(1, kMaxDays, "days"));
    caps.push_back(cap);
  }
  return caps;
}

}  // namespace journeysim::sim::detail
