// journeysim new: the written scenario validates without warnings, runs, and its
// alternative arm beats the control; refusal, --force and --name.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace journeysim::testing {
namespace {

namespace fs = std::filesystem;

// Every file the template writes, relative to the scenario folder.
const std::vector<std::string> kTemplateFiles = {"scenario.yaml",
                                                 "README.md",
                                                 "journeys/calendar.yaml",
                                                 "journeys/barrier_matched.yaml",
                                                 "tables/channels.csv",
                                                 "tables/content.csv",
                                                 "tables/content_effects.csv",
                                                 "tables/segments.csv",
                                                 "tables/segment_barriers.csv",
                                                 "tables/segment_stages.csv",
                                                 "tables/segment_channels.csv",
                                                 "tables/stage_hazards.csv"};

const fs::path kTemplateSource = fs::path(JOURNEYSIM_SOURCE_DIR) / "cli" / "templates" / "new";

// Every regular file under dir, relative, sorted.
std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> sorted(std::vector<std::string> files) {
  std::sort(files.begin(), files.end());
  return files;
}

using NewCli = CliTest;

TEST_F(NewCli, WritesTheTemplateWhichValidatesWithNoWarnings) {
  const fs::path scenario = dir_ / "my-launch";
  const Result made = run("new " + quoted(scenario.string()));
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(made.out.find("Wrote scenario 'my-launch'"), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("journeysim validate"), std::string::npos) << made.out;
  EXPECT_EQ(files_under(scenario), sorted(kTemplateFiles));
  // No staging folder is left next to it.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".my-launch", 0), std::string::npos)
        << entry.path();
  }

  const Result validated = run("validate " + quoted(scenario.string()));
  ASSERT_EQ(validated.status, 0) << validated.err;
  EXPECT_NE(validated.out.find("Scenario 'my-launch' is valid"), std::string::npos)
      << validated.out;
  EXPECT_EQ(validated.out.find("warning"), std::string::npos) << validated.out;
  EXPECT_EQ(validated.err, "");
}

TEST_F(NewCli, WritesTheRepositoryTemplateByteForByteApartFromNameAndFolder) {
  const fs::path scenario = dir_ / "my-scenario";
  ASSERT_EQ(run("new " + quoted(scenario.string())).status, 0);
  for (const std::string& file : kTemplateFiles) {
    if (file == "README.md") continue;  // Names the folder as typed.
    EXPECT_EQ(read(scenario / file), read(kTemplateSource / file)) << file;
  }
}

TEST_F(NewCli, RunsAndTheAlternativeBeatsTheControl) {
  const fs::path scenario = dir_ / "starter";
  ASSERT_EQ(run("new " + quoted(scenario.string())).status, 0);
  const fs::path out = scenario / "out";
  const Result ran =
      run("run " + quoted(scenario.string()) + " --replications 3 --out " + quoted(out.string()));
  ASSERT_EQ(ran.status, 0) << ran.err;
  const nlohmann::json summary = nlohmann::json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["scenario"]["name"], "starter") << summary["scenario"].dump();
  const nlohmann::json& evaluation = summary["evaluation"];
  EXPECT_EQ(evaluation["primary_metric"], "trial_rate");
  EXPECT_EQ(evaluation["control_arm"], "calendar");
  EXPECT_EQ(evaluation["recommended_arm"], "barrier_matched") << evaluation["recommendation"];
  // The paired uplift's whole 95% interval is above zero, even at 3 replications.
  bool found = false;
  for (const nlohmann::json& arm : evaluation["arms"]) {
    if (arm["name"] != "barrier_matched") continue;
    found = true;
    const nlohmann::json& uplift = arm["against_control"]["trial_rate"]["difference"];
    EXPECT_GT(uplift["ci95_lower"].get<double>(), 0.0) << uplift.dump();
  }
  EXPECT_TRUE(found);
}

TEST_F(NewCli, RefusesANonEmptyFolderAndChangesNothing) {
  const fs::path scenario = dir_ / "taken";
  fs::create_directories(scenario);
  std::ofstream(scenario / "notes.txt") << "mine\n";
  const Result refused = run("new " + quoted(scenario.string()));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("folder '" + scenario.string() + "' exists and is not empty"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(files_under(scenario), std::vector<std::string>{"notes.txt"});
  EXPECT_EQ(read(scenario / "notes.txt"), "mine\n");
  // Nothing was staged next to it either.
  std::vector<std::string> siblings;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    siblings.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(sorted(siblings), sorted({"stderr.txt", "stdout.txt", "taken"}));
}

TEST_F(NewCli, RefusesAFile) {
  const fs::path file = dir_ / "a-file";
  std::ofstream(file) << "x\n";
  const Result refused = run("new " + quoted(file.string()));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("'" + file.string() + "' exists and is not a folder"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(read(file), "x\n");
}

TEST_F(NewCli, AcceptsAnEmptyFolder) {
  const fs::path scenario = dir_ / "empty";
  fs::create_directories(scenario);
  const Result made = run("new " + quoted(scenario.string()));
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(files_under(scenario), sorted(kTemplateFiles));
}

TEST_F(NewCli, ForceReplacesTheTemplateFilesAndKeepsTheRest) {
  const fs::path scenario = dir_ / "again";
  ASSERT_EQ(run("new " + quoted(scenario.string())).status, 0);
  std::ofstream(scenario / "tables" / "channels.csv") << "broken\n";
  std::ofstream(scenario / "notes.txt") << "mine\n";

  EXPECT_EQ(run("new " + quoted(scenario.string())).status, 2);
  EXPECT_EQ(read(scenario / "tables" / "channels.csv"), "broken\n");

  const Result forced = run("new " + quoted(scenario.string()) + " --force --name second");
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_EQ(read(scenario / "tables" / "channels.csv"),
            read(kTemplateSource / "tables" / "channels.csv"));
  EXPECT_EQ(read(scenario / "notes.txt"), "mine\n");
  const Result validated = run("validate " + quoted(scenario.string()));
  ASSERT_EQ(validated.status, 0) << validated.err;
  EXPECT_NE(validated.out.find("Scenario 'second' is valid"), std::string::npos) << validated.out;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".again", 0), std::string::npos)
        << entry.path();
  }
}

TEST_F(NewCli, ForceRefusesAFolderWhereTheTemplateWritesAFile) {
  const fs::path scenario = dir_ / "clash";
  fs::create_directories(scenario / "scenario.yaml");
  const Result refused = run("new " + quoted(scenario.string()) + " --force");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("which is not a file"), std::string::npos) << refused.err;
  EXPECT_EQ(files_under(scenario), std::vector<std::string>{});
}

TEST_F(NewCli, NameSetsTheScenarioName) {
  const fs::path scenario = dir_ / "folder-name";
  const Result made = run("new " + quoted(scenario.string()) + " --name hf_launch_2027");
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(read(scenario / "scenario.yaml").find("\nname: hf_launch_2027 "), std::string::npos);
  EXPECT_EQ(read(scenario / "README.md").rfind("# hf_launch_2027\n", 0), 0U);
  const Result validated = run("validate " + quoted(scenario.string()));
  ASSERT_EQ(validated.status, 0) << validated.err;
  EXPECT_NE(validated.out.find("Scenario 'hf_launch_2027' is valid"), std::string::npos)
      << validated.out;
}

TEST_F(NewCli, NameThatYamlWouldMisreadIsQuotedAndReadsBack) {
  const fs::path scenario = dir_ / "odd";
  const Result made = run("new " + quoted(scenario.string()) + " --name 'null: #1'");
  ASSERT_EQ(made.status, 0) << made.err;
  const Result validated = run("validate " + quoted(scenario.string()));
  ASSERT_EQ(validated.status, 0) << validated.err;
  EXPECT_NE(validated.out.find("Scenario 'null: #1' is valid"), std::string::npos) << validated.out;
}

TEST_F(NewCli, DefaultNameIsTheFolderNameEvenWithATrailingSlash) {
  const fs::path scenario = dir_ / "from-folder";
  const Result made = run("new " + quoted(scenario.string() + "/"));
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(read(scenario / "scenario.yaml").find("\nname: from-folder "), std::string::npos);
  EXPECT_NE(read(scenario / "README.md").find("journeysim validate " + scenario.string() + "/"),
            std::string::npos);
}

TEST_F(NewCli, RefusesAnEmptyName) {
  const fs::path scenario = dir_ / "unnamed";
  const Result refused = run("new " + quoted(scenario.string()) + " --name ''");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("field '--name': the scenario name is empty"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(scenario));
}

}  // namespace
}  // namespace journeysim::testing
