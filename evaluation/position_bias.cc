#include "evaluation/position_bias.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_map>

#include "feedback/query_key.h"

namespace foldrank {
namespace {

// One (query, position p, document pair) shown both ways round. "A" impressions
// showed the better document at 0 and the other at p; "B" the other way round.
struct SwapCell {
  std::string better;
  double a_shown = 0, a_top_clicks = 0, a_low_clicks = 0;
  double b_shown = 0, b_top_clicks = 0, b_low_clicks = 0;
};

// What a cell contributes to the estimate of one position, as click rates.
struct CellRates {
  double weight = 0;
  double top_gap = 0;   // rate at 0 of better - of other: sum of (g_better - g_other)
  double low_gap = 0;   // rate at p of better - of other: alpha (g_better - g_other)
  double top_mean = 0;  // mean rate at 0
  double low_mean = 0;  // mean rate at p: alpha * top_mean + beta
};

struct AlphaBeta {
  double alpha = 0, beta = 0;
  bool defined = false;
};

AlphaBeta Fit(std::span<const CellRates> cells, std::span<const std::size_t> pick) {
  double weight = 0, top_gap = 0, low_gap = 0, top_mean = 0, low_mean = 0;
  for (std::size_t i : pick) {
    const CellRates& c = cells[i];
    weight += c.weight;
    top_gap += c.weight * c.top_gap;
    low_gap += c.weight * c.low_gap;
    top_mean += c.weight * c.top_mean;
    low_mean += c.weight * c.low_mean;
  }
  // Without a relevance contrast at the top, the cells cannot tell alpha.
  if (weight <= 0 || top_gap <= 1e-9 * weight) return {};
  const double alpha = low_gap / top_gap;
  return {alpha, (low_mean - alpha * top_mean) / weight, true};
}

double Quantile(std::vector<double>& values, double q) {
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(at);
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace

PositionBias PositionBias::Prior(std::size_t depth) {
  PositionBias prior;
  prior.positions.resize(std::max<std::size_t>(depth, 1));
  for (std::size_t p = 0; p < prior.positions.size(); ++p) {
    PositionEstimate& estimate = prior.positions[p];
    estimate.alpha = estimate.alpha_low = estimate.alpha_high = 1.0 / static_cast<double>(p + 1);
  }
  return prior;
}

double PositionBias::Alpha(std::int32_t position) const {
  if (positions.empty() || position < 0) return 1;
  const std::size_t p = static_cast<std::size_t>(position);
  if (p < positions.size()) return positions[p].alpha;
  // Past the last estimated position, falling as 1 / (p + 1).
  return positions.back().alpha * static_cast<double>(positions.size()) /
         static_cast<double>(p + 1);
}

double PositionBias::Beta(std::int32_t position) const {
  if (positions.empty() || position < 0) return 0;
  const std::size_t p = static_cast<std::size_t>(position);
  if (p < positions.size()) return positions[p].beta;
  return positions.back().beta * static_cast<double>(positions.size()) / static_cast<double>(p + 1);
}

double PositionBias::Examination(std::int32_t position) const {
  return std::clamp(Alpha(position) + Beta(position), 0.01, 1.0);
}

std::string PositionBias::ToJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t p = 0; p < positions.size(); ++p) {
    const PositionEstimate& e = positions[p];
    list.push_back({{"position", p},
                    {"alpha", e.alpha},
                    {"alpha_interval", {e.alpha_low, e.alpha_high}},
                    {"beta", e.beta},
                    {"beta_interval", {e.beta_low, e.beta_high}},
                    {"cells", e.cells},
                    {"impressions", e.impressions},
                    {"estimated", e.estimated}});
  }
  return nlohmann::json{{"confidence", confidence},
                        {"impressions", impressions},
                        {"randomized", randomized},
                        {"estimated_ms", estimated_ms},
                        {"positions", std::move(list)}}
      .dump();
}

Result<PositionBias> PositionBias::FromJson(const std::string& text) {
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    PositionBias bias;
    bias.confidence = json.at("confidence").get<double>();
    bias.impressions = json.at("impressions").get<std::uint64_t>();
    bias.randomized = json.at("randomized").get<std::uint64_t>();
    bias.estimated_ms = json.at("estimated_ms").get<std::int64_t>();
    for (const nlohmann::json& item : json.at("positions")) {
      PositionEstimate e;
      e.alpha = item.at("alpha").get<double>();
      e.alpha_low = item.at("alpha_interval").at(0).get<double>();
      e.alpha_high = item.at("alpha_interval").at(1).get<double>();
      e.beta = item.at("beta").get<double>();
      e.beta_low = item.at("beta_interval").at(0).get<double>();
      e.beta_high = item.at("beta_interval").at(1).get<double>();
      e.cells = item.at("cells").get<std::uint64_t>();
      e.impressions = item.at("impressions").get<std::uint64_t>();
      e.estimated = item.at("estimated").get<bool>();
      bias.positions.push_back(e);
    }
    if (bias.positions.empty()) return Status::InvalidArgument("position bias without positions");
    return bias;
  } catch (const nlohmann::json::exception& error) {
    return Status::InvalidArgument(std::string("bad position-bias JSON: ") + error.what());
  }
}

PositionBias EstimatePositionBias(std::span<const SettledImpression> impressions,
                                  const PositionBiasOptions& options) {
  PositionBias bias = PositionBias::Prior(options.depth);
  bias.confidence = options.confidence;
  const std::size_t depth = bias.positions.size();
  // cells[p]: swap cells of position p, found through `index` by query and pair.
  std::vector<std::vector<SwapCell>> cells(depth);
  std::unordered_map<std::string, std::size_t> index;
  std::vector<bool> clicked;
  for (const SettledImpression& settled : impressions) {
    const Impression& impression = settled.impression;
    const std::vector<ShownResult>& shown = impression.results;
    if (shown.size() < 2 || shown[0].position != 0) continue;  // Pages past the first.
    ++bias.impressions;
    bias.randomized += impression.swapped_with > 0;
    clicked.assign(shown.size(), false);
    for (const PendingClick& click : settled.clicks) {
      const std::size_t at = static_cast<std::size_t>(click.position);
      if (at < shown.size() && shown[at].doc_id == click.doc_id) clicked[at] = true;
    }
    const std::string query = NormalizeQuery(impression.query);
    for (std::size_t p = 1; p < std::min(depth, shown.size()); ++p) {
      if (shown[p].position != static_cast<std::int32_t>(p)) break;
      const std::string& top = shown[0].doc_id;
      const std::string& low = shown[p].doc_id;
      std::string key = query;
      key.push_back('\x1f');
      key += std::min(top, low);
      key.push_back('\x1f');
      key += std::max(top, low);
      key.push_back('\x1f');
      key += std::to_string(p);
      auto [it, inserted] = index.try_emplace(std::move(key), cells[p].size());
      if (inserted) {
        // Orientation from the model's scores in the first impression: fixed before
        // any of the cell's clicks, so independent of them.
        cells[p].push_back({shown[p].score > shown[0].score ? low : top});
      }
      SwapCell& cell = cells[p][it->second];
      if (cell.better == top) {
        cell.a_shown += 1;
        cell.a_top_clicks += clicked[0];
        cell.a_low_clicks += clicked[p];
      } else {
        cell.b_shown += 1;
        cell.b_top_clicks += clicked[0];
        cell.b_low_clicks += clicked[p];
      }
    }
  }

  std::mt19937_64 rng(options.seed);
  const double tail = (1 - options.confidence) / 2;
  for (std::size_t p = 1; p < depth; ++p) {
    std::vector<CellRates> rates;
    PositionEstimate& estimate = bias.positions[p];
    for (const SwapCell& c : cells[p]) {
      if (c.a_shown == 0 || c.b_shown == 0) continue;
      // A: better at 0 (rate g_better), other at p. B: other at 0, better at p.
      const double a_top = c.a_top_clicks / c.a_shown, a_low = c.a_low_clicks / c.a_shown;
      const double b_top = c.b_top_clicks / c.b_shown, b_low = c.b_low_clicks / c.b_shown;
      rates.push_back({c.a_shown * c.b_shown / (c.a_shown + c.b_shown), a_top - b_top,
                       b_low - a_low, (a_top + b_top) / 2, (a_low + b_low) / 2});
      estimate.impressions += static_cast<std::uint64_t>(c.a_shown + c.b_shown);
    }
    estimate.cells = rates.size();
    if (rates.size() < options.min_cells) continue;
    std::vector<std::size_t> all(rates.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const AlphaBeta point = Fit(rates, all);
    if (!point.defined) continue;
    std::vector<double> alphas, betas;
    std::vector<std::size_t> pick(rates.size());
    std::uniform_int_distribution<std::size_t> any(0, rates.size() - 1);
    for (int b = 0; b < options.bootstrap; ++b) {
      for (std::size_t& i : pick) i = any(rng);
      const AlphaBeta resampled = Fit(rates, pick);
      if (!resampled.defined) continue;
      alphas.push_back(resampled.alpha);
      betas.push_back(resampled.beta);
    }
    if (alphas.size() < 2) continue;
    estimate.alpha = point.alpha;
    estimate.beta = point.beta;
    estimate.alpha_low = Quantile(alphas, tail);
    estimate.alpha_high = Quantile(alphas, 1 - tail);
    estimate.beta_low = Quantile(betas, tail);
    estimate.beta_high = Quantile(betas, 1 - tail);
    estimate.estimated = true;
  }
  return bias;
}

}  // namespace foldrank
