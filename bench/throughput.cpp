// throughput: end-to-end throughput of the engine on one replication of a
// scenario, with set-up (population and network synthesis) timed apart from
// the simulation phase (the daily loops of every arm).
//
//   throughput SCENARIO [--size N] [--threads T] [--repeat K]
//
// Every repeat synthesises the population and network of replication 0, then
// runs all arms on them in parallel exactly as sim::run_experiment does (a
// tbb::parallel_for over arms, HCP outcomes not kept, as with
// `journeysim run --no-hcp-outcomes`). It prints one line per repeat, the
// medians, and the peak resident set size of the process. Figures and how
// they were taken are in bench/README.md.
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace {

namespace sim = journeysim::sim;
namespace agents = journeysim::agents;

struct Options {
  std::string scenario;
  std::optional<std::uint64_t> size;
  std::optional<int> threads;
  int repeat = 3;
};

// What one repeat measured.
struct Sample {
  double setup_seconds = 0.0;           // Population and network synthesis, wall clock.
  double simulation_seconds = 0.0;      // All arms' daily loops, wall clock.
  double simulation_cpu_seconds = 0.0;  // The same phase, user + system CPU of the process.
  std::uint64_t ties = 0;
  std::uint64_t trialists = 0;  // Summed over arms: a check that the runs did their work.
};

// User plus system CPU time the process has used so far.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The median of values (the mean of the middle two for an even count); values must not be empty.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

Sample run_once(const sim::Scenario& scenario) {
  Sample sample;
  const auto setup_start = std::chrono::steady_clock::now();
  const agents::Population population = agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, scenario.seed, 0);
  const agents::PeerNetwork network =
      agents::build_network(scenario.network, population, scenario.seed, 0);
  sample.setup_seconds = seconds_since(setup_start);
  sample.ties = network.tie_count();

  const std::size_t arms = scenario.arms.size();
  std::vector<sim::RunResult> results(arms);
  const double cpu_start = cpu_seconds();
  const auto simulation_start = std::chrono::steady_clock::now();
  // As sim::run_experiment: arms in parallel on the shared, read-only population.
  tbb::parallel_for(std::size_t{0}, arms, [&](std::size_t arm) {
    const sim::RunPlan plan{arm, 0, scenario.seed, false};
    results[arm] = sim::run_arm(scenario, population, network, plan);
  });
  sample.simulation_seconds = seconds_since(simulation_start);
  sample.simulation_cpu_seconds = cpu_seconds() - cpu_start;
  for (const sim::RunResult& result : results) sample.trialists += result.trialists;
  return sample;
}

// One line of the table. cpu_per_wall is the CPU the simulation phase used per
// second of wall clock: close to the thread count on a quiet machine, lower if
// the threads waited (for each other, or for a core another process held).
void print_row(const std::string& label, std::uint64_t hcps, std::size_t arms, std::uint32_t days,
               double setup, double simulation, std::size_t threads, double cpu_per_wall) {
  const double hcp_days = static_cast<double>(hcps) * static_cast<double>(arms) * days;
  std::printf("%s\n", fmt::format("{:>7} {:>10} {:>4} {:>5} {:>9.3f} {:>12.3f} {:>14.1f} {:>7} "
                                  "{:>8.2f}",
                                  label, hcps, arms, days, setup, simulation,
                                  hcp_days / simulation / 1e6, threads, cpu_per_wall)
                          .c_str());
}

int run(const Options& options) {
  sim::Scenario scenario = sim::load_scenario(options.scenario);
  if (options.size) sim::override_population_size(scenario, *options.size);
  if (scenario.arms.empty()) {
    std::fprintf(stderr, "throughput: the scenario has no arms to run\n");
    return 2;
  }
  sim::check_fits_in_memory(scenario, sim::available_memory_bytes());
  std::unique_ptr<tbb::global_control> limit;
  if (options.threads) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(*options.threads));
  }
  const std::size_t threads =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::uint64_t hcps = scenario.population.size;
  const std::size_t arms = scenario.arms.size();
  const std::uint32_t days = scenario.horizon_days;

  std::printf("scenario %s: %llu HCPs, %zu arms, %u days, seed %llu, replication 0\n",
              scenario.name.c_str(), static_cast<unsigned long long>(hcps), arms, days,
              static_cast<unsigned long long>(scenario.seed));
  std::printf("%s\n", fmt::format("{:>7} {:>10} {:>4} {:>5} {:>9} {:>12} {:>14} {:>7} {:>8}",
                                  "repeat", "HCPs", "arms", "days", "set-up s", "simulation s",
                                  "M HCP-days/s", "threads", "CPU/wall")
                          .c_str());
  std::vector<double> setups;
  std::vector<double> simulations;
  std::vector<double> cpu_per_wall;
  std::uint64_t ties = 0;
  std::uint64_t trialists = 0;
  for (int r = 0; r < options.repeat; ++r) {
    const Sample sample = run_once(scenario);
    setups.push_back(sample.setup_seconds);
    simulations.push_back(sample.simulation_seconds);
    cpu_per_wall.push_back(sample.simulation_cpu_seconds / sample.simulation_seconds);
    ties = sample.ties;
    trialists = sample.trialists;
    print_row(std::to_string(r + 1), hcps, arms, days, sample.setup_seconds,
              sample.simulation_seconds, threads, cpu_per_wall.back());
  }
  print_row("median", hcps, arms, days, median(setups), median(simulations), threads,
            median(cpu_per_wall));

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  // Linux reports ru_maxrss in kilobytes (KiB), as /usr/bin/time -v does.
  std::printf("ties %llu; trialists summed over arms %llu; peak RSS %ld kB (%.0f MB)\n",
              static_cast<unsigned long long>(ties), static_cast<unsigned long long>(trialists),
              usage.ru_maxrss, static_cast<double>(usage.ru_maxrss) * 1024.0 / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"throughput: simulation-phase HCP-days per second of one replication"};
  Options options;
  app.add_option("scenario", options.scenario, "Scenario folder or its scenario.yaml")->required();
  app.add_option("--size", options.size, "Override the number of HCPs")->check(CLI::PositiveNumber);
  app.add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat", options.repeat, "Repeats, each with its own set-up (default 3)")
      ->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "throughput: %s\n", error.what());
    return 2;
  }
}
