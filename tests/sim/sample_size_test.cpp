// Known answers for sim/sample_size.hpp, taken from R itself, plus bad input
// and the monotonicity every power calculation must have.
//
// How the expected values were obtained: R 4.2.2 (Debian r-base-core
// 4.2.2.20221110-2) with pwr 1.3-0 (r-cran-pwr 1.3-0+dfsg-1) and Hmisc 4.8-0
// (r-cran-hmisc 4.8-0-1), run on 2026-11-24 with options(digits = 15). The
// rows below are R's output, pasted as printed with sprintf("%.10f") or
// "%.12f"; no value was computed any other way. The R expressions per table:
//
//   Equal arms, HCPs per arm (kSizes), for each row (p0, p1, a, pw):
//     power.prop.test(p1 = p0, p2 = p1, sig.level = a, power = pw)$n    -> r_n
//     power.prop.test(..., tol = 1e-12)$n                               -> r_root
//     h <- ES.h(p1, p0); pwr.2p.test(h = h, sig.level = a, power = pw)$n -> pwr_n
//     uniroot(function(n) pwr.2p.test(h = h, n = n, sig.level = a)$power - pw,
//             c(2 + 1e-10, 1e9), tol = 1e-12)$root                      -> pwr_root
//     and ceiling() of each; r_n and r_root round up to the same HCP in every row,
//     as do pwr_n and pwr_root.
//   Equal arms, power (kPowers), for each row (p0, p1, a, n):
//     power.prop.test(n = n, p1 = p0, p2 = p1, sig.level = a)$power
//     pwr.2p.test(h = ES.h(p1, p0), n = n, sig.level = a)$power
//   Smallest detectable rate (kDetectable), for each row (p0, a, pw, n):
//     power.prop.test(n = n, p1 = p0, sig.level = a, power = pw)$p2     (and tol = 1e-12)
//     h <- pwr.2p.test(n = n, sig.level = a, power = pw)$h; sin(asin(sqrt(p0)) + h/2)^2
//     (and h from uniroot(..., c(1e-10, 10), tol = 1e-14)$root)
//   Unequal arms, n2 = k n1 (kUnequalSizes), for each row (p0, p1, a, pw, k):
//     Hmisc::bsamsize(p0, p1, fraction = 1/(1 + k), alpha = a, power = pw)
//     uniroot(function(n) pwr.2p2n.test(h = ES.h(p1, p0), n1 = n, n2 = k * n,
//             sig.level = a)$power - pw, c(max(2, 2/k) + 1e-10, 1e9), tol = 1e-12)$root
//   Unequal arms, power (kUnequalPowers), for each row (p0, p1, a, n1, n2):
//     Hmisc::bpower(p0, p1, n1 = n1, n2 = n2, alpha = a), which counts the far tail
//     (like power.prop.test's strict = TRUE); that tail, pnorm((-ds - ex)/sd) in
//     bpower's own notation, subtracted in R gives the strict = FALSE value;
//     pwr.2p2n.test(h = ES.h(p1, p0), n1 = n1, n2 = n2, sig.level = a)$power
//
// R's power.prop.test has no allocation ratio: the unequal-arm pooled-variance
// rows come from Hmisc::bsamsize (Fleiss, Tytun & Ury 1980, no continuity correction), which
// reduces to power.prop.test's equation when k = 1.
#include "sim/sample_size.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>

#include "agents/input_error.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;

constexpr PowerReference kPooled = PowerReference::pooled_normal;
constexpr PowerReference kCohen = PowerReference::cohen_h;

// R's uniroot default tol = .Machine$double.eps^0.25 = 1.22e-4 bounds how far
// R's printed n, p2 or h may sit from the true root.
constexpr double kUnirootTol = 1.3e-4;
// Closed-form powers agree with R to rounding.
constexpr double kPowerTol = 1e-9;

// Relative agreement of two roots both solved to near machine precision.
double root_tol(double value) { return 1e-9 * std::max(1.0, std::abs(value)); }

struct SizeCase {
  double p0, p1, alpha, power;
  double r_n;
  std::uint64_t r_ceiling;
  double r_root;
  std::uint64_t r_root_ceiling;
  double pwr_n;
  std::uint64_t pwr_ceiling;
  double pwr_root;
  std::uint64_t pwr_root_ceiling;
};

// clang-format off
constexpr SizeCase kSizes[] = {
    {0.1, 0.15, 0.05, 0.8, 685.5968580658, 686, 685.5968583254, 686,
     680.3526621302, 681, 680.3526619128, 681},
    {0.1, 0.15, 0.05, 0.9, 917.3206404837, 918, 917.3206339284, 918,
     910.8010978391, 911, 910.8010973979, 911},
    {0.1, 0.15, 0.01, 0.8, 1020.4700462850, 1021, 1020.4700628076, 1021,
     1012.3529185699, 1013, 1012.3529471359, 1013},
    {0.1, 0.15, 0.01, 0.9, 1299.4722963874, 1300, 1299.4722964038, 1300,
     1289.7707449825, 1290, 1289.7707449804, 1290},
    {0.2, 0.25, 0.05, 0.8, 1093.7390458298, 1094, 1093.7390457662, 1094,
     1091.8961584836, 1092, 1091.8961587141, 1092},
    {0.3, 0.4, 0.05, 0.9, 476.0071969947, 477, 476.0071952751, 477,
     475.8065210559, 476, 475.8065164438, 476},
    {0.5, 0.75, 0.05, 0.9, 76.7069301141, 77, 76.7069284518, 77,
     76.6529405935, 77, 76.6529403564, 77},
    {0.05, 0.07, 0.05, 0.8, 2212.2047826105, 2213, 2212.2047823672, 2213,
     2198.4915832648, 2199, 2198.4915836579, 2199},
    {0.02, 0.03, 0.01, 0.9, 7251.2291053330, 7252, 7251.2291053331, 7252,
     7181.6166900278, 7182, 7181.6166884846, 7182},
    {0.6, 0.5, 0.05, 0.8, 387.3385166956, 388, 387.3385166990, 388,
     387.1677461543, 388, 387.1677462089, 388},
    {0.85, 0.95, 0.01, 0.8, 208.7756939245, 209, 208.7756939248, 209,
     196.9603273142, 197, 196.9603274423, 197},
    {0.4, 0.45, 0.01, 0.9, 2906.4474188695, 2907, 2906.4474186651, 2907,
     2906.2673276296, 2907, 2906.2673276296, 2907},
    {0.15, 0.1, 0.05, 0.8, 685.5968580658, 686, 685.5968583254, 686,
     680.3526621302, 681, 680.3526619128, 681},
    {0.01, 0.05, 0.05, 0.9, 380.1260842614, 381, 380.1260834780, 381,
     334.3837958603, 335, 334.3837923335, 335},
    {0.1, 0.5, 0.01, 0.8, 29.1619701014, 30, 29.1619837948, 30,
     27.1642969076, 28, 27.1642944472, 28},
    {0.5, 0.501, 0.001, 0.9, 10451936.5954884961, 10451937, 10451936.5954884924, 10451937,
     10451936.0411697216, 10451937, 10451936.0411722753, 10451937},
};
// clang-format on

struct PowerCase {
  double p0, p1, alpha, n;
  double r_power;    // power.prop.test
  double pwr_power;  // pwr.2p.test
};

constexpr PowerCase kPowers[] = {
    {0.1, 0.15, 0.05, 500, 0.667030628606, 0.670671344673},
    {0.1, 0.15, 0.01, 1000, 0.790194702843, 0.794093410730},
    {0.2, 0.25, 0.05, 1200, 0.835152078961, 0.835723675138},
    {0.3, 0.4, 0.05, 300, 0.729455255624, 0.730377612696},
    {0.5, 0.75, 0.05, 50, 0.740165901331, 0.744742886391},
    {0.05, 0.07, 0.05, 2000, 0.759214611277, 0.761817614209},
    {0.6, 0.5, 0.01, 400, 0.605729207060, 0.607112788369},
    {0.02, 0.03, 0.05, 100, 0.065799454411, 0.074054109207},
};

struct DetectableCase {
  double p0, alpha, power, n;
  double r_p2, r_root;      // power.prop.test, default tol and tol = 1e-12
  double pwr_p1, pwr_root;  // pwr.2p.test's h mapped back to a rate, default and tight tol
};

constexpr DetectableCase kDetectable[] = {
    {0.1, 0.05, 0.8, 500, 0.1594911467, 0.159466681134, 0.1591409677, 0.159141246844},
    {0.1, 0.01, 0.9, 1000, 0.1577302687, 0.157726980690, 0.1574324514, 0.157432906120},
    {0.5, 0.05, 0.9, 50, 0.8026140907, 0.802630581704, 0.8019172091, 0.801917289332},
    {0.02, 0.05, 0.8, 3000, 0.0314465580, 0.031449581774, 0.0313756223, 0.031373554976},
    {0.3, 0.01, 0.8, 200, 0.4655137263, 0.465511121912, 0.4651420970, 0.465142401440},
    {0.7, 0.05, 0.9, 100, 0.8841246301, 0.884123932805, 0.8821442538, 0.882143927357},
};

struct UnequalSizeCase {
  double p0, p1, alpha, power, ratio;
  double bsamsize_n1, bsamsize_n2;
  std::uint64_t pooled_control, pooled_treatment;  // ceiling() of the two
  double pwr_root;
  std::uint64_t pwr_control, pwr_treatment;  // ceiling(root), ceiling(ratio * root)
};

// clang-format off
constexpr UnequalSizeCase kUnequalSizes[] = {
    {0.1, 0.15, 0.05, 0.8, 2, 525.3318171126, 1050.6636342251, 526, 1051,
     510.2644964346, 511, 1021},
    {0.1, 0.15, 0.05, 0.8, 0.5, 1003.7929345584, 501.8964672792, 1004, 502,
     1020.5289928692, 1021, 511},
    {0.2, 0.3, 0.01, 0.9, 3, 377.4017560167, 1132.2052680502, 378, 1133,
     368.6436286462, 369, 1106},
    {0.05, 0.08, 0.05, 0.9, 1.5, 1190.7968793293, 1786.1953189940, 1191, 1787,
     1167.2660058593, 1168, 1751},
    {0.4, 0.3, 0.05, 0.8, 4, 218.2617479718, 873.0469918874, 219, 874,
     222.1370223853, 223, 889},
};
// clang-format on

struct UnequalPowerCase {
  double p0, p1, alpha, n1, n2;
  double bpower;         // Hmisc::bpower, far tail included
  double bpower_near;    // the same without the far tail (strict = FALSE)
  double pwr2p2n_power;  // pwr.2p2n.test
};

constexpr UnequalPowerCase kUnequalPowers[] = {
    {0.1, 0.15, 0.05, 400, 800, 0.680560402425, 0.680558586000, 0.698652296651},
    {0.2, 0.3, 0.01, 300, 100, 0.318602951591, 0.318596712047, 0.285431840299},
    {0.05, 0.08, 0.05, 1000, 1500, 0.842074352473, 0.842074185062, 0.850905929488},
};

ProportionTestDesign design(double p0, double alpha, double ratio = 1.0) {
  return ProportionTestDesign{p0, alpha, ratio};
}

TEST(SampleSize, EqualArmsMatchPowerPropTestAndPwr2pTestToTheHcp) {
  for (const SizeCase& c : kSizes) {
    SCOPED_TRACE(testing::Message() << "p0 " << c.p0 << " p1 " << c.p1 << " alpha " << c.alpha
                                    << " power " << c.power);
    ASSERT_EQ(c.r_ceiling, c.r_root_ceiling) << "table: R's tolerance changes the HCP";
    ASSERT_EQ(c.pwr_ceiling, c.pwr_root_ceiling) << "table: R's tolerance changes the HCP";
    const ArmSizes pooled =
        two_proportion_sample_size(kPooled, design(c.p0, c.alpha), c.p1, c.power);
    EXPECT_EQ(pooled.control, c.r_ceiling);
    EXPECT_EQ(pooled.treatment, c.r_ceiling);
    EXPECT_NEAR(pooled.exact_control, c.r_root, root_tol(c.r_root));
    EXPECT_NEAR(pooled.exact_control, c.r_n, kUnirootTol);
    const ArmSizes cohen = two_proportion_sample_size(kCohen, design(c.p0, c.alpha), c.p1, c.power);
    EXPECT_EQ(cohen.control, c.pwr_ceiling);
    EXPECT_EQ(cohen.treatment, c.pwr_ceiling);
    EXPECT_NEAR(cohen.exact_control, c.pwr_root, root_tol(c.pwr_root));
    EXPECT_NEAR(cohen.exact_control, c.pwr_n, kUnirootTol);
  }
}

TEST(SampleSize, EqualArmsPowerMatchesR) {
  for (const PowerCase& c : kPowers) {
    SCOPED_TRACE(testing::Message() << "p0 " << c.p0 << " p1 " << c.p1 << " n " << c.n);
    EXPECT_NEAR(two_proportion_power(kPooled, design(c.p0, c.alpha), c.p1, c.n), c.r_power,
                kPowerTol);
    EXPECT_NEAR(two_proportion_power(kCohen, design(c.p0, c.alpha), c.p1, c.n), c.pwr_power,
                kPowerTol);
  }
}

TEST(SampleSize, SmallestDetectableRateMatchesR) {
  for (const DetectableCase& c : kDetectable) {
    SCOPED_TRACE(testing::Message() << "p0 " << c.p0 << " n " << c.n << " power " << c.power);
    const std::optional<double> pooled =
        minimum_detectable_rate(kPooled, design(c.p0, c.alpha), c.n, c.power);
    ASSERT_TRUE(pooled.has_value());
    EXPECT_NEAR(*pooled, c.r_root, 1e-9);
    EXPECT_NEAR(*pooled, c.r_p2, kUnirootTol);
    const std::optional<double> cohen =
        minimum_detectable_rate(kCohen, design(c.p0, c.alpha), c.n, c.power);
    ASSERT_TRUE(cohen.has_value());
    EXPECT_NEAR(*cohen, c.pwr_root, 1e-9);
    EXPECT_NEAR(*cohen, c.pwr_p1, kUnirootTol);
  }
}

// bsamsize is the closed form of the pooled-variance equation, so it also checks
// the root finder.
TEST(SampleSize, UnequalArmsMatchBsamsizeAndPwr2p2nTest) {
  for (const UnequalSizeCase& c : kUnequalSizes) {
    SCOPED_TRACE(testing::Message() << "p0 " << c.p0 << " p1 " << c.p1 << " ratio " << c.ratio);
    const ProportionTestDesign d = design(c.p0, c.alpha, c.ratio);
    const ArmSizes pooled = two_proportion_sample_size(kPooled, d, c.p1, c.power);
    EXPECT_NEAR(pooled.exact_control, c.bsamsize_n1, 1e-9);
    EXPECT_NEAR(c.ratio * pooled.exact_control, c.bsamsize_n2, 1e-9);
    EXPECT_EQ(pooled.control, c.pooled_control);
    EXPECT_EQ(pooled.treatment, c.pooled_treatment);
    const ArmSizes cohen = two_proportion_sample_size(kCohen, d, c.p1, c.power);
    EXPECT_NEAR(cohen.exact_control, c.pwr_root, root_tol(c.pwr_root));
    EXPECT_EQ(cohen.control, c.pwr_control);
    EXPECT_EQ(cohen.treatment, c.pwr_treatment);
  }
}

TEST(SampleSize, UnequalArmsPowerMatchesBpowerAndPwr2p2nTest) {
  for (const UnequalPowerCase& c : kUnequalPowers) {
    SCOPED_TRACE(testing::Message()
                 << "p0 " << c.p0 << " p1 " << c.p1 << " n1 " << c.n1 << " n2 " << c.n2);
    const ProportionTestDesign d = design(c.p0, c.alpha, c.n2 / c.n1);
    const double pooled = two_proportion_power(kPooled, d, c.p1, c.n1);
    EXPECT_NEAR(pooled, c.bpower_near, kPowerTol);
    EXPECT_NEAR(pooled, c.bpower, 1e-4) << "the far tail is below 1e-5 in these rows";
    EXPECT_NEAR(two_proportion_power(kCohen, d, c.p1, c.n1), c.pwr2p2n_power, kPowerTol);
  }
}

// The examples in R's own help pages, to the digits they print.
TEST(SampleSize, RHelpPageExamples) {
  // ?power.prop.test: power.prop.test(n = 50, p1 = .50, p2 = .75) prints power = 0.7401659.
  EXPECT_NEAR(two_proportion_power(kPooled, design(0.5, 0.05), 0.75, 50), 0.7401659, 5e-8);
  // power.prop.test(p1 = .50, p2 = .75, power = .90) prints n = 76.70693 (its comment: 76.7).
  // 76.65294 is what pwr.2p.test(h = ES.h(.75, .5), power = .9) prints for the same test.
  const ArmSizes pooled = two_proportion_sample_size(kPooled, design(0.5, 0.05), 0.75, 0.9);
  EXPECT_NEAR(pooled.exact_control, 76.70693, kUnirootTol);
  EXPECT_EQ(pooled.control, 77U);
  EXPECT_NEAR(two_proportion_sample_size(kCohen, design(0.5, 0.05), 0.75, 0.9).exact_control,
              76.65294, 5e-6);
  // power.prop.test(n = 50, p1 = .5, power = .90) prints p2 = 0.8026141 (comment: 0.8026).
  // R's uniroot stops within its tol of the root 0.8026306, which is what we return.
  const std::optional<double> p2 = minimum_detectable_rate(kPooled, design(0.5, 0.05), 50, 0.9);
  ASSERT_TRUE(p2.has_value());
  EXPECT_NEAR(*p2, 0.8026141, kUnirootTol);
  // power.prop.test(p1 = .5, p2 = 0.501, sig.level = .001, power = .90): n = 10451937.
  EXPECT_EQ(two_proportion_sample_size(kPooled, design(0.5, 0.001), 0.501, 0.9).control, 10451937U);
  // power.prop.test(n = 30, p1 = 0.90, p2 = NULL, power = 0.8) warns "No p2 in [p1, 1]
  // can be found" (it prints p2 = 1.030182): no rate of at most 1 is detectable.
  EXPECT_FALSE(minimum_detectable_rate(kPooled, design(0.9, 0.05), 30, 0.8).has_value());
  // pwr.2p.test(h = 0.3, n = 80, sig.level = 0.05) (two-sided; ?pwr.2p.test runs it
  // with alternative = "greater", Cohen 1988 exercise 6.1) prints power = 0.4751009.
  const double half_pi = std::asin(1.0);
  const double p_h03 = std::pow(std::sin(half_pi / 2.0 + 0.15), 2.0);
  ASSERT_NEAR(cohens_h(p_h03, 0.5), 0.3, 1e-12);
  EXPECT_NEAR(two_proportion_power(kCohen, design(0.5, 0.05), p_h03, 80), 0.4751009, 5e-8);
  // ?pwr.2p2n.test, Cohen (1988) exercise 6.7: pwr.2p2n.test(h = 0.20, n1 = 1600,
  // power = 0.9, sig.level = 0.01) prints n2 = 484.6646 (484.664561056795 in full),
  // found by uniroot at its default tol, so the power there is 0.9 to about 1e-8.
  const double p_h02 = std::pow(std::sin(half_pi / 2.0 + 0.10), 2.0);
  EXPECT_NEAR(
      two_proportion_power(kCohen, design(0.5, 0.01, 484.664561056795 / 1600.0), p_h02, 1600), 0.9,
      1e-7);
}

TEST(SampleSize, CohensHIsPwrEsH) {
  // ES.h(0.5, 0.4) = 0.2013579 (pwr 1.3-0; Cohen 1988 exercise 6.5).
  EXPECT_NEAR(cohens_h(0.5, 0.4), 0.2013579, 5e-8);
  EXPECT_DOUBLE_EQ(cohens_h(0.4, 0.5), -cohens_h(0.5, 0.4));
}

// The ceiling must land on the smallest whole arm that reaches the target.
TEST(SampleSize, CeilingIsTheSmallestSufficientArm) {
  for (const SizeCase& c : kSizes) {
    for (const PowerReference reference : {kPooled, kCohen}) {
      const ProportionTestDesign d = design(c.p0, c.alpha);
      const std::uint64_t n = two_proportion_sample_size(reference, d, c.p1, c.power).control;
      EXPECT_GE(two_proportion_power(reference, d, c.p1, static_cast<double>(n)), c.power);
      EXPECT_LT(two_proportion_power(reference, d, c.p1, static_cast<double>(n - 1)), c.power);
    }
  }
}

// Where power(n) hits the target at a whole n, root-finding noise must not add an HCP.
TEST(SampleSize, WholeRootIsNotRoundedUpAgain) {
  for (const PowerReference reference : {kPooled, kCohen}) {
    const ProportionTestDesign d = design(0.1, 0.05);
    const double power = two_proportion_power(reference, d, 0.15, 686.0);
    EXPECT_EQ(two_proportion_sample_size(reference, d, 0.15, power).control, 686U);
  }
}

TEST(SampleSize, MoreHcpsForSmallerDifferencesHigherPowerAndLowerAlpha) {
  for (const PowerReference reference : {kPooled, kCohen}) {
    double previous = 0.0;
    for (const double p1 : {0.30, 0.20, 0.15, 0.12, 0.11, 0.105}) {
      const double n =
          two_proportion_sample_size(reference, design(0.1, 0.05), p1, 0.8).exact_control;
      EXPECT_GT(n, previous) << "p1 " << p1;
      previous = n;
    }
    previous = 0.0;
    for (const double power : {0.5, 0.7, 0.8, 0.9, 0.95, 0.99}) {
      const double n =
          two_proportion_sample_size(reference, design(0.1, 0.05), 0.15, power).exact_control;
      EXPECT_GT(n, previous) << "power " << power;
      previous = n;
    }
    previous = 0.0;
    for (const double alpha : {0.2, 0.1, 0.05, 0.01, 0.001}) {
      const double n =
          two_proportion_sample_size(reference, design(0.1, alpha), 0.15, 0.8).exact_control;
      EXPECT_GT(n, previous) << "alpha " << alpha;
      previous = n;
    }
  }
}

TEST(SampleSize, PowerRisesWithHcpsAndDetectableRateFalls) {
  for (const PowerReference reference : {kPooled, kCohen}) {
    double previous_power = 0.0;
    double previous_rate = 1.0;
    for (const double n : {20.0, 50.0, 100.0, 500.0, 2000.0, 10000.0}) {
      const double power = two_proportion_power(reference, design(0.1, 0.05), 0.15, n);
      EXPECT_GT(power, previous_power) << "n " << n;
      previous_power = power;
      const std::optional<double> rate =
          minimum_detectable_rate(reference, design(0.1, 0.05), n, 0.8);
      ASSERT_TRUE(rate.has_value()) << "n " << n;
      EXPECT_LT(*rate, previous_rate) << "n " << n;
      EXPECT_GT(*rate, 0.1);
      previous_rate = *rate;
    }
  }
}

// The smallest detectable rate is where the power reaches the target.
TEST(SampleSize, DetectableRateGivesTheTargetPower) {
  for (const PowerReference reference : {kPooled, kCohen}) {
    for (const double ratio : {0.5, 1.0, 3.0}) {
      const ProportionTestDesign d = design(0.2, 0.05, ratio);
      const std::optional<double> rate = minimum_detectable_rate(reference, d, 300, 0.9);
      ASSERT_TRUE(rate.has_value());
      EXPECT_NEAR(two_proportion_power(reference, d, *rate, 300), 0.9, 1e-10);
    }
  }
}

// Which arm is called control does not matter to either reference with equal arms,
// and with unequal arms only the sizes, not the labels, matter.
TEST(SampleSize, SwappingArmsChangesNothing) {
  for (const PowerReference reference : {kPooled, kCohen}) {
    EXPECT_NEAR(two_proportion_power(reference, design(0.3, 0.05), 0.4, 250),
                two_proportion_power(reference, design(0.4, 0.05), 0.3, 250), 1e-14);
    // 200 control HCPs at 0.3 and 600 treated at 0.4 are 600 control HCPs at 0.4 and 200 treated at
    // 0.3.
    EXPECT_NEAR(two_proportion_power(reference, design(0.3, 0.05, 3.0), 0.4, 200),
                two_proportion_power(reference, design(0.4, 0.05, 1.0 / 3.0), 0.3, 600), 1e-12);
  }
}

// The error bad input throws, or nullopt if it throws none.
std::optional<InputError> input_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error;
  }
  return std::nullopt;
}

::testing::AssertionResult rejects(const std::function<void()>& call, const std::string& field,
                                   const std::string& text) {
  const std::optional<InputError> error = input_error(call);
  if (!error) return ::testing::AssertionFailure() << "no InputError";
  if (error->where().field != field) {
    return ::testing::AssertionFailure()
           << "field '" << error->where().field << "': " << error->what();
  }
  if (std::string(error->what()).find(text) == std::string::npos) {
    return ::testing::AssertionFailure() << "no '" << text << "' in: " << error->what();
  }
  return ::testing::AssertionSuccess();
}

TEST(SampleSize, BadInputNamesTheOptionAndSaysWhy) {
  const auto size = [](double p0, double p1, double alpha, double power, double ratio) {
    return [=] { (void)two_proportion_sample_size(kPooled, design(p0, alpha, ratio), p1, power); };
  };
  const auto power = [](double p0, double p1, double n, double ratio) {
    return [=] { (void)two_proportion_power(kCohen, design(p0, 0.05, ratio), p1, n); };
  };
  const auto mde = [](double p0, double n, double target) {
    return [=] { (void)minimum_detectable_rate(kCohen, design(p0, 0.05), n, target); };
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(rejects(size(0.1, 0.1, 0.05, 0.8, 1), "--p-treatment",
                      "equals --p-control (0.1); the test needs two different rates"));
  EXPECT_TRUE(rejects(power(0.2, 0.2, 100, 1), "--p-treatment", "two different rates"));
  for (const double p : {0.0, 1.0, -0.1, 1.5, nan}) {
    EXPECT_TRUE(rejects(size(p, 0.5, 0.05, 0.8, 1), "--p-control",
                        "expected a rate strictly between 0 and 1"))
        << p;
    EXPECT_TRUE(rejects(size(0.5, p, 0.05, 0.8, 1), "--p-treatment",
                        "expected a rate strictly between 0 and 1"))
        << p;
    EXPECT_TRUE(rejects(mde(p, 100, 0.8), "--p-control", "strictly between 0 and 1")) << p;
  }
  EXPECT_TRUE(rejects(size(0.1, 0.2, 0.0, 0.8, 1), "--alpha",
                      "expected alpha strictly between 0 and 1, found 0"));
  EXPECT_TRUE(rejects(size(0.1, 0.2, 1.0, 0.8, 1), "--alpha", "strictly between 0 and 1"));
  EXPECT_TRUE(rejects(size(0.1, 0.2, 0.05, 0.0, 1), "--power",
                      "expected power strictly between 0 and 1, found 0"));
  EXPECT_TRUE(rejects(size(0.1, 0.2, 0.05, 1.0, 1), "--power", "strictly between 0 and 1"));
  EXPECT_TRUE(rejects(size(0.1, 0.2, 0.05, 0.04, 1), "--power", "expected power above alpha"));
  EXPECT_TRUE(rejects(mde(0.1, 100, 1.2), "--power", "strictly between 0 and 1"));
  for (const double ratio : {0.0, -1.0, nan}) {
    EXPECT_TRUE(rejects(size(0.1, 0.2, 0.05, 0.8, ratio), "--ratio",
                        "expected treatment HCPs per control HCP above 0"))
        << ratio;
  }
  for (const double n : {1.0, 0.5, 0.0, -3.0, nan}) {
    EXPECT_TRUE(rejects(power(0.1, 0.2, n, 1), "--n", "expected more than 1 HCP per arm")) << n;
    EXPECT_TRUE(rejects(mde(0.1, n, 0.8), "--n", "expected more than 1 HCP per arm")) << n;
  }
  EXPECT_TRUE(rejects(power(0.1, 0.2, 10, 0.05), "--n", "both arms need more than 1"));
  EXPECT_TRUE(rejects(size(0.5, 0.5 + 1e-9, 0.05, 0.8, 1), "--p-treatment", "too close"));
  // The message reads as a command-line error.
  const std::optional<InputError> error = input_error(size(0.1, 0.2, 0.05, 0.8, 0));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(std::string(error->what()).rfind("<command line>: field '--ratio': ", 0), 0U)
      << error->what();
}

}  // namespace
}  // namespace journeysim::sim
