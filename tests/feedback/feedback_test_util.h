#pragma once

#include <string>
#include <vector>

#include "feedback/records.h"

namespace foldrank::testing {

// An impression of `doc_ids` in order; document i's features are all zero except
// feature `Column(Feature::kBm25Title)` = quality[i] (so a learner can tell them apart).
inline Impression MakeImpression(std::string query_id, std::vector<std::string> doc_ids,
                                 std::vector<float> quality, std::int64_t created_ms,
                                 std::string user = "") {
  Impression impression;
  impression.query_id = std::move(query_id);
  impression.created_ms = created_ms;
  impression.query = "garden hose";
  impression.user_hash = std::move(user);
  impression.model_version = 1;
  impression.temperature = 1.0;
  for (std::size_t i = 0; i < doc_ids.size(); ++i) {
    ShownResult shown;
    shown.position = static_cast<std::int32_t>(i);
    shown.doc_id = doc_ids[i];
    shown.score = 0;
    shown.probability = 1.0 / static_cast<double>(doc_ids.size() - i);
    shown.features.assign(kFeatureCount, 0.0f);
    shown.features[Column(Feature::kBm25Title)] = quality[i];
    impression.results.push_back(std::move(shown));
  }
  return impression;
}

inline Click MakeClick(std::string event_id, std::string query_id, std::string doc_id,
                       std::int32_t position, std::int64_t clicked_ms = 1000) {
  Click click;
  click.event_id = std::move(event_id);
  click.query_id = std::move(query_id);
  click.doc_id = std::move(doc_id);
  click.position = position;
  click.clicked_ms = clicked_ms;
  return click;
}

}  // namespace foldrank::testing
