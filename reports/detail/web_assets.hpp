#pragma once
// The charting libraries embedded at build time (reports/web/web_assets.cmake):
// minified Vega, Vega-Lite and vega-embed, and their licence texts.
#include <span>
#include <string_view>

namespace journeysim::reports::detail {

// One embedded library: its name, its minified JavaScript and its licence text.
struct WebLibrary {
  std::string_view name;
  std::string_view script;
  std::string_view license;
};

// Vega, Vega-Lite and vega-embed, in the order a page must load them.
std::span<const WebLibrary> web_libraries() noexcept;

}  // namespace journeysim::reports::detail
