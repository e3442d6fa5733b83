// The A/B evaluation from the command line: run's evaluation outputs, the
// selection procedures, size and plan, and their bad-input cases (exit 2).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim {
namespace {

const std::string kQuickstart = std::string(JOURNEYSIM_SOURCE_DIR) + "/scenarios/quickstart";

using testing::read;
using testing::Result;

class EvaluationCli : public testing::CliTest {
 protected:
  std::string out_dir() const { return (dir_ / "run").string(); }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(EvaluationCli, RunWritesTheEvaluationAndADecisionTable) {
  const Result r = run("run " + kQuickstart + " --replications 3 --out " + out_dir());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Decision on trial_rate")) << r.out;
  EXPECT_TRUE(contains(r.out, "Recommendation:")) << r.out;
  const auto summary =
      nlohmann::json::parse(read(std::filesystem::path(out_dir()) / "summary.json"));
  ASSERT_TRUE(summary.contains("evaluation"));
  EXPECT_EQ(summary["evaluation"]["control_arm"], "business_as_usual");
  EXPECT_EQ(summary["evaluation"]["arms"].size(), 4U);
  double total = 0.0;
  for (const auto& arm : summary["evaluation"]["arms"])
    total += arm["probability_best"].get<double>();
  EXPECT_NEAR(total, 1.0, 1e-9);
  const std::string comparisons = read(std::filesystem::path(out_dir()) / "comparisons.csv");
  // 3 non-control arms x 7 metrics, plus the preamble and the header.
  EXPECT_EQ(std::count(comparisons.begin(), comparisons.end(), '\n'), 2 + 3 * 7);
  const std::string km = read(std::filesystem::path(out_dir()) / "km.csv");
  EXPECT_TRUE(contains(km, "arm,day,at_risk_start,survival,cumulative_first_prescription"));
}

// ---- economics (docs/economics.md) ---------------------------------------------

// Splits one CSV line without quoted fields (the quickstart's arm names have none).
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

TEST_F(EvaluationCli, RunWritesEconomicsCsvJsonAndConsoleLines) {
  const Result r = run("run " + kQuickstart + " --replications 3 --size 1000 --out " + out_dir());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "costs and values are the company's; patient outcomes are not "
                       "modelled"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "Frontier (the cheapest arms not beaten on both cost and")) << r.out;
  const auto summary =
      nlohmann::json::parse(read(std::filesystem::path(out_dir()) / "summary.json"));
  const auto& economics = summary["evaluation"]["economics"];
  EXPECT_EQ(economics["outcome"], "trialists");
  EXPECT_EQ(economics["values"]["value_per_trialist"], 12000.0);
  EXPECT_EQ(economics["budget"], 800000.0);
  ASSERT_EQ(economics["arms"].size(), 4U);
  std::size_t on_frontier = 0;
  for (const auto& arm : economics["arms"]) {
    const std::string status = arm["frontier"]["status"];
    EXPECT_TRUE(status == "frontier" || status == "strongly_dominated" ||
                status == "extendedly_dominated")
        << status;
    on_frontier += status == "frontier" ? 1 : 0;
    // NMB = value - cost, per replication and so in the mean.
    EXPECT_NEAR(arm["net_monetary_benefit"]["mean"].get<double>(),
                arm["value"]["mean"].get<double>() - arm["cost"]["mean"].get<double>(), 1e-6)
        << arm["name"];
    EXPECT_NEAR(arm["value"]["mean"].get<double>(), 12000.0 * arm["outcome"]["mean"].get<double>(),
                1e-6);
  }
  EXPECT_GE(on_frontier, 1U);  // The cheapest arm is never dominated.
  // With values, the recommended arm is the one with the highest NMB within budget.
  EXPECT_EQ(summary["evaluation"]["recommended_arm"], economics["best_net_monetary_benefit_arm"]);

  std::istringstream csv(read(std::filesystem::path(out_dir()) / "economics.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_TRUE(contains(line, "# journeysim economics schema=1 scenario=quickstart")) << line;
  std::getline(csv, line);
  const std::vector<std::string> header = cells(line);
  ASSERT_EQ(header.size(), 33U) << line;
  EXPECT_EQ(header[0], "arm");
  EXPECT_EQ(header[10], "nmb");
  EXPECT_EQ(header[28], "frontier_status");
  EXPECT_EQ(header[31], "over_budget");
  EXPECT_EQ(header[32], "recommended");
  std::size_t rows = 0, recommended = 0;
  while (std::getline(csv, line)) {
    const std::vector<std::string> row = cells(line);
    ASSERT_EQ(row.size(), header.size()) << line;
    ++rows;
    recommended += row[32] == "1" ? 1 : 0;
    if (row[32] == "1") {
      EXPECT_EQ(row[0], summary["evaluation"]["recommended_arm"]);
    }
    // CSV numbers carry 6 significant digits: nmb = value - cost within that.
    const double value = std::stod(row[7]), cost = std::stod(row[1]), nmb = std::stod(row[10]);
    EXPECT_NEAR(nmb, value - cost, 1e-5 * value) << line;
  }
  EXPECT_EQ(rows, 4U);
  EXPECT_EQ(recommended, 1U);
  const std::string html = read(std::filesystem::path(out_dir()) / "report.html");
  EXPECT_TRUE(contains(html, "<h3>Money</h3>"));
  EXPECT_TRUE(contains(html, "patient outcomes are not modelled"));
  // The frontier chart: one point per arm, flagged as the economics block says.
  const auto chart =
      nlohmann::json::parse(read(std::filesystem::path(out_dir()) / "charts" / "frontier.vl.json"));
  const auto& points = chart["data"]["values"];
  ASSERT_EQ(points.size(), 4U);
  for (std::size_t a = 0; a < 4; ++a) {
    EXPECT_EQ(points[a]["frontier"].get<bool>(),
              economics["arms"][a]["frontier"]["status"] == "frontier");
    EXPECT_DOUBLE_EQ(points[a]["cost"].get<double>(),
                     economics["arms"][a]["cost"]["mean"].get<double>());
  }
}

TEST_F(EvaluationCli, BudgetNoArmMeetsIsAPlainWarning) {
  const testing::ScenarioCopy copy;
  copy.replace("scenario.yaml", "budget: 800000", "budget: 1");
  const Result r = run("run " + copy.folder().string() +
                       " --replications 2 --size 500 --no-hcp-outcomes --out " + out_dir());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Warning: no arm keeps within the budget of 1 EUR")) << r.out;
  const auto summary =
      nlohmann::json::parse(read(std::filesystem::path(out_dir()) / "summary.json"));
  EXPECT_EQ(summary["evaluation"]["economics"]["warnings"].size(), 1U);
}

TEST_F(EvaluationCli, NegativeValueIsBadInputNamingTheField) {
  const testing::ScenarioCopy copy;
  copy.replace("scenario.yaml", "value_per_trialist: 12000", "value_per_trialist: -12000");
  const Result r = run("run " + copy.folder().string() + " --replications 2 --out " + out_dir());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "scenario.yaml:")) << r.err;
  EXPECT_TRUE(contains(r.err, "economics.value_per_trialist")) << r.err;
}

TEST_F(EvaluationCli, RunWithOneReplicationIsBadInput) {
  const Result r = run("run " + kQuickstart + " --replications 1 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--replications")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out_dir()));
}

TEST_F(EvaluationCli, KnNeedsAPositiveDeltaAndAlphaInsideZeroOne) {
  Result r = run("run " + kQuickstart + " --select kn --delta 0 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--delta")) << r.err;
  r = run("run " + kQuickstart + " --select kn --delta -0.01 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  r = run("run " + kQuickstart + " --select kn --delta 0.01 --alpha 1.5 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--alpha")) << r.err;
  r = run("run " + kQuickstart + " --select kn --delta 0.01 --alpha 0 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  r = run("run " + kQuickstart + " --select fastest --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--select")) << r.err;
}

TEST_F(EvaluationCli, KnReportsItsGuarantee) {
  const Result r =
      run("run " + kQuickstart + " --select kn --delta 0.005 --alpha 0.05 --out " + out_dir());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Selection by KN")) << r.out;
  EXPECT_TRUE(contains(r.out, "P(correct selection) >= 0.95")) << r.out;
  const auto summary =
      nlohmann::json::parse(read(std::filesystem::path(out_dir()) / "summary.json"));
  EXPECT_EQ(summary["selection"]["procedure"], "KN");
}

TEST_F(EvaluationCli, UnknownControlArmIsBadInput) {
  testing::ScenarioCopy copy;
  copy.replace("scenario.yaml", "control_arm: business_as_usual", "control_arm: nosuch");
  const Result r = run("run " + copy.folder().string() + " --replications 2 --out " + out_dir());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "control_arm")) << r.err;
  EXPECT_TRUE(contains(r.err, "scenario.yaml")) << r.err;
}

TEST_F(EvaluationCli, SizeAgreesWithRsPowerPropTestExample) {
  // R: power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.70693.
  const Result r = run("size --p-control 0.5 --p-treatment 0.75 --power 0.9");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "77")) << r.out;
}

TEST_F(EvaluationCli, SizeWithEqualRatesIsBadInput) {
  const Result r = run("size --p-control 0.1 --p-treatment 0.1");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--p-treatment") || contains(r.err, "--p-control")) << r.err;
}

TEST_F(EvaluationCli, PlanWithAnUnknownClusterFieldIsBadInput) {
  const Result r = run("plan " + kQuickstart +
                       " --arms business_as_usual,barrier_matched --randomize cluster:shoe_size");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--randomize")) << r.err;
  EXPECT_TRUE(contains(r.err, "shoe_size")) << r.err;
}

TEST_F(EvaluationCli, PlanReportsPowerBiasAndSpillover) {
  const Result r =
      run("plan " + kQuickstart +
          " --arms business_as_usual,barrier_matched --hcps 1000 --weeks 8 --trials 4");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "individual")) << r.out;
  EXPECT_TRUE(contains(r.out, "cluster:practice")) << r.out;
  EXPECT_TRUE(contains(r.out, "Spillover")) << r.out;
  EXPECT_TRUE(contains(r.out, "metric (the scenario's primary_metric): trial_rate")) << r.out;
  EXPECT_TRUE(contains(r.out, "A/A rejections")) << r.out;
  EXPECT_TRUE(contains(r.out, "MCSE")) << r.out;
  EXPECT_TRUE(contains(r.out, "4 trials fall short: rerun with --trials")) << r.out;
  // Both arms queue rep_visit calls on one capacity (tables/channels.csv: 400 a week).
  EXPECT_TRUE(contains(r.out, "both arms queue calls on rep_visit (400 a week)")) << r.out;
}

// Two arms running the same journey: with common random numbers the true
// effect is exactly zero, so whatever noise the four simulated tests show,
// plan must not put a bias down to peers.
TEST_F(EvaluationCli, PlanOfTwoIdenticalArmsAttributesNothingToPeers) {
  const testing::ScenarioCopy copy;
  copy.replace("scenario.yaml", "control_arm: business_as_usual",
               "  - name: business_as_usual_again\n"
               "    journeys: [journeys/business_as_usual.yaml]\n"
               "control_arm: business_as_usual");
  const Result r = run("plan " + copy.folder().string() +
                       " --arms business_as_usual,business_as_usual_again --hcps 1000 --weeks 8 "
                       "--trials 4");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "true effect (everyone in one arm vs the other, no spillover): +0.00 pts "
                       "(95% MC interval +0.00 to +0.00,"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "because peers")) << r.out;
}

TEST_F(EvaluationCli, PlanWithAZeroPrecisionTargetIsBadInput) {
  const Result r =
      run("plan " + kQuickstart + " --arms business_as_usual,barrier_matched --target-bias-mcse 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--target-bias-mcse")) << r.err;
}

}  // namespace
}  // namespace journeysim
