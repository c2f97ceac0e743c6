#include "ranker/feature_set.h"

namespace foldrank {

std::optional<std::size_t> FeatureColumn(std::string_view name) {
  for (std::size_t i = 0; i < kFeatureCount; ++i) {
    if (kFeatureNames[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace foldrank
