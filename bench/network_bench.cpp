// Micro-benchmarks of the peer network: building the clustered model, and the
// neighbour loops the engine runs over the CSR arrays every day.
//
// The 1M-HCP variants are opt-in (they take seconds and ~300 MB): set
// JOURNEYSIM_BENCH_LARGE=1 in the environment to register them.
#include <benchmark/benchmark.h>
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "agents/peer_network.hpp"
#include "agents/random_stream.hpp"

namespace journeysim::agents {
namespace {

constexpr std::uint64_t kSeed = 20240601;

// A population of n HCPs shaped like a market: practices cycle through sizes
// 1, 1, 4, 12 and 60 (solo, group, hospital), 50 regions, ~2% opinion leaders.
// Every array gets its proper size so the memory footprint is realistic.
Population bench_population(std::uint32_t n) {
  Population population;
  population.size = n;
  population.channel_count = 5;
  population.segment.assign(n, 0);
  population.specialty.assign(n, 0);
  population.practice_setting.assign(n, 0);
  population.region.resize(n);
  population.career_stage.assign(n, 0);
  population.practice.resize(n);
  population.patients_per_month.assign(n, 10.0F);
  population.opinion_leader.resize(n);
  population.known.assign(n, 1);
  population.start_stage.assign(n, Stage::unaware);
  population.start_barriers.assign(n, BarrierVector{});
  population.affinity.assign(std::size_t{n} * population.channel_count, 0.0F);
  population.consent.assign(n, 0);
  population.pseudonym.assign(n, 0);
  constexpr std::uint32_t kSizes[] = {1, 1, 4, 12, 60};
  std::uint32_t practice = 0;
  std::uint32_t left = kSizes[0];
  const std::uint32_t region_size = n / 50 + 1;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (left == 0) left = kSizes[++practice % 5];
    --left;
    population.practice[i] = practice;
    population.region[i] = static_cast<std::uint16_t>(i / region_size);
    population.opinion_leader[i] = mix64(i) % 100 < 2 ? 1 : 0;
  }
  return population;
}

// The default clustered spec: mean degree 10, half the ties in the practice.
NetworkSpec clustered_spec() {
  NetworkSpec spec;
  spec.model = NetworkModel::clustered;
  return spec;
}

// A built network with its adoption flags: ~10% of HCPs adopted.
struct Fixture {
  PeerNetwork network;
  std::vector<std::uint8_t> adopted;
  std::vector<std::uint32_t> adopters;
};

// Builds the fixture of n HCPs once and keeps it, since the benchmark runner
// calls each benchmark several times while it settles the iteration count.
const Fixture& fixture(std::uint32_t n) {
  static std::map<std::uint32_t, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<Fixture>();
    slot->network = build_network(clustered_spec(), bench_population(n), kSeed, 0);
    slot->adopted.resize(n);
    for (std::uint32_t h = 0; h < n; ++h) {
      slot->adopted[h] = mix64(h ^ 0xadULL) % 10 == 0 ? 1 : 0;
      if (slot->adopted[h] != 0) slot->adopters.push_back(h);
    }
  }
  return *slot;
}

// Builds the clustered network; range(0) HCPs, range(1) threads.
void BM_BuildClustered(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(state.range(1)));
  const Population population = bench_population(n);
  std::uint64_t ties = 0;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const PeerNetwork network = build_network(clustered_spec(), population, kSeed, 0);
    ties = network.tie_count();
    bytes = network.memory_bytes();
    benchmark::DoNotOptimize(network.graph().m_forward.m_column.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ties));
  state.counters["ties"] = static_cast<double>(ties);
  state.counters["network_MB"] = static_cast<double>(bytes) / 1e6;
}

// Sums the weights of adopted neighbours of HCPs [begin, end) into sums.
void pull_neighbour_sums(const Fixture& fx, std::uint32_t begin, std::uint32_t end,
                         std::vector<float>& sums) {
  for (std::uint32_t h = begin; h < end; ++h) {
    const auto peers = fx.network.peers(h);
    const auto ties = fx.network.ties(h);
    float sum = 0.0F;
    for (std::size_t k = 0; k < peers.size(); ++k) {
      // Branch-free: the adopted flag multiplies the weight.
      sum += static_cast<float>(fx.adopted[peers[k]]) * ties[k].weight;
    }
    sums[h] = sum;
  }
}

// One day of peer signal, pulled: every HCP sums its adopted neighbours' weights (serial).
void BM_NeighbourSumPull(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const Fixture& fx = fixture(n);
  std::vector<float> sums(n);
  for (auto _ : state) {
    pull_neighbour_sums(fx, 0, n, sums);
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["directed_ties"] = static_cast<double>(2 * fx.network.tie_count());
}

// The same pull in parallel over blocks of HCPs; range(1) threads. Each HCP
// writes its own slot, so the sums equal the serial ones.
void BM_NeighbourSumPullParallel(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const Fixture& fx = fixture(n);
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(state.range(1)));
  std::vector<float> sums(n);
  for (auto _ : state) {
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 4096),
                      [&](const tbb::blocked_range<std::uint32_t>& range) {
                        pull_neighbour_sums(fx, range.begin(), range.end(), sums);
                      });
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// The engine's pattern (engine-notes): the day's adopters push their tie
// weight, in fixed point so sums are order-independent, into neighbours' counts.
void BM_AdopterPush(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const Fixture& fx = fixture(n);
  std::vector<std::uint32_t> counts(n);
  constexpr float kFixedPointOne = 256.0F;
  std::uint64_t pushes = 0;
  for (const std::uint32_t a : fx.adopters) pushes += fx.network.degree(a);
  for (auto _ : state) {
    for (const std::uint32_t a : fx.adopters) {
      const auto peers = fx.network.peers(a);
      const auto ties = fx.network.ties(a);
      for (std::size_t k = 0; k < peers.size(); ++k) {
        counts[peers[k]] += static_cast<std::uint32_t>(ties[k].weight * kFixedPointOne);
      }
    }
    benchmark::DoNotOptimize(counts.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pushes));
}

BENCHMARK(BM_BuildClustered)
    ->ArgNames({"hcps", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NeighbourSumPull)->ArgName("hcps")->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NeighbourSumPullParallel)
    ->ArgNames({"hcps", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_AdopterPush)->ArgName("hcps")->Arg(100000)->Unit(benchmark::kMicrosecond);

// Registers the 1M-HCP variants when JOURNEYSIM_BENCH_LARGE is set.
bool register_large_benchmarks() {
  if (std::getenv("JOURNEYSIM_BENCH_LARGE") == nullptr) return false;
  benchmark::RegisterBenchmark("BM_BuildClustered", BM_BuildClustered)
      ->ArgNames({"hcps", "threads"})
      ->Args({1000000, 1})
      ->Args({1000000, 2})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_NeighbourSumPull", BM_NeighbourSumPull)
      ->ArgName("hcps")
      ->Arg(1000000)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_NeighbourSumPullParallel", BM_NeighbourSumPullParallel)
      ->ArgNames({"hcps", "threads"})
      ->Args({1000000, 1})
      ->Args({1000000, 2})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  return true;
}

[[maybe_unused]] const bool kLargeRegistered = register_large_benchmarks();

}  // namespace
}  // namespace journeysim::agents

BENCHMARK_MAIN();
