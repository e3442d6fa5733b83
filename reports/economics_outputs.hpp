#pragma once
// The economic evaluation's outputs (docs/economics.md): economics.csv, the
// economics object of summary.json's evaluation block and the console's
// money lines. Columns and keys are documented in docs/outputs.md.
#include <nlohmann/json_fwd.hpp>
#include <ostream>

#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// One row per arm: cost, outcome, value and net monetary benefit with 95%
// intervals, the increments over the control, the ICER, the frontier status
// and whether the arm is over the budget.
void write_economics_csv(std::ostream& out, const sim::Scenario& scenario,
                         const sim::ExperimentResult& result, const sim::Evaluation& evaluation);

// The economics object of summary.json's evaluation block.
nlohmann::json economics_json(const sim::Scenario& scenario, const sim::Evaluation& evaluation);

// The console's money lines: the point of view, each arm's cost, outcome and
// net benefit, its increments over the control and its place on the frontier
// in plain words, and any warning (such as a budget no arm meets).
void print_economics(std::ostream& out, const sim::Scenario& scenario,
                     const sim::Evaluation& evaluation);

}  // namespace journeysim::reports
