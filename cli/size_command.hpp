#pragma once
// journeysim size: HCPs per arm, power, or minimum detectable effect of the live
// test's two-sided comparison of two proportions, printed under both R
// references (power.prop.test and pwr.2p.test). See docs/statistics.md.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>

namespace journeysim::cli {

struct SizeOptions {
  double p_control = 0.0;             // --p-control: rate in the control arm.
  std::optional<double> p_treatment;  // --p-treatment: rate in the treatment arm; not with --mde.
  double alpha = 0.05;                // --alpha: two-sided significance level.
  std::optional<double> power;        // --power: target power (default 0.8); not with --n alone.
  double ratio = 1.0;                 // --ratio: treatment HCPs per control HCP.
  std::optional<double> n;            // --n: control HCPs; asks for the power, or the MDE.
  bool mde = false;                   // --mde: ask for the minimum detectable treatment rate.
};

// Prints HCPs per arm (or the power with n, or the smallest detectable treatment
// rate with n and mde) under both references to out. Throws agents::InputError
// for bad values or options that do not go together.
void run_size(const SizeOptions& options, std::ostream& out);

// Registers the size subcommand on app.
void add_size(CLI::App& app);

}  // namespace journeysim::cli
