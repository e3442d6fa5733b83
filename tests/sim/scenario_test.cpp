// Loading the bundled quickstart scenario, and the format rules the loader
// promises: defaults for optional fields, the content hash, CSV comments,
// quoting and extra columns.
#include "sim/scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "tests/sim/test_scenario_copy.hpp"

namespace journeysim::sim {
namespace {

using testing::ScenarioCopy;

const std::filesystem::path kQuickstart =
    std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart";

// Splits a CSV line without quoted fields into its cells.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// Removes one column, by header name, from a CSV without quoted fields.
std::string drop_column(const std::string& csv, const std::string& column) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line);
  const auto at = std::find(header.begin(), header.end(), column) - header.begin();
  std::string out;
  do {
    std::vector<std::string> cells = split(line);
    cells.erase(cells.begin() + at);
    std::string joined;
    for (std::size_t i = 0; i < cells.size(); ++i) joined += (i == 0 ? "" : ",") + cells[i];
    out += joined + "\n";
  } while (std::getline(in, line));
  return out;
}

// Removes the text from the line starting with from up to (not including) the line starting
// with to.
void cut(const ScenarioCopy& copy, const std::string& file, const std::string& from,
         const std::string& to) {
  std::string text = copy.read(file);
  const auto begin = text.find("\n" + from);
  const auto end = text.find("\n" + to, begin + 1);
  ASSERT_NE(begin, std::string::npos) << from;
  ASSERT_NE(end, std::string::npos) << to;
  text.erase(begin + 1, end - begin);
  copy.write(file, text);
}

TEST(Scenario, QuickstartHasExpectedCounts) {
  const Scenario s = load_scenario(kQuickstart);
  EXPECT_EQ(s.name, "quickstart");
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.seed, 20261124U);
  EXPECT_EQ(s.horizon_days, 365U);
  EXPECT_EQ(s.population.size, 5000U);
  EXPECT_DOUBLE_EQ(s.population.known_share, 0.72);
  EXPECT_EQ(s.population.segments.size(), 7U);
  EXPECT_EQ(s.catalogue.channels.size(), 12U);
  EXPECT_EQ(s.catalogue.content.size(), 13U);
  EXPECT_EQ(
      s.population.specialties,
      (std::vector<std::string>{"cardiology", "primary_care", "internal_medicine", "nephrology"}));
  EXPECT_EQ(s.population.practice_settings.size(), 3U);
  EXPECT_EQ(s.population.career_stages.size(), 3U);
  EXPECT_TRUE(s.population.roster.empty());
}

TEST(Scenario, QuickstartRegionsKeepFileOrderAndShares) {
  const Scenario s = load_scenario(kQuickstart);
  const auto& regions = s.population.regions;
  ASSERT_EQ(regions.size(), 4U);
  EXPECT_EQ(regions[0].name, "north");
  EXPECT_DOUBLE_EQ(regions[0].share, 0.25);
  EXPECT_EQ(regions[1].name, "south");
  EXPECT_DOUBLE_EQ(regions[1].share, 0.30);
  EXPECT_EQ(regions[2].name, "east");
  EXPECT_DOUBLE_EQ(regions[2].share, 0.20);
  EXPECT_EQ(regions[3].name, "west");
  EXPECT_DOUBLE_EQ(regions[3].share, 0.25);
}

TEST(Scenario, QuickstartSegmentFieldsParsed) {
  const Scenario s = load_scenario(kQuickstart);
  const agents::Segment& first = s.population.segments.front();
  EXPECT_EQ(first.name, "cardiology_hospital_leaders");
  EXPECT_DOUBLE_EQ(first.share, 0.10);
  EXPECT_EQ(s.population.specialties[first.specialty], "cardiology");
  EXPECT_EQ(s.population.practice_settings[first.practice_setting].name, "hospital");
  EXPECT_DOUBLE_EQ(s.population.practice_settings[first.practice_setting].mean_practice_size, 25.0);
  EXPECT_DOUBLE_EQ(first.opinion_leader_share, 0.15);
  EXPECT_DOUBLE_EQ(first.patients_per_month_mean, 40.0);
  const auto time = static_cast<std::size_t>(agents::Barrier::time);
  EXPECT_DOUBLE_EQ(first.barriers[time].mean, 0.45);
  EXPECT_DOUBLE_EQ(first.barriers[time].concentration, 8.0);
  // Stages not listed (adopted, advocate) start no one.
  EXPECT_DOUBLE_EQ(first.start_stage_shares[0], 0.20);
  EXPECT_DOUBLE_EQ(first.start_stage_shares[static_cast<std::size_t>(agents::Stage::adopted)], 0.0);
  ASSERT_EQ(first.channels.size(), 12U);
  EXPECT_DOUBLE_EQ(first.channels[2].affinity_mean, 0.60);  // rep_visit
  EXPECT_DOUBLE_EQ(first.channels[2].consent_share, 0.70);
  // congress_event is not addressable and gives no consent share: everyone consents.
  EXPECT_DOUBLE_EQ(first.channels[6].consent_share, 1.0);
}

TEST(Scenario, ContentEffectsAndAllowedChannelsParsed) {
  const Scenario s = load_scenario(kQuickstart);
  const auto index = s.catalogue.content_index("pivotal_trial_summary");
  ASSERT_TRUE(index.has_value());
  const agents::ContentItem& item = s.catalogue.content[*index];
  EXPECT_EQ(item.format, "article");
  EXPECT_DOUBLE_EQ(item.minutes, 5.0);
  EXPECT_FALSE(item.independent_source);
  EXPECT_FLOAT_EQ(item.effect[0], 0.30F);
  EXPECT_FLOAT_EQ(item.effect[1], 0.03F);
  EXPECT_FLOAT_EQ(item.effect[2], 0.02F);
  EXPECT_FLOAT_EQ(item.effect[6], 0.0F);
  std::vector<std::string> allowed;
  for (const std::uint16_t c : item.allowed_channels) {
    allowed.push_back(s.catalogue.channels[c].name);
  }
  EXPECT_EQ(allowed, (std::vector<std::string>{"email_marketing", "email_rep_triggered",
                                               "hcp_portal", "third_party_site", "rep_visit"}));

  const agents::ContentItem& guideline =
      s.catalogue.content[*s.catalogue.content_index("guideline_update")];
  EXPECT_TRUE(guideline.independent_source);
  EXPECT_FLOAT_EQ(guideline.effect[static_cast<std::size_t>(agents::Barrier::trust)], 0.03F);
}

TEST(Scenario, ChannelsParsed) {
  const Scenario s = load_scenario(kQuickstart);
  const agents::Channel& rep = s.catalogue.channels[*s.catalogue.channel_index("rep_visit")];
  EXPECT_TRUE(rep.addressable);
  EXPECT_DOUBLE_EQ(rep.reach, 0.6);
  EXPECT_DOUBLE_EQ(rep.base_engagement, 0.85);
  EXPECT_DOUBLE_EQ(rep.cost, 180.0);
  EXPECT_DOUBLE_EQ(rep.capacity_per_week, 400.0);
  EXPECT_DOUBLE_EQ(rep.fatigue_weight, 1.5);
  EXPECT_FALSE(s.catalogue.channels[*s.catalogue.channel_index("congress_event")].addressable);
}

TEST(Scenario, QuickstartNetworkAsWritten) {
  const Scenario s = load_scenario(kQuickstart);
  EXPECT_EQ(s.network.model, agents::NetworkModel::clustered);
  EXPECT_DOUBLE_EQ(s.network.mean_degree, 10.0);
  EXPECT_DOUBLE_EQ(s.network.practice_share, 0.5);
  EXPECT_DOUBLE_EQ(s.network.region_share, 0.35);
  EXPECT_DOUBLE_EQ(s.network.opinion_leader_extra_degree, 30.0);
  EXPECT_DOUBLE_EQ(s.network.patient_sharing_weight, 2.0);
  EXPECT_DOUBLE_EQ(s.network.other_weight, 1.0);
}

TEST(Scenario, FolderAndManifestPathGiveTheSameScenario) {
  const Scenario from_folder = load_scenario(kQuickstart);
  const Scenario from_manifest = load_scenario(kQuickstart / "scenario.yaml");
  EXPECT_EQ(from_folder.manifest, kQuickstart / "scenario.yaml");
  EXPECT_EQ(from_manifest.manifest, kQuickstart / "scenario.yaml");
  EXPECT_EQ(from_folder.content_hash, from_manifest.content_hash);
  EXPECT_EQ(from_folder.population.segments.size(), from_manifest.population.segments.size());
}

TEST(Scenario, ContentHashIsStableForIdenticalFiles) {
  const Scenario original = load_scenario(kQuickstart);
  const ScenarioCopy copy;
  const Scenario copied = load_scenario(copy.folder());
  EXPECT_EQ(original.content_hash.size(), 16U);
  EXPECT_EQ(original.content_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(original.content_hash, copied.content_hash);
  EXPECT_EQ(load_scenario(copy.folder()).content_hash, copied.content_hash);
}

TEST(Scenario, ContentHashChangesWhenOneTableByteChanges) {
  const ScenarioCopy copy;
  const std::string before = load_scenario(copy.folder()).content_hash;
  copy.replace("tables/channels.csv", "rep_visit,1,0.6,", "rep_visit,1,0.7,");
  EXPECT_NE(load_scenario(copy.folder()).content_hash, before);
}

TEST(Scenario, ContentHashChangesWhenTheManifestChanges) {
  const ScenarioCopy copy;
  const std::string before = load_scenario(copy.folder()).content_hash;
  copy.replace("scenario.yaml", "size: 5000", "size: 5001");
  EXPECT_NE(load_scenario(copy.folder()).content_hash, before);
}

TEST(Scenario, MissingPatientsCvColumnUsesDefault) {
  const ScenarioCopy copy;
  copy.write("tables/segments.csv",
             drop_column(copy.read("tables/segments.csv"), "patients_per_month_cv"));
  const Scenario s = load_scenario(copy.folder());
  ASSERT_EQ(s.population.segments.size(), 7U);
  for (const agents::Segment& segment : s.population.segments) {
    EXPECT_DOUBLE_EQ(segment.patients_per_month_cv, 0.5) << segment.name;
  }
  EXPECT_DOUBLE_EQ(s.population.segments[0].patients_per_month_mean, 40.0);
}

TEST(Scenario, MissingOptionalColumnsUseDefaults) {
  const ScenarioCopy copy;
  std::string channels = copy.read("tables/channels.csv");
  channels = drop_column(drop_column(channels, "capacity_per_week"), "fatigue_weight");
  copy.write("tables/channels.csv", channels);
  copy.write("tables/segment_barriers.csv",
             drop_column(copy.read("tables/segment_barriers.csv"), "concentration"));
  copy.write("tables/content.csv", drop_column(copy.read("tables/content.csv"), "source"));
  copy.write("tables/segment_channels.csv",
             drop_column(copy.read("tables/segment_channels.csv"), "affinity_sd"));
  const Scenario s = load_scenario(copy.folder());
  const agents::Channel& rep = s.catalogue.channels[*s.catalogue.channel_index("rep_visit")];
  EXPECT_DOUBLE_EQ(rep.capacity_per_week, 0.0);
  EXPECT_DOUBLE_EQ(rep.fatigue_weight, 1.0);
  EXPECT_DOUBLE_EQ(s.population.segments[0].barriers[0].concentration, 10.0);
  EXPECT_DOUBLE_EQ(s.population.segments[0].channels[0].affinity_sd, 0.5);
  EXPECT_FALSE(
      s.catalogue.content[*s.catalogue.content_index("guideline_update")].independent_source);
}

TEST(Scenario, MissingSeedDefaultsToOne) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "seed: 20261124\n", "");
  EXPECT_EQ(load_scenario(copy.folder()).seed, 1U);
}

TEST(Scenario, MissingOptionalManifestFieldsUseDefaults) {
  const ScenarioCopy copy;
  copy.replace("scenario.yaml", "horizon_days: 365\n", "");
  copy.replace("scenario.yaml", "career_stages: {early: 0.25, mid: 0.50, late: 0.25}", "");
  const Scenario s = load_scenario(copy.folder());
  EXPECT_EQ(s.horizon_days, 365U);
  ASSERT_EQ(s.population.career_stages.size(), 1U);
  EXPECT_EQ(s.population.career_stages[0].name, "unspecified");
  EXPECT_DOUBLE_EQ(s.population.career_stages[0].share, 1.0);
}

TEST(Scenario, MissingNetworkSectionUsesDefaults) {
  const ScenarioCopy copy;
  cut(copy, "scenario.yaml", "network:", "channels:");
  const Scenario s = load_scenario(copy.folder());
  const agents::NetworkSpec defaults;
  EXPECT_EQ(s.network.model, agents::NetworkModel::clustered);
  EXPECT_DOUBLE_EQ(s.network.mean_degree, 10.0);
  EXPECT_DOUBLE_EQ(s.network.rewire_probability, defaults.rewire_probability);
  EXPECT_DOUBLE_EQ(s.network.practice_share, 0.5);
  EXPECT_DOUBLE_EQ(s.network.region_share, 0.35);
  EXPECT_DOUBLE_EQ(s.network.opinion_leader_extra_degree, 30.0);
  EXPECT_DOUBLE_EQ(s.network.patient_sharing_weight, 2.0);
  EXPECT_DOUBLE_EQ(s.network.other_weight, 1.0);
  EXPECT_TRUE(s.network.edges.empty());
}

TEST(Scenario, ExtraCsvColumnsAreIgnored) {
  const ScenarioCopy copy;
  std::string channels = copy.read("tables/channels.csv");
  std::string with_notes;
  std::istringstream in(channels);
  for (std::string line; std::getline(in, line);) {
    with_notes += line + (with_notes.empty() ? ",notes\n" : ",whatever\n");
  }
  copy.write("tables/channels.csv", with_notes);
  const Scenario s = load_scenario(copy.folder());
  ASSERT_EQ(s.catalogue.channels.size(), 12U);
  EXPECT_DOUBLE_EQ(s.catalogue.channels.back().fatigue_weight, 0.3);
}

TEST(Scenario, CsvCommentAndBlankLinesAreSkipped) {
  const ScenarioCopy copy;
  copy.replace("tables/segments.csv", "cardiology_hospital_doubters",
               "# a comment line, with a comma\n\ncardiology_hospital_doubters");
  copy.write("tables/segments.csv", copy.read("tables/segments.csv") + "\n# trailing\n\n");
  const Scenario s = load_scenario(copy.folder());
  ASSERT_EQ(s.population.segments.size(), 7U);
  EXPECT_EQ(s.population.segments[1].name, "cardiology_hospital_doubters");
}

TEST(Scenario, CommentLinesBeforeTheHeaderAreSkipped) {
  const ScenarioCopy copy;
  copy.write("tables/channels.csv",
             "# channels of the launch\n" + copy.read("tables/channels.csv"));
  EXPECT_EQ(load_scenario(copy.folder()).catalogue.channels.size(), 12U);
}

TEST(Scenario, QuotedCsvFieldsMayHoldCommas) {
  const ScenarioCopy copy;
  copy.replace("tables/content.csv", "pivotal_trial_summary,article,5,pharma,",
               "pivotal_trial_summary,\"article, long\",5,pharma,");
  copy.replace("tables/content.csv", "guideline_update,article,8,independent,",
               "\"guideline_update\",article,8,\"independent\",");
  const Scenario s = load_scenario(copy.folder());
  EXPECT_EQ(s.catalogue.content[0].format, "article, long");
  ASSERT_TRUE(s.catalogue.content_index("guideline_update").has_value());
  EXPECT_TRUE(s.catalogue.content[1].independent_source);
}

}  // namespace
}  // namespace journeysim::sim
