#include "reports/vega_lite.hpp"

namespace journeysim::reports::vl {

const std::vector<std::string>& okabe_ito() {
  // Orange, sky blue, bluish green, vermillion, reddish purple, blue.
  static const std::vector<std::string> colors = {"#E69F00", "#56B4E9", "#009E73",
                                                  "#D55E00", "#CC79A7", "#0072B2"};
  return colors;
}

std::string arm_label(std::string_view name, bool control) {
  std::string label(name);
  if (control) label += " (control)";
  return label;
}

nlohmann::json arm_color_scale(const std::vector<std::string>& labels, std::size_t control) {
  nlohmann::json range = nlohmann::json::array();
  std::size_t next = 0;
  for (std::size_t a = 0; a < labels.size(); ++a) {
    if (a == control) {
      range.push_back(kControlColor);
    } else {
      range.push_back(okabe_ito()[next++ % okabe_ito().size()]);
    }
  }
  return {{"domain", labels}, {"range", range}};
}

nlohmann::json base_spec(std::string_view title, std::string_view subtitle, nlohmann::json rows) {
  nlohmann::json spec = {{"$schema", kSchema}, {"config", config()}};
  spec["title"] = {{"text", title}, {"anchor", "start"}};
  if (!subtitle.empty()) spec["title"]["subtitle"] = subtitle;
  spec["data"] = {{"values", std::move(rows)}};
  return spec;
}

nlohmann::json channel(std::string_view field, std::string_view type, std::string_view title) {
  return {{"field", field}, {"type", type}, {"title", title}};
}

nlohmann::json arm_color(const std::vector<std::string>& labels, std::size_t control,
                         std::string_view field) {
  nlohmann::json color = channel(field, "nominal", "Arm");
  color["scale"] = arm_color_scale(labels, control);
  color["sort"] = labels;
  return color;
}

nlohmann::json config() {
  return {{"font", "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
          {"view", {{"stroke", nullptr}}},
          {"title", {{"fontSize", 15}, {"subtitleFontSize", 12}, {"subtitleColor", "#555555"}}},
          {"axis", {{"labelFontSize", 11}, {"titleFontSize", 12}, {"labelLimit", 220}}},
          {"legend", {{"labelFontSize", 11}, {"titleFontSize", 12}, {"labelLimit", 260}}},
          {"header", {{"labelFontSize", 12}, {"titleFontSize", 12}}}};
}

}  // namespace journeysim::reports::vl
