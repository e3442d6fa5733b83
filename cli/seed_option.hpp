#pragma once
// The --seed option every command shares: a whole number in [0, 2^62 - 1],
// the range the scenario's own `seed:` accepts. Anything else (a negative
// number, one past the range, a word) is refused with exit status 2 instead
// of being wrapped into the range.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

namespace journeysim::cli {

inline constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 62) - 1;

inline CLI::Validator seed_range() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || at != end || value > kMaxSeed) {
          return "expected a whole number in [0, " + std::to_string(kMaxSeed) + "], found '" +
                 text + "'";
        }
        return {};
      },
      "SEED in [0, 2^62 - 1]", "seed");
}

// Adds --seed to a command.
inline CLI::Option* add_seed_option(CLI::App* command, std::optional<std::uint64_t>& seed,
                                    const std::string& description) {
  return command->add_option("--seed", seed, description)->check(seed_range());
}

}  // namespace journeysim::cli
