#include "reports/evaluation_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "reports/csv_text.hpp"
#include "reports/economics_outputs.hpp"
#include "reports/run_outputs.hpp"

namespace journeysim::reports {
namespace {

void preamble(std::ostream& out, std::string_view kind, const sim::Scenario& scenario,
              const sim::ExperimentResult& result) {
  fmt::print(out,
             "# journeysim {} schema={} scenario={} hash={} seed={} replications={} control={}\n",
             kind, kRunOutputSchema, scenario.name, scenario.content_hash, result.seed,
             result.replications, scenario.control_arm);
}

// A number for CSV: empty when not finite (for example a ratio that is not estimable).
std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.6g}", value) : std::string();
}

std::string interval(const sim::MeanInterval& m) {
  return fmt::format("{},{},{}", number(m.mean), number(m.lower), number(m.upper));
}

const sim::Comparison* find(const sim::Evaluation& evaluation, std::size_t arm,
                            const std::string& metric) {
  for (const sim::Comparison& c : evaluation.comparisons) {
    if (c.arm == arm && c.metric == metric) return &c;
  }
  return nullptr;
}

// Cost per extra adopter in words: a negative ratio means the arm either
// dominates (cheaper, more adopters) or is dominated (dearer, fewer); plain
// words first, the technical term in brackets (docs/economics.md).
std::string cost_text(const sim::Comparison* c, const sim::RatioInterval& cost,
                      const sim::Comparison* adoption) {
  if (c == nullptr) return "";
  if (!cost.estimable || adoption == nullptr) return "n/a (no clear extra)";
  // The ratio's sign alone is ambiguous: read it with the adopters' direction.
  const bool more_adopters = adoption->difference.mean > 0.0;
  const bool cheaper = (cost.estimate < 0.0) == more_adopters;
  if (more_adopters && cheaper) return "cheaper and better (dominant)";
  if (!more_adopters && !cheaper) return "dearer and worse (dominated)";
  if (!more_adopters) return fmt::format("saves {:.0f} per adopter lost", cost.estimate);
  return fmt::format("{:.0f} [{:.0f}, {:.0f}]", cost.estimate, cost.lower, cost.upper);
}

nlohmann::json interval_json(const sim::MeanInterval& m) {
  return {{"mean", m.mean}, {"ci95_lower", m.lower}, {"ci95_upper", m.upper}};
}

nlohmann::json ratio_json(const sim::RatioInterval& r) {
  if (!r.estimable) return nullptr;
  return {{"estimate", r.estimate}, {"ci95_lower", r.lower}, {"ci95_upper", r.upper}};
}

}  // namespace

void write_comparisons_csv(std::ostream& out, const sim::Scenario& scenario,
                           const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  preamble(out, "comparisons", scenario, result);
  out << "arm,control,metric,arm_mean,arm_ci95_lower,arm_ci95_upper,control_mean,"
         "control_ci95_lower,control_ci95_upper,difference,difference_ci95_lower,"
         "difference_ci95_upper,relative_lift,relative_lift_ci95_lower,relative_lift_ci95_upper,"
         "p_value,p_holm,variance_reduction,replications\n";
  for (const sim::Comparison& c : evaluation.comparisons) {
    const bool lift = c.relative_lift.estimable;
    fmt::print(out, "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
               csv_field(scenario.arms[c.arm].name), csv_field(scenario.control_arm), c.metric,
               interval(c.arm_value), interval(c.control_value), interval(c.difference),
               lift ? number(c.relative_lift.estimate) : "",
               lift ? number(c.relative_lift.lower) : "", lift ? number(c.relative_lift.upper) : "",
               number(c.p_value), number(c.p_holm), number(c.variance_reduction), c.difference.n);
  }
}

void write_segments_csv(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  preamble(out, "segments", scenario, result);
  out << "dimension,segment,arm,metric,mean_hcps,arm_mean,arm_ci95_lower,arm_ci95_upper,"
         "control_mean,control_ci95_lower,control_ci95_upper,uplift,uplift_ci95_lower,"
         "uplift_ci95_upper,replications\n";
  for (const sim::SegmentUplift& u : evaluation.segments) {
    fmt::print(out, "{},{},{},{},{:.1f},{},{},{},{}\n", sim::dimension_name(u.dimension),
               csv_field(u.value), csv_field(scenario.arms[u.arm].name), evaluation.primary_metric,
               u.mean_hcps, interval(u.arm_value), interval(u.control_value),
               interval(u.difference), u.difference.n);
  }
}

void write_friction_csv(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  preamble(out, "friction", scenario, result);
  out << "arm,stage,held_by,share,share_ci95_lower,share_ci95_upper,change_vs_control,"
         "change_ci95_lower,change_ci95_upper\n";
  for (const sim::FrictionCell& cell : evaluation.friction) {
    fmt::print(out, "{},{},{},{},{}\n", csv_field(scenario.arms[cell.arm].name),
               agents::stage_name(cell.stage), cell.holder, interval(cell.share),
               interval(cell.change));
  }
}

void write_km_csv(std::ostream& out, const sim::Scenario& scenario,
                  const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  preamble(out, "km", scenario, result);
  out << "arm,day,at_risk_start,survival,cumulative_first_prescription\n";
  std::string line;
  for (const sim::KaplanMeier& km : evaluation.km) {
    const std::string arm = csv_field(scenario.arms[km.arm].name);
    line.clear();
    for (std::size_t d = 0; d < km.survival.size(); ++d) {
      fmt::format_to(std::back_inserter(line), "{},{},{},{:.6f},{:.6f}\n", arm, d, km.at_risk,
                     km.survival[d], 1.0 - km.survival[d]);
    }
    out << line;
  }
}

nlohmann::json evaluation_json(const sim::Scenario& scenario, const sim::Evaluation& evaluation) {
  nlohmann::json json;
  json["primary_metric"] = evaluation.primary_metric;
  json["control_arm"] = scenario.arms[evaluation.control].name;
  json["recommended_arm"] = scenario.arms[evaluation.recommended].name;
  json["recommendation"] = evaluation.recommendation;
  if (evaluation.live_test_size) {
    json["live_test"] = {{"arm", scenario.arms[evaluation.live_test_arm].name},
                         {"hcps_per_arm", evaluation.live_test_size->control},
                         {"alpha", 0.05},
                         {"power", 0.8},
                         {"reference", "R power.prop.test (pooled normal approximation)"}};
  }
  nlohmann::json arms = nlohmann::json::array();
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    nlohmann::json arm{
        {"name", scenario.arms[a].name},
        {"probability_best", evaluation.probability_best[a]},
        {"cost_per_incremental_adopter", ratio_json(evaluation.cost_per_incremental_adopter[a])},
        {"median_days_to_first_prescription", evaluation.km[a].median_day < 0
                                                  ? nlohmann::json(nullptr)
                                                  : nlohmann::json(evaluation.km[a].median_day)}};
    nlohmann::json comparisons;
    for (const sim::Comparison& c : evaluation.comparisons) {
      if (c.arm != a) continue;
      comparisons[c.metric] = {{"difference", interval_json(c.difference)},
                               {"relative_lift", ratio_json(c.relative_lift)},
                               {"p_value", c.p_value},
                               {"p_holm", c.p_holm},
                               {"variance_reduction", c.variance_reduction}};
    }
    if (!comparisons.is_null()) arm["against_control"] = comparisons;
    arms.push_back(arm);
  }
  json["arms"] = arms;
  json["economics"] = economics_json(scenario, evaluation);
  return json;
}

void print_decision_table(std::ostream& out, const sim::Scenario& scenario,
                          const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  std::vector<std::size_t> order(scenario.arms.size());
  std::iota(order.begin(), order.end(), 0);
  const auto primary = [&](std::size_t arm) {
    for (const sim::ArmMetric& m : result.metrics[arm]) {
      if (m.name == evaluation.primary_metric) return m.summary;
    }
    return sim::MeanInterval{};
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return primary(a).mean > primary(b).mean; });
  fmt::print(out, "\nDecision on {} ({} replications, paired with common random numbers)\n",
             evaluation.primary_metric, result.replications);
  fmt::print(out, "{:<4}{:<24} {:>12} {:>28} {:>8} {:>8} {:>30}\n", "", "arm", "value",
             "uplift vs control (95% CI)", "p Holm", "P(best)",
             fmt::format("{} / extra adopter", scenario.currency));
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::size_t a = order[rank];
    const sim::Comparison* c = find(evaluation, a, evaluation.primary_metric);
    const sim::RatioInterval& cost = evaluation.cost_per_incremental_adopter[a];
    const std::string uplift = c == nullptr
                                   ? std::string("(control)")
                                   : fmt::format("{:+.4f} [{:+.4f}, {:+.4f}]", c->difference.mean,
                                                 c->difference.lower, c->difference.upper);
    fmt::print(out, "{:<4}{:<24} {:>12.4f} {:>28} {:>8} {:>7.0f}% {:>30}\n", rank + 1,
               scenario.arms[a].name, primary(a).mean, uplift,
               c == nullptr ? std::string("") : fmt::format("{:.3g}", c->p_holm),
               100.0 * evaluation.probability_best[a],
               cost_text(c, cost, find(evaluation, a, "adoption_rate")));
  }
  print_economics(out, scenario, evaluation);
  fmt::print(out, "\nRecommendation: {}.\n", evaluation.recommendation);
  if (evaluation.live_test_size) {
    fmt::print(out,
               "Live test: to confirm {} against {} on {} ({:.4f} vs {:.4f} over {} days) needs "
               "{} {} per arm (two-sided alpha 0.05, power 0.8, R power.prop.test); "
               "`journeysim size` and `journeysim plan` refine this.\n",
               scenario.arms[evaluation.live_test_arm].name, scenario.arms[evaluation.control].name,
               evaluation.primary_metric, primary(evaluation.live_test_arm).mean,
               primary(evaluation.control).mean, scenario.horizon_days,
               evaluation.live_test_size->control, sim::sample_unit(evaluation.primary_metric));
  } else if (evaluation.primary_metric != "prescriptions") {
    fmt::print(out,
               "Live test: no feasible size: the arms' simulated rates are equal or too close.\n");
  }
}

}  // namespace journeysim::reports
