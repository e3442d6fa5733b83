// Sweeps: grid construction (ends, rounding, collapse, Cartesian size), known
// effects under common random numbers (prescriptions exactly proportional to
// the trial share; trial rate rising with a stage hazard), the tornado's
// one-at-a-time runs, and identical results at 1 and 2 threads.
#include "sim/sweep.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "agents/input_error.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/expect_input_error.hpp"

namespace journeysim::sim {
namespace {

const std::string kSweepScenario = std::string(JOURNEYSIM_TEST_DATA) + "/sweep";

const Scenario& loaded() {
  static const Scenario scenario = load_scenario(kSweepScenario);
  return scenario;
}

using journeysim::testing::expect_input_error;

TEST(SweepGrid, EvenlySpacedWithBothEnds) {
  const ResolvedAxis axis = resolve_axis(loaded(), {"model.prescribing.trial_share", 0.05, 0.2, 4});
  ASSERT_EQ(axis.values.size(), 4U);
  EXPECT_EQ(axis.values.front(), 0.05);
  EXPECT_EQ(axis.values.back(), 0.2);
  EXPECT_DOUBLE_EQ(axis.values[1], 0.1);
  EXPECT_DOUBLE_EQ(axis.values[2], 0.15);
  EXPECT_EQ(axis.parameter.value, 0.05);
}

TEST(SweepGrid, IntegerParametersAreRounded) {
  const ResolvedAxis days = resolve_axis(loaded(), {"horizon_days", 90, 180, 4});
  EXPECT_EQ(days.values, (std::vector<double>{90, 120, 150, 180}));
  const ResolvedAxis touches = resolve_axis(loaded(), {"caps.0.max_touches", 1, 4, 3});
  EXPECT_EQ(touches.values, (std::vector<double>{1, 3, 4}));  // 2.5 rounds to 3.
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"caps.0.max_touches", 1, 4, 7});
      },
      "caps.0.max_touches", "both round to the whole number 2; use at most 4 steps");
}

TEST(SweepGrid, BadAxesAreRefusedNamingThePath) {
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"model.lapse.rate_per_day", 0.2, 0.1, 3});
      },
      "model.lapse.rate_per_day", "expected FROM <= TO");
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"model.lapse.rate_per_day", 0.1, 0.2, 1});
      },
      "model.lapse.rate_per_day", "at least 2 steps");
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"model.lapse.rate_per_day", 0.1, 0.1, 2});
      },
      "model.lapse.rate_per_day", "every grid point would be the same");
  // The last point is out of range (the middle one, 1, is the range's end).
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"model.lapse.rate_per_day", 0.5, 1.5, 3});
      },
      "model.lapse.rate_per_day", "grid point 3 of 3 is 1.5; expected a number in [0, 1]");
  expect_input_error(
      [] {
        (void)resolve_axis(loaded(), {"model.lapse.rate", 0.1, 0.2, 2});
      },
      "model.lapse.rate", "model.lapse.rate_per_day");
}

TEST(SweepGrid, CartesianProductLastAxisFastest) {
  const std::vector<ResolvedAxis> axes = {
      resolve_axis(loaded(), {"model.lapse.rate_per_day", 0.0, 0.02, 3}),
      resolve_axis(loaded(), {"horizon_days", 100, 130, 4})};
  const auto grid = cartesian_grid(axes);
  ASSERT_EQ(grid.size(), 12U);
  EXPECT_EQ(grid[0], (std::vector<double>{0.0, 100}));
  EXPECT_EQ(grid[1], (std::vector<double>{0.0, 110}));
  EXPECT_EQ(grid[4], (std::vector<double>{0.01, 100}));
  EXPECT_EQ(grid[11], (std::vector<double>{0.02, 130}));
  expect_input_error([&] { (void)cartesian_grid(axes, 11); }, "grid", "3 x 4 points is too large");
  expect_input_error([&] { (void)cartesian_grid({axes[0], axes[0]}); }, "grid", "swept twice");
  // A product far beyond size_t is refused, not overflowed.
  std::vector<ResolvedAxis> many(40, axes[1]);
  for (std::size_t i = 0; i < many.size(); ++i) many[i].parameter.path += std::to_string(i);
  expect_input_error([&] { (void)cartesian_grid(many); }, "grid", "too large");
}

TEST(SweepGrid, JointRulesAreCheckedAtEveryPointBeforeRunning) {
  SweepOptions options;
  options.replications = 2;
  // practice_share up to 0.8 with region_share 0.3 breaks the sum at the last point.
  options.axes = {{"network.clustered.practice_share", 0.2, 0.8, 3}};
  std::size_t progress_calls = 0;
  options.progress = [&](std::size_t, std::size_t) { ++progress_calls; };
  expect_input_error([&] { (void)run_sweep(loaded(), options); },
                     "network.clustered.practice_share", "at most 1");
  EXPECT_EQ(progress_calls, 0U);  // Nothing ran.
}

const SweepArm& arm(const SweepPoint& point, std::size_t a) { return point.arms.at(a); }

// Prescriptions are the trial share times patient-days spent trialing, and
// nothing else in the model reads the trial share, so under common random
// numbers prescriptions are proportional to it, up to float rounding: each
// HCP's total is a float sum of at most horizon + 1 daily terms, whose
// relative error is at most (horizon + 1) u with u = 2^-24 (Higham, "Accuracy
// and Stability of Numerical Algorithms", 2nd ed., eq. 4.4).
TEST(Sweep, PrescriptionsAreProportionalToTheTrialShare) {
  Scenario scenario = loaded();
  scenario.primary_metric = "prescriptions";
  set_parameter(scenario, "model.prescribing.adopted_share", 0.0);
  SweepOptions options;
  options.seed = 11;
  options.replications = 3;
  options.axes = {{"model.prescribing.trial_share", 0.05, 0.2, 4}};
  const SweepResult sweep = run_sweep(scenario, options);
  ASSERT_EQ(sweep.points.size(), 4U);
  const double tolerance = 2.0 * (scenario.horizon_days + 1) * std::ldexp(1.0, -24);
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const double per_share = arm(sweep.points[0], a).primary.mean / 0.05;
    ASSERT_GT(per_share, 0.0);
    for (const SweepPoint& point : sweep.points) {
      const double expected = per_share * point.values[0];
      EXPECT_NEAR(arm(point, a).primary.mean, expected, tolerance * expected)
          << "arm " << a << " at " << point.values[0];
      EXPECT_NEAR(arm(point, a).cost.mean, arm(sweep.points[0], a).cost.mean, 1e-9)
          << "the trial share cannot change what is sent";
    }
  }
}

// Raising the daily hazard of considering -> trialing fourfold raises the
// trial rate. The check needs no pairing: the rise must exceed 4 standard
// errors of the difference of two independent means.
TEST(Sweep, TrialRateRisesWithTheConsideringHazard) {
  SweepOptions options;
  options.seed = 5;
  options.replications = 10;
  options.axes = {{"stage_hazards.considering.base_hazard", 0.003, 0.012, 3}};
  const SweepResult sweep = run_sweep(loaded(), options);
  for (std::size_t a = 0; a < loaded().arms.size(); ++a) {
    for (std::size_t i = 1; i < sweep.points.size(); ++i) {
      const MeanInterval& lo = arm(sweep.points[i - 1], a).primary;
      const MeanInterval& hi = arm(sweep.points[i], a).primary;
      const double se = std::sqrt((lo.sd * lo.sd + hi.sd * hi.sd) / static_cast<double>(lo.n));
      EXPECT_GT(hi.mean - lo.mean, 4.0 * se) << "arm " << a << " step " << i;
    }
  }
}

// Two axes: a 4 x 3 grid, the base and each axis's two ends, deduplicated.
// The trial share cannot move the trial rate, so its bar has no swing at all.
TEST(Sweep, TornadoRunsEachAxisAtItsEndsWithTheOthersAtBase) {
  SweepOptions options;
  options.seed = 3;
  options.replications = 4;
  options.axes = {{"model.prescribing.trial_share", 0.05, 0.2, 4},
                  {"stage_hazards.considering.base_hazard", 0.003, 0.012, 3}};
  const SweepResult sweep = run_sweep(loaded(), options);
  ASSERT_EQ(sweep.points.size(), 12U);
  // Base (0.05, 0.006) is not on the grid; its ends (0.2, 0.006) are new;
  // (0.05, 0.003) and (0.05, 0.012) are grid points.
  EXPECT_EQ(sweep.experiments, 14U);
  EXPECT_EQ(sweep.base.values, (std::vector<double>{0.05, 0.006}));
  ASSERT_EQ(sweep.tornado.size(), 2U);
  const TornadoBar& first = sweep.tornado[0];
  const TornadoBar& second = sweep.tornado[1];
  EXPECT_EQ(first.axis, 1U) << "the hazard moves the trial rate most";
  EXPECT_EQ(second.axis, 0U);
  EXPECT_EQ(second.swing, 0.0);
  EXPECT_EQ(second.low.mean, sweep.base_decision.mean);
  EXPECT_FALSE(second.recommendation_changes);
  EXPECT_EQ(first.low_value, 0.003);
  EXPECT_EQ(first.high_value, 0.012);
  // The low end of the hazard bar is grid point (0.05, 0.003): the same experiment.
  const SweepPoint& grid_low = sweep.points[0];
  EXPECT_EQ(first.low.mean, grid_low.arms[sweep.decision_arm].uplift.mean);
  EXPECT_NE(sweep.decision_arm, 0U) << "the control is never the decision arm with two arms";
}

SweepResult sweep_with_threads(int threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  SweepOptions options;
  options.seed = 17;
  options.replications = 3;
  options.axes = {{"channels.email.base_engagement", 0.2, 0.6, 3}};
  return run_sweep(loaded(), options);
}

TEST(Sweep, IdenticalAtOneAndTwoThreads) {
  const SweepResult one = sweep_with_threads(1);
  const SweepResult two = sweep_with_threads(2);
  ASSERT_EQ(one.points.size(), two.points.size());
  for (std::size_t p = 0; p < one.points.size(); ++p) {
    EXPECT_EQ(one.points[p].recommended, two.points[p].recommended);
    for (std::size_t a = 0; a < one.points[p].arms.size(); ++a) {
      const SweepArm& x = one.points[p].arms[a];
      const SweepArm& y = two.points[p].arms[a];
      EXPECT_EQ(x.primary.mean, y.primary.mean);
      EXPECT_EQ(x.primary.sd, y.primary.sd);
      EXPECT_EQ(x.uplift.mean, y.uplift.mean);
      EXPECT_EQ(x.probability_best, y.probability_best);
      EXPECT_EQ(x.cost.mean, y.cost.mean);
      EXPECT_EQ(x.opt_out_rate.mean, y.opt_out_rate.mean);
    }
  }
  ASSERT_EQ(one.tornado.size(), 1U);
  EXPECT_EQ(one.tornado[0].swing, two.tornado[0].swing);
}

TEST(Sweep, CancelStopsBeforeTheNextExperiment) {
  SweepOptions options;
  options.replications = 2;
  options.axes = {{"model.lapse.rate_per_day", 0.0, 0.02, 3}};
  std::atomic<bool> cancel{false};
  options.cancel = &cancel;
  options.progress = [&](std::size_t, std::size_t) { cancel.store(true); };
  EXPECT_THROW((void)run_sweep(loaded(), options), Interrupted);
}

}  // namespace
}  // namespace journeysim::sim
