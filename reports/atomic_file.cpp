#include "reports/atomic_file.hpp"

#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace journeysim::reports {

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)),
      temporary_(target_.string() + ".tmp-" + std::to_string(::getpid())) {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw std::runtime_error("cannot write '" + target_.string() +
                             "': check that its folder exists and is writable");
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw std::runtime_error("writing '" + target_.string() + "' failed (disk full?)");
  std::filesystem::rename(temporary_, target_);
  committed_ = true;
}

}  // namespace journeysim::reports
