#include "reports/console.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <span>

namespace journeysim::reports {
namespace {

std::string_view model_name(agents::NetworkModel model) {
  switch (model) {
    case agents::NetworkModel::none:
      return "none";
    case agents::NetworkModel::small_world:
      return "small world (Watts-Strogatz)";
    case agents::NetworkModel::preferential_attachment:
      return "preferential attachment (Barabasi-Albert)";
    case agents::NetworkModel::clustered:
      return "clustered by practice and region, opinion-leader hubs";
    case agents::NetworkModel::edge_list:
      return "edge list";
  }
  return "?";
}

double share_of(std::uint64_t count, std::uint32_t total) {
  return total == 0 ? 0.0 : static_cast<double>(count) / total;
}

// A table of categories: observed share beside the share the spec asked for.
void print_counts(std::ostream& out, std::string_view title,
                  std::span<const sim::CategoryCount> rows, std::uint32_t total) {
  fmt::print(out, "\n{:<36} {:>9} {:>8} {:>8}\n", title, "HCPs", "share", "spec");
  for (const sim::CategoryCount& row : rows) {
    fmt::print(out, "  {:<34} {:>9} {:>7.1f}% {:>7.1f}%\n", row.name, row.count,
               100.0 * share_of(row.count, total), 100.0 * row.expected_share);
  }
}

}  // namespace

void print_scenario_overview(std::ostream& out, const sim::Scenario& scenario) {
  const agents::PopulationSpec& population = scenario.population;
  fmt::print(out, "Scenario '{}' is valid (hash {}).\n", scenario.name, scenario.content_hash);
  if (!scenario.description.empty()) fmt::print(out, "  {}\n", scenario.description);
  fmt::print(out,
             "  population: {} HCPs{}, {} segments, {} specialties, {} regions, "
             "known share {:.0f}%\n",
             population.size,
             population.roster.empty()
                 ? ""
                 : fmt::format(" from a roster of {}", population.roster.size()),
             population.segments.size(), population.specialties.size(), population.regions.size(),
             100.0 * population.known_share);
  fmt::print(out, "  network:    {}, mean degree {:g}\n", model_name(scenario.network.model),
             scenario.network.model == agents::NetworkModel::edge_list
                 ? 2.0 * static_cast<double>(scenario.network.edges.size()) / population.size
                 : scenario.network.mean_degree);
  fmt::print(out, "  channels:   {}; content items: {}; horizon {} days; costs in {}; seed {}\n",
             scenario.catalogue.channels.size(), scenario.catalogue.content.size(),
             scenario.horizon_days, scenario.currency, scenario.seed);
  fmt::print(out, "  memory:     about {:.1f} MB at peak to synthesise\n",
             static_cast<double>(sim::estimated_peak_bytes(scenario)) / 1e6);
  for (const sim::Arm& arm : scenario.arms) {
    std::size_t steps = 0;
    for (const sim::Journey& journey : arm.journeys) steps += journey.steps.size();
    fmt::print(out, "  arm:        {}{}: {} journeys, {} steps\n", arm.name,
               arm.name == scenario.control_arm ? " (control)" : "", arm.journeys.size(), steps);
  }
  if (!scenario.caps.empty()) fmt::print(out, "  caps:       {}\n", scenario.caps.size());
  for (const std::string& warning : scenario.warnings)
    fmt::print(out, "  warning:    {}\n", warning);
}

void print_population_summary(std::ostream& out, const sim::Scenario& scenario,
                              const sim::PopulationSummary& summary, DrawId draw) {
  fmt::print(out, "Population of scenario '{}' (seed {}, replication {}): {} HCPs\n", scenario.name,
             draw.seed, draw.replication, summary.hcps);
  fmt::print(out,
             "  known (addressable) {:.1f}% (spec {:.1f}%), opinion leaders {:.1f}%, "
             "{:.1f} eligible patients/month on average, {} practices\n",
             100.0 * summary.known_share, 100.0 * scenario.population.known_share,
             100.0 * summary.opinion_leader_share, summary.mean_patients_per_month,
             summary.practices);
  print_counts(out, "segment", summary.segments, summary.hcps);
  print_counts(out, "specialty", summary.specialties, summary.hcps);
  print_counts(out, "region", summary.regions, summary.hcps);
  print_counts(out, "starting stage", summary.start_stages, summary.hcps);

  fmt::print(out, "\n{:<36} {:>9} {:>17}\n", "barrier", "mean", "dominant for");
  for (int b = 0; b < agents::kBarrierCount; ++b) {
    const sim::CategoryCount& dominant = summary.dominant_barrier[b];
    fmt::print(out, "  {:<34} {:>9.3f} {:>16.1f}%\n", dominant.name, summary.mean_barrier[b],
               100.0 * share_of(dominant.count, summary.hcps));
  }
  fmt::print(out, "\n{:<36} {:>9} {:>17}\n", "channel", "reachable", "mean affinity");
  for (const sim::ChannelSummary& channel : summary.channels) {
    fmt::print(out, "  {:<34} {:>8.1f}% {:>17.2f}\n", channel.name, 100.0 * channel.reachable_share,
               channel.mean_affinity);
  }
  const sim::NetworkSummary& network = summary.network;
  fmt::print(out, "\nPeer network: {} ties, mean degree {:.2f}, max degree {}, isolated {:.1f}%\n",
             network.ties, network.mean_degree, network.max_degree, 100.0 * network.isolated_share);
  fmt::print(out,
             "  ties inside a practice {:.1f}%, inside a region {:.1f}%, "
             "opinion leaders' mean degree {:.1f}\n",
             100.0 * network.within_practice_tie_share, 100.0 * network.within_region_tie_share,
             network.opinion_leader_mean_degree);
}

void print_hcp_profile(std::ostream& out, const sim::Scenario& scenario,
                       const agents::Population& population, const agents::PeerNetwork& network,
                       std::uint32_t hcp) {
  const agents::PopulationSpec& spec = scenario.population;
  fmt::print(out, "HCP {} of scenario '{}': {} in a {} practice in region {}, segment {}\n", hcp,
             scenario.name, spec.specialties[population.specialty[hcp]],
             spec.practice_settings[population.practice_setting[hcp]].name,
             spec.regions[population.region[hcp]].name,
             spec.segments[population.segment[hcp]].name);
  fmt::print(out, "  starts {}; {}; {}; {:.1f} eligible patients a month; {} peers\n",
             agents::stage_name(population.start_stage[hcp]),
             population.known[hcp] != 0 ? "known to the CRM" : "anonymous (not addressable)",
             population.opinion_leader[hcp] != 0 ? "an opinion leader" : "not an opinion leader",
             population.patients_per_month[hcp], network.degree(hcp));
  std::string barriers;
  for (const agents::Barrier b : agents::kAllBarriers) {
    barriers += fmt::format("{}{} {:.2f}", barriers.empty() ? "" : ", ", agents::barrier_name(b),
                            population.start_barriers[hcp][static_cast<std::size_t>(b)]);
  }
  fmt::print(out, "  hidden barriers (the journeys cannot see these): {}\n", barriers);
  std::string reachable;
  const auto& channels = scenario.catalogue.channels;
  for (std::uint16_t c = 0; c < channels.size(); ++c) {
    if (population.reachable(hcp, c, channels[c])) {
      reachable += fmt::format("{}{}", reachable.empty() ? "" : ", ", channels[c].name);
    }
  }
  fmt::print(out, "  reachable through: {}\n", reachable.empty() ? "no channel" : reachable);
}

void print_hcp_ending(std::ostream& out, const sim::Scenario& scenario,
                      const sim::HcpOutcome& outcome) {
  fmt::print(out, "\nBy day {}: {}; ", scenario.horizon_days,
             agents::stage_name(outcome.final_stage));
  if (outcome.first_prescription_day >= 0) {
    fmt::print(out, "first prescription on day {}, {:.1f} prescriptions; ",
               outcome.first_prescription_day, outcome.prescriptions);
  } else if (outcome.prescriptions > 0.0F) {
    fmt::print(out, "prescribing from the start, {:.1f} prescriptions; ", outcome.prescriptions);
  } else {
    fmt::print(out, "never prescribed; ");
  }
  fmt::print(out, "{} touches, {} engaged, cost {:.0f} {}; strongest barrier now {}\n",
             outcome.touches, outcome.engagements, outcome.cost, scenario.currency,
             agents::barrier_name(outcome.final_dominant_barrier));
}

}  // namespace journeysim::reports
