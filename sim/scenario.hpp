#pragma once
// A scenario: the validated, immutable description of one experiment, loaded
// from a YAML manifest and the CSV tables it names. The format is documented in
// scenarios/README.md.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agents/channel.hpp"
#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "agents/response_model.hpp"
#include "sim/journey.hpp"

namespace journeysim::sim {

// What the platform observes, and how well (scenarios/README.md, observation).
struct ObservationParams {
  std::uint32_t stage_lag_days = 14;  // The CRM sees stage changes this many days late.
  double rep_note_accuracy = 0.6;     // P(a call note names the true dominant barrier).
};

// What outcomes are worth to the company and what it may spend, in the
// scenario's currency (docs/economics.md). Each value is optional; an empty
// block is an error, and a scenario without the block has none of them.
struct EconomicValues {
  std::optional<double> value_per_trialist;      // One extra first prescriber.
  std::optional<double> value_per_adopter;       // One extra HCP adopted at the horizon.
  std::optional<double> value_per_prescription;  // One extra prescription in the horizon.
  std::optional<double> budget;                  // Cap on an arm's total cost, whole population.

  // True if any outcome has a value (the budget alone is not a value).
  bool valued() const noexcept {
    return value_per_trialist || value_per_adopter || value_per_prescription;
  }
};

// A parameter set after loading (sim/parameters.hpp): its path, the value in
// force, and the value the scenario's files gave.
struct ParameterOverride {
  std::string path;
  double value = 0.0;
  double scenario_value = 0.0;
};

// The manifest schema this build reads.
inline constexpr int kScenarioSchemaVersion = 1;

struct Scenario {
  std::filesystem::path manifest;  // The scenario.yaml it was loaded from.
  std::string name;
  std::string description;
  std::string currency;    // Unit of every cost, e.g. "EUR".
  std::uint64_t seed = 1;  // Default seed; the CLI may override it.
  std::uint32_t horizon_days = 365;
  agents::PopulationSpec population;
  agents::NetworkSpec network;
  agents::ChannelCatalogue catalogue;
  agents::ModelParams model;
  ObservationParams observation;
  std::vector<Arm> arms;           // Every arm runs on the same population.
  std::vector<FrequencyCap> caps;  // Across all journeys an HCP is in.
  std::string control_arm;         // Name of the arm others are compared with.
  // The metric that decides: trial_rate, adoption_rate or prescriptions.
  std::string primary_metric = "trial_rate";
  EconomicValues economics;           // From the optional economics block.
  std::vector<std::string> warnings;  // Things worth a look that are not errors.
  // FNV-1a over the bytes of the manifest and every table it names, as 16 hex
  // digits: two runs with one hash and one seed used the same inputs.
  std::string content_hash;
  // Parameters overridden after loading, in the order first set; each one
  // also changed content_hash (sim/parameters.hpp).
  std::vector<ParameterOverride> overrides;
};

// Loads and validates a scenario. path is a scenario.yaml or a folder holding
// one. Throws agents::InputError naming the file, line and field of the first
// problem found.
Scenario load_scenario(const std::filesystem::path& path);

// Bytes of memory the population and network of this scenario need at peak.
std::uint64_t estimated_peak_bytes(const Scenario& scenario);

// Memory the system could give us now (MemAvailable in /proc/meminfo), or 0 if unknown.
std::uint64_t available_memory_bytes();

// Throws agents::InputError, naming population.size, if the population and its
// network would need more than available_bytes. Call it before synthesising.
void check_fits_in_memory(const Scenario& scenario, std::uint64_t available_bytes);

// Replaces the population size (for a roster: the size after resampling) and
// re-checks it; throws agents::InputError if size is 0 or below the roster size.
void override_population_size(Scenario& scenario, std::uint64_t size);

}  // namespace journeysim::sim
