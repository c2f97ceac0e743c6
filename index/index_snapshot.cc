#include "index/index_snapshot.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/clock.h"
#include "index/internal/field_names.h"
#include "index/internal/guarded.h"
#include "index/internal/query_builder.h"
#include "index/internal/snapshot_impl.h"

namespace foldrank {
namespace {

constexpr std::array<TextField, kTextFieldCount> kTextFields = {TextField::kTitle, TextField::kBody,
                                                                TextField::kAll};

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

std::optional<std::int64_t> ParseSeconds(const Lucene::String& text) {
  if (text.empty()) return std::nullopt;
  const std::string narrow = Lucene::StringUtils::toUTF8(text);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(narrow.data(), narrow.data() + narrow.size(), value);
  if (error != std::errc() || end != narrow.data() + narrow.size()) return std::nullopt;
  return value;
}

}  // namespace

const wchar_t* LengthFieldName(TextField field) {
  switch (field) {
    case TextField::kTitle:
      return fields::kTitleLength;
    case TextField::kBody:
      return fields::kBodyLength;
    case TextField::kAll:
      return fields::kAllLength;
  }
  return fields::kAllLength;
}

const wchar_t* TextFieldName(TextField field) {
  switch (field) {
    case TextField::kTitle:
      return fields::kTitle;
    case TextField::kBody:
      return fields::kBody;
    case TextField::kAll:
      return fields::kAll;
  }
  return fields::kAll;
}

IndexSnapshot::Impl::Impl(Lucene::IndexReaderPtr reader_in,
                          boost::shared_ptr<FoldrankAnalyzer> analyzer_in,
                          std::uint64_t generation_in)
    : reader(std::move(reader_in)),
      searcher(Lucene::newLucene<Lucene::IndexSearcher>(reader)),
      analyzer(std::move(analyzer_in)),
      max_doc(reader->maxDoc()),
      doc_count(reader->numDocs()),
      generation(generation_in),
      opened_ms(UnixMillis()) {
  Lucene::Collection<Lucene::IndexReaderPtr> subs = reader->getSequentialSubReaders();
  std::vector<Lucene::IndexReaderPtr> segment_readers;
  if (subs) {
    segment_readers.assign(subs.begin(), subs.end());
  } else {
    segment_readers.push_back(reader);  // Already a single segment.
  }
  Lucene::FieldCachePtr cache = Lucene::FieldCache::DEFAULT();
  std::array<double, kTextFieldCount> total_length{};
  std::int32_t doc_base = 0;
  for (const Lucene::IndexReaderPtr& segment : segment_readers) {
    SegmentColumns columns;
    columns.doc_base = doc_base;
    columns.max_doc = segment->maxDoc();
    columns.ids = cache->getStrings(segment, fields::kId);
    for (TextField field : kTextFields) {
      auto& lengths = columns.lengths[static_cast<std::size_t>(field)];
      lengths = cache->getInts(segment, LengthFieldName(field));
      double& total = total_length[static_cast<std::size_t>(field)];
      for (std::int32_t doc = 0; doc < columns.max_doc; ++doc) {
        if (!segment->isDeleted(doc)) total += lengths[doc];
      }
    }
    columns.popularity = cache->getDoubles(segment, fields::kPopularity);
    columns.updated_at = cache->getStrings(segment, fields::kUpdatedAt);
    doc_base += columns.max_doc;
    segments.push_back(std::move(columns));
  }
  for (std::size_t f = 0; f < kTextFieldCount; ++f) {
    average_length[f] = doc_count > 0 ? total_length[f] / static_cast<double>(doc_count) : 0;
  }
}

IndexSnapshot::Impl::~Impl() {
  try {
    searcher->close();
    reader->close();
  } catch (const Lucene::LuceneException&) {
    // Closing only releases files; there is nobody to tell and nothing to undo.
  }
}

const SegmentColumns& IndexSnapshot::Impl::SegmentOf(std::int32_t doc) const {
  FOLDRANK_DCHECK(IsValidDoc(doc));
  // The last segment whose doc_base <= doc. Few segments: upper_bound is plenty.
  auto after =
      std::upper_bound(segments.begin(), segments.end(), doc,
                       [](std::int32_t d, const SegmentColumns& s) { return d < s.doc_base; });
  return *(after - 1);
}

IndexSnapshot::IndexSnapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexSnapshot::~IndexSnapshot() = default;

std::int64_t IndexSnapshot::doc_count() const { return impl_->doc_count; }
std::int64_t IndexSnapshot::segment_count() const {
  return static_cast<std::int64_t>(impl_->segments.size());
}
std::uint64_t IndexSnapshot::generation() const { return impl_->generation; }
std::int64_t IndexSnapshot::opened_ms() const { return impl_->opened_ms; }

const std::string& IndexSnapshot::language() const { return impl_->analyzer->language(); }

Result<CandidateSet> IndexSnapshot::Candidates(std::string_view query, int k,
                                               QueryMode mode) const {
  if (k < 1) return Status::InvalidArgument("k must be at least 1, got " + std::to_string(k));
  if (IsBlank(query)) return Status::InvalidArgument("query is empty");
  return Guarded("search", [&]() -> Result<CandidateSet> {
    Result<BuiltQuery> built =
        mode == QueryMode::kPlain
            ? BuildPlainQuery(impl_->analyzer->language(), query, kMaxQueryTerms, impl_->reader)
            : BuildLuceneQuery(impl_->analyzer, impl_->searcher, query, kMaxQueryTerms);
    if (!built) return built.error();
    CandidateSet result;
    result.terms_dropped = built->terms_dropped;
    result.terms.reserve(built->terms.size());
    for (const Lucene::String& term : built->terms) {
      result.terms.push_back(Lucene::StringUtils::toUTF8(term));
    }
    if (!built->query || impl_->max_doc == 0) return result;
    // Lucene sizes its priority queue by k: never more than there are documents.
    const int top_k = std::min(k, impl_->max_doc);
    Lucene::TopDocsPtr top = impl_->searcher->search(built->query, top_k);
    result.total_hits = top->totalHits;
    result.candidates.reserve(top->scoreDocs.size());
    for (const Lucene::ScoreDocPtr& hit : top->scoreDocs) {
      const SegmentColumns& segment = impl_->SegmentOf(hit->doc);
      result.candidates.push_back(
          {hit->doc, Lucene::StringUtils::toUTF8(segment.ids[hit->doc - segment.doc_base]),
           static_cast<float>(hit->score)});
    }
    return result;
  });
}

Result<TermStatistics> IndexSnapshot::Statistics(const std::vector<std::string>& terms,
                                                 std::span<const Candidate> candidates) const {
  for (const Candidate& candidate : candidates) {
    if (!impl_->IsValidDoc(candidate.doc)) {
      return Status::InvalidArgument("candidate '" + candidate.id +
                                     "' does not belong to this snapshot");
    }
  }
  return Guarded("term statistics", [&]() -> Result<TermStatistics> {
    TermStatistics stats;
    stats.doc_count = impl_->doc_count;
    stats.terms = terms;
    // TermDocs only moves forward, so visit candidates in doc id order.
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return candidates[a].doc < candidates[b].doc; });
    std::vector<Lucene::String> wide_terms;
    for (const std::string& term : terms)
      wide_terms.push_back(Lucene::StringUtils::toUnicode(term));

    for (TextField field : kTextFields) {
      FieldStatistics& out = stats.fields[static_cast<std::size_t>(field)];
      out.average_length = impl_->average_length[static_cast<std::size_t>(field)];
      out.length.resize(candidates.size());
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        const SegmentColumns& segment = impl_->SegmentOf(candidates[c].doc);
        out.length[c] =
            segment.lengths[static_cast<std::size_t>(field)][candidates[c].doc - segment.doc_base];
      }
      out.doc_freq.resize(terms.size());
      out.term_freq.assign(candidates.size() * terms.size(), 0);
      // Positions cost a little more than frequencies; only title and body need them.
      // They are appended as visited (term by term); position_ranges says where each
      // candidate x term cell's run is.
      const bool with_positions = field != TextField::kAll;
      if (with_positions) out.position_ranges.assign(2 * candidates.size() * terms.size(), 0);
      for (std::size_t t = 0; t < terms.size(); ++t) {
        auto term = Lucene::newLucene<Lucene::Term>(TextFieldName(field), wide_terms[t]);
        out.doc_freq[t] = impl_->reader->docFreq(term);
        if (out.doc_freq[t] == 0) continue;
        Lucene::TermDocsPtr postings =
            with_positions ? impl_->reader->termPositions(term) : impl_->reader->termDocs(term);
        auto* positions =
            with_positions ? static_cast<Lucene::TermPositions*>(postings.get()) : nullptr;
        std::int32_t current = -1;
        for (std::size_t c : order) {
          const std::int32_t doc = candidates[c].doc;
          if (current < doc) {
            if (!postings->skipTo(doc)) break;
            current = postings->doc();
          }
          if (current != doc) continue;
          const std::size_t cell = c * terms.size() + t;
          const std::int32_t freq = postings->freq();
          out.term_freq[cell] = freq;
          if (positions != nullptr) {
            out.position_ranges[2 * cell] = static_cast<std::int32_t>(out.positions.size());
            for (std::int32_t i = 0; i < freq; ++i)
              out.positions.push_back(positions->nextPosition());
            out.position_ranges[2 * cell + 1] = static_cast<std::int32_t>(out.positions.size());
          }
        }
        postings->close();
      }
    }
    return stats;
  });
}

std::vector<DocumentPriors> IndexSnapshot::Priors(std::span<const Candidate> candidates) const {
  std::vector<DocumentPriors> priors(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!impl_->IsValidDoc(candidates[c].doc)) continue;
    const SegmentColumns& segment = impl_->SegmentOf(candidates[c].doc);
    const std::int32_t local = candidates[c].doc - segment.doc_base;
    priors[c].popularity = segment.popularity[local];
    priors[c].updated_at = ParseSeconds(segment.updated_at[local]);
  }
  return priors;
}

namespace {

// A stored source, as ParseDocument reads it, except that a url an earlier version
// accepted and ParseDocument now refuses (javascript:, ...) is dropped rather than
// making the document unreadable: the document stays searchable, without the link.
Result<Document> ParseStoredDocument(const std::string& source) {
  auto document = ParseDocument(source);
  if (document) return document;
  const Status refused = document.error();
  nlohmann::json json = nlohmann::json::parse(source, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("url")) return refused;
  json.erase("url");
  auto without_url = ParseDocument(json.dump());
  if (!without_url) return refused;
  return without_url;
}

}  // namespace

Result<Document> IndexSnapshot::Fetch(const Candidate& candidate) const {
  if (!impl_->IsValidDoc(candidate.doc)) {
    return Status::InvalidArgument("candidate '" + candidate.id +
                                   "' does not belong to this snapshot");
  }
  auto source = Guarded("fetch document", [&]() -> Result<std::string> {
    if (impl_->reader->isDeleted(candidate.doc)) {
      return Status::NotFound("document '" + candidate.id + "' was deleted");
    }
    Lucene::DocumentPtr stored = impl_->reader->document(candidate.doc);
    Lucene::ByteArray bytes = stored->getBinaryValue(fields::kSource);
    if (!bytes) return Status::Corruption("document '" + candidate.id + "' has no stored source");
    return std::string(reinterpret_cast<const char*>(bytes.get()), bytes.size());
  });
  if (!source) return source.error();
  auto document = ParseStoredDocument(*source);
  if (!document) {
    return Status::Corruption("stored document '" + candidate.id +
                              "' is unreadable: " + std::string(document.error().message()));
  }
  return document;
}

Result<bool> IndexSnapshot::Contains(std::string_view id) const {
  auto live_doc = LiveDoc(id);
  if (live_doc) return true;
  if (live_doc.error().code() == Status::Code::kNotFound) return false;
  return live_doc.error();
}

Result<Document> IndexSnapshot::Lookup(std::string_view id) const {
  auto live_doc = LiveDoc(id);
  if (!live_doc) return live_doc.error();
  return Fetch(Candidate{*live_doc, std::string(id), 0});
}

Result<std::int32_t> IndexSnapshot::LiveDoc(std::string_view id) const {
  return Guarded("look up document", [&]() -> Result<std::int32_t> {
    auto term = Lucene::newLucene<Lucene::Term>(fields::kId,
                                                Lucene::StringUtils::toUnicode(std::string(id)));
    Lucene::TermDocsPtr postings = impl_->reader->termDocs(term);  // Skips deleted docs.
    const bool found = postings->next();
    const std::int32_t doc = found ? postings->doc() : -1;
    postings->close();
    if (!found) return Status::NotFound("no document with id '" + std::string(id) + "'");
    return doc;
  });
}

}  // namespace foldrank
