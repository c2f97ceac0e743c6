#include "foldrank/document.h"
#include "http/click_payload.h"
#include "http/endpoints.h"
#include "http/json_body.h"

namespace foldrank::http {
namespace {

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
  Result<Click> click = Status::InvalidArgument("no click");
  if (request.method == "GET") {
    click = ClickFromFields(ClickFields(target.params.begin(), target.params.end()));
  } else {
    const std::string_view type =
        std::string_view(request.content_type).substr(0, request.content_type.find(';'));
    if (!target.params.empty()) {
      respond(ErrorResponse(BadRequest("bad_request", "POST /click takes its fields in the body")));
      return;
    }
    if (type == "application/json" || type == "text/plain" || type.empty()) {
      // text/plain: what sendBeacon sends.
      JsonBody parsed = ParseJsonBody(request.body, "bad_click");
      if (parsed.error) {
        respond(ErrorResponse(*parsed.error));
        return;
      }
      click = ClickFromJsonValue(parsed.value);
    } else if (type == "application/x-www-form-urlencoded") {
      click = ClickFromForm(request.body);
    } else {
      respond(ErrorResponse(
          {415, "unsupported_media_type", "send application/json, text/plain (JSON) or a form"}));
      return;
    }
  }
  if (!click) {
    respond(ErrorResponse(BadRequest("bad_click", click.error().message())));
    return;
  }
  const std::string query_id = click->query_id;
  context.engine.RecordClick(std::move(*click), [respond, query_id](Result<ClickOutcome> outcome) {
    ApiResponse response = OutcomeResponse(outcome);
    response.query_id = query_id;
    respond(std::move(response));
  });
}

}  // namespace foldrank::http
