// Google Benchmark: the engine's hot paths. run_arm on the Bass reference
// (no journey: the idle-day path) and on quickstart's barrier_matched arm
// (journeys, touches, the field force), each at 1 and 2 threads, and the
// response-model functions the daily loop calls per touch or per HCP-day.
// Items processed: HCP-days for run_arm, calls for the response model.
// End-to-end figures at full size come from bench/throughput.cpp.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/global_control.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "agents/peer_network.hpp"
#include "agents/population.hpp"
#include "agents/response_model.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace journeysim::sim {
namespace {

constexpr const char* kBassReference = JOURNEYSIM_SOURCE_DIR "/bench/scenarios/bass-reference";
constexpr const char* kQuickstart = JOURNEYSIM_SOURCE_DIR "/scenarios/quickstart";

// A scenario resized to n HCPs with its replication-0 population and network,
// built once: the benchmark runner calls each benchmark several times.
struct Fixture {
  Scenario scenario;
  agents::Population population;
  agents::PeerNetwork network;
};

const Fixture& fixture(const std::string& path, std::uint32_t n) {
  static std::map<std::pair<std::string, std::uint32_t>, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[{path, n}];
  if (!slot) {
    slot = std::make_unique<Fixture>();
    slot->scenario = load_scenario(path);
    override_population_size(slot->scenario, n);
    slot->population = agents::synthesize_population(
        slot->scenario.population, slot->scenario.catalogue.channels, slot->scenario.seed, 0);
    slot->network =
        agents::build_network(slot->scenario.network, slot->population, slot->scenario.seed, 0);
  }
  return *slot;
}

std::size_t arm_index(const Scenario& scenario, const std::string& name) {
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    if (scenario.arms[a].name == name) return a;
  }
  throw std::logic_error("no arm named " + name + " in " + scenario.name);
}

// One arm, one replication, HCP outcomes not kept (as `journeysim run
// --no-hcp-outcomes`); range(0) HCPs, range(1) threads.
void run_arm_benchmark(benchmark::State& state, const char* path, const std::string& arm) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const Fixture& fx = fixture(path, n);
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(state.range(1)));
  const RunPlan plan{arm_index(fx.scenario, arm), 0, fx.scenario.seed, false};
  std::uint64_t trialists = 0;
  for (auto _ : state) {
    const RunResult result = run_arm(fx.scenario, fx.population, fx.network, plan);
    trialists = result.trialists;
    benchmark::DoNotOptimize(trialists);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n) *
                          static_cast<std::int64_t>(fx.scenario.horizon_days));
  state.counters["trialists"] = static_cast<double>(trialists);
}

// Network Bass diffusion: one hazard addition per HCP-day, peer pushes on adoption.
void BM_RunArmBass(benchmark::State& state) {
  run_arm_benchmark(state, kBassReference, "no_journey");
}

// The full model: journeys with several touches a month, caps, rep suggestions.
void BM_RunArmBarrierMatched(benchmark::State& state) {
  run_arm_benchmark(state, kQuickstart, "barrier_matched");
}

BENCHMARK(BM_RunArmBass)
    ->ArgNames({"hcps", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RunArmBarrierMatched)
    ->ArgNames({"hcps", "threads"})
    ->Args({20000, 1})
    ->Args({20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Inputs for the response-model benchmarks: quickstart's model and catalogue,
// and the starting barriers and affinities of 1,024 synthetic HCPs, cycled so
// that the compiler cannot fold the calls and branches see realistic data.
constexpr std::uint32_t kSampleHcps = 1024;

struct ModelInputs {
  const Scenario* scenario = nullptr;
  std::vector<agents::BarrierVector> barriers;
  std::vector<float> affinity;  // Of each HCP for channel 0.
  std::vector<float> fatigue;
};

const ModelInputs& model_inputs() {
  static const ModelInputs inputs = [] {
    ModelInputs in;
    const Fixture& fx = fixture(kQuickstart, kSampleHcps);
    in.scenario = &fx.scenario;
    in.barriers = fx.population.start_barriers;
    for (std::uint32_t h = 0; h < kSampleHcps; ++h) {
      in.affinity.push_back(fx.population.channel_affinity(h, 0));
      in.fatigue.push_back(static_cast<float>(h % 9) * 0.5F);
    }
    return in;
  }();
  return inputs;
}

void BM_EngagementProbability(benchmark::State& state) {
  const ModelInputs& in = model_inputs();
  const auto& catalogue = in.scenario->catalogue;
  std::uint32_t h = 0;
  std::size_t c = 0;
  for (auto _ : state) {
    const double p =
        agents::engagement_probability(in.scenario->model, catalogue.channels[0], in.affinity[h],
                                       in.fatigue[h], in.barriers[h], catalogue.content[c]);
    benchmark::DoNotOptimize(p);
    h = (h + 1) % kSampleHcps;
    c = (c + 1) % catalogue.content.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EngagementProbability);

// Each call starts from a fresh copy of the HCP's barriers (28 bytes), so
// repeated application cannot drive them into denormals.
void BM_ApplyContent(benchmark::State& state) {
  const ModelInputs& in = model_inputs();
  const auto& catalogue = in.scenario->catalogue;
  std::uint32_t h = 0;
  std::size_t c = 0;
  for (auto _ : state) {
    agents::BarrierVector barriers = in.barriers[h];
    agents::apply_content(in.scenario->model, catalogue.content[c], 0.75, barriers);
    benchmark::DoNotOptimize(barriers);
    h = (h + 1) % kSampleHcps;
    c = (c + 1) % catalogue.content.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyContent);

// Cycles through the five stages with a move up and peer shares in [0, 0.5).
void BM_UpwardHazard(benchmark::State& state) {
  const ModelInputs& in = model_inputs();
  std::uint32_t h = 0;
  int stage = 0;
  for (auto _ : state) {
    const double hazard =
        agents::upward_hazard(in.scenario->model, static_cast<agents::Stage>(stage), in.barriers[h],
                              static_cast<double>(h) / (2.0 * kSampleHcps));
    benchmark::DoNotOptimize(hazard);
    h = (h + 1) % kSampleHcps;
    stage = (stage + 1) % (agents::kStageCount - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UpwardHazard);

}  // namespace
}  // namespace journeysim::sim

BENCHMARK_MAIN();
