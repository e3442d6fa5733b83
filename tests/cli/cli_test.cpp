// The journeysim executable as a user runs it: exit codes, messages on stderr,
// the files it writes and their determinism across thread counts.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim {
namespace {

using testing::quoted;
using testing::read;
using testing::Result;
using testing::ScenarioCopy;

const std::string kQuickstart = std::string(JOURNEYSIM_SOURCE_DIR) + "/scenarios/quickstart";

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class Cli : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    std::filesystem::create_directories(dir_ / "out");
  }
  std::string path(const std::string& name) const { return (dir_ / "out" / name).string(); }
  std::vector<std::string> output_files() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "out")) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }
};

// ---- help and version --------------------------------------------------------

TEST_F(Cli, VersionPrintsVersionAndExitsZero) {
  const Result r = run("--version");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(journeysim \d+\.\d+\.\d+)"))) << r.out;
}

TEST_F(Cli, HelpExitsZeroAndListsCommands) {
  const Result r = run("--help");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("validate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("population"), std::string::npos) << r.out;
}

TEST_F(Cli, ValidateHelpExitsZero) {
  const Result r = run("validate --help");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("scenario"), std::string::npos) << r.out;
}

TEST_F(Cli, PopulationHelpExitsZeroAndListsOptions) {
  const Result r = run("population --help");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* option :
       {"--out", "--edges", "--seed", "--replication", "--size", "--threads"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  }
}

// ---- validate ----------------------------------------------------------------

TEST_F(Cli, ValidateQuickstartExitsZero) {
  const Result r = run("validate " + quoted(kQuickstart));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Scenario 'quickstart' is valid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5000 HCPs"), std::string::npos) << r.out;
}

TEST_F(Cli, MalformedYamlExitsTwoNamingFileAndLine) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "west: 0.25}", "west: 0.25]]");
  const Result r = run("validate " + quoted(copy.folder().string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("scenario.yaml:17: malformed YAML"), std::string::npos) << r.err;
}

TEST_F(Cli, MissingColumnExitsTwoNamingFileAndField) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "opinion_leader_share", "leader_share");
  const Result r = run("validate " + quoted(copy.folder().string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("segments.csv:1: field 'opinion_leader_share'"), std::string::npos) << r.err;
}

TEST_F(Cli, BadNumberExitsTwoNamingFileLineAndField) {
  const ScenarioCopy copy;
  copy.replace("tables/channels.csv", "rep_visit,1,0.6,", "rep_visit,1,lots,");
  const Result r = run("validate " + quoted(copy.folder().string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("channels.csv:4: field 'reach': expected a number, found 'lots'"),
            std::string::npos)
      << r.err;
}

TEST_F(Cli, UnknownYamlFieldExitsTwoNamingField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "seed: 20261124", "sed: 3");
  const Result r = run("population --quiet " + quoted(copy.folder().string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("scenario.yaml:11: field 'sed': unknown field"), std::string::npos) << r.err;
}

TEST_F(Cli, UnknownOptionExitsTwoNamingIt) {
  const Result r = run("population " + quoted(kQuickstart) + " --frobnicate 3");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
}

// A seed outside [0, 2^62 - 1] used to be wrapped silently (-1 ran as
// 2^64 - 1). Every command that takes --seed refuses it, naming the option.
TEST_F(Cli, SeedOutsideItsRangeExitsTwoNamingIt) {
  const std::vector<std::string> commands = {
      "population " + quoted(kQuickstart) + " --size 50 --quiet",
      "run " + quoted(kQuickstart) + " --size 50 --replications 2 --out " + quoted(path("run")),
      "trace " + quoted(kQuickstart) + " --arm business_as_usual --hcp 0",
      "sweep " + quoted(kQuickstart) + " --set population.size=50:60:2 --out " +
          quoted(path("sweep")),
      "plan " + quoted(kQuickstart) + " --arms business_as_usual,segment_targeted --hcps 50"};
  for (const std::string& command : commands) {
    for (const std::string seed : {"-1", "4611686018427387904", "99999999999999999999", "x"}) {
      const Result r = run(command + " --seed " + seed);
      EXPECT_EQ(r.status, 2) << command << " --seed " << seed;
      EXPECT_NE(r.err.find("--seed: expected a whole number in [0, 4611686018427387903]"),
                std::string::npos)
          << r.err;
    }
  }
  EXPECT_TRUE(output_files().empty());
  // The largest seed is accepted.
  const Result largest =
      run("population " + quoted(kQuickstart) + " --size 50 --quiet --seed 4611686018427387903");
  EXPECT_EQ(largest.status, 0) << largest.err;
}

TEST_F(Cli, NonexistentScenarioPathExitsTwoNamingIt) {
  const std::string missing = (dir_ / "no-such-scenario").string();
  const Result r = run("validate " + quoted(missing));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such scenario file"), std::string::npos) << r.err;
}

TEST_F(Cli, OmittedScenarioArgumentExitsTwoNamingIt) {
  const Result r = run("validate");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("scenario"), std::string::npos) << r.err;
}

TEST_F(Cli, NoCommandExitsTwo) {
  const Result r = run("");
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(Cli, ZeroThreadsExitsTwoNamingOption) {
  const Result r = run("population " + quoted(kQuickstart) + " --threads 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
}

// ---- population --------------------------------------------------------------

TEST_F(Cli, PopulationWritesBothFiles) {
  const Result r = run("population " + quoted(kQuickstart) + " --out " + quoted(path("p.csv")) +
                       " --edges " + quoted(path("e.csv")));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("5000 HCPs"), std::string::npos) << r.out;
  const std::string people = read(path("p.csv"));
  const std::string edges = read(path("e.csv"));
  EXPECT_EQ(people.rfind("# journeysim population schema=1 scenario=quickstart", 0), 0U);
  EXPECT_EQ(line_count(people), 5002U);
  EXPECT_EQ(edges.rfind("# journeysim edges schema=1 scenario=quickstart", 0), 0U);
  EXPECT_GT(line_count(edges), 2U);
  EXPECT_EQ(output_files().size(), 2U);  // No temporary file left beside them.
}

TEST_F(Cli, BadScenarioLeavesNoOutputOrTemporaryFile) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_stages.csv", "primary_care_solo_busy,considering,0.05",
               "primary_care_solo_busy,considering,0.5");
  const Result r = run("population --quiet " + quoted(copy.folder().string()) + " --out " +
                       quoted(path("p.csv")) + " --edges " + quoted(path("e.csv")));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("segment_stages.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("primary_care_solo_busy"), std::string::npos) << r.err;
  EXPECT_TRUE(output_files().empty());
}

TEST_F(Cli, OutIntoMissingFolderExitsTwoBeforeLoading) {
  // The scenario does not exist either: the --out check must come first.
  const std::string out = (dir_ / "missing" / "p.csv").string();
  const Result r =
      run("population " + quoted((dir_ / "no-such-scenario").string()) + " --out " + quoted(out));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("field '--out'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("no such scenario file"), std::string::npos) << r.err;
}

TEST_F(Cli, EdgesIntoMissingFolderWritesNothing) {
  const Result r =
      run("population --quiet " + quoted(kQuickstart) + " --out " + quoted(path("p.csv")) +
          " --edges " + quoted((dir_ / "missing" / "e.csv").string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("field '--edges'"), std::string::npos) << r.err;
  EXPECT_TRUE(output_files().empty());
}

// An existing folder given as the output file is bad input, not an internal error.
TEST_F(Cli, OutNamingAFolderExitsTwo) {
  const Result r = run("population --quiet " + quoted(kQuickstart) + " --out " +
                       quoted((dir_ / "out").string()));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  EXPECT_TRUE(output_files().empty());
}

TEST_F(Cli, SameSeedGivesIdenticalFilesOnOneAndTwoThreads) {
  const std::string scenario = quoted(kQuickstart);
  for (const char* run_name : {"1", "2", "2b"}) {
    const std::string threads = std::string(run_name).substr(0, 1);
    const Result r = run("population --quiet " + scenario + " --threads " + threads + " --out " +
                         quoted(path(std::string("p") + run_name + ".csv")) + " --edges " +
                         quoted(path(std::string("e") + run_name + ".csv")));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("(" + threads + " threads)"), std::string::npos) << r.err;
  }
  const std::string people = read(path("p1.csv"));
  const std::string edges = read(path("e1.csv"));
  ASSERT_FALSE(people.empty());
  ASSERT_FALSE(edges.empty());
  EXPECT_TRUE(people == read(path("p2.csv"))) << "population differs between 1 and 2 threads";
  EXPECT_TRUE(people == read(path("p2b.csv"))) << "population differs between two runs";
  EXPECT_TRUE(edges == read(path("e2.csv"))) << "edges differ between 1 and 2 threads";
  EXPECT_TRUE(edges == read(path("e2b.csv"))) << "edges differ between two runs";
}

TEST_F(Cli, DifferentSeedGivesDifferentFiles) {
  const std::string scenario = quoted(kQuickstart);
  ASSERT_EQ(run("population --quiet " + scenario + " --seed 1 --out " + quoted(path("p1.csv")) +
                " --edges " + quoted(path("e1.csv")))
                .status,
            0);
  ASSERT_EQ(run("population --quiet " + scenario + " --seed 2 --out " + quoted(path("p2.csv")) +
                " --edges " + quoted(path("e2.csv")))
                .status,
            0);
  const auto body = [](const std::string& text) { return text.substr(text.find('\n')); };
  EXPECT_FALSE(body(read(path("p1.csv"))) == body(read(path("p2.csv"))));
  EXPECT_FALSE(body(read(path("e1.csv"))) == body(read(path("e2.csv"))));
}

TEST_F(Cli, SeedAndReplicationAppearInPreamble) {
  const Result r =
      run("population --quiet " + quoted(kQuickstart) + " --seed 77 --replication 5 --out " +
          quoted(path("p.csv")) + " --edges " + quoted(path("e.csv")));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string people = read(path("p.csv"));
  const std::string first = people.substr(0, people.find('\n'));
  EXPECT_NE(first.find(" seed=77 replication=5"), std::string::npos) << first;
  const std::string edges = read(path("e.csv"));
  EXPECT_NE(edges.substr(0, edges.find('\n')).find(" seed=77 replication=5"), std::string::npos);
}

TEST_F(Cli, DefaultSeedIsTheScenarioSeed) {
  const Result r =
      run("population --quiet " + quoted(kQuickstart) + " --out " + quoted(path("p.csv")));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string people = read(path("p.csv"));
  EXPECT_NE(people.substr(0, people.find('\n')).find(" seed=20261124 replication=0"),
            std::string::npos);
}

TEST_F(Cli, SizeOverrideWorks) {
  const Result r = run("population --quiet " + quoted(kQuickstart) + " --size 20000 --out " +
                       quoted(path("p.csv")));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(line_count(read(path("p.csv"))), 20002U);
}

}  // namespace
}  // namespace journeysim
