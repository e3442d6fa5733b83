#pragma once
// The synthetic HCP population: what a scenario says about it (PopulationSpec)
// and the immutable population drawn from that (Population).
//
// The population is stored as a structure of arrays: the engine's daily loop
// reads a few fields of many HCPs, so each field is one contiguous array.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/channel.hpp"
#include "agents/stage.hpp"

namespace journeysim::agents {

// A named category with its share of the population, in [0, 1].
struct CategoryShare {
  std::string name;
  double share = 0.0;
};

// A practice setting (hospital, group practice, solo practice) and the mean
// number of HCPs per practice in it (>= 1).
struct PracticeSetting {
  std::string name;
  double mean_practice_size = 1.0;
};

// Barrier strength at the start is drawn from Beta(mean * concentration,
// (1 - mean) * concentration); concentration 0 fixes it at mean.
struct BarrierDistribution {
  double mean = 0.0;           // In [0, 1].
  double concentration = 0.0;  // >= 0; larger means less spread between HCPs.
};

// How one segment relates to one channel.
struct ChannelPreference {
  double affinity_mean = 0.0;  // Mean affinity, on the logit scale of engagement.
  double affinity_sd = 0.0;    // Spread of affinity between HCPs; >= 0.
  double consent_share = 0.0;  // Share of known HCPs who consented, in [0, 1].
};

// A segment of the population: its share, the specialty and setting of its
// HCPs, and the distributions their hidden attributes are drawn from.
struct Segment {
  std::string name;
  double share = 0.0;
  std::uint16_t specialty = 0;           // Index into PopulationSpec::specialties.
  std::uint8_t practice_setting = 0;     // Index into PopulationSpec::practice_settings.
  double opinion_leader_share = 0.0;     // In [0, 1].
  double patients_per_month_mean = 0.0;  // Eligible patients per month; > 0.
  double patients_per_month_cv = 0.0;    // Coefficient of variation (Gamma draw); >= 0.
  std::array<BarrierDistribution, kBarrierCount> barriers{};
  std::array<double, kStageCount> start_stage_shares{};  // Sums to 1.
  std::vector<ChannelPreference> channels;               // One per channel, in channel order.
};

// One row of a CRM-style roster. Only declared columns are kept: the source
// identifier is used to resolve edges and to make a salted pseudonym, and is
// never written to any output.
struct RosterRow {
  std::string source_id;
  std::uint16_t specialty = 0;
  std::uint8_t practice_setting = 0;
  std::uint16_t region = 0;
  std::optional<std::uint8_t> career_stage;
  std::optional<std::string> practice;  // Practice identifier; none = assigned synthetically.
  std::optional<float> patients_per_month;
  std::optional<bool> opinion_leader;
  std::optional<bool> known;
  std::size_t line = 0;  // Line in the roster file, for messages.
};

// Everything the scenario says about the population.
struct PopulationSpec {
  std::uint32_t size = 0;    // HCPs to synthesise (for a roster: the size after resampling).
  double known_share = 1.0;  // Share of HCPs known (addressable), in [0, 1].
  std::vector<std::string> specialties;
  std::vector<PracticeSetting> practice_settings;
  std::vector<CategoryShare> regions;        // Shares sum to 1.
  std::vector<CategoryShare> career_stages;  // Shares sum to 1.
  std::vector<Segment> segments;             // Shares sum to 1.
  // A roster, when the population comes from a CRM extract. Each row keeps its
  // observed attributes; hidden ones are drawn from a segment of the same
  // specialty and setting. Rows beyond the roster are resampled from it.
  std::vector<RosterRow> roster;
  std::string pseudonym_salt;  // Keys the roster pseudonyms.
};

// The immutable population of one replication. Index i in every array is HCP i.
struct Population {
  std::uint32_t size = 0;
  std::uint16_t channel_count = 0;

  std::vector<std::uint16_t> segment;
  std::vector<std::uint16_t> specialty;
  std::vector<std::uint8_t> practice_setting;
  std::vector<std::uint16_t> region;
  std::vector<std::uint8_t> career_stage;
  std::vector<std::uint32_t> practice;  // Practice id, 0-based, dense.
  std::vector<float> patients_per_month;
  std::vector<std::uint8_t> opinion_leader;  // 0 or 1.
  std::vector<std::uint8_t> known;           // 0 or 1: addressable HCP.
  std::vector<Stage> start_stage;
  std::vector<BarrierVector> start_barriers;
  std::vector<float> affinity;         // size * channel_count, row per HCP.
  std::vector<std::uint32_t> consent;  // Bit c set: consented to channel c.
  // Salted pseudonym of the roster row an HCP came from; empty for synthetic HCPs.
  std::vector<std::uint64_t> pseudonym;
  // For a roster population: the roster row each HCP was copied from.
  std::vector<std::uint32_t> roster_row;

  // Affinity of HCP i for channel c, on the logit scale.
  float channel_affinity(std::uint32_t hcp, std::uint16_t channel) const noexcept {
    return affinity[static_cast<std::size_t>(hcp) * channel_count + channel];
  }
  // True if channel c can reach HCP i: non-addressable channels reach anyone;
  // addressable ones need a known HCP who consented.
  bool reachable(std::uint32_t hcp, std::uint16_t channel, const Channel& spec) const noexcept {
    if (!spec.addressable) return true;
    return known[hcp] != 0 && ((consent[hcp] >> channel) & 1U) != 0;
  }
  // The barrier with the largest starting strength (ties go to the first).
  Barrier dominant_barrier(std::uint32_t hcp) const noexcept;
};

// Bytes a population of this many HCPs and channels occupies, network excluded.
std::uint64_t population_bytes(std::uint64_t hcps, std::size_t channels) noexcept;

// Draws the population of one replication. Every HCP's draws come from streams
// keyed by (seed, replication, HCP, purpose), so the result is identical for
// any thread count. Requires a validated spec (throws std::logic_error if not).
Population synthesize_population(const PopulationSpec& spec, const std::vector<Channel>& channels,
                                 std::uint64_t seed, std::uint32_t replication);

}  // namespace journeysim::agents
