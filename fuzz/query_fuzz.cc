// The query parser, through the index: any search-box text, in plain and in Lucene
// syntax, gives candidates or InvalidArgument (never another error, never a
// LuceneException escaping), and at most k of them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_data_dir.h"
#include "index/index.h"
#include "index/index_snapshot.h"

namespace {

// Opened once per process; destroyed at exit, before its directory is removed.
struct FuzzIndex {
  FuzzIndex() {
    using foldrank::fuzz::Require;
    auto opened = foldrank::Index::Open(foldrank::fuzz::ProcessDataDir() / "query-index");
    Require(opened.has_value(), "the fuzz index opens");
    index = std::move(*opened);
    foldrank::fuzz::LoadFuzzDocuments(*index);
  }
  std::unique_ptr<foldrank::Index> index;
};

std::shared_ptr<const foldrank::IndexSnapshot> FuzzSnapshot() {
  static const FuzzIndex fuzz_index;
  return fuzz_index.index->Snapshot();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using foldrank::fuzz::Require;
  if (size == 0) return 0;
  // The first byte picks the syntax and k (1..64); the rest is the query text.
  const bool lucene = data[0] & 1;
  const int k = 1 + (data[0] >> 2);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto candidates = FuzzSnapshot()->Candidates(
      text, k, lucene ? foldrank::QueryMode::kLucene : foldrank::QueryMode::kPlain);
  if (!candidates) {
    Require(candidates.error().code() == foldrank::Status::Code::kInvalidArgument,
            "a bad query is InvalidArgument");
    return 0;
  }
  Require(candidates->candidates.size() <= static_cast<std::size_t>(k), "at most k candidates");
  return 0;
}
