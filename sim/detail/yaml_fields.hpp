#pragma once
// Typed, located access to a YAML manifest: every failed read throws
// agents::InputError naming the file, the line and the dotted field path.
// yaml-cpp stays out of public headers: only sim's .cpp files include this.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/input_error.hpp"

namespace journeysim::sim::detail {

// One YAML mapping, with where it came from.
class YamlMap {
 public:
  // Throws InputError if node is defined but not a mapping.
  YamlMap(YAML::Node node, std::string file, std::string path);

  // Loads and parses a YAML file; throws InputError on a missing file or a syntax error.
  static YamlMap load_file(const std::filesystem::path& file);

  bool has(std::string_view key) const;
  // Throws InputError for any key not in allowed (catches typos in field names).
  void reject_unknown_keys(std::initializer_list<std::string_view> allowed) const;

  std::string required_string(std::string_view key) const;
  std::string string_or(std::string_view key, std::string fallback) const;
  double required_number(std::string_view key) const;
  double number_or(std::string_view key, double fallback) const;
  // A share or probability in [0, 1].
  double share_or(std::string_view key, double fallback) const;
  double required_share(std::string_view key) const;
  // A whole number in [min, max].
  std::int64_t integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) const;
  std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) const;
  // A child mapping; an absent key gives an empty map.
  YamlMap map(std::string_view key) const;
  // The keys of this mapping, in file order.
  std::vector<std::string> keys() const;

  // Location of a key (its line if present, else this map's line).
  agents::InputLocation where(std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

  const std::string& file() const noexcept { return file_; }
  const std::string& path() const noexcept { return path_; }
  const YAML::Node& node() const noexcept { return node_; }

 private:
  YAML::Node child(std::string_view key) const;
  double as_number(std::string_view key, const YAML::Node& value) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
};

}  // namespace journeysim::sim::detail
