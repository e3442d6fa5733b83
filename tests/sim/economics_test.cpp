// Decisions that weigh money (docs/economics.md): the efficiency frontier
// against published worked examples, net monetary benefit and ICER on
// hand-made results and on a small scenario built in code, and the budget.
#include "sim/economics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/evaluation.hpp"
#include "tests/sim/test_scenarios.hpp"

namespace journeysim::sim {
namespace {

std::vector<FrontierInput> options(const std::vector<std::string>& names,
                                   const std::vector<double>& costs,
                                   const std::vector<double>& effects) {
  std::vector<FrontierInput> list;
  for (std::size_t i = 0; i < names.size(); ++i) list.push_back({names[i], costs[i], effects[i]});
  return list;
}

std::size_t index_of(const std::vector<FrontierInput>& list, const std::string& name) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].name == name) return i;
  }
  throw std::logic_error("test: no option " + name);
}

// ---- efficiency frontier: published known answers ----------------------------

// dampack's own test of calculate_icers (tests/testthat/test_calculate_icers.R),
// the worked example of the VA Health Economics Resource Center (HERC,
// herc.research.va.gov, "Cost-effectiveness analysis"). Expected there:
// frontier UC, B, D, E with ICERs NA, 5000, 12500, 20000; C extendedly
// dominated; A dominated. By hand: in cost order UC(5000,1) B(10000,2)
// A(12000,1.5) C(25000,3) D(35000,4) E(55000,5); A achieves less than the
// cheaper B (strongly dominated); ICERs B 5000, C 15000, D 10000, E 20000, so
// C (15000 > 10000) goes; then B 5000, D 25000/2 = 12500, E 20000 rise.
TEST(EfficiencyFrontier, HercExampleFromDampackTests) {
  const auto list = options({"E", "D", "C", "B", "A", "UC"},
                            {55000, 35000, 25000, 10000, 12000, 5000}, {5, 4, 3, 2, 1.5, 1});
  const auto f = efficiency_frontier(list);
  ASSERT_EQ(f.size(), list.size());
  const auto at = [&](const std::string& name) { return f[index_of(list, name)]; };
  EXPECT_EQ(at("UC").status, FrontierStatus::frontier);
  EXPECT_EQ(at("UC").previous, kNoArm);
  EXPECT_TRUE(std::isnan(at("UC").icer));
  EXPECT_EQ(at("B").status, FrontierStatus::frontier);
  EXPECT_EQ(at("B").previous, index_of(list, "UC"));
  EXPECT_DOUBLE_EQ(at("B").icer, 5000.0);
  EXPECT_DOUBLE_EQ(at("B").incremental_cost, 5000.0);
  EXPECT_DOUBLE_EQ(at("B").incremental_effect, 1.0);
  EXPECT_EQ(at("D").status, FrontierStatus::frontier);
  EXPECT_EQ(at("D").previous, index_of(list, "B"));
  EXPECT_DOUBLE_EQ(at("D").icer, 12500.0);
  EXPECT_DOUBLE_EQ(at("D").incremental_cost, 25000.0);
  EXPECT_DOUBLE_EQ(at("D").incremental_effect, 2.0);
  EXPECT_EQ(at("E").status, FrontierStatus::frontier);
  EXPECT_DOUBLE_EQ(at("E").icer, 20000.0);
  EXPECT_EQ(at("C").status, FrontierStatus::extendedly_dominated);
  EXPECT_EQ(at("C").mix_lower, index_of(list, "B"));
  EXPECT_EQ(at("C").mix_upper, index_of(list, "D"));
  EXPECT_TRUE(std::isnan(at("C").icer));
  EXPECT_EQ(at("A").status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(at("A").dominated_by, index_of(list, "B"));
}

// dampack's vignette "Basic Cost Effectiveness Analysis" (vignettes/basic_cea.Rmd,
// its table vignettes/cdiff_icers.csv): eleven C. difficile strategies. Expected
// there: frontier s3, s27, s33, s31, s43, s44; s39 extendedly dominated; s4,
// s13, s37 and s20 dominated.
TEST(EfficiencyFrontier, ClostridiumDifficileVignette) {
  const auto list =
      options({"s3", "s27", "s33", "s31", "s43", "s44", "s39", "s4", "s13", "s37", "s20"},
              {57336.0059896538, 57541.2526373815, 57642.2587507842, 57934.0743411241,
               58072.1137208494, 58665.7823044647, 57814.6470919581, 57887.481549326,
               58018.6252420203, 58081.7947984323, 58634.2026441398},
              {12.9399639202408, 13.0140640696275, 13.0389116321918, 13.0966257932217,
               13.11285766912, 13.1283328397025, 13.0462790163185, 12.9970657153765,
               13.0650412387992, 13.1029711156978, 13.1100568867995});
  const auto f = efficiency_frontier(list);
  // The vignette's ICERs, to its printed precision (relative 1e-9).
  const std::vector<std::pair<std::string, double>> frontier = {{"s3", NAN},
                                                                {"s27", 2769.85470915263},
                                                                {"s33", 4065.03105249231},
                                                                {"s31", 5056.2216470406},
                                                                {"s43", 8504.2160616553},
                                                                {"s44", 38362.6519947134}};
  for (const auto& [name, icer] : frontier) {
    const FrontierEntry& e = f[index_of(list, name)];
    EXPECT_EQ(e.status, FrontierStatus::frontier) << name;
    if (std::isnan(icer)) {
      EXPECT_TRUE(std::isnan(e.icer)) << name;
    } else {
      EXPECT_NEAR(e.icer, icer, 1e-9 * icer) << name;
    }
  }
  EXPECT_EQ(f[index_of(list, "s39")].status, FrontierStatus::extendedly_dominated);
  for (const std::string name : {"s4", "s13", "s37", "s20"}) {
    EXPECT_EQ(f[index_of(list, name)].status, FrontierStatus::strongly_dominated) << name;
  }
  // s20 (58634, 13.1101) is beaten by s43 (58072, 13.1129), the cheapest arm
  // achieving at least as much.
  EXPECT_EQ(f[index_of(list, "s20")].dominated_by, index_of(list, "s43"));
}

// dampack's "default reference strategy" test: two strategies tie on effect;
// the dearer of them is dominated, as is the cheaper-but-worse one.
TEST(EfficiencyFrontier, EqualEffectsTheDearerIsDominated) {
  const auto list = options({"No Treat", "Treat all", "Test & treat"},
                            {163771.0, 164848.7, 163765.1}, {6.48273, 6.52861, 6.52861});
  const auto f = efficiency_frontier(list);
  EXPECT_EQ(f[2].status, FrontierStatus::frontier);
  EXPECT_EQ(f[0].status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(f[0].dominated_by, 2U);
  EXPECT_EQ(f[1].status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(f[1].dominated_by, 2U);
}

// Composed by hand: equal costs and exact duplicates.
//   cheap  (50, 2)  and twin (50, 2): identical; the later in input order is
//          dominated by the earlier (dampack's sort keeps input order on
//          full ties and its rule "effect <= an earlier one" then applies).
//   lower  (100, 5) and upper (100, 7): same cost; sorted higher effect
//          first, so lower is dominated by upper.
//   Frontier: cheap, upper with ICER (100 - 50) / (7 - 2) = 10.
TEST(EfficiencyFrontier, EqualCostsAndDuplicates) {
  const auto list = options({"lower", "cheap", "upper", "twin"}, {100, 50, 100, 50}, {5, 2, 7, 2});
  const auto f = efficiency_frontier(list);
  EXPECT_EQ(f[1].status, FrontierStatus::frontier);
  EXPECT_EQ(f[3].status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(f[3].dominated_by, 1U);
  EXPECT_EQ(f[0].status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(f[0].dominated_by, 2U);
  EXPECT_EQ(f[2].status, FrontierStatus::frontier);
  EXPECT_EQ(f[2].previous, 1U);
  EXPECT_DOUBLE_EQ(f[2].icer, 10.0);
}

// Composed by hand: extended dominance that needs a second pass.
//   O(0, 0)  P(10, 1)  Q(30, 2)  R(36, 4)
//   Pass 1 ICERs: P 10, Q 20, R 6/2 = 3: Q (20 > 3) goes; P (10 > 20) stays.
//   Pass 2 ICERs: P 10, R 26/3 = 8.67: P (10 > 8.67) goes.
//   Pass 3: two options left. Frontier O, R with ICER 36 / 4 = 9.
TEST(EfficiencyFrontier, ExtendedDominanceRepeatsUntilIcersRise) {
  const auto list = options({"O", "P", "Q", "R"}, {0, 10, 30, 36}, {0, 1, 2, 4});
  const auto f = efficiency_frontier(list);
  EXPECT_EQ(f[0].status, FrontierStatus::frontier);
  EXPECT_EQ(f[1].status, FrontierStatus::extendedly_dominated);
  EXPECT_EQ(f[2].status, FrontierStatus::extendedly_dominated);
  EXPECT_EQ(f[3].status, FrontierStatus::frontier);
  EXPECT_EQ(f[3].previous, 0U);
  EXPECT_DOUBLE_EQ(f[3].icer, 9.0);
  // Both lie between O and R in cost: a mix of those beats them.
  EXPECT_EQ(f[1].mix_lower, 0U);
  EXPECT_EQ(f[1].mix_upper, 3U);
  EXPECT_EQ(f[2].mix_lower, 0U);
  EXPECT_EQ(f[2].mix_upper, 3U);
}

TEST(EfficiencyFrontier, OneOptionAndNone) {
  EXPECT_TRUE(efficiency_frontier({}).empty());
  const auto f = efficiency_frontier(options({"only"}, {5}, {1}));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].status, FrontierStatus::frontier);
  EXPECT_TRUE(std::isnan(f[0].icer));
}

TEST(Money, RoundsAndGroupsThousands) {
  EXPECT_EQ(money(279000.4), "279,000");
  EXPECT_EQ(money(-1234567.6), "-1,234,568");
  EXPECT_EQ(money(999.5), "1,000");
  EXPECT_EQ(money(0.2), "0");
  EXPECT_EQ(money(-0.2), "0");
}

// ---- NMB and ICER on hand-made results ----------------------------------------

Scenario priced_scenario() {
  Scenario scenario;
  scenario.name = "economics-test";
  scenario.currency = "EUR";
  scenario.horizon_days = 3;
  scenario.population.specialties = {"cardiology"};
  scenario.arms = {Arm{"control", "", {}}, Arm{"treatment", "", {}}};
  scenario.control_arm = "control";
  scenario.economics.value_per_trialist = 200.0;
  return scenario;
}

// Three replications. Per replication r:
//   control   trialists 10, 12, 11   cost 1000, 1000, 1000
//   treatment trialists 15, 18, 18   cost 1400, 1700, 1700
// All other metrics 1; trial_rate = trialists / 100.
ExperimentResult priced_result() {
  const std::vector<std::vector<double>> trialists = {{10, 12, 11}, {15, 18, 18}};
  const std::vector<std::vector<double>> costs = {{1000, 1000, 1000}, {1400, 1700, 1700}};
  ExperimentResult result;
  result.replications = 3;
  result.population_sizes.assign(3, 100);
  result.runs.assign(2, std::vector<RunResult>(3, testing::empty_run(3)));
  result.metrics.resize(2);
  for (std::size_t a = 0; a < 2; ++a) {
    const auto add = [&](const std::string& name, std::vector<double> values) {
      ArmMetric metric;
      metric.name = name;
      metric.values = std::move(values);
      metric.summary = mean_interval(metric.values);
      result.metrics[a].push_back(metric);
    };
    std::vector<double> rate;
    for (const double t : trialists[a]) rate.push_back(t / 100.0);
    for (const std::string& name : compared_metrics()) {
      if (name == "trial_rate") {
        add(name, rate);
      } else if (name == "total_cost") {
        add(name, costs[a]);
      } else {
        add(name, std::vector<double>(3, 1.0));
      }
    }
    add("trialists", trialists[a]);
    add("adopters", std::vector<double>(3, 1.0));
  }
  return result;
}

// t(0.975) with 2 degrees of freedom, in closed form: that t has CDF
// F(t) = 1/2 + t / (2 sqrt(2 + t²)), whose inverse is t = (2p - 1) / sqrt(2p(1 - p)).
const double kT2 = 0.95 / std::sqrt(2.0 * 0.975 * 0.025);

// By hand, with value 200 per trialist:
//   NMB control   = 200 x (10, 12, 11) - 1000 = (1000, 1400, 1200), mean 1200
//   NMB treatment = 200 x (15, 18, 18) - (1400, 1700, 1700) = (1600, 1900, 1900), mean 1800
//   ΔNMB = (600, 500, 700): mean 600, sd 100, 95% CI 600 ± kT2 x 100 / √3.
//   Δcost = (400, 700, 700), Δtrialists = (5, 6, 7): ICER = 600 / 6 = 100.
//   Delta method: s_x² = 30000, s_y² = 1, s_xy = 150, x̄ = 600, ȳ = 6:
//   Var = (1/3)(1 x 600²/6⁴ - 2 x 600 x 150/6³ + 30000/6²) = 277.78 / 3 = 92.593,
//   so the interval is 100 ± kT2 x √92.593.
//   Return on spend: Δvalue = 200 x Δtrialists = (1000, 1200, 1400): 1200 / 600 = 2.
TEST(Economics, NetMonetaryBenefitAndIcerKnownAnswer) {
  const Scenario scenario = priced_scenario();
  const EconomicEvaluation e = evaluate_economics(scenario, priced_result(), 0);
  EXPECT_TRUE(e.valued);
  EXPECT_EQ(e.outcome, "trialists");
  ASSERT_EQ(e.arms.size(), 2U);
  EXPECT_DOUBLE_EQ(e.arms[0].cost.mean, 1000.0);
  EXPECT_DOUBLE_EQ(e.arms[0].outcome.mean, 11.0);
  EXPECT_DOUBLE_EQ(e.arms[0].value.mean, 2200.0);
  EXPECT_DOUBLE_EQ(e.arms[0].nmb.mean, 1200.0);
  EXPECT_DOUBLE_EQ(e.arms[1].nmb.mean, 1800.0);
  ASSERT_EQ(e.incremental.size(), 1U);
  const IncrementalEconomics& inc = e.incremental[0];
  EXPECT_EQ(inc.arm, 1U);
  EXPECT_DOUBLE_EQ(inc.cost.mean, 600.0);
  EXPECT_DOUBLE_EQ(inc.outcome.mean, 6.0);
  EXPECT_DOUBLE_EQ(inc.nmb.mean, 600.0);
  EXPECT_NEAR(inc.nmb.lower, 600.0 - kT2 * 100.0 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(inc.nmb.upper, 600.0 + kT2 * 100.0 / std::sqrt(3.0), 1e-9);
  ASSERT_TRUE(inc.icer.estimable);
  EXPECT_NEAR(inc.icer.estimate, 100.0, 1e-12);
  const double half = kT2 * std::sqrt((360000.0 / 1296.0 - 180000.0 / 216.0 + 30000.0 / 36.0) / 3);
  EXPECT_NEAR(inc.icer.lower, 100.0 - half, 1e-9);
  EXPECT_NEAR(inc.icer.upper, 100.0 + half, 1e-9);
  ASSERT_TRUE(inc.return_on_spend.estimable);
  EXPECT_NEAR(inc.return_on_spend.estimate, 2.0, 1e-12);
  EXPECT_EQ(e.best, 1U);
  // Cost 1000 -> 11 trialists, 1600 -> 17: neither beats the other on both.
  EXPECT_EQ(e.frontier[0].status, FrontierStatus::frontier);
  EXPECT_EQ(e.frontier[1].status, FrontierStatus::frontier);
  EXPECT_DOUBLE_EQ(e.frontier[1].icer, 100.0);
}

TEST(Economics, RecommendationNamesTheCostAndTheValue) {
  const Scenario scenario = priced_scenario();
  const Evaluation evaluation = evaluate(scenario, priced_result());
  EXPECT_EQ(evaluation.recommended, 1U);
  const std::string& text = evaluation.recommendation;
  // Trial rate +6 trialists / 100 = +6.0 points; ICER 100 below the 200 a prescriber is worth.
  EXPECT_NE(text.find("launch treatment: +6.0 percentage points of trial rate for +600 EUR"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("100 EUR per extra first prescriber, below the 200 EUR a first "
                      "prescriber is worth"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("net monetary benefit +600 EUR"), std::string::npos) << text;
}

// Budget 1500: the treatment's mean cost (1600) is above it, so the control,
// the only arm within the budget, is kept although its NMB is lower.
TEST(Economics, BudgetExcludesDearerArms) {
  Scenario scenario = priced_scenario();
  scenario.economics.budget = 1500.0;
  const Evaluation evaluation = evaluate(scenario, priced_result());
  const EconomicEvaluation& e = evaluation.economics;
  EXPECT_FALSE(e.arms[0].over_budget);
  EXPECT_TRUE(e.arms[1].over_budget);
  EXPECT_EQ(e.best, 0U);
  EXPECT_EQ(evaluation.recommended, 0U);
  EXPECT_TRUE(e.warnings.empty());
  EXPECT_NE(evaluation.recommendation.find("keep control"), std::string::npos)
      << evaluation.recommendation;
  EXPECT_NE(evaluation.recommendation.find("above the budget of 1,500 EUR"), std::string::npos)
      << evaluation.recommendation;
}

// Budget 900: no arm meets it. A plain warning, and the budget is ignored.
TEST(Economics, BudgetNoArmMeetsWarnsAndIgnoresIt) {
  Scenario scenario = priced_scenario();
  scenario.economics.budget = 900.0;
  const EconomicEvaluation e = evaluate_economics(scenario, priced_result(), 0);
  EXPECT_TRUE(e.arms[0].over_budget);
  EXPECT_TRUE(e.arms[1].over_budget);
  ASSERT_EQ(e.warnings.size(), 1U);
  EXPECT_NE(e.warnings[0].find("no arm keeps within the budget of 900 EUR"), std::string::npos)
      << e.warnings[0];
  EXPECT_EQ(e.best, 1U);
}

// Without values: today's recommendation, plus the frontier in words.
TEST(Economics, WithoutValuesTheRecommendationNamesTheFrontier) {
  Scenario scenario = priced_scenario();
  scenario.economics = EconomicValues{};
  const Evaluation evaluation = evaluate(scenario, priced_result());
  EXPECT_FALSE(evaluation.economics.valued);
  EXPECT_EQ(evaluation.economics.best, kNoArm);
  EXPECT_EQ(evaluation.economics.arms[0].nmb.n, 0U);
  const std::string& text = evaluation.recommendation;
  EXPECT_NE(text.find("cost was not weighed"), std::string::npos) << text;
  EXPECT_NE(text.find("not beaten on both cost and first prescribers are control and treatment"),
            std::string::npos)
      << text;
}

// ---- a scenario built in code -------------------------------------------------

// 50 HCPs who all start adopted with every barrier at 0, so none lapses
// (lapse rate x max(workflow, access) = 0) and adopters = 50 in every arm
// and replication. The "emails" arm sends one email (cost 1) every 14 days;
// "silent" sends nothing and costs 0. With 300 EUR per adopter:
//   NMB(silent) = 300 x 50 = 15000 exactly; NMB(emails) = 15000 - cost.
// The cost is taken from the run's channel totals, a different path from
// the total_cost metric the economics reads.
TEST(Economics, ScenarioBuiltInCodeNetBenefitMatchesRunTotals) {
  Scenario scenario = testing::make_scenario(50, agents::Stage::adopted, {});
  scenario.arms = {Arm{"silent", "", {}}, Arm{"emails", "", {testing::every_two_weeks("e", 0)}}};
  scenario.control_arm = "silent";
  scenario.primary_metric = "adoption_rate";
  scenario.economics.value_per_adopter = 300.0;
  ExperimentOptions options;
  options.seed = 7;
  options.replications = 3;
  options.keep_hcp_outcomes = false;
  const ExperimentResult result = run_experiment(scenario, options);
  const EconomicEvaluation e = evaluate_economics(scenario, result, 0);
  EXPECT_EQ(e.outcome, "adopters");
  EXPECT_DOUBLE_EQ(e.arms[0].nmb.mean, 15000.0);
  EXPECT_DOUBLE_EQ(e.arms[0].cost.mean, 0.0);
  double cost = 0.0;
  for (const RunResult& run : result.runs[1]) {
    EXPECT_EQ(run.adopters, 50U);
    for (const ChannelTotals& c : run.channels) cost += c.cost;
  }
  cost /= 3.0;
  EXPECT_GT(cost, 0.0);
  EXPECT_NEAR(e.arms[1].nmb.mean, 15000.0 - cost, 1e-9);
  // Same adopters, more cost: dearer and no better than silent.
  EXPECT_EQ(e.frontier[1].status, FrontierStatus::strongly_dominated);
  EXPECT_EQ(e.frontier[1].dominated_by, 0U);
  EXPECT_NEAR(e.incremental[0].nmb.mean, -cost, 1e-9);
  EXPECT_FALSE(e.incremental[0].icer.estimable);  // No extra adopters to divide by.
  EXPECT_EQ(icer_words(scenario, e, e.incremental[0]), "dearer, no clear change in adopters");
  EXPECT_EQ(e.best, 0U);
}

}  // namespace
}  // namespace journeysim::sim
