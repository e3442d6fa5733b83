#pragma once
// Counter-based random streams keyed by (seed, replication, HCP, purpose).
//
// This lives in agents/, the lowest library, because population synthesis
// needs it; sim/ uses the same streams for the engine. No state is shared
// between streams, so a result cannot depend on thread count or order, and
// two arms asking for the same purpose see the same numbers (common random
// numbers).
#include <cstdint>
#include <limits>
#include <string_view>

namespace journeysim::agents {

// Each decision that draws randomness has its own purpose. Never reuse one
// purpose for two decisions: that would correlate them. Values are part of
// the reproducibility contract; append new purposes, never renumber.
enum class Purpose : std::uint32_t {
  segment = 1,
  region = 2,
  career_stage = 3,
  patients = 4,
  opinion_leader = 5,
  known = 6,
  consent = 7,
  affinity = 8,
  barriers = 9,
  start_stage = 10,
  practice = 11,
  network = 12,
  roster_resample = 13,
  network_weights = 14,
  // The engine's decisions (sim/engine.cpp).
  stage_up = 15,
  lapse = 16,
  reach = 17,
  engage = 18,
  opt_out = 19,
  holdout = 20,
  random_split = 21,
  rep_note = 22,
  // Live-test planning (sim/live_test.cpp): which arm an HCP or a cluster gets.
  assignment = 23,
  cluster_assignment = 24,
};

// SplitMix64's finaliser (Steele, Lea & Flood 2014, "Fast splittable
// pseudorandom number generators"): a bijective 64-bit mixer with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hashes the key (seed, replication, hcp, purpose) to a 64-bit stream key.
constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint32_t replication, std::uint64_t hcp,
                                   Purpose purpose) noexcept {
  std::uint64_t key = mix64(seed ^ 0x6a09e667f3bcc908ULL);
  key = mix64(key ^ replication);
  key = mix64(key ^ hcp);
  return mix64(key ^ static_cast<std::uint64_t>(purpose));
}

// A uniform in [0, 1) for one decision of one HCP on one day: the k-th draw of
// stream (seed, replication, hcp, purpose) on that day. Two arms asking the
// same question of the same HCP on the same day get the same number (common
// random numbers).
inline double keyed_uniform(std::uint64_t stream, std::uint32_t day, std::uint32_t k) noexcept {
  const std::uint64_t z = mix64(stream ^ mix64((std::uint64_t{day} << 32) | k));
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// A 64-bit key for a stable name, such as a journey's name or a step's id:
// 64-bit FNV-1a (Fowler, Noll & Vo), then mix64 for avalanche. Draws keyed by
// names, never by positions or line numbers, stay the same when a file gains a
// comment or a list is reordered (docs/engine.md, Random numbers).
constexpr std::uint64_t name_key(std::string_view name) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return mix64(hash);
}

// Combines two keys (say, a journey's and a step's) into one; order matters.
constexpr std::uint64_t combine_keys(std::uint64_t outer, std::uint64_t inner) noexcept {
  return mix64(outer ^ mix64(inner + 0x3c6ef372fe94f82bULL));
}

// A uniform in [0, 1) for the decision named by `key` (see name_key) of one
// HCP on one day, from stream (seed, replication, hcp, purpose).
inline double named_uniform(std::uint64_t stream, std::uint32_t day, std::uint64_t key) noexcept {
  const std::uint64_t z = mix64(mix64(stream ^ key) ^ mix64(std::uint64_t{day}));
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// A uniform random bit generator over one keyed stream: output k is
// mix64(key + k * golden gamma), i.e. SplitMix64 started at the key. It meets
// the UniformRandomBitGenerator requirements, so Boost.Random distributions
// (whose algorithms do not change with the standard library) can draw from it.
class KeyedStream {
 public:
  using result_type = std::uint64_t;

  KeyedStream(std::uint64_t seed, std::uint32_t replication, std::uint64_t hcp,
              Purpose purpose) noexcept
      : state_(stream_key(seed, replication, hcp, purpose)) {}
  explicit KeyedStream(std::uint64_t key) noexcept : state_(key) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
  result_type operator()() noexcept {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // A uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace journeysim::agents
