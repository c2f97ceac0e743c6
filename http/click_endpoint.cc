#include "common/clock.h"
#include "common/utf8.h"
#include "feedback/ids.h"
#include "http/endpoints.h"
#include "index/document.h"

namespace foldrank::http {
namespace {

// The click's fields as text, whatever the encoding the client used.
using Fields = std::map<std::string, std::string, std::less<>>;

Result<Fields> FieldsFromJson(std::string_view body) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body, nullptr, true, false);
  } catch (const nlohmann::json::exception& error) {
    return Status::InvalidArgument(std::string("body is not JSON: ") + error.what());
  }
  if (!json.is_object()) return Status::InvalidArgument("body must be a JSON object");
  Fields fields;
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

Result<Click> ClickFromFields(const Fields& fields) {
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
  // Without an event id the click cannot be deduplicated; it still counts once.
  if (click.event_id.empty()) click.event_id = "gen-" + NewRandomId();
  click.clicked_ms = UnixMillis();
  return click;
}

ApiResponse OutcomeResponse(const Result<ClickOutcome>& outcome) {
  if (outcome) {
    const bool accepted = *outcome == ClickOutcome::kAccepted;
    return JsonResponse(accepted ? 202 : 200, {{"status", accepted ? "accepted" : "duplicate"}});
  }
  const Status& error = outcome.error();
  if (error.code() == Status::Code::kNotFound) {
    return ErrorResponse({404, "unknown_query", error.message()});
  }
  if (error.code() == Status::Code::kInvalidArgument) {
    const bool position = error.message().find("was shown at position") != std::string::npos;
    return ErrorResponse({422, position ? "wrong_position" : "not_shown", error.message()});
  }
  return InternalError(error);  // Not stored: the client should retry.
}

}  // namespace

void RecordClick(const EndpointContext& context, const ApiRequest& request, const Target& target,
                 const Api::Respond& respond) {
  Result<Fields> fields = Fields{};
  if (request.method == "GET") {
    fields = Fields(target.params.begin(), target.params.end());
  } else {
    const std::string_view type =
        std::string_view(request.content_type).substr(0, request.content_type.find(';'));
    if (!target.params.empty()) {
      respond(ErrorResponse(BadRequest("bad_request", "POST /click takes its fields in the body")));
      return;
    }
    if (type == "application/json" || type == "text/plain" || type.empty()) {
      fields = FieldsFromJson(request.body);  // text/plain: what sendBeacon sends.
    } else if (type == "application/x-www-form-urlencoded") {
      auto form = ParseForm(request.body);
      fields = form ? Result<Fields>(Fields(form->begin(), form->end())) : form.error();
    } else {
      respond(ErrorResponse(
          {415, "unsupported_media_type", "send application/json, text/plain (JSON) or a form"}));
      return;
    }
  }
  if (!fields) {
    respond(ErrorResponse(BadRequest("bad_click", fields.error().message())));
    return;
  }
  auto click = ClickFromFields(*fields);
  if (!click) {
    respond(ErrorResponse(BadRequest("bad_click", click.error().message())));
    return;
  }
  const std::string query_id = click->query_id;
  context.service.RecordClick(std::move(*click), [respond, query_id](Result<ClickOutcome> outcome) {
    ApiResponse response = OutcomeResponse(outcome);
    response.query_id = query_id;
    respond(std::move(response));
  });
}

}  // namespace foldrank::http
