// report.html and charts/ written by every `journeysim run` (docs/outputs.md,
// report.html and charts/).
#include "reports/run_report.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "reports/html_page.hpp"
#include "reports/run_outputs.hpp"
#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {
namespace {

namespace fs = std::filesystem;

class TempFolder {
 public:
  TempFolder() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("journeysim-report-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
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

// Every file under folder/charts, by name, with its bytes.
std::map<std::string, std::string> chart_files(const fs::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(folder / "charts")) {
    files[entry.path().filename().string()] = read(entry.path());
  }
  return files;
}

const char* const kSections[] = {"decision", "adoption", "funnel",
                                 "uplift",   "friction", "time-to-prescription",
                                 "cost",     "simulated"};

// A small run of the quickstart: 300 HCPs, 3 replications.
struct SmallRun {
  sim::Scenario scenario;
  sim::ExperimentResult result;
  std::optional<sim::Evaluation> evaluation;

  explicit SmallRun(std::size_t arms = 0, int threads = 2) {
    scenario = sim::load_scenario(fs::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
    sim::override_population_size(scenario, 300);
    if (arms > 0) {
      scenario.arms.resize(arms);
      scenario.control_arm = scenario.arms.front().name;
    }
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    sim::ExperimentOptions options;
    options.seed = 7;
    options.replications = 3;
    options.keep_hcp_outcomes = false;
    result = sim::run_experiment(scenario, options);
    if (scenario.arms.size() >= 2) evaluation = sim::evaluate(scenario, result);
  }
  void write(const fs::path& folder) const {
    write_run_outputs(folder, scenario, result, evaluation ? &*evaluation : nullptr, false, "test");
  }
};

TEST(RunReport, WritesTheReportWithEverySectionAndChart) {
  const SmallRun run;
  const TempFolder folder;
  run.write(folder.path());
  const std::string html = read(folder.path() / "report.html");
  ASSERT_FALSE(html.empty());
  for (const char* section : kSections) {
    EXPECT_NE(html.find(std::string("<section class=\"report-section\" id=\"") + section + "\">"),
              std::string::npos)
        << section;
  }
  const auto charts = chart_files(folder.path());
  EXPECT_GE(charts.size(), 12U);
  for (const auto& [name, text] : charts) {
    ASSERT_TRUE(name.ends_with(".vl.json")) << name;
    const nlohmann::json spec = nlohmann::json::parse(text);  // Throws if not JSON.
    EXPECT_EQ(spec.at("$schema"), "https://vega.github.io/schema/vega-lite/v6.json") << name;
    EXPECT_TRUE(spec.at("title").contains("text")) << name;
    const nlohmann::json& rows = spec.at("data").at("values");
    EXPECT_TRUE(rows.is_array() && !rows.empty()) << name;
    const std::string stem = name.substr(0, name.size() - 8);
    EXPECT_NE(html.find("id=\"chart-" + stem + "\""), std::string::npos) << name;
  }
  // The decision names the recommended arm and the rerun command is there.
  EXPECT_NE(html.find(run.scenario.arms[run.evaluation->recommended].name), std::string::npos);
  EXPECT_NE(html.find("journeysim run "), std::string::npos);
  EXPECT_NE(html.find("--replications 3 --seed 7 --size 300"), std::string::npos);
  // summary.json, written last, is there too.
  EXPECT_TRUE(fs::exists(folder.path() / "summary.json"));
}

TEST(RunReport, NeedsNothingFromTheNetwork) {
  const SmallRun run;
  const TempFolder folder;
  run.write(folder.path());
  const std::string html = read(folder.path() / "report.html");
  const std::regex remote_script(R"(<script[^>]*\ssrc\s*=)", std::regex::icase);
  const std::regex remote_link(R"(<link[^>]*href\s*=\s*["']?(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, remote_script));
  EXPECT_FALSE(std::regex_search(html, remote_link));
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // The three libraries are inline, with their licence notices.
  EXPECT_NE(html.find("/* vega */"), std::string::npos);
  EXPECT_NE(html.find("/* vega-lite */"), std::string::npos);
  EXPECT_NE(html.find("/* vega-embed */"), std::string::npos);
  EXPECT_NE(html.find("University of Washington Interactive Data Lab"), std::string::npos);
  EXPECT_EQ(html.find("sourceMappingURL"), std::string::npos);
}

TEST(RunReport, IsByteIdenticalOnOneAndTwoThreads) {
  const TempFolder folder;
  SmallRun(0, 1).write(folder.path());
  const std::string one = read(folder.path() / "report.html");
  const auto one_charts = chart_files(folder.path());
  SmallRun(0, 2).write(folder.path());
  EXPECT_TRUE(one == read(folder.path() / "report.html"));
  EXPECT_TRUE(one_charts == chart_files(folder.path()));
}

TEST(RunReport, WithOneArmSaysWhyThereIsNoDecision) {
  const SmallRun run(1);
  ASSERT_FALSE(run.evaluation);
  const TempFolder folder;
  run.write(folder.path());
  const std::string html = read(folder.path() / "report.html");
  EXPECT_NE(html.find("<b>No decision.</b> The scenario has one arm"), std::string::npos);
  for (const char* section : kSections) {
    EXPECT_NE(html.find(std::string("id=\"") + section + "\""), std::string::npos) << section;
  }
  EXPECT_TRUE(fs::exists(folder.path() / "charts" / "adoption_new_prescribers.vl.json"));
  EXPECT_TRUE(fs::exists(folder.path() / "charts" / "time_to_first_prescription.vl.json"));
  EXPECT_FALSE(fs::exists(folder.path() / "charts" / "uplift_primary.vl.json"));
}

TEST(RunReport, AFailedWriteLeavesNoReport) {
  const SmallRun run;
  const TempFolder folder;
  run.write(folder.path());
  ASSERT_TRUE(fs::exists(folder.path() / "report.html"));
  // charts/ as a plain file: the chart specs cannot be written.
  fs::remove_all(folder.path() / "charts");
  std::ofstream(folder.path() / "charts") << "in the way";
  EXPECT_ANY_THROW(
      write_run_report(folder.path(), run.scenario, run.result, &*run.evaluation, "test"));
  EXPECT_FALSE(fs::exists(folder.path() / "report.html"));
  for (const auto& entry : fs::directory_iterator(folder.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST(RunReport, RerunCommandRepeatsEveryOptionThatChangesTheResult) {
  SmallRun run;
  run.scenario.overrides.push_back({"model.example", 0.25, 0.5});
  EXPECT_EQ(rerun_command(run.scenario, run.result, "out dir"),
            "journeysim run " +
                (fs::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart").string() +
                " --out 'out dir' --replications 3 --seed 7 --size 300 --set model.example=0.25");
}

TEST(HtmlPage, KeepsChartJsonInsideItsScriptElement) {
  Page page;
  page.title = "A <title>";
  page.sections.push_back(
      {"one", "One", {Block{"<p>text</p>", Chart{"c", {{"note", "</script><!--"}}, ""}}}});
  const std::string html = render_page(page);
  EXPECT_NE(html.find("<title>A &lt;title&gt;</title>"), std::string::npos);
  EXPECT_EQ(html.find("</script><!--"), std::string::npos);
  EXPECT_NE(html.find(R"(\u003c/script>\u003c!--)"), std::string::npos);
}

TEST(HtmlPage, RefusesABadOrRepeatedChartName) {
  Page page;
  page.sections.push_back({"one", "One", {Block{{}, Chart{"Bad Name", {}, ""}}}});
  EXPECT_THROW(render_page(page), std::invalid_argument);
  page.sections[0].blocks = {Block{{}, Chart{"same", {}, ""}}, Block{{}, Chart{"same", {}, ""}}};
  EXPECT_THROW(render_page(page), std::invalid_argument);
}

}  // namespace
}  // namespace journeysim::reports
