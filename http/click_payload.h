#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "foldrank/click.h"
#include "foldrank/result.h"

namespace foldrank::http {

// A click as a site reports it, from whichever encoding it used: query parameters
// (GET /click), a JSON object (POST, also as text/plain: what sendBeacon sends) or
// a form. Fields: query_id, doc_id, position (required), event_id, dwell_ms.
// InvalidArgument naming the field and the problem for anything else. The engine
// stamps the click's time, and generates a missing event id (the click then counts
// once, but a retry cannot be recognized).
using ClickFields = std::map<std::string, std::string, std::less<>>;
Result<Click> ClickFromFields(const ClickFields& fields);
// A JSON body (strictly: a key named twice is refused).
Result<Click> ClickFromJson(std::string_view body);
// A JSON object already parsed (the endpoint parses first, to tell duplicate keys apart).
Result<Click> ClickFromJsonValue(const nlohmann::json& json);
Result<Click> ClickFromForm(std::string_view body);

}  // namespace foldrank::http
