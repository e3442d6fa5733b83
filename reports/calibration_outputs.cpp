#include "reports/calibration_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "reports/atomic_file.hpp"
#include "reports/csv_text.hpp"
#include "reports/html_page.hpp"
#include "reports/vega_lite.hpp"

namespace journeysim::reports {
namespace {

using nlohmann::json;

constexpr std::string_view kObserved = "observed";
constexpr std::string_view kAtStart = "simulated at start";
constexpr std::string_view kAtFit = "simulated at fit";

// NaN (no standard error when not identifiable) as JSON null.
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

// A value to about four significant digits for people; "n/a" for NaN.
std::string short_number(double value) {
  return std::isfinite(value) ? fmt::format("{:.4g}", value) : std::string("n/a");
}

// Which estimate the asymptotic standard error is (docs/calibrate.md, Uncertainty).
std::string asymptotic_source(const sim::FittedParameter& f) {
  return f.error_from_simulation ? "simulation" : "residuals";
}

// The method of the stated interval, as the outputs name it.
std::string method_name(const sim::FittedParameter& f) {
  return f.interval_method == sim::IntervalMethod::bootstrap_percentile ? "bootstrap percentile"
                                                                        : "asymptotic";
}

bool bootstrapped(const sim::CalibrationResult& result) { return !result.bootstrap.empty(); }

void write_fit_csv(const std::filesystem::path& folder, const sim::Scenario& scenario,
                   const sim::CalibrationResult& result) {
  AtomicFile file(folder / "fit.csv");
  std::ostream& out = file.stream();
  fmt::print(out, "# journeysim fit schema={} scenario={} hash={} arm={} seed={} replications={}\n",
             kCalibrationOutputSchema, scenario.name, scenario.content_hash, result.arm,
             result.seed, result.replications);
  out << "series,day,observed,simulated_start,simulated_fit,weight\n";
  for (const sim::FittedPoint& p : result.points) {
    const std::string day = p.observation.is_curve() ? std::to_string(p.observation.day) : "";
    fmt::print(out, "{},{},{},{},{},{}\n", csv_field(p.observation.series()), day,
               p.observation.value, p.at_start, p.at_fit, p.weight);
  }
  file.commit();
}

// bootstrap.csv: one row per refit, so that anyone can recompute the
// percentile intervals. Written only when the bootstrap ran.
void write_bootstrap_csv(const std::filesystem::path& folder, const sim::Scenario& scenario,
                         const sim::CalibrationResult& result) {
  const std::filesystem::path path = folder / "bootstrap.csv";
  if (!bootstrapped(result)) {
    std::filesystem::remove(path);  // A previous run's refits would not belong to this fit.
    return;
  }
  AtomicFile file(path);
  std::ostream& out = file.stream();
  fmt::print(out,
             "# journeysim bootstrap schema={} scenario={} hash={} arm={} seed={} "
             "replications={} refits={}\n",
             kCalibrationOutputSchema, scenario.name, scenario.content_hash, result.arm,
             result.seed, result.replications, result.bootstrap.size());
  out << "refit,launch_seed,fit_seed,evaluations,converged";
  for (const sim::FittedParameter& f : result.parameters) out << ',' << csv_field(f.path);
  out << '\n';
  for (std::size_t b = 0; b < result.bootstrap.size(); ++b) {
    const sim::BootstrapFit& fit = result.bootstrap[b];
    fmt::print(out, "{},{},{},{},{}", b, fit.launch_seed, fit.fit_seed, fit.evaluations,
               fit.converged ? "true" : "false");
    for (const double value : fit.values) fmt::print(out, ",{}", value);
    out << '\n';
  }
  file.commit();
}

json parameters_json(const sim::CalibrationResult& result) {
  json parameters = json::array();
  for (const sim::FittedParameter& f : result.parameters) {
    const json bootstrap =
        bootstrapped(result)
            ? json{{"standard_error", number(f.bootstrap_standard_error)},
                   {"interval_95", {number(f.bootstrap_lower), number(f.bootstrap_upper)}}}
            : json(nullptr);
    parameters.push_back(
        {{"path", f.path},
         {"meaning", f.meaning},
         {"start", f.start},
         {"value", f.value},
         {"standard_error", number(f.standard_error)},
         {"interval_95", {number(f.interval_lower), number(f.interval_upper)}},
         {"interval_method", method_name(f)},
         {"bootstrap", bootstrap},
         {"asymptotic",
          {{"standard_error", number(f.asymptotic_standard_error)},
           {"from", asymptotic_source(f)},
           {"residual_standard_error", number(f.residual_standard_error)},
           {"simulation_standard_error", number(f.simulation_standard_error)},
           {"interval_95", {number(f.asymptotic_lower), number(f.asymptotic_upper)}}}},
         {"bounds", {f.lower_bound, f.upper_bound}},
         {"difference_step", f.difference_step},
         {"at_bound", f.at_bound}});
  }
  return parameters;
}

json bootstrap_json(const sim::CalibrationResult& result) {
  std::uint32_t evaluations = 0;
  std::uint32_t not_converged = 0;
  for (const sim::BootstrapFit& fit : result.bootstrap) {
    evaluations += fit.evaluations;
    not_converged += fit.converged ? 0 : 1;
  }
  return {{"refits", result.bootstrap.size()},
          {"order_statistics", {result.bootstrap_order_lower, result.bootstrap_order_upper}},
          {"evaluations", evaluations},
          {"not_converged", not_converged}};
}

json correlation_json(const sim::CalibrationResult& result) {
  json rows = json::array();
  for (const auto& row : result.correlation) {
    json cells = json::array();
    for (const double r : row) cells.push_back(number(r));
    rows.push_back(cells);
  }
  return rows;
}

json calibration_json(const sim::Scenario& scenario, const CalibrationContext& context,
                      const sim::CalibrationResult& result, const std::string& command) {
  json errors = json::array();
  for (const sim::SeriesError& e : result.errors) {
    errors.push_back({{"series", e.series},
                      {"points", e.points},
                      {"rmse_start", e.rmse_start},
                      {"rmse_fit", e.rmse_fit}});
  }
  return {
      {"schema", kCalibrationOutputSchema},
      {"journeysim_version", context.version},
      {"scenario",
       {{"name", scenario.name},
        {"path", context.scenario_path},
        {"content_hash", scenario.content_hash}}},
      {"observed_file", context.observed_file},
      {"arm", result.arm},
      {"seed", result.seed},
      {"replications", result.replications},
      {"parameters", parameters_json(result)},
      {"bootstrap", bootstrap_json(result)},
      {"correlation", correlation_json(result)},
      {"identifiable", result.identifiable},
      {"identifiability", result.identifiability},
      {"fit_error", errors},
      {"objective",
       {{"start", result.objective_start},
        {"fit", result.objective_fit},
        {"observations", result.points.size()},
        {"degrees_of_freedom", result.degrees_of_freedom},
        {"residual_variance", result.residual_variance}}},
      {"optimiser",
       {{"algorithm", "NLopt LN_BOBYQA"},
        {"evaluations", result.optimiser_evaluations},
        {"jacobian_evaluations", result.jacobian_evaluations},
        {"max_evaluations", result.max_evaluations},
        {"xtol_rel", result.xtol_rel},
        {"converged", result.converged},
        {"stop_reason", result.stop_reason}}},
      {"rerun_command", command},
  };
}

// One chart's rows: observed, simulated at start and at fit, for the points of one kind.
json chart_rows(const sim::CalibrationResult& result, bool curves) {
  json rows = json::array();
  for (const sim::FittedPoint& p : result.points) {
    if (p.observation.is_curve() != curves) continue;
    const json key = curves ? json{{"series", p.observation.series()}, {"day", p.observation.day}}
                            : json{{"channel", p.observation.channel}};
    for (const auto& [source, value] :
         {std::pair{kObserved, p.observation.value}, std::pair{kAtStart, p.at_start},
          std::pair{kAtFit, p.at_fit}}) {
      json row = key;
      row["source"] = source;
      row["value"] = value;
      rows.push_back(row);
    }
  }
  return rows;
}

// Observed in black, the start in grey, the fit in Okabe-Ito blue.
json source_color() {
  json color = vl::channel("source", "nominal", "");
  color["scale"] = {{"domain", {kObserved, kAtStart, kAtFit}},
                    {"range", {"#000000", "#999999", "#0072B2"}}};
  return color;
}

json share_axis(std::string_view title) {
  json y = vl::channel("value", "quantitative", title);
  y["axis"] = {{"format", "%"}};
  return y;
}

Chart facetted_curves(const sim::CalibrationResult& result) {
  json layer = {{"encoding",
                 {{"x", vl::channel("day", "quantitative", "Day")},
                  {"y", share_axis("Share of HCPs")},
                  {"color", source_color()}}}};
  json dash = vl::channel("source", "nominal", "");
  dash["scale"] = {{"domain", {kAtStart, kAtFit}}, {"range", {{5, 4}, {1, 0}}}};
  dash["legend"] = nullptr;
  layer["layer"] = {{{"transform", {{{"filter", fmt::format("datum.source !== '{}'", kObserved)}}}},
                     {"mark", {{"type", "line"}, {"strokeWidth", 2}}},
                     {"encoding", {{"strokeDash", dash}}}},
                    {{"transform", {{{"filter", fmt::format("datum.source === '{}'", kObserved)}}}},
                     {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}}}};
  layer["width"] = vl::kFullWidth;
  layer["height"] = 240;
  json spec = vl::base_spec("Observed and simulated curves",
                            "points: observed; dashed: simulated at the start; solid: at the fit "
                            "(mean of the replications)",
                            chart_rows(result, true));
  spec["facet"] = {{"row", {{"field", "series"}, {"type", "nominal"}, {"title", nullptr}}}};
  spec["spec"] = layer;
  spec["resolve"] = {{"scale", {{"y", "independent"}}}};
  return {"curves", spec,
          "Cumulative trial: share of all HCPs with a first prescription by the day. Adoption: "
          "share at adopted or advocate at the end of the day."};
}

Chart engagement_chart(const sim::CalibrationResult& result) {
  json spec = vl::base_spec("Observed and simulated engagement rates",
                            "engaged touches per delivered touch over the horizon",
                            chart_rows(result, false));
  // A fixed step per channel keeps the bars narrow whatever the number of channels.
  spec["width"] = {{"step", 120}};
  spec["height"] = 240;
  spec["mark"] = {{"type", "bar"}};
  json x = vl::channel("channel", "nominal", "Channel");
  x["axis"] = {{"labelAngle", 0}};
  spec["encoding"] = {{"x", x},
                      {"xOffset", {{"field", "source"}, {"sort", {kObserved, kAtStart, kAtFit}}}},
                      {"y", share_axis("Engagement rate")},
                      {"color", source_color()}};
  return {"engagement", spec, ""};
}

// One sentence on how the stated intervals were made.
std::string interval_words(const sim::CalibrationResult& result) {
  if (bootstrapped(result)) {
    return fmt::format(
        "Standard error and 95% interval: parametric bootstrap, {} launches simulated at the fit "
        "and refitted (percentile interval: refits {} and {} of {} in order; bootstrap.csv). The "
        "asymptotic interval, from the Jacobian at the fit, is for comparison only: the seed's "
        "replications set it, and for some seeds it is far too narrow (docs/calibrate.md).",
        result.bootstrap.size(), result.bootstrap_order_lower, result.bootstrap_order_upper,
        result.bootstrap.size());
  }
  return fmt::format(
      "Standard error and 95% interval: asymptotic (no bootstrap, --bootstrap 0), the larger of "
      "the one from the residuals, s^2 (J^T W J)^-1 with t({}), and the one from the spread of "
      "simulated launches, with t({}), cut to the bounds. The seed's replications set it, and for "
      "some seeds it is far too narrow; run the bootstrap for intervals to rely on "
      "(docs/calibrate.md).",
      result.degrees_of_freedom, result.replications - 1);
}

std::string parameter_table_html(const sim::CalibrationResult& result) {
  std::string html =
      "<table><thead><tr><th>parameter</th><th>start</th><th>fitted</th><th>standard "
      "error</th><th>95% interval</th><th>method</th><th>asymptotic interval</th><th>bounds "
      "searched</th></tr></thead><tbody>";
  for (const sim::FittedParameter& f : result.parameters) {
    html += fmt::format(
        "<tr><td><code>{}</code></td><td>{}</td><td>{}{}</td><td>{}</td><td>[{}, {}]</td>"
        "<td>{}</td><td>[{}, {}]</td><td>[{}, {}]</td></tr>",
        escape_html(f.path), short_number(f.start), short_number(f.value),
        f.at_bound ? " (at a bound)" : "", short_number(f.standard_error),
        short_number(f.interval_lower), short_number(f.interval_upper), method_name(f),
        short_number(f.asymptotic_lower), short_number(f.asymptotic_upper),
        short_number(f.lower_bound), short_number(f.upper_bound));
  }
  return html + "</tbody></table><p>" + escape_html(interval_words(result)) + "</p>";
}

std::string error_table_html(const sim::CalibrationResult& result) {
  std::string html =
      "<table><thead><tr><th>series</th><th>points</th><th>RMSE at start</th><th>RMSE at "
      "fit</th></tr></thead><tbody>";
  for (const sim::SeriesError& e : result.errors) {
    html +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", escape_html(e.series),
                    e.points, short_number(e.rmse_start), short_number(e.rmse_fit));
  }
  return html + "</tbody></table>";
}

Page calibration_page(const sim::Scenario& scenario, const CalibrationContext& context,
                      const sim::CalibrationResult& result, const std::string& command) {
  Page page;
  page.title = fmt::format("journeysim calibrate: {}", scenario.name);
  page.intro_html = fmt::format(
      "<p>Arm <code>{}</code> fitted to <code>{}</code> ({} observations) by weighted least "
      "squares over {} replications per evaluation, seed {}, common random numbers. Scenario "
      "hash <code>{}</code>. The method is in docs/calibrate.md.</p>",
      escape_html(result.arm), escape_html(context.observed_file), result.points.size(),
      result.replications, result.seed, escape_html(scenario.content_hash));
  Section fit{"fit", "Fitted values", {}};
  std::string words = parameter_table_html(result);
  words +=
      fmt::format("<p>{}{}</p>", result.identifiable ? "" : "<strong>Not identifiable.</strong> ",
                  escape_html(result.identifiability));
  words += fmt::format(
      "<p>Optimiser: NLopt BOBYQA, {} evaluations and {} for the Jacobian; {}: "
      "{}.</p><p>Rerun with the fit: <code>{}</code></p>",
      result.optimiser_evaluations, result.jacobian_evaluations,
      result.converged ? "converged" : "did not converge", escape_html(result.stop_reason),
      escape_html(command));
  fit.blocks.push_back({words, std::nullopt});
  page.sections.push_back(std::move(fit));
  Section overlay{"overlay", "Observed against simulated", {}};
  overlay.blocks.push_back({error_table_html(result), std::nullopt});
  const bool curves = std::any_of(result.points.begin(), result.points.end(),
                                  [](const auto& p) { return p.observation.is_curve(); });
  const bool rates = std::any_of(result.points.begin(), result.points.end(),
                                 [](const auto& p) { return !p.observation.is_curve(); });
  if (curves) overlay.blocks.push_back({"", facetted_curves(result)});
  if (rates) overlay.blocks.push_back({"", engagement_chart(result)});
  page.sections.push_back(std::move(overlay));
  page.footer_html = fmt::format("Written by journeysim {}. Columns and keys: docs/calibrate.md.",
                                 escape_html(context.version));
  return page;
}

std::string default_out(const sim::Scenario& scenario) {
  return "out/" + scenario.name + "-calibrated";
}

// The shell word as is when it is plain, else in single quotes.
std::string shell_word(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./=:,+@%") == std::string_view::npos;
  if (plain) return std::string(text);
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::string rerun_command(const CalibrationContext& context, const sim::CalibrationResult& result,
                          std::string_view out) {
  std::string command =
      fmt::format("journeysim run {} --out {}", shell_word(context.scenario_path), shell_word(out));
  for (const sim::FittedParameter& f : result.parameters) {
    // {} prints the shortest text that reads back as the same double.
    command += fmt::format(" --set {}", shell_word(fmt::format("{}={}", f.path, f.value)));
  }
  return command;
}

void write_calibration_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                               const CalibrationContext& context,
                               const sim::CalibrationResult& result) {
  std::filesystem::create_directories(folder);
  const std::string command = rerun_command(context, result, default_out(scenario));
  write_fit_csv(folder, scenario, result);
  write_bootstrap_csv(folder, scenario, result);
  write_page(folder, "report.html", calibration_page(scenario, context, result, command));
  // The summary last: its presence says every other file is complete.
  AtomicFile summary(folder / "calibration.json");
  summary.stream() << calibration_json(scenario, context, result, command).dump(2) << '\n';
  summary.commit();
}

void print_calibration(std::ostream& out, const sim::Scenario& scenario,
                       const CalibrationContext& context, const sim::CalibrationResult& result) {
  fmt::print(out,
             "Calibration of scenario '{}', arm '{}': {} observations, {} parameter{}, {} "
             "replications per evaluation, seed {}\n\n",
             scenario.name, result.arm, result.points.size(), result.parameters.size(),
             result.parameters.size() == 1 ? "" : "s", result.replications, result.seed);
  fmt::print(out, "{:<44} {:>11} {:>11} {:>11} {:<24} {}\n", "parameter", "start", "fitted",
             "std. error", "95% interval", "asymptotic, for comparison");
  for (const sim::FittedParameter& f : result.parameters) {
    fmt::print(
        out, "{:<44} {:>11} {:>11} {:>11} {:<24} {}{}\n", f.path, short_number(f.start),
        short_number(f.value), short_number(f.standard_error),
        fmt::format("[{}, {}]", short_number(f.interval_lower), short_number(f.interval_upper)),
        fmt::format("[{}, {}]", short_number(f.asymptotic_lower), short_number(f.asymptotic_upper)),
        f.at_bound ? "  at a bound" : "");
  }
  if (!result.identifiability.empty()) fmt::print(out, "{}\n", result.identifiability);
  fmt::print(out, "\n{:<44} {:>6} {:>11} {:>11}\n", "fit error (RMSE)", "points", "at start",
             "at fit");
  for (const sim::SeriesError& e : result.errors) {
    fmt::print(out, "{:<44} {:>6} {:>11} {:>11}\n", e.series, e.points, short_number(e.rmse_start),
               short_number(e.rmse_fit));
  }
  fmt::print(out, "\nOptimiser: NLopt BOBYQA, {} evaluations (+{} for the Jacobian); {}: {}.\n",
             result.optimiser_evaluations, result.jacobian_evaluations,
             result.converged ? "converged" : "did not converge", result.stop_reason);
  fmt::print(out, "{}\n", interval_words(result));
  fmt::print(out, "Rerun with the fit: {}\n",
             rerun_command(context, result, default_out(scenario)));
}

}  // namespace journeysim::reports
