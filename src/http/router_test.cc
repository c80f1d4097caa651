#include <gtest/gtest.h>

#include "http/message.h"

namespace th::http {
namespace {

Handler Tag(std::string tag) {
  return [tag](Request&) {
    Response r;
    r.body = tag;
    return r;
  };
}

TEST(RouterTest, MatchTable) {
  Router router;
  router.Add("GET", "/api/v1/users", Tag("list"));
  router.Add("POST", "/api/v1/users", Tag("create"));
  router.Add("GET", "/api/v1/users/{id}", Tag("get"));
  router.Add("PUT", "/api/v1/users/{id}", Tag("update"));
  router.Add("POST", "/api/v1/users/{id}/reset-password", Tag("reset"));
  router.Add("GET", "/api/v1/users/me", Tag("me"));  // added after {id}: first match wins
  router.Add("GET", "/api/v1/orgs/{org}/members/{id}", Tag("member"));
  router.Add("GET", "/api/ping", Tag("ping"));

  struct Case {
    std::string method, path;
    std::string want_tag;  // empty: no handler
    bool want_405;
    std::string want_allow;
    std::map<std::string, std::string> want_params;
  } cases[] = {
      {"GET", "/api/v1/users", "list", false, "", {}},
      {"GET", "/api/v1/users/", "list", false, "", {}},
      {"POST", "/api/v1/users", "create", false, "", {}},
      {"GET", "/api/v1/users/42", "get", false, "", {{"id", "42"}}},
      {"GET", "/api/v1/users/42/", "get", false, "", {{"id", "42"}}},
      {"PUT", "/api/v1/users/7", "update", false, "", {{"id", "7"}}},
      {"POST", "/api/v1/users/7/reset-password", "reset", false, "", {{"id", "7"}}},
      {"GET", "/api/v1/users/me", "get", false, "", {{"id", "me"}}},
      {"GET", "/api/v1/orgs/3/members/9", "member", false, "", {{"org", "3"}, {"id", "9"}}},
      {"GET", "/api/ping", "ping", false, "", {}},
      {"DELETE", "/api/v1/users/42", "", true, "GET, PUT", {}},
      {"DELETE", "/api/v1/users", "", true, "GET, POST", {}},
      {"GET", "/api/v1/users/7/reset-password", "", true, "POST", {}},
      {"GET", "/api/v1/nothing", "", false, "", {}},
      {"GET", "/api/v1/users//", "", false, "", {}},
      {"GET", "/api/v1//users", "", false, "", {}},
      {"GET", "/api/v1/users/1/2", "", false, "", {}},
      {"GET", "/api", "", false, "", {}},
      {"GET", "", "", false, "", {}},
      {"GET", "api/ping", "", false, "", {}},
      {"get", "/api/ping", "", true, "GET", {}},  // methods are case-sensitive
  };
  for (const Case& c : cases) {
    Request req;
    req.method = c.method;
    req.path = c.path;
    bool not_allowed = true;
    std::string allow;
    const Handler* h = router.Match(req, &not_allowed, &allow);
    SCOPED_TRACE(c.method + " " + c.path);
    if (c.want_tag.empty()) {
      EXPECT_EQ(h, nullptr);
    } else {
      ASSERT_NE(h, nullptr);
      EXPECT_EQ((*h)(req).body, c.want_tag);
      EXPECT_EQ(req.path_params, c.want_params);
    }
    EXPECT_EQ(not_allowed, c.want_405);
    EXPECT_EQ(allow, c.want_allow);
  }
}

TEST(RouterTest, NullOutputsAreAllowed) {
  Router router;
  router.Add("GET", "/api/x", Tag("x"));
  Request req;
  req.method = "POST";
  req.path = "/api/x";
  EXPECT_EQ(router.Match(req, nullptr), nullptr);
}

}  // namespace
}  // namespace th::http
