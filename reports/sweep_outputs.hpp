#pragma once
// What `journeysim sweep` writes: sweep.csv, tornado.csv, report.html and
// sweep.json, the console tables, and the parameter list. Columns and keys are documented in
// docs/sweep.md.
#include <filesystem>
#include <ostream>

#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace journeysim::reports {

inline constexpr int kSweepOutputSchema = 1;

// Tidy: one row per grid point x arm. Columns: point, one column per swept
// parameter named by its path (in --set order), then arm, control,
// recommended, metric, mean, ci95_lower, ci95_upper, uplift,
// uplift_ci95_lower, uplift_ci95_upper, p_best, cost, cost_ci95_lower,
// cost_ci95_upper, opt_out_rate, opt_out_rate_ci95_lower, opt_out_rate_ci95_upper.
void write_sweep_csv(std::ostream& out, const sim::Scenario& scenario,
                     const sim::SweepResult& sweep);

// One row per swept parameter, largest |swing| first: the decision metric
// at the base and at the parameter's low and high ends (others at base).
void write_tornado_csv(std::ostream& out, const sim::Scenario& scenario,
                       const sim::SweepResult& sweep);

// What was run: scenario, hash, seed, replications, the grid, the decision arm
// and the files written, with the journeysim version.
void write_sweep_json(std::ostream& out, const sim::Scenario& scenario,
                      const sim::SweepResult& sweep, const char* version);

// The console's grid table (primary metric per arm, recommended arm) and
// tornado table.
void print_sweep(std::ostream& out, const sim::Scenario& scenario, const sim::SweepResult& sweep);

// Every addressable parameter: path, current value, valid values, meaning.
void print_parameters(std::ostream& out, const sim::Scenario& scenario);

// Writes sweep.csv, tornado.csv (when the sweep has a tornado), charts/*.vl.json
// and report.html (reports/sweep_report.hpp) and, last, sweep.json into folder
// (created if missing). Each file appears whole or not at all; a stale
// sweep.json is removed first, so its presence means the sweep finished.
// Throws std::runtime_error if a file cannot be written.
void write_sweep_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                         const sim::SweepResult& sweep, const char* version);

}  // namespace journeysim::reports
