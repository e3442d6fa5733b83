#pragma once
// Loading the response model's parameters (agents/response_model.hpp) from the
// manifest's `model:` section and its optional stage hazard table.
#include <filesystem>
#include <vector>

#include "agents/response_model.hpp"
#include "sim/detail/yaml_fields.hpp"

namespace journeysim::sim::detail {

// Reads `model:`; every field is optional with the default documented in
// docs/model.md and scenarios/README.md. A `stage_hazards` CSV, if named, is
// resolved against folder and added to files_read. Throws agents::InputError.
agents::ModelParams read_model(const YamlMap& top, const std::filesystem::path& folder,
                               std::vector<std::filesystem::path>& files_read);

}  // namespace journeysim::sim::detail
