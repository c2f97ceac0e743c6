#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "index/analysis.h"
#include "index/index.h"
#include "index/jsonl_reader.h"

namespace foldrank::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Rejected lines beyond this many are counted but not printed one by one.
constexpr std::int64_t kMaxPrintedRejections = 100;

struct LoadCounts {
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
};

// Reports progress on long loads: in place on a terminal, a line now and then in a log.
class Progress {
 public:
  Progress() : start_(Clock::now()), last_(start_), tty_(isatty(STDERR_FILENO) != 0) {}

  void Tick(std::int64_t documents) {
    if ((documents & 1023) != 0) return;  // Look at the clock only now and then.
    const auto now = Clock::now();
    if (now - last_ < (tty_ ? std::chrono::seconds(1) : std::chrono::seconds(10))) return;
    last_ = now;
    std::fprintf(stderr,
                 tty_ ? "\rindexed %lld documents (%.0f documents/s)   "
                      : "indexed %lld documents (%.0f documents/s)\n",
                 static_cast<long long>(documents), documents / Seconds());
    printed_ = true;
  }
  void Done() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  Clock::time_point start_, last_;
  bool tty_;
  bool printed_ = false;
};

// Loads one JSONL stream. Returns a non-OK Status only when the index fails;
// bad lines are reported and counted.
Status LoadStream(std::istream& in, const std::string& name, Index& index, LoadCounts& counts,
                  Progress& progress) {
  JsonlReader reader(in);
  while (auto line = reader.Next()) {
    if (!line->document) {
      if (++counts.rejected <= kMaxPrintedRejections) {
        std::cerr << name << ":" << line->number
                  << ": rejected: " << line->document.error().message() << "\n";
      }
      continue;
    }
    Status status = index.Upsert(*line->document).status();
    if (!status.ok()) {
      return status.WithContext(name + ":" + std::to_string(line->number));
    }
    ++counts.accepted;
    progress.Tick(counts.accepted + counts.rejected);
  }
  return reader.stream_status().WithContext(name);
}

}  // namespace

int RunIndex(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank index --data DIR [--optimize] [--language L] FILE...\n"
      "       foldrank index --data DIR --rebuild [--language L]",
      "Adds the documents of each JSONL FILE ('-' for standard input) to the index in\n"
      "DIR, creating it if needed. One JSON object per line: id (required), title, body,\n"
      "url, tags, popularity, updated_at; other fields are kept. A document whose id is\n"
      "already indexed replaces it. Bad lines are reported with their line number and\n"
      "skipped; the rest still loads. --rebuild rebuilds the index from its stored\n"
      "documents with this version's analysis (after an upgrade, or to change the\n"
      "language); stop servers on DIR first.");
  command_line.Options()("data,d", boost::program_options::value<std::string>()->required(),
                         "data directory (the index lives in DIR/index)")(
      "optimize", "merge the index into one segment afterwards (faster search)")(
      "language", boost::program_options::value<std::string>()->default_value(""),
      "analysis language of a new or rebuilt index: a Snowball stemmer (english, german, "
      "french, ...; default english, or what the index records)")(
      "rebuild", "rebuild the index from its stored documents (no FILE)")(
      "file", boost::program_options::value<std::vector<std::string>>(), "JSONL file(s) to load");
  command_line.Positional("file", -1);
  command_line.Epilog(
      "Exit status: 0 all lines loaded, 1 failure (nothing after the failure loaded),\n"
      "2 usage error, 3 some lines rejected (the others loaded).");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const std::filesystem::path data_dir = values["data"].as<std::string>();
  const std::string language = values["language"].as<std::string>();
  if (values.count("rebuild")) {
    if (values.count("file")) {
      std::cerr << "foldrank index: --rebuild takes no FILE\n";
      return 2;
    }
    auto rebuilt = Index::Rebuild(IndexDirectory(data_dir), language);
    if (!rebuilt) {
      std::cerr << "foldrank index: " << rebuilt.error().ToString() << "\n";
      return 1;
    }
    std::printf("rebuilt %lld documents with analysis version %d\n",
                static_cast<long long>(*rebuilt), kAnalysisVersion);
    return 0;
  }
  if (!values.count("file")) {
    std::cerr << "foldrank index: name at least one FILE (or --rebuild)\n";
    return 2;
  }

  // A bulk load needs no near-real-time view and commits once at the end.
  auto index =
      Index::Open(IndexDirectory(data_dir),
                  {.refresh_interval_ms = 0, .commit_interval_ms = 0, .language = language});
  if (!index) {
    std::cerr << "foldrank index: " << index.error().ToString() << "\n";
    return 1;
  }
  LoadCounts counts;
  Progress progress;
  Status status;
  for (const std::string& path : values["file"].as<std::vector<std::string>>()) {
    if (path == "-") {
      status = LoadStream(std::cin, "<stdin>", **index, counts, progress);
    } else {
      std::ifstream file(path, std::ios::binary);
      if (!file) {
        status = Status::NotFound("cannot open " + path);
      } else {
        status = LoadStream(file, path, **index, counts, progress);
      }
    }
    if (!status.ok()) break;
  }
  if (status.ok() && values.count("optimize")) status = (*index)->Optimize();
  // What was accepted before a failure is still committed: it is valid and wanted.
  Status committed = (*index)->Commit();
  if (status.ok()) status = committed;
  if (status.ok()) status = (*index)->Refresh();
  progress.Done();
  if (counts.rejected > kMaxPrintedRejections) {
    std::cerr << "(" << counts.rejected - kMaxPrintedRejections
              << " more rejected lines not shown)\n";
  }
  const double seconds = progress.Seconds();
  std::printf(
      "accepted %lld, rejected %lld in %.2f s (%.0f documents/s); the index holds %lld documents\n",
      static_cast<long long>(counts.accepted), static_cast<long long>(counts.rejected), seconds,
      seconds > 0 ? counts.accepted / seconds : 0.0,
      static_cast<long long>((*index)->Snapshot()->doc_count()));
  if (!status.ok()) {
    std::cerr << "foldrank index: " << status.ToString() << "\n";
    return 1;
  }
  return counts.rejected > 0 ? 3 : 0;
}

}  // namespace foldrank::cli
