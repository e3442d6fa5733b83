// `journeysim run` and `journeysim trace` as a user runs them: the files a run
// writes and what they hold, their determinism across thread counts and
// seeds, bad input (exit status 2), Ctrl-C (exit status 130, nothing written),
// and the plain-words account of one HCP's year.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/cli_runner.hpp"
#include "tests/sim/test_scenario_copy.hpp"

extern char** environ;

namespace journeysim {
namespace {

using testing::quoted;
using testing::read;
using testing::Result;
using testing::ScenarioCopy;

const std::string kQuickstart = std::string(JOURNEYSIM_SOURCE_DIR) + "/scenarios/quickstart";
constexpr std::uint32_t kQuickstartSize = 5000;
constexpr std::uint32_t kHorizon = 365;
constexpr std::uint64_t kQuickstartSeed = 20261124;
const std::vector<std::string> kArms = {"business_as_usual", "segment_targeted", "barrier_matched",
                                        "next_best_action"};
const std::vector<std::string> kStages = {"unaware",  "aware",   "considering",
                                          "trialing", "adopted", "advocate"};
// sim/runner.cpp, kMetrics.
const std::set<std::string> kMetricNames = {
    "trial_rate", "adoption_rate", "prescriptions", "touches_per_hcp", "engagement_rate",
    "opt_out_rate", "total_cost", "cost_per_trialist", "trialists", "adopters",
    // The share reaching each stage, and each channel's engagement rate.
    "reached_unaware", "reached_aware", "reached_considering", "reached_trialing",
    "reached_adopted", "reached_advocate", "engagement_rate_email_marketing",
    "engagement_rate_email_rep_triggered", "engagement_rate_rep_visit",
    "engagement_rate_rep_remote_call", "engagement_rate_webinar_live",
    "engagement_rate_video_on_demand", "engagement_rate_congress_event",
    "engagement_rate_kol_meeting", "engagement_rate_hcp_portal", "engagement_rate_sms",
    "engagement_rate_third_party_site", "engagement_rate_medical_network"};
const std::vector<std::string> kOutcomeColumns = {"arm",          "replication",
                                                  "hcp",          "start_stage",
                                                  "final_stage",  "first_prescription_day",
                                                  "adoption_day", "prescriptions",
                                                  "touches",      "engagements",
                                                  "cost",         "opt_outs",
                                                  "held_out",     "final_dominant_barrier"};
// t(0.975) with 1 degree of freedom: the 95% interval's multiplier for two replications.
constexpr double kT975OneDf = 12.706204736174707;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The 1-based line of the first occurrence of needle in text (0 if absent).
std::size_t line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<std::size_t>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Everything after the first line (the preamble, which names the seed).
std::string body(const std::string& text) { return text.substr(text.find('\n') + 1); }

// A CSV file as journeysim writes it: a preamble comment, a header, rows.
struct Csv {
  std::string preamble;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::size_t column(const std::string& name) const {
    const auto at = std::find(header.begin(), header.end(), name);
    if (at == header.end()) throw std::runtime_error("no column " + name);
    return static_cast<std::size_t>(at - header.begin());
  }
};

Csv read_csv(const std::filesystem::path& file) {
  Csv csv;
  const std::vector<std::string> lines = lines_of(read(file));
  if (lines.size() < 2) return csv;
  csv.preamble = lines[0];
  csv.header = split(lines[1], ',');
  for (std::size_t i = 2; i < lines.size(); ++i) csv.rows.push_back(split(lines[i], ','));
  return csv;
}

// Stage counts by arm of one (replication, day) of a timeseries.csv.
std::map<std::string, std::map<std::string, std::uint32_t>> stage_counts(
    const Csv& timeseries, const std::string& replication, const std::string& day) {
  std::map<std::string, std::map<std::string, std::uint32_t>> counts;
  for (const auto& cells : timeseries.rows) {
    if (cells.size() == 5 && cells[1] == replication && cells[2] == day) {
      counts[cells[0]][cells[3]] = static_cast<std::uint32_t>(std::stoul(cells[4]));
    }
  }
  return counts;
}

// The parsed JSON, or a discarded value (is_discarded()) if it is not valid JSON.
nlohmann::json read_json(const std::filesystem::path& file) {
  return nlohmann::json::parse(read(file), nullptr, false);
}

// summary.json without its timing block, the one part that may differ between runs.
nlohmann::json without_timing(nlohmann::json summary) {
  summary.erase("timing_seconds");
  return summary;
}

std::vector<std::string> file_names(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(folder)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A child process that is killed (SIGKILL) and reaped if still running when
// the guard dies, so a failing test can never leave one behind.
class Child {
 public:
  // Starts journeysim with args, stdout and stderr to the given files, with
  // SIGINT at its default disposition and no signal blocked.
  Child(const std::vector<std::string>& args, const std::filesystem::path& out,
        const std::filesystem::path& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    std::string exe = JOURNEYSIM_EXE;
    std::vector<std::string> storage = args;
    std::vector<char*> argv;
    argv.push_back(exe.data());
    for (std::string& arg : storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, exe.c_str(), &actions, &attributes, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int ignored = 0;
    ::waitpid(pid_, &ignored, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  void signal(int number) const { ::kill(pid_, number); }

  // Waits at most timeout for the child to end; returns its raw wait status,
  // or nothing if it is still running.
  std::optional<int> wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        return status;
      }
      if (done < 0 || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  pid_t pid_ = -1;
};

class RunCli : public testing::CliTest {
 protected:
  // `journeysim run SCENARIO --out <dir_>/name extra`.
  Result run_into(const std::string& name, const std::string& extra,
                  const std::string& scenario = kQuickstart) const {
    return run("run " + quoted(scenario) + " --out " + quoted(folder(name).string()) + " " + extra);
  }

  // `journeysim trace quickstart --arm ARM --hcp HCP`.
  Result trace(const std::string& arm, std::uint32_t hcp) const {
    return run("trace " + quoted(kQuickstart) + " --arm " + arm + " --hcp " + std::to_string(hcp));
  }

  std::filesystem::path folder(const std::string& name) const { return dir_ / name; }
};

// ---- help --------------------------------------------------------------------

TEST_F(RunCli, RunHelpExitsZeroAndListsOptions) {
  const Result r = run("run --help");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* option : {"--out", "--replications", "--seed", "--size", "--threads",
                             "--no-hcp-outcomes", "scenario"}) {
    EXPECT_TRUE(contains(r.out, option)) << option << " missing from:\n" << r.out;
  }
}

TEST_F(RunCli, TraceHelpExitsZeroAndListsOptions) {
  const Result r = run("trace --help");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* option : {"--arm", "--hcp", "--seed", "--replication", "scenario"}) {
    EXPECT_TRUE(contains(r.out, option)) << option << " missing from:\n" << r.out;
  }
}

// ---- what a run writes ---------------------------------------------------------

TEST_F(RunCli, RunWritesItsFilesAndPrintsEachArm) {
  // The output folder does not exist yet, nor does its parent: run creates both.
  const Result r = run_into("new/q", "--replications 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Scenario 'quickstart': 4 arms x 2 replications, seed 20261124"))
      << r.out;
  for (const std::string& arm : kArms) EXPECT_TRUE(contains(r.out, arm)) << arm << "\n" << r.out;
  EXPECT_TRUE(contains(r.out, "Student-t")) << r.out;
  // Exactly the run's files: no temporary file is left beside them.
  EXPECT_EQ(file_names(folder("new/q")),
            (std::vector<std::string>{"charts", "comparisons.csv", "economics.csv", "friction.csv",
                                      "hcp_outcomes.csv", "km.csv", "report.html", "segments.csv",
                                      "summary.json", "timeseries.csv"}));
}

TEST_F(RunCli, SummaryJsonHoldsWhatWasRunAndEachArmsMetricsWithIntervals) {
  const Result r = run_into("q", "--replications 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json summary = read_json(folder("q") / "summary.json");
  ASSERT_FALSE(summary.is_discarded()) << "summary.json is not valid JSON";
  ASSERT_TRUE(summary.is_object());

  EXPECT_EQ(summary.value("schema", 0), 1);
  EXPECT_TRUE(std::regex_match(summary.value("journeysim_version", std::string()),
                               std::regex(R"(\d+\.\d+\.\d+)")));
  EXPECT_EQ(summary.value("seed", std::uint64_t{0}), kQuickstartSeed);
  EXPECT_EQ(summary.value("replications", 0), 2);
  EXPECT_EQ(summary.value("control_arm", std::string()), "business_as_usual");
  EXPECT_EQ(summary.value("population_sizes", nlohmann::json()),
            nlohmann::json::array({kQuickstartSize, kQuickstartSize}));
  ASSERT_TRUE(summary.contains("scenario"));
  const nlohmann::json& scenario = summary["scenario"];
  EXPECT_EQ(scenario.value("name", std::string()), "quickstart");
  EXPECT_TRUE(std::regex_match(scenario.value("hash", std::string()), std::regex("[0-9a-f]{16}")))
      << scenario.dump();
  EXPECT_EQ(scenario.value("currency", std::string()), "EUR");
  EXPECT_EQ(scenario.value("horizon_days", 0U), kHorizon);
  EXPECT_TRUE(contains(scenario.value("manifest", std::string()), "scenario.yaml"));
  ASSERT_TRUE(summary.contains("timing_seconds"));
  EXPECT_TRUE(summary["timing_seconds"].value("setup", -1.0) >= 0.0);
  EXPECT_TRUE(summary["timing_seconds"].value("simulation_cpu", -1.0) > 0.0);

  ASSERT_TRUE(summary.contains("arms"));
  const nlohmann::json& arms = summary["arms"];
  ASSERT_TRUE(arms.is_array());
  ASSERT_EQ(arms.size(), kArms.size());
  for (std::size_t a = 0; a < kArms.size(); ++a) {
    SCOPED_TRACE(kArms[a]);
    EXPECT_EQ(arms[a].value("name", std::string()), kArms[a]);
    EXPECT_FALSE(arms[a].value("description", std::string()).empty());
    ASSERT_TRUE(arms[a].contains("metrics"));
    const nlohmann::json& metrics = arms[a]["metrics"];
    std::set<std::string> names;
    for (const auto& [name, metric] : metrics.items()) {
      SCOPED_TRACE(name);
      names.insert(name);
      ASSERT_TRUE(metric.contains("mean") && metric.contains("ci95_lower") &&
                  metric.contains("ci95_upper") && metric.contains("sd"))
          << metric.dump();
      const double mean = metric["mean"].get<double>();
      const double lower = metric["ci95_lower"].get<double>();
      const double upper = metric["ci95_upper"].get<double>();
      const double sd = metric["sd"].get<double>();
      EXPECT_EQ(metric.value("replications", 0), 2);
      EXPECT_FALSE(metric.value("unit", std::string()).empty());
      EXPECT_LE(lower, mean);
      EXPECT_LE(mean, upper);
      EXPECT_GE(sd, 0.0);
      // A Student-t interval across replications: mean +- t(0.975, n-1) * sd / sqrt(n).
      const double half = kT975OneDf * sd / std::sqrt(2.0);
      EXPECT_NEAR(upper - mean, half, 1e-9 * std::max(1.0, std::abs(half)));
      EXPECT_NEAR(mean - lower, half, 1e-9 * std::max(1.0, std::abs(half)));
    }
    EXPECT_EQ(names, kMetricNames);
    for (const char* rate : {"trial_rate", "adoption_rate", "engagement_rate"}) {
      const double mean = metrics[rate]["mean"].get<double>();
      EXPECT_TRUE(mean >= 0.0 && mean <= 1.0) << rate << " " << mean;
    }
    EXPECT_EQ(metrics["total_cost"].value("unit", std::string()), "currency");
    EXPECT_EQ(metrics["trialists"].value("unit", std::string()), "HCPs");
  }
}

TEST_F(RunCli, TimeseriesHoldsEveryStageOfEveryDayAndTheCountsAddUpToThePopulation) {
  const Result r = run_into("q", "--replications 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json summary = read_json(folder("q") / "summary.json");
  ASSERT_FALSE(summary.is_discarded());
  const Csv csv = read_csv(folder("q") / "timeseries.csv");
  EXPECT_EQ(csv.preamble, "# journeysim timeseries schema=1 scenario=quickstart hash=" +
                              summary["scenario"]["hash"].get<std::string>() +
                              " seed=20261124 replications=2");
  EXPECT_EQ(csv.header, (std::vector<std::string>{"arm", "replication", "day", "stage", "hcps"}));
  ASSERT_EQ(csv.rows.size(), kArms.size() * 2 * (kHorizon + 1) * kStages.size());

  // counts[arm][replication][day][stage], filled in file order; every row in place.
  std::size_t row = 0;
  std::map<std::pair<std::size_t, int>, std::vector<std::uint32_t>> day_zero;
  for (std::size_t a = 0; a < kArms.size(); ++a) {
    for (int replication = 0; replication < 2; ++replication) {
      for (std::uint32_t day = 0; day <= kHorizon; ++day) {
        std::uint64_t total = 0;
        std::vector<std::uint32_t> counts;
        for (const std::string& stage : kStages) {
          const std::vector<std::string>& cells = csv.rows[row++];
          ASSERT_EQ(cells.size(), 5U);
          ASSERT_EQ(cells[0], kArms[a]);
          ASSERT_EQ(cells[1], std::to_string(replication));
          ASSERT_EQ(cells[2], std::to_string(day));
          ASSERT_EQ(cells[3], stage);
          ASSERT_TRUE(std::regex_match(cells[4], std::regex("[0-9]+"))) << cells[4];
          counts.push_back(static_cast<std::uint32_t>(std::stoul(cells[4])));
          total += counts.back();
        }
        ASSERT_EQ(total, kQuickstartSize)
            << kArms[a] << " replication " << replication << " day " << day;
        if (day == 0) day_zero[{a, replication}] = counts;
      }
    }
  }
  // Every arm starts from the same population in a replication.
  for (int replication = 0; replication < 2; ++replication) {
    for (std::size_t a = 1; a < kArms.size(); ++a) {
      EXPECT_EQ((day_zero[{a, replication}]), (day_zero[{0, replication}]));
    }
  }
  // Replications draw different populations.
  EXPECT_NE((day_zero[{0, 0}]), (day_zero[{0, 1}]));
}

TEST_F(RunCli, HcpOutcomesHoldOneRowPerHcpPerArmMatchingTheTimeseriesAndSummary) {
  const Result r = run_into("q", "--replications 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json summary = read_json(folder("q") / "summary.json");
  ASSERT_FALSE(summary.is_discarded());
  const Csv outcomes = read_csv(folder("q") / "hcp_outcomes.csv");
  EXPECT_EQ(outcomes.preamble, "# journeysim hcp_outcomes schema=1 scenario=quickstart hash=" +
                                   summary["scenario"]["hash"].get<std::string>() +
                                   " seed=20261124 replications=2");
  ASSERT_EQ(outcomes.header, kOutcomeColumns);
  ASSERT_EQ(outcomes.rows.size(), kArms.size() * kQuickstartSize);

  const auto first_day = stage_counts(read_csv(folder("q") / "timeseries.csv"), "0", "0");

  const std::regex day_or_empty("|[0-9]+");
  const std::regex number(R"([0-9]+(\.[0-9]+)?)");
  std::size_t row = 0;
  for (std::size_t a = 0; a < kArms.size(); ++a) {
    SCOPED_TRACE(kArms[a]);
    std::map<std::string, std::uint32_t> starts;
    std::uint32_t trialists = 0;
    std::uint32_t adopters = 0;
    double cost = 0.0;
    for (std::uint32_t hcp = 0; hcp < kQuickstartSize; ++hcp) {
      const std::vector<std::string>& cells = outcomes.rows[row++];
      ASSERT_EQ(cells.size(), kOutcomeColumns.size()) << "row for hcp " << hcp;
      ASSERT_EQ(cells[0], kArms[a]);
      ASSERT_EQ(cells[1], "0");  // Outcomes are kept for replication 0.
      ASSERT_EQ(cells[2], std::to_string(hcp));
      ASSERT_TRUE(std::regex_match(cells[5], day_or_empty)) << cells[5];
      ASSERT_TRUE(std::regex_match(cells[6], day_or_empty)) << cells[6];
      for (const std::size_t c : {7U, 8U, 9U, 10U, 11U}) {
        ASSERT_TRUE(std::regex_match(cells[c], number)) << kOutcomeColumns[c] << " " << cells[c];
      }
      ASSERT_TRUE(cells[12] == "0" || cells[12] == "1") << cells[12];
      if (!cells[5].empty()) {
        EXPECT_LE(std::stoul(cells[5]), kHorizon);
        ++trialists;
      }
      if (!cells[6].empty()) {
        EXPECT_LE(std::stoul(cells[6]), kHorizon);
      }
      ++starts[cells[3]];
      if (cells[4] == "adopted" || cells[4] == "advocate") ++adopters;
      cost += std::stod(cells[10]);
    }
    // The starting stages agree with day 0 of the timeseries of replication 0.
    for (const std::string& stage : kStages) {
      const auto in_timeseries = first_day.at(kArms[a]).find(stage);
      ASSERT_NE(in_timeseries, first_day.at(kArms[a]).end()) << stage;
      EXPECT_EQ(starts[stage], in_timeseries->second) << "start " << stage;
    }
    // With two replications the values are mean +- sd / sqrt(2); replication 0's is one of them.
    const nlohmann::json& metrics = summary["arms"][a]["metrics"];
    const auto is_a_replication_value = [&](const char* name, double value, double tolerance) {
      const double mean = metrics[name]["mean"].get<double>();
      const double offset = metrics[name]["sd"].get<double>() / std::sqrt(2.0);
      return std::abs(value - (mean - offset)) <= tolerance ||
             std::abs(value - (mean + offset)) <= tolerance;
    };
    EXPECT_TRUE(is_a_replication_value("trialists", trialists, 1e-6)) << trialists;
    EXPECT_TRUE(is_a_replication_value("adopters", adopters, 1e-6)) << adopters;
    EXPECT_TRUE(is_a_replication_value("total_cost", cost, 1.0 + 1e-5 * cost)) << cost;
  }
}

// timeseries.csv counts HCPs per stage "at the end of the day", so its last
// day must match the final stages of hcp_outcomes.csv. A rep visit carried out
// by the field force late in the day (business_as_usual suggests one to every
// HCP each quarter) can make an unaware HCP aware after the day's counts were
// taken; that move must still be counted on that day.
TEST_F(RunCli, TimeseriesLastDayMatchesTheFinalStagesOfHcpOutcomes) {
  const Result r = run_into("q", "--replications 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto last_day =
      stage_counts(read_csv(folder("q") / "timeseries.csv"), "0", std::to_string(kHorizon));
  const Csv outcomes = read_csv(folder("q") / "hcp_outcomes.csv");
  ASSERT_EQ(outcomes.rows.size(), kArms.size() * kQuickstartSize);
  std::map<std::string, std::map<std::string, std::uint32_t>> finals;
  for (const auto& cells : outcomes.rows) ++finals[cells.at(0)][cells.at(4)];
  for (const std::string& arm : kArms) {
    for (const std::string& stage : kStages) {
      const auto in_timeseries = last_day.at(arm).find(stage);
      ASSERT_NE(in_timeseries, last_day.at(arm).end()) << arm << " " << stage;
      EXPECT_EQ(finals[arm][stage], in_timeseries->second)
          << arm << ": HCPs ending " << stage << " in hcp_outcomes.csv vs timeseries.csv day "
          << kHorizon;
    }
  }
}

TEST_F(RunCli, NoHcpOutcomesOmitsThatFile) {
  const Result r = run_into("q", "--replications 2 --size 1000 --no-hcp-outcomes");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(file_names(folder("q")),
            (std::vector<std::string>{"charts", "comparisons.csv", "economics.csv", "friction.csv",
                                      "km.csv", "report.html", "segments.csv", "summary.json",
                                      "timeseries.csv"}));
}

// ---- determinism -----------------------------------------------------------------

TEST_F(RunCli, ThreadCountDoesNotChangeAnyOutput) {
  for (const char* threads : {"1", "2"}) {
    const Result r = run_into(std::string("t") + threads,
                              std::string("--replications 2 --size 2000 --threads ") + threads);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  for (const char* file : {"timeseries.csv", "hcp_outcomes.csv", "comparisons.csv", "segments.csv",
                           "friction.csv", "km.csv"}) {
    const std::string one = read(folder("t1") / file);
    ASSERT_FALSE(one.empty()) << file;
    EXPECT_TRUE(one == read(folder("t2") / file)) << file << " differs between 1 and 2 threads";
  }
  const nlohmann::json one = read_json(folder("t1") / "summary.json");
  const nlohmann::json two = read_json(folder("t2") / "summary.json");
  ASSERT_FALSE(one.is_discarded() || two.is_discarded());
  EXPECT_EQ(without_timing(one), without_timing(two));
}

TEST_F(RunCli, SameSeedTwiceGivesIdenticalOutputs) {
  for (const char* name : {"a", "b"}) {
    const Result r = run_into(name, "--replications 2 --size 2000 --seed 42");
    ASSERT_EQ(r.status, 0) << r.err;
  }
  for (const char* file : {"timeseries.csv", "hcp_outcomes.csv", "comparisons.csv", "segments.csv",
                           "friction.csv", "km.csv"}) {
    const std::string a = read(folder("a") / file);
    ASSERT_FALSE(a.empty()) << file;
    EXPECT_TRUE(a == read(folder("b") / file)) << file << " differs between two runs";
  }
  const nlohmann::json a = read_json(folder("a") / "summary.json");
  const nlohmann::json b = read_json(folder("b") / "summary.json");
  ASSERT_FALSE(a.is_discarded() || b.is_discarded());
  EXPECT_EQ(a.value("seed", 0), 42);
  EXPECT_EQ(without_timing(a), without_timing(b));
}

TEST_F(RunCli, DifferentSeedGivesDifferentOutputs) {
  for (const char* seed : {"1", "2"}) {
    const Result r = run_into(std::string("s") + seed,
                              std::string("--replications 2 --size 2000 --seed ") + seed);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  for (const char* file : {"timeseries.csv", "hcp_outcomes.csv", "comparisons.csv", "segments.csv",
                           "friction.csv", "km.csv"}) {
    const std::string one = read(folder("s1") / file);
    const std::string two = read(folder("s2") / file);
    EXPECT_TRUE(contains(one.substr(0, one.find('\n')), " seed=1 ")) << one.substr(0, 200);
    EXPECT_TRUE(contains(two.substr(0, two.find('\n')), " seed=2 ")) << two.substr(0, 200);
    EXPECT_FALSE(body(one) == body(two)) << file << " is the same for seeds 1 and 2";
  }
  nlohmann::json one = without_timing(read_json(folder("s1") / "summary.json"));
  nlohmann::json two = without_timing(read_json(folder("s2") / "summary.json"));
  EXPECT_EQ(one.value("seed", 0), 1);
  EXPECT_EQ(two.value("seed", 0), 2);
  EXPECT_NE(one["arms"], two["arms"]);
}

// ---- bad input: exit status 2, naming the file and the field ------------------------

class RunCliBadInput : public RunCli {
 protected:
  // Runs the broken copy; expects exit status 2, every needle in the message,
  // and no output folder.
  void expect_refused(const ScenarioCopy& copy, const std::vector<std::string>& needles) const {
    const Result r = run_into("out", "--replications 2 --size 500", copy.folder().string());
    EXPECT_EQ(r.status, 2) << r.err;
    for (const std::string& needle : needles) {
      EXPECT_TRUE(contains(r.err, needle)) << "'" << needle << "' missing from:\n" << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(folder("out"))) << "bad input left an output folder";
  }
};

TEST_F(RunCliBadInput, JourneyLoopWithNoWaitExitsTwo) {
  const ScenarioCopy copy;
  // route -> nurture -> probe_* -> rest -> route: with rest's wait at 0 days
  // an HCP could go round on one day.
  copy.replace("journeys/barrier_matched.yaml", "wait: {days: 14}               # with",
               "wait: {days: 0}  # with");
  expect_refused(copy, {copy.file("journeys/barrier_matched.yaml").string() + ":",
                        "field 'journey barrier_matched, step ", "form a loop with no wait"});
}

TEST_F(RunCliBadInput, UnknownContentInJourneyExitsTwo) {
  const ScenarioCopy copy;
  copy.replace("journeys/barrier_matched.yaml", "content: mechanism_video}",
               "content: no_such_video}");
  const std::size_t line = line_of(copy.read("journeys/barrier_matched.yaml"), "no_such_video");
  expect_refused(copy,
                 {copy.file("journeys/barrier_matched.yaml").string() + ":" + std::to_string(line) +
                      ": field 'journey barrier_matched, step intro_video: send.content'",
                  "unknown content item 'no_such_video'"});
}

TEST_F(RunCliBadInput, SplitWithoutElseExitsTwo) {
  const ScenarioCopy copy;
  copy.replace("journeys/barrier_matched.yaml", "      - else: peer_webinar\n", "");
  expect_refused(copy, {copy.file("journeys/barrier_matched.yaml").string() + ":",
                        "field 'journey barrier_matched, step peer_track: split'", "else"});
}

TEST_F(RunCliBadInput, NegativeWaitExitsTwo) {
  const ScenarioCopy copy;
  copy.replace("journeys/barrier_matched.yaml", "wait: {days: 14}", "wait: {days: -3}");
  const std::size_t line = line_of(copy.read("journeys/barrier_matched.yaml"), "days: -3");
  expect_refused(copy,
                 {copy.file("journeys/barrier_matched.yaml").string() + ":" + std::to_string(line) +
                      ": field 'journey barrier_matched, step settle: wait.days'",
                  "-3"});
}

TEST_F(RunCliBadInput, CapBelowZeroExitsTwo) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "max_touches: 4", "max_touches: -1");
  const std::size_t line = line_of(copy.read("scenario.yaml"), "max_touches: -1");
  expect_refused(copy, {copy.file("scenario.yaml").string() + ":" + std::to_string(line) +
                            ": field 'caps[0].max_touches'",
                        "-1"});
}

TEST_F(RunCliBadInput, ScenarioWithNoArmsExitsTwo) {
  const ScenarioCopy copy;
  // Remove the arms block and the control arm it names, keeping the caps.
  std::string manifest = copy.read("scenario.yaml");
  const std::size_t arms = manifest.find("\narms:\n");
  const std::size_t control = manifest.find("control_arm:");
  ASSERT_NE(arms, std::string::npos);
  ASSERT_NE(control, std::string::npos);
  const std::size_t control_end = manifest.find('\n', control);
  manifest.erase(arms + 1, control_end - arms);
  copy.write("scenario.yaml", manifest);
  ASSERT_FALSE(contains(manifest, "\narms:")) << manifest;
  expect_refused(copy, {copy.file("scenario.yaml").string(), "field 'arms'", "no arms"});
}

TEST_F(RunCliBadInput, ControlArmWithNoArmsExitsTwo) {
  const ScenarioCopy copy;
  std::string manifest = copy.read("scenario.yaml");
  const std::size_t arms = manifest.find("\narms:\n");
  const std::size_t control = manifest.find("control_arm:");
  ASSERT_NE(arms, std::string::npos);
  ASSERT_NE(control, std::string::npos);
  manifest.erase(arms + 1, control - arms - 1);
  copy.write("scenario.yaml", manifest);
  expect_refused(copy, {copy.file("scenario.yaml").string() + ":", "field 'control_arm'",
                        "business_as_usual"});
}

TEST_F(RunCli, OutNamingAnExistingFileExitsTwoAndLeavesItAlone) {
  const std::filesystem::path file = folder("results.txt");
  std::ofstream(file) << "keep me\n";
  const Result r =
      run("run " + quoted(kQuickstart) + " --replications 2 --out " + quoted(file.string()));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "field '--out'")) << r.err;
  EXPECT_TRUE(contains(r.err, file.string())) << r.err;
  EXPECT_EQ(read(file), "keep me\n");
  EXPECT_EQ(file_names(dir_),
            (std::vector<std::string>{"results.txt", "stderr.txt", "stdout.txt"}));
}

// A folder that cannot be created (its parent is a regular file) is bad input
// too, and should be refused before the simulation runs, as --out naming a
// file is. (Today the run finishes and then fails with "internal error", 1.)
TEST_F(RunCli, OutUnderAnExistingFileExitsTwo) {
  const std::filesystem::path file = folder("results.txt");
  std::ofstream(file) << "keep me\n";
  const Result r = run("run " + quoted(kQuickstart) + " --replications 2 --size 500 --out " +
                       quoted((file / "sub").string()));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "field '--out'")) << r.err;
  EXPECT_FALSE(contains(r.err, "internal error")) << r.err;
  EXPECT_EQ(read(file), "keep me\n");
}

TEST_F(RunCli, TraceUnknownArmExitsTwoListingTheArms) {
  const Result r = trace("nosuch", 3);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "field '--arm'")) << r.err;
  EXPECT_TRUE(contains(r.err, "'nosuch'")) << r.err;
  for (const std::string& arm : kArms) EXPECT_TRUE(contains(r.err, arm)) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(RunCli, TraceHcpOutOfRangeExitsTwo) {
  const Result past = trace("barrier_matched", kQuickstartSize);
  EXPECT_EQ(past.status, 2) << past.err;
  EXPECT_TRUE(contains(past.err, "field '--hcp'")) << past.err;
  EXPECT_TRUE(contains(past.err, "[0, 4999]")) << past.err;
  EXPECT_TRUE(contains(past.err, "5000")) << past.err;
  EXPECT_TRUE(past.out.empty()) << past.out;

  const Result negative = run("trace " + quoted(kQuickstart) + " --arm barrier_matched --hcp -1");
  EXPECT_EQ(negative.status, 2) << negative.err;
  EXPECT_TRUE(contains(negative.err, "--hcp")) << negative.err;
}

// ---- Ctrl-C -------------------------------------------------------------------------

TEST_F(RunCli, InterruptExits130AndWritesNothing) {
  const std::filesystem::path out = folder("big");
  std::filesystem::create_directories(out);  // Existing and empty: must stay empty.
  // About 11 billion HCP-days: minutes of work, so the run is mid-way at 1 s.
  Child child(
      {"run", kQuickstart, "--size", "200000", "--replications", "50", "--out", out.string()},
      folder("child-stdout.txt"), folder("child-stderr.txt"));
  ASSERT_TRUE(child.started());
  const std::optional<int> early = child.wait_for(std::chrono::milliseconds(1000));
  ASSERT_FALSE(early.has_value()) << "journeysim ended before the interrupt:\n"
                                  << read(folder("child-stderr.txt"));
  child.signal(SIGINT);
  const std::optional<int> status = child.wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "journeysim did not stop within 30 s of SIGINT";
  ASSERT_TRUE(WIFEXITED(*status)) << "journeysim did not exit normally (raw status " << *status
                                  << ")";
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  const std::string err = read(folder("child-stderr.txt"));
  EXPECT_TRUE(contains(err, "interrupted")) << err;
  EXPECT_FALSE(contains(read(folder("child-stdout.txt")), "Student-t"))
      << "the summary table was printed for an interrupted run";
  const std::vector<std::string> names = file_names(out);
  for (const std::string& name : names) {
    EXPECT_NE(name, "summary.json");
    EXPECT_FALSE(contains(name, ".tmp-")) << "temporary file left: " << name;
  }
  EXPECT_TRUE(names.empty()) << "an interrupted run wrote " << names.size() << " file(s)";
}

// ---- trace --------------------------------------------------------------------------

// An HCP's row in population.csv and in hcp_outcomes.csv (arm barrier_matched).
struct TracedHcp {
  std::uint32_t hcp = 0;
  std::string segment;
  std::vector<std::string> outcome;  // The hcp_outcomes.csv cells.
};

class RunCliTrace : public RunCli {
 protected:
  // Writes the default draw's population and a run's outcomes; returns every
  // HCP with both rows, for barrier_matched.
  std::vector<TracedHcp> hcps() const {
    const Result population = run("population --quiet " + quoted(kQuickstart) + " --out " +
                                  quoted(folder("population.csv").string()));
    EXPECT_EQ(population.status, 0) << population.err;
    const Result r = run_into("q", "--replications 2");
    EXPECT_EQ(r.status, 0) << r.err;
    const Csv people = read_csv(folder("population.csv"));
    const Csv outcomes = read_csv(folder("q") / "hcp_outcomes.csv");
    std::vector<TracedHcp> result;
    if (people.rows.size() != kQuickstartSize) return result;
    for (const auto& cells : outcomes.rows) {
      if (cells[0] != "barrier_matched") continue;
      TracedHcp h;
      h.hcp = static_cast<std::uint32_t>(std::stoul(cells[2]));
      const auto& person = people.rows.at(h.hcp);
      if (person[people.column("known")] != "1") continue;  // Known (addressable) HCPs only.
      h.segment = person[people.column("segment")];
      h.outcome = cells;
      result.push_back(h);
    }
    return result;
  }
};

TEST_F(RunCliTrace, TellsAKnownHcpsYearInPlainWords) {
  const std::vector<TracedHcp> known = hcps();
  ASSERT_FALSE(known.empty());
  // A known HCP who starts below trialing and engaged with at least one touch.
  const auto pick = std::find_if(known.begin(), known.end(), [](const TracedHcp& h) {
    const std::string& start = h.outcome[3];
    return (start == "unaware" || start == "aware" || start == "considering") &&
           std::stoul(h.outcome[9]) > 0;
  });
  ASSERT_NE(pick, known.end());
  const Result r = trace("barrier_matched", pick->hcp);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string& text = r.out;
  SCOPED_TRACE("trace of HCP " + std::to_string(pick->hcp) + ":\n" + text);

  EXPECT_TRUE(contains(text, "HCP " + std::to_string(pick->hcp) + " of scenario 'quickstart'"));
  EXPECT_TRUE(contains(text, "segment " + pick->segment));
  EXPECT_TRUE(contains(text, "known to the CRM"));
  EXPECT_TRUE(contains(text, "hidden barriers"));
  for (const char* barrier :
       {"knowledge", "relevance", "peer", "workflow", "access", "time", "trust"}) {
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string(barrier) + R"( [01]\.\d\d)")))
        << barrier;
  }
  EXPECT_TRUE(contains(text, "Journey arm 'barrier_matched', seed 20261124, replication 0"));

  std::size_t day_lines = 0;
  std::size_t week_reviews = 0;
  std::size_t engagements = 0;
  for (const std::string& line : lines_of(text)) {
    if (!std::regex_search(line, std::regex(R"(^  day +\d+: )"))) continue;
    ++day_lines;
    if (contains(line, "week review") && contains(line, "chance of moving on in a week"))
      ++week_reviews;
    if (contains(line, ": engaged (chance")) ++engagements;
  }
  EXPECT_GT(day_lines, 0U);
  EXPECT_GE(week_reviews, 1U);
  EXPECT_TRUE(engagements > 0 || contains(text, "not engaged"));

  // The closing line agrees with hcp_outcomes.csv of the run.
  const std::vector<std::string>& o = pick->outcome;
  const std::regex closing("\nBy day 365: ([a-z]+); .*; (\\d+) touches, (\\d+) engaged, cost ");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(text, match, closing));
  EXPECT_EQ(match[1].str(), o[4]) << "final stage";
  EXPECT_EQ(match[2].str(), o[8]) << "touches";
  EXPECT_EQ(match[3].str(), o[9]) << "engagements";
  EXPECT_EQ(engagements, std::stoul(o[9]));
  if (!o[5].empty()) {
    EXPECT_TRUE(contains(text, "first prescription on day " + o[5]));
  } else {
    EXPECT_TRUE(contains(text, "never prescribed"));
  }

  const Result again = trace("barrier_matched", pick->hcp);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(again.out == text) << "the same trace twice differs";
}

// An HCP already prescribing at the start (trialing or beyond) has no first
// prescription during the horizon, yet writes prescriptions: the closing line
// must count them, not say "never prescribed".
TEST_F(RunCliTrace, ClosingLineCountsPrescriptionsOfAnHcpWhoStartedPrescribing) {
  const std::vector<TracedHcp> known = hcps();
  const auto pick = std::find_if(known.begin(), known.end(), [](const TracedHcp& h) {
    const std::string& start = h.outcome[3];
    return (start == "trialing" || start == "adopted" || start == "advocate") &&
           std::stod(h.outcome[7]) > 0.0;
  });
  ASSERT_NE(pick, known.end());
  const Result r = trace("barrier_matched", pick->hcp);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::size_t at = r.out.find("\nBy day 365: ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string closing = r.out.substr(at + 1);
  EXPECT_FALSE(contains(closing, "never prescribed"))
      << "HCP " << pick->hcp << " starts " << pick->outcome[3] << " and wrote " << pick->outcome[7]
      << " prescriptions, but the trace ends:\n"
      << closing;
  EXPECT_TRUE(contains(closing, " prescriptions")) << closing;
}

}  // namespace
}  // namespace journeysim
