#pragma once
// Summary statistics across replications.
#include <cstddef>
#include <span>

namespace journeysim::sim {

// A mean with its two-sided 95% confidence interval.
struct MeanInterval {
  double mean = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  double sd = 0.0;  // Sample standard deviation (n - 1 in the denominator).
  std::size_t n = 0;
};

// Mean and Student-t interval mean +- t(0.975, n-1) * sd / sqrt(n) of
// independent replications (e.g. Law, "Simulation Modeling and Analysis",
// 5th ed., eq. 4.12). With n < 2 the interval collapses to the mean.
MeanInterval mean_interval(std::span<const double> values);

}  // namespace journeysim::sim
