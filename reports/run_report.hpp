#pragma once
// report.html for `journeysim run`: the decision, adoption over time, the
// funnel, uplift, the friction map, time to first prescription, cost and
// fatigue, and what was simulated. What each chart shows and how each number
// is computed is in docs/outputs.md, "report.html and charts/".
#include <filesystem>
#include <string>
#include <string_view>

#include "sim/evaluation.hpp"
#include "sim/population_summary.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// The command that reruns this experiment into folder: scenario folder,
// --out, --replications, --seed, --size and a --set for each parameter set
// after loading (selection options are named in the report, since the result
// does not keep --delta or --budget).
std::string rerun_command(const sim::Scenario& scenario, const sim::ExperimentResult& result,
                          const std::filesystem::path& folder);

// The report as one self-contained HTML document. evaluation may be null (a
// scenario with one arm): the report then says why there is no decision.
// population describes replication 0's population and network.
std::string run_report_html(const sim::Scenario& scenario, const sim::ExperimentResult& result,
                            const sim::Evaluation* evaluation,
                            const sim::PopulationSummary& population, std::string_view version,
                            std::string_view command);

// Writes folder/report.html and folder/charts/NAME.vl.json (one Vega-Lite spec
// per chart, data inline). Redraws replication 0's population and network to
// summarise them (the same draw as the run). Each file appears whole or not
// at all; an old report.html is removed first. Throws std::runtime_error on a
// write error.
void write_run_report(const std::filesystem::path& folder, const sim::Scenario& scenario,
                      const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                      std::string_view version);

}  // namespace journeysim::reports
