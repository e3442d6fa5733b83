#pragma once
// The peer network over HCPs, stored as a compressed sparse row graph.
//
// Boost.Graph's compressed_sparse_row_graph appears in this header because it
// is the storage (4 bytes per directed edge plus the weight) and users may
// want to run Boost.Graph algorithms on it directly.
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agents/population.hpp"

namespace journeysim::agents {

// The tie between two peers. Weight is the relative influence of the tie
// (patient-sharing ties weigh about twice volume ties: Donohue et al. 2018).
struct TieProperties {
  float weight = 1.0F;
};

// Undirected ties are stored as two directed edges, so out-edges are all ties.
using PeerGraph =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, TieProperties,
                                       boost::no_property, std::uint32_t, std::uint32_t>;

// An undirected weighted tie, as read from an edge list or made by a generator.
struct WeightedEdge {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  float weight = 1.0F;
};

enum class NetworkModel { none, small_world, preferential_attachment, clustered, edge_list };

// How the scenario asks for the network to be built.
struct NetworkSpec {
  NetworkModel model = NetworkModel::clustered;
  double mean_degree = 10.0;  // Mean ties per HCP for generated models; >= 0.
  // small_world (Watts & Strogatz 1998): share of ring ties rewired at random.
  double rewire_probability = 0.1;
  // clustered: share of an ordinary HCP's ties drawn inside the practice, and
  // drawn uniformly inside the region; the rest go to anyone. Opinion-leader hub
  // ties come on top, so the realised mean degree exceeds mean_degree by about
  // 2 x leader share x opinion_leader_extra_degree.
  double practice_share = 0.5;
  double region_share = 0.35;
  // clustered: extra ties of each opinion leader to HCPs of their region (hubs).
  double opinion_leader_extra_degree = 30.0;
  // clustered: weight of any tie between two HCPs of one practice (patient
  // sharing), and of every other tie.
  double patient_sharing_weight = 2.0;
  double other_weight = 1.0;
  // edge_list: the ties read from the scenario's edge list, by HCP index.
  std::vector<WeightedEdge> edges;
};

// The peer network of one replication: immutable, compact, thread-safe to read.
class PeerNetwork {
 public:
  PeerNetwork() = default;
  // Builds the network from undirected ties. Self-ties are dropped; a tie given
  // twice keeps the larger weight. Throws std::logic_error on an index >= hcps.
  PeerNetwork(std::uint32_t hcps, std::vector<WeightedEdge> ties);

  std::uint32_t hcp_count() const noexcept { return hcp_count_; }
  // Number of undirected ties.
  std::uint64_t tie_count() const noexcept { return graph_.m_forward.m_column.size() / 2; }
  std::uint32_t degree(std::uint32_t hcp) const noexcept;
  // The peers of hcp, in increasing index order, and the weight of each tie.
  std::span<const std::uint32_t> peers(std::uint32_t hcp) const noexcept;
  std::span<const TieProperties> ties(std::uint32_t hcp) const noexcept;
  const PeerGraph& graph() const noexcept { return graph_; }
  // Bytes held by the graph's arrays.
  std::uint64_t memory_bytes() const noexcept;

 private:
  std::uint32_t hcp_count_ = 0;
  PeerGraph graph_;
};

// Bytes a network of this many HCPs at this mean degree needs at its peak
// during construction; used to refuse a too-large population before allocating.
std::uint64_t network_peak_bytes(std::uint64_t hcps, double mean_degree) noexcept;

// Builds the network of one replication from the spec. Generators draw from
// streams keyed by (seed, replication, purpose network), so the same inputs
// give the same network on any thread count.
PeerNetwork build_network(const NetworkSpec& spec, const Population& population, std::uint64_t seed,
                          std::uint32_t replication);

}  // namespace journeysim::agents
