#pragma once
// A self-contained HTML page of sections with Vega-Lite charts: the charting
// libraries are embedded, so the file opens offline, prints and can be mailed.
// Shared by every HTML report (run, and later sweep and calibrate).
//
// Not installed with the library: its API is nlohmann::json (see vega_lite.hpp).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace journeysim::reports {

// One chart: a complete Vega-Lite spec with its data inline. name is the file
// stem of charts/NAME.vl.json and must be made of [a-z0-9_-].
struct Chart {
  std::string name;
  nlohmann::json spec;
  std::string caption_html;  // Shown under the chart; may be empty.
};

// A piece of a section: HTML text, then a chart if there is one.
struct Block {
  std::string html;
  std::optional<Chart> chart;
};

// A numbered section of the page. id is the HTML anchor.
struct Section {
  std::string id;
  std::string title;
  std::vector<Block> blocks;
};

struct Page {
  std::string title;       // Plain text: the <title> and the heading.
  std::string intro_html;  // Under the heading.
  std::vector<Section> sections;
  std::string footer_html;  // At the end, e.g. what wrote the page.
};

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string escape_html(std::string_view text);

// The whole page as one HTML document: inline CSS, the embedded libraries
// (with their licence notices in a comment), each chart's spec in a JSON
// script element, and the script that draws them as SVG with vega-embed.
// Throws std::invalid_argument for a chart name outside [a-z0-9_-] or a repeated one.
std::string render_page(const Page& page);

// Writes folder/charts/NAME.vl.json for every chart, then folder/file_name.
// Each file is written whole or not at all (AtomicFile); an old file_name is
// removed first, so a failed write leaves none, and charts/*.vl.json files
// this page does not write are removed. Throws std::runtime_error on a write error.
void write_page(const std::filesystem::path& folder, std::string_view file_name, const Page& page);

}  // namespace journeysim::reports
