// `journeysim calibrate` as a user runs it: the files it writes and what they
// hold (the bootstrap's refits and intervals inside the bounds, or the
// asymptotic intervals with --bootstrap 0), identical results at 1 and 2
// threads, bad input (exit status 2, with file, line and field), and Ctrl-C
// (exit status 130, nothing written).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/cli_runner.hpp"

extern char** environ;

namespace journeysim {
namespace {

using testing::quoted;
using testing::read;
using testing::Result;

const std::string kScenario = std::string(JOURNEYSIM_TEST_DATA) + "/calibrate";
const std::string kObserved = kScenario + "/observed.csv";
const std::string kQuickstart = std::string(JOURNEYSIM_SOURCE_DIR) + "/scenarios/quickstart";
const std::string kHazard = "stage_hazards.considering.base_hazard";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CalibrateCli : public testing::CliTest {
 protected:
  // calibrate on the test scenario, a quick fit of one parameter, into <dir_>/name.
  Result calibrate(const std::string& name, const std::string& extra = "") const {
    return run("calibrate " + quoted(kScenario) + " --observed " + quoted(kObserved) + " --fit " +
               kHazard + "=0.001:0.03 --replications 2 --max-evaluations 12 --out " +
               quoted((dir_ / name).string()) + " " + extra);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = dir_ / name;
    std::ofstream(file) << text;
    return file;
  }
  Result calibrate_with(const std::filesystem::path& observed, const std::string& fit) const {
    return run("calibrate " + quoted(kScenario) + " --observed " + quoted(observed.string()) +
               " --fit " + quoted(fit) + " --replications 1 --max-evaluations 6 --out " +
               quoted((dir_ / "bad").string()));
  }
};

// Lines of text, the comment line included.
std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(CalibrateCli, WritesEveryOutputAndPrintsTheFit) {
  const Result result = calibrate("fit");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "95% interval")) << result.out;
  EXPECT_TRUE(contains(result.out, kHazard)) << result.out;
  EXPECT_TRUE(contains(result.out, "parametric bootstrap, 39 launches")) << result.out;
  EXPECT_TRUE(contains(result.out, "Rerun with the fit: journeysim run ")) << result.out;
  const std::filesystem::path out = dir_ / "fit";
  const nlohmann::json summary = nlohmann::json::parse(read(out / "calibration.json"));
  EXPECT_EQ(summary["schema"], 2);
  EXPECT_EQ(summary["arm"], "calendar");
  ASSERT_EQ(summary["parameters"].size(), 1U);
  const nlohmann::json& p = summary["parameters"][0];
  EXPECT_EQ(p["path"], kHazard);
  EXPECT_EQ(p["interval_method"], "bootstrap percentile");
  const double value = p["value"].get<double>();
  for (const nlohmann::json& interval :
       {p["interval_95"], p["bootstrap"]["interval_95"], p["asymptotic"]["interval_95"]}) {
    EXPECT_LE(interval[0].get<double>(), value) << interval;
    EXPECT_GE(interval[1].get<double>(), value) << interval;
    EXPECT_GE(interval[0].get<double>(), 0.001) << interval;  // Inside the bounds searched.
    EXPECT_LE(interval[1].get<double>(), 0.03) << interval;
  }
  EXPECT_EQ(p["interval_95"], p["bootstrap"]["interval_95"]);
  EXPECT_GT(p["standard_error"].get<double>(), 0.0);
  EXPECT_EQ(p["standard_error"], p["bootstrap"]["standard_error"]);
  EXPECT_GT(p["asymptotic"]["standard_error"].get<double>(), 0.0);
  EXPECT_EQ(summary["bootstrap"]["refits"], 39);
  EXPECT_EQ(summary["bootstrap"]["order_statistics"], nlohmann::json({1, 39}));
  EXPECT_TRUE(summary["identifiable"].get<bool>());
  EXPECT_EQ(summary["fit_error"][0]["series"], "trial");
  EXPECT_LE(summary["optimiser"]["evaluations"].get<int>(), 12);
  EXPECT_TRUE(contains(summary["rerun_command"].get<std::string>(), "--set " + kHazard + "="));
  const std::string fit = read(out / "fit.csv");
  EXPECT_TRUE(contains(fit, "\nseries,day,observed,simulated_start,simulated_fit,weight\n")) << fit;
  EXPECT_TRUE(contains(fit, "\ntrial,180,")) << fit;
  EXPECT_TRUE(contains(fit, "\nengagement_rate.email,,")) << fit;
  const std::string refits = read(out / "bootstrap.csv");
  EXPECT_TRUE(
      contains(refits, "\nrefit,launch_seed,fit_seed,evaluations,converged," + kHazard + "\n"))
      << refits;
  EXPECT_EQ(lines(refits), 2U + 39U);  // The comment, the header and one row per refit.
  const std::string html = read(out / "report.html");
  EXPECT_TRUE(contains(html, "Observed and simulated curves"));
  EXPECT_TRUE(contains(html, "parametric bootstrap"));
  for (const char* chart : {"curves", "engagement"}) {
    const nlohmann::json spec =
        nlohmann::json::parse(read(out / "charts" / (std::string(chart) + ".vl.json")));
    EXPECT_TRUE(spec.contains("$schema")) << chart;
  }
}

TEST_F(CalibrateCli, WithoutBootstrapStatesTheAsymptoticIntervalInsideTheBounds) {
  const Result first = calibrate("nobootstrap");  // Leaves a bootstrap.csv behind.
  ASSERT_EQ(first.status, 0) << first.err;
  const Result result = calibrate("nobootstrap", "--bootstrap 0");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "asymptotic (no bootstrap, --bootstrap 0)")) << result.out;
  const std::filesystem::path out = dir_ / "nobootstrap";
  const nlohmann::json summary = nlohmann::json::parse(read(out / "calibration.json"));
  const nlohmann::json& p = summary["parameters"][0];
  EXPECT_EQ(p["interval_method"], "asymptotic");
  EXPECT_TRUE(p["bootstrap"].is_null());
  EXPECT_EQ(p["interval_95"], p["asymptotic"]["interval_95"]);
  EXPECT_GE(p["interval_95"][0].get<double>(), 0.001);
  EXPECT_LE(p["interval_95"][1].get<double>(), 0.03);
  EXPECT_EQ(summary["bootstrap"]["refits"], 0);
  // The earlier run's refits do not belong to this fit.
  EXPECT_FALSE(std::filesystem::exists(out / "bootstrap.csv"));
}

TEST_F(CalibrateCli, TooFewBootstrapRefitsExitTwo) {
  const Result result = calibrate("few", "--bootstrap 10");
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "field '--bootstrap'")) << result.err;
  EXPECT_TRUE(contains(result.err, "at least 39")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "few" / "calibration.json"));
}

TEST_F(CalibrateCli, SameResultOnOneAndTwoThreads) {
  const Result one = calibrate("one", "--threads 1");
  const Result two = calibrate("two", "--threads 2");
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(read(dir_ / "one" / "fit.csv"), read(dir_ / "two" / "fit.csv"));
  EXPECT_EQ(read(dir_ / "one" / "calibration.json"), read(dir_ / "two" / "calibration.json"));
  EXPECT_EQ(read(dir_ / "one" / "bootstrap.csv"), read(dir_ / "two" / "bootstrap.csv"));
}

TEST_F(CalibrateCli, BadObservedFileExitsTwoNamingFileLineAndField) {
  const std::filesystem::path file =
      write("observed.csv", "series,day,value\ntrial,30,0.01\ntrial,60,1.5\n");
  const Result result = calibrate_with(file, kHazard + "=0.001:0.03");
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, file.string() + ":3: field 'value'")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad" / "calibration.json"));
}

TEST_F(CalibrateCli, ObservationAfterTheHorizonExitsTwo) {
  const std::filesystem::path file =
      write("late.csv", "series,day,value\ntrial,30,0.01\ntrial,400,0.2\n");
  const Result result = calibrate_with(file, kHazard + "=0.001:0.03");
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, file.string() + ":3: field 'day'")) << result.err;
  EXPECT_TRUE(contains(result.err, "after the scenario's horizon of 180 days")) << result.err;
}

TEST_F(CalibrateCli, BadFitListExitsTwo) {
  const Result unknown = calibrate_with(kObserved, "stage_hazards.considering.base_hazrd");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(contains(unknown.err, "base_hazard")) << unknown.err;  // The suggestion.
  const Result bounds = calibrate_with(kObserved, kHazard + "=0.03:0.001");
  EXPECT_EQ(bounds.status, 2);
  EXPECT_TRUE(contains(bounds.err, "field '--fit'")) << bounds.err;
  const Result arm =
      run("calibrate " + quoted(kScenario) + " --observed " + quoted(kObserved) + " --fit " +
          kHazard + " --arm nope --out " + quoted((dir_ / "x").string()));
  EXPECT_EQ(arm.status, 2);
  EXPECT_TRUE(contains(arm.err, "field '--arm'")) << arm.err;
}

// A child process, killed and reaped if still running when the guard dies.
class Child {
 public:
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
    std::vector<char*> argv{exe.data()};
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
  // The raw wait status, or nothing if still running after timeout.
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

TEST_F(CalibrateCli, InterruptExits130AndWritesNothing) {
  const std::filesystem::path observed =
      write("quickstart.csv", "series,day,value\ntrial,90,0.03\ntrial,180,0.06\ntrial,365,0.1\n");
  const std::filesystem::path out = dir_ / "interrupted";
  // Each evaluation is 50 replications of 5,000 HCPs over a year: the fit is
  // mid-way at 1 s.
  Child child({"calibrate", kQuickstart, "--observed", observed.string(), "--fit",
               kHazard + "=0.001:0.05", "--replications", "50", "--out", out.string()},
              dir_ / "child-stdout.txt", dir_ / "child-stderr.txt");
  ASSERT_TRUE(child.started());
  ASSERT_FALSE(child.wait_for(std::chrono::milliseconds(1000)).has_value())
      << read(dir_ / "child-stderr.txt");
  child.signal(SIGINT);
  const std::optional<int> status = child.wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "journeysim did not stop within 30 s of SIGINT";
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  EXPECT_TRUE(contains(read(dir_ / "child-stderr.txt"), "interrupted"));
  EXPECT_FALSE(std::filesystem::exists(out / "calibration.json"));
  EXPECT_FALSE(std::filesystem::exists(out / "fit.csv"));
}

}  // namespace
}  // namespace journeysim
