#include "sim/detail/plain_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agents/input_error.hpp"

namespace journeysim::sim::detail {
namespace {

bool is_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

std::string describe_byte(unsigned char c) {
  switch (c) {
    case 0x00:
      return "a NUL byte (0x00)";
    case 0x1B:
      return "an escape byte (0x1B)";
    default:
      return fmt::format("the control character 0x{:02X}", c);
  }
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::string read_text_file(const std::string& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw agents::InputError({file, 0, ""},
                             std::filesystem::exists(file, error)
                                 ? "is not a regular file (a folder, FIFO or device?)"
                                 : "no such file");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) throw agents::InputError({file, 0, ""}, "cannot read the file");
  return bytes.str();
}

std::vector<std::string> csv_header(const std::string& content) {
  std::istringstream in(content);
  for (std::string line; std::getline(in, line);) {
    const std::string text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    std::vector<std::string> names;
    std::istringstream cells(text);
    for (std::string cell; std::getline(cells, cell, ',');) names.push_back(trimmed(cell));
    return names;
  }
  return {};
}

void check_plain_text(const std::string& file, const std::string& content,
                      const std::vector<std::string>& columns) {
  std::size_t line = 1;
  std::size_t commas = 0;
  const auto field = [&] {
    if (columns.empty()) return std::string("text");
    return commas < columns.size() ? columns[commas] : fmt::format("column {}", commas + 1);
  };
  for (std::size_t i = 0; i < content.size(); ++i) {
    const auto c = static_cast<unsigned char>(content[i]);
    if (c == '\n') {
      ++line;
      commas = 0;
      continue;
    }
    if (c == ',') ++commas;
    if (c == '\r' && (i + 1 == content.size() || content[i + 1] != '\n')) {
      throw agents::InputError(
          {file, line, "line endings"},
          "a carriage return without a line feed: the file has classic Mac (CR only) line "
          "endings; save it with LF or CRLF line endings");
    }
    if (is_control(c)) {
      throw agents::InputError({file, line, field()},
                               describe_byte(c) + " is not allowed in a scenario file; remove it");
    }
  }
}

}  // namespace journeysim::sim::detail
