#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "foldrank/result.h"
#include "index/index_snapshot.h"
#include "index/internal/analyzer.h"
#include "index/internal/lucene.h"
#include "index/term_statistics.h"

namespace foldrank {

// Per-segment columns read through Lucene's FieldCache. FieldCache keys its entries
// by segment core, so a refresh rebuilds columns only for new segments
// (LUCENEPP.md pitfall 13).
struct SegmentColumns {
  std::int32_t doc_base = 0;  // Top-level doc id of this segment's first document.
  std::int32_t max_doc = 0;
  Lucene::Collection<Lucene::String> ids;
  std::array<Lucene::Collection<std::int32_t>, kTextFieldCount> lengths;
  Lucene::Collection<double> popularity;
  Lucene::Collection<Lucene::String> updated_at;
};

struct IndexSnapshot::Impl {
  // Builds the view of `reader`, taking ownership: the reader is closed when the
  // snapshot dies. May throw LuceneException (callers are Guarded).
  Impl(Lucene::IndexReaderPtr reader, boost::shared_ptr<FoldrankAnalyzer> analyzer,
       std::uint64_t generation);
  ~Impl();

  // The segment holding top-level doc id `doc`. Requires 0 <= doc < max_doc.
  const SegmentColumns& SegmentOf(std::int32_t doc) const;
  bool IsValidDoc(std::int32_t doc) const { return doc >= 0 && doc < max_doc; }

  Lucene::IndexReaderPtr reader;
  Lucene::IndexSearcherPtr searcher;
  boost::shared_ptr<FoldrankAnalyzer> analyzer;  // Knows the index's language.
  std::vector<SegmentColumns> segments;
  std::array<double, kTextFieldCount> average_length{};
  std::int32_t max_doc = 0;
  std::int64_t doc_count = 0;
  std::uint64_t generation = 0;
  std::int64_t opened_ms = 0;  // When this snapshot became current.
};

// The Lucene field that holds the exact token count of `field`.
const wchar_t* LengthFieldName(TextField field);
// The Lucene field that holds the text of `field`.
const wchar_t* TextFieldName(TextField field);

}  // namespace foldrank
