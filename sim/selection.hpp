#pragma once
// Picking the best arm: Kim & Nelson's fully sequential procedure (KN), OCBA
// budget allocation, the bootstrap probability that each arm is best, and the
// Holm-Bonferroni adjustment. Larger is better everywhere: to minimise a metric,
// negate it before handing it over. See docs/selection.md.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace journeysim::sim {

// ---------------------------------------------------------------------------
// Kim & Nelson (2001), "A fully sequential procedure for indifference-zone
// selection in simulation", ACM TOMACS 11(3):251-273, Procedure KN with c = 1.

// Settings of procedure KN; validated by KnSelector's constructor.
struct KnOptions {
  std::size_t arms = 0;                     // k, at least 2.
  double alpha = 0.05;                      // 1 - alpha is the target PCS; in (0, 1 - 1/k).
  double delta = 0.0;                       // Indifference zone, in the metric's units; > 0.
  std::uint32_t n0 = 10;                    // First-stage replications; at least 2.
  std::uint32_t max_replications = 100000;  // Safety cap on stages; at least n0.
};

// The outcome of procedure KN.
struct KnResult {
  std::size_t best = 0;                      // Index of the selected arm.
  std::uint32_t replications_used = 0;       // Stages run: the most observations of any arm.
  std::uint64_t total_observations = 0;      // Arm-replication runs actually used, over all arms.
  std::vector<std::uint32_t> observations;   // Per arm: replications 0..observations-1 were used.
  std::vector<std::uint32_t> eliminated_at;  // Per arm: stage r of elimination; 0 = never.
  std::vector<double> means;                 // Per arm: mean over its observations.
  double alpha = 0.0;
  double delta = 0.0;
  std::uint32_t n0 = 0;
  double h2 = 0.0;         // h^2 = 2 eta (n0 - 1).
  bool truncated = false;  // max_replications was reached first: the guarantee does not hold.
  std::string guarantee;   // One sentence stating what the result guarantees.
};

// eta = 1/2 [(2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1], Kim & Nelson (2001), Procedure KN,
// Setup (c = 1). Throws std::invalid_argument for arguments KnOptions would reject.
double kn_eta(std::size_t arms, double alpha, std::uint32_t n0);

// Procedure KN fed one replication at a time, so a runner can run replications
// in parallel batches and hand them over in order. The result depends only on
// the values observed, never on batching.
class KnSelector {
 public:
  // Throws std::invalid_argument naming the offending option.
  explicit KnSelector(const KnOptions& options);

  // True once one arm remains, or max_replications stages have been observed.
  [[nodiscard]] bool done() const noexcept { return done_; }
  // The replication number observe() expects next: 0, 1, 2, ...
  [[nodiscard]] std::uint32_t next_replication() const noexcept { return r_; }
  // alive()[i] is true while arm i is still in contention; only those arms need sampling.
  [[nodiscard]] const std::vector<bool>& alive() const noexcept { return alive_; }

  // Takes replication next_replication() of every arm (values.size() == arms);
  // values of eliminated arms are ignored. Throws std::logic_error if done() or if
  // values has the wrong size, std::invalid_argument if a live arm's value is not finite.
  void observe(std::span<const double> values);

  // The selection; throws std::logic_error unless done().
  [[nodiscard]] KnResult result() const;

 private:
  void screen();
  void finish(bool truncated);

  KnOptions options_;
  double h2_ = 0.0;
  std::uint32_t r_ = 0;
  bool done_ = false;
  bool truncated_ = false;
  std::size_t best_ = 0;
  std::vector<bool> alive_;
  std::vector<double> sums_;  // Per arm, over its observations.
  std::vector<std::uint32_t> eliminated_at_;
  std::vector<double> first_stage_;  // [replication * k + arm], first n0 only.
  std::vector<double> s2_;           // [i * k + l]: S^2_il.
};

// sample(r, alive) returns the k arm outputs of replication r (common random
// numbers across arms); entries of arms with alive[i] == false are ignored.
using KnSampler =
    std::function<std::vector<double>(std::uint32_t replication, const std::vector<bool>& alive)>;

// Runs procedure KN to completion, calling sample for r = 0, 1, 2, ... in order.
// Throws what KnSelector throws.
KnResult select_kn(const KnOptions& options, const KnSampler& sample);

// ---------------------------------------------------------------------------
// OCBA: Chen, Lin, Yucesan & Chick (2000), "Simulation budget allocation for
// further enhancing the efficiency of ordinal optimization", Discrete Event
// Dynamic Systems 10:251-270. Assumes independent sampling across arms.

// Settings of sequential OCBA; validated by select_ocba.
struct OcbaOptions {
  std::size_t arms = 0;          // k, at least 2.
  std::uint32_t n0 = 10;         // Initial replications per arm; at least 2.
  std::uint32_t budget = 0;      // Total replications over all arms; at least k * n0.
  std::uint32_t increment = 10;  // Delta: replications added per round; at least 1.
};

// The outcome of sequential OCBA.
struct OcbaResult {
  std::size_t best = 0;                   // Arm with the largest sample mean at the end.
  std::vector<std::uint32_t> allocation;  // Per arm: replications 0..allocation-1 were used.
  std::vector<double> means;              // Per arm sample mean.
  std::vector<double> sds;                // Per arm sample standard deviation (n - 1).
  std::uint64_t total_observations = 0;   // Sum of allocation; equals the budget.
  std::uint32_t rounds = 0;               // Allocation rounds after the initial n0.
  double apcs = 0.0;                      // APCS-B estimate of P(correct selection), in [0, 1].
  std::string guarantee;                  // One sentence on what the result does not guarantee.
};

// Integer allocation of `total` replications by the OCBA rule (Chen et al. 2000,
// Theorem 1) for maximisation, never below `counts` (largest-remainder rounding,
// ties to the lower index); sums to exactly `total`. Throws std::invalid_argument
// if sizes differ, k < 2, or total < sum(counts).
std::vector<std::uint32_t> ocba_allocation(std::span<const double> means,
                                           std::span<const double> sds,
                                           std::span<const std::uint32_t> counts,
                                           std::uint32_t total);

// APCS-B = 1 - sum_{i != b} Phi(-(m_b - m_i) / sqrt(s_b^2/N_b + s_i^2/N_i)), clamped
// to [0, 1] (Chen et al. 2000, Bonferroni bound on the approximate PCS). Throws
// std::invalid_argument if sizes differ, k < 1, or a count is 0.
double ocba_apcs(std::span<const double> means, std::span<const double> sds,
                 std::span<const std::uint32_t> counts);

// sample(arm, r) returns replication r of one arm; called in increasing r per arm.
using OcbaSampler = std::function<double(std::size_t arm, std::uint32_t replication)>;
// sample(from, to) returns, for each arm i, replications from[i]..to[i]-1 of that
// arm (to[i] - from[i] values, possibly none), so a round can run in parallel.
using OcbaBatchSampler = std::function<std::vector<std::vector<double>>(
    const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to)>;

// Sequential OCBA: n0 per arm, then rounds of `increment` allocated by
// ocba_allocation until the budget is spent. Throws std::invalid_argument for bad
// options, std::logic_error if the sampler returns the wrong number of values.
OcbaResult select_ocba(const OcbaOptions& options, const OcbaSampler& sample);
OcbaResult select_ocba_batched(const OcbaOptions& options, const OcbaBatchSampler& sample);

// ---------------------------------------------------------------------------
// Reporting helpers.

// Share of `resamples` paired bootstrap resamples of replications (Efron &
// Tibshirani 1993, ch. 6) in which each arm has the largest mean; exact ties split
// the resample equally, so the shares sum to 1. values[arm][replication]; every
// arm needs the same positive number of finite values. Draws with
// boost::random::mt19937_64 seeded with `seed`. Throws std::invalid_argument.
std::vector<double> probability_best(const std::vector<std::vector<double>>& values,
                                     std::uint64_t seed, std::uint32_t resamples);

// Holm (1979) step-down adjusted p-values, in input order, monotone in the
// ordered p-values and clipped at 1; same as R p.adjust(p, "holm"). Throws
// std::invalid_argument if a p-value is outside [0, 1] or NaN.
std::vector<double> holm_adjust(const std::vector<double>& p_values);

}  // namespace journeysim::sim
