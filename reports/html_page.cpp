#include "reports/html_page.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "reports/atomic_file.hpp"
#include "reports/detail/web_assets.hpp"

namespace journeysim::reports {
namespace {

// Screen and print styles. Charts scale down rather than overflow (max-width
// on the SVG, which carries a viewBox), and nothing breaks across a printed page.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1b1b1b;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; box-sizing: border-box; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
p { margin: 6px 0; max-width: 70em; }
a { color: #0057a3; }
nav.toc ol { columns: 2; margin: 8px 0 0; padding-left: 22px; }
section.report-section { border-top: 1px solid #d6d6d6; margin-top: 32px; padding-top: 14px; }
.blocks { display: flex; flex-wrap: wrap; gap: 18px 36px; align-items: flex-start; }
.block { min-width: 0; max-width: 100%; }
.block.text { flex: 1 1 100%; }
.block.chart-only { flex: 0 1 auto; }
figure.chart { margin: 10px 0 0; max-width: 100%; }
figure.chart figcaption { color: #444; font-size: 13px; max-width: 62em; margin-top: 4px; }
.vega-chart, .vega-embed { max-width: 100%; }
.vega-embed svg { max-width: 100%; height: auto; }
.callout { background: #f3f6fa; border-left: 4px solid #0072B2; padding: 10px 16px; margin: 8px 0; }
.callout.warning { border-left-color: #D55E00; background: #fbf4ef; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0; }
.figure { border: 1px solid #d6d6d6; border-radius: 6px; padding: 8px 14px; min-width: 190px;
  flex: 1 1 190px; max-width: 280px; }
.figure .value { font-size: 20px; font-weight: 600; }
.figure .label { color: #555; font-size: 12px; }
table.data { border-collapse: collapse; margin: 8px 0; font-size: 13px;
  font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4;
  text-align: left; vertical-align: top; }
table.data th { background: #f6f6f6; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; }
table.data td.num { white-space: nowrap; }
table.data .ci { color: #555; font-size: 12px; }
.wide { max-width: 100%; overflow-x: auto; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.tables { display: flex; flex-wrap: wrap; gap: 8px 36px; align-items: flex-start; }
code, .command { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
.command { display: block; background: #f4f4f4; border: 1px solid #e0e0e0; border-radius: 4px;
  padding: 8px 12px; white-space: pre-wrap; word-break: break-all; }
.journey { border: 1px solid #cfcfcf; border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.journey .meta { color: #444; font-size: 13px; }
.steps { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 6px 4px; margin-top: 8px; }
.step { border: 1px solid #9a9a9a; border-left-width: 4px; border-radius: 4px; padding: 4px 8px;
  background: #fafafa; font-size: 12.5px; max-width: 250px; min-width: 120px; }
.step .head { font-weight: 600; }
.step .kind { color: #555; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.03em; }
.step .goto { color: #444; font-size: 12px; }
.step.k-send { border-left-color: #0072B2; }
.step.k-suggest { border-left-color: #009E73; }
.step.k-wait, .step.k-wait_until { border-left-color: #E69F00; }
.step.k-split, .step.k-random_split, .step.k-policy { border-left-color: #CC79A7; }
.step.k-exit { border-left-color: #555; }
.arrow { align-self: center; color: #666; font-size: 16px; padding: 0 2px; }
footer { margin-top: 40px; color: #555; font-size: 12px; border-top: 1px solid #d6d6d6;
  padding-top: 8px; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.report-section { margin-top: 18px; }
  h2, h3 { break-after: avoid; }
  .block, figure.chart, table.data, .journey, .step, .callout, .figure { break-inside: avoid; }
  .vega-embed svg { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
}
)css";

// Draws every chart as SVG once the libraries are loaded. A chart that fails
// says so in place and on the console (which the browser test watches).
constexpr std::string_view kDrawScript = R"js(
(function () {
  var options = { actions: false, renderer: 'svg', mode: 'vega-lite' };
  document.querySelectorAll('div.vega-chart').forEach(function (element) {
    var spec = JSON.parse(document.getElementById(element.dataset.spec).textContent);
    vegaEmbed(element, spec, options).catch(function (error) {
      element.textContent = 'This chart could not be drawn: ' + error;
      console.error(error);
    });
  });
})();
)js";

void check_chart_name(const std::string& name) {
  const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!valid) throw std::invalid_argument("chart name '" + name + "' is not made of [a-z0-9_-]");
}

// JSON text safe inside <script>: every '<' written as \u003c, so neither
// "</script>" nor "<!--" can appear, and the JSON still parses the same.
std::string script_json(const nlohmann::json& spec) {
  const std::string text = spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// A source-map comment would point at a file that is not there.
std::string_view without_source_map(std::string_view script) {
  const std::size_t at = script.rfind("//# sourceMappingURL=");
  return at == std::string_view::npos ? script : script.substr(0, at);
}

// Text safe inside an HTML comment: no "--".
std::string comment_text(std::string_view text) {
  std::string out(text);
  for (std::size_t at = out.find("--"); at != std::string::npos; at = out.find("--", at)) {
    out.replace(at, 2, "- -");
  }
  return out;
}

void append_licenses(std::string& html) {
  html +=
      "<!--\nThird-party software embedded in this page (from the npm registry, "
      "reports/web/package-lock.json pins the versions). Each minified bundle also "
      "contains the packages it depends on (d3 modules and others) under ISC, MIT or "
      "BSD-3-Clause licences; see each package's LICENSE file.\n";
  for (const detail::WebLibrary& library : detail::web_libraries()) {
    html += "\n==== " + std::string(library.name) + " ====\n";
    html += comment_text(library.license);
  }
  html += "\n-->\n";
}

void append_scripts(std::string& html) {
  for (const detail::WebLibrary& library : detail::web_libraries()) {
    const std::string_view script = without_source_map(library.script);
    if (script.find("</script") != std::string_view::npos) {
      throw std::logic_error(std::string(library.name) + " contains </script>");
    }
    html += "<script>/* ";
    html += library.name;
    html += " */\n";
    html += script;
    html += "\n</script>\n";
  }
}

void append_chart(std::string& html, const Chart& chart) {
  html += "<figure class=\"chart\" id=\"chart-" + chart.name + "\">";
  html += "<div class=\"vega-chart\" data-spec=\"spec-" + chart.name + "\"></div>";
  html += "<script type=\"application/json\" id=\"spec-" + chart.name + "\">";
  html += script_json(chart.spec);
  html += "</script>";
  if (!chart.caption_html.empty()) html += "<figcaption>" + chart.caption_html + "</figcaption>";
  html += "</figure>\n";
}

void append_section(std::string& html, const Section& section, std::size_t number) {
  html += "<section class=\"report-section\" id=\"" + escape_html(section.id) + "\">\n";
  html += "<h2>" + std::to_string(number) + ". " + escape_html(section.title) + "</h2>\n";
  html += "<div class=\"blocks\">\n";
  for (const Block& block : section.blocks) {
    html += block.html.empty() ? "<div class=\"block chart-only\">" : "<div class=\"block text\">";
    html += block.html;
    if (block.chart) append_chart(html, *block.chart);
    html += "</div>\n";
  }
  html += "</div>\n</section>\n";
}

void append_contents(std::string& html, const Page& page) {
  html += "<nav class=\"toc\"><ol>";
  for (const Section& section : page.sections) {
    html += "<li><a href=\"#" + escape_html(section.id) + "\">" + escape_html(section.title) +
            "</a></li>";
  }
  html += "</ol></nav>\n";
}

std::vector<const Chart*> charts_of(const Page& page) {
  std::vector<const Chart*> charts;
  std::set<std::string> names;
  for (const Section& section : page.sections) {
    for (const Block& block : section.blocks) {
      if (!block.chart) continue;
      check_chart_name(block.chart->name);
      if (!names.insert(block.chart->name).second) {
        throw std::invalid_argument("chart name '" + block.chart->name + "' is used twice");
      }
      charts.push_back(&*block.chart);
    }
  }
  return charts;
}

void remove_stale_charts(const std::filesystem::path& charts_folder,
                         const std::vector<const Chart*>& charts) {
  std::set<std::string> keep;
  for (const Chart* chart : charts) keep.insert(chart->name + ".vl.json");
  for (const auto& entry : std::filesystem::directory_iterator(charts_folder)) {
    const std::string name = entry.path().filename().string();
    const bool is_spec = name.size() > 8 && name.ends_with(".vl.json");
    if (is_spec && !keep.contains(name)) std::filesystem::remove(entry.path());
  }
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_page(const Page& page) {
  charts_of(page);  // Checks the names before anything is built.
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + escape_html(page.title) + "</title>\n";
  append_licenses(html);
  html += "<style>";
  html += kStyle;
  html += "</style>\n";
  append_scripts(html);
  html += "</head>\n<body>\n<main>\n";
  html += "<header><h1>" + escape_html(page.title) + "</h1>\n" + page.intro_html + "</header>\n";
  append_contents(html, page);
  for (std::size_t s = 0; s < page.sections.size(); ++s) {
    append_section(html, page.sections[s], s + 1);
  }
  if (!page.footer_html.empty()) html += "<footer>" + page.footer_html + "</footer>\n";
  html += "</main>\n<script>";
  html += kDrawScript;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

void write_page(const std::filesystem::path& folder, std::string_view file_name, const Page& page) {
  const std::filesystem::path target = folder / file_name;
  std::filesystem::remove(target);
  const std::vector<const Chart*> charts = charts_of(page);
  const std::string html = render_page(page);
  const std::filesystem::path charts_folder = folder / "charts";
  std::filesystem::create_directories(charts_folder);
  for (const Chart* chart : charts) {
    AtomicFile file(charts_folder / (chart->name + ".vl.json"));
    file.stream() << chart->spec.dump(1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
    file.commit();
  }
  remove_stale_charts(charts_folder, charts);
  AtomicFile file(target);
  file.stream() << html;
  file.commit();
}

}  // namespace journeysim::reports
