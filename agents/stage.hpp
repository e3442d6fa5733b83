#pragma once
// Adoption stages and behavioural barriers (scenarios/README.md, segment_stages.csv
// and segment_barriers.csv).
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace journeysim::agents {

// An HCP sits in exactly one stage; the order is the order of progress.
enum class Stage : std::uint8_t { unaware, aware, considering, trialing, adopted, advocate };
inline constexpr int kStageCount = 6;

// Why an HCP does not move. Strengths are in [0, 1]; 0 means no barrier.
enum class Barrier : std::uint8_t { knowledge, relevance, peer, workflow, access, time, trust };
inline constexpr int kBarrierCount = 7;

// One strength in [0, 1] per barrier, indexed by Barrier.
using BarrierVector = std::array<float, kBarrierCount>;

// Lower-case names as used in scenario files and outputs ("considering", "trust").
std::string_view stage_name(Stage stage) noexcept;
std::string_view barrier_name(Barrier barrier) noexcept;
// Parses a lower-case name; nullopt if it names no stage or barrier.
std::optional<Stage> parse_stage(std::string_view name) noexcept;
std::optional<Barrier> parse_barrier(std::string_view name) noexcept;

inline constexpr std::array<Stage, kStageCount> kAllStages = {Stage::unaware,     Stage::aware,
                                                              Stage::considering, Stage::trialing,
                                                              Stage::adopted,     Stage::advocate};
inline constexpr std::array<Barrier, kBarrierCount> kAllBarriers = {
    Barrier::knowledge, Barrier::relevance, Barrier::peer, Barrier::workflow,
    Barrier::access,    Barrier::time,      Barrier::trust};

}  // namespace journeysim::agents
