// Selecting the best arm: KN's guarantee and savings on synthetic normal arms with
// common random numbers, OCBA against equal allocation, the bootstrap
// probability of being best, and Holm's adjustment against R's p.adjust.
#include "sim/selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <iostream>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/random_stream.hpp"

namespace journeysim::sim {
namespace {

constexpr std::uint64_t kSeed = 20260611;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The message of the exception f throws as E; fails the test if it throws nothing.
template <typename E, typename F>
std::string thrown_message(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return {};
}

#define EXPECT_THROW_MSG(statement, type, fragment)                                     \
  EXPECT_NE(thrown_message<type>([&] { statement; }).find(fragment), std::string::npos) \
      << "message lacks: " << (fragment)

// ---------------------------------------------------------------------------
// KN: known answers.

TEST(Selection, KnEtaMatchesTheSetupFormula) {
  // 1/2 [(2 * 0.05 / 4)^(-2/9) - 1], computed by hand (Python: 0.6349672651536731).
  EXPECT_NEAR(kn_eta(5, 0.05, 10), 0.6349672651536731, 1e-14);
  // (2 * 0.5 / 2)^(-2/2) = 2, so eta = 1/2 exactly.
  EXPECT_DOUBLE_EQ(kn_eta(3, 0.5, 3), 0.5);
}

// Three arms, alpha = 0.5, n0 = 3, delta = 1: eta = 1/2 and h^2 = 2 eta (n0 - 1) = 2.
// Arm 0 - arm 1 over the first stage is -2, 0, 2 (S^2 = 4), so h^2 S^2 / delta^2 = 8
// and r W_01(r) = (8 - r) / 2: 2.5, 2, 1.5 at r = 3, 4, 5. Arm 2 is arm 1 - 100
// (S^2_12 = 0, S^2_02 = 4). Running sums of arm 0 - arm 1: 0, 1, 2 at r = 3, 4, 5.
//  r = 3: arm 2 trails arm 1 by 300 > W = 0: out. Arms 0, 1: |0| < 2.5, both stay.
//  r = 4: |1| < 2: both stay.
//  r = 5: arm 1 - arm 0 = -2 < -1.5: arm 1 out; arm 0 selected.
constexpr double kArm0[] = {8.0, 10.0, 12.0, 11.0, 11.0, 11.0};

KnOptions hand_options() {
  return KnOptions{.arms = 3, .alpha = 0.5, .delta = 1.0, .n0 = 3, .max_replications = 100};
}

std::vector<double> hand_sample(std::uint32_t r, const std::vector<bool>& alive) {
  // Eliminated arms get NaN: KN must ignore them.
  return {kArm0[r], 10.0, alive[2] ? -90.0 : kNaN};
}

TEST(Selection, KnHandWorkedExample) {
  std::vector<std::vector<bool>> seen;
  const KnResult result = select_kn(hand_options(), [&](std::uint32_t r, const auto& alive) {
    EXPECT_EQ(r, seen.size()) << "replications must arrive in order";
    seen.push_back(alive);
    return hand_sample(r, alive);
  });
  EXPECT_EQ(result.best, 0U);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.replications_used, 5U);
  EXPECT_EQ(result.eliminated_at, (std::vector<std::uint32_t>{0, 5, 3}));
  EXPECT_EQ(result.observations, (std::vector<std::uint32_t>{5, 5, 3}));
  EXPECT_EQ(result.total_observations, 13U);
  EXPECT_DOUBLE_EQ(result.h2, 2.0);
  EXPECT_DOUBLE_EQ(result.means[0], 52.0 / 5.0);
  EXPECT_DOUBLE_EQ(result.means[1], 10.0);
  EXPECT_DOUBLE_EQ(result.means[2], -90.0);
  ASSERT_EQ(seen.size(), 5U);
  EXPECT_EQ(seen[2], (std::vector<bool>{true, true, true}));
  EXPECT_EQ(seen[3], (std::vector<bool>{true, true, false}));  // The runner may skip arm 2.
  EXPECT_NE(result.guarantee.find("P(correct selection) >= 0.5"), std::string::npos);
}

TEST(Selection, KnStopsAtTheCapWithoutAGuarantee) {
  KnOptions options = hand_options();
  options.max_replications = 4;
  const KnResult result = select_kn(options, hand_sample);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.replications_used, 4U);
  EXPECT_EQ(result.best, 0U);  // Sums 41 against 40.
  EXPECT_EQ(result.eliminated_at, (std::vector<std::uint32_t>{0, 0, 3}));
  EXPECT_EQ(result.guarantee.rfind("none", 0), 0U) << result.guarantee;
}

TEST(Selection, KnIncrementalFeedMatchesTheCallback) {
  KnSelector selector(hand_options());
  while (!selector.done()) {
    selector.observe(hand_sample(selector.next_replication(), selector.alive()));
  }
  const KnResult fed = selector.result();
  const KnResult called = select_kn(hand_options(), hand_sample);
  EXPECT_EQ(fed.best, called.best);
  EXPECT_EQ(fed.eliminated_at, called.eliminated_at);
  EXPECT_EQ(fed.means, called.means);
  EXPECT_THROW_MSG(selector.observe(hand_sample(5, selector.alive())), std::logic_error,
                   "after the procedure stopped");
}

TEST(Selection, KnIdenticalArmsStopOnceNoAllowanceIsLeft) {
  // Arms 0 and 1 are identical (S^2_01 = 0, as two arms whose journeys never differ give
  // under common random numbers): W_01 = 0 from the start, nothing can separate them, and
  // KN's first-stage rule selects the largest mean, the lower index on a tie.
  boost::random::mt19937_64 generator(kSeed);
  boost::random::normal_distribution<double> normal;
  const KnResult result = select_kn(KnOptions{.arms = 3, .alpha = 0.05, .delta = 0.1, .n0 = 5},
                                    [&](std::uint32_t, const std::vector<bool>&) {
                                      const double x = normal(generator);
                                      return std::vector<double>{x, x, x - 5.0};
                                    });
  EXPECT_EQ(result.best, 0U);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.replications_used, 5U);
  EXPECT_EQ(result.eliminated_at, (std::vector<std::uint32_t>{0, 0, 5}));
}

TEST(Selection, KnRejectsBadInput) {
  const auto make = [](KnOptions options) { KnSelector selector(options); };
  const KnOptions good{.arms = 4, .alpha = 0.05, .delta = 0.5, .n0 = 10};
  EXPECT_NO_THROW(make(good));
  KnOptions bad = good;
  bad.arms = 1;
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "arms must be at least 2, got 1");
  bad = good;
  bad.alpha = 0.0;
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "alpha must be in (0, 1 - 1/arms)");
  bad.alpha = 0.75;  // 1 - alpha = 1/k: no better than guessing.
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "got 0.75");
  bad.alpha = kNaN;
  EXPECT_THROW(make(bad), std::invalid_argument);
  bad = good;
  bad.delta = 0.0;
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "delta (indifference zone) must be positive");
  bad.delta = -1.0;
  EXPECT_THROW(make(bad), std::invalid_argument);
  bad.delta = kNaN;
  EXPECT_THROW(make(bad), std::invalid_argument);
  bad = good;
  bad.n0 = 1;
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "n0 (first-stage replications) must be at");
  bad = good;
  bad.max_replications = 9;
  EXPECT_THROW_MSG(make(bad), std::invalid_argument, "max_replications (9) must be at least n0");
  EXPECT_THROW(kn_eta(1, 0.05, 10), std::invalid_argument);

  KnSelector selector(good);
  EXPECT_THROW_MSG(selector.observe(std::vector<double>{1.0, 2.0}), std::logic_error,
                   "has 2 values for 4 arms");
  EXPECT_THROW_MSG(selector.observe(std::vector<double>{1.0, kNaN, 2.0, 3.0}),
                   std::invalid_argument, "replication 0 of arm 1 is not finite");
  EXPECT_THROW_MSG((void)selector.result(), std::logic_error, "before the procedure stopped");
}

// ---------------------------------------------------------------------------
// KN: the guarantee, by macro-replication.

// Arm i of a replication: mu_i + sigma_i (sqrt(rho) Z_0 + sqrt(1 - rho) Z_i), with Z_0
// shared by all arms: common random numbers with correlation rho between arms.
struct CrnArms {
  std::vector<double> means;
  std::vector<double> sds;
  double rho = 0.0;

  std::vector<double> draw(boost::random::mt19937_64& generator) const {
    boost::random::normal_distribution<double> normal;
    const double shared = normal(generator);
    std::vector<double> values(means.size());
    for (std::size_t i = 0; i < means.size(); ++i) {
      values[i] =
          means[i] + sds[i] * (std::sqrt(rho) * shared + std::sqrt(1.0 - rho) * normal(generator));
    }
    return values;
  }
};

struct KnRuns {
  std::uint32_t correct = 0;
  double mean_observations = 0.0;
  double sd_observations = 0.0;
  double mean_replications = 0.0;
};

KnRuns run_kn(const CrnArms& arms, std::size_t best, const KnOptions& options,
              std::uint32_t macro) {
  KnRuns runs;
  double sum = 0.0;
  double squares = 0.0;
  double replications = 0.0;
  for (std::uint32_t m = 0; m < macro; ++m) {
    boost::random::mt19937_64 generator(agents::mix64(kSeed + m));
    // Every arm is drawn even when eliminated, so the stream does not depend on eliminations.
    const KnResult result = select_kn(
        options, [&](std::uint32_t, const std::vector<bool>&) { return arms.draw(generator); });
    EXPECT_FALSE(result.truncated);
    runs.correct += result.best == best ? 1U : 0U;
    sum += static_cast<double>(result.total_observations);
    squares += static_cast<double>(result.total_observations) *
               static_cast<double>(result.total_observations);
    replications += result.replications_used;
  }
  runs.mean_observations = sum / macro;
  runs.sd_observations = std::sqrt((squares - sum * sum / macro) / (macro - 1.0));
  runs.mean_replications = replications / macro;
  return runs;
}

// If the true PCS were exactly 1 - alpha (KN's guarantee at the least favourable
// configuration), the number of correct selections in M independent macro-replications
// would be Binomial(M, 1 - alpha), with standard deviation sqrt(alpha (1 - alpha) / M)
// for the share. Falling 3 of those below 1 - alpha happens with probability about
// 0.0013 by chance, so failing this bound is evidence the guarantee is broken.
double pcs_floor(double alpha, std::uint32_t macro) {
  return (1.0 - alpha) - 3.0 * std::sqrt(alpha * (1.0 - alpha) / macro);
}

TEST(Selection, KnMeetsItsGuaranteeInTheSlippageConfigurationWithCrn) {
  // Slippage: the best is exactly delta above the others (the least favourable
  // configuration), common sigma = 1, correlation 0.5 between arms within a replication.
  constexpr std::size_t kArms = 5;
  constexpr std::size_t kBest = 2;  // Not arm 0, so index tie-breaks cannot help.
  constexpr double kDelta = 0.25;
  constexpr double kSigma = 1.0;
  constexpr double kRho = 0.5;
  constexpr double kAlpha = 0.05;
  constexpr std::uint32_t kMacro = 10000;
  CrnArms arms{std::vector<double>(kArms, 0.0), std::vector<double>(kArms, kSigma), kRho};
  arms.means[kBest] = kDelta;
  const KnOptions options{.arms = kArms, .alpha = kAlpha, .delta = kDelta, .n0 = 10};
  const KnRuns runs = run_kn(arms, kBest, options, kMacro);
  const double pcs = static_cast<double>(runs.correct) / kMacro;
  std::cout << "KN slippage, k = 5, rho = 0.5: PCS = " << pcs << " (floor "
            << pcs_floor(kAlpha, kMacro) << "), mean total observations " << runs.mean_observations
            << " (sd " << runs.sd_observations << "), mean replications " << runs.mean_replications
            << "\n";
  EXPECT_GE(pcs, pcs_floor(kAlpha, kMacro));

  // Fixed-sample benchmark: Bonferroni over the k - 1 pairs (best, i) with the variance of
  // the paired difference known, sigma_D^2 = 2 sigma^2 (1 - rho). Taking n per arm with
  // P(Xbar_b - Xbar_i <= 0) <= alpha / (k - 1) whenever mu_b - mu_i >= delta gives
  // PCS >= 1 - alpha, the same guarantee; n = ceil(z^2_{1 - alpha/(k-1)} sigma_D^2 / delta^2).
  // It is fair, even generous, to the fixed design: it enjoys the same CRN variance
  // reduction and is told sigma_D, which KN has to estimate from n0 replications.
  const boost::math::normal standard;
  const double z = boost::math::quantile(standard, 1.0 - kAlpha / (kArms - 1));
  const double var_diff = 2.0 * kSigma * kSigma * (1.0 - kRho);
  const double per_arm = std::ceil(z * z * var_diff / (kDelta * kDelta));
  const double fixed_total = per_arm * kArms;
  std::cout << "Bonferroni fixed-n with known sigma_D: " << per_arm << " per arm, " << fixed_total
            << " observations\n";
  // KN's mean plus 3 standard errors, so the saving is not a fluke of the seed.
  EXPECT_LT(runs.mean_observations + 3.0 * runs.sd_observations / std::sqrt(kMacro), fixed_total);

  // With means spread out (mu_i = i delta, best last) the fixed design still needs its
  // 405 observations, because it must cover the slippage configuration too, while KN
  // drops the clearly worse arms early.
  constexpr std::uint32_t kSpreadMacro = 2000;
  CrnArms spread = arms;
  for (std::size_t i = 0; i < kArms; ++i) spread.means[i] = static_cast<double>(i) * kDelta;
  const KnRuns spread_runs = run_kn(spread, kArms - 1, options, kSpreadMacro);
  const double spread_pcs = static_cast<double>(spread_runs.correct) / kSpreadMacro;
  std::cout << "KN spread means: PCS = " << spread_pcs << ", mean total observations "
            << spread_runs.mean_observations << " (sd " << spread_runs.sd_observations << ")\n";
  EXPECT_GE(spread_pcs, pcs_floor(kAlpha, kSpreadMacro));
  EXPECT_LT(spread_runs.mean_observations +
                3.0 * spread_runs.sd_observations / std::sqrt(static_cast<double>(kSpreadMacro)),
            fixed_total);
}

TEST(Selection, KnMeetsItsGuaranteeWithUnequalVariancesAndStrongCrn) {
  // Unequal variances, correlation 0.8, the best arm is the noisiest.
  constexpr double kDelta = 0.5;
  constexpr double kAlpha = 0.1;
  constexpr std::uint32_t kMacro = 1000;
  CrnArms arms{{0.0, 0.0, 0.0, kDelta, 0.0}, {1.0, 1.5, 0.7, 2.0, 1.2}, 0.8};
  const KnOptions options{.arms = 5, .alpha = kAlpha, .delta = kDelta, .n0 = 8};
  const KnRuns runs = run_kn(arms, 3, options, kMacro);
  const double pcs = static_cast<double>(runs.correct) / kMacro;
  std::cout << "KN unequal variances, rho = 0.8: PCS = " << pcs << " (floor "
            << pcs_floor(kAlpha, kMacro) << "), mean total observations " << runs.mean_observations
            << "\n";
  EXPECT_GE(pcs, pcs_floor(kAlpha, kMacro));
}

// ---------------------------------------------------------------------------
// OCBA.

TEST(Selection, OcbaAllocationKnownAnswers) {
  // means {1, 2, 3}, sds 1: b = 2, weights (1/2)^2 = 0.25, (1/1)^2 = 1 and
  // N_b = sqrt(0.25^2 + 1^2) = 1.0307764; shares of 100: 10.961, 43.845, 45.194
  // -> floors 10, 43, 45 and the two spare units go to the largest fractions.
  const std::vector<double> means{1.0, 2.0, 3.0};
  const std::vector<double> sds{1.0, 1.0, 1.0};
  EXPECT_EQ(ocba_allocation(means, sds, std::vector<std::uint32_t>{0, 0, 0}, 100),
            (std::vector<std::uint32_t>{11, 44, 45}));
  // Arm 0 already has 30 > 10.961: it keeps 30 and the other 70 split 1 : 1.0307764,
  // i.e. 34.470, 35.530 -> 34, 36.
  EXPECT_EQ(ocba_allocation(means, sds, std::vector<std::uint32_t>{30, 0, 0}, 100),
            (std::vector<std::uint32_t>{30, 34, 36}));
  // A tie with the best: the tied arms share the budget, the clearly worse arm gets none.
  EXPECT_EQ(ocba_allocation(std::vector<double>{1.0, 1.0, 0.0}, sds,
                            std::vector<std::uint32_t>{0, 0, 0}, 100),
            (std::vector<std::uint32_t>{50, 50, 0}));
  // No variance anywhere: equal split.
  EXPECT_EQ(ocba_allocation(means, std::vector<double>{0.0, 0.0, 0.0},
                            std::vector<std::uint32_t>{2, 2, 2}, 12),
            (std::vector<std::uint32_t>{4, 4, 4}));
}

TEST(Selection, OcbaAllocationFollowsTheRatiosOfTheorem1) {
  // means {0, 1, 3}, sds {2, 1, 1}: b = 2, N_0 : N_1 = (2/3)^2 : (1/2)^2 and
  // N_b = 1 * sqrt(N_0^2 / 4 + N_1^2 / 1).
  const std::vector<double> means{0.0, 1.0, 3.0};
  const std::vector<double> sds{2.0, 1.0, 1.0};
  const auto n = ocba_allocation(means, sds, std::vector<std::uint32_t>{0, 0, 0}, 10000000);
  const double w0 = 4.0 / 9.0;
  const double w1 = 0.25;
  const double wb = std::sqrt(w0 * w0 / 4.0 + w1 * w1);
  EXPECT_NEAR(static_cast<double>(n[0]) / n[1], w0 / w1, 1e-5);
  EXPECT_NEAR(static_cast<double>(n[2]) / n[1], wb / w1, 1e-5);
  EXPECT_EQ(n[0] + n[1] + n[2], 10000000U);
}

TEST(Selection, OcbaApcsKnownAnswer) {
  // Gap 1, sd of the difference sqrt(1/2 + 1/2) = 1: APCS = 1 - Phi(-1) = Phi(1).
  EXPECT_NEAR(ocba_apcs(std::vector<double>{1.0, 0.0}, std::vector<double>{1.0, 1.0},
                        std::vector<std::uint32_t>{2, 2}),
              0.8413447460685429, 1e-12);
  // Many close rivals: the Bonferroni sum exceeds 1 and the estimate is clamped at 0.
  EXPECT_EQ(ocba_apcs(std::vector<double>{0.1, 0.0, 0.0, 0.0}, std::vector<double>(4, 1.0),
                      std::vector<std::uint32_t>(4, 2)),
            0.0);
}

// Chen et al.'s classic test bed mirrored for maximisation: ten arms with means 1..10
// and sigma 6, sampled independently (the setting OCBA assumes).
struct OcbaRuns {
  std::uint32_t ocba_correct = 0;
  std::uint32_t equal_correct = 0;
  double paired_sd = 0.0;  // Of (OCBA correct - equal correct) per macro-replication.
  double mean_apcs = 0.0;
};

TEST(Selection, OcbaBeatsEqualAllocationOnTheSameDraws) {
  constexpr std::size_t kArms = 10;
  constexpr double kSigma = 6.0;
  constexpr std::uint32_t kBudget = 1000;
  constexpr std::uint32_t kMacro = 1000;
  const OcbaOptions options{.arms = kArms, .n0 = 10, .budget = kBudget, .increment = 20};
  OcbaRuns runs;
  double diff_sum = 0.0;
  double diff_squares = 0.0;
  for (std::uint32_t m = 0; m < kMacro; ++m) {
    // One stream per (macro-replication, arm): replication r of an arm is the r-th draw of
    // its stream, so OCBA and equal allocation see the same values (a paired comparison).
    const auto streams = [&] {
      std::vector<boost::random::mt19937_64> s;
      for (std::size_t i = 0; i < kArms; ++i) s.emplace_back(agents::mix64(kSeed ^ (m * 64 + i)));
      return s;
    };
    auto ocba_streams = streams();
    boost::random::normal_distribution<double> normal(0.0, kSigma);
    std::vector<std::uint32_t> next(kArms, 0);
    const OcbaResult result = select_ocba(options, [&](std::size_t arm, std::uint32_t r) {
      EXPECT_EQ(r, next[arm]++);
      return static_cast<double>(arm + 1) + normal(ocba_streams[arm]);
    });
    EXPECT_EQ(result.total_observations, kBudget);
    EXPECT_EQ(std::accumulate(result.allocation.begin(), result.allocation.end(), 0U), kBudget);
    EXPECT_EQ(result.rounds, (kBudget - kArms * 10) / 20);
    for (const auto n : result.allocation) EXPECT_GE(n, 10U);

    auto equal_streams = streams();
    std::vector<double> means(kArms, 0.0);
    for (std::size_t i = 0; i < kArms; ++i) {
      for (std::uint32_t r = 0; r < kBudget / kArms; ++r) {
        means[i] += static_cast<double>(i + 1) + normal(equal_streams[i]);
      }
    }
    const auto equal_best =
        static_cast<std::size_t>(std::max_element(means.begin(), means.end()) - means.begin());
    const int ocba_ok = result.best == kArms - 1 ? 1 : 0;
    const int equal_ok = equal_best == kArms - 1 ? 1 : 0;
    runs.ocba_correct += static_cast<std::uint32_t>(ocba_ok);
    runs.equal_correct += static_cast<std::uint32_t>(equal_ok);
    diff_sum += ocba_ok - equal_ok;
    diff_squares += (ocba_ok - equal_ok) * (ocba_ok - equal_ok);
    runs.mean_apcs += result.apcs / kMacro;
  }
  runs.paired_sd = std::sqrt((diff_squares - diff_sum * diff_sum / kMacro) / (kMacro - 1.0));
  const double ocba_pcs = static_cast<double>(runs.ocba_correct) / kMacro;
  const double equal_pcs = static_cast<double>(runs.equal_correct) / kMacro;
  std::cout << "OCBA PCS = " << ocba_pcs << ", equal allocation PCS = " << equal_pcs
            << ", mean APCS-B = " << runs.mean_apcs << "\n";
  // The paired difference must exceed 3 of its standard errors.
  EXPECT_GT(ocba_pcs - equal_pcs, 3.0 * runs.paired_sd / std::sqrt(kMacro));
}

TEST(Selection, OcbaBatchedAndSingleSamplersAgree) {
  const OcbaOptions options{.arms = 3, .n0 = 4, .budget = 60, .increment = 7};
  const auto value = [](std::size_t arm, std::uint32_t r) {
    boost::random::mt19937_64 generator(agents::mix64(kSeed + arm * 1000 + r));
    boost::random::normal_distribution<double> normal(static_cast<double>(arm), 2.0);
    return normal(generator);
  };
  const OcbaResult single = select_ocba(options, value);
  const OcbaResult batched = select_ocba_batched(
      options, [&](const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to) {
        std::vector<std::vector<double>> values(from.size());
        for (std::size_t i = 0; i < from.size(); ++i) {
          for (std::uint32_t r = from[i]; r < to[i]; ++r) values[i].push_back(value(i, r));
        }
        return values;
      });
  EXPECT_EQ(single.allocation, batched.allocation);
  EXPECT_EQ(single.means, batched.means);
  EXPECT_EQ(single.best, batched.best);
  EXPECT_EQ(single.total_observations, 60U);
  EXPECT_EQ(single.rounds, 7U);  // 12 initial, then 48 in rounds of 7: ceil(48 / 7) = 7.
}

TEST(Selection, OcbaRejectsBadInput) {
  const auto run = [](OcbaOptions options) {
    (void)select_ocba(options, [](std::size_t, std::uint32_t) { return 0.0; });
  };
  const OcbaOptions good{.arms = 3, .n0 = 5, .budget = 30, .increment = 5};
  EXPECT_NO_THROW(run(good));
  OcbaOptions bad = good;
  bad.arms = 1;
  EXPECT_THROW_MSG(run(bad), std::invalid_argument, "arms must be at least 2, got 1");
  bad = good;
  bad.n0 = 1;
  EXPECT_THROW_MSG(run(bad), std::invalid_argument, "n0 (initial replications per arm)");
  bad = good;
  bad.budget = 14;
  EXPECT_THROW_MSG(run(bad), std::invalid_argument, "budget (14) must be at least arms * n0");
  bad = good;
  bad.increment = 0;
  EXPECT_THROW_MSG(run(bad), std::invalid_argument, "increment");
  EXPECT_THROW_MSG(
      (void)select_ocba_batched(
          good, [](const auto&, const auto&) { return std::vector<std::vector<double>>(2); }),
      std::logic_error, "returned 2 arms, expected 3");
  EXPECT_THROW(ocba_allocation(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0, 1.0},
                               std::vector<std::uint32_t>{5, 5}, 9),
               std::invalid_argument);
  EXPECT_THROW(ocba_apcs(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0},
                         std::vector<std::uint32_t>{5, 5}),
               std::invalid_argument);
}

// ---------------------------------------------------------------------------
// probability_best.

std::vector<std::vector<double>> normal_arms(const std::vector<double>& means, double sd,
                                             std::uint32_t n, std::uint64_t seed) {
  boost::random::mt19937_64 generator(seed);
  boost::random::normal_distribution<double> normal(0.0, sd);
  std::vector<std::vector<double>> values(means.size(), std::vector<double>(n));
  for (std::uint32_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < means.size(); ++i) values[i][j] = means[i] + normal(generator);
  }
  return values;
}

TEST(Selection, ProbabilityBestSumsToOne) {
  const auto values = normal_arms({0.0, 0.05, 0.1, 0.0}, 1.0, 50, kSeed);
  const auto p = probability_best(values, kSeed, 4000);
  ASSERT_EQ(p.size(), 4U);
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-12);
  for (const double x : p) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
  }
}

TEST(Selection, ProbabilityBestDominantArmGetsEverything) {
  // Arm 0 leads by 10 sd over 50 replications, about 70 standard errors of the mean.
  const auto values = normal_arms({10.0, 0.0, 0.0}, 1.0, 50, kSeed);
  const auto p = probability_best(values, kSeed, 2000);
  EXPECT_DOUBLE_EQ(p[0], 1.0);
  EXPECT_DOUBLE_EQ(p[1] + p[2], 0.0);
}

TEST(Selection, ProbabilityBestIdenticalArmsSplitEvenly) {
  // Two arms with identical outputs (as identical journeys give under CRN) tie in every
  // resample; the tie is split, so each gets exactly one half.
  auto values = normal_arms({0.0}, 1.0, 40, kSeed);
  values.push_back(values[0]);
  values.push_back(values[0]);
  for (auto& x : values[2]) x -= 1.0;
  const auto p = probability_best(values, kSeed, 1000);
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  EXPECT_DOUBLE_EQ(p[1], 0.5);
  EXPECT_DOUBLE_EQ(p[2], 0.0);
}

TEST(Selection, ProbabilityBestAgreesWithTheNormalApproximation) {
  // Two arms under CRN: X_0 = Z_0 + 0.3 Z_1 + 0.005, X_1 = Z_0 + 0.3 Z_2. The paired
  // bootstrap share for arm 0 estimates P(Dbar* > 0) ~ Phi(Dbar / (s_D / sqrt(n))) with
  // D = X_0 - X_1 (Efron & Tibshirani 1993, ch. 6). Tolerance: 4 Monte Carlo standard
  // errors sqrt(p (1 - p) / B) plus 0.01 for the bootstrap's 1/n variance and
  // O(1/sqrt(n)) departures from normality.
  constexpr std::uint32_t kN = 400;
  constexpr std::uint32_t kResamples = 20000;
  boost::random::mt19937_64 generator(kSeed);
  boost::random::normal_distribution<double> normal;
  std::vector<std::vector<double>> values(2, std::vector<double>(kN));
  for (std::uint32_t j = 0; j < kN; ++j) {
    const double shared = normal(generator);
    values[0][j] = shared + 0.3 * normal(generator) + 0.005;
    values[1][j] = shared + 0.3 * normal(generator);
  }
  double sum = 0.0;
  double squares = 0.0;
  for (std::uint32_t j = 0; j < kN; ++j) {
    const double d = values[0][j] - values[1][j];
    sum += d;
    squares += d * d;
  }
  const double mean = sum / kN;
  const double sd = std::sqrt((squares - sum * sum / kN) / (kN - 1.0));
  const double expected =
      boost::math::cdf(boost::math::normal(), mean / (sd / std::sqrt(static_cast<double>(kN))));
  const auto p = probability_best(values, kSeed, kResamples);
  std::cout << "bootstrap P(arm 0 best) = " << p[0] << ", normal approximation " << expected
            << "\n";
  ASSERT_GT(expected, 0.05);  // The check is only informative away from 0 and 1.
  ASSERT_LT(expected, 0.95);
  EXPECT_NEAR(p[0], expected, 4.0 * std::sqrt(expected * (1.0 - expected) / kResamples) + 0.01);
}

TEST(Selection, ProbabilityBestIsKeyedBySeed) {
  const auto values = normal_arms({0.0, 0.05, 0.1}, 1.0, 30, kSeed);
  EXPECT_EQ(probability_best(values, 7, 500), probability_best(values, 7, 500));
  EXPECT_NE(probability_best(values, 7, 500), probability_best(values, 8, 500));
}

TEST(Selection, ProbabilityBestRejectsBadInput) {
  EXPECT_THROW_MSG((void)probability_best({}, 1, 10), std::invalid_argument, "no arms");
  EXPECT_THROW_MSG((void)probability_best({{1.0, 2.0}, {1.0}}, 1, 10), std::invalid_argument,
                   "arm 1 has 1 replications, arm 0 has 2");
  EXPECT_THROW_MSG((void)probability_best({{1.0}, {kNaN}}, 1, 10), std::invalid_argument,
                   "replication 0 of arm 1 is not finite");
  EXPECT_THROW_MSG((void)probability_best({{1.0}, {2.0}}, 1, 0), std::invalid_argument,
                   "resamples must be at least 1");
  EXPECT_THROW((void)probability_best({{}, {}}, 1, 10), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Holm.

TEST(Selection, HolmKnownAnswers) {
  // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02. By hand: sorted
  // 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04; running max makes
  // the last 0.06.
  const auto a = holm_adjust({0.01, 0.04, 0.03, 0.005});
  const std::vector<double> a_expected{0.03, 0.06, 0.06, 0.02};
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], a_expected[i], 1e-15);
  // Already monotone: 0.001*5, 0.02*4, 0.04*3, 0.2*2, 0.5*1.
  const auto b = holm_adjust({0.001, 0.2, 0.02, 0.04, 0.5});
  const std::vector<double> b_expected{0.005, 0.4, 0.08, 0.12, 0.5};
  for (std::size_t i = 0; i < b.size(); ++i) EXPECT_NEAR(b[i], b_expected[i], 1e-15);
  // Ties: R gives 0.06 0.06 0.50.
  const auto c = holm_adjust({0.02, 0.02, 0.5});
  EXPECT_NEAR(c[0], 0.06, 1e-15);
  EXPECT_NEAR(c[1], 0.06, 1e-15);
  EXPECT_NEAR(c[2], 0.5, 1e-15);
  EXPECT_TRUE(holm_adjust({}).empty());
  EXPECT_EQ(holm_adjust({0.3}), (std::vector<double>{0.3}));
}

TEST(Selection, HolmClipsAtOne) {
  // 0.5 * 2 = 1 and the running max carries it to 0.6: R gives 1 1.
  EXPECT_EQ(holm_adjust({0.5, 0.6}), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(holm_adjust({0.9, 0.01, 0.7}), (std::vector<double>{1.0, 0.03, 1.0}));
}

TEST(Selection, HolmIsMonotoneAndNeverBelowTheRawPValue) {
  boost::random::mt19937_64 generator(kSeed);
  std::vector<double> p(200);
  for (auto& x : p) x = std::pow(static_cast<double>(generator() >> 11) * 0x1.0p-53, 3.0);
  const auto adjusted = holm_adjust(p);
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
  for (std::size_t j = 0; j < p.size(); ++j) {
    EXPECT_GE(adjusted[order[j]], p[order[j]]);
    EXPECT_LE(adjusted[order[j]], 1.0);
    if (j > 0) {
      EXPECT_GE(adjusted[order[j]], adjusted[order[j - 1]]);
    }
  }
}

TEST(Selection, HolmRejectsBadInput) {
  EXPECT_THROW_MSG((void)holm_adjust({0.1, -0.1}), std::invalid_argument,
                   "p-value 1 is -0.1, outside [0, 1]");
  EXPECT_THROW((void)holm_adjust({1.5}), std::invalid_argument);
  EXPECT_THROW((void)holm_adjust({kNaN}), std::invalid_argument);
}

}  // namespace
}  // namespace journeysim::sim
