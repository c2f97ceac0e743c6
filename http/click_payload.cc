#include "http/click_payload.h"

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "http/endpoints.h"
#include "http/json_body.h"
#include "http/query_string.h"

namespace foldrank::http {
namespace {

// A JSON object's members as text fields, as a form would send them: strings as
// they are, integers in decimal, null as absent.
Result<ClickFields> FieldsFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Status::InvalidArgument("body must be a JSON object");
  ClickFields fields;
  for (const auto& [name, value] : json.items()) {
    if (value.is_string()) {
      fields[name] = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_number_unsigned()) {
      fields[name] = value.dump();
    } else if (!value.is_null()) {
      return Status::InvalidArgument("'" + name.substr(0, 64) + "' must be a string or an integer");
    }
  }
  return fields;
}

}  // namespace

Result<Click> ClickFromFields(const ClickFields& fields) {
  Click click;
  bool has_query = false, has_doc = false, has_position = false;
  for (const auto& [name, value] : fields) {
    if (name == "query_id" || name == "doc_id" || name == "event_id") {
      if (value.empty() || value.size() > kMaxIdBytes) {
        return Status::InvalidArgument("'" + name + "' must be 1 to " +
                                       std::to_string(kMaxIdBytes) + " bytes");
      }
      if (!IsValidUtf8(value)) return Status::InvalidArgument("'" + name + "' is not UTF-8");
      if (name == "query_id") click.query_id = value, has_query = true;
      if (name == "doc_id") click.doc_id = value, has_doc = true;
      if (name == "event_id") click.event_id = value;
    } else if (name == "position") {
      auto position = ParseInteger(name, value, 0, 100'000);
      if (!position) return position.error();
      click.position = static_cast<std::int32_t>(*position);
      has_position = true;
    } else if (name == "dwell_ms") {
      auto dwell = ParseInteger(name, value, 0, 7LL * 24 * 3600 * 1000);
      if (!dwell) return dwell.error();
      click.dwell_ms = *dwell;
    } else {
      return Status::InvalidArgument("unknown field '" + name.substr(0, 64) +
                                     "' (known: query_id, doc_id, position, event_id, dwell_ms)");
    }
  }
  if (!has_query || !has_doc || !has_position) {
    return Status::InvalidArgument("a click needs query_id, doc_id and position");
  }
  return click;  // The engine stamps the time and, if missing, an event id.
}

Result<Click> ClickFromJsonValue(const nlohmann::json& json) {
  auto fields = FieldsFromJson(json);
  if (!fields) return fields.error();
  return ClickFromFields(*fields);
}

Result<Click> ClickFromJson(std::string_view body) {
  JsonBody parsed = ParseJsonBody(body, "bad_click");
  if (parsed.error) return Status::InvalidArgument(parsed.error->message);
  auto fields = FieldsFromJson(parsed.value);
  if (!fields) return fields.error();
  return ClickFromFields(*fields);
}

Result<Click> ClickFromForm(std::string_view body) {
  auto form = ParseForm(body);
  if (!form) return form.error();
  return ClickFromFields(ClickFields(form->begin(), form->end()));
}

}  // namespace foldrank::http
