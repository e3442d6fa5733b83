#pragma once
// Test support: a private, editable copy of a bundled scenario in a fresh
// temporary folder, removed when the object dies. Tests break one thing in
// the copy and check the error that follows.
#include <filesystem>
#include <string>
#include <string_view>

namespace journeysim::testing {

class ScenarioCopy {
 public:
  // Copies scenarios/<name> of the source tree into a new temporary folder.
  explicit ScenarioCopy(std::string_view name = "quickstart");
  ~ScenarioCopy();
  ScenarioCopy(const ScenarioCopy&) = delete;
  ScenarioCopy& operator=(const ScenarioCopy&) = delete;

  // The copy's folder, which holds scenario.yaml.
  const std::filesystem::path& folder() const noexcept { return folder_; }
  std::filesystem::path file(std::string_view relative) const { return folder_ / relative; }
  // Replaces the first occurrence of from with to in a file of the copy;
  // fails the test (throws std::runtime_error) if from is not there.
  void replace(std::string_view relative, std::string_view from, std::string_view to) const;
  // Overwrites (or creates) a file of the copy.
  void write(std::string_view relative, std::string_view content) const;
  std::string read(std::string_view relative) const;

 private:
  std::filesystem::path folder_;
};

}  // namespace journeysim::testing
