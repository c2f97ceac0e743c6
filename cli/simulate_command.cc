#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "sim/arms.h"
#include "sim/corpus.h"
#include "sim/http_arm.h"
#include "sim/references.h"
#include "sim/scenarios.h"
#include "sim/simulation.h"
#include "sim/svg_chart.h"

namespace foldrank::cli {
namespace {

namespace po = boost::program_options;

// `train` and `zipf` are for the best-linear reference, which is fitted to them.
Result<std::unique_ptr<sim::Arm>> OpenArm(const std::string& name,
                                          const std::filesystem::path& data_dir, double temperature,
                                          std::uint64_t seed, const std::vector<sim::Intent>& train,
                                          double zipf, std::size_t click_pairs_max) {
  sim::ServiceArm::Options options;
  options.temperature = temperature;
  options.click_pairs_max = click_pairs_max;
  options.seed = seed;
  if (name == "counting") {
    auto arm = sim::CountingArm::Open(data_dir);
    if (!arm) return arm.error();
    return std::unique_ptr<sim::Arm>(std::move(*arm));
  }
  if (name == "base" || name == "best-linear") {
    options.learn = false;
  } else if (name == "pairwise") {
    options.learner.debias = false;
  } else if (name == "batch") {
    options.batch_epochs = 3;
  } else if (name != "pdgd") {
    return Status::InvalidArgument("unknown arm '" + name +
                                   "' (base, pdgd, pairwise, counting, batch, best-linear)");
  }
  auto arm = sim::ServiceArm::Open(data_dir, options);
  if (!arm) return arm.error();
  if (name == "best-linear") {
    auto model =
        sim::BestLinearModel((*arm)->service(), train, sim::ZipfWeights(train.size(), zipf));
    if (!model) return model.error();
    auto imported = (*arm)->service().Import(*model);
    if (!imported) return imported.error();
  }
  return std::unique_ptr<sim::Arm>(std::move(*arm));
}

// The running server of --url (with --admin-token) as an arm.
Result<std::unique_ptr<sim::Arm>> ConnectHttpArm(const po::variables_map& values) {
  auto http = sim::HttpArm::Connect(values["url"].as<std::string>(),
                                    values["admin-token"].as<std::string>());
  if (!http) return http.error();
  return std::unique_ptr<sim::Arm>(std::move(*http));
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank simulate --corpus FILE [--sessions N] [--click-models LIST] [--arms LIST]",
      "Simulates users searching and clicking a corpus, with hidden graded relevance\n"
      "they act on, and measures how well each ranker learns from their clicks:\n"
      "offline NDCG@10 on held-out intents every --eval-every sessions, and online\n"
      "NDCG@10 of what users were shown. Arms: base (no learning), pdgd (foldrank's\n"
      "learner), pairwise (the same without PDGD's debiasing weights), counting (raw\n"
      "click-through reordering), and two references: batch (the learner retrained\n"
      "from the base on the whole click log after every fold round) and best-linear\n"
      "(the best linear model over the features for the hidden labels; it does not\n"
      "learn). Every arm sees the same sessions (--seed).\n"
      "Scenarios: --drift-at S (from session S users have other intents: sessions to\n"
      "recover 90% of the gain made before, and what the old intents lost) and\n"
      "--spam-shares LIST (that share of sessions is one bot clicking one irrelevant\n"
      "document: its rank on the bot's queries, and the NDCG cost against share 0).");
  command_line.Options()("corpus", po::value<std::string>()->required(), "JSONL documents")(
      "sessions", po::value<std::size_t>()->default_value(10000), "sessions per arm")(
      "click-models", po::value<std::string>()->default_value("informational"),
      "comma-separated: perfect, navigational, informational, pbm1, pbm2, trust")(
      "arms", po::value<std::string>()->default_value("base,pdgd,pairwise,counting"),
      "comma-separated arms")("intents", po::value<std::size_t>()->default_value(1000),
                              "distinct intents (a fifth are held out)")(
      "eval-every", po::value<std::size_t>()->default_value(500), "sessions between evaluations")(
      "learn-every", po::value<std::size_t>()->default_value(100), "sessions between folds")(
      "temperature", po::value<double>()->default_value(0.1, ShortestText(0.1)),
      "exploration of learning arms")("seed", po::value<std::uint64_t>()->default_value(1),
                                      "seed of intents and sessions")(
      "click-pairs-max", po::value<std::size_t>()->default_value(ServiceOptions{}.click_pairs_max),
      "bound of the in-memory (query, document) click counts, as 'serve --click-pairs-max'")(
      "drift-at", po::value<std::size_t>()->default_value(0),
      "session after which users have other intents (0: no drift)")(
      "spam-shares", po::value<std::string>()->default_value("0"),
      "comma-separated shares of sessions that are a click-spam bot, e.g. 0,0.01,0.05")(
      "out", po::value<std::string>()->default_value("simulation.csv"), "CSV of the curves")(
      "svg", po::value<std::string>(), "also draw the curves as an SVG chart")(
      "url", po::value<std::string>(),
      "drive a running server (http://HOST:PORT serving --corpus) over HTTP instead of "
      "in-process arms; its learner is the one arm, 'http'")(
      "admin-token", po::value<std::string>()->default_value(""),
      "the server's admin token (--url; folds and evaluation use admin routes)")(
      "work", po::value<std::string>(), "working directory (default: a temp dir, removed)");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  auto corpus = sim::ReadCorpus(values["corpus"].as<std::string>());
  if (!corpus) {
    std::cerr << "foldrank simulate: " << corpus.error().ToString() << "\n";
    return 1;
  }
  std::vector<sim::ClickModel> click_models;
  for (const std::string& name : SplitList(values["click-models"].as<std::string>())) {
    auto model = sim::ClickModel::Named(name);
    if (!model) {
      std::cerr << "foldrank simulate: " << model.error().message() << "\n";
      return 2;
    }
    click_models.push_back(*model);
  }
  const bool over_http = values.count("url") > 0;
  const std::vector<std::string> arms =
      over_http ? std::vector<std::string>{"http"} : SplitList(values["arms"].as<std::string>());
  const bool temporary = !values.count("work");
  const std::filesystem::path work =
      temporary ? std::filesystem::temp_directory_path() /
                      ("foldrank-simulate-" + std::to_string(std::random_device{}()))
                : std::filesystem::path(values["work"].as<std::string>());
  std::filesystem::create_directories(work);
  struct Cleanup {
    std::filesystem::path dir;
    bool remove;
    ~Cleanup() {
      std::error_code ignored;
      if (remove) std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{work, temporary};

  if (!over_http) {
    std::cerr << "indexing " << corpus->size() << " documents...\n";
    if (Status built = sim::BuildTemplateIndex(*corpus, work / "template" / "index"); !built.ok()) {
      std::cerr << "foldrank simulate: " << built.ToString() << "\n";
      return 1;
    }
  }
  sim::IntentOptions intent_options;
  intent_options.count = values["intents"].as<std::size_t>();
  intent_options.seed = values["seed"].as<std::uint64_t>();
  // Named members, not a structured binding: lambdas below capture them (clang 14).
  const auto split = sim::HoldOutEveryFifth(sim::IntentGenerator(*corpus).Generate(intent_options));
  const auto& train = split.train;
  const auto& heldout = split.heldout;
  std::cerr << train.size() << " training and " << heldout.size() << " held-out intents\n";

  sim::SimulationOptions options;
  options.sessions = values["sessions"].as<std::size_t>();
  options.eval_every = std::max<std::size_t>(1, values["eval-every"].as<std::size_t>());
  options.learn_every = std::max<std::size_t>(1, values["learn-every"].as<std::size_t>());
  options.seed = values["seed"].as<std::uint64_t>();
  // Arm `name` on a fresh copy of the template index in work/dir.
  auto open_fresh = [&](const std::string& name, const std::string& dir,
                        double temperature) -> Result<std::unique_ptr<sim::Arm>> {
    const std::filesystem::path data = work / dir;
    FOLDRANK_RETURN_IF_ERROR(sim::CopyTemplateIndex(work / "template" / "index", data));
    return OpenArm(name, data, temperature, options.seed, train, options.zipf,
                   values["click-pairs-max"].as<std::size_t>());
  };
  sim::Scenario scenario;
  scenario.drift_at = values["drift-at"].as<std::size_t>();
  if (scenario.drift_at > 0) {
    // Other intents over the same corpus: another seed's.
    sim::IntentOptions drifted_options = intent_options;
    drifted_options.seed = intent_options.seed + 7919;
    scenario.drifted =
        sim::HoldOutEveryFifth(sim::IntentGenerator(*corpus).Generate(drifted_options)).train;
  }
  std::vector<double> spam_shares;
  for (const std::string& share : SplitList(values["spam-shares"].as<std::string>())) {
    char* end = nullptr;
    const double value = std::strtod(share.c_str(), &end);
    if (end == share.c_str() || *end != '\0' || value < 0 || value >= 1) {
      std::cerr << "foldrank simulate: --spam-shares: '" << share << "' is not a share in [0, 1)\n";
      return 2;
    }
    spam_shares.push_back(value);
  }
  if (spam_shares.empty()) spam_shares.push_back(0);
  const bool spam =
      std::any_of(spam_shares.begin(), spam_shares.end(), [](double v) { return v > 0; });
  if (spam) {
    // The bot's target: what the base (over HTTP: the server's ranking at the start)
    // shows while irrelevant, most often.
    auto base = over_http ? ConnectHttpArm(values) : open_fresh("base", "spam-plan", 0);
    auto plan = base ? sim::PlanSpam(**base, train) : Result<sim::SpamPlan>(base.error());
    if (!plan) {
      std::cerr << "foldrank simulate: " << plan.error().ToString() << "\n";
      return 1;
    }
    scenario.spam = std::move(*plan);
    std::cerr << "spam target '" << scenario.spam.target << "', irrelevant on "
              << scenario.spam.queries.size() << " training queries\n";
  }
  std::ofstream csv(values["out"].as<std::string>());
  csv << "click_model,arm,spam_share,sessions,heldout_ndcg,trained_ndcg,online_ndcg,"
         "pre_drift_ndcg\n";
  std::cout << "NDCG@10: held-out intents | trained intents (deterministic, by popularity) | "
               "online (shown, last window)\n"
               "click model    arm        held-out start->final  trained start->final  "
               "beats-start-at  dip     online-final  learn-s\n";
  int run = 0;
  std::vector<sim::LabeledCurve> curves;
  std::vector<std::string> scenario_lines;
  std::map<std::pair<std::string, std::string>, double> unspammed;  // Final trained NDCG.
  for (const sim::ClickModel& clicks : click_models) {
    for (const std::string& name : arms) {
      for (const double share : spam_shares) {
        auto arm = over_http ? ConnectHttpArm(values)
                             : open_fresh(name, "run-" + std::to_string(run++),
                                          values["temperature"].as<double>());
        if (!arm) {
          std::cerr << "foldrank simulate: " << arm.error().ToString() << "\n";
          return arm.error().code() == Status::Code::kInvalidArgument ? 2 : 1;
        }
        scenario.spam_share = share;
        const std::string label =
            share > 0 ? name + " spam " + std::to_string(static_cast<int>(share * 100 + 0.5)) + "%"
                      : name;
        auto result =
            sim::Simulate(**arm, train, heldout, clicks, options, scenario, [&](std::size_t s) {
              const int done = static_cast<int>(40 * s / options.sessions);
              std::cerr << "\r" << clicks.name() << " " << label << " [" << std::string(done, '#')
                        << std::string(40 - done, ' ') << "] " << s << "/" << options.sessions
                        << std::flush;
            });
        std::cerr << "\n";
        if (!result) {
          std::cerr << "foldrank simulate: " << result.error().ToString() << "\n";
          return 1;
        }
        curves.push_back({clicks.name(), label, result->curve});
        for (const sim::CurvePoint& point : result->curve) {
          csv << clicks.name() << "," << name << "," << share << "," << point.sessions << ","
              << point.offline_ndcg << "," << point.trained_ndcg << "," << point.online_ndcg << ","
              << point.pre_drift_ndcg << "\n";
        }
        char line[300];
        std::snprintf(
            line, sizeof(line),
            "%-14s %-9s  %7.4f -> %7.4f      %7.4f -> %7.4f  %14zu  %6.4f  %7.4f  %7.1f\n",
            clicks.name().c_str(), label.c_str(), result->curve.front().offline_ndcg,
            result->curve.back().offline_ndcg, result->curve.front().trained_ndcg,
            result->curve.back().trained_ndcg, result->trained_sessions_to_beat_start,
            result->trained_deepest_dip, result->curve.back().online_ndcg, result->learn_seconds);
        std::cout << line << std::flush;
        if (scenario.drift_at > 0) {
          std::snprintf(line, sizeof(line),
                        "%-14s %-9s  drift at %zu: gain before %.4f; drifted intents %.4f -> "
                        "%.4f, recovered 90%% after %s; old intents lost %.4f\n",
                        clicks.name().c_str(), label.c_str(), scenario.drift_at,
                        result->gain_before_drift, result->drifted_start,
                        result->curve.back().trained_ndcg,
                        result->sessions_to_recover > 0
                            ? (std::to_string(result->sessions_to_recover) + " sessions").c_str()
                            : "never",
                        result->pre_drift_loss);
          scenario_lines.push_back(line);
        }
        if (share == 0) unspammed[{clicks.name(), name}] = result->curve.back().trained_ndcg;
        if (spam) {
          auto reference = unspammed.find({clicks.name(), name});
          std::snprintf(
              line, sizeof(line),
              "%-14s %-9s  target mean rank %.2f -> %.2f, in the top 3 on %zu -> %zu of %zu "
              "queries; NDCG cost %s\n",
              clicks.name().c_str(), label.c_str(), result->spam_start.mean, result->spam_end.mean,
              result->spam_start.top3, result->spam_end.top3, scenario.spam.queries.size(),
              share == 0 ? "(reference)"
              : reference == unspammed.end()
                  ? "n/a (no share 0 run)"
                  : std::to_string(reference->second - result->curve.back().trained_ndcg).c_str());
          scenario_lines.push_back(line);
        }
      }
    }
  }
  if (!scenario_lines.empty()) std::cout << "\nscenarios\n";
  for (const std::string& line : scenario_lines) std::cout << line;
  std::cerr << "curves written to " << values["out"].as<std::string>() << "\n";
  if (values.count("svg")) {
    std::ofstream(values["svg"].as<std::string>()) << sim::LearningCurvesSvg(curves);
    std::cerr << "chart written to " << values["svg"].as<std::string>() << "\n";
  }
  return 0;
}

}  // namespace foldrank::cli
