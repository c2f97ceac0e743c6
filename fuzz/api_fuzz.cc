// The HTTP request path in memory (no socket): any method, target, content type,
// body and client address goes through routing, authentication, validation and the
// service over a real index and ledger. Properties: exactly one response; a JSON
// error body {"error", "message"} for every 4xx; no 5xx (a 5xx means the ledger or
// index failed, and nothing a client sends may make them fail).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/service.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_data_dir.h"
#include "http/api.h"

namespace {

constexpr const char* kFuzzToken = "fuzz-admin-token-0123456789";

using foldrank::fuzz::Require;

struct FuzzServer {
  FuzzServer() {
    foldrank::ServiceOptions options;
    options.fold_in_background = false;  // Folds only when a request asks.
    options.fold.folder.settle_ms = 0;
    auto opened = foldrank::Service::Open(foldrank::fuzz::ProcessDataDir() / "api", options);
    Require(opened.has_value(), "the fuzz service opens");
    engine = std::make_unique<foldrank::Engine>(std::move(*opened));
    foldrank::fuzz::LoadFuzzDocuments(engine->service());
    foldrank::http::ApiOptions api_options;
    api_options.admin_token = kFuzzToken;
    api = std::make_unique<foldrank::http::Api>(*engine, api_options);
  }
  std::unique_ptr<foldrank::Engine> engine;
  std::unique_ptr<foldrank::http::Api> api;
};

// Splits off the text up to the next newline.
std::string_view NextLine(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

void CheckResponse(const foldrank::http::ApiResponse& response) {
  Require(response.status >= 100 && response.status < 600, "an HTTP status");
  Require(response.status < 500, "no 5xx for anything a client sends");
  if (response.status >= 400 && response.status < 500 &&
      response.content_type == "application/json") {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    Require(body.is_object() && body.contains("error") && body["error"].is_string() &&
                body.contains("message") && body["message"].is_string(),
            "a 4xx has a JSON body with error and message");
  }
}

}  // namespace

// Input: one byte of flags (bit 0: with the admin token, so admin routes are reached
// too; bits 1-3: the method), then the target, the content type, the authorization,
// the origin, the host and the cookie header on a line each, then the body.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static FuzzServer server;
  if (size == 0) return 0;
  static constexpr const char* kMethods[] = {"GET",     "POST", "PUT",   "DELETE",
                                             "OPTIONS", "HEAD", "PATCH", "BREW"};
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  foldrank::http::ApiRequest request;
  request.method = kMethods[(data[0] >> 1) & 7];
  request.target = NextLine(rest);
  request.content_type = NextLine(rest);
  request.authorization = NextLine(rest);
  if (data[0] & 1) request.authorization = std::string("Bearer ") + kFuzzToken;
  request.origin = NextLine(rest);
  request.host = NextLine(rest);
  request.cookie = NextLine(rest);

  if (auto stream = server.api->StartStream(request)) {
    Require(stream->sink != nullptr || stream->response.has_value(), "a stream or a response");
    if (stream->response) {
      CheckResponse(*stream->response);
      return 0;
    }
    stream->sink->Write(rest);
    CheckResponse(stream->sink->Finish());
    return 0;
  }
  // The server answers 413 for a longer body before the API sees it.
  if (rest.size() > server.api->BodyLimit(request.method, request.target)) return 0;
  request.body = std::string(rest);
  auto responded = std::make_shared<std::promise<foldrank::http::ApiResponse>>();
  auto response = responded->get_future();
  server.api->Handle(request, [responded](foldrank::http::ApiResponse reply) {
    responded->set_value(std::move(reply));  // A second call throws: exactly once.
  });
  // Clicks are answered from the writer thread once durable: wait, boundedly.
  Require(response.wait_for(std::chrono::seconds(30)) == std::future_status::ready,
          "a response within 30 s");
  CheckResponse(response.get());
  return 0;
}
