#include "cli/commands.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "agents/input_error.hpp"
#include "reports/atomic_file.hpp"
#include "reports/console.hpp"
#include "reports/population_csv.hpp"
#include "sim/population_summary.hpp"
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

}  // namespace

const char* version() noexcept { return JOURNEYSIM_VERSION; }

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
