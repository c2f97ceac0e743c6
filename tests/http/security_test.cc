// What issue 22 found, each against a real server: cross-site requests, DNS
// rebinding, stored script in links, read-your-writes for documents, strict HTTP/1.1
// framing, HEAD, duplicate JSON keys and error messages (docs/security.md,
// docs/bad-input.md).

#include <gtest/gtest.h>

#include "http/query_string.h"
#include "tests/http/server_fixture.h"

namespace foldrank {
namespace {

using SecurityTest = ServerTest;

// The first line of a raw reply ("HTTP/1.1 200 OK"), or "" for none.
std::string StatusLine(const std::string& reply) { return reply.substr(0, reply.find("\r\n")); }

int CountResponses(const std::string& reply) {
  int count = 0;
  for (std::size_t at = reply.find("HTTP/1.1 "); at != std::string::npos;
       at = reply.find("\r\nHTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(SecurityTest, TheHostHeaderMustNameThisServer) {
  // A DNS-rebinding page reaches us under its own name: refused, whatever else holds.
  ExpectError(Get("/admin/status", {{"Host", "attacker.example:8080"}}), 421, "unknown_host");
  ExpectError(Get("/search?q=apple", {{"Host", "attacker.example"}}), 421, "unknown_host");
  ExpectError(Get("/", {{"Host", "attacker.example"}}), 421, "unknown_host");
  for (const char* host : {"127.0.0.1", "localhost:1234", "[::1]:80"}) {
    EXPECT_EQ(Get("/admin/status", {{"Host", host}}).status, 200) << host;
  }
  EXPECT_EQ(StatusLine(Raw(port_, "GET /search?q=apple HTTP/1.1\r\nConnection: close\r\n\r\n")),
            "HTTP/1.1 400 Bad Request");
  const std::string twice = Raw(port_,
                                "GET /search?q=apple HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Host: attacker.example\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusLine(twice), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(twice.find("bad_host"), std::string::npos);
  // HTTP/1.0 has no Host requirement.
  EXPECT_EQ(StatusLine(Raw(port_, "GET /search?q=apple HTTP/1.0\r\n\r\n")), "HTTP/1.1 200 OK");
}

TEST_F(SecurityTest, OtherTransferCodingsAreRefusedAndTheirBodyIsNeverARequest) {
  for (const char* coding : {"gzip", "identity", "chunked, gzip", "gzip, chunked"}) {
    // Read as an empty body, the rest would be a second request: GET /admin/status.
    const std::string smuggled =
        "GET /admin/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token_ +
        "\r\n\r\n";
    const std::string reply =
        Raw(port_,
            "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            "Transfer-Encoding: " +
                std::string(coding) + "\r\n\r\n" + smuggled);
    EXPECT_EQ(StatusLine(reply), "HTTP/1.1 501 Not Implemented") << coding;
    EXPECT_EQ(CountResponses(reply), 1) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  }
  const std::string both = Raw(port_,
                               "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(StatusLine(both), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(CountResponses(both), 1) << both;
  // Chunked alone is read as chunks.
  const nlohmann::json page = SearchApple();
  const std::string click = ClickJson(page, 0, "chunked-1");
  std::ostringstream size;
  size << std::hex << click.size();
  const std::string chunked =
      Raw(port_,
          "POST /click HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          "text/plain\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
              size.str() + "\r\n" + click + "\r\n0\r\n\r\n");
  EXPECT_EQ(StatusLine(chunked), "HTTP/1.1 202 Accepted") << chunked;
}

TEST_F(SecurityTest, ACompleteEmptyBodyIsAnsweredAtOnce) {
  // Connection: close, so the reply ends the read; a server waiting for a body that
  // already ended would instead answer nothing and time the request out.
  auto empty = [&](const std::string& method, const std::string& target) {
    return Raw(port_,
               method + " " + target +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: "
                   "Bearer " +
                   token_ + "\r\nContent-Length: 0\r\n\r\n",
               std::chrono::milliseconds(30000));
  };
  const std::string upload = empty("POST", "/documents");
  EXPECT_EQ(StatusLine(upload), "HTTP/1.1 200 OK") << upload;
  EXPECT_NE(upload.find("\"accepted\":0"), std::string::npos) << upload;
  const std::string put = empty("PUT", "/documents/empty");
  EXPECT_EQ(StatusLine(put), "HTTP/1.1 400 Bad Request") << put;
  EXPECT_NE(put.find("empty"), std::string::npos) << put;
  EXPECT_EQ(StatusLine(empty("POST", "/click")), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(empty("POST", "/admin/fold")), "HTTP/1.1 200 OK");
}

TEST_F(SecurityTest, HeadAnswersWhereverGetDoesWithoutABodyOrSideEffects) {
  for (const char* target : {"/", "/widget.js", "/widget.css", "/admin", "/admin.js"}) {
    const HttpReply get = Get(target);
    const HttpReply head = Http(port_, "HEAD", target);
    EXPECT_EQ(head.status, get.status) << target;
    EXPECT_EQ(head.header("content-type"), get.header("content-type")) << target;
    EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size())) << target;
    EXPECT_EQ(head.body, "") << target;
  }
  for (const char* target : {"/search?q=apple", "/metrics", "/admin/status", "/admin/models"}) {
    const HttpReply head = Http(port_, "HEAD", target);
    EXPECT_EQ(head.status, 200) << target;
    EXPECT_NE(head.header("content-length"), "0") << target;
    EXPECT_EQ(head.body, "") << target;
  }
  EXPECT_EQ(Http(port_, "HEAD", "/search?q=apple&k=0").status, 400);  // The status, no body.
  // HEAD /search logs no impression; HEAD /click records nothing.
  service_->FlushImpressions();
  const auto before = engine_->Report().ledger.impressions;
  EXPECT_EQ(Http(port_, "HEAD", "/search?q=apple").status, 200);
  service_->FlushImpressions();
  EXPECT_EQ(engine_->Report().ledger.impressions, before);
  EXPECT_EQ(Http(port_, "HEAD", "/click?query_id=q&doc_id=d&position=0").status, 405);
  const HttpReply wrong = Http(port_, "POST", "/metrics");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "GET, HEAD");
}

TEST_F(SecurityTest, AKeyNamedTwiceIsRefusedNotGuessed) {
  ExpectError(Post("/click", R"({"query_id":"q","doc_id":"d","position":5,"position":1})"), 400,
              "duplicate_key");
  ExpectError(Http(port_, "PUT", "/documents/dup", R"({"title":"a","title":"b"})"), 400,
              "duplicate_key");
  ExpectError(Post("/admin/experiments", R"({"a":1,"b":1,"a":2})"), 400, "duplicate_key");
  const HttpReply lines =
      Post("/documents", "{\"id\":\"dup-line\",\"url\":\"/a\",\"url\":\"/b\"}\n",
           "application/x-ndjson");
  ASSERT_EQ(lines.status, 200) << lines.body;
  EXPECT_EQ(lines.json()["rejected"], 1);
  EXPECT_NE(lines.json()["errors"][0]["message"].get<std::string>().find("appears twice"),
            std::string::npos);
  EXPECT_FALSE(engine_->Contains("dup-line"));
}

TEST_F(SecurityTest, ErrorMessagesAreOurOwnWords) {
  const std::vector<HttpReply> replies = {
      Post("/click", "{\"query_id\":"),
      Post("/click", "[1,]"),
      Http(port_, "PUT", "/documents/x", "{\"title\":"),
      Post("/admin/experiments", "nope"),
      Get("/search?syntax=lucene&q=" + http::PercentEncode("apple~1")),
      Get("/search?syntax=lucene&q=" + http::PercentEncode("title:(apple")),
      Get("/search?q=apple&offset=100"),
      Get("/search?q=apple&offset=-1"),
  };
  for (const HttpReply& reply : replies) {
    EXPECT_EQ(reply.status / 100, 4) << reply.body;
    for (const char* leak : {"json.exception", "parse_error", "minimumSimilarity", "Encountered",
                             "Was expecting", "beast", "boost"}) {
      EXPECT_EQ(reply.body.find(leak), std::string::npos) << reply.body;
    }
  }
  // Both offset errors say the same range.
  EXPECT_EQ(replies[6].json()["message"], replies[7].json()["message"]);
  EXPECT_NE(replies[6].body.find("between 0 and 99"), std::string::npos) << replies[6].body;
  const HttpReply unknown = Get("/search?q=apple&colour=red");
  for (const char* known : {"q", "k", "offset", "user", "syntax", "explain", "explore", "log"}) {
    EXPECT_NE(unknown.body.find(known), std::string::npos) << known;
  }
}

TEST_F(SecurityTest, DocumentWritesReadTheirOwnWrites) {
  // No pause between calls: the searchable view is up to 100 ms behind, the answers
  // are not.
  for (int i = 0; i < 100; ++i) {
    const std::string target = "/documents/transient-" + std::to_string(i);
    const HttpReply put = Http(port_, "PUT", target, R"({"title":"zanzibarian transient"})");
    ASSERT_EQ(put.status, 201) << put.body;
    EXPECT_EQ(put.json()["created"], true);
    const HttpReply deleted = Http(port_, "DELETE", target);
    ASSERT_EQ(deleted.status, 200) << i << " " << deleted.body;
  }
  ASSERT_OK(service_->Refresh());
  EXPECT_EQ(Get("/search?q=zanzibarian").json()["total"], 0);
  // created is true once; a second DELETE finds nothing.
  EXPECT_EQ(Http(port_, "PUT", "/documents/twice", R"({"title":"t"})").status, 201);
  const HttpReply again = Http(port_, "PUT", "/documents/twice", R"({"title":"t2"})");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["created"], false);
  EXPECT_EQ(Http(port_, "DELETE", "/documents/twice").status, 200);
  ExpectError(Http(port_, "DELETE", "/documents/twice"), 404, "unknown_document");
}

TEST_F(SecurityTest, LinksThatCouldRunScriptAreRefusedAtIngest) {
  for (const char* url : {"javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                          "data:text/html,<script>alert(1)</script>", "vbscript:msgbox"}) {
    const std::string body = nlohmann::json{{"title", "Trap"}, {"url", url}}.dump();
    ExpectError(Http(port_, "PUT", "/documents/trap", body), 400, "bad_document");
  }
  const HttpReply lines = Post("/documents",
                               "{\"id\":\"trap\",\"url\":\"javascript:alert(1)\"}\n"
                               "{\"id\":\"fine\",\"title\":\"Fine\",\"url\":\"/docs/fine\"}\n",
                               "application/x-ndjson");
  ASSERT_EQ(lines.status, 200) << lines.body;
  EXPECT_EQ(lines.json()["accepted"], 1);
  EXPECT_EQ(lines.json()["errors"][0]["line"], 1);
  EXPECT_FALSE(engine_->Contains("trap"));
  EXPECT_TRUE(engine_->Contains("fine"));
}

TEST_F(SecurityTest, CrossSiteRequestsAreRefusedEvenWithTheCredential) {
  const std::map<std::string, std::string> evil_with_token = {
      {"Origin", "http://127.0.0.1:1"}, {"Authorization", "Bearer " + token_}};
  // A "simple" request a page on another origin can send without a preflight.
  HttpReply planted = Http(port_, "POST", "/documents", "{\"id\":\"planted\"}\n",
                           {{"Origin", "https://evil.example"},
                            {"Content-Type", "text/plain"},
                            {"Cookie", std::string("foldrank_admin=") + token_}});
  ExpectError(planted, 403, "cross_origin_refused");
  ExpectError(Http(port_, "PUT", "/documents/planted", R"({"title":"x"})", evil_with_token), 403,
              "cross_origin_refused");
  ExpectError(Http(port_, "POST", "/admin/fold", "", evil_with_token), 403, "cross_origin_refused");
  ExpectError(Http(port_, "POST", "/admin/models/1/activate", "", evil_with_token), 403,
              "cross_origin_refused");
  ExpectError(Get("/admin/status", evil_with_token), 403, "cross_origin_refused");
  ExpectError(Http(port_, "DELETE", "/documents/bread", "", evil_with_token), 403,
              "cross_origin_refused");
  EXPECT_FALSE(engine_->Contains("planted"));
  EXPECT_TRUE(engine_->Contains("bread"));
  // A click from a page on an origin not allowed; /search stays readable only
  // through CORS (no Access-Control-Allow-Origin for it).
  ExpectError(Post("/click", ClickJson(SearchApple(), 0, "evil-1"), "text/plain",
                   {{"Origin", "https://evil.example"}}),
              403, "cross_origin_refused");
  // Our own pages pass.
  const std::string own = "http://127.0.0.1:" + std::to_string(port_);
  EXPECT_EQ(Get("/admin/status", {{"Origin", own}}).status, 200);
  EXPECT_EQ(Http(port_, "POST", "/admin/fold", "", {{"Origin", own}}).status, 200);
}

TEST_F(SecurityTest, TheSignInLinkWorksOnceAndSetsAStrictHttpOnlyCookie) {
  const std::string code = api_->IssueLoginCode();
  const HttpReply signed_in = Get("/admin/login?code=" + code);
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_EQ(signed_in.header("location"), "/admin");
  const std::string cookie = signed_in.header("set-cookie");
  EXPECT_EQ(cookie.find(std::string("foldrank_admin=") + token_), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  const std::string sent = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(Get("/admin/status", {{"Authorization", ""}, {"Cookie", sent}}).status, 200);
  // Spent: a second use signs nobody in.
  const HttpReply reused = Get("/admin/login?code=" + code);
  EXPECT_EQ(reused.header("location"), "/admin?login=failed");
  EXPECT_EQ(reused.header("set-cookie"), "");
  EXPECT_EQ(Get("/admin/login?code=0123").header("location"), "/admin?login=failed");
  // The form: the token itself.
  const HttpReply form = Post("/admin/login", "token=" + http::PercentEncode(token_),
                              "application/x-www-form-urlencoded", {{"Authorization", ""}});
  EXPECT_EQ(form.status, 303);
  EXPECT_NE(form.header("set-cookie").find("HttpOnly"), std::string::npos);
  const HttpReply wrong = Post("/admin/login", "token=guess", "application/x-www-form-urlencoded",
                               {{"Authorization", ""}});
  EXPECT_EQ(wrong.header("location"), "/admin?login=failed");
  // A page on another origin cannot sign a browser in or out.
  ExpectError(Post("/admin/login", "token=" + token_, "application/x-www-form-urlencoded",
                   {{"Origin", "https://evil.example"}}),
              403, "cross_origin_refused");
  const HttpReply out = Post("/admin/logout", "", "application/x-www-form-urlencoded");
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(SecurityTest, PagesRunOnlyTheirOwnFilesAndCannotBeFramed) {
  for (const char* page : {"/", "/admin"}) {
    const HttpReply reply = Get(page);
    EXPECT_NE(reply.header("content-security-policy").find("default-src 'self'"), std::string::npos)
        << page;
    EXPECT_NE(reply.header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << page;
    EXPECT_EQ(reply.header("x-frame-options"), "DENY");
    // Nothing inline for the policy to forbid.
    EXPECT_EQ(reply.body.find("<script>"), std::string::npos) << page;
    EXPECT_EQ(reply.body.find("<style"), std::string::npos) << page;
    EXPECT_EQ(reply.body.find("style="), std::string::npos) << page;
  }
  for (const char* target : {"/", "/widget.js", "/search?q=apple", "/nowhere", "/admin/status"}) {
    EXPECT_EQ(Get(target).header("x-content-type-options"), "nosniff") << target;
  }
  EXPECT_NE(Get("/search?q=apple").header("content-security-policy").find("default-src 'none'"),
            std::string::npos);
  // The widget builds the DOM from text: no innerHTML, and the snippet comes in parts.
  EXPECT_EQ(Get("/widget.js").body.find("innerHTML"), std::string::npos);
  EXPECT_EQ(Get("/admin.js").body.find("innerHTML"), std::string::npos);
  const nlohmann::json parts = SearchApple()["results"][0]["snippet_parts"];
  ASSERT_TRUE(parts.is_array());
  bool marked = false;
  for (const auto& part : parts) marked = marked || part["mark"].get<bool>();
  EXPECT_TRUE(marked) << parts.dump();
}

}  // namespace
}  // namespace foldrank
