#pragma once
// Decisions that weigh money (docs/economics.md): each arm's cost, outcome,
// value and net monetary benefit across replications, its increments over
// the control paired by replication (common random numbers), and the
// efficiency frontier on mean cost and mean outcome. Costs and values are the
// company's; patient outcomes are not modelled.
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace journeysim::sim {

inline constexpr std::size_t kNoArm = std::numeric_limits<std::size_t>::max();

// ---- the efficiency frontier -------------------------------------------------

// One option on the cost-effectiveness plane.
struct FrontierInput {
  std::string name;
  double cost = 0.0;
  double effect = 0.0;
};

enum class FrontierStatus { frontier, strongly_dominated, extendedly_dominated };

// Where one option stands. Indices point into the input list.
struct FrontierEntry {
  FrontierStatus status = FrontierStatus::frontier;
  // Strongly dominated: the cheapest option that costs no more and achieves
  // at least as much (itself on the frontier).
  std::size_t dominated_by = kNoArm;
  // Extendedly dominated: the frontier options just cheaper and just dearer,
  // a mix of which does better for the money.
  std::size_t mix_lower = kNoArm;
  std::size_t mix_upper = kNoArm;
  // On the frontier: the previous (cheaper) frontier option and the
  // increments over it; kNoArm and NaN for the cheapest.
  std::size_t previous = kNoArm;
  double incremental_cost = std::numeric_limits<double>::quiet_NaN();
  double incremental_effect = std::numeric_limits<double>::quiet_NaN();
  double icer = std::numeric_limits<double>::quiet_NaN();
};

// The efficiency frontier as dampack's calculate_icers computes it (DARTH-git
// dampack, R/icers.R; Drummond et al., "Methods for the Economic Evaluation
// of Health Care Programmes", 4th ed., ch. 4): sort by cost (ties: higher
// effect first, then input order); an option is strongly dominated if an
// earlier one in that order achieves at least as much; then, repeatedly, an
// option whose ICER against the previous remaining option exceeds the next
// one's is extendedly dominated, until the ICERs rise. Two identical options:
// the later in input order is strongly dominated by the earlier, as in
// dampack. Returns one entry per input, in input order.
std::vector<FrontierEntry> efficiency_frontier(const std::vector<FrontierInput>& options);

// ---- per-arm economics -------------------------------------------------------

// One arm across replications. value and nmb are empty (n = 0) when the
// scenario gives no value per outcome.
struct ArmEconomics {
  MeanInterval cost;         // total_cost, in the scenario's currency.
  MeanInterval outcome;      // The primary metric's count (economic_outcome()).
  MeanInterval value;        // Sum over k of value_k x outcome_k.
  MeanInterval nmb;          // Net monetary benefit: value - cost (Stinnett & Mullahy 1998).
  bool over_budget = false;  // Mean cost above the budget.
};

// One non-control arm minus the control, paired by replication.
struct IncrementalEconomics {
  std::size_t arm = 0;
  MeanInterval cost;
  MeanInterval outcome;
  MeanInterval nmb;  // Incremental net monetary benefit, 95% paired t interval.
  // Incremental cost-effectiveness ratio mean(Δcost) / mean(Δoutcome), with a
  // delta-method interval (ratio_of_means); not estimable when the Δoutcome
  // interval includes zero.
  RatioInterval icer;
  // Return on spend mean(Δvalue) / mean(Δcost): value gained per extra unit
  // spent. Not estimable without values, or unless the Δcost interval lies
  // above zero (an arm that saves money has no return on extra spend).
  RatioInterval return_on_spend;
};

struct EconomicEvaluation {
  bool valued = false;                            // Some outcome has a value.
  std::string outcome;                            // "trialists", "adopters" or "prescriptions".
  std::vector<ArmEconomics> arms;                 // Per arm.
  std::vector<IncrementalEconomics> incremental;  // Per non-control arm, in arm order.
  std::vector<FrontierEntry> frontier;            // Per arm, on (mean cost, mean outcome).
  // With values: the arm with the highest mean NMB among those within the
  // budget (all arms if none is); kNoArm without values.
  std::size_t best = kNoArm;
  std::vector<std::string> warnings;  // Plain words, e.g. no arm within the budget.
};

// The count the primary metric is made of: trial_rate -> "trialists",
// adoption_rate -> "adopters", prescriptions -> "prescriptions".
std::string economic_outcome(const std::string& primary_metric);

// The outcome in words for one unit: "first prescriber", "adopter", "prescription".
std::string_view outcome_unit(const std::string& outcome) noexcept;

// The outcome in words for a count: "first prescribers", "adopters", "prescriptions".
std::string_view outcome_plural(const std::string& outcome) noexcept;

// Cost, value, NMB, increments over control and the frontier of an
// experiment. control indexes scenario.arms.
EconomicEvaluation evaluate_economics(const Scenario& scenario, const ExperimentResult& result,
                                      std::size_t control);

// The economic decision in one sentence, without a final full stop: launch
// e.best, naming its extra outcome (primary_difference: the primary metric,
// arm minus control, paired), its extra cost, cost per extra outcome and net
// monetary benefit, or keep the control. Needs e.valued.
std::string economic_recommendation(const Scenario& scenario, const EconomicEvaluation& e,
                                    std::size_t control, const MeanInterval& primary_difference);

// What an arm's extra outcome costs against the control, in plain words
// with the technical term in brackets: "250 EUR per extra first prescriber"
// (with ", below the 12,000 EUR a first prescriber is worth" when that is the
// only value given), "cheaper and better (dominant)", "dearer and worse
// (dominated)", "saves 300 EUR per first prescriber lost", or "cheaper, no
// clear change in first prescribers" when the outcome's 95% interval
// includes zero.
std::string icer_words(const Scenario& scenario, const EconomicEvaluation& e,
                       const IncrementalEconomics& inc);

// Without values: "cost was not weighed ...; the cheapest arms that are not
// beaten on both cost and effect are A and B", naming the frontier.
std::string frontier_sentence(const Scenario& scenario, const EconomicEvaluation& e);

// An arm's place on the frontier in plain words, the technical term in
// brackets: "on the efficiency frontier", "costs more and does no better than X
// (strongly dominated)", "a mix of X and Y does better for the money
// (extendedly dominated)".
std::string frontier_words(const Scenario& scenario, const EconomicEvaluation& e, std::size_t arm);

// The point of view of every cost and value, for outputs.
inline constexpr std::string_view kPointOfView =
    "costs and values are the company's; patient outcomes are not modelled";

// Whole currency units with thousands separators: 279000.4 -> "279,000".
std::string money(double amount);

// A change in cost in words: "for +279,000 EUR", "while saving 682,770 EUR",
// "at no extra cost".
std::string cost_change_words(double delta, const std::string& currency);

// money() with a plus sign for positive amounts: "+279,000", "-1,200", "0".
std::string signed_money(double amount);

}  // namespace journeysim::sim
