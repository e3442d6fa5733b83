#pragma once
// The CLI's commands, apart from argument parsing so that tests can call them.
#include <cstdint>
#include <optional>
#include <string>

namespace journeysim::cli {

// The version of this build, e.g. "0.1.0".
const char* version() noexcept;

struct ValidateOptions {
  std::string scenario;
};

struct PopulationOptions {
  std::string scenario;
  std::string out;    // Population CSV; empty = none.
  std::string edges;  // Edge list CSV; empty = none.
  std::optional<std::uint64_t> seed;
  std::uint32_t replication = 0;
  std::optional<std::uint64_t> size;
  std::optional<int> threads;
  bool quiet = false;
};

// Loads and checks the scenario and prints an overview. Throws agents::InputError.
void run_validate(const ValidateOptions& options);

// Synthesises one replication's population and network, prints a summary and
// writes the requested files atomically. Throws agents::InputError.
void run_population(const PopulationOptions& options);

}  // namespace journeysim::cli
