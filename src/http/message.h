#pragma once
// Framework-neutral HTTP request/response used by the router and api/ handlers.
// Nothing here includes Beast; only src/http/*.cc does.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace th::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, "/api/v1/users?page=2"
  std::string path;    // decoded path without query, "/api/v1/users"
  std::map<std::string, std::string> query;    // decoded query parameters (last wins)
  std::map<std::string, std::string> headers;  // lower-cased names
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> path_params;  // filled by the router, e.g. {"id": "42"}
  std::string body;
  std::string client_ip;  // peer address, or X-Forwarded-For's first entry from a trusted proxy
  bool secure = false;    // behind TLS (X-Forwarded-Proto: https from a trusted proxy)
  std::string request_id;
  // When the server had read the request: an offloaded handler learns how long it queued.
  std::chrono::steady_clock::time_point received{};

  // Header value or empty.
  std::string Header(std::string_view lower_name) const;
  // Query parameter or empty / nullopt.
  std::optional<std::string> Query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, incl. Set-Cookie
  std::string body;
  // When set, the server streams this file instead of `body` (static assets, downloads).
  std::string file_path;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using Handler = std::function<Response(Request&)>;

// Cookie helpers. `secure` adds the Secure attribute (behind TLS).
std::string MakeSetCookie(const std::string& name, const std::string& value, bool http_only,
                          bool secure, std::int64_t max_age_seconds /* <0: session cookie, 0: delete */);
std::map<std::string, std::string> ParseCookies(std::string_view header);
std::string UrlDecode(std::string_view s, bool plus_is_space);

// Parses "a=1&b=x+y" into decoded pairs ('+' is a space; the last duplicate wins).
std::map<std::string, std::string> ParseQuery(std::string_view query);

// Percent-decodes the path part of a request target (no query). Returns nullopt when the
// result is unsafe to use: it does not start with '/', or it holds a NUL byte, a ".." segment
// (also when written %2e%2e), or a backslash. Never throws.
std::optional<std::string> DecodeRequestPath(std::string_view raw_path);

// Matches "/api/v1/users/{id}/reset-password" style patterns. Thread-safe after setup.
class Router {
 public:
  // `offload`: the handler may block for a while (a login queueing for a password-hashing slot),
  // so the server runs it on its offload threads, never on an I/O thread.
  void Add(std::string method, std::string pattern, Handler h, bool offload = false);
  // True when `h` (as returned by Match) was added with offload.
  bool Offloaded(const Handler* h) const;
  // Finds the handler for method + path and fills req.path_params. Returns nullptr when the
  // path is unknown; sets *method_not_allowed when the path exists for another method, and
  // then, when `allow` is given, fills it with the allowed methods ("GET, POST").
  // A trailing slash on the path is tolerated; empty inner segments never match.
  const Handler* Match(Request& req, bool* method_not_allowed, std::string* allow = nullptr) const;
  // Every route as "METHOD /pattern/{param}", in the order added (`tonghu routes`; the
  // endpoint x role x jurisdiction matrix test fails on a route it has no cases for).
  std::vector<std::string> Describe() const;

 private:
  struct Route {
    std::string pattern;
    std::string method;
    std::vector<std::string> segments;  // "{id}" segments capture
    Handler handler;
    bool offload = false;
  };
  std::vector<Route> routes_;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 0;                        // 0: hardware concurrency * 2, at least 4
  std::size_t max_body_bytes = 1 << 20;   // default limit for /api bodies
  std::size_t max_upload_bytes = 64 << 20;  // limit for paths under upload_prefixes
  std::vector<std::string> upload_prefixes;  // e.g. "/api/v1/org-units/import"
  // A module's own limit for a request target (the public report form's 16 KiB), consulted
  // before the two above; nullopt: the default or upload limit applies.
  std::function<std::optional<std::size_t>(std::string_view target)> body_limit_of;
  std::string static_dir;                 // web/dist; empty: no static files
  bool trust_proxy = false;               // honour X-Forwarded-For / -Proto
  int idle_timeout_seconds = 75;          // keep-alive idle
  int request_timeout_seconds = 30;       // reading the body and writing the response
  int shutdown_grace_seconds = 10;        // in-flight requests get this long after Stop()
  bool access_log = true;                 // one JSON line per request (logger "access")
  // Threads that run offloaded handlers (Router::Add offload): they may wait without taking an
  // I/O thread from other requests. Beyond max_offload_pending queued or running offloaded
  // requests the server answers 503 with Retry-After at once.
  int offload_threads = 24;
  int max_offload_pending = 512;
};

// Async Beast server. Routes under /api go to the router; other GETs serve static files
// with SPA fallback to index.html (deep links work). Adds security headers, a request id,
// and writes one structured access-log line per request.
class Server {
 public:
  Server(ServerOptions opts, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Binds and listens; returns false with `error` filled if the port cannot be bound.
  bool Start(std::string* error);
  // The bound port (useful with port 0).
  std::uint16_t port() const;
  // Blocks until Stop() or SIGTERM/SIGINT; then drains in-flight requests (graceful).
  void Run(bool handle_signals = true);
  // Thread-safe and idempotent; may be called before, during or after Run().
  void Stop();
  // Turns the per-request access log on or off at run time (off for benchmarks).
  void SetAccessLog(bool enabled);

 private:
  friend class Connection;         // connection.cc: one accepted socket
  friend struct ConnectionHooks;   // server_impl.h: the accept loop's view of a connection
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace th::http
