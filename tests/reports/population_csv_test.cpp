// The population and edge CSVs: preamble, exact header, one row per HCP, each
// tie once, quoting, and no roster identifier in any output.
#include "reports/population_csv.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "reports/csv_text.hpp"

namespace journeysim::reports {
namespace {

const std::filesystem::path kQuickstart =
    std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// A copy of the quickstart scenario in a fresh temporary folder, to edit.
class EditableQuickstart {
 public:
  EditableQuickstart() {
    static int counter = 0;
    folder_ = std::filesystem::temp_directory_path() /
              ("journeysim-csv-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(folder_);
    std::filesystem::copy(kQuickstart, folder_, std::filesystem::copy_options::recursive);
  }
  ~EditableQuickstart() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  EditableQuickstart(const EditableQuickstart&) = delete;
  EditableQuickstart& operator=(const EditableQuickstart&) = delete;

  const std::filesystem::path& folder() const { return folder_; }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(folder_ / file, std::ios::binary | std::ios::trunc) << text;
  }
  void replace(const std::string& file, const std::string& from, const std::string& to) const {
    std::ifstream in(folder_ / file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string text = bytes.str();
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("test edit: '" + from + "' not found");
    write(file, text.replace(at, from.size(), to));
  }

 private:
  std::filesystem::path folder_;
};

// A scenario's population of a given size, its network, and both CSVs.
struct Drawn {
  sim::Scenario scenario;
  agents::Population population;
  agents::PeerNetwork network;
  std::string population_csv;
  std::string edges_csv;
};

Drawn draw(sim::Scenario scenario, std::uint32_t size, DrawId id) {
  Drawn d{std::move(scenario), {}, {}, {}, {}};
  if (size != 0) sim::override_population_size(d.scenario, size);
  d.population = agents::synthesize_population(d.scenario.population, d.scenario.catalogue.channels,
                                               id.seed, id.replication);
  d.network = agents::build_network(d.scenario.network, d.population, id.seed, id.replication);
  std::ostringstream people;
  write_population_csv(people, d.scenario, d.population, id);
  d.population_csv = people.str();
  std::ostringstream edges;
  write_edges_csv(edges, d.scenario, d.network, id);
  d.edges_csv = edges.str();
  return d;
}

class SmallQuickstart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    drawn_ = new Drawn(draw(sim::load_scenario(kQuickstart), 300, {42, 3}));
  }
  static void TearDownTestSuite() { delete drawn_; }
  static Drawn* drawn_;
};

Drawn* SmallQuickstart::drawn_ = nullptr;

TEST_F(SmallQuickstart, PopulationPreambleCarriesSchemaSeedAndReplication) {
  const auto lines = lines_of(drawn_->population_csv);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], fmt::format("# journeysim population schema=1 scenario=quickstart "
                                  "hash={} seed=42 replication=3",
                                  drawn_->scenario.content_hash));
}

TEST_F(SmallQuickstart, PopulationHeaderColumnsAreExact) {
  const auto lines = lines_of(drawn_->population_csv);
  ASSERT_GE(lines.size(), 2U);
  const std::vector<std::string> channels = {
      "email_marketing",  "email_rep_triggered", "rep_visit",   "rep_remote_call", "webinar_live",
      "video_on_demand",  "congress_event",      "kol_meeting", "hcp_portal",      "sms",
      "third_party_site", "medical_network"};
  std::string expected =
      "hcp,pseudonym,segment,specialty,practice_setting,region,career_stage,practice,"
      "patients_per_month,opinion_leader,known,start_stage,dominant_barrier,barrier_knowledge,"
      "barrier_relevance,barrier_peer,barrier_workflow,barrier_access,barrier_time,barrier_trust";
  for (const auto& c : channels) expected += ",affinity_" + c;
  for (const auto& c : channels) expected += ",reachable_" + c;
  EXPECT_EQ(lines[1], expected);
}

TEST_F(SmallQuickstart, PopulationHasOneRowPerHcp) {
  const auto lines = lines_of(drawn_->population_csv);
  ASSERT_EQ(lines.size(), 2U + 300U);
  const std::size_t columns = split(lines[1]).size();
  for (std::uint32_t hcp = 0; hcp < 300; ++hcp) {
    const auto cells = split(lines[2 + hcp]);
    ASSERT_EQ(cells.size(), columns) << lines[2 + hcp];
    EXPECT_EQ(cells[0], std::to_string(hcp));
    EXPECT_EQ(cells[1], "");  // No roster: no pseudonym.
    EXPECT_EQ(cells[2], drawn_->scenario.population.segments[drawn_->population.segment[hcp]].name);
    EXPECT_EQ(cells[10], std::to_string(int{drawn_->population.known[hcp]}));
  }
}

TEST_F(SmallQuickstart, PopulationReachableColumnsMatchPopulation) {
  const auto lines = lines_of(drawn_->population_csv);
  const auto& channels = drawn_->scenario.catalogue.channels;
  const std::size_t first_reachable = split(lines[1]).size() - channels.size();
  for (std::uint32_t hcp = 0; hcp < 300; ++hcp) {
    const auto cells = split(lines[2 + hcp]);
    for (std::uint16_t c = 0; c < channels.size(); ++c) {
      EXPECT_EQ(cells[first_reachable + c],
                drawn_->population.reachable(hcp, c, channels[c]) ? "1" : "0");
    }
  }
}

TEST_F(SmallQuickstart, EdgesPreambleAndHeader) {
  const auto lines = lines_of(drawn_->edges_csv);
  ASSERT_GE(lines.size(), 2U);
  EXPECT_EQ(lines[0], fmt::format("# journeysim edges schema=1 scenario=quickstart hash={} "
                                  "seed=42 replication=3",
                                  drawn_->scenario.content_hash));
  EXPECT_EQ(lines[1], "from,to,weight");
}

TEST_F(SmallQuickstart, EachEdgeOnceWithFromBelowTo) {
  const auto lines = lines_of(drawn_->edges_csv);
  std::set<std::pair<unsigned long, unsigned long>> seen;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    const auto cells = split(lines[i]);
    ASSERT_EQ(cells.size(), 3U) << lines[i];
    const unsigned long from = std::stoul(cells[0]);
    const unsigned long to = std::stoul(cells[1]);
    EXPECT_LT(from, to) << lines[i];
    EXPECT_LT(to, 300U);
    EXPECT_TRUE(seen.insert({from, to}).second) << "tie listed twice: " << lines[i];
    EXPECT_GT(std::stod(cells[2]), 0.0);
  }
  EXPECT_EQ(seen.size(), drawn_->network.tie_count());
  EXPECT_GT(seen.size(), 0U);
}

// ---- names and identifiers -------------------------------------------------

TEST(PopulationCsv, NamesWithCommasAreQuoted) {
  const EditableQuickstart copy;
  copy.replace("scenario.yaml", "{north: 0.25,", "{\"north, upper\": 0.25,");
  const Drawn d = draw(sim::load_scenario(copy.folder()), 400, {7, 0});
  EXPECT_NE(d.population_csv.find(",\"north, upper\","), std::string::npos);
  // Every row still has the header's number of fields once quotes are honoured.
  const auto lines = lines_of(d.population_csv);
  const std::size_t columns = split(lines[1]).size();
  std::size_t quoted_rows = 0;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    std::string row = lines[i];
    const auto at = row.find("\"north, upper\"");
    if (at != std::string::npos) {
      row.replace(at, 14, "north_upper");
      ++quoted_rows;
    }
    EXPECT_EQ(split(row).size(), columns) << lines[i];
  }
  EXPECT_GT(quoted_rows, 0U);
}

TEST(PopulationCsv, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(PopulationCsv, RosterIdentifiersNeverWritten) {
  const EditableQuickstart copy;
  copy.replace("scenario.yaml", "  size: 5000\n",
               "  roster:\n    file: tables/roster.csv\n    pseudonym_salt: test-salt\n"
               "    resample_to: 50\n");
  copy.write("tables/roster.csv",
             "hcp_id,specialty,practice_setting,region,name,licence_number\n"
             "CRM-0001,cardiology,hospital,north,\"Zed, Alice\",LIC-777001\n"
             "CRM-0002,primary_care,group,south,\"Yarrow, Bob\",LIC-777002\n"
             "CRM-0003,nephrology,hospital,east,\"Xu, Carol\",LIC-777003\n"
             "CRM-0004,internal_medicine,group,west,\"Wynn, Dan\",LIC-777004\n");
  const Drawn d = draw(sim::load_scenario(copy.folder()), 0, {11, 1});
  ASSERT_EQ(d.population.size, 50U);
  for (const char* secret :
       {"CRM-", "Zed", "Alice", "Yarrow", "Xu, Carol", "Wynn", "LIC-", "777001", "test-salt"}) {
    EXPECT_EQ(d.population_csv.find(secret), std::string::npos) << secret;
    EXPECT_EQ(d.edges_csv.find(secret), std::string::npos) << secret;
  }
  // Every roster HCP carries a 16-hex-digit pseudonym instead.
  const auto lines = lines_of(d.population_csv);
  ASSERT_EQ(lines.size(), 52U);
  for (std::size_t i = 2; i < lines.size(); ++i) {
    const std::string pseudonym = split(lines[i])[1];
    EXPECT_EQ(pseudonym.size(), 16U) << lines[i];
    EXPECT_EQ(pseudonym.find_first_not_of("0123456789abcdef"), std::string::npos) << lines[i];
  }
}

}  // namespace
}  // namespace journeysim::reports
