#include "sim/sample_size.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "agents/input_error.hpp"

namespace journeysim::sim {
namespace {

using boost::math::normal;

// Beyond this an arm is not a test anyone will run, and doubles stop resolving single HCPs.
constexpr double kMaxHcps = 1e15;
// The fewest HCPs per arm that a two-proportion test can use (also pwr's lower bound).
constexpr std::uint64_t kMinHcps = 2;
// Grid on (p_control, 1] that finds the first crossing of the target power
// before refining it, so the smallest detectable rate is found even where
// power is not monotone in the rate.
constexpr int kRateGrid = 256;

[[noreturn]] void bad_input(const char* option, const std::string& message) {
  throw agents::InputError({"<command line>", 0, option}, message);
}

void check_open_unit(double value, const char* option, const char* what) {
  if (!(value > 0.0 && value < 1.0)) {
    bad_input(option, fmt::format("expected {} strictly between 0 and 1, found {}", what, value));
  }
}

void check_design(const ProportionTestDesign& design) {
  check_open_unit(design.p_control, "--p-control", "a rate");
  check_open_unit(design.alpha, "--alpha", "alpha");
  if (!(design.ratio > 0.0) || !std::isfinite(design.ratio)) {
    bad_input("--ratio", fmt::format("expected treatment HCPs per control HCP above 0, found {}",
                                     design.ratio));
  }
}

void check_treatment(const ProportionTestDesign& design, double p_treatment) {
  check_open_unit(p_treatment, "--p-treatment", "a rate");
  if (p_treatment == design.p_control) {
    bad_input(
        "--p-treatment",
        fmt::format("equals --p-control ({}); the test needs two different rates", p_treatment));
  }
}

void check_n(const ProportionTestDesign& design, double n_control) {
  if (!(n_control > 1.0) || !std::isfinite(n_control)) {
    bad_input("--n", fmt::format("expected more than 1 HCP per arm, found {}", n_control));
  }
  if (!(design.ratio * n_control > 1.0)) {
    bad_input("--n", fmt::format("with --ratio {} the treatment arm would have {} HCPs; both "
                                 "arms need more than 1",
                                 design.ratio, design.ratio * n_control));
  }
}

void check_power(const ProportionTestDesign& design, double power) {
  check_open_unit(power, "--power", "power");
  if (power <= design.alpha) {
    bad_input("--power",
              fmt::format("expected power above alpha ({}): with no effect at all the test "
                          "already rejects with probability alpha, found {}",
                          design.alpha, power));
  }
}

// z_{1 - alpha/2}, as R's qnorm(sig.level / 2, lower.tail = FALSE).
double upper_z(double alpha) { return quantile(complement(normal(), alpha / 2.0)); }

// R stats::power.prop.test's power expression with strict = FALSE:
//   pnorm((sqrt(n) * |p1 - p2| - qnorm(sig.level/2, lower = FALSE) * sqrt((p1 + p2) *
//          (1 - (p1 + p2)/2))) / sqrt(p1 (1 - p1) + p2 (1 - p2)))
// (R's p1, p2 are our control and treatment rates), generalised to n2 = ratio * n1
// as in Fleiss, Tytun & Ury (1980) without the continuity correction
// (Hmisc::bsamsize): pooled p = (p1 + ratio p2) / (1 + ratio) under H0. With
// ratio = 1 the two expressions are the same.
double pooled_power(double p_control, double p_treatment, double z, double ratio, double n) {
  const double pooled = (p_control + ratio * p_treatment) / (1.0 + ratio);
  const double null_sd = std::sqrt((1.0 + ratio) * pooled * (1.0 - pooled));
  const double alternative_sd =
      std::sqrt(ratio * p_control * (1.0 - p_control) + p_treatment * (1.0 - p_treatment));
  return cdf(normal(), (std::sqrt(ratio * n) * std::abs(p_treatment - p_control) - z * null_sd) /
                           alternative_sd);
}

// pwr::pwr.2p2n.test's two-sided power expression with n1 = n, n2 = ratio * n
// (pwr.2p.test when ratio = 1, where n1 n2 / (n1 + n2) = n / 2):
//   pnorm(z - h sqrt(n1 n2 / (n1 + n2)), lower = FALSE) + pnorm(-z - h sqrt(...)).
double arcsine_power(double h, double z, double ratio, double n) {
  const double shift = std::abs(h) * std::sqrt(n * ratio / (1.0 + ratio));
  return cdf(complement(normal(), z - shift)) + cdf(normal(), -z - shift);
}

double power_unchecked(PowerReference reference, const ProportionTestDesign& design,
                       double p_treatment, double n_control) {
  const double z = upper_z(design.alpha);
  if (reference == PowerReference::pooled_normal) {
    return pooled_power(design.p_control, p_treatment, z, design.ratio, n_control);
  }
  return arcsine_power(cohens_h(p_treatment, design.p_control), z, design.ratio, n_control);
}

// The root of an f with f(lo) < 0 <= f(hi), to a few ulps; R's uniroot stops at
// tol = 1.2e-4 instead, which rounds to the same whole HCP except within 1e-4 of one.
template <typename F>
double bracketed_root(F f, double lo, double hi, double f_lo, double f_hi) {
  if (f_hi == 0.0) return hi;
  constexpr std::uintmax_t kMaxIterations = 200;
  std::uintmax_t iterations = kMaxIterations;
  const auto [a, b] = boost::math::tools::toms748_solve(
      f, lo, hi, f_lo, f_hi,
      boost::math::tools::eps_tolerance<double>(std::numeric_limits<double>::digits - 3),
      iterations);
  if (iterations >= kMaxIterations) {
    throw std::logic_error(fmt::format("sample size: no root in [{}, {}] after {} iterations", lo,
                                       hi, kMaxIterations));
  }
  return a + (b - a) / 2.0;
}

// Rounds HCPs up as R users do with ceiling(n), but forgives the root's own
// rounding noise: at a whole n with power(n) = target exactly, n is enough.
std::uint64_t round_up(double hcps) {
  const double noise = std::max(1e-7, 16.0 * std::numeric_limits<double>::epsilon() * hcps);
  return std::max(kMinHcps, static_cast<std::uint64_t>(std::ceil(hcps - noise)));
}

}  // namespace

double cohens_h(double p_treatment, double p_control) {
  return 2.0 * std::asin(std::sqrt(p_treatment)) - 2.0 * std::asin(std::sqrt(p_control));
}

double two_proportion_power(PowerReference reference, const ProportionTestDesign& design,
                            double p_treatment, double n_control) {
  check_design(design);
  check_treatment(design, p_treatment);
  check_n(design, n_control);
  return power_unchecked(reference, design, p_treatment, n_control);
}

ArmSizes two_proportion_sample_size(PowerReference reference, const ProportionTestDesign& design,
                                    double p_treatment, double power) {
  check_design(design);
  check_treatment(design, p_treatment);
  check_power(design, power);
  // Both references' power rises with n, so doubling brackets the root; R's
  // uniroot searches [1, 1e7] (power.prop.test, extended upwards) and
  // [2, 1e9] (pwr.2p.test) for the same root.
  const auto shortfall = [&](double n) {
    return power_unchecked(reference, design, p_treatment, n) - power;
  };
  double lo = 0.0;
  double f_lo = shortfall(lo);
  double exact = 0.0;
  if (f_lo < 0.0) {
    double hi = 1.0;
    double f_hi = shortfall(hi);
    while (f_hi < 0.0) {
      if (hi * std::max(1.0, design.ratio) > kMaxHcps) {
        bad_input("--p-treatment",
                  fmt::format("{} and {} are too close: an arm would need more than {:g} HCPs",
                              design.p_control, p_treatment, kMaxHcps));
      }
      lo = hi;
      f_lo = f_hi;
      hi *= 2.0;
      f_hi = shortfall(hi);
    }
    exact = bracketed_root(shortfall, lo, hi, f_lo, f_hi);
  }
  ArmSizes sizes;
  sizes.exact_control = exact;
  sizes.control = round_up(exact);
  sizes.treatment = round_up(design.ratio * exact);
  return sizes;
}

std::optional<double> minimum_detectable_rate(PowerReference reference,
                                              const ProportionTestDesign& design, double n_control,
                                              double power) {
  check_design(design);
  check_n(design, n_control);
  check_power(design, power);
  const double p0 = design.p_control;
  const double z = upper_z(design.alpha);
  if (reference == PowerReference::cohen_h) {
    // Power rises with h, and p = sin^2(asin(sqrt(p0)) + h / 2) reaches 1 at h_max;
    // pwr.2p.test(n, power) solves the same equation for h by uniroot.
    const double half_pi = boost::math::constants::half_pi<double>();
    const double base = std::asin(std::sqrt(p0));
    const double h_max = 2.0 * (half_pi - base);
    const auto shortfall = [&](double h) {
      return arcsine_power(h, z, design.ratio, n_control) - power;
    };
    const double f_max = shortfall(h_max);
    if (f_max < 0.0) return std::nullopt;
    const double h = bracketed_root(shortfall, 0.0, h_max, shortfall(0.0), f_max);
    const double root = std::sin(base + h / 2.0);
    return std::min(1.0, root * root);
  }
  // power.prop.test(n, p1 = p0, power) solves for p2 by uniroot on [p0, 1].
  const auto shortfall = [&](double p) {
    return pooled_power(p0, p, z, design.ratio, n_control) - power;
  };
  double lo = p0;
  double f_lo = shortfall(lo);
  for (int step = 1; step <= kRateGrid; ++step) {
    const double hi = step == kRateGrid ? 1.0 : p0 + (1.0 - p0) * step / kRateGrid;
    const double f_hi = shortfall(hi);
    if (f_hi >= 0.0) return bracketed_root(shortfall, lo, hi, f_lo, f_hi);
    lo = hi;
    f_lo = f_hi;
  }
  return std::nullopt;
}

}  // namespace journeysim::sim
