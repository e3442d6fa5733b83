#include "agents/population.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "agents/random_stream.hpp"

namespace journeysim::agents {
namespace {

// Cumulative sums of shares, for drawing a category with one uniform number.
template <typename Range, typename ShareOf>
std::vector<double> cumulative_shares(const Range& items, ShareOf share_of) {
  std::vector<double> cumulative;
  double total = 0.0;
  for (const auto& item : items) {
    total += share_of(item);
    cumulative.push_back(total);
  }
  return cumulative;
}

// Index of the first cumulative share above u * total; the last index absorbs rounding.
std::size_t draw_index(const std::vector<double>& cumulative, double u) {
  const double target = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()),
                               cumulative.size() - 1);
}

double draw_beta(KeyedStream& stream, const BarrierDistribution& spec) {
  if (spec.concentration <= 0.0 || spec.mean <= 0.0 || spec.mean >= 1.0) return spec.mean;
  boost::random::beta_distribution<double> beta(spec.mean * spec.concentration,
                                                (1.0 - spec.mean) * spec.concentration);
  return beta(stream);
}

// Gamma with the given mean and coefficient of variation: shape 1/cv^2, scale mean*cv^2.
double draw_gamma(KeyedStream& stream, double mean, double cv) {
  if (cv <= 0.0) return mean;
  boost::random::gamma_distribution<double> gamma(1.0 / (cv * cv), mean * cv * cv);
  return gamma(stream);
}

double draw_normal(KeyedStream& stream, double mean, double sd) {
  if (sd <= 0.0) return mean;
  boost::random::normal_distribution<double> normal(mean, sd);
  return normal(stream);
}

bool draw_bernoulli(std::uint64_t seed, std::uint32_t replication, std::uint32_t hcp,
                    Purpose purpose, double p) {
  return KeyedStream(seed, replication, hcp, purpose).uniform() < p;
}

// FNV-1a (Fowler, Noll & Vo) over the bytes of a string, then mixed with the
// salt, so the same roster id gives the same pseudonym only under the same salt.
std::uint64_t salted_pseudonym(std::string_view salt, std::string_view id) {
  auto fnv1a = [](std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    return hash;
  };
  return mix64(mix64(fnv1a(salt)) ^ fnv1a(id));
}

// Everything drawn for one HCP apart from the practice, which needs all HCPs.
class HcpDrawer {
 public:
  HcpDrawer(const PopulationSpec& spec, const std::vector<Channel>& channels, std::uint64_t seed,
            std::uint32_t replication, Population& out)
      : spec_(spec), channels_(channels), seed_(seed), replication_(replication), out_(out) {
    segment_cumulative_ =
        cumulative_shares(spec.segments, [](const Segment& s) { return s.share; });
    region_cumulative_ =
        cumulative_shares(spec.regions, [](const CategoryShare& c) { return c.share; });
    career_cumulative_ =
        cumulative_shares(spec.career_stages, [](const CategoryShare& c) { return c.share; });
  }

  void draw(std::uint32_t hcp) const {
    const RosterRow* row = roster_row_for(hcp);
    const std::uint16_t segment = row ? segment_for_row(hcp, *row) : draw_segment(hcp);
    const Segment& seg = spec_.segments[segment];
    out_.segment[hcp] = segment;
    out_.specialty[hcp] = seg.specialty;
    out_.practice_setting[hcp] = seg.practice_setting;
    out_.region[hcp] = row ? row->region : draw_category(hcp, Purpose::region, region_cumulative_);
    out_.career_stage[hcp] = row && row->career_stage
                                 ? *row->career_stage
                                 : static_cast<std::uint8_t>(draw_category(
                                       hcp, Purpose::career_stage, career_cumulative_));
    out_.patients_per_month[hcp] =
        row && row->patients_per_month ? *row->patients_per_month : draw_patients(hcp, seg);
    out_.opinion_leader[hcp] =
        row && row->opinion_leader
            ? *row->opinion_leader
            : draw_bernoulli(seed_, replication_, hcp, Purpose::opinion_leader,
                             seg.opinion_leader_share);
    out_.known[hcp] = row && row->known ? *row->known
                                        : draw_bernoulli(seed_, replication_, hcp, Purpose::known,
                                                         spec_.known_share);
    draw_channels(hcp, seg);
    draw_barriers(hcp, seg);
    draw_start_stage(hcp, seg);
  }

 private:
  const RosterRow* roster_row_for(std::uint32_t hcp) const {
    if (spec_.roster.empty()) return nullptr;
    std::uint32_t row = hcp;
    if (hcp >= spec_.roster.size()) {
      // Resampled HCPs copy the observed attributes of a roster row drawn
      // uniformly with replacement (a bootstrap of the roster).
      KeyedStream stream(seed_, replication_, hcp, Purpose::roster_resample);
      boost::random::uniform_int_distribution<std::uint32_t> pick(
          0, static_cast<std::uint32_t>(spec_.roster.size() - 1));
      row = pick(stream);
    }
    out_.roster_row[hcp] = row;
    out_.pseudonym[hcp] = salted_pseudonym(spec_.pseudonym_salt, spec_.roster[row].source_id);
    return &spec_.roster[row];
  }

  std::uint16_t draw_segment(std::uint32_t hcp) const {
    KeyedStream stream(seed_, replication_, hcp, Purpose::segment);
    return static_cast<std::uint16_t>(draw_index(segment_cumulative_, stream.uniform()));
  }

  // A roster row's hidden attributes come from the segments of its specialty
  // and setting, chosen in proportion to their shares.
  std::uint16_t segment_for_row(std::uint32_t hcp, const RosterRow& row) const {
    std::vector<double> cumulative;
    std::vector<std::uint16_t> candidates;
    double total = 0.0;
    for (std::size_t s = 0; s < spec_.segments.size(); ++s) {
      const Segment& seg = spec_.segments[s];
      if (seg.specialty != row.specialty || seg.practice_setting != row.practice_setting) continue;
      total += seg.share;
      cumulative.push_back(total);
      candidates.push_back(static_cast<std::uint16_t>(s));
    }
    if (candidates.empty()) {
      throw std::logic_error("roster row has no matching segment; the loader must reject it");
    }
    KeyedStream stream(seed_, replication_, hcp, Purpose::segment);
    return candidates[draw_index(cumulative, stream.uniform())];
  }

  std::uint16_t draw_category(std::uint32_t hcp, Purpose purpose,
                              const std::vector<double>& cumulative) const {
    KeyedStream stream(seed_, replication_, hcp, purpose);
    return static_cast<std::uint16_t>(draw_index(cumulative, stream.uniform()));
  }

  float draw_patients(std::uint32_t hcp, const Segment& seg) const {
    KeyedStream stream(seed_, replication_, hcp, Purpose::patients);
    return static_cast<float>(
        draw_gamma(stream, seg.patients_per_month_mean, seg.patients_per_month_cv));
  }

  void draw_channels(std::uint32_t hcp, const Segment& seg) const {
    KeyedStream affinity(seed_, replication_, hcp, Purpose::affinity);
    KeyedStream consent(seed_, replication_, hcp, Purpose::consent);
    std::uint32_t mask = 0;
    const std::size_t row = static_cast<std::size_t>(hcp) * channels_.size();
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      const ChannelPreference& pref = seg.channels[c];
      out_.affinity[row + c] =
          static_cast<float>(draw_normal(affinity, pref.affinity_mean, pref.affinity_sd));
      // One uniform per channel whatever the outcome, so channel c's draw does
      // not depend on the channels before it.
      const bool consented = consent.uniform() < pref.consent_share;
      if (out_.known[hcp] != 0 && consented) mask |= 1U << c;
    }
    out_.consent[hcp] = mask;
  }

  void draw_barriers(std::uint32_t hcp, const Segment& seg) const {
    KeyedStream stream(seed_, replication_, hcp, Purpose::barriers);
    BarrierVector& barriers = out_.start_barriers[hcp];
    for (int b = 0; b < kBarrierCount; ++b) {
      barriers[b] = static_cast<float>(draw_beta(stream, seg.barriers[b]));
    }
  }

  void draw_start_stage(std::uint32_t hcp, const Segment& seg) const {
    KeyedStream stream(seed_, replication_, hcp, Purpose::start_stage);
    std::vector<double> cumulative(seg.start_stage_shares.begin(), seg.start_stage_shares.end());
    std::partial_sum(cumulative.begin(), cumulative.end(), cumulative.begin());
    out_.start_stage[hcp] = static_cast<Stage>(draw_index(cumulative, stream.uniform()));
  }

  const PopulationSpec& spec_;
  const std::vector<Channel>& channels_;
  std::uint64_t seed_;
  std::uint32_t replication_;
  Population& out_;
  std::vector<double> segment_cumulative_;
  std::vector<double> region_cumulative_;
  std::vector<double> career_cumulative_;
};

void allocate(Population& population, std::uint32_t size, std::size_t channels, bool roster) {
  population.size = size;
  population.channel_count = static_cast<std::uint16_t>(channels);
  population.segment.resize(size);
  population.specialty.resize(size);
  population.practice_setting.resize(size);
  population.region.resize(size);
  population.career_stage.resize(size);
  population.practice.resize(size);
  population.patients_per_month.resize(size);
  population.opinion_leader.resize(size);
  population.known.resize(size);
  population.start_stage.resize(size);
  population.start_barriers.resize(size);
  population.affinity.resize(static_cast<std::size_t>(size) * channels);
  population.consent.resize(size);
  population.pseudonym.resize(roster ? size : 0);
  population.roster_row.resize(roster ? size : 0);
}

// Roster practice identifiers become dense ids in order of first appearance.
// Returns the number of practices so created; HCPs without one get kNoPractice.
constexpr std::uint32_t kNoPractice = 0xffffffffU;

std::uint32_t assign_roster_practices(const PopulationSpec& spec, Population& population) {
  std::unordered_map<std::string_view, std::uint32_t> ids;
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    population.practice[hcp] = kNoPractice;
    if (spec.roster.empty() || hcp >= spec.roster.size()) continue;
    const auto& practice = spec.roster[hcp].practice;
    if (!practice || practice->empty()) continue;
    const auto [it, inserted] = ids.try_emplace(*practice, static_cast<std::uint32_t>(ids.size()));
    population.practice[hcp] = it->second;
  }
  return static_cast<std::uint32_t>(ids.size());
}

// HCPs without a practice are grouped, in index order, into practices of their
// region and setting, with sizes 1 + Poisson(mean_practice_size - 1).
void assign_synthetic_practices(const PopulationSpec& spec, std::uint64_t seed,
                                std::uint32_t replication, std::uint32_t first_id,
                                Population& population) {
  const std::size_t settings = spec.practice_settings.size();
  const std::size_t groups = spec.regions.size() * settings;
  std::vector<std::uint32_t> offsets(groups + 1, 0);
  auto group_of = [&](std::uint32_t hcp) {
    return population.region[hcp] * settings + population.practice_setting[hcp];
  };
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    if (population.practice[hcp] == kNoPractice) ++offsets[group_of(hcp) + 1];
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  std::vector<std::uint32_t> members(offsets.back());
  std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (std::uint32_t hcp = 0; hcp < population.size; ++hcp) {
    if (population.practice[hcp] == kNoPractice) members[cursor[group_of(hcp)]++] = hcp;
  }
  std::uint32_t next_id = first_id;
  for (std::size_t group = 0; group < groups; ++group) {
    const double extra = spec.practice_settings[group % settings].mean_practice_size - 1.0;
    KeyedStream stream(seed, replication, group, Purpose::practice);
    std::uint32_t left_in_practice = 0;
    for (std::uint32_t k = offsets[group]; k < offsets[group + 1]; ++k) {
      if (left_in_practice == 0) {
        left_in_practice = 1;
        if (extra > 0.0) {
          boost::random::poisson_distribution<std::uint32_t, double> poisson(extra);
          left_in_practice += poisson(stream);
        }
        ++next_id;
      }
      population.practice[members[k]] = next_id - 1;
      --left_in_practice;
    }
  }
}

}  // namespace

Barrier Population::dominant_barrier(std::uint32_t hcp) const noexcept {
  const BarrierVector& barriers = start_barriers[hcp];
  return static_cast<Barrier>(std::max_element(barriers.begin(), barriers.end()) -
                              barriers.begin());
}

std::uint64_t population_bytes(std::uint64_t hcps, std::size_t channels) noexcept {
  // The arrays of Population, plus the pseudonym and roster-row arrays and
  // the two index arrays that practice assignment holds for a moment.
  constexpr std::uint64_t kFixedBytesPerHcp =
      2 + 2 + 1 + 2 + 1 + 4 + 4 + 1 + 1 + 1 + sizeof(BarrierVector) + 4 + 8 + 4 + 2 * 4;
  return hcps * (kFixedBytesPerHcp + 4 * channels);
}

Population synthesize_population(const PopulationSpec& spec, const std::vector<Channel>& channels,
                                 std::uint64_t seed, std::uint32_t replication) {
  if (spec.segments.empty() || spec.regions.empty() || spec.career_stages.empty() ||
      spec.practice_settings.empty() || channels.size() > kMaxChannels) {
    throw std::logic_error("synthesize_population: the population spec was not validated");
  }
  Population population;
  const bool roster = !spec.roster.empty();
  const std::uint32_t size =
      std::max<std::uint32_t>(spec.size, static_cast<std::uint32_t>(spec.roster.size()));
  allocate(population, size, channels.size(), roster);
  const HcpDrawer drawer(spec, channels, seed, replication, population);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, size, 4096),
                    [&](const tbb::blocked_range<std::uint32_t>& block) {
                      for (std::uint32_t hcp = block.begin(); hcp != block.end(); ++hcp) {
                        drawer.draw(hcp);
                      }
                    });
  const std::uint32_t roster_practices = assign_roster_practices(spec, population);
  assign_synthetic_practices(spec, seed, replication, roster_practices, population);
  return population;
}

}  // namespace journeysim::agents
