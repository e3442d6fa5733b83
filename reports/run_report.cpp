#include "reports/run_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "reports/detail/report_format.hpp"
#include "reports/detail/run_report_sections.hpp"
#include "reports/html_page.hpp"
#include "reports/journey_diagram.hpp"
#include "reports/vega_lite.hpp"

namespace journeysim::reports {
namespace detail {
namespace {

// The metrics in the key-metrics table, with how to show a value of each.
struct KeyMetric {
  std::string_view name;
  std::string_view title;
};
constexpr KeyMetric kKeyMetrics[] = {
    {"trial_rate", "trial rate"},           {"adoption_rate", "adoption rate"},
    {"prescriptions", "prescriptions"},     {"touches_per_hcp", "touches per HCP"},
    {"engagement_rate", "engagement rate"}, {"total_cost", "total cost"},
};

std::string metric_value(std::string_view metric, double value) {
  if (is_share_metric(metric) || metric == "engagement_rate") return percent(value, 2);
  if (metric == "total_cost" || metric == "prescriptions") return whole(value);
  return fmt::format("{:.2f}", value);
}

std::string difference_value(std::string_view metric, double value) {
  if (is_share_metric(metric)) return points(value);
  if (metric == "prescriptions") return (value >= 0 ? "+" : "") + whole(value);
  return fmt::format("{:+.4g}", value);
}

std::string swatch(const RunReportInput& in, std::size_t arm) {
  const nlohmann::json scale = vl::arm_color_scale(in.labels, in.control);
  return fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>",
                     scale["range"][arm].get<std::string>());
}

// The cost per incremental adopter in words, read with the sign of the
// adopters difference (docs/outputs.md, "Reading cost_per_incremental_adopter").
struct CostText {
  std::string value;
  std::string note;
};

CostText cost_per_adopter(const RunReportInput& in, std::size_t arm) {
  const sim::RatioInterval& r = in.evaluation->cost_per_incremental_adopter[arm];
  if (!r.estimable) return {"n/a", "no clear change in adopters"};
  const sim::Comparison* adoption = comparison(in, arm, "adoption_rate");
  const bool more = adoption != nullptr && adoption->difference.mean > 0;
  const std::string& currency = in.scenario.currency;
  if (more && r.estimate > 0) {
    return {fmt::format("{} {}", currency, whole(r.estimate)),
            fmt::format("per extra adopter; 95% CI {} to {}", whole(r.lower), whole(r.upper))};
  }
  if (more) return {"cheaper and better", "dominant: more adopters for less"};
  if (r.estimate < 0) return {"dearer and worse", "dominated: fewer adopters for more"};
  return {fmt::format("saves {} {}", currency, whole(r.estimate)), "per adopter lost"};
}

std::string cost_per_adopter_text(const RunReportInput& in, std::size_t arm) {
  if (arm == in.control) return "";
  const CostText text = cost_per_adopter(in, arm);
  return text.value + " (" + text.note + ")";
}

std::string figure(std::string_view label, std::string_view value, std::string_view note = {}) {
  std::string html = fmt::format(
      "<div class=\"figure\"><div class=\"label\">{}</div>"
      "<div class=\"value\">{}</div>",
      escape_html(label), escape_html(value));
  if (!note.empty()) html += fmt::format("<div class=\"label\">{}</div>", escape_html(note));
  return html + "</div>";
}

std::string key_metrics_table(const RunReportInput& in) {
  std::string html = "<div class=\"wide\"><table class=\"data\"><tr><th>arm</th>";
  for (const KeyMetric& m : kKeyMetrics) {
    html +=
        fmt::format("<th class=\"num\">{} (95% CI)</th>",
                    m.name == "total_cost" ? fmt::format("{} ({})", m.title, in.scenario.currency)
                                           : std::string(m.title));
  }
  html += "</tr>";
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    html += "<tr><td>" + swatch(in, a) + escape_html(in.labels[a]) + "</td>";
    for (const KeyMetric& m : kKeyMetrics) {
      const sim::MeanInterval& value = arm_metric(in, a, m.name).summary;
      html += fmt::format("<td class=\"num\">{}<br><span class=\"ci\">[{}, {}]</span></td>",
                          metric_value(m.name, value.mean), metric_value(m.name, value.lower),
                          metric_value(m.name, value.upper));
    }
    html += "</tr>";
  }
  return html + "</table></div>";
}

std::string decision_table(const RunReportInput& in) {
  const sim::Evaluation& e = *in.evaluation;
  const std::string& metric = e.primary_metric;
  std::string html = fmt::format(
      "<div class=\"wide\"><table class=\"data\"><tr><th>arm</th><th class=\"num\">{} (mean)</th>"
      "<th class=\"num\">uplift vs control (95% CI)</th><th class=\"num\">p (Holm)</th>"
      "<th class=\"num\">P(best)</th><th>{} per incremental adopter</th></tr>",
      escape_html(metric), escape_html(in.scenario.currency));
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    const sim::Comparison* c = comparison(in, a, metric);
    html += fmt::format(
        "<tr><td>{}{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{:.0f}%</td><td>{}</td></tr>",
        swatch(in, a), escape_html(in.labels[a]), a == e.recommended ? " <b>(recommended)</b>" : "",
        metric_value(metric, arm_metric(in, a, metric).summary.mean),
        c == nullptr
            ? std::string("—")
            : with_interval(c->difference, [&](double v) { return difference_value(metric, v); }),
        c == nullptr ? std::string("—") : fmt::format("{:.3g}", c->p_holm),
        100.0 * e.probability_best[a], escape_html(cost_per_adopter_text(in, a)));
  }
  return html + "</table></div>";
}

// The arm whose uplift the headline shows: the recommended one, or when the
// control is kept, the most promising challenger (the live test's arm).
std::size_t headline_arm(const sim::Evaluation& e) {
  return e.recommended != e.control ? e.recommended : e.live_test_arm;
}

std::string headline_figures(const RunReportInput& in) {
  const sim::Evaluation& e = *in.evaluation;
  const std::size_t arm = headline_arm(e);
  const sim::Comparison* c = comparison(in, arm, e.primary_metric);
  std::string html = "<div class=\"figures\">";
  html += figure("Recommended journey", in.scenario.arms[e.recommended].name,
                 e.recommended == e.control ? "keep the control" : "launch it");
  if (c != nullptr) {
    html += figure(fmt::format("Uplift of {} on {}", in.scenario.arms[arm].name, e.primary_metric),
                   difference_value(e.primary_metric, c->difference.mean),
                   fmt::format("95% CI {} to {}; p (Holm) = {:.3g}",
                               difference_value(e.primary_metric, c->difference.lower),
                               difference_value(e.primary_metric, c->difference.upper), c->p_holm));
    if (c->relative_lift.estimable) {
      html += figure("Relative lift", fmt::format("{:+.1f}%", 100.0 * c->relative_lift.estimate),
                     fmt::format("95% CI {:+.1f}% to {:+.1f}%", 100.0 * c->relative_lift.lower,
                                 100.0 * c->relative_lift.upper));
    }
    const CostText cost = cost_per_adopter(in, arm);
    html += figure("Cost per incremental adopter", cost.value, cost.note);
  }
  if (e.live_test_size) {
    html += figure("Live test",
                   grouped(e.live_test_size->control) + " " +
                       std::string(sim::sample_unit(e.primary_metric)) + " per arm",
                   fmt::format("{} vs {}, alpha 0.05, power 0.8",
                               in.scenario.arms[e.live_test_arm].name, in.scenario.control_arm));
  } else {
    html += figure("Live test", "no feasible size",
                   is_share_metric(e.primary_metric) ? "the rates are equal or too close"
                                                     : "the primary metric is not a rate");
  }
  html += figure("P(best)", fmt::format("{:.0f}%", 100.0 * e.probability_best[arm]),
                 in.scenario.arms[arm].name);
  return html + "</div>";
}

std::string guarantee_text(const RunReportInput& in) {
  const sim::Evaluation& e = *in.evaluation;
  const std::size_t challengers = in.labels.size() - 1;
  std::string html = fmt::format(
      "<p><b>The guarantee behind the choice.</b> Each uplift is the mean of {} paired "
      "differences (arm minus control in the same replication, on the same HCPs with common "
      "random numbers) with a paired Student-t 95% interval. Its p-value is a two-sided paired "
      "t-test, Holm-adjusted over the {} comparison{} on {} (Holm 1979), so the chance of "
      "declaring any arm better than the control when none is stays at most 5%. An arm is "
      "recommended only when its interval lies above zero and its Holm-adjusted p is below "
      "0.05. P(best) is the share of 4,000 paired bootstrap resamples of whole replications in "
      "which the arm has the largest mean: a description of how clear the ranking is, not a "
      "test.</p>",
      in.result.replications, challengers, challengers == 1 ? "" : "s",
      escape_html(e.primary_metric));
  if (in.result.selection) {
    const sim::SelectionReport& s = *in.result.selection;
    html += fmt::format(
        "<p><b>Selection by {}:</b> {} is best on {} after {} replications ({} arm-runs). {}{}"
        "</p>",
        escape_html(s.procedure), escape_html(in.scenario.arms[s.best].name),
        escape_html(in.scenario.primary_metric), s.replications_used, s.arm_runs,
        escape_html(s.guarantee),
        s.probability_correct >= 0
            ? fmt::format(" Estimated P(correct selection), APCS-B: {:.3f}.", s.probability_correct)
            : std::string());
  }
  if (e.live_test_size) {
    html += fmt::format(
        "<p><b>Live test.</b> Confirming {} against {} on {} ({} vs {} over {} days) needs {} "
        "{} per arm (two-sided alpha 0.05, power 0.8, R power.prop.test, pooled normal "
        "approximation); <code>journeysim size</code> and <code>journeysim plan</code> refine "
        "this.</p>",
        escape_html(in.scenario.arms[e.live_test_arm].name), escape_html(in.scenario.control_arm),
        escape_html(e.primary_metric),
        percent(arm_metric(in, e.live_test_arm, e.primary_metric).summary.mean, 2),
        percent(arm_metric(in, e.control, e.primary_metric).summary.mean, 2),
        in.scenario.horizon_days, grouped(e.live_test_size->control),
        sim::sample_unit(e.primary_metric));
  }
  return html;
}

// The money paragraph (docs/economics.md): the point of view, then each
// arm's cost, outcome, net monetary benefit (with values) and its place on
// the efficiency frontier in plain words.
std::string money_text(const RunReportInput& in) {
  const sim::EconomicEvaluation& e = in.evaluation->economics;
  const std::string& currency = in.scenario.currency;
  std::string html = fmt::format(
      "<h3>Money</h3><p>Over {} days, in {}: {}. {}</p>", in.scenario.horizon_days,
      escape_html(currency), escape_html(sim::kPointOfView),
      e.valued ? "Net monetary benefit is value minus cost (Stinnett &amp; Mullahy 1998); the "
                 "recommendation is the arm with the highest mean net monetary benefit within the "
                 "budget."
               : "The scenario gives no value per outcome, so cost was not weighed in the "
                 "recommendation.");
  html += fmt::format(
      "<div class=\"wide\"><table class=\"data\"><tr><th>arm</th><th class=\"num\">cost</th>"
      "<th class=\"num\">{}</th>{}<th>cost and effect</th></tr>",
      escape_html(sim::outcome_plural(e.outcome)),
      e.valued ? "<th class=\"num\">net monetary benefit (95% CI)</th>" : "");
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::ArmEconomics& arm = e.arms[a];
    const std::string nmb =
        e.valued ? fmt::format("<td class=\"num\">{} [{}, {}]</td>", sim::money(arm.nmb.mean),
                               sim::money(arm.nmb.lower), sim::money(arm.nmb.upper))
                 : std::string();
    html += fmt::format(
        "<tr><td>{}{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1f}</td>{}<td>{}{}</td>"
        "</tr>",
        swatch(in, a), escape_html(in.labels[a]), sim::money(arm.cost.mean), arm.outcome.mean, nmb,
        escape_html(sim::frontier_words(in.scenario, e, a)),
        arm.over_budget ? "; <b>over the budget</b>" : "");
  }
  html += "</table></div>";
  for (const std::string& warning : e.warnings) {
    html += fmt::format("<div class=\"callout warning\">{}.</div>", escape_html(warning));
  }
  return html;
}

std::string category_table(std::string_view title, const std::vector<sim::CategoryCount>& counts,
                           std::uint32_t hcps) {
  std::string html = fmt::format(
      "<table class=\"data\"><tr><th>{}</th><th class=\"num\">HCPs</th><th class=\"num\">share</th>"
      "<th class=\"num\">spec</th></tr>",
      escape_html(title));
  for (const sim::CategoryCount& c : counts) {
    html += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>",
        escape_html(c.name), grouped(c.count),
        percent(hcps > 0 ? static_cast<double>(c.count) / hcps : 0.0), percent(c.expected_share));
  }
  return html + "</table>";
}

std::string barrier_table(const sim::PopulationSummary& p) {
  std::string html =
      "<table class=\"data\"><tr><th>barrier</th><th class=\"num\">mean strength</th>"
      "<th class=\"num\">dominant for</th></tr>";
  for (std::size_t b = 0; b < agents::kBarrierCount; ++b) {
    html += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{}</td></tr>",
        escape_html(p.dominant_barrier[b].name), p.mean_barrier[b],
        percent(p.hcps > 0 ? static_cast<double>(p.dominant_barrier[b].count) / p.hcps : 0.0));
  }
  return html + "</table>";
}

std::string channel_table(const sim::PopulationSummary& p) {
  std::string html =
      "<table class=\"data\"><tr><th>channel</th><th class=\"num\">reachable</th>"
      "<th class=\"num\">mean affinity (logit)</th></tr>";
  for (const sim::ChannelSummary& c : p.channels) {
    html +=
        fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:+.2f}</td></tr>",
                    escape_html(c.name), percent(c.reachable_share), c.mean_affinity);
  }
  return html + "</table>";
}

std::string facts_table(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string html = "<table class=\"data\">";
  for (const auto& [key, value] : rows) {
    html += "<tr><th>" + escape_html(key) + "</th><td>" + value + "</td></tr>";
  }
  return html + "</table>";
}

std::string population_html(const sim::PopulationSummary& p) {
  const sim::NetworkSummary& n = p.network;
  std::string html = "<h3>Population (replication 0)</h3>";
  html += fmt::format(
      "<p>{} HCPs in {} practices; {} known to the CRM (addressable), {} opinion leaders, {:.1f} "
      "eligible patients a month on average. Other replications redraw the population from the "
      "same specification.</p>",
      grouped(p.hcps), grouped(p.practices), percent(p.known_share),
      percent(p.opinion_leader_share), p.mean_patients_per_month);
  std::array<sim::CategoryCount, agents::kStageCount> stages = p.start_stages;
  html += "<div class=\"tables\">" + category_table("segment", p.segments, p.hcps) +
          category_table("specialty", p.specialties, p.hcps) +
          category_table("stage at the start",
                         std::vector<sim::CategoryCount>(stages.begin(), stages.end()), p.hcps) +
          barrier_table(p) + channel_table(p) + "</div>";
  html += "<h3>Peer network (replication 0)</h3>";
  html += facts_table(
      {{"ties", grouped(n.ties)},
       {"mean degree", fmt::format("{:.2f}", n.mean_degree)},
       {"largest degree", std::to_string(n.max_degree)},
       {"HCPs with no tie", percent(n.isolated_share)},
       {"opinion leaders' mean degree", fmt::format("{:.2f}", n.opinion_leader_mean_degree)},
       {"ties inside a practice", percent(n.within_practice_tie_share)},
       {"ties inside a region", percent(n.within_region_tie_share)}});
  return html;
}

}  // namespace

const sim::ArmMetric& arm_metric(const RunReportInput& in, std::size_t arm, std::string_view name) {
  for (const sim::ArmMetric& metric : in.result.metrics.at(arm)) {
    if (metric.name == name) return metric;
  }
  throw std::logic_error("the run has no metric " + std::string(name));
}

const sim::Comparison* comparison(const RunReportInput& in, std::size_t arm,
                                  std::string_view metric) {
  if (in.evaluation == nullptr) return nullptr;
  for (const sim::Comparison& c : in.evaluation->comparisons) {
    if (c.arm == arm && c.metric == metric) return &c;
  }
  return nullptr;
}

bool is_share_metric(std::string_view metric) {
  return metric == "trial_rate" || metric == "adoption_rate";
}

Section decision_section(const RunReportInput& in) {
  Section section{"decision", "The decision", {}};
  std::string html;
  if (in.evaluation == nullptr) {
    html += fmt::format(
        "<div class=\"callout warning\"><b>No decision.</b> The scenario has one arm, {}, so "
        "there is nothing to compare it with: no uplift, no recommendation and no live-test size. "
        "Add a second arm (a control or another journey) to the scenario's <code>arms</code> to "
        "get them. The other sections describe this arm alone.</div>",
        escape_html(in.scenario.arms.front().name));
  } else {
    const sim::Evaluation& e = *in.evaluation;
    html += fmt::format("<div class=\"callout\"><b>Recommendation:</b> {}.</div>",
                        escape_html(e.recommendation));
    html += headline_figures(in);
    html += decision_table(in);
    html += guarantee_text(in);
    html += money_text(in);
  }
  html += fmt::format(
      "<h3>Key metrics</h3><p>Mean over {} replications with the 95% Student-t interval across "
      "them; the arms' intervals overlap more than their paired differences do.</p>",
      in.result.replications);
  html += key_metrics_table(in);
  section.blocks.push_back({std::move(html), std::nullopt});
  return section;
}

Section simulated_section(const RunReportInput& in, const sim::PopulationSummary& population,
                          std::string_view version, std::string_view command) {
  const sim::Scenario& s = in.scenario;
  Section section{"simulated", "What was simulated", {}};
  std::string sizes;
  const auto& ps = in.result.population_sizes;
  const bool same =
      std::all_of(ps.begin(), ps.end(), [&](std::uint32_t n) { return n == ps.front(); });
  sizes = same && !ps.empty() ? grouped(ps.front()) + " in every replication"
                              : fmt::format("{}", fmt::join(ps, ", "));
  std::vector<std::pair<std::string, std::string>> facts = {
      {"scenario", escape_html(s.name)},
      {"description", escape_html(s.description)},
      {"manifest", "<code>" + escape_html(s.manifest.string()) + "</code>"},
      {"content hash",
       "<code>" + escape_html(s.content_hash) + "</code> (manifest, tables and journeys)"},
      {"seed", std::to_string(in.result.seed)},
      {"replications", std::to_string(in.result.replications)},
      {"HCPs", sizes},
      {"horizon", fmt::format("{} days", s.horizon_days)},
      {"arms", fmt::format("{} (control: {})", s.arms.size(), escape_html(s.control_arm))},
      {"primary metric", escape_html(s.primary_metric)},
      {"currency", escape_html(s.currency)},
      {"journeysim version", escape_html(version)},
  };
  for (const sim::ParameterOverride& o : s.overrides) {
    facts.emplace_back("parameter set",
                       fmt::format("<code>{}</code> = {} (the scenario's files: {})",
                                   escape_html(o.path), o.value, o.scenario_value));
  }
  if (in.result.selection) {
    facts.emplace_back("selection", escape_html(in.result.selection->procedure) +
                                        ": rerun with the same <code>--select</code> options "
                                        "(the guarantee in section 1 names delta and alpha)");
  }
  std::string html = facts_table(facts);
  html +=
      "<h3>Rerun it</h3><p>The same scenario files (same content hash), seed and size give "
      "the same numbers on any number of threads:</p>";
  html += "<code class=\"command\">" + escape_html(command) + "</code>";
  for (const std::string& warning : s.warnings) {
    html += "<p class=\"callout warning\">Scenario warning: " + escape_html(warning) + "</p>";
  }
  html += population_html(population);
  html +=
      "<h3>The arms' journeys</h3><p>Each box is a step in file order (▶ the first): its "
      "kind, what it sends and through which channel, how long it waits and where it "
      "branches. An arrow means the step goes on to the next box.</p>";
  for (std::size_t a = 0; a < s.arms.size(); ++a) {
    html += "<h3>" + swatch(in, a) + escape_html(in.labels[a]) + "</h3>";
    if (!s.arms[a].description.empty()) html += "<p>" + escape_html(s.arms[a].description) + "</p>";
    html += arm_journeys_html(s, s.arms[a]);
  }
  section.blocks.push_back({std::move(html), std::nullopt});
  return section;
}

}  // namespace detail

std::string rerun_command(const sim::Scenario& scenario, const sim::ExperimentResult& result,
                          const std::filesystem::path& folder) {
  std::filesystem::path where = scenario.manifest;
  if (where.filename() == "scenario.yaml") where = where.parent_path();
  if (where.empty()) where = ".";
  const auto quote = [](const std::string& text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '.' || c == '_' ||
             c == '-' || c == '=' || c == ',';
    });
    if (plain && !text.empty()) return text;
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
  };
  std::string command = fmt::format(
      "journeysim run {} --out {} --replications {} --seed {} --size {}", quote(where.string()),
      quote(folder.string()), result.replications, result.seed, scenario.population.size);
  // Parameters set after loading change the content hash; fmt's "{}" writes
  // the shortest text that reads back as the same double.
  for (const sim::ParameterOverride& o : scenario.overrides) {
    command += " --set " + quote(fmt::format("{}={}", o.path, o.value));
  }
  return command;
}

namespace {

Page run_report_page(const sim::Scenario& scenario, const sim::ExperimentResult& result,
                     const sim::Evaluation* evaluation, const sim::PopulationSummary& population,
                     std::string_view version, std::string_view command) {
  detail::RunReportInput in{scenario, result, evaluation, 0, {}};
  if (evaluation != nullptr) {
    in.control = evaluation->control;
  } else {
    for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
      if (scenario.arms[a].name == scenario.control_arm) in.control = a;
    }
  }
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    in.labels.push_back(vl::arm_label(scenario.arms[a].name, a == in.control));
  }
  Page page;
  page.title = fmt::format("journeysim run: {}", scenario.name);
  page.intro_html = fmt::format(
      "<p>{} arm{} × {} replications on {} HCPs, {} days, seed {}. Scenario hash <code>{}</code>. "
      "Charts are drawn in the page from the specs in <code>charts/</code>, which open in any "
      "Vega-Lite viewer.</p>",
      scenario.arms.size(), scenario.arms.size() == 1 ? "" : "s", result.replications,
      detail::grouped(scenario.population.size), scenario.horizon_days, result.seed,
      escape_html(scenario.content_hash));
  page.sections.push_back(detail::decision_section(in));
  page.sections.push_back(detail::adoption_section(in));
  page.sections.push_back(detail::funnel_section(in));
  page.sections.push_back(detail::uplift_section(in));
  page.sections.push_back(detail::friction_section(in));
  page.sections.push_back(detail::time_to_prescription_section(in));
  page.sections.push_back(detail::cost_section(in));
  page.sections.push_back(detail::simulated_section(in, population, version, command));
  page.footer_html = fmt::format(
      "Written by journeysim {}. How every number is computed: docs/outputs.md, “report.html and "
      "charts/”, and docs/statistics.md.",
      escape_html(version));
  return page;
}

}  // namespace

std::string run_report_html(const sim::Scenario& scenario, const sim::ExperimentResult& result,
                            const sim::Evaluation* evaluation,
                            const sim::PopulationSummary& population, std::string_view version,
                            std::string_view command) {
  return render_page(run_report_page(scenario, result, evaluation, population, version, command));
}

void write_run_report(const std::filesystem::path& folder, const sim::Scenario& scenario,
                      const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                      std::string_view version) {
  const agents::Population population = agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, result.seed, 0);
  const agents::PeerNetwork network =
      agents::build_network(scenario.network, population, result.seed, 0);
  const sim::PopulationSummary summary = sim::summarize_population(scenario, population, network);
  write_page(folder, "report.html",
             run_report_page(scenario, result, evaluation, summary, version,
                             rerun_command(scenario, result, folder)));
}

}  // namespace journeysim::reports
