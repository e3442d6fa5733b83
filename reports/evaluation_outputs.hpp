#pragma once
// The A/B evaluation's outputs: comparisons.csv, segments.csv, friction.csv,
// km.csv, the evaluation block of summary.json and the console decision
// table. Columns are documented in docs/outputs.md.
#include <nlohmann/json_fwd.hpp>
#include <ostream>

#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

void write_comparisons_csv(std::ostream& out, const sim::Scenario& scenario,
                           const sim::ExperimentResult& result, const sim::Evaluation& evaluation);
void write_segments_csv(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation& evaluation);
void write_friction_csv(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation& evaluation);
void write_km_csv(std::ostream& out, const sim::Scenario& scenario,
                  const sim::ExperimentResult& result, const sim::Evaluation& evaluation);

// The evaluation as JSON, for summary.json.
nlohmann::json evaluation_json(const sim::Scenario& scenario, const sim::Evaluation& evaluation);

// Arms ranked by the primary metric: uplift with its interval, P(best), cost
// per incremental adopter, and the recommendation.
void print_decision_table(std::ostream& out, const sim::Scenario& scenario,
                          const sim::ExperimentResult& result, const sim::Evaluation& evaluation);

}  // namespace journeysim::reports
