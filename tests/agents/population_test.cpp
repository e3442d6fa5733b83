// Statistical checks of population synthesis against its spec. Every
// tolerance is derived in a comment from the sampling distribution of the
// statistic at the sample size used; seeds are fixed.
#include "agents/population.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <map>

namespace journeysim::agents {
namespace {

constexpr std::uint32_t kHcps = 200000;
constexpr std::uint64_t kSeed = 20261124;

std::vector<Channel> two_channels() {
  Channel email;
  email.name = "email";
  email.addressable = true;
  Channel portal;
  portal.name = "portal";
  portal.addressable = false;
  return {email, portal};
}

Segment make_segment(std::string name, double share, std::uint16_t specialty, std::uint8_t setting,
                     double leaders, std::array<double, 7> barrier_means) {
  Segment segment;
  segment.name = std::move(name);
  segment.share = share;
  segment.specialty = specialty;
  segment.practice_setting = setting;
  segment.opinion_leader_share = leaders;
  segment.patients_per_month_mean = 20.0 + 10.0 * specialty;
  segment.patients_per_month_cv = 0.6;
  for (int b = 0; b < kBarrierCount; ++b) segment.barriers[b] = {barrier_means[b], 8.0};
  segment.start_stage_shares = {0.5, 0.3, 0.15, 0.05, 0.0, 0.0};
  segment.channels = {{0.3, 0.5, 0.6}, {-0.2, 1.0, 0.0}};
  return segment;
}

PopulationSpec make_spec() {
  PopulationSpec spec;
  spec.size = kHcps;
  spec.known_share = 0.7;
  spec.specialties = {"cardiology", "primary_care"};
  spec.practice_settings = {{"hospital", 20.0}, {"group", 5.0}, {"solo", 1.0}};
  spec.regions = {{"north", 0.4}, {"south", 0.6}};
  spec.career_stages = {{"early", 0.3}, {"late", 0.7}};
  spec.segments = {
      make_segment("a", 0.5, 0, 0, 0.10, {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.1}),
      make_segment("b", 0.3, 1, 1, 0.02, {0.6, 0.7, 0.2, 0.2, 0.2, 0.5, 0.3}),
      make_segment("c", 0.2, 1, 2, 0.00, {0.5, 0.1, 0.1, 0.8, 0.1, 0.9, 0.6}),
  };
  spec.segments[2].barriers[6] = {0.6, 0.0};  // Concentration 0: fixed strength.
  spec.segments[1].start_stage_shares = {0.2, 0.2, 0.2, 0.2, 0.1, 0.1};
  spec.segments[1].channels[0].consent_share = 0.9;
  return spec;
}

const Population& shared_population() {
  static const Population population = synthesize_population(make_spec(), two_channels(), kSeed, 0);
  return population;
}

// Binomial: a share estimated from n draws has sd sqrt(p(1-p)/n); 4 sd.
double share_tolerance(double p, std::uint64_t n) {
  return 4.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

std::vector<std::uint32_t> members_of(const Population& population, std::uint16_t segment) {
  std::vector<std::uint32_t> members;
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    if (population.segment[hcp] == segment) members.push_back(hcp);
  }
  return members;
}

TEST(Population, SizeAndArraysMatchSpec) {
  const Population& population = shared_population();
  EXPECT_EQ(population.size, kHcps);
  EXPECT_EQ(population.channel_count, 2);
  EXPECT_EQ(population.affinity.size(), 2U * kHcps);
  EXPECT_TRUE(population.pseudonym.empty());
}

TEST(Population, SegmentSharesMatchSpec) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    const double observed = static_cast<double>(members_of(population, s).size()) / kHcps;
    EXPECT_NEAR(observed, spec.segments[s].share, share_tolerance(spec.segments[s].share, kHcps))
        << spec.segments[s].name;
  }
}

TEST(Population, SegmentFixesSpecialtyAndSetting) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint32_t hcp = 0; hcp < kHcps; ++hcp) {
    const Segment& segment = spec.segments[population.segment[hcp]];
    ASSERT_EQ(population.specialty[hcp], segment.specialty);
    ASSERT_EQ(population.practice_setting[hcp], segment.practice_setting);
  }
}

TEST(Population, RegionCareerAndKnownSharesMatchSpec) {
  const Population& population = shared_population();
  std::uint64_t north = 0, early = 0, known = 0;
  for (std::uint32_t hcp = 0; hcp < kHcps; ++hcp) {
    north += population.region[hcp] == 0;
    early += population.career_stage[hcp] == 0;
    known += population.known[hcp];
  }
  EXPECT_NEAR(static_cast<double>(north) / kHcps, 0.4, share_tolerance(0.4, kHcps));
  EXPECT_NEAR(static_cast<double>(early) / kHcps, 0.3, share_tolerance(0.3, kHcps));
  EXPECT_NEAR(static_cast<double>(known) / kHcps, 0.7, share_tolerance(0.7, kHcps));
}

TEST(Population, OpinionLeaderSharesMatchEachSegment) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    const auto members = members_of(population, s);
    std::uint64_t leaders = 0;
    for (const std::uint32_t hcp : members) leaders += population.opinion_leader[hcp];
    const double p = spec.segments[s].opinion_leader_share;
    EXPECT_NEAR(static_cast<double>(leaders) / static_cast<double>(members.size()), p,
                share_tolerance(p, members.size()))
        << spec.segments[s].name;
  }
}

TEST(Population, ConsentOnlyForKnownHcpsAtTheSegmentsShare) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  const auto channels = two_channels();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    std::uint64_t known = 0, consented = 0;
    for (const std::uint32_t hcp : members_of(population, s)) {
      if (population.known[hcp] == 0) {
        ASSERT_EQ(population.consent[hcp], 0U) << "anonymous HCP " << hcp << " has consent";
        ASSERT_FALSE(population.reachable(hcp, 0, channels[0]));
        continue;
      }
      ++known;
      consented += population.consent[hcp] & 1U;
    }
    const double p = spec.segments[s].channels[0].consent_share;
    EXPECT_NEAR(static_cast<double>(consented) / static_cast<double>(known), p,
                share_tolerance(p, known));
  }
  for (std::uint32_t hcp = 0; hcp < kHcps; ++hcp) {
    ASSERT_TRUE(population.reachable(hcp, 1, channels[1])) << "non-addressable must reach all";
  }
}

// Beta(m k, (1-m) k) has mean m and variance v = m(1-m)/(k+1). The sample
// mean has sd sqrt(v/n). For X in [0, 1], (X-m)^2 <= |X-m| <= 1, so
// Var((X-m)^2) <= E(X-m)^4 <= v and the sample variance has sd <= sqrt(v/n).
TEST(Population, BarrierStrengthsFollowTheirBetaDistributions) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    const auto members = members_of(population, s);
    const double n = static_cast<double>(members.size());
    for (int b = 0; b < kBarrierCount; ++b) {
      const BarrierDistribution& dist = spec.segments[s].barriers[b];
      double sum = 0.0, sum_sq = 0.0;
      for (const std::uint32_t hcp : members) {
        const double x = population.start_barriers[hcp][b];
        ASSERT_GE(x, 0.0);
        ASSERT_LE(x, 1.0);
        sum += x;
        sum_sq += (x - dist.mean) * (x - dist.mean);
      }
      const double v =
          dist.concentration > 0 ? dist.mean * (1.0 - dist.mean) / (dist.concentration + 1.0) : 0.0;
      EXPECT_NEAR(sum / n, dist.mean, 4.0 * std::sqrt(v / n) + 1e-6)
          << spec.segments[s].name << " barrier " << b;
      EXPECT_NEAR(sum_sq / n, v, 4.0 * std::sqrt(v / n) + 1e-6)
          << spec.segments[s].name << " barrier " << b;
    }
  }
}

// Gamma with mean m and cv c has sd m c; the sample mean has sd m c / sqrt(n).
// Normal affinity: sample mean sd = sd/sqrt(n); sample variance sd = var sqrt(2/(n-1)).
TEST(Population, PatientsAndAffinitiesFollowTheirDistributions) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    const auto members = members_of(population, s);
    const double n = static_cast<double>(members.size());
    const Segment& segment = spec.segments[s];
    double patients = 0.0;
    std::array<double, 2> sum{}, sum_sq{};
    for (const std::uint32_t hcp : members) {
      patients += population.patients_per_month[hcp];
      for (std::uint16_t c = 0; c < 2; ++c) {
        const double x = population.channel_affinity(hcp, c);
        sum[c] += x;
        sum_sq[c] += x * x;
      }
    }
    const double m = segment.patients_per_month_mean;
    EXPECT_NEAR(patients / n, m, 4.0 * m * segment.patients_per_month_cv / std::sqrt(n));
    for (std::uint16_t c = 0; c < 2; ++c) {
      const double mean = sum[c] / n;
      const double variance = (sum_sq[c] - n * mean * mean) / (n - 1.0);
      const double sd = segment.channels[c].affinity_sd;
      EXPECT_NEAR(mean, segment.channels[c].affinity_mean, 4.0 * sd / std::sqrt(n));
      EXPECT_NEAR(variance, sd * sd, 4.0 * sd * sd * std::sqrt(2.0 / (n - 1.0)));
    }
  }
}

TEST(Population, StartingStagesMatchEachSegment) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint16_t s = 0; s < spec.segments.size(); ++s) {
    const auto members = members_of(population, s);
    std::array<std::uint64_t, kStageCount> counts{};
    for (const std::uint32_t hcp : members) {
      ++counts[static_cast<std::size_t>(population.start_stage[hcp])];
    }
    for (int stage = 0; stage < kStageCount; ++stage) {
      const double p = spec.segments[s].start_stage_shares[stage];
      EXPECT_NEAR(static_cast<double>(counts[stage]) / static_cast<double>(members.size()), p,
                  share_tolerance(p, members.size()))
          << spec.segments[s].name << " stage " << stage;
    }
  }
}

// Practice sizes are 1 + Poisson(M - 1), sd sqrt(M - 1); with k practices the
// mean size has sd sqrt((M - 1)/k). The last practice of each (region,
// setting) group is cut short: two regions can shift the total by at most two
// practices' sizes, bounded here by 2 (M + 6 sqrt(M - 1)) / k.
TEST(Population, PracticesHaveTheirSettingsMeanSize) {
  const Population& population = shared_population();
  const PopulationSpec spec = make_spec();
  for (std::uint8_t setting = 0; setting < spec.practice_settings.size(); ++setting) {
    std::map<std::uint32_t, std::uint32_t> sizes;
    for (std::uint32_t hcp = 0; hcp < kHcps; ++hcp) {
      if (population.practice_setting[hcp] != setting) continue;
      ++sizes[population.practice[hcp]];
    }
    double hcps = 0.0;
    for (const auto& [practice, size] : sizes) hcps += size;
    const double k = static_cast<double>(sizes.size());
    const double m = spec.practice_settings[setting].mean_practice_size;
    const double tolerance =
        4.0 * std::sqrt((m - 1.0) / k) + 2.0 * (m + 6.0 * std::sqrt(m - 1.0)) / k;
    EXPECT_NEAR(hcps / k, m, tolerance) << spec.practice_settings[setting].name;
  }
}

TEST(Population, PracticesNeverMixRegionsOrSettings) {
  const Population& population = shared_population();
  std::map<std::uint32_t, std::pair<std::uint16_t, std::uint8_t>> home;
  for (std::uint32_t hcp = 0; hcp < kHcps; ++hcp) {
    const auto key = std::make_pair(population.region[hcp], population.practice_setting[hcp]);
    const auto [it, inserted] = home.try_emplace(population.practice[hcp], key);
    ASSERT_EQ(it->second, key) << "practice " << population.practice[hcp];
  }
}

void expect_identical(const Population& a, const Population& b) {
  EXPECT_EQ(a.segment, b.segment);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.career_stage, b.career_stage);
  EXPECT_EQ(a.practice, b.practice);
  EXPECT_EQ(a.patients_per_month, b.patients_per_month);
  EXPECT_EQ(a.opinion_leader, b.opinion_leader);
  EXPECT_EQ(a.known, b.known);
  EXPECT_EQ(a.start_stage, b.start_stage);
  EXPECT_EQ(a.start_barriers, b.start_barriers);
  EXPECT_EQ(a.affinity, b.affinity);
  EXPECT_EQ(a.consent, b.consent);
}

TEST(Population, IdenticalForAnyThreadCount) {
  PopulationSpec spec = make_spec();
  spec.size = 50000;
  const auto draw = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return synthesize_population(spec, two_channels(), kSeed, 2);
  };
  const Population one = draw(1);
  expect_identical(one, draw(2));
  expect_identical(one, draw(4));
}

TEST(Population, SeedAndReplicationChangeTheDraw) {
  PopulationSpec spec = make_spec();
  spec.size = 1000;
  const Population base = synthesize_population(spec, two_channels(), kSeed, 0);
  const Population again = synthesize_population(spec, two_channels(), kSeed, 0);
  const Population other_seed = synthesize_population(spec, two_channels(), kSeed + 1, 0);
  const Population other_replication = synthesize_population(spec, two_channels(), kSeed, 1);
  EXPECT_EQ(base.start_barriers, again.start_barriers);
  EXPECT_NE(base.start_barriers, other_seed.start_barriers);
  EXPECT_NE(base.start_barriers, other_replication.start_barriers);
}

PopulationSpec roster_spec() {
  PopulationSpec spec = make_spec();
  RosterRow first{"crm-001", 0,    0,    1, std::uint8_t{1}, std::string("clinic-9"),
                  44.0F,     true, true, 2};
  RosterRow second{"crm-002",    1,     1, 0, std::nullopt, std::nullopt, std::nullopt,
                   std::nullopt, false, 3};
  spec.roster = {first, second};
  spec.size = 500;
  spec.pseudonym_salt = "salt-1";
  return spec;
}

TEST(Population, RosterRowsKeepTheirObservedAttributes) {
  const Population population = synthesize_population(roster_spec(), two_channels(), kSeed, 0);
  ASSERT_EQ(population.size, 500U);
  EXPECT_EQ(population.specialty[0], 0);
  EXPECT_EQ(population.region[0], 1);
  EXPECT_EQ(population.career_stage[0], 1);
  EXPECT_FLOAT_EQ(population.patients_per_month[0], 44.0F);
  EXPECT_EQ(population.opinion_leader[0], 1);
  EXPECT_EQ(population.known[1], 0);
  EXPECT_EQ(population.consent[1], 0U);
  EXPECT_EQ(population.segment[0], 0);  // The only segment of cardiology in hospital.
  EXPECT_EQ(population.segment[1], 1);
}

TEST(Population, ResampledHcpsCopyARosterRow) {
  const PopulationSpec spec = roster_spec();
  const Population population = synthesize_population(spec, two_channels(), kSeed, 0);
  std::array<int, 2> copies{};
  for (std::uint32_t hcp = 2; hcp < population.size; ++hcp) {
    const std::uint32_t row = population.roster_row[hcp];
    ASSERT_LT(row, 2U);
    ++copies[row];
    ASSERT_EQ(population.specialty[hcp], spec.roster[row].specialty);
    ASSERT_EQ(population.region[hcp], spec.roster[row].region);
    ASSERT_EQ(population.pseudonym[hcp], population.pseudonym[row]);
  }
  // 498 draws from 2 rows: each row's count is Binomial(498, 1/2), sd ~11.2.
  EXPECT_NEAR(copies[0], 249, 4 * 11.2);
}

TEST(Population, PseudonymsDependOnTheSalt) {
  PopulationSpec spec = roster_spec();
  const Population a = synthesize_population(spec, two_channels(), kSeed, 0);
  spec.pseudonym_salt = "salt-2";
  const Population b = synthesize_population(spec, two_channels(), kSeed, 0);
  EXPECT_NE(a.pseudonym[0], a.pseudonym[1]);
  EXPECT_NE(a.pseudonym[0], b.pseudonym[0]);
  const Population again = synthesize_population(roster_spec(), two_channels(), kSeed + 5, 3);
  EXPECT_EQ(a.pseudonym[0], again.pseudonym[0]) << "a pseudonym must not depend on the seed";
}

TEST(Population, RosterPracticesBecomeDenseIds) {
  const Population population = synthesize_population(roster_spec(), two_channels(), kSeed, 0);
  EXPECT_EQ(population.practice[0], 0U);  // "clinic-9" is the first roster practice.
  EXPECT_NE(population.practice[1], 0U);  // No practice given: a synthetic one.
}

TEST(Population, DominantBarrierIsTheStrongest) {
  Population population;
  population.start_barriers = {{0.1F, 0.9F, 0.2F, 0.0F, 0.0F, 0.3F, 0.0F},
                               {0.5F, 0.5F, 0.1F, 0.0F, 0.0F, 0.0F, 0.0F}};
  EXPECT_EQ(population.dominant_barrier(0), Barrier::relevance);
  EXPECT_EQ(population.dominant_barrier(1), Barrier::knowledge);  // Ties go to the first.
}

TEST(Population, ByteEstimateCoversTheArrays) {
  const Population& population = shared_population();
  const auto bytes = [](const auto& v) { return v.size() * sizeof(v[0]); };
  const std::uint64_t actual =
      bytes(population.segment) + bytes(population.specialty) + bytes(population.practice_setting) +
      bytes(population.region) + bytes(population.career_stage) + bytes(population.practice) +
      bytes(population.patients_per_month) + bytes(population.opinion_leader) +
      bytes(population.known) + bytes(population.start_stage) + bytes(population.start_barriers) +
      bytes(population.affinity) + bytes(population.consent);
  EXPECT_GE(population_bytes(kHcps, 2), actual);
  EXPECT_LE(population_bytes(kHcps, 2), 2 * actual) << "the estimate should stay realistic";
}

TEST(Population, UnvalidatedSpecIsALogicError) {
  PopulationSpec spec = make_spec();
  spec.segments.clear();
  EXPECT_THROW(synthesize_population(spec, two_channels(), kSeed, 0), std::logic_error);
}

}  // namespace
}  // namespace journeysim::agents
