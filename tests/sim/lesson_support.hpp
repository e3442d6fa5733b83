#pragma once
// Test support for the teaching scenarios (scenarios/lesson-*): run one as
// `journeysim run` does, with its own seed and common random numbers, and
// read its paired comparisons. Shared by lessons_test.cpp and
// lesson_robustness_test.cpp.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/evaluation.hpp"
#include "sim/parameters.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

namespace journeysim::testing {

inline constexpr std::uint32_t kLessonReplications = 10;

struct Lesson {
  sim::Scenario scenario;
  sim::ExperimentResult result;
  sim::Evaluation evaluation;
};

// One parameter set after loading, as `run --set PATH=VALUE` does.
struct Change {
  std::string path;
  double value = 0.0;
};

// Loads scenarios/<folder>, applies the changes, runs it with its seed and
// kLessonReplications replications, and evaluates it.
inline Lesson run_lesson(const std::string& folder, const std::vector<Change>& changes = {}) {
  Lesson lesson{
      sim::load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / folder),
      {},
      {}};
  for (const Change& change : changes) {
    sim::set_parameter(lesson.scenario, change.path, change.value);
  }
  sim::ExperimentOptions options;
  options.seed = lesson.scenario.seed;
  options.replications = kLessonReplications;
  options.keep_hcp_outcomes = false;
  lesson.result = sim::run_experiment(lesson.scenario, options);
  lesson.evaluation = sim::evaluate(lesson.scenario, lesson.result);
  return lesson;
}

// The paired comparison of arm against the scenario's control arm on metric.
inline const sim::Comparison& against_control(const Lesson& lesson, const std::string& arm,
                                              const std::string& metric) {
  for (const sim::Comparison& c : lesson.evaluation.comparisons) {
    if (lesson.scenario.arms[c.arm].name == arm && c.metric == metric) return c;
  }
  throw std::runtime_error("no comparison of " + arm + " on " + metric);
}

inline std::string describe(const sim::Comparison& c) {
  return "difference " + std::to_string(c.difference.mean) + " [" +
         std::to_string(c.difference.lower) + ", " + std::to_string(c.difference.upper) + "]";
}

}  // namespace journeysim::testing
