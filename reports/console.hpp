#pragma once
// Plain-text summaries for people at a terminal.
#include <ostream>

#include "reports/population_csv.hpp"
#include "sim/engine.hpp"
#include "sim/population_summary.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// What a scenario contains, as checked by validate.
void print_scenario_overview(std::ostream& out, const sim::Scenario& scenario);

// The population of one draw against what the scenario asked for.
void print_population_summary(std::ostream& out, const sim::Scenario& scenario,
                              const sim::PopulationSummary& summary, DrawId draw);

// Who one HCP is, including the hidden barriers the journeys cannot see
// (journeysim trace is a teaching and debugging view).
void print_hcp_profile(std::ostream& out, const sim::Scenario& scenario,
                       const agents::Population& population, const agents::PeerNetwork& network,
                       std::uint32_t hcp);

// How one HCP's run ended.
void print_hcp_ending(std::ostream& out, const sim::Scenario& scenario,
                      const sim::HcpOutcome& outcome);

}  // namespace journeysim::reports
