// journeysim: the command-line front end. Exit status: 0 success, 2 bad input
// (with a message naming the file, line and field), 1 internal error.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "agents/input_error.hpp"
#include "cli/calibrate_command.hpp"
#include "cli/commands.hpp"
#include "cli/new_command.hpp"
#include "cli/plan_command.hpp"
#include "cli/seed_option.hpp"
#include "cli/size_command.hpp"
#include "cli/sweep_command.hpp"
#include "sim/engine.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;
constexpr int kExitInterrupted = 130;

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
  journeysim::cli::add_seed_option(command, options.seed, "Seed (default: the scenario's seed)");
  command->add_option("--replication", options.replication, "Replication to draw (default 0)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--size", options.size, "Override the number of HCPs")
      ->check(CLI::PositiveNumber);
  command->add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--quiet", options.quiet, "Print no summary");
  command->callback([&options] { journeysim::cli::run_population(options); });
}

void add_run(CLI::App& app, journeysim::cli::RunOptions& options) {
  CLI::App* command = app.add_subcommand(
      "run", "Run every journey arm of a scenario on the same synthetic population, many times");
  command->add_option("scenario", options.scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->add_option("--out", options.out, "Folder for summary.json, timeseries.csv, ...")
      ->required();
  // 1 passes the parser so that the refusal names the rule (intervals need 2).
  command->add_option("--replications", options.replications, "Replications (default 10)")
      ->check(CLI::Range(1U, 100000U).description("in [2 - 100000]"));
  journeysim::cli::add_seed_option(command, options.seed, "Seed (default: the scenario's seed)");
  command->add_option("--size", options.size, "Override the number of HCPs")
      ->check(CLI::PositiveNumber);
  command->add_option("--set", options.set,
                      "PATH=VALUE: override a parameter after loading (repeatable; `journeysim "
                      "sweep --list-parameters SCENARIO` lists the paths)");
  command->add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_option("--select", options.select,
                      "Pick the best arm by ranking and selection: kn (Kim-Nelson, adds "
                      "replications until one arm remains) or ocba (fixed --budget)");
  command->add_option("--delta", options.delta,
                      "KN indifference zone: the smallest difference in the primary metric worth "
                      "detecting (> 0)");
  command->add_option("--alpha", options.alpha,
                      "KN: P(correct selection) >= 1 - alpha (default 0.05)");
  command->add_option("--n0", options.n0, "First-stage replications per arm (default 10)");
  command->add_option("--budget", options.budget, "OCBA: total arm-runs to spend");
  command->add_option("--max-replications", options.max_replications,
                      "KN: give up (without the guarantee) after this many (default 1000)");
  command->add_flag("!--no-hcp-outcomes", options.hcp_outcomes,
                    "Skip hcp_outcomes.csv (for very large runs)");
  command->callback([&options] { journeysim::cli::run_experiment(options); });
}

void add_trace(CLI::App& app, journeysim::cli::TraceOptions& options) {
  CLI::App* command = app.add_subcommand(
      "trace", "Tell, day by day in plain words, what happened to one HCP in one arm");
  command->add_option("scenario", options.scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->add_option("--arm", options.arm, "Arm name")->required();
  command->add_option("--hcp", options.hcp, "HCP index (the hcp column of the outputs)")
      ->required();
  journeysim::cli::add_seed_option(command, options.seed, "Seed (default: the scenario's seed)");
  command->add_option("--replication", options.replication, "Replication (default 0)");
  command->callback([&options] { journeysim::cli::run_trace(options); });
}

void on_interrupt(int) {
  journeysim::cli::request_cancel();
  std::signal(SIGINT, SIG_DFL);  // A second Ctrl-C stops at once.
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
  journeysim::cli::RunOptions run;
  journeysim::cli::TraceOptions trace;
  add_run(app, run);
  add_trace(app, trace);
  journeysim::cli::add_plan(app);
  journeysim::cli::add_size(app);
  journeysim::cli::add_calibrate(app);
  journeysim::cli::add_sweep(app);
  journeysim::cli::add_new(app);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive here too, with exit code 0.
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitBadInput;
  } catch (const journeysim::sim::Interrupted&) {
    std::cerr << "journeysim: interrupted; no output was written\n";
    return kExitInterrupted;
  } catch (const journeysim::agents::InputError& error) {
    std::cerr << "journeysim: error: " << error.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "journeysim: internal error: " << error.what() << '\n';
    return kExitInternal;
  }
}
