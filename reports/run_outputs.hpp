#pragma once
// What `journeysim run` writes: summary.json, timeseries.csv and
// hcp_outcomes.csv. Columns and keys are documented in docs/outputs.md.
#include <filesystem>
#include <ostream>

#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

inline constexpr int kRunOutputSchema = 1;

// Every arm's key metrics with mean and 95% interval across replications,
// plus what was run (scenario, hash, seed, replications, version).
void write_summary_json(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                        const char* version);

// Tidy: arm, replication, day, stage, hcps (HCPs in the stage at the end of the day).
void write_timeseries_csv(std::ostream& out, const sim::Scenario& scenario,
                          const sim::ExperimentResult& result);

// One row per HCP per arm, for replication 0.
void write_hcp_outcomes_csv(std::ostream& out, const sim::Scenario& scenario,
                            const sim::ExperimentResult& result);

// The console's decision-free summary: each arm's key metrics with intervals.
void print_run_summary(std::ostream& out, const sim::Scenario& scenario,
                       const sim::ExperimentResult& result);

// Writes all run outputs into folder (created if missing): the evaluation's
// files when evaluation is given. Each file appears whole or not at all;
// summary.json is written last, so its presence means the run finished.
void write_run_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                       const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                       bool hcp_outcomes, const char* version);

}  // namespace journeysim::reports
