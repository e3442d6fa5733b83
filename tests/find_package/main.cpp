// Loads a scenario through the installed library and prints its population size.
#include <iostream>

#include "agents/population.hpp"
#include "sim/scenario.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto scenario = journeysim::sim::load_scenario(argv[1]);
  const auto population = journeysim::agents::synthesize_population(
      scenario.population, scenario.catalogue.channels, scenario.seed, 0);
  std::cout << "consumer: " << population.size << " HCPs\n";
  return population.size == scenario.population.size ? 0 : 1;
}
