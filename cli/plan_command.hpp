#pragma once
// journeysim plan: simulate the live A/B test many times.
#include <CLI/CLI.hpp>

namespace journeysim::cli {

// Registers the plan subcommand on app.
void add_plan(CLI::App& app);

}  // namespace journeysim::cli
