// report.html and charts/ written by `journeysim sweep` (docs/sweep.md,
// report.html and charts/): every chart is there with data, the page needs no
// network, and the summary sentence names the recommended arm and where it
// changes.
#include "reports/sweep_report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "reports/sweep_outputs.hpp"
#include "sim/parameters.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace journeysim::reports {
namespace {

namespace fs = std::filesystem;

const fs::path kScenario = fs::path(JOURNEYSIM_TEST_DATA) / "sweep";
const std::string kHazard = "stage_hazards.considering.base_hazard";
const std::string kLapse = "model.lapse.rate_per_day";

class TempFolder {
 public:
  TempFolder() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / ("journeysim-sweep-report-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, nlohmann::json> chart_specs(const fs::path& folder) {
  std::map<std::string, nlohmann::json> specs;
  for (const auto& entry : fs::directory_iterator(folder / "charts")) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name.ends_with(".vl.json")) << name;
    specs[name.substr(0, name.size() - 8)] = nlohmann::json::parse(read(entry.path()));
  }
  return specs;
}

// A real sweep of the test scenario: 3 values of the considering hazard, 2 replications.
struct SmallSweep {
  sim::Scenario scenario;
  sim::SweepResult result;

  explicit SmallSweep(bool two_axes = false) {
    scenario = sim::load_scenario(kScenario);
    sim::set_parameter(scenario, "population.size", 300);
    sim::SweepOptions options;
    options.axes.push_back({kHazard, 0.003, 0.012, 3});
    if (two_axes) options.axes.push_back({kLapse, 0.005, 0.02, 2});
    options.seed = 11;
    options.replications = 2;
    result = sim::run_sweep(scenario, options);
  }
};

TEST(SweepReport, WritesEveryChartWithDataBeforeSweepJson) {
  const SmallSweep sweep;
  const TempFolder folder;
  write_sweep_outputs(folder.path(), sweep.scenario, sweep.result, "test");
  const std::string html = read(folder.path() / "report.html");
  ASSERT_FALSE(html.empty());
  for (const char* section : {"answer", "metric", "uplift", "tornado", "run"}) {
    EXPECT_NE(html.find(std::string("<section class=\"report-section\" id=\"") + section + "\">"),
              std::string::npos)
        << section;
  }
  const auto specs = chart_specs(folder.path());
  for (const char* name : {"metric_1", "uplift_1", "tornado"}) {
    ASSERT_TRUE(specs.contains(name)) << name;
  }
  EXPECT_EQ(specs.size(), 3U);
  for (const auto& [name, spec] : specs) {
    EXPECT_EQ(spec.at("$schema"), "https://vega.github.io/schema/vega-lite/v6.json") << name;
    EXPECT_TRUE(spec.at("title").contains("text")) << name;
    const nlohmann::json& rows = spec.at("data").at("values");
    EXPECT_TRUE(rows.is_array() && rows.size() > 1) << name;
    EXPECT_NE(html.find("id=\"chart-" + name + "\""), std::string::npos) << name;
    // Field names are plain: no dot that Vega-Lite would read as nesting.
    for (const auto& [key, value] : rows.at(1).items()) {
      EXPECT_EQ(key.find('.'), std::string::npos) << name << ": " << key;
    }
  }
  // The metric chart: one row per point and arm, plus the panel's marker row.
  const nlohmann::json& metric_rows = specs.at("metric_1").at("data").at("values");
  EXPECT_EQ(metric_rows.size(), 1U + 3U * 2U);
  EXPECT_EQ(specs.at("metric_1").at("layer").at(0).at("encoding").at("x").at("title"),
            kHazard + ": " + sim::describe_parameter(sweep.scenario, kHazard).meaning);
  // The uplift chart holds only the non-control arm, paired with the control.
  for (const nlohmann::json& row : specs.at("uplift_1").at("data").at("values")) {
    if (row.at("kind") == "arm") {
      EXPECT_EQ(row.at("arm"), "evidence");
    }
  }
  // The tornado: one bar for the one parameter.
  std::size_t bars = 0;
  for (const nlohmann::json& row : specs.at("tornado").at("data").at("values")) {
    bars += row.at("kind") == "bar" ? 1 : 0;
  }
  EXPECT_EQ(bars, 1U);
  // The summary sentence names the recommended arm; the rerun command is there.
  const std::string sentence = sweep_summary_sentence(sweep.scenario, sweep.result);
  EXPECT_NE(html.find(sentence), std::string::npos) << sentence;
  EXPECT_NE(sentence.find(sweep.scenario.arms[sweep.result.points.front().recommended].name),
            std::string::npos)
      << sentence;
  EXPECT_NE(html.find("journeysim sweep "), std::string::npos);
  EXPECT_NE(html.find("--replications 2 --seed 11 --set population.size=300 --set " + kHazard +
                      "=0.003:0.012:3"),
            std::string::npos);
  // sweep.json is written after the report and lists it.
  const auto last = fs::last_write_time(folder.path() / "sweep.json");
  EXPECT_GE(last, fs::last_write_time(folder.path() / "report.html"));
  const nlohmann::json summary = nlohmann::json::parse(read(folder.path() / "sweep.json"));
  EXPECT_EQ(summary.at("files").back(), "report.html");
}

TEST(SweepReport, NeedsNothingFromTheNetwork) {
  const SmallSweep sweep;
  const std::string html = sweep_report_html(sweep.scenario, sweep.result, "test", "out/x");
  const std::regex remote_script(R"(<script[^>]*\ssrc\s*=)", std::regex::icase);
  const std::regex remote_link(R"(<link[^>]*href\s*=\s*["']?(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, remote_script));
  EXPECT_FALSE(std::regex_search(html, remote_link));
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("/* vega-lite */"), std::string::npos);
}

TEST(SweepReport, TwoParametersGetOneChartEachWithPanels) {
  const SmallSweep sweep(true);
  const TempFolder folder;
  write_sweep_report(folder.path(), sweep.scenario, sweep.result, "test");
  const auto specs = chart_specs(folder.path());
  for (const char* name : {"metric_1", "metric_2", "uplift_1", "uplift_2", "tornado"}) {
    ASSERT_TRUE(specs.contains(name)) << name;
  }
  // Along the hazard: one panel per lapse value (2); along the lapse: one per hazard value (3).
  EXPECT_EQ(specs.at("metric_1").at("facet").at("sort").size(), 2U);
  EXPECT_EQ(specs.at("metric_2").at("facet").at("sort").size(), 3U);
  EXPECT_EQ(specs.at("metric_2").at("facet").at("sort").at(0), kHazard + " = 0.003");
}

// A hand-made result: two arms, the recommendation changes along the axis.
sim::SweepResult changing_result(const sim::Scenario& scenario,
                                 const std::vector<std::size_t>& recommended) {
  sim::SweepResult result;
  result.seed = 1;
  result.replications = 2;
  sim::ResolvedAxis axis;
  axis.axis = {kHazard, 1, static_cast<double>(recommended.size()),
               static_cast<std::uint32_t>(recommended.size())};
  axis.parameter = sim::describe_parameter(scenario, kHazard);
  for (std::size_t i = 0; i < recommended.size(); ++i) {
    axis.values.push_back(static_cast<double>(i + 1));
    sim::SweepPoint point;
    point.values = {static_cast<double>(i + 1)};
    point.arms.resize(2);
    point.recommended = recommended[i];
    point.arms[recommended[i]].recommended = true;
    result.points.push_back(point);
  }
  result.axes = {axis};
  result.base = result.points.front();
  return result;
}

TEST(SweepReport, SentenceSaysWhereTheRecommendationChanges) {
  const sim::Scenario scenario = sim::load_scenario(kScenario);
  ASSERT_EQ(scenario.arms[0].name, "calendar");
  ASSERT_EQ(scenario.arms[1].name, "evidence");
  EXPECT_EQ(sweep_summary_sentence(scenario, changing_result(scenario, {1, 1, 1})),
            "The recommendation is evidence at every point of the grid (3 points).");
  EXPECT_EQ(sweep_summary_sentence(scenario, changing_result(scenario, {0, 0, 1, 1})),
            "The recommendation changes from calendar at " + kHazard + " = 2 to evidence at " +
                kHazard + " = 3.");
  EXPECT_EQ(sweep_summary_sentence(scenario, changing_result(scenario, {0, 1, 0})),
            "The recommendation changes from calendar at " + kHazard + " = 1 to evidence at " +
                kHazard + " = 2, then from evidence at " + kHazard + " = 2 to calendar at " +
                kHazard + " = 3.");
  // The report marks the change in the uplift chart.
  const TempFolder folder;
  write_sweep_report(folder.path(), scenario, changing_result(scenario, {0, 0, 1, 1}), "test");
  std::size_t changes = 0;
  const auto specs = chart_specs(folder.path());
  for (const nlohmann::json& row : specs.at("uplift_1").at("data").at("values")) {
    if (row.at("kind") == "change") {
      ++changes;
      EXPECT_EQ(row.at("value"), 3.0);
      EXPECT_EQ(row.at("label"), "→ evidence");
    }
  }
  EXPECT_EQ(changes, 1U);
}

}  // namespace
}  // namespace journeysim::reports
