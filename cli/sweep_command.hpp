#pragma once
// journeysim sweep: rerun a scenario over a grid of parameter values, with a
// tornado-style sensitivity summary; and --set PATH=VALUE overrides shared
// with `journeysim run`. docs/sweep.md describes both.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace journeysim::cli {

// Registers the sweep subcommand on app.
void add_sweep(CLI::App& app);

// Applies each "PATH=VALUE" of assignments to the scenario, in order (see
// sim::set_parameter). Throws agents::InputError naming option (e.g. "--set")
// for malformed text, an unknown path or a value out of range.
void apply_overrides(sim::Scenario& scenario, const std::vector<std::string>& assignments,
                     const char* option = "--set");

}  // namespace journeysim::cli
