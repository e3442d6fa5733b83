#include "sim/observed_data.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "agents/input_error.hpp"
#include "sim/detail/csv_rows.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;

constexpr std::string_view kEngagementPrefix = "engagement_rate.";
constexpr std::size_t kSeries = 0;
constexpr std::size_t kDay = 1;
constexpr std::size_t kValue = 2;
// Days beyond this cannot be a scenario's horizon (sim/scenario.cpp: at most 100 years).
constexpr double kMaxDay = 100 * 365;

// Fills kind and channel from the series cell; throws InputError otherwise.
void read_series(const detail::CsvRows<3>& rows, Observation& observation) {
  const std::string& text = rows.text(kSeries);
  if (text == "trial") {
    observation.kind = SeriesKind::trial;
  } else if (text == "adoption") {
    observation.kind = SeriesKind::adoption;
  } else if (text.rfind(kEngagementPrefix, 0) == 0 && text.size() > kEngagementPrefix.size()) {
    observation.kind = SeriesKind::engagement_rate;
    observation.channel = text.substr(kEngagementPrefix.size());
  } else {
    rows.fail(kSeries,
              fmt::format("expected trial, adoption or engagement_rate.CHANNEL, found '{}'", text));
  }
}

// A curve's day: a whole number in [0, kMaxDay]. Engagement rows ignore the day.
void read_day(const detail::CsvRows<3>& rows, Observation& observation) {
  if (!observation.is_curve()) return;
  if (!rows.filled(kDay)) rows.fail(kDay, "a trial or adoption row needs the day it was observed");
  const double day = rows.number_in(kDay, 0.0, kMaxDay, "a whole number of days >= 0");
  if (day != std::floor(day)) {
    rows.fail(kDay, fmt::format("expected a whole number of days, found {}", rows.text(kDay)));
  }
  observation.day = static_cast<std::uint32_t>(day);
}

}  // namespace

std::string Observation::series() const {
  switch (kind) {
    case SeriesKind::trial:
      return "trial";
    case SeriesKind::adoption:
      return "adoption";
    case SeriesKind::engagement_rate:
      return std::string(kEngagementPrefix) + channel;
  }
  return "";
}

void sort_observations(std::vector<Observation>& observations) {
  std::stable_sort(observations.begin(), observations.end(),
                   [](const Observation& a, const Observation& b) {
                     return std::tie(a.kind, a.channel, a.day) < std::tie(b.kind, b.channel, b.day);
                   });
}

ObservedData read_observed_data(const std::filesystem::path& file) {
  ObservedData data{file.string(), {}};
  detail::CsvRows<3> rows(data.file, {{{"series", true}, {"day", true}, {"value", true}}});
  // Line of the first row of each (series, day), to name both rows of a repeat.
  std::map<std::pair<std::string, std::uint32_t>, std::size_t> seen;
  while (rows.next()) {
    Observation observation;
    observation.line = rows.line();
    read_series(rows, observation);
    read_day(rows, observation);
    observation.value = rows.share(kValue);
    const auto [at, inserted] =
        seen.emplace(std::pair{observation.series(), observation.day}, observation.line);
    if (!inserted) {
      rows.fail(observation.is_curve() ? kDay : kSeries,
                fmt::format("{} is observed twice: here and on line {}", observation.series(),
                            at->second));
    }
    data.observations.push_back(std::move(observation));
  }
  if (data.observations.empty()) {
    throw InputError({data.file, rows.line(), "series"},
                     "no observations: expected rows of series,day,value after the header");
  }
  sort_observations(data.observations);
  return data;
}

void check_observed_data(const ObservedData& data, const Scenario& scenario) {
  const auto& channels = scenario.catalogue.channels;
  for (const Observation& observation : data.observations) {
    if (observation.is_curve() && observation.day > scenario.horizon_days) {
      throw InputError({data.file, observation.line, "day"},
                       fmt::format("day {} is after the scenario's horizon of {} days",
                                   observation.day, scenario.horizon_days));
    }
    if (observation.is_curve()) continue;
    const bool known = std::any_of(channels.begin(), channels.end(),
                                   [&](const auto& c) { return c.name == observation.channel; });
    if (!known) {
      std::vector<std::string> names;
      for (const auto& c : channels) names.push_back(c.name);
      throw InputError({data.file, observation.line, "series"},
                       fmt::format("the scenario has no channel '{}'; its channels are {}",
                                   observation.channel, fmt::join(names, ", ")));
    }
  }
}

}  // namespace journeysim::sim
