#pragma once

#include <span>
#include <string>
#include <vector>

namespace foldrank::sim {

// DCG@10 of grades in ranked order: sum of (2^g - 1) / log2(rank + 2), rank 0-based.
double DcgAt10(std::span<const int> grades);

struct Intent;
// NDCG@10 of a ranking (document ids, best first) for an intent; 0 when the intent
// has no relevant document.
double NdcgAt10(const Intent& intent, const std::vector<std::string>& ranking);

}  // namespace foldrank::sim
