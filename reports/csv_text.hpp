#pragma once
// Text helpers shared by the CSV writers.
#include <string>
#include <string_view>

namespace journeysim::reports {

// A CSV field per RFC 4180: as is, or in double quotes (inner quotes doubled)
// when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

}  // namespace journeysim::reports
