#include "reports/sweep_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "reports/atomic_file.hpp"
#include "reports/csv_text.hpp"
#include "reports/sweep_report.hpp"
#include "sim/parameters.hpp"

namespace journeysim::reports {
namespace {

std::size_t control_of(const sim::Scenario& scenario) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == scenario.control_arm) return a;
  }
  return 0;
}

void preamble(std::ostream& out, std::string_view kind, const sim::Scenario& scenario,
              const sim::SweepResult& sweep) {
  fmt::print(out,
             "# journeysim {} schema={} scenario={} hash={} seed={} replications={} control={} "
             "metric={}\n",
             kind, kSweepOutputSchema, scenario.name, scenario.content_hash, sweep.seed,
             sweep.replications, scenario.control_arm, scenario.primary_metric);
}

// A number for CSV: empty when not finite. Ten significant digits keep costs
// in the millions exact to the unit, without exponents.
std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.10g}", value) : std::string();
}

// A parameter value, exactly as set (shortest text that reads back the same).
std::string exact(double value) { return fmt::format("{}", value); }

std::string interval(const sim::MeanInterval& m) {
  return fmt::format("{},{},{}", number(m.mean), number(m.lower), number(m.upper));
}

// The decision metric in words, e.g. "uplift of evidence over calendar on trial_rate".
std::string decision_words(const sim::Scenario& scenario, const sim::SweepResult& sweep) {
  const std::size_t control = control_of(scenario);
  if (sweep.decision_arm == control) {
    return fmt::format("{} of {}", scenario.primary_metric, scenario.arms[control].name);
  }
  return fmt::format("uplift of {} over {} on {}", scenario.arms[sweep.decision_arm].name,
                     scenario.arms[control].name, scenario.primary_metric);
}

nlohmann::json interval_json(const sim::MeanInterval& m) {
  return {{"mean", m.mean}, {"ci95_lower", m.lower}, {"ci95_upper", m.upper}};
}

}  // namespace

void write_sweep_csv(std::ostream& out, const sim::Scenario& scenario,
                     const sim::SweepResult& sweep) {
  preamble(out, "sweep", scenario, sweep);
  out << "point";
  for (const sim::ResolvedAxis& axis : sweep.axes) out << ',' << csv_field(axis.parameter.path);
  out << ",arm,control,recommended,metric,mean,ci95_lower,ci95_upper,uplift,uplift_ci95_lower,"
         "uplift_ci95_upper,p_best,cost,cost_ci95_lower,cost_ci95_upper,opt_out_rate,"
         "opt_out_rate_ci95_lower,opt_out_rate_ci95_upper\n";
  const std::size_t control = control_of(scenario);
  const std::string metric = csv_field(scenario.primary_metric);
  for (std::size_t p = 0; p < sweep.points.size(); ++p) {
    const sim::SweepPoint& point = sweep.points[p];
    std::string values;
    for (const double value : point.values)
      fmt::format_to(std::back_inserter(values), ",{}", value);
    for (std::size_t a = 0; a < point.arms.size(); ++a) {
      const sim::SweepArm& arm = point.arms[a];
      fmt::print(out, "{}{},{},{},{},{},{},{},{},{},{}\n", p, values,
                 csv_field(scenario.arms[a].name), a == control ? 1 : 0, arm.recommended ? 1 : 0,
                 metric, interval(arm.primary), a == control ? ",," : interval(arm.uplift),
                 number(arm.probability_best), interval(arm.cost), interval(arm.opt_out_rate));
    }
  }
}

void write_tornado_csv(std::ostream& out, const sim::Scenario& scenario,
                       const sim::SweepResult& sweep) {
  preamble(out, "tornado", scenario, sweep);
  out << "rank,parameter,base_value,low_value,high_value,decision_arm,decision_metric,base,"
         "base_ci95_lower,base_ci95_upper,low,low_ci95_lower,low_ci95_upper,high,high_ci95_lower,"
         "high_ci95_upper,swing,abs_swing,base_recommended,low_recommended,high_recommended,"
         "recommendation_changes\n";
  const std::size_t control = control_of(scenario);
  const std::string decision_metric =
      sweep.decision_arm == control ? scenario.primary_metric : "uplift_" + scenario.primary_metric;
  for (std::size_t r = 0; r < sweep.tornado.size(); ++r) {
    const sim::TornadoBar& bar = sweep.tornado[r];
    const sim::ResolvedAxis& axis = sweep.axes[bar.axis];
    fmt::print(
        out, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r + 1,
        csv_field(axis.parameter.path), exact(axis.parameter.value), exact(bar.low_value),
        exact(bar.high_value), csv_field(scenario.arms[sweep.decision_arm].name), decision_metric,
        interval(sweep.base_decision), interval(bar.low), interval(bar.high), number(bar.swing),
        number(std::abs(bar.swing)), csv_field(scenario.arms[sweep.base.recommended].name),
        csv_field(scenario.arms[bar.low_recommended].name),
        csv_field(scenario.arms[bar.high_recommended].name), bar.recommendation_changes ? 1 : 0);
  }
}

void write_sweep_json(std::ostream& out, const sim::Scenario& scenario,
                      const sim::SweepResult& sweep, const char* version) {
  nlohmann::json summary;
  summary["schema"] = kSweepOutputSchema;
  summary["journeysim_version"] = version;
  nlohmann::json overrides = nlohmann::json::array();
  for (const sim::ParameterOverride& o : scenario.overrides) {
    overrides.push_back(
        {{"path", o.path}, {"value", o.value}, {"scenario_value", o.scenario_value}});
  }
  summary["scenario"] = {{"name", scenario.name},
                         {"hash", scenario.content_hash},
                         {"manifest", scenario.manifest.string()},
                         {"currency", scenario.currency},
                         {"horizon_days", scenario.horizon_days},
                         {"overrides", overrides}};
  summary["seed"] = sweep.seed;
  summary["replications"] = sweep.replications;
  summary["common_random_numbers"] = true;
  summary["primary_metric"] = scenario.primary_metric;
  summary["control_arm"] = scenario.control_arm;
  nlohmann::json arms = nlohmann::json::array();
  for (const sim::Arm& arm : scenario.arms) arms.push_back(arm.name);
  summary["arms"] = arms;
  nlohmann::json parameters = nlohmann::json::array();
  for (const sim::ResolvedAxis& axis : sweep.axes) {
    parameters.push_back({{"path", axis.parameter.path},
                          {"meaning", axis.parameter.meaning},
                          {"valid", axis.parameter.range.describe()},
                          {"integer", axis.parameter.range.integer},
                          {"scenario_value", axis.parameter.value},
                          {"from", axis.axis.from},
                          {"to", axis.axis.to},
                          {"steps", axis.axis.steps},
                          {"values", axis.values}});
  }
  summary["parameters"] = parameters;
  summary["grid_points"] = sweep.points.size();
  summary["experiments"] = sweep.experiments;
  summary["base"] = {{"values", sweep.base.values},
                     {"recommended_arm", scenario.arms[sweep.base.recommended].name}};
  if (!sweep.tornado.empty()) {
    summary["tornado"] = {{"method",
                           "one at a time: each parameter at its FROM and TO, every other "
                           "parameter at the scenario's value"},
                          {"decision_arm", scenario.arms[sweep.decision_arm].name},
                          {"decision_metric", decision_words(scenario, sweep)},
                          {"base", interval_json(sweep.base_decision)}};
  }
  summary["files"] = sweep.tornado.empty()
                         ? nlohmann::json{"sweep.csv", "report.html"}
                         : nlohmann::json{"sweep.csv", "tornado.csv", "report.html"};
  out << summary.dump(2) << '\n';
}

void print_sweep(std::ostream& out, const sim::Scenario& scenario, const sim::SweepResult& sweep) {
  const std::size_t control = control_of(scenario);
  fmt::print(out,
             "Sweep of '{}' on {}: {} grid points x {} arms x {} replications, seed {} at every "
             "point (common random numbers); {} experiments in all\n\n",
             scenario.name, scenario.primary_metric, sweep.points.size(), scenario.arms.size(),
             sweep.replications, sweep.seed, sweep.experiments);
  std::vector<std::size_t> widths;
  for (const sim::ResolvedAxis& axis : sweep.axes) {
    widths.push_back(std::max<std::size_t>(axis.parameter.path.size(), 8));
    fmt::print(out, "{:<{}}  ", axis.parameter.path, widths.back());
  }
  std::vector<std::size_t> arm_widths;
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const std::string name = scenario.arms[a].name + (a == control ? " *" : "");
    arm_widths.push_back(std::max<std::size_t>(name.size(), 10));
    fmt::print(out, "{:>{}}  ", name, arm_widths.back());
  }
  fmt::print(out, "recommended\n");
  for (const sim::SweepPoint& point : sweep.points) {
    for (std::size_t i = 0; i < point.values.size(); ++i) {
      fmt::print(out, "{:<{}}  ", exact(point.values[i]), widths[i]);
    }
    for (std::size_t a = 0; a < point.arms.size(); ++a) {
      fmt::print(out, "{:>{}.4g}  ", point.arms[a].primary.mean, arm_widths[a]);
    }
    fmt::print(out, "{}\n", scenario.arms[point.recommended].name);
  }
  fmt::print(out,
             "\n* control arm. Means across replications; sweep.csv has the 95% intervals, the "
             "paired uplifts, P(best), cost and opt-outs.\n");
  if (sweep.tornado.empty()) return;
  const sim::MeanInterval& base = sweep.base_decision;
  fmt::print(out,
             "\nSensitivity, one parameter at a time (the others at the scenario's values): {}; "
             "at the scenario's values {:+.4g} [{:+.4g}, {:+.4g}], recommending {}\n",
             decision_words(scenario, sweep), base.mean, base.lower, base.upper,
             scenario.arms[sweep.base.recommended].name);
  std::size_t width = 9;
  for (const sim::TornadoBar& bar : sweep.tornado) {
    width = std::max(width, sweep.axes[bar.axis].parameter.path.size());
  }
  fmt::print(out, "{:<{}}  {:>22}  {:>30}  {:>30}  {:>10}  {}\n", "parameter", width, "low -> high",
             "at low (95% CI)", "at high (95% CI)", "swing", "recommended at low / high");
  for (const sim::TornadoBar& bar : sweep.tornado) {
    fmt::print(
        out, "{:<{}}  {:>22}  {:>30}  {:>30}  {:>+10.4g}  {} / {}{}\n",
        sweep.axes[bar.axis].parameter.path, width,
        fmt::format("{} -> {}", exact(bar.low_value), exact(bar.high_value)),
        fmt::format("{:+.4g} [{:+.4g}, {:+.4g}]", bar.low.mean, bar.low.lower, bar.low.upper),
        fmt::format("{:+.4g} [{:+.4g}, {:+.4g}]", bar.high.mean, bar.high.lower, bar.high.upper),
        bar.swing, scenario.arms[bar.low_recommended].name,
        scenario.arms[bar.high_recommended].name,
        bar.recommendation_changes ? "  (the decision changes)" : "");
  }
}

void print_parameters(std::ostream& out, const sim::Scenario& scenario) {
  const std::vector<sim::ParameterInfo> parameters = sim::list_parameters(scenario);
  std::size_t width = 4;
  for (const sim::ParameterInfo& p : parameters) width = std::max(width, p.path.size());
  fmt::print(out, "Parameters of scenario '{}' ({}), settable with --set PATH=VALUE:\n\n",
             scenario.name, parameters.size());
  fmt::print(out, "{:<{}}  {:>14}  {:<32}  {}\n", "path", width, "value", "valid values",
             "meaning");
  for (const sim::ParameterInfo& p : parameters) {
    fmt::print(out, "{:<{}}  {:>14}  {:<32}  {}\n", p.path, width, exact(p.value),
               p.range.describe(), p.meaning);
  }
}

void write_sweep_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                         const sim::SweepResult& sweep, const char* version) {
  std::filesystem::create_directories(folder);
  // sweep.json goes last: when it exists, the sweep is complete.
  std::filesystem::remove(folder / "sweep.json");
  const auto write = [&](const char* name, const auto& writer) {
    AtomicFile file(folder / name);
    writer(file.stream());
    file.commit();
  };
  write("sweep.csv", [&](std::ostream& out) { write_sweep_csv(out, scenario, sweep); });
  if (sweep.tornado.empty()) {
    std::filesystem::remove(folder / "tornado.csv");  // Not from an earlier sweep.
  } else {
    write("tornado.csv", [&](std::ostream& out) { write_tornado_csv(out, scenario, sweep); });
  }
  write_sweep_report(folder, scenario, sweep, version);
  write("sweep.json", [&](std::ostream& out) { write_sweep_json(out, scenario, sweep, version); });
}

}  // namespace journeysim::reports
