#include "reports/population_csv.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iterator>
#include <string>

#include "reports/csv_text.hpp"

namespace journeysim::reports {
namespace {

void write_preamble(std::ostream& out, std::string_view kind, const sim::Scenario& scenario,
                    DrawId draw) {
  fmt::print(out, "# journeysim {} schema={} scenario={} hash={} seed={} replication={}\n", kind,
             kPopulationCsvSchema, scenario.name, scenario.content_hash, draw.seed,
             draw.replication);
}

// Category names, quoted once for CSV.
struct CsvNames {
  explicit CsvNames(const agents::PopulationSpec& spec) {
    for (const auto& s : spec.segments) segments.push_back(csv_field(s.name));
    for (const auto& s : spec.specialties) specialties.push_back(csv_field(s));
    for (const auto& s : spec.practice_settings) settings.push_back(csv_field(s.name));
    for (const auto& s : spec.regions) regions.push_back(csv_field(s.name));
    for (const auto& s : spec.career_stages) career_stages.push_back(csv_field(s.name));
  }
  std::vector<std::string> segments, specialties, settings, regions, career_stages;
};

}  // namespace

void write_population_csv(std::ostream& out, const sim::Scenario& scenario,
                          const agents::Population& population, DrawId draw) {
  const agents::PopulationSpec& spec = scenario.population;
  const auto& channels = scenario.catalogue.channels;
  write_preamble(out, "population", scenario, draw);
  std::string line =
      "hcp,pseudonym,segment,specialty,practice_setting,region,career_stage,"
      "practice,patients_per_month,opinion_leader,known,start_stage,"
      "dominant_barrier";
  for (const agents::Barrier b : agents::kAllBarriers) {
    fmt::format_to(std::back_inserter(line), ",barrier_{}", agents::barrier_name(b));
  }
  for (const agents::Channel& c : channels) {
    fmt::format_to(std::back_inserter(line), ",{}", csv_field("affinity_" + c.name));
  }
  for (const agents::Channel& c : channels) {
    fmt::format_to(std::back_inserter(line), ",{}", csv_field("reachable_" + c.name));
  }
  const CsvNames names(spec);
  out << line << '\n';
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    line.clear();
    auto it = std::back_inserter(line);
    const std::string pseudonym = population.pseudonym.empty()
                                      ? std::string()
                                      : fmt::format("{:016x}", population.pseudonym[hcp]);
    fmt::format_to(
        it, "{},{},{},{},{},{},{},{},{:.3f},{},{},{},{}", hcp, pseudonym,
        names.segments[population.segment[hcp]], names.specialties[population.specialty[hcp]],
        names.settings[population.practice_setting[hcp]], names.regions[population.region[hcp]],
        names.career_stages[population.career_stage[hcp]], population.practice[hcp],
        population.patients_per_month[hcp], int{population.opinion_leader[hcp]},
        int{population.known[hcp]}, agents::stage_name(population.start_stage[hcp]),
        agents::barrier_name(population.dominant_barrier(hcp)));
    for (const float strength : population.start_barriers[hcp])
      fmt::format_to(it, ",{:.4f}", strength);
    for (std::uint16_t c = 0; c < channels.size(); ++c) {
      fmt::format_to(it, ",{:.4f}", population.channel_affinity(hcp, c));
    }
    for (std::uint16_t c = 0; c < channels.size(); ++c) {
      fmt::format_to(it, ",{}", population.reachable(hcp, c, channels[c]) ? 1 : 0);
    }
    line += '\n';
    out << line;
  }
}

void write_edges_csv(std::ostream& out, const sim::Scenario& scenario,
                     const agents::PeerNetwork& network, DrawId draw) {
  write_preamble(out, "edges", scenario, draw);
  out << "from,to,weight\n";
  std::string line;
  for (std::uint32_t hcp = 0; hcp < network.hcp_count(); ++hcp) {
    const auto peers = network.peers(hcp);
    const auto ties = network.ties(hcp);
    line.clear();
    for (std::size_t k = 0; k < peers.size(); ++k) {
      if (peers[k] > hcp) {
        fmt::format_to(std::back_inserter(line), "{},{},{:g}\n", hcp, peers[k], ties[k].weight);
      }
    }
    out << line;
  }
}

}  // namespace journeysim::reports
