#pragma once
// Tidy CSV of a synthetic population and its peer network, for inspection.
// Columns are documented in docs/outputs.md. The first line is a '#' comment
// carrying the schema version, scenario, hash, seed and replication; readers
// skip it with comment='#' (pandas) or comment.char='#' (R).
#include <cstdint>
#include <ostream>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "sim/scenario.hpp"

namespace journeysim::reports {

inline constexpr int kPopulationCsvSchema = 1;

// Which draw a file belongs to.
struct DrawId {
  std::uint64_t seed = 0;
  std::uint32_t replication = 0;
};

// One row per HCP. Identifiers are the HCP index and, for roster HCPs, a
// salted pseudonym; no roster identifier, name or licence number is written.
void write_population_csv(std::ostream& out, const sim::Scenario& scenario,
                          const agents::Population& population, DrawId draw);

// One row per undirected tie (from < to), with its weight.
void write_edges_csv(std::ostream& out, const sim::Scenario& scenario,
                     const agents::PeerNetwork& network, DrawId draw);

}  // namespace journeysim::reports
