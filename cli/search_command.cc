#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/read_text.h"
#include "engine/search_pipeline.h"
#include "feedback/sqlite_ledger.h"
#include "index/index.h"

namespace foldrank::cli {
namespace {

struct Markup {
  const char* open;
  const char* close;
};

// Highlights in bold on a terminal, in [brackets] where output is piped.
Markup HighlightMarkup() {
  if (isatty(STDOUT_FILENO)) return {"\033[1m", "\033[0m"};
  return {"[", "]"};
}

std::string Render(const Snippet& snippet, const Markup& markup) {
  std::string out = snippet.truncated_front ? "..." : "";
  std::size_t at = 0;
  for (const auto& [begin, end] : snippet.highlights) {
    out.append(snippet.text, at, begin - at);
    out += markup.open;
    out.append(snippet.text, begin, end - begin);
    out += markup.close;
    at = end;
  }
  out.append(snippet.text, at, std::string::npos);
  if (snippet.truncated_back) out += "...";
  return out;
}

void PrintExplanation(const Explanation& explanation) {
  std::printf("       score %.4f = base %.4f (bias %.4f) + delta %.4f (bias %.4f)\n",
              explanation.score, explanation.base_total, explanation.base_bias,
              explanation.delta_total, explanation.delta_bias);
  std::printf("       %-22s %12s %10s %10s %10s\n", "feature", "raw", "normalized", "base",
              "delta");
  for (const FeatureExplanation& feature : explanation.features) {
    std::printf("       %-22.*s %12.4f %10.4f %10.4f %10.4f\n",
                static_cast<int>(feature.name.size()), feature.name.data(), feature.raw,
                feature.normalized, feature.base_contribution, feature.delta_contribution);
  }
}

// Answers one query on stdout. Returns false (after printing why) for a bad query.
bool Answer(const SearchPipeline& pipeline, const SearchRequest& request, std::mt19937_64& rng) {
  const auto start = std::chrono::steady_clock::now();
  auto page = pipeline.Search(request, rng);
  if (!page) {
    std::cerr << "foldrank search: " << page.error().message() << "\n";
    return false;
  }
  const double took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("%lld hits for \"%s\" (%.1f ms, model v%llu)\n",
              static_cast<long long>(page->total_hits), request.query.c_str(), took_ms,
              static_cast<unsigned long long>(page->model_version));
  if (page->terms_dropped > 0) {
    std::printf("(the %zu most informative of its %zu distinct terms were searched)\n",
                page->terms.size(), page->terms.size() + page->terms_dropped);
  }
  const Markup markup = HighlightMarkup();
  for (const SearchResult& result : page->results) {
    std::printf("%3d. %s  %.4f  %s\n", result.position + 1, result.id.c_str(), result.score,
                result.title.c_str());
    if (!result.snippet.text.empty()) {
      std::printf("     %s\n", Render(result.snippet, markup).c_str());
    }
    if (result.explanation) PrintExplanation(*result.explanation);
  }
  return true;
}

}  // namespace

int RunSearch(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  CommandLine command_line(
      "foldrank search --data DIR [-k N] [--lucene] [--explain] [--model FILE] [QUERY...]",
      "Searches the index in DIR, reranks the top candidates with the active model (or\n"
      "--model FILE) and prints rank, id, score, title and a snippet for each hit. The\n"
      "words of QUERY are one query; without QUERY, reads one query per line from\n"
      "standard input until end of input. Opens the index read-only, so it works beside\n"
      "a running writer and sees what that writer has committed.");
  command_line.Options()("data,d", po::value<std::string>()->required(),
                         "data directory (index in DIR/index, ledger in DIR/ledger.sqlite)")(
      "k,k", po::value<int>()->default_value(10), "number of results")(
      "candidates", po::value<int>()->default_value(100), "candidates reranked per query (K)")(
      "lucene", "read QUERY as Lucene query syntax (field:term, \"phrase\", AND, OR, *)")(
      "explain", "show every feature's raw and normalized value and its contribution")(
      "model", po::value<std::string>(),
      "rank with this model JSON file instead of the active one")(
      "temperature", po::value<double>()->default_value(0.0, ShortestText(0.0)),
      "Plackett-Luce sampling temperature; 0 = deterministic")(
      "seed", po::value<std::uint64_t>()->default_value(1), "random seed for sampling")(
      "query", po::value<std::vector<std::string>>(), "query words");
  command_line.Positional("query", -1);
  command_line.Epilog("Exit status: 0 answered, 1 failure or bad query, 2 usage error.");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  SearchRequest request;
  request.page_size = values["k"].as<int>();
  request.candidates = values["candidates"].as<int>();
  request.policy.temperature = values["temperature"].as<double>();
  request.explain = values.count("explain") > 0;
  request.mode = values.count("lucene") ? QueryMode::kLucene : QueryMode::kPlain;
  if (request.page_size < 1 || request.page_size > 10000 || request.candidates < 1 ||
      request.candidates > 10000) {
    std::cerr << "foldrank search: -k and --candidates must be between 1 and 10000\n";
    return 2;
  }
  if (!(request.policy.temperature >= 0) || !std::isfinite(request.policy.temperature)) {
    std::cerr << "foldrank search: --temperature must be a finite number >= 0\n";
    return 2;
  }
  const std::filesystem::path data_dir = values["data"].as<std::string>();
  Result<Model> model = Status::NotFound("no model");
  if (values.count("model")) {
    auto text = ReadText(values["model"].as<std::string>());
    model = text ? Model::FromJson(*text) : Result<Model>(text.error());
  } else if (!std::filesystem::exists(LedgerPath(data_dir))) {
    model = Model::ColdStart();  // Nothing learned or imported yet.
  } else {
    auto ledger = SqliteLedger::Open(LedgerPath(data_dir));
    auto active = ledger ? (*ledger)->ActiveModel() : Result<Ledger::Active>(ledger.error());
    model = !active ? Result<Model>(active.error()) : Result<Model>(active->InForce());
  }
  if (!model) {
    std::cerr << "foldrank search: " << model.error().ToString() << "\n";
    return 1;
  }
  auto index = Index::Open(IndexDirectory(data_dir),
                           {.mode = IndexOptions::Mode::kReadOnly, .refresh_interval_ms = 0});
  if (!index) {
    std::cerr << "foldrank search: " << index.error().ToString() << "\n";
    return 1;
  }
  ModelStore models(std::make_shared<const Model>(std::move(*model)));
  NoClickSignals no_clicks;
  SearchPipeline pipeline(**index, models, no_clicks);
  std::mt19937_64 rng(values["seed"].as<std::uint64_t>());
  if (values.count("query")) {
    for (const std::string& word : values["query"].as<std::vector<std::string>>()) {
      if (!request.query.empty()) request.query += ' ';
      request.query += word;
    }
    return Answer(pipeline, request, rng) ? 0 : 1;
  }
  const bool interactive = isatty(STDIN_FILENO);
  if (interactive) {
    std::printf("%lld documents. Type a query, or Ctrl-D to quit.\n",
                static_cast<long long>((*index)->Snapshot()->doc_count()));
  }
  while (true) {
    if (interactive) {
      std::printf("search> ");
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, request.query)) break;
    if (request.query.find_first_not_of(" \t\r") == std::string::npos) continue;
    (void)Answer(pipeline, request, rng);  // A bad query is reported; the session goes on.
    std::fflush(stdout);
  }
  if (interactive) std::printf("\n");
  return 0;
}

}  // namespace foldrank::cli
