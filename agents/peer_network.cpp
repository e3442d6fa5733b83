#include "agents/peer_network.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <boost/graph/small_world_generator.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "agents/random_stream.hpp"

namespace journeysim::agents {
namespace {

// HCPs per parallel task: large enough to amortise scheduling, small enough to
// balance two cores on the 1M-HCP clustered model.
constexpr std::uint32_t kHcpGrain = 4096;

// Directed edges are indexed by std::uint32_t in PeerGraph.
constexpr std::uint64_t kMaxDirectedEdges = std::numeric_limits<std::uint32_t>::max();

// ---------------------------------------------------------------------------
// Building the CSR graph.

// Throws std::logic_error if a tie names an HCP >= hcps or has a non-finite weight.
void check_ties(std::uint32_t hcps, const std::vector<WeightedEdge>& ties) {
  for (const WeightedEdge& tie : ties) {
    if (tie.from >= hcps || tie.to >= hcps) {
      throw std::logic_error("peer network: tie " + std::to_string(tie.from) + "-" +
                             std::to_string(tie.to) +
                             " names an HCP index >= " + std::to_string(hcps));
    }
    // A NaN weight would break the strict weak order the sort below needs.
    if (!std::isfinite(tie.weight)) {
      throw std::logic_error("peer network: tie " + std::to_string(tie.from) + "-" +
                             std::to_string(tie.to) + " has a non-finite weight");
    }
  }
}

// Orders ties by (from, to), the larger weight first; the bit pattern breaks
// the tie between 0.0 and -0.0 so equal keys are identical and any sort agrees.
bool tie_before(const WeightedEdge& a, const WeightedEdge& b) noexcept {
  if (a.from != b.from) return a.from < b.from;
  if (a.to != b.to) return a.to < b.to;
  if (a.weight != b.weight) return a.weight > b.weight;
  return std::bit_cast<std::uint32_t>(a.weight) < std::bit_cast<std::uint32_t>(b.weight);
}

// Leaves each undirected tie once as (from < to) with its largest weight, sorted.
void canonicalise_ties(std::vector<WeightedEdge>& ties) {
  std::erase_if(ties, [](const WeightedEdge& tie) { return tie.from == tie.to; });
  for (WeightedEdge& tie : ties) {
    if (tie.from > tie.to) std::swap(tie.from, tie.to);
  }
  // The order is total on distinct values, so the unstable parallel sort gives
  // the same sequence on any thread count.
  tbb::parallel_sort(ties.begin(), ties.end(), tie_before);
  const auto last = std::unique(ties.begin(), ties.end(), [](const auto& a, const auto& b) {
    return a.from == b.from && a.to == b.to;
  });
  ties.erase(last, ties.end());
}

// Both directions of every tie, as the three parallel arrays Boost's in-place
// CSR constructor takes.
struct DirectedEdges {
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> targets;
  std::vector<TieProperties> properties;
};

// Returns both directions of each canonical tie, sorted by source and then
// target; throws std::length_error if they overflow PeerGraph's 32-bit edge index.
DirectedEdges sorted_directed_edges(std::uint32_t hcps, const std::vector<WeightedEdge>& ties) {
  const std::uint64_t count = 2 * static_cast<std::uint64_t>(ties.size());
  if (count > kMaxDirectedEdges) {
    throw std::length_error("peer network: " + std::to_string(ties.size()) +
                            " ties exceed the 32-bit edge index of the graph");
  }
  // A counting sort. Boost's constructor would sort unsorted input itself, but
  // its in-place histogram sort follows permutation cycles with a cache miss
  // per array per move (2.6 s for 10M edges) and leaves rows unsorted; on
  // sorted input it is a single linear pass.
  std::vector<std::uint32_t> next(std::size_t{hcps} + 1, 0);
  for (const WeightedEdge& tie : ties) {
    ++next[tie.from + 1];
    ++next[tie.to + 1];
  }
  std::partial_sum(next.begin(), next.end(), next.begin());
  DirectedEdges edges;
  edges.sources.resize(count);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, hcps, kHcpGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& range) {
                      for (std::uint32_t v = range.begin(); v != range.end(); ++v) {
                        std::fill(edges.sources.begin() + next[v],
                                  edges.sources.begin() + next[v + 1], v);
                      }
                    });
  edges.targets.resize(count);
  edges.properties.resize(count);
  // Ties are sorted by (from, to) with from < to. Row v's peers below v come
  // from ties (a, v), visited in increasing a; its peers above v come from
  // ties (v, b), visited in increasing b. Writing all the first kind, then all
  // the second, leaves every row sorted.
  for (const WeightedEdge& tie : ties) {
    const std::uint32_t at = next[tie.to]++;
    edges.targets[at] = tie.from;
    edges.properties[at].weight = tie.weight;
  }
  for (const WeightedEdge& tie : ties) {
    const std::uint32_t at = next[tie.from]++;
    edges.targets[at] = tie.to;
    edges.properties[at].weight = tie.weight;
  }
  return edges;
}

// Builds the sorted, symmetric CSR graph; consumes ties to keep the peak low.
PeerGraph make_graph(std::uint32_t hcps, std::vector<WeightedEdge>& ties) {
  check_ties(hcps, ties);
  canonicalise_ties(ties);
  DirectedEdges edges = sorted_directed_edges(hcps, ties);
  std::vector<WeightedEdge>().swap(ties);  // Free before Boost allocates its row starts.
  return PeerGraph(boost::construct_inplace_from_sources_and_targets, edges.sources, edges.targets,
                   edges.properties, hcps);
}

// ---------------------------------------------------------------------------
// Spec checks.

// Throws std::logic_error unless value is finite and in [low, high].
void check_range(double value, double low, double high, const char* name) {
  if (!std::isfinite(value) || value < low || value > high) {
    throw std::logic_error(std::string("network spec: ") + name + " = " + std::to_string(value) +
                           " is outside [" + std::to_string(low) + ", " + std::to_string(high) +
                           "]");
  }
}

// Throws std::logic_error on a spec the scenario validator should have refused.
void check_spec(const NetworkSpec& spec) {
  constexpr double kHuge = 1e9;
  check_range(spec.mean_degree, 0.0, kHuge, "mean_degree");
  check_range(spec.rewire_probability, 0.0, 1.0, "rewire_probability");
  check_range(spec.practice_share, 0.0, 1.0, "practice_share");
  check_range(spec.region_share, 0.0, 1.0, "region_share");
  // A little slack for shares that sum to 1 only up to rounding in the scenario file.
  check_range(spec.practice_share + spec.region_share, 0.0, 1.0 + 1e-9,
              "practice_share + region_share");
  check_range(spec.opinion_leader_extra_degree, 0.0, kHuge, "opinion_leader_extra_degree");
  check_range(spec.patient_sharing_weight, 0.0, kHuge, "patient_sharing_weight");
  check_range(spec.other_weight, 0.0, kHuge, "other_weight");
}

// Throws std::logic_error if a population array the clustered model reads has the wrong size.
void check_population(const Population& population) {
  const std::size_t n = population.size;
  if (population.region.size() != n || population.practice.size() != n ||
      population.opinion_leader.size() != n) {
    throw std::logic_error(
        "peer network: population arrays region, practice and "
        "opinion_leader must each hold " +
        std::to_string(n) + " HCPs");
  }
}

// ---------------------------------------------------------------------------
// Small world: Watts & Strogatz (1998), "Collective dynamics of 'small-world'
// networks", Nature 393:440, as generated by Boost.Graph.

// Returns the ties of a ring lattice of even degree k with each tie rewired with
// probability rewire_probability.
std::vector<WeightedEdge> small_world_ties(const NetworkSpec& spec, std::uint32_t n,
                                           std::uint64_t seed, std::uint32_t replication) {
  std::uint64_t k = 2 * static_cast<std::uint64_t>(std::llround(spec.mean_degree / 2.0));
  // Boost redraws a rewired target until it falls outside the k + 1 HCPs of the
  // source's window, so at least one HCP must lie outside it: k <= n - 2.
  const std::uint64_t max_k = n >= 2 ? (n - 2ULL) & ~1ULL : 0;
  k = std::min(k, max_k);
  std::vector<WeightedEdge> ties;
  // Boost's iterator emits the first tie (0, 1) even when k is 0.
  if (k == 0) return ties;
  ties.reserve(n * k / 2);
  // One stream for the whole graph: Boost's iterator draws sequentially.
  KeyedStream stream(seed, replication, 0, Purpose::network);
  using Iterator = boost::small_world_iterator<KeyedStream, PeerGraph>;
  const auto weight = static_cast<float>(spec.other_weight);
  for (Iterator it(stream, n, static_cast<std::uint32_t>(k), spec.rewire_probability), end;
       it != end; ++it) {
    ties.push_back({it->first, it->second, weight});
  }
  return ties;
}

// ---------------------------------------------------------------------------
// Preferential attachment: Barabási & Albert (1999), "Emergence of scaling in
// random networks", Science 286:509. Boost.Graph has no BA generator (its
// plod_iterator draws a power-law degree sequence, a different model), so this
// uses Batagelj & Brandes (2005), "Efficient generation of large random
// networks", Phys. Rev. E 71:036113: drawing a uniform endpoint from the list
// of all tie endpoints picks an HCP with probability proportional to degree, in
// O(1), for O(m n) in all. The tie list itself is that endpoint list.

// Returns the ties of a BA graph: a clique of m + 1 HCPs, then each later HCP v
// ties to m distinct earlier HCPs drawn by degree (stream keyed by v).
std::vector<WeightedEdge> preferential_attachment_ties(const NetworkSpec& spec, std::uint32_t n,
                                                       std::uint64_t seed,
                                                       std::uint32_t replication) {
  std::vector<WeightedEdge> ties;
  if (spec.mean_degree <= 0.0 || n < 2) return ties;
  const std::uint32_t m = static_cast<std::uint32_t>(
      std::clamp<long long>(std::llround(spec.mean_degree / 2.0), 1, n - 1));
  const auto weight = static_cast<float>(spec.other_weight);
  // The seed clique gives every HCP degree >= m from the start, so the minimum degree is m.
  const std::uint32_t clique = m + 1;
  ties.reserve(static_cast<std::size_t>(clique) * m / 2 + static_cast<std::size_t>(n - clique) * m);
  for (std::uint32_t a = 0; a < clique; ++a) {
    for (std::uint32_t b = a + 1; b < clique; ++b) ties.push_back({a, b, weight});
  }
  std::vector<std::uint32_t> chosen(m);
  for (std::uint32_t v = clique; v < n; ++v) {
    KeyedStream stream(seed, replication, v, Purpose::network);
    // Only ties of earlier HCPs are candidates (the original BA model); Batagelj
    // & Brandes also sample v's own new endpoints, which makes self-ties and
    // multi-ties that would then be dropped and push degrees below m.
    const boost::random::uniform_int_distribution<std::uint64_t> endpoint(0, 2 * ties.size() - 1);
    for (std::uint32_t i = 0; i < m; ++i) {
      std::uint32_t peer = 0;
      do {
        const std::uint64_t e = endpoint(stream);
        const WeightedEdge& tie = ties[e / 2];
        peer = e % 2 == 0 ? tie.from : tie.to;
      } while (std::find(chosen.begin(), chosen.begin() + i, peer) != chosen.begin() + i);
      chosen[i] = peer;
    }
    for (const std::uint32_t peer : chosen) ties.push_back({peer, v, weight});
  }
  return ties;
}

// ---------------------------------------------------------------------------
// Clustered: a stochastic block model over practice and region with opinion
// leader hubs (docs/population.md, Peer network models).

// Members of each group (practice or region) in HCP order, as CSR offsets.
struct GroupIndex {
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> members;

  std::span<const std::uint32_t> group(std::uint32_t g) const noexcept {
    return {members.data() + offsets[g], members.data() + offsets[g + 1]};
  }
};

// Groups HCPs by key with a counting sort; throws std::logic_error if a key is >= max_groups.
template <typename Key>
GroupIndex index_groups(const std::vector<Key>& keys, std::uint64_t max_groups, const char* what) {
  std::uint64_t groups = 0;
  for (const Key key : keys) groups = std::max<std::uint64_t>(groups, std::uint64_t{key} + 1);
  if (groups > max_groups) {
    throw std::logic_error(std::string("peer network: ") + what + " ids must be dense, below " +
                           std::to_string(max_groups));
  }
  GroupIndex index;
  index.offsets.assign(groups + 1, 0);
  for (const Key key : keys) ++index.offsets[std::size_t{key} + 1];
  std::partial_sum(index.offsets.begin(), index.offsets.end(), index.offsets.begin());
  index.members.resize(keys.size());
  std::vector<std::uint32_t> next(index.offsets.begin(), index.offsets.end() - 1);
  for (std::uint32_t i = 0; i < keys.size(); ++i) index.members[next[keys[i]]++] = i;
  return index;
}

// A Poisson draw that allows mean 0 (Boost's distribution requires mean > 0).
class PoissonCount {
 public:
  explicit PoissonCount(double mean) : mean_(mean), dist_(mean > 0.0 ? mean : 1.0) {}
  std::uint32_t operator()(KeyedStream& stream) const { return mean_ > 0.0 ? dist_(stream) : 0; }

 private:
  double mean_;
  boost::random::poisson_distribution<std::uint32_t, double> dist_;
};

// How many ties of each kind one HCP starts.
struct StubCounts {
  std::uint32_t practice = 0;
  std::uint32_t region = 0;
  std::uint32_t anyone = 0;
  std::uint32_t hub = 0;

  std::uint64_t total() const noexcept { return std::uint64_t{practice} + region + anyone + hub; }
};

// The clustered model's read-only inputs, shared by all parallel tasks.
class ClusteredModel {
 public:
  ClusteredModel(const NetworkSpec& spec, const Population& population)
      : population_(population),
        practices_(index_groups(population.practice, population.size, "practice")),
        regions_(index_groups(population.region, std::uint64_t{1} << 16, "region")),
        // Each stub makes one tie and every HCP both starts and receives stubs,
        // so starting mean_degree / 2 gives mean degree mean_degree.
        practice_count_(spec.mean_degree / 2.0 * spec.practice_share),
        region_count_(spec.mean_degree / 2.0 * spec.region_share),
        anyone_count_(spec.mean_degree / 2.0 *
                      std::max(0.0, 1.0 - spec.practice_share - spec.region_share)),
        hub_count_(spec.opinion_leader_extra_degree),
        patient_sharing_weight_(static_cast<float>(spec.patient_sharing_weight)),
        other_weight_(static_cast<float>(spec.other_weight)) {}

  // Draws the stub counts of hcp; must be the first draws from its stream.
  StubCounts draw_counts(std::uint32_t hcp, KeyedStream& stream) const {
    StubCounts counts;
    counts.practice = practice_count_(stream);
    counts.region = region_count_(stream);
    counts.anyone = anyone_count_(stream);
    if (population_.opinion_leader[hcp] == 1) counts.hub = hub_count_(stream);
    return counts;
  }

  // Writes counts.total() ties of hcp to out, drawing partners after the counts.
  void draw_ties(std::uint32_t hcp, KeyedStream& stream, const StubCounts& counts,
                 WeightedEdge* out) const {
    const auto practice = practices_.group(population_.practice[hcp]);
    const auto region = regions_.group(population_.region[hcp]);
    // A solo practitioner's practice ties go to the region instead, so that
    // HCP keeps the mean degree.
    const auto practice_pool = practice.size() >= 2 ? practice : region;
    for (std::uint32_t s = 0; s < counts.practice; ++s) *out++ = tie(hcp, practice_pool, stream);
    for (std::uint32_t s = 0; s < counts.region; ++s) *out++ = tie(hcp, region, stream);
    for (std::uint32_t s = 0; s < counts.anyone; ++s) *out++ = tie(hcp, {}, stream);
    for (std::uint32_t s = 0; s < counts.hub; ++s) *out++ = tie(hcp, region, stream);
  }

 private:
  // A tie from hcp to a partner uniform over pool minus hcp (everyone if the
  // pool has no one else); ties within a practice are patient-sharing ties,
  // weighted more (Donohue et al. 2018).
  WeightedEdge tie(std::uint32_t hcp, std::span<const std::uint32_t> pool,
                   KeyedStream& stream) const {
    const std::uint32_t peer =
        pool.size() >= 2 ? draw_other(pool, hcp, stream) : draw_other_anyone(hcp, stream);
    const bool same_practice = population_.practice[peer] == population_.practice[hcp];
    return {hcp, peer, same_practice ? patient_sharing_weight_ : other_weight_};
  }

  // Returns a member of pool (size >= 2) other than hcp, uniformly.
  static std::uint32_t draw_other(std::span<const std::uint32_t> pool, std::uint32_t hcp,
                                  KeyedStream& stream) {
    const boost::random::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
    std::uint32_t peer = hcp;
    // Rejecting hcp keeps the others uniform and needs no position lookup.
    while (peer == hcp) peer = pool[pick(stream)];
    return peer;
  }

  // Returns an HCP other than hcp uniformly; needs population size >= 2.
  std::uint32_t draw_other_anyone(std::uint32_t hcp, KeyedStream& stream) const {
    const boost::random::uniform_int_distribution<std::uint32_t> pick(0, population_.size - 1);
    std::uint32_t peer = hcp;
    while (peer == hcp) peer = pick(stream);
    return peer;
  }

  const Population& population_;
  GroupIndex practices_;
  GroupIndex regions_;
  PoissonCount practice_count_;
  PoissonCount region_count_;
  PoissonCount anyone_count_;
  PoissonCount hub_count_;
  float patient_sharing_weight_;
  float other_weight_;
};

// Returns the clustered model's ties: HCP i's ties come from its own stream and
// land at a fixed offset, so the result is the same on any thread count.
std::vector<WeightedEdge> clustered_ties(const NetworkSpec& spec, const Population& population,
                                         std::uint64_t seed, std::uint32_t replication) {
  check_population(population);
  const std::uint32_t n = population.size;
  std::vector<WeightedEdge> ties;
  if (n < 2) return ties;
  const ClusteredModel model(spec, population);
  // Two passes (count, then fill at prefix-sum offsets) hold one exact-size
  // tie array instead of per-block vectors plus their concatenation.
  std::vector<std::uint64_t> offsets(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, kHcpGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& range) {
                      for (std::uint32_t i = range.begin(); i != range.end(); ++i) {
                        KeyedStream stream(seed, replication, i, Purpose::network);
                        offsets[std::size_t{i} + 1] = model.draw_counts(i, stream).total();
                      }
                    });
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  if (offsets[n] > kMaxDirectedEdges / 2) {
    throw std::length_error("peer network: " + std::to_string(offsets[n]) +
                            " ties exceed the 32-bit edge index of the graph");
  }
  ties.resize(offsets[n]);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, kHcpGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& range) {
                      for (std::uint32_t i = range.begin(); i != range.end(); ++i) {
                        // Restarting the stream replays the same counts as pass one.
                        KeyedStream stream(seed, replication, i, Purpose::network);
                        const StubCounts counts = model.draw_counts(i, stream);
                        model.draw_ties(i, stream, counts, ties.data() + offsets[i]);
                      }
                    });
  return ties;
}

}  // namespace

PeerNetwork::PeerNetwork(std::uint32_t hcps, std::vector<WeightedEdge> ties)
    : hcp_count_(hcps), graph_(make_graph(hcps, ties)) {}

std::uint32_t PeerNetwork::degree(std::uint32_t hcp) const noexcept {
  const auto& rowstart = graph_.m_forward.m_rowstart;
  return rowstart[hcp + 1] - rowstart[hcp];
}

std::span<const std::uint32_t> PeerNetwork::peers(std::uint32_t hcp) const noexcept {
  const auto& csr = graph_.m_forward;
  return {csr.m_column.data() + csr.m_rowstart[hcp], degree(hcp)};
}

std::span<const TieProperties> PeerNetwork::ties(std::uint32_t hcp) const noexcept {
  const auto& csr = graph_.m_forward;
  return {csr.m_edge_properties.data() + csr.m_rowstart[hcp], degree(hcp)};
}

std::uint64_t PeerNetwork::memory_bytes() const noexcept {
  const auto& csr = graph_.m_forward;
  return csr.m_rowstart.capacity() * sizeof(std::uint32_t) +
         csr.m_column.capacity() * sizeof(std::uint32_t) +
         csr.m_edge_properties.capacity() * sizeof(TieProperties);
}

std::uint64_t network_peak_bytes(std::uint64_t hcps, double mean_degree) noexcept {
  // mean_degree must count every tie; for the clustered model that includes
  // the hubs: spec.mean_degree + 2 * (opinion-leader share) * extra degree.
  if (!(mean_degree > 0.0)) mean_degree = 0.0;
  // Undirected ties, with 2% headroom for the Poisson spread of stub counts
  // (its sd is sqrt(ties), far below 2% at any size worth checking) plus a
  // constant for tiny networks.
  const double ties = static_cast<double>(hcps) * mean_degree / 2.0 * 1.02 + 1024.0;
  const double n = static_cast<double>(hcps) + 1.0;
  constexpr double kTie = sizeof(WeightedEdge);                            // 12 bytes.
  constexpr double kDirected = 2.0 * (4.0 + 4.0 + sizeof(TieProperties));  // Per tie.
  // Generation: the tie array, the clustered model's offsets (8 bytes per HCP)
  // and practice and region member lists with their offsets (16 bytes per HCP).
  const double generate = kTie * ties + 24.0 * n;
  // Construction: the canonical tie array beside the counting sort's row
  // cursors and the directed source, target and weight arrays (the peak), then
  // Boost's row starts and insert positions.
  const double directed = kTie * ties + kDirected * ties + 4.0 * n;
  const double boost_sort = kDirected * ties + 8.0 * n;
  const double peak = std::max({generate, directed, boost_sort});
  constexpr double kMax = 1.8e19;  // Just below 2^64.
  return peak >= kMax ? std::numeric_limits<std::uint64_t>::max()
                      : static_cast<std::uint64_t>(std::ceil(peak));
}

PeerNetwork build_network(const NetworkSpec& spec, const Population& population, std::uint64_t seed,
                          std::uint32_t replication) {
  check_spec(spec);
  const std::uint32_t n = population.size;
  switch (spec.model) {
    case NetworkModel::none:
      return PeerNetwork(n, {});
    case NetworkModel::edge_list:
      return PeerNetwork(n, spec.edges);
    case NetworkModel::small_world:
      return PeerNetwork(n, small_world_ties(spec, n, seed, replication));
    case NetworkModel::preferential_attachment:
      return PeerNetwork(n, preferential_attachment_ties(spec, n, seed, replication));
    case NetworkModel::clustered:
      return PeerNetwork(n, clustered_ties(spec, population, seed, replication));
  }
  throw std::logic_error("peer network: unknown network model");
}

}  // namespace journeysim::agents
