#include "http/server.h"

#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <thread>

#include "common/clock.h"
#include "engine/service.h"
#include "feedback/sqlite_ledger.h"
#include "foldrank/document.h"
#include "http/api.h"
#include "http/query_string.h"
#include "tests/http/http_client.h"
#include "tests/http/server_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

TEST_F(ServerTest, SearchAnswersWithRankedResultsAndAQueryId) {
  HttpReply reply = Get("/search?q=apple&k=2");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  const nlohmann::json page = reply.json();
  EXPECT_EQ(page["query_id"].get<std::string>().size(), 44u);
  EXPECT_EQ(page["model_version"], 1);
  EXPECT_EQ(page["total"], 3);  // apple-pie, apple-cider, pear-tart mention apples.
  ASSERT_EQ(page["results"].size(), 2u);
  EXPECT_EQ(page["results"][0]["position"], 0);
  EXPECT_EQ(page["results"][1]["position"], 1);
  for (const auto& result : page["results"]) {
    EXPECT_TRUE(result.contains("title") && result.contains("url") && result.contains("snippet") &&
                result.contains("score"));
    EXPECT_NE(result["snippet_html"].get<std::string>().find("<mark>"), std::string::npos);
  }
  EXPECT_TRUE(page["took_ms"].is_number());
  HttpReply nothing = Get("/search?q=zanzibar");  // No document matches.
  ASSERT_EQ(nothing.status, 200) << nothing.body;
  EXPECT_EQ(nothing.json()["total"], 0);
  EXPECT_TRUE(nothing.json()["results"].empty());
  HttpReply second = Get("/search?q=apple&k=2&offset=2");
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.json()["results"].size(), 1u);
  EXPECT_EQ(second.json()["results"][0]["position"], 2);
  // The access log has one line per request, with the query id.
  EXPECT_NE(log_.str().find(page["query_id"].get<std::string>()), std::string::npos);
}

TEST_F(ServerTest, SearchRejectsBadParametersWithJsonErrors) {
  ExpectError(Get("/search"), 400, "empty_query");
  ExpectError(Get("/search?q=%20%20"), 400, "empty_query");
  ExpectError(Get("/search?q=" + std::string(2000, 'a')), 400, "query_too_long");
  ExpectError(Get("/search?q=apple&k=0"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&k=101"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&k=ten"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&k=99999999999999999999"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&offset=-1"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&offset=100"), 400, "bad_parameter");
  ExpectError(Get("/search?q=apple&colour=red"), 400, "unknown_parameter");
  ExpectError(Get("/search?q=apple&q=pear"), 400, "bad_target");
  ExpectError(Get("/search?q=%ff"), 400, "bad_target");  // Not UTF-8.
  ExpectError(Get("/search?q=%zz"), 400, "bad_target");  // Broken escape.
  ExpectError(Get("/search?q=title:(apple&syntax=lucene"), 400, "bad_query");
  ExpectError(Http(port_, "POST", "/search?q=apple", "x"), 405, "method_not_allowed");
}

TEST_F(ServerTest, ClicksAreAcceptedOnceInEveryEncodingAndRejectedWithReasons) {
  const nlohmann::json page = SearchApple();
  service_->FlushImpressions();
  HttpReply accepted = Post("/click", ClickJson(page, 1, "e1"));
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  HttpReply duplicate = Post("/click", ClickJson(page, 1, "e1"));
  EXPECT_EQ(duplicate.status, 200) << duplicate.body;
  EXPECT_EQ(duplicate.json()["status"], "duplicate");
  // What navigator.sendBeacon sends: JSON as text/plain.
  EXPECT_EQ(Post("/click", ClickJson(page, 0, "e2"), "text/plain;charset=UTF-8").status, 202);
  const std::string query_id = page["query_id"];
  const std::string doc2 = page["results"][2]["id"];
  EXPECT_EQ(Post("/click",
                 "query_id=" + query_id + "&doc_id=" + http::PercentEncode(doc2) +
                     "&position=2&event_id=e3",
                 "application/x-www-form-urlencoded")
                .status,
            202);
  EXPECT_EQ(Get("/click?query_id=" + query_id + "&doc_id=" + http::PercentEncode(doc2) +
                "&position=2&event_id=e4&dwell_ms=1200")
                .status,
            202);

  ExpectError(Post("/click", R"({"query_id":"nope","doc_id":"apple-pie","position":0})"), 404,
              "unknown_query");
  ExpectError(
      Post("/click",
           nlohmann::json{{"query_id", query_id}, {"doc_id", "bread"}, {"position", 0}}.dump()),
      422, "not_shown");
  ExpectError(Post("/click", nlohmann::json{{"query_id", query_id},
                                            {"doc_id", page["results"][0]["id"]},
                                            {"position", 2}}
                                 .dump()),
              422, "wrong_position");
  ExpectError(Post("/click", "{not json"), 400, "bad_click");
  ExpectError(Post("/click", "[1,2]"), 400, "bad_click");
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d"})"), 400, "bad_click");
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d","position":-1})"), 400, "bad_click");
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d","position":"x"})"), 400, "bad_click");
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d","position":0,"evil":1})"), 400,
              "bad_click");
  ExpectError(Post("/click", R"({"query_id":["q"],"doc_id":"d","position":0})"), 400, "bad_click");
  ExpectError(Post("/click", "x", "image/png"), 415, "unsupported_media_type");
  ExpectError(Http(port_, "DELETE", "/click"), 405, "method_not_allowed");

  // Four accepted clicks are durable in the ledger and fold exactly once.
  HttpReply folded = Post("/admin/fold", "");
  ASSERT_EQ(folded.status, 200) << folded.body;
  EXPECT_EQ(folded.json()["clicks"], 4);
  EXPECT_EQ(folded.json()["model_version"], 2);
  const nlohmann::json status = Get("/admin/status").json();
  EXPECT_EQ(status["feedback"]["clicks"]["stored"], 4);
  EXPECT_EQ(status["feedback"]["clicks"]["folded"], 4);
  EXPECT_EQ(status["feedback"]["clicks"]["pending"], 0);
  EXPECT_EQ(status["feedback"]["clicks"]["duplicate"], 1);
  // Each click came alone (its request waited for the one before): one commit each.
  EXPECT_EQ(status["feedback"]["clicks"]["commits"], 8);
  EXPECT_EQ(status["feedback"]["clicks"]["rejected"]["unknown_query"], 1);
  EXPECT_EQ(status["feedback"]["clicks"]["rejected"]["not_shown"], 1);
  EXPECT_EQ(status["feedback"]["clicks"]["rejected"]["wrong_position"], 1);
  // The fold's click counts are held for click features, and counted.
  EXPECT_GT(status["memory"]["click_count_pairs"], 0);
  EXPECT_GT(status["memory"]["click_count_documents"], 0);
  EXPECT_EQ(status["memory"]["click_count_pairs_max"], 500'000);  // The default bound,
  EXPECT_EQ(status["memory"]["click_count_pairs_dropped"], 0);    // far off.
  EXPECT_EQ(status["memory"]["click_count_loads"], 1);  // At start; its own fold is added.
  EXPECT_GT(status["memory"]["sqlite_bytes"], 0);
  EXPECT_GE(status["memory"]["sqlite_peak_bytes"], status["memory"]["sqlite_bytes"]);
  EXPECT_GT(status["memory"]["resident_bytes"], status["memory"]["sqlite_bytes"]);
  EXPECT_EQ(Get("/search?q=apple").json()["model_version"], 2);
}

TEST_F(ServerTest, DocumentsAreAddedReplacedAndDeletedAndSearchableWithinASecond) {
  auto searchable = [&](const std::string& query, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    do {
      const nlohmann::json page = Get("/search?q=" + query).json();  // Outlives the loop.
      for (const auto& result : page["results"]) {
        if (result["id"] == id) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  };
  HttpReply created = Http(port_, "PUT", "/documents/plum-jam",
                           R"({"title":"Plum jam","body":"Plums and sugar."})");
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(searchable("plum", "plum-jam"));
  HttpReply replaced = Http(port_, "PUT", "/documents/plum-jam",
                            R"({"id":"plum-jam","title":"Damson jam","body":"Damsons."})");
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_TRUE(searchable("damson", "plum-jam"));
  ExpectError(Http(port_, "PUT", "/documents/plum-jam", R"({"id":"other","title":"x"})"), 400,
              "id_mismatch");
  ExpectError(Http(port_, "PUT", "/documents/plum-jam", R"({"title":5})"), 400, "bad_document");
  ExpectError(Http(port_, "PUT", "/documents/plum-jam", "nope"), 400, "bad_document");

  EXPECT_EQ(Http(port_, "DELETE", "/documents/plum-jam").status, 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (searchable("damson", "plum-jam") && std::chrono::steady_clock::now() < deadline) {
  }
  EXPECT_EQ(Get("/search?q=damson").json()["total"], 0);
  ExpectError(Http(port_, "DELETE", "/documents/plum-jam"), 404, "unknown_document");

  HttpReply bulk = Post("/documents",
                        "{\"id\":\"fig\",\"title\":\"Fig roll\"}\nnot json\n\n"
                        "{\"id\":\"kiwi\",\"title\":\"Kiwi salad\"}\n{\"title\":\"no id\"}\n",
                        "application/x-ndjson");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.json()["accepted"], 2);
  EXPECT_EQ(bulk.json()["rejected"], 2);
  EXPECT_EQ(bulk.json()["errors"][0]["line"], 2);
  EXPECT_EQ(bulk.json()["errors"][1]["line"], 5);
  EXPECT_TRUE(searchable("kiwi", "kiwi"));
}

TEST_F(ServerTest, LargeUploadsAreLoadedAsTheyArrive) {
  // 3,000 documents (~400 KB: several 64 KiB chunks) in one body, sent with
  // Expect: 100-continue as curl does for large bodies, in pieces.
  std::string body;
  for (int i = 0; i < 3000; ++i) {
    body += nlohmann::json{{"id", "bulk-" + std::to_string(i)},
                           {"title", "Bulk item " + std::to_string(i)},
                           {"body",
                            "filler text for the bulk upload test, number " + std::to_string(i)}}
                .dump() +
            "\n";
  }
  body += "{\"id\": broken\n";  // One bad line at the end, without a newline after it.
  body.pop_back();
  const std::string head =
      "POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Authorization: Bearer " +
      token_ +
      "\r\n"
      "Content-Type: application/x-ndjson\r\nExpect: 100-continue\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  // The server closes the connection once it has answered: the long timeout only
  // bounds a failure (sanitizer builds load slowly).
  const std::string reply =
      Raw(port_, head, std::chrono::milliseconds(180000), body, std::chrono::milliseconds(50));
  EXPECT_NE(reply.find("HTTP/1.1 100 Continue"), std::string::npos);
  ASSERT_NE(reply.find("HTTP/1.1 200"), std::string::npos) << reply.substr(0, 500);
  const nlohmann::json result = nlohmann::json::parse(reply.substr(reply.find("\r\n\r\n{") + 4));
  EXPECT_EQ(result["accepted"], 3000);
  EXPECT_EQ(result["rejected"], 1);
  EXPECT_EQ(result["errors"][0]["line"], 3001);
  ASSERT_OK(service_->Refresh());
  EXPECT_EQ(service_->index().Snapshot()->doc_count(), 3004);
}

TEST_F(ServerTest, AdminReportsStatusHistoryAndRollsBack) {
  const nlohmann::json page = SearchApple();
  service_->FlushImpressions();
  ASSERT_EQ(Post("/click", ClickJson(page, 2, "a1")).status, 202);
  ASSERT_EQ(Post("/admin/fold", "").status, 200);

  const nlohmann::json status = Get("/admin/status").json();
  EXPECT_EQ(status["model"]["version"], 2);
  EXPECT_EQ(status["model"]["parent"], 1);
  EXPECT_EQ(status["model"]["kind"], "linear");
  EXPECT_EQ(status["model"]["delta"]["weights"].size(), 16u);
  EXPECT_EQ(status["model"]["learner"]["updates"], 1);
  EXPECT_GT(status["model"]["learner"]["learning_rate"].get<double>(), 0);
  EXPECT_GT(status["model"]["learner"]["last_fold_ms"].get<std::int64_t>(), 0);
  EXPECT_EQ(status["feedback"]["impressions"], 1);
  EXPECT_EQ(status["feedback"]["click_to_model_ms"]["samples"], 1);
  EXPECT_EQ(status["index"]["documents"], 4);
  EXPECT_GE(status["server"]["requests"].get<int>(), 3);

  const nlohmann::json models = Get("/admin/models").json();
  EXPECT_EQ(models["active_version"], 2);
  ASSERT_EQ(models["models"].size(), 2u);
  EXPECT_EQ(models["models"][0]["version"], 2);
  EXPECT_EQ(models["models"][0]["parent"], 1);
  EXPECT_EQ(models["models"][0]["metrics"]["clicks"], 1);
  EXPECT_TRUE(models["models"][0]["active"].get<bool>());
  EXPECT_EQ(models["models"][1]["version"], 1);
  EXPECT_EQ(Get("/admin/models/2").json()["version"], 2);
  ExpectError(Get("/admin/models/9"), 404, "unknown_model");
  ExpectError(Get("/admin/models/abc"), 400, "bad_version");
  ExpectError(Get("/admin/models?limit=0"), 400, "bad_parameter");

  ExpectError(Post("/admin/models/7/activate", ""), 404, "unknown_model");
  HttpReply rollback = Post("/admin/models/1/activate", "");
  ASSERT_EQ(rollback.status, 200) << rollback.body;
  EXPECT_EQ(Get("/search?q=apple").json()["model_version"], 1);
  EXPECT_EQ(Get("/admin/models").json()["active_version"], 1);

  service_->FlushImpressions();
  const nlohmann::json timeline = Get("/admin/timeline?minutes=10&bucket_s=60").json();
  ASSERT_FALSE(timeline["buckets"].empty());
  int impressions = 0, folded = 0;
  for (const auto& bucket : timeline["buckets"]) {
    impressions += bucket["impressions"].get<int>();
    folded += bucket["folded_clicks"].get<int>();
  }
  EXPECT_EQ(impressions, 2);  // SearchApple and the search after the rollback.
  EXPECT_EQ(folded, 1);
  ExpectError(Get("/admin/timeline?minutes=x"), 400, "bad_parameter");
}

TEST_F(ServerTest, InterleavingExperimentsCreditClicksToTeamsAndEnd) {
  LinearFunction delta;
  delta.weights[Column(Feature::kBm25Title)] = -3;
  ASSERT_OK(service_->Import(Model::ColdStart().WithDelta(delta, "test")));  // v2
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":1})"), 422, "bad_experiment");
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":9})"), 404, "not_found");
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":2,"share":1.5})"), 422, "bad_experiment");
  ExpectError(Post("/admin/experiments", "[1]"), 400, "bad_json");
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":2,"colour":1})"), 400, "unknown_field");
  ExpectError(Post("/admin/experiments", R"({"a":"1","b":2})"), 400, "bad_field");

  HttpReply created = Post("/admin/experiments", R"({"a":1,"b":2,"share":1,"max_impressions":6})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::uint64_t id = created.json()["id"].get<std::uint64_t>();
  EXPECT_EQ(created.json()["state"], "running");
  // All traffic is taken.
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":2,"share":0.5})"), 422, "bad_experiment");
  for (int i = 0; i < 8; ++i) {  // Six interleaved searches, then normal ones.
    const nlohmann::json page = SearchApple();
    service_->FlushImpressions();
    ASSERT_EQ(Post("/click", ClickJson(page, 0, "x" + std::to_string(i))).status, 202);
  }
  nlohmann::json listed = Get("/admin/experiments").json()["experiments"][0];
  EXPECT_EQ(listed["id"], id);
  EXPECT_EQ(listed["impressions"], 6);
  EXPECT_EQ(listed["clicked"], 6);
  EXPECT_EQ(listed["wins_a"].get<int>() + listed["wins_b"].get<int>(), 6);  // One click each.
  EXPECT_EQ(listed["ties"], 0);
  EXPECT_EQ(listed["decision"], "continue");  // Six is far too few to tell.
  EXPECT_EQ(listed["state"], "running");

  ASSERT_EQ(Post("/admin/fold", "").status, 200);  // Served its maximum: completed.
  listed = Get("/admin/experiments").json()["experiments"][0];
  EXPECT_EQ(listed["state"], "completed");
  ExpectError(Post("/admin/experiments/" + std::to_string(id) + "/stop", ""), 422,
              "bad_experiment");
  ExpectError(Post("/admin/experiments/99/stop", ""), 404, "not_found");
  ExpectError(Post("/admin/experiments/x/stop", ""), 400, "bad_experiment_id");

  HttpReply second = Post("/admin/experiments", R"({"a":2,"b":1,"share":0.5})");
  ASSERT_EQ(second.status, 201) << second.body;
  HttpReply stopped = Post("/admin/experiments/" + second.json()["id"].dump() + "/stop", "");
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(stopped.json()["state"], "stopped");
  EXPECT_EQ(Http(port_, "DELETE", "/admin/experiments", "", {}).status, 405);
}

TEST_F(ServerTest, GatedCertificationServesOnlyTheCertifiedModel) {
  Stop();
  ServiceOptions options = ManualFolding();
  options.certification.mode = CertificationOptions::Mode::kGated;
  Start({}, {}, options);
  // Clicks fold into a new learning version; the certified one (v1) keeps serving.
  const nlohmann::json page = SearchApple();
  service_->FlushImpressions();
  ASSERT_EQ(Post("/click", ClickJson(page, 2, "g1")).status, 202);
  ASSERT_EQ(Post("/admin/fold", "").status, 200);
  const nlohmann::json status = Get("/admin/status").json();
  EXPECT_EQ(status["certification"]["mode"], "gated");
  EXPECT_EQ(status["certification"]["certified_version"], 1);
  EXPECT_EQ(status["certification"]["learning_version"], 2);
  EXPECT_EQ(status["model"]["version"], 1);  // Serving.
  EXPECT_EQ(SearchApple()["model_version"], 1);
  const nlohmann::json models = Get("/admin/models").json();
  EXPECT_EQ(models["models"][0]["version"], 2);
  EXPECT_EQ(models["models"][0]["roles"], nlohmann::json::array({"learning"}));
  EXPECT_EQ(models["models"][1]["roles"], nlohmann::json::array({"serving", "certified"}));
  // An operator's pin certifies and serves it.
  ASSERT_EQ(Post("/admin/models/2/activate", "").status, 200);
  EXPECT_EQ(SearchApple()["model_version"], 2);
  EXPECT_EQ(Get("/admin/status").json()["certification"]["certified_version"], 2);
}

TEST_F(ServerTest, FoldNowIsRefusedWhileAnotherProcessFolds) {
  Stop();
  ServiceOptions options = ManualFolding();
  options.fold.lease_ms = 50;  // Ours lapses at once...
  Start({}, {}, options);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // ...and another folder (say `foldrank fold --follow`) takes the ledger's lease.
  auto other = SqliteLedger::Open(dir_.path() / "ledger.sqlite");
  ASSERT_OK(other);
  std::string holder;
  auto taken = (*other)->AcquireLease("folder", "other-host:42", UnixMillis(), 60'000, &holder);
  ASSERT_OK(taken);
  ASSERT_TRUE(*taken);
  HttpReply busy = Post("/admin/fold", "");
  ExpectError(busy, 409, "folder_busy");
  EXPECT_NE(busy.json()["message"].get<std::string>().find("other-host:42"), std::string::npos);
  EXPECT_EQ(Get("/admin/status").json()["feedback"]["folder"]["other_holder"], "other-host:42");
}

TEST_F(ServerTest, MetricsAreInPrometheusTextFormat) {
  Get("/search?q=apple");
  Get("/search");
  HttpReply metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type").rfind("text/plain", 0), 0u);
  const std::string& text = metrics.body;
  for (const char* expected :
       {"foldrank_http_requests_total{route=\"search\",status=\"200\"} 1",
        "foldrank_http_requests_total{route=\"search\",status=\"400\"} 1",
        "foldrank_http_request_duration_seconds_bucket{route=\"search\",le=\"+Inf\"} 2",
        "foldrank_impressions_dropped_total 0", "foldrank_clicks_total{outcome=\"accepted\"} 0",
        "foldrank_click_commits_total 0", "foldrank_fold_lag_seconds", "foldrank_model_version 1",
        "foldrank_documents 4", "foldrank_certified_version 1", "foldrank_rollbacks_total 0",
        "foldrank_position_examination{position=\"1\"} 0.5", "process_resident_memory_bytes ",
        "foldrank_sqlite_memory_bytes ", "foldrank_click_count_pairs ",
        "foldrank_click_count_pairs_dropped_total 0", "foldrank_click_count_documents ",
        "foldrank_click_count_loads_total "}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST_F(ServerTest, WebFilesComeFromAFixedSet) {
  HttpReply page = Get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("widget.js"), std::string::npos);
  HttpReply widget = Get("/widget.js");
  EXPECT_EQ(widget.status, 200);
  EXPECT_NE(widget.body.find("sendBeacon"), std::string::npos);
  EXPECT_EQ(Get("/admin").status, 200);
  for (const char* target : {"/../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd", "/web/index.html",
                             "/widget.js/../index.html", "/index.html"}) {
    ExpectError(Get(target), 404, "not_found");
  }
}

TEST_F(ServerTest, BodiesUpToEachRoutesLimitAreAccepted) {
  // 20 KiB: over the header limit, under the 64 KiB body limit.
  const std::string body =
      nlohmann::json{{"title", "Long"}, {"body", std::string(20000, 'a')}}.dump();
  EXPECT_EQ(Http(port_, "PUT", "/documents/long", body).status, 201);
  // Chunked bodies are held to the same limit as they arrive.
  const std::string chunk(40000, 'x');
  std::string chunked =
      "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 2; ++i) chunked += "9c40\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_NE(Raw(port_, chunked).find("HTTP/1.1 413"), std::string::npos);
}

TEST_F(ServerTest, MalformedAndOversizedRequestsGetFourHundreds) {
  EXPECT_NE(Raw(port_, "NOT A REQUEST\r\n\r\n").find("HTTP/1.1 400"), std::string::npos);
  const std::string huge_header =
      "GET /search?q=apple HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(20000, 'a') +
      "\r\n\r\n";
  EXPECT_NE(Raw(port_, huge_header).find("HTTP/1.1 431"), std::string::npos);
  const std::string big_body(100 * 1024, 'x');
  std::string reply = Raw(port_,
                          "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                          "Content-Length: " +
                              std::to_string(big_body.size()) + "\r\n\r\n" + big_body);
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos);
  EXPECT_NE(reply.find("body_too_large"), std::string::npos);
}

// The bad-input catalogue (docs/bad-input.md): the classes the tests above do not
// already cover, each with its documented answer, and nothing lost or broken after.
TEST_F(ServerTest, TheBadInputCatalogue) {
  const nlohmann::json page = SearchApple();
  service_->FlushImpressions();
  const std::string query_id = page["query_id"];

  // Deeply nested JSON: a parse error, not a stack overflow.
  const std::string nested = std::string(30000, '[') + std::string(30000, ']');
  ExpectError(Post("/click", nested), 400, "bad_click");
  ExpectError(Http(port_, "PUT", "/documents/deep", "{\"title\":" + nested + "}"), 400,
              "bad_document");
  // Invalid UTF-8 inside JSON strings.
  ExpectError(Post("/click", "{\"query_id\":\"\xff\xfe\",\"doc_id\":\"d\",\"position\":0}"), 400,
              "bad_click");
  ExpectError(Http(port_, "PUT", "/documents/bad-utf8", "{\"title\":\"\xc3\x28\"}"), 400,
              "bad_document");
  // Wrong types: a fractional position, a number as an id, k as a float.
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d","position":1.5})"), 400, "bad_click");
  ExpectError(Http(port_, "PUT", "/documents/typed", R"({"title":7})"), 400, "bad_document");
  ExpectError(Get("/search?q=apple&k=2.5"), 400, "bad_parameter");
  // SQL in every text field is only text: searched, or an unknown id.
  const std::string sql = "'; DROP TABLE clicks; --";
  EXPECT_EQ(Get("/search?q=" + http::PercentEncode(sql)).status, 200);
  ExpectError(
      Post("/click", nlohmann::json{{"query_id", sql}, {"doc_id", sql}, {"position", 0}}.dump()),
      404, "unknown_query");
  // Lucene syntax in plain mode is plain text; in Lucene mode a query Lucene refuses
  // to run is the query's fault (found by fuzz/query_fuzz: it was a 500).
  EXPECT_EQ(Get("/search?q=" + http::PercentEncode("title:apple AND *:* OR body:[a TO z]")).status,
            200);
  ExpectError(Get("/search?syntax=lucene&q=" + http::PercentEncode("apple~1")), 400, "bad_query");
  // Match-all in Lucene mode is allowed (k bounds what it returns).
  EXPECT_EQ(Get("/search?syntax=lucene&q=" + http::PercentEncode("*:*")).status, 200);
  // Header injection: CR LF in a parameter stays inside the JSON body.
  HttpReply injected = Get("/search?q=apple%0d%0aSet-Cookie:%20owned=1&user=%0d%0aX-Evil:%201");
  EXPECT_EQ(injected.status, 200);
  EXPECT_EQ(injected.header("set-cookie"), "");
  EXPECT_EQ(injected.header("x-evil"), "");
  // ... and a raw CR LF inside a header value is a malformed request.
  EXPECT_NE(
      Raw(port_, "GET /search?q=apple HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: a\rX-Evil: 1\r\n\r\n")
          .find("HTTP/1.1 400"),
      std::string::npos);
  // Path traversal in a document id is an id like any other, never a path.
  EXPECT_EQ(Http(port_, "PUT", "/documents/..%2F..%2Fetc%2Fpasswd", R"({"title":"Dots"})").status,
            201);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / ".." / ".." / "etc" / "passwd.json"));
  // A click on another user's search: the query id is the capability (unguessable,
  // seen only by whoever got the page), so it counts, once.
  EXPECT_EQ(Post("/click", ClickJson(page, 0, "other-user")).status, 202);
  // Replayed event ids are acknowledged without a second row; forged new ones for
  // the same result are new clicks that the learner's per-user cap bounds.
  EXPECT_EQ(Post("/click", ClickJson(page, 0, "other-user")).status, 200);
  EXPECT_EQ(Post("/click", ClickJson(page, 0, "forged-1")).status, 202);
  // Nothing above broke the ledger or the index: the accepted clicks fold, once.
  HttpReply folded = Post("/admin/fold", "");
  ASSERT_EQ(folded.status, 200) << folded.body;
  EXPECT_EQ(folded.json()["clicks"], 2);
  EXPECT_EQ(Get("/search?q=apple").status, 200);
}

TEST_F(ServerTest, CorsAllowsOnlyConfiguredOriginsOnPublicRoutes) {
  Stop();
  http::ApiOptions api;
  api.allowed_origins = {"https://shop.example"};
  Start(api, {});
  HttpReply preflight =
      Http(port_, "OPTIONS", "/click", "",
           {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("access-control-allow-origin"), "https://shop.example");
  EXPECT_NE(preflight.header("access-control-allow-methods").find("POST"), std::string::npos);
  HttpReply search = Get("/search?q=apple", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(search.header("access-control-allow-origin"), "https://shop.example");
  EXPECT_EQ(search.header("vary"), "Origin");
  HttpReply stranger = Get("/search?q=apple", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(stranger.status, 200);  // Served, but the browser will not hand it over.
  EXPECT_EQ(stranger.header("access-control-allow-origin"), "");
  ExpectError(Http(port_, "OPTIONS", "/search", "", {{"Origin", "https://evil.example"}}), 403,
              "origin_not_allowed");
  ExpectError(Http(port_, "OPTIONS", "/admin/status", "", {{"Origin", "https://shop.example"}}),
              403, "cross_origin_refused");
}

TEST_F(ServerTest, AdminRoutesNeedTheTokenWhenOneIsConfigured) {
  Stop();
  http::ApiOptions api;
  api.admin_token = "s3cret-token";
  Start(api, {});
  ExpectError(Get("/admin/status", Anonymous()), 401, "unauthorized");
  EXPECT_EQ(Get("/admin/status", Anonymous()).header("www-authenticate"), "Bearer");
  ExpectError(Get("/admin/status", {{"Authorization", "Bearer wrong-token!"}}), 401,
              "unauthorized");
  ExpectError(Get("/admin/status", {{"Authorization", "Basic czNjcmV0LXRva2Vu"}}), 401,
              "unauthorized");
  EXPECT_EQ(Get("/admin/status", {{"Authorization", "Bearer s3cret-token"}}).status, 200);
  ExpectError(Http(port_, "PUT", "/documents/x", R"({"title":"x"})", Anonymous()), 401,
              "unauthorized");
  ExpectError(Http(port_, "DELETE", "/documents/apple-pie", "", Anonymous()), 401, "unauthorized");
  ExpectError(Post("/admin/fold", "", "application/json", Anonymous()), 401, "unauthorized");
  ExpectError(Post("/documents", "{\"id\":\"x\"}\n", "application/x-ndjson", Anonymous()), 401,
              "unauthorized");
  ExpectError(Get("/search?q=apple&explain=1"), 401, "unauthorized");
  HttpReply explained =
      Get("/search?q=apple&explain=1", {{"Authorization", "Bearer s3cret-token"}});
  ASSERT_EQ(explained.status, 200);
  EXPECT_EQ(explained.json()["results"][0]["explanation"]["features"].size(), 16u);
  ExpectError(Get("/search?q=apple&log=0"), 401, "unauthorized");
  ExpectError(Get("/search?q=apple&explore=0"), 401, "unauthorized");
  // An evaluation query: deterministic and not logged (no query id to click).
  const auto admin = std::map<std::string, std::string>{{"Authorization", "Bearer s3cret-token"}};
  HttpReply evaluation = Get("/search?q=apple&explore=0&log=0", admin);
  ASSERT_EQ(evaluation.status, 200) << evaluation.body;
  EXPECT_EQ(evaluation.json()["query_id"], "");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Get("/search?q=apple&explore=0&log=0", admin).json()["results"],
              evaluation.json()["results"]);
  }
  ExpectError(Get("/search?q=apple&log=maybe", admin), 400, "bad_parameter");
  // Public routes need no token; the token never reaches the access log.
  EXPECT_EQ(Get("/search?q=apple").status, 200);
  EXPECT_EQ(log_.str().find("s3cret"), std::string::npos);
}

TEST(ApiTest, WithoutATokenAdminAndDocumentRoutesAreOff) {
  testing::TempDir dir;
  ServiceOptions options;
  options.fold_in_background = false;
  auto service = Service::Open(dir.path(), options);
  ASSERT_OK(service);
  Engine engine(std::move(*service));
  http::Api api(engine, {});
  for (const char* target : {"/admin/status", "/documents/x"}) {
    http::ApiRequest request;
    request.method = "GET";
    request.target = target;
    request.host = "127.0.0.1:8080";
    http::ApiResponse answer;
    api.Handle(request, [&](http::ApiResponse response) { answer = std::move(response); });
    EXPECT_EQ(answer.status, 403) << target;
    EXPECT_NE(answer.body.find("admin_disabled"), std::string::npos) << answer.body;
  }
}

TEST_F(ServerTest, SlowClientsAreCutOffAfterTheRequestTimeout) {
  Stop();
  http::ServerOptions server;
  server.request_timeout = std::chrono::milliseconds(300);
  Start({}, server);
  const auto start = std::chrono::steady_clock::now();
  // Half a request line, then silence: the server closes the connection.
  const std::string reply = Raw(port_, "GET /search?q=ap", std::chrono::milliseconds(5000));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(reply, "");
  EXPECT_LT(waited, std::chrono::milliseconds(4000));
  // Meanwhile, and after, others are served.
  EXPECT_EQ(Get("/search?q=apple").status, 200);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::string request = "GET /search?q=apple&k=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::string last =
      "GET /search?q=pear&k=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  const std::string replies = Raw(port_, request + request + last);
  std::size_t count = 0;
  for (std::size_t at = replies.find("HTTP/1.1 200"); at != std::string::npos;
       at = replies.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST_F(ServerTest, GracefulStopFinishesRequestsInFlight) {
  const nlohmann::json page = SearchApple();
  service_->FlushImpressions();
  const std::string body = ClickJson(page, 0, "inflight");
  // The header and half the body now; the rest after Stop() has begun.
  const std::string head =
      "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10);
  auto reply = std::async(std::launch::async, [&] {
    return Raw(port_, head, std::chrono::milliseconds(5000), body.substr(10),
               std::chrono::milliseconds(400));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto stop_started = std::chrono::steady_clock::now();
  server_->Stop();  // Waits for the click above.
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(5));
  const std::string answer = reply.get();
  EXPECT_NE(answer.find("HTTP/1.1 202"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  // New connections are refused once stopped.
  EXPECT_THROW(Http(port_, "GET", "/search?q=apple"), std::exception);
  // The acknowledged click is in the ledger.
  ASSERT_TRUE(service_->FoldNow().has_value());
  EXPECT_EQ(service_->Report().ledger.clicks, 1u);
}

}  // namespace
}  // namespace foldrank
