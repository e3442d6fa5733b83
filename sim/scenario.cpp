#include "sim/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

#include "sim/detail/csv_rows.hpp"
#include "sim/detail/journey_loader.hpp"
#include "sim/detail/model_loader.hpp"
#include "sim/detail/yaml_fields.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;
using detail::CsvColumn;
using detail::CsvRows;
using detail::YamlMap;

// Shares given as a whole may be off 1 only by rounding.
constexpr double kShareSumTolerance = 1e-6;
// HCP indices are 32-bit; keep well clear of the top.
constexpr std::uint64_t kMaxPopulation = 1'000'000'000;

// Collects the bytes of every input file, for Scenario::content_hash.
class ContentHasher {
 public:
  void add_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    for (const char c : bytes.str()) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;  // FNV-1a 64-bit prime.
    }
  }
  std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// A file type in words, for messages.
std::string_view file_kind(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::directory:
      return "folder";
    case std::filesystem::file_type::fifo:
      return "FIFO";
    case std::filesystem::file_type::character:
    case std::filesystem::file_type::block:
      return "device";
    case std::filesystem::file_type::socket:
      return "socket";
    default:
      return "special file";
  }
}

// State shared while one scenario loads.
struct LoadContext {
  std::filesystem::path folder;
  ContentHasher hasher;

  // Resolves a table path given in the manifest, relative to the manifest's folder.
  std::string table(const YamlMap& map, std::string_view key) {
    const std::filesystem::path relative = map.required_string(key);
    const std::filesystem::path file = relative.is_absolute() ? relative : folder / relative;
    std::error_code error;
    const auto status = std::filesystem::status(file, error);
    if (status.type() == std::filesystem::file_type::not_found || error) {
      map.fail(key, fmt::format("file '{}' does not exist", file.string()));
    }
    if (status.type() != std::filesystem::file_type::regular) {
      map.fail(key, fmt::format("'{}' is not a regular file (a {}); a table must be a file",
                                file.string(), file_kind(status.type())));
    }
    hasher.add_file(file);
    return file.string();
  }
};

void check_share_sum(double sum, const agents::InputLocation& where, std::string_view what) {
  if (std::abs(sum - 1.0) > kShareSumTolerance) {
    throw InputError(where, fmt::format("{} sum to {:.6g}; expected 1", what, sum));
  }
}

// A YAML mapping of name: share, such as regions or career stages.
std::vector<agents::CategoryShare> read_shares(const YamlMap& parent, std::string_view key,
                                               std::vector<agents::CategoryShare> fallback) {
  if (!parent.has(key)) return fallback;
  const YamlMap map = parent.map(key);
  std::vector<agents::CategoryShare> shares;
  double sum = 0.0;
  for (const std::string& name : map.keys()) {
    shares.push_back({name, map.required_share(name)});
    sum += shares.back().share;
  }
  if (shares.empty()) parent.fail(key, "expected at least one 'name: share' entry");
  check_share_sum(sum, parent.where(key), "shares");
  return shares;
}

template <typename Named>
std::optional<std::size_t> find_named(const std::vector<Named>& items, std::string_view name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return i;
  }
  return std::nullopt;
}

// ---- channels, content and effects ---------------------------------------

std::vector<agents::Channel> read_channels(const std::string& file) {
  enum Col { name, addressable, reach, engagement, cost, capacity, fatigue };
  CsvRows<7> rows(file, {{{"channel", true},
                          {"addressable", true},
                          {"reach", true},
                          {"base_engagement", true},
                          {"cost", true},
                          {"capacity_per_week", false},
                          {"fatigue_weight", false}}});
  std::vector<agents::Channel> channels;
  while (rows.next()) {
    agents::Channel channel;
    channel.name = rows.text(name);
    if (find_named(channels, channel.name)) rows.fail(name, "channel listed twice");
    channel.addressable = rows.flag(addressable);
    channel.reach = rows.share(reach);
    channel.base_engagement =
        rows.number_in(engagement, 1e-9, 1.0 - 1e-9, "a probability strictly inside (0, 1)");
    channel.cost = rows.number_in(cost, 0.0, 1e12, "a cost >= 0");
    channel.capacity_per_week =
        rows.filled(capacity) ? rows.number_in(capacity, 0.0, 1e12, "a capacity >= 0") : 0.0;
    channel.fatigue_weight =
        rows.filled(fatigue) ? rows.number_in(fatigue, 0.0, 1e6, "a weight >= 0") : 1.0;
    channels.push_back(std::move(channel));
    if (channels.size() > agents::kMaxChannels) {
      rows.fail(name, fmt::format("at most {} channels are supported", agents::kMaxChannels));
    }
  }
  if (channels.empty()) throw InputError({file, 0, "channel"}, "the table has no channels");
  return channels;
}

std::vector<std::uint16_t> parse_channel_list(const CsvRows<5>& rows, std::size_t column,
                                              const std::vector<agents::Channel>& channels) {
  std::vector<std::uint16_t> allowed;
  std::stringstream list(rows.text(column));
  std::string name;
  while (std::getline(list, name, ';')) {
    const auto first = name.find_first_not_of(' ');
    const auto last = name.find_last_not_of(' ');
    if (first == std::string::npos) continue;
    name = name.substr(first, last - first + 1);
    const auto index = find_named(channels, name);
    if (!index) rows.fail(column, fmt::format("unknown channel '{}' in the channel list", name));
    allowed.push_back(static_cast<std::uint16_t>(*index));
  }
  if (allowed.empty()) rows.fail(column, "expected at least one channel, separated by ';'");
  return allowed;
}

std::vector<agents::ContentItem> read_content(const std::string& file,
                                              const std::vector<agents::Channel>& channels) {
  enum Col { name, format, minutes, source, allowed };
  CsvRows<5> rows(file, {{{"content", true},
                          {"format", true},
                          {"minutes", true},
                          {"source", false},
                          {"channels", true}}});
  std::vector<agents::ContentItem> items;
  while (rows.next()) {
    agents::ContentItem item;
    item.name = rows.text(name);
    if (find_named(items, item.name)) rows.fail(name, "content item listed twice");
    item.format = rows.text(format);
    item.minutes = rows.number_in(minutes, 1e-6, 24.0 * 60.0, "minutes in (0, 1440]");
    const std::string origin = rows.filled(source) ? rows.text(source) : "pharma";
    if (origin != "pharma" && origin != "independent") {
      rows.fail(source, fmt::format("expected 'pharma' or 'independent', found '{}'", origin));
    }
    item.independent_source = origin == "independent";
    item.allowed_channels = parse_channel_list(rows, allowed, channels);
    items.push_back(std::move(item));
  }
  if (items.empty()) throw InputError({file, 0, "content"}, "the table has no content items");
  return items;
}

void read_content_effects(const std::string& file, std::vector<agents::ContentItem>& items) {
  CsvRows<8> rows(file, {{{"content", true},
                          {"knowledge", true},
                          {"relevance", true},
                          {"peer", true},
                          {"workflow", true},
                          {"access", true},
                          {"time", true},
                          {"trust", true}}});
  std::vector<bool> seen(items.size(), false);
  while (rows.next()) {
    const auto index = find_named(items, rows.text(0));
    if (!index) {
      rows.fail(0, fmt::format("unknown content item '{}'; it is not in the content table",
                               rows.text(0)));
    }
    if (seen[*index]) rows.fail(0, "content item listed twice");
    seen[*index] = true;
    for (int b = 0; b < agents::kBarrierCount; ++b) {
      items[*index].effect[b] = static_cast<float>(rows.share(static_cast<std::size_t>(b) + 1));
    }
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!seen[i]) {
      throw InputError({file, 0, "content"},
                       fmt::format("no effect row for content item '{}'", items[i].name));
    }
  }
}

// ---- segments --------------------------------------------------------------

std::uint16_t intern(std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::uint16_t>(i);
  }
  names.push_back(name);
  return static_cast<std::uint16_t>(names.size() - 1);
}

void read_segments(const std::string& file, agents::PopulationSpec& spec, std::size_t channels) {
  enum Col { name, share, specialty, setting, leaders, patients, patients_cv };
  CsvRows<7> rows(file, {{{"segment", true},
                          {"share", true},
                          {"specialty", true},
                          {"practice_setting", true},
                          {"opinion_leader_share", true},
                          {"patients_per_month", true},
                          {"patients_per_month_cv", false}}});
  double sum = 0.0;
  while (rows.next()) {
    agents::Segment segment;
    segment.name = rows.text(name);
    if (find_named(spec.segments, segment.name)) rows.fail(name, "segment listed twice");
    segment.share = rows.share(share);
    sum += segment.share;
    segment.specialty = intern(spec.specialties, rows.text(specialty));
    const auto setting_index = find_named(spec.practice_settings, rows.text(setting));
    if (!setting_index) {
      rows.fail(setting, fmt::format("unknown practice setting '{}'; declare it under "
                                     "population.practice_settings",
                                     rows.text(setting)));
    }
    segment.practice_setting = static_cast<std::uint8_t>(*setting_index);
    segment.opinion_leader_share = rows.share(leaders);
    segment.patients_per_month_mean =
        rows.number_in(patients, 1e-9, 1e6, "eligible patients per month > 0");
    segment.patients_per_month_cv =
        rows.filled(patients_cv) ? rows.number_in(patients_cv, 0.0, 10.0, "a CV in [0, 10]") : 0.5;
    segment.start_stage_shares.fill(-1.0);  // Marks "not given yet".
    segment.channels.assign(channels, agents::ChannelPreference{});
    spec.segments.push_back(std::move(segment));
  }
  if (spec.segments.empty()) throw InputError({file, 0, "segment"}, "the table has no segments");
  check_share_sum(sum, {file, 0, "share"}, "segment shares");
}

template <std::size_t N>
std::size_t segment_of(const CsvRows<N>& rows, std::size_t column,
                       const agents::PopulationSpec& spec) {
  const auto index = find_named(spec.segments, rows.text(column));
  if (!index) {
    rows.fail(column, fmt::format("unknown segment '{}'; it is not in the segments table",
                                  rows.text(column)));
  }
  return *index;
}

void read_segment_barriers(const std::string& file, agents::PopulationSpec& spec) {
  enum Col { segment, barrier, mean, concentration };
  CsvRows<4> rows(
      file, {{{"segment", true}, {"barrier", true}, {"mean", true}, {"concentration", false}}});
  std::vector<std::array<bool, agents::kBarrierCount>> seen(spec.segments.size());
  while (rows.next()) {
    const std::size_t s = segment_of(rows, segment, spec);
    const auto b = agents::parse_barrier(rows.text(barrier));
    if (!b) {
      rows.fail(barrier, fmt::format("unknown barrier '{}'; expected knowledge, relevance, peer, "
                                     "workflow, access, time or trust",
                                     rows.text(barrier)));
    }
    const auto bi = static_cast<std::size_t>(*b);
    if (seen[s][bi]) rows.fail(barrier, "barrier listed twice for this segment");
    seen[s][bi] = true;
    spec.segments[s].barriers[bi].mean = rows.share(mean);
    spec.segments[s].barriers[bi].concentration =
        rows.filled(concentration) ? rows.number_in(concentration, 0.0, 1e6, "a concentration >= 0")
                                   : 10.0;
  }
  for (std::size_t s = 0; s < spec.segments.size(); ++s) {
    for (const agents::Barrier b : agents::kAllBarriers) {
      if (!seen[s][static_cast<std::size_t>(b)]) {
        throw InputError({file, 0, "barrier"},
                         fmt::format("segment '{}' has no row for barrier '{}'",
                                     spec.segments[s].name, agents::barrier_name(b)));
      }
    }
  }
}

void read_segment_stages(const std::string& file, agents::PopulationSpec& spec) {
  enum Col { segment, stage, share };
  CsvRows<3> rows(file, {{{"segment", true}, {"stage", true}, {"share", true}}});
  while (rows.next()) {
    const std::size_t s = segment_of(rows, segment, spec);
    const auto st = agents::parse_stage(rows.text(stage));
    if (!st) {
      rows.fail(stage, fmt::format("unknown stage '{}'; expected unaware, aware, considering, "
                                   "trialing, adopted or advocate",
                                   rows.text(stage)));
    }
    double& slot = spec.segments[s].start_stage_shares[static_cast<std::size_t>(*st)];
    if (slot >= 0.0) rows.fail(stage, "stage listed twice for this segment");
    slot = rows.share(share);
  }
  for (agents::Segment& seg : spec.segments) {
    double sum = 0.0;
    for (double& share_value : seg.start_stage_shares) {
      share_value = std::max(share_value, 0.0);  // A stage not listed starts no one.
      sum += share_value;
    }
    check_share_sum(sum, {file, 0, "share"},
                    fmt::format("starting stage shares of segment '{}'", seg.name));
  }
}

void read_segment_channels(const std::string& file, agents::PopulationSpec& spec,
                           const std::vector<agents::Channel>& channels) {
  enum Col { segment, channel, mean, sd, consent };
  CsvRows<5> rows(file, {{{"segment", true},
                          {"channel", true},
                          {"affinity_mean", true},
                          {"affinity_sd", false},
                          {"consent_share", false}}});
  std::vector<std::vector<bool>> seen(spec.segments.size(),
                                      std::vector<bool>(channels.size(), false));
  while (rows.next()) {
    const std::size_t s = segment_of(rows, segment, spec);
    const auto c = find_named(channels, rows.text(channel));
    if (!c) rows.fail(channel, fmt::format("unknown channel '{}'", rows.text(channel)));
    if (seen[s][*c]) rows.fail(channel, "channel listed twice for this segment");
    seen[s][*c] = true;
    agents::ChannelPreference& pref = spec.segments[s].channels[*c];
    pref.affinity_mean = rows.number_in(mean, -20.0, 20.0, "a logit-scale affinity in [-20, 20]");
    pref.affinity_sd = rows.filled(sd) ? rows.number_in(sd, 0.0, 20.0, "an sd in [0, 20]") : 0.5;
    if (channels[*c].addressable && !rows.filled(consent)) {
      rows.fail(consent, "required for an addressable channel");
    }
    pref.consent_share = rows.filled(consent) ? rows.share(consent) : 1.0;
  }
  for (std::size_t s = 0; s < spec.segments.size(); ++s) {
    for (std::size_t c = 0; c < channels.size(); ++c) {
      if (!seen[s][c]) {
        throw InputError({file, 0, "channel"},
                         fmt::format("segment '{}' has no row for channel '{}'",
                                     spec.segments[s].name, channels[c].name));
      }
    }
  }
}

// ---- roster ----------------------------------------------------------------

struct RosterContext {
  bool regions_given = false;  // Regions declared in the manifest, not derived.
  std::unordered_map<std::string, std::uint32_t> index_of_id;
};

std::uint16_t roster_region(const CsvRows<9>& rows, std::size_t column,
                            agents::PopulationSpec& spec, bool regions_given) {
  const std::string& name = rows.text(column);
  if (const auto index = find_named(spec.regions, name)) return static_cast<std::uint16_t>(*index);
  if (regions_given) {
    rows.fail(column, fmt::format("unknown region '{}'; it is not under population.regions", name));
  }
  spec.regions.push_back({name, 0.0});
  return static_cast<std::uint16_t>(spec.regions.size() - 1);
}

void read_roster(const std::string& file, agents::PopulationSpec& spec, RosterContext& context) {
  enum Col { id, specialty, setting, region, career, practice, patients, leader, known };
  CsvRows<9> rows(file, {{{"hcp_id", true},
                          {"specialty", true},
                          {"practice_setting", true},
                          {"region", true},
                          {"career_stage", false},
                          {"practice_id", false},
                          {"patients_per_month", false},
                          {"opinion_leader", false},
                          {"known", false}}});
  std::vector<std::uint32_t> region_counts;
  while (rows.next()) {
    agents::RosterRow row;
    row.line = rows.line();
    row.source_id = rows.text(id);
    const auto [it, inserted] = context.index_of_id.try_emplace(
        row.source_id, static_cast<std::uint32_t>(spec.roster.size()));
    if (!inserted) rows.fail(id, "hcp_id listed twice");
    const auto spec_index =
        std::find(spec.specialties.begin(), spec.specialties.end(), rows.text(specialty));
    if (spec_index == spec.specialties.end()) {
      rows.fail(specialty, fmt::format("specialty '{}' matches no segment", rows.text(specialty)));
    }
    row.specialty = static_cast<std::uint16_t>(spec_index - spec.specialties.begin());
    const auto setting_index = find_named(spec.practice_settings, rows.text(setting));
    if (!setting_index) {
      rows.fail(setting, fmt::format("unknown practice setting '{}'", rows.text(setting)));
    }
    row.practice_setting = static_cast<std::uint8_t>(*setting_index);
    const bool matched = std::any_of(spec.segments.begin(), spec.segments.end(), [&](auto& seg) {
      return seg.specialty == row.specialty && seg.practice_setting == row.practice_setting;
    });
    if (!matched) {
      rows.fail(setting, fmt::format("no segment has specialty '{}' in setting '{}'",
                                     rows.text(specialty), rows.text(setting)));
    }
    row.region = roster_region(rows, region, spec, context.regions_given);
    region_counts.resize(spec.regions.size(), 0);
    ++region_counts[row.region];
    if (rows.filled(career)) {
      const auto stage = find_named(spec.career_stages, rows.text(career));
      if (!stage) {
        rows.fail(career, fmt::format("unknown career stage '{}'; it is not under "
                                      "population.career_stages",
                                      rows.text(career)));
      }
      row.career_stage = static_cast<std::uint8_t>(*stage);
    }
    if (rows.filled(practice)) row.practice = rows.text(practice);
    if (rows.filled(patients)) {
      row.patients_per_month =
          static_cast<float>(rows.number_in(patients, 0.0, 1e6, "eligible patients >= 0"));
    }
    if (rows.filled(leader)) row.opinion_leader = rows.flag(leader);
    if (rows.filled(known)) row.known = rows.flag(known);
    spec.roster.push_back(std::move(row));
  }
  if (spec.roster.empty()) throw InputError({file, 0, "hcp_id"}, "the roster has no HCPs");
  if (!context.regions_given) {
    for (std::size_t r = 0; r < spec.regions.size(); ++r) {
      spec.regions[r].share =
          static_cast<double>(region_counts[r]) / static_cast<double>(spec.roster.size());
    }
  }
}

// ---- population ------------------------------------------------------------

std::vector<agents::PracticeSetting> read_practice_settings(const YamlMap& population) {
  if (!population.has("practice_settings")) {
    population.fail("practice_settings",
                    "is required: name each setting and its "
                    "mean_practice_size");
  }
  const YamlMap settings = population.map("practice_settings");
  std::vector<agents::PracticeSetting> result;
  for (const std::string& name : settings.keys()) {
    const YamlMap setting = settings.map(name);
    setting.reject_unknown_keys({"mean_practice_size"});
    const double size = setting.number_or("mean_practice_size", 1.0);
    if (size < 1.0 || size > 1e5) {
      setting.fail("mean_practice_size",
                   fmt::format("expected a size in [1, 100000], found {}", size));
    }
    result.push_back({name, size});
  }
  if (result.empty()) population.fail("practice_settings", "expected at least one setting");
  if (result.size() > 255) population.fail("practice_settings", "at most 255 settings");
  return result;
}

agents::PopulationSpec read_population(const YamlMap& top, LoadContext& context,
                                       const std::vector<agents::Channel>& channels,
                                       RosterContext& roster) {
  if (!top.has("population")) top.fail("population", "is required");
  const YamlMap population = top.map("population");
  population.reject_unknown_keys({"size", "known_share", "regions", "career_stages",
                                  "practice_settings", "segments", "segment_barriers",
                                  "segment_stages", "segment_channels", "roster"});
  agents::PopulationSpec spec;
  spec.known_share = population.required_share("known_share");
  spec.practice_settings = read_practice_settings(population);
  roster.regions_given = population.has("regions");
  spec.regions = read_shares(population, "regions", {});
  spec.career_stages = read_shares(population, "career_stages", {{"unspecified", 1.0}});
  read_segments(context.table(population, "segments"), spec, channels.size());
  read_segment_barriers(context.table(population, "segment_barriers"), spec);
  read_segment_stages(context.table(population, "segment_stages"), spec);
  read_segment_channels(context.table(population, "segment_channels"), spec, channels);

  std::int64_t size = 0;
  if (population.has("roster")) {
    const YamlMap roster_map = population.map("roster");
    roster_map.reject_unknown_keys({"file", "resample_to", "pseudonym_salt"});
    read_roster(context.table(roster_map, "file"), spec, roster);
    spec.pseudonym_salt = roster_map.required_string("pseudonym_salt");
    const auto rows = static_cast<std::int64_t>(spec.roster.size());
    size = roster_map.integer_or("resample_to", rows, rows, kMaxPopulation);
    if (population.has("size")) {
      population.fail("size",
                      "give either size or roster, not both; a roster's size is its "
                      "row count, or roster.resample_to");
    }
  } else {
    if (!roster.regions_given) population.fail("regions", "is required without a roster");
    const auto given = population.optional_integer("size", 1, kMaxPopulation);
    if (!given) population.fail("size", "is required: the number of HCPs, a whole number >= 1");
    size = *given;
  }
  spec.size = static_cast<std::uint32_t>(size);
  return spec;
}

// ---- network ---------------------------------------------------------------

agents::NetworkModel parse_model(const YamlMap& network) {
  const std::string model = network.string_or("model", "clustered");
  if (model == "none") return agents::NetworkModel::none;
  if (model == "small_world") return agents::NetworkModel::small_world;
  if (model == "preferential_attachment") return agents::NetworkModel::preferential_attachment;
  if (model == "clustered") return agents::NetworkModel::clustered;
  if (model == "edge_list") return agents::NetworkModel::edge_list;
  network.fail("model", fmt::format("unknown network model '{}'; expected none, small_world, "
                                    "preferential_attachment, clustered or edge_list",
                                    model));
}

std::uint32_t edge_endpoint(const CsvRows<3>& rows, std::size_t column,
                            const agents::PopulationSpec& spec, const RosterContext& roster) {
  const std::string& id = rows.text(column);
  if (!spec.roster.empty()) {
    const auto it = roster.index_of_id.find(id);
    if (it == roster.index_of_id.end()) {
      rows.fail(column, fmt::format("unknown HCP '{}': no roster row has this hcp_id", id));
    }
    return it->second;
  }
  const double index = rows.number(column);
  if (index != std::floor(index) || index < 0 || index >= spec.size) {
    rows.fail(column,
              fmt::format("unknown HCP '{}': expected an HCP index in [0, {}]", id, spec.size - 1));
  }
  return static_cast<std::uint32_t>(index);
}

std::vector<agents::WeightedEdge> read_edges(const std::string& file,
                                             const agents::PopulationSpec& spec,
                                             const RosterContext& roster) {
  enum Col { from, to, weight };
  CsvRows<3> rows(file, {{{"from", true}, {"to", true}, {"weight", false}}});
  std::vector<agents::WeightedEdge> edges;
  while (rows.next()) {
    agents::WeightedEdge edge;
    edge.from = edge_endpoint(rows, from, spec, roster);
    edge.to = edge_endpoint(rows, to, spec, roster);
    edge.weight = static_cast<float>(
        rows.filled(weight) ? rows.number_in(weight, 0.0, 1e6, "a tie weight >= 0") : 1.0);
    edges.push_back(edge);
  }
  return edges;
}

agents::NetworkSpec read_network(const YamlMap& top, LoadContext& context,
                                 const agents::PopulationSpec& population,
                                 const RosterContext& roster) {
  agents::NetworkSpec spec;
  const YamlMap network = top.map("network");
  network.reject_unknown_keys({"model", "mean_degree", "small_world", "clustered", "edge_list"});
  spec.model = parse_model(network);
  spec.mean_degree = network.number_or("mean_degree", spec.mean_degree);
  if (spec.mean_degree < 0.0 || spec.mean_degree > 1000.0) {
    network.fail("mean_degree",
                 fmt::format("expected a mean degree in [0, 1000], found {}", spec.mean_degree));
  }
  const YamlMap small_world = network.map("small_world");
  small_world.reject_unknown_keys({"rewire_probability"});
  spec.rewire_probability = small_world.share_or("rewire_probability", spec.rewire_probability);

  const YamlMap clustered = network.map("clustered");
  clustered.reject_unknown_keys({"practice_share", "region_share", "opinion_leader_extra_degree",
                                 "patient_sharing_weight", "other_weight"});
  spec.practice_share = clustered.share_or("practice_share", spec.practice_share);
  spec.region_share = clustered.share_or("region_share", spec.region_share);
  if (spec.practice_share + spec.region_share > 1.0 + kShareSumTolerance) {
    clustered.fail("region_share", "practice_share + region_share must be at most 1");
  }
  spec.opinion_leader_extra_degree =
      clustered.number_or("opinion_leader_extra_degree", spec.opinion_leader_extra_degree);
  spec.patient_sharing_weight =
      clustered.number_or("patient_sharing_weight", spec.patient_sharing_weight);
  spec.other_weight = clustered.number_or("other_weight", spec.other_weight);
  for (const char* key :
       {"opinion_leader_extra_degree", "patient_sharing_weight", "other_weight"}) {
    const double value = clustered.number_or(key, 0.0);
    if (value < 0.0 || value > 1e6) clustered.fail(key, "expected a value in [0, 1000000]");
  }

  const YamlMap edge_list = network.map("edge_list");
  edge_list.reject_unknown_keys({"file"});
  if (spec.model == agents::NetworkModel::edge_list) {
    if (population.size > population.roster.size() && !population.roster.empty()) {
      network.fail("model",
                   "an edge list covers only roster HCPs; with roster.resample_to the "
                   "resampled HCPs would have no ties: use a generated model");
    }
    spec.edges = read_edges(context.table(edge_list, "file"), population, roster);
  }
  return spec;
}

// ---- observation and arms ----------------------------------------------------

ObservationParams read_observation(const YamlMap& top) {
  const YamlMap map = top.map("observation");
  map.reject_unknown_keys({"stage_lag_days", "rep_note_accuracy"});
  ObservationParams observation;
  observation.stage_lag_days = static_cast<std::uint32_t>(
      map.integer_or("stage_lag_days", observation.stage_lag_days, 0, 365));
  observation.rep_note_accuracy = map.share_or("rep_note_accuracy", observation.rep_note_accuracy);
  return observation;
}

// The optional economics block: values per outcome and a budget, each a
// finite number >= 0 (docs/economics.md).
EconomicValues read_economics(const YamlMap& top) {
  EconomicValues values;
  const std::vector<std::string> keys = top.keys();
  if (std::find(keys.begin(), keys.end(), "economics") == keys.end()) return values;
  const YamlMap map = top.map("economics");
  map.reject_unknown_keys(
      {"value_per_trialist", "value_per_adopter", "value_per_prescription", "budget"});
  const auto read = [&](std::string_view key) -> std::optional<double> {
    if (!map.has(key)) return std::nullopt;
    const double value = map.required_number(key);
    if (value < 0.0) {
      map.fail(key,
               fmt::format("expected a number >= 0 in the scenario's currency, found {}", value));
    }
    return value;
  };
  values.value_per_trialist = read("value_per_trialist");
  values.value_per_adopter = read("value_per_adopter");
  values.value_per_prescription = read("value_per_prescription");
  values.budget = read("budget");
  if (!values.valued() && !values.budget) {
    top.fail("economics",
             "give at least one of value_per_trialist, value_per_adopter, "
             "value_per_prescription or budget");
  }
  return values;
}

// The control arm: named by control_arm, or the first arm.
std::string read_control_arm(const YamlMap& top, const std::vector<Arm>& arms) {
  if (!top.has("control_arm")) return arms.empty() ? std::string() : arms.front().name;
  const std::string name = top.required_string("control_arm");
  for (const Arm& arm : arms) {
    if (arm.name == name) return name;
  }
  top.fail("control_arm", fmt::format("no arm is named '{}'", name));
}

// The trial rate's denominator is the HCPs who start below trialing. If no
// segment can start there, trial_rate is undefined: an error when it decides,
// a warning otherwise (docs/outputs.md, Outcome metrics).
void check_anyone_at_risk(const YamlMap& top, Scenario& scenario) {
  bool anyone = false;
  for (const agents::Segment& segment : scenario.population.segments) {
    double below = 0.0;
    for (int s = 0; s < static_cast<int>(agents::Stage::trialing); ++s) {
      below += segment.start_stage_shares[static_cast<std::size_t>(s)];
    }
    if (segment.share > 0.0 && below > 0.0) anyone = true;
  }
  if (anyone || scenario.population.size == 0) return;
  const std::string why =
      "no segment has HCPs starting below trialing, so no HCP is at risk of a first "
      "prescription and trial_rate is not defined";
  if (scenario.primary_metric == "trial_rate") {
    top.fail("primary_metric", why + "; decide on adoption_rate or prescriptions instead");
  }
  scenario.warnings.push_back(why + "; it is reported as not defined");
}

}  // namespace

// ---- public ----------------------------------------------------------------

Scenario load_scenario(const std::filesystem::path& path) {
  const std::filesystem::path manifest =
      std::filesystem::is_directory(path) ? path / "scenario.yaml" : path;
  const YamlMap top = YamlMap::load_file(manifest);
  top.reject_unknown_keys({"schema_version", "name", "description", "currency", "seed",
                           "horizon_days", "population", "network", "channels", "content",
                           "content_effects", "model", "observation", "arms", "journeys", "caps",
                           "control_arm", "primary_metric", "economics"});
  const auto version = top.optional_integer("schema_version", 1, 1'000'000);
  if (!version) top.fail("schema_version", "is required");
  if (*version != kScenarioSchemaVersion) {
    top.fail("schema_version", fmt::format("this build reads schema version {}, found {}",
                                           kScenarioSchemaVersion, *version));
  }
  Scenario scenario;
  LoadContext context{manifest.parent_path(), {}};
  context.hasher.add_file(manifest);
  scenario.manifest = manifest;
  scenario.name = top.required_string("name");
  scenario.description = top.string_or("description", "");
  scenario.currency = top.required_string("currency");
  scenario.seed = static_cast<std::uint64_t>(
      top.integer_or("seed", 1, 0, std::numeric_limits<std::int64_t>::max() / 2));
  scenario.horizon_days =
      static_cast<std::uint32_t>(top.integer_or("horizon_days", 365, 1, 100 * 365));

  scenario.catalogue.channels = read_channels(context.table(top, "channels"));
  scenario.catalogue.content =
      read_content(context.table(top, "content"), scenario.catalogue.channels);
  read_content_effects(context.table(top, "content_effects"), scenario.catalogue.content);

  RosterContext roster;
  scenario.population = read_population(top, context, scenario.catalogue.channels, roster);
  scenario.network = read_network(top, context, scenario.population, roster);

  std::vector<std::filesystem::path> files_read;
  scenario.model = detail::read_model(top, context.folder, files_read);
  scenario.observation = read_observation(top);
  const detail::JourneyContext journeys{scenario.population, scenario.catalogue, context.folder};
  scenario.arms = detail::read_arms(top, journeys, files_read, scenario.warnings);
  scenario.caps = detail::read_caps(top, scenario.catalogue);
  scenario.control_arm = read_control_arm(top, scenario.arms);
  scenario.primary_metric = top.string_or("primary_metric", scenario.primary_metric);
  if (scenario.primary_metric != "trial_rate" && scenario.primary_metric != "adoption_rate" &&
      scenario.primary_metric != "prescriptions") {
    top.fail("primary_metric",
             fmt::format("unknown metric '{}'; expected trial_rate, adoption_rate or prescriptions",
                         scenario.primary_metric));
  }
  check_anyone_at_risk(top, scenario);
  scenario.economics = read_economics(top);
  for (const auto& file : files_read) context.hasher.add_file(file);
  scenario.content_hash = context.hasher.hex();
  return scenario;
}

std::uint64_t estimated_peak_bytes(const Scenario& scenario) {
  const std::uint64_t hcps = scenario.population.size;
  const agents::NetworkSpec& network = scenario.network;
  double degree = network.mean_degree;
  if (network.model == agents::NetworkModel::edge_list) {
    degree =
        2.0 * static_cast<double>(network.edges.size()) / std::max(1.0, static_cast<double>(hcps));
  } else if (network.model == agents::NetworkModel::clustered) {
    // Each opinion leader's extra ties add two tie ends each.
    double leader_share = 0.0;
    for (const agents::Segment& segment : scenario.population.segments) {
      leader_share += segment.share * segment.opinion_leader_share;
    }
    degree += 2.0 * leader_share * network.opinion_leader_extra_degree;
  } else if (network.model == agents::NetworkModel::none) {
    degree = 0.0;
  }
  return agents::population_bytes(hcps, scenario.catalogue.channels.size()) +
         agents::network_peak_bytes(hcps, degree);
}

std::uint64_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

void check_fits_in_memory(const Scenario& scenario, std::uint64_t available_bytes) {
  const std::uint64_t needed = estimated_peak_bytes(scenario);
  if (available_bytes == 0 || needed <= available_bytes) return;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  throw InputError(
      {scenario.manifest.string(), 0, "population.size"},
      fmt::format("{} HCPs with their network need about {:.1f} GiB, but only {:.1f} GiB of "
                  "memory is available; use a smaller population or a sparser network",
                  scenario.population.size, static_cast<double>(needed) / kGiB,
                  static_cast<double>(available_bytes) / kGiB));
}

void override_population_size(Scenario& scenario, std::uint64_t size) {
  const std::uint64_t floor = std::max<std::uint64_t>(1, scenario.population.roster.size());
  if (size < floor || size > kMaxPopulation) {
    throw InputError(
        {"<command line>", 0, "--size"},
        fmt::format("expected a size in [{}, {}], found {}", floor, kMaxPopulation, size));
  }
  if (scenario.network.model == agents::NetworkModel::edge_list &&
      size != scenario.population.size) {
    throw InputError({"<command line>", 0, "--size"},
                     "the scenario's network is an edge list over its own HCPs; its size "
                     "cannot change");
  }
  scenario.population.size = static_cast<std::uint32_t>(size);
}

}  // namespace journeysim::sim
