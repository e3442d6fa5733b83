// Calibration: the fit recovers known parameters from data simulated with
// them (with another seed) within its stated 95% intervals; the observed-data
// reader names file, line and field for bad input; --fit parsing and bounds;
// a parameter the data cannot see is reported as not identifiable; the
// result, bootstrap included, is identical at 1 and 2 threads; the
// bootstrap's intervals are its refits' order statistics and stay inside the
// bounds; Wilson's interval matches published values. The coverage over 40
// launches is a study, not a test (bench/calibration_coverage.cpp).
#include "sim/calibration.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
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

// The default bootstrap (39 refits) makes a fit about 40 times as costly, so
// the tests fit with 8 replications, not calibrate's 16.
CalibrationOptions fit_options() {
  CalibrationOptions options;
  options.fit = parse_fit_list(kHazard + "=0.001:0.03," + kEmail + "=0.02:0.9");
  options.seed = kFitSeed;
  options.replications = 8;
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
              << "]; asymptotic +- " << f.asymptotic_standard_error << " [" << f.asymptotic_lower
              << ", " << f.asymptotic_upper << "]\n";
    EXPECT_EQ(f.interval_method, IntervalMethod::bootstrap_percentile);
    EXPECT_GT(f.standard_error, 0.0);
    EXPECT_GE(f.interval_lower, f.lower_bound) << f.path;
    EXPECT_LE(f.interval_upper, f.upper_bound) << f.path;
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
  EXPECT_TRUE(std::isnan(result.parameters[0].bootstrap_lower));
  EXPECT_TRUE(result.bootstrap.empty());  // Nothing to refit for.
  EXPECT_TRUE(std::isnan(result.correlation[0][1]));
}

// A quick fit with the default bootstrap (39 refits), for the bootstrap's own
// tests: 200 HCPs, 4 replications, at most 10 evaluations per fit.
CalibrationOptions quick_bootstrap() {
  CalibrationOptions options = fit_options();
  options.replications = 4;
  options.max_evaluations = 10;
  return options;
}

Scenario small_away_from_truth() {
  Scenario scenario = away_from_truth();
  override_population_size(scenario, 200);
  return scenario;
}

const CalibrationResult& quick_bootstrap_result() {
  static const CalibrationResult result =
      calibrate(small_away_from_truth(), simulated_launch(), quick_bootstrap());
  return result;
}

TEST(Calibration, SameResultOnOneAndTwoThreads) {
  const ObservedData data = simulated_launch();
  const CalibrationOptions options = quick_bootstrap();
  const auto fit_with = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return calibrate(small_away_from_truth(), data, options);
  };
  const CalibrationResult one = fit_with(1);
  const CalibrationResult two = fit_with(2);
  ASSERT_EQ(one.parameters.size(), two.parameters.size());
  for (std::size_t j = 0; j < one.parameters.size(); ++j) {
    EXPECT_EQ(one.parameters[j].value, two.parameters[j].value);
    EXPECT_EQ(one.parameters[j].standard_error, two.parameters[j].standard_error);
    EXPECT_EQ(one.parameters[j].interval_lower, two.parameters[j].interval_lower);
    EXPECT_EQ(one.parameters[j].interval_upper, two.parameters[j].interval_upper);
    EXPECT_EQ(one.parameters[j].asymptotic_standard_error,
              two.parameters[j].asymptotic_standard_error);
  }
  for (std::size_t i = 0; i < one.points.size(); ++i) {
    EXPECT_EQ(one.points[i].at_fit, two.points[i].at_fit);
  }
  EXPECT_EQ(one.objective_fit, two.objective_fit);
  EXPECT_EQ(one.optimiser_evaluations, two.optimiser_evaluations);
  // The bootstrap: every refit the same, in the same order, whatever ran it.
  ASSERT_EQ(one.bootstrap.size(), kDefaultBootstrap);
  ASSERT_EQ(two.bootstrap.size(), kDefaultBootstrap);
  for (std::size_t b = 0; b < one.bootstrap.size(); ++b) {
    EXPECT_EQ(one.bootstrap[b].launch_seed, two.bootstrap[b].launch_seed);
    EXPECT_EQ(one.bootstrap[b].fit_seed, two.bootstrap[b].fit_seed);
    EXPECT_EQ(one.bootstrap[b].values, two.bootstrap[b].values) << "refit " << b;
    EXPECT_EQ(one.bootstrap[b].evaluations, two.bootstrap[b].evaluations) << "refit " << b;
  }
  // And the same as a third run with all cores (the cached result).
  const CalibrationResult& again = quick_bootstrap_result();
  ASSERT_EQ(again.bootstrap.size(), one.bootstrap.size());
  for (std::size_t b = 0; b < one.bootstrap.size(); ++b) {
    EXPECT_EQ(again.bootstrap[b].values, one.bootstrap[b].values) << "refit " << b;
  }
}

// The stated interval is, by definition, the percentile interval: order
// statistics k = floor(0.025 (B + 1)) and B + 1 - k of the refits (Davison &
// Hinkley 1997, section 5.2.1), and the standard error their standard
// deviation (Efron & Tibshirani 1993, eq. 6.6). Recomputed here from the refits.
TEST(CalibrationBootstrap, IntervalIsThePercentileIntervalOfTheRefits) {
  const CalibrationResult& result = quick_bootstrap_result();
  ASSERT_TRUE(result.identifiable) << result.identifiability;
  const std::size_t count = result.bootstrap.size();
  ASSERT_EQ(count, 39U);
  EXPECT_EQ(result.bootstrap_order_lower, 1U);  // floor(0.025 * 40) = 1.
  EXPECT_EQ(result.bootstrap_order_upper, 39U);
  for (std::size_t j = 0; j < result.parameters.size(); ++j) {
    const FittedParameter& f = result.parameters[j];
    std::vector<double> refits;
    for (const BootstrapFit& fit : result.bootstrap) refits.push_back(fit.values[j]);
    std::sort(refits.begin(), refits.end());
    EXPECT_EQ(f.interval_lower, refits.front()) << f.path;
    EXPECT_EQ(f.interval_upper, refits.back()) << f.path;
    double mean = 0.0;
    for (const double v : refits) mean += v / static_cast<double>(count);
    double sum = 0.0;
    for (const double v : refits) sum += (v - mean) * (v - mean);
    EXPECT_NEAR(f.standard_error, std::sqrt(sum / static_cast<double>(count - 1)),
                1e-12 * std::abs(mean));
    // The refits differ: each saw its own launch.
    EXPECT_LT(refits.front(), refits.back()) << f.path;
  }
  // Every refit has seeds of its own, apart from the fit's.
  std::set<std::uint64_t> seeds{result.seed};
  for (const BootstrapFit& fit : result.bootstrap) {
    EXPECT_TRUE(seeds.insert(fit.launch_seed).second);
    EXPECT_TRUE(seeds.insert(fit.fit_seed).second);
  }
}

TEST(CalibrationBootstrap, SeedsAreApartFromTheFitsAndEachOther) {
  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, kFitSeed, kObservedSeed}) {
    std::set<std::uint64_t> seen{seed};
    for (std::uint32_t b = 0; b < 1000; ++b) {
      EXPECT_TRUE(seen.insert(bootstrap_launch_seed(seed, b)).second) << seed << " " << b;
      EXPECT_TRUE(seen.insert(bootstrap_fit_seed(seed, b)).second) << seed << " " << b;
    }
  }
}

TEST(CalibrationBootstrap, TooFewRefitsAreRefused) {
  CalibrationOptions options = quick(kHazard + "=0.001:0.03");
  options.bootstrap = 38;
  expect_input_error([&] { (void)calibrate(loaded(), simulated_launch(), options); }, "--bootstrap",
                     "give 0 (off) or at least 39");
}

// A hazard whose truth is near its lower bound of 0: the linearised interval
// value +- t se reaches below 0 (checked, so that the test exercises the
// case), yet both reported intervals stay inside the bounds.
TEST(CalibrationBootstrap, IntervalsStayInsideTheBoundsNearZero) {
  Scenario truth = loaded();
  set_parameter(truth, kHazard, 0.0004);
  ObservedData data{"simulated", layout()};
  const std::vector<double> values =
      simulate_observations(single_arm(truth, ""), data.observations, kObservedSeed, 1);
  for (std::size_t i = 0; i < values.size(); ++i) data.observations[i].value = values[i];
  Scenario start = loaded();
  set_parameter(start, kHazard, 0.002);
  CalibrationOptions options;
  options.fit = parse_fit_list(kHazard + "=0:0.03");
  options.seed = kFitSeed;
  options.replications = 4;
  options.max_evaluations = 20;
  const CalibrationResult result = calibrate(start, data, options);
  ASSERT_TRUE(result.identifiable) << result.identifiability;
  const FittedParameter& f = result.parameters[0];
  std::cout << "fitted " << f.value << "; bootstrap [" << f.bootstrap_lower << ", "
            << f.bootstrap_upper << "]; asymptotic se " << f.asymptotic_standard_error << " ["
            << f.asymptotic_lower << ", " << f.asymptotic_upper << "]\n";
  // The uncut asymptotic interval, value - t se with the t the fit used
  // (docs/calibrate.md, Uncertainty), reaches below the bound.
  const double dof = f.error_from_simulation ? options.replications - 1.0
                                             : static_cast<double>(result.degrees_of_freedom);
  const double t = boost::math::quantile(boost::math::students_t(dof), 0.975);
  ASSERT_LT(f.value - t * f.asymptotic_standard_error, 0.0)
      << "the case no longer reaches the bound; choose a smaller true hazard";
  EXPECT_EQ(f.asymptotic_lower, 0.0);
  for (const auto& [lower, upper] : {std::pair{f.interval_lower, f.interval_upper},
                                     std::pair{f.bootstrap_lower, f.bootstrap_upper},
                                     std::pair{f.asymptotic_lower, f.asymptotic_upper}}) {
    EXPECT_GE(lower, 0.0);
    EXPECT_LE(upper, 0.03);
    EXPECT_LE(lower, f.value);
    EXPECT_GE(upper, f.value);
  }
}

// Newcombe 1998 ("Two-sided confidence intervals for the single proportion:
// comparison of seven methods", Statistics in Medicine 17, Table II, method
// 3) gives Wilson's 95% interval to four decimals for these counts.
TEST(WilsonInterval, MatchesNewcombesTable) {
  const auto expect = [](std::uint32_t k, std::uint32_t n, double lower, double upper) {
    const ProportionInterval w = wilson_interval(k, n);
    EXPECT_NEAR(w.lower, lower, 5e-5) << k << "/" << n;
    EXPECT_NEAR(w.upper, upper, 5e-5) << k << "/" << n;
  };
  expect(81, 263, 0.2553, 0.3662);
  expect(15, 148, 0.0624, 0.1605);
  expect(0, 20, 0.0, 0.1611);
  expect(1, 29, 0.0061, 0.1718);
  EXPECT_THROW((void)wilson_interval(1, 0), std::invalid_argument);
}

TEST(Calibration, InterruptStopsTheFit) {
  std::atomic<bool> cancel{true};
  CalibrationOptions options = quick(kHazard + "=0.001:0.03");
  options.cancel = &cancel;
  EXPECT_THROW((void)calibrate(loaded(), two_points(), options), Interrupted);
}

}  // namespace
}  // namespace journeysim::sim
