#include "http/request_guard.h"

#include <gtest/gtest.h>

#include "http/api.h"

namespace foldrank::http {
namespace {

ApiRequest Request(std::string method, std::string origin, std::string host = "127.0.0.1:8080") {
  ApiRequest request;
  request.method = std::move(method);
  request.origin = std::move(origin);
  request.host = std::move(host);
  return request;
}

TEST(RequestGuardTest, HostNamesAreParsedLowerCasedAndMalformedOnesRefused) {
  EXPECT_EQ(HostName("Example.ORG:8080"), "example.org");
  EXPECT_EQ(HostName("[::1]:80"), "[::1]");
  EXPECT_EQ(HostName("127.0.0.1"), "127.0.0.1");
  for (const char* bad :
       {"", "a b", "host:port", "[::1", "[zz]", "x:99999999", "a@b", "h/", "h:"}) {
    EXPECT_EQ(HostName(bad), std::nullopt) << bad;
  }
}

TEST(RequestGuardTest, OnlyLoopbackTheBindAddressAndPublicHostsAreAnswered) {
  HostPolicy policy{.names = {"search.example.com", "10.1.2.3"}};
  for (const char* host :
       {"localhost:8080", "127.0.0.1", "[::1]:1", "Search.Example.com", "10.1.2.3:80"}) {
    EXPECT_EQ(CheckHost(host, policy), std::nullopt) << host;
  }
  // DNS rebinding: the attacker's name, resolving to us.
  auto refused = CheckHost("attacker.example:8080", policy);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 421);
  EXPECT_EQ(refused->code, "unknown_host");
  EXPECT_EQ(CheckHost("10.9.9.9", policy)->status, 421);
  EXPECT_EQ(CheckHost("bad host", policy)->status, 400);
  // Listening on every interface: any IP literal (never a rebinding name).
  policy.any_ip_literal = true;
  EXPECT_EQ(CheckHost("10.9.9.9:8080", policy), std::nullopt);
  EXPECT_EQ(CheckHost("[fe80::1]", policy), std::nullopt);
  EXPECT_EQ(CheckHost("attacker.example", policy)->status, 421);
  EXPECT_EQ(CheckHost("1.2.3.4.evil", policy)->status, 421);
}

TEST(RequestGuardTest, SameOriginComparesSchemeDefaultPortsHostAndPort) {
  EXPECT_TRUE(IsSameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(IsSameOrigin("http://Search.example", "search.example:80"));
  EXPECT_TRUE(IsSameOrigin("https://search.example", "search.example"));
  EXPECT_FALSE(IsSameOrigin("http://127.0.0.1:9999", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("http://localhost:8080", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("null", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("file://", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080"));
}

TEST(RequestGuardTest, ForeignOriginsNeverReachProtectedRoutesAndChangeOnlyAllowedPublicOnes) {
  const std::vector<std::string> allowed = {"https://shop.example"};
  const std::string evil = "https://evil.example";
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "OPTIONS"}) {
    auto refused = CheckOrigin(Request(method, evil), RouteAccess::kProtected, allowed);
    ASSERT_TRUE(refused) << method;
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(refused->code, "cross_origin_refused");
    // An allowed origin is allowed /search and /click, never admin or documents.
    EXPECT_TRUE(
        CheckOrigin(Request(method, "https://shop.example"), RouteAccess::kProtected, allowed));
  }
  EXPECT_EQ(CheckOrigin(Request("POST", "https://shop.example"), RouteAccess::kPublic, allowed),
            std::nullopt);
  EXPECT_TRUE(CheckOrigin(Request("POST", evil), RouteAccess::kPublic, allowed));
  EXPECT_EQ(CheckOrigin(Request("GET", evil), RouteAccess::kPublic, allowed), std::nullopt);
  EXPECT_TRUE(CheckOrigin(Request("POST", evil), RouteAccess::kOpen, allowed));
  // Our own pages, and clients that send no Origin, pass (credentials decide).
  EXPECT_EQ(CheckOrigin(Request("POST", "http://127.0.0.1:8080"), RouteAccess::kProtected, {}),
            std::nullopt);
  EXPECT_EQ(CheckOrigin(Request("POST", ""), RouteAccess::kProtected, {}), std::nullopt);
}

TEST(RequestGuardTest, TheCredentialIsTheBearerTokenOrTheCookieNeverTheAddress) {
  ApiRequest request = Request("GET", "");
  EXPECT_EQ(CheckAdminCredential(request, "")->code, "admin_disabled");
  EXPECT_EQ(CheckAdminCredential(request, "tok-123")->status, 401);
  request.authorization = "Bearer tok-123";
  EXPECT_EQ(CheckAdminCredential(request, "tok-123"), std::nullopt);
  request.authorization = "Bearer tok-12";
  EXPECT_EQ(CheckAdminCredential(request, "tok-123")->status, 401);
  request.authorization.clear();
  request.cookie = "theme=dark; foldrank_admin=tok-123; other=1";
  EXPECT_EQ(CheckAdminCredential(request, "tok-123"), std::nullopt);
  request.cookie = "foldrank_admin=wrong";
  EXPECT_EQ(CheckAdminCredential(request, "tok-123")->status, 401);
  request.cookie = "xfoldrank_admin=tok-123";
  EXPECT_EQ(CheckAdminCredential(request, "tok-123")->status, 401);
}

TEST(RequestGuardTest, CookieValuesAreFoundByExactName) {
  EXPECT_EQ(CookieValue("a=1; b=2", "b"), "2");
  EXPECT_EQ(CookieValue("a=1;b=2 ", "b"), "2");
  EXPECT_EQ(CookieValue("ab=1", "b"), "");
  EXPECT_EQ(CookieValue("", "b"), "");
}

TEST(RequestGuardTest, RoutesAreClassifiedByPath) {
  EXPECT_EQ(AccessOf("/search"), RouteAccess::kPublic);
  EXPECT_EQ(AccessOf("/click"), RouteAccess::kPublic);
  EXPECT_EQ(AccessOf("/documents"), RouteAccess::kProtected);
  EXPECT_EQ(AccessOf("/documents/x"), RouteAccess::kProtected);
  EXPECT_EQ(AccessOf("/admin/status"), RouteAccess::kProtected);
  EXPECT_EQ(AccessOf("/admin"), RouteAccess::kOpen);  // The page; its data needs the credential.
  EXPECT_EQ(AccessOf("/documentsx"), RouteAccess::kOpen);
  EXPECT_EQ(AccessOf("/metrics"), RouteAccess::kOpen);
}

}  // namespace
}  // namespace foldrank::http
