#include "common/utf8.h"
#include "foldrank/document.h"
#include "http/document_stream.h"
#include "http/endpoints.h"
#include "http/json_body.h"

namespace foldrank::http {
namespace {

std::optional<ApiError> CheckId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes || !IsValidUtf8(id)) {
    return ApiError{400, "bad_id",
                    "a document id is 1 to " + std::to_string(kMaxIdBytes) + " bytes of UTF-8"};
  }
  return std::nullopt;
}

}  // namespace

ApiResponse PutDocument(const EndpointContext& context, std::string_view id,
                        std::string_view body) {
  if (auto bad = CheckId(id)) return ErrorResponse(*bad);
  // The path names the document: the body may repeat the id, not contradict it.
  JsonBody parsed = ParseJsonBody(body, "bad_document");
  if (parsed.error) return ErrorResponse(*parsed.error);
  nlohmann::json& json = parsed.value;
  if (!json.is_object())
    return ErrorResponse(BadRequest("bad_document", "body must be a JSON object"));
  if (json.contains("id") && json["id"] != std::string(id)) {
    return ErrorResponse(BadRequest("id_mismatch", "the body's id differs from the path's"));
  }
  json["id"] = std::string(id);
  auto document = ParseDocument(json.dump());
  if (!document) return ErrorResponse(BadRequest("bad_document", document.error().message()));
  auto change = context.engine.Put(*document);
  if (!change) {
    if (change.error().code() == Status::Code::kInvalidArgument) {
      return ErrorResponse(BadRequest("bad_document", change.error().message()));
    }
    return InternalError(change.error());
  }
  const bool created = *change == DocumentChange::kCreated;
  return JsonResponse(created ? 201 : 200, {{"id", document->id}, {"created", created}});
}

ApiResponse DeleteDocument(const EndpointContext& context, std::string_view id) {
  if (auto bad = CheckId(id)) return ErrorResponse(*bad);
  if (Status deleted = context.engine.Delete(std::string(id)); !deleted.ok()) {
    if (deleted.code() == Status::Code::kNotFound) {
      return ErrorResponse({404, "unknown_document", "no document has this id"});
    }
    return InternalError(deleted);
  }
  return JsonResponse(200, {{"id", std::string(id)}, {"deleted", true}});
}

ApiResponse PostDocuments(const EndpointContext& context, std::string_view body) {
  DocumentStream stream(context.engine);  // The whole body at once: one chunk.
  stream.Write(body);
  return stream.Finish();
}

}  // namespace foldrank::http
