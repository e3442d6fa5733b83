#include "sim/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace journeysim::sim {

MeanInterval mean_interval(std::span<const double> values) {
  MeanInterval result;
  result.n = values.size();
  if (values.empty()) return result;
  double sum = 0.0;
  for (const double v : values) sum += v;
  result.mean = sum / static_cast<double>(values.size());
  result.lower = result.upper = result.mean;
  if (values.size() < 2) return result;
  double squares = 0.0;
  for (const double v : values) squares += (v - result.mean) * (v - result.mean);
  result.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
  const boost::math::students_t t(static_cast<double>(values.size() - 1));
  const double half =
      boost::math::quantile(t, 0.975) * result.sd / std::sqrt(static_cast<double>(values.size()));
  result.lower = result.mean - half;
  result.upper = result.mean + half;
  return result;
}

}  // namespace journeysim::sim
