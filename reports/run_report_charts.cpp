// Sections 2 to 7 of the run report: the charts. Every interval is the mean
// and 95% Student-t interval across replications (sim::mean_interval, Law
// 2015 eq. 4.12); differences are paired by replication (docs/statistics.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/detail/report_format.hpp"
#include "reports/detail/run_report_sections.hpp"
#include "reports/vega_lite.hpp"

namespace journeysim::reports::detail {
namespace {

using nlohmann::json;
constexpr std::size_t kStages = agents::kStageCount;
// Stages below adopted: the friction map's rows.
constexpr std::size_t kStalledStages = static_cast<std::size_t>(agents::Stage::adopted);

// Greys and blues before the first prescription, oranges from it on: darker
// with each stage, so the order reads without hue too.
const std::vector<std::string>& stage_colors() {
  static const std::vector<std::string> colors = {"#dddddd", "#b9d3ea", "#7fb0d8",
                                                  "#f0b444", "#d55e00", "#7f2704"};
  return colors;
}

std::vector<std::string> stage_names() {
  std::vector<std::string> names;
  for (const agents::Stage stage : agents::kAllStages) {
    names.emplace_back(agents::stage_name(stage));
  }
  return names;
}

std::vector<std::string> holder_names() {
  std::vector<std::string> names = {"none"};
  for (const agents::Barrier b : agents::kAllBarriers) names.emplace_back(agents::barrier_name(b));
  return names;
}

json stage_color(std::string_view field = "stage") {
  json color = vl::channel(field, "nominal", "Stage");
  const std::vector<std::string> names = stage_names();
  color["scale"] = {{"domain", names}, {"range", stage_colors()}};
  color["sort"] = names;
  return color;
}

json interval_fields(const sim::MeanInterval& value, double scale = 1.0) {
  return {
      {"mean", value.mean * scale}, {"lower", value.lower * scale}, {"upper", value.upper * scale}};
}

double population_of(const RunReportInput& in, const sim::RunResult& run) {
  return static_cast<double>(in.result.population_sizes.at(run.plan.replication));
}

std::vector<std::string> challenger_labels(const RunReportInput& in) {
  std::vector<std::string> labels;
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    if (a != in.control) labels.push_back(in.labels[a]);
  }
  return labels;
}

// Facet columns for one small chart per arm: at most three in a row at 1280 px.
// Four arms go 2 x 2 rather than 3 + 1.
int facet_columns(std::size_t arms) {
  return static_cast<int>(arms == 4 ? 2 : std::min<std::size_t>(arms, 3));
}

// The day axis, exactly the horizon (no padding to a round 400).
json day_axis(const RunReportInput& in, std::string_view title) {
  json x = vl::channel("day", "quantitative", title);
  x["scale"] = {{"domain", {0, in.scenario.horizon_days}}, {"nice", false}};
  return x;
}

// Arm colours with a legend of line strokes, readable beside faint bands.
json arm_line_color(const RunReportInput& in) {
  json color = vl::arm_color(in.labels, in.control);
  color["legend"] = {{"symbolType", "stroke"}, {"symbolStrokeWidth", 3}, {"symbolOpacity", 1}};
  return color;
}

Block chart_block(std::string html, std::string name, json spec, std::string caption) {
  return Block{std::move(html), Chart{std::move(name), std::move(spec), std::move(caption)}};
}

// ---- 2. Adoption over time ------------------------------------------------

// One row per arm and day: the mean and interval across replications of
// value(run, day) / denominator(run), a share (by default of all the replication's HCPs).
template <typename Value, typename Denominator>
json daily_rows(const RunReportInput& in, Value value, Denominator denominator) {
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    const auto& runs = in.result.runs[a];
    for (std::uint32_t day = 0; day <= in.scenario.horizon_days; ++day) {
      std::vector<double> shares;
      shares.reserve(runs.size());
      for (const sim::RunResult& run : runs) shares.push_back(value(run, day) / denominator(run));
      json row = interval_fields(sim::mean_interval(shares));
      row["arm"] = in.labels[a];
      row["day"] = day;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

template <typename Value>
json daily_rows(const RunReportInput& in, Value value) {
  return daily_rows(in, value, [&](const sim::RunResult& run) { return population_of(in, run); });
}

json band_chart(const RunReportInput& in, std::string_view title, std::string_view subtitle,
                json rows, std::string_view y_title) {
  json spec = vl::base_spec(title, subtitle, std::move(rows));
  spec["width"] = vl::kFullWidth;
  spec["height"] = 260;
  const json x = day_axis(in, "Day of the horizon (days)");
  json y = vl::channel("mean", "quantitative", y_title);
  y["axis"] = {{"format", ".1%"}};
  const json color = arm_line_color(in);
  json band_y = vl::channel("lower", "quantitative", y_title);
  band_y["axis"] = {{"format", ".1%"}};
  // A share cannot be negative; a t interval near zero can reach below it.
  band_y["scale"] = {{"domainMin", 0}};
  spec["layer"] = json::array(
      {{{"mark", {{"type", "area"}, {"opacity", 0.15}, {"clip", true}}},
        {"encoding", {{"x", x}, {"y", band_y}, {"y2", {{"field", "upper"}}}, {"color", color}}}},
       {{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", x},
          {"y", y},
          {"color", color},
          {"tooltip",
           json::array(
               {vl::channel("arm", "nominal", "Arm"),
                vl::channel("day", "quantitative", "Day"),
                {{"field", "mean"}, {"type", "quantitative"}, {"title", "Mean"}, {"format", ".2%"}},
                {{"field", "lower"},
                 {"type", "quantitative"},
                 {"title", "95% CI lower"},
                 {"format", ".2%"}},
                {{"field", "upper"},
                 {"type", "quantitative"},
                 {"title", "95% CI upper"},
                 {"format", ".2%"}}})}}}}});
  return spec;
}

// ---- 3. The funnel ----------------------------------------------------------

// Days shown in the stacked areas: every 7th day and the last (a weekly
// resolution keeps the file small; the curves move slowly).
std::vector<std::uint32_t> weekly_days(std::uint32_t horizon) {
  std::vector<std::uint32_t> days;
  for (std::uint32_t day = 0; day < horizon; day += 7) days.push_back(day);
  days.push_back(horizon);
  return days;
}

sim::MeanInterval stage_share(const RunReportInput& in, std::size_t arm, std::uint32_t day,
                              std::size_t stage) {
  std::vector<double> shares;
  for (const sim::RunResult& run : in.result.runs[arm]) {
    shares.push_back(run.stage_counts[day * kStages + stage] / population_of(in, run));
  }
  return sim::mean_interval(shares);
}

json funnel_area_chart(const RunReportInput& in) {
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    for (const std::uint32_t day : weekly_days(in.scenario.horizon_days)) {
      for (std::size_t s = 0; s < kStages; ++s) {
        rows.push_back({{"arm", in.labels[a]},
                        {"day", day},
                        {"stage", agents::stage_name(agents::kAllStages[s])},
                        {"order", s},
                        {"share", stage_share(in, a, day, s).mean}});
      }
    }
  }
  json spec = vl::base_spec("Stage shares over time, per arm",
                            "Mean over replications of the share of HCPs in each stage at the "
                            "end of each week",
                            std::move(rows));
  json y = vl::channel("share", "quantitative", "Share of HCPs");
  y["stack"] = "zero";
  y["axis"] = {{"format", ".0%"}};
  y["scale"] = {{"domain", {0, 1}}};
  spec["facet"] = {{"field", "arm"}, {"type", "nominal"}, {"title", nullptr}, {"sort", in.labels}};
  spec["columns"] = facet_columns(in.labels.size());
  spec["spec"] = {{"width", 270},
                  {"height", 180},
                  {"mark", {{"type", "area"}}},
                  {"encoding",
                   {{"x", day_axis(in, "Day (days)")},
                    {"y", y},
                    {"color", stage_color()},
                    {"order", {{"field", "order"}, {"type", "quantitative"}}},
                    {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                             vl::channel("day", "quantitative", "Day"),
                                             vl::channel("stage", "nominal", "Stage"),
                                             {{"field", "share"},
                                              {"type", "quantitative"},
                                              {"format", ".2%"},
                                              {"title", "Share"}}})}}}};
  return spec;
}

json funnel_bar_chart(const RunReportInput& in) {
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    for (std::size_t s = 0; s < kStages; ++s) {
      json row = interval_fields(stage_share(in, a, in.scenario.horizon_days, s));
      row["arm"] = in.labels[a];
      row["stage"] = agents::stage_name(agents::kAllStages[s]);
      row["order"] = s;
      rows.push_back(std::move(row));
    }
  }
  json spec =
      vl::base_spec(fmt::format("The funnel at the horizon (day {})", in.scenario.horizon_days),
                    "Mean share of HCPs in each stage at the end of the last day", std::move(rows));
  json x = vl::channel("mean", "quantitative", "Share of HCPs");
  x["axis"] = {{"format", ".0%"}};
  x["stack"] = "zero";
  json y = vl::channel("arm", "nominal", "Arm");
  y["sort"] = in.labels;
  spec["width"] = vl::kFullWidth;
  spec["height"] = {{"step", 34}};
  spec["mark"] = {{"type", "bar"}};
  spec["encoding"] = {{"x", x},
                      {"y", y},
                      {"color", stage_color()},
                      {"order", {{"field", "order"}, {"type", "quantitative"}}},
                      {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                               vl::channel("stage", "nominal", "Stage"),
                                               {{"field", "mean"},
                                                {"type", "quantitative"},
                                                {"format", ".2%"},
                                                {"title", "Mean share"}},
                                               {{"field", "lower"},
                                                {"type", "quantitative"},
                                                {"format", ".2%"},
                                                {"title", "95% CI lower"}},
                                               {{"field", "upper"},
                                                {"type", "quantitative"},
                                                {"format", ".2%"},
                                                {"title", "95% CI upper"}}})}};
  return spec;
}

// ---- 4. Uplift --------------------------------------------------------------

// A forest plot: a point and 95% interval per row, a dashed line at zero.
// y_field names the row; with by_arm, arms are offset within a row and coloured.
json forest_chart(const RunReportInput& in, std::string_view title, std::string_view subtitle,
                  json rows, std::string_view x_title, std::string_view y_field,
                  std::string_view y_title, const std::vector<std::string>& y_order,
                  bool percent_axis) {
  const std::vector<std::string> arms = challenger_labels(in);
  json spec = vl::base_spec(title, subtitle, std::move(rows));
  spec["width"] = 560;
  // A fixed height: a band step would conflict with the yOffset sub-bands.
  spec["height"] =
      static_cast<int>(std::max<std::size_t>(y_order.size(), 1) * (14 * arms.size() + 12));
  json x = vl::channel("lower", "quantitative", x_title);
  if (percent_axis) x["axis"] = {{"format", ".1%"}};
  json y = vl::channel(y_field, "nominal", y_title);
  y["sort"] = y_order;
  y["scale"] = {{"paddingInner", 0.3}};
  const json offset = {{"field", "arm"}, {"type", "nominal"}, {"sort", arms}};
  const json color = vl::arm_color(in.labels, in.control);
  const json tooltip =
      json::array({vl::channel(y_field, "nominal", y_title), vl::channel("arm", "nominal", "Arm"),
                   vl::channel("mean", "quantitative", "Estimate"),
                   vl::channel("lower", "quantitative", "95% CI lower"),
                   vl::channel("upper", "quantitative", "95% CI upper")});
  spec["encoding"] = {{"y", y}};
  spec["layer"] = json::array(
      {{{"mark", {{"type", "rule"}, {"color", "#888888"}, {"strokeDash", {4, 4}}}},
        {"encoding", {{"x", {{"datum", 0}}}}}},
       {{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", x}, {"x2", {{"field", "upper"}}}, {"yOffset", offset}, {"color", color}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
        {"encoding",
         {{"x", {{"field", "mean"}, {"type", "quantitative"}}},
          {"yOffset", offset},
          {"color", color},
          {"tooltip", tooltip}}}}});
  return spec;
}

std::string metric_axis_title(const RunReportInput& in, std::string_view metric) {
  if (is_share_metric(metric)) return fmt::format("{}: arm − control (percentage points)", metric);
  if (metric == "prescriptions") return "prescriptions: arm − control (prescriptions)";
  if (metric == "total_cost") {
    return fmt::format("total_cost: arm − control ({})", in.scenario.currency);
  }
  return fmt::format("{}: arm − control", metric);
}

json primary_forest(const RunReportInput& in) {
  const std::string& metric = in.evaluation->primary_metric;
  const double scale = is_share_metric(metric) ? 100.0 : 1.0;
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    const sim::Comparison* c = comparison(in, a, metric);
    if (c == nullptr) continue;
    json row = interval_fields(c->difference, scale);
    row["arm"] = in.labels[a];
    row["p_holm"] = c->p_holm;
    rows.push_back(std::move(row));
  }
  return forest_chart(in, fmt::format("Uplift on {} against the control", metric),
                      "Paired difference across replications, with its 95% interval",
                      std::move(rows), metric_axis_title(in, metric), "arm", "Arm",
                      challenger_labels(in), false);
}

json lift_forest(const RunReportInput& in) {
  json rows = json::array();
  for (const sim::Comparison& c : in.evaluation->comparisons) {
    if (!c.relative_lift.estimable) continue;
    rows.push_back({{"metric", c.metric},
                    {"arm", in.labels[c.arm]},
                    {"mean", c.relative_lift.estimate},
                    {"lower", c.relative_lift.lower},
                    {"upper", c.relative_lift.upper}});
  }
  return forest_chart(in, "Relative change against the control, every compared metric",
                      "Arm mean / control mean − 1, with its delta-method 95% interval",
                      std::move(rows), "Relative change (%)", "metric", "Metric",
                      sim::compared_metrics(), true);
}

json segment_forest(const RunReportInput& in, sim::SegmentDimension dimension) {
  const std::string& metric = in.evaluation->primary_metric;
  const double scale = is_share_metric(metric) ? 100.0 : 1.0;
  json rows = json::array();
  std::vector<std::string> order;
  for (const sim::SegmentUplift& s : in.evaluation->segments) {
    if (s.dimension != dimension) continue;
    const std::string label = fmt::format("{} ({:.0f} HCPs)", s.value, s.mean_hcps);
    if (std::find(order.begin(), order.end(), label) == order.end()) order.push_back(label);
    json row = interval_fields(s.difference, scale);
    row["segment"] = label;
    row["arm"] = in.labels[s.arm];
    rows.push_back(std::move(row));
  }
  const std::string unit = is_share_metric(metric)
                               ? "percentage points of the segment"
                               : std::string("prescriptions per HCP of the segment");
  const std::string_view name = sim::dimension_name(dimension);
  return forest_chart(in, fmt::format("Uplift on {} by {}", metric, name),
                      "Paired difference within each segment, with its 95% interval "
                      "(not adjusted for multiplicity); HCPs: mean per replication",
                      std::move(rows), fmt::format("Arm − control ({})", unit), "segment",
                      std::string(name), order, false);
}

// ---- 5. Friction ------------------------------------------------------------

json heatmap_layers(json color, json text, std::string_view text_filter,
                    std::string_view dark_test) {
  const std::vector<std::string> holders = holder_names();
  std::vector<std::string> stalled = stage_names();
  stalled.resize(kStalledStages);
  json x = vl::channel("held_by", "nominal", "Held by (barrier)");
  x["sort"] = holders;
  x["axis"] = {{"labelAngle", -40}};
  json y = vl::channel("stage", "nominal", "Stage at the horizon");
  y["sort"] = stalled;
  return json::array(
      {{{"mark", {{"type", "rect"}, {"stroke", "#e6e6e6"}}},
        {"encoding", {{"x", x}, {"y", y}, {"color", color}}}},
       {{"mark", {{"type", "text"}, {"fontSize", 9}}},
        {"transform", json::array({{{"filter", text_filter}}})},
        {"encoding",
         {{"x", x},
          {"y", y},
          {"text", text},
          {"color",
           {{"condition", {{"test", dark_test}, {"value", "#ffffff"}}}, {"value", "#111111"}}}}}}});
}

json friction_share_chart(const RunReportInput& in) {
  constexpr std::size_t kHolders = agents::kBarrierCount + 1;
  json rows = json::array();
  double largest = 0.0;
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    for (std::size_t s = 0; s < kStalledStages; ++s) {
      for (std::size_t h = 0; h < kHolders; ++h) {
        std::vector<double> shares;
        for (const sim::RunResult& run : in.result.runs[a]) {
          shares.push_back(run.friction[s * kHolders + h] / population_of(in, run));
        }
        const sim::MeanInterval share = sim::mean_interval(shares);
        largest = std::max(largest, share.mean);
        json row = interval_fields(share);
        row["arm"] = in.labels[a];
        row["stage"] = agents::stage_name(agents::kAllStages[s]);
        row["held_by"] = holder_names()[h];
        rows.push_back(std::move(row));
      }
    }
  }
  json spec = vl::base_spec("Where HCPs stall at the horizon, per arm",
                            "Share of all HCPs at each stage, by the barrier that most holds back "
                            "their next move (mean over replications)",
                            std::move(rows));
  json color = vl::channel("mean", "quantitative", "Share of HCPs");
  color["condition"] = {{"test", "datum.mean == 0"}, {"value", "#ffffff"}};
  color["scale"] = {{"scheme", "blues"}, {"domain", {0, std::max(largest, 1e-9)}}};
  color["legend"] = {{"format", ".0%"}};
  json text = {{"field", "mean"}, {"type", "quantitative"}, {"format", ".1%"}};
  spec["facet"] = {{"field", "arm"}, {"type", "nominal"}, {"title", nullptr}, {"sort", in.labels}};
  spec["columns"] = facet_columns(in.labels.size());
  spec["spec"] = {{"width", 8 * 33},
                  {"height", 4 * 28},
                  {"layer", heatmap_layers(color, text, "datum.mean >= 0.0005",
                                           fmt::format("datum.mean > {}", 0.6 * largest))}};
  return spec;
}

json friction_change_chart(const RunReportInput& in) {
  json rows = json::array();
  double largest = 0.0;
  for (const sim::FrictionCell& cell : in.evaluation->friction) {
    if (cell.arm == in.control) continue;
    largest = std::max(largest, std::fabs(cell.change.mean));
    json row = interval_fields(cell.change, 100.0);
    row["arm"] = in.labels[cell.arm];
    row["stage"] = agents::stage_name(cell.stage);
    row["held_by"] = cell.holder;
    // An asterisk marks a change whose 95% interval excludes zero.
    row["label"] =
        fmt::format("{:+.1f}{}", 100.0 * cell.change.mean, excludes_zero(cell.change) ? "*" : "");
    rows.push_back(std::move(row));
  }
  const double bound = 100.0 * std::max(largest, 1e-6);
  json spec = vl::base_spec(
      "Change in where HCPs stall, against the control",
      "Arm − control in percentage points of all HCPs, paired by replication; blue: fewer stall "
      "here; * the 95% interval excludes 0",
      std::move(rows));
  json color = vl::channel("mean", "quantitative", "Change (pp)");
  color["condition"] = {{"test", "datum.mean == 0"}, {"value", "#ffffff"}};
  color["scale"] = {{"scheme", "blueorange"}, {"domain", {-bound, bound}}, {"domainMid", 0}};
  const json text = {{"field", "label"}, {"type", "nominal"}};
  const std::vector<std::string> arms = challenger_labels(in);
  spec["facet"] = {{"field", "arm"}, {"type", "nominal"}, {"title", nullptr}, {"sort", arms}};
  spec["columns"] = facet_columns(arms.size());
  spec["spec"] = {{"width", 8 * 33},
                  {"height", 4 * 28},
                  {"layer", heatmap_layers(color, text, "datum.mean != 0",
                                           fmt::format("abs(datum.mean) > {}", 0.6 * bound))}};
  return spec;
}

// ---- 6. Time to first prescription -----------------------------------------

// Kaplan-Meier pooled over replications. Every HCP who has not prescribed is
// censored at the horizon, so S(d) = 1 - (first prescriptions by day d) / at
// risk (Kaplan & Meier 1958 with no censoring before the end; the same curve
// as km.csv, docs/outputs.md).
std::vector<double> pooled_survival(const RunReportInput& in, std::size_t arm) {
  std::vector<double> events(in.scenario.horizon_days + 1, 0.0);
  double at_risk = 0.0;
  for (const sim::RunResult& run : in.result.runs[arm]) {
    at_risk += run.at_risk;
    for (std::size_t d = 0; d < run.first_prescriptions_by_day.size() && d < events.size(); ++d) {
      events[d] += run.first_prescriptions_by_day[d];
    }
  }
  std::vector<double> survival(events.size(), 1.0);
  double cumulative = 0.0;
  for (std::size_t d = 0; d < events.size(); ++d) {
    cumulative += events[d];
    survival[d] = at_risk > 0 ? 1.0 - cumulative / at_risk : 1.0;
  }
  return survival;
}

std::vector<double> survival_of(const RunReportInput& in, std::size_t arm) {
  if (in.evaluation != nullptr) {
    for (const sim::KaplanMeier& km : in.evaluation->km) {
      if (km.arm == arm) return km.survival;
    }
  }
  return pooled_survival(in, arm);
}

json km_chart(const RunReportInput& in) {
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    const std::vector<double> survival = survival_of(in, a);
    // A step curve only needs the days it changes on, and the last day.
    for (std::size_t d = 0; d < survival.size(); ++d) {
      const bool changes = d == 0 || survival[d] != survival[d - 1] || d + 1 == survival.size();
      if (changes) rows.push_back({{"arm", in.labels[a]}, {"day", d}, {"survival", survival[d]}});
    }
  }
  json spec =
      vl::base_spec("Time to first prescription (Kaplan–Meier)",
                    "HCPs who started below trialing, pooled over replications", std::move(rows));
  spec["width"] = vl::kFullWidth;
  spec["height"] = 260;
  json y = vl::channel("survival", "quantitative", "Not yet prescribing (share of those at risk)");
  y["scale"] = {{"zero", false}};
  y["axis"] = {{"format", ".0%"}};
  spec["mark"] = {{"type", "line"}, {"interpolate", "step-after"}, {"strokeWidth", 2}};
  spec["encoding"] = {{"x", day_axis(in, "Day of the horizon (days)")},
                      {"y", y},
                      {"color", arm_line_color(in)},
                      {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                               vl::channel("day", "quantitative", "Day"),
                                               {{"field", "survival"},
                                                {"type", "quantitative"},
                                                {"format", ".2%"},
                                                {"title", "Not yet prescribing"}}})}};
  return spec;
}

// ---- 7. Cost and fatigue -----------------------------------------------------

// Paired differences arm - control of one metric across replications.
sim::MeanInterval paired_difference(const RunReportInput& in, std::size_t arm,
                                    std::string_view metric) {
  const std::vector<double>& a = arm_metric(in, arm, metric).values;
  const std::vector<double>& c = arm_metric(in, in.control, metric).values;
  std::vector<double> differences(a.size());
  for (std::size_t r = 0; r < a.size(); ++r) differences[r] = a[r] - c[r];
  return sim::mean_interval(differences);
}

json cost_chart(const RunReportInput& in) {
  const bool paired = in.evaluation != nullptr;
  json rows = json::array();
  for (std::size_t a = 0; a < in.labels.size(); ++a) {
    const sim::MeanInterval adopters =
        paired ? paired_difference(in, a, "adopters") : arm_metric(in, a, "adopters").summary;
    const sim::MeanInterval cost =
        paired ? paired_difference(in, a, "total_cost") : arm_metric(in, a, "total_cost").summary;
    rows.push_back({{"arm", in.labels[a]},
                    {"x", adopters.mean},
                    {"x_lower", adopters.lower},
                    {"x_upper", adopters.upper},
                    {"y", cost.mean},
                    {"y_lower", cost.lower},
                    {"y_upper", cost.upper}});
  }
  const std::string currency = in.scenario.currency;
  const std::string x_title = paired ? "Incremental adopters vs control (HCPs)" : "Adopters (HCPs)";
  const std::string y_title = paired ? fmt::format("Incremental cost vs control ({})", currency)
                                     : fmt::format("Total cost ({})", currency);
  json spec = vl::base_spec(
      paired ? "Cost against incremental adopters" : "Cost against adopters",
      paired ? "Arm − control, paired by replication, with 95% intervals; the control sits at 0, 0"
             : "Mean per replication, with 95% intervals",
      std::move(rows));
  spec["width"] = 560;
  spec["height"] = 340;
  const json color = vl::arm_color(in.labels, in.control);
  const json x = vl::channel("x", "quantitative", x_title);
  const json y = vl::channel("y", "quantitative", y_title);
  spec["layer"] = json::array(
      {{{"mark", {{"type", "rule"}, {"color", "#999999"}, {"strokeDash", {4, 4}}}},
        {"encoding", {{"x", {{"datum", 0}}}}}},
       {{"mark", {{"type", "rule"}, {"color", "#999999"}, {"strokeDash", {4, 4}}}},
        {"encoding", {{"y", {{"datum", 0}}}}}},
       {{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", vl::channel("x_lower", "quantitative", x_title)},
          {"x2", {{"field", "x_upper"}}},
          {"y", y},
          {"color", color}}}},
       {{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"y", vl::channel("y_lower", "quantitative", y_title)},
          {"y2", {{"field", "y_upper"}}},
          {"x", x},
          {"color", color}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"size", 90}}},
        {"encoding",
         {{"x", x},
          {"y", y},
          {"color", color},
          {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                   vl::channel("x", "quantitative", x_title),
                                   vl::channel("y", "quantitative", y_title)})}}}},
       {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 8}, {"dy", -8}, {"fontSize", 11}}},
        {"encoding", {{"x", x}, {"y", y}, {"text", {{"field", "arm"}}}, {"color", color}}}}});
  return spec;
}

// The efficiency frontier (docs/economics.md): each arm at (mean outcome,
// mean cost), shaped by its status, the frontier joined cheapest first.
json frontier_chart(const RunReportInput& in) {
  const sim::EconomicEvaluation& e = in.evaluation->economics;
  const std::string unit(sim::outcome_plural(e.outcome));
  json rows = json::array();
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::FrontierStatus status = e.frontier[a].status;
    rows.push_back({{"arm", in.labels[a]},
                    {"outcome", e.arms[a].outcome.mean},
                    {"cost", e.arms[a].cost.mean},
                    {"status", status == sim::FrontierStatus::frontier ? "on the frontier"
                               : status == sim::FrontierStatus::strongly_dominated
                                   ? "costs more, does no better (strongly dominated)"
                                   : "a mix does better (extendedly dominated)"},
                    {"frontier", status == sim::FrontierStatus::frontier}});
  }
  json spec = vl::base_spec("Cost against " + unit + ": the efficiency frontier",
                            "Means over replications; the line joins the arms not beaten on "
                            "both cost and " +
                                unit + ", cheapest first",
                            std::move(rows));
  spec["width"] = 560;
  spec["height"] = 340;
  const json color = vl::arm_color(in.labels, in.control);
  const json x = vl::channel("outcome", "quantitative", fmt::format("{} (mean)", unit));
  json y = vl::channel("cost", "quantitative",
                       fmt::format("Total cost ({}, mean)", in.scenario.currency));
  const json shape = {{"field", "status"}, {"type", "nominal"}, {"title", "Status"}};
  spec["layer"] = json::array(
      {{{"transform", json::array({{{"filter", "datum.frontier"}}})},
        {"mark", {{"type", "line"}, {"color", "#999999"}}},
        {"encoding", {{"x", x}, {"y", y}, {"order", {{"field", "cost"}}}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"size", 110}}},
        {"encoding",
         {{"x", x},
          {"y", y},
          {"color", color},
          {"shape", shape},
          {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                   vl::channel("status", "nominal", "Status"), x, y})}}}},
       {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 8}, {"dy", -8}, {"fontSize", 11}}},
        {"encoding", {{"x", x}, {"y", y}, {"text", {{"field", "arm"}}}, {"color", color}}}}});
  return spec;
}

struct ChannelMeasure {
  std::string title;
  double (*value)(const sim::ChannelTotals&, double hcps);
};

const std::vector<ChannelMeasure>& channel_measures() {
  static const std::vector<ChannelMeasure> measures = {
      {"Touches sent per HCP",
       [](const sim::ChannelTotals& t, double hcps) { return static_cast<double>(t.sent) / hcps; }},
      {"Engagement rate (% of delivered)",
       [](const sim::ChannelTotals& t, double) {
         return t.delivered > 0
                    ? 100.0 * static_cast<double>(t.engaged) / static_cast<double>(t.delivered)
                    : 0.0;
       }},
      {"Opt-outs per 1,000 HCPs",
       [](const sim::ChannelTotals& t, double hcps) {
         return 1000.0 * static_cast<double>(t.opt_outs) / hcps;
       }},
      {"Suppressed sends per HCP (cap, consent, opt-out)",
       [](const sim::ChannelTotals& t, double hcps) {
         return static_cast<double>(t.suppressed) / hcps;
       }},
  };
  return measures;
}

// Channels some arm sent through or tried to: the rest would be empty rows.
std::vector<std::size_t> used_channels(const RunReportInput& in) {
  std::vector<std::size_t> used;
  for (std::size_t c = 0; c < in.scenario.catalogue.channels.size(); ++c) {
    bool any = false;
    for (const auto& runs : in.result.runs) {
      for (const sim::RunResult& run : runs) {
        any = any || (c < run.channels.size() &&
                      (run.channels[c].sent > 0 || run.channels[c].suppressed > 0));
      }
    }
    if (any) used.push_back(c);
  }
  return used;
}

json channel_chart(const RunReportInput& in, const std::vector<std::size_t>& channels) {
  json rows = json::array();
  std::vector<std::string> names;
  for (const std::size_t c : channels) names.push_back(in.scenario.catalogue.channels[c].name);
  std::vector<std::string> measure_titles;
  for (const ChannelMeasure& measure : channel_measures()) {
    measure_titles.push_back(measure.title);
    for (std::size_t a = 0; a < in.labels.size(); ++a) {
      for (const std::size_t c : channels) {
        std::vector<double> values;
        for (const sim::RunResult& run : in.result.runs[a]) {
          values.push_back(measure.value(run.channels[c], population_of(in, run)));
        }
        json row = interval_fields(sim::mean_interval(values));
        row["arm"] = in.labels[a];
        row["channel"] = in.scenario.catalogue.channels[c].name;
        row["measure"] = measure.title;
        rows.push_back(std::move(row));
      }
    }
  }
  json spec = vl::base_spec("Touches, engagement, opt-outs and suppressed sends per channel",
                            "Mean over replications, per arm", std::move(rows));
  json y = vl::channel("channel", "nominal", "Channel");
  y["sort"] = names;
  const json x = vl::channel("mean", "quantitative", "Mean over replications");
  spec["facet"] = {{"field", "measure"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"sort", measure_titles},
                   {"header", {{"labelFontWeight", "bold"}}}};
  spec["columns"] = 2;
  spec["resolve"] = {{"scale", {{"x", "independent"}}}};
  spec["spec"] = {
      {"width", 300},
      {"height", static_cast<int>(channels.size() * (8 * in.labels.size() + 6))},
      {"mark", {{"type", "bar"}}},
      {"encoding",
       {{"x", x},
        {"y", y},
        {"yOffset", {{"field", "arm"}, {"type", "nominal"}, {"sort", in.labels}}},
        {"color", vl::arm_color(in.labels, in.control)},
        {"tooltip", json::array({vl::channel("arm", "nominal", "Arm"),
                                 vl::channel("channel", "nominal", "Channel"),
                                 vl::channel("measure", "nominal", "Measure"),
                                 vl::channel("mean", "quantitative", "Mean"),
                                 vl::channel("lower", "quantitative", "95% CI lower"),
                                 vl::channel("upper", "quantitative", "95% CI upper")})}}}};
  return spec;
}

std::string median_text(const RunReportInput& in) {
  if (in.evaluation == nullptr) return {};
  const auto& km = in.evaluation->km;
  const bool same_risk = std::all_of(km.begin(), km.end(), [&](const sim::KaplanMeier& k) {
    return k.at_risk == km.front().at_risk;
  });
  const bool none_reached =
      std::all_of(km.begin(), km.end(), [](const sim::KaplanMeier& k) { return k.median_day < 0; });
  std::string text;
  if (same_risk && none_reached && !km.empty()) {
    return fmt::format(
        "{} HCPs at risk per arm (all replications). The median time to first "
        "prescription is not reached in any arm: fewer than half prescribe by the "
        "horizon.",
        grouped(km.front().at_risk));
  }
  for (const sim::KaplanMeier& k : km) {
    text += fmt::format(
        "{}{}: {} HCPs at risk, median {}", text.empty() ? "" : "; ", escape_html(in.labels[k.arm]),
        grouped(k.at_risk),
        k.median_day < 0 ? std::string("not reached") : fmt::format("day {}", k.median_day));
  }
  return text + ".";
}

const char* kNoComparison =
    "<p class=\"callout warning\">No comparison: the scenario has one arm, so there is no control "
    "to compare it with.</p>";

}  // namespace

Section adoption_section(const RunReportInput& in) {
  const std::size_t adopted = static_cast<std::size_t>(agents::Stage::adopted);
  json trial = daily_rows(
      in,
      [](const sim::RunResult& run, std::uint32_t day) {
        double sum = 0;
        for (std::uint32_t d = 0; d <= day && d < run.first_prescriptions_by_day.size(); ++d) {
          sum += run.first_prescriptions_by_day[d];
        }
        return sum;
      },
      [](const sim::RunResult& run) { return static_cast<double>(run.at_risk); });
  json adopters = daily_rows(in, [adopted](const sim::RunResult& run, std::uint32_t day) {
    return static_cast<double>(run.stage_counts[day * kStages + adopted] +
                               run.stage_counts[day * kStages + adopted + 1]);
  });
  Section section{"adoption", "Adoption over time", {}};
  section.blocks.push_back(chart_block(
      "<p>Two views of adoption, per arm, day by day. The line is the mean across the "
      "replications and the band its 95% Student-t interval (mean ± t<sub>0.975, R−1</sub> · "
      "sd / √R).</p>",
      "adoption_new_prescribers",
      band_chart(in, "New prescribers (first prescription)",
                 "Cumulative share of the HCPs at risk whose first prescription fell on or "
                 "before the day",
                 std::move(trial), "Share of HCPs at risk"),
      "HCPs at risk are those who started below <code>trialing</code>; each counts once, on the "
      "day of their first prescription, whatever happens after. These are the first "
      "prescriptions of <code>km.csv</code>; at the horizon the curve is "
      "<code>trial_rate</code>."));
  section.blocks.push_back(chart_block(
      {}, "adoption_adopted_or_advocate",
      band_chart(in, "Adopted or advocate",
                 "Share of all HCPs at adopted or advocate at the end of each day",
                 std::move(adopters), "Share of all HCPs"),
      "The stage counts of <code>timeseries.csv</code> (adopted + advocate) over all HCPs. An HCP "
      "can lapse, so this share can fall. At the horizon it is <code>adoption_rate</code>."));
  return section;
}

Section funnel_section(const RunReportInput& in) {
  Section section{"funnel", "The funnel", {}};
  section.blocks.push_back(chart_block(
      "<p>The true adoption stage of every HCP (not the CRM's lagged view), as a share of the "
      "replication's HCPs, averaged over replications.</p>",
      "funnel_over_time", funnel_area_chart(in),
      "Stacked areas add up to 100%: every HCP is in one stage. Weekly points (day 0, 7, 14, … "
      "and the last day)."));
  section.blocks.push_back(chart_block({}, "funnel_at_horizon", funnel_bar_chart(in),
                                       "Hover a bar for its 95% interval across replications."));
  return section;
}

Section uplift_section(const RunReportInput& in) {
  Section section{"uplift", "Uplift against the control", {}};
  if (in.evaluation == nullptr) {
    section.blocks.push_back({kNoComparison, std::nullopt});
    return section;
  }
  section.blocks.push_back(chart_block(
      fmt::format("<p>Each arm against the control <b>{}</b>, paired by replication (the arms "
                  "share each replication's HCPs and random numbers). An interval wholly right of "
                  "the dashed line means the arm is higher.</p>",
                  escape_html(in.scenario.control_arm)),
      "uplift_primary", primary_forest(in),
      "Mean of the R paired differences with the paired Student-t 95% interval. The Holm-adjusted "
      "p-values are in the decision table."));
  section.blocks.push_back(chart_block(
      {}, "uplift_all_metrics", lift_forest(in),
      "Delta-method interval of a ratio of means (docs/statistics.md). A metric whose control "
      "interval includes zero has no relative change and is left out."));
  for (const sim::SegmentDimension dimension :
       {sim::SegmentDimension::dominant_barrier, sim::SegmentDimension::specialty,
        sim::SegmentDimension::entry_stage, sim::SegmentDimension::opinion_leader}) {
    const std::string name(sim::dimension_name(dimension));
    section.blocks.push_back(
        chart_block({}, "uplift_by_" + name, segment_forest(in, dimension), {}));
  }
  section.blocks.push_back(
      {"<p>Segments are fixed at the start of the horizon. Segment intervals are not adjusted "
       "for multiplicity: read them as a map of where an arm wins, not as tests.</p>",
       std::nullopt});
  return section;
}

Section friction_section(const RunReportInput& in) {
  Section section{"friction", "Friction map", {}};
  section.blocks.push_back(chart_block(
      "<p>At the horizon every HCP below <code>adopted</code> is counted at their stage, under "
      "the barrier whose gate (1 − b)<sup>w</sup> most cuts the hazard of their next move; "
      "<code>none</code> when no barrier gates it. Each arm's cells add up to 1 − its adoption "
      "rate.</p>",
      "friction_share", friction_share_chart(in),
      "Cells show the share of all HCPs, mean over replications (friction.csv, "
      "<code>share</code>)."));
  if (in.evaluation == nullptr) {
    section.blocks.push_back({kNoComparison, std::nullopt});
  } else if (in.labels.size() > 1) {
    section.blocks.push_back(chart_block(
        {}, "friction_change", friction_change_chart(in),
        "Paired difference with the control in percentage points of all HCPs (friction.csv, "
        "<code>change_vs_control</code>). Negative (blue): the arm freed HCPs from this cell or "
        "never let them in."));
  }
  return section;
}

Section time_to_prescription_section(const RunReportInput& in) {
  Section section{"time-to-prescription", "Time to first prescription", {}};
  section.blocks.push_back(chart_block(
      "<p>The Kaplan–Meier curve S(d): the estimated probability that an HCP who started below "
      "<code>trialing</code> has not prescribed by the end of day d, pooled over all "
      "replications. Every HCP who has not prescribed is censored at the horizon, so S(d) = 1 − "
      "(first prescriptions by day d) / (HCPs at risk) (the curve of <code>km.csv</code>).</p>",
      "time_to_first_prescription", km_chart(in), median_text(in)));
  return section;
}

Section cost_section(const RunReportInput& in) {
  Section section{"cost", "Cost and fatigue", {}};
  std::string intro =
      "<p>What each arm spends for the adopters it adds. The slope from the control (0, 0) to an "
      "arm is its cost per incremental adopter (see the decision table): right and low is good. "
      "Adopters are HCPs at <code>adopted</code> or <code>advocate</code> at the horizon; cost "
      "is touches sent × the channel's cost.</p>";
  if (in.evaluation == nullptr) {
    intro =
        "<p>With one arm there is no control: the chart shows the arm's own adopters and "
        "cost.</p>";
  }
  section.blocks.push_back(chart_block(std::move(intro), "cost_vs_adopters", cost_chart(in),
                                       "Intervals: paired (or, with one arm, plain) Student-t "
                                       "95% intervals across replications."));
  if (in.evaluation != nullptr) {
    section.blocks.push_back(chart_block(
        fmt::format("<p>The efficiency frontier: the arms no other arm beats on both cost and "
                    "{0}, and no mix of two arms beats for the money (dampack's "
                    "<code>calculate_icers</code>; docs/economics.md). Along the line, the slope "
                    "between neighbours is the cost per extra {1}.</p>",
                    sim::outcome_plural(in.evaluation->economics.outcome),
                    sim::outcome_unit(in.evaluation->economics.outcome)),
        "frontier", frontier_chart(in),
        "Means over replications: the frontier uses point estimates, as dampack does; the "
        "money table of the decision section gives the intervals."));
  }
  const std::vector<std::size_t> channels = used_channels(in);
  if (channels.empty()) {
    section.blocks.push_back({"<p>No arm sent a touch on any channel.</p>", std::nullopt});
  } else {
    section.blocks.push_back(chart_block(
        "<p>Where the touches go and how HCPs respond, per channel (channels no arm used are left "
        "out). Engagement rate: engaged / delivered touches. Opt-outs: HCPs leaving the channel. "
        "Suppressed sends: touches a journey asked for that a frequency cap, missing consent or an "
        "earlier opt-out blocked, a sign of fatigue or over-targeting.</p>",
        "channels", channel_chart(in, channels),
        "Means over replications of each run's totals over its HCPs; hover a bar for its 95% "
        "interval."));
  }
  return section;
}

}  // namespace journeysim::reports::detail
