#include "sim/evaluation.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "agents/input_error.hpp"
#include "sim/selection.hpp"

namespace journeysim::sim {
namespace {

constexpr std::uint64_t kBootstrapSeed = 0x6a6f75726e657973ULL;  // Fixed: results are reproducible.
constexpr std::uint32_t kBootstrapResamples = 4000;

const std::vector<std::string> kCompared = {"trial_rate",      "adoption_rate",   "prescriptions",
                                            "touches_per_hcp", "engagement_rate", "opt_out_rate",
                                            "total_cost"};

std::size_t arm_index(const Scenario& scenario, const std::string& name) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == name) return a;
  }
  throw agents::InputError({scenario.manifest.string(), 0, "control_arm"},
                           fmt::format("no arm is named '{}'", name));
}

const std::vector<double>& metric_values(const ExperimentResult& result, std::size_t arm,
                                         const std::string& metric) {
  for (const ArmMetric& m : result.metrics[arm]) {
    if (m.name == metric) return m.values;
  }
  throw std::logic_error("no metric " + metric);
}

// Two-sided p-value of the paired t-test (Student 1908): t = mean / (sd / sqrt(n)).
double paired_p_value(const MeanInterval& d) {
  if (d.n < 2) return 1.0;
  if (d.sd == 0.0) return d.mean == 0.0 ? 1.0 : 0.0;
  const double t = d.mean / (d.sd / std::sqrt(static_cast<double>(d.n)));
  const boost::math::students_t dist(static_cast<double>(d.n - 1));
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::abs(t)));
}

Comparison compare(const ExperimentResult& result, std::size_t arm, std::size_t control,
                   const std::string& metric) {
  Comparison c;
  c.arm = arm;
  c.metric = metric;
  const auto& x = metric_values(result, arm, metric);
  const auto& y = metric_values(result, control, metric);
  c.arm_value = mean_interval(x);
  c.control_value = mean_interval(y);
  c.difference = mean_interval(differences(x, y));
  c.relative_lift = ratio_of_means(x, y);
  c.relative_lift.estimate -= 1.0;
  c.relative_lift.lower -= 1.0;
  c.relative_lift.upper -= 1.0;
  c.p_value = paired_p_value(c.difference);
  const double unpaired = c.arm_value.sd * c.arm_value.sd + c.control_value.sd * c.control_value.sd;
  c.variance_reduction = unpaired > 0.0 ? 1.0 - c.difference.sd * c.difference.sd / unpaired : 0.0;
  return c;
}

void add_holm(std::vector<Comparison>& comparisons) {
  for (const std::string& metric : kCompared) {
    std::vector<double> p;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
      if (comparisons[i].metric != metric) continue;
      p.push_back(comparisons[i].p_value);
      which.push_back(i);
    }
    const std::vector<double> adjusted = holm_adjust(p);
    for (std::size_t k = 0; k < which.size(); ++k) comparisons[which[k]].p_holm = adjusted[k];
  }
}

// The primary metric's value for one segment of one run.
// NaN when the segment has nobody the metric is defined for.
double segment_value(const SegmentTally& tally, const std::string& metric) {
  constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  if (tally.hcps == 0) return kUndefined;
  const double n = tally.hcps;
  if (metric == "adoption_rate") return tally.adopters / n;
  if (metric == "prescriptions") return tally.prescriptions / n;
  // Trial rate: among the segment's HCPs at risk of a first prescription.
  return tally.at_risk == 0 ? kUndefined : static_cast<double>(tally.trialists) / tally.at_risk;
}

std::string segment_label(const Scenario& scenario, SegmentDimension dimension, std::size_t value) {
  switch (dimension) {
    case SegmentDimension::dominant_barrier:
      return std::string(agents::barrier_name(static_cast<agents::Barrier>(value)));
    case SegmentDimension::specialty:
      return scenario.population.specialties[value];
    case SegmentDimension::entry_stage:
      return std::string(agents::stage_name(static_cast<agents::Stage>(value)));
    case SegmentDimension::opinion_leader:
      return value == 1 ? "yes" : "no";
  }
  return "?";
}

std::vector<SegmentUplift> segment_uplifts(const Scenario& scenario, const ExperimentResult& result,
                                           std::size_t control, const std::string& metric) {
  std::vector<SegmentUplift> uplifts;
  for (std::size_t d = 0; d < kSegmentDimensions; ++d) {
    const std::size_t values = result.runs[control].front().segments[d].size();
    for (std::size_t v = 0; v < values; ++v) {
      for (std::size_t arm = 0; arm < scenario.arms.size(); ++arm) {
        if (arm == control) continue;
        std::vector<double> x, y;
        double hcps = 0.0;
        for (std::uint32_t r = 0; r < result.replications; ++r) {
          const SegmentTally& a = result.runs[arm][r].segments[d][v];
          const SegmentTally& c = result.runs[control][r].segments[d][v];
          hcps += a.hcps;
          const double arm_value = segment_value(a, metric);
          const double control_value = segment_value(c, metric);
          // Empty in this replication, or nobody at risk (an entry stage of trialing).
          if (!std::isfinite(arm_value) || !std::isfinite(control_value)) continue;
          x.push_back(arm_value);
          y.push_back(control_value);
        }
        if (x.empty()) continue;
        SegmentUplift u;
        u.dimension = static_cast<SegmentDimension>(d);
        u.value = segment_label(scenario, u.dimension, v);
        u.arm = arm;
        u.mean_hcps = hcps / result.replications;
        u.arm_value = mean_interval(x);
        u.control_value = mean_interval(y);
        u.difference = mean_interval(differences(x, y));
        uplifts.push_back(std::move(u));
      }
    }
  }
  return uplifts;
}

std::vector<FrictionCell> friction_map(const ExperimentResult& result, std::size_t arms,
                                       std::size_t control) {
  std::vector<FrictionCell> cells;
  const std::size_t holders = agents::kBarrierCount + 1;
  for (std::size_t arm = 0; arm < arms; ++arm) {
    for (int stage = 0; stage < static_cast<int>(agents::Stage::adopted); ++stage) {
      for (std::size_t h = 0; h < holders; ++h) {
        std::vector<double> x, y;
        for (std::uint32_t r = 0; r < result.replications; ++r) {
          const double n = result.population_sizes[r];
          x.push_back(result.runs[arm][r].friction[stage * holders + h] / n);
          y.push_back(result.runs[control][r].friction[stage * holders + h] / n);
        }
        FrictionCell cell;
        cell.arm = arm;
        cell.stage = static_cast<agents::Stage>(stage);
        cell.holder = h == 0
                          ? "none"
                          : std::string(agents::barrier_name(static_cast<agents::Barrier>(h - 1)));
        cell.share = mean_interval(x);
        cell.change = mean_interval(differences(x, y));
        cells.push_back(std::move(cell));
      }
    }
  }
  return cells;
}

// Kaplan & Meier (1958) product-limit estimate, S(t) = prod_{u <= t} (1 - d_u / n_u),
// pooling the at-risk HCPs of all replications. Every HCP who has not
// prescribed is censored at the horizon, so S(t) equals one minus the
// cumulative share of first prescriptions; it is still reported as KM so that
// censoring before the horizon (a later feature) keeps the same meaning.
KaplanMeier kaplan_meier(const ExperimentResult& result, std::size_t arm) {
  KaplanMeier km;
  km.arm = arm;
  const std::size_t days = result.runs[arm].front().first_prescriptions_by_day.size();
  std::vector<std::uint64_t> events(days, 0);
  for (const RunResult& run : result.runs[arm]) {
    km.at_risk += run.at_risk;
    for (std::size_t d = 0; d < days; ++d) events[d] += run.first_prescriptions_by_day[d];
  }
  km.survival.assign(days, 1.0);
  double survival = 1.0;
  std::uint64_t at_risk = km.at_risk;
  for (std::size_t d = 0; d < days; ++d) {
    if (at_risk > 0)
      survival *= 1.0 - static_cast<double>(events[d]) / static_cast<double>(at_risk);
    at_risk -= events[d];
    km.survival[d] = survival;
    if (km.median_day < 0 && survival <= 0.5) km.median_day = static_cast<std::int32_t>(d);
  }
  return km;
}

// Incremental cost per incremental adopter against control, from paired
// replication differences: mean(Δcost) / mean(Δadopters), delta method.
RatioInterval cost_per_incremental_adopter(const ExperimentResult& result, std::size_t arm,
                                           std::size_t control) {
  const auto cost = differences(metric_values(result, arm, "total_cost"),
                                metric_values(result, control, "total_cost"));
  const auto adopters = differences(metric_values(result, arm, "adopters"),
                                    metric_values(result, control, "adopters"));
  return ratio_of_means(cost, adopters);
}

void recommend(const Scenario& scenario, Evaluation& evaluation) {
  std::size_t best = evaluation.control;
  for (std::size_t a = 0; a < evaluation.probability_best.size(); ++a) {
    if (evaluation.probability_best[a] > evaluation.probability_best[best]) best = a;
  }
  const Comparison* against = nullptr;
  for (const Comparison& c : evaluation.comparisons) {
    if (c.arm == best && c.metric == evaluation.primary_metric) against = &c;
  }
  const std::string& control = scenario.arms[evaluation.control].name;
  if (against != nullptr && against->difference.lower > 0.0 && against->p_holm < 0.05) {
    evaluation.recommended = best;
    evaluation.recommendation = fmt::format(
        "launch {}: it beats {} on {} by {:.4g} (95% CI {:.4g} to {:.4g}, Holm-adjusted p = "
        "{:.3g}) "
        "and is the best arm in {:.0f}% of bootstrap resamples",
        scenario.arms[best].name, control, evaluation.primary_metric, against->difference.mean,
        against->difference.lower, against->difference.upper, against->p_holm,
        100.0 * evaluation.probability_best[best]);
  } else {
    evaluation.recommended = evaluation.control;
    evaluation.recommendation = fmt::format(
        "keep {}: no arm beats it on {} with a 95% interval above zero after Holm adjustment; "
        "run more replications or test a bolder design",
        control, evaluation.primary_metric);
  }
}

// Weighs money (docs/economics.md): with values, the arm with the highest
// expected net monetary benefit within the budget replaces the recommendation;
// without, the recommendation says cost was not weighed and names the frontier.
void weigh_money(const Scenario& scenario, const ExperimentResult& result, Evaluation& evaluation) {
  evaluation.economics = evaluate_economics(scenario, result, evaluation.control);
  const EconomicEvaluation& e = evaluation.economics;
  if (e.valued && e.best != kNoArm) {
    MeanInterval primary;
    for (const Comparison& c : evaluation.comparisons) {
      if (c.arm == e.best && c.metric == evaluation.primary_metric) primary = c.difference;
    }
    evaluation.recommended = e.best;
    evaluation.recommendation = economic_recommendation(scenario, e, evaluation.control, primary);
    return;
  }
  evaluation.recommendation += "; " + frontier_sentence(scenario, e);
  const auto& budget = scenario.economics.budget;
  const ArmEconomics& chosen = e.arms[evaluation.recommended];
  if (budget && chosen.over_budget) {
    evaluation.recommendation += fmt::format(
        "; {} costs {} {}, above the budget of {} {}", scenario.arms[evaluation.recommended].name,
        money(chosen.cost.mean), scenario.currency, money(*budget), scenario.currency);
  }
}

// Sizes the live test that would confirm the most likely best non-control
// arm: its simulated rate against the control's (two-sided alpha 0.05, power 0.8).
void size_live_test(const ExperimentResult& result, Evaluation& evaluation) {
  if (evaluation.primary_metric == "prescriptions") return;  // Not a proportion.
  std::size_t best = evaluation.control;
  for (std::size_t a = 0; a < evaluation.probability_best.size(); ++a) {
    if (a == evaluation.control) continue;
    // Ties in P(best) (say, all at 0) go to the larger simulated rate.
    const auto rank = [&](std::size_t arm) {
      return std::make_pair(
          evaluation.probability_best[arm],
          mean_interval(metric_values(result, arm, evaluation.primary_metric)).mean);
    };
    if (best == evaluation.control || rank(a) > rank(best)) best = a;
  }
  if (best == evaluation.control) return;
  const double p0 =
      mean_interval(metric_values(result, evaluation.control, evaluation.primary_metric)).mean;
  const double p1 = mean_interval(metric_values(result, best, evaluation.primary_metric)).mean;
  evaluation.live_test_arm = best;
  try {
    evaluation.live_test_size = two_proportion_sample_size(
        PowerReference::pooled_normal, ProportionTestDesign{p0, 0.05, 1.0}, p1, 0.8);
  } catch (const agents::InputError&) {
    evaluation.live_test_size.reset();  // Equal rates or beyond any feasible size.
  }
}

}  // namespace

const std::vector<std::string>& compared_metrics() { return kCompared; }

bool defined_in_every_run(const ExperimentResult& result, const std::string& metric) {
  for (std::size_t arm = 0; arm < result.metrics.size(); ++arm) {
    for (const double value : metric_values(result, arm, metric)) {
      if (!std::isfinite(value)) return false;
    }
  }
  return true;
}

std::string_view sample_unit(const std::string& metric) noexcept {
  return metric == "trial_rate" ? "HCPs not yet prescribing" : "HCPs";
}

std::string undefined_reason(const std::string& metric) {
  if (metric == "trial_rate") {
    return "no HCP started below trialing, so no HCP was at risk of a first prescription "
           "(docs/outputs.md, Outcome metrics)";
  }
  if (metric == "cost_per_trialist") return "no HCP made a first prescription";
  return "its denominator was empty";
}

std::string_view dimension_name(SegmentDimension dimension) noexcept {
  switch (dimension) {
    case SegmentDimension::dominant_barrier:
      return "dominant_barrier";
    case SegmentDimension::specialty:
      return "specialty";
    case SegmentDimension::entry_stage:
      return "entry_stage";
    case SegmentDimension::opinion_leader:
      return "opinion_leader";
  }
  return "?";
}

Evaluation evaluate(const Scenario& scenario, const ExperimentResult& result) {
  if (result.replications < 2) {
    throw agents::InputError({"<command line>", 0, "--replications"},
                             "an interval needs at least 2 replications");
  }
  Evaluation evaluation;
  evaluation.primary_metric = scenario.primary_metric;
  evaluation.control = arm_index(scenario, scenario.control_arm);
  const std::size_t arms = scenario.arms.size();
  std::vector<std::string> compared;
  for (const std::string& metric : kCompared) {
    if (defined_in_every_run(result, metric)) {
      compared.push_back(metric);
    } else {
      evaluation.undefined_metrics.push_back(metric);
    }
  }
  if (!defined_in_every_run(result, scenario.primary_metric)) {
    throw agents::InputError(
        {scenario.manifest.string(), 0, "primary_metric"},
        fmt::format("{} is not defined in every replication: {}", scenario.primary_metric,
                    undefined_reason(scenario.primary_metric)));
  }
  for (std::size_t arm = 0; arm < arms; ++arm) {
    if (arm == evaluation.control) continue;
    for (const std::string& metric : compared) {
      evaluation.comparisons.push_back(compare(result, arm, evaluation.control, metric));
    }
  }
  add_holm(evaluation.comparisons);
  std::vector<std::vector<double>> primary;
  for (std::size_t arm = 0; arm < arms; ++arm) {
    primary.push_back(metric_values(result, arm, scenario.primary_metric));
  }
  evaluation.probability_best = probability_best(primary, kBootstrapSeed, kBootstrapResamples);
  evaluation.cost_per_incremental_adopter.resize(arms);
  for (std::size_t arm = 0; arm < arms; ++arm) {
    if (arm != evaluation.control) {
      evaluation.cost_per_incremental_adopter[arm] =
          cost_per_incremental_adopter(result, arm, evaluation.control);
    }
    evaluation.km.push_back(kaplan_meier(result, arm));
  }
  evaluation.segments =
      segment_uplifts(scenario, result, evaluation.control, scenario.primary_metric);
  evaluation.friction = friction_map(result, arms, evaluation.control);
  recommend(scenario, evaluation);
  weigh_money(scenario, result, evaluation);
  size_live_test(result, evaluation);
  return evaluation;
}

}  // namespace journeysim::sim
