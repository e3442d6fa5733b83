// The journey language (sim/journey.hpp, docs/journeys.md): the bundled
// quickstart journeys load into the expected IR, every construct parses, and
// every kind of bad journey throws agents::InputError naming the journey file,
// the line, and the field as "journey NAME, step ID: FIELD".
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

#include "agents/input_error.hpp"
#include "sim/journey.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim::sim {
namespace {

using agents::Barrier;
using agents::InputError;
using agents::Stage;
using testing::ScenarioCopy;

const std::filesystem::path kQuickstart =
    std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart";
const std::string kJourneyFile = "journeys/test.yaml";

// ---- helpers -----------------------------------------------------------------

std::optional<InputError> load_error(const std::filesystem::path& path) {
  try {
    (void)load_scenario(path);
  } catch (const InputError& error) {
    return error;
  }
  return std::nullopt;
}

// Which line holding a text: the first, or the last (for the second of two equal lines).
enum class Occurrence { first, last };

// 1-based number of the first (or last) line of a copied file that contains text.
std::size_t line_of(const ScenarioCopy& copy, const std::string& file, const std::string& text,
                    Occurrence which = Occurrence::first) {
  std::istringstream in(copy.read(file));
  std::size_t found = 0;
  std::size_t number = 1;
  for (std::string line; std::getline(in, line); ++number) {
    if (line.find(text) == std::string::npos) continue;
    found = number;
    if (which == Occurrence::first) break;
  }
  if (found == 0) throw std::runtime_error("test: '" + text + "' not in " + file);
  return found;
}

// Replaces everything from the manifest's `arms:` line on with tail.
void set_manifest_tail(const ScenarioCopy& copy, const std::string& tail) {
  std::string text = copy.read("scenario.yaml");
  const auto at = text.find("\narms:\n");
  if (at == std::string::npos) throw std::runtime_error("test: scenario.yaml has no arms");
  text.erase(at + 1);
  copy.write("scenario.yaml", text + tail);
}

// A copy whose only arm is the journey in journeys/test.yaml.
struct JourneyCopy {
  ScenarioCopy copy;
  explicit JourneyCopy(const std::string& journey) {
    copy.write(kJourneyFile, journey);
    set_manifest_tail(copy, "journeys: [" + kJourneyFile + "]\n");
  }
  std::size_t line(const std::string& text, Occurrence which = Occurrence::first) const {
    return line_of(copy, kJourneyFile, text, which);
  }
  std::optional<InputError> error() const { return load_error(copy.folder()); }
  Scenario load() const { return load_scenario(copy.folder()); }
};

// True if the error names the journey file, the line and the field, in where() and what().
::testing::AssertionResult names(const InputError& error, const std::string& file, std::size_t line,
                                 const std::string& field) {
  const std::string what = error.what();
  const std::string& where = error.where().file;
  if (where.size() < file.size() || where.compare(where.size() - file.size(), file.size(), file)) {
    return ::testing::AssertionFailure() << "file is '" << where << "': " << what;
  }
  if (error.where().line != line) {
    return ::testing::AssertionFailure()
           << "line is " << error.where().line << ", expected " << line << ": " << what;
  }
  if (error.where().field != field) {
    return ::testing::AssertionFailure()
           << "field is '" << error.where().field << "', expected '" << field << "': " << what;
  }
  if (what.find(file + ":" + std::to_string(line) + ": field '" + field + "'") ==
      std::string::npos) {
    return ::testing::AssertionFailure() << "what() lacks the location: " << what;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult says(const InputError& error, const std::string& text) {
  if (error.message().find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message lacks '" << text << "': " << error.what();
}

// Checks that the journey fails at the first line containing at_text, naming field.
::testing::AssertionResult fails_at(const std::string& journey, const std::string& at_text,
                                    const std::string& field, const std::string& message,
                                    Occurrence which = Occurrence::first) {
  const JourneyCopy j(journey);
  const auto error = j.error();
  if (!error) return ::testing::AssertionFailure() << "the journey loaded:\n" << journey;
  const auto located = names(*error, kJourneyFile, j.line(at_text, which), field);
  if (!located) return located;
  return says(*error, message);
}

StepIndex step_index(const Journey& journey, const std::string& id) {
  for (std::size_t i = 0; i < journey.steps.size(); ++i) {
    if (journey.steps[i].id == id) return static_cast<StepIndex>(i);
  }
  throw std::runtime_error("test: no step " + id);
}

const Step& step(const Journey& journey, const std::string& id) {
  return journey.steps[static_cast<std::size_t>(step_index(journey, id))];
}

const Arm& arm(const Scenario& scenario, const std::string& name) {
  for (const Arm& a : scenario.arms) {
    if (a.name == name) return a;
  }
  throw std::runtime_error("test: no arm " + name);
}

std::int32_t channel(const Scenario& scenario, const std::string& name) {
  return *scenario.catalogue.channel_index(name);
}
std::uint32_t content(const Scenario& scenario, const std::string& name) {
  return *scenario.catalogue.content_index(name);
}

// A valid two-step journey to break.
const std::string kBase = R"(journey: t
steps:
  - id: welcome
    send: {channel: email_marketing, content: pivotal_trial_summary}
  - id: pause
    wait: {days: 7}
)";

// ---- the bundled journeys ------------------------------------------------------

TEST(JourneyBundled, QuickstartHasFourArmsCapsAndNoWarnings) {
  const Scenario scenario = load_scenario(kQuickstart);
  ASSERT_EQ(scenario.arms.size(), 4U);
  EXPECT_EQ(scenario.arms[0].name, "business_as_usual");
  EXPECT_EQ(scenario.arms[1].name, "segment_targeted");
  EXPECT_EQ(scenario.arms[2].name, "barrier_matched");
  EXPECT_EQ(scenario.arms[3].name, "next_best_action");
  EXPECT_EQ(scenario.control_arm, "business_as_usual");
  for (const Arm& a : scenario.arms) {
    ASSERT_EQ(a.journeys.size(), 1U) << a.name;
    EXPECT_EQ(a.journeys[0].name, a.name);
    EXPECT_FALSE(a.description.empty());
    EXPECT_EQ(a.journeys[0].timeout_days, 365U);
    ASSERT_TRUE(a.journeys[0].goal);
    EXPECT_EQ(a.journeys[0].goal->stage, Stage::trialing);
    EXPECT_FALSE(a.journeys[0].goal->exits);
  }
  EXPECT_TRUE(scenario.warnings.empty()) << scenario.warnings.front();
  ASSERT_EQ(scenario.caps.size(), 2U);
  EXPECT_EQ(scenario.caps[0].channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(scenario.caps[0].max_touches, 4U);
  EXPECT_EQ(scenario.caps[0].window_days, 30U);
  EXPECT_EQ(scenario.caps[1].channel, kAnyChannel);
  EXPECT_EQ(scenario.caps[1].max_touches, 3U);
  EXPECT_EQ(scenario.caps[1].window_days, 7U);
}

TEST(JourneyBundled, JourneyFilesChangeTheContentHash) {
  const ScenarioCopy copy;
  const std::string before = load_scenario(copy.folder()).content_hash;
  copy.replace("journeys/nba_policy.yaml", "wait: {days: 14}", "wait: {days: 15}");
  EXPECT_NE(load_scenario(copy.folder()).content_hash, before);
}

TEST(JourneyBundled, BusinessAsUsualIsAQuarterlyLoop) {
  const Scenario scenario = load_scenario(kQuickstart);
  const Journey& j = arm(scenario, "business_as_usual").journeys[0];
  EXPECT_TRUE(j.entry.filter.empty());
  EXPECT_FALSE(j.entry.trigger);
  EXPECT_EQ(j.entry.re_entry, Entry::ReEntry::none);
  EXPECT_EQ(j.holdout_share, 0.0);
  EXPECT_TRUE(j.exit_when.empty());
  EXPECT_TRUE(std::filesystem::path(j.file).filename() == "business_as_usual.yaml");
  ASSERT_EQ(j.steps.size(), 7U);
  EXPECT_EQ(j.start, 0);
  const std::vector<Step::Kind> kinds = {Step::Kind::suggest, Step::Kind::send, Step::Kind::wait,
                                         Step::Kind::send,    Step::Kind::wait, Step::Kind::send,
                                         Step::Kind::wait};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(j.steps[i].kind, kinds[i]) << j.steps[i].id;
    // Each step falls through to the next; the last loops back to the visit.
    EXPECT_EQ(j.steps[i].next, i + 1 < kinds.size() ? static_cast<StepIndex>(i + 1) : 0);
  }
  const Step& visit = step(j, "quarterly_visit");
  EXPECT_EQ(visit.action.channel, channel(scenario, "rep_visit"));
  EXPECT_EQ(visit.action.content, content(scenario, "pivotal_trial_summary"));
  EXPECT_EQ(visit.priority, 2U);
  EXPECT_EQ(visit.expires_days, 30U);
  const Step& email = step(j, "email_month_2");
  EXPECT_EQ(email.action.channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(email.action.content, content(scenario, "pivotal_trial_summary"));
  EXPECT_EQ(step(j, "wait_month_3").wait_days, 30U);
}

TEST(JourneyBundled, BarrierMatchedBranchesOnObservedSignals) {
  const Scenario scenario = load_scenario(kQuickstart);
  const Journey& j = arm(scenario, "barrier_matched").journeys[0];
  ASSERT_EQ(j.exit_when.size(), 1U);
  EXPECT_EQ(j.exit_when[0].kind, Condition::Kind::stage_at_least);
  EXPECT_EQ(j.exit_when[0].stage, Stage::adopted);

  const Step& watched = step(j, "watched_intro");
  EXPECT_EQ(watched.kind, Step::Kind::wait_until);
  EXPECT_EQ(watched.until.kind, EventKind::engaged);
  EXPECT_EQ(watched.until.channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(watched.wait_days, 10U);
  EXPECT_EQ(watched.next, step_index(j, "trial_summary"));
  EXPECT_EQ(watched.timeout_next, step_index(j, "bite_size"));
  // Default next: the following step in the list.
  EXPECT_EQ(step(j, "bite_size").next, step_index(j, "trial_summary"));

  const Step& route = step(j, "route");
  EXPECT_EQ(route.kind, Step::Kind::split);
  ASSERT_EQ(route.rules.size(), 11U);
  ASSERT_TRUE(route.else_next);
  EXPECT_EQ(*route.else_next, step_index(j, "nurture"));
  const Condition& first = route.rules[0].when.at(0);
  EXPECT_EQ(first.kind, Condition::Kind::event_count);
  EXPECT_EQ(first.event.kind, EventKind::rep_note);
  EXPECT_EQ(first.event.barrier, Barrier::access);
  EXPECT_EQ(first.within_days, 60U);
  EXPECT_EQ(first.count, 1U);
  EXPECT_EQ(route.rules[0].next, step_index(j, "access_email"));
  EXPECT_FALSE(route.rules[0].action);
  const Condition& relevance = route.rules[9].when.at(0);
  EXPECT_EQ(relevance.event.kind, EventKind::signal);
  EXPECT_EQ(relevance.event.barrier, Barrier::relevance);
  EXPECT_EQ(relevance.within_days, 30U);
  EXPECT_EQ(route.rules[9].next, step_index(j, "relevance_email"));
  const Condition& engaged = route.rules[10].when.at(0);
  EXPECT_EQ(engaged.event.kind, EventKind::engaged);
  EXPECT_EQ(engaged.count, 2U);
  EXPECT_EQ(engaged.within_days, 30U);
  EXPECT_EQ(engaged.event.channel, channel(scenario, "email_marketing"));

  const Step& peer = step(j, "peer_track");
  ASSERT_EQ(peer.rules.size(), 1U);
  EXPECT_EQ(peer.rules[0].when.at(0).attribute, Attribute::opinion_leader);
  EXPECT_EQ(peer.rules[0].when.at(0).values, std::vector<std::uint16_t>{1});

  const Step& rep = step(j, "relevance_rep");
  EXPECT_EQ(rep.kind, Step::Kind::suggest);
  EXPECT_EQ(rep.action.channel, channel(scenario, "rep_visit"));
  EXPECT_EQ(rep.action.content, content(scenario, "rwe_similar_setting"));
  EXPECT_EQ(rep.expires_days, 21U);

  const Step& nurture = step(j, "nurture");
  EXPECT_EQ(nurture.kind, Step::Kind::random_split);
  EXPECT_EQ(nurture.weights, (std::vector<double>{2, 1, 1, 1}));
  EXPECT_EQ(nurture.branches,
            (std::vector<StepIndex>{step_index(j, "probe_relevance"), step_index(j, "probe_access"),
                                    step_index(j, "probe_workflow"), step_index(j, "probe_peer")}));
  const Step& rest = step(j, "rest");
  EXPECT_EQ(rest.wait_days, 14U);
  EXPECT_EQ(rest.next, step_index(j, "route"));
}

TEST(JourneyBundled, NextBestActionIsAPolicyLoop) {
  const Scenario scenario = load_scenario(kQuickstart);
  const Journey& j = arm(scenario, "next_best_action").journeys[0];
  ASSERT_EQ(j.steps.size(), 2U);
  const Step& decide = j.steps[0];
  EXPECT_EQ(decide.kind, Step::Kind::policy);
  ASSERT_EQ(decide.rules.size(), 9U);
  EXPECT_FALSE(decide.else_next);
  EXPECT_EQ(decide.next, 1);
  ASSERT_TRUE(decide.rules[0].action);
  EXPECT_EQ(decide.rules[0].action->channel, channel(scenario, "rep_remote_call"));
  EXPECT_EQ(decide.rules[0].action->content, content(scenario, "access_support"));
  EXPECT_EQ(decide.rules[0].when.at(0).event.kind, EventKind::rep_note);
  EXPECT_EQ(decide.rules[8].when.at(0).kind, Condition::Kind::stage_at_most);
  EXPECT_EQ(decide.rules[8].when.at(0).stage, Stage::aware);
  ASSERT_TRUE(decide.default_action);
  EXPECT_EQ(decide.default_action->channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(decide.default_action->content, content(scenario, "short_case_study"));
  EXPECT_EQ(j.steps[1].kind, Step::Kind::wait);
  EXPECT_EQ(j.steps[1].wait_days, 14U);
  EXPECT_EQ(j.steps[1].next, 0);
}

// ---- each construct ---------------------------------------------------------------

TEST(JourneySyntax, EntryFilterTriggerAndReEntry) {
  const JourneyCopy j(R"(journey: t
entry:
  filter:
    specialty: [cardiology, nephrology]
    practice_setting: hospital
    region: [north, west]
    career_stage: early
    opinion_leader: true
    known: false
    stage_at_most: aware
    stage_at_least: unaware
    opted_out: sms
  trigger: {event: consumed, content: pivotal_trial_summary}
  re_entry: {after_days: 90}
)" + kBase.substr(kBase.find("steps:")));
  const Scenario scenario = j.load();
  const Entry& entry = scenario.arms.at(0).journeys.at(0).entry;
  ASSERT_EQ(entry.filter.size(), 9U);
  EXPECT_EQ(entry.filter[0].attribute, Attribute::specialty);
  EXPECT_EQ(entry.filter[0].values, (std::vector<std::uint16_t>{0, 3}));  // segment order
  EXPECT_EQ(entry.filter[0].line, j.line("specialty:"));
  EXPECT_EQ(entry.filter[1].attribute, Attribute::practice_setting);
  EXPECT_EQ(entry.filter[1].values, std::vector<std::uint16_t>{0});
  EXPECT_EQ(entry.filter[2].values, (std::vector<std::uint16_t>{0, 3}));
  EXPECT_EQ(entry.filter[3].attribute, Attribute::career_stage);
  EXPECT_EQ(entry.filter[3].values, std::vector<std::uint16_t>{0});
  EXPECT_EQ(entry.filter[4].attribute, Attribute::opinion_leader);
  EXPECT_EQ(entry.filter[4].values, std::vector<std::uint16_t>{1});
  EXPECT_EQ(entry.filter[5].attribute, Attribute::known);
  EXPECT_EQ(entry.filter[5].values, std::vector<std::uint16_t>{0});
  EXPECT_EQ(entry.filter[6].kind, Condition::Kind::stage_at_most);
  EXPECT_EQ(entry.filter[6].stage, Stage::aware);
  EXPECT_EQ(entry.filter[7].kind, Condition::Kind::stage_at_least);
  EXPECT_EQ(entry.filter[8].kind, Condition::Kind::opted_out);
  EXPECT_EQ(entry.filter[8].event.channel, channel(scenario, "sms"));
  ASSERT_TRUE(entry.trigger);
  EXPECT_EQ(entry.trigger->kind, EventKind::consumed);
  EXPECT_EQ(entry.trigger->channel, kAnyChannel);
  EXPECT_EQ(entry.trigger->content, content(scenario, "pivotal_trial_summary"));
  EXPECT_EQ(entry.re_entry, Entry::ReEntry::after_wait);
  EXPECT_EQ(entry.re_entry_wait_days, 90U);
}

TEST(JourneySyntax, AudienceAllAndReEntryWords) {
  const JourneyCopy none("entry: {audience: all, re_entry: none}\n" + kBase);
  EXPECT_EQ(none.load().arms[0].journeys[0].entry.re_entry, Entry::ReEntry::none);
  EXPECT_TRUE(none.load().arms[0].journeys[0].entry.filter.empty());
  const JourneyCopy after("entry: {re_entry: after_exit}\n" + kBase);
  EXPECT_EQ(after.load().arms[0].journeys[0].entry.re_entry, Entry::ReEntry::after_exit);
}

TEST(JourneySyntax, HoldoutTimeoutGoalAndExitWhen) {
  const JourneyCopy j(R"(description: A test.
holdout: 0.1
timeout_days: 200
goal: {stage: adopted}
exit_when:
  - {opted_out: email_marketing}
  - {stage_at_least: adopted}
  - {stage_reached: advocate}
  - {consumed: {content: dosing_tool, count: 2}}
)" + kBase);
  const Scenario scenario = j.load();
  const Journey& journey = scenario.arms.at(0).journeys.at(0);
  EXPECT_EQ(scenario.arms[0].name, "t");
  EXPECT_EQ(scenario.arms[0].description, "A test.");
  EXPECT_EQ(journey.description, "A test.");
  EXPECT_DOUBLE_EQ(journey.holdout_share, 0.1);
  EXPECT_EQ(journey.timeout_days, 200U);
  ASSERT_TRUE(journey.goal);
  EXPECT_EQ(journey.goal->stage, Stage::adopted);
  EXPECT_TRUE(journey.goal->exits);  // exit defaults to true
  ASSERT_EQ(journey.exit_when.size(), 4U);
  EXPECT_EQ(journey.exit_when[0].kind, Condition::Kind::opted_out);
  EXPECT_EQ(journey.exit_when[0].event.channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(journey.exit_when[0].line, j.line("opted_out"));
  EXPECT_EQ(journey.exit_when[1].kind, Condition::Kind::stage_at_least);
  EXPECT_EQ(journey.exit_when[2].kind, Condition::Kind::event_count);
  EXPECT_EQ(journey.exit_when[2].event.kind, EventKind::stage_reached);
  EXPECT_EQ(journey.exit_when[2].event.stage, Stage::advocate);
  EXPECT_EQ(journey.exit_when[3].event.kind, EventKind::consumed);
  EXPECT_EQ(journey.exit_when[3].count, 2U);
  EXPECT_EQ(journey.exit_when[3].event.content, content(scenario, "dosing_tool"));
}

TEST(JourneySyntax, WaitUntilEventNamesAndSynonyms) {
  const JourneyCopy j(R"(journey: t
steps:
  - id: a
    wait_until: {event: opened, channel: email_marketing, timeout_days: 14}
    on_timeout: b
  - id: b
    wait_until: {event: attended, channel: webinar_live, timeout_days: 3}
    on_timeout: exit
  - id: c
    wait_until: {event: clicked, content: dosing_tool, timeout_days: 5}
    next: e
    on_timeout: d
  - id: d
    wait_until: {event: stage_reached, stage: considering, timeout_days: 30}
    on_timeout: e
  - id: e
    wait_until: {event: rep_note, barrier: workflow, channel: rep_visit, timeout_days: 30}
    on_timeout: f
  - id: f
    wait_until: {event: signal, barrier: peer, timeout_days: 30}
    on_timeout: g
  - id: g
    wait_until: {event: delivered, channel: sms, content: bite_size_update, timeout_days: 0}
    on_timeout: exit
)");
  const Scenario scenario = j.load();
  const Journey& journey = scenario.arms.at(0).journeys.at(0);
  const auto& s = journey.steps;
  ASSERT_EQ(s.size(), 7U);
  EXPECT_EQ(s[0].until.kind, EventKind::engaged);
  EXPECT_EQ(s[0].until.channel, channel(scenario, "email_marketing"));
  EXPECT_EQ(s[0].wait_days, 14U);
  EXPECT_EQ(s[0].next, 1);  // default: the following step
  EXPECT_EQ(s[0].timeout_next, 1);
  EXPECT_EQ(s[1].until.kind, EventKind::engaged);
  EXPECT_EQ(s[1].timeout_next, kNoStep);
  EXPECT_EQ(s[2].until.kind, EventKind::consumed);
  EXPECT_EQ(s[2].until.content, content(scenario, "dosing_tool"));
  EXPECT_EQ(s[2].next, 4);
  EXPECT_EQ(s[2].timeout_next, 3);
  EXPECT_EQ(s[3].until.kind, EventKind::stage_reached);
  EXPECT_EQ(s[3].until.stage, Stage::considering);
  EXPECT_EQ(s[4].until.kind, EventKind::rep_note);
  EXPECT_EQ(s[4].until.barrier, Barrier::workflow);
  EXPECT_EQ(s[4].until.channel, channel(scenario, "rep_visit"));
  EXPECT_EQ(s[5].until.kind, EventKind::signal);
  EXPECT_EQ(s[5].until.barrier, Barrier::peer);
  EXPECT_EQ(s[6].until.kind, EventKind::delivered);
  EXPECT_EQ(s[6].wait_days, 0U);
  EXPECT_EQ(s[6].next, kNoStep);  // the last step's default: exit
  EXPECT_TRUE(scenario.warnings.empty());
}

TEST(JourneySyntax, SplitConditionKinds) {
  const JourneyCopy j(R"(journey: t
steps:
  - id: route
    split:
      - when: {signal: relevance}
        next: a
      - when: {rep_note: workflow}
        next: a
      - when: {engaged: {count: 2, within_days: 30, channel: email_marketing}}
        next: a
      - when: {consumed: short_case_study}
        next: a
      - when: {delivered: {channel: sms}}
        next: a
      - when: {signal: {barrier: access, count: 3, within_days: 10, channel: rep_visit}}
        next: a
      - when: {specialty: [cardiology], stage_at_least: considering}
        next: a
      - else: exit
  - id: a
    exit: true
)");
  const Scenario scenario = j.load();
  const Step& route = scenario.arms.at(0).journeys.at(0).steps.at(0);
  ASSERT_EQ(route.rules.size(), 7U);
  const Condition& signal = route.rules[0].when.at(0);
  EXPECT_EQ(signal.kind, Condition::Kind::event_count);
  EXPECT_EQ(signal.event.kind, EventKind::signal);
  EXPECT_EQ(signal.event.barrier, Barrier::relevance);
  EXPECT_EQ(signal.count, 1U);
  EXPECT_EQ(signal.within_days, 0U);
  EXPECT_EQ(signal.line, j.line("signal: relevance"));
  EXPECT_EQ(route.rules[1].when.at(0).event.kind, EventKind::rep_note);
  EXPECT_EQ(route.rules[1].when.at(0).event.barrier, Barrier::workflow);
  const Condition& engaged = route.rules[2].when.at(0);
  EXPECT_EQ(engaged.event.kind, EventKind::engaged);
  EXPECT_EQ(engaged.count, 2U);
  EXPECT_EQ(engaged.within_days, 30U);
  EXPECT_EQ(engaged.event.channel, channel(scenario, "email_marketing"));
  EXPECT_FALSE(engaged.event.content);
  const Condition& consumed = route.rules[3].when.at(0);
  EXPECT_EQ(consumed.event.kind, EventKind::consumed);
  EXPECT_EQ(consumed.event.content, content(scenario, "short_case_study"));
  EXPECT_EQ(consumed.event.channel, kAnyChannel);
  EXPECT_EQ(route.rules[4].when.at(0).event.kind, EventKind::delivered);
  EXPECT_EQ(route.rules[4].when.at(0).event.channel, channel(scenario, "sms"));
  const Condition& access = route.rules[5].when.at(0);
  EXPECT_EQ(access.event.barrier, Barrier::access);
  EXPECT_EQ(access.count, 3U);
  EXPECT_EQ(access.within_days, 10U);
  ASSERT_EQ(route.rules[6].when.size(), 2U);  // several keys: all must hold
  EXPECT_EQ(route.rules[6].when[0].kind, Condition::Kind::attribute_in);
  EXPECT_EQ(route.rules[6].when[1].kind, Condition::Kind::stage_at_least);
  EXPECT_EQ(route.rules[6].when[1].stage, Stage::considering);
  for (const Rule& rule : route.rules) EXPECT_EQ(rule.next, 1);
  ASSERT_TRUE(route.else_next);
  EXPECT_EQ(*route.else_next, kNoStep);
  EXPECT_EQ(scenario.arms[0].journeys[0].steps[1].kind, Step::Kind::exit);
}

TEST(JourneySyntax, LatestSignal) {
  const std::string journey = R"(journey: t
steps:
  - id: route
    split:
      - when: {signal: {barrier: access, within_days: 90, latest: true}}
        next: a
      - else: exit
  - id: a
    exit: true
)";
  const JourneyCopy j(journey);
  const Scenario scenario = j.load();  // Kept: latest refers into it.
  const Condition& latest = scenario.arms.at(0).journeys.at(0).steps.at(0).rules.at(0).when.at(0);
  EXPECT_TRUE(latest.latest);
  EXPECT_EQ(latest.event.barrier, Barrier::access);
  EXPECT_EQ(latest.within_days, 90U);
  std::string with_count = journey;
  with_count.replace(with_count.find("latest: true"), 12, "latest: true, count: 2");
  EXPECT_TRUE(fails_at(with_count, "latest: true",
                       "journey t, step route: split[0].when.signal.count", "drop count"));
  std::string not_a_flag = journey;
  not_a_flag.replace(not_a_flag.find("latest: true"), 12, "latest: often");
  EXPECT_TRUE(fails_at(not_a_flag, "latest: often",
                       "journey t, step route: split[0].when.signal.latest",
                       "expected true or false"));
}

TEST(JourneySyntax, RandomSplitSuggestPolicyStartAndExit) {
  const JourneyCopy j(R"(journey: t
start: coin
steps:
  - id: rep
    suggest: {channel: rep_visit, content: dosing_tool}
    next: exit
  - id: coin
    random_split: [{weight: 1, next: rep}, {weight: 2.5, next: nba}, {weight: 3, next: exit}]
  - id: nba
    policy:
      - when: {opted_out: email_rep_triggered}
        send: none
      - when: {signal: access}
        send: {channel: email_rep_triggered, content: access_support}
      - else: none
  - id: unlimited
    suggest: {channel: email_rep_triggered, content: access_support, priority: 3, expires_days: 7}
)");
  const Scenario scenario = j.load();
  const Journey& journey = scenario.arms.at(0).journeys.at(0);
  EXPECT_EQ(journey.start, 1);
  const Step& rep = journey.steps[0];
  EXPECT_EQ(rep.kind, Step::Kind::suggest);
  EXPECT_EQ(rep.priority, 1U);
  EXPECT_EQ(rep.expires_days, 14U);
  EXPECT_EQ(rep.next, kNoStep);
  const Step& coin = journey.steps[1];
  EXPECT_EQ(coin.weights, (std::vector<double>{1, 2.5, 3}));
  EXPECT_EQ(coin.branches, (std::vector<StepIndex>{0, 2, kNoStep}));
  const Step& nba = journey.steps[2];
  ASSERT_EQ(nba.rules.size(), 2U);
  EXPECT_FALSE(nba.rules[0].action);  // send: none
  ASSERT_TRUE(nba.rules[1].action);
  EXPECT_EQ(nba.rules[1].action->content, content(scenario, "access_support"));
  EXPECT_FALSE(nba.default_action);  // else: none
  EXPECT_EQ(nba.next, 3);
  // A suggestion on a channel without capacity (capacity_per_week 0: unlimited) is allowed.
  const Step& unlimited = journey.steps[3];
  EXPECT_EQ(unlimited.priority, 3U);
  EXPECT_EQ(unlimited.expires_days, 7U);
  EXPECT_TRUE(scenario.warnings.empty());
}

TEST(JourneySyntax, JourneysListMakesOneArmPerJourney) {
  const ScenarioCopy copy;
  set_manifest_tail(copy,
                    "journeys: [journeys/business_as_usual.yaml, journeys/nba_policy.yaml]\n"
                    "control_arm: next_best_action\n");
  const Scenario scenario = load_scenario(copy.folder());
  ASSERT_EQ(scenario.arms.size(), 2U);
  EXPECT_EQ(scenario.arms[0].name, "business_as_usual");
  EXPECT_EQ(scenario.arms[1].name, "next_best_action");
  EXPECT_EQ(scenario.arms[1].description, scenario.arms[1].journeys.at(0).description);
  EXPECT_EQ(scenario.control_arm, "next_best_action");
  EXPECT_TRUE(scenario.caps.empty());
}

TEST(JourneySyntax, ArmsMayShareFilesOrHaveNoJourneys) {
  const ScenarioCopy copy;
  set_manifest_tail(copy, R"(arms:
  - name: do_nothing
    journeys: []
  - name: both
    description: BAU plus NBA.
    journeys: [journeys/business_as_usual.yaml, journeys/nba_policy.yaml]
  - name: bau
    journeys:
      - journeys/business_as_usual.yaml
)");
  const Scenario scenario = load_scenario(copy.folder());
  ASSERT_EQ(scenario.arms.size(), 3U);
  EXPECT_TRUE(scenario.arms[0].journeys.empty());
  EXPECT_EQ(scenario.arms[1].journeys.size(), 2U);
  EXPECT_EQ(scenario.arms[1].description, "BAU plus NBA.");
  EXPECT_EQ(scenario.arms[2].journeys.at(0).name, "business_as_usual");
  EXPECT_EQ(scenario.control_arm, "do_nothing");  // the first arm, by default
}

TEST(JourneySyntax, NoArmsIsAPopulationOnlyScenario) {
  const ScenarioCopy copy;
  set_manifest_tail(copy, "");
  const Scenario scenario = load_scenario(copy.folder());
  EXPECT_TRUE(scenario.arms.empty());
  EXPECT_TRUE(scenario.caps.empty());
  EXPECT_TRUE(scenario.control_arm.empty());
}

// ---- loops and reachability ----------------------------------------------------

const std::string kLoop = R"(journey: t
steps:
  - id: send
    send: {channel: email_marketing, content: pivotal_trial_summary}
  - id: check
    split:
      - when: {engaged: pivotal_trial_summary}
        next: exit
      - else: pause
  - id: pause
    wait: {days: 0}
    next: send
)";

TEST(JourneyLoops, LoopWithoutWaitNamesItsSteps) {
  EXPECT_TRUE(fails_at(kLoop, "next: send", "journey t, step pause: next",
                       "steps send -> check -> pause -> send form a loop with no wait"));
}

TEST(JourneyLoops, SameLoopWithAOneDayWaitLoads) {
  std::string loop = kLoop;
  loop.replace(loop.find("days: 0"), 7, "days: 1");
  const JourneyCopy j(loop);
  const Scenario scenario = j.load();
  EXPECT_EQ(scenario.arms.at(0).journeys.at(0).steps.at(2).next, 0);
  EXPECT_TRUE(scenario.warnings.empty());
}

TEST(JourneyLoops, SelfLoopIsRejected) {
  EXPECT_TRUE(fails_at(R"(journey: t
steps:
  - id: again
    send: {channel: email_marketing, content: pivotal_trial_summary}
    next: again
)",
                       "next: again", "journey t, step again: next",
                       "steps again -> again form a loop"));
}

TEST(JourneyLoops, WaitUntilBreaksALoopOnlyWithATimeout) {
  const std::string loop = R"(journey: t
steps:
  - id: send
    send: {channel: email_marketing, content: pivotal_trial_summary}
  - id: listen
    wait_until: {event: engaged, channel: email_marketing, timeout_days: 0}
    next: send
    on_timeout: exit
)";
  EXPECT_TRUE(fails_at(loop, "next: send", "journey t, step listen: next",
                       "steps send -> listen -> send form a loop with no wait"));
  std::string waiting = loop;
  waiting.replace(waiting.find("timeout_days: 0"), 15, "timeout_days: 7");
  const JourneyCopy j(waiting);
  EXPECT_EQ(j.load().arms.at(0).journeys.at(0).steps.at(1).wait_days, 7U);
}

TEST(JourneyLoops, RandomSplitAndPolicyEdgesCount) {
  EXPECT_TRUE(fails_at(R"(journey: t
steps:
  - id: coin
    random_split: [{weight: 1, next: exit}, {weight: 1, next: nba}]
  - id: nba
    policy:
      - else: {channel: email_marketing, content: short_case_study}
    next: coin
)",
                       "next: coin", "journey t, step nba: next",
                       "steps coin -> nba -> coin form a loop"));
}

TEST(JourneyLoops, UnreachableStepIsAWarning) {
  const JourneyCopy j(kBase + R"(    next: exit
  - id: orphan
    send: {channel: email_marketing, content: short_case_study}
)");
  const Scenario scenario = j.load();
  ASSERT_EQ(scenario.warnings.size(), 1U);
  EXPECT_EQ(scenario.warnings[0], "journeys/test.yaml: journey t: step orphan is never reached");
}

// ---- validation errors: names and references -------------------------------------

TEST(JourneyErrors, UnknownChannel) {
  std::string journey = kBase;
  journey.replace(journey.find("email_marketing"), 15, "carrier_pigeon");
  EXPECT_TRUE(fails_at(journey, "carrier_pigeon", "journey t, step welcome: send.channel",
                       "unknown channel 'carrier_pigeon'"));
}

TEST(JourneyErrors, UnknownContent) {
  std::string journey = kBase;
  journey.replace(journey.find("pivotal_trial_summary"), 21, "brochure");
  EXPECT_TRUE(fails_at(journey, "brochure", "journey t, step welcome: send.content",
                       "unknown content item 'brochure'"));
}

TEST(JourneyErrors, ContentNotAllowedOnChannel) {
  std::string journey = kBase;
  journey.replace(journey.find("email_marketing"), 15, "sms");
  EXPECT_TRUE(fails_at(journey, "sms", "journey t, step welcome: send.content",
                       "content 'pivotal_trial_summary' is not allowed on channel 'sms'"));
}

TEST(JourneyErrors, ContentNotAllowedOnChannelInSuggestAndEvents) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: rep
    suggest: {channel: kol_meeting, content: dosing_tool}
)",
                       "kol_meeting", "journey t, step rep: suggest.content", "not allowed"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: consumed, channel: sms, content: dosing_tool, timeout_days: 3}
    on_timeout: exit
)",
                       "event: consumed", "journey t, step listen: wait_until.content",
                       "not allowed"));
}

TEST(JourneyErrors, UnknownAttributeValue) {
  EXPECT_TRUE(fails_at("entry:\n  filter:\n    specialty: [cardiology, dermatology]\n" + kBase,
                       "dermatology", "journey t: entry.filter.specialty[1]",
                       "unknown specialty 'dermatology'; the scenario has: cardiology"));
  EXPECT_TRUE(fails_at("entry:\n  filter:\n    region: middle\n" + kBase, "middle",
                       "journey t: entry.filter.region", "unknown region 'middle'"));
  EXPECT_TRUE(fails_at("entry:\n  filter:\n    opinion_leader: maybe\n" + kBase, "maybe",
                       "journey t: entry.filter.opinion_leader", "expected true or false"));
}

TEST(JourneyErrors, UnknownStageAndBarrier) {
  EXPECT_TRUE(fails_at("goal: {stage: prescribing}\n" + kBase, "goal:", "journey t: goal.stage",
                       "unknown stage 'prescribing'"));
  EXPECT_TRUE(fails_at("exit_when:\n  - {signal: money}\n" + kBase, "money",
                       "journey t: exit_when[0].signal", "unknown barrier 'money'"));
}

TEST(JourneyErrors, DuplicateStepId) {
  EXPECT_TRUE(fails_at(kBase + "  - id: welcome\n    exit: true\n", "- id: welcome",
                       "journey t, step welcome: id",
                       "step id 'welcome' is used twice (first at line 3)", Occurrence::last));
}

TEST(JourneyErrors, DanglingReferences) {
  EXPECT_TRUE(fails_at(kBase + "    next: nowhere\n", "nowhere", "journey t, step pause: next",
                       "no step has id 'nowhere'; the steps are: welcome, pause (or exit)"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: engaged, timeout_days: 3}
    on_timeout: gone
)",
                       "gone", "journey t, step listen: on_timeout", "no step has id 'gone'"));
  EXPECT_TRUE(
      fails_at("start: begin\n" + kBase, "start:", "journey t: start", "no step has id 'begin'"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: route
    split:
      - when: {signal: peer}
        next: peers
      - else: exit
)",
                       "next: peers", "journey t, step route: split[0].next",
                       "no step has id 'peers'"));
}

// ---- validation errors: structure -------------------------------------------------

TEST(JourneyErrors, SplitWithoutElse) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: route
    split:
      - when: {signal: relevance}
        next: welcome
)",
                       "split:", "journey t, step route: split", "a split needs an else entry"));
}

TEST(JourneyErrors, ElseMustBeLast) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: route
    split:
      - else: exit
      - when: {signal: relevance}
        next: welcome
)",
                       "- when", "journey t, step route: split[1]", "else must be the last"));
}

TEST(JourneyErrors, PolicyWithoutElse) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: nba
    policy:
      - when: {signal: access}
        send: {channel: email_rep_triggered, content: access_support}
)",
                       "policy:", "journey t, step nba: policy", "a policy needs an else entry"));
}

TEST(JourneyErrors, WaitUntilNeedsOnTimeout) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: engaged, timeout_days: 3}
)",
                       "- id: listen", "journey t, step listen: on_timeout",
                       "is required for wait_until"));
}

TEST(JourneyErrors, NegativeAndFractionalWaits) {
  std::string negative = kBase;
  negative.replace(negative.find("days: 7"), 7, "days: -3");
  EXPECT_TRUE(fails_at(negative, "days: -3", "journey t, step pause: wait.days",
                       "expected a whole number of days in [0, 36500], found -3"));
  std::string fractional = kBase;
  fractional.replace(fractional.find("days: 7"), 7, "days: 1.5");
  EXPECT_TRUE(fails_at(fractional, "days: 1.5", "journey t, step pause: wait.days",
                       "expected a whole number of days"));
  std::string text = kBase;
  text.replace(text.find("days: 7"), 7, "days: a week");
  EXPECT_TRUE(fails_at(text, "a week", "journey t, step pause: wait.days",
                       "expected a number, found 'a week'"));
}

TEST(JourneyErrors, WeightsMustBePositive) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: coin
    random_split:
      - {weight: 1, next: welcome}
      - {weight: 0, next: exit}
)",
                       "weight: 0", "journey t, step coin: random_split[1].weight",
                       "a weight must be > 0, found 0"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: coin
    random_split:
      - {weight: -2, next: welcome}
)",
                       "weight: -2", "journey t, step coin: random_split[0].weight",
                       "a weight must be > 0"));
}

TEST(JourneyErrors, HoldoutOutsideZeroOne) {
  EXPECT_TRUE(fails_at("holdout: 1\n" + kBase, "holdout", "journey t: holdout",
                       "expected a share in [0, 1), found 1"));
  EXPECT_TRUE(fails_at("holdout: -0.1\n" + kBase, "holdout", "journey t: holdout",
                       "expected a share in [0, 1)"));
}

TEST(JourneyErrors, StepNeedsOneKind) {
  EXPECT_TRUE(fails_at(kBase + "  - id: idle\n", "id: idle", "journey t, step idle",
                       "a step needs one of: send, suggest, wait"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: both
    wait: {days: 1}
    send: {channel: email_marketing, content: pivotal_trial_summary}
)",
                       "send: {channel: email_marketing, content: pivotal_trial_summary}",
                       "journey t, step both: send",
                       "a step does one thing; found both wait and send", Occurrence::last));
}

TEST(JourneyErrors, StepWithoutId) {
  EXPECT_TRUE(fails_at(kBase + "  - wait: {days: 1}\n", "- wait: {days: 1}",
                       "journey t: steps[2].id", "is required: every step needs an id"));
}

TEST(JourneyErrors, JourneyNeedsANameAndSteps) {
  EXPECT_TRUE(fails_at(kBase.substr(kBase.find("steps:")), "steps:", "journey",
                       "is required: the journey's name"));
  EXPECT_TRUE(fails_at("journey: t\n", "journey", "journey t: steps", "is required"));
}

TEST(JourneyErrors, ExitWhenEntriesHoldOneCondition) {
  EXPECT_TRUE(fails_at("exit_when:\n  - {stage_at_least: adopted, opted_out: sms}\n" + kBase,
                       "stage_at_least", "journey t: exit_when[0]",
                       "each exit_when entry holds one condition"));
}

TEST(JourneyErrors, FilterCannotTestEvents) {
  EXPECT_TRUE(fails_at("entry:\n  filter:\n    engaged: pivotal_trial_summary\n" + kBase, "engaged",
                       "journey t: entry.filter.engaged", "use entry.trigger"));
  EXPECT_TRUE(fails_at("entry:\n  audience: all\n  filter: {known: true}\n" + kBase, "filter",
                       "journey t: entry.filter", "not both"));
}

// ---- validation errors: unknown keys and hidden barriers ----------------------------

TEST(JourneyErrors, UnknownKeysAreNamed) {
  EXPECT_TRUE(
      fails_at("holdot: 0.1\n" + kBase, "holdot", "journey t: holdot", "unknown field 'holdot'"));
  EXPECT_TRUE(fails_at(kBase + "    nxt: welcome\n", "nxt", "journey t, step pause: nxt",
                       "unknown field 'nxt'; expected one of: id, wait, next"));
  EXPECT_TRUE(fails_at(kBase + "  - id: s\n    sned: {channel: sms}\n", "sned",
                       "journey t, step s: sned", "unknown field 'sned'"));
  EXPECT_TRUE(
      fails_at(kBase + "  - id: s\n    send: {channel: sms, content: bite_size_update, when: 1}\n",
               "bite_size_update, when", "journey t, step s: send.when", "unknown field 'when'"));
  EXPECT_TRUE(fails_at("entry: {trigger: {event: engaged, timeout_days: 3}}\n" + kBase, "entry",
                       "journey t: entry.trigger.timeout_days", "unknown field 'timeout_days'"));
  EXPECT_TRUE(fails_at("exit_when:\n  - {engagement: 3}\n" + kBase, "engagement",
                       "journey t: exit_when[0].engagement", "unknown condition 'engagement'"));
}

TEST(JourneyErrors, KeyGivenTwiceNamesTheRepeat) {
  EXPECT_TRUE(fails_at(kBase + "    next: exit\n    next: welcome\n", "next: welcome",
                       "journey t, step pause: next", "field listed twice"));
}

TEST(JourneyErrors, RuleNeedsWhen) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: route
    split:
      - next: welcome
      - else: exit
)",
                       "- next: welcome", "journey t, step route: split[0].when", "is required"));
}

TEST(JourneyErrors, HiddenBarriersCannotBeRead) {
  const std::string split = kBase + R"(  - id: route
    split:
      - when: {barrier_relevance: 0.5}
        next: welcome
      - else: exit
)";
  EXPECT_TRUE(fails_at(split, "barrier_relevance",
                       "journey t, step route: split[0].when.barrier_relevance",
                       "journeys may only use observable signals"));
  EXPECT_TRUE(fails_at("entry:\n  filter:\n    trust: {at_least: 0.5}\n" + kBase, "trust",
                       "journey t: entry.filter.trust",
                       "journeys may only use observable signals"));
  EXPECT_TRUE(fails_at("exit_when:\n  - {dominant_barrier: access}\n" + kBase, "dominant",
                       "journey t: exit_when[0].dominant_barrier", "observable signals"));
}

TEST(JourneyErrors, EventFieldsMustFitTheEvent) {
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: read, timeout_days: 3}
    on_timeout: exit
)",
                       "event: read", "journey t, step listen: wait_until.event",
                       "unknown event 'read'"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: signal, timeout_days: 3}
    on_timeout: exit
)",
                       "event: signal", "journey t, step listen: wait_until.barrier",
                       "is required"));
  EXPECT_TRUE(fails_at(kBase + R"(  - id: listen
    wait_until: {event: engaged, stage: trialing, timeout_days: 3}
    on_timeout: exit
)",
                       "event: engaged", "journey t, step listen: wait_until.stage",
                       "applies only to event stage_reached"));
}

// ---- validation errors: the manifest ---------------------------------------------------

::testing::AssertionResult manifest_fails_at(const std::string& tail, const std::string& at_text,
                                             const std::string& field, const std::string& message,
                                             Occurrence which = Occurrence::first) {
  const ScenarioCopy copy;
  set_manifest_tail(copy, tail);
  const auto error = load_error(copy.folder());
  if (!error) return ::testing::AssertionFailure() << "the manifest loaded:\n" << tail;
  const auto located =
      names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", at_text, which), field);
  if (!located) return located;
  return says(*error, message);
}

TEST(JourneyManifestErrors, CapsOutOfRange) {
  const std::string arms = "journeys: [journeys/business_as_usual.yaml]\n";
  EXPECT_TRUE(manifest_fails_at(
      arms + "caps:\n  - {channel: sms, max_touches: -1, window_days: 7}\n", "max_touches: -1",
      "caps[0].max_touches", "expected a whole number of touches in [0, 1000000], found -1"));
  EXPECT_TRUE(manifest_fails_at(arms + "caps:\n  - {channel: all, max_touches: 1, window_days: 7}\n"
                                       "  - {channel: all, max_touches: 1, window_days: 0}\n",
                                "window_days: 0", "caps[1].window_days",
                                "expected a whole number of days in [1, 36500], found 0"));
  EXPECT_TRUE(
      manifest_fails_at(arms + "caps:\n  - {channel: fax, max_touches: 1, window_days: 7}\n", "fax",
                        "caps[0].channel", "unknown channel 'fax'; expected all"));
  EXPECT_TRUE(manifest_fails_at(arms + "caps:\n  - {channel: all, max_touches: 1, days: 7}\n",
                                "days: 7", "caps[0].days", "unknown field 'days'"));
}

TEST(JourneyManifestErrors, ArmsAndJourneysTogether) {
  EXPECT_TRUE(
      manifest_fails_at("arms:\n  - {name: a, journeys: []}\n"
                        "journeys: [journeys/business_as_usual.yaml]\n",
                        "journeys: [journeys/business", "journeys", "not both"));
}

TEST(JourneyManifestErrors, ArmNamesAreUnique) {
  EXPECT_TRUE(manifest_fails_at("arms:\n  - {name: a, journeys: []}\n  - {name: a, journeys: []}\n",
                                "{name: a", "arms[1].name", "arm name 'a' is used twice",
                                Occurrence::last));
}

TEST(JourneyManifestErrors, ArmNeedsJourneysAndKnownKeys) {
  EXPECT_TRUE(
      manifest_fails_at("arms:\n  - name: a\n", "- name: a", "arms[0].journeys", "is required"));
  EXPECT_TRUE(manifest_fails_at("arms:\n  - {name: a, journeys: [], budget: 3}\n", "budget",
                                "arms[0].budget", "unknown field 'budget'"));
}

TEST(JourneyManifestErrors, MissingJourneyFile) {
  EXPECT_TRUE(manifest_fails_at("arms:\n  - name: a\n    journeys:\n      - journeys/nope.yaml\n",
                                "nope.yaml", "arms[0].journeys[0]", "journey file"));
}

TEST(JourneyManifestErrors, DuplicateJourneyNames) {
  EXPECT_TRUE(manifest_fails_at(
      "journeys:\n  - journeys/business_as_usual.yaml\n  - journeys/business_as_usual.yaml\n",
      "- journeys/business_as_usual.yaml", "journeys[1]",
      "two journeys are named 'business_as_usual'", Occurrence::last));
  EXPECT_TRUE(manifest_fails_at(
      "arms:\n  - name: a\n    journeys: [journeys/nba_policy.yaml, journeys/nba_policy.yaml]\n",
      "journeys: [", "arms[0].journeys[1]",
      "arm 'a' already has a journey named 'next_best_action'"));
}

TEST(JourneyManifestErrors, ErrorsInsideAJourneyFileNameThatFile) {
  const ScenarioCopy copy;
  copy.replace("journeys/barrier_matched.yaml", "content: dosing_tool}\n  - id: workflow_read",
               "content: practice_support_kit}\n  - id: workflow_read");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(
      names(*error, "journeys/barrier_matched.yaml",
            line_of(copy, "journeys/barrier_matched.yaml", "content: practice_support_kit}"),
            "journey barrier_matched, step workflow_email: send.content"));
}

}  // namespace
}  // namespace journeysim::sim
