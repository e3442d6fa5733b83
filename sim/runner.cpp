#include "sim/runner.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <optional>

#include "agents/input_error.hpp"
#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/selection.hpp"

namespace journeysim::sim {
namespace {

struct MetricInfo {
  const char* name;
  const char* unit;
};

constexpr std::array<MetricInfo, 10> kMetrics = {{
    {"trial_rate",
     "share of the HCPs who started below trialing whose first prescription falls within the "
     "horizon"},
    {"adoption_rate", "share of HCPs at adopted or advocate at the horizon"},
    {"prescriptions", "prescriptions over the horizon"},
    {"touches_per_hcp", "touches sent per HCP"},
    {"engagement_rate", "engaged touches per delivered touch"},
    {"opt_out_rate", "channel opt-outs per HCP"},
    {"total_cost", "currency"},
    {"cost_per_trialist", "currency per HCP with a first prescription in the horizon"},
    {"trialists", "HCPs"},
    {"adopters", "HCPs"},
}};

double safe_ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }

// A ratio whose denominator can be empty: NaN then, so that outputs say "not
// defined" instead of 0% (docs/outputs.md, Outcome metrics).
double defined_ratio(double a, double b) {
  return b > 0.0 ? a / b : std::numeric_limits<double>::quiet_NaN();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<RunMetric> run_metrics(const Scenario& scenario, const RunResult& run,
                                   std::uint32_t population_size) {
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
      defined_ratio(static_cast<double>(run.trialists), static_cast<double>(run.at_risk)),
      safe_ratio(static_cast<double>(run.adopters), n),
      run.prescriptions,
      safe_ratio(static_cast<double>(sent), n),
      safe_ratio(static_cast<double>(engaged), static_cast<double>(delivered)),
      safe_ratio(static_cast<double>(opt_outs), n),
      cost,
      defined_ratio(cost, static_cast<double>(run.trialists)),
      static_cast<double>(run.trialists),
      static_cast<double>(run.adopters),
  };
  std::vector<RunMetric> metrics;
  for (std::size_t m = 0; m < kMetrics.size(); ++m) {
    metrics.push_back({kMetrics[m].name, kMetrics[m].unit, values[m]});
  }
  for (const agents::Stage stage : agents::kAllStages) {
    metrics.push_back({"reached_" + std::string(agents::stage_name(stage)),
                       "share of HCPs at this stage or beyond at some point of the horizon",
                       safe_ratio(run.reached[static_cast<std::size_t>(stage)], n)});
  }
  for (std::size_t c = 0; c < run.channels.size(); ++c) {
    metrics.push_back({"engagement_rate_" + scenario.catalogue.channels[c].name,
                       "engaged touches per delivered touch on this channel",
                       safe_ratio(static_cast<double>(run.channels[c].engaged),
                                  static_cast<double>(run.channels[c].delivered))});
  }
  return metrics;
}

namespace {

// Runs (arm, replication) pairs, keeping each replication's population for
// all its arms (common random numbers), and stores the runs by replication.
class Experiment {
 public:
  Experiment(const Scenario& scenario, const ExperimentOptions& options)
      : scenario_(scenario), options_(options), runs_(scenario.arms.size()) {}

  // Runs, for every replication r in [from, to), the arms with wanted(arm, r).
  // Replications run in parallel; arms of one replication in parallel too.
  template <typename Wanted>
  void run(std::uint32_t from, std::uint32_t to, const Wanted& wanted, std::size_t total) {
    if (to <= from) return;
    for (auto& arm_runs : runs_) arm_runs.resize(std::max<std::size_t>(arm_runs.size(), to));
    sizes_.resize(std::max<std::size_t>(sizes_.size(), to), 0);
    tbb::parallel_for(from, to, [&](std::uint32_t replication) {
      std::vector<std::size_t> arms;
      for (std::size_t arm = 0; arm < runs_.size(); ++arm) {
        if (wanted(arm, replication)) arms.push_back(arm);
      }
      if (arms.empty()) return;
      const auto start = std::chrono::steady_clock::now();
      const agents::Population population = agents::synthesize_population(
          scenario_.population, scenario_.catalogue.channels, options_.seed, replication);
      const agents::PeerNetwork network =
          agents::build_network(scenario_.network, population, options_.seed, replication);
      add_seconds(setup_, seconds_since(start));
      sizes_[replication] = population.size;
      tbb::parallel_for(std::size_t{0}, arms.size(), [&](std::size_t k) {
        const std::size_t arm = arms[k];
        const auto run_start = std::chrono::steady_clock::now();
        const RunPlan plan{arm, replication, options_.seed,
                           options_.keep_hcp_outcomes && replication == 0};
        runs_[arm][replication] =
            std::make_optional(run_arm(scenario_, population, network, plan, options_.cancel));
        add_seconds(simulation_, seconds_since(run_start));
        report_progress(total);
      });
    });
  }

  // The primary metric of one stored run.
  double primary(std::size_t arm, std::uint32_t replication) const {
    for (const RunMetric& metric :
         run_metrics(scenario_, *runs_[arm][replication], sizes_[replication])) {
      if (metric.name == scenario_.primary_metric) return metric.value;
    }
    throw std::logic_error("unknown primary metric " + scenario_.primary_metric);
  }

  std::uint64_t arm_runs() const {
    std::uint64_t count = 0;
    for (const auto& arm_runs : runs_) {
      for (const auto& run : arm_runs) count += run ? 1 : 0;
    }
    return count;
  }

  // The experiment over the first `common` replications, which every arm ran.
  ExperimentResult result(std::uint32_t common) {
    ExperimentResult result;
    result.seed = options_.seed;
    result.replications = common;
    result.population_sizes.assign(sizes_.begin(), sizes_.begin() + common);
    result.runs.resize(runs_.size());
    for (std::size_t arm = 0; arm < runs_.size(); ++arm) {
      for (std::uint32_t r = 0; r < common; ++r)
        result.runs[arm].push_back(std::move(*runs_[arm][r]));
    }
    result.setup_seconds = setup_.load();
    result.simulation_seconds = simulation_.load();
    summarize_metrics(result);
    return result;
  }

  // Replications from 0 that every arm ran.
  std::uint32_t common_replications() const {
    std::uint32_t common = std::numeric_limits<std::uint32_t>::max();
    for (const auto& arm_runs : runs_) {
      std::uint32_t r = 0;
      while (r < arm_runs.size() && arm_runs[r]) ++r;
      common = std::min(common, r);
    }
    return common;
  }

 private:
  static void add_seconds(std::atomic<double>& total, double seconds) {
    double old = total.load();
    while (!total.compare_exchange_weak(old, old + seconds)) {
    }
  }

  void report_progress(std::size_t total) {
    const std::size_t finished = ++done_;
    if (!options_.progress) return;
    const std::scoped_lock lock(progress_mutex_);
    options_.progress(finished, std::max(total, finished));
  }

  void summarize_metrics(ExperimentResult& result) const {
    result.metrics.resize(runs_.size());
    for (std::size_t arm = 0; arm < runs_.size(); ++arm) {
      for (std::uint32_t r = 0; r < result.replications; ++r) {
        const auto values = run_metrics(scenario_, result.runs[arm][r], result.population_sizes[r]);
        if (r == 0) {
          for (std::size_t m = 0; m < values.size(); ++m) {
            result.metrics[arm].push_back({values[m].name, values[m].unit, {}, {}});
          }
        }
        for (std::size_t m = 0; m < values.size(); ++m) {
          result.metrics[arm][m].values.push_back(values[m].value);
        }
      }
      for (ArmMetric& metric : result.metrics[arm]) metric.summary = mean_interval(metric.values);
    }
  }

  const Scenario& scenario_;
  const ExperimentOptions& options_;
  std::vector<std::vector<std::optional<RunResult>>> runs_;  // [arm][replication]
  std::vector<std::uint32_t> sizes_;
  std::atomic<std::size_t> done_{0};
  std::mutex progress_mutex_;
  std::atomic<double> setup_{0.0}, simulation_{0.0};
};

// Kim & Nelson's procedure KN, fed replications in parallel batches of a few
// at a time, in order; eliminated arms are no longer simulated.
ExperimentResult run_kn(const Scenario& scenario, const ExperimentOptions& options) {
  const SelectionOptions& s = options.selection;
  KnSelector selector(KnOptions{scenario.arms.size(), s.alpha, s.delta, s.n0, s.max_replications});
  Experiment experiment(scenario, options);
  // A fixed batch, not the core count: the replications simulated (and so
  // the evaluated ones) must not depend on the machine.
  constexpr std::uint32_t batch = 4;
  while (!selector.done()) {
    const std::uint32_t from = selector.next_replication();
    const std::uint32_t to = from == 0 ? s.n0 : from + batch;
    const std::vector<bool> alive = selector.alive();
    experiment.run(
        from, std::min(to, s.max_replications),
        [&](std::size_t arm, std::uint32_t) { return static_cast<bool>(alive[arm]); }, 0);
    for (std::uint32_t r = from; r < std::min(to, s.max_replications) && !selector.done(); ++r) {
      std::vector<double> values(scenario.arms.size(), 0.0);
      for (std::size_t arm = 0; arm < values.size(); ++arm) {
        if (selector.alive()[arm]) values[arm] = experiment.primary(arm, r);
      }
      selector.observe(values);
    }
  }
  const KnResult kn = selector.result();
  ExperimentResult result = experiment.result(experiment.common_replications());
  SelectionReport report;
  report.procedure = "KN";
  report.best = kn.best;
  report.replications_used = kn.replications_used;
  report.arm_runs = experiment.arm_runs();
  report.runs_per_arm.assign(kn.observations.begin(), kn.observations.end());
  report.guarantee = kn.guarantee;
  result.selection = report;
  return result;
}

// Sequential OCBA (Chen et al. 2000) over a fixed budget of arm-runs.
ExperimentResult run_ocba(const Scenario& scenario, const ExperimentOptions& options) {
  const SelectionOptions& s = options.selection;
  Experiment experiment(scenario, options);
  const OcbaOptions ocba_options{scenario.arms.size(), s.n0, s.budget, 10};
  const OcbaResult ocba = select_ocba_batched(
      ocba_options,
      [&](const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to) {
        const std::uint32_t low = *std::min_element(from.begin(), from.end());
        const std::uint32_t high = *std::max_element(to.begin(), to.end());
        experiment.run(
            low, high,
            [&](std::size_t arm, std::uint32_t r) { return r >= from[arm] && r < to[arm]; },
            s.budget);
        std::vector<std::vector<double>> values(from.size());
        for (std::size_t arm = 0; arm < from.size(); ++arm) {
          for (std::uint32_t r = from[arm]; r < to[arm]; ++r)
            values[arm].push_back(experiment.primary(arm, r));
        }
        return values;
      });
  ExperimentResult result = experiment.result(experiment.common_replications());
  SelectionReport report;
  report.procedure = "OCBA";
  report.best = ocba.best;
  report.replications_used = *std::max_element(ocba.allocation.begin(), ocba.allocation.end());
  report.arm_runs = experiment.arm_runs();
  report.runs_per_arm = ocba.allocation;
  report.probability_correct = ocba.apcs;
  report.guarantee = ocba.guarantee;
  result.selection = report;
  return result;
}

}  // namespace

ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options) {
  try {
    switch (options.selection.procedure) {
      case SelectionOptions::Procedure::kn:
        return run_kn(scenario, options);
      case SelectionOptions::Procedure::ocba:
        return run_ocba(scenario, options);
      case SelectionOptions::Procedure::none:
        break;
    }
  } catch (const std::invalid_argument& error) {
    throw agents::InputError({"<command line>", 0, "--select"}, error.what());
  }
  Experiment experiment(scenario, options);
  const std::size_t total = scenario.arms.size() * options.replications;
  experiment.run(
      0, options.replications, [](std::size_t, std::uint32_t) { return true; }, total);
  return experiment.result(options.replications);
}

}  // namespace journeysim::sim
