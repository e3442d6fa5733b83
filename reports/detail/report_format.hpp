#pragma once
// Number formats shared by the HTML reports.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "sim/statistics.hpp"

namespace journeysim::reports::detail {

// A share in [0, 1] as a percentage: 0.1078 -> "10.8%".
inline std::string percent(double share, int decimals = 1) {
  return fmt::format("{:.{}f}%", 100.0 * share, decimals);
}

// A difference of two shares in percentage points, signed: "+0.12 pp".
inline std::string points(double difference, int decimals = 2) {
  return fmt::format("{:+.{}f} pp", 100.0 * difference, decimals);
}

// Thousands separated by commas: 46553070 -> "46,553,070".
inline std::string grouped(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A signed whole amount with separators: -1234.6 -> "-1,235".
inline std::string whole(double value) {
  const double rounded = std::round(value);
  const std::string magnitude = grouped(static_cast<std::uint64_t>(std::fabs(rounded)));
  return rounded < 0 ? "-" + magnitude : magnitude;
}

// "mean [lower, upper]" with a formatter applied to each of the three.
template <typename Format>
std::string with_interval(const sim::MeanInterval& value, Format format) {
  return format(value.mean) + " [" + format(value.lower) + ", " + format(value.upper) + "]";
}

// True when the 95% interval lies wholly above or below zero.
inline bool excludes_zero(const sim::MeanInterval& value) {
  return value.lower > 0.0 || value.upper < 0.0;
}

}  // namespace journeysim::reports::detail
