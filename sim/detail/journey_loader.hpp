#pragma once
// Loading and validating the journey language (sim/journey.hpp) from YAML.
// Internal to sim: yaml-cpp stays out of public headers.
#include <filesystem>
#include <string>
#include <vector>

#include "agents/channel.hpp"
#include "agents/population.hpp"
#include "sim/detail/yaml_fields.hpp"
#include "sim/journey.hpp"

namespace journeysim::sim::detail {

// What journey files may refer to.
struct JourneyContext {
  const agents::PopulationSpec& population;   // Attribute value names (specialty, region, ...).
  const agents::ChannelCatalogue& catalogue;  // Channels and content, by name.
  std::filesystem::path folder;               // The manifest's folder: journey paths are relative.
};

// Parses and validates one journey file. Throws agents::InputError naming the
// file, the line, and a field of the form "journey NAME, step ID: FIELD".
// Validation rejects: a cycle of steps with no wait longer than zero (found
// with Boost.Graph), a reference to an unknown step, channel, content item,
// attribute value, stage or barrier, content not allowed on its channel, a
// split with no else branch, a negative or non-integer wait, and weights that
// are not positive. Steps that no path reaches are reported in warnings.
Journey load_journey(const std::filesystem::path& file, const JourneyContext& context,
                     std::vector<std::string>& warnings);

// Reads the manifest's `arms` list (each: name, description, journeys: [files])
// or, without it, makes one arm per file of the `journeys` list. Adds every
// file read to files_read (for the scenario hash). Throws agents::InputError.
std::vector<Arm> read_arms(const YamlMap& top, const JourneyContext& context,
                           std::vector<std::filesystem::path>& files_read,
                           std::vector<std::string>& warnings);

// Reads the manifest's `caps` list: {channel: NAME|all, max_touches, window_days}.
std::vector<FrequencyCap> read_caps(const YamlMap& top, const agents::ChannelCatalogue& catalogue);

}  // namespace journeysim::sim::detail
