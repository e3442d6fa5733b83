#include "cli/calibrate_command.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "agents/input_error.hpp"
#include "cli/commands.hpp"
#include "cli/seed_option.hpp"
#include "reports/calibration_outputs.hpp"
#include "sim/calibration.hpp"
#include "sim/observed_data.hpp"
#include "sim/scenario.hpp"

namespace journeysim::cli {

void run_calibrate(const CalibrateOptions& options, std::ostream& out) {
  check_output_folder(options.out);
  const sim::Scenario scenario = sim::load_scenario(options.scenario);
  const sim::ObservedData data = sim::read_observed_data(options.observed);
  sim::CalibrationOptions fit;
  fit.fit = sim::parse_fit_list(options.fit);
  fit.arm = options.arm;
  fit.seed = options.seed.value_or(scenario.seed);
  fit.replications = options.replications;
  fit.max_evaluations = options.max_evaluations;
  fit.bootstrap = options.bootstrap;
  fit.cancel = cancel_flag();
  if (::isatty(STDERR_FILENO) != 0) {
    fit.bootstrap_progress = [](std::uint32_t done, std::uint32_t total) {
      std::cerr << fmt::format("\rjourneysim: {}/{} bootstrap refits done", done, total)
                << std::flush;
      if (done == total) std::cerr << '\n';
    };
  }
  std::unique_ptr<tbb::global_control> limit;
  if (options.threads) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(*options.threads));
  }
  const sim::CalibrationResult result = sim::calibrate(scenario, data, fit);
  const reports::CalibrationContext context{options.scenario, options.observed, version()};
  reports::write_calibration_outputs(options.out, scenario, context, result);
  reports::print_calibration(out, scenario, context, result);
}

void add_calibrate(CLI::App& app) {
  auto options = std::make_shared<CalibrateOptions>();
  CLI::App* command = app.add_subcommand(
      "calibrate",
      "Fit scenario parameters to a past launch's observed trial or adoption curve and "
      "engagement rates (docs/calibrate.md)");
  command->add_option("scenario", options->scenario, "Scenario folder or its scenario.yaml")
      ->required();
  command
      ->add_option("--observed", options->observed,
                   "CSV of observations: series,day,value (docs/calibrate.md)")
      ->required();
  command
      ->add_option("--fit", options->fit,
                   "Parameters to fit, comma-separated: PATH or PATH=LOW:HIGH to set the "
                   "bounds searched (`journeysim sweep --list-parameters` lists paths)")
      ->required();
  command
      ->add_option("--out", options->out,
                   "Folder for calibration.json, fit.csv, report.html and charts/")
      ->required();
  command->add_option("--arm", options->arm,
                      "The arm that ran in the past launch (default: the control arm)");
  command
      ->add_option("--replications", options->replications,
                   "Replications averaged per evaluation (default 16)")
      ->check(CLI::Range(1U, 10000U));
  add_seed_option(command, options->seed,
                  "Seed, the same at every evaluation (default: the scenario's seed)");
  command->add_option("--threads", options->threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--max-evaluations", options->max_evaluations,
                   "Most objective evaluations of the optimiser (default 100)")
      ->check(CLI::Range(1U, 100000U));
  command
      ->add_option("--bootstrap", options->bootstrap,
                   "Parametric bootstrap refits for the intervals: 0 (off: asymptotic "
                   "intervals, which can be far too narrow) or at least 39; each costs about "
                   "one fit (default 39)")
      ->check(CLI::Range(0U, 100000U));
  command->callback([options] { run_calibrate(*options, std::cout); });
}

}  // namespace journeysim::cli
