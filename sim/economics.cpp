#include "sim/economics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace journeysim::sim {
namespace {

// ---- frontier ----------------------------------------------------------------

// Indices sorted by cost, ties by higher effect first, then input order
// (dampack: arrange(Cost, desc(Effect)), a stable sort).
std::vector<std::size_t> by_cost(const std::vector<FrontierInput>& options) {
  std::vector<std::size_t> order(options.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (options[a].cost != options[b].cost) return options[a].cost < options[b].cost;
    return options[a].effect > options[b].effect;
  });
  return order;
}

// Strong dominance: in cost order, an option is dominated if an earlier one
// achieves at least as much; the first such is its dominator. Returns the
// options that survive, in cost order.
std::vector<std::size_t> remove_strongly_dominated(const std::vector<FrontierInput>& options,
                                                   const std::vector<std::size_t>& order,
                                                   std::vector<FrontierEntry>& entries) {
  std::vector<std::size_t> kept;
  for (std::size_t j = 0; j < order.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (options[order[i]].effect >= options[order[j]].effect) {
        entries[order[j]].status = FrontierStatus::strongly_dominated;
        entries[order[j]].dominated_by = order[i];
        break;
      }
    }
    if (entries[order[j]].status == FrontierStatus::frontier) kept.push_back(order[j]);
  }
  return kept;
}

// ICER of kept[k] against kept[k - 1]: ΔC / ΔE; NaN for k = 0.
std::vector<double> consecutive_icers(const std::vector<FrontierInput>& options,
                                      const std::vector<std::size_t>& kept) {
  std::vector<double> icers(kept.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 1; k < kept.size(); ++k) {
    const FrontierInput& a = options[kept[k - 1]];
    const FrontierInput& b = options[kept[k]];
    icers[k] = (b.cost - a.cost) / (b.effect - a.effect);
  }
  return icers;
}

// Extended dominance (dampack's loop): every inner option whose ICER exceeds
// the next option's is removed in one pass; passes repeat until none is.
std::vector<std::size_t> remove_extendedly_dominated(const std::vector<FrontierInput>& options,
                                                     std::vector<std::size_t> kept,
                                                     std::vector<FrontierEntry>& entries) {
  while (kept.size() > 2) {
    const std::vector<double> icers = consecutive_icers(options, kept);
    std::vector<std::size_t> next;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const bool inner = k >= 1 && k + 1 < kept.size();
      if (inner && icers[k] > icers[k + 1]) {
        entries[kept[k]].status = FrontierStatus::extendedly_dominated;
      } else {
        next.push_back(kept[k]);
      }
    }
    if (next.size() == kept.size()) break;
    kept = std::move(next);
  }
  return kept;
}

// ---- per-arm values ----------------------------------------------------------

const std::vector<double>& values_of(const ExperimentResult& result, std::size_t arm,
                                     std::string_view metric) {
  for (const ArmMetric& m : result.metrics[arm]) {
    if (m.name == metric) return m.values;
  }
  throw std::logic_error("no metric " + std::string(metric));
}

// value[r] = Σ_k value_k × outcome_k[r] over the outcomes that have a value.
std::vector<double> arm_value(const EconomicValues& v, const ExperimentResult& result,
                              std::size_t arm) {
  std::vector<double> value(result.replications, 0.0);
  const auto add = [&](const std::optional<double>& per_unit, std::string_view metric) {
    if (!per_unit) return;
    const std::vector<double>& counts = values_of(result, arm, metric);
    for (std::size_t r = 0; r < value.size(); ++r) value[r] += *per_unit * counts[r];
  };
  add(v.value_per_trialist, "trialists");
  add(v.value_per_adopter, "adopters");
  add(v.value_per_prescription, "prescriptions");
  return value;
}

// Per arm, one value per replication; value and nmb are empty without values.
struct PerReplication {
  std::vector<std::vector<double>> cost, outcome, value, nmb;
};

PerReplication per_replication(const Scenario& scenario, const ExperimentResult& result,
                               const EconomicEvaluation& e) {
  PerReplication runs;
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    runs.cost.push_back(values_of(result, a, "total_cost"));
    runs.outcome.push_back(values_of(result, a, e.outcome));
    runs.value.emplace_back();
    runs.nmb.emplace_back();
    if (!e.valued) continue;
    runs.value[a] = arm_value(scenario.economics, result, a);
    // NMB = value - cost (Stinnett & Mullahy 1998).
    runs.nmb[a] = differences(runs.value[a], runs.cost[a]);
  }
  return runs;
}

ArmEconomics arm_economics(const PerReplication& runs, std::size_t a) {
  ArmEconomics arm;
  arm.cost = mean_interval(runs.cost[a]);
  arm.outcome = mean_interval(runs.outcome[a]);
  arm.value = mean_interval(runs.value[a]);  // n = 0 without values.
  arm.nmb = mean_interval(runs.nmb[a]);
  return arm;
}

// Arm minus control, paired by replication (common random numbers).
IncrementalEconomics increment(const PerReplication& runs, std::size_t a, std::size_t control) {
  IncrementalEconomics inc;
  inc.arm = a;
  const std::vector<double> d_cost = differences(runs.cost[a], runs.cost[control]);
  const std::vector<double> d_outcome = differences(runs.outcome[a], runs.outcome[control]);
  inc.cost = mean_interval(d_cost);
  inc.outcome = mean_interval(d_outcome);
  inc.icer = ratio_of_means(d_cost, d_outcome);  // ICER = ΔC / ΔE (Drummond et al., ch. 4).
  if (runs.nmb[a].empty()) return inc;
  inc.nmb = mean_interval(differences(runs.nmb[a], runs.nmb[control]));
  inc.return_on_spend = ratio_of_means(differences(runs.value[a], runs.value[control]), d_cost);
  // Value per extra unit spent reads only for arms that spend more.
  inc.return_on_spend.estimable = inc.return_on_spend.estimable && inc.cost.lower > 0.0;
  return inc;
}

// The arm with the highest mean NMB among those allowed; ties keep the
// control, then the lower index.
std::size_t highest_nmb(const EconomicEvaluation& e, std::size_t control, bool within_budget) {
  std::size_t best = kNoArm;
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    if (within_budget && e.arms[a].over_budget) continue;
    if (best == kNoArm || e.arms[a].nmb.mean > e.arms[best].nmb.mean ||
        (e.arms[a].nmb.mean == e.arms[best].nmb.mean && a == control)) {
      best = a;
    }
  }
  return best;
}

void check_budget(const Scenario& scenario, EconomicEvaluation& e) {
  const auto& budget = scenario.economics.budget;
  if (!budget) return;
  std::size_t cheapest = 0;
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    e.arms[a].over_budget = e.arms[a].cost.mean > *budget;
    if (e.arms[a].cost.mean < e.arms[cheapest].cost.mean) cheapest = a;
  }
  const bool any_within = std::any_of(e.arms.begin(), e.arms.end(),
                                      [](const ArmEconomics& arm) { return !arm.over_budget; });
  if (!any_within && !e.arms.empty()) {
    e.warnings.push_back(fmt::format(
        "no arm keeps within the budget of {} {}: the cheapest, {}, costs {} {} on average; "
        "the budget is ignored",
        money(*budget), scenario.currency, scenario.arms[cheapest].name,
        money(e.arms[cheapest].cost.mean), scenario.currency));
  }
}

// ---- sentences ---------------------------------------------------------------

// The primary metric's extra, e.g. "+0.8 percentage points of trial rate".
std::string primary_words(const std::string& metric, double difference) {
  if (metric == "prescriptions") return signed_money(difference) + " prescriptions";
  const std::string name = metric == "adoption_rate" ? "adoption rate" : "trial rate";
  return fmt::format("{:+.1f} percentage points of {}", 100.0 * difference, name);
}

// The only value given, if it is the value of the primary outcome.
std::optional<double> primary_value_only(const EconomicValues& v, const std::string& outcome) {
  const int given = (v.value_per_trialist ? 1 : 0) + (v.value_per_adopter ? 1 : 0) +
                    (v.value_per_prescription ? 1 : 0);
  if (given != 1) return std::nullopt;
  if (outcome == "trialists") return v.value_per_trialist;
  if (outcome == "adopters") return v.value_per_adopter;
  return v.value_per_prescription;
}

const IncrementalEconomics* increment_of(const EconomicEvaluation& e, std::size_t arm) {
  for (const IncrementalEconomics& inc : e.incremental) {
    if (inc.arm == arm) return &inc;
  }
  return nullptr;
}

std::string nmb_words(const Scenario& scenario, const MeanInterval& nmb) {
  return fmt::format("{} {} (95% CI {} to {})", signed_money(nmb.mean), scenario.currency,
                     signed_money(nmb.lower), signed_money(nmb.upper));
}

// The non-control arm with the highest mean incremental NMB (within the
// budget when any arm is), for "keep the control" sentences.
const IncrementalEconomics* runner_up(const EconomicEvaluation& e) {
  const bool any_within = std::any_of(e.arms.begin(), e.arms.end(),
                                      [](const ArmEconomics& arm) { return !arm.over_budget; });
  const IncrementalEconomics* best = nullptr;
  for (const IncrementalEconomics& inc : e.incremental) {
    if (any_within && e.arms[inc.arm].over_budget) continue;
    if (best == nullptr || inc.nmb.mean > best->nmb.mean) best = &inc;
  }
  return best;
}

// "; X has a higher net benefit but costs ... above the budget of ...", or empty.
std::string budget_words(const Scenario& scenario, const EconomicEvaluation& e,
                         std::size_t control) {
  if (!scenario.economics.budget) return "";
  std::size_t unconstrained = highest_nmb(e, control, false);
  if (unconstrained == e.best || !e.arms[unconstrained].over_budget) return "";
  return fmt::format(
      "; {} has a higher net monetary benefit but costs {} {}, above the budget "
      "of {} {}",
      scenario.arms[unconstrained].name, money(e.arms[unconstrained].cost.mean), scenario.currency,
      money(*scenario.economics.budget), scenario.currency);
}

}  // namespace

std::vector<FrontierEntry> efficiency_frontier(const std::vector<FrontierInput>& options) {
  std::vector<FrontierEntry> entries(options.size());
  const std::vector<std::size_t> order = by_cost(options);
  std::vector<std::size_t> kept = remove_strongly_dominated(options, order, entries);
  kept = remove_extendedly_dominated(options, std::move(kept), entries);
  const std::vector<double> icers = consecutive_icers(options, kept);
  for (std::size_t k = 1; k < kept.size(); ++k) {
    FrontierEntry& entry = entries[kept[k]];
    entry.previous = kept[k - 1];
    entry.incremental_cost = options[kept[k]].cost - options[kept[k - 1]].cost;
    entry.incremental_effect = options[kept[k]].effect - options[kept[k - 1]].effect;
    entry.icer = icers[k];
  }
  // An extendedly dominated option lies, in cost order, between two frontier
  // options: those are the mix that beats it.
  std::vector<std::size_t> position(options.size());
  for (std::size_t p = 0; p < order.size(); ++p) position[order[p]] = p;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (entries[i].status != FrontierStatus::extendedly_dominated) continue;
    for (const std::size_t f : kept) {
      if (position[f] < position[i]) entries[i].mix_lower = f;
      if (position[f] > position[i] && entries[i].mix_upper == kNoArm) entries[i].mix_upper = f;
    }
  }
  return entries;
}

std::string economic_outcome(const std::string& primary_metric) {
  if (primary_metric == "adoption_rate") return "adopters";
  if (primary_metric == "prescriptions") return "prescriptions";
  return "trialists";
}

std::string_view outcome_unit(const std::string& outcome) noexcept {
  if (outcome == "adopters") return "adopter";
  if (outcome == "prescriptions") return "prescription";
  return "first prescriber";
}

std::string_view outcome_plural(const std::string& outcome) noexcept {
  if (outcome == "adopters") return "adopters";
  if (outcome == "prescriptions") return "prescriptions";
  return "first prescribers";
}

EconomicEvaluation evaluate_economics(const Scenario& scenario, const ExperimentResult& result,
                                      std::size_t control) {
  EconomicEvaluation e;
  e.valued = scenario.economics.valued();
  e.outcome = economic_outcome(scenario.primary_metric);
  const PerReplication runs = per_replication(scenario, result, e);
  for (std::size_t a = 0; a < runs.cost.size(); ++a) e.arms.push_back(arm_economics(runs, a));
  for (std::size_t a = 0; a < runs.cost.size(); ++a) {
    if (a != control) e.incremental.push_back(increment(runs, a, control));
  }
  std::vector<FrontierInput> plane;
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    plane.push_back({scenario.arms[a].name, e.arms[a].cost.mean, e.arms[a].outcome.mean});
  }
  e.frontier = efficiency_frontier(plane);
  check_budget(scenario, e);
  if (e.valued && !e.arms.empty()) {
    e.best = highest_nmb(e, control, true);
    if (e.best == kNoArm) e.best = highest_nmb(e, control, false);
  }
  return e;
}

std::string icer_words(const Scenario& scenario, const EconomicEvaluation& e,
                       const IncrementalEconomics& inc) {
  const std::string unit(outcome_unit(e.outcome));
  const std::string& currency = scenario.currency;
  const bool more = inc.outcome.mean > 0.0;
  const bool dearer = inc.cost.mean > 0.0;
  // A change in outcome whose 95% interval includes zero is not called
  // better or worse, and is not priced.
  if (inc.outcome.lower <= 0.0 && inc.outcome.upper >= 0.0) {
    return fmt::format("{}, no clear change in {}", dearer ? "dearer" : "cheaper",
                       outcome_plural(e.outcome));
  }
  if (more && !dearer) return "cheaper and better (dominant)";
  if (!more && dearer) return "dearer and worse (dominated)";
  if (!more) {
    return fmt::format("saves {} {} per {} lost", money(inc.icer.estimate), currency, unit);
  }
  std::string words = fmt::format("{} {} per extra {}", money(inc.icer.estimate), currency, unit);
  if (const auto lambda = primary_value_only(scenario.economics, e.outcome)) {
    words += fmt::format(", {} the {} {} a {} is worth",
                         inc.icer.estimate <= *lambda ? "below" : "above", money(*lambda), currency,
                         unit);
  }
  return words;
}

std::string economic_recommendation(const Scenario& scenario, const EconomicEvaluation& e,
                                    std::size_t control, const MeanInterval& primary_difference) {
  const std::string& control_name = scenario.arms[control].name;
  if (e.best == kNoArm || e.best == control) {
    std::string text =
        fmt::format("keep {}: no arm{} adds more value than it costs over it", control_name,
                    scenario.economics.budget ? " within the budget" : "");
    if (const IncrementalEconomics* next = runner_up(e)) {
      text += fmt::format("; the next best, {}, has a net monetary benefit of {} against it",
                          scenario.arms[next->arm].name, nmb_words(scenario, next->nmb));
    }
    return text + budget_words(scenario, e, control);
  }
  const IncrementalEconomics& inc = *increment_of(e, e.best);
  std::string text = fmt::format("launch {}: {} {} against {}, {}; net monetary benefit {}",
                                 scenario.arms[e.best].name,
                                 primary_words(scenario.primary_metric, primary_difference.mean),
                                 cost_change_words(inc.cost.mean, scenario.currency), control_name,
                                 icer_words(scenario, e, inc), nmb_words(scenario, inc.nmb));
  if (inc.nmb.lower <= 0.0) {
    text += "; the interval includes zero, so more replications would firm this up";
  }
  return text + budget_words(scenario, e, control);
}

std::string frontier_sentence(const Scenario& scenario, const EconomicEvaluation& e) {
  std::vector<std::size_t> frontier;
  for (std::size_t a = 0; a < e.frontier.size(); ++a) {
    if (e.frontier[a].status == FrontierStatus::frontier) frontier.push_back(a);
  }
  std::sort(frontier.begin(), frontier.end(), [&](std::size_t a, std::size_t b) {
    return e.arms[a].cost.mean < e.arms[b].cost.mean;
  });
  std::string names;
  for (std::size_t k = 0; k < frontier.size(); ++k) {
    if (k > 0) names += k + 1 == frontier.size() ? " and " : ", ";
    names += scenario.arms[frontier[k]].name;
  }
  return fmt::format(
      "cost was not weighed (the scenario's economics block gives no value per outcome); the "
      "cheapest arms that are not beaten on both cost and {} {} {}",
      outcome_plural(e.outcome), frontier.size() == 1 ? "is" : "are", names);
}

std::string frontier_words(const Scenario& scenario, const EconomicEvaluation& e, std::size_t arm) {
  const FrontierEntry& entry = e.frontier[arm];
  switch (entry.status) {
    case FrontierStatus::frontier:
      return "on the efficiency frontier";
    case FrontierStatus::strongly_dominated:
      // Plain words per docs/economics.md; equal costs (a tie) read "costs as much".
      return fmt::format("{} and does no better than {} (strongly dominated)",
                         e.arms[arm].cost.mean > e.arms[entry.dominated_by].cost.mean
                             ? "costs more"
                             : "costs as much",
                         scenario.arms[entry.dominated_by].name);
    case FrontierStatus::extendedly_dominated:
      return fmt::format("a mix of {} and {} does better for the money (extendedly dominated)",
                         scenario.arms[entry.mix_lower].name, scenario.arms[entry.mix_upper].name);
  }
  return "?";
}

std::string cost_change_words(double delta, const std::string& currency) {
  const std::string amount = money(delta);
  if (amount == "0") return "at no extra cost";
  if (delta > 0.0) return fmt::format("for +{} {}", amount, currency);
  return fmt::format("while saving {} {}", money(-delta), currency);
}

std::string signed_money(double amount) {
  const std::string text = money(amount);
  return amount > 0.0 && text != "0" ? "+" + text : text;
}

std::string money(double amount) {
  if (!std::isfinite(amount)) return "n/a";
  const double rounded = std::round(std::abs(amount));
  const std::string digits = fmt::format("{:.0f}", rounded);
  std::string text = amount < 0.0 && rounded > 0.0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

}  // namespace journeysim::sim
