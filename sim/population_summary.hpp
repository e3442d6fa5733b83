#pragma once
// Descriptive statistics of one synthesised population and its network, for
// the console summary and for tests that compare a population with its spec.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/scenario.hpp"

namespace journeysim::sim {

// A category's count in the population next to the share the spec asked for.
struct CategoryCount {
  std::string name;
  std::uint64_t count = 0;
  double expected_share = 0.0;  // From the spec; for roster-derived categories, the roster's.
};

struct ChannelSummary {
  std::string name;
  double reachable_share = 0.0;  // HCPs the channel can reach (consent, known status).
  double mean_affinity = 0.0;    // Logit scale.
};

struct NetworkSummary {
  std::uint64_t ties = 0;
  double mean_degree = 0.0;
  std::uint32_t max_degree = 0;
  double isolated_share = 0.0;              // HCPs with no tie.
  double opinion_leader_mean_degree = 0.0;  // 0 if there are no opinion leaders.
  double within_practice_tie_share = 0.0;   // Ties between HCPs of one practice.
  double within_region_tie_share = 0.0;     // Ties between HCPs of one region.
};

struct PopulationSummary {
  std::uint32_t hcps = 0;
  double known_share = 0.0;
  double opinion_leader_share = 0.0;
  double mean_patients_per_month = 0.0;
  std::uint32_t practices = 0;
  std::vector<CategoryCount> segments;
  std::vector<CategoryCount> specialties;
  std::vector<CategoryCount> regions;
  std::array<CategoryCount, agents::kStageCount> start_stages;
  std::array<double, agents::kBarrierCount> mean_barrier{};
  std::array<CategoryCount, agents::kBarrierCount> dominant_barrier;
  std::vector<ChannelSummary> channels;
  NetworkSummary network;
};

// Summarises a population drawn from scenario, with its network.
PopulationSummary summarize_population(const Scenario& scenario,
                                       const agents::Population& population,
                                       const agents::PeerNetwork& network);

}  // namespace journeysim::sim
