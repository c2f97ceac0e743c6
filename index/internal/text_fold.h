#pragma once

#include <string>
#include <string_view>

namespace foldrank {

// The search form of one word (UTF-8 in, UTF-8 out): Unicode compatibility
// decomposition (NFKC: "ﬁ" -> "fi", "Ｃ" -> "C"), full case folding ("ß" -> "ss"),
// default-ignorable characters (soft hyphens, zero-width joiners) removed, and the
// accents of Latin, Greek and Cyrillic letters removed ("é" -> "e"); marks in other
// scripts stay (they are vowels there, not accents). Appends to `out`. ASCII takes a
// fast path (lower-casing only); invalid UTF-8 yields nothing.
void FoldWord(std::string_view word, std::string& out);

// UTF-32 (Lucene's wchar_t on Linux) to UTF-8 and back, appending. Code points
// that are not Unicode scalar values become U+FFFD.
void AppendUtf8(const wchar_t* text, std::size_t length, std::string& out);
void AppendWide(std::string_view utf8, std::wstring& out);

}  // namespace foldrank
