#pragma once

#include <span>
#include <string_view>

#include "index/candidates.h"

namespace foldrank {

// Click evidence for the click features, supplied by feedback/ (which owns the
// ledger). Values are clicks over expected clicks (COEC): clicks divided by the
// clicks an average document would get at the positions where this one was shown,
// smoothed toward 1 with a Bayesian prior, so 1 means "as expected" and is also the
// value without data. Implementations must be thread-safe: queries call them
// concurrently.
class ClickSignals {
 public:
  virtual ~ClickSignals() = default;
  // Fills doc_rate[i] (the document over all queries) and query_doc_rate[i] (for
  // this query text) for each candidates[i]. Both spans have candidates.size()
  // entries; every entry must be written, finite and >= 0.
  virtual void Lookup(std::string_view query, std::span<const Candidate> candidates,
                      std::span<float> doc_rate, std::span<float> query_doc_rate) const = 0;
};

// No click data yet (cold start, or feedback disabled): every rate is the prior, 1.
class NoClickSignals final : public ClickSignals {
 public:
  void Lookup(std::string_view query, std::span<const Candidate> candidates,
              std::span<float> doc_rate, std::span<float> query_doc_rate) const override;
};

// The smoothed COEC that implementations should use: (clicks + prior_strength) /
// (expected_clicks + prior_strength), i.e. a Beta-style prior worth prior_strength
// expected clicks at rate 1. Returns 1 without data.
float SmoothedClickRate(double clicks, double expected_clicks, double prior_strength = 5.0);

}  // namespace foldrank
