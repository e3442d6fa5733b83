#include "reports/journey_diagram.hpp"

#include <fmt/format.h>

#include <numeric>

#include "reports/html_page.hpp"

namespace journeysim::reports {
namespace {

using sim::Condition;
using sim::EventKind;
using sim::EventSpec;
using sim::Step;

std::string channel_name(const sim::Scenario& scenario, std::int32_t channel) {
  if (channel == sim::kAnyChannel) return "any channel";
  return scenario.catalogue.channels.at(static_cast<std::size_t>(channel)).name;
}

std::string content_name(const sim::Scenario& scenario, std::uint32_t content) {
  return scenario.catalogue.content.at(content).name;
}

std::string event_text(const sim::Scenario& scenario, const EventSpec& event) {
  std::string text;
  switch (event.kind) {
    case EventKind::delivered:
      text = "delivered";
      break;
    case EventKind::engaged:
      text = "engaged";
      break;
    case EventKind::consumed:
      text = "consumed";
      break;
    case EventKind::stage_reached:
      return fmt::format("CRM stage reached {}", agents::stage_name(event.stage));
    case EventKind::rep_note:
      return fmt::format("rep note names {}", agents::barrier_name(event.barrier));
    case EventKind::signal:
      return fmt::format("signal of {}", agents::barrier_name(event.barrier));
  }
  if (event.channel != sim::kAnyChannel) text += " on " + channel_name(scenario, event.channel);
  if (event.content) text += " with " + content_name(scenario, *event.content);
  return text;
}

std::string attribute_value(const sim::Scenario& scenario, sim::Attribute attribute,
                            std::uint16_t value) {
  const agents::PopulationSpec& spec = scenario.population;
  switch (attribute) {
    case sim::Attribute::specialty:
      if (value < spec.specialties.size()) return spec.specialties[value];
      break;
    case sim::Attribute::practice_setting:
      if (value < spec.practice_settings.size()) return spec.practice_settings[value].name;
      break;
    case sim::Attribute::region:
      if (value < spec.regions.size()) return spec.regions[value].name;
      break;
    case sim::Attribute::career_stage:
      if (value < spec.career_stages.size()) return spec.career_stages[value].name;
      break;
    case sim::Attribute::opinion_leader:
    case sim::Attribute::known:
      return value != 0 ? "yes" : "no";
  }
  return std::to_string(value);
}

std::string_view attribute_name(sim::Attribute attribute) {
  switch (attribute) {
    case sim::Attribute::specialty:
      return "specialty";
    case sim::Attribute::practice_setting:
      return "practice setting";
    case sim::Attribute::region:
      return "region";
    case sim::Attribute::career_stage:
      return "career stage";
    case sim::Attribute::opinion_leader:
      return "opinion leader";
    case sim::Attribute::known:
      return "known";
  }
  return "attribute";
}

std::string condition_text(const sim::Scenario& scenario, const Condition& condition) {
  switch (condition.kind) {
    case Condition::Kind::attribute_in: {
      std::string values;
      for (const std::uint16_t v : condition.values) {
        values += (values.empty() ? "" : ", ") + attribute_value(scenario, condition.attribute, v);
      }
      return fmt::format("{} in {{{}}}", attribute_name(condition.attribute), values);
    }
    case Condition::Kind::stage_at_most:
      return fmt::format("CRM stage ≤ {}", agents::stage_name(condition.stage));
    case Condition::Kind::stage_at_least:
      return fmt::format("CRM stage ≥ {}", agents::stage_name(condition.stage));
    case Condition::Kind::event_count:
      return fmt::format("{} ≥ {}× {}", event_text(scenario, condition.event), condition.count,
                         condition.within_days == 0
                             ? std::string("since entry")
                             : fmt::format("in {} days", condition.within_days));
    case Condition::Kind::opted_out:
      return "opted out of " + channel_name(scenario, condition.event.channel);
  }
  return "condition";
}

std::string conditions_text(const sim::Scenario& scenario, const std::vector<Condition>& all) {
  std::string text;
  for (const Condition& condition : all) {
    text += (text.empty() ? "" : " and ") + condition_text(scenario, condition);
  }
  return text;
}

std::string action_text(const sim::Scenario& scenario, const sim::Action& action) {
  return content_name(scenario, action.content) + " via " +
         channel_name(scenario, static_cast<std::int32_t>(action.channel));
}

std::string target(const sim::Journey& journey, sim::StepIndex index) {
  if (index == sim::kNoStep) return "exit";
  return journey.steps.at(static_cast<std::size_t>(index)).id;
}

std::string_view kind_name(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::send:
      return "send";
    case Step::Kind::suggest:
      return "suggest";
    case Step::Kind::wait:
      return "wait";
    case Step::Kind::wait_until:
      return "wait_until";
    case Step::Kind::split:
      return "split";
    case Step::Kind::random_split:
      return "random_split";
    case Step::Kind::policy:
      return "policy";
    case Step::Kind::exit:
      return "exit";
  }
  return "step";
}

// The step a box continues to, for the arrow after it; kNoStep when it branches or ends.
sim::StepIndex continues_to(const Step& step) {
  switch (step.kind) {
    case Step::Kind::send:
    case Step::Kind::suggest:
    case Step::Kind::wait:
    case Step::Kind::wait_until:
    case Step::Kind::policy:
      return step.next;
    default:
      return sim::kNoStep;
  }
}

std::string line(std::string_view css_class, std::string_view text) {
  return fmt::format("<div class=\"{}\">{}</div>", css_class, escape_html(text));
}

// What the step does, one line each, and where it goes unless that is the next box.
std::string step_body(const sim::Scenario& scenario, const sim::Journey& journey, std::size_t i) {
  const Step& step = journey.steps[i];
  std::string body;
  const auto go = [&](std::string_view label, sim::StepIndex to) {
    body += line("goto", fmt::format("{} → {}", label, target(journey, to)));
  };
  switch (step.kind) {
    case Step::Kind::send:
      body += line("what", action_text(scenario, step.action));
      break;
    case Step::Kind::suggest:
      body += line("what", action_text(scenario, step.action));
      body += line("goto", fmt::format("priority {}, expires after {} days", step.priority,
                                       step.expires_days));
      break;
    case Step::Kind::wait:
      body += line("what", fmt::format("{} days", step.wait_days));
      break;
    case Step::Kind::wait_until:
      body += line("what", "until " + event_text(scenario, step.until));
      go("on it", step.next);
      go(fmt::format("after {} days", step.wait_days), step.timeout_next);
      return body;
    case Step::Kind::split:
      for (const sim::Rule& rule : step.rules)
        go("if " + conditions_text(scenario, rule.when), rule.next);
      go("else", step.else_next.value_or(sim::kNoStep));
      return body;
    case Step::Kind::random_split: {
      const double total = std::accumulate(step.weights.begin(), step.weights.end(), 0.0);
      for (std::size_t b = 0; b < step.branches.size(); ++b) {
        go(fmt::format("{:.0f}%", total > 0 ? 100.0 * step.weights[b] / total : 0.0),
           step.branches[b]);
      }
      return body;
    }
    case Step::Kind::policy:
      for (const sim::Rule& rule : step.rules) {
        body += line("goto", fmt::format("if {}: {}", conditions_text(scenario, rule.when),
                                         rule.action ? action_text(scenario, *rule.action)
                                                     : std::string("nothing")));
      }
      body += line(
          "goto", "otherwise: " + (step.default_action ? action_text(scenario, *step.default_action)
                                                       : std::string("nothing")));
      break;
    case Step::Kind::exit:
      return body;
  }
  if (step.next != static_cast<sim::StepIndex>(i + 1)) go("then", step.next);
  return body;
}

std::string entry_text(const sim::Scenario& scenario, const sim::Journey& journey) {
  const sim::Entry& entry = journey.entry;
  std::string text = entry.filter.empty() ? "everyone in the arm"
                                          : "HCPs with " + conditions_text(scenario, entry.filter);
  if (entry.trigger) text += ", when " + event_text(scenario, *entry.trigger);
  switch (entry.re_entry) {
    case sim::Entry::ReEntry::none:
      text += "; once";
      break;
    case sim::Entry::ReEntry::after_exit:
      text += "; again after leaving";
      break;
    case sim::Entry::ReEntry::after_wait:
      text += fmt::format("; again {} days after leaving", entry.re_entry_wait_days);
      break;
  }
  return text;
}

std::string meta_text(const sim::Scenario& scenario, const sim::Journey& journey) {
  std::string text = "Enters: " + entry_text(scenario, journey) + ".";
  if (journey.holdout_share > 0) {
    text += fmt::format(" Holdout: {:.0f}% of eligible HCPs left untouched.",
                        100.0 * journey.holdout_share);
  }
  if (journey.goal) {
    text += fmt::format(" Goal: reach {}{}.", agents::stage_name(journey.goal->stage),
                        journey.goal->exits ? " (then leaves)" : " (keeps going)");
  }
  if (journey.timeout_days > 0) text += fmt::format(" Leaves after {} days.", journey.timeout_days);
  if (!journey.exit_when.empty()) {
    text += " Leaves when " + conditions_text(scenario, journey.exit_when) + ".";
  }
  return text;
}

}  // namespace

std::string journey_diagram_html(const sim::Scenario& scenario, const sim::Journey& journey) {
  std::string html = "<div class=\"journey\">";
  html += fmt::format("<div><b>{}</b> <span class=\"meta\">({}, {} steps)</span></div>",
                      escape_html(journey.name), escape_html(journey.file), journey.steps.size());
  if (!journey.description.empty()) html += "<div>" + escape_html(journey.description) + "</div>";
  html += "<div class=\"meta\">" + escape_html(meta_text(scenario, journey)) + "</div>";
  html += "<div class=\"steps\">";
  for (std::size_t i = 0; i < journey.steps.size(); ++i) {
    const Step& step = journey.steps[i];
    const std::string_view kind = kind_name(step.kind);
    html += fmt::format("<div class=\"step k-{}\"><div class=\"head\">{}{}</div>", kind,
                        static_cast<sim::StepIndex>(i) == journey.start ? "▶ " : "",
                        escape_html(step.id));
    html += line("kind", kind) + step_body(scenario, journey, i) + "</div>";
    if (i + 1 < journey.steps.size()) {
      const bool flows = continues_to(step) == static_cast<sim::StepIndex>(i + 1);
      html += flows ? "<div class=\"arrow\">→</div>" : "<div class=\"arrow\">&nbsp;</div>";
    }
  }
  html += "</div></div>\n";
  return html;
}

std::string arm_journeys_html(const sim::Scenario& scenario, const sim::Arm& arm) {
  if (arm.journeys.empty()) {
    return "<p>No journey: this arm sends nothing (a do-nothing control).</p>\n";
  }
  std::string html;
  for (const sim::Journey& journey : arm.journeys) html += journey_diagram_html(scenario, journey);
  return html;
}

}  // namespace journeysim::reports
