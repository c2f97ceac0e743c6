#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "ranker/feature_set.h"

namespace foldrank {

// Candidates x features, row-major float32: one query's feature vectors. A plain
// buffer so that no Eigen type leaves ranker/; Resize() keeps capacity, so a matrix
// reused across queries stops allocating once it has seen the largest K.
class FeatureMatrix {
 public:
  FeatureMatrix() = default;
  explicit FeatureMatrix(std::size_t rows) { Resize(rows); }

  // Sets the row count; every value becomes 0.
  void Resize(std::size_t rows) {
    rows_ = rows;
    values_.assign(rows * kFeatureCount, 0.0f);
  }

  std::size_t rows() const { return rows_; }
  static constexpr std::size_t cols() { return kFeatureCount; }

  float& at(std::size_t row, std::size_t col) { return values_[row * kFeatureCount + col]; }
  float at(std::size_t row, std::size_t col) const { return values_[row * kFeatureCount + col]; }
  float& at(std::size_t row, Feature f) { return at(row, Column(f)); }
  float at(std::size_t row, Feature f) const { return at(row, Column(f)); }

  std::span<float> row(std::size_t r) {
    return {values_.data() + r * kFeatureCount, kFeatureCount};
  }
  std::span<const float> row(std::size_t r) const {
    return {values_.data() + r * kFeatureCount, kFeatureCount};
  }
  std::span<const float> values() const { return {values_.data(), rows_ * kFeatureCount}; }
  std::span<float> values() { return {values_.data(), rows_ * kFeatureCount}; }

 private:
  std::size_t rows_ = 0;
  std::vector<float> values_;
};

}  // namespace foldrank
