#include "evaluation/counterfactual.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "evaluation/empirical_bernstein.h"
#include "evaluation/placement_propensity.h"
#include "feedback/query_key.h"
#include "ranker/feature_matrix.h"
#include "ranker/serving_policy.h"

namespace foldrank {
namespace {

// One impression's contribution: the difference and both values, with the interval
// the difference could take over every click outcome (for the bound's range).
struct ImpressionSample {
  std::string query;
  double difference = 0, baseline = 0, candidate = 0;
  double low = 0, high = 0;
};

// Ranks (0 = best) of the shown documents under `scores`; ties keep the logged order.
std::vector<std::size_t> RanksOf(std::span<const float> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<std::size_t> ranks(scores.size());
  for (std::size_t r = 0; r < order.size(); ++r) ranks[order[r]] = r;
  return ranks;
}

SegmentEstimate Summarize(const std::string& name, std::span<const ImpressionSample* const> samples,
                          double confidence) {
  SegmentEstimate segment;
  segment.segment = name;
  segment.impressions = samples.size();
  std::vector<double> differences;
  double low = std::numeric_limits<double>::infinity(), high = -low;
  std::unordered_map<std::string, int> queries;
  for (const ImpressionSample* sample : samples) {
    differences.push_back(sample->difference);
    segment.baseline += sample->baseline;
    segment.candidate += sample->candidate;
    low = std::min(low, sample->low);
    high = std::max(high, sample->high);
    ++queries[sample->query];
  }
  segment.queries = queries.size();
  if (!samples.empty()) {
    segment.baseline /= static_cast<double>(samples.size());
    segment.candidate /= static_cast<double>(samples.size());
  }
  const MeanBounds bounds =
      EmpiricalBernstein(differences, samples.empty() ? 0 : high - low, 1 - confidence);
  segment.difference = bounds.mean;
  segment.lower = bounds.lower;
  segment.upper = bounds.upper;
  segment.decision = bounds.lower > 0 ? "better" : bounds.upper < 0 ? "worse" : "undecided";
  return segment;
}

// The logged document at sampling step `step` of an impression's order: the order
// shown, with a RandPair swap undone.
std::size_t SampledAt(const Impression& impression, std::size_t step) {
  return SwappedPosition(step, static_cast<std::size_t>(std::max(0, impression.swapped_with)));
}

std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

// The impression's sampled pool in sampling order (the shown steps, then the
// unshown) as logged documents (shown index, then shown.size() + unshown index)
// and their scores; false if it has none that its order was sampled from: sizes
// must fit the sample depth, and every sampled step's logged probability (the
// selection probabilities served with the page) must equal the one the pool's
// scores give. A pool not recorded, or not completely, fails.
bool SampledPool(const Impression& impression, std::vector<std::size_t>& pool,
                 std::vector<float>& scores) {
  const std::vector<ShownResult>& shown = impression.results;
  if (impression.temperature <= 0 || impression.sample_depth == 0 || impression.experiment != 0 ||
      impression.swapped_with < 0 ||
      static_cast<std::size_t>(impression.swapped_with) >= shown.size()) {
    return false;
  }
  const std::size_t steps = std::min<std::size_t>(impression.sample_depth, shown.size());
  if (steps + impression.unshown.size() > impression.sample_depth) return false;
  pool.clear();
  scores.clear();
  for (std::size_t step = 0; step < steps; ++step) {
    pool.push_back(SampledAt(impression, step));
    scores.push_back(shown[pool.back()].score);
  }
  for (std::size_t u = 0; u < impression.unshown.size(); ++u) {
    if (impression.unshown[u].features.size() != kFeatureCount) return false;
    pool.push_back(shown.size() + u);
    scores.push_back(impression.unshown[u].score);
  }
  if (!std::all_of(scores.begin(), scores.end(), [](float x) { return std::isfinite(x); })) {
    return false;  // Not what the policy sampled with (it needs finite scores).
  }
  std::vector<std::size_t> remaining(scores.size());
  std::iota(remaining.begin(), remaining.end(), 0);
  for (std::size_t step = 0; step < steps; ++step) {
    const std::size_t at = pool[step];
    const bool swapped = impression.swapped_with > 0 && (step == 0 || at == 0);
    if (!swapped) {  // A swap overwrote both probabilities with its own.
      const double expected =
          PlackettLuceProbability(scores, remaining, step, impression.temperature);
      if (std::abs(shown[at].probability - expected) > 1e-6 + 1e-4 * expected) return false;
    }
    remaining.erase(std::find(remaining.begin(), remaining.end(), step));
  }
  return true;
}

}  // namespace

struct CounterfactualEstimator::State {
  State(const Model& candidate_model, const Model& baseline_model,
        const PositionBias& position_bias, const CounterfactualOptions& estimator_options)
      : candidate(candidate_model),
        baseline(baseline_model),
        bias(position_bias),
        options(estimator_options) {}

  const Model& candidate;
  const Model& baseline;
  const PositionBias& bias;
  CounterfactualOptions options;
  std::vector<ImpressionSample> samples;
  std::uint64_t skipped = 0, policy_aware = 0, by_position = 0;
  // Scratch, reused across impressions. Per logged document (shown, then unshown):
  std::vector<double> examination, unprompted;
  std::vector<bool> clicked;
  std::vector<std::size_t> reach;  // Those within reach, in that order.
  std::vector<float> pool_scores;
  std::vector<std::size_t> pool;  // Pool member -> logged document.
  std::vector<double> pool_examination, pool_unprompted;
  FeatureMatrix features;  // Rows: `reach`.
  std::vector<float> candidate_scores, baseline_scores;
};

CounterfactualEstimator::CounterfactualEstimator(const Model& candidate, const Model& baseline,
                                                 const PositionBias& bias,
                                                 const CounterfactualOptions& options)
    : state_(std::make_unique<State>(candidate, baseline, bias, options)) {}

CounterfactualEstimator::~CounterfactualEstimator() = default;

void CounterfactualEstimator::Add(const SettledImpression& settled) {
  State& s = *state_;
  const Impression& impression = settled.impression;
  const std::vector<ShownResult>& shown = impression.results;
  bool usable = !shown.empty();
  for (std::size_t i = 0; i < shown.size() && usable; ++i) {
    usable = shown[i].position == static_cast<std::int32_t>(i) &&
             shown[i].features.size() == kFeatureCount;
  }
  if (!usable) {
    ++s.skipped;
    return;
  }
  const bool policy_aware = SampledPool(impression, s.pool, s.pool_scores);
  const std::size_t count = shown.size() + (policy_aware ? impression.unshown.size() : 0);
  // Each shown document where it was: unbiased given the order shown. A sampled
  // pool replaces that with where the policy could have put each of its members
  // (past the sample depth, the order was by score: as shown).
  s.examination.assign(count, 0.0);
  s.unprompted.assign(count, 0.0);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    s.examination[i] = s.bias.Alpha(shown[i].position);
    s.unprompted[i] = s.bias.Beta(shown[i].position);
  }
  if (policy_aware) {
    s.pool_examination.resize(s.pool.size());
    s.pool_unprompted.resize(s.pool.size());
    const SampledPage page{s.pool_scores, impression.temperature, shown.size(),
                           static_cast<std::size_t>(impression.swapped_with)};
    EstimatePlacements(page, s.bias, s.options.placement_samples, Fnv1a(impression.query_id),
                       s.pool_examination, s.pool_unprompted);
    for (std::size_t p = 0; p < s.pool.size(); ++p) {
      s.examination[s.pool[p]] = s.pool_examination[p];
      s.unprompted[s.pool[p]] = s.pool_unprompted[p];
    }
    ++s.policy_aware;
  } else {
    ++s.by_position;
  }

  // The documents within reach: those the logging policy examines often enough.
  s.reach.clear();
  for (std::size_t i = 0; i < count; ++i) {
    if (s.examination[i] >= s.options.min_propensity) s.reach.push_back(i);
  }
  s.features.Resize(s.reach.size());
  for (std::size_t r = 0; r < s.reach.size(); ++r) {
    const std::size_t i = s.reach[r];
    const std::vector<float>& row =
        i < shown.size() ? shown[i].features : impression.unshown[i - shown.size()].features;
    std::copy(row.begin(), row.end(), s.features.row(r).begin());
  }
  s.candidate_scores.resize(s.reach.size());
  s.baseline_scores.resize(s.reach.size());
  s.candidate.Score(s.features, s.candidate_scores);
  s.baseline.Score(s.features, s.baseline_scores);
  const std::vector<std::size_t> candidate_ranks = RanksOf(s.candidate_scores);
  const std::vector<std::size_t> baseline_ranks = RanksOf(s.baseline_scores);

  s.clicked.assign(count, false);
  for (const PendingClick& click : settled.clicks) {
    const std::size_t at = static_cast<std::size_t>(click.position);
    if (at < shown.size() && shown[at].doc_id == click.doc_id) s.clicked[at] = true;
  }
  auto weight = [&](std::size_t rank) {
    return rank < s.options.depth ? 1 / std::log2(2.0 + static_cast<double>(rank)) : 0.0;
  };
  ImpressionSample sample;
  sample.query = NormalizeQuery(impression.query);
  for (std::size_t r = 0; r < s.reach.size(); ++r) {
    const std::size_t i = s.reach[r];
    const double examination = s.examination[i], unprompted = s.unprompted[i];
    // E[click] = examination * g + unprompted over the policy's draws: unbiased for
    // the document's click rate at position 0, g.
    const double gain = ((s.clicked[i] ? 1.0 : 0.0) - unprompted) / examination;
    const double candidate_weight = weight(candidate_ranks[r]);
    const double baseline_weight = weight(baseline_ranks[r]);
    const double change = candidate_weight - baseline_weight;
    sample.difference += change * gain;
    sample.candidate += candidate_weight * gain;
    sample.baseline += baseline_weight * gain;
    const double if_not = change * (0 - unprompted) / examination;
    const double if_clicked = change * (1 - unprompted) / examination;
    sample.low += std::min(if_not, if_clicked);
    sample.high += std::max(if_not, if_clicked);
  }
  s.samples.push_back(std::move(sample));
}

CounterfactualReport CounterfactualEstimator::Report() const {
  const State& s = *state_;
  CounterfactualReport report;
  report.confidence = s.options.confidence;
  report.skipped = s.skipped;
  report.policy_aware = s.policy_aware;
  report.by_position = s.by_position;
  const std::vector<ImpressionSample>& samples = s.samples;
  // Segments by query frequency: the most frequent queries' impressions up to a third
  // of all are head, up to two thirds torso, the rest tail.
  std::unordered_map<std::string, std::size_t> frequency;
  for (const ImpressionSample& sample : samples) ++frequency[sample.query];
  std::vector<std::pair<std::size_t, std::string>> by_frequency;
  for (const auto& [query, count] : frequency) by_frequency.emplace_back(count, query);
  std::sort(by_frequency.begin(), by_frequency.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::unordered_map<std::string, int> segment_of;
  std::size_t seen = 0;
  for (const auto& [count, query] : by_frequency) {
    const double share = static_cast<double>(seen) / static_cast<double>(samples.size());
    segment_of[query] = share < 1.0 / 3 ? 0 : share < 2.0 / 3 ? 1 : 2;
    seen += count;
  }
  std::vector<const ImpressionSample*> all, parts[3];
  for (const ImpressionSample& sample : samples) {
    all.push_back(&sample);
    parts[segment_of[sample.query]].push_back(&sample);
  }
  report.segments.push_back(Summarize("all", all, s.options.confidence));
  const char* names[3] = {"head", "torso", "tail"};
  for (int part = 0; part < 3; ++part) {
    if (!parts[part].empty())
      report.segments.push_back(Summarize(names[part], parts[part], s.options.confidence));
  }
  return report;
}

CounterfactualReport EvaluateCounterfactual(std::span<const SettledImpression> impressions,
                                            const Model& candidate, const Model& baseline,
                                            const PositionBias& bias,
                                            const CounterfactualOptions& options) {
  CounterfactualEstimator estimator(candidate, baseline, bias, options);
  for (const SettledImpression& settled : impressions) estimator.Add(settled);
  return estimator.Report();
}

}  // namespace foldrank
