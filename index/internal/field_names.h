#pragma once

// The index schema: which Lucene fields a Document becomes. Internal to index/.
namespace foldrank::fields {

inline constexpr wchar_t kId[] = L"id";        // Exact id: updates, deletes, FieldCache.
inline constexpr wchar_t kTitle[] = L"title";  // Analyzed text.
inline constexpr wchar_t kBody[] = L"body";    // Analyzed text.
inline constexpr wchar_t kTags[] = L"tags";    // Analyzed text of all tags.
inline constexpr wchar_t kTag[] = L"tag";      // Each tag verbatim, for exact filters.
inline constexpr wchar_t kAll[] = L"all";      // title + tags + body: retrieval and BM25.
// Exact token counts (after analysis) per text field. Lucene keeps lengths only as
// a lossy one-byte norm, and BM25 needs the real number.
inline constexpr wchar_t kTitleLength[] = L"_len_title";
inline constexpr wchar_t kBodyLength[] = L"_len_body";
inline constexpr wchar_t kAllLength[] = L"_len_all";
inline constexpr wchar_t kPopularity[] = L"_popularity";  // Decimal text, via FieldCache.
inline constexpr wchar_t kUpdatedAt[] = L"_updated_at";   // Unix seconds; absent if unknown.
inline constexpr wchar_t kSource[] = L"_source";  // Stored only: the document as UTF-8 JSON.

}  // namespace foldrank::fields
