#include "http/json_body.h"

#include "common/strict_json.h"

namespace foldrank::http {

JsonBody ParseJsonBody(std::string_view body, std::string_view bad_code) {
  StrictJson parsed = ParseStrictJson(body, kMaxJsonBodyDepth);
  JsonBody result;
  switch (parsed.problem) {
    case StrictJson::Problem::kNone:
      result.value = std::move(parsed.value);
      return result;
    case StrictJson::Problem::kDuplicateKey:
      result.error = BadRequest("duplicate_key", "body: " + parsed.message);
      return result;
    case StrictJson::Problem::kSyntax:
    case StrictJson::Problem::kTooDeep:
      result.error = BadRequest(std::string(bad_code), "body: " + parsed.message);
      return result;
  }
  return result;
}

}  // namespace foldrank::http
