#include "sim/live_test.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
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

std::size_t find_arm(const Scenario& scenario, const std::string& name, const char* option) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == name) return a;
  }
  throw agents::InputError({"<command line>", 0, option},
                           fmt::format("no arm is named '{}'", name));
}

// The attribute clusters are formed by; throws InputError for an unknown one.
const std::vector<std::uint32_t> cluster_ids(const agents::Population& population,
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

double first_prescription_rate(const RunResult& run) {
  return static_cast<double>(run.trialists) /
         static_cast<double>(std::max<std::size_t>(1, run.hcps.size()));
}

struct Outcome {
  double estimate = 0.0;
  bool significant = false;
  double units = 0.0;
};

// Two-proportion z-test with pooled variance (the test power.prop.test plans for).
Outcome individual_test(const RunResult& run, const std::vector<std::uint8_t>& group,
                        double alpha) {
  std::array<double, 2> n{}, x{};
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    n[group[hcp]] += 1.0;
    x[group[hcp]] += run.hcps[hcp].first_prescription_day >= 0 ? 1.0 : 0.0;
  }
  Outcome outcome;
  outcome.units = n[0] + n[1];
  if (n[0] == 0 || n[1] == 0) return outcome;
  const double p0 = x[0] / n[0], p1 = x[1] / n[1], pooled = (x[0] + x[1]) / (n[0] + n[1]);
  outcome.estimate = p1 - p0;
  const double se = std::sqrt(pooled * (1.0 - pooled) * (1.0 / n[0] + 1.0 / n[1]));
  const double z = boost::math::quantile(boost::math::normal(), 1.0 - alpha / 2.0);
  outcome.significant = se > 0.0 && std::abs(outcome.estimate) / se > z;
  return outcome;
}

// Cluster-level analysis (Donner & Klar 2000, ch. 6): each cluster's rate is
// one observation; Welch's t-test between arms, Satterthwaite degrees of
// freedom. The effect estimate is the difference of individual-level rates.
Outcome cluster_test(const RunResult& run, const std::vector<std::uint8_t>& group,
                     const std::vector<std::uint32_t>& cluster, double alpha) {
  std::unordered_map<std::uint32_t, std::pair<double, double>> by_cluster;  // (hcps, trialists)
  std::array<double, 2> n{}, x{};
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    const double trial = run.hcps[hcp].first_prescription_day >= 0 ? 1.0 : 0.0;
    auto& c = by_cluster[cluster[hcp]];
    c.first += 1.0;
    c.second += trial;
    n[group[hcp]] += 1.0;
    x[group[hcp]] += trial;
  }
  Outcome outcome;
  outcome.units = static_cast<double>(by_cluster.size());
  if (n[0] == 0 || n[1] == 0) return outcome;
  outcome.estimate = x[1] / n[1] - x[0] / n[0];
  std::array<std::vector<double>, 2> rates;
  for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
    auto it = by_cluster.find(cluster[hcp]);
    if (it == by_cluster.end()) continue;
    rates[group[hcp]].push_back(it->second.second / it->second.first);
    by_cluster.erase(it);  // Each cluster once.
  }
  if (rates[0].size() < 2 || rates[1].size() < 2) return outcome;
  const MeanInterval a = mean_interval(rates[0]);
  const MeanInterval b = mean_interval(rates[1]);
  const double va = a.sd * a.sd / static_cast<double>(a.n),
               vb = b.sd * b.sd / static_cast<double>(b.n);
  if (va + vb <= 0.0) {
    outcome.significant = b.mean != a.mean;
    return outcome;
  }
  const double df =
      (va + vb) * (va + vb) /
      (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  const double t = (b.mean - a.mean) / std::sqrt(va + vb);
  const double critical = boost::math::quantile(boost::math::students_t(df), 1.0 - alpha / 2.0);
  outcome.significant = std::abs(t) > critical;
  return outcome;
}

struct TrialResult {
  double control_rate = 0.0;
  double true_effect = 0.0;
  Outcome individual;
  Outcome cluster;
};

TrialResult simulate_trial(const Scenario& scenario, const MixedArm& mixed, std::size_t control,
                           std::size_t treatment, const LiveTestOptions& options,
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
  result.control_rate = first_prescription_rate(all_control);
  result.true_effect = first_prescription_rate(all_treatment) - result.control_rate;

  std::vector<std::uint8_t> group(population.size);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    const auto key = agents::stream_key(options.seed, trial, hcp, agents::Purpose::assignment);
    group[hcp] = agents::keyed_uniform(key, 0, 0) < 0.5 ? kTreatment : kControl;
  }
  RunPlan plan{0, trial, options.seed, true, &group, &mixed.journey_group};
  result.individual = individual_test(
      run_arm(mixed.scenario, population, network, plan, options.cancel), group, options.alpha);

  const std::vector<std::uint32_t> cluster = cluster_ids(population, options.cluster_field);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    const auto key =
        agents::stream_key(options.seed, trial, cluster[hcp], agents::Purpose::cluster_assignment);
    group[hcp] = agents::keyed_uniform(key, 0, 0) < 0.5 ? kTreatment : kControl;
  }
  result.cluster = cluster_test(run_arm(mixed.scenario, population, network, plan, options.cancel),
                                group, cluster, options.alpha);
  return result;
}

DesignPerformance summarize(const std::vector<TrialResult>& trials, bool cluster,
                            const std::string& name) {
  DesignPerformance performance;
  performance.design = name;
  std::vector<double> estimates, bias;
  double significant = 0.0, units = 0.0, true_sum = 0.0;
  for (const TrialResult& t : trials) true_sum += t.true_effect;
  const double direction = true_sum >= 0.0 ? 1.0 : -1.0;
  for (const TrialResult& t : trials) {
    const Outcome& o = cluster ? t.cluster : t.individual;
    estimates.push_back(o.estimate);
    bias.push_back(o.estimate - t.true_effect);
    significant += o.significant && o.estimate * direction > 0.0 ? 1.0 : 0.0;
    units += o.units;
  }
  const double n = static_cast<double>(trials.size());
  performance.power = significant / n;
  performance.estimate = mean_interval(estimates);
  performance.bias = mean_interval(bias);
  performance.clusters = units / n;
  return performance;
}

}  // namespace

LiveTestPlan plan_live_test(const Scenario& base, const LiveTestOptions& options) {
  const std::size_t control = find_arm(base, options.control_arm, "--arms");
  const std::size_t treatment = find_arm(base, options.treatment_arm, "--arms");
  if (control == treatment) {
    throw agents::InputError({"<command line>", 0, "--arms"}, "give two different arms");
  }
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
  Scenario scenario = base;
  scenario.horizon_days = options.weeks * 7;
  if (!scenario.population.roster.empty() && options.hcps < scenario.population.roster.size()) {
    throw agents::InputError({"<command line>", 0, "--hcps"},
                             "a roster population cannot shrink below its roster");
  }
  override_population_size(scenario, options.hcps);
  const MixedArm mixed = mix(scenario, control, treatment);
  std::vector<TrialResult> trials(options.trials);
  tbb::parallel_for(std::uint32_t{0}, options.trials, [&](std::uint32_t trial) {
    trials[trial] = simulate_trial(scenario, mixed, control, treatment, options, trial);
  });
  LiveTestPlan plan;
  plan.options = options;
  std::vector<double> truth, control_rates;
  for (const TrialResult& t : trials) {
    truth.push_back(t.true_effect);
    control_rates.push_back(t.control_rate);
  }
  plan.true_effect = mean_interval(truth);
  plan.control_rate = mean_interval(control_rates);
  plan.individual = summarize(trials, false, "individual");
  plan.cluster = summarize(trials, true, "cluster:" + options.cluster_field);
  return plan;
}

}  // namespace journeysim::sim
