#include "ranker/click_signals.h"

#include <algorithm>
#include <cmath>

namespace foldrank {

void NoClickSignals::Lookup(std::string_view, std::span<const Candidate>, std::span<float> doc_rate,
                            std::span<float> query_doc_rate) const {
  std::fill(doc_rate.begin(), doc_rate.end(), 1.0f);
  std::fill(query_doc_rate.begin(), query_doc_rate.end(), 1.0f);
}

float SmoothedClickRate(double clicks, double expected_clicks, double prior_strength) {
  const double rate =
      (std::max(0.0, clicks) + prior_strength) / (std::max(0.0, expected_clicks) + prior_strength);
  return std::isfinite(rate) ? static_cast<float>(rate) : 1.0f;
}

}  // namespace foldrank
