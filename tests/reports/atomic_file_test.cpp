// AtomicFile: the target appears complete on commit() or not at all.
#include "reports/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace journeysim::reports {
namespace {

// A fresh empty folder, removed with everything in it when the object dies.
class TempFolder {
 public:
  TempFolder() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("journeysim-atomic-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> listing(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// A symlink planted under the name the old implementation used for its
// temporary file (TARGET.tmp-PID) made a run overwrite a file outside the
// output folder. Temporary files now come from mkstemp: the planted link and
// the file it points to are left alone.
TEST(AtomicFile, APlantedSymlinkIsNeverWrittenThrough) {
  const TempFolder folder;
  const TempFolder elsewhere;
  const auto victim = elsewhere.path() / "precious.txt";
  { std::ofstream(victim) << "keep me"; }
  const auto target = folder.path() / "out.csv";
  const auto planted = folder.path() / ("out.csv.tmp-" + std::to_string(::getpid()));
  std::filesystem::create_symlink(victim, planted);
  {
    AtomicFile file(target);
    file.stream() << "new\n";
    file.commit();
  }
  EXPECT_EQ(read(victim), "keep me");
  EXPECT_EQ(read(target), "new\n");
  EXPECT_TRUE(std::filesystem::is_symlink(planted));
}

// The committed file has the usual permissions, not mkstemp's 0600.
TEST(AtomicFile, CommittedFileIsReadableByTheGroup) {
  const TempFolder folder;
  const auto target = folder.path() / "out.csv";
  const mode_t mask = ::umask(022);
  {
    AtomicFile file(target);
    file.stream() << "x\n";
    file.commit();
  }
  ::umask(mask);
  const auto permissions = std::filesystem::status(target).permissions();
  EXPECT_NE(permissions & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_NE(permissions & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST(AtomicFile, CommittedFileHasTheContent) {
  const TempFolder folder;
  const auto target = folder.path() / "out.csv";
  {
    AtomicFile file(target);
    file.stream() << "a,b\n1,2\n";
    file.commit();
  }
  EXPECT_EQ(read(target), "a,b\n1,2\n");
  EXPECT_EQ(listing(folder.path()), std::vector<std::string>{"out.csv"});  // No temp file left.
}

TEST(AtomicFile, TargetDoesNotExistBeforeCommit) {
  const TempFolder folder;
  const auto target = folder.path() / "out.csv";
  AtomicFile file(target);
  file.stream() << "partial";
  EXPECT_FALSE(std::filesystem::exists(target));
  file.commit();
  EXPECT_TRUE(std::filesystem::exists(target));
}

TEST(AtomicFile, DestroyedWithoutCommitLeavesNothing) {
  const TempFolder folder;
  {
    AtomicFile file(folder.path() / "out.csv");
    file.stream() << "half-written";
  }
  EXPECT_TRUE(listing(folder.path()).empty());
}

TEST(AtomicFile, DestroyedDuringUnwindingLeavesNothing) {
  const TempFolder folder;
  EXPECT_THROW(
      {
        AtomicFile file(folder.path() / "out.csv");
        file.stream() << "half-written";
        throw std::runtime_error("interrupted");
      },
      std::runtime_error);
  EXPECT_TRUE(listing(folder.path()).empty());
}

TEST(AtomicFile, MissingFolderThrowsNamingTheTarget) {
  const TempFolder folder;
  const auto target = folder.path() / "no-such-folder" / "out.csv";
  try {
    AtomicFile file(target);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(target.string()), std::string::npos) << error.what();
  }
}

// A regular file where the folder should be: unwritable even for root.
TEST(AtomicFile, FolderThatIsAFileThrows) {
  const TempFolder folder;
  std::ofstream(folder.path() / "plain") << "x";
  EXPECT_THROW({ AtomicFile file(folder.path() / "plain" / "out.csv"); }, std::runtime_error);
  EXPECT_EQ(listing(folder.path()), std::vector<std::string>{"plain"});
}

TEST(AtomicFile, ExistingTargetIsReplacedOnlyOnCommit) {
  const TempFolder folder;
  const auto target = folder.path() / "out.csv";
  std::ofstream(target) << "old content\n";
  {
    AtomicFile file(target);
    file.stream() << "new content\n";
    file.stream().flush();
    EXPECT_EQ(read(target), "old content\n");
    file.commit();
  }
  EXPECT_EQ(read(target), "new content\n");
  EXPECT_EQ(listing(folder.path()), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFile, ExistingTargetSurvivesAbandonedWrite) {
  const TempFolder folder;
  const auto target = folder.path() / "out.csv";
  std::ofstream(target) << "old content\n";
  {
    AtomicFile file(target);
    file.stream() << "new content\n";
  }
  EXPECT_EQ(read(target), "old content\n");
  EXPECT_EQ(listing(folder.path()), std::vector<std::string>{"out.csv"});
}

}  // namespace
}  // namespace journeysim::reports
