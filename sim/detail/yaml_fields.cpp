#include "sim/detail/yaml_fields.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "sim/detail/plain_text.hpp"

namespace journeysim::sim::detail {
namespace {

std::size_t line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? static_cast<std::size_t>(mark.line) + 1 : 0;
}

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace

YamlMap::YamlMap(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    throw agents::InputError({file_, line_of(node_), path_.empty() ? "<top>" : path_},
                             "expected a mapping of 'key: value' lines");
  }
  // yaml-cpp keeps the first of two equal keys silently; a repeated field is
  // almost always a mistake, so refuse it.
  if (!node_.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      throw agents::InputError({file_, line_of(entry.first), join_path(path_, key)},
                               "field listed twice");
    }
  }
}

YamlMap YamlMap::load_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code status;
  if (!std::filesystem::exists(file, status)) {
    throw agents::InputError({name, 0, ""}, "no such scenario file");
  }
  const std::string content = read_text_file(name);
  check_plain_text(name, content);
  try {
    return YamlMap(YAML::Load(content), name, "");
  } catch (const YAML::ParserException& error) {
    throw agents::InputError({name, static_cast<std::size_t>(error.mark.line + 1), ""},
                             "malformed YAML: " + error.msg);
  } catch (const YAML::BadFile&) {
    throw agents::InputError({name, 0, ""}, "cannot read the file");
  }
}

// Looks the key up by iterating, not with operator[]: yaml-cpp's operator[]
// on a missing key yields a node that throws when asked anything further.
YAML::Node YamlMap::child(std::string_view key) const {
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool YamlMap::has(std::string_view key) const {
  const YAML::Node value = child(key);
  return value.IsDefined() && !value.IsNull();
}

agents::InputLocation YamlMap::where(std::string_view key) const {
  const YAML::Node value = child(key);
  const std::size_t line = value.IsDefined() ? line_of(value) : line_of(node_);
  return {file_, line, join_path(path_, key)};
}

void YamlMap::fail(std::string_view key, const std::string& message) const {
  throw agents::InputError(where(key), message);
}

void YamlMap::reject_unknown_keys(std::initializer_list<std::string_view> allowed) const {
  if (!node_.IsMap()) return;
  for (const auto& entry : node_) {
    const std::string key = entry.first.as<std::string>();
    bool known = false;
    for (const std::string_view name : allowed) known = known || name == key;
    if (!known) {
      throw agents::InputError(
          {file_, line_of(entry.first), join_path(path_, key)},
          fmt::format("unknown field; expected one of: {}", fmt::join(allowed, ", ")));
    }
  }
}

std::string YamlMap::required_string(std::string_view key) const {
  if (!has(key)) fail(key, "is required");
  const YAML::Node value = child(key);
  if (!value.IsScalar()) fail(key, "expected a single text value");
  return value.as<std::string>();
}

std::string YamlMap::string_or(std::string_view key, std::string fallback) const {
  return has(key) ? required_string(key) : fallback;
}

double YamlMap::as_number(std::string_view key, const YAML::Node& value) const {
  double number = 0.0;
  if (!value.IsScalar() || !YAML::convert<double>::decode(value, number) ||
      !std::isfinite(number)) {
    fail(key, fmt::format("expected a number, found '{}'",
                          value.IsScalar() ? value.Scalar() : std::string("a list or mapping")));
  }
  return number;
}

double YamlMap::required_number(std::string_view key) const {
  if (!has(key)) fail(key, "is required");
  return as_number(key, child(key));
}

double YamlMap::number_or(std::string_view key, double fallback) const {
  return has(key) ? required_number(key) : fallback;
}

double YamlMap::required_share(std::string_view key) const {
  const double value = required_number(key);
  if (value < 0.0 || value > 1.0) {
    fail(key, fmt::format("expected a share or probability in [0, 1], found {}", value));
  }
  return value;
}

double YamlMap::share_or(std::string_view key, double fallback) const {
  return has(key) ? required_share(key) : fallback;
}

std::optional<std::int64_t> YamlMap::optional_integer(std::string_view key, std::int64_t min,
                                                      std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  const double value = required_number(key);
  if (value != std::floor(value) || value < static_cast<double>(min) ||
      value > static_cast<double>(max)) {
    fail(key, fmt::format("expected a whole number in [{}, {}], found {}", min, max,
                          child(key).Scalar()));
  }
  return static_cast<std::int64_t>(value);
}

std::int64_t YamlMap::integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
  return optional_integer(key, min, max).value_or(fallback);
}

YamlMap YamlMap::map(std::string_view key) const {
  return YamlMap(child(key), file_, join_path(path_, key));
}

std::vector<std::string> YamlMap::keys() const {
  std::vector<std::string> names;
  if (!node_.IsMap()) return names;
  for (const auto& entry : node_) names.push_back(entry.first.as<std::string>());
  return names;
}

}  // namespace journeysim::sim::detail
