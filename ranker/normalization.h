#pragma once

#include <array>

#include "ranker/feature_matrix.h"

namespace foldrank {

// How raw features become model inputs. Part of every model (training and serving
// must agree), stored in its JSON.
//
// The default is per-query min-max: each feature is scaled to [0, 1] over the
// candidates of one query (a feature equal for all of them becomes 0). Why: online
// learners such as PDGD compare documents within one query, and raw scales vary
// with the query (BM25 grows with query length and term rarity) and drift as the
// corpus grows; per-query scaling keeps every update on the same footing, needs no
// statistics that could go stale, and is what the OLTR literature uses (Oosterhuis
// & de Rijke 2018 run on per-query normalized LETOR features). The cost: a feature
// constant within a query (query length, summed IDF) carries no signal for a linear
// model. `kZScore` (global mean and scale stored in the model) and `kNone` exist for
// imported models trained that way.
struct Normalization {
  enum class Method { kPerQueryMinMax, kZScore, kNone };
  Method method = Method::kPerQueryMinMax;
  // kZScore only: x' = (x - mean) / scale; scale > 0.
  std::array<float, kFeatureCount> mean{};
  std::array<float, kFeatureCount> scale{};

  // Writes the normalized `raw` into `out` (resized to match). Finite in, finite out.
  void Apply(const FeatureMatrix& raw, FeatureMatrix& out) const;

  bool operator==(const Normalization&) const = default;
};

}  // namespace foldrank
