#include "sim/population_summary.hpp"

#include <algorithm>

namespace journeysim::sim {
namespace {

double share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// Expected share of each specialty: the sum of the shares of its segments.
std::vector<CategoryCount> specialty_counts(const agents::PopulationSpec& spec,
                                            const agents::Population& population) {
  std::vector<CategoryCount> counts;
  for (const std::string& name : spec.specialties) counts.push_back({name, 0, 0.0});
  for (const agents::Segment& segment : spec.segments) {
    counts[segment.specialty].expected_share += segment.share;
  }
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp)
    ++counts[population.specialty[hcp]].count;
  return counts;
}

NetworkSummary summarize_network(const agents::Population& population,
                                 const agents::PeerNetwork& network) {
  NetworkSummary summary;
  summary.ties = network.tie_count();
  std::uint64_t leader_degree = 0;
  std::uint64_t leaders = 0;
  std::uint64_t isolated = 0;
  std::uint64_t within_practice = 0;
  std::uint64_t within_region = 0;
  for (std::uint32_t hcp = 0; hcp < network.hcp_count(); ++hcp) {
    const std::uint32_t degree = network.degree(hcp);
    summary.max_degree = std::max(summary.max_degree, degree);
    isolated += degree == 0 ? 1 : 0;
    if (population.opinion_leader[hcp] != 0) {
      leader_degree += degree;
      ++leaders;
    }
    for (const std::uint32_t peer : network.peers(hcp)) {
      within_practice += population.practice[peer] == population.practice[hcp] ? 1 : 0;
      within_region += population.region[peer] == population.region[hcp] ? 1 : 0;
    }
  }
  const std::uint64_t tie_ends = 2 * summary.ties;
  summary.mean_degree = share(tie_ends, network.hcp_count());
  summary.isolated_share = share(isolated, network.hcp_count());
  summary.opinion_leader_mean_degree = share(leader_degree, leaders);
  summary.within_practice_tie_share = share(within_practice, tie_ends);
  summary.within_region_tie_share = share(within_region, tie_ends);
  return summary;
}

}  // namespace

PopulationSummary summarize_population(const Scenario& scenario,
                                       const agents::Population& population,
                                       const agents::PeerNetwork& network) {
  const agents::PopulationSpec& spec = scenario.population;
  const auto& channels = scenario.catalogue.channels;
  PopulationSummary summary;
  summary.hcps = population.size;
  for (const agents::Segment& segment : spec.segments) {
    summary.segments.push_back({segment.name, 0, segment.share});
  }
  for (const agents::CategoryShare& region : spec.regions) {
    summary.regions.push_back({region.name, 0, region.share});
  }
  summary.specialties = specialty_counts(spec, population);
  for (const agents::Stage stage : agents::kAllStages) {
    double expected = 0.0;
    for (const agents::Segment& segment : spec.segments) {
      expected += segment.share * segment.start_stage_shares[static_cast<std::size_t>(stage)];
    }
    summary.start_stages[static_cast<std::size_t>(stage)] = {std::string(agents::stage_name(stage)),
                                                             0, expected};
  }
  for (const agents::Barrier barrier : agents::kAllBarriers) {
    summary.dominant_barrier[static_cast<std::size_t>(barrier)] = {
        std::string(agents::barrier_name(barrier)), 0, 0.0};
  }
  summary.channels.resize(channels.size());
  std::uint64_t known = 0;
  std::uint64_t leaders = 0;
  double patients = 0.0;
  std::uint32_t practices = 0;
  std::vector<std::uint64_t> reachable(channels.size(), 0);
  std::vector<double> affinity(channels.size(), 0.0);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    ++summary.segments[population.segment[hcp]].count;
    ++summary.regions[population.region[hcp]].count;
    ++summary.start_stages[static_cast<std::size_t>(population.start_stage[hcp])].count;
    ++summary.dominant_barrier[static_cast<std::size_t>(population.dominant_barrier(hcp))].count;
    known += population.known[hcp];
    leaders += population.opinion_leader[hcp];
    patients += population.patients_per_month[hcp];
    practices = std::max(practices, population.practice[hcp] + 1);
    for (int b = 0; b < agents::kBarrierCount; ++b) {
      summary.mean_barrier[b] += population.start_barriers[hcp][b];
    }
    for (std::uint16_t c = 0; c < channels.size(); ++c) {
      reachable[c] += population.reachable(hcp, c, channels[c]) ? 1 : 0;
      affinity[c] += population.channel_affinity(hcp, c);
    }
  }
  const double n = std::max(1.0, static_cast<double>(population.size));
  for (double& mean : summary.mean_barrier) mean /= n;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    summary.channels[c] = {channels[c].name, share(reachable[c], population.size), affinity[c] / n};
  }
  summary.known_share = share(known, population.size);
  summary.opinion_leader_share = share(leaders, population.size);
  summary.mean_patients_per_month = patients / n;
  summary.practices = practices;
  summary.network = summarize_network(population, network);
  return summary;
}

}  // namespace journeysim::sim
