#pragma once
// The sections of the run report (reports/run_report.hpp), one builder each.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html_page.hpp"
#include "sim/evaluation.hpp"
#include "sim/population_summary.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports::detail {

// What every section reads. evaluation may be null (one arm).
struct RunReportInput {
  const sim::Scenario& scenario;
  const sim::ExperimentResult& result;
  const sim::Evaluation* evaluation;
  std::size_t control = 0;          // The control arm (the first, without an evaluation).
  std::vector<std::string> labels;  // Arm labels for charts, the control marked.
};

// The arm's metric of this name; throws std::logic_error if there is none.
const sim::ArmMetric& arm_metric(const RunReportInput& in, std::size_t arm, std::string_view name);

// The evaluation's comparison of arm with the control on metric, or null.
const sim::Comparison* comparison(const RunReportInput& in, std::size_t arm,
                                  std::string_view metric);

// True for the metrics that are shares of HCPs (shown in percent and percentage points).
bool is_share_metric(std::string_view metric);

Section decision_section(const RunReportInput& in);
Section adoption_section(const RunReportInput& in);
Section funnel_section(const RunReportInput& in);
Section uplift_section(const RunReportInput& in);
Section friction_section(const RunReportInput& in);
Section time_to_prescription_section(const RunReportInput& in);
Section cost_section(const RunReportInput& in);
Section simulated_section(const RunReportInput& in, const sim::PopulationSummary& population,
                          std::string_view version, std::string_view command);

}  // namespace journeysim::reports::detail
