// summarize_population: counts add up, expected shares come from the spec, and
// the network statistics are exact on a hand-built population.
#include "sim/population_summary.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace journeysim::sim {
namespace {

constexpr std::uint64_t kSeed = 20261124;

template <typename Rows>
std::uint64_t total(const Rows& rows) {
  return std::accumulate(
      rows.begin(), rows.end(), std::uint64_t{0},
      [](std::uint64_t sum, const CategoryCount& row) { return sum + row.count; });
}

class QuickstartSummary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new Scenario(
        load_scenario(std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / "quickstart"));
    population_ = new agents::Population(agents::synthesize_population(
        scenario_->population, scenario_->catalogue.channels, kSeed, 0));
    network_ =
        new agents::PeerNetwork(agents::build_network(scenario_->network, *population_, kSeed, 0));
    summary_ = new PopulationSummary(summarize_population(*scenario_, *population_, *network_));
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete network_;
    delete population_;
    delete scenario_;
  }
  static Scenario* scenario_;
  static agents::Population* population_;
  static agents::PeerNetwork* network_;
  static PopulationSummary* summary_;
};

Scenario* QuickstartSummary::scenario_ = nullptr;
agents::Population* QuickstartSummary::population_ = nullptr;
agents::PeerNetwork* QuickstartSummary::network_ = nullptr;
PopulationSummary* QuickstartSummary::summary_ = nullptr;

TEST_F(QuickstartSummary, CountsAddUpToPopulationSize) {
  EXPECT_EQ(summary_->hcps, 5000U);
  EXPECT_EQ(total(summary_->segments), 5000U);
  EXPECT_EQ(total(summary_->specialties), 5000U);
  EXPECT_EQ(total(summary_->regions), 5000U);
  EXPECT_EQ(total(summary_->start_stages), 5000U);
  EXPECT_EQ(total(summary_->dominant_barrier), 5000U);
}

TEST_F(QuickstartSummary, ExpectedSharesEqualTheSpec) {
  const agents::PopulationSpec& spec = scenario_->population;
  ASSERT_EQ(summary_->segments.size(), spec.segments.size());
  for (std::size_t s = 0; s < spec.segments.size(); ++s) {
    EXPECT_EQ(summary_->segments[s].name, spec.segments[s].name);
    EXPECT_DOUBLE_EQ(summary_->segments[s].expected_share, spec.segments[s].share);
  }
  ASSERT_EQ(summary_->regions.size(), spec.regions.size());
  for (std::size_t r = 0; r < spec.regions.size(); ++r) {
    EXPECT_EQ(summary_->regions[r].name, spec.regions[r].name);
    EXPECT_DOUBLE_EQ(summary_->regions[r].expected_share, spec.regions[r].share);
  }
  // cardiology is three segments: 0.10 + 0.12 + 0.15.
  ASSERT_EQ(summary_->specialties.size(), 4U);
  EXPECT_EQ(summary_->specialties[0].name, "cardiology");
  EXPECT_NEAR(summary_->specialties[0].expected_share, 0.37, 1e-12);
  EXPECT_NEAR(summary_->specialties[3].expected_share, 0.10, 1e-12);  // nephrology
  // unaware: sum over segments of share x unaware share.
  const double unaware = 0.10 * 0.20 + 0.12 * 0.30 + 0.15 * 0.35 + 0.25 * 0.60 + 0.18 * 0.70 +
                         0.10 * 0.45 + 0.10 * 0.40;
  EXPECT_EQ(summary_->start_stages[0].name, "unaware");
  EXPECT_NEAR(summary_->start_stages[0].expected_share, unaware, 1e-12);
  EXPECT_DOUBLE_EQ(
      summary_->start_stages[static_cast<std::size_t>(agents::Stage::adopted)].expected_share, 0.0);
  double stage_sum = 0.0;
  for (const CategoryCount& stage : summary_->start_stages) stage_sum += stage.expected_share;
  EXPECT_NEAR(stage_sum, 1.0, 1e-12);
}

TEST_F(QuickstartSummary, NetworkTieCountMatchesNetwork) {
  EXPECT_EQ(summary_->network.ties, network_->tie_count());
  EXPECT_GT(summary_->network.ties, 0U);
  EXPECT_DOUBLE_EQ(summary_->network.mean_degree,
                   2.0 * static_cast<double>(network_->tie_count()) / 5000.0);
}

TEST_F(QuickstartSummary, NonAddressableChannelReachesEveryone) {
  const auto& channels = scenario_->catalogue.channels;
  ASSERT_EQ(summary_->channels.size(), channels.size());
  for (std::size_t c = 0; c < channels.size(); ++c) {
    EXPECT_EQ(summary_->channels[c].name, channels[c].name);
    if (!channels[c].addressable) {
      EXPECT_EQ(summary_->channels[c].reachable_share, 1.0) << channels[c].name;
    } else {
      EXPECT_LE(summary_->channels[c].reachable_share, summary_->known_share) << channels[c].name;
    }
  }
}

// ---- a hand-built population with known answers ------------------------------

// Four HCPs: 0 and 1 share practice 0, 2 is alone in practice 1 (same region),
// 3 is in practice 2 of another region with no ties. Ties: 0-1 and 0-2.
struct Tiny {
  Scenario scenario;
  agents::Population population;
  agents::PeerNetwork network;
};

Tiny make_tiny() {
  Tiny t;
  agents::Channel email;
  email.name = "email";
  email.addressable = true;
  agents::Channel portal;
  portal.name = "portal";
  portal.addressable = false;
  t.scenario.catalogue.channels = {email, portal};
  agents::PopulationSpec& spec = t.scenario.population;
  spec.size = 4;
  spec.specialties = {"cardiology"};
  spec.practice_settings = {{"group", 2.0}};
  spec.regions = {{"north", 0.75}, {"south", 0.25}};
  spec.career_stages = {{"unspecified", 1.0}};
  agents::Segment segment;
  segment.name = "only";
  segment.share = 1.0;
  segment.start_stage_shares = {0.5, 0.5, 0, 0, 0, 0};
  spec.segments = {segment};

  agents::Population& p = t.population;
  p.size = 4;
  p.channel_count = 2;
  p.segment = {0, 0, 0, 0};
  p.specialty = {0, 0, 0, 0};
  p.practice_setting = {0, 0, 0, 0};
  p.region = {0, 0, 0, 1};
  p.career_stage = {0, 0, 0, 0};
  p.practice = {0, 0, 1, 2};
  p.patients_per_month = {10.0F, 20.0F, 30.0F, 40.0F};
  p.opinion_leader = {1, 0, 0, 0};
  p.known = {1, 1, 0, 0};
  p.start_stage = {agents::Stage::unaware, agents::Stage::aware, agents::Stage::aware,
                   agents::Stage::aware};
  p.start_barriers = {
      agents::BarrierVector{0.9F, 0, 0, 0, 0, 0, 0}, agents::BarrierVector{0, 0.9F, 0, 0, 0, 0, 0},
      agents::BarrierVector{0, 0.9F, 0, 0, 0, 0, 0}, agents::BarrierVector{0, 0, 0, 0, 0, 0, 0.9F}};
  p.affinity = {1.0F, 0.0F, 0.0F, 0.0F, -1.0F, 0.0F, 2.0F, 4.0F};
  p.consent = {0b01U, 0b00U, 0b01U, 0b00U};  // 2 consented but is unknown.
  t.network = agents::PeerNetwork(4, {{0, 1, 2.0F}, {0, 2, 1.0F}});
  return t;
}

TEST(PopulationSummary, KnownAnswersOnTinyPopulation) {
  const Tiny t = make_tiny();
  const PopulationSummary s = summarize_population(t.scenario, t.population, t.network);
  EXPECT_EQ(s.hcps, 4U);
  EXPECT_DOUBLE_EQ(s.known_share, 0.5);
  EXPECT_DOUBLE_EQ(s.opinion_leader_share, 0.25);
  EXPECT_DOUBLE_EQ(s.mean_patients_per_month, 25.0);
  EXPECT_EQ(s.practices, 3U);
  EXPECT_EQ(s.regions[0].count, 3U);
  EXPECT_EQ(s.regions[1].count, 1U);
  EXPECT_EQ(s.start_stages[0].count, 1U);
  EXPECT_EQ(s.start_stages[1].count, 3U);
  EXPECT_EQ(s.dominant_barrier[0].count, 1U);  // knowledge
  EXPECT_EQ(s.dominant_barrier[1].count, 2U);  // relevance
  EXPECT_EQ(s.dominant_barrier[6].count, 1U);  // trust
  EXPECT_NEAR(s.mean_barrier[1], 0.45, 1e-6);
  // email: only HCP 0 is known and consented; portal is not addressable.
  EXPECT_DOUBLE_EQ(s.channels[0].reachable_share, 0.25);
  EXPECT_DOUBLE_EQ(s.channels[1].reachable_share, 1.0);
  EXPECT_DOUBLE_EQ(s.channels[0].mean_affinity, 0.5);  // (1 + 0 - 1 + 2) / 4
  EXPECT_DOUBLE_EQ(s.channels[1].mean_affinity, 1.0);  // (0 + 0 + 0 + 4) / 4
}

TEST(PopulationSummary, KnownNetworkStatisticsOnTinyPopulation) {
  const Tiny t = make_tiny();
  const NetworkSummary n = summarize_population(t.scenario, t.population, t.network).network;
  EXPECT_EQ(n.ties, 2U);
  EXPECT_DOUBLE_EQ(n.mean_degree, 1.0);  // 4 tie ends over 4 HCPs.
  EXPECT_EQ(n.max_degree, 2U);
  EXPECT_DOUBLE_EQ(n.isolated_share, 0.25);
  EXPECT_DOUBLE_EQ(n.opinion_leader_mean_degree, 2.0);
  EXPECT_DOUBLE_EQ(n.within_practice_tie_share, 0.5);  // 0-1 of the two ties.
  EXPECT_DOUBLE_EQ(n.within_region_tie_share, 1.0);
}

}  // namespace
}  // namespace journeysim::sim
