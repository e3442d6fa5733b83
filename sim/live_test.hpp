#pragma once
// Planning the live A/B test (journeysim plan): the test itself is simulated
// many times on synthetic populations of the planned size and length, under
// individual and cluster randomisation. Peers in different arms influence each
// other (a violation of SUTVA), so an individually randomised test may
// estimate a diluted effect; randomising whole clusters (practices,
// territories) keeps most peer ties inside one arm at the price of power.
// Every figure comes with its Monte Carlo standard error (Morris, White &
// Crowther 2019, "Using simulation studies to evaluate statistical methods",
// Statistics in Medicine 38:2074-2102). Formulas and sources:
// docs/statistics.md ("Planning the live test").
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

struct LiveTestOptions {
  std::string control_arm;     // A: the arm the test compares against.
  std::string treatment_arm;   // B.
  std::uint32_t hcps = 5000;   // HCPs in the test (both arms together).
  std::uint32_t weeks = 26;    // Length of the test; outcomes are measured at its end.
  bool cluster_first = false;  // Present the cluster design as the plan.
  std::string cluster_field =
      "practice";              // practice, region, specialty, practice_setting, career_stage.
  std::uint32_t trials = 200;  // Simulated tests.
  double alpha = 0.05;         // Two-sided significance level of the test.
  // Wanted Monte Carlo standard error of each design's bias, as a share of
  // the true effect's size: 0.1 asks for the bias to within +-10% of it.
  double target_bias_mcse = 0.1;
  // Wanted Monte Carlo standard error of power and of the A/A rejection rate.
  double target_rate_mcse = 0.02;
  std::uint64_t seed = 1;
  const std::atomic<bool>* cancel = nullptr;
};

// A mean over the simulated tests: its 95% Monte Carlo t interval and its
// Monte Carlo standard error sd / sqrt(T) (Morris et al. 2019, Table 6).
struct McMean {
  MeanInterval interval;
  double mcse = 0.0;
};

// A share of simulated tests (power, rejection rate) with its Monte Carlo
// standard error sqrt(p (1 - p) / T) (Morris et al. 2019, Table 6).
struct McShare {
  std::size_t count = 0;
  std::size_t trials = 0;
  double share = 0.0;
  double mcse = 0.0;
};

// What the bias of a design says, judged on its 95% Monte Carlo interval and
// the true effect's sign. Peer spillover (contagion that grows with the share
// of adopting peers) pulls the two arms' outcomes toward each other, so it
// shrinks the estimate toward zero but does not carry it past zero.
enum class BiasFinding {
  none_detected,   // The interval covers zero.
  toward_zero,     // Excludes zero, the estimate shrunk toward zero: dilution, as spillover does.
  past_zero,       // Excludes zero, the mean bias larger than the true effect, against its sign.
  away_from_zero,  // Excludes zero, the estimate pushed away from zero.
  no_direction,    // Excludes zero, but the true effect's sign is unclear.
};

// How one randomisation design performs over the simulated tests.
struct DesignPerformance {
  std::string design;  // "individual" or "cluster:FIELD".
  // Share of tests significant at alpha with the true effect's sign.
  McShare power;
  // A/A: the same test on the all-A run, both "arms" treated alike; the
  // share rejecting at alpha should be near alpha.
  McShare null_rejections;
  McMean estimate;  // The test's effect estimate (treatment minus control).
  McMean bias;      // Estimate minus the true effect, paired by simulated test.
  BiasFinding finding = BiasFinding::none_detected;
  double clusters = 0.0;  // Mean number of randomisation units (clusters or HCPs).
};

// Trials the stated precision needs, T = ceil(variance / target_mcse^2)
// (Morris et al. 2019, section 5.3), for each figure that has a target.
struct TrialsNeeded {
  std::uint64_t bias = 0;             // Both designs' bias; 0 if the true effect is unclear.
  std::uint64_t power = 0;            // Both designs' power.
  std::uint64_t null_rejections = 0;  // Both designs' A/A rate, at the nominal alpha.
  std::uint64_t all() const;
};

// A capacity-limited field-force channel that journeys of the test queue
// suggestions on. In the simulated test the two arms draw on one pool of
// capacity_per_week, as they would in a real test with one field force;
// in the true-effect runs each arm has the whole pool to itself.
struct SharedFieldForce {
  std::string channel;
  double capacity_per_week = 0.0;
  bool used_by_control = false;
  bool used_by_treatment = false;
};

struct LiveTestPlan {
  LiveTestOptions options;
  // The scenario's primary_metric: trial_rate (first prescriptions among
  // HCPs who start below trialing), adoption_rate (at adopted or beyond at
  // the end, among all HCPs) or prescriptions (per HCP).
  std::string metric;
  // The effect with no spillover: everyone in B minus everyone in A on the same
  // population with common random numbers, per simulated test.
  McMean true_effect;
  McMean control_level;       // The metric with everyone in A.
  bool effect_clear = false;  // The true effect's interval excludes zero.
  DesignPerformance individual;
  DesignPerformance cluster;
  // Cluster power minus individual power, paired by simulated test: the mean
  // of d_t = significant_cluster,t - significant_individual,t in {-1, 0, 1}.
  McMean power_change;
  TrialsNeeded trials_needed;
  std::vector<SharedFieldForce> field_force;  // Channels with suggestions from either arm.
  // Field-force suggestions that expired unserved, per simulated test: none
  // means capacity never bound. Everyone in A, everyone in B, and the
  // individually randomised test.
  McMean expired_control, expired_treatment, expired_individual;
  // Some call expired unserved in some run: capacity binds, so the field
  // force is a path of interference in this test.
  bool capacity_binds = false;
};

// Simulates the live test options.trials times. Throws agents::InputError for
// an unknown arm, an unknown cluster field, or sizes that cannot work.
LiveTestPlan plan_live_test(const Scenario& scenario, const LiveTestOptions& options);

}  // namespace journeysim::sim
