// The manifest's `model:` section and its stage hazard table
// (sim/detail/model_loader.hpp): values as written, defaults when absent, and
// every kind of bad input as agents::InputError naming file, line and field.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

#include "agents/input_error.hpp"
#include "agents/response_model.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim::sim {
namespace {

using agents::Barrier;
using agents::InputError;
using agents::ModelParams;
using agents::Stage;
using agents::StageHazard;
using testing::ScenarioCopy;

constexpr const char* kHazardFile = "tables/stage_hazards.csv";

std::optional<InputError> load_error(const std::filesystem::path& path) {
  try {
    (void)load_scenario(path);
  } catch (const InputError& error) {
    return error;
  }
  return std::nullopt;
}

// 1-based number of the first line of a copied file that contains text.
std::size_t line_of(const ScenarioCopy& copy, const std::string& file, const std::string& text) {
  std::istringstream in(copy.read(file));
  std::size_t number = 1;
  for (std::string line; std::getline(in, line); ++number) {
    if (line.find(text) != std::string::npos) return number;
  }
  throw std::runtime_error("test: '" + text + "' not in " + file);
}

// True if the error names file (by file name), line and field, in where() and in what().
::testing::AssertionResult names(const InputError& error, const std::string& file, std::size_t line,
                                 const std::string& field) {
  const std::string what = error.what();
  if (std::filesystem::path(error.where().file).filename() != file) {
    return ::testing::AssertionFailure() << "file is '" << error.where().file << "': " << what;
  }
  if (error.where().line != line) {
    return ::testing::AssertionFailure()
           << "line is " << error.where().line << ", expected " << line << ": " << what;
  }
  if (error.where().field != field) {
    return ::testing::AssertionFailure() << "field is '" << error.where().field << "': " << what;
  }
  if (what.find(file + ":" + std::to_string(line) + ": ") == std::string::npos ||
      what.find("field '" + field + "'") == std::string::npos) {
    return ::testing::AssertionFailure() << "what() lacks the location: " << what;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult says(const InputError& error, const std::string& text) {
  if (error.message().find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message lacks '" << text << "': " << error.what();
}

// The manifest without its top-level `model:` block (the key and its indented lines).
std::string without_model_block(const std::string& yaml) {
  std::istringstream in(yaml);
  std::string out;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model:", 0) == 0) {
      inside = true;
      continue;
    }
    if (inside && !line.empty() && (line[0] == ' ' || line[0] == '\t')) continue;
    inside = false;
    out += line + "\n";
  }
  return out;
}

// Replaces the copy's `model:` block by block, appended at the end.
void set_model_block(const ScenarioCopy& copy, const std::string& block) {
  copy.write("scenario.yaml", without_model_block(copy.read("scenario.yaml")) + block);
}

const StageHazard& hazard(const ModelParams& model, Stage from) {
  return model.hazards[static_cast<std::size_t>(from)];
}

float weight(const StageHazard& hazard, Barrier barrier) {
  return hazard.gate_weights[static_cast<std::size_t>(barrier)];
}

void expect_same_model(const ModelParams& a, const ModelParams& b) {
  EXPECT_EQ(a.engagement.fatigue_coefficient, b.engagement.fatigue_coefficient);
  EXPECT_EQ(a.engagement.time_barrier_coefficient, b.engagement.time_barrier_coefficient);
  EXPECT_EQ(a.engagement.duration_coefficient, b.engagement.duration_coefficient);
  EXPECT_EQ(a.engagement.reference_minutes, b.engagement.reference_minutes);
  EXPECT_EQ(a.engagement.attention_minutes, b.engagement.attention_minutes);
  EXPECT_EQ(a.engagement.consumed_depth, b.engagement.consumed_depth);
  EXPECT_EQ(a.receptivity.pharma_trust_sensitivity, b.receptivity.pharma_trust_sensitivity);
  EXPECT_EQ(a.receptivity.independent_trust_sensitivity,
            b.receptivity.independent_trust_sensitivity);
  EXPECT_EQ(a.fatigue.half_life_days, b.fatigue.half_life_days);
  EXPECT_EQ(a.fatigue.opt_out_threshold, b.fatigue.opt_out_threshold);
  EXPECT_EQ(a.fatigue.opt_out_probability, b.fatigue.opt_out_probability);
  for (std::size_t s = 0; s < a.hazards.size(); ++s) {
    EXPECT_EQ(a.hazards[s].base, b.hazards[s].base) << "stage " << s;
    EXPECT_EQ(a.hazards[s].contagion, b.hazards[s].contagion) << "stage " << s;
    EXPECT_EQ(a.hazards[s].gate_weights, b.hazards[s].gate_weights) << "stage " << s;
  }
  EXPECT_EQ(a.lapse_rate, b.lapse_rate);
  EXPECT_EQ(a.peer.adopter_stage, b.peer.adopter_stage);
  EXPECT_EQ(a.peer.opinion_leader_weight, b.peer.opinion_leader_weight);
  EXPECT_EQ(a.peer.barrier_erosion_per_week, b.peer.barrier_erosion_per_week);
  EXPECT_EQ(a.forgetting_per_week, b.forgetting_per_week);
  EXPECT_EQ(a.trial_share, b.trial_share);
  EXPECT_EQ(a.adopted_share, b.adopted_share);
}

// ---- values ------------------------------------------------------------------

TEST(ModelLoader, QuickstartMatchesItsModelBlockAndHazardTable) {
  const Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  const ModelParams& m = scenario.model;
  EXPECT_EQ(m.engagement.fatigue_coefficient, 0.8);
  EXPECT_EQ(m.engagement.time_barrier_coefficient, 1.5);
  EXPECT_EQ(m.engagement.duration_coefficient, 0.6);
  EXPECT_EQ(m.engagement.reference_minutes, 5.0);
  EXPECT_EQ(m.engagement.attention_minutes, 12.0);
  EXPECT_EQ(m.engagement.consumed_depth, 0.5);
  EXPECT_EQ(m.receptivity.pharma_trust_sensitivity, 0.8);
  EXPECT_EQ(m.receptivity.independent_trust_sensitivity, 0.2);
  EXPECT_EQ(m.fatigue.half_life_days, 14.0);
  EXPECT_EQ(m.fatigue.opt_out_threshold, 4.0);
  EXPECT_EQ(m.fatigue.opt_out_probability, 0.05);
  EXPECT_EQ(m.lapse_rate, 0.01);
  EXPECT_EQ(m.peer.adopter_stage, Stage::trialing);
  EXPECT_EQ(m.peer.opinion_leader_weight, 3.0);
  EXPECT_EQ(m.peer.barrier_erosion_per_week, 0.3);
  EXPECT_EQ(m.forgetting_per_week, 0.02);
  EXPECT_EQ(m.trial_share, 0.05);
  EXPECT_EQ(m.adopted_share, 0.25);

  // tables/stage_hazards.csv, row by row.
  using agents::BarrierVector;
  const struct {
    Stage from;
    double base;
    double contagion;
    BarrierVector gates;
  } rows[] = {
      {Stage::unaware, 0.010, 0.003, {1, 0, 0, 0, 0, 0, 0}},
      {Stage::aware, 0.006, 0.002, {1, 1, 0, 0, 0, 0, 0}},
      {Stage::considering, 0.003, 0.003, {0, 1, 1, 0, 1, 0, 0}},
      {Stage::trialing, 0.010, 0.001, {0, 0, 0, 1, 1, 0, 0}},
      {Stage::adopted, 0.001, 0.0, {0, 0, 1, 0, 0, 0, 0}},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(hazard(m, row.from).base, row.base) << agents::stage_name(row.from);
    EXPECT_EQ(hazard(m, row.from).contagion, row.contagion) << agents::stage_name(row.from);
    EXPECT_EQ(hazard(m, row.from).gate_weights, row.gates) << agents::stage_name(row.from);
  }
  // The quickstart writes the defaults out: a scenario without `model:` behaves the same.
  expect_same_model(m, ModelParams{});
}

TEST(ModelLoader, DefaultsWhenTheModelSectionIsAbsent) {
  const ScenarioCopy copy;
  set_model_block(copy, "");
  ASSERT_EQ(copy.read("scenario.yaml").find("\nmodel:"), std::string::npos);
  expect_same_model(load_scenario(copy.folder()).model, ModelParams{});
}

TEST(ModelLoader, DefaultsWhenTheModelSectionIsEmpty) {
  const ScenarioCopy copy;
  set_model_block(copy, "model:\n");
  expect_same_model(load_scenario(copy.folder()).model, ModelParams{});
  set_model_block(copy, "model: {}\n");
  expect_same_model(load_scenario(copy.folder()).model, ModelParams{});
}

TEST(ModelLoader, ReadsEveryField) {
  const ScenarioCopy copy;
  set_model_block(copy,
                  "model:\n"
                  "  engagement:\n"
                  "    fatigue_coefficient: 0.11\n"
                  "    time_barrier_coefficient: 0.12\n"
                  "    duration_coefficient: 0.13\n"
                  "    reference_minutes: 0.14\n"
                  "    attention_minutes: 0.15\n"
                  "    consumed_depth: 0.16\n"
                  "  receptivity: {pharma_trust_sensitivity: 0.21, "
                  "independent_trust_sensitivity: 0.22}\n"
                  "  fatigue: {half_life_days: 0.31, opt_out_threshold: 0.32, "
                  "opt_out_probability: 0.33}\n"
                  "  lapse: {rate_per_day: 0.41}\n"
                  "  peer: {adopter_stage: adopted, opinion_leader_weight: 0.51, "
                  "barrier_erosion_per_week: 0.52}\n"
                  "  forgetting: {rate_per_week: 0.61}\n"
                  "  prescribing: {trial_share: 0.71, adopted_share: 0.72}\n");
  const ModelParams m = load_scenario(copy.folder()).model;
  EXPECT_EQ(m.engagement.fatigue_coefficient, 0.11);
  EXPECT_EQ(m.engagement.time_barrier_coefficient, 0.12);
  EXPECT_EQ(m.engagement.duration_coefficient, 0.13);
  EXPECT_EQ(m.engagement.reference_minutes, 0.14);
  EXPECT_EQ(m.engagement.attention_minutes, 0.15);
  EXPECT_EQ(m.engagement.consumed_depth, 0.16);
  EXPECT_EQ(m.receptivity.pharma_trust_sensitivity, 0.21);
  EXPECT_EQ(m.receptivity.independent_trust_sensitivity, 0.22);
  EXPECT_EQ(m.fatigue.half_life_days, 0.31);
  EXPECT_EQ(m.fatigue.opt_out_threshold, 0.32);
  EXPECT_EQ(m.fatigue.opt_out_probability, 0.33);
  EXPECT_EQ(m.lapse_rate, 0.41);
  EXPECT_EQ(m.peer.adopter_stage, Stage::adopted);
  EXPECT_EQ(m.peer.opinion_leader_weight, 0.51);
  EXPECT_EQ(m.peer.barrier_erosion_per_week, 0.52);
  EXPECT_EQ(m.forgetting_per_week, 0.61);
  EXPECT_EQ(m.trial_share, 0.71);
  EXPECT_EQ(m.adopted_share, 0.72);
  // No stage_hazards file: the default table.
  for (std::size_t s = 0; s < m.hazards.size(); ++s) {
    EXPECT_EQ(m.hazards[s].base, ModelParams::default_hazards()[s].base);
  }
}

TEST(ModelLoader, OmittedFieldsOfAGroupKeepTheirDefaults) {
  const ScenarioCopy copy;
  set_model_block(copy, "model:\n  engagement: {attention_minutes: 20}\n");
  const ModelParams m = load_scenario(copy.folder()).model;
  EXPECT_EQ(m.engagement.attention_minutes, 20.0);
  ModelParams expected;
  expected.engagement.attention_minutes = 20.0;
  expect_same_model(m, expected);
}

// A row replaces its stage's defaults cell by cell; unlisted stages keep theirs.
TEST(ModelLoader, HazardRowsOverrideDefaultsCellByCell) {
  const ScenarioCopy copy;
  copy.write(kHazardFile,
             "from_stage,base_hazard,contagion,relevance,access,time\n"
             "considering,0.02,,0,,0.5\n"
             "trialing,0.5,0.25,,,\n");
  const ModelParams m = load_scenario(copy.folder()).model;
  const ModelParams defaults;
  const StageHazard& considering = hazard(m, Stage::considering);
  EXPECT_EQ(considering.base, 0.02);
  EXPECT_EQ(considering.contagion, hazard(defaults, Stage::considering).contagion);
  EXPECT_EQ(weight(considering, Barrier::relevance), 0.0F);  // Written 0: gate removed.
  EXPECT_EQ(weight(considering, Barrier::access), 1.0F);     // Empty: default kept.
  EXPECT_EQ(weight(considering, Barrier::peer), 1.0F);       // No column: default kept.
  EXPECT_EQ(weight(considering, Barrier::time), 0.5F);
  const StageHazard& trialing = hazard(m, Stage::trialing);
  EXPECT_EQ(trialing.base, 0.5);
  EXPECT_EQ(trialing.contagion, 0.25);
  EXPECT_EQ(trialing.gate_weights, hazard(defaults, Stage::trialing).gate_weights);
  for (const Stage stage : {Stage::unaware, Stage::aware, Stage::adopted}) {
    EXPECT_EQ(hazard(m, stage).base, hazard(defaults, stage).base);
    EXPECT_EQ(hazard(m, stage).contagion, hazard(defaults, stage).contagion);
    EXPECT_EQ(hazard(m, stage).gate_weights, hazard(defaults, stage).gate_weights);
  }
}

TEST(ModelLoader, AHeaderOnlyHazardTableKeepsTheDefaults) {
  const ScenarioCopy copy;
  copy.write(kHazardFile, "from_stage,base_hazard\n");
  expect_same_model(load_scenario(copy.folder()).model, ModelParams{});
}

TEST(ModelLoader, AnAbsoluteHazardPathWorks) {
  const ScenarioCopy copy;
  const std::string absolute = copy.file(kHazardFile).string();
  copy.replace("scenario.yaml", "stage_hazards: tables/stage_hazards.csv",
               "stage_hazards: " + absolute);
  copy.replace(kHazardFile, "adopted,0.001,", "adopted,0.004,");
  EXPECT_EQ(hazard(load_scenario(copy.folder()).model, Stage::adopted).base, 0.004);
}

TEST(ModelLoader, TheHazardTableCountsInTheContentHash) {
  const ScenarioCopy copy;
  const std::string before = load_scenario(copy.folder()).content_hash;
  copy.replace(kHazardFile, "# Daily hazards", "# daily hazards");
  EXPECT_NE(load_scenario(copy.folder()).content_hash, before);
}

// ---- bad YAML -------------------------------------------------------------------

// Readable test names: the case's index and the field it breaks.
template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::to_string(info.index) + "_" + info.param.field;
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return name;
}

struct YamlCase {
  const char* from;   // Text of the quickstart manifest to replace.
  const char* to;     // Its replacement; the error is on the line that holds it.
  const char* field;  // The field the error must name.
  const char* says;   // Part of the message.
};

class BadModelYaml : public ::testing::TestWithParam<YamlCase> {};

TEST_P(BadModelYaml, NamesFileLineAndField) {
  const YamlCase& c = GetParam();
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", c.from, c.to);
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error) << c.to;
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", c.to), c.field));
  EXPECT_TRUE(says(*error, c.says));
}

INSTANTIATE_TEST_SUITE_P(
    ModelLoader, BadModelYaml,
    ::testing::Values(
        YamlCase{"  engagement:", "  engagment:", "model.engagment", "unknown field"},
        YamlCase{"    half_life_days: 14", "    half_life: 14", "model.fatigue.half_life",
                 "unknown field"},
        YamlCase{"    rate_per_day: 0.01", "    rate: 0.01", "model.lapse.rate", "unknown field"},
        YamlCase{"    fatigue_coefficient: 0.8", "    fatigue_coefficient: -0.1",
                 "model.engagement.fatigue_coefficient", "expected a number >= 0"},
        YamlCase{"    time_barrier_coefficient: 1.5", "    time_barrier_coefficient: -2",
                 "model.engagement.time_barrier_coefficient", "expected a number >= 0"},
        YamlCase{"    duration_coefficient: 0.6", "    duration_coefficient: lots",
                 "model.engagement.duration_coefficient", "expected a number"},
        YamlCase{"    reference_minutes: 5", "    reference_minutes: 0",
                 "model.engagement.reference_minutes", "expected a number > 0"},
        YamlCase{"    attention_minutes: 12", "    attention_minutes: -12",
                 "model.engagement.attention_minutes", "expected a number > 0"},
        YamlCase{"    consumed_depth: 0.5", "    consumed_depth: 1.5",
                 "model.engagement.consumed_depth", "[0, 1]"},
        YamlCase{"    pharma_trust_sensitivity: 0.8", "    pharma_trust_sensitivity: 1.2",
                 "model.receptivity.pharma_trust_sensitivity", "[0, 1]"},
        YamlCase{"    independent_trust_sensitivity: 0.2",
                 "    independent_trust_sensitivity: -0.2",
                 "model.receptivity.independent_trust_sensitivity", "[0, 1]"},
        YamlCase{"    half_life_days: 14", "    half_life_days: 0", "model.fatigue.half_life_days",
                 "expected a number > 0"},
        YamlCase{"    opt_out_threshold: 4", "    opt_out_threshold: -4",
                 "model.fatigue.opt_out_threshold", "expected a number >= 0"},
        YamlCase{"    opt_out_probability: 0.05", "    opt_out_probability: 5",
                 "model.fatigue.opt_out_probability", "[0, 1]"},
        YamlCase{"    rate_per_day: 0.01", "    rate_per_day: 1.5", "model.lapse.rate_per_day",
                 "rate per day in [0, 1]"},
        YamlCase{"    adopter_stage: trialing", "    adopter_stage: prescriber",
                 "model.peer.adopter_stage", "found 'prescriber'"},
        YamlCase{"    adopter_stage: trialing", "    adopter_stage: unaware",
                 "model.peer.adopter_stage", "aware, considering, trialing, adopted or advocate"},
        YamlCase{"    adopter_stage: trialing", "    adopter_stage: Trialing",
                 "model.peer.adopter_stage", "found 'Trialing'"},
        YamlCase{"    opinion_leader_weight: 3", "    opinion_leader_weight: -3",
                 "model.peer.opinion_leader_weight", "expected a number >= 0"},
        YamlCase{"    barrier_erosion_per_week: 0.3", "    barrier_erosion_per_week: 1.3",
                 "model.peer.barrier_erosion_per_week", "rate per week in [0, 1]"},
        YamlCase{"    rate_per_week: 0.02", "    rate_per_week: -0.02",
                 "model.forgetting.rate_per_week", "rate per week in [0, 1]"},
        YamlCase{"    trial_share: 0.05", "    trial_share: 5", "model.prescribing.trial_share",
                 "[0, 1]"},
        YamlCase{"    adopted_share: 0.25", "    adopted_share: -0.25",
                 "model.prescribing.adopted_share", "[0, 1]"},
        YamlCase{"  lapse:\n    rate_per_day: 0.01", "  lapse: [0.01]", "model.lapse",
                 "expected a mapping"},
        YamlCase{"stage_hazards: tables/stage_hazards.csv", "stage_hazards: tables/nope.csv",
                 "model.stage_hazards", "does not exist"},
        YamlCase{"stage_hazards: tables/stage_hazards.csv", "stage_hazards: [a, b]",
                 "model.stage_hazards", "expected a single text value"}),
    case_name<YamlCase>);

TEST(ModelLoader, AModelThatIsNotAMappingNamesTheField) {
  const ScenarioCopy copy;
  set_model_block(copy, "model: 3\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "model: 3"), "model"));
  EXPECT_TRUE(says(*error, "expected a mapping"));
}

// ---- bad hazard table -------------------------------------------------------------

struct CsvCase {
  const char* from;   // Text of the quickstart hazard table to replace.
  const char* to;     // Its replacement; the error is on the line that holds it.
  const char* field;  // The column the error must name.
  const char* says;
};

class BadHazardTable : public ::testing::TestWithParam<CsvCase> {};

TEST_P(BadHazardTable, NamesFileLineAndColumn) {
  const CsvCase& c = GetParam();
  const ScenarioCopy copy;
  copy.replace(kHazardFile, c.from, c.to);
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error) << c.to;
  EXPECT_TRUE(names(*error, "stage_hazards.csv", line_of(copy, kHazardFile, c.to), c.field));
  EXPECT_TRUE(says(*error, c.says));
}

INSTANTIATE_TEST_SUITE_P(
    ModelLoader, BadHazardTable,
    ::testing::Values(
        CsvCase{"aware,0.006,", "aware,fast,", "base_hazard", "expected a number, found 'fast'"},
        CsvCase{"aware,0.006,", "aware,,", "base_hazard", "empty cell"},
        CsvCase{"aware,0.006,", "aware,1.5,", "base_hazard", "a daily rate in [0, 1]"},
        CsvCase{"aware,0.006,", "aware,-0.006,", "base_hazard", "a daily rate in [0, 1]"},
        CsvCase{"aware,0.006,0.002,", "aware,0.006,-0.002,", "contagion", "a daily rate"},
        CsvCase{"aware,0.006,0.002,", "aware,0.006,0.2x,", "contagion", "found '0.2x'"},
        CsvCase{"aware,0.006,0.002,1,1,", "aware,0.006,0.002,1,-1,", "relevance", "a gate weight"},
        CsvCase{"trialing,0.010,0.001,0,0,0,1,", "trialing,0.010,0.001,0,0,0,heavy,", "workflow",
                "found 'heavy'"},
        CsvCase{"aware,0.006,", "advocate,0.006,", "from_stage", "found 'advocate'"},
        CsvCase{"aware,0.006,", "aware_ish,0.006,", "from_stage", "found 'aware_ish'"},
        CsvCase{"adopted,0.001,", "unaware,0.001,", "from_stage", "'unaware' listed twice"}),
    case_name<CsvCase>);

TEST(ModelLoader, AHazardTableWithoutBaseHazardNamesTheColumn) {
  const ScenarioCopy copy;
  copy.write(kHazardFile, "# Rates.\nfrom_stage,rate\naware,0.1\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "stage_hazards.csv", 2, "base_hazard"));
  EXPECT_TRUE(says(*error, "missing column"));
}

TEST(ModelLoader, AHazardRowWithTooFewCellsNamesTheLine) {
  const ScenarioCopy copy;
  copy.replace(kHazardFile, "aware,0.006,0.002,1,1,0,0,0,0,0", "aware,0.006");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(std::filesystem::path(error->where().file).filename(), "stage_hazards.csv");
  EXPECT_EQ(error->where().line, line_of(copy, kHazardFile, "aware,0.006"));
  EXPECT_TRUE(says(*error, "fewer cells"));
}

}  // namespace
}  // namespace journeysim::sim
