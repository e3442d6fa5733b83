#include "reports/run_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/atomic_file.hpp"
#include "reports/csv_text.hpp"
#include "reports/economics_outputs.hpp"
#include "reports/evaluation_outputs.hpp"
#include "reports/run_report.hpp"

namespace journeysim::reports {
namespace {

void write_preamble(std::ostream& out, std::string_view kind, const sim::Scenario& scenario,
                    const sim::ExperimentResult& result) {
  fmt::print(out, "# journeysim {} schema={} scenario={} hash={} seed={} replications={}\n", kind,
             kRunOutputSchema, scenario.name, scenario.content_hash, result.seed,
             result.replications);
}

nlohmann::json interval_json(const sim::MeanInterval& interval) {
  return {{"mean", interval.mean},
          {"ci95_lower", interval.lower},
          {"ci95_upper", interval.upper},
          {"sd", interval.sd},
          {"replications", interval.n}};
}

}  // namespace

void write_summary_json(std::ostream& out, const sim::Scenario& scenario,
                        const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                        const char* version) {
  nlohmann::json summary;
  summary["schema"] = kRunOutputSchema;
  summary["journeysim_version"] = version;
  summary["scenario"] = {{"name", scenario.name},
                         {"hash", scenario.content_hash},
                         {"manifest", scenario.manifest.string()},
                         {"currency", scenario.currency},
                         {"horizon_days", scenario.horizon_days}};
  // Parameters set after loading (run --set); they are part of the hash above.
  summary["scenario"]["overrides"] = nlohmann::json::array();
  for (const sim::ParameterOverride& o : scenario.overrides) {
    summary["scenario"]["overrides"].push_back(
        {{"path", o.path}, {"value", o.value}, {"scenario_value", o.scenario_value}});
  }
  summary["seed"] = result.seed;
  summary["replications"] = result.replications;
  summary["population_sizes"] = result.population_sizes;
  summary["control_arm"] = scenario.control_arm;
  summary["timing_seconds"] = {{"setup", result.setup_seconds},
                               {"simulation_cpu", result.simulation_seconds}};
  nlohmann::json arms = nlohmann::json::array();
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    nlohmann::json metrics;
    for (const sim::ArmMetric& metric : result.metrics[a]) {
      nlohmann::json entry = interval_json(metric.summary);
      entry["unit"] = metric.unit;
      metrics[metric.name] = entry;
    }
    arms.push_back({{"name", scenario.arms[a].name},
                    {"description", scenario.arms[a].description},
                    {"metrics", metrics}});
  }
  summary["arms"] = arms;
  if (evaluation != nullptr) summary["evaluation"] = evaluation_json(scenario, *evaluation);
  if (result.selection) {
    const sim::SelectionReport& s = *result.selection;
    summary["selection"] = {{"procedure", s.procedure},
                            {"best_arm", scenario.arms[s.best].name},
                            {"replications_used", s.replications_used},
                            {"arm_runs", s.arm_runs},
                            {"runs_per_arm", s.runs_per_arm},
                            {"guarantee", s.guarantee}};
    if (s.probability_correct >= 0.0) summary["selection"]["apcs_b"] = s.probability_correct;
  }
  out << summary.dump(2) << '\n';
}

void write_timeseries_csv(std::ostream& out, const sim::Scenario& scenario,
                          const sim::ExperimentResult& result) {
  write_preamble(out, "timeseries", scenario, result);
  out << "arm,replication,day,stage,hcps\n";
  std::string line;
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const std::string arm = csv_field(scenario.arms[a].name);
    for (const sim::RunResult& run : result.runs[a]) {
      for (std::uint32_t day = 0; day <= run.horizon_days; ++day) {
        line.clear();
        for (const agents::Stage stage : agents::kAllStages) {
          fmt::format_to(
              std::back_inserter(line), "{},{},{},{},{}\n", arm, run.plan.replication, day,
              agents::stage_name(stage),
              run.stage_counts[day * agents::kStageCount + static_cast<std::size_t>(stage)]);
        }
        out << line;
      }
    }
  }
}

void write_hcp_outcomes_csv(std::ostream& out, const sim::Scenario& scenario,
                            const sim::ExperimentResult& result) {
  write_preamble(out, "hcp_outcomes", scenario, result);
  out << "arm,replication,hcp,start_stage,final_stage,first_prescription_day,adoption_day,"
         "prescriptions,touches,engagements,cost,opt_outs,held_out,final_dominant_barrier\n";
  std::string line;
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const std::string arm = csv_field(scenario.arms[a].name);
    const sim::RunResult& run = result.runs[a].front();
    for (std::size_t hcp = 0; hcp < run.hcps.size(); ++hcp) {
      const sim::HcpOutcome& o = run.hcps[hcp];
      line.clear();
      fmt::format_to(
          std::back_inserter(line), "{},{},{},{},{},{},{},{:.3f},{},{},{:.2f},{},{},{}\n", arm,
          run.plan.replication, hcp, agents::stage_name(o.start_stage),
          agents::stage_name(o.final_stage),
          o.first_prescription_day < 0 ? std::string() : std::to_string(o.first_prescription_day),
          o.adoption_day < 0 ? std::string() : std::to_string(o.adoption_day), o.prescriptions,
          o.touches, o.engagements, o.cost, o.opt_outs, o.held_out ? 1 : 0,
          agents::barrier_name(o.final_dominant_barrier));
      out << line;
    }
  }
}

namespace {

// "11.4% [ 11.1,  11.6]", or "not defined" for a share with an empty denominator.
std::string share_with_interval(const sim::MeanInterval& share) {
  if (!std::isfinite(share.mean)) return "not defined";
  return fmt::format("{:>7.1f}% [{:>5.1f}, {:>5.1f}]", 100 * share.mean, 100 * share.lower,
                     100 * share.upper);
}

}  // namespace

void print_run_summary(std::ostream& out, const sim::Scenario& scenario,
                       const sim::ExperimentResult& result) {
  fmt::print(out, "Scenario '{}': {} arms x {} replications, seed {}, {} days\n", scenario.name,
             scenario.arms.size(), result.replications, result.seed, scenario.horizon_days);
  fmt::print(out, "\n{:<24} {:>22} {:>22} {:>16} {:>18}\n", "arm", "trial rate (95% CI)",
             "adoption rate (95% CI)", "touches/HCP", fmt::format("cost ({})", scenario.currency));
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    const auto& m = result.metrics[a];
    const auto find = [&](std::string_view name) -> const sim::MeanInterval& {
      for (const sim::ArmMetric& metric : m) {
        if (metric.name == name) return metric.summary;
      }
      throw std::logic_error("missing metric");
    };
    const auto& trial = find("trial_rate");
    const auto& adoption = find("adoption_rate");
    fmt::print(out, "{:<24} {:>22} {:>22} {:>16.1f} {:>18.0f}\n",
               scenario.arms[a].name + (scenario.arms[a].name == scenario.control_arm ? " *" : ""),
               share_with_interval(trial), share_with_interval(adoption),
               find("touches_per_hcp").mean, find("total_cost").mean);
  }
  fmt::print(out, "\n* control arm. Intervals are 95% Student-t intervals across replications.\n");
  fmt::print(out,
             "Trial rate: first prescriptions among the HCPs who started below trialing (at "
             "risk); adoption rate: share of all HCPs adopted or advocate on the last day.\n");
  if (!result.metrics.empty()) {
    for (const sim::ArmMetric& metric : result.metrics.front()) {
      if (metric.name == "trial_rate" && !std::isfinite(metric.summary.mean)) {
        fmt::print(out,
                   "Trial rate not defined: no HCP started below trialing, so none was at risk "
                   "of a first prescription.\n");
      }
    }
  }
  if (result.selection) {
    const sim::SelectionReport& s = *result.selection;
    fmt::print(out,
               "\nSelection by {}: {} is best on {}, after {} replications ({} arm-runs; per arm:",
               s.procedure, scenario.arms[s.best].name, scenario.primary_metric,
               s.replications_used, s.arm_runs);
    for (std::size_t a = 0; a < s.runs_per_arm.size(); ++a) {
      fmt::print(out, " {} {}", scenario.arms[a].name, s.runs_per_arm[a]);
    }
    fmt::print(out, ").\n  {}\n", s.guarantee);
    if (s.probability_correct >= 0.0) {
      fmt::print(out, "  Estimated P(correct selection), APCS-B: {:.3f}\n", s.probability_correct);
    }
    fmt::print(out, "  The table above and the evaluation use the {} replications every arm ran.\n",
               result.replications);
  }
}

void write_run_outputs(const std::filesystem::path& folder, const sim::Scenario& scenario,
                       const sim::ExperimentResult& result, const sim::Evaluation* evaluation,
                       bool hcp_outcomes, const char* version) {
  std::filesystem::create_directories(folder);
  // summary.json goes last: when it exists, the run is complete.
  std::filesystem::remove(folder / "summary.json");
  const auto write = [&](const char* name, const auto& writer) {
    AtomicFile file(folder / name);
    writer(file.stream());
    file.commit();
  };
  write("timeseries.csv", [&](std::ostream& out) { write_timeseries_csv(out, scenario, result); });
  // A file this run does not write must not survive from an earlier run.
  const auto remove_stale = [&](const char* name) { std::filesystem::remove(folder / name); };
  if (hcp_outcomes) {
    write("hcp_outcomes.csv",
          [&](std::ostream& out) { write_hcp_outcomes_csv(out, scenario, result); });
  } else {
    remove_stale("hcp_outcomes.csv");
  }
  if (evaluation != nullptr) {
    write("comparisons.csv",
          [&](std::ostream& out) { write_comparisons_csv(out, scenario, result, *evaluation); });
    write("segments.csv",
          [&](std::ostream& out) { write_segments_csv(out, scenario, result, *evaluation); });
    write("friction.csv",
          [&](std::ostream& out) { write_friction_csv(out, scenario, result, *evaluation); });
    write("km.csv", [&](std::ostream& out) { write_km_csv(out, scenario, result, *evaluation); });
    write("economics.csv",
          [&](std::ostream& out) { write_economics_csv(out, scenario, result, *evaluation); });
  } else {
    for (const char* name :
         {"comparisons.csv", "segments.csv", "friction.csv", "km.csv", "economics.csv"}) {
      remove_stale(name);
    }
  }
  // report.html and charts/ (docs/outputs.md, "report.html and charts/").
  write_run_report(folder, scenario, result, evaluation, version);
  write("summary.json",
        [&](std::ostream& out) { write_summary_json(out, scenario, result, evaluation, version); });
}

}  // namespace journeysim::reports
