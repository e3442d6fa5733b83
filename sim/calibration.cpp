#include "sim/calibration.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <nlopt.hpp>
#include <set>
#include <stdexcept>

#include "agents/input_error.hpp"
#include "agents/random_stream.hpp"
#include "sim/parameters.hpp"
#include "sim/runner.hpp"

namespace journeysim::sim {
namespace {

using agents::InputError;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// First trust-region radius of BOBYQA, as a share of the start value (or of
// the bounds' width for a start of 0): large enough to see past the step
// structure of a common-random-numbers objective.
constexpr double kInitialStepShare = 0.2;
// Scaled J^T W J is treated as singular when its smallest Cholesky pivot
// falls below this: two parameters then correlate beyond |r| = 0.999999.
constexpr double kSingularPivot = 1e-6;
// Above this |correlation| the result names the pair: the data pin down a
// combination of the two better than either.
constexpr double kStrongCorrelation = 0.95;

[[noreturn]] void bad_fit(const std::string& message) {
  throw InputError({"<command line>", 0, "--fit"}, message);
}

double parse_bound(std::string_view text, std::string_view item) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    bad_fit(fmt::format("expected PATH=LOW:HIGH with two finite numbers, found '{}'", item));
  }
  return value;
}

FitRequest parse_fit_item(std::string_view item) {
  const auto equals = item.find('=');
  FitRequest request{std::string(item.substr(0, equals)), std::nullopt, std::nullopt};
  if (request.path.empty()) bad_fit(fmt::format("expected a parameter path, found '{}'", item));
  if (equals == std::string_view::npos) return request;
  const std::string_view bounds = item.substr(equals + 1);
  const auto colon = bounds.find(':');
  if (colon == std::string_view::npos) {
    bad_fit(fmt::format("expected PATH=LOW:HIGH, found '{}'", item));
  }
  request.lower = parse_bound(bounds.substr(0, colon), item);
  request.upper = parse_bound(bounds.substr(colon + 1), item);
  if (!(*request.lower < *request.upper)) {
    bad_fit(fmt::format("expected LOW < HIGH in '{}'", item));
  }
  return request;
}

// A parameter with the finite bounds the optimiser searches.
struct Bounded {
  ParameterInfo info;
  double lower = 0.0;
  double upper = 0.0;
};

// The loader's range with open ends moved just inside, so every value the
// optimiser tries is one set_parameter accepts.
std::pair<double, double> closed_range(const ParameterRange& range) {
  const double width = range.upper - range.lower;
  const double nudge = std::isfinite(width) ? 1e-9 * std::max(1.0, width) : 1e-9;
  return {range.lower_open ? range.lower + nudge : range.lower,
          range.upper_open ? range.upper - nudge : range.upper};
}

Bounded resolve(const Scenario& scenario, const FitRequest& request) {
  Bounded bounded{describe_parameter(scenario, request.path), 0.0, 0.0};
  const ParameterRange& range = bounded.info.range;
  if (range.integer) {
    bad_fit(fmt::format("{} takes whole numbers ({}); calibrate fits continuous parameters only",
                        request.path, range.describe()));
  }
  std::tie(bounded.lower, bounded.upper) = closed_range(range);
  if (request.lower) {
    if (!range.contains(*request.lower) || !range.contains(*request.upper)) {
      bad_fit(fmt::format("bounds {}:{} for {} leave its range, {}", *request.lower, *request.upper,
                          request.path, range.describe()));
    }
    bounded.lower = *request.lower;
    bounded.upper = *request.upper;
  }
  if (!std::isfinite(bounded.lower) || !std::isfinite(bounded.upper)) {
    bad_fit(fmt::format("{} is unbounded ({}); give finite bounds as {}=LOW:HIGH", request.path,
                        range.describe(), request.path));
  }
  const double start = bounded.info.value;
  if (start < bounded.lower || start > bounded.upper) {
    bad_fit(fmt::format("the scenario's value of {}, {}, is outside the bounds {}:{}; widen them",
                        request.path, start, bounded.lower, bounded.upper));
  }
  return bounded;
}

std::vector<Bounded> resolve_all(const Scenario& scenario, const std::vector<FitRequest>& fit) {
  if (fit.empty()) bad_fit("name at least one parameter to fit");
  std::vector<Bounded> out;
  std::set<std::string> seen;
  for (const FitRequest& request : fit) {
    if (!seen.insert(request.path).second) {
      bad_fit(fmt::format("{} is named twice", request.path));
    }
    out.push_back(resolve(scenario, request));
  }
  return out;
}

// Curve points share one half of the objective and engagement rates the
// other, so that neither dominates by its number of points: the objective is
// the mean squared error over curve points plus the one over rates.
std::vector<double> observation_weights(const std::vector<Observation>& observations) {
  const auto curves = static_cast<double>(std::count_if(
      observations.begin(), observations.end(), [](const auto& o) { return o.is_curve(); }));
  const double rates = static_cast<double>(observations.size()) - curves;
  std::vector<double> w;
  for (const Observation& o : observations) w.push_back(1.0 / (o.is_curve() ? curves : rates));
  return w;
}

double curve_value(const Observation& o, const RunResult& run, double n) {
  if (o.kind == SeriesKind::trial) {
    std::uint64_t count = 0;
    for (std::uint32_t d = 0; d <= o.day; ++d) count += run.first_prescriptions_by_day[d];
    return static_cast<double>(count) / n;
  }
  const std::size_t at = static_cast<std::size_t>(o.day) * agents::kStageCount;
  const auto adopted = run.stage_counts[at + static_cast<std::size_t>(agents::Stage::adopted)];
  const auto advocate = run.stage_counts[at + static_cast<std::size_t>(agents::Stage::advocate)];
  return static_cast<double>(adopted + advocate) / n;
}

double engagement_value(const Scenario& scenario, const Observation& o, const RunResult& run) {
  const auto& channels = scenario.catalogue.channels;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    if (channels[c].name != o.channel) continue;
    const ChannelTotals& t = run.channels[c];
    return t.delivered == 0 ? 0.0
                            : static_cast<double>(t.engaged) / static_cast<double>(t.delivered);
  }
  throw std::logic_error("engagement channel not in the scenario: " + o.channel);
}

std::vector<double> column_means(const std::vector<std::vector<double>>& rows) {
  std::vector<double> mean(rows.front().size(), 0.0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) mean[i] += row[i];
  }
  for (double& m : mean) m /= static_cast<double>(rows.size());
  return mean;
}

double weighted_sse(const std::vector<Observation>& observations, const std::vector<double>& w,
                    const std::vector<double>& simulated) {
  double sum = 0.0;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const double r = observations[i].value - simulated[i];
    sum += w[i] * r * r;
  }
  return sum;
}

// The objective as NLopt sees it: simulates at x (once per distinct x: the
// objective is deterministic under common random numbers), keeps the best.
class Objective {
 public:
  Objective(const Scenario& base, const std::vector<Bounded>& parameters,
            const std::vector<Observation>& observations, const CalibrationOptions& options)
      : base_(base),
        parameters_(parameters),
        observations_(observations),
        weights_(observation_weights(observations)),
        options_(options) {}

  // The simulated observations at x, per replication and their mean.
  struct Simulated {
    std::vector<std::vector<double>> replications;
    std::vector<double> mean;
  };

  const Simulated& simulate_all(const std::vector<double>& x) {
    const auto found = cache_.find(x);
    if (found != cache_.end()) return found->second;
    Scenario scenario = base_;
    for (std::size_t j = 0; j < x.size(); ++j) {
      set_parameter(scenario, parameters_[j].info.path, x[j]);
    }
    Simulated simulated;
    simulated.replications = simulate_replications(scenario, observations_, options_.seed,
                                                   options_.replications, options_.cancel);
    simulated.mean = column_means(simulated.replications);
    ++simulations_;
    if (options_.progress) {
      options_.progress(simulations_, weighted_sse(observations_, weights_, simulated.mean));
    }
    return cache_.emplace(x, std::move(simulated)).first->second;
  }
  const std::vector<double>& simulate(const std::vector<double>& x) { return simulate_all(x).mean; }

  double value(const std::vector<double>& x) {
    const double f = weighted_sse(observations_, weights_, simulate(x));
    if (best_x_.empty() || f < best_f_) {
      best_x_ = x;
      best_f_ = f;
    }
    return f;
  }

  // NLopt's callback: exceptions (Interrupted, InputError) cannot cross the C
  // library, so they are kept and rethrown after optimize returns.
  static double call(const std::vector<double>& x, std::vector<double>& /*grad*/, void* self) {
    auto* objective = static_cast<Objective*>(self);
    try {
      ++objective->calls_;
      return objective->value(x);
    } catch (...) {
      objective->error_ = std::current_exception();
      throw nlopt::forced_stop();
    }
  }

  void rethrow_error() const {
    if (error_) std::rethrow_exception(error_);
  }
  const std::vector<double>& weights() const { return weights_; }
  const std::vector<double>& best_x() const { return best_x_; }
  double best_f() const { return best_f_; }
  std::uint32_t calls() const { return calls_; }
  std::uint32_t simulations() const { return simulations_; }

 private:
  const Scenario& base_;
  const std::vector<Bounded>& parameters_;
  const std::vector<Observation>& observations_;
  std::vector<double> weights_;
  const CalibrationOptions& options_;
  std::map<std::vector<double>, Simulated> cache_;
  std::vector<double> best_x_;
  double best_f_ = 0.0;
  std::uint32_t calls_ = 0;
  std::uint32_t simulations_ = 0;
  std::exception_ptr error_;
};

std::string stop_words(nlopt::result result) {
  switch (result) {
    case nlopt::XTOL_REACHED:
      return "every parameter changed by less than xtol_rel in the last step";
    case nlopt::MAXEVAL_REACHED:
      return "reached the evaluation limit (--max-evaluations) before the tolerance";
    case nlopt::ROUNDOFF_LIMITED:
      return "progress was limited by the step structure of the objective (roundoff)";
    case nlopt::SUCCESS:
      // NLopt's BOBYQA returns SUCCESS when its trust radius reaches the
      // final radius it derives from xtol_rel.
      return "the trust region shrank to its final radius (set by xtol_rel)";
    default:
      return fmt::format("the optimiser stopped with NLopt result {}", static_cast<int>(result));
  }
}

// Runs BOBYQA from the scenario's values; fills the optimiser part of result.
// BOBYQA (Powell 2009) is derivative-free, keeps every trial point inside the
// bounds, and fits a quadratic model from few evaluations, each of which is a
// whole set of simulations; the quadratic model also averages over the small
// steps common random numbers leave in the objective.
void optimise(Objective& objective, const std::vector<Bounded>& parameters,
              const CalibrationOptions& options, CalibrationResult& result) {
  const std::size_t p = parameters.size();
  nlopt::opt opt(nlopt::LN_BOBYQA, static_cast<unsigned>(p));
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<double> step;
  std::vector<double> x;
  for (const Bounded& b : parameters) {
    lower.push_back(b.lower);
    upper.push_back(b.upper);
    const double scale = b.info.value != 0.0 ? std::abs(b.info.value) : b.upper - b.lower;
    step.push_back(std::min(kInitialStepShare * scale, 0.5 * (b.upper - b.lower)));
    x.push_back(b.info.value);
  }
  opt.set_lower_bounds(lower);
  opt.set_upper_bounds(upper);
  opt.set_initial_step(step);
  opt.set_xtol_rel(options.xtol_rel);
  opt.set_maxeval(static_cast<int>(options.max_evaluations));
  opt.set_min_objective(&Objective::call, &objective);
  double f = 0.0;
  nlopt::result outcome = nlopt::FAILURE;
  try {
    outcome = opt.optimize(x, f);
  } catch (const nlopt::forced_stop&) {
    objective.rethrow_error();
    throw std::logic_error("NLopt stopped without a reason");
  } catch (const nlopt::roundoff_limited&) {
    outcome = nlopt::ROUNDOFF_LIMITED;
  }
  objective.rethrow_error();
  result.converged = outcome == nlopt::XTOL_REACHED || outcome == nlopt::SUCCESS;
  result.stop_reason = stop_words(outcome);
  result.optimiser_evaluations = objective.calls();
}

// d simulated / d parameter j at x by finite differences: central where both
// x +- h fit in the bounds, else one-sided. h is a share of |x_j| (or of the
// bounds' width at 0), not tiny: under common random numbers the simulated
// mean moves in small jumps, and a tiny h would see one jump or none.
std::vector<double> derivative(Objective& objective, const Bounded& b, std::vector<double> x,
                               std::size_t j, double share, double& h) {
  const double centre = x[j];
  h = share * (centre != 0.0 ? std::abs(centre) : b.upper - b.lower);
  double up = std::min(centre + h, b.upper);
  double down = std::max(centre - h, b.lower);
  if (up - centre < h && centre - down >= h) up = centre;    // Backward difference.
  if (centre - down < h && up - centre >= h) down = centre;  // Forward difference.
  x[j] = up;
  const std::vector<double> high = objective.simulate(x);
  x[j] = down;
  const std::vector<double> low = objective.simulate(x);
  std::vector<double> d(high.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = (high[i] - low[i]) / (up - down);
  return d;
}

using Matrix = std::vector<std::vector<double>>;

// Inverse of a symmetric positive definite matrix by Cholesky; empty if a
// pivot of the unit-diagonal scaling falls below kSingularPivot.
Matrix inverse_spd(const Matrix& a) {
  const std::size_t p = a.size();
  for (std::size_t i = 0; i < p; ++i) {
    if (!(a[i][i] > 0.0)) return {};
  }
  // Scale to unit diagonal so the pivot test does not depend on units.
  Matrix l(p, std::vector<double>(p, 0.0));
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t k = 0; k <= i; ++k) {
      double sum = a[i][k] / std::sqrt(a[i][i] * a[k][k]);
      for (std::size_t m = 0; m < k; ++m) sum -= l[i][m] * l[k][m];
      if (i == k) {
        if (sum < kSingularPivot) return {};
        l[i][i] = std::sqrt(sum);
      } else {
        l[i][k] = sum / l[k][k];
      }
    }
  }
  // Columns of the scaled inverse by forward and back substitution.
  Matrix inverse(p, std::vector<double>(p, 0.0));
  for (std::size_t c = 0; c < p; ++c) {
    std::vector<double> y(p, 0.0);
    for (std::size_t i = 0; i < p; ++i) {
      double sum = i == c ? 1.0 : 0.0;
      for (std::size_t m = 0; m < i; ++m) sum -= l[i][m] * y[m];
      y[i] = sum / l[i][i];
    }
    for (std::size_t i = p; i-- > 0;) {
      double sum = y[i];
      for (std::size_t m = i + 1; m < p; ++m) sum -= l[m][i] * inverse[m][c];
      inverse[i][c] = sum / l[i][i];
    }
  }
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t k = 0; k < p; ++k) inverse[i][k] /= std::sqrt(a[i][i] * a[k][k]);
  }
  return inverse;
}

std::string no_effect_words(const std::vector<Bounded>& parameters, const Matrix& a) {
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    if (!(a[j][j] > 0.0)) {
      return fmt::format(
          "not identifiable: {} changes none of the simulated observations near the fit",
          parameters[j].info.path);
    }
  }
  return "not identifiable: J^T W J is singular; the parameters move the simulated observations "
         "in the same way, so the data fix only a combination of them";
}

Matrix product(const Matrix& a, const Matrix& b) {
  Matrix c(a.size(), std::vector<double>(b.front().size(), 0.0));
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t k = 0; k < b.size(); ++k) {
      for (std::size_t j = 0; j < c[i].size(); ++j) c[i][j] += a[i][k] * b[k][j];
    }
  }
  return c;
}

// J^T W J, with jacobian[j][i] = d simulated_i / d parameter_j.
Matrix information(const Matrix& jacobian, const std::vector<double>& w) {
  const std::size_t p = jacobian.size();
  Matrix a(p, std::vector<double>(p, 0.0));
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t k = 0; k < p; ++k) {
      for (std::size_t i = 0; i < w.size(); ++i) a[j][k] += w[i] * jacobian[j][i] * jacobian[k][i];
    }
  }
  return a;
}

// The covariance of the estimate if the observed launch is one more draw of
// the model at the fit: the sandwich (J^T W J)^-1 J^T W S W J (J^T W J)^-1,
// S the covariance of one replication's observations across the simulated
// replications, times (1 + 1/N) for the simulation noise of an N-replication
// mean (McFadden 1989, "A method of simulated moments", Econometrica 57,
// section 3; Gourieroux & Monfort 1996, "Simulation-Based Econometric
// Methods", section 2.3). Unlike s^2 (J^T W J)^-1 it sees that the points of
// a cumulative curve share their noise.
Matrix simulation_covariance(const Matrix& inverse, const Matrix& jacobian,
                             const std::vector<double>& w,
                             const std::vector<std::vector<double>>& replications) {
  const std::size_t p = jacobian.size();
  const std::size_t runs = replications.size();
  const std::vector<double> mean = column_means(replications);
  Matrix middle(p, std::vector<double>(p, 0.0));
  for (const std::vector<double>& run : replications) {
    std::vector<double> g(p, 0.0);
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t i = 0; i < w.size(); ++i) g[j] += w[i] * jacobian[j][i] * (run[i] - mean[i]);
    }
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t k = 0; k < p; ++k)
        middle[j][k] += g[j] * g[k] / static_cast<double>(runs - 1);
    }
  }
  Matrix covariance = product(product(inverse, middle), inverse);
  for (auto& row : covariance) {
    for (double& c : row) c *= 1.0 + 1.0 / static_cast<double>(runs);
  }
  return covariance;
}

double t975(std::size_t degrees_of_freedom) {
  return boost::math::quantile(boost::math::students_t(static_cast<double>(degrees_of_freedom)),
                               0.975);
}

void mark_not_identifiable(const std::vector<Bounded>& parameters, const Matrix& a,
                           CalibrationResult& result) {
  result.identifiable = false;
  result.identifiability = no_effect_words(parameters, a);
  for (FittedParameter& f : result.parameters) {
    f.standard_error = f.interval_lower = f.interval_upper = kNaN;
    f.asymptotic_standard_error = f.asymptotic_lower = f.asymptotic_upper = kNaN;
    f.residual_standard_error = f.simulation_standard_error = kNaN;
    f.bootstrap_standard_error = f.bootstrap_lower = f.bootstrap_upper = kNaN;
  }
}

void fill_correlation(const std::vector<Bounded>& parameters, const Matrix& covariance,
                      CalibrationResult& result) {
  const std::size_t p = parameters.size();
  result.identifiability.clear();
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t k = 0; k < p; ++k) {
      result.correlation[j][k] = covariance[j][k] / std::sqrt(covariance[j][j] * covariance[k][k]);
      if (j < k && std::abs(result.correlation[j][k]) > kStrongCorrelation) {
        result.identifiability = fmt::format(
            "{} and {} correlate at {:.3f}: the data fix a combination of them better than "
            "either alone",
            parameters[j].info.path, parameters[k].info.path, result.correlation[j][k]);
      }
    }
  }
}

// Two linearised estimates of the covariance of the fit, each with standard
// errors and t intervals; the asymptotic one per parameter is the larger, so
// that the interval covers both misfit the model cannot explain (seen by the
// residuals) and the shared noise of a launch's curve (seen by the
// simulation). The residual estimate is the asymptotic covariance of
// weighted nonlinear least squares, s^2 (J^T W J)^-1 with s^2 = SSE_w / (n - p)
// (Bates & Watts 1988, section 2.3.1 and eq. 2.27; Seber & Wild 1989,
// sections 2.1 and 5.2). The interval is cut to the bounds: the parameter
// cannot lie outside them, so the cut changes no interval's coverage of a
// value inside the bounds. These intervals are stated only without a
// bootstrap; docs/calibrate.md gives their measured coverage.
void uncertainty(Objective& objective, const std::vector<Bounded>& parameters,
                 const std::vector<Observation>& observations, const CalibrationOptions& options,
                 CalibrationResult& result) {
  const std::size_t p = parameters.size();
  const std::size_t n = observations.size();
  const std::vector<double> x = objective.best_x();
  const std::uint32_t before = objective.simulations();
  Matrix jacobian(p);  // jacobian[j][i] = d simulated_i / d parameter_j.
  for (std::size_t j = 0; j < p; ++j) {
    jacobian[j] = derivative(objective, parameters[j], x, j, options.difference_step,
                             result.parameters[j].difference_step);
  }
  result.jacobian_evaluations = objective.simulations() - before;
  const Matrix a = information(jacobian, objective.weights());
  result.degrees_of_freedom = n - p;
  result.residual_variance = result.objective_fit / static_cast<double>(n - p);
  result.correlation.assign(p, std::vector<double>(p, kNaN));
  const Matrix inverse = inverse_spd(a);
  if (inverse.empty()) return mark_not_identifiable(parameters, a, result);
  Matrix residual = inverse;
  for (auto& row : residual) {
    for (double& c : row) c *= result.residual_variance;
  }
  const auto& replications = objective.simulate_all(x).replications;
  const bool simulated = replications.size() >= 2;
  const Matrix simulation =
      simulated ? simulation_covariance(inverse, jacobian, objective.weights(), replications)
                : residual;
  for (std::size_t j = 0; j < p; ++j) {
    FittedParameter& f = result.parameters[j];
    f.residual_standard_error = std::sqrt(residual[j][j]);
    f.simulation_standard_error = simulated ? std::sqrt(simulation[j][j]) : kNaN;
    const bool by_simulation =
        simulated && f.simulation_standard_error >= f.residual_standard_error;
    f.error_from_simulation = by_simulation;
    f.asymptotic_standard_error =
        by_simulation ? f.simulation_standard_error : f.residual_standard_error;
    const double t = t975(by_simulation ? replications.size() - 1 : n - p);
    f.asymptotic_lower = std::max(f.lower_bound, f.value - t * f.asymptotic_standard_error);
    f.asymptotic_upper = std::min(f.upper_bound, f.value + t * f.asymptotic_standard_error);
    f.interval_method = IntervalMethod::asymptotic;
    f.standard_error = f.asymptotic_standard_error;
    f.interval_lower = f.asymptotic_lower;
    f.interval_upper = f.asymptotic_upper;
    f.bootstrap_standard_error = f.bootstrap_lower = f.bootstrap_upper = kNaN;
  }
  fill_correlation(parameters, simulation, result);
}

// BOBYQA from the scenario's values, as calibrate fits; the best point and
// the optimiser's outcome are in objective and result.
void fit_from_start(Objective& objective, const std::vector<Bounded>& parameters,
                    const CalibrationOptions& options, CalibrationResult& result) {
  std::vector<double> start;
  for (const Bounded& b : parameters) start.push_back(b.info.value);
  objective.value(start);
  optimise(objective, parameters, options, result);
}

// Bootstrap refit b: a launch of the scenario at the fitted values (one
// replication with its own seed, the observed launch's stand-in), fitted
// exactly as the data were: the same observations, weights, replications,
// start, bounds and stopping rule, with its own fit seed, so that the
// refit's spread includes the noise of the simulated mean and of the
// optimiser's stop as well as the launch's own noise.
BootstrapFit refit(const Scenario& base, const std::vector<Bounded>& parameters,
                   const std::vector<Observation>& observations, const std::vector<double>& fitted,
                   const CalibrationOptions& options, std::uint32_t b) {
  BootstrapFit out;
  out.launch_seed = bootstrap_launch_seed(options.seed, b);
  out.fit_seed = bootstrap_fit_seed(options.seed, b);
  Scenario at_fit = base;
  for (std::size_t j = 0; j < fitted.size(); ++j) {
    set_parameter(at_fit, parameters[j].info.path, fitted[j]);
  }
  std::vector<Observation> launch = observations;
  const std::vector<double> values =
      simulate_observations(at_fit, observations, out.launch_seed, 1, options.cancel);
  for (std::size_t i = 0; i < launch.size(); ++i) launch[i].value = values[i];
  CalibrationOptions refit_options = options;
  refit_options.seed = out.fit_seed;
  refit_options.progress = nullptr;
  refit_options.bootstrap_progress = nullptr;
  Objective objective(base, parameters, launch, refit_options);
  CalibrationResult scratch;
  fit_from_start(objective, parameters, refit_options, scratch);
  out.values = objective.best_x();
  out.evaluations = scratch.optimiser_evaluations;
  out.converged = scratch.converged;
  return out;
}

// The sample covariance of the refitted values (divisor B - 1).
Matrix bootstrap_covariance(const std::vector<BootstrapFit>& fits, std::size_t p) {
  std::vector<double> mean(p, 0.0);
  for (const BootstrapFit& fit : fits) {
    for (std::size_t j = 0; j < p; ++j) mean[j] += fit.values[j] / static_cast<double>(fits.size());
  }
  Matrix covariance(p, std::vector<double>(p, 0.0));
  for (const BootstrapFit& fit : fits) {
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t k = 0; k < p; ++k) {
        covariance[j][k] += (fit.values[j] - mean[j]) * (fit.values[k] - mean[k]) /
                            static_cast<double>(fits.size() - 1);
      }
    }
  }
  return covariance;
}

// The parametric bootstrap (Efron & Tibshirani 1993, "An Introduction to the
// Bootstrap", section 6.5): B launches simulated at the fit, each refitted
// (in parallel; each refit depends only on its own seeds, so the result does
// not depend on the thread count). The standard error is the standard
// deviation of the refits (their eq. 6.6); the 95% interval is the
// percentile interval (their chapter 13), the refits' order statistics k and
// B + 1 - k with k = floor(0.025 (B + 1)) (Davison & Hinkley 1997, "Bootstrap
// Methods and their Application", section 5.2.1). Every refit lies in the
// bounds, so the interval does too.
void bootstrap(const Scenario& base, const std::vector<Bounded>& parameters,
               const std::vector<Observation>& observations, const CalibrationOptions& options,
               CalibrationResult& result) {
  const std::uint32_t count = options.bootstrap;
  std::vector<double> fitted;
  for (const FittedParameter& f : result.parameters) fitted.push_back(f.value);
  result.bootstrap.assign(count, BootstrapFit{});
  std::uint32_t done = 0;
  std::mutex progress_lock;
  tbb::parallel_for(std::uint32_t{0}, count, [&](std::uint32_t b) {
    result.bootstrap[b] = refit(base, parameters, observations, fitted, options, b);
    const std::lock_guard<std::mutex> lock(progress_lock);
    ++done;
    if (options.bootstrap_progress) options.bootstrap_progress(done, count);
  });
  const std::uint32_t k = (count + 1) / 40;  // floor(0.025 (B + 1)).
  result.bootstrap_order_lower = k;
  result.bootstrap_order_upper = count + 1 - k;
  const std::size_t p = parameters.size();
  const Matrix covariance = bootstrap_covariance(result.bootstrap, p);
  for (std::size_t j = 0; j < p; ++j) {
    std::vector<double> sorted;
    for (const BootstrapFit& fit : result.bootstrap) sorted.push_back(fit.values[j]);
    std::sort(sorted.begin(), sorted.end());
    FittedParameter& f = result.parameters[j];
    f.bootstrap_standard_error = std::sqrt(covariance[j][j]);
    f.bootstrap_lower = sorted[k - 1];
    f.bootstrap_upper = sorted[count - k];
    f.interval_method = IntervalMethod::bootstrap_percentile;
    f.standard_error = f.bootstrap_standard_error;
    f.interval_lower = f.bootstrap_lower;
    f.interval_upper = f.bootstrap_upper;
  }
  // A parameter every refit put on the same value (a bound) has no spread,
  // hence no correlation; keep the linearised one then.
  for (std::size_t j = 0; j < p; ++j) {
    if (!(covariance[j][j] > 0.0)) return;
  }
  fill_correlation(parameters, covariance, result);
}

void check_bootstrap_size(std::uint32_t count) {
  if (count != 0 && count < kMinBootstrap) {
    throw InputError({"<command line>", 0, "--bootstrap"},
                     fmt::format("{} bootstrap refits are too few for a 95% percentile interval: "
                                 "give 0 (off) or at least {} (39, 79, 199 or 999 are exact)",
                                 count, kMinBootstrap));
  }
}

std::vector<SeriesError> series_errors(const std::vector<FittedPoint>& points) {
  std::vector<SeriesError> errors;
  for (const FittedPoint& point : points) {
    const std::string series = point.observation.series();
    if (errors.empty() || errors.back().series != series) errors.push_back({series, 0, 0.0, 0.0});
    SeriesError& e = errors.back();
    ++e.points;
    e.rmse_start += std::pow(point.observation.value - point.at_start, 2);
    e.rmse_fit += std::pow(point.observation.value - point.at_fit, 2);
  }
  for (SeriesError& e : errors) {
    e.rmse_start = std::sqrt(e.rmse_start / static_cast<double>(e.points));
    e.rmse_fit = std::sqrt(e.rmse_fit / static_cast<double>(e.points));
  }
  return errors;
}

}  // namespace

std::vector<FitRequest> parse_fit_list(std::string_view text) {
  std::vector<FitRequest> requests;
  std::size_t from = 0;
  while (from <= text.size()) {
    const auto comma = std::min(text.find(',', from), text.size());
    requests.push_back(parse_fit_item(text.substr(from, comma - from)));
    from = comma + 1;
  }
  std::set<std::string> seen;
  for (const FitRequest& r : requests) {
    if (!seen.insert(r.path).second) bad_fit(fmt::format("{} is named twice", r.path));
  }
  return requests;
}

Scenario single_arm(const Scenario& scenario, std::string_view arm) {
  const std::string_view name = arm.empty() ? std::string_view(scenario.control_arm) : arm;
  for (const Arm& candidate : scenario.arms) {
    if (candidate.name != name) continue;
    Scenario one = scenario;
    one.arms = {candidate};
    one.control_arm = candidate.name;
    return one;
  }
  std::vector<std::string> names;
  for (const Arm& candidate : scenario.arms) names.push_back(candidate.name);
  throw InputError({"<command line>", 0, "--arm"},
                   fmt::format("scenario '{}' has no arm '{}'; its arms are {}", scenario.name,
                               name, fmt::format("{}", fmt::join(names, ", "))));
}

std::vector<std::vector<double>> simulate_replications(const Scenario& scenario,
                                                       const std::vector<Observation>& observations,
                                                       std::uint64_t seed,
                                                       std::uint32_t replications,
                                                       const std::atomic<bool>* cancel) {
  ExperimentOptions options;
  options.seed = seed;
  options.replications = replications;
  options.keep_hcp_outcomes = false;
  options.cancel = cancel;
  const ExperimentResult experiment = run_experiment(scenario, options);
  std::vector<std::vector<double>> values(experiment.replications);
  for (std::uint32_t r = 0; r < experiment.replications; ++r) {
    const RunResult& run = experiment.runs[0][r];
    const auto n = static_cast<double>(experiment.population_sizes[r]);
    for (const Observation& o : observations) {
      values[r].push_back(o.is_curve() ? curve_value(o, run, n)
                                       : engagement_value(scenario, o, run));
    }
  }
  return values;
}

std::vector<double> simulate_observations(const Scenario& scenario,
                                          const std::vector<Observation>& observations,
                                          std::uint64_t seed, std::uint32_t replications,
                                          const std::atomic<bool>* cancel) {
  return column_means(simulate_replications(scenario, observations, seed, replications, cancel));
}

CalibrationResult calibrate(const Scenario& scenario, const ObservedData& data,
                            const CalibrationOptions& options) {
  const Scenario base = single_arm(scenario, options.arm);
  const std::vector<Bounded> parameters = resolve_all(base, options.fit);
  check_observed_data(data, base);
  const std::vector<Observation>& observations = data.observations;
  if (observations.size() <= parameters.size()) {
    throw InputError({data.file, 0, "value"},
                     fmt::format("{} observations cannot fit {} parameters: need more "
                                 "observations than parameters",
                                 observations.size(), parameters.size()));
  }
  if (options.replications == 0)
    throw std::invalid_argument("calibrate: replications must be >= 1");
  check_bootstrap_size(options.bootstrap);
  CalibrationResult result;
  result.arm = base.arms.front().name;
  result.seed = options.seed;
  result.replications = options.replications;
  result.max_evaluations = options.max_evaluations;
  result.xtol_rel = options.xtol_rel;
  Objective objective(base, parameters, observations, options);
  std::vector<double> start;
  for (const Bounded& b : parameters) start.push_back(b.info.value);
  fit_from_start(objective, parameters, options, result);
  const std::vector<double> at_start = objective.simulate(start);
  const std::vector<double> at_fit = objective.simulate(objective.best_x());
  result.objective_start = weighted_sse(observations, objective.weights(), at_start);
  result.objective_fit = objective.best_f();
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    const Bounded& b = parameters[j];
    FittedParameter f;
    f.path = b.info.path;
    f.meaning = b.info.meaning;
    f.lower_bound = b.lower;
    f.upper_bound = b.upper;
    f.start = b.info.value;
    f.value = objective.best_x()[j];
    f.at_bound = f.value <= b.lower || f.value >= b.upper;
    result.parameters.push_back(f);
  }
  for (std::size_t i = 0; i < observations.size(); ++i) {
    result.points.push_back({observations[i], objective.weights()[i], at_start[i], at_fit[i]});
  }
  result.errors = series_errors(result.points);
  uncertainty(objective, parameters, observations, options, result);
  if (result.identifiable && options.bootstrap > 0) {
    bootstrap(base, parameters, observations, options, result);
  }
  return result;
}

// Purpose tags of the bootstrap's seeds (ASCII "bootlnch" and "bootfit_"):
// part of the reproducibility contract, never change them.
constexpr std::uint64_t kLaunchTag = 0x626f6f746c6e6368ULL;
constexpr std::uint64_t kFitTag = 0x626f6f746669745fULL;

std::uint64_t bootstrap_launch_seed(std::uint64_t seed, std::uint32_t b) {
  return agents::mix64(agents::mix64(seed ^ kLaunchTag) ^ b);
}

std::uint64_t bootstrap_fit_seed(std::uint64_t seed, std::uint32_t b) {
  return agents::mix64(agents::mix64(seed ^ kFitTag) ^ b);
}

// Wilson 1927: the p with |p_hat - p| = z sqrt(p (1 - p) / n), solved:
// (p_hat + z^2/2n +- z sqrt(p_hat (1 - p_hat)/n + z^2/4n^2)) / (1 + z^2/n).
ProportionInterval wilson_interval(std::uint32_t successes, std::uint32_t trials, double z) {
  if (trials == 0 || successes > trials) {
    throw std::invalid_argument("wilson_interval: need 0 <= successes <= trials, trials > 0");
  }
  const double n = trials;
  const double share = successes / n;
  const double z2 = z * z;
  const double centre = (share + z2 / (2.0 * n)) / (1.0 + z2 / n);
  const double half =
      z * std::sqrt(share * (1.0 - share) / n + z2 / (4.0 * n * n)) / (1.0 + z2 / n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace journeysim::sim
