#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/duration.h"
#include "common/clock.h"
#include "evaluation/ledger_evaluation.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::cli {
namespace {

nlohmann::json ReportJson(const CounterfactualReport& report, std::uint64_t candidate,
                          std::uint64_t baseline, const PositionBias& bias) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentEstimate& s : report.segments) {
    segments.push_back({{"segment", s.segment},
                        {"impressions", s.impressions},
                        {"queries", s.queries},
                        {"baseline", s.baseline},
                        {"candidate", s.candidate},
                        {"difference", s.difference},
                        {"lower", s.lower},
                        {"upper", s.upper},
                        {"decision", s.decision}});
  }
  return {{"candidate", candidate},
          {"baseline", baseline},
          {"confidence", report.confidence},
          {"skipped", report.skipped},
          {"policy_aware", report.policy_aware},
          {"by_position", report.by_position},
          {"position_bias", bias.estimated_ms > 0 ? "estimate" : "prior"},
          {"segments", std::move(segments)}};
}

void PrintTable(const CounterfactualReport& report, std::uint64_t candidate, std::uint64_t baseline,
                const PositionBias& bias) {
  std::printf("candidate v%llu against baseline v%llu: expected click-DCG@10 per impression\n",
              static_cast<unsigned long long>(candidate),
              static_cast<unsigned long long>(baseline));
  std::printf("position bias: %s; bounds one-sided at %.0f%% (empirical Bernstein)\n",
              bias.estimated_ms > 0 ? "estimated from this ledger" : "the prior (no estimate yet)",
              100 * report.confidence);
  std::printf("%-7s %11s %8s %9s %9s %10s %10s %10s  %s\n", "segment", "impressions", "queries",
              "baseline", "candidate", "difference", "lower", "upper", "decision");
  for (const SegmentEstimate& s : report.segments) {
    std::printf("%-7s %11llu %8llu %9.4f %9.4f %+10.4f %+10.4f %+10.4f  %s\n", s.segment.c_str(),
                static_cast<unsigned long long>(s.impressions),
                static_cast<unsigned long long>(s.queries), s.baseline, s.candidate, s.difference,
                s.lower, s.upper, s.decision.c_str());
  }
  std::printf("examination: %llu impressions by their sampled pool, %llu by the position shown\n",
              static_cast<unsigned long long>(report.policy_aware),
              static_cast<unsigned long long>(report.by_position));
  if (report.skipped > 0) {
    std::printf("skipped %llu impressions (no features, or served with another normalization)\n",
                static_cast<unsigned long long>(report.skipped));
  }
}

}  // namespace

int RunEvaluate(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  CommandLine command_line(
      "foldrank evaluate --data DIR --candidate V [--baseline W] [--since DURATION]",
      "Estimates from the ledger's logged impressions how much more expected click-DCG\n"
      "model version V's ranking would earn than W's (default: the active version),\n"
      "de-biased for where the serving policy could have placed each document (its\n"
      "logged Plackett-Luce pool and probabilities) with the stored position-bias\n"
      "estimate, with one-sided\n"
      "empirical-Bernstein bounds per query segment (head, torso, tail by frequency).\n"
      "Decision: better (lower bound > 0), worse (upper bound < 0) or undecided.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "candidate", po::value<std::uint64_t>()->required(), "model version to evaluate")(
      "baseline", po::value<std::uint64_t>(), "model version to compare with (default: active)")(
      "since", po::value<std::string>()->default_value("30d"),
      "impressions of this recent period: N followed by d, h, m or s")(
      "limit", po::value<std::size_t>()->default_value(200'000),
      "newest impressions read, at most")(
      "confidence", po::value<double>()->default_value(0.95, ShortestText(0.95)),
      "of each one-sided bound, (0, 1)")(
      "min-propensity",
      po::value<double>()->default_value(CounterfactualOptions{}.min_propensity,
                                         ShortestText(CounterfactualOptions{}.min_propensity)),
      "leave out documents the logging policy examined less than this, (0, 1]")(
      "placement-samples",
      po::value<std::size_t>()->default_value(CounterfactualOptions{}.placement_samples),
      "sampled orders per sampled page, for where its documents could have been shown")(
      "json", po::bool_switch(), "print JSON instead of a table");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const auto period = ParseDuration(values["since"].as<std::string>());
  const double confidence = values["confidence"].as<double>();
  const double min_propensity = values["min-propensity"].as<double>();
  if (!period || !(confidence > 0 && confidence < 1) ||
      !(min_propensity > 0 && min_propensity <= 1)) {
    std::cerr << "foldrank evaluate: --since takes a number and a unit (d, h, m, s), e.g. 7d; "
                 "--confidence is in (0, 1), --min-propensity in (0, 1]\n";
    return 2;
  }
  const std::filesystem::path path = LedgerPath(values["data"].as<std::string>());
  if (!std::filesystem::exists(path)) {
    std::cerr << "foldrank evaluate: no ledger at " << path << "\n";
    return 1;
  }
  auto ledger = SqliteLedger::Open(path);
  if (!ledger) {
    std::cerr << "foldrank evaluate: " << ledger.error().ToString() << "\n";
    return 1;
  }
  std::uint64_t baseline = 0;
  if (values.count("baseline")) {
    baseline = values["baseline"].as<std::uint64_t>();
  } else {
    auto active = (*ledger)->ActiveModel();
    if (!active) {
      std::cerr << "foldrank evaluate: " << active.error().ToString() << "\n";
      return 1;
    }
    baseline = active->InForce().version();
  }
  const std::uint64_t candidate = values["candidate"].as<std::uint64_t>();
  LedgerEvaluationOptions options;
  options.since_ms = UnixMillis() - *period;
  options.limit = values["limit"].as<std::size_t>();
  options.counterfactual.confidence = confidence;
  options.counterfactual.min_propensity = min_propensity;
  options.counterfactual.placement_samples =
      std::max<std::size_t>(1, values["placement-samples"].as<std::size_t>());
  auto report = EvaluateFromLedger(**ledger, candidate, baseline, options);
  auto bias = StoredPositionBias(**ledger);
  if (!report || !bias) {
    std::cerr << "foldrank evaluate: "
              << (!report ? report.error().ToString() : bias.error().ToString()) << "\n";
    return 1;
  }
  if (values["json"].as<bool>()) {
    std::cout << ReportJson(*report, candidate, baseline, *bias).dump(2) << "\n";
  } else {
    PrintTable(*report, candidate, baseline, *bias);
  }
  return 0;
}

}  // namespace foldrank::cli
