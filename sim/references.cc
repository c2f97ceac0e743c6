#include "sim/references.h"

#include <array>
#include <cmath>

#include "ranker/feature_set.h"

namespace foldrank::sim {
namespace {

// One training intent's candidates: normalized features, base scores, grades.
struct Candidates {
  std::vector<std::array<float, kFeatureCount>> features;
  std::vector<float> base;
  std::vector<int> grades;
  double weight = 1;
};

struct Pair {
  std::size_t list, better, worse;
  double weight;
};

}  // namespace

Result<Model> BestLinearModel(const Service& service, const std::vector<Intent>& train,
                              const std::vector<double>& weights, int iterations) {
  std::vector<Candidates> lists;
  std::vector<Pair> pairs;
  double total_weight = 0;
  for (std::size_t i = 0; i < train.size(); ++i) {
    SearchRequest request;
    request.query = train[i].query;
    request.page_size = request.candidates;
    request.explain = true;
    request.snippets = false;
    request.log_impression = false;
    auto page = service.Search(request);
    if (!page) return page.error();
    Candidates list;
    list.weight = weights.empty() ? 1.0 : weights[i];
    for (const SearchResult& result : page->results) {
      if (!result.explanation) return Status::Internal("search returned no explanation");
      std::array<float, kFeatureCount> x{};
      for (std::size_t f = 0; f < kFeatureCount && f < result.explanation->features.size(); ++f) {
        x[f] = result.explanation->features[f].normalized;
      }
      list.features.push_back(x);
      list.base.push_back(result.explanation->base_total);
      list.grades.push_back(train[i].Grade(result.id));
    }
    for (std::size_t a = 0; a < list.grades.size(); ++a) {
      for (std::size_t b = 0; b < list.grades.size(); ++b) {
        if (list.grades[a] <= list.grades[b]) continue;
        const double gain = std::exp2(list.grades[a]) - std::exp2(list.grades[b]);
        pairs.push_back({lists.size(), a, b, list.weight * gain});
        total_weight += list.weight * gain;
      }
    }
    lists.push_back(std::move(list));
  }
  const Model current = *service.models().Current();
  if (pairs.empty()) return current;

  // Gradient descent on the delta's weights (the bias cancels in pairs), from the
  // delta in force, with Adam's per-weight step sizes.
  std::array<double, kFeatureCount> w{}, m{}, v{};
  for (std::size_t f = 0; f < kFeatureCount; ++f) w[f] = current.delta().weights[f];
  constexpr double kRate = 0.05, kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
  for (int t = 1; t <= iterations; ++t) {
    std::array<double, kFeatureCount> gradient{};
    for (const Pair& pair : pairs) {
      const Candidates& list = lists[pair.list];
      const auto& xa = list.features[pair.better];
      const auto& xb = list.features[pair.worse];
      double margin = list.base[pair.better] - list.base[pair.worse];
      for (std::size_t f = 0; f < kFeatureCount; ++f) margin += w[f] * (xa[f] - xb[f]);
      // d/dw of log(1 + exp(-margin)), averaged over the pairs' weight.
      const double slope = -pair.weight / (1 + std::exp(margin)) / total_weight;
      for (std::size_t f = 0; f < kFeatureCount; ++f) gradient[f] += slope * (xa[f] - xb[f]);
    }
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      m[f] = kBeta1 * m[f] + (1 - kBeta1) * gradient[f];
      v[f] = kBeta2 * v[f] + (1 - kBeta2) * gradient[f] * gradient[f];
      const double m_hat = m[f] / (1 - std::pow(kBeta1, t));
      const double v_hat = v[f] / (1 - std::pow(kBeta2, t));
      w[f] -= kRate * m_hat / (std::sqrt(v_hat) + kEpsilon);
    }
  }
  LinearFunction delta = current.delta();
  for (std::size_t f = 0; f < kFeatureCount; ++f) delta.weights[f] = static_cast<float>(w[f]);
  return current.WithDelta(delta, "best-linear");
}

Result<Model> BatchRetrained(Ledger& ledger, const Model& current, const LearnerOptions& options,
                             int epochs) {
  auto log = ledger.ClickLog();
  if (!log) return log.error();
  FOLDRANK_RETURN_IF_ERROR(ledger.CountEarlierByUser(*log, options.user_window_ms));
  const PdgdLearner learner(options);
  Model model = current.WithDelta({}, "batch");  // From the base.
  std::uint64_t updates = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    model = model.WithDelta(learner.Update(model, *log, updates), "batch");
  }
  return model;
}

}  // namespace foldrank::sim
