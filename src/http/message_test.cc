#include "http/message.h"

#include <gtest/gtest.h>

namespace th::http {
namespace {

TEST(UrlDecodeTest, Table) {
  struct Case {
    std::string in;
    bool plus_is_space;
    std::string want;
  } cases[] = {
      {"", false, ""},
      {"abc", false, "abc"},
      {"a%20b", false, "a b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%E7%AB%A5%E6%8A%A4", false, "童护"},
      {"%e7%ab%a5", false, "童"},
      {"100%", false, "100%"},       // truncated escape kept
      {"%4", false, "%4"},           // truncated escape kept
      {"%zz", false, "%zz"},         // malformed escape kept
      {"%2e%2e", false, ".."},
      {"%00", false, std::string("\0", 1)},
      {"%252e", false, "%2e"},       // decoded once only
  };
  for (const Case& c : cases) {
    EXPECT_EQ(UrlDecode(c.in, c.plus_is_space), c.want) << c.in;
  }
}

TEST(ParseQueryTest, Table) {
  struct Case {
    std::string in;
    std::map<std::string, std::string> want;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
      {"a=1&a=2", {{"a", "2"}}},  // last wins
      {"q=%E5%BC%A0+%E4%B8%89", {{"q", "张 三"}}},
      {"flag", {{"flag", ""}}},
      {"&&a=1&", {{"a", "1"}}},
      {"=x&b=", {{"b", ""}}},
      {"a=b=c", {{"a", "b=c"}}},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseQuery(c.in), c.want) << c.in;
}

TEST(DecodeRequestPathTest, Table) {
  struct Case {
    std::string in;
    std::optional<std::string> want;
  } cases[] = {
      {"/", "/"},
      {"/api/v1/users", "/api/v1/users"},
      {"/users/%E5%BC%A0", "/users/张"},
      {"/a+b", "/a+b"},
      {"/a..b/c", "/a..b/c"},
      {"/..", std::nullopt},
      {"/../etc/passwd", std::nullopt},
      {"/assets/../../etc/passwd", std::nullopt},
      {"/%2e%2e/etc/passwd", std::nullopt},
      {"/%2E%2E", std::nullopt},
      {"/a/%2e%2e/b", std::nullopt},
      {"/a/..", std::nullopt},
      {"/a%00b", std::nullopt},
      {"/a%5c..%5cb", std::nullopt},  // backslash
      {"", std::nullopt},
      {"relative", std::nullopt},
      {"http://evil/", std::nullopt},
      {"/./a", "/./a"},
  };
  for (const Case& c : cases) EXPECT_EQ(DecodeRequestPath(c.in), c.want) << c.in;
}

TEST(CookieTest, ParseTable) {
  struct Case {
    std::string in;
    std::map<std::string, std::string> want;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1; b=2", {{"a", "1"}, {"b", "2"}}},
      {"  a = 1 ;b=2;", {{"a", "1"}, {"b", "2"}}},
      {"a=1; a=2", {{"a", "1"}}},  // first (most specific) wins
      {"sid=\"quoted\"", {{"sid", "quoted"}}},
      {"novalue; x=y", {{"x", "y"}}},
      {"=v; k=", {{"k", ""}}},
      {"t=a=b", {{"t", "a=b"}}},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseCookies(c.in), c.want) << c.in;
}

TEST(CookieTest, MakeSetCookieTable) {
  struct Case {
    std::string name, value;
    bool http_only, secure;
    std::int64_t max_age;
    std::string want;
  } cases[] = {
      {"sid", "abc", true, false, -1, "sid=abc; Path=/; SameSite=Strict; HttpOnly"},
      {"sid", "abc", true, true, 3600,
       "sid=abc; Path=/; Max-Age=3600; SameSite=Strict; HttpOnly; Secure"},
      {"sid", "", true, true, 0,
       "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Strict; "
       "HttpOnly; Secure"},
      {"csrf", "x1", false, false, 60, "csrf=x1; Path=/; Max-Age=60; SameSite=Strict"},
      // Header-splitting and attribute-smuggling characters are dropped.
      {"s;id", "a; Domain=evil\r\nX: y", true, false, -1,
       "sid=aDomain=evilX:y; Path=/; SameSite=Strict; HttpOnly"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MakeSetCookie(c.name, c.value, c.http_only, c.secure, c.max_age), c.want);
  }
}

TEST(RequestTest, HeaderAndQueryAccessors) {
  Request r;
  r.headers["content-type"] = "application/json";
  r.query["page"] = "2";
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("x-missing"), "");
  EXPECT_EQ(r.Query("page"), std::optional<std::string>("2"));
  EXPECT_EQ(r.Query("size"), std::nullopt);
}

}  // namespace
}  // namespace th::http
