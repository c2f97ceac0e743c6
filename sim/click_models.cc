#include "sim/click_models.h"

#include <algorithm>
#include <cmath>

namespace foldrank::sim {
namespace {

constexpr std::array<double, 5> kTrustAlpha = {0.35, 0.53, 0.55, 0.54, 0.52};
constexpr std::array<double, 5> kTrustBeta = {0.65, 0.26, 0.15, 0.11, 0.08};

double Attractiveness(int grade) { return 0.1 + 0.9 * (std::pow(2.0, grade) - 1) / 15; }

}  // namespace

std::vector<std::string> ClickModel::Names() {
  return {"perfect", "navigational", "informational", "pbm1", "pbm2", "trust"};
}

Result<ClickModel> ClickModel::Named(const std::string& name) {
  ClickModel model;
  model.name_ = name;
  if (name == "perfect") {
    model.click_ = {0.0, 0.2, 0.4, 0.8, 1.0};
    model.stop_ = {0.0, 0.0, 0.0, 0.0, 0.0};
  } else if (name == "navigational") {
    model.click_ = {0.05, 0.3, 0.5, 0.7, 0.95};
    model.stop_ = {0.2, 0.3, 0.5, 0.7, 0.9};
  } else if (name == "informational") {
    model.click_ = {0.4, 0.6, 0.7, 0.8, 0.9};
    model.stop_ = {0.1, 0.2, 0.3, 0.4, 0.5};
  } else if (name == "pbm1" || name == "pbm2") {
    model.kind_ = Kind::kPositionBased;
    model.eta_ = name == "pbm1" ? 1 : 2;
    for (int g = 0; g < 5; ++g) model.click_[g] = Attractiveness(g);
  } else if (name == "trust") {
    model.kind_ = Kind::kTrustBias;
  } else {
    return Status::InvalidArgument("unknown click model '" + name +
                                   "' (perfect, navigational, informational, pbm1, pbm2, trust)");
  }
  return model;
}

std::optional<ClickModel::Affine> ClickModel::AffineAt(std::size_t position) const {
  const double rank = static_cast<double>(position + 1);
  switch (kind_) {
    case Kind::kCascade:
      return std::nullopt;
    case Kind::kPositionBased:
      return Affine{std::pow(1 / rank, eta_), 0};
    case Kind::kTrustBias: {
      const double fall = position < 5 ? 1 : 5 / rank;
      const std::size_t k = std::min<std::size_t>(position, 4);
      return Affine{fall * kTrustAlpha[k], fall * kTrustBeta[k]};
    }
  }
  return std::nullopt;
}

std::vector<int> ClickModel::Clicks(std::span<const int> grades, std::mt19937_64& rng) const {
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<int> clicks;
  for (std::size_t r = 0; r < grades.size(); ++r) {
    const int g = std::clamp(grades[r], 0, 4);
    const double rank = static_cast<double>(r + 1);
    switch (kind_) {
      case Kind::kCascade:
        if (unit(rng) < click_[g]) {
          clicks.push_back(static_cast<int>(r));
          if (unit(rng) < stop_[g]) return clicks;
        }
        break;
      case Kind::kPositionBased:
        if (unit(rng) < std::pow(1 / rank, eta_) * click_[g]) clicks.push_back(static_cast<int>(r));
        break;
      case Kind::kTrustBias: {
        const double fall = r < 5 ? 1 : 5 / rank;
        const std::size_t k = std::min<std::size_t>(r, 4);
        const double relevant = (std::pow(2.0, g) - 1) / 15;
        if (unit(rng) < fall * (kTrustAlpha[k] * relevant + kTrustBeta[k])) {
          clicks.push_back(static_cast<int>(r));
        }
        break;
      }
    }
  }
  return clicks;
}

}  // namespace foldrank::sim
