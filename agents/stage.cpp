#include "agents/stage.hpp"

namespace journeysim::agents {
namespace {

constexpr std::array<std::string_view, kStageCount> kStageNames = {
    "unaware", "aware", "considering", "trialing", "adopted", "advocate"};
constexpr std::array<std::string_view, kBarrierCount> kBarrierNames = {
    "knowledge", "relevance", "peer", "workflow", "access", "time", "trust"};

}  // namespace

std::string_view stage_name(Stage stage) noexcept {
  return kStageNames[static_cast<std::size_t>(stage)];
}

std::string_view barrier_name(Barrier barrier) noexcept {
  return kBarrierNames[static_cast<std::size_t>(barrier)];
}

std::optional<Stage> parse_stage(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kStageNames.size(); ++i) {
    if (kStageNames[i] == name) return static_cast<Stage>(i);
  }
  return std::nullopt;
}

std::optional<Barrier> parse_barrier(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kBarrierNames.size(); ++i) {
    if (kBarrierNames[i] == name) return static_cast<Barrier>(i);
  }
  return std::nullopt;
}

}  // namespace journeysim::agents
