#pragma once
// The experiment runner: every arm on the same population in each
// replication, replications redrawing the population, all spread over oneTBB.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

// Ranking and selection (docs/selection.md): instead of a fixed number of
// replications, KN adds replications until one arm remains; OCBA spends a
// fixed budget of arm-runs where they matter most. Both select on the
// scenario's primary metric, larger being better.
struct SelectionOptions {
  enum class Procedure { none, kn, ocba } procedure = Procedure::none;
  double delta = 0.0;        // KN indifference zone, in the primary metric's unit; > 0.
  double alpha = 0.05;       // KN: P(correct selection) >= 1 - alpha.
  std::uint32_t n0 = 10;     // First-stage replications per arm.
  std::uint32_t budget = 0;  // OCBA: total arm-runs.
  std::uint32_t max_replications = 1000;  // KN: stop (without the guarantee) after this many.
};

// What a selection procedure did and what it guarantees.
struct SelectionReport {
  std::string procedure;                // "KN" or "OCBA".
  std::size_t best = 0;                 // Selected arm.
  std::uint32_t replications_used = 0;  // Largest replication count of any arm.
  std::uint64_t arm_runs = 0;           // Runs actually simulated.
  std::vector<std::uint32_t> runs_per_arm;
  double probability_correct = -1.0;  // OCBA's APCS-B estimate; -1 for KN.
  std::string guarantee;
};

struct ExperimentOptions {
  std::uint64_t seed = 1;
  std::uint32_t replications = 10;
  bool keep_hcp_outcomes = true;  // For replication 0 only.
  const std::atomic<bool>* cancel = nullptr;
  // Called after each finished (arm, replication) run with (done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  SelectionOptions selection;  // With a procedure, `replications` is ignored.
};

// One metric of one arm across replications.
struct ArmMetric {
  std::string name;            // e.g. "trial_rate".
  std::string unit;            // e.g. "share of HCPs".
  std::vector<double> values;  // One per replication, in replication order.
  MeanInterval summary;
};

struct ExperimentResult {
  std::uint64_t seed = 1;
  std::uint32_t replications = 0;
  std::vector<std::uint32_t> population_sizes;  // Per replication.
  // runs[arm][replication]; hcp outcomes only in replication 0 if kept.
  std::vector<std::vector<RunResult>> runs;
  // metrics[arm]: the key metrics with their intervals.
  std::vector<std::vector<ArmMetric>> metrics;
  // Wall-clock seconds summed over replications (set-up: population and
  // network synthesis) and over runs (simulation). Replications and runs
  // overlap in time, so these sums exceed the elapsed time on several threads.
  double setup_seconds = 0.0;
  double simulation_seconds = 0.0;
  // With a selection procedure: what it did. The runs and metrics above then
  // hold the replications every arm ran (for the paired evaluation).
  std::optional<SelectionReport> selection;
};

// Runs the experiment. Results are identical for any thread count. Throws
// Interrupted if cancel becomes true.
ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options);

// One metric of one run.
struct RunMetric {
  std::string name;
  std::string unit;
  double value = 0.0;
};

// The metrics of one run, in the order ArmMetric lists them: the key metrics,
// then the share of HCPs reaching each stage (reached_STAGE) and the
// engagement rate of each channel (engagement_rate_CHANNEL).
std::vector<RunMetric> run_metrics(const Scenario& scenario, const RunResult& run,
                                   std::uint32_t population_size);

}  // namespace journeysim::sim
