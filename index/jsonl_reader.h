#pragma once

#include <cstdint>
#include <istream>
#include <optional>

#include "foldrank/document.h"
#include "foldrank/result.h"

namespace foldrank {

// Reads documents from a JSONL stream, one JSON object per line. Blank lines are
// skipped. A bad line yields an error for that line and reading goes on, so one
// typo never costs the rest of a file. Not thread-safe; borrows the stream.
class JsonlReader {
 public:
  struct Line {
    std::int64_t number = 0;  // 1-based line number in the stream.
    Result<Document> document;
  };

  // Lines longer than max_line_bytes are rejected (and skipped) without being held
  // in memory whole.
  explicit JsonlReader(std::istream& in, std::size_t max_line_bytes = kDefaultMaxLineBytes);

  // The next non-blank line, or nullopt at the end of the stream (or when it fails;
  // see stream_status()).
  std::optional<Line> Next();

  // Unavailable if the stream has no buffer or reports a read error (badbit).
  Status stream_status() const;

  static constexpr std::size_t kDefaultMaxLineBytes = 16u << 20;

 private:
  std::istream& in_;
  std::size_t max_line_bytes_;
  std::int64_t line_number_ = 0;
  std::string buffer_;
  bool at_end_ = false;
};

}  // namespace foldrank
