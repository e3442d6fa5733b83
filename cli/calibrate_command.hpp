#pragma once
// journeysim calibrate: fit scenario parameters to data observed in a past launch.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "sim/calibration.hpp"

namespace journeysim::cli {

struct CalibrateOptions {
  std::string scenario;
  std::string observed;  // The observed-data CSV (docs/calibrate.md).
  std::string fit;       // PATH[=LOW:HIGH][,...].
  std::string out;       // Output folder.
  std::string arm;       // Empty: the scenario's control arm.
  std::uint32_t replications = 16;
  std::optional<std::uint64_t> seed;
  std::optional<int> threads;
  std::uint32_t max_evaluations = 100;
  std::uint32_t bootstrap = sim::kDefaultBootstrap;  // Parametric bootstrap refits; 0 = off.
};

// Loads the scenario and the observed data, fits, prints the fitted values
// and writes the outputs. Throws agents::InputError for bad input (before
// simulating anything), sim::Interrupted after Ctrl-C (nothing written).
void run_calibrate(const CalibrateOptions& options, std::ostream& out);

// Registers the calibrate subcommand on app.
void add_calibrate(CLI::App& app);

}  // namespace journeysim::cli
