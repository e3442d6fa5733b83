#include "sim/selection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace journeysim::sim {
namespace {

void validate_kn(const KnOptions& options) {
  const auto k = options.arms;
  if (k < 2) throw std::invalid_argument(fmt::format("KN: arms must be at least 2, got {}", k));
  // Kim & Nelson (2001), Setup: 1/k < 1 - alpha < 1.
  const double alpha_max = 1.0 - 1.0 / static_cast<double>(k);
  if (!(options.alpha > 0.0 && options.alpha < alpha_max)) {
    throw std::invalid_argument(
        fmt::format("KN: alpha must be in (0, 1 - 1/arms) = (0, {:g}) for {} arms, got {:g}",
                    alpha_max, k, options.alpha));
  }
  if (!(options.delta > 0.0) || !std::isfinite(options.delta)) {
    throw std::invalid_argument(fmt::format(
        "KN: delta (indifference zone) must be positive and finite, got {:g}", options.delta));
  }
  if (options.n0 < 2) {
    throw std::invalid_argument(
        fmt::format("KN: n0 (first-stage replications) must be at least 2, got {}", options.n0));
  }
  if (options.max_replications < options.n0) {
    throw std::invalid_argument(fmt::format("KN: max_replications ({}) must be at least n0 ({})",
                                            options.max_replications, options.n0));
  }
}

// The largest value's index among the flagged entries; ties go to the lower index.
template <typename Keep>
std::size_t argmax(std::span<const double> values, Keep keep) {
  std::size_t best = values.size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (keep(i) && (best == values.size() || values[i] > values[best])) best = i;
  }
  return best;
}

}  // namespace

// ---------------------------------------------------------------------------
// Procedure KN.

double kn_eta(std::size_t arms, double alpha, std::uint32_t n0) {
  validate_kn(
      KnOptions{.arms = arms, .alpha = alpha, .delta = 1.0, .n0 = n0, .max_replications = n0});
  // Kim & Nelson (2001), Procedure KN, Setup, with c = 1:
  // eta = 1/2 [(2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1].
  const double base = 2.0 * alpha / static_cast<double>(arms - 1);
  return 0.5 * (std::pow(base, -2.0 / static_cast<double>(n0 - 1)) - 1.0);
}

KnSelector::KnSelector(const KnOptions& options) : options_(options) {
  validate_kn(options);
  // Kim & Nelson (2001), Procedure KN, Initialization: h^2 = 2 eta (n0 - 1).
  h2_ = 2.0 * kn_eta(options.arms, options.alpha, options.n0) * (options.n0 - 1);
  const auto k = options.arms;
  alive_.assign(k, true);
  sums_.assign(k, 0.0);
  eliminated_at_.assign(k, 0);
  first_stage_.assign(k * options.n0, 0.0);
  s2_.assign(k * k, 0.0);
}

void KnSelector::observe(std::span<const double> values) {
  const auto k = options_.arms;
  if (done_) throw std::logic_error("KN: observe() called after the procedure stopped");
  if (values.size() != k) {
    throw std::logic_error(
        fmt::format("KN: replication {} has {} values for {} arms", r_, values.size(), k));
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (alive_[i] && !std::isfinite(values[i])) {
      throw std::invalid_argument(
          fmt::format("KN: replication {} of arm {} is not finite ({})", r_, i, values[i]));
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (!alive_[i]) continue;
    sums_[i] += values[i];
    if (r_ < options_.n0) first_stage_[r_ * k + i] = values[i];
  }
  ++r_;
  if (r_ < options_.n0) return;
  if (r_ == options_.n0) {
    // Kim & Nelson (2001), Initialization: S^2_il, the sample variance of X_ij - X_lj over the
    // first n0 replications. Differences, not separate variances, are what make KN valid
    // under common random numbers.
    const double n0 = options_.n0;
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t l = i + 1; l < k; ++l) {
        const double mean_diff = (sums_[i] - sums_[l]) / n0;
        double squares = 0.0;
        for (std::uint32_t j = 0; j < options_.n0; ++j) {
          const double d = first_stage_[j * k + i] - first_stage_[j * k + l] - mean_diff;
          squares += d * d;
        }
        s2_[i * k + l] = s2_[l * k + i] = squares / (n0 - 1.0);
      }
    }
    first_stage_.clear();
    first_stage_.shrink_to_fit();
  }
  screen();
}

void KnSelector::screen() {
  const auto k = options_.arms;
  const double r = r_;
  const double delta = options_.delta;
  // Kim & Nelson (2001), Screening, c = 1:
  //   W_il(r) = max{0, (delta / (2 r)) (h^2 S^2_il / delta^2 - r)},
  //   I = {i in I_old : Xbar_i(r) >= Xbar_l(r) - W_il(r) for all l in I_old, l != i}.
  // Every survivor has r observations, so comparing sums avoids division: r Xbar_i < r Xbar_l
  // - r W_il is the "running sum of X_i - X_l below -r W_il" form (docs/selection.md, The
  // procedure).
  const auto allowance = [&](std::size_t i, std::size_t l) {
    return std::max(0.0, 0.5 * delta * (h2_ * s2_[i * k + l] / (delta * delta) - r));
  };
  const std::vector<bool> old = alive_;
  for (std::size_t i = 0; i < k; ++i) {
    if (!old[i]) continue;
    for (std::size_t l = 0; l < k; ++l) {
      if (l == i || !old[l]) continue;
      if (sums_[i] - sums_[l] < -allowance(i, l)) {
        alive_[i] = false;
        eliminated_at_[i] = r_;
        break;
      }
    }
  }
  // The arm with the largest mean is never eliminated (W >= 0), so at least one survives.
  const auto survivors = std::count(alive_.begin(), alive_.end(), true);
  if (survivors == 1) return finish(false);
  // Once W_il(r) = 0 for every surviving pair (r beyond N_il = h^2 S^2_il / delta^2, the most
  // KN ever samples: Initialization), survivors are exactly tied; KN's first-stage rule
  // ("if n0 > max N_i select the largest mean") applies. Only identical or discrete outputs
  // tie, and sampling more cannot separate identical arms.
  bool open = false;
  for (std::size_t i = 0; i < k && !open; ++i) {
    for (std::size_t l = i + 1; l < k && !open; ++l) {
      open = alive_[i] && alive_[l] && allowance(i, l) > 0.0;
    }
  }
  if (!open) return finish(false);
  if (r_ >= options_.max_replications) finish(true);
}

void KnSelector::finish(bool truncated) {
  done_ = true;
  truncated_ = truncated;
  best_ = argmax(std::span<const double>(sums_), [&](std::size_t i) { return alive_[i]; });
}

KnResult KnSelector::result() const {
  if (!done_) throw std::logic_error("KN: result() called before the procedure stopped");
  const auto k = options_.arms;
  KnResult result;
  result.best = best_;
  result.replications_used = r_;
  result.observations.resize(k);
  result.eliminated_at = eliminated_at_;
  result.means.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    result.observations[i] = eliminated_at_[i] == 0 ? r_ : eliminated_at_[i];
    result.total_observations += result.observations[i];
    result.means[i] = sums_[i] / result.observations[i];
  }
  result.alpha = options_.alpha;
  result.delta = options_.delta;
  result.n0 = options_.n0;
  result.h2 = h2_;
  result.truncated = truncated_;
  if (truncated_) {
    const auto left = std::count(alive_.begin(), alive_.end(), true);
    result.guarantee = fmt::format(
        "none: stopped at the cap of {} replications with {} arms still in contention; the one "
        "with the largest mean was taken",
        options_.max_replications, left);
  } else {
    result.guarantee = fmt::format(
        "P(correct selection) >= {:g} when the best arm's mean exceeds every other arm's by at "
        "least delta = {:g} (Kim & Nelson 2001, procedure KN; normal replication outputs, common "
        "random numbers allowed)",
        1.0 - options_.alpha, options_.delta);
  }
  return result;
}

KnResult select_kn(const KnOptions& options, const KnSampler& sample) {
  KnSelector selector(options);
  while (!selector.done()) {
    const std::vector<double> values = sample(selector.next_replication(), selector.alive());
    selector.observe(values);
  }
  return selector.result();
}

// ---------------------------------------------------------------------------
// OCBA.

namespace {

void validate_ocba(const OcbaOptions& options) {
  const auto k = options.arms;
  if (k < 2) throw std::invalid_argument(fmt::format("OCBA: arms must be at least 2, got {}", k));
  if (options.n0 < 2) {
    throw std::invalid_argument(fmt::format(
        "OCBA: n0 (initial replications per arm) must be at least 2, got {}", options.n0));
  }
  if (static_cast<std::uint64_t>(options.budget) < static_cast<std::uint64_t>(k) * options.n0) {
    throw std::invalid_argument(
        fmt::format("OCBA: budget ({}) must be at least arms * n0 = {} * {} = {}", options.budget,
                    k, options.n0, static_cast<std::uint64_t>(k) * options.n0));
  }
  if (options.increment < 1) {
    throw std::invalid_argument("OCBA: increment (replications per round) must be at least 1");
  }
}

void check_sizes(const char* what, std::size_t means, std::size_t sds, std::size_t counts) {
  if (means != sds || means != counts) {
    throw std::invalid_argument(
        fmt::format("{}: {} means, {} standard deviations, {} counts", what, means, sds, counts));
  }
}

// Chen et al. (2000), Theorem 1 (maximisation): for i, j != b,
//   N_i / N_j = (s_i / d_bi)^2 / (s_j / d_bj)^2,  N_b = s_b sqrt(sum_{i != b} N_i^2 / s_i^2),
// with d_bi = m_b - m_i. Returns the unnormalised weights.
std::vector<double> ocba_weights(std::span<const double> means, std::span<const double> sds) {
  const auto k = means.size();
  const std::size_t b = argmax(means, [](std::size_t) { return true; });
  std::vector<double> w(k, 0.0);
  bool tie = false;
  for (std::size_t i = 0; i < k; ++i) tie = tie || (i != b && means[i] == means[b]);
  double sum_sq = 0.0;  // sum_{i != b} N_i^2 / s_i^2, written s_i^2 / d^4 to avoid 0/0.
  for (std::size_t i = 0; i < k; ++i) {
    if (i == b) continue;
    const double s2 = sds[i] * sds[i];
    if (tie) {
      // The limit of the rule as the tied gaps shrink together: arms tied with b take
      // weight s_i^2, the rest vanish.
      if (means[i] == means[b]) {
        w[i] = s2;
        sum_sq += s2;
      }
    } else {
      const double d2 = (means[b] - means[i]) * (means[b] - means[i]);
      w[i] = s2 / d2;
      sum_sq += s2 / (d2 * d2);
    }
  }
  w[b] = sds[b] * std::sqrt(sum_sq);
  if (std::accumulate(w.begin(), w.end(), 0.0) <= 0.0) std::fill(w.begin(), w.end(), 1.0);
  return w;
}

}  // namespace

std::vector<std::uint32_t> ocba_allocation(std::span<const double> means,
                                           std::span<const double> sds,
                                           std::span<const std::uint32_t> counts,
                                           std::uint32_t total) {
  check_sizes("ocba_allocation", means.size(), sds.size(), counts.size());
  const auto k = means.size();
  if (k < 2) throw std::invalid_argument("ocba_allocation: needs at least 2 arms");
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(means[i]) || !std::isfinite(sds[i]) || sds[i] < 0.0) {
      throw std::invalid_argument(fmt::format(
          "ocba_allocation: arm {} has mean {} and standard deviation {}", i, means[i], sds[i]));
    }
  }
  const std::uint64_t have = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  if (have > total) {
    throw std::invalid_argument(fmt::format(
        "ocba_allocation: total {} is below the {} replications already run", total, have));
  }
  std::vector<double> w = ocba_weights(means, sds);
  // Arms whose share falls below what they already have keep their count and leave the
  // rest to the others (as in Chen's published OCBA code); repeat until no share is short.
  std::vector<bool> fixed(k, false);
  std::vector<double> target(k, 0.0);
  for (;;) {
    double pool = total;
    double weight = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      if (fixed[i]) {
        pool -= counts[i];
      } else {
        weight += w[i];
      }
    }
    if (weight <= 0.0) {
      for (std::size_t i = 0; i < k; ++i) w[i] = fixed[i] ? w[i] : 1.0;
      continue;
    }
    std::vector<std::size_t> short_arms;
    std::size_t free_arms = 0;
    for (std::size_t i = 0; i < k; ++i) {
      if (fixed[i]) continue;
      ++free_arms;
      target[i] = pool * w[i] / weight;
      if (target[i] < counts[i]) short_arms.push_back(i);
    }
    if (short_arms.empty()) break;
    // The shares of the free arms sum to at least their counts, so not all can be short;
    // if rounding says otherwise, keep the least short one free.
    if (short_arms.size() == free_arms) {
      const auto keep =
          std::max_element(short_arms.begin(), short_arms.end(), [&](std::size_t a, std::size_t b) {
            return target[a] - counts[a] < target[b] - counts[b];
          });
      target[*keep] = counts[*keep];
      short_arms.erase(keep);
    }
    for (const std::size_t i : short_arms) fixed[i] = true;
    if (short_arms.empty()) break;
  }
  std::vector<std::uint32_t> allocation(k);
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < k; ++i) {
    allocation[i] = fixed[i]
                        ? counts[i]
                        : std::max(counts[i], static_cast<std::uint32_t>(std::floor(target[i])));
    assigned += allocation[i];
  }
  // Largest-remainder rounding; the order is by fraction, then index, so it is deterministic.
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto fraction = [&](std::size_t i) { return target[i] - allocation[i]; };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return fraction(a) > fraction(b); });
  while (assigned < total) {
    for (const std::size_t i : order) {
      if (assigned == total) break;
      if (fixed[i]) continue;
      ++allocation[i];
      ++assigned;
    }
  }
  // Rounding in target can only overshoot by a unit or so; take it back from the free arms
  // holding the most above their count.
  while (assigned > total) {
    std::size_t pick = k;
    for (const std::size_t i : order) {
      if (!fixed[i] && allocation[i] > counts[i] && (pick == k || fraction(i) < fraction(pick))) {
        pick = i;
      }
    }
    if (pick == k) throw std::logic_error("ocba_allocation: cannot meet the total");
    --allocation[pick];
    --assigned;
  }
  return allocation;
}

double ocba_apcs(std::span<const double> means, std::span<const double> sds,
                 std::span<const std::uint32_t> counts) {
  check_sizes("ocba_apcs", means.size(), sds.size(), counts.size());
  const auto k = means.size();
  if (k < 1) throw std::invalid_argument("ocba_apcs: needs at least 1 arm");
  for (std::size_t i = 0; i < k; ++i) {
    if (counts[i] == 0)
      throw std::invalid_argument(fmt::format("ocba_apcs: arm {} has no data", i));
  }
  const std::size_t b = argmax(means, [](std::size_t) { return true; });
  const boost::math::normal standard;
  // Chen et al. (2000): APCS-B = 1 - sum_{i != b} P(J_i > J_b) under independent normal
  // posteriors N(m_i, s_i^2 / N_i).
  double miss = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    if (i == b) continue;
    const double gap = means[b] - means[i];
    const double sd = std::sqrt(sds[b] * sds[b] / counts[b] + sds[i] * sds[i] / counts[i]);
    if (sd > 0.0) {
      miss += boost::math::cdf(standard, -gap / sd);
    } else {
      miss += gap > 0.0 ? 0.0 : 0.5;
    }
  }
  return std::clamp(1.0 - miss, 0.0, 1.0);
}

OcbaResult select_ocba_batched(const OcbaOptions& options, const OcbaBatchSampler& sample) {
  validate_ocba(options);
  const auto k = options.arms;
  std::vector<std::uint32_t> counts(k, 0);
  // Welford's running mean and sum of squares, in replication order, so results are exact
  // functions of the values.
  std::vector<double> mean(k, 0.0);
  std::vector<double> m2(k, 0.0);
  std::vector<double> sd(k, 0.0);
  const auto run = [&](const std::vector<std::uint32_t>& to) {
    const std::vector<std::vector<double>> values = sample(counts, to);
    if (values.size() != k) {
      throw std::logic_error(
          fmt::format("OCBA: the sampler returned {} arms, expected {}", values.size(), k));
    }
    for (std::size_t i = 0; i < k; ++i) {
      if (values[i].size() != to[i] - counts[i]) {
        throw std::logic_error(
            fmt::format("OCBA: the sampler returned {} values for arm {}, "
                        "expected {}",
                        values[i].size(), i, to[i] - counts[i]));
      }
      for (const double v : values[i]) {
        if (!std::isfinite(v)) {
          throw std::invalid_argument(
              fmt::format("OCBA: replication {} of arm {} is not finite ({})", counts[i], i, v));
        }
        ++counts[i];
        const double step = v - mean[i];
        mean[i] += step / counts[i];
        m2[i] += step * (v - mean[i]);
      }
      sd[i] = std::sqrt(m2[i] / (counts[i] - 1.0));
    }
  };
  // Chen et al. (2000), sequential algorithm: n0 each, then rounds adding `increment`.
  run(std::vector<std::uint32_t>(k, options.n0));
  std::uint64_t spent = static_cast<std::uint64_t>(k) * options.n0;
  OcbaResult result;
  while (spent < options.budget) {
    const auto next = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(options.budget, spent + options.increment));
    run(ocba_allocation(mean, sd, counts, next));
    spent = next;
    ++result.rounds;
  }
  result.best = argmax(std::span<const double>(mean), [](std::size_t) { return true; });
  result.allocation = counts;
  result.means = mean;
  result.sds = sd;
  result.total_observations = spent;
  result.apcs = ocba_apcs(mean, sd, counts);
  result.guarantee = fmt::format(
      "none: OCBA (Chen et al. 2000) spends a fixed budget of {} arm-runs; APCS-B = {:.4f} "
      "estimates P(correct selection) assuming independent normal arms",
      options.budget, result.apcs);
  return result;
}

OcbaResult select_ocba(const OcbaOptions& options, const OcbaSampler& sample) {
  return select_ocba_batched(
      options, [&](const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to) {
        std::vector<std::vector<double>> values(from.size());
        for (std::size_t i = 0; i < from.size(); ++i) {
          for (std::uint32_t r = from[i]; r < to[i]; ++r) values[i].push_back(sample(i, r));
        }
        return values;
      });
}

// ---------------------------------------------------------------------------
// Reporting helpers.

std::vector<double> probability_best(const std::vector<std::vector<double>>& values,
                                     std::uint64_t seed, std::uint32_t resamples) {
  const auto k = values.size();
  if (k == 0) throw std::invalid_argument("probability_best: no arms");
  const auto n = values.front().size();
  if (n == 0) throw std::invalid_argument("probability_best: arm 0 has no replications");
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("probability_best: too many replications");
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (values[i].size() != n) {
      throw std::invalid_argument(fmt::format(
          "probability_best: arm {} has {} replications, arm 0 has {}; replications must be "
          "paired",
          i, values[i].size(), n));
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (!std::isfinite(values[i][j])) {
        throw std::invalid_argument(
            fmt::format("probability_best: replication {} of arm {} is not finite", j, i));
      }
    }
  }
  if (resamples < 1) throw std::invalid_argument("probability_best: resamples must be at least 1");
  // Resampling whole replications (all arms together) keeps the common-random-numbers
  // pairing, so the shares reflect the paired differences.
  boost::random::mt19937_64 generator(seed);
  boost::random::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  std::vector<std::uint32_t> index(n);
  std::vector<double> sums(k);
  std::vector<double> wins(k, 0.0);
  for (std::uint32_t b = 0; b < resamples; ++b) {
    for (auto& j : index) j = pick(generator);
    for (std::size_t i = 0; i < k; ++i) {
      double sum = 0.0;
      for (const auto j : index) sum += values[i][j];
      sums[i] = sum;
    }
    const double top = *std::max_element(sums.begin(), sums.end());
    const auto ties = std::count(sums.begin(), sums.end(), top);
    for (std::size_t i = 0; i < k; ++i) {
      if (sums[i] == top) wins[i] += 1.0 / static_cast<double>(ties);
    }
  }
  for (auto& w : wins) w /= resamples;
  return wins;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const auto m = p_values.size();
  for (std::size_t i = 0; i < m; ++i) {
    if (!(p_values[i] >= 0.0 && p_values[i] <= 1.0)) {
      throw std::invalid_argument(
          fmt::format("holm_adjust: p-value {} is {}, outside [0, 1]", i, p_values[i]));
    }
  }
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  // Holm (1979): the j-th smallest p (j = 1..m) becomes max_{i <= j} min(1, (m - i + 1) p_(i)).
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    const double scaled = std::min(1.0, static_cast<double>(m - j) * p_values[order[j]]);
    running = std::max(running, scaled);
    adjusted[order[j]] = running;
  }
  return adjusted;
}

}  // namespace journeysim::sim
