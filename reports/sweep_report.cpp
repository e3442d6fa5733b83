// report.html of `journeysim sweep`. Every interval is the mean and 95%
// Student-t interval across replications at one grid point (sim::mean_interval,
// Law 2015 eq. 4.12); uplifts are paired with the control by replication
// (docs/statistics.md). Rows of the charts are the numbers of sweep.csv and
// tornado.csv.
#include "reports/sweep_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <vector>

#include "reports/detail/report_format.hpp"
#include "reports/html_page.hpp"
#include "reports/vega_lite.hpp"

namespace journeysim::reports {
namespace {

using nlohmann::json;

// At most this many panels in one parameter's chart of a sweep of two or more
// parameters: at 1280 px, two columns of three rows stay readable.
constexpr std::size_t kMaxPanels = 6;
// A grid of at most this many points is also shown as a table.
constexpr std::size_t kMaxTableRows = 40;
// Width of one panel when a chart is faceted in two columns.
constexpr int kPanelWidth = 360;

constexpr std::string_view kChanges = "the recommendation changes";
constexpr std::string_view kSame = "same recommendation";

std::size_t control_of(const sim::Scenario& scenario) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == scenario.control_arm) return a;
  }
  return 0;
}

// A parameter value, exactly as set (shortest text that reads back the same).
std::string exact(double value) { return fmt::format("{}", value); }

bool is_share_metric(std::string_view metric) {
  return metric == "trial_rate" || metric == "adoption_rate";
}

// The shell word as is when it is plain, else in single quotes.
std::string shell_word(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '=' || c == ',' || c == ':';
  });
  if (plain) return std::string(text);
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// What the report needs besides the sweep: arm labels, units and the grid's shape.
struct SweepReportInput {
  const sim::Scenario& scenario;
  const sim::SweepResult& sweep;
  std::size_t control = 0;
  std::vector<std::string> labels;   // Arm labels, "NAME (control)" for the control.
  double scale = 1.0;                // 100 for a share metric: percent and percentage points.
  std::vector<std::size_t> strides;  // Point p has value index p / strides[i] % steps of axis i.

  SweepReportInput(const sim::Scenario& s, const sim::SweepResult& r) : scenario(s), sweep(r) {
    control = control_of(s);
    for (std::size_t a = 0; a < s.arms.size(); ++a) {
      labels.push_back(vl::arm_label(s.arms[a].name, a == control));
    }
    scale = is_share_metric(s.primary_metric) ? 100.0 : 1.0;
    strides.assign(r.axes.size(), 1);
    for (std::size_t i = r.axes.size(); i-- > 1;) {
      strides[i - 1] = strides[i] * r.axes[i].values.size();
    }
  }
  std::size_t index(std::size_t point, std::size_t axis) const {
    return point / strides[axis] % sweep.axes[axis].values.size();
  }
  bool one_arm() const { return labels.size() < 2; }
  const std::string& metric() const { return scenario.primary_metric; }
  const std::string& arm(std::size_t a) const { return scenario.arms[a].name; }
};

std::string metric_title(const SweepReportInput& in) {
  if (in.scale != 1.0) {
    return fmt::format("{} (% of {})", in.metric(),
                       in.metric() == "trial_rate" ? "HCPs not yet prescribing" : "HCPs");
  }
  if (in.metric() == "prescriptions") return "prescriptions over the horizon";
  return in.metric();
}

// The y title of an uplift; short enough for a 200 px high panel when faceted.
std::string uplift_title(const SweepReportInput& in, bool faceted) {
  if (faceted) return in.scale != 1.0 ? "arm − control (% points)" : "arm − control";
  if (in.scale != 1.0) {
    return fmt::format("{}: arm − control (percentage points)", in.metric());
  }
  return fmt::format("{}: arm − control", in.metric());
}

// A value of the primary metric for people: "19.2%" or "1234".
std::string metric_text(const SweepReportInput& in, double value) {
  return in.scale != 1.0 ? detail::percent(value, 2) : fmt::format("{:.4g}", value);
}

std::string uplift_text(const SweepReportInput& in, double value) {
  return in.scale != 1.0 ? detail::points(value) : fmt::format("{:+.4g}", value);
}

std::string axis_title(const sim::ResolvedAxis& axis) {
  return fmt::format("{}: {}", axis.parameter.path, axis.parameter.meaning);
}

// The value indices of axis shown in a chart along another axis: every one
// if they fit, else `count` evenly spaced ones with both ends, or the one
// nearest the scenario's value when only one fits.
std::vector<std::size_t> shown_indices(const sim::ResolvedAxis& axis, std::size_t count) {
  const std::size_t n = axis.values.size();
  std::vector<std::size_t> indices;
  if (count >= n) {
    for (std::size_t i = 0; i < n; ++i) indices.push_back(i);
  } else if (count <= 1) {
    std::size_t nearest = 0;
    for (std::size_t i = 1; i < n; ++i) {
      if (std::fabs(axis.values[i] - axis.parameter.value) <
          std::fabs(axis.values[nearest] - axis.parameter.value)) {
        nearest = i;
      }
    }
    indices.push_back(nearest);
  } else {
    for (std::size_t k = 0; k < count; ++k) {
      const auto i = static_cast<std::size_t>(std::lround(
          static_cast<double>(k) * static_cast<double>(n - 1) / static_cast<double>(count - 1)));
      if (indices.empty() || indices.back() != i) indices.push_back(i);
    }
  }
  return indices;
}

// The panels of the charts along axis `along`: which points each holds and its label.
struct Panels {
  std::vector<std::string> labels;               // In grid order; one empty label if 1-D.
  std::vector<std::vector<std::size_t>> points;  // Per panel, ascending along the axis.
  bool subset = false;                           // Some of the grid is not shown.
};

Panels panels_along(const SweepReportInput& in, std::size_t along) {
  const auto& axes = in.sweep.axes;
  const std::size_t others = axes.size() - 1;
  std::vector<std::vector<std::size_t>> shown(axes.size());
  Panels panels;
  if (others > 0) {
    // Values per other axis so that the panels number at most kMaxPanels.
    const auto per_axis = static_cast<std::size_t>(std::floor(
        std::pow(static_cast<double>(kMaxPanels), 1.0 / static_cast<double>(others)) + 1e-9));
    for (std::size_t j = 0; j < axes.size(); ++j) {
      if (j == along) continue;
      shown[j] = shown_indices(axes[j], std::max<std::size_t>(per_axis, 1));
      if (shown[j].size() < axes[j].values.size()) panels.subset = true;
    }
  }
  std::map<std::string, std::size_t> panel_of;
  for (std::size_t p = 0; p < in.sweep.points.size(); ++p) {
    std::string label;
    bool keep = true;
    for (std::size_t j = 0; j < axes.size() && keep; ++j) {
      if (j == along) continue;
      const std::size_t i = in.index(p, j);
      keep = std::find(shown[j].begin(), shown[j].end(), i) != shown[j].end();
      if (!label.empty()) label += ", ";
      label += fmt::format("{} = {}", axes[j].parameter.path, exact(axes[j].values[i]));
    }
    if (!keep) continue;
    const auto [it, added] = panel_of.emplace(label, panels.labels.size());
    if (added) {
      panels.labels.push_back(label);
      panels.points.emplace_back();
    }
    panels.points[it->second].push_back(p);
  }
  return panels;
}

// The scenario's own value of an axis, when it lies in the swept range.
std::optional<double> scenario_value_in_range(const sim::ResolvedAxis& axis) {
  const double v = axis.parameter.value;
  if (v < axis.values.front() || v > axis.values.back()) return std::nullopt;
  return v;
}

json parameter_x(const sim::ResolvedAxis& axis) {
  json x = vl::channel("value", "quantitative", axis_title(axis));
  x["scale"] = {{"domain", {axis.values.front(), axis.values.back()}}, {"nice", false}};
  x["axis"] = {{"titleLimit", vl::kFullWidth}};
  if (axis.parameter.range.integer) x["axis"]["tickMinStep"] = 1;
  return x;
}

// Arm colours for the arms in labels, as in the run report (the control black).
json arm_color(const SweepReportInput& in, const std::vector<std::size_t>& arms) {
  const json full = vl::arm_color_scale(in.labels, in.control);
  json domain = json::array();
  json range = json::array();
  for (const std::size_t a : arms) {
    domain.push_back(in.labels[a]);
    range.push_back(full["range"][a]);
  }
  json color = vl::channel("arm", "nominal", "Arm");
  color["scale"] = {{"domain", domain}, {"range", range}};
  color["sort"] = domain;
  color["legend"] = {{"symbolType", "stroke"}, {"symbolStrokeWidth", 3}, {"symbolOpacity", 1}};
  return color;
}

json only(std::string_view kind) {
  return json::array({{{"filter", fmt::format("datum.kind === '{}'", kind)}}});
}

// A vertical dashed rule at the scenario's value, labelled at the top, drawn
// once per panel (from the panel's row of kind "mark").
json scenario_rule_layers(const sim::ResolvedAxis& axis) {
  const std::optional<double> value = scenario_value_in_range(axis);
  if (!value) return json::array();
  const json x = {{"datum", *value}, {"type", "quantitative"}};
  // Right of the middle the label goes left of the line, clear of the legend.
  const bool right = *value > (axis.values.front() + axis.values.back()) / 2.0;
  return json::array({{{"transform", only("mark")},
                       {"mark", {{"type", "rule"}, {"color", "#555555"}, {"strokeDash", {4, 4}}}},
                       {"encoding", {{"x", x}}}},
                      {{"transform", only("mark")},
                       {"mark",
                        {{"type", "text"},
                         {"align", right ? "right" : "left"},
                         {"baseline", "top"},
                         {"dx", right ? -4 : 4},
                         {"dy", 2},
                         {"color", "#555555"},
                         {"fontSize", 11}}},
                       {"encoding",
                        {{"x", x},
                         {"y", {{"value", 0}}},
                         {"text", {{"value", fmt::format("scenario: {}", exact(*value))}}}}}}});
}

// A band (95% interval) and a line with points per arm, over the rows of kind "arm".
json band_and_line(const sim::ResolvedAxis& axis, const json& color, std::string_view y_title,
                   std::string_view mean_title) {
  const json x = parameter_x(axis);
  json y = vl::channel("mean", "quantitative", y_title);
  y["scale"] = {{"zero", false}};
  y["axis"] = {{"titleLimit", 320}};
  const json tooltip = json::array(
      {vl::channel("arm", "nominal", "Arm"),
       vl::channel("value", "quantitative", axis.parameter.path),
       {{"field", "mean"}, {"type", "quantitative"}, {"title", mean_title}, {"format", ".4~g"}},
       {{"field", "lower"},
        {"type", "quantitative"},
        {"title", "95% CI lower"},
        {"format", ".4~g"}},
       {{"field", "upper"},
        {"type", "quantitative"},
        {"title", "95% CI upper"},
        {"format", ".4~g"}},
       vl::channel("recommended", "nominal", "Recommended here")});
  return json::array(
      {{{"transform", only("arm")},
        {"mark", {{"type", "area"}, {"opacity", 0.15}}},
        {"encoding",
         {{"x", x},
          {"y", vl::channel("lower", "quantitative", y_title)},
          {"y2", {{"field", "upper"}}},
          {"color", color}}}},
       {{"transform", only("arm")},
        {"mark", {{"type", "line"}, {"strokeWidth", 2}, {"point", {{"size", 36}}}}},
        {"encoding", {{"x", x}, {"y", y}, {"color", color}, {"tooltip", tooltip}}}}});
}

// Puts layers in a single view, or facets them by panel (two columns).
json place(json spec, json layers, const Panels& panels, int height,
           const sim::ResolvedAxis& axis) {
  if (panels.labels.size() <= 1) {
    spec["width"] = vl::kFullWidth;
    spec["height"] = height;
    spec["layer"] = std::move(layers);
    return spec;
  }
  // Each column repeats the x title: the path alone fits a panel, and the
  // meaning goes to a second line of the subtitle.
  for (json& layer : layers) {
    json& encoding = layer["encoding"];
    if (encoding.contains("x") && encoding["x"].value("field", "") == "value") {
      encoding["x"]["title"] = axis.parameter.path;
      encoding["x"]["axis"]["titleLimit"] = kPanelWidth;
    }
  }
  spec["title"]["subtitle"] = {spec["title"].value("subtitle", ""),
                               fmt::format("x axis: {}", axis_title(axis))};
  spec["facet"] = {{"field", "panel"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"sort", panels.labels},
                   {"header", {{"labelLimit", kPanelWidth}, {"labelFontSize", 11}}}};
  spec["columns"] = 2;
  spec["spec"] = {{"width", kPanelWidth}, {"height", 200}, {"layer", std::move(layers)}};
  return spec;
}

std::string panels_caption(const Panels& panels) {
  if (panels.labels.size() <= 1 && !panels.subset) return "";
  std::string text = fmt::format(
      " One panel per combination of the other swept parameters' values{}.",
      panels.subset ? fmt::format(" (at most {}: evenly spaced values with both ends, or the one "
                                  "nearest the scenario's value; sweep.csv has every point)",
                                  kMaxPanels)
                    : std::string());
  return text;
}

Chart metric_chart(const SweepReportInput& in, std::size_t along) {
  const sim::ResolvedAxis& axis = in.sweep.axes[along];
  const Panels panels = panels_along(in, along);
  json rows = json::array();
  for (std::size_t k = 0; k < panels.labels.size(); ++k) {
    rows.push_back({{"kind", "mark"}, {"panel", panels.labels[k]}});
    for (const std::size_t p : panels.points[k]) {
      const sim::SweepPoint& point = in.sweep.points[p];
      for (std::size_t a = 0; a < point.arms.size(); ++a) {
        const sim::MeanInterval& m = point.arms[a].primary;
        rows.push_back({{"kind", "arm"},
                        {"panel", panels.labels[k]},
                        {"value", point.values[along]},
                        {"arm", in.labels[a]},
                        {"mean", m.mean * in.scale},
                        {"lower", m.lower * in.scale},
                        {"upper", m.upper * in.scale},
                        {"recommended", point.recommended == a ? "yes" : "no"}});
      }
    }
  }
  std::vector<std::size_t> arms;
  for (std::size_t a = 0; a < in.labels.size(); ++a) arms.push_back(a);
  json layers = band_and_line(axis, arm_color(in, arms), metric_title(in), in.metric());
  for (json& layer : scenario_rule_layers(axis)) layers.push_back(std::move(layer));
  json spec = vl::base_spec(
      fmt::format("{} per arm against {}", in.metric(), axis.parameter.path),
      "Mean across replications at each grid point, with its 95% interval (band)", std::move(rows));
  Chart chart;
  chart.name = fmt::format("metric_{}", along + 1);
  chart.spec = place(std::move(spec), std::move(layers), panels, 300, axis);
  chart.caption_html = fmt::format(
      "Every point runs with the same seed (common random numbers), so the curves are smooth "
      "and their differences are due to <code>{}</code>. The dashed line is the scenario's own "
      "value{}.{}",
      escape_html(axis.parameter.path),
      scenario_value_in_range(axis)
          ? ""
          : fmt::format(" ({} lies outside the swept range: no line)", exact(axis.parameter.value)),
      panels_caption(panels));
  return chart;
}

// Where along each panel's line the recommended arm differs from the point before.
struct Change {
  std::size_t panel = 0;
  std::size_t before = 0;  // Points.
  std::size_t after = 0;
};

std::vector<Change> changes_along(const SweepReportInput& in, const Panels& panels) {
  std::vector<Change> changes;
  for (std::size_t k = 0; k < panels.points.size(); ++k) {
    const std::vector<std::size_t>& line = panels.points[k];
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (in.sweep.points[line[i]].recommended != in.sweep.points[line[i - 1]].recommended) {
        changes.push_back({k, line[i - 1], line[i]});
      }
    }
  }
  return changes;
}

Chart uplift_chart(const SweepReportInput& in, std::size_t along) {
  const sim::ResolvedAxis& axis = in.sweep.axes[along];
  const Panels panels = panels_along(in, along);
  json rows = json::array();
  for (std::size_t k = 0; k < panels.labels.size(); ++k) {
    rows.push_back({{"kind", "mark"}, {"panel", panels.labels[k]}});
    for (const std::size_t p : panels.points[k]) {
      const sim::SweepPoint& point = in.sweep.points[p];
      for (std::size_t a = 0; a < point.arms.size(); ++a) {
        if (a == in.control) continue;
        const sim::MeanInterval& m = point.arms[a].uplift;
        rows.push_back({{"kind", "arm"},
                        {"panel", panels.labels[k]},
                        {"value", point.values[along]},
                        {"arm", in.labels[a]},
                        {"mean", m.mean * in.scale},
                        {"lower", m.lower * in.scale},
                        {"upper", m.upper * in.scale},
                        {"recommended", point.recommended == a ? "yes" : "no"}});
      }
    }
  }
  const std::vector<Change> changes = changes_along(in, panels);
  for (const Change& c : changes) {
    rows.push_back({{"kind", "change"},
                    {"panel", panels.labels[c.panel]},
                    {"value", in.sweep.points[c.after].values[along]},
                    {"label", fmt::format("→ {}", in.labels[in.sweep.points[c.after].recommended])},
                    {"side", in.sweep.points[c.after].values[along] <=
                                     (axis.values.front() + axis.values.back()) / 2.0
                                 ? "left"
                                 : "right"}});
  }
  std::vector<std::size_t> arms;
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    if (a != in.control) arms.push_back(a);
  }
  json layers =
      json::array({{{"transform", only("mark")},
                    {"mark", {{"type", "rule"}, {"color", "#000000"}, {"strokeWidth", 1}}},
                    {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}}});
  for (json& layer : band_and_line(axis, arm_color(in, arms),
                                   uplift_title(in, panels.labels.size() > 1), "uplift")) {
    layers.push_back(std::move(layer));
  }
  for (json& layer : scenario_rule_layers(axis)) layers.push_back(std::move(layer));
  if (!changes.empty()) {
    const json x = {{"field", "value"}, {"type", "quantitative"}};
    layers.push_back(
        {{"transform", only("change")},
         {"mark",
          {{"type", "rule"}, {"color", "#D55E00"}, {"strokeWidth", 2}, {"strokeDash", {2, 3}}}},
         {"encoding", {{"x", x}}}});
    // In the left half of the axis the label reads rightwards from its line, else leftwards,
    // so it stays inside the plot.
    for (const bool left : {true, false}) {
      layers.push_back(
          {{"transform",
            json::array({{{"filter", fmt::format("datum.kind === 'change' && datum.side === '{}'",
                                                 left ? "left" : "right")}}})},
           {"mark",
            {{"type", "text"},
             {"align", left ? "left" : "right"},
             {"baseline", "bottom"},
             {"dx", left ? 4 : -4},
             {"dy", -2},
             {"color", "#D55E00"},
             {"fontSize", 11}}},
           {"encoding", {{"x", x}, {"y", {{"value", 300}}}, {"text", {{"field", "label"}}}}}});
    }
  }
  json spec = vl::base_spec(
      fmt::format("Uplift over the control against {}", axis.parameter.path),
      fmt::format("Each arm minus {}, paired across replications, with its 95% interval; the "
                  "dotted orange lines mark where the recommended arm changes",
                  in.scenario.control_arm),
      std::move(rows));
  Chart chart;
  chart.name = fmt::format("uplift_{}", along + 1);
  chart.spec = place(std::move(spec), std::move(layers), panels, 300, axis);
  if (panels.labels.size() > 1) {
    // The labels of change lines sit at the bottom of each 200 px panel.
    for (json& layer : chart.spec["spec"]["layer"]) {
      if (layer["mark"]["type"] == "text" && layer["encoding"].contains("text") &&
          layer["encoding"]["text"].contains("field")) {
        layer["encoding"]["y"] = {{"value", 200}};
      }
    }
  }
  chart.caption_html = fmt::format(
      "Above the solid line at 0 an arm beats the control. The recommendation at each point "
      "follows docs/statistics.md (“Recommendation”): an arm must beat the control with a "
      "Holm-adjusted 95% interval above zero. {}{}",
      changes.empty() ? std::string("The recommended arm is the same at every point shown.")
                      : fmt::format("{} change{} of the recommended arm along this parameter "
                                    "(dotted lines, labelled with the arm recommended from there "
                                    "on).",
                                    changes.size(), changes.size() == 1 ? "" : "s"),
      panels_caption(panels));
  return chart;
}

std::string tornado_label(const SweepReportInput& in, const sim::TornadoBar& bar) {
  return fmt::format("{} ({} → {})", in.sweep.axes[bar.axis].parameter.path, exact(bar.low_value),
                     exact(bar.high_value));
}

std::string decision_words(const SweepReportInput& in) {
  if (in.sweep.decision_arm == in.control) {
    return fmt::format("{} of {}", in.metric(), in.arm(in.control));
  }
  return fmt::format("uplift of {} over {} on {}", in.arm(in.sweep.decision_arm),
                     in.arm(in.control), in.metric());
}

Chart tornado_chart(const SweepReportInput& in) {
  const bool uplift = in.sweep.decision_arm != in.control;
  json rows = json::array();
  std::vector<std::string> order;
  rows.push_back({{"kind", "mark"}});
  for (const sim::TornadoBar& bar : in.sweep.tornado) {
    const std::string label = tornado_label(in, bar);
    order.push_back(label);
    const std::string changes(bar.recommendation_changes ? kChanges : kSame);
    rows.push_back({{"kind", "bar"},
                    {"parameter", label},
                    {"low", bar.low.mean * in.scale},
                    {"high", bar.high.mean * in.scale},
                    {"swing", bar.swing * in.scale},
                    {"decision", changes},
                    {"recommended_low", in.arm(bar.low_recommended)},
                    {"recommended_high", in.arm(bar.high_recommended)}});
    for (const auto& [end, value, m] : {std::tuple{"at FROM", bar.low_value, bar.low},
                                        std::tuple{"at TO", bar.high_value, bar.high}}) {
      rows.push_back({{"kind", "end"},
                      {"parameter", label},
                      {"end", end},
                      {"parameter_value", value},
                      {"mean", m.mean * in.scale},
                      {"lower", m.lower * in.scale},
                      {"upper", m.upper * in.scale}});
    }
  }
  const std::string x_title =
      uplift ? fmt::format("{} − {} on {}{}", in.arm(in.sweep.decision_arm), in.arm(in.control),
                           in.metric(), in.scale != 1.0 ? " (percentage points)" : "")
             : metric_title(in);
  json y = vl::channel("parameter", "nominal", "");
  y["sort"] = order;
  y["axis"] = {{"labelLimit", 400}, {"labelFontSize", 12}};
  json x = vl::channel("low", "quantitative", x_title);
  x["scale"] = {{"zero", uplift}};
  x["axis"] = {{"titleLimit", 600}};
  json color = vl::channel("decision", "nominal", "At FROM or TO");
  color["scale"] = {{"domain", {kChanges, kSame}}, {"range", {"#D55E00", "#9E9E9E"}}};
  color["legend"] = {{"orient", "bottom"}};
  json shape = vl::channel("end", "nominal", "End of the range");
  shape["scale"] = {{"domain", {"at FROM", "at TO"}}, {"range", {"circle", "diamond"}}};
  shape["legend"] = {{"orient", "bottom"}};
  const double base = in.sweep.base_decision.mean * in.scale;
  json layers = json::array();
  if (uplift) {
    layers.push_back({{"transform", only("mark")},
                      {"mark", {{"type", "rule"}, {"color", "#000000"}}},
                      {"encoding", {{"x", {{"datum", 0}, {"type", "quantitative"}}}}}});
  }
  layers.push_back(
      {{"transform", only("bar")},
       {"mark", {{"type", "bar"}, {"height", {{"band", 0.6}}}}},
       {"encoding",
        {{"y", y},
         {"x", x},
         {"x2", {{"field", "high"}}},
         {"color", color},
         {"tooltip",
          json::array({vl::channel("parameter", "nominal", "Parameter"),
                       {{"field", "low"},
                        {"type", "quantitative"},
                        {"title", "At FROM"},
                        {"format", ".4~g"}},
                       {{"field", "high"},
                        {"type", "quantitative"},
                        {"title", "At TO"},
                        {"format", ".4~g"}},
                       {{"field", "swing"},
                        {"type", "quantitative"},
                        {"title", "Swing"},
                        {"format", "+.4~g"}},
                       vl::channel("recommended_low", "nominal", "Recommended at FROM"),
                       vl::channel("recommended_high", "nominal", "Recommended at TO")})}}}});
  const json end_tooltip = json::array({vl::channel("parameter", "nominal", "Parameter"),
                                        vl::channel("end", "nominal", "End"),
                                        vl::channel("parameter_value", "quantitative", "Value"),
                                        {{"field", "mean"},
                                         {"type", "quantitative"},
                                         {"title", "Decision metric"},
                                         {"format", ".4~g"}},
                                        {{"field", "lower"},
                                         {"type", "quantitative"},
                                         {"title", "95% CI lower"},
                                         {"format", ".4~g"}},
                                        {{"field", "upper"},
                                         {"type", "quantitative"},
                                         {"title", "95% CI upper"},
                                         {"format", ".4~g"}}});
  // FROM just above TO within each bar, so their intervals never hide each other.
  for (const auto& [end, offset] : {std::pair{"at FROM", -7}, std::pair{"at TO", 7}}) {
    const json keep =
        json::array({{{"filter", fmt::format("datum.kind === 'end' && datum.end === '{}'", end)}}});
    layers.push_back({{"transform", keep},
                      {"mark", {{"type", "rule"}, {"color", "#333333"}, {"yOffset", offset}}},
                      {"encoding",
                       {{"y", y},
                        {"x", vl::channel("lower", "quantitative", x_title)},
                        {"x2", {{"field", "upper"}}}}}});
    layers.push_back({{"transform", keep},
                      {"mark",
                       {{"type", "point"},
                        {"filled", true},
                        {"color", "#333333"},
                        {"size", 60},
                        {"yOffset", offset}}},
                      {"encoding",
                       {{"y", y},
                        {"x", vl::channel("mean", "quantitative", x_title)},
                        {"shape", shape},
                        {"tooltip", end_tooltip}}}});
  }
  const json base_x = {{"datum", base}, {"type", "quantitative"}};
  layers.push_back(
      {{"transform", only("mark")},
       {"mark",
        {{"type", "rule"}, {"color", "#0072B2"}, {"strokeDash", {6, 4}}, {"strokeWidth", 2}}},
       {"encoding", {{"x", base_x}}}});
  layers.push_back(
      {{"transform", only("mark")},
       {"mark",
        {{"type", "text"},
         {"align", "left"},
         {"baseline", "bottom"},
         {"dx", 4},
         {"color", "#0072B2"},
         {"fontSize", 11}}},
       {"encoding",
        {{"x", base_x},
         {"y", {{"value", 0}}},
         {"text",
          {{"value",
            fmt::format("base: {}", uplift ? uplift_text(in, in.sweep.base_decision.mean)
                                           : metric_text(in, in.sweep.base_decision.mean))}}}}}});
  json spec = vl::base_spec(
      "Tornado: what the decision depends on",
      fmt::format("{} with one parameter at FROM and at TO, the others at the scenario's values; "
                  "largest swing first",
                  decision_words(in)),
      std::move(rows));
  spec["width"] = 600;
  spec["height"] = {{"step", 44}};
  spec["layer"] = std::move(layers);
  Chart chart;
  chart.name = "tornado";
  chart.spec = std::move(spec);
  chart.caption_html = fmt::format(
      "Each bar runs from the decision metric with the parameter at FROM (circle) to at TO "
      "(diamond), with their 95% intervals (paired across replications); the dashed blue line "
      "is the base, every parameter at the scenario's value. Orange bars: the recommended arm at "
      "FROM or TO differs from the one at the base ({}). One at a time: interactions show only "
      "on the grid.",
      escape_html(in.arm(in.sweep.base.recommended)));
  return chart;
}

std::string facts_table(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string html = "<table class=\"data\">";
  for (const auto& [key, value] : rows) {
    html += "<tr><th>" + escape_html(key) + "</th><td>" + value + "</td></tr>";
  }
  return html + "</table>";
}

// "5 × 4 = 20 points" or "8 points".
std::string grid_words(const sim::SweepResult& sweep) {
  std::string sizes;
  for (const sim::ResolvedAxis& axis : sweep.axes) {
    if (!sizes.empty()) sizes += " × ";
    sizes += std::to_string(axis.values.size());
  }
  if (sweep.axes.size() == 1) return fmt::format("{} points", sweep.points.size());
  return fmt::format("{} = {} points", sizes, sweep.points.size());
}

// A path as HTML that may wrap after each dot, so long paths fit a table header.
std::string breakable(std::string_view path) {
  std::string html;
  for (const char c : escape_html(path)) {
    html += c;
    if (c == '.') html += "<wbr>";
  }
  return html;
}

std::string grid_table(const SweepReportInput& in) {
  std::string html = "<table class=\"data\"><tr>";
  for (const sim::ResolvedAxis& axis : in.sweep.axes) {
    html += "<th class=\"num\"><code>" + breakable(axis.parameter.path) + "</code></th>";
  }
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    html += "<th class=\"num\">" + escape_html(in.labels[a]) + "</th>";
  }
  html += "<th>recommended</th></tr>";
  for (const sim::SweepPoint& point : in.sweep.points) {
    html += "<tr>";
    for (const double value : point.values) html += "<td class=\"num\">" + exact(value) + "</td>";
    for (std::size_t a = 0; a < point.arms.size(); ++a) {
      const std::string text = metric_text(in, point.arms[a].primary.mean);
      html +=
          "<td class=\"num\">" + (a == point.recommended ? "<b>" + text + "</b>" : text) + "</td>";
    }
    html += "<td>" + escape_html(in.arm(point.recommended)) + "</td></tr>";
  }
  return html + "</table>";
}

std::string tornado_table(const SweepReportInput& in) {
  std::string html =
      "<table class=\"data\"><tr><th>parameter</th><th class=\"num\">FROM → TO</th>"
      "<th class=\"num\">at FROM (95% CI)</th><th class=\"num\">at TO (95% CI)</th>"
      "<th class=\"num\">swing</th><th>recommended at FROM / TO</th></tr>";
  const auto format = [&](double v) {
    return in.sweep.decision_arm != in.control ? uplift_text(in, v) : metric_text(in, v);
  };
  for (const sim::TornadoBar& bar : in.sweep.tornado) {
    html += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"num\">{} → {}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{} / {}{}</td></tr>",
        escape_html(in.sweep.axes[bar.axis].parameter.path), exact(bar.low_value),
        exact(bar.high_value), detail::with_interval(bar.low, format),
        detail::with_interval(bar.high, format), format(bar.swing),
        escape_html(in.arm(bar.low_recommended)), escape_html(in.arm(bar.high_recommended)),
        bar.recommendation_changes ? " <b>(the decision changes)</b>" : "");
  }
  return html + "</table>";
}

Section answer_section(const SweepReportInput& in) {
  Section section{"answer", "The answer", {}};
  std::string html = "<div class=\"callout\"><b>" +
                     escape_html(sweep_summary_sentence(in.scenario, in.sweep)) + "</b></div>";
  std::string at_base;
  for (std::size_t i = 0; i < in.sweep.axes.size(); ++i) {
    if (!at_base.empty()) at_base += ", ";
    at_base += fmt::format("<code>{}</code> = {}", escape_html(in.sweep.axes[i].parameter.path),
                           exact(in.sweep.base.values[i]));
  }
  html += fmt::format("<p>At the scenario's own values ({}) the evaluation recommends <b>{}</b>.",
                      at_base, escape_html(in.arm(in.sweep.base.recommended)));
  if (!in.sweep.tornado.empty()) {
    std::vector<std::string> flips;
    for (const sim::TornadoBar& bar : in.sweep.tornado) {
      if (bar.recommendation_changes) {
        flips.push_back("<code>" + escape_html(in.sweep.axes[bar.axis].parameter.path) + "</code>");
      }
    }
    const sim::TornadoBar& top = in.sweep.tornado.front();
    html += fmt::format(
        " Moved alone over its range, <code>{}</code> moves the {} most ({} to {}). {}",
        escape_html(in.sweep.axes[top.axis].parameter.path), escape_html(decision_words(in)),
        exact(top.low_value), exact(top.high_value),
        flips.empty() ? std::string("No parameter moved alone over its range changes the "
                                    "recommendation.")
                      : fmt::format("The recommendation depends on {}: within the range swept, "
                                    "moving it alone changes the recommended arm.",
                                    fmt::join(flips, ", ")));
  }
  html += "</p>";
  if (in.sweep.points.size() <= kMaxTableRows) {
    html += fmt::format(
        "<h3>The grid</h3><p>Mean of {} per arm across {} replications at each point; the "
        "recommended arm's in bold. sweep.csv has the intervals, paired uplifts, P(best), cost "
        "and opt-outs.</p>",
        escape_html(in.metric()), in.sweep.replications);
    html += "<div class=\"wide\">" + grid_table(in) + "</div>";
  } else {
    html += fmt::format(
        "<p>The grid has {} points: sweep.csv lists every one, with the recommended arm.</p>",
        in.sweep.points.size());
  }
  section.blocks.push_back({std::move(html), std::nullopt});
  return section;
}

Section run_section(const SweepReportInput& in, std::string_view version,
                    std::string_view command) {
  const sim::Scenario& s = in.scenario;
  Section section{"run", "What was run", {}};
  std::vector<std::pair<std::string, std::string>> facts = {
      {"scenario", escape_html(s.name)},
      {"description", escape_html(s.description)},
      {"manifest", "<code>" + escape_html(s.manifest.string()) + "</code>"},
      {"content hash",
       "<code>" + escape_html(s.content_hash) + "</code> (the files and any fixed --set)"},
      {"seed", fmt::format("{} at every point (common random numbers)", in.sweep.seed)},
      {"replications", fmt::format("{} per point", in.sweep.replications)},
      {"grid", grid_words(in.sweep)},
      {"experiments",
       fmt::format("{} (grid, base and tornado ends, each run once)", in.sweep.experiments)},
      {"HCPs", detail::grouped(s.population.size)},
      {"horizon", fmt::format("{} days", s.horizon_days)},
      {"arms", fmt::format("{} (control: {})", s.arms.size(), escape_html(s.control_arm))},
      {"primary metric", escape_html(s.primary_metric)},
      {"journeysim version", escape_html(version)},
  };
  for (const sim::ParameterOverride& o : s.overrides) {
    facts.emplace_back("fixed parameter",
                       fmt::format("<code>{}</code> = {} (the scenario's files: {})",
                                   escape_html(o.path), exact(o.value), exact(o.scenario_value)));
  }
  std::string html = facts_table(facts);
  html +=
      "<h3>Swept parameters</h3><table class=\"data\"><tr><th>path</th><th>meaning</th>"
      "<th>valid values</th><th class=\"num\">scenario value</th><th>values swept</th></tr>";
  for (const sim::ResolvedAxis& axis : in.sweep.axes) {
    std::vector<std::string> values;
    for (const double v : axis.values) values.push_back(exact(v));
    html += fmt::format(
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td>"
        "</tr>",
        escape_html(axis.parameter.path), escape_html(axis.parameter.meaning),
        escape_html(axis.parameter.range.describe()), exact(axis.parameter.value),
        fmt::join(values, ", "));
  }
  html += "</table>";
  html +=
      "<h3>Rerun it</h3><p>The same scenario files (same content hash), seed and grid give the "
      "same numbers on any number of threads:</p>";
  html += "<code class=\"command\">" + escape_html(command) + "</code>";
  section.blocks.push_back({std::move(html), std::nullopt});
  return section;
}

Page sweep_page(const SweepReportInput& in, std::string_view version, std::string_view command) {
  Page page;
  page.title = fmt::format("journeysim sweep: {}", in.scenario.name);
  std::vector<std::string> paths;
  for (const sim::ResolvedAxis& axis : in.sweep.axes) {
    paths.push_back("<code>" + escape_html(axis.parameter.path) + "</code>");
  }
  page.intro_html = fmt::format(
      "<p>{} over {}: {} arm{} × {} replications at each point, seed {} at every point. Scenario "
      "hash <code>{}</code>. Charts are drawn in the page from the specs in <code>charts/</code>, "
      "which open in any Vega-Lite viewer.</p>",
      fmt::join(paths, " × "), grid_words(in.sweep), in.labels.size(),
      in.labels.size() == 1 ? "" : "s", in.sweep.replications, in.sweep.seed,
      escape_html(in.scenario.content_hash));
  page.sections.push_back(answer_section(in));

  Section metric{"metric", fmt::format("{} per arm", in.metric()), {}};
  metric.blocks.push_back(
      {fmt::format("<p>How each arm's {} changes with each swept parameter. Arm colours are "
                   "those of the run report: the control in black.</p>",
                   escape_html(in.metric())),
       std::nullopt});
  for (std::size_t i = 0; i < in.sweep.axes.size(); ++i) {
    metric.blocks.push_back({"", metric_chart(in, i)});
  }
  page.sections.push_back(std::move(metric));

  Section uplift{"uplift", "Uplift over the control", {}};
  if (in.one_arm()) {
    uplift.blocks.push_back(
        {"<p>The scenario has one arm: there is no control to compare with, so no uplift and no "
         "recommendation.</p>",
         std::nullopt});
  } else {
    uplift.blocks.push_back(
        {fmt::format("<p>Each arm against the control <b>{}</b>, paired by replication at each "
                     "point. Where the recommended arm changes along a parameter, a dotted line "
                     "marks the first point of the new recommendation.</p>",
                     escape_html(in.scenario.control_arm)),
         std::nullopt});
    for (std::size_t i = 0; i < in.sweep.axes.size(); ++i) {
      uplift.blocks.push_back({"", uplift_chart(in, i)});
    }
  }
  page.sections.push_back(std::move(uplift));

  if (!in.sweep.tornado.empty()) {
    Section tornado{"tornado", "What the decision depends on", {}};
    tornado.blocks.push_back(
        {fmt::format("<p>One parameter at a time, from FROM to TO, every other parameter at the "
                     "scenario's value. The decision metric is the {}{}.</p>",
                     escape_html(decision_words(in)),
                     in.sweep.decision_arm == in.control
                         ? ""
                         : " (the arm recommended at the base or, if that is the control, the "
                           "strongest challenger)"),
         std::nullopt});
    tornado.blocks.push_back({"", tornado_chart(in)});
    tornado.blocks.push_back({"<div class=\"wide\">" + tornado_table(in) + "</div>", std::nullopt});
    page.sections.push_back(std::move(tornado));
  }
  page.sections.push_back(run_section(in, version, command));
  page.footer_html = fmt::format(
      "Written by journeysim {}. How every number is computed: docs/sweep.md and "
      "docs/statistics.md.",
      escape_html(version));
  return page;
}

}  // namespace

std::string sweep_rerun_command(const sim::Scenario& scenario, const sim::SweepResult& sweep,
                                const std::filesystem::path& folder) {
  std::filesystem::path where = scenario.manifest;
  if (where.filename() == "scenario.yaml") where = where.parent_path();
  if (where.empty()) where = ".";
  std::string command = fmt::format("journeysim sweep {} --out {} --replications {} --seed {}",
                                    shell_word(where.string()), shell_word(folder.string()),
                                    sweep.replications, sweep.seed);
  // Fixed values first, as given; "{}" writes the shortest text that reads back the same.
  for (const sim::ParameterOverride& o : scenario.overrides) {
    command += " --set " + shell_word(fmt::format("{}={}", o.path, o.value));
  }
  for (const sim::ResolvedAxis& axis : sweep.axes) {
    command += " --set " + shell_word(fmt::format("{}={}:{}:{}", axis.axis.path, axis.axis.from,
                                                  axis.axis.to, axis.axis.steps));
  }
  if (sweep.tornado.empty()) command += " --no-tornado";
  return command;
}

std::string sweep_summary_sentence(const sim::Scenario& scenario, const sim::SweepResult& sweep) {
  const SweepReportInput in(scenario, sweep);
  if (sweep.points.empty()) return "The grid is empty.";
  if (in.one_arm()) {
    return fmt::format("The scenario has one arm, {}: there is no recommendation to change.",
                       in.arm(0));
  }
  std::vector<std::size_t> count(in.labels.size(), 0);
  for (const sim::SweepPoint& point : sweep.points) ++count[point.recommended];
  const std::size_t first = sweep.points.front().recommended;
  if (count[first] == sweep.points.size()) {
    return fmt::format("The recommendation is {} at every point of the grid ({} points).",
                       in.arm(first), sweep.points.size());
  }
  // Each distinct change along each axis, in grid order.
  std::vector<std::string> changes;
  for (std::size_t i = 0; i < sweep.axes.size(); ++i) {
    const std::string& path = sweep.axes[i].parameter.path;
    std::vector<std::size_t> before_after;  // Points, in pairs.
    std::vector<std::string> seen;
    for (std::size_t p = 0; p < sweep.points.size(); ++p) {
      if (in.index(p, i) == 0) continue;
      const std::size_t q = p - in.strides[i];
      const std::size_t from = sweep.points[q].recommended;
      const std::size_t to = sweep.points[p].recommended;
      if (from == to) continue;
      std::string text = fmt::format("from {} at {} = {} to {} at {} = {}", in.arm(from), path,
                                     exact(sweep.points[q].values[i]), in.arm(to), path,
                                     exact(sweep.points[p].values[i]));
      if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
      seen.push_back(text);
      if (sweep.axes.size() > 1) {
        std::string others;
        for (std::size_t j = 0; j < sweep.axes.size(); ++j) {
          if (j == i) continue;
          if (!others.empty()) others += ", ";
          others += fmt::format("{} = {}", sweep.axes[j].parameter.path,
                                exact(sweep.points[p].values[j]));
        }
        text += fmt::format(" (with {})", others);
      }
      changes.push_back(std::move(text));
    }
  }
  constexpr std::size_t kMaxChanges = 4;
  std::string sentence;
  if (sweep.axes.size() == 1) {
    sentence = "The recommendation changes " + changes.front();
    for (std::size_t c = 1; c < changes.size() && c < kMaxChanges; ++c) {
      sentence += ", then " + changes[c];
    }
  } else {
    std::vector<std::string> shares;
    for (std::size_t a = 0; a < count.size(); ++a) {
      if (count[a] > 0) shares.push_back(fmt::format("{} at {}", in.arm(a), count[a]));
    }
    sentence = fmt::format(
        "The recommendation is not the same across the grid ({} of {} points); it changes {}",
        fmt::join(shares, ", "), sweep.points.size(), changes.front());
    for (std::size_t c = 1; c < changes.size() && c < kMaxChanges; ++c) {
      sentence += "; " + changes[c];
    }
  }
  if (changes.size() > kMaxChanges) {
    sentence += fmt::format("; and {} more changes (sweep.csv)", changes.size() - kMaxChanges);
  }
  return sentence + ".";
}

std::string sweep_report_html(const sim::Scenario& scenario, const sim::SweepResult& sweep,
                              std::string_view version, const std::filesystem::path& folder) {
  const SweepReportInput in(scenario, sweep);
  return render_page(sweep_page(in, version, sweep_rerun_command(scenario, sweep, folder)));
}

void write_sweep_report(const std::filesystem::path& folder, const sim::Scenario& scenario,
                        const sim::SweepResult& sweep, std::string_view version) {
  const SweepReportInput in(scenario, sweep);
  write_page(folder, "report.html",
             sweep_page(in, version, sweep_rerun_command(scenario, sweep, folder)));
}

}  // namespace journeysim::reports
