#include "common/strict_json.h"

#include <set>
#include <vector>

#include "common/utf8.h"

namespace foldrank {
namespace {

struct TooDeep {};
struct DuplicateKey {
  std::string key;
};

}  // namespace

StrictJson ParseStrictJson(std::string_view text, int max_depth) {
  using Json = nlohmann::json;
  StrictJson result;
  // The keys seen so far in each object still open, innermost last.
  std::vector<std::set<std::string, std::less<>>> open_objects;
  auto check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > max_depth) throw TooDeep{};
    switch (event) {
      case Json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get<std::string>()).second) {
          throw DuplicateKey{parsed.get<std::string>()};
        }
        break;
      case Json::parse_event_t::array_start:
      case Json::parse_event_t::array_end:
      case Json::parse_event_t::value:
        break;
    }
    return true;
  };
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    result.problem = StrictJson::Problem::kSyntax;
    result.message = "empty where JSON was expected";
    return result;
  }
  try {
    result.value = Json::parse(text, check);
  } catch (const TooDeep&) {
    result.problem = StrictJson::Problem::kTooDeep;
    result.message = "JSON nests deeper than " + std::to_string(max_depth) + " levels";
  } catch (const DuplicateKey& duplicate) {
    result.problem = StrictJson::Problem::kDuplicateKey;
    result.message = "key '" + SanitizeUtf8(duplicate.key.substr(0, 64)) +
                     "' appears twice in one object; send each key once";
  } catch (const Json::parse_error& error) {
    result.problem = StrictJson::Problem::kSyntax;
    result.message = "not valid JSON (the error is at byte " + std::to_string(error.byte) + ")";
  } catch (const Json::exception&) {
    result.problem = StrictJson::Problem::kSyntax;
    result.message = "not valid JSON";
  }
  if (result.problem != StrictJson::Problem::kNone) result.value = nullptr;
  return result;
}

}  // namespace foldrank
