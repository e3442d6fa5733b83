#pragma once
// An output file that appears complete or not at all.
#include <filesystem>
#include <fstream>

namespace journeysim::reports {

// Writes to a temporary file beside the target and renames it into place on
// commit(). Destroyed without commit() (an error, an interrupt that unwinds),
// it removes the temporary file, so no half-written output is ever left under
// the target's name.
class AtomicFile {
 public:
  // Opens the temporary file; throws std::runtime_error if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() noexcept { return out_; }
  // Flushes, checks for write errors and renames into place; throws std::runtime_error.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace journeysim::reports
