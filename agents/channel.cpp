#include "agents/channel.hpp"

namespace journeysim::agents {

std::optional<std::uint16_t> ChannelCatalogue::channel_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (channels[i].name == name) return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> ChannelCatalogue::content_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i].name == name) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

}  // namespace journeysim::agents
