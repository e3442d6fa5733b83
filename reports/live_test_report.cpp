#include "reports/live_test_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace journeysim::reports {
namespace {

std::string pct(const sim::MeanInterval& m) {
  return fmt::format("{:+.2f} pts [{:+.2f}, {:+.2f}]", 100 * m.mean, 100 * m.lower, 100 * m.upper);
}

void print_design(std::ostream& out, const sim::DesignPerformance& d, bool planned) {
  fmt::print(out, "  {:<22} {:>7.0f}% {:>12.0f} {:>30} {:>30}{}\n", d.design, 100 * d.power,
             d.clusters, pct(d.estimate), pct(d.bias), planned ? "  <- planned" : "");
}

}  // namespace

void print_live_test_plan(std::ostream& out, const sim::Scenario& scenario,
                          const sim::LiveTestPlan& plan) {
  const sim::LiveTestOptions& o = plan.options;
  fmt::print(out,
             "Live test of '{}' against '{}' in scenario '{}': {} HCPs for {} weeks, {} simulated "
             "tests, two-sided alpha {}\n",
             o.treatment_arm, o.control_arm, scenario.name, o.hcps, o.weeks, o.trials, o.alpha);
  fmt::print(
      out, "  outcome: first prescription within the test; control rate {:.2f}% [{:.2f}, {:.2f}]\n",
      100 * plan.control_rate.mean, 100 * plan.control_rate.lower, 100 * plan.control_rate.upper);
  fmt::print(out, "  true effect (all HCPs in one arm vs the other, no spillover): {}\n\n",
             pct(plan.true_effect));
  fmt::print(out, "  {:<22} {:>8} {:>12} {:>30} {:>30}\n", "design", "power", "units",
             "estimated effect (95% MC CI)", "bias vs true effect");
  print_design(out, plan.individual, !o.cluster_first);
  print_design(out, plan.cluster, o.cluster_first);
  const bool effect_clear = plan.true_effect.lower > 0.0 || plan.true_effect.upper < 0.0;
  const std::string share =
      effect_clear ? fmt::format(" ({:+.0f}% of the true effect)",
                                 100 * plan.individual.bias.mean / plan.true_effect.mean)
                   : std::string();
  fmt::print(out,
             "\n  Spillover: randomising individuals biases the estimate by {:+.2f} points{},\n"
             "  because peers in different arms influence each other; randomising by {} leaves "
             "{:+.2f} points.\n",
             100 * plan.individual.bias.mean, share, o.cluster_field, 100 * plan.cluster.bias.mean);
  if (!effect_clear) {
    fmt::print(out,
               "  The true effect cannot be told from zero at this size and length, so no "
               "test of it has power.\n");
  }
  fmt::print(out, "  Clustering by {} changes power by {:+.0f} points ({} units instead of {}).\n",
             o.cluster_field, 100 * (plan.cluster.power - plan.individual.power),
             static_cast<long long>(plan.cluster.clusters),
             static_cast<long long>(plan.individual.clusters));
}

}  // namespace journeysim::reports
