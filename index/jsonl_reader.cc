#include "index/jsonl_reader.h"

namespace foldrank {
namespace {

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

JsonlReader::JsonlReader(std::istream& in, std::size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes) {}

std::optional<JsonlReader::Line> JsonlReader::Next() {
  std::streambuf* source = in_.rdbuf();
  while (!at_end_ && source != nullptr) {
    buffer_.clear();
    bool too_long = false;
    // Straight from the stream buffer (istream::get per character is ~10x slower), and
    // never holding more than max_line_bytes_ of an endless line.
    int c = source->sbumpc();
    for (; c != std::char_traits<char>::eof() && c != '\n'; c = source->sbumpc()) {
      if (buffer_.size() < max_line_bytes_) {
        buffer_.push_back(static_cast<char>(c));
      } else {
        too_long = true;
      }
    }
    if (c == std::char_traits<char>::eof()) {
      at_end_ = true;
      in_.setstate(std::ios::eofbit);
      if (buffer_.empty() && !too_long) return std::nullopt;
    }
    ++line_number_;
    if (too_long) {
      return Line{line_number_,
                  Status::InvalidArgument("line is longer than " + std::to_string(max_line_bytes_) +
                                          " bytes")};
    }
    if (IsBlank(buffer_)) continue;
    return Line{line_number_, ParseDocument(buffer_)};
  }
  return std::nullopt;
}

Status JsonlReader::stream_status() const {
  if (in_.bad()) {
    return Status::Unavailable("read failed after line " + std::to_string(line_number_));
  }
  return Status::Ok();
}

}  // namespace foldrank
