#include "evaluation/position_bias.h"

#include <algorithm>
#include <map>
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

// Swap cells of each position, found by (query, first, second, position).
struct CellTable {
  explicit CellTable(std::size_t depth) : cells(depth) {}

  // One impression's evidence for the cell of (first, second) at position p, which
  // showed `top` at 0; `better` orients the cell if it is new.
  void Add(const std::string& query, const std::string& first, const std::string& second,
           std::size_t p, const std::string& top, const std::string& better, bool top_clicked,
           bool low_clicked) {
    std::string key = query;
    for (const std::string* part : {&first, &second}) {
      key.push_back('\x1f');
      key += *part;
    }
    key.push_back('\x1f');
    key += std::to_string(p);
    auto [it, inserted] = index.try_emplace(std::move(key), cells[p].size());
    if (inserted) cells[p].push_back({better});
    SwapCell& cell = cells[p][it->second];
    const bool a_side = top == cell.better;  // A: the better one on top.
    (a_side ? cell.a_shown : cell.b_shown) += 1;
    (a_side ? cell.a_top_clicks : cell.b_top_clicks) += top_clicked;
    (a_side ? cell.a_low_clicks : cell.b_low_clicks) += low_clicked;
  }

  std::vector<std::vector<SwapCell>> cells;  // [p]
  std::unordered_map<std::string, std::size_t> index;
};

// RandPair's two arms at one position p, as counts of [clicked at 0][clicked at p]:
// impressions without a swap (control), and impressions swapped at p. The coin is
// independent of everything before it, so the pre-swap pair (u at 0, v at p) has
// the same distribution in both arms, even while the learner adapts:
//   control: P(click at 0) = mean g(u),  P(click at p) = alpha mean g(v) + beta
//   swapped: P(click at 0) = mean g(v),  P(click at p) = alpha mean g(u) + beta.
struct RandomizedArms {
  double control[2][2] = {{0, 0}, {0, 0}};
  double swapped[2][2] = {{0, 0}, {0, 0}};
};

// Per page length (the swap's chance at p is share / (min(depth, length) - 1), so
// arms are compared within equal lengths).
using ArmsByLength = std::map<std::size_t, RandomizedArms>;

struct ArmRates {
  double top = 0, low = 0;  // Click rates at 0 and at p.
  double shown = 0;
};

ArmRates Rates(const double counts[2][2]) {
  ArmRates rates;
  rates.shown = counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1];
  if (rates.shown == 0) return rates;
  rates.top = (counts[1][0] + counts[1][1]) / rates.shown;
  rates.low = (counts[0][1] + counts[1][1]) / rates.shown;
  return rates;
}

// Both arms' rates over the page lengths where both were seen, each length weighted
// by its share of the control arm.
AlphaBeta FitArms(const ArmsByLength& arms) {
  ArmRates control, swapped;
  double weight = 0;
  for (const auto& [length, both] : arms) {
    const ArmRates c = Rates(both.control), s = Rates(both.swapped);
    if (c.shown == 0 || s.shown == 0) continue;
    weight += c.shown;
    control.top += c.shown * c.top;
    control.low += c.shown * c.low;
    swapped.top += c.shown * s.top;
    swapped.low += c.shown * s.low;
  }
  if (weight == 0) return {};
  const double top_gap = (control.top - swapped.top) / weight;  // mean g(u) - mean g(v)
  if (top_gap <= 1e-9) return {};
  const double alpha = (swapped.low - control.low) / weight / top_gap;
  return {alpha,
          (control.low + swapped.low) / (2 * weight) -
              alpha * (control.top + swapped.top) / (2 * weight),
          true};
}

// An estimate is used only when it says something: examination positive, and an
// interval for alpha no wider than alpha itself (else the prior stays, with the
// counts that were not enough).
bool Usable(const PositionEstimate& e) {
  return e.alpha > 0 && e.alpha_low > 0 && e.alpha_high - e.alpha_low <= e.alpha;
}

// Draws a multinomial resample of a 2x2 table of counts.
void Resample(const double counts[2][2], std::mt19937_64& rng, double out[2][2]) {
  double left = counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1];
  double mass = left;
  const double* cells[4] = {&counts[0][0], &counts[0][1], &counts[1][0], &counts[1][1]};
  double* outs[4] = {&out[0][0], &out[0][1], &out[1][0], &out[1][1]};
  for (int i = 0; i < 4; ++i) {
    const double share = mass > 0 ? std::min(1.0, *cells[i] / mass) : 0;
    const double drawn = i == 3 ? left
                                : static_cast<double>(std::binomial_distribution<std::int64_t>(
                                      static_cast<std::int64_t>(left), share)(rng));
    *outs[i] = drawn;
    left -= drawn;
    mass -= *cells[i];
  }
}

// The estimate at `point` with percentile intervals over options.bootstrap draws of
// `resampled()`, when Usable; else `estimate` as it was (the prior, with its counts).
template <typename Draw>
PositionEstimate Bootstrapped(const PositionEstimate& estimate, const AlphaBeta& point,
                              const PositionBiasOptions& options, Draw resampled) {
  std::vector<double> alphas, betas;
  for (int b = 0; b < options.bootstrap; ++b) {
    const AlphaBeta draw = resampled();
    if (!draw.defined) continue;
    alphas.push_back(draw.alpha);
    betas.push_back(draw.beta);
  }
  if (alphas.size() < 2) return estimate;
  const double tail = (1 - options.confidence) / 2;
  PositionEstimate measured = estimate;
  measured.alpha = point.alpha;
  measured.beta = point.beta;
  measured.alpha_low = Quantile(alphas, tail);
  measured.alpha_high = Quantile(alphas, 1 - tail);
  measured.beta_low = Quantile(betas, tail);
  measured.beta_high = Quantile(betas, 1 - tail);
  measured.estimated = true;
  return Usable(measured) ? measured : estimate;
}

// Alpha and beta of one position from RandPair's arms, with intervals from a
// parametric bootstrap of both arms; the prior with fewer than options.min_swaps
// swapped impressions.
PositionEstimate Estimate(const ArmsByLength& arms, const PositionEstimate& prior,
                          const PositionBiasOptions& options, std::mt19937_64& rng) {
  PositionEstimate estimate = prior;
  double swaps = 0, shown = 0;
  for (const auto& [length, both] : arms) {
    swaps += Rates(both.swapped).shown;
    shown += Rates(both.swapped).shown + Rates(both.control).shown;
  }
  estimate.swaps = static_cast<std::uint64_t>(swaps);
  estimate.impressions = static_cast<std::uint64_t>(shown);
  if (swaps < static_cast<double>(options.min_swaps)) return estimate;
  const AlphaBeta point = FitArms(arms);
  if (!point.defined) return estimate;
  ArmsByLength resample;
  return Bootstrapped(estimate, point, options, [&] {
    for (const auto& [length, both] : arms) {
      Resample(both.control, rng, resample[length].control);
      Resample(both.swapped, rng, resample[length].swapped);
    }
    return FitArms(resample);
  });
}

// Alpha and beta of one position from its cells, with bootstrap intervals; with
// fewer than options.min_cells usable cells, `prior` with the cell counts.
PositionEstimate Estimate(const std::vector<SwapCell>& cells, const PositionEstimate& prior,
                          const PositionBiasOptions& options, std::mt19937_64& rng) {
  PositionEstimate estimate = prior;
  std::vector<CellRates> rates;
  for (const SwapCell& c : cells) {
    if (c.a_shown == 0 || c.b_shown == 0) continue;
    // A: better at 0 (rate g_better), other at p. B: other at 0, better at p.
    const double a_top = c.a_top_clicks / c.a_shown, a_low = c.a_low_clicks / c.a_shown;
    const double b_top = c.b_top_clicks / c.b_shown, b_low = c.b_low_clicks / c.b_shown;
    rates.push_back({c.a_shown * c.b_shown / (c.a_shown + c.b_shown), a_top - b_top, b_low - a_low,
                     (a_top + b_top) / 2, (a_low + b_low) / 2});
    estimate.impressions += static_cast<std::uint64_t>(c.a_shown + c.b_shown);
  }
  estimate.cells = rates.size();
  if (rates.size() < options.min_cells) return estimate;
  std::vector<std::size_t> pick(rates.size());
  for (std::size_t i = 0; i < pick.size(); ++i) pick[i] = i;
  const AlphaBeta point = Fit(rates, pick);
  if (!point.defined) return estimate;
  std::uniform_int_distribution<std::size_t> any(0, rates.size() - 1);
  return Bootstrapped(estimate, point, options, [&] {
    for (std::size_t& i : pick) i = any(rng);
    return Fit(rates, pick);
  });
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

namespace {

nlohmann::json EstimatesJson(const std::vector<PositionEstimate>& estimates) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t p = 0; p < estimates.size(); ++p) {
    const PositionEstimate& e = estimates[p];
    list.push_back({{"position", p},
                    {"alpha", e.alpha},
                    {"alpha_interval", {e.alpha_low, e.alpha_high}},
                    {"beta", e.beta},
                    {"beta_interval", {e.beta_low, e.beta_high}},
                    {"cells", e.cells},
                    {"swaps", e.swaps},
                    {"impressions", e.impressions},
                    {"estimated", e.estimated},
                    {"source", e.source}});
  }
  return list;
}

std::vector<PositionEstimate> EstimatesFromJson(const nlohmann::json& list) {
  std::vector<PositionEstimate> estimates;
  for (const nlohmann::json& item : list) {
    PositionEstimate e;
    e.alpha = item.at("alpha").get<double>();
    e.alpha_low = item.at("alpha_interval").at(0).get<double>();
    e.alpha_high = item.at("alpha_interval").at(1).get<double>();
    e.beta = item.at("beta").get<double>();
    e.beta_low = item.at("beta_interval").at(0).get<double>();
    e.beta_high = item.at("beta_interval").at(1).get<double>();
    e.cells = item.at("cells").get<std::uint64_t>();
    e.swaps = item.at("swaps").get<std::uint64_t>();
    e.impressions = item.at("impressions").get<std::uint64_t>();
    e.estimated = item.at("estimated").get<bool>();
    e.source = item.at("source").get<std::string>();
    estimates.push_back(e);
  }
  return estimates;
}

}  // namespace

std::string PositionBias::ToJson() const {
  return nlohmann::json{{"confidence", confidence},
                        {"impressions", impressions},
                        {"randomized", randomized},
                        {"estimated_ms", estimated_ms},
                        {"positions", EstimatesJson(positions)},
                        {"harvested", EstimatesJson(harvested)}}
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
    bias.positions = EstimatesFromJson(json.at("positions"));
    bias.harvested = EstimatesFromJson(json.at("harvested"));
    if (bias.positions.empty()) return Status::InvalidArgument("position bias without positions");
    return bias;
  } catch (const nlohmann::json::exception& error) {
    return Status::InvalidArgument(std::string("bad position-bias JSON: ") + error.what());
  }
}

struct PositionBiasEstimator::State {
  PositionBiasOptions options;
  PositionBias bias;
  std::vector<ArmsByLength> randomized;
  CellTable harvested;
  std::vector<bool> clicked;  // Scratch.
};

PositionBiasEstimator::PositionBiasEstimator(const PositionBiasOptions& options) {
  PositionBias bias = PositionBias::Prior(options.depth);
  bias.confidence = options.confidence;
  const std::size_t depth = bias.positions.size();
  state_.reset(
      new State{options, std::move(bias), std::vector<ArmsByLength>(depth), CellTable(depth), {}});
}

PositionBiasEstimator::~PositionBiasEstimator() = default;

void PositionBiasEstimator::Add(const SettledImpression& settled) {
  State& s = *state_;
  const std::size_t depth = s.bias.positions.size();
  const Impression& impression = settled.impression;
  const std::vector<ShownResult>& shown = impression.results;
  if (shown.size() < 2 || shown[0].position != 0) return;  // Pages past the first.
  ++s.bias.impressions;
  s.bias.randomized += impression.swapped_with > 0;
  s.clicked.assign(shown.size(), false);
  for (const PendingClick& click : settled.clicks) {
    const std::size_t at = static_cast<std::size_t>(click.position);
    if (at < shown.size() && shown[at].doc_id == click.doc_id) s.clicked[at] = true;
  }
  const std::string query = NormalizeQuery(impression.query);
  const std::size_t swapped = static_cast<std::size_t>(std::max(0, impression.swapped_with));
  for (std::size_t p = 1; p < std::min(depth, shown.size()); ++p) {
    if (shown[p].position != static_cast<std::int32_t>(p)) break;
    const std::string& top = shown[0].doc_id;
    const std::string& low = shown[p].doc_id;
    if (swapped == 0) {
      // Unswapped: RandPair's control arm for every position, and harvest material.
      s.randomized[p][shown.size()].control[s.clicked[0]][s.clicked[p]] += 1;
      const std::string& preferred = shown[p].score > shown[0].score ? low : top;
      s.harvested.Add(query, std::min(top, low), std::max(top, low), p, top, preferred,
                      s.clicked[0], s.clicked[p]);
    } else if (swapped == p) {
      s.randomized[p][shown.size()].swapped[s.clicked[0]][s.clicked[p]] += 1;
    }
    // Swapped elsewhere: position 0 holds a document moved there by the coin, and
    // the pair at (0, p) is no cell's.
  }
}

PositionBias PositionBiasEstimator::Estimate() const {
  const State& s = *state_;
  PositionBias bias = s.bias;
  std::mt19937_64 rng(s.options.seed);
  bias.harvested = bias.positions;
  for (std::size_t p = 1; p < bias.positions.size(); ++p) {
    const PositionEstimate prior = bias.positions[p];
    const PositionEstimate from_randomized =
        foldrank::Estimate(s.randomized[p], prior, s.options, rng);
    bias.harvested[p] = foldrank::Estimate(s.harvested.cells[p], prior, s.options, rng);
    if (bias.harvested[p].estimated) bias.harvested[p].source = "harvested";
    // The randomized bucket wherever it has enough cells, else what was harvested.
    if (from_randomized.estimated || !bias.harvested[p].estimated) {
      bias.positions[p] = from_randomized;
      if (from_randomized.estimated) bias.positions[p].source = "randomized";
    } else {
      bias.positions[p] = bias.harvested[p];
    }
  }
  return bias;
}

PositionBias EstimatePositionBias(std::span<const SettledImpression> impressions,
                                  const PositionBiasOptions& options) {
  PositionBiasEstimator estimator(options);
  for (const SettledImpression& settled : impressions) estimator.Add(settled);
  return estimator.Estimate();
}

}  // namespace foldrank
