// journeysim: the command-line front end. Exit status: 0 success, 2 bad input
// (with a message naming the file, line and field), 1 internal error.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "agents/input_error.hpp"
#include "cli/commands.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

void add_validate(CLI::App& app, journeysim::cli::ValidateOptions& options) {
  CLI::App* command = app.add_subcommand(
      "validate", "Check a scenario and everything it refers to, without running");
  command->add_option("scenario", options.scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->callback([&options] { journeysim::cli::run_validate(options); });
}

void add_population(CLI::App& app, journeysim::cli::PopulationOptions& options) {
  CLI::App* command = app.add_subcommand(
      "population", "Synthesise a scenario's HCP population and peer network, and summarise it");
  command->add_option("scenario", options.scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->add_option("--out", options.out, "Write the population as CSV to this file");
  command->add_option("--edges", options.edges,
                      "Write the peer network's ties as CSV to this file");
  command->add_option("--seed", options.seed, "Seed (default: the scenario's seed)");
  command->add_option("--replication", options.replication, "Replication to draw (default 0)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--size", options.size, "Override the number of HCPs")
      ->check(CLI::PositiveNumber);
  command->add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--quiet", options.quiet, "Print no summary");
  command->callback([&options] { journeysim::cli::run_population(options); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"journeysim: test HCP customer journeys on a synthetic population before launch"};
  app.set_version_flag("--version", std::string("journeysim ") + journeysim::cli::version());
  app.require_subcommand(1);
  journeysim::cli::ValidateOptions validate;
  journeysim::cli::PopulationOptions population;
  add_validate(app, validate);
  add_population(app, population);
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive here too, with exit code 0.
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitBadInput;
  } catch (const journeysim::agents::InputError& error) {
    std::cerr << "journeysim: error: " << error.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "journeysim: internal error: " << error.what() << '\n';
    return kExitInternal;
  }
}
