#pragma once
// The outputs of journeysim calibrate: fit.csv, bootstrap.csv (the bootstrap
// refits), an overlay chart of observed against simulated data in
// report.html and charts/*.vl.json, and calibration.json, written last. Columns and keys are in
// docs/calibrate.md.
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

#include "sim/calibration.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

// Schema version of calibration.json and fit.csv.
inline constexpr int kCalibrationOutputSchema = 2;

// What the outputs say about the run beyond the result.
struct CalibrationContext {
  std::string scenario_path;  // As the user gave it, for the rerun command.
  std::string observed_file;
  std::string version;  // journeysim's version.
};

// The command that runs the scenario with the fitted values:
// "journeysim run SCENARIO --out OUT --set PATH=VALUE ...", values in full precision.
std::string rerun_command(const CalibrationContext& context, const sim::CalibrationResult& result,
                          std::string_view out);

// Writes fit.csv, bootstrap.csv (removed when no bootstrap ran),
// charts/*.vl.json and report.html, then calibration.json, into folder
// (created if missing). Each file is whole or absent. Throws
// std::runtime_error on a write error.
void write_calibration_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                               const CalibrationContext& context,
                               const sim::CalibrationResult& result);

// Prints the fitted values with their intervals, the fit error per series and
// the rerun command.
void print_calibration(std::ostream& out, const sim::Scenario& scenario,
                       const CalibrationContext& context, const sim::CalibrationResult& result);

}  // namespace journeysim::reports
