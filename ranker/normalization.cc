#include "ranker/normalization.h"

#include <algorithm>
#include <cmath>

namespace foldrank {

void Normalization::Apply(const FeatureMatrix& raw, FeatureMatrix& out) const {
  const std::size_t rows = raw.rows();
  out.Resize(rows);
  if (rows == 0) return;  // A query without candidates: nothing to scale.
  switch (method) {
    case Method::kNone:
      std::copy(raw.values().begin(), raw.values().end(), out.values().begin());
      return;
    case Method::kZScore:
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t f = 0; f < kFeatureCount; ++f) {
          const float value = (raw.at(r, f) - mean[f]) / scale[f];
          out.at(r, f) = std::isfinite(value) ? value : 0.0f;
        }
      }
      return;
    case Method::kPerQueryMinMax:
      for (std::size_t f = 0; f < kFeatureCount; ++f) {
        float low = raw.at(0, f), high = low;
        for (std::size_t r = 1; r < rows; ++r) {
          low = std::min(low, raw.at(r, f));
          high = std::max(high, raw.at(r, f));
        }
        const float range = high - low;
        for (std::size_t r = 0; r < rows; ++r) {
          out.at(r, f) = range > 0 ? (raw.at(r, f) - low) / range : 0.0f;
        }
      }
      return;
  }
}

}  // namespace foldrank
