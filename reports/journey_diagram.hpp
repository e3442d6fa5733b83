#pragma once
// Journeys drawn as HTML boxes and arrows, one box per step: its kind, what it
// sends and through which channel, how long it waits and where it branches.
// Used by the HTML reports' "what was simulated" section.
#include <string>

#include "sim/journey.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// One journey: a header (entry, holdout, goal, exits) and its steps in file
// order, an arrow between two boxes when the first goes on to the second.
std::string journey_diagram_html(const sim::Scenario& scenario, const sim::Journey& journey);

// Every journey of an arm, or a note that the arm sends nothing.
std::string arm_journeys_html(const sim::Scenario& scenario, const sim::Arm& arm);

}  // namespace journeysim::reports
