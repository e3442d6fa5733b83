#pragma once
// report.html for `journeysim sweep`: the answer in a sentence, the primary
// metric per arm and each arm's uplift against every swept parameter, the
// tornado, and what was run. What each chart shows is in docs/sweep.md,
// "report.html and charts/".
#include <filesystem>
#include <string>
#include <string_view>

#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace journeysim::reports {

// The command that reruns this sweep into folder: scenario folder, --out,
// --replications, --seed, each axis as --set PATH=FROM:TO:STEPS, each fixed
// parameter as --set PATH=VALUE, and --no-tornado when the sweep had none.
std::string sweep_rerun_command(const sim::Scenario& scenario, const sim::SweepResult& sweep,
                                const std::filesystem::path& folder);

// The answer in plain text: "The recommendation is ARM at every point of the
// grid (N points)." or where along which parameter it changes from one arm to
// another, e.g. "The recommendation changes from A at PATH = 9 to B at PATH = 13."
std::string sweep_summary_sentence(const sim::Scenario& scenario, const sim::SweepResult& sweep);

// The report as one self-contained HTML document.
std::string sweep_report_html(const sim::Scenario& scenario, const sim::SweepResult& sweep,
                              std::string_view version, const std::filesystem::path& folder);

// Writes folder/charts/NAME.vl.json (one Vega-Lite spec per chart, data
// inline), then folder/report.html. Each file appears whole or not at all; an
// old report.html is removed first and stale chart specs are removed. Throws
// std::runtime_error on a write error.
void write_sweep_report(const std::filesystem::path& folder, const sim::Scenario& scenario,
                        const sim::SweepResult& sweep, std::string_view version);

}  // namespace journeysim::reports
