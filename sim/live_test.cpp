#include "sim/live_test.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "agents/input_error.hpp"
#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "agents/random_stream.hpp"
#include "sim/engine.hpp"

namespace journeysim::sim {
namespace {

constexpr std::uint8_t kControl = 0;
constexpr std::uint8_t kTreatment = 1;

enum class Metric { trial_rate, adoption_rate, prescriptions };

Metric metric_of(const std::string& name) {
  if (name == "adoption_rate") return Metric::adoption_rate;
  if (name == "prescriptions") return Metric::prescriptions;
  return Metric::trial_rate;  // The scenario loader accepts only these three.
}

// One HCP's value of the metric, or nullopt when the HCP does not count. For
// trial_rate only HCPs at risk count: those who start below trialing (an HCP
// who starts at trialing or beyond cannot make a first prescription), the
// denominator RunResult::at_risk counts; the HCP's start stage is checked
// here whatever the engine records in first_prescription_day for the others.
std::optional<double> hcp_value(Metric metric, const HcpOutcome& hcp) {
  switch (metric) {
    case Metric::trial_rate:
      if (hcp.start_stage >= agents::Stage::trialing) return std::nullopt;
      return hcp.first_prescription_day >= 0 ? 1.0 : 0.0;
    case Metric::adoption_rate:
      return hcp.final_stage >= agents::Stage::adopted ? 1.0 : 0.0;
    case Metric::prescriptions:
      return static_cast<double>(hcp.prescriptions);
  }
  return std::nullopt;
}

// Mean of the metric over the HCPs who count (0 if none does).
double run_level(Metric metric, const RunResult& run) {
  double sum = 0.0, n = 0.0;
  for (const HcpOutcome& hcp : run.hcps) {
    if (const auto v = hcp_value(metric, hcp)) {
      sum += *v;
      n += 1.0;
    }
  }
  return n > 0.0 ? sum / n : 0.0;
}

std::size_t find_arm(const Scenario& scenario, const std::string& name, const char* option) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == name) return a;
  }
  throw agents::InputError({"<command line>", 0, option},
                           fmt::format("no arm is named '{}'", name));
}

// The attribute clusters are formed by; check_field has vetted the name.
std::vector<std::uint32_t> cluster_ids(const agents::Population& population,
                                       const std::string& field) {
  std::vector<std::uint32_t> ids(population.size);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    if (field == "practice")
      ids[hcp] = population.practice[hcp];
    else if (field == "region")
      ids[hcp] = population.region[hcp];
    else if (field == "specialty")
      ids[hcp] = population.specialty[hcp];
    else if (field == "practice_setting")
      ids[hcp] = population.practice_setting[hcp];
    else
      ids[hcp] = population.career_stage[hcp];
  }
  return ids;
}

void check_field(const std::string& field) {
  for (const char* known :
       {"practice", "region", "specialty", "practice_setting", "career_stage"}) {
    if (field == known) return;
  }
  throw agents::InputError(
      {"<command line>", 0, "--randomize"},
      fmt::format("cluster:{} names no HCP attribute; expected practice, region, specialty, "
                  "practice_setting or career_stage",
                  field));
}

// One arm with both arms' journeys; journey_group says whose each one is.
struct MixedArm {
  Scenario scenario;
  std::vector<std::uint8_t> journey_group;
};

MixedArm mix(const Scenario& base, std::size_t control, std::size_t treatment) {
  MixedArm mixed{base, {}};
  Arm arm{"live_test", "", {}};
  for (const Journey& j : base.arms[control].journeys) {
    arm.journeys.push_back(j);
    mixed.journey_group.push_back(kControl);
  }
  for (const Journey& j : base.arms[treatment].journeys) {
    arm.journeys.push_back(j);
    mixed.journey_group.push_back(kTreatment);
  }
  mixed.scenario.arms = {arm};
  return mixed;
}

// One analysis of one simulated test.
struct Outcome {
  double estimate = 0.0;  // Treatment minus control, HCP-level means.
  bool rejected = false;  // Two-sided test significant at alpha.
  double sign = 0.0;      // Sign of the test statistic (+1, -1, 0).
  double units = 0.0;     // Randomisation units.
};

// Sums of the metric by arm over the HCPs who count.
struct ArmSums {
  std::array<double, 2> n{}, sum{}, squares{};
  void add(std::uint8_t group, double value) {
    n[group] += 1.0;
    sum[group] += value;
    squares[group] += value * value;
  }
  double mean(std::uint8_t group) const { return sum[group] / n[group]; }
  // Sample variance, n - 1 in the denominator.
  double variance(std::uint8_t group) const {
    return (squares[group] - n[group] * mean(group) * mean(group)) / (n[group] - 1.0);
  }
};

// Welch's t-test (Welch 1947, Biometrika 34:28-35) of means ma, mb with
// squared standard errors va, vb; Satterthwaite degrees of freedom
// (Satterthwaite 1946). Fills rejected and sign of outcome.
void welch(double ma, double va, double na, double mb, double vb, double nb, double alpha,
           Outcome& outcome) {
  if (va + vb <= 0.0) {
    outcome.rejected = mb != ma;
    outcome.sign = mb > ma ? 1.0 : (mb < ma ? -1.0 : 0.0);
    return;
  }
  const double df = (va + vb) * (va + vb) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
  const double t = (mb - ma) / std::sqrt(va + vb);
  const double critical = boost::math::quantile(boost::math::students_t(df), 1.0 - alpha / 2.0);
  outcome.rejected = std::abs(t) > critical;
  outcome.sign = t > 0.0 ? 1.0 : (t < 0.0 ? -1.0 : 0.0);
}

// Individual randomisation. Rates: the two-proportion z-test with pooled
// variance (the test R's power.prop.test plans for; Fleiss, Levin & Paik 2003,
// Statistical Methods for Rates and Proportions, 3rd ed., section 4.2).
// Prescriptions, a count per HCP: Welch's t-test on the HCPs' values.
Outcome individual_test(Metric metric, const RunResult& run, const std::vector<std::uint8_t>& group,
                        double alpha) {
  ArmSums s;
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    if (const auto v = hcp_value(metric, run.hcps[hcp])) s.add(group[hcp], *v);
  }
  Outcome outcome;
  outcome.units = s.n[0] + s.n[1];
  if (s.n[0] < 2 || s.n[1] < 2) return outcome;
  outcome.estimate = s.mean(kTreatment) - s.mean(kControl);
  if (metric == Metric::prescriptions) {
    welch(s.mean(kControl), s.variance(kControl) / s.n[0], s.n[0], s.mean(kTreatment),
          s.variance(kTreatment) / s.n[1], s.n[1], alpha, outcome);
    return outcome;
  }
  const double pooled = (s.sum[0] + s.sum[1]) / (s.n[0] + s.n[1]);
  const double se = std::sqrt(pooled * (1.0 - pooled) * (1.0 / s.n[0] + 1.0 / s.n[1]));
  const double z = boost::math::quantile(boost::math::normal(), 1.0 - alpha / 2.0);
  outcome.rejected = se > 0.0 && std::abs(outcome.estimate) / se > z;
  outcome.sign = outcome.estimate > 0.0 ? 1.0 : (outcome.estimate < 0.0 ? -1.0 : 0.0);
  return outcome;
}

// Cluster-level analysis (Donner & Klar 2000, Design and Analysis of Cluster
// Randomization Trials, ch. 6): each cluster's mean of the metric over the
// HCPs who count is one observation; Welch's t-test between arms. The effect
// estimate is the difference of HCP-level means.
Outcome cluster_test(Metric metric, const RunResult& run, const std::vector<std::uint8_t>& group,
                     const std::vector<std::uint32_t>& cluster, double alpha) {
  struct Tally {
    double n = 0.0, sum = 0.0;
    std::uint8_t group = 0;
  };
  std::unordered_map<std::uint32_t, Tally> by_cluster;
  ArmSums s;
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    const auto v = hcp_value(metric, run.hcps[hcp]);
    if (!v) continue;
    Tally& c = by_cluster[cluster[hcp]];
    c.n += 1.0;
    c.sum += *v;
    c.group = group[hcp];
    s.add(group[hcp], *v);
  }
  Outcome outcome;
  outcome.units = static_cast<double>(by_cluster.size());
  if (s.n[0] == 0 || s.n[1] == 0) return outcome;
  outcome.estimate = s.mean(kTreatment) - s.mean(kControl);
  // Visit clusters in HCP order, so the sums do not depend on the hash map's order.
  ArmSums means;
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    auto it = by_cluster.find(cluster[hcp]);
    if (it == by_cluster.end()) continue;
    means.add(it->second.group, it->second.sum / it->second.n);
    by_cluster.erase(it);  // Each cluster once.
  }
  if (means.n[0] < 2 || means.n[1] < 2) return outcome;
  welch(means.mean(kControl), means.variance(kControl) / means.n[0], means.n[0],
        means.mean(kTreatment), means.variance(kTreatment) / means.n[1], means.n[1], alpha,
        outcome);
  return outcome;
}

struct TrialResult {
  double control_level = 0.0;
  double true_effect = 0.0;
  std::array<double, 3> expired{};  // All A, all B, individual test.
  Outcome individual;
  Outcome cluster;
  Outcome individual_null;  // A/A: the individual analysis of the all-A run.
  Outcome cluster_null;
};

// Each HCP (or each cluster, keyed by its id) to A or B with probability 1/2.
std::vector<std::uint8_t> assign(const std::vector<std::uint32_t>& unit, std::uint64_t seed,
                                 std::uint32_t trial, agents::Purpose purpose) {
  std::vector<std::uint8_t> group(unit.size());
  for (std::size_t hcp = 0; hcp < unit.size(); ++hcp) {
    const auto key = agents::stream_key(seed, trial, unit[hcp], purpose);
    group[hcp] = agents::keyed_uniform(key, 0, 0) < 0.5 ? kTreatment : kControl;
  }
  return group;
}

TrialResult simulate_trial(const Scenario& scenario, const MixedArm& mixed, std::size_t control,
                           std::size_t treatment, const LiveTestOptions& options, Metric metric,
                           std::uint32_t trial) {
  const agents::Population population = agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, options.seed, trial);
  const agents::PeerNetwork network =
      agents::build_network(scenario.network, population, options.seed, trial);
  TrialResult result;
  const RunResult all_control =
      run_arm(scenario, population, network, {control, trial, options.seed, true}, options.cancel);
  const RunResult all_treatment = run_arm(scenario, population, network,
                                          {treatment, trial, options.seed, true}, options.cancel);
  result.control_level = run_level(metric, all_control);
  result.expired[0] = static_cast<double>(all_control.suggestions_expired);
  result.expired[1] = static_cast<double>(all_treatment.suggestions_expired);
  result.true_effect = run_level(metric, all_treatment) - result.control_level;

  std::vector<std::uint32_t> hcp_ids(population.size);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) hcp_ids[hcp] = hcp;
  const std::vector<std::uint8_t> individual =
      assign(hcp_ids, options.seed, trial, agents::Purpose::assignment);
  const std::vector<std::uint32_t> cluster = cluster_ids(population, options.cluster_field);
  const std::vector<std::uint8_t> clustered =
      assign(cluster, options.seed, trial, agents::Purpose::cluster_assignment);

  RunPlan plan{0, trial, options.seed, true, &individual, &mixed.journey_group};
  const RunResult individual_run =
      run_arm(mixed.scenario, population, network, plan, options.cancel);
  result.individual = individual_test(metric, individual_run, individual, options.alpha);
  result.expired[2] = static_cast<double>(individual_run.suggestions_expired);
  plan.hcp_group = &clustered;
  result.cluster =
      cluster_test(metric, run_arm(mixed.scenario, population, network, plan, options.cancel),
                   clustered, cluster, options.alpha);
  // A/A: in the all-A run both halves of each assignment got arm A, so the
  // assignment is independent of the outcomes, as in a test of A against A.
  result.individual_null = individual_test(metric, all_control, individual, options.alpha);
  result.cluster_null = cluster_test(metric, all_control, clustered, cluster, options.alpha);
  return result;
}

McMean mc_mean(const std::vector<double>& values) {
  McMean m;
  m.interval = mean_interval(values);
  m.mcse = m.interval.n > 0 ? m.interval.sd / std::sqrt(static_cast<double>(m.interval.n)) : 0.0;
  return m;
}

McShare mc_share(std::size_t count, std::size_t trials) {
  McShare s;
  s.count = count;
  s.trials = trials;
  s.share = static_cast<double>(count) / static_cast<double>(trials);
  s.mcse = std::sqrt(s.share * (1.0 - s.share) / static_cast<double>(trials));
  return s;
}

// Power counts a test only if it is significant with the true effect's sign
// (the mean over the simulated tests; + when it is zero).
bool significant_with_truth(const Outcome& o, const McMean& true_effect) {
  const double direction = true_effect.interval.mean >= 0.0 ? 1.0 : -1.0;
  return o.rejected && o.sign == direction;
}

// Only an interval that excludes zero is a finding at all; its direction is
// read against the true effect's sign (BiasFinding).
BiasFinding judge(const McMean& bias, const McMean& true_effect, bool effect_clear) {
  if (bias.interval.lower <= 0.0 && bias.interval.upper >= 0.0) return BiasFinding::none_detected;
  if (!effect_clear) return BiasFinding::no_direction;
  const double tau = true_effect.interval.mean, b = bias.interval.mean;
  if ((b > 0.0) == (tau > 0.0)) return BiasFinding::away_from_zero;
  return std::abs(b) <= std::abs(tau) ? BiasFinding::toward_zero : BiasFinding::past_zero;
}

DesignPerformance summarize(const std::vector<TrialResult>& trials, bool cluster,
                            const std::string& name, const McMean& true_effect, bool effect_clear) {
  DesignPerformance performance;
  performance.design = name;
  std::vector<double> estimates, bias;
  std::size_t significant = 0, null_rejections = 0;
  double units = 0.0;
  for (const TrialResult& t : trials) {
    const Outcome& o = cluster ? t.cluster : t.individual;
    const Outcome& null = cluster ? t.cluster_null : t.individual_null;
    estimates.push_back(o.estimate);
    bias.push_back(o.estimate - t.true_effect);
    significant += significant_with_truth(o, true_effect) ? 1 : 0;
    null_rejections += null.rejected ? 1 : 0;
    units += o.units;
  }
  performance.power = mc_share(significant, trials.size());
  performance.null_rejections = mc_share(null_rejections, trials.size());
  performance.estimate = mc_mean(estimates);
  performance.bias = mc_mean(bias);
  performance.finding = judge(performance.bias, true_effect, effect_clear);
  performance.clusters = units / static_cast<double>(trials.size());
  return performance;
}

// Morris et al. 2019, section 5.3: T = variance / target_mcse^2, rounded up.
std::uint64_t trials_for(double variance, double target_mcse) {
  if (!(target_mcse > 0.0) || !(variance > 0.0)) return 0;
  const double t = std::ceil(variance / (target_mcse * target_mcse));
  return t >= 1e18 ? std::uint64_t{1000000000000000000ULL} : static_cast<std::uint64_t>(t);
}

TrialsNeeded trials_needed(const LiveTestPlan& plan) {
  const LiveTestOptions& o = plan.options;
  TrialsNeeded needed;
  if (plan.effect_clear) {
    const double target = o.target_bias_mcse * std::abs(plan.true_effect.interval.mean);
    const double variance =
        std::max(plan.individual.bias.interval.sd, plan.cluster.bias.interval.sd);
    needed.bias = trials_for(variance * variance, target);
  }
  const auto p_q = [](double p) { return p * (1.0 - p); };
  needed.power =
      trials_for(std::max(p_q(plan.individual.power.share), p_q(plan.cluster.power.share)),
                 o.target_rate_mcse);
  // At the nominal alpha, the rate an A/A test should have (Morris et al.
  // 2019, section 5.3, plan on the expected value).
  needed.null_rejections = trials_for(p_q(o.alpha), o.target_rate_mcse);
  return needed;
}

// Channels with a weekly capacity that either arm's journeys queue suggestions on.
std::vector<SharedFieldForce> field_force(const Scenario& scenario, std::size_t control,
                                          std::size_t treatment) {
  std::vector<SharedFieldForce> channels;
  const auto& catalogue = scenario.catalogue.channels;
  for (std::size_t c = 0; c < catalogue.size(); ++c) {
    if (catalogue[c].capacity_per_week <= 0.0) continue;
    const auto suggests = [&](std::size_t arm) {
      for (const Journey& journey : scenario.arms[arm].journeys) {
        for (const Step& step : journey.steps) {
          if (step.kind == Step::Kind::suggest && step.action.channel == c) return true;
        }
      }
      return false;
    };
    SharedFieldForce f{catalogue[c].name, catalogue[c].capacity_per_week, suggests(control),
                       suggests(treatment)};
    if (f.used_by_control || f.used_by_treatment) channels.push_back(f);
  }
  return channels;
}

// Cluster power minus individual power, paired by simulated test.
McMean power_change(const std::vector<TrialResult>& trials, const McMean& true_effect) {
  std::vector<double> change;
  for (const TrialResult& t : trials) {
    change.push_back((significant_with_truth(t.cluster, true_effect) ? 1.0 : 0.0) -
                     (significant_with_truth(t.individual, true_effect) ? 1.0 : 0.0));
  }
  return mc_mean(change);
}

void summarize_expiries(const std::vector<TrialResult>& trials, LiveTestPlan& plan) {
  std::array<std::vector<double>, 3> expired;
  for (const TrialResult& t : trials) {
    for (std::size_t k = 0; k < 3; ++k) expired[k].push_back(t.expired[k]);
  }
  plan.expired_control = mc_mean(expired[0]);
  plan.expired_treatment = mc_mean(expired[1]);
  plan.expired_individual = mc_mean(expired[2]);
  plan.capacity_binds = plan.expired_control.interval.mean > 0.0 ||
                        plan.expired_treatment.interval.mean > 0.0 ||
                        plan.expired_individual.interval.mean > 0.0;
}

void check_options(const LiveTestOptions& options) {
  check_field(options.cluster_field);
  if (options.hcps < 20) {
    throw agents::InputError({"<command line>", 0, "--hcps"}, "a live test needs at least 20 HCPs");
  }
  if (options.weeks < 1 || options.weeks > 520) {
    throw agents::InputError({"<command line>", 0, "--weeks"}, "expected weeks in [1, 520]");
  }
  if (options.trials < 2) {
    throw agents::InputError({"<command line>", 0, "--trials"},
                             "expected at least 2 simulated tests");
  }
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw agents::InputError({"<command line>", 0, "--alpha"}, "expected alpha in (0, 1)");
  }
  if (!(options.target_bias_mcse > 0.0 && options.target_bias_mcse <= 10.0)) {
    throw agents::InputError({"<command line>", 0, "--target-bias-mcse"},
                             "expected a share of the true effect in (0, 10]");
  }
  if (!(options.target_rate_mcse > 0.0 && options.target_rate_mcse <= 0.5)) {
    throw agents::InputError({"<command line>", 0, "--target-rate-mcse"},
                             "expected a standard error in (0, 0.5]");
  }
}

}  // namespace

std::uint64_t TrialsNeeded::all() const { return std::max({bias, power, null_rejections}); }

LiveTestPlan plan_live_test(const Scenario& base, const LiveTestOptions& options) {
  const std::size_t control = find_arm(base, options.control_arm, "--arms");
  const std::size_t treatment = find_arm(base, options.treatment_arm, "--arms");
  if (control == treatment) {
    throw agents::InputError({"<command line>", 0, "--arms"}, "give two different arms");
  }
  check_options(options);
  Scenario scenario = base;
  scenario.horizon_days = options.weeks * 7;
  if (!scenario.population.roster.empty() && options.hcps < scenario.population.roster.size()) {
    throw agents::InputError({"<command line>", 0, "--hcps"},
                             "a roster population cannot shrink below its roster");
  }
  try {
    override_population_size(scenario, options.hcps);
  } catch (const agents::InputError& error) {  // It names run's --size; plan's option is --hcps.
    throw agents::InputError({"<command line>", 0, "--hcps"}, error.message());
  }
  const Metric metric = metric_of(scenario.primary_metric);
  const MixedArm mixed = mix(scenario, control, treatment);
  std::vector<TrialResult> trials(options.trials);
  tbb::parallel_for(std::uint32_t{0}, options.trials, [&](std::uint32_t trial) {
    trials[trial] = simulate_trial(scenario, mixed, control, treatment, options, metric, trial);
  });
  LiveTestPlan plan;
  plan.options = options;
  plan.metric = scenario.primary_metric;
  std::vector<double> truth, control_levels;
  for (const TrialResult& t : trials) {
    truth.push_back(t.true_effect);
    control_levels.push_back(t.control_level);
  }
  plan.true_effect = mc_mean(truth);
  plan.control_level = mc_mean(control_levels);
  plan.effect_clear =
      plan.true_effect.interval.lower > 0.0 || plan.true_effect.interval.upper < 0.0;
  plan.individual = summarize(trials, false, "individual", plan.true_effect, plan.effect_clear);
  plan.cluster = summarize(trials, true, "cluster:" + options.cluster_field, plan.true_effect,
                           plan.effect_clear);
  plan.power_change = power_change(trials, plan.true_effect);
  plan.trials_needed = trials_needed(plan);
  plan.field_force = field_force(scenario, control, treatment);
  summarize_expiries(trials, plan);
  return plan;
}

}  // namespace journeysim::sim
