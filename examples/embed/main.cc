// Embeds foldrank: opens an engine on a fresh data directory, loads a JSONL corpus,
// searches, reports a click on the second result, folds it into the model and
// prints the new model version. Usage: embed CORPUS.jsonl [QUERY]

#include <foldrank/engine.h>
#include <foldrank/version.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

int Fail(const foldrank::Status& status) {
  std::cerr << "embed: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embed CORPUS.jsonl [QUERY]\n";
    return 2;
  }
  const std::string query_text = argc > 2 ? argv[2] : "search";
  const std::filesystem::path data =
      std::filesystem::temp_directory_path() / ("foldrank-embed-" + std::to_string(::getpid()));

  foldrank::EngineOptions options;
  options.fold_in_background = false;  // This host folds when it decides to (FoldNow).
  options.settle_ms = 0;               // Fold clicks at once instead of after 2 s.
  auto engine = foldrank::Engine::Open(data, options);
  if (!engine) return Fail(engine.error());
  std::cout << "foldrank " << foldrank::Version() << ", data in " << data << "\n";

  std::ifstream corpus(argv[1]);
  if (!corpus) {
    std::cerr << "embed: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::size_t loaded = 0;
  for (std::string line; std::getline(corpus, line);) {
    if (line.empty()) continue;
    auto document = foldrank::ParseDocument(line);
    if (!document) return Fail(document.error());
    if (auto stored = (*engine)->Upsert(*document); !stored.ok()) return Fail(stored);
    ++loaded;
  }
  if (auto refreshed = (*engine)->Refresh(); !refreshed.ok()) return Fail(refreshed);
  std::cout << "loaded " << loaded << " documents\n";

  foldrank::SearchQuery query;
  query.text = query_text;
  query.user = "user-1";
  auto page = (*engine)->Search(query);
  if (!page) return Fail(page.error());
  std::cout << "'" << query.text << "': " << page->total_hits << " hits, model v"
            << page->model_version << "\n";
  for (const foldrank::SearchResult& result : page->results) {
    std::cout << "  " << result.position << ". " << result.title << "\n";
  }
  if (page->results.size() < 2) {
    std::cerr << "embed: fewer than two results; try another query\n";
    return 1;
  }

  foldrank::Click click;
  click.query_id = page->query_id;
  click.doc_id = page->results[1].id;
  click.position = page->results[1].position;
  auto outcome = (*engine)->RecordClick(click);  // Returns once durably stored.
  if (!outcome) return Fail(outcome.error());

  auto fold = (*engine)->FoldNow();
  if (!fold) return Fail(fold.error());
  std::cout << "folded " << fold->clicks << " click(s) from " << fold->impressions
            << " impression(s): model v" << fold->model_version << "\n";

  engine->reset();  // Writes everything queued, commits the index.
  std::filesystem::remove_all(data);
  return fold->clicks == 1 && fold->model_version > page->model_version ? 0 : 1;
}
