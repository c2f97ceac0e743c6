#include "evaluation/counterfactual.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "evaluation/empirical_bernstein.h"
#include "feedback/query_key.h"
#include "ranker/feature_matrix.h"

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

}  // namespace

struct CounterfactualEstimator::State {
  const Model& candidate;
  const Model& baseline;
  const PositionBias& bias;
  CounterfactualOptions options;
  std::vector<ImpressionSample> samples;
  std::uint64_t skipped = 0;
  // Scratch, reused across impressions.
  FeatureMatrix features;
  std::vector<float> candidate_scores, baseline_scores;
  std::vector<bool> clicked;
};

CounterfactualEstimator::CounterfactualEstimator(const Model& candidate, const Model& baseline,
                                                 const PositionBias& bias,
                                                 const CounterfactualOptions& options)
    : state_(new State{candidate, baseline, bias, options, {}, 0, {}, {}, {}, {}}) {}

CounterfactualEstimator::~CounterfactualEstimator() = default;

void CounterfactualEstimator::Add(const SettledImpression& settled) {
  State& s = *state_;
  const std::vector<ShownResult>& shown = settled.impression.results;
  const bool usable = shown.size() >= 2 && shown[0].position == 0 &&
                      std::all_of(shown.begin(), shown.end(), [](const ShownResult& r) {
                        return r.features.size() == kFeatureCount;
                      });
  if (!usable) {
    ++s.skipped;
    return;
  }
  s.features.Resize(shown.size());
  for (std::size_t i = 0; i < shown.size(); ++i) {
    std::copy(shown[i].features.begin(), shown[i].features.end(), s.features.row(i).begin());
  }
  s.candidate_scores.resize(shown.size());
  s.baseline_scores.resize(shown.size());
  s.candidate.Score(s.features, s.candidate_scores);
  s.baseline.Score(s.features, s.baseline_scores);
  const std::vector<std::size_t> candidate_ranks = RanksOf(s.candidate_scores);
  const std::vector<std::size_t> baseline_ranks = RanksOf(s.baseline_scores);

  s.clicked.assign(shown.size(), false);
  for (const PendingClick& click : settled.clicks) {
    const std::size_t at = static_cast<std::size_t>(click.position);
    if (at < shown.size() && shown[at].doc_id == click.doc_id) s.clicked[at] = true;
  }
  auto weight = [&](std::size_t rank) {
    return rank < s.options.depth ? 1 / std::log2(2.0 + static_cast<double>(rank)) : 0.0;
  };
  ImpressionSample sample;
  sample.query = NormalizeQuery(settled.impression.query);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const std::int32_t position = shown[i].position;
    const double alpha = std::max(0.01, s.bias.Alpha(position));
    const double beta = s.bias.Beta(position);
    // Unbiased for the document's click rate at position 0.
    const double gain = ((s.clicked[i] ? 1.0 : 0.0) - beta) / alpha;
    const double candidate_weight = weight(candidate_ranks[i]);
    const double baseline_weight = weight(baseline_ranks[i]);
    const double change = candidate_weight - baseline_weight;
    sample.difference += change * gain;
    sample.candidate += candidate_weight * gain;
    sample.baseline += baseline_weight * gain;
    const double if_not = change * (0 - beta) / alpha, if_clicked = change * (1 - beta) / alpha;
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
