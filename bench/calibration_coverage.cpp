// calibration_coverage: how often the 95% intervals of `journeysim calibrate`
// hold the true parameters, measured on distinct simulated launches with
// known truth.
//
//   calibration_coverage [SCENARIO] [--launches L] [--bootstrap B] [--replications N]
//                        [--max-evaluations K] [--size HCPS] [--start-at-truth]
//                        [--one-fit-seed S] [--threads T] [--csv FILE]
//
// The problem is the recovery test's (tests/sim/calibration_test.cpp) on the
// test scenario tests/data/calibrate, arm calendar: a trial curve every 15
// days to day 180 and the email engagement rate; fit the considering stage's
// base hazard in [0.001, 0.03] and email's base engagement in [0.02, 0.9],
// started away from the truth at 0.02 and 0.15 (or, with --start-at-truth,
// at the truth, as `journeysim calibrate` on the test scenario does). The
// truth is the scenario's own values (0.006 and 0.3).
//
// Launch i (i = 0 .. L-1) is one replication simulated at the truth with
// observed seed 1000 + i, fitted with fit seed 5000 + i; the bootstrap's seeds
// derive from the fit seed (sim::bootstrap_launch_seed, bootstrap_fit_seed).
// The program checks that no observed seed is a seed of any fit or refit, so
// every launch is new to the fit that measures it, and the L launches (and
// their fits) are independent: coverage is a binomial count. --one-fit-seed
// fits every launch with the same seed instead: a diagnosis of how one fit
// seed's common random numbers sway the intervals, not a coverage study (the
// fits then share that seed's noise, so they are not independent). For each
// parameter and each interval (the stated bootstrap one and the asymptotic
// one) it prints the coverage k/L with Wilson's 95% interval (Wilson 1927),
// the spread of the fitted values over the launches against the mean stated
// standard error, and the wall-clock time. Figures are in bench/README.md.
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/calibration.hpp"
#include "sim/observed_data.hpp"
#include "sim/parameters.hpp"
#include "sim/scenario.hpp"

namespace {

namespace sim = journeysim::sim;

constexpr std::uint64_t kObservedSeedBase = 1000;
constexpr std::uint64_t kFitSeedBase = 5000;
const std::vector<std::string> kPaths = {"stage_hazards.considering.base_hazard",
                                         "channels.email.base_engagement"};
constexpr const char* kFit =
    "stage_hazards.considering.base_hazard=0.001:0.03,channels.email.base_engagement=0.02:0.9";
const std::vector<double> kStart = {0.02, 0.15};

struct Options {
  std::string scenario = std::string(JOURNEYSIM_SOURCE_DIR) + "/tests/data/calibrate";
  std::uint32_t launches = 40;
  std::uint32_t bootstrap = sim::kDefaultBootstrap;
  std::uint32_t replications = 16;
  std::uint32_t max_evaluations = 100;
  std::optional<std::uint64_t> size;
  bool start_at_truth = false;
  std::optional<std::uint64_t> one_fit_seed;
  std::optional<int> threads;
  std::string csv;
};

// What one launch's fit said about one parameter.
struct Outcome {
  double truth = 0.0;
  sim::FittedParameter fitted;
};

// A trial curve every 15 days and the email engagement rate.
std::vector<sim::Observation> layout() {
  std::vector<sim::Observation> observations;
  for (std::uint32_t day = 15; day <= 180; day += 15) {
    observations.push_back({sim::SeriesKind::trial, "", day, 0.0, 0});
  }
  observations.push_back({sim::SeriesKind::engagement_rate, "email", 0, 0.0, 0});
  return observations;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Every seed any fit or refit of the study uses, to prove the observed seeds apart from them.
std::uint64_t fit_seed(const Options& options, std::uint32_t i) {
  return options.one_fit_seed.value_or(kFitSeedBase + i);
}

void check_seeds_apart(const Options& options) {
  std::set<std::uint64_t> fit_seeds;
  for (std::uint32_t i = 0; i < options.launches; ++i) {
    const std::uint64_t seed = fit_seed(options, i);
    fit_seeds.insert(seed);
    for (std::uint32_t b = 0; b < options.bootstrap; ++b) {
      fit_seeds.insert(sim::bootstrap_launch_seed(seed, b));
      fit_seeds.insert(sim::bootstrap_fit_seed(seed, b));
    }
  }
  for (std::uint32_t i = 0; i < options.launches; ++i) {
    if (fit_seeds.count(kObservedSeedBase + i) != 0) {
      throw std::logic_error(
          fmt::format("observed seed {} is also a fit's seed; the study would "
                      "measure a launch its fit has seen",
                      kObservedSeedBase + i));
    }
  }
}

bool covers(double lower, double upper, double truth) { return lower <= truth && truth <= upper; }

// The standard deviation of values (divisor n - 1).
double spread(const std::vector<double>& values) {
  double mean = 0.0;
  for (const double v : values) mean += v / static_cast<double>(values.size());
  double sum = 0.0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

void print_coverage(const std::string& label, std::uint32_t covered, std::uint32_t launches) {
  const sim::ProportionInterval wilson = sim::wilson_interval(covered, launches);
  fmt::print("  {:<26} {:>3}/{:<3} = {:5.1f}%   Wilson 95% [{:.1f}%, {:.1f}%]\n", label, covered,
             launches, 100.0 * covered / launches, 100.0 * wilson.lower, 100.0 * wilson.upper);
}

// Coverage of both intervals and the spread against the stated standard errors, per parameter.
void print_summary(const std::vector<std::vector<Outcome>>& outcomes, std::uint32_t launches,
                   bool bootstrapped) {
  for (std::size_t j = 0; j < kPaths.size(); ++j) {
    std::uint32_t bootstrap = 0;
    std::uint32_t asymptotic = 0;
    std::vector<double> values;
    double boot_se = 0.0;
    double asym_se = 0.0;
    double boot_width = 0.0;
    double asym_width = 0.0;
    for (const std::vector<Outcome>& launch : outcomes) {
      const Outcome& o = launch[j];
      const sim::FittedParameter& f = o.fitted;
      bootstrap += covers(f.bootstrap_lower, f.bootstrap_upper, o.truth) ? 1 : 0;
      asymptotic += covers(f.asymptotic_lower, f.asymptotic_upper, o.truth) ? 1 : 0;
      values.push_back(f.value);
      boot_se += f.bootstrap_standard_error / launches;
      asym_se += f.asymptotic_standard_error / launches;
      boot_width += (f.bootstrap_upper - f.bootstrap_lower) / launches;
      asym_width += (f.asymptotic_upper - f.asymptotic_lower) / launches;
    }
    const double sd = spread(values);
    fmt::print("{} (true {}): fitted values' SD over the launches {:.4g}\n", kPaths[j],
               outcomes.front()[j].truth, sd);
    if (bootstrapped) {
      print_coverage("bootstrap percentile", bootstrap, launches);
      fmt::print("    mean SE {:.4g} (SD/SE {:.2f}), mean interval width {:.4g}\n", boot_se,
                 sd / boot_se, boot_width);
    }
    print_coverage("asymptotic", asymptotic, launches);
    fmt::print("    mean SE {:.4g} (SD/SE {:.2f}), mean interval width {:.4g}\n", asym_se,
               sd / asym_se, asym_width);
  }
}

// One row per parameter of launch i, written as the launch finishes.
void write_rows(std::ostream& out, std::uint32_t i, const std::vector<Outcome>& row,
                const sim::CalibrationResult& result) {
  // result.seed is the launch's fit seed.
  for (const Outcome& o : row) {
    const sim::FittedParameter& f = o.fitted;
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", i, kObservedSeedBase + i,
                       result.seed, f.path, o.truth, f.value, f.bootstrap_standard_error,
                       f.bootstrap_lower, f.bootstrap_upper, f.asymptotic_standard_error,
                       f.error_from_simulation ? "simulation" : "residuals", f.asymptotic_lower,
                       f.asymptotic_upper, result.optimiser_evaluations,
                       result.converged ? "true" : "false");
  }
  out.flush();
}

int run(const Options& options) {
  std::unique_ptr<tbb::global_control> limit;
  if (options.threads) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(*options.threads));
  }
  check_seeds_apart(options);
  sim::Scenario truth = sim::load_scenario(options.scenario);
  if (options.size) sim::override_population_size(truth, *options.size);
  const sim::Scenario truth_arm = sim::single_arm(truth, "");
  sim::Scenario start = truth;
  if (!options.start_at_truth) {
    for (std::size_t j = 0; j < kPaths.size(); ++j) sim::set_parameter(start, kPaths[j], kStart[j]);
  }
  fmt::print(
      "Coverage of calibrate's 95% intervals: scenario {} ({} HCPs), {} launches, "
      "{} replications per evaluation, bootstrap {}, start {}, fit seeds {}, threads {}\n",
      options.scenario, truth.population.size, options.launches, options.replications,
      options.bootstrap, options.start_at_truth ? "at the truth" : "at 0.02 and 0.15",
      options.one_fit_seed
          ? fmt::format("all {} (a diagnosis: the fits are not independent)", *options.one_fit_seed)
          : fmt::format("{} + launch", kFitSeedBase),
      options.threads ? std::to_string(*options.threads) : "all");
  std::ofstream csv;
  if (!options.csv.empty()) {
    csv.open(options.csv);
    if (!csv) throw std::runtime_error("cannot write " + options.csv);
    csv << "launch,observed_seed,fit_seed,parameter,truth,fitted,bootstrap_se,bootstrap_lower,"
           "bootstrap_upper,asymptotic_se,asymptotic_from,asymptotic_lower,asymptotic_upper,"
           "evaluations,converged\n";
  }
  std::vector<std::vector<Outcome>> outcomes;
  const auto began = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < options.launches; ++i) {
    const auto launch_began = std::chrono::steady_clock::now();
    sim::ObservedData data{fmt::format("launch {}", i), layout()};
    const std::vector<double> values =
        sim::simulate_observations(truth_arm, data.observations, kObservedSeedBase + i, 1);
    for (std::size_t k = 0; k < values.size(); ++k) data.observations[k].value = values[k];
    sim::CalibrationOptions fit;
    fit.fit = sim::parse_fit_list(kFit);
    fit.seed = fit_seed(options, i);
    fit.replications = options.replications;
    fit.max_evaluations = options.max_evaluations;
    fit.bootstrap = options.bootstrap;
    const sim::CalibrationResult result = sim::calibrate(start, data, fit);
    std::vector<Outcome> row;
    for (std::size_t j = 0; j < kPaths.size(); ++j) {
      row.push_back({sim::get_parameter(truth, kPaths[j]), result.parameters[j]});
    }
    if (csv.is_open()) write_rows(csv, i, row, result);
    outcomes.push_back(row);
    std::fprintf(stderr, "launch %u/%u: %.1f s\n", i + 1, options.launches,
                 seconds_since(launch_began));
  }
  const double seconds = seconds_since(began);
  print_summary(outcomes, options.launches, options.bootstrap > 0);
  fmt::print("Wall clock: {:.0f} s ({:.1f} s per launch)\n", seconds, seconds / options.launches);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Coverage of journeysim calibrate's 95% intervals over distinct simulated launches"};
  Options options;
  app.add_option("scenario", options.scenario,
                 "The test scenario (default: tests/data/calibrate); it must have the "
                 "calibrate test's parameters and channels");
  app.add_option("--launches", options.launches, "Distinct simulated launches (default 40)")
      ->check(CLI::Range(2U, 100000U));
  app.add_option("--bootstrap", options.bootstrap,
                 "Bootstrap refits per fit: 0 or at least 39 (default: calibrate's)");
  app.add_option("--replications", options.replications,
                 "Replications per evaluation (default 16, as calibrate)")
      ->check(CLI::Range(2U, 10000U));
  app.add_option("--max-evaluations", options.max_evaluations,
                 "Optimiser evaluations per fit (default 100, as calibrate)")
      ->check(CLI::Range(1U, 100000U));
  app.add_option("--size", options.size, "Population size (default: the scenario's)");
  app.add_flag("--start-at-truth", options.start_at_truth,
               "Start every fit at the truth, not at 0.02 and 0.15");
  app.add_option("--one-fit-seed", options.one_fit_seed,
                 "Fit every launch with this seed: a diagnosis, not a coverage study");
  app.add_option("--threads", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  app.add_option("--csv", options.csv, "Write one row per launch and parameter to this file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "calibration_coverage: %s\n", error.what());
    return 2;
  }
}
