// Calibration: the fit recovers known parameters from data simulated with
// them (with another seed) within its stated 95% intervals; the observed-data
// reader names file, line and field for bad input; --fit parsing and bounds;
// a parameter the data cannot see is reported as not identifiable; and the
// result is identical at 1 and 2 threads.
#include "sim/calibration.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "agents/input_error.hpp"
#include "sim/engine.hpp"
#include "sim/observed_data.hpp"
#include "sim/parameters.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/expect_input_error.hpp"

namespace journeysim::sim {
namespace {

const std::string kScenario = std::string(JOURNEYSIM_TEST_DATA) + "/calibrate";
const std::string kHazard = "stage_hazards.considering.base_hazard";
const std::string kEmail = "channels.email.base_engagement";
// The "past launch" is simulated with this seed, the fit with the scenario's (4242).
constexpr std::uint64_t kObservedSeed = 777;
constexpr std::uint64_t kFitSeed = 4242;

const Scenario& loaded() {
  static const Scenario scenario = load_scenario(kScenario);
  return scenario;
}

using journeysim::testing::expect_input_error;

// A monthly trial curve and the email engagement rate, the shape of data a
// team has from a past launch.
std::vector<Observation> layout() {
  std::vector<Observation> observations;
  for (std::uint32_t day = 15; day <= 180; day += 15) {
    observations.push_back({SeriesKind::trial, "", day, 0.0, 0});
  }
  observations.push_back({SeriesKind::engagement_rate, "email", 0, 0.0, 0});
  return observations;
}

// The observed data: one past launch (one replication) at the scenario's own values.
ObservedData simulated_launch() {
  ObservedData data{"simulated", layout()};
  const Scenario truth = single_arm(loaded(), "");
  const std::vector<double> values =
      simulate_observations(truth, data.observations, kObservedSeed, 1);
  for (std::size_t i = 0; i < values.size(); ++i) data.observations[i].value = values[i];
  return data;
}

// The scenario started away from the truth.
Scenario away_from_truth() {
  Scenario scenario = loaded();
  set_parameter(scenario, kHazard, 0.02);
  set_parameter(scenario, kEmail, 0.15);
  return scenario;
}

CalibrationOptions fit_options() {
  CalibrationOptions options;
  options.fit = parse_fit_list(kHazard + "=0.001:0.03," + kEmail + "=0.02:0.9");
  options.seed = kFitSeed;
  options.replications = 16;
  return options;
}

TEST(Calibration, RecoversKnownParametersWithinTheirIntervals) {
  const ObservedData data = simulated_launch();
  const CalibrationResult result = calibrate(away_from_truth(), data, fit_options());
  const std::vector<double> truth = {get_parameter(loaded(), kHazard),
                                     get_parameter(loaded(), kEmail)};
  ASSERT_EQ(result.parameters.size(), 2U);
  ASSERT_TRUE(result.identifiable) << result.identifiability;
  EXPECT_TRUE(result.converged) << result.stop_reason;
  for (std::size_t j = 0; j < 2; ++j) {
    const FittedParameter& f = result.parameters[j];
    // Printed for docs/calibrate.md and the report of the test.
    std::cout << f.path << ": true " << truth[j] << ", start " << f.start << ", fitted " << f.value
              << " +- " << f.standard_error << " [" << f.interval_lower << ", " << f.interval_upper
              << "]\n";
    EXPECT_GT(f.standard_error, 0.0);
    EXPECT_LE(f.interval_lower, truth[j]) << f.path;
    EXPECT_GE(f.interval_upper, truth[j]) << f.path;
    // The start lay outside the interval: the fit moved to the truth, not stayed put.
    EXPECT_TRUE(f.start < f.interval_lower || f.start > f.interval_upper) << f.path;
  }
  std::cout << "evaluations " << result.optimiser_evaluations << " + "
            << result.jacobian_evaluations << ", objective " << result.objective_start << " -> "
            << result.objective_fit << ", correlation " << result.correlation[0][1] << "\n";
  for (const SeriesError& e : result.errors) {
    std::cout << e.series << " rmse " << e.rmse_start << " -> " << e.rmse_fit << "\n";
    EXPECT_LT(e.rmse_fit, e.rmse_start) << e.series;
  }
}

// ---- the observed-data file -----------------------------------------------------------

class ObservedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("journeysim-observed-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) const {
    const std::string file = (dir_ / "observed.csv").string();
    std::ofstream(file) << text;
    return file;
  }
  // Expects reading text to fail at line with field and a message containing part.
  void expect_error(const std::string& text, std::size_t line, const std::string& field,
                    const std::string& part) const {
    const std::string file = write(text);
    try {
      (void)read_observed_data(file);
      ADD_FAILURE() << "expected an InputError for:\n" << text;
    } catch (const agents::InputError& error) {
      EXPECT_EQ(error.where().file, file);
      EXPECT_EQ(error.where().line, line) << error.what();
      EXPECT_EQ(error.where().field, field) << error.what();
      EXPECT_NE(error.message().find(part), std::string::npos) << error.what();
    }
  }
  std::filesystem::path dir_;
};

TEST_F(ObservedFile, ReadsSeriesInOrderWithTheirLines) {
  const ObservedData data = read_observed_data(
      write("# comment\nvalue,series,day,note\n0.3,engagement_rate.email,,x\n0.02,trial,60,\n"
            "0.01,trial,30,\n0.005,adoption,90,\n"));
  ASSERT_EQ(data.observations.size(), 4U);
  EXPECT_EQ(data.observations[0].series(), "trial");
  EXPECT_EQ(data.observations[0].day, 30U);
  EXPECT_EQ(data.observations[0].line, 5U);
  EXPECT_EQ(data.observations[1].day, 60U);
  EXPECT_EQ(data.observations[2].series(), "adoption");
  EXPECT_EQ(data.observations[3].series(), "engagement_rate.email");
  EXPECT_EQ(data.observations[3].value, 0.3);
  EXPECT_NO_THROW(check_observed_data(data, loaded()));
}

TEST_F(ObservedFile, BadRowsNameLineAndField) {
  expect_error("series,value\ntrial,0.1\n", 1, "day", "missing column");
  expect_error("series,day,value\ntrail,30,0.1\n", 2, "series",
               "expected trial, adoption or engagement_rate.CHANNEL, found 'trail'");
  expect_error("series,day,value\ntrial,30,0.1\ntrial,,0.2\n", 3, "day", "needs the day");
  expect_error("series,day,value\ntrial,-1,0.1\n", 2, "day", "whole number of days");
  expect_error("series,day,value\ntrial,30.5,0.1\n", 2, "day", "whole number of days");
  expect_error("series,day,value\ntrial,30,1.2\n", 2, "value", "in [0, 1]");
  expect_error("series,day,value\ntrial,30,abc\n", 2, "value", "expected a number");
  expect_error("series,day,value\ntrial,30,0.1\n\ntrial,30,0.2\n", 4, "day",
               "trial is observed twice: here and on line 2");
  expect_error("series,day,value\nengagement_rate.email,,0.1\nengagement_rate.email,,0.2\n", 3,
               "series", "observed twice");
  expect_error("series,day,value\n# nothing\n", 2, "series", "no observations");
}

TEST_F(ObservedFile, CheckedAgainstTheScenario) {
  const ObservedData late =
      read_observed_data(write("series,day,value\ntrial,30,0.1\ntrial,181,0.2\n"));
  expect_input_error([&] { check_observed_data(late, loaded()); }, "day",
                     "day 181 is after the scenario's horizon of 180 days");
  const ObservedData channel =
      read_observed_data(write("series,day,value\nengagement_rate.fax,,0.1\n"));
  expect_input_error([&] { check_observed_data(channel, loaded()); }, "series",
                     "no channel 'fax'; its channels are email, rep_visit");
}

// ---- --fit and the requests -----------------------------------------------------------

TEST(FitList, PathsWithOptionalBounds) {
  const std::vector<FitRequest> fit = parse_fit_list("a.b,c.d=0.001:0.5");
  ASSERT_EQ(fit.size(), 2U);
  EXPECT_EQ(fit[0].path, "a.b");
  EXPECT_FALSE(fit[0].lower.has_value());
  EXPECT_EQ(fit[1].path, "c.d");
  EXPECT_EQ(*fit[1].lower, 0.001);
  EXPECT_EQ(*fit[1].upper, 0.5);
  expect_input_error([] { (void)parse_fit_list("a.b,"); }, "--fit", "expected a parameter path");
  expect_input_error([] { (void)parse_fit_list("a.b=0.5"); }, "--fit", "PATH=LOW:HIGH");
  expect_input_error([] { (void)parse_fit_list("a.b=x:1"); }, "--fit", "two finite numbers");
  expect_input_error([] { (void)parse_fit_list("a.b=1:0.5"); }, "--fit", "LOW < HIGH");
  expect_input_error([] { (void)parse_fit_list("a.b,a.b=0:1"); }, "--fit", "a.b is named twice");
}

ObservedData two_points() {
  return {"two.csv", {{SeriesKind::trial, "", 90, 0.03, 2}, {SeriesKind::trial, "", 180, 0.06, 3}}};
}

CalibrationOptions quick(const std::string& fit) {
  CalibrationOptions options;
  options.fit = parse_fit_list(fit);
  options.replications = 2;
  options.max_evaluations = 6;
  return options;
}

TEST(CalibrationInput, RefusedBeforeSimulating) {
  const ObservedData data = two_points();
  expect_input_error([&] { (void)calibrate(loaded(), data, quick("horizon_days")); }, "--fit",
                     "takes whole numbers");
  expect_input_error(
      [&] { (void)calibrate(loaded(), data, quick("model.engagement.attention_minutes")); },
      "--fit", "is unbounded");
  expect_input_error([&] { (void)calibrate(loaded(), data, quick(kHazard + "=0.01:0.02")); },
                     "--fit", "the scenario's value of " + kHazard + ", 0.006, is outside");
  expect_input_error([&] { (void)calibrate(loaded(), data, quick(kHazard + "=-1:0.5")); }, "--fit",
                     "leave its range");
  expect_input_error([&] { (void)calibrate(loaded(), data, quick(kHazard + "," + kEmail)); },
                     "value", "2 observations cannot fit 2 parameters");
  CalibrationOptions arm = quick(kHazard);
  arm.arm = "nope";
  expect_input_error([&] { (void)calibrate(loaded(), data, arm); }, "--arm",
                     "its arms are calendar, evidence");
}

TEST(Calibration, ParameterTheDataCannotSeeIsNotIdentifiable) {
  // The calendar arm never uses rep_visit, and only a trial curve is given.
  ObservedData data = two_points();
  data.observations.push_back({SeriesKind::trial, "", 150, 0.05, 4});
  sort_observations(data.observations);
  const CalibrationResult result =
      calibrate(loaded(), data, quick(kHazard + "=0.001:0.03,channels.rep_visit.base_engagement"));
  EXPECT_FALSE(result.identifiable);
  EXPECT_NE(result.identifiability.find("channels.rep_visit.base_engagement changes none"),
            std::string::npos)
      << result.identifiability;
  EXPECT_TRUE(std::isnan(result.parameters[0].standard_error));
  EXPECT_TRUE(std::isnan(result.correlation[0][1]));
}

TEST(Calibration, SameResultOnOneAndTwoThreads) {
  const ObservedData data = simulated_launch();
  CalibrationOptions options = fit_options();
  options.replications = 4;
  options.max_evaluations = 10;
  const auto fit_with = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return calibrate(away_from_truth(), data, options);
  };
  const CalibrationResult one = fit_with(1);
  const CalibrationResult two = fit_with(2);
  ASSERT_EQ(one.parameters.size(), two.parameters.size());
  for (std::size_t j = 0; j < one.parameters.size(); ++j) {
    EXPECT_EQ(one.parameters[j].value, two.parameters[j].value);
    EXPECT_EQ(one.parameters[j].standard_error, two.parameters[j].standard_error);
  }
  for (std::size_t i = 0; i < one.points.size(); ++i) {
    EXPECT_EQ(one.points[i].at_fit, two.points[i].at_fit);
  }
  EXPECT_EQ(one.objective_fit, two.objective_fit);
  EXPECT_EQ(one.optimiser_evaluations, two.optimiser_evaluations);
}

TEST(Calibration, InterruptStopsTheFit) {
  std::atomic<bool> cancel{true};
  CalibrationOptions options = quick(kHazard + "=0.001:0.03");
  options.cancel = &cancel;
  EXPECT_THROW((void)calibrate(loaded(), two_points(), options), Interrupted);
}

}  // namespace
}  // namespace journeysim::sim
