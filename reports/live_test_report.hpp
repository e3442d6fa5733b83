#pragma once
// The console report of journeysim plan.
#include <ostream>

#include "sim/live_test.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// Power, bias, A/A rejections and spillover of the simulated live test, both
// designs side by side, each figure with its Monte Carlo standard error; the
// trials a stated precision needs; the field force as a path between arms.
void print_live_test_plan(std::ostream& out, const sim::Scenario& scenario,
                          const sim::LiveTestPlan& plan);

}  // namespace journeysim::reports
