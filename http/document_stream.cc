#include "http/document_stream.h"

#include "foldrank/document.h"
#include "http/endpoints.h"

namespace foldrank::http {
namespace {

constexpr std::size_t kMaxReportedErrors = 100;

}  // namespace

DocumentStream::DocumentStream(Engine& engine, std::size_t max_line_bytes)
    : engine_(engine), max_line_bytes_(max_line_bytes) {}

void DocumentStream::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, end);
    if (!overlong_) {
      if (partial_.size() + piece.size() > max_line_bytes_) {
        overlong_ = true;
        partial_.clear();
        partial_.shrink_to_fit();
      } else {
        partial_.append(piece);
      }
    }
    if (end == std::string_view::npos) return;  // The line goes on in the next chunk.
    EndLine();
    bytes.remove_prefix(end + 1);
  }
}

void DocumentStream::EndLine() {
  ++line_number_;
  if (overlong_) {
    Reject("line is longer than " + std::to_string(max_line_bytes_) + " bytes");
  } else {
    Line(partial_);
  }
  partial_.clear();
  overlong_ = false;
}

void DocumentStream::Line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // Blank.
  if (!failure_.ok()) return;
  auto document = ParseDocument(line);
  if (!document) return Reject(document.error().message());
  Status stored = engine_.Upsert(*document);
  if (stored.ok()) {
    ++accepted_;
  } else if (stored.code() == Status::Code::kInvalidArgument) {
    Reject(stored.message());
  } else {
    failure_ = stored;
  }
}

void DocumentStream::Reject(std::string_view message) {
  ++rejected_;
  if (errors_.size() < kMaxReportedErrors) {
    errors_.push_back({{"line", line_number_}, {"message", std::string(message)}});
  }
}

ApiResponse DocumentStream::Finish() {
  if (!partial_.empty() || overlong_) EndLine();  // A last line without a newline.
  if (!failure_.ok()) return InternalError(failure_);
  // 200 either way: the accepted lines are in; the rejects are listed per line.
  ApiResponse response =
      JsonResponse(200, {{"accepted", accepted_}, {"rejected", rejected_}, {"errors", errors_}});
  response.route = Route::kDocuments;
  return response;
}

}  // namespace foldrank::http
