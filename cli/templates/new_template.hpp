#pragma once
// The files of the `journeysim new` scenario template (cli/templates/new/),
// embedded in the binary at build time by cli/templates/embed_template.cmake.
#include <span>
#include <string_view>

namespace journeysim::cli {

// One template file: its path inside the scenario folder ('/'-separated) and its bytes.
struct TemplateFile {
  std::string_view path;
  std::string_view text;
};

// The template's files, manifest first, in the order cli/templates/new_template.cmake lists them.
std::span<const TemplateFile> new_scenario_template() noexcept;

}  // namespace journeysim::cli
