#pragma once
// Planning the live A/B test (journeysim plan): the test itself is simulated
// many times on synthetic populations of the planned size and length, under
// individual and cluster randomisation. Peers in different arms influence each
// other (a violation of SUTVA), so an individually randomised test estimates
// a diluted effect; randomising whole clusters (practices, territories) keeps
// most peer ties inside one arm at the price of power. Formulas and sources:
// docs/statistics.md ("Planning the live test").
#include <atomic>
#include <cstdint>
#include <string>

#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

struct LiveTestOptions {
  std::string control_arm;     // A: the arm the test compares against.
  std::string treatment_arm;   // B.
  std::uint32_t hcps = 5000;   // HCPs in the test (both arms together).
  std::uint32_t weeks = 26;    // Length of the test; the outcome is a first prescription by then.
  bool cluster_first = false;  // Present the cluster design as the plan.
  std::string cluster_field =
      "practice";              // practice, region, specialty, practice_setting, career_stage.
  std::uint32_t trials = 200;  // Simulated tests.
  double alpha = 0.05;         // Two-sided significance level of the test.
  std::uint64_t seed = 1;
  const std::atomic<bool>* cancel = nullptr;
};

// How one randomisation design performs over the simulated tests.
struct DesignPerformance {
  std::string design;     // "individual" or "cluster:FIELD".
  double power = 0.0;     // Share of tests significant at alpha in the true effect's direction.
  MeanInterval estimate;  // The test's effect estimate (treatment minus control rate).
  MeanInterval bias;      // Estimate minus the true effect, paired by simulated test.
  double clusters = 0.0;  // Mean number of randomisation units (clusters or HCPs).
};

struct LiveTestPlan {
  LiveTestOptions options;
  // The effect with no spillover: everyone in B minus everyone in A on the same
  // population with common random numbers, per simulated test.
  MeanInterval true_effect;
  MeanInterval control_rate;  // Everyone in A.
  DesignPerformance individual;
  DesignPerformance cluster;
};

// Simulates the live test options.trials times. Throws agents::InputError for
// an unknown arm, an unknown cluster field, or sizes that cannot work.
LiveTestPlan plan_live_test(const Scenario& scenario, const LiveTestOptions& options);

}  // namespace journeysim::sim
