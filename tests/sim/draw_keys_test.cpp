// Keyed draws depend on names, never on positions (docs/engine.md, Random
// numbers): a comment line added to a journey file, arms listed in another
// order, or an arm's journeys listed in another order leave every result
// unchanged. The CSV outputs are compared without their preamble line, which
// carries the scenario's content hash (it changes with any byte of the files).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reports/run_outputs.hpp"
#include "sim/evaluation.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim::sim {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCsvOutputs = {"timeseries.csv",  "hcp_outcomes.csv",
                                              "comparisons.csv", "segments.csv",
                                              "friction.csv",    "km.csv"};

// Runs the copy at 1,500 HCPs and 3 replications and writes its outputs into
// the copy's folder out/.
fs::path run_and_write(const testing::ScenarioCopy& copy) {
  Scenario scenario = load_scenario(copy.folder());
  scenario.population.size = 1500;
  ExperimentOptions options;
  options.seed = scenario.seed;
  options.replications = 3;
  options.keep_hcp_outcomes = true;
  const ExperimentResult result = run_experiment(scenario, options);
  const Evaluation evaluation = evaluate(scenario, result);
  const fs::path out = copy.folder() / "out";
  reports::write_run_outputs(out, scenario, result, &evaluation, true, "test");
  return out;
}

// The file's lines after the preamble; sorted if asked (for row order that
// follows the arms' order).
std::vector<std::string> body(const fs::path& file, bool sorted) {
  std::ifstream in(file);
  std::string line;
  std::vector<std::string> lines;
  std::getline(in, line);  // The preamble: its hash covers the edited files.
  while (std::getline(in, line)) lines.push_back(line);
  if (sorted) std::sort(lines.begin(), lines.end());
  return lines;
}

void expect_same_outputs(const fs::path& a, const fs::path& b, bool sorted) {
  for (const std::string& name : kCsvOutputs) {
    const auto left = body(a / name, sorted);
    const auto right = body(b / name, sorted);
    ASSERT_FALSE(left.empty()) << name;
    EXPECT_TRUE(left == right) << name << " differs";
  }
}

// The quickstart's barrier_matched journey has a random split, waits, sends
// and triggers; the comment lines shift every later line of the file.
TEST(DrawKeys, CommentLinesInAJourneyFileChangeNothing) {
  testing::ScenarioCopy plain("quickstart");
  testing::ScenarioCopy commented("quickstart");
  const std::string file = "journeys/barrier_matched.yaml";
  commented.write(file, "# one\n# two\n# three\n" + commented.read(file));
  commented.replace(file, "  - id: route", "  # a comment before the split\n\n  - id: route");
  expect_same_outputs(run_and_write(plain), run_and_write(commented), false);
}

TEST(DrawKeys, ArmsInAnotherOrderGiveTheSameRowsForEveryArm) {
  testing::ScenarioCopy listed("quickstart");
  testing::ScenarioCopy reordered("quickstart");
  // Move next_best_action (the last arm) to the front of the list.
  const std::string nba =
      "  - name: next_best_action\n"
      "    description: Ordered rules on observed signals choose one action every 14 days.\n"
      "    journeys: [journeys/nba_policy.yaml]\n";
  reordered.replace("scenario.yaml", nba, "");
  reordered.replace("scenario.yaml", "arms:\n", "arms:\n" + nba);
  expect_same_outputs(run_and_write(listed), run_and_write(reordered), true);
}

TEST(DrawKeys, JourneysOfAnArmInAnotherOrderChangeNothing) {
  // An arm with two journeys that touch the same HCPs on the same days, so
  // which runs first matters (caps, fatigue) unless the order is fixed by name.
  testing::ScenarioCopy one_way("quickstart");
  testing::ScenarioCopy other_way("quickstart");
  one_way.replace("scenario.yaml", "journeys: [journeys/barrier_matched.yaml]",
                  "journeys: [journeys/barrier_matched.yaml, journeys/nba_policy.yaml]");
  other_way.replace("scenario.yaml", "journeys: [journeys/barrier_matched.yaml]",
                    "journeys: [journeys/nba_policy.yaml, journeys/barrier_matched.yaml]");
  expect_same_outputs(run_and_write(one_way), run_and_write(other_way), false);
}

}  // namespace
}  // namespace journeysim::sim
