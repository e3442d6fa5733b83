#include "sim/statistics.hpp"

#include <algorithm>
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

namespace {

double t_quantile(std::size_t n) {
  return boost::math::quantile(boost::math::students_t(static_cast<double>(n - 1)), 0.975);
}

double covariance(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t r = 0; r < x.size(); ++r) {
    mx += x[r];
    my += y[r];
  }
  mx /= n;
  my /= n;
  double c = 0.0;
  for (std::size_t r = 0; r < x.size(); ++r) c += (x[r] - mx) * (y[r] - my);
  return c / (n - 1.0);
}

}  // namespace

// Formula and source in sim/statistics.hpp.
RatioInterval ratio_of_means(const std::vector<double>& x, const std::vector<double>& y) {
  RatioInterval ratio;
  const MeanInterval mx = mean_interval(x);
  const MeanInterval my = mean_interval(y);
  if (x.size() < 2 || my.mean == 0.0) return ratio;
  ratio.estimate = mx.mean / my.mean;
  const double n = static_cast<double>(x.size());
  const double variance = (my.sd * my.sd * mx.mean * mx.mean / std::pow(my.mean, 4) -
                           2.0 * mx.mean * covariance(x, y) / std::pow(my.mean, 3) +
                           mx.sd * mx.sd / (my.mean * my.mean)) /
                          n;
  const double half = t_quantile(x.size()) * std::sqrt(std::max(0.0, variance));
  ratio.lower = ratio.estimate - half;
  ratio.upper = ratio.estimate + half;
  ratio.estimable = my.lower > 0.0 || my.upper < 0.0;
  return ratio;
}

std::vector<double> differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t r = 0; r < a.size(); ++r) d[r] = a[r] - b[r];
  return d;
}

}  // namespace journeysim::sim
