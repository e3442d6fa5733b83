#pragma once
// A/B evaluation of an experiment: paired comparisons with the control arm,
// the probability each arm is best, uplift by segment, the friction map and
// time to first prescription. Every statistic's formula and source is given
// in docs/statistics.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/economics.hpp"
#include "sim/runner.hpp"
#include "sim/sample_size.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

// One arm against the control on one metric, paired by replication.
struct Comparison {
  std::size_t arm = 0;
  std::string metric;
  MeanInterval arm_value;
  MeanInterval control_value;
  MeanInterval difference;      // Arm minus control, paired across replications.
  RatioInterval relative_lift;  // Arm / control - 1.
  double p_value = 1.0;         // Paired t-test, two-sided.
  double p_holm = 1.0;          // Holm-adjusted over all arms on the same metric.
  // 1 - Var(paired difference) / (Var(arm) + Var(control)): the share of the
  // unpaired variance that common random numbers removed.
  double variance_reduction = 0.0;
};

// Uplift on the primary metric within one segment.
struct SegmentUplift {
  SegmentDimension dimension = SegmentDimension::dominant_barrier;
  std::string value;
  std::size_t arm = 0;
  double mean_hcps = 0.0;  // HCPs in the segment, mean over replications.
  MeanInterval arm_value;
  MeanInterval control_value;
  MeanInterval difference;
};

// Share of HCPs stalled at one stage, held by one barrier, at the horizon.
struct FrictionCell {
  std::size_t arm = 0;
  agents::Stage stage = agents::Stage::unaware;
  std::string holder;   // A barrier name, or "none".
  MeanInterval share;   // Of all HCPs.
  MeanInterval change;  // Arm minus control, paired.
};

// Kaplan–Meier estimate of time to first prescription, pooled over replications.
struct KaplanMeier {
  std::size_t arm = 0;
  std::uint64_t at_risk = 0;     // HCPs starting below trialing, all replications.
  std::vector<double> survival;  // survival[d]: P(no first prescription by day d).
  std::int32_t median_day = -1;  // First day survival <= 0.5; -1: not reached.
};

struct Evaluation {
  std::string primary_metric;
  std::size_t control = 0;
  std::vector<Comparison> comparisons;                      // Every non-control arm x every metric.
  std::vector<double> probability_best;                     // Per arm, on the primary metric.
  std::vector<RatioInterval> cost_per_incremental_adopter;  // Per arm; control: not estimable.
  std::vector<SegmentUplift> segments;
  std::vector<FrictionCell> friction;
  std::vector<KaplanMeier> km;
  // Compared metrics left out because some run had nobody they are defined for
  // (trial_rate with no HCP below trialing); each has no comparison row.
  std::vector<std::string> undefined_metrics;
  // Cost, value, net monetary benefit and the efficiency frontier
  // (docs/economics.md). With values in the scenario's economics block, the
  // recommendation is the arm with the highest expected net monetary benefit
  // within the budget; without, it is the primary metric's and names the frontier.
  EconomicEvaluation economics;
  std::size_t recommended = 0;  // Arm to launch.
  std::string recommendation;   // One sentence saying why.
  // HCPs per arm for a live test (two-sided alpha 0.05, power 0.8, R's
  // power.prop.test formula) to confirm the most likely best non-control arm's
  // rate against the control's, both as simulated over the horizon; empty when
  // the primary metric is not a rate or the rates are equal.
  std::size_t live_test_arm = 0;
  std::optional<ArmSizes> live_test_size;
};

// The metrics reported for every arm and compared with the control.
const std::vector<std::string>& compared_metrics();

// True if the metric has a finite value in every arm and replication. A share
// whose denominator is empty is NaN: trial_rate when no HCP started below
// trialing (docs/outputs.md, Outcome metrics).
bool defined_in_every_run(const ExperimentResult& result, const std::string& metric);

// Who a live test on the metric counts, in words: for trial_rate the HCPs at
// risk ("HCPs not yet prescribing"), else "HCPs".
std::string_view sample_unit(const std::string& metric) noexcept;

// Why a metric can be undefined, in words, for messages.
std::string undefined_reason(const std::string& metric);

// Evaluates an experiment. Throws agents::InputError if it has fewer than 2
// replications (no interval can be computed).
Evaluation evaluate(const Scenario& scenario, const ExperimentResult& result);

// Name of a segment dimension as used in outputs ("dominant_barrier", ...).
std::string_view dimension_name(SegmentDimension dimension) noexcept;

}  // namespace journeysim::sim
