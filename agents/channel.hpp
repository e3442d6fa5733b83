#pragma once
// Channels and the content library (scenarios/README.md, channels.csv, content.csv
// and content_effects.csv; docs/model.md, Effect of engaged content, and
// receptivity).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/stage.hpp"

namespace journeysim::agents {

// At most this many channels per scenario: consent is one bit per channel.
inline constexpr std::size_t kMaxChannels = 32;

// One channel's parameters, as given in the scenario's channels table.
struct Channel {
  std::string name;
  // True: reaches only known HCPs who consented to it (email, rep visit).
  // False: reaches anyone, known or anonymous (third-party sites, portal before login).
  bool addressable = true;
  double reach = 1.0;            // P(a touch is received at all), in [0, 1].
  double base_engagement = 0.1;  // P(engage | received) for an HCP of average affinity, in (0, 1).
  double cost = 0.0;             // Cost per touch, in the scenario's currency; >= 0.
  double capacity_per_week = 0;  // Touches the field force can make per week; 0 = unlimited.
  double fatigue_weight = 1.0;   // Fatigue added per touch received; >= 0.
};

// One content item: its format and what it does to each barrier when engaged with.
struct ContentItem {
  std::string name;
  std::string format;               // e.g. "article", "video", "case_study", "tool", "event".
  double minutes = 5.0;             // Time the content asks of the HCP; > 0.
  bool independent_source = false;  // True for independent or society material (trust barrier).
  std::vector<std::uint16_t> allowed_channels;  // Indices into the channel table.
  BarrierVector effect{};  // e[c][b] in [0, 1]: share of barrier b removed on engagement.
};

// Channels and content of a scenario, looked up by name.
struct ChannelCatalogue {
  std::vector<Channel> channels;
  std::vector<ContentItem> content;

  // Index of the channel or content item with this name; nullopt if none.
  std::optional<std::uint16_t> channel_index(std::string_view name) const noexcept;
  std::optional<std::uint32_t> content_index(std::string_view name) const noexcept;
};

}  // namespace journeysim::agents
