#pragma once
// The CLI's commands, apart from argument parsing so that tests can call them.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace journeysim::cli {

// The version of this build, e.g. "0.1.0".
const char* version() noexcept;

struct ValidateOptions {
  std::string scenario;
};

struct PopulationOptions {
  std::string scenario;
  std::string out;    // Population CSV; empty = none.
  std::string edges;  // Edge list CSV; empty = none.
  std::optional<std::uint64_t> seed;
  std::uint32_t replication = 0;
  std::optional<std::uint64_t> size;
  std::optional<int> threads;
  bool quiet = false;
};

struct RunOptions {
  std::string scenario;
  std::string out;  // Output folder.
  std::optional<std::uint64_t> seed;
  std::uint32_t replications = 10;
  std::optional<std::uint64_t> size;
  std::optional<int> threads;
  bool hcp_outcomes = true;
  std::vector<std::string> set;         // PATH=VALUE parameter overrides, in order.
  std::string select;                   // "", "kn" or "ocba".
  std::optional<double> delta;          // KN indifference zone.
  double alpha = 0.05;                  // KN: P(correct selection) >= 1 - alpha.
  std::uint32_t n0 = 10;                // First-stage replications per arm.
  std::optional<std::uint32_t> budget;  // OCBA: total arm-runs.
  std::uint32_t max_replications = 1000;
};

struct TraceOptions {
  std::string scenario;
  std::string arm;
  std::uint32_t hcp = 0;
  std::optional<std::uint64_t> seed;
  std::uint32_t replication = 0;
};

// Loads and checks the scenario and prints an overview. Throws agents::InputError.
void run_validate(const ValidateOptions& options);

// Synthesises one replication's population and network, prints a summary and
// writes the requested files atomically. Throws agents::InputError.
void run_population(const PopulationOptions& options);

// Runs every arm of the scenario over the replications and writes the run
// outputs. Throws agents::InputError, or sim::Interrupted after Ctrl-C.
void run_experiment(const RunOptions& options);

// Tells, day by day in plain words, what happened to one HCP in one arm.
void run_trace(const TraceOptions& options);

// Throws agents::InputError (field --out) if the folder out could not be
// created or written, before any work is done.
void check_output_folder(const std::string& out);

// Asks running experiments to stop (async-signal-safe).
void request_cancel() noexcept;

// The flag request_cancel() sets, for commands that run the engine.
const std::atomic<bool>* cancel_flag() noexcept;

}  // namespace journeysim::cli
