#pragma once
// Calibration (journeysim calibrate): fits chosen scenario parameters to data
// observed in a past launch by weighted least squares over simulated
// replications with common random numbers, with NLopt's BOBYQA, and estimates
// the fit's uncertainty by a parametric bootstrap (launches simulated at the
// fit and refitted), with the linearised asymptotic estimate kept for
// comparison. The method is in docs/calibrate.md. No input or output here: sim/observed_data.hpp
// reads the data and reports/calibration_outputs.hpp writes the results.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/observed_data.hpp"
#include "sim/scenario.hpp"

namespace journeysim::sim {

// One parameter to fit, as given on the command line: a path, and bounds if
// the user narrows (or, for an unbounded parameter, supplies) its range.
struct FitRequest {
  std::string path;
  std::optional<double> lower;
  std::optional<double> upper;
};

// Parses "PATH[=LOW:HIGH][,PATH[=LOW:HIGH]...]". Throws agents::InputError
// (file "<command line>", field "--fit") for an empty path, bounds that are
// not two numbers with LOW < HIGH, or a path given twice.
std::vector<FitRequest> parse_fit_list(std::string_view text);

// Parametric bootstrap sizes. The percentile interval takes order statistics
// k and B + 1 - k of the B refits with k = floor(0.025 (B + 1)), so it needs
// B >= 39 (k >= 1); with B + 1 a multiple of 40 (39, 79, 199, 999) it is
// exactly the 95% interval of Davison & Hinkley 1997, section 5.2.1.
inline constexpr std::uint32_t kMinBootstrap = 39;
// The default: the smallest exact size, about B + 1 times the cost of one
// fit (docs/calibrate.md, Uncertainty, gives the measured cost).
inline constexpr std::uint32_t kDefaultBootstrap = 39;

struct CalibrationOptions {
  std::vector<FitRequest> fit;
  std::string arm;                  // The arm that ran in the past launch; empty = the control arm.
  std::uint64_t seed = 1;           // The same seed at every evaluation: common random numbers.
  std::uint32_t replications = 16;  // Simulated replications averaged per evaluation; >= 1.
  std::uint32_t max_evaluations = 100;  // Optimiser evaluations, not counting the Jacobian's.
  double xtol_rel = 1e-3;  // Stop when a step changes every parameter by less than this share.
  // Finite-difference step for the Jacobian, as a share of the fitted value
  // (or of the bounds' width when the value is 0). Not tiny: with common
  // random numbers the simulated curve is a step function at small scales.
  double difference_step = 0.05;
  // Parametric bootstrap refits (docs/calibrate.md, Uncertainty): 0 = off,
  // otherwise at least kMinBootstrap. Each is a whole fit.
  std::uint32_t bootstrap = kDefaultBootstrap;
  const std::atomic<bool>* cancel = nullptr;
  // Called after each simulated evaluation of the main fit with (evaluations
  // so far, objective); may be empty. Not called for bootstrap refits.
  std::function<void(std::uint32_t, double)> progress;
  // Called after each finished bootstrap refit with (refits done, B), from
  // worker threads but never concurrently; may be empty.
  std::function<void(std::uint32_t, std::uint32_t)> bootstrap_progress;
};

// Which interval a FittedParameter states.
enum class IntervalMethod : std::uint8_t {
  bootstrap_percentile,  // The parametric bootstrap's percentile interval.
  asymptotic,            // The linearised estimate (no bootstrap was run).
};

// One fitted parameter.
struct FittedParameter {
  std::string path;
  std::string meaning;       // From sim::describe_parameter.
  double lower_bound = 0.0;  // The bounds the optimiser searched, both finite.
  double upper_bound = 0.0;
  double start = 0.0;  // The scenario's value.
  double value = 0.0;  // The fitted value.
  // The stated uncertainty: the bootstrap's when it ran, else the asymptotic
  // one. The interval always lies inside [lower_bound, upper_bound]. NaN
  // when the problem is not identifiable.
  IntervalMethod interval_method = IntervalMethod::asymptotic;
  double standard_error = 0.0;
  double interval_lower = 0.0;
  double interval_upper = 0.0;
  // Parametric bootstrap (Efron & Tibshirani 1993, section 6.5): the
  // standard deviation of the refitted values (their eq. 6.6) and the
  // percentile interval (their chapter 13). NaN when no bootstrap ran.
  double bootstrap_standard_error = 0.0;
  double bootstrap_lower = 0.0;
  double bootstrap_upper = 0.0;
  // The linearised asymptotic estimate: the larger of the two below, with
  // the interval value +- t * se (t of the chosen one's degrees of freedom)
  // cut to the bounds. Its measured coverage is in docs/calibrate.md.
  double asymptotic_standard_error = 0.0;
  double asymptotic_lower = 0.0;
  double asymptotic_upper = 0.0;
  // From the residuals, s^2 (J^T W J)^-1 (Bates & Watts 1988); t(n - p).
  double residual_standard_error = 0.0;
  // From the spread of a launch across the simulated replications (the
  // sandwich of the method of simulated moments); t(replications - 1). NaN
  // with one replication.
  double simulation_standard_error = 0.0;
  bool error_from_simulation = false;  // The asymptotic standard error is the simulation one.
  double difference_step = 0.0;        // The step the Jacobian used for this parameter.
  bool at_bound = false;               // The fit sits on a bound: the interval is then unreliable.
};

// One observation with its simulated values.
struct FittedPoint {
  Observation observation;
  double weight = 0.0;    // Its weight in the objective.
  double at_start = 0.0;  // Simulated mean at the scenario's values.
  double at_fit = 0.0;    // Simulated mean at the fitted values.
};

// Fit error of one series.
struct SeriesError {
  std::string series;
  std::size_t points = 0;
  double rmse_start = 0.0;  // Root mean squared observed - simulated, at the start.
  double rmse_fit = 0.0;    // The same at the fit.
};

// One refit of the parametric bootstrap: a launch simulated at the fitted
// values (one replication, its own seed), fitted as the data were.
struct BootstrapFit {
  std::uint64_t launch_seed = 0;  // Seed of the simulated launch (replication 0).
  std::uint64_t fit_seed = 0;     // Seed of the refit's replications.
  std::vector<double> values;     // The refitted parameters, in the order of parameters.
  std::uint32_t evaluations = 0;  // The refit's optimiser evaluations.
  bool converged = false;
};

struct CalibrationResult {
  std::string arm;
  std::uint64_t seed = 1;
  std::uint32_t replications = 0;
  std::vector<FittedParameter> parameters;
  // correlation[i][j] between fitted parameters i and j: over the bootstrap
  // refits when they ran, else from the simulation covariance (the residual
  // one with a single replication); NaN when not identifiable.
  std::vector<std::vector<double>> correlation;
  bool identifiable = true;
  std::string identifiability;  // Plain words: why not, or a warning about a strong correlation.
  std::vector<FittedPoint> points;
  std::vector<SeriesError> errors;
  double objective_start = 0.0;        // Weighted sum of squares at the start.
  double objective_fit = 0.0;          // At the fit.
  double residual_variance = 0.0;      // s^2 = objective_fit / (n - p).
  std::size_t degrees_of_freedom = 0;  // n - p.
  std::uint32_t max_evaluations = 0;   // The options' limits, for the outputs.
  double xtol_rel = 0.0;
  std::uint32_t optimiser_evaluations = 0;
  std::uint32_t jacobian_evaluations = 0;
  bool converged = false;   // The optimiser met its tolerance (not the evaluation limit).
  std::string stop_reason;  // In words, e.g. "parameters changed by less than xtol_rel".
  // The bootstrap refits in order b = 0 .. B-1; empty when none ran (B = 0
  // or not identifiable).
  std::vector<BootstrapFit> bootstrap;
  // The percentile interval's order statistics (1-based) of the sorted
  // refits: k and B + 1 - k; 0 when no bootstrap ran.
  std::uint32_t bootstrap_order_lower = 0;
  std::uint32_t bootstrap_order_upper = 0;
};

// Seeds of bootstrap refit b for a fit with the given seed: the simulated
// launch's and the refit's. Both are SplitMix64 mixes of the seed with a
// purpose tag and b, so they differ from the seed, from each other and across
// b except with probability about 2^-64 per pair.
std::uint64_t bootstrap_launch_seed(std::uint64_t seed, std::uint32_t b);
std::uint64_t bootstrap_fit_seed(std::uint64_t seed, std::uint32_t b);

// Wilson's score interval for a binomial proportion, successes out of trials
// (Wilson 1927, "Probable inference, the law of succession, and statistical
// inference", JASA 22; Newcombe 1998, Statistics in Medicine 17, method 3),
// at the two-sided level of the normal quantile z (1.96 for 95%). Used for
// the coverage of calibration intervals. trials must be > 0.
struct ProportionInterval {
  double lower = 0.0;
  double upper = 0.0;
};
ProportionInterval wilson_interval(std::uint32_t successes, std::uint32_t trials,
                                   double z = 1.959963984540054);

// The scenario with only the named arm (empty: the control arm), which
// becomes its control. Throws agents::InputError (field "--arm") for an unknown arm.
Scenario single_arm(const Scenario& scenario, std::string_view arm);

// Each replication's simulated value of each observation: values[r][i] for
// replication r and observation i. Every arm of scenario runs; the first is
// measured, so pass a single_arm scenario. Throws Interrupted if cancel becomes true.
std::vector<std::vector<double>> simulate_replications(const Scenario& scenario,
                                                       const std::vector<Observation>& observations,
                                                       std::uint64_t seed,
                                                       std::uint32_t replications,
                                                       const std::atomic<bool>* cancel = nullptr);

// The mean over replications of each observation's simulated value, in the
// order of observations. Every arm of scenario runs; the first is measured,
// so pass a single_arm scenario. Throws Interrupted if cancel becomes true.
std::vector<double> simulate_observations(const Scenario& scenario,
                                          const std::vector<Observation>& observations,
                                          std::uint64_t seed, std::uint32_t replications,
                                          const std::atomic<bool>* cancel = nullptr);

// Fits the requested parameters of the options' arm to the observed data.
// Checks every request and the data before simulating. Throws
// agents::InputError for an unknown or whole-number parameter, infinite or
// bad bounds (field "--fit"), a start outside the bounds, data the scenario
// cannot produce, no more observations than parameters, or a bootstrap size
// between 1 and kMinBootstrap - 1 (field "--bootstrap"); Interrupted if
// options.cancel becomes true. Results are identical for any thread count.
CalibrationResult calibrate(const Scenario& scenario, const ObservedData& data,
                            const CalibrationOptions& options);

}  // namespace journeysim::sim
