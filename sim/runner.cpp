#include "sim/runner.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"

namespace journeysim::sim {
namespace {

struct MetricInfo {
  const char* name;
  const char* unit;
};

constexpr std::array<MetricInfo, 10> kMetrics = {{
    {"trial_rate", "share of HCPs whose first prescription falls within the horizon"},
    {"adoption_rate", "share of HCPs at adopted or advocate at the horizon"},
    {"prescriptions", "prescriptions over the horizon"},
    {"touches_per_hcp", "touches sent per HCP"},
    {"engagement_rate", "engaged touches per delivered touch"},
    {"opt_out_rate", "channel opt-outs per HCP"},
    {"total_cost", "currency"},
    {"cost_per_trialist", "currency per HCP with a first prescription"},
    {"trialists", "HCPs"},
    {"adopters", "HCPs"},
}};

double safe_ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<std::pair<std::string, double>> run_metrics(const Scenario& scenario,
                                                        const RunResult& run,
                                                        std::uint32_t population_size) {
  (void)scenario;
  std::uint64_t sent = 0, delivered = 0, engaged = 0, opt_outs = 0;
  double cost = 0.0;
  for (const ChannelTotals& c : run.channels) {
    sent += c.sent;
    delivered += c.delivered;
    engaged += c.engaged;
    opt_outs += c.opt_outs;
    cost += c.cost;
  }
  const double n = population_size;
  const std::array<double, kMetrics.size()> values = {
      safe_ratio(static_cast<double>(run.trialists), n),
      safe_ratio(static_cast<double>(run.adopters), n),
      run.prescriptions,
      safe_ratio(static_cast<double>(sent), n),
      safe_ratio(static_cast<double>(engaged), static_cast<double>(delivered)),
      safe_ratio(static_cast<double>(opt_outs), n),
      cost,
      safe_ratio(cost, static_cast<double>(run.trialists)),
      static_cast<double>(run.trialists),
      static_cast<double>(run.adopters),
  };
  std::vector<std::pair<std::string, double>> metrics;
  for (std::size_t m = 0; m < kMetrics.size(); ++m)
    metrics.emplace_back(kMetrics[m].name, values[m]);
  return metrics;
}

ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options) {
  ExperimentResult result;
  result.seed = options.seed;
  result.replications = options.replications;
  const std::size_t arms = scenario.arms.size();
  result.runs.assign(arms, std::vector<RunResult>(options.replications));
  result.population_sizes.assign(options.replications, 0);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  std::atomic<double> setup{0.0}, simulation{0.0};
  const auto add_seconds = [](std::atomic<double>& total, double seconds) {
    double old = total.load();
    while (!total.compare_exchange_weak(old, old + seconds)) {
    }
  };
  // Replications in parallel; within one, arms in parallel on the shared
  // population; within an arm, blocks of HCPs in parallel. Each task writes
  // its own slot, so scheduling cannot change a result.
  tbb::parallel_for(std::uint32_t{0}, options.replications, [&](std::uint32_t replication) {
    const auto start = std::chrono::steady_clock::now();
    const agents::Population population = agents::synthesize_population(
        scenario.population, scenario.catalogue.channels, options.seed, replication);
    const agents::PeerNetwork network =
        agents::build_network(scenario.network, population, options.seed, replication);
    add_seconds(setup, seconds_since(start));
    result.population_sizes[replication] = population.size;
    tbb::parallel_for(std::size_t{0}, arms, [&](std::size_t arm) {
      const auto run_start = std::chrono::steady_clock::now();
      RunPlan plan{arm, replication, options.seed, options.keep_hcp_outcomes && replication == 0};
      result.runs[arm][replication] = run_arm(scenario, population, network, plan, options.cancel);
      add_seconds(simulation, seconds_since(run_start));
      const std::size_t finished = ++done;
      if (options.progress) {
        const std::scoped_lock lock(progress_mutex);
        options.progress(finished, arms * options.replications);
      }
    });
  });
  result.setup_seconds = setup.load();
  result.simulation_seconds = simulation.load();
  result.metrics.resize(arms);
  for (std::size_t arm = 0; arm < arms; ++arm) {
    for (std::uint32_t r = 0; r < options.replications; ++r) {
      const auto values = run_metrics(scenario, result.runs[arm][r], result.population_sizes[r]);
      if (r == 0) {
        for (std::size_t m = 0; m < values.size(); ++m) {
          result.metrics[arm].push_back({values[m].first, kMetrics[m].unit, {}, {}});
        }
      }
      for (std::size_t m = 0; m < values.size(); ++m)
        result.metrics[arm][m].values.push_back(values[m].second);
    }
    for (ArmMetric& metric : result.metrics[arm]) metric.summary = mean_interval(metric.values);
  }
  return result;
}

}  // namespace journeysim::sim
