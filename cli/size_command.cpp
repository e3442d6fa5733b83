#include "cli/size_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "agents/input_error.hpp"
#include "sim/sample_size.hpp"

namespace journeysim::cli {
namespace {

using sim::PowerReference;

constexpr double kDefaultPower = 0.8;

[[noreturn]] void bad_input(const char* option, const std::string& message) {
  throw agents::InputError({"<command line>", 0, option}, message);
}

// 1234567 -> "1,234,567", whatever the locale.
std::string grouped(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  text.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text.push_back(',');
    text.push_back(digits[i]);
  }
  return text;
}

// HCPs as given: grouped when whole, else with one decimal.
std::string hcps(double value) {
  if (value == std::floor(value) && value < 1e18) return grouped(static_cast<std::uint64_t>(value));
  return fmt::format("{:.1f}", value);
}

// What each reference is, in the words a reader can look up.
std::string label(PowerReference reference, bool equal_arms) {
  if (reference == PowerReference::pooled_normal) {
    return equal_arms ? "R power.prop.test, pooled-variance normal approximation"
                      : "pooled-variance normal approximation as R power.prop.test, for unequal "
                        "arms as Hmisc bsamsize (Fleiss, Tytun & Ury 1980)";
  }
  return equal_arms ? "Cohen's h, pwr.2p.test, arcsine transform"
                    : "Cohen's h, pwr.2p2n.test, arcsine transform";
}

void check_modes(const SizeOptions& options) {
  if (options.mde) {
    if (!options.n) bad_input("--mde", "needs --n: the smallest detectable rate is for given arms");
    if (options.p_treatment) {
      bad_input("--p-treatment", "--mde finds the treatment rate; leave out --p-treatment");
    }
    return;
  }
  if (!options.p_treatment) bad_input("--p-treatment", "required unless --mde is given");
  if (options.n && options.power) {
    bad_input("--power", "--n asks for the power of the test; leave out --power, or add --mde");
  }
}

std::string sizes_line(const sim::ProportionTestDesign& design, double p_treatment, double power) {
  const sim::ArmSizes pooled =
      sim::two_proportion_sample_size(PowerReference::pooled_normal, design, p_treatment, power);
  const sim::ArmSizes arcsine =
      sim::two_proportion_sample_size(PowerReference::cohen_h, design, p_treatment, power);
  std::string text;
  if (design.ratio == 1.0) {
    text = fmt::format("HCPs per arm: {} ({}); {} ({})\n", grouped(pooled.control),
                       label(PowerReference::pooled_normal, true), grouped(arcsine.control),
                       label(PowerReference::cohen_h, true));
  } else {
    text = fmt::format("HCPs in control + treatment: {} + {} ({}); {} + {} ({})\n",
                       grouped(pooled.control), grouped(pooled.treatment),
                       label(PowerReference::pooled_normal, false), grouped(arcsine.control),
                       grouped(arcsine.treatment), label(PowerReference::cohen_h, false));
  }
  return text + fmt::format("HCPs in the test: {} (pooled variance); {} (Cohen's h)\n",
                            grouped(pooled.control + pooled.treatment),
                            grouped(arcsine.control + arcsine.treatment));
}

// "with 500 HCPs per arm" or "with 500 control and 1,000 treatment HCPs".
std::string arms_phrase(const sim::ProportionTestDesign& design, double n) {
  if (design.ratio == 1.0) return fmt::format("with {} HCPs per arm", hcps(n));
  return fmt::format("with {} control and {} treatment HCPs", hcps(n), hcps(design.ratio * n));
}

std::string power_line(const sim::ProportionTestDesign& design, double p_treatment, double n) {
  const bool equal = design.ratio == 1.0;
  const double pooled =
      sim::two_proportion_power(PowerReference::pooled_normal, design, p_treatment, n);
  const double arcsine = sim::two_proportion_power(PowerReference::cohen_h, design, p_treatment, n);
  return fmt::format("Power {}: {:.4f} ({}); {:.4f} ({})\n", arms_phrase(design, n), pooled,
                     label(PowerReference::pooled_normal, equal), arcsine,
                     label(PowerReference::cohen_h, equal));
}

std::string detectable_line(const sim::ProportionTestDesign& design, double n, double power) {
  const bool equal = design.ratio == 1.0;
  const auto describe = [&](PowerReference reference) {
    const std::optional<double> rate = sim::minimum_detectable_rate(reference, design, n, power);
    if (!rate) return fmt::format("none up to 1 ({})", label(reference, equal));
    return fmt::format("{:.4f} (+{:.4f}; {})", *rate, *rate - design.p_control,
                       label(reference, equal));
  };
  return fmt::format("Smallest detectable treatment rate {}: {}; {}\n", arms_phrase(design, n),
                     describe(PowerReference::pooled_normal), describe(PowerReference::cohen_h));
}

}  // namespace

void run_size(const SizeOptions& options, std::ostream& out) {
  check_modes(options);
  const sim::ProportionTestDesign design{options.p_control, options.alpha, options.ratio};
  const double power = options.power.value_or(kDefaultPower);
  // The answer first: it checks every value, so bad input prints nothing but the error.
  const std::string answer = !options.n    ? sizes_line(design, *options.p_treatment, power)
                             : options.mde ? detectable_line(design, *options.n, power)
                                           : power_line(design, *options.p_treatment, *options.n);
  fmt::print(out, "Two-sided test of two proportions: control rate {}", design.p_control);
  if (options.p_treatment) {
    fmt::print(out, ", treatment rate {} (difference {:+.4g}, Cohen's h {:+.4f})",
               *options.p_treatment, *options.p_treatment - design.p_control,
               sim::cohens_h(*options.p_treatment, design.p_control));
  }
  fmt::print(out, ", alpha {}", design.alpha);
  if (!options.n || options.mde) fmt::print(out, ", power {}", power);
  if (design.ratio != 1.0) fmt::print(out, ", {} treatment HCPs per control HCP", design.ratio);
  fmt::print(out, "\n{}", answer);
  fmt::print(out,
             "The references differ in their variance: pooled under no effect, or made constant "
             "by the arcsine transform; see docs/statistics.md.\n");
}

void add_size(CLI::App& app) {
  auto options = std::make_shared<SizeOptions>();
  CLI::App* command = app.add_subcommand(
      "size",
      "HCPs per arm for the live test (or its power with --n, or the smallest detectable "
      "treatment rate with --n --mde), under R's power.prop.test and pwr.2p.test");
  command->add_option("--p-control", options->p_control, "Rate in the control arm, in (0, 1)")
      ->required();
  command->add_option("--p-treatment", options->p_treatment,
                      "Rate in the treatment arm, in (0, 1) (not with --mde)");
  command->add_option("--alpha", options->alpha, "Two-sided significance level (default 0.05)");
  command->add_option("--power", options->power, "Target power (default 0.8; not with --n alone)");
  command->add_option("--ratio", options->ratio, "Treatment HCPs per control HCP (default 1)");
  command->add_option("--n", options->n,
                      "HCPs in the control arm: print the power instead of the HCPs needed");
  command->add_flag("--mde", options->mde,
                    "With --n: print the smallest treatment rate above --p-control detectable "
                    "with --power");
  command->callback([options] { run_size(*options, std::cout); });
}

}  // namespace journeysim::cli
