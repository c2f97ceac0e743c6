#include "feedback/count_deltas_json.h"

#include <charconv>

#include "feedback/internal/json_text.h"

namespace foldrank {
namespace {

void AppendNumber(std::string& json, double value) {
  char digits[32];
  const auto written = std::to_chars(digits, digits + sizeof(digits), value);
  json.append(digits, written.ptr);
}

// A cursor over one JSON text in the shape above.
class Reader {
 public:
  explicit Reader(std::string_view json) : json_(json) {}

  bool Consume(char expected) {
    if (at_ < json_.size() && json_[at_] == expected) {
      ++at_;
      return true;
    }
    return false;
  }
  bool AtEnd() const { return at_ == json_.size(); }

  bool String(std::string& out) {
    out.clear();
    if (!Consume('"')) return false;
    while (at_ < json_.size()) {
      const char c = json_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= json_.size()) return false;
      const char escape = json_[at_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          // Only what the writer escapes: control characters, \u0000 to \u001f.
          unsigned code = 0;
          if (at_ + 4 > json_.size()) return false;
          const auto parsed = std::from_chars(json_.data() + at_, json_.data() + at_ + 4, code, 16);
          if (parsed.ptr != json_.data() + at_ + 4 || code >= 0x20) return false;
          out += static_cast<char>(code);
          at_ += 4;
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  bool Number(double& out) {
    const auto parsed = std::from_chars(json_.data() + at_, json_.data() + json_.size(), out);
    if (parsed.ec != std::errc()) return false;
    at_ = static_cast<std::size_t>(parsed.ptr - json_.data());
    return true;
  }

 private:
  std::string_view json_;
  std::size_t at_ = 0;
};

}  // namespace

std::string WriteCountDeltasJson(std::span<const FoldCommit::CountDelta> deltas) {
  std::string json;
  json.reserve(deltas.size() * 48 + 2);
  json += '[';
  for (const FoldCommit::CountDelta& row : deltas) {
    if (json.size() > 1) json += ',';
    json += '[';
    AppendJsonString(json, row.query);
    json += ',';
    AppendJsonString(json, row.doc_id);
    json += ',';
    AppendNumber(json, row.delta.clicks);
    json += ',';
    AppendNumber(json, row.delta.expected);
    json += ']';
  }
  json += ']';
  return json;
}

Status ReadCountDeltasJson(std::string_view json, std::vector<FoldCommit::CountDelta>& out) {
  Reader reader(json);
  auto corrupt = [] {
    return Status::Corruption(
        "click_count_deltas: not an array of [query, doc_id, clicks, expected]");
  };
  if (!reader.Consume('[')) return corrupt();
  if (reader.Consume(']')) return reader.AtEnd() ? Status::Ok() : corrupt();
  do {
    FoldCommit::CountDelta row;
    if (!reader.Consume('[') || !reader.String(row.query) || !reader.Consume(',') ||
        !reader.String(row.doc_id) || !reader.Consume(',') || !reader.Number(row.delta.clicks) ||
        !reader.Consume(',') || !reader.Number(row.delta.expected) || !reader.Consume(']')) {
      return corrupt();
    }
    out.push_back(std::move(row));
  } while (reader.Consume(','));
  if (!reader.Consume(']') || !reader.AtEnd()) return corrupt();
  return Status::Ok();
}

}  // namespace foldrank
