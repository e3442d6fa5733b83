#include "tests/sim/test_scenario_copy.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace journeysim::testing {
namespace {

std::filesystem::path fresh_folder() {
  static std::atomic<int> counter{0};
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() /
      ("journeysim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace

ScenarioCopy::ScenarioCopy(std::string_view name) : folder_(fresh_folder()) {
  const std::filesystem::path source =
      std::filesystem::path(JOURNEYSIM_SOURCE_DIR) / "scenarios" / name;
  std::filesystem::copy(source, folder_, std::filesystem::copy_options::recursive);
}

ScenarioCopy::~ScenarioCopy() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::string ScenarioCopy::read(std::string_view relative) const {
  std::ifstream in(file(relative), std::ios::binary);
  if (!in) throw std::runtime_error("test copy has no file " + std::string(relative));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void ScenarioCopy::write(std::string_view relative, std::string_view content) const {
  std::ofstream out(file(relative), std::ios::binary | std::ios::trunc);
  out << content;
}

void ScenarioCopy::replace(std::string_view relative, std::string_view from,
                           std::string_view to) const {
  std::string text = read(relative);
  const auto at = text.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error("test edit: '" + std::string(from) + "' not found in " +
                             std::string(relative));
  }
  text.replace(at, from.size(), to);
  write(relative, text);
}

}  // namespace journeysim::testing
