#pragma once

// The fixture of the HTTP tests: a real server on 127.0.0.1 (ephemeral port) over a
// real index and ledger in a temp dir.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "engine/service.h"
#include "foldrank/document.h"
#include "foldrank/engine.h"
#include "http/api.h"
#include "http/server.h"
#include "tests/http/http_client.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {

using testing::HttpReply;
using testing::Raw;

inline constexpr const char* kDocuments[] = {
    R"({"id":"apple-pie","title":"Apple pie","body":"Bake apples in a crust with cinnamon.","url":"https://example.org/apple-pie","tags":["dessert"]})",
    R"({"id":"apple-cider","title":"Apple cider","body":"Press apples, then ferment the juice.","url":"https://example.org/cider"})",
    R"({"id":"pear-tart","title":"Pear tart","body":"Pears and almond cream; apples work too.","url":"https://example.org/pear-tart"})",
    R"({"id":"bread","title":"Sourdough bread","body":"Flour, water, salt and time.","url":"https://example.org/bread"})",
};

inline constexpr const char* kAdminToken = "test-admin-token-0123456789";

// A real server on 127.0.0.1 with an ephemeral port over a real index and ledger in
// a temp dir. Folding is manual (POST /admin/fold) so tests control when it runs.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}, {}); }
  void TearDown() override { Stop(); }

  static ServiceOptions ManualFolding() {
    ServiceOptions options;
    options.fold_in_background = false;
    options.fold.folder.settle_ms = 0;
    return options;
  }
  // Every server here has an admin token (kAdminToken unless the test sets another).
  void Start(http::ApiOptions api_options, http::ServerOptions server_options,
             ServiceOptions options = ManualFolding()) {
    if (api_options.admin_token.empty()) api_options.admin_token = kAdminToken;
    token_ = api_options.admin_token;
    auto service = Service::Open(dir_.path(), options);
    ASSERT_OK(service);
    engine_ = std::make_unique<Engine>(std::move(*service));
    service_ = &engine_->service();
    for (const char* line : kDocuments) {
      auto document = ParseDocument(line);
      ASSERT_OK(document);
      ASSERT_OK(service_->Upsert(*document));
    }
    ASSERT_OK(service_->Refresh());
    api_ = std::make_unique<http::Api>(*engine_, api_options);
    server_options.port = 0;
    server_options.threads = 2;
    auto server = http::Server::Start(*api_, server_options, &log_);
    ASSERT_OK(server);
    server_ = std::move(*server);
    port_ = server_->port();
  }
  void Stop() {
    if (server_) server_->Stop();
    server_.reset();
    api_.reset();
    service_ = nullptr;
    engine_.reset();
  }

  // testing::Http, with the admin token on admin and document routes unless the
  // test sends an Authorization header of its own (Anonymous() for none).
  HttpReply Http(std::uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    const bool is_protected = target.rfind("/admin/", 0) == 0 || target.rfind("/documents", 0) == 0;
    if (is_protected && headers.count("Authorization") == 0) {
      headers["Authorization"] = "Bearer " + token_;
    }
    if (headers["Authorization"].empty()) headers.erase("Authorization");
    return testing::Http(port, method, target, body, headers);
  }
  static std::map<std::string, std::string> Anonymous() { return {{"Authorization", ""}}; }

  HttpReply Get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return Http(port_, "GET", target, "", headers);
  }
  HttpReply Post(const std::string& target, const std::string& body,
                 const std::string& type = "application/json",
                 std::map<std::string, std::string> headers = {}) {
    headers["Content-Type"] = type;
    return Http(port_, "POST", target, body, headers);
  }
  // Searches "apple" and returns the page.
  nlohmann::json SearchApple() {
    HttpReply reply = Get("/search?q=apple&k=3&user=u1");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json();
  }
  static std::string ClickJson(const nlohmann::json& page, int position,
                               const std::string& event_id) {
    return nlohmann::json{{"query_id", page["query_id"]},
                          {"doc_id", page["results"][position]["id"]},
                          {"position", position},
                          {"event_id", event_id}}
        .dump();
  }
  static void ExpectError(const HttpReply& reply, int status, const std::string& code) {
    EXPECT_EQ(reply.status, status) << reply.body;
    auto body = nlohmann::json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << reply.body;
    EXPECT_EQ(body.value("error", ""), code) << reply.body;
    EXPECT_FALSE(body.value("message", "").empty());
  }

  testing::TempDir dir_;
  std::unique_ptr<Engine> engine_;
  Service* service_ = nullptr;  // engine_'s, for what only tests reach into.
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Server> server_;
  std::ostringstream log_;
  std::uint16_t port_ = 0;
  std::string token_;
};

}  // namespace foldrank
