#pragma once
// The experiment runner: every arm on the same population in each
// replication, replications redrawing the population, all spread over oneTBB.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

struct ExperimentOptions {
  std::uint64_t seed = 1;
  std::uint32_t replications = 10;
  bool keep_hcp_outcomes = true;  // For replication 0 only.
  const std::atomic<bool>* cancel = nullptr;
  // Called after each finished (arm, replication) run with (done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
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
  double setup_seconds = 0.0;       // Population and network synthesis.
  double simulation_seconds = 0.0;  // The daily loops.
};

// Runs the experiment. Results are identical for any thread count. Throws
// Interrupted if cancel becomes true.
ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options);

// The metrics of one run, in the order ArmMetric lists them.
std::vector<std::pair<std::string, double>> run_metrics(const Scenario& scenario,
                                                        const RunResult& run,
                                                        std::uint32_t population_size);

}  // namespace journeysim::sim
