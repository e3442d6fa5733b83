#pragma once
// What-if sweeps: rerun a scenario over a grid of parameter values, with
// common random numbers across grid points, and a one-at-a-time (tornado)
// sensitivity summary of the decision. The method is in docs/sweep.md. No
// input or output here: reports/sweep_outputs.hpp writes the results.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/parameters.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

// At most this many grid points: each point is a whole experiment.
inline constexpr std::size_t kMaxSweepPoints = 1000;

// One swept parameter: steps evenly spaced values from `from` to `to`, both included.
struct SweepAxis {
  std::string path;
  double from = 0.0;
  double to = 0.0;
  std::uint32_t steps = 2;
};

// A swept parameter with its values resolved.
struct ResolvedAxis {
  SweepAxis axis;
  ParameterInfo parameter;     // At the scenario's own value.
  std::vector<double> values;  // steps values, ascending; whole numbers if the parameter is.
};

// The values of one axis: from + i (to - from) / (steps - 1) for i in [0, steps),
// rounded to whole numbers for an integer parameter. Throws agents::InputError
// (field = the path) for an unknown path, from > to, steps < 2, two points
// that round to one whole number, or a value outside the parameter's range.
ResolvedAxis resolve_axis(const Scenario& scenario, const SweepAxis& axis);

// The full Cartesian grid of the axes, the last axis varying fastest:
// grid[point][axis]. Throws agents::InputError (field "grid") if there are no
// axes, a path is swept twice, or the grid has more than max_points points.
std::vector<std::vector<double>> cartesian_grid(const std::vector<ResolvedAxis>& axes,
                                                std::size_t max_points = kMaxSweepPoints);

// The scenario with every axis set to its value at one grid point. Throws
// agents::InputError if a combination breaks a joint rule of the parameters
// (e.g. practice_share + region_share > 1).
Scenario scenario_at(const Scenario& base, const std::vector<ResolvedAxis>& axes,
                     const std::vector<double>& values);

struct SweepOptions {
  std::vector<SweepAxis> axes;
  std::uint64_t seed = 1;           // The same seed at every point: common random numbers.
  std::uint32_t replications = 10;  // >= 2: the evaluation needs intervals.
  bool tornado = true;              // Also the one-at-a-time runs at each axis's ends.
  std::size_t max_points = kMaxSweepPoints;
  const std::atomic<bool>* cancel = nullptr;
  // Called after each finished experiment with (done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

// One arm at one point.
struct SweepArm {
  MeanInterval primary;           // The scenario's primary metric across replications.
  MeanInterval uplift;            // Primary minus control, paired; n = 0 for the control.
  double probability_best = 0.0;  // On the primary metric (bootstrap; sim/evaluation.hpp).
  bool recommended = false;       // The arm the evaluation recommends at this point.
  MeanInterval cost;              // total_cost.
  MeanInterval opt_out_rate;      // Channel opt-outs per HCP.
};

// One evaluated experiment at one combination of parameter values.
struct SweepPoint {
  std::vector<double> values;  // One per axis.
  std::vector<SweepArm> arms;  // In scenario arm order.
  std::size_t recommended = 0;
};

// One bar of the tornado: one axis moved to its ends, every other parameter
// at the scenario's own value.
struct TornadoBar {
  std::size_t axis = 0;
  double low_value = 0.0;   // The axis's `from`, as resolved.
  double high_value = 0.0;  // Its `to`.
  // The decision metric, the decision arm's uplift over the control, at each end.
  MeanInterval low;
  MeanInterval high;
  std::size_t low_recommended = 0;
  std::size_t high_recommended = 0;
  double swing = 0.0;                   // high.mean - low.mean.
  bool recommendation_changes = false;  // At either end, against the base.
};

struct SweepResult {
  std::uint64_t seed = 1;
  std::uint32_t replications = 0;
  std::vector<ResolvedAxis> axes;
  std::vector<SweepPoint> points;  // In cartesian_grid order.
  // The base: every parameter at the scenario's own value.
  SweepPoint base;
  // The arm whose uplift over the control is the decision metric: the arm
  // recommended at the base or, if that is the control, the non-control arm
  // with the largest P(best) there (ties: the larger mean uplift). Equal to
  // the control only in a one-arm scenario, whose decision metric is then its
  // primary metric itself.
  std::size_t decision_arm = 0;
  MeanInterval base_decision;
  std::vector<TornadoBar> tornado;  // Sorted by |swing|, largest first; empty if not asked.
  std::size_t experiments = 0;      // Distinct experiments run (grid, base and tornado ends).
};

// Runs the sweep: sim::run_experiment and sim::evaluate at every grid point,
// at the base and at each axis's ends, all with options.seed. Resolves and
// checks every point before simulating anything. Results are identical for
// any thread count. Throws agents::InputError for a bad axis or point, and
// Interrupted if options.cancel becomes true.
SweepResult run_sweep(const Scenario& scenario, const SweepOptions& options);

}  // namespace journeysim::sim
