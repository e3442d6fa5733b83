#pragma once
// Observed data from a past launch, for journeysim calibrate: a cumulative
// trial or adoption curve and engagement rates by channel, read from a tidy
// CSV `series,day,value`. The format is in docs/calibrate.md.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace journeysim::sim {

// What an observation measures.
enum class SeriesKind : std::uint8_t {
  trial,            // Share of all HCPs whose first prescription fell on or before the day.
  adoption,         // Share of all HCPs at adopted or advocate at the end of the day.
  engagement_rate,  // A channel's engaged touches per delivered touch over the horizon.
};

// One observed value.
struct Observation {
  SeriesKind kind = SeriesKind::trial;
  std::string channel;    // engagement_rate only: the channel's name.
  std::uint32_t day = 0;  // trial and adoption only: the day, 0 = the start.
  double value = 0.0;     // A share in [0, 1].
  std::size_t line = 0;   // Line of the file it came from (1-based); 0 if built in code.

  // The series name as in the file: "trial", "adoption" or "engagement_rate.CHANNEL".
  std::string series() const;
  // True for trial and adoption: points of a curve, as opposed to rates.
  bool is_curve() const noexcept { return kind != SeriesKind::engagement_rate; }
};

struct ObservedData {
  std::string file;  // Where it was read from, for error messages.
  // Sorted by series (trial, adoption, then engagement rates by channel name) and day.
  std::vector<Observation> observations;
};

// Reads and checks an observed-data CSV: a header with the columns series,
// day and value (any order, extra columns ignored, # comments allowed), then
// one row per observation. Throws agents::InputError naming the file, line and
// field for a missing file or column, an unknown series, a missing, negative or
// fractional day on a curve row, a value outside [0, 1], a repeated
// observation, or a file without observations.
ObservedData read_observed_data(const std::filesystem::path& file);

// Checks the data against the scenario: every day within [0, horizon_days]
// and every engagement channel in the scenario's channels. Throws
// agents::InputError naming the file, line and field of the first problem.
void check_observed_data(const ObservedData& data, const Scenario& scenario);

// Sorts observations into the order ObservedData documents.
void sort_observations(std::vector<Observation>& observations);

}  // namespace journeysim::sim
