// Every kind of bad input must throw agents::InputError naming the file, the
// line (where there is one) and the field. Each test breaks one thing in a
// private copy of the quickstart scenario.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

#include "agents/input_error.hpp"
#include "sim/scenario.hpp"
#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;
using testing::ScenarioCopy;

// The error loading path throws, or nullopt if it loads. Other exceptions propagate.
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

constexpr std::size_t kNoLine = 0;

// True if the error names file (by file name), line and field, both in where() and in what().
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
  const std::string located =
      line == kNoLine ? file + ": " : file + ":" + std::to_string(line) + ": ";
  if (what.find(located) == std::string::npos) {
    return ::testing::AssertionFailure() << "what() lacks '" << located << "': " << what;
  }
  if (!field.empty() && what.find("field '" + field + "'") == std::string::npos) {
    return ::testing::AssertionFailure() << "what() lacks the field: " << what;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult says(const InputError& error, const std::string& text) {
  if (error.message().find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message lacks '" << text << "': " << error.what();
}

// Switches the copy to an edge-list network read from tables/edges.csv.
void use_edge_list(const ScenarioCopy& copy, const std::string& edges) {
  copy.replace("scenario.yaml", "  model: clustered",
               "  model: edge_list\n  edge_list:\n    file: tables/edges.csv");
  copy.write("tables/edges.csv", edges);
}

// Replaces population.size by a roster of four HCPs with identifying extra columns.
void use_roster(const ScenarioCopy& copy) {
  copy.replace("scenario.yaml", "  size: 5000\n",
               "  roster:\n    file: tables/roster.csv\n    pseudonym_salt: test-salt\n");
  copy.write("tables/roster.csv",
             "hcp_id,specialty,practice_setting,region,name,licence_number\n"
             "CRM-0001,cardiology,hospital,north,\"Zed, Alice\",LIC-777001\n"
             "CRM-0002,primary_care,group,south,\"Yarrow, Bob\",LIC-777002\n"
             "CRM-0003,nephrology,hospital,east,\"Xu, Carol\",LIC-777003\n"
             "CRM-0004,internal_medicine,group,west,\"Wynn, Dan\",LIC-777004\n");
}

// ---- YAML ------------------------------------------------------------------

TEST(ScenarioErrors, MalformedYamlBracketNamesFileAndLine) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "west: 0.25}", "west: 0.25]]");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "regions:"), ""));
  EXPECT_TRUE(says(*error, "malformed YAML"));
}

TEST(ScenarioErrors, MalformedYamlIndentationNamesFileAndLine) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "  size: 5000\n", "  size: 5000\n bad: 1\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", " bad: 1"), ""));
  EXPECT_TRUE(says(*error, "malformed YAML"));
}

// Bytes that have no place in a text file. A NUL used to end a CSV line
// silently (`...,1\0.9,EXTRA` read as 1), and an escape byte in a name went
// raw into report.html.
TEST(ScenarioErrors, NulByteInACsvCellNamesFileLineAndColumn) {
  const ScenarioCopy copy;
  const std::string channels = copy.read("tables/channels.csv");
  const std::size_t second_line = channels.find('\n') + 1;
  const std::size_t third_comma =
      channels.find(',', channels.find(',', channels.find(',', second_line) + 1) + 1);
  std::string broken = channels;
  broken.insert(third_comma + 2, std::string(1, '\0'));
  copy.write("tables/channels.csv", broken);
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "channels.csv", 2, "base_engagement"));
  EXPECT_TRUE(says(*error, "a NUL byte (0x00) is not allowed"));
}

TEST(ScenarioErrors, EscapeByteInAYamlNameNamesFileAndLine) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "name: quickstart\n", "name: quick\x1bstart\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(
      names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "name: quick"), "text"));
  EXPECT_TRUE(says(*error, "an escape byte (0x1B) is not allowed"));
}

TEST(ScenarioErrors, CarriageReturnOnlyLineEndingsGetTheirOwnMessage) {
  const ScenarioCopy copy;
  std::string channels = copy.read("tables/channels.csv");
  std::replace(channels.begin(), channels.end(), '\n', '\r');
  copy.write("tables/channels.csv", channels);
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "channels.csv", 1, "line endings"));
  EXPECT_TRUE(says(*error, "classic Mac (CR only) line endings"));
}

// Windows line endings stay fine, and so does a table without a final line
// feed (fast-cpp-csv-parser used to read one byte past such a file's end).
TEST(ScenarioErrors, CrlfAndAMissingFinalNewlineLoad) {
  const ScenarioCopy copy;
  std::string channels = copy.read("tables/channels.csv");
  std::string crlf;
  for (const char c : channels) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  copy.write("tables/channels.csv", crlf);
  std::string stages = copy.read("tables/segment_stages.csv");
  while (!stages.empty() && stages.back() == '\n') stages.pop_back();
  copy.write("tables/segment_stages.csv", stages);
  const auto error = load_error(copy.folder());
  EXPECT_FALSE(error) << error->what();
  const ScenarioCopy original;
  EXPECT_EQ(load_scenario(copy.folder()).catalogue.channels.size(),
            load_scenario(original.folder()).catalogue.channels.size());
}

TEST(ScenarioErrors, AFolderUsedAsATableIsNamedAsSuch) {
  const ScenarioCopy copy;
  std::filesystem::remove(copy.file("tables/channels.csv"));
  std::filesystem::create_directory(copy.file("tables/channels.csv"));
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(says(*error, "is not a regular file (a folder)"));
}

TEST(ScenarioErrors, MissingManifestNamesThePath) {
  const ScenarioCopy copy;
  std::filesystem::remove(copy.file("scenario.yaml"));
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", kNoLine, ""));
  EXPECT_TRUE(says(*error, "no such scenario file"));
}

TEST(ScenarioErrors, MissingNameNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "name: quickstart\n", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "name");
  EXPECT_NE(std::string(error->what()).find("scenario.yaml"), std::string::npos);
  EXPECT_TRUE(says(*error, "is required"));
}

TEST(ScenarioErrors, MissingCurrencyNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "currency: EUR\n", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "currency");
  EXPECT_NE(std::string(error->what()).find("scenario.yaml"), std::string::npos);
  EXPECT_TRUE(says(*error, "is required"));
}

TEST(ScenarioErrors, MissingSchemaVersionNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "schema_version: 1\n", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "schema_version");
  EXPECT_TRUE(says(*error, "is required"));
}

TEST(ScenarioErrors, MissingPopulationSizeNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "  size: 5000\n", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "population.size");
  EXPECT_NE(std::string(error->what()).find("scenario.yaml"), std::string::npos);
  EXPECT_TRUE(says(*error, "is required"));
}

TEST(ScenarioErrors, MissingKnownShareNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "known_share: 0.72", "# known_share: 0.72");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "population.known_share");
  EXPECT_NE(std::string(error->what()).find("scenario.yaml"), std::string::npos);
  EXPECT_TRUE(says(*error, "is required"));
}

TEST(ScenarioErrors, UnknownTopLevelFieldNamesLineAndField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "seed: 20261124", "sed: 3");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "sed: 3"), "sed"));
  EXPECT_TRUE(says(*error, "unknown field"));
  EXPECT_TRUE(says(*error, "seed"));  // Lists the fields it expected.
}

// yaml-cpp keeps both entries of a repeated key; the loader must not silently use the first.
TEST(ScenarioErrors, DuplicateYamlKeyNamesSecondLine) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "seed: 20261124\n", "seed: 20261124\nseed: 5\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "seed: 5"), "seed"));
}

TEST(ScenarioErrors, UnknownNestedFieldNamesDottedPath) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "  mean_degree: 10", "  mean_degre: 10");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "mean_degre:"),
                    "network.mean_degre"));
  EXPECT_TRUE(says(*error, "unknown field"));
}

TEST(ScenarioErrors, SchemaVersionMismatchNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "schema_version: 1", "schema_version: 2");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "schema_version"),
                    "schema_version"));
  EXPECT_TRUE(says(*error, "reads schema version 1, found 2"));
}

TEST(ScenarioErrors, NegativeSizeNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "size: 5000", "size: -5");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "size: -5"),
                    "population.size"));
  EXPECT_TRUE(says(*error, "found -5"));
}

TEST(ScenarioErrors, NonIntegerSizeNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "size: 5000", "size: 2.5");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "size: 2.5"),
                    "population.size"));
  EXPECT_TRUE(says(*error, "whole number"));
}

TEST(ScenarioErrors, NegativeKnownShareNamesField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "known_share: 0.72", "known_share: -0.1");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "known_share"),
                    "population.known_share"));
  EXPECT_TRUE(says(*error, "[0, 1]"));
}

TEST(ScenarioErrors, RegionSharesNotSummingToOneNameRegions) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "north: 0.25", "north: 0.35");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "regions:"),
                    "population.regions"));
  EXPECT_TRUE(says(*error, "sum to 1.1"));
}

TEST(ScenarioErrors, MissingTableFileNamesManifestField) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "segments: tables/segments.csv", "segments: tables/missing.csv");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "missing.csv"),
                    "population.segments"));
  EXPECT_TRUE(says(*error, "missing.csv"));
}

// ---- CSV tables ------------------------------------------------------------

TEST(ScenarioErrors, CsvMissingColumnNamesHeaderLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "opinion_leader_share", "leader_share");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 1, "opinion_leader_share"));
  EXPECT_TRUE(says(*error, "missing column"));
}

// A header after comment lines is not on line 1; the message must point at it.
TEST(ScenarioErrors, CsvMissingColumnAfterCommentNamesTheHeaderLine) {
  const ScenarioCopy copy;
  copy.write("tables/segments.csv",
             "# segments of the launch\n" + copy.read("tables/segments.csv"));
  copy.replace("tables/segments.csv", "opinion_leader_share", "leader_share");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 2, "opinion_leader_share"));
}

TEST(ScenarioErrors, NonNumericCellNamesFileLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "cardiology_hospital_doubters,0.12,",
               "cardiology_hospital_doubters,abc,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 3, "share"));
  EXPECT_TRUE(says(*error, "expected a number, found 'abc'"));
}

TEST(ScenarioErrors, EmptyNumericCellNamesFileLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv",
               "cardiology_hospital_doubters,0.12,cardiology,hospital,0.03,35,",
               "cardiology_hospital_doubters,0.12,cardiology,hospital,0.03,,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 3, "patients_per_month"));
  EXPECT_TRUE(says(*error, "empty cell"));
}

TEST(ScenarioErrors, TooManyCellsNamesFileAndLine) {
  const ScenarioCopy copy;
  copy.replace("tables/channels.csv", "sms,1,0.98,0.24,0.2,0,1.5", "sms,1,0.98,0.24,0.2,0,1.5,x");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(std::filesystem::path(error->where().file).filename(), "channels.csv");
  EXPECT_EQ(error->where().line, line_of(copy, "tables/channels.csv", "sms,"));
  EXPECT_NE(std::string(error->what()).find("channels.csv:" + std::to_string(error->where().line)),
            std::string::npos);
}

TEST(ScenarioErrors, EmptyCsvFileNamesFile) {
  const ScenarioCopy copy;
  copy.write("tables/content_effects.csv", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(std::filesystem::path(error->where().file).filename(), "content_effects.csv");
  EXPECT_TRUE(says(*error, "empty"));
}

TEST(ScenarioErrors, SegmentSharesNotSummingToOneNameShareColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "cardiology_hospital_leaders,0.10,",
               "cardiology_hospital_leaders,0.20,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", kNoLine, "share"));
  EXPECT_TRUE(says(*error, "sum to 1.1"));
}

TEST(ScenarioErrors, StageSharesOfOneSegmentNotSummingToOneNameSegment) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_stages.csv", "cardiology_hospital_doubters,unaware,0.30",
               "cardiology_hospital_doubters,unaware,0.40");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_stages.csv", kNoLine, "share"));
  EXPECT_TRUE(says(*error, "cardiology_hospital_doubters"));
  EXPECT_TRUE(says(*error, "sum to 1.1"));
}

TEST(ScenarioErrors, ReachAboveOneNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/channels.csv", "email_marketing,1,0.95,", "email_marketing,1,1.5,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "channels.csv", 2, "reach"));
  EXPECT_TRUE(says(*error, "[0, 1], found 1.5"));
}

TEST(ScenarioErrors, DuplicateSegmentNamesLine) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "cardiology_hospital_doubters,",
               "cardiology_hospital_leaders,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 3, "segment"));
  EXPECT_TRUE(says(*error, "twice"));
}

// ---- references between tables --------------------------------------------

TEST(ScenarioErrors, UnknownPracticeSettingNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "cardiology,hospital,0.15", "cardiology,clinic,0.15");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segments.csv", 2, "practice_setting"));
  EXPECT_TRUE(says(*error, "unknown practice setting 'clinic'"));
}

TEST(ScenarioErrors, SegmentBarriersUnknownSegmentNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_barriers.csv", "cardiology_hospital_leaders,relevance",
               "cardiology_hospital_leader,relevance");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_barriers.csv", 3, "segment"));
  EXPECT_TRUE(says(*error, "unknown segment 'cardiology_hospital_leader'"));
}

TEST(ScenarioErrors, ContentUnknownChannelNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/content.csv", "email_marketing;medical_network", "email_marketing;fax");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "content.csv", 3, "channels"));
  EXPECT_TRUE(says(*error, "unknown channel 'fax'"));
}

TEST(ScenarioErrors, ContentEffectsUnknownContentNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/content_effects.csv", "mechanism_video,", "mechanism_vid,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "content_effects.csv", 4, "content"));
  EXPECT_TRUE(says(*error, "unknown content item 'mechanism_vid'"));
}

TEST(ScenarioErrors, UnknownBarrierNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_barriers.csv", "cardiology_hospital_leaders,trust,",
               "cardiology_hospital_leaders,trusst,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_barriers.csv", 8, "barrier"));
  EXPECT_TRUE(says(*error, "unknown barrier 'trusst'"));
}

TEST(ScenarioErrors, UnknownStageNamesLineAndColumn) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_stages.csv", "cardiology_hospital_leaders,trialing",
               "cardiology_hospital_leaders,trialling");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_stages.csv", 5, "stage"));
  EXPECT_TRUE(says(*error, "unknown stage 'trialling'"));
}

TEST(ScenarioErrors, MissingBarrierRowNamesSegmentAndBarrier) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_barriers.csv", "cardiology_hospital_doubters,trust,0.35,8\n", "");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_barriers.csv", kNoLine, "barrier"));
  EXPECT_TRUE(
      says(*error, "segment 'cardiology_hospital_doubters' has no row for barrier 'trust'"));
}

TEST(ScenarioErrors, ConsentMissingForAddressableChannelNamesLine) {
  const ScenarioCopy copy;
  copy.replace("tables/segment_channels.csv", "cardiology_hospital_leaders,sms,-0.80,0.6,0.25",
               "cardiology_hospital_leaders,sms,-0.80,0.6,");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "segment_channels.csv", 11, "consent_share"));
  EXPECT_TRUE(says(*error, "addressable"));
}

// ---- network edge lists ----------------------------------------------------

TEST(ScenarioErrors, EdgeToUnknownHcpIndexNamesLineAndColumn) {
  const ScenarioCopy copy;
  use_edge_list(copy, "from,to,weight\n0,1,1\n2,5000,1\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "edges.csv", 3, "to"));
  EXPECT_TRUE(says(*error, "unknown HCP '5000'"));
}

TEST(ScenarioErrors, EdgeListWithinRangeLoads) {
  const ScenarioCopy copy;
  use_edge_list(copy, "from,to,weight\n0,1,1\n2,4999,0.5\n");
  const Scenario scenario = load_scenario(copy.folder());
  ASSERT_EQ(scenario.network.edges.size(), 2U);
  EXPECT_EQ(scenario.network.edges[1].to, 4999U);
  EXPECT_FLOAT_EQ(scenario.network.edges[1].weight, 0.5F);
}

TEST(ScenarioErrors, EdgeToUnknownRosterIdNamesLineAndColumn) {
  const ScenarioCopy copy;
  use_roster(copy);
  use_edge_list(copy, "from,to\nCRM-0001,CRM-0002\nCRM-0003,CRM-9999\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "edges.csv", 3, "to"));
  EXPECT_TRUE(says(*error, "unknown HCP 'CRM-9999'"));
}

TEST(ScenarioErrors, RosterEdgesByIdLoad) {
  const ScenarioCopy copy;
  use_roster(copy);
  use_edge_list(copy, "from,to\nCRM-0001,CRM-0002\nCRM-0004,CRM-0003\n");
  const Scenario scenario = load_scenario(copy.folder());
  EXPECT_EQ(scenario.population.size, 4U);
  ASSERT_EQ(scenario.network.edges.size(), 2U);
  EXPECT_EQ(scenario.network.edges[1].from, 3U);
  EXPECT_EQ(scenario.network.edges[1].to, 2U);
}

TEST(ScenarioErrors, RosterUnknownSpecialtyNamesLineAndColumn) {
  const ScenarioCopy copy;
  use_roster(copy);
  copy.replace("tables/roster.csv", "CRM-0003,nephrology", "CRM-0003,dermatology");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "roster.csv", 4, "specialty"));
  EXPECT_TRUE(says(*error, "dermatology"));
}

// ---- memory and size overrides ----------------------------------------------

TEST(ScenarioErrors, PopulationTooLargeForMemoryNamesSize) {
  const Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  const std::uint64_t needed = estimated_peak_bytes(scenario);
  ASSERT_GT(needed, 5000U);
  try {
    check_fits_in_memory(scenario, needed / 2);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_TRUE(names(error, "scenario.yaml", kNoLine, "population.size"));
    EXPECT_TRUE(says(error, "5000 HCPs"));
  }
}

TEST(ScenarioErrors, PopulationThatFitsInMemoryPasses) {
  const Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  EXPECT_NO_THROW(check_fits_in_memory(scenario, estimated_peak_bytes(scenario)));
  EXPECT_NO_THROW(check_fits_in_memory(scenario, 0));  // 0: available memory unknown.
}

TEST(ScenarioErrors, EstimatedPeakGrowsWithSize) {
  Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  const std::uint64_t small = estimated_peak_bytes(scenario);
  override_population_size(scenario, 50000);
  EXPECT_GT(estimated_peak_bytes(scenario), 5 * small);
}

TEST(ScenarioErrors, OverrideSizeZeroNamesSizeOption) {
  Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  try {
    override_population_size(scenario, 0);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().field, "--size");
    EXPECT_TRUE(says(error, "found 0"));
  }
  EXPECT_EQ(scenario.population.size, 5000U);
}

TEST(ScenarioErrors, OverrideSizeTooLargeNamesSizeOption) {
  Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  try {
    override_population_size(scenario, 5'000'000'000ULL);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().field, "--size");
    EXPECT_TRUE(says(error, "found 5000000000"));
  }
}

TEST(ScenarioErrors, OverrideSizeBelowRosterNamesSizeOption) {
  const ScenarioCopy copy;
  use_roster(copy);
  Scenario scenario = load_scenario(copy.folder());
  try {
    override_population_size(scenario, 3);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().field, "--size");
    EXPECT_TRUE(says(error, "[4, "));
  }
  override_population_size(scenario, 10);
  EXPECT_EQ(scenario.population.size, 10U);
}

TEST(ScenarioErrors, OverrideSizeOfEdgeListNamesSizeOption) {
  const ScenarioCopy copy;
  use_edge_list(copy, "from,to\n0,1\n");
  Scenario scenario = load_scenario(copy.folder());
  try {
    override_population_size(scenario, 6000);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().field, "--size");
    EXPECT_TRUE(says(error, "edge list"));
  }
  EXPECT_NO_THROW(override_population_size(scenario, 5000));
}

TEST(ScenarioErrors, OverrideSizeSetsTheSize) {
  Scenario scenario =
      load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart");
  override_population_size(scenario, 20000);
  EXPECT_EQ(scenario.population.size, 20000U);
}

// ---- the economics block (docs/economics.md) ----------------------------------

// Replaces any economics block of the copy's manifest with block (appended
// at the end), so the tests hold whether or not the quickstart has one.
void set_economics(const ScenarioCopy& copy, const std::string& block) {
  std::istringstream in(copy.read("scenario.yaml"));
  std::string kept;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("economics:", 0) == 0) {
      inside = true;
      continue;
    }
    if (inside && !line.empty() && line[0] != ' ' && line[0] != '#') inside = false;
    if (!inside) kept += line + "\n";
  }
  copy.write("scenario.yaml", kept + block);
}

TEST(ScenarioEconomics, ValuesAndBudgetAreRead) {
  const ScenarioCopy copy;
  set_economics(copy,
                "economics:\n  value_per_trialist: 12000\n  value_per_prescription: 50\n"
                "  budget: 800000\n");
  const Scenario scenario = load_scenario(copy.folder());
  ASSERT_TRUE(scenario.economics.value_per_trialist);
  EXPECT_DOUBLE_EQ(*scenario.economics.value_per_trialist, 12000.0);
  EXPECT_FALSE(scenario.economics.value_per_adopter);
  EXPECT_DOUBLE_EQ(*scenario.economics.value_per_prescription, 50.0);
  EXPECT_DOUBLE_EQ(*scenario.economics.budget, 800000.0);
  EXPECT_TRUE(scenario.economics.valued());
}

TEST(ScenarioEconomics, NoBlockMeansNoValues) {
  const ScenarioCopy copy;
  set_economics(copy, "");
  const Scenario scenario = load_scenario(copy.folder());
  EXPECT_FALSE(scenario.economics.valued());
  EXPECT_FALSE(scenario.economics.budget);
}

TEST(ScenarioEconomics, NegativeValueNamesLineAndField) {
  const ScenarioCopy copy;
  set_economics(copy, "economics:\n  value_per_adopter: -5\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "value_per_adopter"),
                    "economics.value_per_adopter"));
  EXPECT_TRUE(says(*error, ">= 0"));
}

TEST(ScenarioEconomics, NonFiniteBudgetNamesLineAndField) {
  const ScenarioCopy copy;
  set_economics(copy, "economics:\n  value_per_trialist: 10\n  budget: .inf\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "budget: .inf"),
                    "economics.budget"));
  EXPECT_TRUE(says(*error, "expected a number"));
}

TEST(ScenarioEconomics, UnknownKeyNamesLineAndField) {
  const ScenarioCopy copy;
  set_economics(copy, "economics:\n  value_per_trialst: 10\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_TRUE(names(*error, "scenario.yaml", line_of(copy, "scenario.yaml", "value_per_trialst"),
                    "economics.value_per_trialst"));
  EXPECT_TRUE(says(*error, "unknown field"));
  EXPECT_TRUE(says(*error, "value_per_trialist"));  // Lists the fields it expected.
}

TEST(ScenarioEconomics, EmptyBlockIsAnError) {
  const ScenarioCopy copy;
  set_economics(copy, "economics:\n");
  const auto error = load_error(copy.folder());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where().field, "economics");
  EXPECT_TRUE(says(*error, "at least one"));
}

}  // namespace
}  // namespace journeysim::sim
