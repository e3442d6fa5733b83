#pragma once
// Sample size, power and minimum detectable effect of the live A/B test, read
// as a two-sided test of two proportions (the share of HCPs who prescribe in
// the control and the treatment arm). Every quantity comes under two published
// references, which R users know and which differ slightly: see
// docs/statistics.md ("Sample size and power for the live test").
#include <cstdint>
#include <optional>

namespace journeysim::sim {

// The two references that journeysim size prints side by side.
enum class PowerReference {
  // R stats::power.prop.test with its default strict = FALSE: normal
  // approximation, pooled variance under H0, the far tail left out. Unequal
  // arms as Fleiss, Tytun & Ury (1980) without continuity correction
  // (= Hmisc::bsamsize).
  pooled_normal,
  // R pwr::pwr.2p.test (pwr::pwr.2p2n.test for unequal arms), Champely's pwr
  // package: Cohen's (1988, ch. 6) arcsine effect size h, both tails counted.
  cohen_h,
};

// The parts of a two-sided two-proportion test that every question shares.
struct ProportionTestDesign {
  double p_control = 0.1;  // Rate in the control arm, in (0, 1).
  double alpha = 0.05;     // Two-sided significance level, in (0, 1).
  double ratio = 1.0;      // Treatment HCPs per control HCP, > 0.
};

// HCPs a test needs: the exact root of power(n) = target and its rounding up.
struct ArmSizes {
  double exact_control = 0.0;   // Real-valued control HCPs, as R prints n.
  std::uint64_t control = 0;    // ceil(exact_control), at least 2.
  std::uint64_t treatment = 0;  // ceil(ratio * exact_control), at least 2.
};

// Cohen's (1988, eq. 6.2.1) h = 2 asin(sqrt(p_treatment)) - 2 asin(sqrt(p_control)),
// same as pwr::ES.h(p_treatment, p_control); both rates in [0, 1].
double cohens_h(double p_treatment, double p_control);

// Power, in (0, 1), of the test with n_control control HCPs and ratio * n_control
// treatment HCPs when the treatment rate is p_treatment. Throws agents::InputError
// for a rate outside (0, 1), equal rates, alpha outside (0, 1), ratio <= 0 or n_control <= 1.
double two_proportion_power(PowerReference reference, const ProportionTestDesign& design,
                            double p_treatment, double n_control);

// Smallest arms (rounded up, as R users do) whose power reaches power. Throws
// agents::InputError as two_proportion_power does, for power outside (alpha, 1),
// or when an arm would need more than 1e15 HCPs.
ArmSizes two_proportion_sample_size(PowerReference reference, const ProportionTestDesign& design,
                                    double p_treatment, double power);

// Smallest treatment rate above design.p_control that the test with n_control
// control HCPs detects with the given power, or nullopt if even a rate of 1 falls
// short. Throws agents::InputError as two_proportion_sample_size does.
std::optional<double> minimum_detectable_rate(PowerReference reference,
                                              const ProportionTestDesign& design, double n_control,
                                              double power);

}  // namespace journeysim::sim
