#pragma once
// Plain-text summaries for people at a terminal.
#include <ostream>

#include "reports/population_csv.hpp"
#include "sim/population_summary.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// What a scenario contains, as checked by validate.
void print_scenario_overview(std::ostream& out, const sim::Scenario& scenario);

// The population of one draw against what the scenario asked for.
void print_population_summary(std::ostream& out, const sim::Scenario& scenario,
                              const sim::PopulationSummary& summary, DrawId draw);

}  // namespace journeysim::reports
