#include "http/json_body.h"

#include <string>

namespace foldrank::http {
namespace {

struct TooDeep {};

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view body) {
  try {
    return nlohmann::json::parse(body,
                                 [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                                   if (depth > kMaxJsonBodyDepth) throw TooDeep{};
                                   return true;
                                 });
  } catch (const TooDeep&) {
    return Status::InvalidArgument("body is not JSON we accept: it nests deeper than " +
                                   std::to_string(kMaxJsonBodyDepth) + " levels");
  } catch (const nlohmann::json::exception& error) {
    return Status::InvalidArgument(std::string("body is not JSON: ") + error.what());
  }
}

}  // namespace foldrank::http
