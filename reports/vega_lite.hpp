#pragma once
// Small helpers to build Vega-Lite chart specs (https://vega.github.io/vega-lite/)
// with nlohmann::json, shared by every HTML report: a base spec with inline
// data, encoding channels, and colour-blind-safe colours for arms.
//
// Not installed with the library: its API is nlohmann::json, which the
// installed headers keep out.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace journeysim::reports::vl {

// The Vega-Lite schema the specs are written for (major version of the
// embedded library); notebooks read it to pick the renderer.
inline constexpr std::string_view kSchema = "https://vega.github.io/schema/vega-lite/v6.json";

// Width in pixels that a single full-width chart's plot area may take so that
// it, its axis labels and a legend on the right fit a 1280 px wide window.
inline constexpr int kFullWidth = 780;

// Okabe & Ito (2008), "Color universal design", without black and yellow:
// distinguishable under the common colour-vision deficiencies, and readable on white.
const std::vector<std::string>& okabe_ito();

// Colour of the control arm: black, so it stands apart from every other arm.
inline constexpr std::string_view kControlColor = "#000000";

// Label of an arm in charts: its name, with " (control)" after the control's.
std::string arm_label(std::string_view name, bool control);

// A colour scale over arm labels (domain in the given order): the control in
// black, the other arms in Okabe-Ito order, cycling after six.
nlohmann::json arm_color_scale(const std::vector<std::string>& labels, std::size_t control);

// A complete single-view or composite spec skeleton: $schema, a title with an
// optional subtitle, the rows as inline data (data.values), and the shared config.
nlohmann::json base_spec(std::string_view title, std::string_view subtitle, nlohmann::json rows);

// An encoding channel {field, type, title}; type is "quantitative", "nominal",
// "ordinal" or "temporal".
nlohmann::json channel(std::string_view field, std::string_view type, std::string_view title);

// A nominal colour channel over arm labels with the arm colour scale.
nlohmann::json arm_color(const std::vector<std::string>& labels, std::size_t control,
                         std::string_view field = "arm");

// Shared look: font sizes, no chart border, legend and axis padding.
nlohmann::json config();

}  // namespace journeysim::reports::vl
