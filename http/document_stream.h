#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "foldrank/engine.h"
#include "http/api.h"

namespace foldrank::http {

// POST /documents: loads a JSONL body as it arrives. Each complete line is parsed
// and upserted at once; a bad line is counted and reported with its number and
// reason (the first 100), and the others still load. Blank lines are skipped; a
// line longer than `max_line_bytes` is rejected without being held whole.
class DocumentStream final : public BodySink {
 public:
  explicit DocumentStream(Engine& engine, std::size_t max_line_bytes = 16u << 20);

  void Write(std::string_view bytes) override;
  // 200 with {accepted, rejected, errors: [{line, message}]}; 503 if the index
  // failed (what was accepted before stays).
  ApiResponse Finish() override;

 private:
  void EndLine();  // partial_ is a whole line: load or reject it.
  void Line(std::string_view line);
  void Reject(std::string_view message);

  Engine& engine_;
  const std::size_t max_line_bytes_;
  std::string partial_;    // The current line so far.
  bool overlong_ = false;  // The current line passed max_line_bytes: skip to its end.
  std::int64_t line_number_ = 0;
  std::int64_t accepted_ = 0;
  std::int64_t rejected_ = 0;
  nlohmann::json errors_ = nlohmann::json::array();
  Status failure_;  // The first index failure; later lines are not tried.
};

}  // namespace foldrank::http
