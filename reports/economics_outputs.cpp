#include "reports/economics_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/csv_text.hpp"
#include "reports/run_outputs.hpp"

namespace journeysim::reports {
namespace {

using sim::FrontierStatus;

// A number for CSV: empty when not finite or not computed.
std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.6g}", value) : std::string();
}

// mean,lower,upper; three empty fields when the interval was not computed (n = 0).
std::string interval(const sim::MeanInterval& m) {
  if (m.n == 0) return ",,";
  return fmt::format("{},{},{}", number(m.mean), number(m.lower), number(m.upper));
}

std::string ratio(const sim::RatioInterval& r) {
  if (!r.estimable) return ",,";
  return fmt::format("{},{},{}", number(r.estimate), number(r.lower), number(r.upper));
}

std::string_view status_name(FrontierStatus status) {
  switch (status) {
    case FrontierStatus::frontier:
      return "frontier";
    case FrontierStatus::strongly_dominated:
      return "strongly_dominated";
    case FrontierStatus::extendedly_dominated:
      return "extendedly_dominated";
  }
  return "?";
}

// The arm a frontier status refers to: the previous frontier arm, the
// dominating arm, or the two frontier arms whose mix does better.
std::string reference(const sim::Scenario& scenario, const sim::FrontierEntry& entry) {
  const auto name = [&](std::size_t arm) {
    return arm == sim::kNoArm ? std::string() : scenario.arms[arm].name;
  };
  switch (entry.status) {
    case FrontierStatus::frontier:
      return name(entry.previous);
    case FrontierStatus::strongly_dominated:
      return name(entry.dominated_by);
    case FrontierStatus::extendedly_dominated:
      return name(entry.mix_lower) + " and " + name(entry.mix_upper);
  }
  return "";
}

const sim::IncrementalEconomics* increment_of(const sim::EconomicEvaluation& e, std::size_t arm) {
  for (const sim::IncrementalEconomics& inc : e.incremental) {
    if (inc.arm == arm) return &inc;
  }
  return nullptr;
}

nlohmann::json interval_json(const sim::MeanInterval& m) {
  if (m.n == 0) return nullptr;
  return {{"mean", m.mean}, {"ci95_lower", m.lower}, {"ci95_upper", m.upper}};
}

nlohmann::json ratio_json(const sim::RatioInterval& r) {
  if (!r.estimable) return nullptr;
  return {{"estimate", r.estimate}, {"ci95_lower", r.lower}, {"ci95_upper", r.upper}};
}

nlohmann::json finite_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json frontier_json(const sim::Scenario& scenario, const sim::FrontierEntry& entry) {
  nlohmann::json json{{"status", status_name(entry.status)}};
  if (entry.status == FrontierStatus::strongly_dominated) {
    json["dominated_by"] = scenario.arms[entry.dominated_by].name;
  } else if (entry.status == FrontierStatus::extendedly_dominated) {
    json["mix_of"] = {scenario.arms[entry.mix_lower].name, scenario.arms[entry.mix_upper].name};
  } else if (entry.previous != sim::kNoArm) {
    json["previous"] = scenario.arms[entry.previous].name;
    json["incremental_cost"] = entry.incremental_cost;
    json["incremental_outcome"] = entry.incremental_effect;
    json["icer"] = finite_or_null(entry.icer);
  }
  return json;
}

nlohmann::json values_json(const sim::EconomicValues& v) {
  nlohmann::json json = nlohmann::json::object();
  if (v.value_per_trialist) json["value_per_trialist"] = *v.value_per_trialist;
  if (v.value_per_adopter) json["value_per_adopter"] = *v.value_per_adopter;
  if (v.value_per_prescription) json["value_per_prescription"] = *v.value_per_prescription;
  return json;
}

}  // namespace

void write_economics_csv(std::ostream& out, const sim::Scenario& scenario,
                         const sim::ExperimentResult& result, const sim::Evaluation& evaluation) {
  const sim::EconomicEvaluation& e = evaluation.economics;
  fmt::print(out,
             "# journeysim economics schema={} scenario={} hash={} seed={} replications={} "
             "control={} outcome={} currency={}\n",
             kRunOutputSchema, scenario.name, scenario.content_hash, result.seed,
             result.replications, scenario.control_arm, e.outcome, scenario.currency);
  out << "arm,cost,cost_ci95_lower,cost_ci95_upper,outcome,outcome_ci95_lower,outcome_ci95_upper,"
         "value,value_ci95_lower,value_ci95_upper,nmb,nmb_ci95_lower,nmb_ci95_upper,"
         "incremental_cost,incremental_cost_ci95_lower,incremental_cost_ci95_upper,"
         "incremental_outcome,incremental_outcome_ci95_lower,incremental_outcome_ci95_upper,"
         "incremental_nmb,incremental_nmb_ci95_lower,incremental_nmb_ci95_upper,"
         "icer,icer_ci95_lower,icer_ci95_upper,return_on_spend,return_on_spend_ci95_lower,"
         "return_on_spend_ci95_upper,frontier_status,frontier_reference,"
         "icer_vs_previous_frontier,over_budget,recommended\n";
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::ArmEconomics& arm = e.arms[a];
    const sim::IncrementalEconomics* inc = increment_of(e, a);
    const sim::IncrementalEconomics none;  // The control: no increments.
    const sim::IncrementalEconomics& d = inc == nullptr ? none : *inc;
    fmt::print(out, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
               csv_field(scenario.arms[a].name), interval(arm.cost), interval(arm.outcome),
               interval(arm.value), interval(arm.nmb), interval(d.cost), interval(d.outcome),
               interval(d.nmb), ratio(d.icer), ratio(d.return_on_spend),
               status_name(e.frontier[a].status), csv_field(reference(scenario, e.frontier[a])),
               number(e.frontier[a].icer), arm.over_budget ? 1 : 0,
               evaluation.recommended == a ? 1 : 0);
  }
}

nlohmann::json economics_json(const sim::Scenario& scenario, const sim::Evaluation& evaluation) {
  const sim::EconomicEvaluation& e = evaluation.economics;
  nlohmann::json json{
      {"point_of_view", sim::kPointOfView},
      {"currency", scenario.currency},
      {"outcome", e.outcome},
      {"values", values_json(scenario.economics)},
      {"budget", scenario.economics.budget ? nlohmann::json(*scenario.economics.budget)
                                           : nlohmann::json(nullptr)},
      {"valued", e.valued},
      {"best_net_monetary_benefit_arm", e.best == sim::kNoArm
                                            ? nlohmann::json(nullptr)
                                            : nlohmann::json(scenario.arms[e.best].name)},
      {"warnings", e.warnings}};
  nlohmann::json arms = nlohmann::json::array();
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::ArmEconomics& arm = e.arms[a];
    nlohmann::json entry{{"name", scenario.arms[a].name},
                         {"cost", interval_json(arm.cost)},
                         {"outcome", interval_json(arm.outcome)},
                         {"value", interval_json(arm.value)},
                         {"net_monetary_benefit", interval_json(arm.nmb)},
                         {"over_budget", arm.over_budget},
                         {"frontier", frontier_json(scenario, e.frontier[a])}};
    if (const sim::IncrementalEconomics* inc = increment_of(e, a)) {
      entry["against_control"] = {{"incremental_cost", interval_json(inc->cost)},
                                  {"incremental_outcome", interval_json(inc->outcome)},
                                  {"icer", ratio_json(inc->icer)},
                                  {"incremental_net_monetary_benefit", interval_json(inc->nmb)},
                                  {"return_on_spend", ratio_json(inc->return_on_spend)}};
    }
    arms.push_back(entry);
  }
  json["arms"] = arms;
  return json;
}

void print_economics(std::ostream& out, const sim::Scenario& scenario,
                     const sim::Evaluation& evaluation) {
  const sim::EconomicEvaluation& e = evaluation.economics;
  const std::string& cur = scenario.currency;
  fmt::print(out, "\nMoney over {} days, in {} ({}):\n", scenario.horizon_days, cur,
             sim::kPointOfView);
  fmt::print(out, "{:<4}{:<24} {:>14} {:>18}{}\n", "", "arm", "cost",
             sim::outcome_plural(e.outcome),
             e.valued ? fmt::format(" {:>44}", "net monetary benefit (95% CI)") : "");
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::ArmEconomics& arm = e.arms[a];
    const std::string nmb =
        e.valued ? fmt::format(" {:>44}",
                               fmt::format("{} [{}, {}]", sim::money(arm.nmb.mean),
                                           sim::money(arm.nmb.lower), sim::money(arm.nmb.upper)))
                 : std::string();
    fmt::print(out, "{:<4}{:<24} {:>14} {:>18.1f}{}\n", "",
               scenario.arms[a].name + (a == evaluation.control ? " *" : ""),
               sim::money(arm.cost.mean), arm.outcome.mean, nmb);
  }
  fmt::print(out, "  Against {}:\n", scenario.arms[evaluation.control].name);
  for (const sim::IncrementalEconomics& inc : e.incremental) {
    std::string line =
        fmt::format("    {}: {:+.1f} {} {}: {}", scenario.arms[inc.arm].name, inc.outcome.mean,
                    sim::outcome_plural(e.outcome), sim::cost_change_words(inc.cost.mean, cur),
                    sim::icer_words(scenario, e, inc));
    if (e.valued) {
      line += fmt::format("; net monetary benefit {} [{}, {}]", sim::signed_money(inc.nmb.mean),
                          sim::signed_money(inc.nmb.lower), sim::signed_money(inc.nmb.upper));
    }
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out, "  Frontier (the cheapest arms not beaten on both cost and {}):\n",
             sim::outcome_plural(e.outcome));
  for (std::size_t a = 0; a < e.arms.size(); ++a) {
    const sim::FrontierEntry& entry = e.frontier[a];
    std::string line = sim::frontier_words(scenario, e, a);
    if (entry.status == FrontierStatus::frontier && entry.previous != sim::kNoArm) {
      line += fmt::format(", {} {} per extra {} over {}", sim::money(entry.icer), cur,
                          sim::outcome_unit(e.outcome), scenario.arms[entry.previous].name);
    }
    fmt::print(out, "    {}: {}\n", scenario.arms[a].name, line);
  }
  if (scenario.economics.budget) {
    std::string over;
    for (std::size_t a = 0; a < e.arms.size(); ++a) {
      if (e.arms[a].over_budget) over += (over.empty() ? "" : ", ") + scenario.arms[a].name;
    }
    fmt::print(out, "  Over the budget of {} {}: {}.\n", sim::money(*scenario.economics.budget),
               cur, over.empty() ? "none" : over);
  }
  for (const std::string& warning : e.warnings) fmt::print(out, "  Warning: {}.\n", warning);
}

}  // namespace journeysim::reports
