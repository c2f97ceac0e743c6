#include "index/internal/text_fold.h"

#include <utf8proc.h>

#include <vector>

namespace foldrank {
namespace {

// Below the Armenian block: the scripts whose combining marks are accents.
constexpr utf8proc_int32_t kAccentedScriptsEnd = 0x0530;

bool IsAscii(std::string_view word) {
  for (const char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

void FoldWord(std::string_view word, std::string& out) {
  if (IsAscii(word)) {
    for (const char c : word) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    return;
  }
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(word.data());
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  // Decomposition grows text by a bounded factor; retry once with the exact size.
  thread_local std::vector<utf8proc_int32_t> points;
  points.resize(word.size() * 4 + 16);
  auto count = utf8proc_decompose(bytes, static_cast<utf8proc_ssize_t>(word.size()), points.data(),
                                  static_cast<utf8proc_ssize_t>(points.size()), options);
  if (count > static_cast<utf8proc_ssize_t>(points.size())) {
    points.resize(static_cast<std::size_t>(count));
    count = utf8proc_decompose(bytes, static_cast<utf8proc_ssize_t>(word.size()), points.data(),
                               static_cast<utf8proc_ssize_t>(points.size()), options);
  }
  if (count < 0) return;  // Invalid UTF-8.
  // Drop the combining marks that follow a Latin, Greek or Cyrillic letter.
  std::size_t kept = 0;
  utf8proc_int32_t base = 0;
  for (utf8proc_ssize_t i = 0; i < count; ++i) {
    const utf8proc_int32_t point = points[static_cast<std::size_t>(i)];
    const auto category = utf8proc_category(point);
    const bool mark = category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_ME;
    if (!mark) base = point;
    if (mark && base < kAccentedScriptsEnd) continue;
    points[kept++] = point;
  }
  // Recompose (NFC) and encode as UTF-8 in place.
  const auto length =
      utf8proc_reencode(points.data(), static_cast<utf8proc_ssize_t>(kept),
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return;
  out.append(reinterpret_cast<const char*>(points.data()), static_cast<std::size_t>(length));
}

void AppendUtf8(const wchar_t* text, std::size_t length, std::string& out) {
  for (std::size_t i = 0; i < length; ++i) {
    auto point = static_cast<std::uint32_t>(text[i]);
    if (point < 0x80) {
      out.push_back(static_cast<char>(point));
      continue;
    }
    if (point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) point = 0xFFFD;
    if (point < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (point >> 6)));
    } else if (point < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (point >> 18)));
      out.push_back(static_cast<char>(0x80 | ((point >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
    }
    out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
  }
}

void AppendWide(std::string_view utf8, std::wstring& out) {
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x80) {  // Hot path (most words of most corpora): no decoder call.
      out.push_back(static_cast<wchar_t>(byte));
      ++i;
      continue;
    }
    utf8proc_int32_t point = 0;
    const auto read = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data() + i),
                                       static_cast<utf8proc_ssize_t>(utf8.size() - i), &point);
    if (read <= 0) {
      out.push_back(L'\xFFFD');
      ++i;
      continue;
    }
    out.push_back(static_cast<wchar_t>(point));
    i += static_cast<std::size_t>(read);
  }
}

}  // namespace foldrank
