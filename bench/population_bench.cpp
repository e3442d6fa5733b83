// Google Benchmark: population synthesis, with a 1-thread baseline beside the
// parallel run. Items processed = HCPs drawn.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/global_control.h>

#include "agents/population.hpp"
#include "sim/scenario.hpp"

namespace {

const journeysim::sim::Scenario& quickstart() {
  static const journeysim::sim::Scenario scenario =
      journeysim::sim::load_scenario(JOURNEYSIM_SOURCE_DIR "/scenarios/quickstart");
  return scenario;
}

// Arguments: HCPs, threads.
void BM_SynthesizePopulation(benchmark::State& state) {
  journeysim::sim::Scenario scenario = quickstart();
  scenario.population.size = static_cast<std::uint32_t>(state.range(0));
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto population = journeysim::agents::synthesize_population(
        scenario.population, scenario.catalogue.channels, scenario.seed, 0);
    benchmark::DoNotOptimize(population.start_barriers.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SynthesizePopulation)
    ->Args({1000, 1})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LoadScenario(benchmark::State& state) {
  for (auto _ : state) {
    auto scenario = journeysim::sim::load_scenario(JOURNEYSIM_SOURCE_DIR "/scenarios/quickstart");
    benchmark::DoNotOptimize(scenario.population.segments.data());
  }
}
BENCHMARK(BM_LoadScenario)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
