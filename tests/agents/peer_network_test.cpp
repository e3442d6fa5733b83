#include "agents/peer_network.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace journeysim::agents {
namespace {

// A population with the given region, practice and opinion-leader flag per HCP;
// every other array gets its proper size with default values.
Population make_population(std::vector<std::uint16_t> region, std::vector<std::uint32_t> practice,
                           std::vector<std::uint8_t> opinion_leader) {
  Population population;
  population.size = static_cast<std::uint32_t>(region.size());
  population.channel_count = 0;
  const std::size_t n = population.size;
  population.segment.assign(n, 0);
  population.specialty.assign(n, 0);
  population.practice_setting.assign(n, 0);
  population.region = std::move(region);
  population.career_stage.assign(n, 0);
  population.practice = std::move(practice);
  population.patients_per_month.assign(n, 10.0F);
  population.opinion_leader = std::move(opinion_leader);
  population.known.assign(n, 1);
  population.start_stage.assign(n, Stage::unaware);
  population.start_barriers.assign(n, BarrierVector{});
  population.consent.assign(n, 0);
  population.pseudonym.assign(n, 0);
  return population;
}

// n HCPs in consecutive practices of practice_size inside consecutive regions
// of region_size (a multiple of practice_size); every ol_every-th HCP (from
// HCP 0) is an opinion leader, none if ol_every is 0.
Population blocked_population(std::uint32_t n, std::uint32_t practice_size,
                              std::uint32_t region_size, std::uint32_t ol_every) {
  std::vector<std::uint16_t> region(n);
  std::vector<std::uint32_t> practice(n);
  std::vector<std::uint8_t> leader(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    region[i] = static_cast<std::uint16_t>(i / region_size);
    practice[i] = i / practice_size;
    if (ol_every != 0 && i % ol_every == 0) leader[i] = 1;
  }
  return make_population(std::move(region), std::move(practice), std::move(leader));
}

// The CSR arrays of a network, for exact comparison.
struct CsrCopy {
  std::vector<std::uint32_t> rowstart;
  std::vector<std::uint32_t> column;
  std::vector<float> weight;
  bool operator==(const CsrCopy&) const = default;
};

CsrCopy copy_csr(const PeerNetwork& network) {
  const auto& csr = network.graph().m_forward;
  CsrCopy copy{csr.m_rowstart, csr.m_column, {}};
  for (const TieProperties& tie : csr.m_edge_properties) copy.weight.push_back(tie.weight);
  return copy;
}

// Checks the invariants every network must keep: rows strictly increasing (so
// no duplicates), no self-ties, every tie present in both rows with one weight.
void expect_well_formed(const PeerNetwork& network) {
  std::uint64_t directed = 0;
  for (std::uint32_t h = 0; h < network.hcp_count(); ++h) {
    const auto peers = network.peers(h);
    const auto ties = network.ties(h);
    ASSERT_EQ(peers.size(), network.degree(h));
    ASSERT_EQ(ties.size(), peers.size());
    directed += peers.size();
    for (std::size_t k = 0; k < peers.size(); ++k) {
      ASSERT_NE(peers[k], h) << "self-tie at " << h;
      if (k > 0) {
        ASSERT_LT(peers[k - 1], peers[k]) << "row " << h << " not strictly sorted";
      }
      const auto back = network.peers(peers[k]);
      const auto it = std::lower_bound(back.begin(), back.end(), h);
      ASSERT_TRUE(it != back.end() && *it == h) << "tie " << h << "-" << peers[k] << " one-way";
      ASSERT_EQ(network.ties(peers[k])[static_cast<std::size_t>(it - back.begin())].weight,
                ties[k].weight);
    }
  }
  EXPECT_EQ(directed, 2 * network.tie_count());
}

double mean_degree(const PeerNetwork& network) {
  return 2.0 * static_cast<double>(network.tie_count()) / network.hcp_count();
}

// ---------------------------------------------------------------------------
// Constructor.

TEST(PeerNetworkTest, SymmetrisesDropsSelfTiesMergesAndSorts) {
  const PeerNetwork network(5, {{0, 1, 1.0F},
                                {1, 0, 3.0F},  // Duplicate of 0-1 with a larger weight.
                                {2, 2, 5.0F},  // Self-tie.
                                {3, 1, 1.5F},
                                {4, 0, 1.0F},
                                {1, 3, 0.5F}});  // Duplicate of 3-1 with a smaller weight.
  expect_well_formed(network);
  EXPECT_EQ(network.hcp_count(), 5U);
  EXPECT_EQ(network.tie_count(), 3U);
  const std::vector<std::uint32_t> peers0(network.peers(0).begin(), network.peers(0).end());
  const std::vector<std::uint32_t> peers1(network.peers(1).begin(), network.peers(1).end());
  EXPECT_EQ(peers0, (std::vector<std::uint32_t>{1, 4}));
  EXPECT_EQ(peers1, (std::vector<std::uint32_t>{0, 3}));
  EXPECT_EQ(network.ties(0)[0].weight, 3.0F);
  EXPECT_EQ(network.ties(0)[1].weight, 1.0F);
  EXPECT_EQ(network.ties(1)[1].weight, 1.5F);
  EXPECT_EQ(network.degree(2), 0U);
  EXPECT_EQ(network.degree(3), 1U);
  EXPECT_EQ(network.peers(4)[0], 0U);
  // 6 row starts plus 6 directed entries of peer and weight, at 4 bytes each.
  EXPECT_GE(network.memory_bytes(), (6U + 6U + 6U) * 4U);
}

TEST(PeerNetworkTest, RejectsIndexOutOfRange) {
  try {
    const PeerNetwork network(5, {{0, 1, 1.0F}, {2, 5, 1.0F}});
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& error) {
    EXPECT_EQ(std::string(error.what()), "peer network: tie 2-5 names an HCP index >= 5");
  }
}

TEST(PeerNetworkTest, RejectsNonFiniteWeight) {
  EXPECT_THROW(PeerNetwork(3, {{0, 1, std::nanf("")}}), std::logic_error);
}

TEST(PeerNetworkTest, EmptyNetworks) {
  const PeerNetwork empty;
  EXPECT_EQ(empty.hcp_count(), 0U);
  EXPECT_EQ(empty.tie_count(), 0U);
  const PeerNetwork lonely(3, {});
  EXPECT_EQ(lonely.tie_count(), 0U);
  EXPECT_EQ(lonely.degree(2), 0U);
  EXPECT_TRUE(lonely.peers(1).empty());
}

TEST(PeerNetworkTest, GraphWorksWithBoostGraphFunctions) {
  const PeerNetwork network(4, {{0, 1, 1.0F}, {1, 2, 2.0F}, {3, 1, 1.0F}});
  const PeerGraph& graph = network.graph();
  EXPECT_EQ(boost::num_vertices(graph), 4U);
  EXPECT_EQ(boost::num_edges(graph), 6U);
  const std::uint32_t hub = 1;
  EXPECT_EQ(boost::out_degree(hub, graph), 3U);
  float sum = 0.0F;
  auto [edge, end] = boost::out_edges(hub, graph);
  for (; edge != end; ++edge) sum += graph[*edge].weight;
  EXPECT_EQ(sum, 4.0F);
}

// ---------------------------------------------------------------------------
// build_network dispatch.

TEST(BuildNetworkTest, NoneHasNoTies) {
  const Population population = blocked_population(100, 10, 50, 0);
  NetworkSpec spec;
  spec.model = NetworkModel::none;
  const PeerNetwork network = build_network(spec, population, 1, 0);
  EXPECT_EQ(network.hcp_count(), 100U);
  EXPECT_EQ(network.tie_count(), 0U);
}

TEST(BuildNetworkTest, EdgeListUsesTheSpecEdges) {
  const Population population = blocked_population(6, 2, 6, 0);
  NetworkSpec spec;
  spec.model = NetworkModel::edge_list;
  spec.edges = {{0, 5, 2.0F}, {5, 0, 1.0F}, {2, 3, 1.0F}};
  const PeerNetwork network = build_network(spec, population, 1, 0);
  EXPECT_EQ(copy_csr(network), copy_csr(PeerNetwork(6, spec.edges)));
  EXPECT_EQ(network.tie_count(), 2U);
  EXPECT_EQ(network.ties(5)[0].weight, 2.0F);
}

TEST(BuildNetworkTest, EdgeListIndexOutOfRangeThrows) {
  const Population population = blocked_population(6, 2, 6, 0);
  NetworkSpec spec;
  spec.model = NetworkModel::edge_list;
  spec.edges = {{0, 6, 1.0F}};
  EXPECT_THROW(build_network(spec, population, 1, 0), std::logic_error);
}

TEST(BuildNetworkTest, RejectsInvalidSpec) {
  const Population population = blocked_population(10, 2, 10, 0);
  NetworkSpec spec;
  spec.practice_share = 0.8;
  spec.region_share = 0.3;  // Shares sum above 1.
  EXPECT_THROW(build_network(spec, population, 1, 0), std::logic_error);
  spec = NetworkSpec{};
  spec.mean_degree = -1.0;
  EXPECT_THROW(build_network(spec, population, 1, 0), std::logic_error);
}

TEST(NetworkPeakBytesTest, CoversTheBuiltNetworkAndFitsOneMillionHcps) {
  const Population population = blocked_population(20000, 10, 2000, 50);
  NetworkSpec spec;
  const PeerNetwork network = build_network(spec, population, 3, 0);
  // Opinion leaders (1 in 50) add 2 * 30 / 50 = 1.2 to the mean degree.
  EXPECT_GE(network_peak_bytes(population.size, spec.mean_degree + 1.2), network.memory_bytes());
  // The final CSR of 1M HCPs at degree 10 alone is 10M * 8 bytes + 4 MB; the
  // peak must stay well inside the 400 MB budget shared with the population.
  const std::uint64_t peak = network_peak_bytes(1'000'000, 10.0);
  EXPECT_GT(peak, 84'000'000U);
  EXPECT_LT(peak, 250'000'000U);
  EXPECT_LT(network_peak_bytes(1'000'000, 10.0), network_peak_bytes(1'000'000, 20.0));
}

// ---------------------------------------------------------------------------
// Small world (Watts & Strogatz 1998).

NetworkSpec small_world_spec(double mean, double rewire) {
  NetworkSpec spec;
  spec.model = NetworkModel::small_world;
  spec.mean_degree = mean;
  spec.rewire_probability = rewire;
  spec.other_weight = 1.5;
  return spec;
}

// Distance between a and b around a ring of n HCPs.
std::uint32_t ring_distance(std::uint32_t a, std::uint32_t b, std::uint32_t n) {
  const std::uint32_t d = a > b ? a - b : b - a;
  return std::min(d, n - d);
}

TEST(SmallWorldTest, RingLatticeWithoutRewiring) {
  const std::uint32_t n = 1000;
  const PeerNetwork network =
      build_network(small_world_spec(10.0, 0.0), blocked_population(n, 10, 1000, 0), 7, 0);
  expect_well_formed(network);
  EXPECT_EQ(network.tie_count(), n * 10U / 2U);
  for (std::uint32_t h = 0; h < n; ++h) {
    ASSERT_EQ(network.degree(h), 10U) << "HCP " << h;
    for (const std::uint32_t peer : network.peers(h)) ASSERT_LE(ring_distance(h, peer, n), 5U);
    for (const TieProperties tie : network.ties(h)) ASSERT_EQ(tie.weight, 1.5F);
  }
}

TEST(SmallWorldTest, RewiringMovesShareOfTiesAndKeepsTheirCount) {
  const std::uint32_t n = 1000;
  const std::uint32_t k = 10;
  const double p = 0.2;
  const PeerNetwork network =
      build_network(small_world_spec(10.0, p), blocked_population(n, 10, 1000, 0), 7, 0);
  expect_well_formed(network);
  // Boost emits each of the n k / 2 ring ties once and rewires all but the
  // first, (0, 1), with probability p to a target outside the source's ring
  // window. A rewired tie is therefore never a ring tie, so the ring ties left
  // are exactly n k / 2 - R, where R ~ Binomial(n k / 2 - 1, p) is the number rewired.
  const std::uint64_t lattice = n * k / 2;
  std::uint64_t ring_ties = 0;
  for (std::uint32_t h = 0; h < n; ++h) {
    for (const std::uint32_t peer : network.peers(h)) {
      if (h < peer && ring_distance(h, peer, n) <= k / 2) ++ring_ties;
    }
  }
  const double rewired = static_cast<double>(lattice - ring_ties);
  const double trials = static_cast<double>(lattice - 1);
  EXPECT_NEAR(rewired, p * trials, 4.0 * std::sqrt(trials * p * (1.0 - p)));
  // Only two rewired ties can coincide: two from one source to one target
  // (n C(k/2, 2) p^2 / (n - k - 1) = 0.40 expected pairs) or s->u and u->s
  // ((n (n - k - 1) / 2) (k p / 2 / (n - k - 1))^2 = 0.51). Duplicates are then
  // about Poisson(0.91), and P(>= 11) < 1e-8, so at most 10 ties are lost.
  EXPECT_LE(network.tie_count(), lattice);
  EXPECT_GE(network.tie_count(), lattice - 10);
}

TEST(SmallWorldTest, SameSeedSameNetworkOtherSeedDiffers) {
  const Population population = blocked_population(2000, 10, 1000, 0);
  const NetworkSpec spec = small_world_spec(8.0, 0.1);
  const CsrCopy a = copy_csr(build_network(spec, population, 11, 0));
  EXPECT_EQ(a, copy_csr(build_network(spec, population, 11, 0)));
  EXPECT_NE(a.column, copy_csr(build_network(spec, population, 12, 0)).column);
  EXPECT_NE(a.column, copy_csr(build_network(spec, population, 11, 1)).column);
}

TEST(SmallWorldTest, TinyPopulationsDoNotHang) {
  for (std::uint32_t n = 0; n < 6; ++n) {
    const PeerNetwork network =
        build_network(small_world_spec(10.0, 0.5), blocked_population(n, 1, 10, 0), 1, 0);
    expect_well_formed(network);
    EXPECT_LE(network.tie_count(), n < 2 ? 0U : n * (n - 1) / 2);
  }
}

// ---------------------------------------------------------------------------
// Preferential attachment (Barabási & Albert 1999).

NetworkSpec preferential_spec(double mean) {
  NetworkSpec spec;
  spec.model = NetworkModel::preferential_attachment;
  spec.mean_degree = mean;
  return spec;
}

TEST(PreferentialAttachmentTest, TieCountAndMinimumDegree) {
  const std::uint32_t n = 5000;
  const std::uint32_t m = 3;  // mean degree 6 / 2.
  const PeerNetwork network =
      build_network(preferential_spec(6.0), blocked_population(n, 10, 1000, 0), 5, 0);
  expect_well_formed(network);
  // A clique of m + 1 HCPs, then m distinct ties for each later HCP.
  EXPECT_EQ(network.tie_count(), m * (m + 1) / 2 + (n - m - 1) * m);
  EXPECT_NEAR(mean_degree(network), 2.0 * m, 0.01);
  std::uint32_t min_degree = n;
  for (std::uint32_t h = 0; h < n; ++h) min_degree = std::min(min_degree, network.degree(h));
  EXPECT_EQ(min_degree, m);
}

TEST(PreferentialAttachmentTest, DegreeTailFollowsTheory) {
  const std::uint32_t n = 20000;
  const double m = 3.0;
  const PeerNetwork network =
      build_network(preferential_spec(6.0), blocked_population(n, 10, 1000, 0), 2024, 0);
  // The BA degree distribution is P(k) = 2m(m+1) / (k(k+1)(k+2)) for k >= m
  // (Dorogovtsev, Mendes & Samukhin 2000; Bollobás, Riordan, Spencer & Tusnády
  // 2001), which telescopes to the tail P(K >= k) = m(m+1) / (k(k+1)).
  // If degrees were independent, the share of HCPs with degree >= k would have
  // sd sigma = sqrt(p(1 - p) / n); degrees are negatively correlated (their sum
  // is fixed), and over 40 seeds the observed sd was 0.6 sigma, so 4 sigma is
  // conservative. The finite-size bias, measured over those 40 seeds, was under
  // 0.5% of p for k <= 20 (it grows toward the cutoff k ~ m sqrt(n) = 424), so
  // 2% of p is allowed for it.
  for (const double k : {5.0, 10.0, 20.0}) {
    const double p = m * (m + 1.0) / (k * (k + 1.0));
    std::uint32_t at_least_k = 0;
    for (std::uint32_t h = 0; h < n; ++h) at_least_k += network.degree(h) >= k ? 1U : 0U;
    const double share = static_cast<double>(at_least_k) / n;
    const double sigma = std::sqrt(p * (1.0 - p) / n);
    EXPECT_NEAR(share, p, 4.0 * sigma + 0.02 * p) << "tail at k = " << k;
  }
  // A hub: the oldest HCPs grow like m sqrt(n / i), far beyond any Poisson graph.
  std::uint32_t max_degree = 0;
  for (std::uint32_t h = 0; h < n; ++h) max_degree = std::max(max_degree, network.degree(h));
  EXPECT_GT(max_degree, 100U);
}

TEST(PreferentialAttachmentTest, SameSeedSameNetworkOtherSeedDiffers) {
  const Population population = blocked_population(3000, 10, 1000, 0);
  const NetworkSpec spec = preferential_spec(4.0);
  const CsrCopy a = copy_csr(build_network(spec, population, 11, 0));
  EXPECT_EQ(a, copy_csr(build_network(spec, population, 11, 0)));
  EXPECT_NE(a.column, copy_csr(build_network(spec, population, 12, 0)).column);
}

// ---------------------------------------------------------------------------
// Clustered model.

// Pairs of HCPs that share one Poisson rate of stubs between them.
struct PairClass {
  double pairs = 0.0;
  double rate = 0.0;  // Expected stubs joining one pair.
  int leaders = 0;    // Opinion leaders in each pair: 0, 1 or 2.
  bool same_practice = false;
};

// Splits count pairs of an (n, o)-group (n HCPs, o leaders) by leaders per pair.
std::array<double, 3> pairs_by_leaders(double n, double o) {
  return {(n - o) * (n - o - 1.0) / 2.0, o * (n - o), o * (o - 1.0) / 2.0};
}

// The pair classes of a blocked population (practices nested in regions, every
// practice of >= 2 HCPs, every region of >= 2). Each HCP's stubs of one kind
// are Poisson and each picks a partner uniformly from a pool, so by Poisson
// splitting the stubs joining a pair are Poisson with rate mu = sum over both
// ends and all kinds of (stub mean / (pool size - 1)), independently across
// pairs. A pair is then tied with probability 1 - exp(-mu), independently, so
// the expectation and the variance of every tie count below are exact.
std::vector<PairClass> clustered_pair_classes(const Population& population,
                                              const NetworkSpec& spec) {
  const double n = population.size;
  const double practice_stubs = spec.mean_degree / 2.0 * spec.practice_share;
  const double region_stubs = spec.mean_degree / 2.0 * spec.region_share;
  const double anyone_stubs =
      spec.mean_degree / 2.0 * (1.0 - spec.practice_share - spec.region_share);
  const double hub_stubs = spec.opinion_leader_extra_degree;
  const std::uint32_t practices = population.practice.back() + 1;
  const std::uint32_t regions = population.region.back() + 1U;
  std::vector<double> practice_size(practices), practice_leaders(practices);
  std::vector<double> region_size(regions), region_leaders(regions);
  std::vector<std::uint32_t> practice_region(practices);
  for (std::uint32_t i = 0; i < population.size; ++i) {
    practice_size[population.practice[i]] += 1.0;
    practice_leaders[population.practice[i]] += population.opinion_leader[i];
    region_size[population.region[i]] += 1.0;
    region_leaders[population.region[i]] += population.opinion_leader[i];
    practice_region[population.practice[i]] = population.region[i];
  }
  std::vector<PairClass> classes;
  const double anyone_rate = 2.0 * anyone_stubs / (n - 1.0);
  std::array<double, 3> cross =
      pairs_by_leaders(n, std::accumulate(region_leaders.begin(), region_leaders.end(), 0.0));
  for (std::uint32_t r = 0; r < regions; ++r) {
    const double pool = region_size[r] - 1.0;
    std::array<double, 3> outside = pairs_by_leaders(region_size[r], region_leaders[r]);
    for (int l = 0; l < 3; ++l) cross[l] -= outside[l];
    for (std::uint32_t p = 0; p < practices; ++p) {
      if (practice_region[p] != r) continue;
      const auto inside = pairs_by_leaders(practice_size[p], practice_leaders[p]);
      for (int l = 0; l < 3; ++l) {
        outside[l] -= inside[l];
        const double rate = 2.0 * practice_stubs / (practice_size[p] - 1.0) +
                            2.0 * region_stubs / pool + anyone_rate + l * hub_stubs / pool;
        classes.push_back({inside[l], rate, l, true});
      }
    }
    for (int l = 0; l < 3; ++l) {
      const double rate = 2.0 * region_stubs / pool + anyone_rate + l * hub_stubs / pool;
      classes.push_back({outside[l], rate, l, false});
    }
  }
  for (int l = 0; l < 3; ++l) classes.push_back({cross[l], anyone_rate, l, false});
  return classes;
}

// Mean and sd of a sum over pairs of weight(class) * 1{pair tied}.
struct Moments {
  double mean = 0.0;
  double sd = 0.0;
};

template <typename Weight>
Moments tie_moments(const std::vector<PairClass>& classes, Weight weight) {
  double mean = 0.0;
  double variance = 0.0;
  for (const PairClass& c : classes) {
    const double w = weight(c);
    const double tied = 1.0 - std::exp(-c.rate);
    mean += c.pairs * w * tied;
    variance += c.pairs * w * w * tied * (1.0 - tied);
  }
  return {mean, std::sqrt(variance)};
}

NetworkSpec clustered_spec() {
  NetworkSpec spec;
  spec.model = NetworkModel::clustered;
  spec.mean_degree = 10.0;
  spec.practice_share = 0.5;
  spec.region_share = 0.35;
  spec.opinion_leader_extra_degree = 30.0;
  spec.patient_sharing_weight = 2.0;
  spec.other_weight = 1.0;
  return spec;
}

// 12,000 HCPs: 4 regions of 3,000, practices of 20, 1 in 50 an opinion leader.
Population clustered_population() { return blocked_population(12000, 20, 3000, 50); }

TEST(ClusteredTest, TieCountMatchesPoissonExpectation) {
  const Population population = clustered_population();
  const NetworkSpec spec = clustered_spec();
  const PeerNetwork network = build_network(spec, population, 42, 0);
  expect_well_formed(network);
  const Moments ties =
      tie_moments(clustered_pair_classes(population, spec), [](const PairClass&) { return 1.0; });
  // Without duplicate stubs the mean degree would be 10 + 2 * 30 / 50 = 11.2;
  // the exact expectation is lower, mostly from repeated practice stubs.
  EXPECT_LT(ties.mean, 11.2 * population.size / 2.0);
  EXPECT_GT(ties.mean, 10.0 * population.size / 2.0);
  EXPECT_NEAR(static_cast<double>(network.tie_count()), ties.mean, 4.0 * ties.sd);
}

TEST(ClusteredTest, PracticeTiesMatchExpectation) {
  const Population population = clustered_population();
  const NetworkSpec spec = clustered_spec();
  const PeerNetwork network = build_network(spec, population, 42, 0);
  std::uint64_t practice_ties = 0;
  for (std::uint32_t h = 0; h < population.size; ++h) {
    for (const std::uint32_t peer : network.peers(h)) {
      if (h < peer && population.practice[h] == population.practice[peer]) ++practice_ties;
    }
  }
  const Moments expected =
      tie_moments(clustered_pair_classes(population, spec),
                  [](const PairClass& c) { return c.same_practice ? 1.0 : 0.0; });
  EXPECT_NEAR(static_cast<double>(practice_ties), expected.mean, 4.0 * expected.sd);
  // About 40% of ties are inside practices, though practices hold 19 of 11,999 peers.
  const double share =
      static_cast<double>(practice_ties) / static_cast<double>(network.tie_count());
  EXPECT_GT(share, 0.35);
  EXPECT_LT(share, 0.5);
}

TEST(ClusteredTest, OpinionLeadersAreHubs) {
  const Population population = clustered_population();
  const NetworkSpec spec = clustered_spec();
  const PeerNetwork network = build_network(spec, population, 42, 0);
  const auto classes = clustered_pair_classes(population, spec);
  // The degree sum over a group counts each tied pair once per end in the group.
  const Moments leader_sum =
      tie_moments(classes, [](const PairClass& c) { return static_cast<double>(c.leaders); });
  const Moments other_sum =
      tie_moments(classes, [](const PairClass& c) { return 2.0 - c.leaders; });
  double leader_degrees = 0.0;
  double other_degrees = 0.0;
  double leaders = 0.0;
  for (std::uint32_t h = 0; h < population.size; ++h) {
    if (population.opinion_leader[h] == 1) {
      leader_degrees += network.degree(h);
      leaders += 1.0;
    } else {
      other_degrees += network.degree(h);
    }
  }
  ASSERT_EQ(leaders, 240.0);
  EXPECT_NEAR(leader_degrees, leader_sum.mean, 4.0 * leader_sum.sd);
  EXPECT_NEAR(other_degrees, other_sum.mean, 4.0 * other_sum.sd);
  // With the hub stubs, leaders average about 40 ties against about 10.
  EXPECT_GT(leader_degrees / leaders, 3.0 * other_degrees / (population.size - leaders));
}

TEST(ClusteredTest, PatientSharingTiesCarryTheirWeight) {
  const Population population = clustered_population();
  const PeerNetwork network = build_network(clustered_spec(), population, 42, 0);
  std::uint64_t heavy = 0;
  for (std::uint32_t h = 0; h < population.size; ++h) {
    const auto peers = network.peers(h);
    const auto ties = network.ties(h);
    for (std::size_t k = 0; k < peers.size(); ++k) {
      const bool same_practice = population.practice[h] == population.practice[peers[k]];
      ASSERT_EQ(ties[k].weight, same_practice ? 2.0F : 1.0F) << h << "-" << peers[k];
      heavy += same_practice ? 1U : 0U;
    }
  }
  EXPECT_GT(heavy, 0U);
}

TEST(ClusteredTest, SoloPracticesTieWithinTheirRegion) {
  // Every HCP practises alone, so all practice stubs are re-routed to the region.
  const std::uint32_t n = 2000;
  std::vector<std::uint16_t> region(n);
  std::vector<std::uint32_t> practice(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    region[i] = static_cast<std::uint16_t>(i % 2);
    practice[i] = i;
  }
  const Population population =
      make_population(std::move(region), std::move(practice), std::vector<std::uint8_t>(n, 0));
  NetworkSpec spec = clustered_spec();
  spec.practice_share = 1.0;
  spec.region_share = 0.0;
  const PeerNetwork network = build_network(spec, population, 9, 0);
  expect_well_formed(network);
  for (std::uint32_t h = 0; h < n; ++h) {
    for (const std::uint32_t peer : network.peers(h)) ASSERT_EQ(peer % 2, h % 2);
    for (const TieProperties tie : network.ties(h)) ASSERT_EQ(tie.weight, 1.0F);
  }
  // Two regions of 1,000: each pair of a region gets Poisson(2 * 5 / 999) stubs.
  const double pairs = 2.0 * 1000.0 * 999.0 / 2.0;
  const double tied = 1.0 - std::exp(-10.0 / 999.0);
  EXPECT_NEAR(static_cast<double>(network.tie_count()), pairs * tied,
              4.0 * std::sqrt(pairs * tied * (1.0 - tied)));
}

TEST(ClusteredTest, SameSeedSameNetworkOtherSeedDiffers) {
  const Population population = blocked_population(5000, 10, 1000, 25);
  const CsrCopy a = copy_csr(build_network(clustered_spec(), population, 5, 0));
  EXPECT_EQ(a, copy_csr(build_network(clustered_spec(), population, 5, 0)));
  EXPECT_NE(a.column, copy_csr(build_network(clustered_spec(), population, 6, 0)).column);
  EXPECT_NE(a.column, copy_csr(build_network(clustered_spec(), population, 5, 1)).column);
}

TEST(ClusteredTest, RejectsMismatchedPopulation) {
  Population population = blocked_population(100, 10, 50, 0);
  population.opinion_leader.pop_back();
  EXPECT_THROW(build_network(clustered_spec(), population, 1, 0), std::logic_error);
}

// ---------------------------------------------------------------------------
// Determinism across thread counts (as oneTBB's conformance tests do it).

CsrCopy build_with_threads(const NetworkSpec& spec, const Population& population,
                           std::size_t threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return copy_csr(build_network(spec, population, 77, 3));
}

TEST(NetworkDeterminismTest, SameArraysOnOneTwoAndFourThreads) {
  // 50,000 HCPs make a dozen or more parallel tasks in every parallel phase.
  const Population population = blocked_population(50000, 10, 5000, 40);
  for (const NetworkSpec& spec :
       {clustered_spec(), preferential_spec(6.0), small_world_spec(10.0, 0.1)}) {
    const CsrCopy one = build_with_threads(spec, population, 1);
    EXPECT_GT(one.column.size(), 250000U);
    EXPECT_TRUE(one == build_with_threads(spec, population, 2));
    EXPECT_TRUE(one == build_with_threads(spec, population, 4));
  }
}

}  // namespace
}  // namespace journeysim::agents
