#include "reports/live_test_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>

namespace journeysim::reports {
namespace {

// Every figure is printed with its Monte Carlo standard error (Morris, White
// & Crowther 2019, Statistics in Medicine 38:2074-2102, Table 6): the means as
// sd / sqrt(T), the shares as sqrt(p (1 - p) / T).

bool is_rate(const sim::LiveTestPlan& plan) { return plan.metric != "prescriptions"; }

// A value of the metric or of a difference in it: rates in percentage points,
// prescriptions per HCP.
std::string amount(const sim::LiveTestPlan& plan, double x, bool sign = true) {
  if (is_rate(plan))
    return sign ? fmt::format("{:+.2f} pts", 100 * x) : fmt::format("{:.2f}%", 100 * x);
  return sign ? fmt::format("{:+.3f}", x) : fmt::format("{:.3f}", x);
}

std::string unit_mcse(const sim::LiveTestPlan& plan, double mcse) {
  return is_rate(plan) ? fmt::format("{:.2f} pts", 100 * mcse) : fmt::format("{:.3f}", mcse);
}

// A bare number in the metric's unit, for interval ends.
std::string bare(const sim::LiveTestPlan& plan, double x) {
  return is_rate(plan) ? fmt::format("{:+.2f}", 100 * x) : fmt::format("{:+.3f}", x);
}

std::string with_interval(const sim::LiveTestPlan& plan, const sim::McMean& m) {
  return fmt::format("{} (95% MC interval {} to {}, MCSE {})", amount(plan, m.interval.mean),
                     bare(plan, m.interval.lower), bare(plan, m.interval.upper),
                     unit_mcse(plan, m.mcse));
}

std::string share(const sim::McShare& s) {
  return fmt::format("{:.1f}% ({} of {}; MCSE {:.1f} pts)", 100 * s.share, s.count, s.trials,
                     100 * s.mcse);
}

std::string metric_words(const sim::LiveTestPlan& plan) {
  if (plan.metric == "trial_rate")
    return "trial_rate, a first prescription within the test, among HCPs who start below "
           "trialing";
  if (plan.metric == "adoption_rate") return "adoption_rate, at adopted or beyond at the end";
  return "prescriptions per HCP over the test";
}

void print_design(std::ostream& out, const sim::LiveTestPlan& plan, const sim::DesignPerformance& d,
                  bool planned) {
  fmt::print(out, "  {} randomisation, {:.0f} units{}\n", d.design, d.clusters,
             planned ? "  <- planned" : "");
  fmt::print(out, "    power              {}\n", share(d.power));
  fmt::print(out, "    estimated effect   {} (MCSE {})\n", amount(plan, d.estimate.interval.mean),
             unit_mcse(plan, d.estimate.mcse));
  fmt::print(out, "    bias               {}\n", with_interval(plan, d.bias));
  fmt::print(out, "    A/A rejections     {}, should be near alpha {}\n", share(d.null_rejections),
             plan.options.alpha);
}

// The sentence on one design's bias; only a bias toward zero is put down to
// peers, and to the field force as well when its capacity binds.
std::string bias_sentence(const sim::LiveTestPlan& plan, const sim::DesignPerformance& d,
                          const std::string& randomising) {
  const std::string figure = with_interval(plan, d.bias);
  const std::string field_force =
      plan.capacity_binds ? "; the shared field force (below) can" : std::string();
  switch (d.finding) {
    case sim::BiasFinding::none_detected:
      return fmt::format("no bias detected from randomising {} at {} trials: {}, which covers zero",
                         randomising, plan.options.trials, figure);
    case sim::BiasFinding::toward_zero:
      return fmt::format(
          "randomising {} biases the estimate toward zero by {}, {:+.0f}% of the true effect, "
          "because peers in different arms influence each other{}",
          randomising, figure, 100 * d.bias.interval.mean / plan.true_effect.interval.mean,
          plan.capacity_binds
              ? ", or because the arms compete for the field force (below): the figure holds both"
              : "");
    case sim::BiasFinding::past_zero:
      return fmt::format(
          "randomising {} moves the estimate past zero by {}, more than the true effect: peer "
          "spillover alone does not do that{}",
          randomising, figure, field_force);
    case sim::BiasFinding::away_from_zero:
      return fmt::format(
          "randomising {} moves the estimate away from zero by {}: not the dilution peer "
          "spillover causes{}",
          randomising, figure, field_force);
    case sim::BiasFinding::no_direction:
      break;
  }
  return fmt::format(
      "randomising {} biases the estimate by {}, but the true effect's sign is unclear, so this "
      "is not called spillover",
      randomising, figure);
}

std::string channel_list(const sim::LiveTestPlan& plan, bool both) {
  std::string list;
  for (const sim::SharedFieldForce& f : plan.field_force) {
    if ((f.used_by_control && f.used_by_treatment) != both) continue;
    if (!list.empty()) list += ", ";
    list += fmt::format("{} ({} a week)", f.channel, f.capacity_per_week);
  }
  return list;
}

// The field force as a second path of interference (docs/statistics.md).
// The engine keeps one queue and one weekly capacity per channel per run, so
// in the mixed run of the simulated test the two arms share it.
void print_field_force(std::ostream& out, const sim::LiveTestPlan& plan) {
  if (plan.field_force.empty()) return;
  const sim::LiveTestOptions& o = plan.options;
  const std::string both = channel_list(plan, true);
  const std::string one = channel_list(plan, false);
  fmt::print(out, "  Field force, a second path of interference between arms:\n");
  if (!both.empty()) {
    fmt::print(out,
               "    both arms queue calls on {}. The simulated test, like a live test with one "
               "field force,\n"
               "    serves both arms from that one capacity: a call for one arm's HCP is a call "
               "the other arm's do not get.\n",
               both);
  }
  if (!one.empty()) {
    fmt::print(out,
               "    only one arm queues calls on {}: in the test its half of the HCPs has that "
               "capacity to itself.\n",
               one);
  }
  fmt::print(out,
             "    The true effect gives each arm the whole capacity (as set, for all {} HCPs), "
             "so where capacity binds\n"
             "    the bias above includes this path. Calls that expired unserved per simulated "
             "test: everyone in '{}'\n"
             "    {:.0f} (MCSE {:.1f}), everyone in '{}' {:.0f} (MCSE {:.1f}), the individually "
             "randomised test {:.0f} (MCSE {:.1f}).\n",
             o.hcps, o.control_arm, plan.expired_control.interval.mean, plan.expired_control.mcse,
             o.treatment_arm, plan.expired_treatment.interval.mean, plan.expired_treatment.mcse,
             plan.expired_individual.interval.mean, plan.expired_individual.mcse);
}

// Trials the stated precision needs (Morris et al. 2019, section 5.3).
void print_precision(std::ostream& out, const sim::LiveTestPlan& plan) {
  const sim::LiveTestOptions& o = plan.options;
  const sim::TrialsNeeded& n = plan.trials_needed;
  const std::string bias_target =
      plan.effect_clear
          ? fmt::format(" ({})", unit_mcse(plan, o.target_bias_mcse *
                                                     std::abs(plan.true_effect.interval.mean)))
          : std::string();
  fmt::print(out,
             "  Precision wanted: bias MCSE at most {:.0f}% of the true effect{}, power and A/A "
             "MCSE at most {:.1f} pts.\n",
             100 * o.target_bias_mcse, bias_target, 100 * o.target_rate_mcse);
  const std::string bias =
      plan.effect_clear ? fmt::format("{}", n.bias) : std::string("none (true effect unclear)");
  fmt::print(out,
             "    trials needed, T = variance / MCSE^2 (Morris et al. 2019): bias {}, power {}, "
             "A/A {}\n",
             bias, n.power, n.null_rejections);
  if (n.all() > o.trials) {
    fmt::print(out, "    {} trials fall short: rerun with --trials {}.\n", o.trials, n.all());
  } else {
    fmt::print(out, "    {} trials meet it.\n", o.trials);
  }
}

}  // namespace

void print_live_test_plan(std::ostream& out, const sim::Scenario& scenario,
                          const sim::LiveTestPlan& plan) {
  const sim::LiveTestOptions& o = plan.options;
  fmt::print(out,
             "Live test of '{}' against '{}' in scenario '{}': {} HCPs for {} weeks, {} simulated "
             "tests, two-sided alpha {}\n",
             o.treatment_arm, o.control_arm, scenario.name, o.hcps, o.weeks, o.trials, o.alpha);
  fmt::print(out, "  metric (the scenario's primary_metric): {}\n", metric_words(plan));
  fmt::print(out, "  everyone in '{}': {} (MCSE {})\n", o.control_arm,
             amount(plan, plan.control_level.interval.mean, false),
             unit_mcse(plan, plan.control_level.mcse));
  fmt::print(out, "  true effect (everyone in one arm vs the other, no spillover): {}\n\n",
             with_interval(plan, plan.true_effect));
  print_design(out, plan, plan.individual, !o.cluster_first);
  print_design(out, plan, plan.cluster, o.cluster_first);
  fmt::print(out, "\n  Spillover: {}.\n", bias_sentence(plan, plan.individual, "individuals"));
  fmt::print(out, "  Cluster design: {}.\n",
             bias_sentence(plan, plan.cluster, "by " + o.cluster_field));
  if (!plan.effect_clear) {
    fmt::print(out,
               "  The true effect cannot be told from zero at this size and length, so no "
               "test of it has power.\n");
  }
  fmt::print(out,
             "  Clustering by {} changes power by {:+.1f} points (MCSE {:.1f}; {:.0f} units "
             "instead of {:.0f}).\n",
             o.cluster_field, 100 * plan.power_change.interval.mean, 100 * plan.power_change.mcse,
             plan.cluster.clusters, plan.individual.clusters);
  print_field_force(out, plan);
  print_precision(out, plan);
}

}  // namespace journeysim::reports
