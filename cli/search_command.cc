#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "index/index.h"
#include "index/snippet.h"

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

// Answers one query on stdout. Returns false (after printing why) for a bad query.
bool Answer(const Index& index, const std::string& query, int k, QueryMode mode) {
  const auto start = std::chrono::steady_clock::now();
  auto snapshot = index.Snapshot();
  auto result = snapshot->Candidates(query, k, mode);
  if (!result) {
    std::cerr << "foldrank search: " << result.error().message() << "\n";
    return false;
  }
  const double took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("%lld hits for \"%s\" (%.1f ms)\n", static_cast<long long>(result->total_hits),
              query.c_str(), took_ms);
  const Markup markup = HighlightMarkup();
  int rank = 0;
  for (const Candidate& candidate : result->candidates) {
    ++rank;
    auto document = snapshot->Fetch(candidate);
    if (!document) {
      std::printf("%3d. %s  %.4f  (unreadable: %s)\n", rank, candidate.id.c_str(),
                  candidate.retrieval_score, std::string(document.error().message()).c_str());
      continue;
    }
    std::printf("%3d. %s  %.4f  %s\n", rank, candidate.id.c_str(), candidate.retrieval_score,
                document->title.c_str());
    const Snippet snippet = MakeSnippet(document->body, result->terms, 160);
    if (!snippet.text.empty()) std::printf("     %s\n", Render(snippet, markup).c_str());
  }
  return true;
}

}  // namespace

int RunSearch(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank search --data DIR [-k N] [--lucene] [QUERY...]",
      "Searches the index in DIR and prints rank, id, score, title and a snippet for\n"
      "each hit. The words of QUERY are one query; without QUERY, reads one query per\n"
      "line from standard input until end of input. Opens the index read-only, so it\n"
      "works beside a running writer and sees what that writer has committed.");
  command_line.Options()("data,d", boost::program_options::value<std::string>()->required(),
                         "data directory (the index lives in DIR/index)")(
      "k,k", boost::program_options::value<int>()->default_value(10), "number of results")(
      "lucene", "read QUERY as Lucene query syntax (field:term, \"phrase\", AND, OR, *)")(
      "query", boost::program_options::value<std::vector<std::string>>(), "query words");
  command_line.Positional("query", -1);
  command_line.Epilog("Exit status: 0 answered, 1 failure or bad query, 2 usage error.");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const int k = values["k"].as<int>();
  if (k < 1 || k > 10000) {
    std::cerr << "foldrank search: -k must be between 1 and 10000\n";
    return 2;
  }
  const QueryMode mode = values.count("lucene") ? QueryMode::kLucene : QueryMode::kPlain;
  auto index = Index::Open(IndexDirectory(values["data"].as<std::string>()),
                           {.mode = IndexOptions::Mode::kReadOnly, .refresh_interval_ms = 0});
  if (!index) {
    std::cerr << "foldrank search: " << index.error().ToString() << "\n";
    return 1;
  }
  if (values.count("query")) {
    std::string query;
    for (const std::string& word : values["query"].as<std::vector<std::string>>()) {
      if (!query.empty()) query += ' ';
      query += word;
    }
    return Answer(**index, query, k, mode) ? 0 : 1;
  }
  const bool interactive = isatty(STDIN_FILENO);
  if (interactive) {
    std::printf("%lld documents. Type a query, or Ctrl-D to quit.\n",
                static_cast<long long>((*index)->Snapshot()->doc_count()));
  }
  std::string line;
  while (true) {
    if (interactive) {
      std::printf("search> ");
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, line)) break;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    (void)Answer(**index, line, k, mode);  // A bad query is reported; the session goes on.
    std::fflush(stdout);
  }
  if (interactive) std::printf("\n");
  return 0;
}

}  // namespace foldrank::cli
