#pragma once
// An output file that appears complete or not at all.
#include <ext/stdio_filebuf.h>
#include <filesystem>
#include <memory>
#include <ostream>

namespace journeysim::reports {

// Writes to a temporary file beside the target and renames it into place on
// commit(). Destroyed without commit() (an error, an interrupt that unwinds),
// it removes the temporary file, so no half-written output is ever left under
// the target's name.
//
// The temporary file is created by mkstemp(3) in the target's folder: a new
// file with an unpredictable name (".TARGET.tmp-XXXXXX"), opened with
// O_CREAT | O_EXCL, so a file or symlink planted under a guessable name can
// never be written through. The rename replaces the target itself, never
// what a symlink there points to.
class AtomicFile {
 public:
  // Creates the temporary file; throws std::runtime_error naming the target
  // if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() noexcept { return out_; }
  // Flushes, checks for write errors and renames into place; throws std::runtime_error.
  void commit();

  // The prefix of this target's temporary files, to find leftovers of a run
  // that was killed before it could remove them.
  static std::string temporary_prefix(const std::filesystem::path& target);

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buffer_;
  std::ostream out_;
  bool committed_ = false;
};

}  // namespace journeysim::reports
