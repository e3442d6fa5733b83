#pragma once
// Summary statistics across replications.
#include <cstddef>
#include <span>
#include <vector>

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

// A ratio with its delta-method 95% interval; estimable is false when the
// denominator's own interval includes zero (the ratio is then meaningless).
struct RatioInterval {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  bool estimable = false;
};

// Ratio of means x̄ / ȳ of paired replications (x[r], y[r] from replication
// r) with the delta-method variance (1/n)(s_x²/ȳ² − 2 x̄ s_xy/ȳ³ + x̄² s_y²/ȳ⁴)
// (e.g. Casella & Berger, "Statistical Inference", 2nd ed., §5.5.4) and a
// Student-t interval. Not estimable with fewer than 2 pairs or ȳ = 0.
RatioInterval ratio_of_means(const std::vector<double>& x, const std::vector<double>& y);

// Element-wise a - b: the paired differences of two arms' replications.
std::vector<double> differences(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace journeysim::sim
