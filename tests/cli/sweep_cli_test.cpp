// `journeysim sweep` and `journeysim run --set` as a user runs them: the files
// a sweep writes and what they hold, sweep.json written last, identical bytes
// at 1 and 2 threads, bad input (exit status 2 naming the option, nothing
// written), Ctrl-C (exit status 130, nothing written), the parameter list, and
// run's overrides recorded in summary.json.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.hpp"

namespace journeysim {
namespace {

using testing::quoted;
using testing::read;
using testing::Result;

const std::string kScenario = std::string(JOURNEYSIM_TEST_DATA) + "/sweep";
const std::string kHazard = "stage_hazards.considering.base_hazard";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The data lines of a journeysim CSV: without the '# journeysim' preamble.
std::vector<std::string> csv_lines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# journeysim", 0) != 0) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

class SweepCli : public testing::CliTest {
 protected:
  std::filesystem::path out(const std::string& name) const { return dir_ / name; }

  Result sweep(const std::string& sets, const std::string& folder, const std::string& extra = "") {
    return run("sweep " + quoted(kScenario) + " " + sets + " --out " + quoted(out(folder)) +
               " --replications 3 " + extra);
  }
};

TEST_F(SweepCli, WritesSweepTornadoAndSummaryLast) {
  const Result r = sweep("--set " + kHazard + "=0.003:0.012:3", "s");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> rows = csv_lines(out("s") / "sweep.csv");
  ASSERT_EQ(rows.size(), 1U + 3U * 2U);  // Header, then 3 points x 2 arms.
  EXPECT_EQ(rows[0],
            "point," + kHazard +
                ",arm,control,recommended,metric,mean,ci95_lower,ci95_upper,uplift,"
                "uplift_ci95_lower,uplift_ci95_upper,p_best,cost,cost_ci95_lower,cost_ci95_upper,"
                "opt_out_rate,opt_out_rate_ci95_lower,opt_out_rate_ci95_upper");
  const std::vector<std::string> first = split(rows[1]);
  ASSERT_EQ(first.size(), split(rows[0]).size()) << rows[1];
  EXPECT_EQ(first[0], "0");
  EXPECT_EQ(first[1], "0.003");
  EXPECT_EQ(first[2], "calendar");
  EXPECT_EQ(first[3], "1");
  EXPECT_EQ(first[9], "") << "the control has no uplift";
  EXPECT_EQ(split(rows[6])[1], "0.012");
  EXPECT_EQ(split(rows[6])[2], "evidence");
  EXPECT_NE(split(rows[6])[9], "");
  // Exactly one recommended arm per point.
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(std::stoi(split(rows[1 + 2 * p])[4]) + std::stoi(split(rows[2 + 2 * p])[4]), 1);
  }

  const std::vector<std::string> tornado = csv_lines(out("s") / "tornado.csv");
  ASSERT_EQ(tornado.size(), 2U);
  EXPECT_TRUE(contains(tornado[0], "rank,parameter,base_value,low_value,high_value,decision_arm"));
  EXPECT_EQ(split(tornado[1])[1], kHazard);
  EXPECT_EQ(split(tornado[1])[2], "0.006");

  const nlohmann::json summary = nlohmann::json::parse(read(out("s") / "sweep.json"));
  EXPECT_EQ(summary["schema"], 1);
  EXPECT_EQ(summary["seed"], 4242);
  EXPECT_EQ(summary["replications"], 3);
  EXPECT_EQ(summary["scenario"]["name"], "sweep-test");
  EXPECT_EQ(summary["parameters"][0]["path"], kHazard);
  EXPECT_EQ(summary["parameters"][0]["values"], nlohmann::json({0.003, 0.0075, 0.012}));
  EXPECT_EQ(summary["grid_points"], 3);
  EXPECT_EQ(summary["experiments"], 4);  // The base, 0.006, is not a grid point.
  EXPECT_EQ(summary["tornado"]["decision_arm"], "evidence");
  // sweep.json is written last.
  const auto last = std::filesystem::last_write_time(out("s") / "sweep.json");
  EXPECT_GE(last, std::filesystem::last_write_time(out("s") / "sweep.csv"));
  EXPECT_GE(last, std::filesystem::last_write_time(out("s") / "tornado.csv"));
  EXPECT_GE(last, std::filesystem::last_write_time(out("s") / "report.html"));
  // The console table shows every point and the tornado.
  EXPECT_TRUE(contains(r.out, "0.0075")) << r.out;
  EXPECT_TRUE(contains(r.out, "Sensitivity, one parameter at a time")) << r.out;
  EXPECT_TRUE(contains(r.out, "uplift of evidence over calendar on trial_rate")) << r.out;
}

TEST_F(SweepCli, TwoParametersMakeAFullGridAndFixedValuesApply) {
  const Result r = sweep("--set " + kHazard +
                             "=0.003:0.012:3 --set horizon_days=90:180:2 --set "
                             "model.lapse.rate_per_day=0.02 --no-tornado",
                         "g");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(csv_lines(out("g") / "sweep.csv").size(), 1U + 6U * 2U);
  EXPECT_FALSE(std::filesystem::exists(out("g") / "tornado.csv"));
  const nlohmann::json summary = nlohmann::json::parse(read(out("g") / "sweep.json"));
  EXPECT_EQ(summary["grid_points"], 6);
  ASSERT_EQ(summary["scenario"]["overrides"].size(), 1U);
  EXPECT_EQ(summary["scenario"]["overrides"][0]["path"], "model.lapse.rate_per_day");
  EXPECT_EQ(summary["scenario"]["overrides"][0]["value"], 0.02);
  EXPECT_EQ(summary["scenario"]["overrides"][0]["scenario_value"], 0.01);
  EXPECT_FALSE(summary.contains("tornado"));
}

TEST_F(SweepCli, IdenticalOutputsAtOneAndTwoThreads) {
  const std::string sets = "--set channels.email.base_engagement=0.2:0.6:3";
  ASSERT_EQ(sweep(sets, "t1", "--threads 1").status, 0);
  ASSERT_EQ(sweep(sets, "t2", "--threads 2").status, 0);
  EXPECT_EQ(read(out("t1") / "sweep.csv"), read(out("t2") / "sweep.csv"));
  EXPECT_EQ(read(out("t1") / "tornado.csv"), read(out("t2") / "tornado.csv"));
  EXPECT_EQ(read(out("t1") / "sweep.json"), read(out("t2") / "sweep.json"));
  EXPECT_EQ(read(out("t1") / "charts" / "tornado.vl.json"),
            read(out("t2") / "charts" / "tornado.vl.json"));
  // The rerun command names the folder, so only the rest of the page must match.
  std::string one = read(out("t1") / "report.html");
  const std::string two = read(out("t2") / "report.html");
  for (auto at = one.find(out("t1").string()); at != std::string::npos;
       at = one.find(out("t1").string(), at)) {
    one.replace(at, out("t1").string().size(), out("t2").string());
  }
  EXPECT_EQ(one, two);
}

TEST_F(SweepCli, WritesTheReportWithEveryChart) {
  const Result r = sweep("--set " + kHazard + "=0.003:0.012:3", "r");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = read(out("r") / "report.html");
  for (const std::string name : {"metric_1", "uplift_1", "tornado"}) {
    EXPECT_TRUE(contains(html, "id=\"chart-" + name + "\"")) << name;
    const nlohmann::json spec =
        nlohmann::json::parse(read(out("r") / "charts" / (name + ".vl.json")));
    EXPECT_FALSE(spec.at("data").at("values").empty()) << name;
  }
  EXPECT_FALSE(contains(html, "<script src")) << "no remote script";
  EXPECT_FALSE(contains(html, "href=\"http")) << "no remote link";
  // The summary sentence names the arm recommended at the first point.
  const std::vector<std::string> rows = csv_lines(out("r") / "sweep.csv");
  const std::string first = split(rows[1])[4] == "1" ? split(rows[1])[2] : split(rows[2])[2];
  EXPECT_TRUE(contains(html, "The recommendation ")) << html.substr(0, 200);
  EXPECT_TRUE(contains(html, "<b>The recommendation is " + first) ||
              contains(html, "<b>The recommendation changes from " + first));
}

struct BadSweep {
  std::string args;
  std::string option;  // The option the message must name.
  std::string text;    // And a part of what it says.
};

TEST_F(SweepCli, BadInputExitsTwoNamingTheOptionAndWritesNothing) {
  const std::vector<BadSweep> cases = {
      {"--set nonsense", "--set", "expected PATH=FROM:TO:STEPS"},
      {"--set " + kHazard + "=0.1:0.2", "--set", "expected PATH=FROM:TO:STEPS"},
      {"--set " + kHazard + "=a:0.2:3", "--set", "expected numbers"},
      {"--set " + kHazard + "=0.01:0.002:3", "--set", "expected FROM <= TO"},
      {"--set " + kHazard + "=0.002:0.01:1", "--set", "expected STEPS"},
      {"--set " + kHazard + "=0.002:0.01:2.5", "--set", "expected STEPS"},
      {"--set stage_hazards.considering.base=0.1:0.2:3", "--set",
       "closest: stage_hazards.considering.base_hazard"},
      {"--set model.lapse.rate_per_day=0.5:1.5:3", "--set", "grid point 3 of 3 is 1.5"},
      {"--set caps.0.max_touches=1:4:7", "--set", "both round to the whole number 2"},
      {"--set " + kHazard + "=0.001:0.01:100 --set model.lapse.rate_per_day=0:0.1:100", "--set",
       "100 x 100 points is too large"},
      {"--set network.clustered.practice_share=0.2:0.8:3", "--set", "at most 1"},
      {"--set model.lapse.rate_per_day=2", "--set", "expected a number in [0, 1], found 2"},
      {"--set model.lapse.rate_per_day=0.02", "--set", "at least one PATH=FROM:TO:STEPS"},
      {"--set " + kHazard + "=0.002:0.01:3 --replications 1", "--replications", "2 replications"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string folder = "bad" + std::to_string(i);
    const Result r =
        run("sweep " + quoted(kScenario) + " " + cases[i].args + " --out " + quoted(out(folder)));
    EXPECT_EQ(r.status, 2) << cases[i].args << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, "field '" + cases[i].option + "'")) << cases[i].args << "\n"
                                                                    << r.err;
    EXPECT_TRUE(contains(r.err, cases[i].text)) << cases[i].args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(out(folder))) << cases[i].args;
  }
  const Result no_out = run("sweep " + quoted(kScenario) + " --set " + kHazard + "=0.002:0.01:3");
  EXPECT_EQ(no_out.status, 2) << no_out.err;
  EXPECT_TRUE(contains(no_out.err, "field '--out'")) << no_out.err;
}

TEST_F(SweepCli, InterruptExits130AndWritesNothing) {
  // Thousands of replications at each of 3 points: seconds of work, so the
  // sweep is mid-way when timeout(1) sends SIGINT at 1 s.
  const std::string command =
      "timeout --preserve-status -s INT 1 " + quoted(JOURNEYSIM_EXE) + " sweep " +
      quoted(kScenario) + " --set " + kHazard + "=0.003:0.012:3 --replications 5000 --out " +
      quoted(out("int").string()) + " >" + quoted((dir_ / "int-out.txt").string()) + " 2>" +
      quoted((dir_ / "int-err.txt").string());
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(raw != -1 && WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 130) << read(dir_ / "int-err.txt");
  EXPECT_TRUE(contains(read(dir_ / "int-err.txt"), "interrupted"));
  EXPECT_FALSE(std::filesystem::exists(out("int") / "sweep.json"));
  EXPECT_FALSE(std::filesystem::exists(out("int") / "sweep.csv"));
}

TEST_F(SweepCli, ListParametersPrintsEveryPathWithItsValue) {
  const Result r = run("sweep --list-parameters " + quoted(kScenario));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "channels.email.base_engagement")) << r.out;
  EXPECT_TRUE(contains(r.out, "stage_hazards.considering.base_hazard")) << r.out;
  EXPECT_TRUE(contains(r.out, "segment_channels.cardiology_hospital.rep_visit.consent_share"));
  EXPECT_TRUE(contains(r.out, "caps.1.window_days"));
  std::istringstream lines(r.out);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.rfind("model.lapse.rate_per_day ", 0) == 0) {
      found = true;
      EXPECT_TRUE(contains(line, " 0.01 ")) << line;
      EXPECT_TRUE(contains(line, "[0, 1]")) << line;
    }
  }
  EXPECT_TRUE(found) << r.out;
  // A fixed --set shows in the list.
  const Result set =
      run("sweep --list-parameters " + quoted(kScenario) + " --set model.lapse.rate_per_day=0.25");
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_TRUE(contains(set.out, "0.25")) << set.out;
}

TEST_F(SweepCli, RunSetIsAppliedAndRecordedInSummary) {
  const std::string base =
      "run " + quoted(kScenario) + " --replications 2 --no-hcp-outcomes --out ";
  ASSERT_EQ(run(base + quoted(out("plain"))).status, 0);
  const Result r = run(base + quoted(out("set")) +
                       " --set model.lapse.rate_per_day=0.02 --set channels.email.cost=2");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json plain = nlohmann::json::parse(read(out("plain") / "summary.json"));
  const nlohmann::json set = nlohmann::json::parse(read(out("set") / "summary.json"));
  EXPECT_EQ(plain["scenario"]["overrides"], nlohmann::json::array());
  const nlohmann::json& overrides = set["scenario"]["overrides"];
  ASSERT_EQ(overrides.size(), 2U);
  EXPECT_EQ(overrides[0]["path"], "model.lapse.rate_per_day");
  EXPECT_EQ(overrides[0]["value"], 0.02);
  EXPECT_EQ(overrides[0]["scenario_value"], 0.01);
  EXPECT_EQ(overrides[1]["path"], "channels.email.cost");
  EXPECT_NE(set["scenario"]["hash"], plain["scenario"]["hash"]);
  // Email costs 2 instead of 0.5 per touch: the control arm, all email, costs 4 times as much.
  const double plain_cost = plain["arms"][0]["metrics"]["total_cost"]["mean"];
  const double set_cost = set["arms"][0]["metrics"]["total_cost"]["mean"];
  EXPECT_NEAR(set_cost, 4.0 * plain_cost, 1e-6 * set_cost);

  for (const std::string& bad : {std::string("--set model.lapse.rate_per_day"),
                                 std::string("--set model.lapse.rate_per_day=x"),
                                 std::string("--set model.lapse.rate_per_day=3"),
                                 std::string("--set model.lapse.rate=0.1")}) {
    const Result e = run(base + quoted(out("bad")) + " " + bad);
    EXPECT_EQ(e.status, 2) << bad << "\n" << e.err;
    EXPECT_TRUE(contains(e.err, "field '--set'")) << bad << "\n" << e.err;
    EXPECT_FALSE(std::filesystem::exists(out("bad") / "summary.json")) << bad;
  }
}

}  // namespace
}  // namespace journeysim
