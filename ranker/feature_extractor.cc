#include "ranker/feature_extractor.h"

#include <algorithm>
#include <cmath>

#include "common/check.h"

namespace foldrank {
namespace {

// The missing-value rule at the last step: a non-finite value becomes the
// feature's no-data value.
float Clean(float value, Feature feature) {
  return std::isfinite(value) ? value : kFeatureDefaults[Column(feature)];
}

// BM25 IDF, never negative: a document frequency above the document count (Lucene
// counts deleted documents until merges) is capped at the count.
double Idf(std::int64_t doc_freq, std::int64_t doc_count) {
  const double n = static_cast<double>(std::max(doc_count, doc_freq));
  const double df = static_cast<double>(doc_freq);
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

double Bm25(const TermStatistics& stats, TextField field, std::size_t candidate,
            std::span<const double> idf) {
  const FieldStatistics& f = stats.field(field);
  const double average = f.average_length > 0 ? f.average_length : 1.0;
  const double length_norm =
      1.0 - FeatureExtractor::kB + FeatureExtractor::kB * f.length[candidate] / average;
  double score = 0;
  for (std::size_t t = 0; t < stats.terms.size(); ++t) {
    const double tf = stats.term_freq(field, candidate, t);
    if (tf > 0) {
      score +=
          idf[t] * tf * (FeatureExtractor::kK1 + 1) / (tf + FeatureExtractor::kK1 * length_norm);
    }
  }
  return score;
}

double Coverage(const TermStatistics& stats, TextField field, std::size_t candidate) {
  if (stats.terms.empty()) return 0;
  std::size_t present = 0;
  for (std::size_t t = 0; t < stats.terms.size(); ++t) {
    present += stats.term_freq(field, candidate, t) > 0;
  }
  return static_cast<double>(present) / static_cast<double>(stats.terms.size());
}

}  // namespace

std::int32_t SmallestCoveringWindow(std::span<const std::span<const std::int32_t>> lists) {
  if (lists.empty()) return 0;
  for (const auto& list : lists) {
    if (list.empty()) return 0;
  }
  // One cursor per list; the window spans the cursors. Advancing the cursor at the
  // window's start is the only move that can shrink it (Clarke et al.'s cover).
  thread_local std::vector<std::size_t> cursor;
  cursor.assign(lists.size(), 0);
  std::int32_t best = 0;
  while (true) {
    std::size_t lowest = 0;
    std::int32_t low = lists[0][cursor[0]], high = low;
    for (std::size_t i = 1; i < lists.size(); ++i) {
      const std::int32_t at = lists[i][cursor[i]];
      if (at < low) {
        low = at;
        lowest = i;
      }
      high = std::max(high, at);
    }
    const std::int32_t width = high - low + 1;
    if (best == 0 || width < best) best = width;
    if (++cursor[lowest] == lists[lowest].size()) return best;
  }
}

bool HasPhrase(std::span<const std::span<const std::int32_t>> lists) {
  if (lists.empty() || lists[0].empty()) return false;
  for (std::int32_t start : lists[0]) {
    bool all = true;
    for (std::size_t i = 1; i < lists.size() && all; ++i) {
      all = std::binary_search(lists[i].begin(), lists[i].end(),
                               start + static_cast<std::int32_t>(i));
    }
    if (all) return true;
  }
  return false;
}

void FeatureExtractor::Extract(const QueryEvidence& evidence, FeatureMatrix& out) const {
  FOLDRANK_CHECK(evidence.candidates != nullptr && evidence.statistics != nullptr);
  const std::vector<Candidate>& candidates = evidence.candidates->candidates;
  const TermStatistics& stats = *evidence.statistics;
  const std::size_t n = candidates.size();
  const std::size_t terms = stats.terms.size();
  FOLDRANK_CHECK(evidence.priors.size() == n);
  FOLDRANK_CHECK(stats.field(TextField::kTitle).length.size() == n);
  out.Resize(n);
  if (n == 0) return;

  // Scratch reused by this thread across queries: the hot path stops allocating
  // once it has seen its largest query.
  thread_local std::vector<double> idf_title, idf_body, idf_all;
  thread_local std::vector<float> doc_rate, query_doc_rate;
  thread_local std::vector<std::span<const std::int32_t>> lists;
  auto fill_idf = [&](std::vector<double>& idf, TextField field) {
    idf.resize(terms);
    for (std::size_t t = 0; t < terms; ++t) {
      idf[t] = Idf(stats.field(field).doc_freq[t], stats.doc_count);
    }
  };
  fill_idf(idf_title, TextField::kTitle);
  fill_idf(idf_body, TextField::kBody);
  fill_idf(idf_all, TextField::kAll);
  double sum_idf = 0;
  for (double idf : idf_all) sum_idf += idf;

  doc_rate.resize(n);
  query_doc_rate.resize(n);
  clicks_.Lookup(evidence.query, candidates, doc_rate, query_doc_rate);

  for (std::size_t c = 0; c < n; ++c) {
    auto set = [&](Feature feature, double value) {
      out.at(c, feature) = Clean(static_cast<float>(value), feature);
    };
    set(Feature::kBm25Title, Bm25(stats, TextField::kTitle, c, idf_title));
    set(Feature::kBm25Body, Bm25(stats, TextField::kBody, c, idf_body));
    set(Feature::kBm25All, Bm25(stats, TextField::kAll, c, idf_all));
    set(Feature::kRetrievalScore, candidates[c].retrieval_score);
    set(Feature::kCoverageTitle, Coverage(stats, TextField::kTitle, c));
    set(Feature::kCoverageBody, Coverage(stats, TextField::kBody, c));

    lists.clear();
    for (std::size_t t = 0; t < terms; ++t)
      lists.push_back(stats.positions(TextField::kTitle, c, t));
    set(Feature::kPhraseInTitle, HasPhrase(lists) ? 1.0 : 0.0);
    lists.clear();
    for (std::size_t t = 0; t < terms; ++t)
      lists.push_back(stats.positions(TextField::kBody, c, t));
    const std::int32_t window = SmallestCoveringWindow(lists);
    set(Feature::kProximityBody, window > 0 ? static_cast<double>(terms) / window : 0.0);

    set(Feature::kLogTitleLength, std::log1p(stats.field(TextField::kTitle).length[c]));
    set(Feature::kLogBodyLength, std::log1p(stats.field(TextField::kBody).length[c]));
    set(Feature::kLogPopularity, std::log1p(std::max(0.0, evidence.priors[c].popularity)));
    if (evidence.priors[c].updated_at) {
      const double age_days =
          std::max<double>(
              0, static_cast<double>(evidence.now_unix_seconds - *evidence.priors[c].updated_at)) /
          86400.0;
      set(Feature::kFreshness, std::exp2(-age_days / kFreshnessHalfLifeDays));
    } else {
      set(Feature::kFreshness, kFeatureDefaults[Column(Feature::kFreshness)]);
    }
    set(Feature::kQueryLength, static_cast<double>(terms));
    set(Feature::kSumIdf, sum_idf);
    set(Feature::kClickRateDoc, doc_rate[c] >= 0 ? doc_rate[c] : 1.0);
    set(Feature::kClickRateQueryDoc, query_doc_rate[c] >= 0 ? query_doc_rate[c] : 1.0);
  }
}

}  // namespace foldrank
