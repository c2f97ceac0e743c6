#include "feedback/pdgd.h"

#include <algorithm>
#include <cmath>

namespace foldrank {
namespace {

// log P(ranking) under Plackett-Luce with logits `logits` (already divided by the
// temperature), for the ranking given as indexes into `logits`.
double LogPlackettLuce(std::span<const double> logits, std::span<const std::size_t> ranking) {
  double max = -INFINITY;
  for (double l : logits) max = std::max(max, l);
  double log_probability = 0;
  double suffix = 0;  // Sum of exp(logit - max) over ranking[i..].
  for (std::size_t i = ranking.size(); i-- > 0;) {
    suffix += std::exp(logits[ranking[i]] - max);
    log_probability += logits[ranking[i]] - max - std::log(suffix);
  }
  return log_probability;
}

}  // namespace

double ExaminationPrior(std::int32_t position) { return 1.0 / (position + 1.0); }

std::array<double, kFeatureCount> PdgdLearner::Gradient(const Model& model,
                                                        const SettledImpression& settled) const {
  std::array<double, kFeatureCount> gradient{};
  const std::vector<ShownResult>& shown = settled.impression.results;
  if (shown.empty() || settled.clicks.empty()) return gradient;
  // Current scores of the shown documents, from the logged features.
  FeatureMatrix x(shown.size());
  for (std::size_t r = 0; r < shown.size(); ++r) {
    for (std::size_t f = 0; f < kFeatureCount && f < shown[r].features.size(); ++f) {
      x.at(r, f) = shown[r].features[f];
    }
  }
  std::vector<float> scores(shown.size());
  model.Score(x, scores);
  const double temperature =
      settled.impression.temperature > 0 ? settled.impression.temperature : 1.0;
  std::vector<double> logits(shown.size());
  for (std::size_t r = 0; r < shown.size(); ++r) logits[r] = scores[r] / temperature;

  std::vector<bool> clicked(shown.size(), false);
  std::int32_t last_click = -1;
  for (const PendingClick& click : settled.clicks) {
    for (std::size_t r = 0; r < shown.size(); ++r) {
      if (shown[r].position == click.position && shown[r].doc_id == click.doc_id) {
        clicked[r] = true;
        last_click = std::max(last_click, shown[r].position);
      }
    }
  }
  if (last_click < 0) return gradient;
  // Shown rows are in position order; the ranking is that order.
  std::vector<std::size_t> ranking(shown.size());
  for (std::size_t r = 0; r < shown.size(); ++r) ranking[r] = r;
  const double log_p = LogPlackettLuce(logits, ranking);
  for (std::size_t k = 0; k < shown.size(); ++k) {
    if (!clicked[k]) continue;
    for (std::size_t l = 0; l < shown.size(); ++l) {
      // Observed: above the last click, or the one right after it.
      if (clicked[l] || shown[l].position > last_click + 1) continue;
      std::swap(ranking[k], ranking[l]);
      const double log_p_swapped = LogPlackettLuce(logits, ranking);
      std::swap(ranking[k], ranking[l]);
      // rho = P(R*) / (P(R) + P(R*)), computed stably in log space.
      const double rho = options_.debias ? 1.0 / (1.0 + std::exp(log_p - log_p_swapped)) : 0.5;
      const double diff = logits[k] - logits[l];
      const double p_kl = 1.0 / (1.0 + std::exp(-diff));
      const double weight = rho * p_kl * (1.0 - p_kl);
      for (std::size_t f = 0; f < kFeatureCount; ++f) {
        gradient[f] += weight * (x.at(k, f) - x.at(l, f));
      }
    }
  }
  return gradient;
}

double PdgdLearner::LearningRate(std::uint64_t updates) const {
  return std::max(options_.learning_rate_floor,
                  options_.learning_rate /
                      std::sqrt(1.0 + static_cast<double>(updates) / options_.decay_updates));
}

bool PdgdLearner::Counts(const SettledImpression& impression) const {
  return impression.impression.user_hash.empty() ||
         impression.earlier_by_user <
             static_cast<std::uint32_t>(std::max(0, options_.max_impressions_per_user_query));
}

LinearFunction PdgdLearner::Update(const Model& model, std::span<const SettledImpression> batch,
                                   std::uint64_t& updates) const {
  LinearFunction delta = model.delta();
  Model current = model;
  for (const SettledImpression& settled : batch) {
    if (settled.clicks.empty() || !Counts(settled)) continue;
    std::array<double, kFeatureCount> gradient = Gradient(current, settled);
    double norm = 0;
    for (double g : gradient) norm += g * g;
    norm = std::sqrt(norm);
    const double scale =
        norm > options_.max_gradient_norm ? options_.max_gradient_norm / norm : 1.0;
    const double rate = LearningRate(updates);
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      const double stepped = delta.weights[f] + rate * scale * gradient[f];
      float weight = static_cast<float>(stepped / (1.0 + rate * options_.l2));
      // A step far below float's range rounds to zero, negative ones to -0. Stored
      // models write no zero weights, so the version read back would hold +0: keep
      // +0 here, so that a replay matches the stored version bit for bit.
      if (weight == 0.0f) weight = 0.0f;
      delta.weights[f] = weight;
    }
    ++updates;
    current = model.WithDelta(delta, model.origin());  // Later pairs see the update.
  }
  return delta;
}

}  // namespace foldrank
