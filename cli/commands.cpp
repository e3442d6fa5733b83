#include "cli/commands.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "agents/input_error.hpp"
#include "cli/sweep_command.hpp"
#include "reports/atomic_file.hpp"
#include "reports/console.hpp"
#include "reports/evaluation_outputs.hpp"
#include "reports/population_csv.hpp"
#include "reports/run_outputs.hpp"
#include "sim/engine.hpp"
#include "sim/evaluation.hpp"
#include "sim/population_summary.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

#ifndef JOURNEYSIM_VERSION
#error "JOURNEYSIM_VERSION must be defined by the build"
#endif

namespace journeysim::cli {
namespace {

// Opens an output file before any work is done, so a bad path fails fast as
// bad input. Nothing appears under the path until the file is committed.
std::unique_ptr<reports::AtomicFile> open_output(const std::string& path, std::string_view option) {
  if (path.empty()) return nullptr;
  const agents::InputLocation where{"<command line>", 0, std::string(option)};
  if (std::filesystem::is_directory(path)) {
    throw agents::InputError(where, fmt::format("'{}' is a folder; give a file name", path));
  }
  const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(parent)) {
    throw agents::InputError(where, fmt::format("folder '{}' does not exist", parent.string()));
  }
  try {
    return std::make_unique<reports::AtomicFile>(path);
  } catch (const std::runtime_error& error) {
    throw agents::InputError(where, error.what());
  }
}

std::unique_ptr<tbb::global_control> limit_threads(const std::optional<int>& threads) {
  if (!threads) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(*threads));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::atomic<bool> cancel_requested{false};

}  // namespace

// Refuses, before any work, an output folder that could not be created: the
// nearest part of the path that exists must be a folder we may write to.
void check_output_folder(const std::string& out) {
  const agents::InputLocation where{"<command line>", 0, "--out"};
  std::filesystem::path existing = std::filesystem::absolute(out);
  while (!std::filesystem::exists(existing) && existing.has_parent_path() &&
         existing != existing.parent_path()) {
    existing = existing.parent_path();
  }
  if (!std::filesystem::is_directory(existing)) {
    throw agents::InputError(where, fmt::format("'{}' is a file, so the folder '{}' cannot be "
                                                "created; give a folder",
                                                existing.string(), out));
  }
  if (::access(existing.c_str(), W_OK) != 0) {
    throw agents::InputError(where, fmt::format("folder '{}' is not writable", existing.string()));
  }
}

namespace {

std::size_t find_arm(const sim::Scenario& scenario, const std::string& name) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == name) return a;
  }
  std::string known;
  for (const sim::Arm& arm : scenario.arms) known += (known.empty() ? "" : ", ") + arm.name;
  throw agents::InputError({"<command line>", 0, "--arm"},
                           fmt::format("no arm is named '{}'; the scenario has: {}", name,
                                       known.empty() ? "no arms" : known));
}

// Reads --select and its options; throws InputError naming the bad option.
sim::SelectionOptions selection_options(const RunOptions& options) {
  sim::SelectionOptions selection;
  const auto fail = [](const char* option, const std::string& message) {
    throw agents::InputError({"<command line>", 0, option}, message);
  };
  if (options.select.empty()) {
    if (options.delta || options.budget) fail("--select", "--delta and --budget need --select");
    return selection;
  }
  selection.alpha = options.alpha;
  selection.n0 = options.n0;
  selection.max_replications = options.max_replications;
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    fail("--alpha", fmt::format("expected alpha in (0, 1), found {}", options.alpha));
  }
  if (options.n0 < 2) fail("--n0", "expected at least 2 first-stage replications");
  if (options.select == "kn") {
    selection.procedure = sim::SelectionOptions::Procedure::kn;
    if (!options.delta) fail("--delta", "KN needs --delta, the smallest difference worth finding");
    if (!(*options.delta > 0.0))
      fail("--delta", fmt::format("expected delta > 0, found {}", *options.delta));
    selection.delta = *options.delta;
  } else if (options.select == "ocba") {
    selection.procedure = sim::SelectionOptions::Procedure::ocba;
    if (!options.budget) fail("--budget", "OCBA needs --budget, the total arm-runs to spend");
    selection.budget = *options.budget;
  } else {
    fail("--select", fmt::format("expected kn or ocba, found '{}'", options.select));
  }
  return selection;
}

}  // namespace

const char* version() noexcept { return JOURNEYSIM_VERSION; }

void request_cancel() noexcept { cancel_requested.store(true); }

const std::atomic<bool>* cancel_flag() noexcept { return &cancel_requested; }

void run_validate(const ValidateOptions& options) {
  const sim::Scenario scenario = sim::load_scenario(options.scenario);
  sim::check_fits_in_memory(scenario, sim::available_memory_bytes());
  reports::print_scenario_overview(std::cout, scenario);
}

void run_population(const PopulationOptions& options) {
  if (!options.out.empty() && options.out == options.edges) {
    throw agents::InputError({"<command line>", 0, "--edges"}, "must differ from --out");
  }
  const auto population_file = open_output(options.out, "--out");
  const auto edges_file = open_output(options.edges, "--edges");
  sim::Scenario scenario = sim::load_scenario(options.scenario);
  if (options.size) sim::override_population_size(scenario, *options.size);
  sim::check_fits_in_memory(scenario, sim::available_memory_bytes());
  const auto threads = limit_threads(options.threads);
  const reports::DrawId draw{options.seed.value_or(scenario.seed), options.replication};

  const auto start = std::chrono::steady_clock::now();
  const agents::Population population = agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, draw.seed, draw.replication);
  const double population_seconds = seconds_since(start);
  const agents::PeerNetwork network =
      agents::build_network(scenario.network, population, draw.seed, draw.replication);
  const double network_seconds = seconds_since(start) - population_seconds;

  if (!options.quiet) {
    const sim::PopulationSummary summary = sim::summarize_population(scenario, population, network);
    reports::print_population_summary(std::cout, scenario, summary, draw);
  }
  std::cerr << fmt::format(
      "synthesised {} HCPs in {:.2f} s and {} ties in {:.2f} s ({} threads)\n", population.size,
      population_seconds, network.tie_count(), network_seconds,
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  // Both files are written before either is committed, so a failure leaves neither.
  if (population_file)
    reports::write_population_csv(population_file->stream(), scenario, population, draw);
  if (edges_file) reports::write_edges_csv(edges_file->stream(), scenario, network, draw);
  if (population_file) population_file->commit();
  if (edges_file) edges_file->commit();
}

}  // namespace journeysim::cli

namespace journeysim::cli {

void run_experiment(const RunOptions& options) {
  check_output_folder(options.out);
  const sim::SelectionOptions selection = selection_options(options);
  if (selection.procedure == sim::SelectionOptions::Procedure::none && options.replications < 2) {
    throw agents::InputError({"<command line>", 0, "--replications"},
                             "intervals need at least 2 replications");
  }
  sim::Scenario scenario = sim::load_scenario(options.scenario);
  if (options.size) sim::override_population_size(scenario, *options.size);
  apply_overrides(scenario, options.set);
  if (scenario.arms.empty()) {
    throw agents::InputError({scenario.manifest.string(), 0, "arms"},
                             "the scenario has no arms to run; add `arms:` or `journeys:`");
  }
  sim::check_fits_in_memory(scenario, sim::available_memory_bytes());
  const auto threads = limit_threads(options.threads);
  sim::ExperimentOptions experiment;
  experiment.seed = options.seed.value_or(scenario.seed);
  experiment.replications = options.replications;
  experiment.keep_hcp_outcomes = options.hcp_outcomes;
  experiment.selection = selection;
  experiment.cancel = &cancel_requested;
  if (::isatty(STDERR_FILENO) != 0) {
    experiment.progress = [](std::size_t done, std::size_t total) {
      std::cerr << fmt::format("\rjourneysim: {}/{} runs done", done, total) << std::flush;
      if (done == total) std::cerr << '\n';
    };
  }
  const auto start = std::chrono::steady_clock::now();
  const sim::ExperimentResult result = sim::run_experiment(scenario, experiment);
  const double seconds = seconds_since(start);
  reports::print_run_summary(std::cout, scenario, result);
  std::optional<sim::Evaluation> evaluation;
  if (scenario.arms.size() >= 2) {
    evaluation = sim::evaluate(scenario, result);
    reports::print_decision_table(std::cout, scenario, result, *evaluation);
  }
  reports::write_run_outputs(options.out, scenario, result, evaluation ? &*evaluation : nullptr,
                             options.hcp_outcomes, version());
  std::uint64_t hcp_days = 0;
  for (const std::uint32_t size : result.population_sizes) {
    hcp_days += std::uint64_t{size} * scenario.horizon_days * scenario.arms.size();
  }
  std::cerr << fmt::format(
      "ran {} HCP-days in {:.2f} s ({:.1f} M HCP-days/s overall, set-up {:.2f} s of CPU); wrote "
      "{}\n",
      hcp_days, seconds, static_cast<double>(hcp_days) / seconds / 1e6, result.setup_seconds,
      options.out);
}

void run_trace(const TraceOptions& options) {
  const sim::Scenario scenario = sim::load_scenario(options.scenario);
  const std::size_t arm = find_arm(scenario, options.arm);
  if (options.hcp >= scenario.population.size) {
    throw agents::InputError({"<command line>", 0, "--hcp"},
                             fmt::format("expected an HCP index in [0, {}], found {}",
                                         scenario.population.size - 1, options.hcp));
  }
  sim::check_fits_in_memory(scenario, sim::available_memory_bytes());
  const std::uint64_t seed = options.seed.value_or(scenario.seed);
  const agents::Population population = agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, seed, options.replication);
  const agents::PeerNetwork network =
      agents::build_network(scenario.network, population, seed, options.replication);
  reports::print_hcp_profile(std::cout, scenario, population, network, options.hcp);
  fmt::print(std::cout, "\nJourney arm '{}', seed {}, replication {}:\n", scenario.arms[arm].name,
             seed, options.replication);
  const sim::RunPlan plan{arm, options.replication, seed, true};
  const sim::RunResult result = sim::trace_arm(
      scenario, population, network, plan, options.hcp, [](const sim::TraceEvent& event) {
        fmt::print(std::cout, "  day {:>3}: {}\n", event.day, event.text);
      });
  reports::print_hcp_ending(std::cout, scenario, result.hcps[options.hcp]);
}

}  // namespace journeysim::cli
