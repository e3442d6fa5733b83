#pragma once
// Scenario parameters addressed by path, such as `model.lapse.rate_per_day`
// or `channels.email.base_engagement`, so that `journeysim run --set`,
// `journeysim sweep` and calibration can change one number of a loaded
// scenario. The paths mirror the manifest and its tables; docs/sweep.md lists
// the families and `journeysim sweep --list-parameters SCENARIO` every path.
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.hpp"

namespace journeysim::sim {

// The values a parameter may take: the same as the scenario loader accepts.
// An end is open when the loader excludes it; infinite ends are unbounded.
struct ParameterRange {
  double lower = 0.0;
  double upper = 1.0;
  bool lower_open = false;
  bool upper_open = false;
  bool integer = false;  // Whole numbers only (counts, days, sizes).

  // True if value lies in the range (and is whole, for an integer parameter).
  bool contains(double value) const noexcept;
  // The range in words, e.g. "a number in [0, 1]" or "a whole number in [1, 36500]".
  std::string describe() const;
};

// One addressable parameter of a scenario.
struct ParameterInfo {
  std::string path;     // e.g. "stage_hazards.considering.base_hazard".
  double value = 0.0;   // Its current value in the scenario.
  std::string meaning;  // What it is, with its unit, in one line.
  ParameterRange range;
};

// Every addressable numeric parameter of the scenario, in a stable order
// (manifest order, then table order). Network parameters appear only for the
// scenario's network model. Shares that must sum to 1 (segments, stages,
// regions, career stages) are not listed: one of them cannot change alone.
std::vector<ParameterInfo> list_parameters(const Scenario& scenario);

// The parameter at path. Throws agents::InputError, with field = path, if no
// parameter has that path; the message suggests the closest paths.
ParameterInfo describe_parameter(const Scenario& scenario, std::string_view path);

// The current value of the parameter at path. Throws as describe_parameter.
double get_parameter(const Scenario& scenario, std::string_view path);

// Sets the parameter at path, checked as the loader checks it (range, whole
// numbers, joint rules such as practice_share + region_share <= 1, a
// population size not below the roster). Records the override in
// scenario.overrides and folds it into scenario.content_hash, so outputs never
// claim the original inputs. Throws agents::InputError with field = path (the
// scenario is then unchanged).
void set_parameter(Scenario& scenario, std::string_view path, double value);

}  // namespace journeysim::sim
