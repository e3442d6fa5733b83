#pragma once
// Test support for the CLI tests: run the real journeysim executable in a
// scratch folder and capture its exit status, stdout and stderr.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace journeysim::testing {

struct Result {
  int status = -1;  // Exit status, or -1 if the process did not exit normally.
  std::string out;
  std::string err;
};

inline std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string quoted(const std::string& text) { return "'" + text + "'"; }

// A fixture with a fresh scratch folder per test, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("journeysim-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Runs journeysim with args (already quoted as needed), capturing stdout and stderr.
  Result run(const std::string& args) const {
    const std::string out = (dir_ / "stdout.txt").string();
    const std::string err = (dir_ / "stderr.txt").string();
    const std::string command =
        quoted(JOURNEYSIM_EXE) + " " + args + " >" + quoted(out) + " 2>" + quoted(err);
    const int raw = std::system(command.c_str());
    Result result;
    if (raw != -1 && WIFEXITED(raw)) result.status = WEXITSTATUS(raw);
    result.out = read(out);
    result.err = read(err);
    return result;
  }

  std::filesystem::path dir_;
};

}  // namespace journeysim::testing
