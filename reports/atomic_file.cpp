#include "reports/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace journeysim::reports {
namespace {

constexpr std::size_t kBufferBytes = 1 << 16;

// Output files get the usual permissions (0666 less the umask), not
// mkstemp's 0600: they are reports for the user's team.
void set_default_mode(int fd) {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  (void)::fchmod(fd, 0666 & ~mask);
}

}  // namespace

std::string AtomicFile::temporary_prefix(const std::filesystem::path& target) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive)
  // about "." + std::string.
  std::string prefix(".");
  prefix += target.filename().string();
  prefix += ".tmp-";
  return prefix;
}

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)), out_(nullptr) {
  const std::filesystem::path folder =
      target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  std::string name = (folder / (temporary_prefix(target_) + "XXXXXX")).string();
  std::vector<char> pattern(name.begin(), name.end());
  pattern.push_back('\0');
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    throw std::runtime_error("cannot write '" + target_.string() + "': " + std::strerror(errno) +
                             " (check that its folder exists and is writable)");
  }
  temporary_ = pattern.data();
  set_default_mode(fd);
  buffer_ = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::out | std::ios::binary,
                                                             kBufferBytes);
  out_.rdbuf(buffer_.get());
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  if (buffer_) buffer_->close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  out_.flush();
  const bool written = static_cast<bool>(out_) && buffer_->close() != nullptr;
  if (!written) {
    throw std::runtime_error("writing '" + target_.string() + "' failed (disk full?)");
  }
  std::error_code error;
  std::filesystem::rename(temporary_, target_, error);
  if (error) {
    throw std::runtime_error("cannot write '" + target_.string() + "': " + error.message());
  }
  committed_ = true;
}

}  // namespace journeysim::reports
