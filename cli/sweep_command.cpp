#include "cli/sweep_command.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "agents/input_error.hpp"
#include "cli/commands.hpp"
#include "cli/seed_option.hpp"
#include "reports/sweep_outputs.hpp"
#include "sim/parameters.hpp"
#include "sim/sweep.hpp"

namespace journeysim::cli {
namespace {

struct SweepCommandOptions {
  std::string scenario;
  std::vector<std::string> set;
  std::string out;
  std::uint32_t replications = 10;
  std::optional<std::uint64_t> seed;
  std::optional<int> threads;
  bool tornado = true;
  bool list_parameters = false;
};

[[noreturn]] void bad_input(const char* option, const std::string& message) {
  throw agents::InputError({"<command line>", 0, option}, message);
}

// Runs f; an InputError about a parameter path is rethrown naming option, so
// the user sees which command-line option to fix.
template <typename F>
auto naming_option(const char* option, F&& f) {
  try {
    return f();
  } catch (const agents::InputError& error) {
    if (error.where().file == "<command line>") throw;
    bad_input(option, fmt::format("{}: {}", error.where().field, error.message()));
  }
}

// A whole decimal number: all of text, finite.
std::optional<double> parse_number(const std::string& text) {
  if (text.empty() || text.find_first_of(" \t") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "PATH=VALUE" -> (path, text after '='); throws naming option otherwise.
std::pair<std::string, std::string> split_assignment(const std::string& text, const char* option,
                                                     const char* form) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    bad_input(option, fmt::format("expected {}, found '{}'", form, text));
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

// One --set of the sweep: PATH=FROM:TO:STEPS (an axis) or PATH=VALUE (fixed).
struct SweepSet {
  std::string path;
  std::optional<sim::SweepAxis> axis;
  double value = 0.0;
};

SweepSet parse_sweep_set(const std::string& text) {
  constexpr const char* kForm = "PATH=FROM:TO:STEPS (or PATH=VALUE to fix a parameter)";
  const auto [path, rest] = split_assignment(text, "--set", kForm);
  SweepSet set{path, std::nullopt, 0.0};
  const auto first = rest.find(':');
  if (first == std::string::npos) {
    const auto value = parse_number(rest);
    if (!value) bad_input("--set", fmt::format("expected {}, found '{}'", kForm, text));
    set.value = *value;
    return set;
  }
  const auto second = rest.find(':', first + 1);
  if (second == std::string::npos || rest.find(':', second + 1) != std::string::npos) {
    bad_input("--set", fmt::format("expected {}, found '{}'", kForm, text));
  }
  const auto from = parse_number(rest.substr(0, first));
  const auto to = parse_number(rest.substr(first + 1, second - first - 1));
  const auto steps = parse_number(rest.substr(second + 1));
  if (!from || !to || !steps) {
    bad_input("--set", fmt::format("expected numbers in {}, found '{}'", kForm, text));
  }
  if (*steps != std::floor(*steps) || *steps < 2 || *steps > sim::kMaxSweepPoints) {
    bad_input("--set", fmt::format("{}: expected STEPS, a whole number in [2, {}] (both ends "
                                   "included), found '{}'",
                                   path, sim::kMaxSweepPoints, rest.substr(second + 1)));
  }
  if (*from > *to) {
    bad_input("--set", fmt::format("{}: expected FROM <= TO, found {} > {}", path, *from, *to));
  }
  set.axis = sim::SweepAxis{path, *from, *to, static_cast<std::uint32_t>(*steps)};
  return set;
}

void run_sweep_command(const SweepCommandOptions& options) {
  std::vector<SweepSet> sets;
  for (const std::string& text : options.set) sets.push_back(parse_sweep_set(text));
  if (!options.list_parameters) {
    if (options.out.empty()) bad_input("--out", "is required: the folder for sweep.csv, ...");
    check_output_folder(options.out);
    if (options.replications < 2) {
      bad_input("--replications", "intervals need at least 2 replications");
    }
  }
  sim::Scenario scenario = sim::load_scenario(options.scenario);
  // Fixed values first: the sweep's base is the scenario with them applied.
  for (const SweepSet& set : sets) {
    if (!set.axis) {
      naming_option("--set", [&] { sim::set_parameter(scenario, set.path, set.value); });
    }
  }
  if (options.list_parameters) {
    reports::print_parameters(std::cout, scenario);
    return;
  }
  sim::SweepOptions sweep;
  for (const SweepSet& set : sets) {
    if (set.axis) sweep.axes.push_back(*set.axis);
  }
  if (sweep.axes.empty()) {
    bad_input("--set",
              "give at least one PATH=FROM:TO:STEPS to sweep; `journeysim sweep "
              "--list-parameters SCENARIO` lists the paths");
  }
  if (scenario.arms.empty()) {
    throw agents::InputError({scenario.manifest.string(), 0, "arms"},
                             "the scenario has no arms to run; add `arms:` or `journeys:`");
  }
  // Every point is checked before anything runs: ranges, rounding, joint
  // rules, the grid's size, and memory.
  naming_option("--set", [&] {
    std::vector<sim::ResolvedAxis> axes;
    for (const sim::SweepAxis& axis : sweep.axes) axes.push_back(sim::resolve_axis(scenario, axis));
    const std::uint64_t available = sim::available_memory_bytes();
    sim::check_fits_in_memory(scenario, available);
    for (const auto& values : sim::cartesian_grid(axes)) {
      sim::check_fits_in_memory(sim::scenario_at(scenario, axes, values), available);
    }
    return 0;
  });
  sweep.seed = options.seed.value_or(scenario.seed);
  sweep.replications = options.replications;
  sweep.tornado = options.tornado;
  sweep.cancel = cancel_flag();
  if (::isatty(STDERR_FILENO) != 0) {
    sweep.progress = [](std::size_t done, std::size_t total) {
      std::cerr << fmt::format("\rjourneysim: {}/{} experiments done", done, total) << std::flush;
      if (done == total) std::cerr << '\n';
    };
  }
  std::unique_ptr<tbb::global_control> limit;
  if (options.threads) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(*options.threads));
  }
  const sim::SweepResult result = sim::run_sweep(scenario, sweep);
  reports::print_sweep(std::cout, scenario, result);
  std::cout << std::flush;  // The tables before the note on stderr.
  reports::write_sweep_outputs(options.out, scenario, result, version());
  std::cerr << fmt::format("wrote {}\n", options.out);
}

}  // namespace

void apply_overrides(sim::Scenario& scenario, const std::vector<std::string>& assignments,
                     const char* option) {
  for (const std::string& text : assignments) {
    const auto [path, rest] = split_assignment(text, option, "PATH=VALUE");
    const auto value = parse_number(rest);
    if (!value) {
      bad_input(option, fmt::format("{}: expected a number after '=', found '{}'", path, rest));
    }
    naming_option(option, [&] { sim::set_parameter(scenario, path, *value); });
  }
}

void add_sweep(CLI::App& app) {
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "sweep",
      "Rerun a scenario over a grid of parameter values (same seed at every point), with a "
      "tornado sensitivity summary");
  command->add_option("scenario", options->scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->add_option("--set", options->set,
                      "PATH=FROM:TO:STEPS to sweep (STEPS evenly spaced values, both ends "
                      "included; several make a full grid), or PATH=VALUE to fix a parameter");
  command->add_option("--out", options->out,
                      "Folder for sweep.csv, tornado.csv, report.html and sweep.json");
  command
      ->add_option("--replications", options->replications,
                   "Replications at every grid point (default 10)")
      ->check(CLI::Range(1U, 100000U).description("in [2 - 100000]"));
  add_seed_option(command, options->seed, "Seed (default: the scenario's seed)");
  command->add_option("--threads", options->threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_flag("!--no-tornado", options->tornado,
                    "Skip the one-at-a-time runs at each parameter's ends (no tornado.csv)");
  command->add_flag("--list-parameters", options->list_parameters,
                    "Print every parameter path with its current value, and stop");
  command->callback([options] { run_sweep_command(*options); });
}

}  // namespace journeysim::cli
