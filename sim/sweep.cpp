#include "sim/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "agents/input_error.hpp"
#include "sim/evaluation.hpp"
#include "sim/runner.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;

std::string file_of(const Scenario& scenario) {
  return scenario.manifest.empty() ? std::string("<scenario>") : scenario.manifest.string();
}

const ArmMetric& metric_of(const ExperimentResult& result, std::size_t arm,
                           const std::string& name) {
  for (const ArmMetric& metric : result.metrics[arm]) {
    if (metric.name == name) return metric;
  }
  throw std::logic_error("the runner reported no metric " + name);
}

SweepPoint summarise(const Scenario& scenario, const ExperimentResult& result,
                     const Evaluation& evaluation, std::vector<double> values) {
  SweepPoint point;
  point.values = std::move(values);
  point.recommended = evaluation.recommended;
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    SweepArm arm;
    arm.primary = metric_of(result, a, scenario.primary_metric).summary;
    for (const Comparison& c : evaluation.comparisons) {
      if (c.arm == a && c.metric == scenario.primary_metric) arm.uplift = c.difference;
    }
    arm.probability_best = evaluation.probability_best.at(a);
    arm.recommended = evaluation.recommended == a;
    arm.cost = metric_of(result, a, "total_cost").summary;
    arm.opt_out_rate = metric_of(result, a, "opt_out_rate").summary;
    point.arms.push_back(arm);
  }
  return point;
}

std::size_t control_index(const Scenario& scenario) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == scenario.control_arm) return a;
  }
  throw InputError({file_of(scenario), 0, "control_arm"},
                   fmt::format("no arm is named '{}'", scenario.control_arm));
}

// See SweepResult::decision_arm.
std::size_t choose_decision_arm(const SweepPoint& base, std::size_t control) {
  if (base.recommended != control || base.arms.size() < 2) return base.recommended;
  std::size_t best = control;
  for (std::size_t a = 0; a < base.arms.size(); ++a) {
    if (a == control) continue;
    const auto rank = [&](std::size_t arm) {
      return std::make_pair(base.arms[arm].probability_best, base.arms[arm].uplift.mean);
    };
    if (best == control || rank(a) > rank(best)) best = a;
  }
  return best;
}

MeanInterval decision_value(const SweepPoint& point, std::size_t arm, std::size_t control) {
  return arm == control ? point.arms[arm].primary : point.arms[arm].uplift;
}

}  // namespace

ResolvedAxis resolve_axis(const Scenario& scenario, const SweepAxis& axis) {
  ResolvedAxis resolved{axis, describe_parameter(scenario, axis.path), {}};
  const ParameterInfo& p = resolved.parameter;
  const agents::InputLocation where{file_of(scenario), 0, p.path};
  if (axis.steps < 2) {
    throw InputError(where,
                     fmt::format("expected at least 2 steps (both ends), found {}", axis.steps));
  }
  if (!std::isfinite(axis.from) || !std::isfinite(axis.to) || axis.from > axis.to) {
    throw InputError(where, fmt::format("expected FROM <= TO, found {} > {}", axis.from, axis.to));
  }
  if (axis.steps > kMaxSweepPoints) {
    throw InputError(where, fmt::format("at most {} steps, found {}", kMaxSweepPoints, axis.steps));
  }
  const double span = axis.to - axis.from;
  for (std::uint32_t i = 0; i < axis.steps; ++i) {
    // The last point is `to` exactly, and inner points are snapped to 12
    // significant digits, so 0.003:0.012:3 gives 0.0075, not 0.007500000000000001.
    double value = i + 1 == axis.steps
                       ? axis.to
                       : axis.from + span * static_cast<double>(i) / (axis.steps - 1);
    if (i > 0 && i + 1 < axis.steps) {
      value = std::clamp(std::stod(fmt::format("{:.12g}", value)), axis.from, axis.to);
    }
    if (p.range.integer) value = std::round(value);
    if (!p.range.contains(value)) {
      throw InputError(where, fmt::format("grid point {} of {} is {}; expected {}", i + 1,
                                          axis.steps, value, p.range.describe()));
    }
    if (!resolved.values.empty() && value == resolved.values.back()) {
      throw InputError(
          where,
          p.range.integer
              ? fmt::format("grid points {} and {} both round to the whole number {}; use "
                            "at most {} steps from {} to {}",
                            i, i + 1, value,
                            static_cast<long long>(std::floor(axis.to) - std::ceil(axis.from)) + 1,
                            axis.from, axis.to)
              : fmt::format("FROM equals TO ({}): every grid point would be the same", value));
    }
    resolved.values.push_back(value);
  }
  return resolved;
}

std::vector<std::vector<double>> cartesian_grid(const std::vector<ResolvedAxis>& axes,
                                                std::size_t max_points) {
  if (axes.empty()) throw InputError({"<sweep>", 0, "grid"}, "expected at least one parameter");
  std::set<std::string> paths;
  std::size_t points = 1;
  std::string sizes;
  for (const ResolvedAxis& axis : axes) {
    if (!paths.insert(axis.parameter.path).second) {
      throw InputError({"<sweep>", 0, "grid"},
                       fmt::format("parameter '{}' is swept twice", axis.parameter.path));
    }
    sizes += fmt::format("{}{}", sizes.empty() ? "" : " x ", axis.values.size());
    // Compared before multiplying, so the product cannot overflow.
    if (axis.values.size() > max_points / points) {
      points = max_points + 1;
    } else {
      points *= axis.values.size();
    }
  }
  if (points > max_points) {
    throw InputError({"<sweep>", 0, "grid"},
                     fmt::format("the grid of {} points is too large: at most {} points, each a "
                                 "whole experiment; use fewer steps or sweep fewer parameters "
                                 "together",
                                 sizes, max_points));
  }
  std::vector<std::vector<double>> grid;
  grid.reserve(points);
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t n = 0; n < points; ++n) {
    std::vector<double> values(axes.size());
    for (std::size_t a = 0; a < axes.size(); ++a) values[a] = axes[a].values[index[a]];
    grid.push_back(std::move(values));
    // An odometer: the last axis turns fastest.
    for (std::size_t a = axes.size(); a-- > 0;) {
      if (++index[a] < axes[a].values.size()) break;
      index[a] = 0;
    }
  }
  return grid;
}

Scenario scenario_at(const Scenario& base, const std::vector<ResolvedAxis>& axes,
                     const std::vector<double>& values) {
  Scenario scenario = base;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    set_parameter(scenario, axes[a].parameter.path, values.at(a));
  }
  return scenario;
}

SweepResult run_sweep(const Scenario& scenario, const SweepOptions& options) {
  if (options.replications < 2) {
    throw InputError({"<command line>", 0, "--replications"},
                     "intervals need at least 2 replications");
  }
  if (scenario.arms.empty()) {
    throw InputError({file_of(scenario), 0, "arms"}, "the scenario has no arms to run");
  }
  const std::size_t control = control_index(scenario);
  SweepResult sweep;
  sweep.seed = options.seed;
  sweep.replications = options.replications;
  for (const SweepAxis& axis : options.axes) sweep.axes.push_back(resolve_axis(scenario, axis));
  const std::vector<std::vector<double>> grid = cartesian_grid(sweep.axes, options.max_points);

  // Every experiment to run, each once: the grid, the base and, for the
  // tornado, each axis at its ends with the others at the base.
  std::vector<double> base_values;
  for (const ResolvedAxis& axis : sweep.axes) base_values.push_back(axis.parameter.value);
  std::vector<std::vector<double>> order = grid;
  order.push_back(base_values);
  if (options.tornado) {
    for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
      for (const double end : {sweep.axes[a].values.front(), sweep.axes[a].values.back()}) {
        std::vector<double> values = base_values;
        values[a] = end;
        order.push_back(std::move(values));
      }
    }
  }
  std::map<std::vector<double>, SweepPoint> done;
  std::vector<std::vector<double>> unique;
  for (const auto& values : order) {
    if (done.try_emplace(values).second) unique.push_back(values);
  }
  // Check every combination before simulating any: a joint rule broken at
  // the last point must not waste the first hour.
  for (const auto& values : unique) (void)scenario_at(scenario, sweep.axes, values);

  ExperimentOptions experiment;
  experiment.seed = options.seed;
  experiment.replications = options.replications;
  experiment.keep_hcp_outcomes = false;
  experiment.cancel = options.cancel;
  for (std::size_t n = 0; n < unique.size(); ++n) {
    if (options.cancel != nullptr && options.cancel->load()) throw Interrupted();
    const Scenario at = scenario_at(scenario, sweep.axes, unique[n]);
    const ExperimentResult result = run_experiment(at, experiment);
    const Evaluation evaluation = evaluate(at, result);
    done[unique[n]] = summarise(at, result, evaluation, unique[n]);
    if (options.progress) options.progress(n + 1, unique.size());
  }
  sweep.experiments = unique.size();
  for (const auto& values : grid) sweep.points.push_back(done.at(values));
  sweep.base = done.at(base_values);
  sweep.decision_arm = choose_decision_arm(sweep.base, control);
  sweep.base_decision = decision_value(sweep.base, sweep.decision_arm, control);
  if (options.tornado) {
    for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
      TornadoBar bar;
      bar.axis = a;
      bar.low_value = sweep.axes[a].values.front();
      bar.high_value = sweep.axes[a].values.back();
      std::vector<double> low = base_values;
      low[a] = bar.low_value;
      std::vector<double> high = base_values;
      high[a] = bar.high_value;
      const SweepPoint& low_point = done.at(low);
      const SweepPoint& high_point = done.at(high);
      bar.low = decision_value(low_point, sweep.decision_arm, control);
      bar.high = decision_value(high_point, sweep.decision_arm, control);
      bar.low_recommended = low_point.recommended;
      bar.high_recommended = high_point.recommended;
      bar.swing = bar.high.mean - bar.low.mean;
      bar.recommendation_changes = bar.low_recommended != sweep.base.recommended ||
                                   bar.high_recommended != sweep.base.recommended;
      sweep.tornado.push_back(bar);
    }
    std::stable_sort(sweep.tornado.begin(), sweep.tornado.end(),
                     [](const TornadoBar& x, const TornadoBar& y) {
                       return std::abs(x.swing) > std::abs(y.swing);
                     });
  }
  return sweep;
}

}  // namespace journeysim::sim
