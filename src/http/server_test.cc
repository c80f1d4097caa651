// Starts a real server on 127.0.0.1:0 and talks to it with a Beast client.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include "http/message.h"

namespace th::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using ClientResponse = bhttp::response<bhttp::string_body>;

constexpr char kCsp[] =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'";

Router TestRouter() {
  Router r;
  r.Add("GET", "/api/ping", [](Request&) {
    Response res;
    res.body = R"({"ok":true})";
    return res;
  });
  // Echoes what the server filled in, one "key=value" per line.
  auto echo = [](Request& req) {
    Response res;
    res.content_type = "text/plain; charset=utf-8";
    std::string out;
    out += "method=" + req.method + "\n";
    out += "path=" + req.path + "\n";
    out += "target=" + req.target + "\n";
    for (auto& [k, v] : req.path_params) out += "param." + k + "=" + v + "\n";
    for (auto& [k, v] : req.query) out += "query." + k + "=" + v + "\n";
    for (auto& [k, v] : req.cookies) out += "cookie." + k + "=" + v + "\n";
    out += "header.x-test=" + req.Header("x-test") + "\n";
    out += "client_ip=" + req.client_ip + "\n";
    out += std::string("secure=") + (req.secure ? "1" : "0") + "\n";
    out += "request_id=" + req.request_id + "\n";
    out += "body_size=" + std::to_string(req.body.size()) + "\n";
    res.body = out;
    res.AddHeader("Set-Cookie", MakeSetCookie("sid", "abc", true, req.secure, 60));
    res.AddHeader("Set-Cookie", MakeSetCookie("csrf", "xyz", false, req.secure, 60));
    res.AddHeader("X-Bad", "a\r\nInjected: 1");
    return res;
  };
  r.Add("GET", "/api/echo/{id}", echo);
  r.Add("POST", "/api/echo/{id}", echo);
  r.Add("POST", "/api/upload/file", echo);
  r.Add("GET", "/api/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  r.Add("GET", "/api/throw-int", [](Request&) -> Response { throw 42; });
  r.Add("GET", "/api/slow", [](Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    Response res;
    res.body = R"({"slow":true})";
    return res;
  });
  // Like /api/slow, but offloaded: it must not hold an I/O thread while it waits.
  r.Add("GET", "/api/slow-offloaded", [](Request& req) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    Response res;
    res.body = req.received == std::chrono::steady_clock::time_point{} ? "{}" : R"({"slow":true})";
    return res;
  }, /*offload=*/true);
  r.Add("GET", "/api/status/{code}", [](Request& req) {
    Response res;
    res.status = std::stoi(req.path_params["code"]);
    res.body = "{}";
    return res;
  });
  return r;
}

class TestServer {
 public:
  explicit TestServer(ServerOptions opts) : server_(std::move(opts), TestRouter()) {
    std::string err;
    if (!server_.Start(&err)) throw std::runtime_error(err);
    runner_ = std::thread([this] {
      server_.Run(false);
      done_ = true;
    });
  }
  ~TestServer() {
    server_.Stop();
    runner_.join();
  }
  Server& server() { return server_; }
  std::uint16_t port() { return server_.port(); }
  bool done() const { return done_.load(); }
  std::thread& runner() { return runner_; }

 private:
  Server server_;
  std::thread runner_;
  std::atomic<bool> done_{false};
};

class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.expires_after(std::chrono::seconds(10));
  }
  ClientResponse Do(bhttp::verb method, const std::string& target, std::string body = {},
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req(method, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(stream_, req);
    return Read();
  }
  ClientResponse Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(boost::none);
    p.skip(head);
    bhttp::read(stream_, buffer_, p);
    return p.release();
  }
  void WriteRaw(const std::string& raw) { net::write(stream_, net::buffer(raw)); }
  // True when the server closed the connection (read yields EOF).
  bool ClosedByPeer() {
    char c;
    beast::error_code ec;
    stream_.socket().read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }
  beast::tcp_stream& stream() { return stream_; }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string Field(const ClientResponse& r, std::string_view name) {
  auto v = r[name];
  return std::string(v.data(), v.size());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("th_http_srv_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "dist/assets");
    Write(dir_ / "dist/index.html", "<!doctype html><title>app</title>");
    Write(dir_ / "dist/assets/app-1a2b.js", "console.log('tonghu')");
    Write(dir_ / "dist/assets/app-1a2b.css", "body{}");
    Write(dir_ / "dist/logo.svg", "<svg/>");
    Write(dir_ / "secret.txt", "outside the root");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void Write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  ServerOptions Options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 3;
    o.max_body_bytes = 1024;
    o.max_upload_bytes = 64 * 1024;
    o.upload_prefixes = {"/api/upload/"};
    o.static_dir = (dir_ / "dist").string();
    o.access_log = false;
    return o;
  }
  fs::path dir_;
};

void ExpectSecurityHeaders(const ClientResponse& r, bool api) {
  EXPECT_EQ(Field(r, "Content-Security-Policy"), kCsp);
  EXPECT_EQ(Field(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Field(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Field(r, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(Field(r, "X-Request-Id").size(), 16u);
  EXPECT_FALSE(Field(r, "Date").empty());
  if (api) EXPECT_EQ(Field(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Field(r, "Strict-Transport-Security"), "");
}

TEST_F(ServerTest, KeepAliveManyRequestsOneConnection) {
  TestServer ts(Options());
  Client c(ts.port());
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto r = c.Do(bhttp::verb::get, "/api/ping");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), R"({"ok":true})");
    EXPECT_EQ(Field(r, "Content-Type"), "application/json; charset=utf-8");
    EXPECT_TRUE(r.keep_alive());
    ExpectSecurityHeaders(r, true);
    ids.insert(Field(r, "X-Request-Id"));
    auto s = c.Do(bhttp::verb::get, "/assets/app-1a2b.js");
    EXPECT_EQ(s.result_int(), 200);
    EXPECT_TRUE(s.keep_alive());
  }
  EXPECT_EQ(ids.size(), 20u);  // a fresh id per request
}

TEST_F(ServerTest, RequestIsFilled) {
  TestServer ts(Options());
  Client c(ts.port());
  auto r = c.Do(bhttp::verb::post, "/api/echo/%E5%BC%A0?q=%E4%B8%89+x&page=2&page=3", "hello",
                {{"Cookie", "sid=s1; theme=dark"},
                 {"X-Test", "yes"},
                 {"X-Forwarded-For", "10.9.8.7"},
                 {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.result_int(), 200) << r.body();
  const std::string& b = r.body();
  EXPECT_NE(b.find("method=POST\n"), std::string::npos) << b;
  EXPECT_NE(b.find("path=/api/echo/张\n"), std::string::npos) << b;
  EXPECT_NE(b.find("target=/api/echo/%E5%BC%A0?q=%E4%B8%89+x&page=2&page=3\n"),
            std::string::npos);
  EXPECT_NE(b.find("param.id=张\n"), std::string::npos) << b;
  EXPECT_NE(b.find("query.q=三 x\n"), std::string::npos) << b;
  EXPECT_NE(b.find("query.page=3\n"), std::string::npos) << b;
  EXPECT_NE(b.find("cookie.sid=s1\n"), std::string::npos) << b;
  EXPECT_NE(b.find("cookie.theme=dark\n"), std::string::npos) << b;
  EXPECT_NE(b.find("header.x-test=yes\n"), std::string::npos) << b;
  // Not behind a trusted proxy: forwarded headers are ignored.
  EXPECT_NE(b.find("client_ip=127.0.0.1\n"), std::string::npos) << b;
  EXPECT_NE(b.find("secure=0\n"), std::string::npos) << b;
  EXPECT_NE(b.find("request_id=" + Field(r, "X-Request-Id") + "\n"), std::string::npos) << b;
  EXPECT_NE(b.find("body_size=5\n"), std::string::npos) << b;
  EXPECT_EQ(Field(r, "Content-Type"), "text/plain; charset=utf-8");
  // Both cookies arrive as separate Set-Cookie lines; the CRLF-injecting header is dropped.
  int cookies = 0;
  for (auto& f : r) {
    if (f.name() == bhttp::field::set_cookie) ++cookies;
    EXPECT_NE(f.name_string(), "Injected");
    EXPECT_NE(f.name_string(), "X-Bad");
  }
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(Field(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Field(r, "Strict-Transport-Security"), "");
}

TEST_F(ServerTest, TrustedProxyHeaders) {
  ServerOptions o = Options();
  o.trust_proxy = true;
  TestServer ts(o);
  Client c(ts.port());
  auto r = c.Do(bhttp::verb::get, "/api/echo/1", "",
                {{"X-Forwarded-For", " 203.0.113.5 , 10.0.0.1"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_NE(r.body().find("client_ip=203.0.113.5\n"), std::string::npos) << r.body();
  EXPECT_NE(r.body().find("secure=1\n"), std::string::npos) << r.body();
  EXPECT_FALSE(Field(r, "Strict-Transport-Security").empty());
  EXPECT_NE(Field(r, "Set-Cookie").find("; Secure"), std::string::npos);
  auto plain = c.Do(bhttp::verb::get, "/api/echo/1");
  EXPECT_NE(plain.body().find("client_ip=127.0.0.1\n"), std::string::npos) << plain.body();
  EXPECT_EQ(Field(plain, "Strict-Transport-Security"), "");
}

TEST_F(ServerTest, ApiErrorsAreJson) {
  TestServer ts(Options());
  Client c(ts.port());
  struct Case {
    bhttp::verb method;
    std::string target;
    int want_status;
    std::string want_code;
    std::string want_allow;
  } cases[] = {
      {bhttp::verb::get, "/api/nope", 404, "not_found", ""},
      {bhttp::verb::get, "/api", 404, "not_found", ""},
      {bhttp::verb::delete_, "/api/echo/1", 405, "method_not_allowed", "GET, POST"},
      {bhttp::verb::get, "/api/throw", 500, "internal", ""},
      {bhttp::verb::get, "/api/throw-int", 500, "internal", ""},
      {bhttp::verb::post, "/", 405, "method_not_allowed", "GET, HEAD"},
      {bhttp::verb::get, "/api/status/9999", 500, "", ""},  // invalid status from a handler
      {bhttp::verb::get, "/api/status/101", 500, "", ""},
      {bhttp::verb::get, "/api/status/204", 204, "", ""},   // body "{}" dropped, no throw
      {bhttp::verb::get, "/api/status/304", 304, "", ""},
      {bhttp::verb::get, "/api/status/409", 409, "", ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.target);
    auto r = c.Do(k.method, k.target);
    EXPECT_EQ(r.result_int(), k.want_status);
    if (!k.want_code.empty()) {
      EXPECT_EQ(Field(r, "Content-Type"), "application/json; charset=utf-8");
      EXPECT_NE(r.body().find("\"code\":\"" + k.want_code + "\""), std::string::npos) << r.body();
      EXPECT_NE(r.body().find("\"field\":\"\""), std::string::npos);
    }
    EXPECT_EQ(Field(r, "Allow"), k.want_allow);
    EXPECT_TRUE(r.keep_alive());
    ExpectSecurityHeaders(r, k.target.starts_with("/api"));
  }
  // The connection is still usable after every error above.
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
}

// A module's own limit for some targets (the public report form: small; its photos: larger)
// wins over the default and the upload prefixes, before the body is read.
TEST_F(ServerTest, ModuleBodyLimits) {
  ServerOptions o = Options();
  o.body_limit_of = [](std::string_view target) -> std::optional<std::size_t> {
    if (target.starts_with("/api/echo/small")) return 100;
    if (target.starts_with("/api/echo/big")) return 8 * 1024;
    return std::nullopt;
  };
  TestServer ts(o);
  auto post = [&](const char* target, std::size_t n) {
    Client c(ts.port());
    return c.Do(bhttp::verb::post, target, std::string(n, 'a')).result_int();
  };
  EXPECT_EQ(post("/api/echo/small", 100), 200);
  EXPECT_EQ(post("/api/echo/small?x=1", 101), 413);
  EXPECT_EQ(post("/api/echo/big", 4 * 1024), 200);  // above the default 1 KiB
  EXPECT_EQ(post("/api/echo/big", 9 * 1024), 413);
  EXPECT_EQ(post("/api/echo/1", 1025), 413);         // others keep the default
}

TEST_F(ServerTest, BodyLimits) {
  TestServer ts(Options());
  const std::string k413 =
      R"({"error":{"code":"payload_too_large","field":"","message":"请求体过大"}})";
  {
    Client c(ts.port());
    auto r = c.Do(bhttp::verb::post, "/api/echo/1", std::string(1024, 'a'));
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_NE(r.body().find("body_size=1024\n"), std::string::npos);
  }
  {
    Client c(ts.port());
    auto r = c.Do(bhttp::verb::post, "/api/echo/1", std::string(1025, 'a'));
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(r.body(), k413);
    EXPECT_FALSE(r.keep_alive());
    ExpectSecurityHeaders(r, false);
    EXPECT_TRUE(c.ClosedByPeer());
  }
  {
    // The upload prefix has the larger limit.
    Client c(ts.port());
    auto r = c.Do(bhttp::verb::post, "/api/upload/file", std::string(60 * 1024, 'u'));
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_NE(r.body().find("body_size=61440\n"), std::string::npos);
  }
  {
    Client c(ts.port());
    auto r = c.Do(bhttp::verb::post, "/api/upload/file", std::string(300 * 1024, 'u'));
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(r.body(), k413);
  }
  {
    // Chunked: no Content-Length up front, the parser enforces the limit while reading.
    Client c(ts.port());
    std::string chunk(800, 'c');
    std::string raw = "POST /api/echo/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 2; ++i) raw += "320\r\n" + chunk + "\r\n";
    raw += "0\r\n\r\n";
    c.WriteRaw(raw);
    auto r = c.Read();
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(r.body(), k413);
  }
  {
    // Expect: 100-continue with an acceptable size gets 100 and then the answer.
    Client c(ts.port());
    c.WriteRaw(
        "POST /api/echo/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        "Expect: 100-continue\r\n\r\n");
    auto cont = c.Read();
    EXPECT_EQ(cont.result_int(), 100);
    c.WriteRaw("abc");
    auto r = c.Read();
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_NE(r.body().find("body_size=3\n"), std::string::npos);
  }
}

TEST_F(ServerTest, MalformedRequestsGet400) {
  TestServer ts(Options());
  struct Case {
    std::string raw;
  } cases[] = {
      {"GARBAGE\r\n\r\n"},
      {"GET /api/ping HTTP/9.9\r\nHost: x\r\n\r\n"},
      {"GET /api/ping HTTP/1.1\r\nBad Header\r\n\r\n"},
      {"GET /api/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n"},
      {"GET /api/%00 HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.raw.substr(0, 40));
    Client c(ts.port());
    c.WriteRaw(k.raw);
    auto r = c.Read();
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_NE(r.body().find("\"code\":\"bad_request\""), std::string::npos) << r.body();
  }
  // The server is still fine.
  Client c(ts.port());
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
}

TEST_F(ServerTest, StaticFiles) {
  TestServer ts(Options());
  Client c(ts.port());
  struct Case {
    std::string target;
    int want_status;
    std::string want_type;
    std::string want_cache;
    std::string want_body;
  } cases[] = {
      {"/", 200, "text/html; charset=utf-8", "no-cache", "<!doctype html><title>app</title>"},
      {"/index.html", 200, "text/html; charset=utf-8", "no-cache",
       "<!doctype html><title>app</title>"},
      {"/assets/app-1a2b.js", 200, "text/javascript; charset=utf-8",
       "public, max-age=31536000, immutable", "console.log('tonghu')"},
      {"/assets/app-1a2b.css?v=1", 200, "text/css; charset=utf-8",
       "public, max-age=31536000, immutable", "body{}"},
      {"/logo.svg", 200, "image/svg+xml", "no-cache", "<svg/>"},
      {"/users/5", 200, "text/html; charset=utf-8", "no-cache",
       "<!doctype html><title>app</title>"},
      {"/children/12/visits?tab=2", 200, "text/html; charset=utf-8", "no-cache",
       "<!doctype html><title>app</title>"},
      {"/assets/gone-000.js", 404, "application/json; charset=utf-8", "", ""},
      {"/../etc/passwd", 400, "application/json; charset=utf-8", "", ""},
      {"/%2e%2e/etc/passwd", 400, "application/json; charset=utf-8", "", ""},
      {"/assets/%2E%2E/%2E%2E/secret.txt", 400, "application/json; charset=utf-8", "", ""},
      {"/..%2fsecret.txt", 400, "application/json; charset=utf-8", "", ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.target);
    auto r = c.Do(bhttp::verb::get, k.target);
    EXPECT_EQ(r.result_int(), k.want_status);
    EXPECT_EQ(Field(r, "Content-Type"), k.want_type);
    if (!k.want_cache.empty()) EXPECT_EQ(Field(r, "Cache-Control"), k.want_cache);
    if (!k.want_body.empty()) EXPECT_EQ(r.body(), k.want_body);
    EXPECT_EQ(r.body().find("outside the root"), std::string::npos);
    ExpectSecurityHeaders(r, false);
  }
}

TEST_F(ServerTest, StaticHeadAndConditional) {
  TestServer ts(Options());
  Client c(ts.port());
  bhttp::request<bhttp::empty_body> head(bhttp::verb::head, "/assets/app-1a2b.js", 11);
  head.set(bhttp::field::host, "x");
  bhttp::write(c.stream(), head);
  auto h = c.Read(/*head=*/true);
  EXPECT_EQ(h.result_int(), 200);
  EXPECT_EQ(Field(h, "Content-Length"), "21");
  EXPECT_TRUE(h.body().empty());
  std::string etag = Field(h, "ETag");
  ASSERT_FALSE(etag.empty());

  auto r = c.Do(bhttp::verb::get, "/assets/app-1a2b.js", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.result_int(), 304);
  EXPECT_TRUE(r.body().empty());
  auto full = c.Do(bhttp::verb::get, "/assets/app-1a2b.js", "", {{"If-None-Match", "\"x\""}});
  EXPECT_EQ(full.result_int(), 200);
  EXPECT_EQ(full.body(), "console.log('tonghu')");
}

TEST_F(ServerTest, LargeFilesAreStreamedIntact) {
  std::string big;
  for (int i = 0; big.size() < 3 * 1024 * 1024 + 17; ++i) big += std::to_string(i) + ",";
  Write(dir_ / "dist/assets/big-9f9f.js", big);
  TestServer ts(Options());
  Client c(ts.port());
  for (int i = 0; i < 3; ++i) {  // keep-alive continues after a streamed body
    auto r = c.Do(bhttp::verb::get, "/assets/big-9f9f.js");
    ASSERT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body().size(), big.size());
    EXPECT_TRUE(r.body() == big);
    EXPECT_EQ(Field(r, "Cache-Control"), "public, max-age=31536000, immutable");
    ExpectSecurityHeaders(r, false);
    EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
  }
}

TEST_F(ServerTest, IdleAndRequestTimeoutsCloseConnections) {
  ServerOptions o = Options();
  o.idle_timeout_seconds = 1;
  o.request_timeout_seconds = 1;
  TestServer ts(o);
  Client idle(ts.port());
  EXPECT_EQ(idle.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
  Client stalled(ts.port());
  stalled.WriteRaw("POST /api/echo/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.ClosedByPeer());
  EXPECT_TRUE(stalled.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
}

TEST_F(ServerTest, ClientLeavingMidFileDoesNotHurtServer) {
  Write(dir_ / "dist/assets/huge-1.js", std::string(16 << 20, 'h'));
  TestServer ts(Options());
  for (int i = 0; i < 5; ++i) {
    Client c(ts.port());
    c.WriteRaw("GET /assets/huge-1.js HTTP/1.1\r\nHost: x\r\n\r\n");
    char buf[4096];
    c.stream().socket().read_some(net::buffer(buf));  // a little, then vanish with a reset
    c.stream().socket().set_option(net::socket_base::linger(true, 0));
    c.stream().socket().close();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Client c(ts.port());
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
}

TEST_F(ServerTest, NotBuiltPage) {
  ServerOptions o = Options();
  o.static_dir = (dir_ / "missing").string();
  TestServer ts(o);
  Client c(ts.port());
  auto r = c.Do(bhttp::verb::get, "/users/1");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_NE(r.body().find("not built"), std::string::npos);
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequest) {
  auto ts = std::make_unique<TestServer>(Options());
  Client slow(ts->port());
  Client idle(ts->port());
  EXPECT_EQ(idle.Do(bhttp::verb::get, "/api/ping").result_int(), 200);  // now idle keep-alive
  auto fut = std::async(std::launch::async, [&] { return slow.Do(bhttp::verb::get, "/api/slow"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = std::chrono::steady_clock::now();
  ts->server().Stop();
  auto r = fut.get();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"({"slow":true})");
  EXPECT_FALSE(r.keep_alive());  // told to go away
  EXPECT_TRUE(idle.ClosedByPeer());
  ts.reset();  // joins Run()
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(waited, std::chrono::seconds(3));
  // Nothing listens any more.
  net::io_context ioc;
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), 1), ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, StopBeforeRunReturnsAndBadAddressFails) {
  {
    Server s(Options(), TestRouter());
    std::string err;
    ASSERT_TRUE(s.Start(&err)) << err;
    s.Stop();
    s.Run(false);  // returns at once
  }
  ServerOptions o = Options();
  o.host = "not an address";
  Server s(o, TestRouter());
  std::string err;
  EXPECT_FALSE(s.Start(&err));
  EXPECT_FALSE(err.empty());
  // Port taken.
  TestServer ts(Options());
  ServerOptions o2 = Options();
  o2.port = ts.port();
  Server s2(o2, TestRouter());
  EXPECT_FALSE(s2.Start(&err));
}

TEST_F(ServerTest, ManyConcurrentClients) {
  ServerOptions o = Options();
  o.access_log = true;  // exercise the logger too
  TestServer ts(o);
  ts.server().SetAccessLog(false);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      Client c(ts.port());
      for (int i = 0; i < 50; ++i) {
        if (c.Do(bhttp::verb::get, i % 2 ? "/api/ping" : "/").result_int() == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 400);
}

// Issue 9 item 10: handlers that wait (logins queueing for a hashing slot) run on offload threads,
// so with a single I/O thread eight of them in flight still leave other requests fast; beyond
// max_offload_pending the answer is 503 with Retry-After at once.
TEST_F(ServerTest, OffloadedHandlersDoNotHoldIoThreads) {
  ServerOptions o = Options();
  o.threads = 1;
  o.offload_threads = 8;
  TestServer ts(o);
  std::vector<std::future<ClientResponse>> slow;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<Client>(ts.port()));
    Client* c = clients.back().get();
    slow.push_back(std::async(std::launch::async, [c] { return c->Do(bhttp::verb::get, "/api/slow-offloaded"); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Client fast(ts.port());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(fast.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));
  for (auto& f : slow) {
    auto r = f.get();
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), R"({"slow":true})");
  }

  ServerOptions tight = Options();
  tight.offload_threads = 1;
  tight.max_offload_pending = 1;
  TestServer ts2(tight);
  Client first(ts2.port());
  auto busy = std::async(std::launch::async, [&] { return first.Do(bhttp::verb::get, "/api/slow-offloaded"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Client second(ts2.port());
  auto r = second.Do(bhttp::verb::get, "/api/slow-offloaded");
  EXPECT_EQ(r.result_int(), 503);
  EXPECT_EQ(Field(r, "Retry-After"), "2");
  EXPECT_EQ(busy.get().result_int(), 200);
}

TEST_F(ServerTest, AccessLogOnDoesNotBreakRequests) {
  ServerOptions o = Options();
  o.access_log = true;
  TestServer ts(o);
  Client c(ts.port());
  testing::internal::CaptureStdout();
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/echo/7?secret=1").result_int(), 200);
  EXPECT_EQ(c.Do(bhttp::verb::get, "/api/ping").result_int(), 200);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find(R"("path":"/api/echo/7")"), std::string::npos) << out;
  EXPECT_EQ(out.find("secret"), std::string::npos) << out;  // no query strings in logs
  EXPECT_NE(out.find(R"("status":200)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("client_ip":"127.0.0.1")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("duration_us":)"), std::string::npos) << out;
}

}  // namespace
}  // namespace th::http
