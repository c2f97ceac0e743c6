#pragma once

#include <array>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "foldrank/result.h"

namespace foldrank::sim {

// How simulated users click a ranked list given each shown document's hidden grade
// (0-4). Clicks are 0-based positions, in order.
class ClickModel {
 public:
  // "perfect", "navigational", "informational": cascade (CCM) users with the click
  // and stop probabilities per grade of Oosterhuis & de Rijke, "Differentiable
  // Unbiased Online Learning to Rank", CIKM 2018, Table 1 (after Hofmann et al.,
  // "Fidelity, soundness, and efficiency of interleaved comparison methods", TOIS
  // 2013). "pbm1", "pbm2": the position-based model, examination (1 / rank)^eta
  // (Joachims et al., WSDM 2017), clicking an examined document with probability
  // 0.1 + 0.9 (2^g - 1) / 15. "trust": the trust-bias model of Agarwal et al.,
  // "Addressing Trust Bias for Unbiased Learning-to-Rank", WWW 2019: P(click at
  // rank k) = alpha_k P(relevant) + beta_k, with their alpha and beta for the top 5
  // and both falling as 1 / rank below.
  static Result<ClickModel> Named(const std::string& name);
  static std::vector<std::string> Names();

  const std::string& name() const { return name_; }
  // The users' affine click model at 0-based `position`, if they follow one (PBM and
  // trust): P(click) = alpha * r + beta for a document of relevance r in [0, 1]
  // (PBM: r is the attractiveness). Cascade users click as they scan: none.
  struct Affine {
    double alpha = 0, beta = 0;
  };
  std::optional<Affine> AffineAt(std::size_t position) const;
  std::vector<int> Clicks(std::span<const int> grades, std::mt19937_64& rng) const;

 private:
  enum class Kind { kCascade, kPositionBased, kTrustBias };
  std::string name_;
  Kind kind_ = Kind::kCascade;
  std::array<double, 5> click_{};  // Cascade: P(click | grade); PBM: attractiveness.
  std::array<double, 5> stop_{};   // Cascade: P(stop after a click | grade).
  double eta_ = 1;                 // PBM.
};

}  // namespace foldrank::sim
