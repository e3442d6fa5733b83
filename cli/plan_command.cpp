#include "cli/plan_command.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>

#include <iostream>
#include <memory>

#include "agents/input_error.hpp"
#include "cli/commands.hpp"
#include "cli/seed_option.hpp"
#include "reports/live_test_report.hpp"
#include "sim/live_test.hpp"
#include "sim/scenario.hpp"

namespace journeysim::cli {
namespace {

struct PlanOptions {
  std::string scenario;
  std::string arms;
  std::string randomize = "individual";
  sim::LiveTestOptions test;
  std::optional<std::uint64_t> seed;
  std::optional<int> threads;
};

// "A,B" -> the two arm names; throws InputError otherwise.
std::pair<std::string, std::string> split_arms(const std::string& arms) {
  const auto comma = arms.find(',');
  if (comma == std::string::npos || comma == 0 || comma + 1 == arms.size() ||
      arms.find(',', comma + 1) != std::string::npos) {
    throw agents::InputError(
        {"<command line>", 0, "--arms"},
        fmt::format("expected two arm names as CONTROL,TREATMENT, found '{}'", arms));
  }
  return {arms.substr(0, comma), arms.substr(comma + 1)};
}

void run_plan(PlanOptions& options) {
  const auto [control, treatment] = split_arms(options.arms);
  options.test.control_arm = control;
  options.test.treatment_arm = treatment;
  if (options.randomize.rfind("cluster:", 0) == 0) {
    options.test.cluster_first = true;
    options.test.cluster_field = options.randomize.substr(8);
  } else if (options.randomize != "individual") {
    throw agents::InputError(
        {"<command line>", 0, "--randomize"},
        fmt::format("expected individual or cluster:FIELD, found '{}'", options.randomize));
  }
  const sim::Scenario scenario = sim::load_scenario(options.scenario);
  options.test.seed = options.seed.value_or(scenario.seed);
  options.test.cancel = cancel_flag();
  std::unique_ptr<tbb::global_control> limit;
  if (options.threads) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(*options.threads));
  }
  const sim::LiveTestPlan plan = sim::plan_live_test(scenario, options.test);
  reports::print_live_test_plan(std::cout, scenario, plan);
}

}  // namespace

void add_plan(CLI::App& app) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command = app.add_subcommand(
      "plan",
      "Simulate the live A/B test many times: power, bias, and peer spillover between arms");
  command->add_option("scenario", options->scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command->add_option("--arms", options->arms, "CONTROL,TREATMENT arm names")->required();
  command->add_option("--hcps", options->test.hcps, "HCPs in the test, both arms (default 5000)");
  command->add_option("--weeks", options->test.weeks, "Length of the test in weeks (default 26)");
  command->add_option("--randomize", options->randomize,
                      "individual, or cluster:FIELD with FIELD one of practice, region, specialty, "
                      "practice_setting, career_stage (default individual)");
  command->add_option("--trials", options->test.trials, "Simulated tests (default 200)");
  command->add_option("--alpha", options->test.alpha,
                      "Two-sided significance level (default 0.05)");
  command->add_option("--target-bias-mcse", options->test.target_bias_mcse,
                      "Wanted Monte Carlo standard error of the bias, as a share of the true "
                      "effect (default 0.1)");
  command->add_option("--target-rate-mcse", options->test.target_rate_mcse,
                      "Wanted Monte Carlo standard error of power and the A/A rejection rate "
                      "(default 0.02)");
  add_seed_option(command, options->seed, "Seed (default: the scenario's seed)");
  command->add_option("--threads", options->threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->callback([options] { run_plan(*options); });
}

}  // namespace journeysim::cli
